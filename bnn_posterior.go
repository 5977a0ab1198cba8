package bnn

import (
	"fmt"
	"math"
)

// BNNPosteriorConfig describes the Bayesian MLP whose weight posterior
// BNNPosterior evaluates. The zero value is the seed's model.
type BNNPosteriorConfig struct {
	// Hidden holds the hidden-layer widths (each ≥ 1); nil means the seed's
	// {64, 64}.
	Hidden []int
	// Activation is the hidden layers' nonlinearity; the zero value is the
	// seed's Tanh.
	Activation Activation
	// PriorStd is the std of the independent N(0, PriorStd²) prior on every
	// weight and bias (> 0); 0 means 1.
	PriorStd float64
	// NoiseStd is the known Gaussian noise std σ of the targets (> 0), in
	// their units; 0 means the seed's 0.05.
	NoiseStd float64
}

// BNNPosterior is the full-batch weight posterior of a Bayesian MLP with
// one output and known Gaussian noise:
//
//	log p(θ | D) = Σᵢ log N(yᵢ; f(xᵢ; θ), σ²) + Σⱼ log N(θⱼ; 0, τ²) + const,
//
// θ laid out as MLP.Params (per layer: the fan_in×fan_out weights, then the
// biases). The network arithmetic runs on the package's float32 kernels
// (the forward and backward passes of MLP); residuals, the energy and the
// prior are accumulated in float64. This is the model of Stan's bnn.stan
// for the seed (Neal 1996, Bayesian Learning for Neural Networks).
type BNNPosterior struct {
	cfg        MLPConfig
	x          []float32 // n×inputs
	y          []float64
	n          int
	sigma, tau float64
	dim        int
	logConst   float64
}

// NewBNNPosterior returns the posterior for inputs x (n rows of
// len(x)/len(y) features, row-major) and targets y. It copies x and y. It
// returns ErrEmpty for no rows, ErrShape when len(x) is not a positive
// multiple of len(y), ErrNonFinite naming the first NaN/±Inf entry (or one
// outside float32's range), and ErrInvalidParameter for bad widths or
// non-positive or non-finite PriorStd or NoiseStd.
func NewBNNPosterior(x, y []float64, cfg BNNPosteriorConfig) (*BNNPosterior, error) {
	if len(y) == 0 {
		return nil, fmt.Errorf("bnn: bnn posterior: no targets: %w", ErrEmpty)
	}
	if len(x) == 0 || len(x)%len(y) != 0 {
		return nil, fmt.Errorf("bnn: bnn posterior: %d inputs for %d targets: %w", len(x), len(y), ErrShape)
	}
	hidden := cfg.Hidden
	if hidden == nil {
		hidden = []int{64, 64}
	}
	act := cfg.Activation
	sigma, tau := cfg.NoiseStd, cfg.PriorStd
	if sigma == 0 {
		sigma = 0.05
	}
	if tau == 0 {
		tau = 1
	}
	if !(sigma > 0) || math.IsInf(sigma, 0) || !(tau > 0) || math.IsInf(tau, 0) {
		return nil, fmt.Errorf("bnn: bnn posterior: noise std %g, prior std %g: %w", sigma, tau, ErrInvalidParameter)
	}
	mc := MLPConfig{Inputs: len(x) / len(y), Hidden: append([]int(nil), hidden...), Outputs: 1, Activation: act}
	if err := mc.validate(); err != nil {
		return nil, err
	}
	p := &BNNPosterior{cfg: mc, n: len(y), sigma: sigma, tau: tau, y: append([]float64(nil), y...)}
	p.x = make([]float32, len(x))
	for i, v := range x {
		p.x[i] = float32(v)
		if odeFirstNonFinite(x[i:i+1]) >= 0 || math.IsInf(float64(p.x[i]), 0) {
			return nil, fmt.Errorf("bnn: bnn posterior: input %d (row %d) is %g: %w", i, i/mc.Inputs, v, ErrNonFinite)
		}
	}
	if i := odeFirstNonFinite(y); i >= 0 {
		return nil, fmt.Errorf("bnn: bnn posterior: target %d is %g: %w", i, y[i], ErrNonFinite)
	}
	sizes := append(append([]int{mc.Inputs}, mc.Hidden...), 1)
	p.dim = mlpParamCount(sizes)
	l2pi := math.Log(2 * math.Pi)
	p.logConst = -float64(p.n)*(math.Log(sigma)+0.5*l2pi) - float64(p.dim)*(math.Log(tau)+0.5*l2pi)
	return p, nil
}

