package bnn

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"testing"
)

type odeRefRun struct {
	RTol   float64 `json:"rtol"`
	ATol   float64 `json:"atol"`
	NFev   int     `json:"nfev"`
	Steps  int     `json:"steps"`
	MaxErr float64 `json:"max_abs_err_vs_reference"`
}

type odeRefProblem struct {
	Problem string      `json:"problem"`
	TSpan   []float64   `json:"t_span"`
	Y0      []float64   `json:"y0"`
	TEval   []float64   `json:"t_eval"`
	RefY    [][]float64 `json:"reference_y"`
	Runs    []odeRefRun `json:"scipy_rk45"`
}

func loadODERef(t testing.TB) []odeRefProblem {
	t.Helper()
	b, err := os.ReadFile("testdata/ode.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Problems []odeRefProblem `json:"problems"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Problems) != 5 {
		t.Fatalf("ode.json: %d problems, want 5", len(doc.Problems))
	}
	return doc.Problems
}

// The right-hand sides of ode.json's problems. Their parameters are not in
// the file; they are the textbook values, and the tight reference solutions
// confirm them (they reproduce the reference to 1e-9).
func odeRefRHS(name string) ODEFunc {
	switch name {
	case "oscillator":
		return Oscillator{Zeta: 0.08, OmegaN: 1.1}.RHS
	case "oscillator_heavy":
		return Oscillator{Zeta: 0.7, OmegaN: 3}.RHS
	case "arenstorf":
		const mu = 0.012277471
		const mp = 1 - mu
		return func(_ float64, s, d []float64) {
			x, y, u, v := s[0], s[1], s[2], s[3]
			d1 := math.Pow((x+mu)*(x+mu)+y*y, 1.5)
			d2 := math.Pow((x-mp)*(x-mp)+y*y, 1.5)
			d[0], d[1] = u, v
			d[2] = x + 2*v - mp*(x+mu)/d1 - mu*(x-mp)/d2
			d[3] = y - 2*u - mp*y/d1 - mu*y/d2
		}
	case "vanderpol":
		return vanDerPol(1)
	case "lotka_volterra":
		return func(_ float64, s, d []float64) {
			d[0] = 1.5*s[0] - s[0]*s[1]
			d[1] = -3*s[1] + s[0]*s[1]
		}
	}
	return nil
}

func vanDerPol(mu float64) ODEFunc {
	return func(_ float64, s, d []float64) {
		d[0] = s[1]
		d[1] = mu*(1-s[0]*s[0])*s[1] - s[0]
	}
}

func TestODEAgainstSciPy(t *testing.T) {
	for _, p := range loadODERef(t) {
		f := odeRefRHS(p.Problem)
		if f == nil {
			t.Fatalf("unknown problem %q", p.Problem)
		}
		n := len(p.Y0)
		for _, r := range p.Runs {
			opts := DefaultODEConfig()
			opts.RTol, opts.ATol = r.RTol, r.ATol
			s, err := NewODESolver(n, opts)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]float64, len(p.TEval)*n)
			st, err := s.Solve(f, p.TSpan[0], p.Y0, p.TEval, out)
			if err != nil {
				t.Fatalf("%s rtol=%g: %v", p.Problem, r.RTol, err)
			}
			maxErr := 0.0
			for i, ref := range p.RefY {
				for j, v := range ref {
					maxErr = math.Max(maxErr, math.Abs(out[i*n+j]-v))
				}
			}
			t.Logf("%-16s rtol=%-6g nfev %4d (scipy %4d) steps %3d+%d rejected (scipy %3d) err %.3g (scipy %.3g)",
				p.Problem, r.RTol, st.NFev, r.NFev, st.Accepted, st.Rejected, r.Steps, maxErr, r.MaxErr)
			if maxErr > 3*r.MaxErr {
				t.Errorf("%s rtol=%g: error %g > 3 × SciPy's %g", p.Problem, r.RTol, maxErr, r.MaxErr)
			}
			if math.Abs(float64(st.NFev-r.NFev)) > 0.1*float64(r.NFev) {
				t.Errorf("%s rtol=%g: nfev %d not within 10%% of SciPy's %d", p.Problem, r.RTol, st.NFev, r.NFev)
			}
		}
	}
}

