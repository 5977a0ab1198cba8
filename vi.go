package bnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// LogJoint evaluates an unnormalised log posterior log p(θ, data) (nats) at
// theta and writes its gradient ∂/∂θ into grad (len(grad) == len(theta)).
type LogJoint func(theta, grad []float64) float64

// VIConfig sets FitGaussianVI's optimisation. A zero field means its
// documented default, as in log/slog, so the zero value equals
// DefaultVIConfig(): one Monte-Carlo sample per step and 10,000 Adam steps at
// DefaultLearningRate from q = N(0, I). Negative or NaN values are errors
// naming the field. NotebookVIConfig returns the seed's settings.
type VIConfig struct {
	Samples      int     // Monte-Carlo samples per step (0: 1)
	Steps        int     // Adam steps (0: 10,000)
	LearningRate float64 // Adam learning rate (> 0; 0: DefaultLearningRate, 1e-3)
	Seed         uint64  // seed of the Monte-Carlo draws
	// InitMean is the starting mean (nil: zeros); every log σ starts at
	// InitLogStd (0 is a value, not a default stand-in: σ = 1).
	InitMean   []float64
	InitLogStd float64
}

// DefaultVIConfig returns the defaults a zero VIConfig stands for, written
// out: Samples 1 and Steps 10,000, the gradient samples and iteration cap of
// Stan's ADVI (Kucukelbir et al. 2017), which finds one reparameterised draw
// per step enough; LearningRate DefaultLearningRate, Adam's recommended step
// (Kingma & Ba 2015), which over 10,000 steps lets each parameter travel
// about ten units; and a start at μ = 0, log σ = 0, as ADVI starts.
func DefaultVIConfig() VIConfig {
	return VIConfig{Samples: 1, Steps: 10000, LearningRate: DefaultLearningRate}
}

// withDefaults returns c with every zero field that has a non-zero default
// replaced by it; FitGaussianVI checks the result.
func (c VIConfig) withDefaults() VIConfig {
	if c.Samples == 0 {
		c.Samples = 1
	}
	if c.Steps == 0 {
		c.Steps = 10000
	}
	if c.LearningRate == 0 {
		c.LearningRate = DefaultLearningRate
	}
	return c
}

// NotebookVIConfig returns the seed's settings: 256 samples, 1,500 Adam steps at
// lr 0.05, from μ = 0, log σ = 0.
func NotebookVIConfig() VIConfig { return VIConfig{Samples: 256, Steps: 1500, LearningRate: 0.05} }

// VIResult is a fitted mean-field Gaussian q(θ) = Πⱼ N(Meanⱼ, Stdⱼ²).
type VIResult struct {
	Mean, Std []float64
	// ELBO holds the Monte-Carlo ELBO estimate (nats) at every step, before its update.
	ELBO []float64
}

