package bnn

import (
	"fmt"
	"math"
)

// The Network payload of the model file (modelfile.go): layer widths,
// activation, dropout, loss, noise variance, scaler and parameters.

func (net *Network) modelKind() string { return modelKindNetwork }

// appendModelPayload writes the layer widths, activation, dropout
// probability, loss, noise variance, scaler and parameters.
func (net *Network) appendModelPayload(w *modelWriter) {
	m := net.mlp
	w.u32(uint32(len(m.sizes)))
	for _, s := range m.sizes {
		w.u32(uint32(s))
	}
	w.u8(uint8(m.act))
	w.u32(math.Float32bits(m.dropout))
	w.u8(uint8(net.loss))
	w.f64(net.noiseVar)
	w.f64s(net.scale.inMean)
	w.f64s(net.scale.inScale)
	w.f64(net.scale.yMean)
	w.f64(net.scale.yScale)
	w.f32s(m.params)
}

// nnMaxLayerWidth bounds a decoded layer width.
const nnMaxLayerWidth = 1 << 20

func decodeNetwork(r *modelReader) (*Network, error) {
	nl := int(r.u32())
	if !r.fits(nl, 4) {
		return nil, r.err
	}
	if nl < 2 {
		return nil, fmt.Errorf("%d layer sizes: %w", nl, ErrCorruptModel)
	}
	sizes := make([]int, nl)
	for i := range sizes {
		sizes[i] = int(r.u32())
		if sizes[i] < 1 || sizes[i] > nnMaxLayerWidth {
			return nil, fmt.Errorf("layer width %d: %w", sizes[i], ErrCorruptModel)
		}
	}
	cfg := MLPConfig{Inputs: sizes[0], Hidden: sizes[1 : nl-1], Outputs: sizes[nl-1]}
	cfg.Activation = Activation(r.u8())
	cfg.Dropout = float64(math.Float32frombits(r.u32()))
	loss := Loss(r.u8())
	noiseVar := r.f64()
	if r.err != nil {
		return nil, r.err
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrCorruptModel)
	}
	if want := map[Loss]int{LossMSE: 1, LossGaussian: 2}[loss]; want == 0 || want != cfg.Outputs {
		return nil, fmt.Errorf("loss %d with %d outputs: %w", loss, cfg.Outputs, ErrCorruptModel)
	}
	if !(noiseVar >= 0) || math.IsInf(noiseVar, 0) {
		return nil, fmt.Errorf("noise variance %v: %w", noiseVar, ErrCorruptModel)
	}
	sc := nnScaler{inMean: r.f64s(cfg.Inputs), inScale: r.f64s(cfg.Inputs), yMean: r.f64(), yScale: r.f64()}
	if r.err != nil {
		return nil, r.err
	}
	for j := range sc.inMean {
		if !nnFiniteScale(sc.inMean[j], sc.inScale[j]) {
			return nil, fmt.Errorf("input %d scaling: %w", j, ErrCorruptModel)
		}
	}
	if !nnFiniteScale(sc.yMean, sc.yScale) {
		return nil, fmt.Errorf("target scaling: %w", ErrCorruptModel)
	}
	// Check the parameter count against the remaining bytes before allocating.
	count := 0
	for l := 0; l+1 < nl; l++ {
		count += sizes[l]*sizes[l+1] + sizes[l+1]
		if !r.fits(count, 4) {
			return nil, r.err
		}
	}
	m := newMLPShape(cfg)
	r.f32sInto(m.params)
	if r.err != nil {
		return nil, r.err
	}
	for i, v := range m.params {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("parameter %d is %v: %w", i, v, ErrCorruptModel)
		}
	}
	return &Network{mlp: m, scale: sc, loss: loss, noiseVar: noiseVar}, nil
}

func nnFiniteScale(mean, scale float64) bool {
	return !math.IsNaN(mean) && !math.IsInf(mean, 0) && scale > 0 && !math.IsInf(scale, 0)
}