// Integrating backwards from the end state of a forward solve must return to
// the start, with outputs in decreasing time.
func TestODEBackwards(t *testing.T) {
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	s, err := NewODESolver(2, DefaultODEConfig())
	if err != nil {
		t.Fatal(err)
	}
	if s.Dim() != 2 {
		t.Errorf("Dim = %d", s.Dim())
	}
	ts := []float64{5, 4, 2.5, 1, 0}
	x5, v5 := o.Exact(5, 1, 0)
	out := make([]float64, 2*len(ts))
	st, err := s.Solve(o.RHS, 5, []float64{x5, v5}, ts, out)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range ts {
		x, v := o.Exact(tt, 1, 0)
		if math.Abs(out[2*i]-x) > 1e-6 || math.Abs(out[2*i+1]-v) > 1e-6 {
			t.Errorf("t=%g: got (%g, %g), want (%g, %g)", tt, out[2*i], out[2*i+1], x, v)
		}
	}
	if st.Accepted < 5 {
		t.Errorf("only %d steps", st.Accepted)
	}
}

// The output times must not change the steps: the statistics equal those of
// a solve with only the end time.
func TestODEDenseOutputDoesNotStep(t *testing.T) {
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	s, _ := NewODESolver(2, DefaultODEConfig())
	ts := odeLinspace(0, 8, 2000)
	out := make([]float64, 2*len(ts))
	stMany, err := s.Solve(o.RHS, 0, []float64{1, 0}, ts, out)
	if err != nil {
		t.Fatal(err)
	}
	end := make([]float64, 2)
	stOne, err := s.Solve(o.RHS, 0, []float64{1, 0}, ts[len(ts)-1:], end)
	if err != nil {
		t.Fatal(err)
	}
	if stMany != stOne {
		t.Errorf("stats with 2000 outputs %+v differ from one output %+v", stMany, stOne)
	}
	if stMany.NFev >= 2000 {
		t.Errorf("nfev %d: outputs seem to force steps", stMany.NFev)
	}
	if out[2*1999] != end[0] {
		t.Errorf("end state differs: %g vs %g", out[2*1999], end[0])
	}
	worst := 0.0
	for i, tt := range ts {
		x, _ := o.Exact(tt, 1, 0)
		worst = math.Max(worst, math.Abs(out[2*i]-x))
	}
	if worst > 1e-6 {
		t.Errorf("dense output error %g", worst)
	}
}

// The continuous extension's weights at x = 1 are the 5th-order weights, so
// the interpolant ends exactly at the step's end.
func TestODEDenseCoefficients(t *testing.T) {
	b := [7]float64{dpB0, 0, dpB2, dpB3, dpB4, dpB5, 0}
	for j, p := range dpP {
		if sum := p[0] + p[1] + p[2] + p[3]; math.Abs(sum-b[j]) > 1e-14 {
			t.Errorf("row %d sums to %g, want %g", j, sum, b[j])
		}
	}
	e := dpE0 + dpE2 + dpE3 + dpE4 + dpE5 + dpE6
	if math.Abs(e) > 1e-15 {
		t.Errorf("error weights sum to %g", e)
	}
}

func TestODEPerComponentATol(t *testing.T) {
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	opts := DefaultODEConfig()
	opts.RTol = 1e-3
	opts.ATolVec = []float64{1e-6, 1e-6}
	a, _ := NewODESolver(2, opts)
	opts.ATolVec = nil
	opts.ATol = 1e-6
	b, _ := NewODESolver(2, opts)
	ts := []float64{8}
	oa, ob := make([]float64, 2), make([]float64, 2)
	sa, _ := a.Solve(o.RHS, 0, []float64{1, 0}, ts, oa)
	sb, _ := b.Solve(o.RHS, 0, []float64{1, 0}, ts, ob)
	if sa != sb || oa[0] != ob[0] {
		t.Errorf("equal per-component atol differs from scalar atol: %+v vs %+v", sa, sb)
	}
	opts.ATolVec = []float64{1e-12, 1}
	c, _ := NewODESolver(2, opts)
	sc, _ := c.Solve(o.RHS, 0, []float64{1, 0}, ts, oa)
	if sc.NFev == sb.NFev {
		t.Errorf("per-component atol had no effect (%d evaluations)", sc.NFev)
	}
}