// SeedBNNTime maps time t in seconds to the seed's network input 2t/6 − 1
// ([0, 6] s onto [−1, 1]), as in Stan's bnn.stan run.
func SeedBNNTime(t float64) float64 { return 2*t/6 - 1 }

// SeedBNNPosterior returns the seed's BNN posterior for its 60 measurements
// x at t = linspace(0, 6, 60) s, on normalised time (SeedBNNTime), with the
// widths, priors and noise of cfg (zero: the seed's 1-64-64-1 tanh network,
// N(0, 1) priors, σ = 0.05). It returns the errors of NewBNNPosterior.
func SeedBNNPosterior(x []float64, cfg BNNPosteriorConfig) (*BNNPosterior, error) {
	t := make([]float64, len(x))
	for i := range t {
		t[i] = SeedBNNTime(6 * float64(i) / float64(max(1, len(x)-1)))
	}
	return NewBNNPosterior(t, x, cfg)
}

// SeedBNNEvalInputs returns the 33 normalised evaluation inputs of Stan's
// function-space diagnostics: t = linspace(0, 8, 33) s, the first 25 in the
// training window [0, 6] s.
func SeedBNNEvalInputs() []float64 {
	u := make([]float64, 33)
	for i := range u {
		u[i] = SeedBNNTime(8 * float64(i) / 32)
	}
	return u
}

// Dim returns the number of weights and biases.
func (p *BNNPosterior) Dim() int { return p.dim }

// Inputs returns the number of features per input row.
func (p *BNNPosterior) Inputs() int { return p.cfg.Inputs }

// bnnEval is one goroutine's workspace: a network whose float32 parameters
// receive θ, and the forward/backward buffers.
type bnnEval struct {
	p     *BNNPosterior
	mlp   *MLP
	wk    *mlpWork
	fused *mlp2Work // the 1-h₁-h₂-1 tanh network's fused gradient (bnn_mlp2.go), or nil
}

func (p *BNNPosterior) newEval(rows int) *bnnEval {
	m := newMLPShape(p.cfg)
	return &bnnEval{p: p, mlp: m, wk: newMLPWork(m, rows, gaussRNG{})}
}

// NewLogJoint returns the log posterior density (nats, normalised prior and
// likelihood constants included) and its gradient as a LogJoint over
// float64 θ of length Dim. Each call makes a workspace of its own, so give
// each chain (goroutine) its own LogJoint; evaluations allocate nothing.
// θ is rounded to float32 for the network; the gradient of the likelihood
// comes from float32 back-propagation, the prior's in float64. A θ or grad
// of the wrong length, or a non-finite θ, returns NaN with a zeroed
// gradient (a sampler rejects it).
func (p *BNNPosterior) NewLogJoint() LogJoint {
	e := p.newEval(p.n)
	e.fused = newMLP2Work(p.cfg, p.x)
	return e.logJoint
}

func (e *bnnEval) logJoint(theta, grad []float64) float64 {
	p := e.p
	if len(theta) != p.dim || len(grad) != p.dim {
		clear(grad)
		return math.NaN()
	}
	params := e.mlp.params[:len(theta)]
	prior := paramsFromTheta(params, theta)
	if prior-prior != 0 {
		clear(grad)
		return math.NaN()
	}
	n := p.n
	inv2 := 1 / (p.sigma * p.sigma)
	itau2 := 1 / (p.tau * p.tau)
	var ss, gBias float64
	if w := e.fused; w != nil && w.active() {
		f := w.forward(params)
		b3 := params[len(params)-1]
		d := w.d[:n]
		y := p.y[:n]
		for i, fi := range f[:n] {
			r := y[i] - float64(fi+b3)
			ss += r * r
			gBias += r
			d[i] = float32(-r * inv2) // ∂(−log L)/∂f
		}
		w.backward(params, e.wk.grad)
		e.wk.grad[len(params)-1] = 0
		gBias *= inv2
	} else {
		out := e.mlp.forward(e.wk, p.x, n, false)
		dout := e.wk.dout[:n]
		for i, f := range out[:n] {
			r := p.y[i] - float64(f)
			ss += r * r
			dout[i] = float32(-r * inv2) // ∂(−log L)/∂f
		}
		e.mlp.backward(e.wk, n)
	}
	gradFromLoss(grad, e.wk.grad, theta, itau2)
	grad[len(grad)-1] += gBias
	return p.logConst - 0.5*ss*inv2 - 0.5*prior*itau2
}

