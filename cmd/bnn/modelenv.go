package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/gobnn/bnn"
)

// A model file written by "bnn fit" is a one-line text header, one line of
// JSON metadata (the method, the feature and target column names, and any
// standardisation the command applied), then the library's own model file
// (bnn.SaveModel). "bnn predict" also accepts a bare library model file.
const (
	cliModelMagic   = "bnn-cli-model"
	cliModelVersion = 1
	libraryMagic    = "BNNMODEL"
)

// modelMeta is the metadata line of a CLI model file.
type modelMeta struct {
	Method   string    `json:"method"`
	Target   string    `json:"target"`
	Features []string  `json:"features"`
	Rows     int       `json:"trained_rows"`
	XMean    []float64 `json:"x_mean,omitempty"` // standardisation done by the command (bbb)
	XScale   []float64 `json:"x_scale,omitempty"`
	YMean    float64   `json:"y_mean,omitempty"`
	YScale   float64   `json:"y_scale,omitempty"`
}

// saveCLIModel writes the header, meta and model to path.
func saveCLIModel(path string, meta *modelMeta, m bnn.Regressor) error {
	var body bytes.Buffer
	if err := bnn.SaveModel(&body, m); err != nil {
		return err
	}
	js, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("bnn: encode model metadata: %w", err)
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "%s %d\n", cliModelMagic, cliModelVersion)
	out.Write(js)
	out.WriteByte('\n')
	out.Write(body.Bytes())
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		return fmt.Errorf("bnn: write model: %w", err)
	}
	return nil
}

// loadCLIModel reads a model file written by saveCLIModel or bnn.SaveModel.
// For a bare library file the metadata is nil.
func loadCLIModel(path string) (*modelMeta, bnn.Regressor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("bnn: read model: %w", err)
	}
	defer f.Close()
	return parseCLIModel(path, f)
}

// parseCLIModel decodes a model file from r; path names it in errors.
func parseCLIModel(path string, r io.Reader) (*modelMeta, bnn.Regressor, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(len(libraryMagic))
	if err == nil && string(head) == libraryMagic {
		m, err := bnn.LoadModel(br)
		if err != nil {
			return nil, nil, fmt.Errorf("bnn: %s: %w", path, err)
		}
		return nil, m, nil
	}
	line, err := readHeaderLine(br)
	if err != nil {
		return nil, nil, fmt.Errorf("bnn: %s: %w", path, err)
	}
	magic, ver, ok := strings.Cut(line, " ")
	if !ok || magic != cliModelMagic {
		return nil, nil, fmt.Errorf("bnn: %s: not a bnn model file: %w", path, bnn.ErrCorruptModel)
	}
	v, err := strconv.Atoi(ver)
	if err != nil {
		return nil, nil, fmt.Errorf("bnn: %s: bad model file header %q: %w", path, line, bnn.ErrCorruptModel)
	}
	if v != cliModelVersion {
		return nil, nil, fmt.Errorf("bnn: %s: model file version %d, this bnn reads version %d: %w", path, v, cliModelVersion, bnn.ErrModelVersion)
	}
	metaLine, err := readHeaderLine(br)
	if err != nil {
		return nil, nil, fmt.Errorf("bnn: %s: %w", path, err)
	}
	meta := &modelMeta{}
	if err := json.Unmarshal([]byte(metaLine), meta); err != nil {
		return nil, nil, fmt.Errorf("bnn: %s: bad model metadata: %v: %w", path, err, bnn.ErrCorruptModel)
	}
	m, err := bnn.LoadModel(br)
	if err != nil {
		return nil, nil, fmt.Errorf("bnn: %s: %w", path, err)
	}
	if err := meta.check(m); err != nil {
		return nil, nil, fmt.Errorf("bnn: %s: %w", path, err)
	}
	return meta, m, nil
}

// readHeaderLine reads one newline-terminated header line of bounded length.
func readHeaderLine(br *bufio.Reader) (string, error) {
	const maxLine = 1 << 20
	var b []byte
	for {
		chunk, err := br.ReadSlice('\n')
		b = append(b, chunk...)
		if len(b) > maxLine {
			return "", fmt.Errorf("model header line longer than %d bytes: %w", maxLine, bnn.ErrCorruptModel)
		}
		if err == nil {
			return strings.TrimSuffix(string(b), "\n"), nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("truncated model header: %w", bnn.ErrCorruptModel)
		}
		return "", err
	}
}

// check verifies that the metadata agrees with the model.
func (m *modelMeta) check(r bnn.Regressor) error {
	if len(m.Features) != r.InputDim() {
		return fmt.Errorf("metadata lists %d features for a model of %d inputs: %w", len(m.Features), r.InputDim(), bnn.ErrCorruptModel)
	}
	if m.XMean != nil && (len(m.XMean) != len(m.Features) || len(m.XScale) != len(m.Features) || !(m.YScale > 0)) {
		return fmt.Errorf("metadata standardisation does not match %d features: %w", len(m.Features), bnn.ErrCorruptModel)
	}
	for _, s := range m.XScale {
		if !(s > 0) {
			return fmt.Errorf("metadata has a non-positive feature scale: %w", bnn.ErrCorruptModel)
		}
	}
	return nil
}
