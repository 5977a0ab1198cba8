package bnn

import (
	"context"
	"fmt"
	"math"
)

// targetScale returns the model's target mean and scale (0, 1 without scaling).
func (m *BayesianMLP) targetScale() (mean, scale float64) {
	if m.scale == nil {
		return 0, 1
	}
	return m.scale.yMean, m.scale.yScale
}

// Scaling returns the model's standardisation: the per-feature means and
// scales and the target mean and scale (standardised = (raw − mean)/scale),
// or ok = false for a model that works in the units it is given. The
// slices are copies.
func (m *BayesianMLP) Scaling() (inMean, inScale []float64, yMean, yScale float64, ok bool) {
	if m.scale == nil {
		return nil, nil, 0, 1, false
	}
	s := m.scale
	return append([]float64(nil), s.inMean...), append([]float64(nil), s.inScale...), s.yMean, s.yScale, true
}

// TrainBayesianMLP builds a Bayesian MLP from net (net.Inputs is set to
// dim), fits the standardisation cfg.Scaling asks for on the rows of x
// (row-major, dim columns) and y and stores it in the model, and trains it
// with cfg (see BayesianMLP.Train and Validation). net.NoiseStd is in
// target units, and 0 means half the target's standard deviation; the
// prior applies to the standardised problem. Errors are
// those of NewBayesianMLP and Train, and ErrShape, ErrEmpty or ErrNonFinite
// (naming the row) for bad data.
func TrainBayesianMLP(ctx context.Context, x []float64, dim int, y []float64, net BNNConfig, cfg BBBConfig) (*BayesianMLP, error) {
	n, err := checkRegressionData(x, dim, y)
	if err != nil {
		return nil, fmt.Errorf("bnn: bayes by backprop: %w", err)
	}
	if cfg.Scaling > ScaleNone {
		return nil, fmt.Errorf("bnn: bayes by backprop: scaling %d: %w", cfg.Scaling, ErrInvalidParameter)
	}
	if err := cfg.Validation.validate("bayes by backprop", n, dim); err != nil {
		return nil, err
	}
	sc := fitNNScaler(x, dim, y, cfg.Scaling)
	net.Inputs = dim
	if net.NoiseStd == 0 {
		net.NoiseStd = 0.5 * sc.yScale
	}
	m, err := NewBayesianMLP(net)
	if err != nil {
		return nil, err
	}
	m.scale = &sc
	if _, err := m.Train(ctx, x, y, cfg); err != nil {
		return nil, err
	}
	return m, nil
}

// bbbValDraws is the number of weight draws of each held-out evaluation
// during training, and bbbNoiseDraws of the final noise fit.
const (
	bbbValDraws   = 16
	bbbNoiseDraws = 200
)

// trainScaled is Train for a model with a standardisation or held-out rows:
// it standardises the data (the noise std is kept in target units outside),
// splits off the held-out rows, trains with early stopping on their NLL,
// and re-fits a learned noise level on them.
func (m *BayesianMLP) trainScaled(ctx context.Context, x, y []float64, cfg BBBConfig) ([]float64, error) {
	in := m.InputDim()
	n, err := checkRegressionData(x, in, y)
	if err != nil {
		return nil, fmt.Errorf("bnn: bayes by backprop: %w", err)
	}
	if err := cfg.Validation.validate("bayes by backprop", n, in); err != nil {
		return nil, err
	}
	sc := nnScaler{inMean: make([]float64, in), inScale: make([]float64, in), yScale: 1}
	for j := range sc.inScale {
		sc.inScale[j] = 1
	}
	if m.scale != nil {
		sc = *m.scale
	}
	std := func(x, y []float64) (xs, ys []float64) {
		xs, ys = make([]float64, len(x)), make([]float64, len(y))
		for i, v := range x {
			xs[i] = (v - sc.inMean[i%in]) / sc.inScale[i%in]
		}
		for i, v := range y {
			ys[i] = (v - sc.yMean) / sc.yScale
		}
		return xs, ys
	}
	xs, ys := std(x, y)
	var xv, yv []float64
	v := &cfg.Validation
	switch {
	case len(v.Y) > 0:
		xv, yv = std(v.X, v.Y)
	case v.Fraction > 0:
		tr, va := validationSplit(n, v.heldOut(n), cfg.Seed)
		xv, yv = gatherRows(xs, ys, in, va)
		xs, ys = gatherRows(xs, ys, in, tr)
	}
	// The trainer works in standardised units, the model's NoiseStd in target units.
	m.NoiseStd /= sc.yScale
	defer func() { m.NoiseStd *= sc.yScale }()
	if yv == nil {
		return m.trainRaw(ctx, xs, ys, cfg)
	}
	return m.trainHeldOut(ctx, xs, ys, xv, yv, cfg)
}