// BNNPredictor evaluates the noise-free network f(x; θ) for draws of θ,
// e.g. for R̂ and ESS of the predictions (function-space diagnostics, which
// the weights' permutation and sign symmetries do not confound). It owns a
// workspace: not safe for concurrent use.
type BNNPredictor struct {
	p *BNNPosterior
	e *bnnEval
	x []float32
}

// NewPredictor returns a predictor at the inputs x (rows of Inputs
// features, on the posterior's input scale). It returns ErrEmpty, ErrShape
// or ErrNonFinite (naming the entry) for bad inputs.
func (p *BNNPosterior) NewPredictor(x []float64) (*BNNPredictor, error) {
	d := p.cfg.Inputs
	if len(x) == 0 {
		return nil, fmt.Errorf("bnn: bnn predictor: no inputs: %w", ErrEmpty)
	}
	if len(x)%d != 0 {
		return nil, fmt.Errorf("bnn: bnn predictor: %d inputs for rows of %d: %w", len(x), d, ErrShape)
	}
	xs := make([]float32, len(x))
	for i, v := range x {
		xs[i] = float32(v)
		if odeFirstNonFinite(x[i:i+1]) >= 0 || math.IsInf(float64(xs[i]), 0) {
			return nil, fmt.Errorf("bnn: bnn predictor: input %d is %g: %w", i, v, ErrNonFinite)
		}
	}
	return &BNNPredictor{p: p, e: p.newEval(len(x) / d), x: xs}, nil
}

// Len returns the number of evaluation rows.
func (r *BNNPredictor) Len() int { return len(r.x) / r.p.cfg.Inputs }

// PredictTo writes f(xₖ; θ) for every evaluation row k into dst[k] for one
// θ. It returns ErrShape for len(theta) != Dim or len(dst) != Len, and
// ErrNonFinite naming the first non-finite parameter.
func (r *BNNPredictor) PredictTo(dst, theta []float64) error {
	if len(theta) != r.p.dim || len(dst) != r.Len() {
		return fmt.Errorf("bnn: bnn predictor: len(theta) = %d, len(dst) = %d, want %d and %d: %w", len(theta), len(dst), r.p.dim, r.Len(), ErrShape)
	}
	if i := odeFirstNonFinite(theta); i >= 0 {
		return fmt.Errorf("bnn: bnn predictor: parameter %d is %g: %w", i, theta[i], ErrNonFinite)
	}
	params := r.e.mlp.params
	for i, v := range theta {
		params[i] = float32(v)
	}
	out := r.e.mlp.forward(r.e.wk, r.x, len(dst), false)
	for k := range dst {
		dst[k] = float64(out[k])
	}
	return nil
}

// PredictDrawsTo evaluates PredictTo for the draws in the row-major
// draws×Dim matrix draws and writes the draws×Len predictions into dst. It
// returns ErrShape for inconsistent lengths and the errors of PredictTo.
func (r *BNNPredictor) PredictDrawsTo(dst, draws []float64) error {
	d, m := r.p.dim, r.Len()
	if len(draws)%d != 0 || len(dst) != len(draws)/d*m {
		return fmt.Errorf("bnn: bnn predictor: %d draw values and %d outputs for dimension %d and %d inputs: %w", len(draws), len(dst), d, m, ErrShape)
	}
	for s := range len(draws) / d {
		if err := r.PredictTo(dst[s*m:(s+1)*m], draws[s*d:(s+1)*d]); err != nil {
			return fmt.Errorf("draw %d: %w", s, err)
		}
	}
	return nil
}
