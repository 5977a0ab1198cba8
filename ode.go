package bnn

import (
	"fmt"
	"math"
)

// ODEFunc is the right-hand side of an ordinary differential equation system
// y' = f(t, y). It writes f(t, y) into dydt (len(dydt) == len(y)) and must not
// retain y or dydt. It is called from one goroutine at a time per solver.
type ODEFunc func(t float64, y, dydt []float64)

// Defaults of DefaultODEConfig. The tolerances are torchdiffeq's dopri5
// defaults, which the seed notebook uses.
const (
	DefaultODERTol     = 1e-7
	DefaultODEATol     = 1e-9
	DefaultODEMaxSteps = 100000
)

// ODEConfig configures an ODESolver. A zero field means its default, so the
// zero value equals DefaultODEConfig(): RTol DefaultODERTol, ATol
// DefaultODEATol, an automatic first step, no step-size cap and
// DefaultODEMaxSteps step attempts.
type ODEConfig struct {
	// RTol is the relative tolerance (> 0; 0 means DefaultODERTol). Values
	// below 100·eps are raised to 100·eps, as SciPy does, because smaller
	// ones cannot be met.
	RTol float64
	// ATol is the absolute tolerance applied to every component (> 0; 0
	// means DefaultODEATol), in the units of y. It is ignored when ATolVec
	// is set.
	ATol float64
	// ATolVec, when non-nil, gives one absolute tolerance (> 0) per component.
	ATolVec []float64
	// FirstStep is the magnitude of the first step (in the units of t); 0
	// selects it automatically as Hairer and SciPy do.
	FirstStep float64
	// MaxStep caps the step magnitude (> 0; 0 or +Inf for no cap).
	MaxStep float64
	// MaxSteps caps the number of step attempts, accepted plus rejected (> 0;
	// 0 means DefaultODEMaxSteps).
	MaxSteps int
	// MinStep is the smallest step magnitude allowed (≥ 0, in the units of
	// t). A step that the error control must shrink below max(MinStep, 10
	// ulps of t) fails with ErrStepSizeTooSmall — the signature of a stiff
	// problem for an explicit method. 0 keeps SciPy's 10-ulp floor only.
	MinStep float64
}

// DefaultODEConfig returns RTol 1e-7, ATol 1e-9 (torchdiffeq's defaults, as
// in the seed), automatic first step, no step-size cap and at most 100 000
// step attempts per solve.
func DefaultODEConfig() ODEConfig {
	return ODEConfig{RTol: DefaultODERTol, ATol: DefaultODEATol, MaxStep: math.Inf(1), MaxSteps: DefaultODEMaxSteps}
}

// ODEStats counts the work of one solve.
type ODEStats struct {
	NFev     int // right-hand-side evaluations
	Accepted int // accepted steps
	Rejected int // rejected step attempts
}

// ODESolver integrates y' = f(t, y) for systems of a fixed dimension with the
// explicit Dormand–Prince 5(4) Runge–Kutta pair (FSAL), using SciPy's RK45
// step-size controller: error scale atol + rtol·max(|y|, |y_new|), RMS norm,
// safety 0.9, step factor clamped to [0.2, 10] with exponent −1/5, no step
// increase right after a rejection, and a minimum step of 10 ulps of t.
// Outputs come from the method's quartic continuous extension (SciPy's
// interpolant), so output times never shorten the steps.
//
// An ODESolver owns its workspace: after NewODESolver, Solve allocates
// nothing. It is not safe for concurrent use; give each goroutine its own.
type ODESolver struct {
	n                        int
	errN                     int // the first errN components enter the error norm (n; fewer for sensitivities)
	rtol, firstStep, maxStep float64
	minStep                  float64 // ODEConfig.MinStep
	maxSteps                 int
	atol                     []float64
	y, yNew, yTmp            []float64
	k                        [7][]float64
}