func TestODEErrors(t *testing.T) {
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	s, _ := NewODESolver(2, DefaultODEConfig())
	y0 := []float64{1, 0}
	out := make([]float64, 6)
	nan := math.NaN()
	cases := []struct {
		name string
		t0   float64
		y0   []float64
		ts   []float64
		out  []float64
		want error
	}{
		{"decreasing", 0, y0, []float64{0, 2, 1}, out, ErrNonIncreasing},
		{"repeated", 0, y0, []float64{0, 1, 1}, out, ErrNonIncreasing},
		{"before t0", 0.5, y0, []float64{0, 1, 2}, out, ErrNonIncreasing},
		{"NaN time", 0, y0, []float64{0, nan, 2}, out, ErrNonFinite},
		{"Inf time", 0, y0, []float64{0, 1, math.Inf(1)}, out, ErrNonFinite},
		{"NaN t0", nan, y0, []float64{0, 1, 2}, out, ErrNonFinite},
		{"NaN y0", 0, []float64{nan, 0}, []float64{0, 1, 2}, out, ErrNonFinite},
		{"short y0", 0, []float64{1}, []float64{0, 1, 2}, out, ErrShape},
		{"short out", 0, y0, []float64{0, 1, 2}, out[:5], ErrShape},
		{"no times", 0, y0, nil, out[:0], ErrEmpty},
	}
	for _, c := range cases {
		if _, err := s.Solve(o.RHS, c.t0, c.y0, c.ts, c.out); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}

	bad := []func(*ODEConfig){
		func(o *ODEConfig) { o.RTol = -1e-6 },
		func(o *ODEConfig) { o.RTol = nan },
		func(o *ODEConfig) { o.ATol = -1e-9 },
		func(o *ODEConfig) { o.ATol = math.Inf(1) },
		func(o *ODEConfig) { o.ATolVec = []float64{1e-9, -1} },
		func(o *ODEConfig) { o.FirstStep = -1 },
		func(o *ODEConfig) { o.MaxStep = -1 },
		func(o *ODEConfig) { o.MaxSteps = -1 },
	}
	for i, mod := range bad {
		opts := DefaultODEConfig()
		mod(&opts)
		if _, err := NewODESolver(2, opts); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("bad option %d: got %v, want ErrInvalidParameter", i, err)
		}
	}
	opts := DefaultODEConfig()
	opts.ATolVec = []float64{1e-9}
	if _, err := NewODESolver(2, opts); !errors.Is(err, ErrShape) {
		t.Errorf("short ATolVec: got %v", err)
	}
	if _, err := NewODESolver(0, DefaultODEConfig()); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("n = 0: got %v", err)
	}
}

// A right-hand side that turns NaN after t = 1.5 is reported with the time.
func TestODERHSNaN(t *testing.T) {
	s, _ := NewODESolver(1, DefaultODEConfig())
	f := func(t float64, y, d []float64) {
		d[0] = -y[0]
		if t > 1.5 {
			d[0] = math.NaN()
		}
	}
	out := make([]float64, 2)
	_, err := s.Solve(f, 0, []float64{1}, []float64{1, 3}, out)
	if !errors.Is(err, ErrNonFinite) {
		t.Fatalf("got %v, want ErrNonFinite", err)
	}
	t.Log(err)
	if out[0] == 0 || math.Abs(out[0]-math.Exp(-1)) > 1e-6 {
		t.Errorf("output before the failure %g, want e^-1", out[0])
	}
	g := func(_ float64, _, d []float64) { d[0] = math.NaN() }
	if _, err := s.Solve(g, 0, []float64{1}, []float64{1}, out[:1]); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN at t0: got %v", err)
	}
}

// y' = y² from y(0) = 1 blows up at t = 1: the step shrinks below 10 ulps.
func TestODEStepSizeTooSmall(t *testing.T) {
	s, _ := NewODESolver(1, DefaultODEConfig())
	f := func(_ float64, y, d []float64) { d[0] = y[0] * y[0] }
	out := make([]float64, 1)
	_, err := s.Solve(f, 0, []float64{1}, []float64{2}, out)
	if !errors.Is(err, ErrStepSizeTooSmall) {
		t.Fatalf("got %v, want ErrStepSizeTooSmall", err)
	}
	t.Log(err)
}

// Van der Pol at μ = 1e6 is stiff: the explicit method's step is held at
// its stability limit (~1e-6), so a short step cap fails fast.
func TestODEStiffVanDerPol(t *testing.T) {
	opts := DefaultODEConfig()
	opts.MaxSteps = 5000
	s, _ := NewODESolver(2, opts)
	out := make([]float64, 2)
	st, err := s.Solve(vanDerPol(1e6), 0, []float64{2, 0}, []float64{2}, out)
	if !errors.Is(err, ErrTooManySteps) && !errors.Is(err, ErrStepSizeTooSmall) {
		t.Fatalf("got %v, want ErrTooManySteps or ErrStepSizeTooSmall", err)
	}
	if st.Accepted+st.Rejected != opts.MaxSteps {
		t.Errorf("stats %+v do not add up to %d attempts", st, opts.MaxSteps)
	}
	t.Log(err)
}

