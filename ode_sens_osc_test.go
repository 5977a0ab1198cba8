package bnn

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

// The polynomial form's coefficients are bᵀAᵐ⁻¹𝟙, EᵀAᵐ⁻¹𝟙 and
// bⱼ(s)ᵀAᵐ⁻¹𝟙 of the Dormand–Prince tableau the stage form uses
// (ode_dopri.go), recomputed here in float64.
func TestDormandPrinceLinearCoefficients(t *testing.T) {
	var a [7][7]float64
	a[1] = [7]float64{dpA10}
	a[2] = [7]float64{dpA20, dpA21}
	a[3] = [7]float64{dpA30, dpA31, dpA32}
	a[4] = [7]float64{dpA40, dpA41, dpA42, dpA43}
	a[5] = [7]float64{dpA50, dpA51, dpA52, dpA53, dpA54}
	b := [7]float64{dpB0, 0, dpB2, dpB3, dpB4, dpB5, 0}
	a[6] = b // the FSAL stage
	e := [7]float64{dpE0, 0, dpE2, dpE3, dpE4, dpE5, dpE6}
	beta := []float64{1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 600, 0}
	eps := []float64{0, 0, 0, 0, dpLinE5, dpLinE6, dpLinE7}
	gamma := [7][4]float64{{1}, {0, 1.0 / 2}, {0, 0, 1.0 / 6}, {0, 0, 0, 1.0 / 24}}
	for m := 4; m < 7; m++ {
		gamma[m] = [4]float64{0, dpLinG[m-4][0], dpLinG[m-4][1], dpLinG[m-4][2]}
	}
	v := [7]float64{1, 1, 1, 1, 1, 1, 1} // Aᵐ⁻¹𝟙
	for m := range 7 {
		var gb, ge float64
		var gg [4]float64
		for j := range 7 {
			gb += b[j] * v[j]
			ge += e[j] * v[j]
			for k := range 4 {
				gg[k] += dpP[j][k] * v[j]
			}
		}
		if math.Abs(gb-beta[m]) > 1e-15 {
			t.Errorf("m=%d: bᵀAᵐ⁻¹𝟙 = %.17g, want %.17g", m+1, gb, beta[m])
		}
		if math.Abs(ge-eps[m]) > 5e-17 { // rounding of sums of O(1e-2) terms
			t.Errorf("m=%d: EᵀAᵐ⁻¹𝟙 = %.17g, want %.17g", m+1, ge, eps[m])
		}
		for k := range 4 {
			if math.Abs(gg[k]-gamma[m][k]) > 1e-14 {
				t.Errorf("m=%d: coefficient of s^%d in the continuous extension = %.17g, want %.17g", m+1, k+1, gg[k], gamma[m][k])
			}
		}
		var nv [7]float64
		for i := range 7 {
			for j := range i {
				nv[i] += a[i][j] * v[j]
			}
		}
		v = nv
	}
}

// invTenthRoot(s)¹⁰·s = 1 within 2e-15, checked in 300-bit arithmetic over
// the whole normal range (math.Pow(s, −0.1) itself errs by up to 1e-14 for
// extreme s).
func TestInvTenthRoot(t *testing.T) {
	worst := 0.0
	check := func(s float64) {
		y := invTenthRoot(s)
		p := new(big.Float).SetPrec(300).SetFloat64(s)
		yb := new(big.Float).SetPrec(300).SetFloat64(y)
		for range 10 {
			p.Mul(p, yb)
		}
		p.Sub(p, big.NewFloat(1))
		f, _ := p.Float64()
		worst = math.Max(worst, math.Abs(f)/10)
	}
	for i := range 20000 {
		check(math.Pow(10, -300+600*float64(i)/20000))
	}
	for i := range 20000 { // the controller's range, [1e-12, 1e8], densely
		check(math.Pow(10, -12+20*float64(i)/20000))
	}
	for _, s := range []float64{1, 2, math.Nextafter(2, 0), 1.5, 1 + 1.0/128, 0x1p-1000, 0x1p1000} {
		check(s)
	}
	if worst > 2e-15 {
		t.Errorf("invTenthRoot: worst relative error %.3g", worst)
	}
	t.Logf("worst relative error %.3g", worst)
}

