package bnn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// Model file layout (all integers little-endian):
//
//	magic    8 bytes  "BNNMODEL"
//	version  uint32   modelFileVersion
//	kind     uint16 length + UTF-8 name of the model kind ("mlp", "deep-ensemble", …)
//	payload  uint64 length + bytes, decoded by the kind's registered decoder
//	checksum uint32   CRC-32 (IEEE) of every preceding byte
//
// A model kind plugs in by implementing savableModel and registering a
// decoder with registerModelKind from an init function.
const (
	modelFileMagic   = "BNNMODEL"
	modelFileVersion = 1
	// modelMaxPayload bounds the payload length a reader accepts (1 GiB).
	modelMaxPayload = 1 << 30
)

// savableModel is a Regressor that SaveModel can write.
type savableModel interface {
	Regressor
	// modelKind names the registered decoder of the payload.
	modelKind() string
	// appendModelPayload appends the model's payload to w.
	appendModelPayload(w *modelWriter)
}

// modelDecoders maps a model kind to the function that rebuilds it from its payload.
var modelDecoders = map[string]func(r *modelReader) (Regressor, error){}

// registerModelKind makes LoadModel decode payloads of kind with dec. It
// panics on a duplicate kind (a programming error caught at init).
func registerModelKind(kind string, dec func(r *modelReader) (Regressor, error)) {
	if _, dup := modelDecoders[kind]; dup {
		panic("bnn: model kind " + kind + " registered twice")
	}
	modelDecoders[kind] = dec
}

// SaveModel writes m to w in the versioned, checksummed model file format.
// It returns ErrInvalidParameter if m is not a model kind this package can
// save (Network, Ensemble, MCDropout, BayesianMLP, BayesianRidge, and the
// calibration wrappers of those), and any error from w.
func SaveModel(w io.Writer, m Regressor) error {
	sm, ok := m.(savableModel)
	if !ok {
		return fmt.Errorf("bnn: save model: %T cannot be saved: %w", m, ErrInvalidParameter)
	}
	if c, ok := m.(calibratedModel); ok { // a wrapper saves only if what it wraps does
		if err := c.checkSavable(0); err != nil {
			return err
		}
	}
	kind := sm.modelKind()
	var p modelWriter
	sm.appendModelPayload(&p)
	b := make([]byte, 0, len(modelFileMagic)+4+2+len(kind)+8+len(p.b)+4)
	b = append(b, modelFileMagic...)
	b = binary.LittleEndian.AppendUint32(b, modelFileVersion)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(kind)))
	b = append(b, kind...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(p.b)))
	b = append(b, p.b...)
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("bnn: save model: %w", err)
	}
	return nil
}

// LoadModel reads one model written by SaveModel from r. It returns
// ErrCorruptModel for a bad magic, checksum, truncation, unknown kind or
// malformed payload, ErrModelVersion for an unsupported format version, and
// otherwise a model whose predictions are bit-identical to the saved one's.
func LoadModel(r io.Reader) (Regressor, error) {
	var head [len(modelFileMagic) + 4 + 2]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, modelReadErr("header", err)
	}
	if string(head[:len(modelFileMagic)]) != modelFileMagic {
		return nil, fmt.Errorf("bnn: load model: bad magic: %w", ErrCorruptModel)
	}
	if v := binary.LittleEndian.Uint32(head[len(modelFileMagic):]); v != modelFileVersion {
		return nil, fmt.Errorf("bnn: load model: format version %d (this build reads %d): %w", v, modelFileVersion, ErrModelVersion)
	}
	kindLen := int(binary.LittleEndian.Uint16(head[len(modelFileMagic)+4:]))
	rest := make([]byte, kindLen+8)
	if _, err := io.ReadFull(r, rest); err != nil {
		return nil, modelReadErr("kind", err)
	}
	kind := string(rest[:kindLen])
	plen := binary.LittleEndian.Uint64(rest[kindLen:])
	if plen > modelMaxPayload {
		return nil, fmt.Errorf("bnn: load model: payload of %d bytes: %w", plen, ErrCorruptModel)
	}
	body, err := io.ReadAll(io.LimitReader(r, int64(plen)+4))
	if err != nil {
		return nil, modelReadErr("payload", err)
	}
	if uint64(len(body)) != plen+4 {
		return nil, fmt.Errorf("bnn: load model: truncated payload: %w", ErrCorruptModel)
	}
	crc := crc32.NewIEEE()
	crc.Write(head[:])
	crc.Write(rest)
	crc.Write(body[:plen])
	if crc.Sum32() != binary.LittleEndian.Uint32(body[plen:]) {
		return nil, fmt.Errorf("bnn: load model: checksum mismatch: %w", ErrCorruptModel)
	}
	dec, ok := modelDecoders[kind]
	if !ok {
		return nil, fmt.Errorf("bnn: load model: unknown model kind %q: %w", kind, ErrCorruptModel)
	}
	mr := &modelReader{b: body[:plen]}
	m, err := dec(mr)
	if err == nil && mr.err == nil && len(mr.b) != 0 {
		err = fmt.Errorf("%d trailing bytes", len(mr.b))
	}
	if err == nil {
		err = mr.err
	}
	if err != nil {
		if errors.Is(err, ErrCorruptModel) || errors.Is(err, ErrModelVersion) {
			return nil, fmt.Errorf("bnn: load model: %s: %w", kind, err)
		}
		return nil, fmt.Errorf("bnn: load model: %s: %v: %w", kind, err, ErrCorruptModel)
	}
	return m, nil
}

