package bnn

import (
	"fmt"
	"math"
)

// ODEParamFunc is the right-hand side of a parametrised system
// y' = f(t, y, θ): it writes f(t, y, θ) into dydt (len(dydt) == len(y)) and
// must not retain its arguments.
type ODEParamFunc func(t float64, y, theta, dydt []float64)

// ODESensSystem is a parametrised ODE system with the derivatives forward
// sensitivities need. F is required, and exactly one of Jac and SensRHS.
//
// The sensitivity matrix S = ∂y/∂(θ, y₀) is n×m row-major, S[i·m+j] =
// ∂yᵢ/∂pⱼ, with m = P columns for θ, followed by n columns for y₀ when
// ODESensConfig.WithInitial is set. It solves S' = J_y·S + [J_θ 0]
// (Hairer, Nørsett & Wanner, Solving ODEs I, §I.14), S(t₀) = [0 I].
type ODESensSystem struct {
	// F is the right-hand side f(t, y, θ).
	F ODEParamFunc
	// Jac writes the Jacobians J_y = ∂f/∂y (n×n, row-major, jy[i·n+k] =
	// ∂fᵢ/∂y_k) and J_θ = ∂f/∂θ (n×P, row-major, jtheta[i·P+j] = ∂fᵢ/∂θⱼ)
	// at (t, y, θ). Both buffers are zeroed before every call, so sparse
	// Jacobians need only their non-zeros.
	Jac func(t float64, y, theta, jy, jtheta []float64)
	// SensRHS, the matrix-free alternative to Jac, writes dS = J_y·S +
	// [J_θ 0] (n×m, row-major, m columns as described above) at (t, y, θ),
	// from Jacobian-vector products the caller computes.
	SensRHS func(t float64, y, theta, s, ds []float64)
}

// ODESensConfig configures an ODESensSolver; the zero value is the default.
type ODESensConfig struct {
	// ODE holds the tolerances and step controls of the states; nil means
	// DefaultODEConfig. ATolVec, if set, has one entry per state.
	ODE *ODEConfig
	// ErrorControlSens adds the sensitivities to the error norm (CVODES's
	// errconS = true). The default, false, is CVODES's default too
	// (CVodeSetSensErrCon: "By default, errconS is set to SUNFALSE"): steps
	// are chosen for the states alone, and the sensitivities, integrated by
	// the same Runge–Kutta steps, are as accurate as the states' steps make
	// them — for smooth problems close to the states' accuracy.
	ErrorControlSens bool
	// SensATol is the absolute tolerance of every sensitivity when
	// ErrorControlSens is set (their relative tolerance is the states'
	// RTol); 0 means the states' ATol (their first entry with ATolVec), which
	// is CVODES's estimated tolerance atol/|p̄| with the default scale p̄ = 1.
	SensATol float64
	// WithInitial adds the n columns ∂y/∂y₀ to S.
	WithInitial bool
}

// ODESensSolver integrates y' = f(t, y, θ) jointly with its forward
// sensitivities S = ∂y/∂θ (and optionally ∂y/∂y₀) by the Dormand–Prince 5(4)
// pair of ODESolver applied to the augmented system (y, S) — the
// "simultaneous corrector" of CVODES in an explicit method. Outputs between
// steps, sensitivities included, come from the continuous extension.
//
// It owns its workspace: Solve allocates nothing once the output buffer has
// grown to the number of output times. It is not safe for concurrent use.
type ODESensSolver struct {
	n, p, m int
	sys     ODESensSystem
	ode     *ODESolver
	theta   []float64
	jy, jp  []float64
	z0      []float64
	out     []float64
	rhs     ODEFunc
	// jacBad records the first non-finite Jacobian entry of a solve at a
	// finite state, to name it in the error.
	jacBad   bool
	jacT     float64
	jacI     int
	jacWhich string
}

// NewODESensSolver returns a solver for n states and p parameters (n ≥ 1,
// p ≥ 0; p = 0 needs WithInitial). It returns ErrInvalidParameter for bad
// dimensions, a nil F, neither or both of Jac and SensRHS, a negative or
// non-finite SensATol, and the errors of NewODESolver for the options.
func NewODESensSolver(n, p int, sys ODESensSystem, cfg ODESensConfig) (*ODESensSolver, error) {
	if n < 1 || p < 0 || (p == 0 && !cfg.WithInitial) {
		return nil, fmt.Errorf("bnn: ode sens: %d states, %d parameters (with initial state: %t): %w", n, p, cfg.WithInitial, ErrInvalidParameter)
	}
	if sys.F == nil || (sys.Jac == nil) == (sys.SensRHS == nil) {
		return nil, fmt.Errorf("bnn: ode sens: need F and exactly one of Jac and SensRHS (F %t, Jac %t, SensRHS %t): %w",
			sys.F != nil, sys.Jac != nil, sys.SensRHS != nil, ErrInvalidParameter)
	}
	if !(cfg.SensATol >= 0) || math.IsInf(cfg.SensATol, 0) {
		return nil, fmt.Errorf("bnn: ode sens: sensitivity atol %g must be finite and ≥ 0: %w", cfg.SensATol, ErrInvalidParameter)
	}
	opts := DefaultODEConfig()
	if cfg.ODE != nil {
		opts = *cfg.ODE
	}
	if _, err := NewODESolver(n, opts); err != nil { // validates the states' options
		return nil, err
	}
	m := p
	if cfg.WithInitial {
		m += n
	}
	na := n * (1 + m)
	sensATol := cfg.SensATol
	if sensATol == 0 {
		sensATol = opts.ATol
		if opts.ATolVec != nil {
			sensATol = opts.ATolVec[0]
		}
	}
	aug := opts
	aug.ATol = 0
	aug.ATolVec = make([]float64, na)
	for i := range aug.ATolVec {
		switch {
		case i >= n:
			aug.ATolVec[i] = sensATol
		case opts.ATolVec != nil:
			aug.ATolVec[i] = opts.ATolVec[i]
		default:
			aug.ATolVec[i] = opts.ATol
		}
	}
	ode, err := NewODESolver(na, aug)
	if err != nil {
		return nil, err
	}
	if !cfg.ErrorControlSens {
		ode.errN = n
	}
	s := &ODESensSolver{n: n, p: p, m: m, sys: sys, ode: ode,
		theta: make([]float64, p), z0: make([]float64, na)}
	if sys.Jac != nil {
		s.jy, s.jp = make([]float64, n*n), make([]float64, n*p)
	}
	s.rhs = s.augmented
	return s, nil
}