// The polynomial-form solve honours the solver's settings like the stage
// form (first step, maximum step) and fails with the stage form's errors.
func TestOscillatorODELogLikSettingsAndErrors(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	th := []float64{0.0834, 1.1068}
	for _, cfg := range []ODEConfig{{FirstStep: 0.01}, {MaxStep: 0.05}, {RTol: 1e-10, ATol: 1e-12}} {
		c := d
		c.ODE = &cfg
		l, err := c.NewODELogLik()
		if err != nil {
			t.Fatal(err)
		}
		g := make([]float64, 2)
		v, err := l.Eval(th, g)
		if err != nil {
			t.Fatal(err)
		}
		want, wg, _, st := oscODELogLikStageForm(t, l, th)
		if st != l.Stats() {
			t.Errorf("%+v: stats %+v, stage form %+v", cfg, l.Stats(), st)
		}
		if math.Abs(v-want) > 1e-9 || math.Abs(g[0]-wg[0]) > 1e-6 || math.Abs(g[1]-wg[1]) > 1e-6 {
			t.Errorf("%+v: %.12g %.9g %.9g, stage form %.12g %.9g %.9g", cfg, v, g[0], g[1], want, wg[0], wg[1])
		}
		if cfg.MaxStep > 0 && l.Stats().Accepted < int(6/cfg.MaxStep) {
			t.Errorf("max step %g: only %d steps", cfg.MaxStep, l.Stats().Accepted)
		}
	}
	few := DefaultODEConfig()
	few.MaxSteps = 5
	c := d
	c.ODE = &few
	l, _ := c.NewODELogLik()
	g := make([]float64, 2)
	if _, err := l.Eval(th, g); !errors.Is(err, ErrTooManySteps) {
		t.Errorf("5 steps: %v", err)
	}
	// At t ≈ 1e15 the 10-ulp floor (1.25) is above the steps the
	// tolerance allows (~0.1): the step size collapses, as in the stage form.
	far := d
	far.T0 = 1e15
	far.T = make([]float64, len(d.T))
	for i := range far.T {
		far.T[i] = far.T0 + float64(i)
	}
	lf, err := far.NewODELogLik()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lf.Eval(th, g); !errors.Is(err, ErrStepSizeTooSmall) {
		t.Errorf("t0 = 1e15: %v", err)
	}
	l, _ = d.NewODELogLik()
	if _, err := l.Eval([]float64{0.1, 1e200}, g); !errors.Is(err, ErrNonFinite) {
		t.Errorf("ωₙ = 1e200: %v", err)
	}
}

// oscODELogLikStageForm evaluates l's log likelihood and gradient at θ by
// the stage form of l's solver on the augmented ODEFunc. scale is the sums'
// magnitude before cancellation, Σ |rᵢ|·(|∂xᵢ/∂ζ| + |∂xᵢ/∂ω|) + rᵢ², over σ².
func oscODELogLikStageForm(t *testing.T, l *OscillatorODELik, th []float64) (v float64, grad [2]float64, scale float64, st ODEStats) {
	t.Helper()
	z, w := th[0], th[1]
	c1, c2 := 2*z*w, w*w
	rhs := func(_ float64, y, dy []float64) {
		x, v, xz, xw, vz, vw := y[0], y[1], y[2], y[3], y[4], y[5]
		dy[0] = v
		dy[1] = -c1*v - c2*x
		dy[2] = vz
		dy[3] = vw
		dy[4] = -c1*vz - c2*xz - 2*w*v
		dy[5] = -c1*vw - c2*xw - 2*z*v - 2*w*x
	}
	d := &l.d
	out := make([]float64, 6*len(d.T))
	st, err := l.ode.solve(rhs, odeLinear2{}, d.T0, []float64{d.X0, d.V0, 0, 0, 0, 0}, d.T, out)
	if err != nil {
		t.Fatal(err)
	}
	var ss, gz, gw float64
	for i, xi := range d.X {
		r := xi - out[6*i]
		ss += r * r
		gz += r * out[6*i+2]
		gw += r * out[6*i+3]
		scale += math.Abs(r)*(math.Abs(out[6*i+2])+math.Abs(out[6*i+3])) + r*r
	}
	inv2 := 1 / (d.NoiseStd * d.NoiseStd)
	return l.c - 0.5*ss*inv2, [2]float64{gz * inv2, gw * inv2}, scale * inv2, st
}