// NewODESolver returns a solver for systems of dimension n (≥ 1), with the
// defaults of ODEConfig for its zero fields. It returns ErrInvalidParameter
// for n < 1, a negative or non-finite tolerance (or a non-positive one in
// ATolVec), a negative or non-finite first step, a negative max step, a min
// step outside [0, max step] or MaxSteps < 0, and ErrShape when
// len(ATolVec) != n.
func NewODESolver(n int, opts ODEConfig) (*ODESolver, error) {
	if n < 1 {
		return nil, fmt.Errorf("bnn: ode: dimension %d < 1: %w", n, ErrInvalidParameter)
	}
	if opts.RTol == 0 {
		opts.RTol = DefaultODERTol
	}
	if opts.ATol == 0 && opts.ATolVec == nil {
		opts.ATol = DefaultODEATol
	}
	if opts.MaxStep == 0 {
		opts.MaxStep = math.Inf(1)
	}
	if opts.MaxSteps == 0 {
		opts.MaxSteps = DefaultODEMaxSteps
	}
	if !(opts.RTol > 0) || math.IsInf(opts.RTol, 0) {
		return nil, fmt.Errorf("bnn: ode: rtol %g must be positive and finite: %w", opts.RTol, ErrInvalidParameter)
	}
	if !(opts.FirstStep >= 0) || math.IsInf(opts.FirstStep, 0) {
		return nil, fmt.Errorf("bnn: ode: first step %g must be finite and ≥ 0: %w", opts.FirstStep, ErrInvalidParameter)
	}
	if !(opts.MaxStep > 0) {
		return nil, fmt.Errorf("bnn: ode: max step %g must be positive: %w", opts.MaxStep, ErrInvalidParameter)
	}
	if opts.MaxSteps < 1 {
		return nil, fmt.Errorf("bnn: ode: max steps %d < 1: %w", opts.MaxSteps, ErrInvalidParameter)
	}
	if !(opts.MinStep >= 0) || opts.MinStep > opts.MaxStep {
		return nil, fmt.Errorf("bnn: ode: min step %g must be ≥ 0 and ≤ the max step %g: %w", opts.MinStep, opts.MaxStep, ErrInvalidParameter)
	}
	s := &ODESolver{n: n, errN: n, rtol: math.Max(opts.RTol, 100*odeEpsilon), firstStep: opts.FirstStep,
		maxStep: opts.MaxStep, minStep: opts.MinStep, maxSteps: opts.MaxSteps}
	buf := make([]float64, 11*n)
	take := func() []float64 { v := buf[:n:n]; buf = buf[n:]; return v }
	s.atol = take()
	if opts.ATolVec != nil {
		if len(opts.ATolVec) != n {
			return nil, fmt.Errorf("bnn: ode: %d absolute tolerances for dimension %d: %w", len(opts.ATolVec), n, ErrShape)
		}
		for i, a := range opts.ATolVec {
			if !(a > 0) || math.IsInf(a, 0) {
				return nil, fmt.Errorf("bnn: ode: atol[%d] = %g must be positive and finite: %w", i, a, ErrInvalidParameter)
			}
		}
		copy(s.atol, opts.ATolVec)
	} else {
		if !(opts.ATol > 0) || math.IsInf(opts.ATol, 0) {
			return nil, fmt.Errorf("bnn: ode: atol %g must be positive and finite: %w", opts.ATol, ErrInvalidParameter)
		}
		for i := range s.atol {
			s.atol[i] = opts.ATol
		}
	}
	s.y, s.yNew, s.yTmp = take(), take(), take()
	for i := range s.k {
		s.k[i] = take()
	}
	return s, nil
}

// Dim returns the system dimension the solver was built for.
func (s *ODESolver) Dim() int { return s.n }

// odeEpsilon is the spacing of float64 numbers at 1.
const odeEpsilon = 0x1p-52

// Solve integrates y' = f(t, y) from the state y0 at time t0 to ts[len(ts)-1]
// and writes y(ts[i]) into out[i·n : (i+1)·n] (len(out) == len(ts)·n). The
// output times must be strictly monotone in the direction of integration
// (forwards or backwards) and must not precede t0 in that direction; ts[0] may
// equal t0. Outputs between step ends come from the continuous extension.
//
// Errors: ErrShape for wrong lengths, ErrEmpty for no output times,
// ErrNonFinite for NaN/±Inf in t0, ts or y0 (naming the index), a
// right-hand side that returns NaN/±Inf for a finite state (naming t) or a
// solution that overflows,
// ErrNonIncreasing for badly ordered output times, ErrTooManySteps when
// MaxSteps attempts do not reach the end and ErrStepSizeTooSmall when the
// step falls below max(MinStep, 10 ulps of t) (typically stiffness or a
// singularity).
// The statistics are valid also when an error is returned.
func (s *ODESolver) Solve(f ODEFunc, t0 float64, y0, ts, out []float64) (ODEStats, error) {
	return s.solve(f, odeLinear2{}, t0, y0, ts, out)
}