// Dims returns the number of states n, parameters p and sensitivity columns m.
func (s *ODESensSolver) Dims() (n, p, m int) { return s.n, s.p, s.m }

// augmented is the right-hand side of z = (y, S).
func (s *ODESensSolver) augmented(t float64, z, dz []float64) {
	n, p, m := s.n, s.p, s.m
	y, sm := z[:n], z[n:]
	dy, ds := dz[:n], dz[n:]
	s.sys.F(t, y, s.theta, dy)
	if s.sys.SensRHS != nil {
		s.sys.SensRHS(t, y, s.theta, sm, ds)
		return
	}
	jy, jp := s.jy, s.jp
	clear(jy)
	clear(jp)
	s.sys.Jac(t, y, s.theta, jy, jp)
	if !s.jacBad && odeFirstNonFinite(y) < 0 {
		if i := odeFirstNonFinite(jy); i >= 0 {
			s.jacBad, s.jacT, s.jacI, s.jacWhich = true, t, i, "J_y"
		} else if i := odeFirstNonFinite(jp); i >= 0 {
			s.jacBad, s.jacT, s.jacI, s.jacWhich = true, t, i, "J_θ"
		}
	}
	for i := range n {
		row := ds[i*m : (i+1)*m]
		ji := jy[i*n : (i+1)*n]
		for j := range p {
			row[j] = jp[i*p+j]
		}
		for j := p; j < m; j++ {
			row[j] = 0
		}
		for k, a := range ji {
			if a == 0 {
				continue
			}
			sk := sm[k*m : (k+1)*m]
			for j, v := range sk {
				row[j] += a * v
			}
		}
	}
}

// Solve integrates from the state y0 at time t0 with parameters theta and
// writes y(ts[i]) into y[i·n : (i+1)·n] and S(ts[i]) (n×m, row-major, see
// ODESensSystem) into sens[i·n·m : (i+1)·n·m]. The output times follow the
// rules of ODESolver.Solve.
//
// Errors: ErrShape for len(theta) != P or wrong output lengths;
// ErrNonFinite for NaN/±Inf in theta, t0, ts or y0, for a right-hand side
// or Jacobian that returns NaN/±Inf at a finite state (naming the entry and
// t), or a solution that overflows; and the other errors of ODESolver.Solve
// (ErrNonIncreasing, ErrTooManySteps, ErrStepSizeTooSmall). The statistics
// are valid also when an error is returned.
func (s *ODESensSolver) Solve(t0 float64, y0, theta, ts, y, sens []float64) (ODEStats, error) {
	n, p, m := s.n, s.p, s.m
	if len(theta) != p {
		return ODEStats{}, fmt.Errorf("bnn: ode sens: len(theta) = %d, want %d: %w", len(theta), p, ErrShape)
	}
	if len(y0) != n {
		return ODEStats{}, fmt.Errorf("bnn: ode sens: len(y0) = %d, want %d: %w", len(y0), n, ErrShape)
	}
	if len(y) != len(ts)*n || len(sens) != len(ts)*n*m {
		return ODEStats{}, fmt.Errorf("bnn: ode sens: len(y) = %d, len(sens) = %d for %d output times, want %d and %d: %w",
			len(y), len(sens), len(ts), len(ts)*n, len(ts)*n*m, ErrShape)
	}
	if i := odeFirstNonFinite(theta); i >= 0 {
		return ODEStats{}, fmt.Errorf("bnn: ode sens: theta[%d] = %g: %w", i, theta[i], ErrNonFinite)
	}
	copy(s.theta, theta)
	z0 := s.z0
	copy(z0, y0)
	clear(z0[n:])
	if m > p { // S(t0) = [0 I]
		for i := range n {
			z0[n+i*m+p+i] = 1
		}
	}
	na := n * (1 + m)
	if cap(s.out) < len(ts)*na {
		s.out = make([]float64, len(ts)*na)
	}
	out := s.out[:len(ts)*na]
	s.jacBad = false
	st, err := s.ode.solve(s.rhs, odeLinear2{}, t0, z0, ts, out)
	if err != nil {
		if s.jacBad {
			err = fmt.Errorf("bnn: ode sens: Jacobian %s entry %d is non-finite at t = %g: %w", s.jacWhich, s.jacI, s.jacT, err)
		}
		return st, err
	}
	for k := range ts {
		row := out[k*na : (k+1)*na]
		copy(y[k*n:(k+1)*n], row[:n])
		copy(sens[k*n*m:(k+1)*n*m], row[n:])
	}
	return st, nil
}