func modelReadErr(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("bnn: load model: truncated %s: %w", what, ErrCorruptModel)
	}
	return fmt.Errorf("bnn: load model: reading %s: %w", what, err)
}

// modelWriter appends little-endian values to a payload.
type modelWriter struct{ b []byte }

func (w *modelWriter) u8(v uint8)   { w.b = append(w.b, v) }
func (w *modelWriter) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }
func (w *modelWriter) u64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *modelWriter) f64(v float64) {
	w.u64(math.Float64bits(v))
}

func (w *modelWriter) f64s(v []float64) {
	for _, x := range v {
		w.f64(x)
	}
}

func (w *modelWriter) f32s(v []float32) {
	for _, x := range v {
		w.u32(math.Float32bits(x))
	}
}

// modelReader consumes a payload; the first short read sets err (sticky)
// and every later read returns zeros.
type modelReader struct {
	b   []byte
	err error
}

func (r *modelReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = fmt.Errorf("payload truncated: %w", ErrCorruptModel)
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *modelReader) u8() uint8 {
	if s := r.take(1); s != nil {
		return s[0]
	}
	return 0
}

func (r *modelReader) u32() uint32 {
	if s := r.take(4); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}

func (r *modelReader) u64() uint64 {
	if s := r.take(8); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (r *modelReader) f64() float64 { return math.Float64frombits(r.u64()) }

// fits reports whether n elements of size bytes remain, setting err if not
// (so callers can check before allocating).
func (r *modelReader) fits(n, size int) bool {
	if r.err == nil && (n < 0 || n > len(r.b)/size) {
		r.err = fmt.Errorf("payload truncated: %w", ErrCorruptModel)
	}
	return r.err == nil
}

func (r *modelReader) f64s(n int) []float64 {
	if !r.fits(n, 8) {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = r.f64()
	}
	return v
}

func (r *modelReader) f32sInto(v []float32) {
	if !r.fits(len(v), 4) {
		return
	}
	for i := range v {
		v[i] = math.Float32frombits(r.u32())
	}
}

// corrupt sets err (if unset) to a malformed-payload error.
func (r *modelReader) corrupt(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrCorruptModel)
	}
}

// Model kinds of this package's savable models.
const (
	modelKindNetwork  = "mlp"
	modelKindEnsemble = "deep-ensemble"
	modelKindDropout  = "mc-dropout"
	modelKindBBB      = "bayes-by-backprop"
)

func init() {
	registerModelKind(modelKindNetwork, func(r *modelReader) (Regressor, error) { return decodeNetwork(r) })
	registerModelKind(modelKindEnsemble, decodeEnsemble)
	registerModelKind(modelKindDropout, decodeMCDropout)
	registerModelKind(modelKindBBB, func(r *modelReader) (Regressor, error) {
		m, err := decodeBBBPayload(r.take(len(r.b)))
		if err != nil {
			return nil, err
		}
		return m, nil
	})
}

// The Bayes-by-Backprop network plugs its own payload codec (bbb_codec.go) into the container.
func (m *BayesianMLP) modelKind() string { return modelKindBBB }

func (m *BayesianMLP) appendModelPayload(w *modelWriter) { w.b = append(w.b, m.encodeBBBPayload()...) }