// solve is Solve; when lin.on, f must be lin's system (it is used for the
// first two evaluations) and the steps are computed by attemptLinear2.
func (s *ODESolver) solve(f ODEFunc, lin odeLinear2, t0 float64, y0, ts, out []float64) (ODEStats, error) {
	var st ODEStats
	n := s.n
	if len(y0) != n {
		return st, fmt.Errorf("bnn: ode: len(y0) = %d, want %d: %w", len(y0), n, ErrShape)
	}
	if len(ts) == 0 {
		return st, fmt.Errorf("bnn: ode: no output times: %w", ErrEmpty)
	}
	if len(out) != len(ts)*n {
		return st, fmt.Errorf("bnn: ode: len(out) = %d, want %d: %w", len(out), len(ts)*n, ErrShape)
	}
	if math.IsNaN(t0) || math.IsInf(t0, 0) {
		return st, fmt.Errorf("bnn: ode: t0 = %g: %w", t0, ErrNonFinite)
	}
	for i, v := range y0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return st, fmt.Errorf("bnn: ode: y0[%d] = %g: %w", i, v, ErrNonFinite)
		}
	}
	for i, v := range ts {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return st, fmt.Errorf("bnn: ode: output time %d is %g: %w", i, v, ErrNonFinite)
		}
	}
	tf := ts[len(ts)-1]
	dir := 1.0
	if tf < t0 {
		dir = -1
	}
	if dir*(ts[0]-t0) < 0 {
		return st, fmt.Errorf("bnn: ode: output time 0 (%g) precedes t0 = %g: %w", ts[0], t0, ErrNonIncreasing)
	}
	for i := 1; i < len(ts); i++ {
		if !(dir*(ts[i]-ts[i-1]) > 0) {
			return st, fmt.Errorf("bnn: ode: output times %d and %d (%g, %g) are not strictly monotone: %w",
				i-1, i, ts[i-1], ts[i], ErrNonIncreasing)
		}
	}

	y := s.y
	copy(y, y0)
	f(t0, y, s.k[0])
	st.NFev++
	if i := odeFirstNonFinite(s.k[0]); i >= 0 {
		return st, s.rhsError(i, t0, s.k[0][i])
	}
	next := 0 // index of the next output time
	if ts[0] == t0 {
		copy(out[:n], y)
		next = 1
	}
	if next == len(ts) {
		return st, nil
	}

	hAbs := s.firstStep
	if hAbs == 0 {
		var err error
		hAbs, err = s.initialStep(f, t0, dir)
		st.NFev++
		if err != nil {
			return st, err
		}
	}

	t := t0
	for {
		tNew, hNew, err := s.step(f, lin, t, tf, dir, hAbs, &st)
		if err != nil {
			return st, err
		}
		h := tNew - t
		for next < len(ts) && dir*(ts[next]-tNew) <= 0 {
			row := out[next*n : (next+1)*n]
			s.denseTo(row, (ts[next]-t)/h, h)
			if i := odeFirstNonFinite(row); i >= 0 {
				return st, fmt.Errorf("bnn: ode: solution component %d overflowed to %g at t = %g: %w", i, row[i], ts[next], ErrNonFinite)
			}
			next++
		}
		s.y, s.yNew = s.yNew, s.y
		s.k[0], s.k[6] = s.k[6], s.k[0]
		t, hAbs = tNew, hNew
		if next == len(ts) || dir*(t-tf) >= 0 {
			return st, nil
		}
	}
}

// firstNonFinite returns the index of the first NaN or ±Inf in v, or −1.
func odeFirstNonFinite(v []float64) int {
	for i, x := range v {
		if x-x != 0 { // NaN for NaN and ±Inf, 0 otherwise
			return i
		}
	}
	return -1
}

func (s *ODESolver) rhsError(i int, t, v float64) error {
	return fmt.Errorf("bnn: ode: right-hand side returned %g in component %d at t = %g: %w", v, i, t, ErrNonFinite)
}

// rmsScaled returns the RMS norm of v/(atol + rtol·|y|).
func (s *ODESolver) rmsScaled(v, y []float64) float64 {
	atol := s.atol[:len(v)]
	y = y[:len(v)]
	sum := 0.0
	for i, x := range v {
		r := x / (atol[i] + s.rtol*math.Abs(y[i]))
		sum += r * r
	}
	return math.Sqrt(sum / float64(len(v)))
}

// initialStep chooses the first step magnitude as SciPy's
// select_initial_step (Hairer, Nørsett & Wanner, Solving ODEs I, II.4) with
// error-estimator order 4. It costs one right-hand-side evaluation.
func (s *ODESolver) initialStep(f ODEFunc, t0, dir float64) (float64, error) {
	y, f0, y1, f1 := s.y, s.k[0], s.yTmp, s.k[1]
	e := s.errN
	d0 := s.rmsScaled(y[:e], y)
	d1 := s.rmsScaled(f0[:e], y)
	h0 := 1e-6
	if d0 >= 1e-5 && d1 >= 1e-5 {
		h0 = 0.01 * d0 / d1
	}
	for i := range y1 {
		y1[i] = y[i] + h0*dir*f0[i]
	}
	f(t0+h0*dir, y1, f1)
	if i := odeFirstNonFinite(f1); i >= 0 {
		return 0, s.rhsError(i, t0+h0*dir, f1[i])
	}
	for i := range y1 {
		y1[i] = f1[i] - f0[i]
	}
	d2 := s.rmsScaled(y1[:e], y) / h0
	var h1 float64
	if d1 <= 1e-15 && d2 <= 1e-15 {
		h1 = math.Max(1e-6, h0*1e-3)
	} else {
		h1 = math.Pow(0.01/math.Max(d1, d2), 1.0/5)
	}
	return math.Min(100*h0, h1), nil
}
