package bnn

import (
	"errors"
	"math"
	"runtime"
	"testing"
)

// The closed form against the tight SciPy DOP853 references of ode.json.
func TestOscillatorExactAgainstReference(t *testing.T) {
	for _, p := range loadODERef(t) {
		var o Oscillator
		switch p.Problem {
		case "oscillator":
			o = Oscillator{Zeta: 0.08, OmegaN: 1.1}
		case "oscillator_heavy":
			o = Oscillator{Zeta: 0.7, OmegaN: 3}
		default:
			continue
		}
		for i, tt := range p.TEval {
			x, v := o.Exact(tt, p.Y0[0], p.Y0[1])
			if math.Abs(x-p.RefY[i][0]) > 1e-9 || math.Abs(v-p.RefY[i][1]) > 1e-9 {
				t.Errorf("%s t=%g: exact (%g, %g), reference %v", p.Problem, tt, x, v, p.RefY[i])
			}
		}
	}
}

// The closed form satisfies the ODE (central differences) in every regime,
// including next to critical damping.
func TestOscillatorExactSatisfiesODE(t *testing.T) {
	for _, z := range []float64{0, 0.08, 0.999999, 1, 1.000001, 2.5, 8} {
		o := Oscillator{Zeta: z, OmegaN: 1.3}
		for _, tt := range []float64{0, 0.3, 1, 4, 30} {
			const h = 1e-5
			x, v := o.Exact(tt, 0.7, -0.4)
			xp, vp := o.Exact(tt+h, 0.7, -0.4)
			xm, vm := o.Exact(tt-h, 0.7, -0.4)
			dx, dv := (xp-xm)/(2*h), (vp-vm)/(2*h)
			var d [2]float64
			o.RHS(tt, []float64{x, v}, d[:])
			if math.Abs(dx-d[0]) > 1e-6*(1+math.Abs(d[0])) || math.Abs(dv-d[1]) > 1e-6*(1+math.Abs(d[1])) {
				t.Errorf("ζ=%g t=%g: derivative (%g, %g), RHS (%g, %g)", z, tt, dx, dv, d[0], d[1])
			}
		}
		if x, v := o.Exact(0, 0.7, -0.4); math.Abs(x-0.7) > 1e-15 || math.Abs(v+0.4) > 1e-13 {
			t.Errorf("ζ=%g: initial state (%g, %g)", z, x, v)
		}
	}
}

func TestOscillatorSolverAgainstClosedForm(t *testing.T) {
	s, err := NewOscillatorSolver(DefaultODEConfig())
	if err != nil {
		t.Fatal(err)
	}
	ts := odeLinspace(0, 10, 101)
	x := make([]float64, len(ts))
	for _, z := range []float64{0, 0.08, 1, 2.5} {
		o := Oscillator{Zeta: z, OmegaN: 1.1}
		st, err := s.SolveTo(x, o, 0, 1, 0.5, ts)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i, tt := range ts {
			want, _ := o.Exact(tt, 1, 0.5)
			worst = math.Max(worst, math.Abs(x[i]-want))
		}
		t.Logf("ζ=%g: max error %.2g, %d evaluations", z, worst, st.NFev)
		if worst > 2e-7 {
			t.Errorf("ζ=%g: max error %g against the closed form", z, worst)
		}
	}
}

func TestOscillatorSolverErrorsAndAllocs(t *testing.T) {
	s, _ := NewOscillatorSolver(DefaultODEConfig())
	ts := odeLinspace(0, 6, 60)
	x := make([]float64, len(ts))
	for _, o := range []Oscillator{{-0.1, 1}, {0.1, 0}, {math.NaN(), 1}, {0.1, math.Inf(1)}} {
		if _, err := s.SolveTo(x, o, 0, 1, 0, ts); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%+v: got %v", o, err)
		}
	}
	if _, err := s.SolveTo(x[:3], Oscillator{0.1, 1}, 0, 1, 0, ts); !errors.Is(err, ErrShape) {
		t.Errorf("short dst: got %v", err)
	}
	if _, err := s.SolveTo(x, Oscillator{0.1, 1}, 0, math.NaN(), 0, ts); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN x0: got %v", err)
	}
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := s.SolveTo(x, o, 0, 1, 0, ts); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("SolveTo allocates %g times per run", allocs)
	}
}

// BenchmarkOscillatorSolve is one solve of the seed's oscillator (ζ = 0.08,
// ωₙ = 1.1) at the seed's tolerances, with outputs at its 60 training times.
func BenchmarkOscillatorSolve(b *testing.B) {
	s, _ := NewOscillatorSolver(DefaultODEConfig())
	ts := odeLinspace(0, 6, 60)
	x := make([]float64, len(ts))
	o := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	if _, err := s.SolveTo(x, o, 0, 1, 0, ts); err != nil { // warm: sizes the buffer
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SolveTo(x, o, 0, 1, 0, ts); err != nil {
			b.Fatal(err)
		}
	}
}

// The inlined oscillator steps compute what the generic path computes with
// Oscillator.RHS (bit for bit where the compiler fuses no multiply-adds).
func TestOscillatorSolverMatchesGenericPath(t *testing.T) {
	s, _ := NewOscillatorSolver(DefaultODEConfig())
	g, _ := NewODESolver(2, DefaultODEConfig())
	ts := odeLinspace(0, 6, 60)
	x := make([]float64, len(ts))
	out := make([]float64, 2*len(ts))
	for _, o := range []Oscillator{{0.08, 1.1}, {0.02, 1.4}, {1, 0.7}, {3, 2}} {
		st1, err1 := s.SolveTo(x, o, 0, 1, 0, ts)
		st2, err2 := g.Solve(o.RHS, 0, []float64{1, 0}, ts, out)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		exact := runtime.GOARCH == "amd64"
		if exact && st1 != st2 {
			t.Errorf("%+v: stats %+v vs %+v", o, st1, st2)
		}
		for i := range x {
			if d := math.Abs(x[i] - out[2*i]); (exact && d != 0) || d > 1e-9 {
				t.Errorf("%+v: x[%d] = %g vs %g", o, i, x[i], out[2*i])
				break
			}
		}
	}
}