// FitGaussianVI fits a mean-field Gaussian q(θ) = N(μ, diag σ²) of dimension
// dim to the posterior whose log joint is logJoint by maximising the
// Monte-Carlo ELBO (1/S)Σₛ[log p(θₛ, data) − log q(θₛ)] with θₛ = μ + σ⊙εₛ
// (the reparameterisation trick), σ = exp(log σ), and Adam on (μ, log σ), as
// the seed does for its scalar example. With the gradient g of the log joint
// at θₛ the per-sample gradients are g for μ and g⊙σ⊙εₛ + 1 for log σ (log q
// at θₛ depends on μ and log σ only through −Σ log σ once εₛ is fixed). It
// returns ErrInvalidParameter for dim < 1, a nil logJoint, negative Samples
// or Steps or a LearningRate that is negative, NaN or infinite, ErrShape for an InitMean of the wrong
// length, ErrNonFinite for a non-finite initial value, ErrDiverged if the
// log joint or its gradient becomes NaN or ±Inf, and an error wrapping
// context.Cause(ctx) when ctx is done (checked before every step).
func FitGaussianVI(ctx context.Context, dim int, logJoint LogJoint, cfg VIConfig) (*VIResult, error) {
	if dim < 1 || logJoint == nil {
		return nil, fmt.Errorf("bnn: gaussian vi: dimension %d (log joint set: %t): %w", dim, logJoint != nil, ErrInvalidParameter)
	}
	cfg = cfg.withDefaults()
	if cfg.Samples < 1 || cfg.Steps < 1 {
		return nil, fmt.Errorf("bnn: gaussian vi: Samples = %d, Steps = %d: %w", cfg.Samples, cfg.Steps, ErrInvalidParameter)
	}
	if cfg.InitMean != nil && len(cfg.InitMean) != dim {
		return nil, fmt.Errorf("bnn: gaussian vi: initial mean of length %d for dimension %d: %w", len(cfg.InitMean), dim, ErrShape)
	}
	for i, v := range cfg.InitMean {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("bnn: gaussian vi: initial mean %d is %g: %w", i, v, ErrNonFinite)
		}
	}
	if math.IsNaN(cfg.InitLogStd) || math.IsInf(cfg.InitLogStd, 0) {
		return nil, fmt.Errorf("bnn: gaussian vi: initial log std %g: %w", cfg.InitLogStd, ErrNonFinite)
	}
	opt, err := NewAdam(2*dim, float32(cfg.LearningRate))
	if err != nil || !(cfg.LearningRate > 0) {
		return nil, fmt.Errorf("bnn: gaussian vi: LearningRate = %g must be positive and finite: %w", cfg.LearningRate, ErrInvalidParameter)
	}
	// params = [μ | log σ], in float32 like the seed's PyTorch parameters.
	params, grads := make([]float32, 2*dim), make([]float32, 2*dim)
	for j := range dim {
		if cfg.InitMean != nil {
			params[j] = float32(cfg.InitMean[j])
		}
		params[dim+j] = float32(cfg.InitLogStd)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7669))
	theta, g, eps := make([]float64, dim), make([]float64, dim), make([]float64, dim)
	gm, gs := make([]float64, dim), make([]float64, dim)
	res := &VIResult{Mean: make([]float64, dim), Std: make([]float64, dim), ELBO: make([]float64, cfg.Steps)}
	const halfLog2Pi = 0.9189385332046727
	for step := range cfg.Steps {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bnn: gaussian vi: stopped before step %d: %w", step, context.Cause(ctx))
		}
		clear(gm)
		clear(gs)
		var elbo float64
		for range cfg.Samples {
			var logQ float64
			for j := range dim {
				eps[j] = rng.NormFloat64()
				ls := float64(params[dim+j])
				theta[j] = float64(params[j]) + math.Exp(ls)*eps[j]
				logQ += -ls - 0.5*eps[j]*eps[j] - halfLog2Pi
			}
			lj := logJoint(theta, g)
			if math.IsNaN(lj) || math.IsInf(lj, 0) {
				return nil, fmt.Errorf("bnn: gaussian vi: log joint %g at step %d: %w", lj, step, ErrDiverged)
			}
			elbo += lj - logQ
			for j := range dim {
				if math.IsNaN(g[j]) || math.IsInf(g[j], 0) {
					return nil, fmt.Errorf("bnn: gaussian vi: gradient %d is %g at step %d: %w", j, g[j], step, ErrDiverged)
				}
				gm[j] += g[j]
				gs[j] += g[j]*math.Exp(float64(params[dim+j]))*eps[j] + 1
			}
		}
		inv := 1 / float64(cfg.Samples)
		res.ELBO[step] = elbo * inv
		for j := range dim { // Adam minimises −ELBO
			grads[j] = float32(-gm[j] * inv)
			grads[dim+j] = float32(-gs[j] * inv)
		}
		opt.Step(params, grads)
	}
	for j := range dim {
		res.Mean[j] = float64(params[j])
		res.Std[j] = math.Exp(float64(params[dim+j]))
	}
	return res, nil
}