// trainHeldOut trains on (x, y), scores the held-out rows (xv, yv) after
// every epoch by the NLL of the predictive N(mean, epistemic + noise²) over
// bbbValDraws common draws, stops after Patience epochs without
// improvement, restores the best epoch's parameters and, with LearnNoise,
// re-fits the noise on the held-out rows. All in standardised units.
func (m *BayesianMLP) trainHeldOut(ctx context.Context, x, y, xv, yv []float64, cfg BBBConfig) ([]float64, error) {
	t, err := newBBBTrainer(m, x, y, cfg)
	if err != nil {
		return nil, err
	}
	defer t.close()
	ev := newBBBHeldOut(m, xv, yv)
	best := make([]float32, len(t.pv))
	bestScore, bestEpoch := math.Inf(1), 0
	hist := make([]float64, 0, cfg.Epochs)
	for e := range cfg.Epochs {
		if err := ctx.Err(); err != nil {
			return hist, fmt.Errorf("bnn: bayes by backprop: stopped before epoch %d: %w", e+1, context.Cause(ctx))
		}
		loss := t.epoch()
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return hist, fmt.Errorf("bnn: bayes by backprop: loss %g at epoch %d: %w", loss, e+1, ErrDiverged)
		}
		hist = append(hist, loss)
		if cfg.Progress != nil {
			cfg.Progress(e+1, loss)
		}
		noise := m.NoiseStd
		if cfg.LearnNoise {
			noise = math.Exp(float64(t.pv[2*m.nw]))
		}
		if s := ev.nll(m, noise, bbbValDraws); s < bestScore {
			bestScore, bestEpoch = s, e+1
			copy(best, t.pv)
		} else if cfg.Validation.stop(e+1, bestEpoch) {
			break
		}
	}
	if bestEpoch > 0 {
		copy(t.pv, best)
	}
	t.finish()
	if cfg.LearnNoise {
		r2, epi := ev.moments(m, bbbNoiseDraws)
		ale := make([]float64, len(r2))
		for i := range ale {
			ale[i] = m.NoiseStd * m.NoiseStd
		}
		m.NoiseStd *= math.Sqrt(fitNoiseFactor(r2, epi, ale))
	}
	return hist, nil
}

// bbbHeldOut scores a BayesianMLP on held-out rows without allocating per call.
type bbbHeldOut struct {
	x          []float32
	y          []float64
	sigma, ds  []float32
	p          *bbbPredictor
	out        []float32
	sum, sumSq []float64
	r2, epi    []float64
}

func newBBBHeldOut(m *BayesianMLP, x, y []float64) *bbbHeldOut {
	h := &bbbHeldOut{x: make([]float32, len(x)), y: y, sigma: make([]float32, m.nw), ds: make([]float32, m.nw),
		p: m.newBBBPredictor(len(y)), out: make([]float32, len(y)), sum: make([]float64, len(y)), sumSq: make([]float64, len(y)),
		r2: make([]float64, len(y)), epi: make([]float64, len(y))}
	for i, v := range x {
		h.x[i] = float32(v)
	}
	return h
}

// moments returns the squared residuals of the predictive mean and the
// epistemic variances (unbiased, over draws weight samples from a fixed
// stream), in slices h owns until the next call. It allocates nothing.
func (h *bbbHeldOut) moments(m *BayesianMLP, draws int) (r2, epi []float64) {
	bbbSoftplusSlice(h.sigma, h.ds, m.params[m.nw:2*m.nw])
	clear(h.sum)
	clear(h.sumSq)
	for s := range draws {
		h.p.draw(m, h.sigma, h.x, h.out, nnStreamValid, s)
		for i, v := range h.out {
			h.sum[i] += float64(v)
			h.sumSq[i] += float64(v) * float64(v)
		}
	}
	r2, epi = h.r2, h.epi
	d := float64(draws)
	for i, y := range h.y {
		mu := h.sum[i] / d
		r2[i] = (mu - y) * (mu - y)
		epi[i] = 0
		if draws > 1 {
			epi[i] = max(h.sumSq[i]-d*mu*mu, 0) / (d - 1)
		}
	}
	return r2, epi
}

// nll returns the mean held-out Gaussian NLL (without the constant) of the
// predictive with noise std noise.
func (h *bbbHeldOut) nll(m *BayesianMLP, noise float64, draws int) float64 {
	r2, epi := h.moments(m, draws)
	var s float64
	for i := range r2 {
		v := epi[i] + noise*noise
		s += 0.5 * (math.Log(v) + r2[i]/v)
	}
	return s / float64(len(r2))
}
