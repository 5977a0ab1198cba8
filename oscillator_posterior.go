package bnn

import (
	"context"
	"fmt"
	"math"
)

// OscillatorData is the inference problem of the seed notebook: noisy
// positions of a damped oscillator with a known initial state, Gaussian
// measurement noise of known std, and independent uniform priors on the
// damping ratio ζ and the natural frequency ωₙ. θ = (ζ, ωₙ).
type OscillatorData struct {
	T          []float64  // measurement times in s (strictly increasing, ≥ T0)
	X          []float64  // measured positions
	NoiseStd   float64    // measurement noise std σ (> 0), in the units of X
	T0, X0, V0 float64    // initial time, position and velocity
	ZetaPrior  [2]float64 // Uniform(lo, hi) prior on ζ, 0 ≤ lo < hi
	OmegaPrior [2]float64 // Uniform(lo, hi) prior on ωₙ in rad/s, 0 < lo < hi
	ODE        *ODEConfig // solver settings; nil means DefaultODEConfig (the seed's)
}

// NotebookOscillatorData returns the seed notebook's setting for its 60
// measurements x: t = linspace(0, 6, 60) s, σ = 0.05, x(0) = 1, v(0) = 0,
// ζ ~ Uniform(0, 0.25), ωₙ ~ Uniform(0.6, 1.6), rtol 1e-7, atol 1e-9.
func NotebookOscillatorData(x []float64) OscillatorData {
	t := make([]float64, 60)
	for i := range t {
		t[i] = 6 * float64(i) / 59
	}
	return OscillatorData{T: t, X: x, NoiseStd: 0.05, X0: 1, ZetaPrior: [2]float64{0, 0.25}, OmegaPrior: [2]float64{0.6, 1.6}}
}

// NotebookOscillatorGrid returns the seed's 60×60 grid: ζ ∈ [0.02, 0.2],
// ωₙ ∈ [0.7, 1.4].
func NotebookOscillatorGrid() []GridAxis {
	return []GridAxis{{Name: "zeta", Lo: 0.02, Hi: 0.2, N: 60}, {Name: "omega_n", Lo: 0.7, Hi: 1.4, N: 60}}
}

// Validate checks d and returns ErrShape, ErrEmpty, ErrNonFinite (naming the
// index), ErrNonIncreasing or ErrInvalidParameter for bad data or settings.
func (d OscillatorData) Validate() error {
	if len(d.T) == 0 {
		return fmt.Errorf("bnn: oscillator data: no measurements: %w", ErrEmpty)
	}
	if len(d.X) != len(d.T) {
		return fmt.Errorf("bnn: oscillator data: %d positions for %d times: %w", len(d.X), len(d.T), ErrShape)
	}
	for _, v := range []struct {
		name string
		s    []float64
	}{{"time", d.T}, {"position", d.X}, {"initial state", []float64{d.T0, d.X0, d.V0}}} {
		if i := odeFirstNonFinite(v.s); i >= 0 {
			return fmt.Errorf("bnn: oscillator data: %s %d is %g: %w", v.name, i, v.s[i], ErrNonFinite)
		}
	}
	if d.T[0] < d.T0 {
		return fmt.Errorf("bnn: oscillator data: first time %g precedes t0 = %g: %w", d.T[0], d.T0, ErrNonIncreasing)
	}
	for i := 1; i < len(d.T); i++ {
		if !(d.T[i] > d.T[i-1]) {
			return fmt.Errorf("bnn: oscillator data: times %d and %d are not increasing: %w", i-1, i, ErrNonIncreasing)
		}
	}
	if !(d.NoiseStd > 0) || math.IsInf(d.NoiseStd, 0) {
		return fmt.Errorf("bnn: oscillator data: noise std %g: %w", d.NoiseStd, ErrInvalidParameter)
	}
	if z := d.ZetaPrior; !(z[0] >= 0 && z[1] > z[0]) || math.IsInf(z[1], 0) {
		return fmt.Errorf("bnn: oscillator data: ζ prior bounds %v: %w", z, ErrInvalidParameter)
	}
	if w := d.OmegaPrior; !(w[0] > 0 && w[1] > w[0]) || math.IsInf(w[1], 0) {
		return fmt.Errorf("bnn: oscillator data: ωₙ prior bounds %v: %w", w, ErrInvalidParameter)
	}
	if _, err := NewODESolver(2, d.odeOptions()); err != nil {
		return err
	}
	return nil
}