// With a minimum step, the same stiff problem fails as the step-size floor
// is crossed: the controller must shrink the step to ~1e-6 to stay stable.
func TestODEStiffVanDerPolMinStep(t *testing.T) {
	opts := DefaultODEConfig()
	opts.MinStep = 1e-4
	s, _ := NewODESolver(2, opts)
	out := make([]float64, 2)
	st, err := s.Solve(vanDerPol(1e6), 0, []float64{2, 0}, []float64{2}, out)
	if !errors.Is(err, ErrStepSizeTooSmall) {
		t.Fatalf("got %v (stats %+v), want ErrStepSizeTooSmall", err, st)
	}
	if st.Accepted+st.Rejected > 1000 {
		t.Errorf("took %+v attempts to detect stiffness", st)
	}
	if _, err := NewODESolver(2, ODEConfig{RTol: 1e-6, ATol: 1e-9, MaxStep: 1, MaxSteps: 10, MinStep: -1}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("negative MinStep: %v", err)
	}
}

func TestODESolveAllocatesNothing(t *testing.T) {
	s, _ := NewODESolver(2, DefaultODEConfig())
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	f := o.RHS
	ts := odeLinspace(0, 6, 60)
	out := make([]float64, 120)
	y0 := []float64{1, 0}
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := s.Solve(f, 0, y0, ts, out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Solve allocates %g times per run", allocs)
	}
}

func odeLinspace(lo, hi float64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return v
}

// FuzzSolve drives the solver with arbitrary options, initial states and
// output times; it must return a result or a typed error, never panic, and
// successful results must be finite.
func FuzzSolve(f *testing.F) {
	f.Add(1e-7, 1e-9, 0.0, 10.0, 0.08, 1.1, 1.0, 0.0, 0.0, 1.0, 6.0)
	f.Add(1e-3, 1e-6, 0.1, 0.5, 2.5, 0.5, -1.0, 3.0, 5.0, 2.0, -1.0)
	f.Add(-1.0, 1e-9, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, rtol, atol, first, maxStep, zeta, omega, x0, v0, t0, t1, t2 float64) {
		opts := ODEConfig{RTol: rtol, ATol: atol, FirstStep: first, MaxStep: maxStep, MaxSteps: 2000}
		s, err := NewODESolver(2, opts)
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("unexpected option error %v", err)
			}
			return
		}
		// Keep the system mild so that each run is fast.
		zeta = math.Mod(math.Abs(zeta), 5)
		omega = math.Mod(math.Abs(omega), 10)
		o := Oscillator{Zeta: zeta, OmegaN: omega}
		ts := []float64{t1, t2}
		out := make([]float64, 4)
		_, err = s.Solve(o.RHS, t0, []float64{x0, v0}, ts, out)
		if err != nil {
			for _, want := range []error{ErrNonFinite, ErrNonIncreasing, ErrTooManySteps, ErrStepSizeTooSmall} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("untyped error %v", err)
		}
		if i := odeFirstNonFinite(out); i >= 0 {
			t.Fatalf("out[%d] is %g", i, out[i])
		}
		checkOscillatorSolution(t, o, rtol, atol, t0, x0, v0, ts, out)
	})
}

