package bnn

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The BayesianMLP's parameter payload, for the model-file container. Layout
// (little-endian): version u8 = 1, activation u8, prior kind u8 (0 Gaussian,
// 1 scale mixture), prior f64×3 (scale, 0, 0 or π, σ₁, σ₂), noise std f64,
// seed u64, predictive samples u32, layer count+1 u32, widths u32 each
// (inputs, hidden…, 1), then μ and ρ of every weight and bias as f32.
// Version 2 (a model with a standardisation) appends the input means and
// scales (f64 per input each) and the target mean and scale (f64); a model
// without one is still written as version 1, and both versions load.

const (
	bbbPayloadVersion       = 1
	bbbPayloadVersionScaled = 2
)

// encodeBBBPayload returns m's payload.
func (m *BayesianMLP) encodeBBBPayload() []byte {
	b := make([]byte, 0, 64+4*len(m.Layers)+8*m.nw)
	version := byte(bbbPayloadVersion)
	if m.scale != nil {
		version = bbbPayloadVersionScaled
	}
	b = append(b, version, byte(m.Activation))
	p := m.Prior
	if p.mixture {
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.pi))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.s1))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.s2))
	} else {
		b = append(b, 0)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.scale))
		b = binary.LittleEndian.AppendUint64(b, 0)
		b = binary.LittleEndian.AppendUint64(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.NoiseStd))
	b = binary.LittleEndian.AppendUint64(b, m.Seed)
	b = binary.LittleEndian.AppendUint32(b, uint32(m.PredictSamples))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.Layers)+1))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.Layers[0].In))
	for _, l := range m.Layers {
		b = binary.LittleEndian.AppendUint32(b, uint32(l.Out))
	}
	for _, v := range m.params[:2*m.nw] {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	if sc := m.scale; sc != nil {
		for _, v := range append(append(append([]float64(nil), sc.inMean...), sc.inScale...), sc.yMean, sc.yScale) {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b
}

// decodeBBBPayload rebuilds a BayesianMLP from encodeBBBPayload's bytes. It
// returns ErrModelVersion for another payload version and ErrCorruptModel for
// truncated, oversized or inconsistent bytes or invalid values.
func decodeBBBPayload(b []byte) (*BayesianMLP, error) {
	corrupt := func(what string) error { return fmt.Errorf("bnn: bnn payload: %s: %w", what, ErrCorruptModel) }
	const head = 3 + 8*5 + 4 + 4
	if len(b) < head {
		return nil, corrupt(fmt.Sprintf("%d bytes", len(b)))
	}
	if b[0] != bbbPayloadVersion && b[0] != bbbPayloadVersionScaled {
		return nil, fmt.Errorf("bnn: bnn payload: version %d: %w", b[0], ErrModelVersion)
	}
	le := binary.LittleEndian
	f64 := func(off int) float64 { return math.Float64frombits(le.Uint64(b[off:])) }
	m := &BayesianMLP{Activation: Activation(b[1])}
	if !m.Activation.valid() {
		return nil, corrupt("activation")
	}
	var err error
	switch b[2] {
	case 0:
		m.Prior, err = GaussianPrior(f64(3))
		if le.Uint64(b[11:]) != 0 || le.Uint64(b[19:]) != 0 { // unused: written as zeros
			err = ErrInvalidParameter
		}
	case 1:
		m.Prior, err = ScaleMixturePrior(f64(3), f64(11), f64(19))
	default:
		err = ErrInvalidParameter
	}
	if err != nil {
		return nil, corrupt("prior")
	}
	m.NoiseStd = f64(27)
	if !(m.NoiseStd > 0) || math.IsInf(m.NoiseStd, 1) {
		return nil, corrupt("noise std")
	}
	m.Seed = le.Uint64(b[35:])
	ps := le.Uint32(b[43:])
	nwidth := le.Uint32(b[47:])
	if ps < 1 || ps > 1<<24 || nwidth < 2 || nwidth > 1<<10 || uint64(len(b)) < head+4*uint64(nwidth) {
		return nil, corrupt("header")
	}
	m.PredictSamples = int(ps)
	widths := make([]int, nwidth)
	nw := uint64(0)
	for i := range widths {
		w := le.Uint32(b[head+4*i:])
		if w < 1 || w > 1<<20 {
			return nil, corrupt(fmt.Sprintf("width %d is %d", i, w))
		}
		widths[i] = int(w)
		if i > 0 {
			nw += uint64(widths[i-1])*uint64(w) + uint64(w)
		}
	}
	if widths[len(widths)-1] != 1 {
		return nil, corrupt("output width")
	}
	off := head + 4*int(nwidth)
	scaleBytes := 0
	if b[0] == bbbPayloadVersionScaled {
		scaleBytes = 8 * (2*widths[0] + 2)
	}
	if uint64(len(b)-off) != 8*nw+uint64(scaleBytes) {
		return nil, corrupt(fmt.Sprintf("%d parameter bytes for %d weights", len(b)-off, nw))
	}
	m.setShape(widths)
	for i := range m.params {
		v := math.Float32frombits(le.Uint32(b[off+4*i:]))
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, corrupt(fmt.Sprintf("parameter %d is %v", i, v))
		}
		m.params[i] = v
	}
	if scaleBytes > 0 {
		in := widths[0]
		p := off + 8*int(nw)
		v := make([]float64, 2*in+2)
		for i := range v {
			v[i] = f64(p + 8*i)
		}
		sc := &nnScaler{inMean: v[:in:in], inScale: v[in : 2*in : 2*in], yMean: v[2*in], yScale: v[2*in+1]}
		for j := range in {
			if !nnFiniteScale(sc.inMean[j], sc.inScale[j]) {
				return nil, corrupt(fmt.Sprintf("input %d scaling", j))
			}
		}
		if !nnFiniteScale(sc.yMean, sc.yScale) {
			return nil, corrupt("target scaling")
		}
		m.scale = sc
	}
	return m, nil
}
