package bnn

import (
	"context"
	"fmt"
	"math"
)

// OscillatorODELik evaluates the Gaussian log likelihood of θ = (ζ, ωₙ) for
// OscillatorData through the ODE itself (not its closed form), with the
// gradient from forward sensitivities: the solver integrates
// (x, v, ∂(x, v)/∂ζ, ∂(x, v)/∂ωₙ) with the error control on (x, v), as
// ODESensSolver does by default, and
// ∂ log L/∂θⱼ = Σᵢ (Xᵢ − xᵢ)/σ² · ∂xᵢ/∂θⱼ.
//
// It owns a solver and buffers, so evaluations allocate nothing; it is not
// safe for concurrent use (make one per goroutine).
type OscillatorODELik struct {
	d      OscillatorData
	ode    *ODESolver
	rhs    ODEFunc
	c1, c2 float64 // 2ζω, ω²
	z, w   float64
	z0     [6]float64
	out    []float64
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
	l := &OscillatorODELik{d: d, ode: ode, out: make([]float64, 6*len(d.T))}
	l.c = -float64(len(d.T)) * (math.Log(d.NoiseStd) + 0.5*math.Log(2*math.Pi))
	l.logPri = d.LogPrior([]float64{d.ZetaPrior[0], d.OmegaPrior[0]})
	// z = (x, v, x_ζ, x_ω, v_ζ, v_ω): S' = J_y·S + J_θ with
	// J_y = [[0, 1], [−ω², −2ζω]] and J_θ = [[0, 0], [−2ωv, −2ζv − 2ωx]].
	l.rhs = func(_ float64, y, dy []float64) {
		x, v, xz, xw, vz, vw := y[0], y[1], y[2], y[3], y[4], y[5]
		c1, c2 := l.c1, l.c2
		dy[0] = v
		dy[1] = -c1*v - c2*x
		dy[2] = vz
		dy[3] = vw
		dy[4] = -c1*vz - c2*xz - 2*l.w*v
		dy[5] = -c1*vw - c2*xw - 2*l.z*v - 2*l.w*x
	}
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
	l.z, l.w, l.c1, l.c2 = z, w, 2*z*w, w*w
	d := &l.d
	l.z0 = [6]float64{d.X0, d.V0}
	st, err := l.ode.solve(l.rhs, odeLinear2{sens: true, zeta: z, omega: w}, d.T0, l.z0[:], d.T, l.out)
	l.stats = st
	if err != nil {
		return 0, fmt.Errorf("bnn: oscillator ode likelihood ζ=%g ωₙ=%g: %w", z, w, err)
	}
	inv2 := 1 / (d.NoiseStd * d.NoiseStd)
	ss, gz, gw := 0.0, 0.0, 0.0
	out := l.out
	for i, xi := range d.X {
		row := out[6*i : 6*i+4 : 6*i+4]
		r := xi - row[0]
		ss += r * r
		gz += r * row[2]
		gw += r * row[3]
	}
	grad[0], grad[1] = gz*inv2, gw*inv2
	return l.c - 0.5*ss*inv2, nil
}

// Stats returns the solver's work in the last Eval.
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