// checkOscillatorSolution compares a solver's output for the oscillator o
// from (x0, v0) at t0 with Oscillator.Exact, when the tolerances ask for
// an accurate solution (rtol ≤ 1e-3). The bound is the tolerance scaled by
// the size of the state and by the phase error a (possibly undamped)
// oscillation accumulates over ωₙ|t − t0| radians, with a factor 1e3 for
// the gap between local and global error and a floor of 1e-12 for
// round-off: loose enough never to fail a correct solver, tight enough to
// see any error of a few per cent in a solution of ordinary size.
func checkOscillatorSolution(t *testing.T, o Oscillator, rtol, atol, t0, x0, v0 float64, ts, out []float64) {
	t.Helper()
	if !(rtol <= 1e-3) {
		return
	}
	size := math.Abs(x0) + math.Abs(v0)
	for _, ti := range ts {
		x, v := o.Exact(ti-t0, x0, v0)
		size = math.Max(size, math.Abs(x)+math.Abs(v))
	}
	// Errors made along the way are carried to ti by the flow: backwards
	// in time a damped oscillator grows like e^{ρ|t−t0|}, ρ the largest
	// decay rate ωₙ(ζ + √max(ζ²−1, 0)); forwards it does not grow, apart
	// from a transient of order max(ωₙ, 1/ωₙ) between x and v.
	rho := o.OmegaN * (o.Zeta + math.Sqrt(math.Max(o.Zeta*o.Zeta-1, 0)))
	transient := 2 * math.Max(1, math.Max(o.OmegaN, 1/o.OmegaN))
	for i, ti := range ts {
		x, v := o.Exact(ti-t0, x0, v0)
		phase := 1 + (o.OmegaN+2*o.Zeta*o.OmegaN)*math.Abs(ti-t0)
		growth := transient
		if ti < t0 {
			growth *= math.Exp(rho * math.Abs(ti-t0))
		}
		tol := 1e3*(math.Max(rtol, 1e-12)*size+math.Max(atol, 0))*phase*growth + 1e-300
		if math.IsInf(tol, 0) || math.IsNaN(tol) || math.IsInf(size, 0) {
			return
		}
		if d := math.Abs(out[2*i] - x); !(d <= tol) {
			t.Fatalf("x(%g) = %.17g, exact %.17g: error %.3g > %.3g", ti, out[2*i], x, d, tol)
		}
		if d := math.Abs(out[2*i+1] - v); !(d <= tol) {
			t.Fatalf("v(%g) = %.17g, exact %.17g: error %.3g > %.3g", ti, out[2*i+1], v, d, tol)
		}
	}
}

func TestInvFifthRoot(t *testing.T) {
	worst := 0.0
	for i := 0; i <= 200000; i++ {
		e := math.Pow(10, -6+10*float64(i)/200000)
		want := math.Pow(e, -0.2)
		worst = math.Max(worst, math.Abs(invFifthRoot(e)-want)/want)
	}
	t.Logf("max relative deviation from math.Pow: %.2g", worst)
	if worst > 2e-15 {
		t.Errorf("invFifthRoot deviates from math.Pow by %g", worst)
	}
	for _, e := range []float64{1, 2, 32, 1.0 / 32, 0.5, 1e-6, 1e4} {
		if d := math.Abs(invFifthRoot(e) - math.Pow(e, -0.2)); d > 2e-15*math.Pow(e, -0.2) {
			t.Errorf("e=%g: %g vs %g", e, invFifthRoot(e), math.Pow(e, -0.2))
		}
	}
}

// A solution that overflows float64 fails (the step collapses as the
// stages overflow) instead of returning ±Inf.
func TestODEOverflow(t *testing.T) {
	opts := DefaultODEConfig()
	opts.RTol, opts.ATol = 1e-3, 1e-6
	s, _ := NewODESolver(1, opts)
	f := func(_ float64, y, d []float64) { d[0] = 50 * y[0] }
	out := make([]float64, 1)
	_, err := s.Solve(f, 0, []float64{1e300}, []float64{100}, out)
	if !errors.Is(err, ErrNonFinite) && !errors.Is(err, ErrStepSizeTooSmall) {
		t.Fatalf("got %v, want ErrNonFinite or ErrStepSizeTooSmall", err)
	}
}

// TestODEConfigZeroValueIsDefault requires a zero ODEConfig (and zero
// fields) to solve exactly as DefaultODEConfig does.
func TestODEConfigZeroValueIsDefault(t *testing.T) {
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	ts := []float64{0.5, 3, 8}
	solve := func(cfg ODEConfig) ([]float64, ODEStats) {
		s, err := NewODESolver(2, cfg)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, 2*len(ts))
		st, err := s.Solve(o.RHS, 0, []float64{1, 0}, ts, out)
		if err != nil {
			t.Fatal(err)
		}
		return out, st
	}
	want, wst := solve(DefaultODEConfig())
	for _, cfg := range []ODEConfig{{}, {RTol: DefaultODERTol}, {MaxStep: math.Inf(1), MaxSteps: DefaultODEMaxSteps}} {
		got, st := solve(cfg)
		if !slices.Equal(got, want) || st != wst {
			t.Errorf("%+v: %v %+v, want %v %+v as with DefaultODEConfig", cfg, got, st, want, wst)
		}
	}
}