func (d OscillatorData) odeOptions() ODEConfig {
	if d.ODE == nil {
		return DefaultODEConfig()
	}
	return *d.ODE
}

// LogPrior returns log Uniform(ζ) + log Uniform(ωₙ) at θ = (ζ, ωₙ), −Inf
// outside the closed prior box, and NaN when θ does not have two elements
// (so that a grid with other than two axes fails in NewGridPosterior with
// ErrNonFinite instead of panicking in a worker goroutine).
func (d OscillatorData) LogPrior(theta []float64) float64 {
	if len(theta) != 2 {
		return math.NaN()
	}
	z, w := theta[0], theta[1]
	if !(z >= d.ZetaPrior[0] && z <= d.ZetaPrior[1] && w >= d.OmegaPrior[0] && w <= d.OmegaPrior[1]) {
		return math.Inf(-1)
	}
	return -math.Log(d.ZetaPrior[1]-d.ZetaPrior[0]) - math.Log(d.OmegaPrior[1]-d.OmegaPrior[0])
}

// NewTrajectory returns a Trajectory giving the noise-free positions x(t)
// for θ = (ζ, ωₙ) from the data's initial state, with its own solver. With
// invalid ODE options (see Validate) the Trajectory returns their error.
func (d OscillatorData) NewTrajectory() Trajectory {
	s, err := NewOscillatorSolver(d.odeOptions())
	if err != nil {
		return func(_, _, _ []float64) error { return err }
	}
	return func(dst, theta, ts []float64) error {
		_, err := s.SolveTo(dst, Oscillator{Zeta: theta[0], OmegaN: theta[1]}, d.T0, d.X0, d.V0, ts)
		return err
	}
}

// NewLogLik returns the Gaussian log likelihood
// Σᵢ log N(Xᵢ; x(Tᵢ; θ), σ²) of θ = (ζ, ωₙ), with its own solver.
func (d OscillatorData) NewLogLik() LogDensity {
	traj := d.NewTrajectory()
	pred := make([]float64, len(d.T))
	inv := 1 / d.NoiseStd
	c := -float64(len(d.T)) * (math.Log(d.NoiseStd) + 0.5*math.Log(2*math.Pi))
	return func(theta []float64) (float64, error) {
		if err := traj(pred, theta, d.T); err != nil {
			return 0, err
		}
		ss := 0.0
		for i, x := range pred {
			r := (d.X[i] - x) * inv
			ss += r * r
		}
		return c - 0.5*ss, nil
	}
}

// GridModel returns the model for NewGridPosterior and RefineGridPosterior
// on grids over (ζ, ωₙ). It returns the errors of Validate.
func (d OscillatorData) GridModel() (GridModel, error) {
	if err := d.Validate(); err != nil {
		return GridModel{}, err
	}
	return GridModel{LogPrior: d.LogPrior, NewLogLik: d.NewLogLik}, nil
}

// OscillatorPosterior evaluates the grid posterior of θ = (ζ, ωₙ) on axes
// (two of them: ζ then ωₙ). It returns the errors of Validate and
// NewGridPosterior, and ErrShape when len(axes) != 2.
func OscillatorPosterior(ctx context.Context, d OscillatorData, axes []GridAxis, opts GridConfig) (*GridPosterior, error) {
	if len(axes) != 2 {
		return nil, fmt.Errorf("bnn: oscillator posterior: %d axes, want 2 (ζ, ωₙ): %w", len(axes), ErrShape)
	}
	m, err := d.GridModel()
	if err != nil {
		return nil, err
	}
	return NewGridPosterior(ctx, axes, m, opts)
}
