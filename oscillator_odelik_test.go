package bnn

import (
	"errors"
	"math"
	"testing"
)

// The ODE log likelihood's value agrees with the grid's (NewLogLik) and its
// gradient with float64 central differences of a tight solve and with the
// closed form's hand-derived gradient.
func TestOscillatorODELogLikGradient(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	l, err := d.NewODELogLik()
	if err != nil {
		t.Fatal(err)
	}
	tight := ODEConfig{RTol: 1e-12, ATol: 1e-14, MaxStep: math.Inf(1), MaxSteps: 1000000}
	dt := d
	dt.ODE = &tight
	lt, err := dt.NewODELogLik()
	if err != nil {
		t.Fatal(err)
	}
	ll := d.NewLogLik()
	grad, g2 := make([]float64, 2), make([]float64, 2)
	for _, th := range [][]float64{{0.0834, 1.1068}, {0.05, 0.9}, {0.2, 1.3}, {0.01, 1.5}, {0.12, 0.65}} {
		v, err := l.Eval(th, grad)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ll(th)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(v-want) > 1e-6*(1+math.Abs(want)) {
			t.Errorf("θ=%v: value %v, NewLogLik %v", th, v, want)
		}
		// Closed form: Σ r·∂x/∂θ / σ².
		var cz, cw float64
		for i, ti := range d.T {
			xe, dz, dw, _, _ := oscExactSens(th[0], th[1], ti, d.X0, d.V0)
			r := (d.X[i] - xe) / (d.NoiseStd * d.NoiseStd)
			cz += r * dz
			cw += r * dw
		}
		// Central differences of the tight solve.
		gt := make([]float64, 2)
		if _, err := lt.Eval(th, gt); err != nil {
			t.Fatal(err)
		}
		var fd [2]float64
		for j := range 2 {
			h := 1e-6
			p := append([]float64(nil), th...)
			p[j] += h
			up, _ := lt.Eval(p, g2)
			p[j] -= 2 * h
			dn, _ := lt.Eval(p, g2)
			fd[j] = (up - dn) / (2 * h)
		}
		// At rtol 1e-12 the gradient matches both to 1e-7 of its scale; at
		// the seed's rtol 1e-7 to 1e-5 of it plus 0.01 (the sensitivities'
		// ~1e-6 relative error summed over 60 residuals; at the mode, where
		// the gradient vanishes, this moves the mode by ~1e-7 posterior stds).
		scale := math.Hypot(cz, cw) + 1
		for j, c := range []float64{cz, cw} {
			if math.Abs(gt[j]-c) > 1e-7*scale || math.Abs(gt[j]-fd[j]) > 1e-7*scale {
				t.Errorf("θ=%v rtol 1e-12: ∂/∂θ%d = %v, closed form %v, central differences %v", th, j, gt[j], c, fd[j])
			}
			if math.Abs(grad[j]-c) > 1e-5*scale+0.01 {
				t.Errorf("θ=%v: ∂/∂θ%d = %v, closed form %v", th, j, grad[j], c)
			}
		}
		t.Logf("θ=%v: grad %.6g %.6g, closed form %.6g %.6g, FD %.6g %.6g", th, grad[0], grad[1], cz, cw, fd[0], fd[1])
	}
	if a := testing.AllocsPerRun(20, func() { _, _ = l.Eval([]float64{0.08, 1.1}, grad) }); a != 0 {
		t.Errorf("Eval allocates %v times", a)
	}
	lj := l.LogJoint()
	th := []float64{0.08, 1.1}
	if a := testing.AllocsPerRun(20, func() { _ = lj(th, grad) }); a != 0 {
		t.Errorf("LogJoint allocates %v times", a)
	}
}

func TestOscillatorODELogLikErrors(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	l, _ := d.NewODELogLik()
	g := make([]float64, 2)
	if _, err := l.Eval([]float64{0.1}, g); !errors.Is(err, ErrShape) {
		t.Errorf("θ of length 1: %v", err)
	}
	if _, err := l.Eval([]float64{0.1, 1}, g[:1]); !errors.Is(err, ErrShape) {
		t.Errorf("grad of length 1: %v", err)
	}
	for _, th := range [][]float64{{-0.1, 1}, {0.1, 0}, {math.NaN(), 1}, {0.1, math.Inf(1)}} {
		if _, err := l.Eval(th, g); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("θ=%v: %v", th, err)
		}
	}
	lj := l.LogJoint()
	g[0], g[1] = 5, 5
	if v := lj([]float64{0.3, 1}, g); !math.IsInf(v, -1) || g[0] != 0 || g[1] != 0 {
		t.Errorf("outside the prior: %v, grad %v", v, g)
	}
	if v := lj([]float64{0.3}, g[:1]); !math.IsNaN(v) {
		t.Errorf("θ of length 1: %v", v)
	}
	bad := d
	bad.X = bad.X[:3]
	if _, err := bad.NewODELogLik(); !errors.Is(err, ErrShape) {
		t.Errorf("short data: %v", err)
	}
	// A step-size collapse (MinStep above what the tolerance allows) is
	// ErrStepSizeTooSmall.
	opts := DefaultODEConfig()
	opts.MinStep, opts.FirstStep = 1, 1
	opts.RTol = 1e-13
	c := d
	c.ODE = &opts
	lc, err := c.NewODELogLik()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lc.Eval([]float64{0.1, 1.1}, g); !errors.Is(err, ErrStepSizeTooSmall) {
		t.Errorf("step-size collapse: %v", err)
	}
}

