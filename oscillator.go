package bnn

import (
	"fmt"
	"math"
)

// Oscillator is the damped harmonic oscillator x” + 2ζωₙx' + ωₙ²x = 0 with
// state y = (x, v), v = x'. Time is in seconds, ωₙ in rad/s, ζ dimensionless.
type Oscillator struct {
	Zeta   float64 // damping ratio ζ (0 undamped, < 1 under-, 1 critically, > 1 over-damped)
	OmegaN float64 // natural angular frequency ωₙ in rad/s
}

// RHS writes (v, −2ζωₙv − ωₙ²x) for y = (x, v) into dydt; it is an ODEFunc.
func (o Oscillator) RHS(_ float64, y, dydt []float64) {
	x, v := y[0], y[1]
	dydt[0] = v
	dydt[1] = -2*o.Zeta*o.OmegaN*v - o.OmegaN*o.OmegaN*x
}

// Exact returns the closed-form state (x, v) at time t of the oscillator that
// was in state (x0, v0) at time 0, for any ζ ≥ 0 and ωₙ > 0: under-damped
// (ζ < 1), critically damped (ζ = 1) and over-damped (ζ > 1). With a = ζωₙ
// and q = v0 + a·x0 it evaluates x = e^{−at}(x0·C(t) + q·S(t)), where
// (C, S) = (cos βt, sin(βt)/β), (1, t) or (cosh βt, sinh(βt)/β) and
// β = ωₙ√|1−ζ²|, in forms that neither overflow nor cancel near ζ = 1.
func (o Oscillator) Exact(t, x0, v0 float64) (x, v float64) {
	w, z := o.OmegaN, o.Zeta
	a := z * w
	q := v0 + a*x0
	// ec, es are e^{−at}·C and e^{−at}·S; dc, ds their time derivatives.
	var ec, es, dc, ds float64
	d := 1 - z*z
	switch {
	case d > 0:
		b := w * math.Sqrt(d)
		e := math.Exp(-a * t)
		sn, cs := math.Sincos(b * t)
		s := t
		if math.Abs(b*t) > 1e-8 {
			s = sn / b
		}
		ec, es = e*cs, e*s
		dc, ds = e*(-b*sn)-a*ec, e*cs-a*es
	case d < 0:
		b := w * math.Sqrt(-d)
		em, ep := math.Exp(-(a-b)*t), math.Exp(-(a+b)*t)
		ec = 0.5 * (em + ep)
		if math.Abs(b*t) < 0.5 {
			es = math.Exp(-a*t) * math.Sinh(b*t) / b
			if b*t == 0 {
				es = t * math.Exp(-a*t)
			}
		} else {
			es = 0.5 * (em - ep) / b
		}
		// d/dt e^{−at}cosh βt = −a·ec + β·e^{−at}sinh βt, likewise for es.
		dc, ds = -a*ec+b*b*es, ec-a*es
	default:
		e := math.Exp(-a * t)
		ec, es = e, e*t
		dc, ds = -a*ec, e-a*es
	}
	return x0*ec + q*es, x0*dc + q*ds
}

// OscillatorSolver integrates the damped oscillator with an ODESolver and a
// reusable right-hand side, so that repeated solves allocate nothing. It is
// not safe for concurrent use; give each goroutine its own.
type OscillatorSolver struct {
	ode    *ODESolver
	c1, c2 float64 // 2ζωₙ and ωₙ²
	rhs    ODEFunc
	y0     [2]float64
	buf    []float64
}

// NewOscillatorSolver returns a solver with the given ODE options (see
// DefaultODEConfig; ATolVec, if set, must have length 2). It returns the
// errors of NewODESolver.
func NewOscillatorSolver(opts ODEConfig) (*OscillatorSolver, error) {
	ode, err := NewODESolver(2, opts)
	if err != nil {
		return nil, err
	}
	s := &OscillatorSolver{ode: ode}
	s.rhs = func(_ float64, y, dydt []float64) {
		x, v := y[0], y[1]
		dydt[0] = v
		dydt[1] = -s.c1*v - s.c2*x
	}
	return s, nil
}

// SolveTo writes the positions x(ts[i]) of oscillator o started from
// position x0 and velocity v0 at time t0 into dst (len(dst) == len(ts)). The
// output times follow the rules of ODESolver.Solve. It returns
// ErrInvalidParameter for a negative or non-finite ζ or a non-positive or
// non-finite ωₙ, ErrShape for len(dst) != len(ts), and the errors of
// ODESolver.Solve.
func (s *OscillatorSolver) SolveTo(dst []float64, o Oscillator, t0, x0, v0 float64, ts []float64) (ODEStats, error) {
	if !(o.Zeta >= 0) || math.IsInf(o.Zeta, 0) {
		return ODEStats{}, fmt.Errorf("bnn: oscillator: damping ratio %g must be finite and ≥ 0: %w", o.Zeta, ErrInvalidParameter)
	}
	if !(o.OmegaN > 0) || math.IsInf(o.OmegaN, 0) {
		return ODEStats{}, fmt.Errorf("bnn: oscillator: natural frequency %g must be finite and > 0: %w", o.OmegaN, ErrInvalidParameter)
	}
	if len(dst) != len(ts) {
		return ODEStats{}, fmt.Errorf("bnn: oscillator: len(dst) = %d, want %d: %w", len(dst), len(ts), ErrShape)
	}
	if cap(s.buf) < 2*len(ts) {
		s.buf = make([]float64, 2*len(ts))
	}
	out := s.buf[:2*len(ts)]
	s.c1, s.c2 = 2*o.Zeta*o.OmegaN, o.OmegaN*o.OmegaN
	s.y0 = [2]float64{x0, v0}
	st, err := s.ode.solve(s.rhs, odeLinear2{on: true, c1: s.c1, c2: s.c2}, t0, s.y0[:], ts, out)
	if err != nil {
		return st, fmt.Errorf("bnn: oscillator ζ=%g ωₙ=%g: %w", o.Zeta, o.OmegaN, err)
	}
	for i := range dst {
		dst[i] = out[2*i]
	}
	return st, nil
}
