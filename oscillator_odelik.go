package bnn

import (
	"context"
	"fmt"
	"math"
)

// OscillatorODELik evaluates the Gaussian log likelihood of θ = (ζ, ωₙ) for
// OscillatorData through the ODE itself (not its closed form), with the
// gradient from forward sensitivities: the solver integrates
// (x, v, ∂(x, v)/∂ζ, ∂(x, v)/∂ωₙ) by ODESolver's Dormand–Prince 5(4) pair
// and step-size controller, with the error control on (x, v) as
// ODESensSolver does by default, and
// ∂ log L/∂θⱼ = Σᵢ (Xᵢ − xᵢ)/σ² · ∂xᵢ/∂θⱼ, the xᵢ and ∂xᵢ/∂θⱼ from the
// continuous extension (so the measurement times do not shorten the steps).
// The augmented system is linear with constant coefficients, so each step,
// its error estimate and the continuous extension are evaluated in the
// pair's polynomial form (powers of the system matrix instead of the
// stages: the same steps and numbers up to rounding, at half the cost).
// Every Eval starts afresh, first step included, so the log likelihood is a
// function of θ alone, as samplers need.
//
// It owns its solver, so evaluations allocate nothing; it is not safe for
// concurrent use (make one per goroutine).
type OscillatorODELik struct {
	d      OscillatorData
	ode    *ODESolver
	c      float64 // −N(log σ + ½ log 2π)
	logPri float64 // the uniform prior's log density inside its box
	stats  ODEStats
}

// NewODELogLik returns the likelihood evaluator for d. It copies d's slices.
// It returns the errors of Validate.
func (d OscillatorData) NewODELogLik() (*OscillatorODELik, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	opts := d.odeOptions()
	if opts.ATol == 0 { // ODEConfig's zero value means the default, also here
		opts.ATol = DefaultODEATol
	}
	aug := opts
	aug.ATol = 0
	aug.ATolVec = make([]float64, 6)
	for i := range aug.ATolVec {
		aug.ATolVec[i] = opts.ATol
		if opts.ATolVec != nil {
			aug.ATolVec[i] = opts.ATolVec[min(i, 1)]
		}
	}
	ode, err := NewODESolver(6, aug)
	if err != nil {
		return nil, err
	}
	ode.errN = 2
	d.T = append([]float64(nil), d.T...)
	d.X = append([]float64(nil), d.X...)
	l := &OscillatorODELik{d: d, ode: ode}
	l.c = -float64(len(d.T)) * (math.Log(d.NoiseStd) + 0.5*math.Log(2*math.Pi))
	l.logPri = d.LogPrior([]float64{d.ZetaPrior[0], d.OmegaPrior[0]})
	return l, nil
}

// Eval returns log L(θ) = Σᵢ log N(Xᵢ; x(Tᵢ; θ), σ²) (nats) at θ = (ζ, ωₙ)
// and writes ∂ log L/∂θ into grad (len 2). It returns ErrShape for θ or grad
// not of length 2, ErrInvalidParameter for a negative or non-finite ζ or a
// non-positive or non-finite ωₙ, and the errors of ODESolver.Solve.
func (l *OscillatorODELik) Eval(theta, grad []float64) (float64, error) {
	if len(theta) != 2 || len(grad) != 2 {
		return 0, fmt.Errorf("bnn: oscillator ode likelihood: len(theta) = %d, len(grad) = %d, want 2: %w", len(theta), len(grad), ErrShape)
	}
	z, w := theta[0], theta[1]
	if !(z >= 0) || math.IsInf(z, 0) || !(w > 0) || math.IsInf(w, 0) {
		return 0, fmt.Errorf("bnn: oscillator ode likelihood: ζ = %g, ωₙ = %g: %w", z, w, ErrInvalidParameter)
	}
	d := &l.d
	ss, gz, gw, st, err := l.ode.oscSensResiduals(z, w, d.T0, d.X0, d.V0, d.T, d.X)
	l.stats = st
	if err != nil {
		return 0, fmt.Errorf("bnn: oscillator ode likelihood ζ=%g ωₙ=%g: %w", z, w, err)
	}
	inv2 := 1 / (d.NoiseStd * d.NoiseStd)
	grad[0], grad[1] = gz*inv2, gw*inv2
	return l.c - 0.5*ss*inv2, nil
}

// Stats returns the solver's work in the last Eval: steps accepted and
// rejected, and right-hand-side evaluations as the stage form counts them
// (2 to start, 6 per attempt).
func (l *OscillatorODELik) Stats() ODEStats { return l.stats }

// LogJoint returns log prior + log likelihood with the data's Uniform
// priors, for samplers: −Inf with a zero gradient outside the closed prior
// box, and NaN (zero gradient) when the ODE solve fails inside it or θ does
// not have two elements — samplers treat both as a rejected proposal. The
// returned function shares l's workspace.
func (l *OscillatorODELik) LogJoint() LogJoint {
	d := &l.d
	return func(theta, grad []float64) float64 {
		if len(theta) != 2 || len(grad) != 2 {
			clear(grad)
			return math.NaN()
		}
		z, w := theta[0], theta[1]
		if !(z >= d.ZetaPrior[0] && z <= d.ZetaPrior[1] && w >= d.OmegaPrior[0] && w <= d.OmegaPrior[1]) {
			clear(grad)
			return math.Inf(-1)
		}
		v, err := l.Eval(theta, grad)
		if err != nil {
			clear(grad)
			return math.NaN()
		}
		return v + l.logPri
	}
}

// SampleODENUTS samples the posterior of θ = (ζ, ωₙ) with the ODE
// likelihood and the data's Uniform priors by SampleNUTS: the priors'
// intervals become logit transforms (Stan's real<lower, upper>), every
// chain gets its own OscillatorODELik, and cfg's Transforms and NewLogJoint
// are set here (cfg's other fields, such as Chains, Seed and Progress, are
// used as given). Draws are (ζ, ωₙ). It returns the errors of Validate and
// SampleNUTS.
func (d OscillatorData) SampleODENUTS(ctx context.Context, cfg NUTSConfig) (*MCMCResult, error) {
	if _, err := d.NewODELogLik(); err != nil {
		return nil, err
	}
	tr, err := NewConstrained(Bounded(d.ZetaPrior[0], d.ZetaPrior[1]), Bounded(d.OmegaPrior[0], d.OmegaPrior[1]))
	if err != nil {
		return nil, err
	}
	cfg.Transforms = tr
	cfg.NewLogJoint = func() LogJoint {
		l, err := d.NewODELogLik()
		if err != nil { // validated above
			return nil
		}
		return l.LogJoint()
	}
	return SampleNUTS(ctx, 2, nil, cfg)
}