// BenchmarkOscillatorODELogLikGrad times one log-likelihood + gradient of
// the seed's data (rtol 1e-7, atol 1e-9, like Stan's integrate_ode_rk45 run).
func BenchmarkOscillatorODELogLikGrad(b *testing.B) {
	x, _ := loadSeedGrid(b)
	l, err := NotebookOscillatorData(x).NewODELogLik()
	if err != nil {
		b.Fatal(err)
	}
	g := make([]float64, 2)
	th := []float64{0.0834, 1.1068}
	b.ReportAllocs()
	cpu0 := processCPUSeconds()
	for b.Loop() {
		_, _ = l.Eval(th, g)
	}
	b.ReportMetric((processCPUSeconds()-cpu0)*1e6/float64(b.N), "us_cpu/grad")
	b.ReportMetric(float64(l.Stats().NFev), "nfev")
}

// The polynomial-form steps of OscillatorODELik (oscSensResiduals) compute
// what the stage form of the same solver computes with the augmented
// ODEFunc: the same steps, and residual sums equal up to rounding.
func TestOscillatorODELogLikPolynomialStepsMatchStages(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	for _, th := range [][]float64{{0.0834, 1.1068}, {0.2, 0.7}, {0, 1.5}, {0.25, 1.6}, {0.01, 0.6}} {
		l, err := d.NewODELogLik()
		if err != nil {
			t.Fatal(err)
		}
		g := make([]float64, 2)
		v, err := l.Eval(th, g)
		if err != nil {
			t.Fatal(err)
		}
		want, wg, scale, st := oscODELogLikStageForm(t, l, th)
		if st != l.Stats() {
			t.Errorf("θ=%v: stats %+v, stage form %+v", th, l.Stats(), st)
		}
		// The forms differ by rounding, but the stage form's error estimate
		// loses ~1e-6 of itself to cancellation in the short first step (a
		// sum of O(1) stages giving O(1e-9)); the steps then differ by ~1e-7
		// of themselves and the outputs by ~1e-7 of the global error
		// (≤ 1e-7): observed ≤ 2e-11 of the sums' magnitudes.
		tol := 1e-9 * scale
		if math.Abs(v-want) > tol || math.Abs(g[0]-wg[0]) > tol || math.Abs(g[1]-wg[1]) > tol {
			t.Errorf("θ=%v: value %.17g grad %.17g %.17g; stage form %.17g, %.17g %.17g (tol %.3g)", th, v, g[0], g[1], want, wg[0], wg[1], tol)
		}
		t.Logf("θ=%v: |Δ value| %.3g, |Δ grad| %.3g %.3g, tol %.3g", th, math.Abs(v-want), math.Abs(g[0]-wg[0]), math.Abs(g[1]-wg[1]), tol)
	}
}

// FuzzOscillatorODELogLik: for any data and θ, Eval either returns a named
// error or a finite log likelihood no larger than its normalising constant
// (the residual sum of squares is ≥ 0) with a finite gradient.
func FuzzOscillatorODELogLik(f *testing.F) {
	f.Add(0.08, 1.1, 0.05, 1.0, 0.0, 0.3, -0.2)
	f.Add(0.0, 0.6, 1e-3, -5.0, 2.0, 1e3, 0.0)
	f.Add(0.25, 1.6, 10.0, 0.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, z, w, sigma, x0, v0, y1, y2 float64) {
		d := OscillatorData{T: []float64{0.5, 3}, X: []float64{y1, y2}, NoiseStd: sigma, X0: x0, V0: v0,
			ZetaPrior: [2]float64{0, 0.25}, OmegaPrior: [2]float64{0.6, 1.6}}
		l, err := d.NewODELogLik()
		if err != nil {
			if errors.Is(err, ErrNonFinite) || errors.Is(err, ErrInvalidParameter) {
				return
			}
			t.Fatalf("unnamed error %v", err)
		}
		g := make([]float64, 2)
		v, err := l.Eval([]float64{z, w}, g)
		if err != nil {
			for _, want := range []error{ErrInvalidParameter, ErrNonFinite, ErrTooManySteps, ErrStepSizeTooSmall} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("unnamed error %v", err)
		}
		c := -2 * (math.Log(sigma) + 0.5*math.Log(2*math.Pi))
		if math.IsNaN(v) || v > c+1e-9*math.Abs(c) {
			t.Fatalf("log likelihood %v above its constant %v", v, c)
		}
		if !math.IsInf(v, -1) && (math.IsNaN(g[0]) || math.IsNaN(g[1])) {
			t.Fatalf("gradient %v at finite log likelihood %v", g, v)
		}
	})
}
