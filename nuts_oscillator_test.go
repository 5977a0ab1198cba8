package bnn

import (
	"math"
	"testing"
)

// oscExactModel is Stan's oscillator_exact.stan on the constrained scale:
// x(t) = e^{−ζωt}(cos ω_d t + (ζω/ω_d) sin ω_d t), ω_d = ω√(1 − ζ²),
// x_obs ~ N(x(t), σ²), flat priors on ζ ∈ (0, 0.25), ω ∈ (0.6, 1.6) (the
// bounds come from the transforms). For equally spaced times from 0 it
// evaluates e^{−at} and (cos bt, sin bt) by recurrences (one complex
// multiply per point instead of exp and sincos).
type oscExactModel struct {
	t, x    []float64
	sigma   float64
	dt      float64 // > 0 when t[i] = i·dt
	evals   int
	noRecur bool
}

func newOscExactModel(t, x []float64, sigma float64) *oscExactModel {
	m := &oscExactModel{t: t, x: x, sigma: sigma}
	if len(t) > 1 && t[0] == 0 {
		dt := t[1]
		ok := true
		for i, v := range t {
			if math.Abs(v-float64(i)*dt) > 1e-12*math.Max(1, math.Abs(v)) {
				ok = false
				break
			}
		}
		if ok {
			m.dt = dt
		}
	}
	return m
}

// logJoint returns Σ log N(x_obs; x(t), σ²) up to a constant and its
// gradient in (ζ, ω).
func (m *oscExactModel) logJoint(th, g []float64) float64 {
	zeta, omega := th[0], th[1]
	a := zeta * omega
	c := math.Sqrt(1 - zeta*zeta)
	b := omega * c
	ab := a / b
	inv2 := 1 / (m.sigma * m.sigma)
	var ss, ga, gb float64 // Σ r², Σ r·∂x/∂a, Σ r·∂x/∂b
	if m.dt > 0 && !m.noRecur {
		re := math.Exp(-a * m.dt)
		rs, rc := math.Sincos(b * m.dt)
		e, cs, sn := 1.0, 1.0, 0.0
		for i, xo := range m.x {
			t := float64(i) * m.dt
			es, ec := e*sn, e*cs
			x := ec + ab*es
			r := xo - x
			ss += r * r
			// ∂x/∂a = −t·x + e·sin/b; ∂x/∂b = t·e·(−sin + (a/b)cos) − (a/b²)·e·sin.
			ga += r * (-t*x + es/b)
			gb += r * (t*(ab*ec-es) - ab/b*es)
			e *= re
			cs, sn = cs*rc-sn*rs, sn*rc+cs*rs
		}
	} else {
		for i, xo := range m.x {
			t := m.t[i]
			e := math.Exp(-a * t)
			sn, cs := math.Sincos(b * t)
			es, ec := e*sn, e*cs
			x := ec + ab*es
			r := xo - x
			ss += r * r
			ga += r * (-t*x + es/b)
			gb += r * (t*(ab*ec-es) - ab/b*es)
		}
	}
	// a = ζω, b = ω√(1−ζ²): ∂a/∂ζ = ω, ∂a/∂ω = ζ, ∂b/∂ζ = −ωζ/√(1−ζ²), ∂b/∂ω = √(1−ζ²).
	g[0] = inv2 * (ga*omega - gb*omega*zeta/c)
	g[1] = inv2 * (ga*zeta + gb*c)
	return -0.5 * inv2 * ss
}

func seedOscExact(t testing.TB) (*oscExactModel, *Constrained, []float64) {
	x, _ := loadSeedGrid(t)
	d := SeedOscillatorData(x)
	tr, err := NewConstrained(Interval(0, 0.25), Interval(0.6, 1.6))
	if err != nil {
		t.Fatal(err)
	}
	return newOscExactModel(d.T, d.X, d.NoiseStd), tr, x
}

func TestOscExactModelMatchesOscillator(t *testing.T) {
	m, tr, _ := seedOscExact(t)
	slow := *m
	slow.noRecur = true
	g1, g2 := make([]float64, 2), make([]float64, 2)
	for _, th := range [][]float64{{0.083, 1.107}, {0.01, 0.7}, {0.24, 1.55}} {
		// Against Oscillator.Exact and the Gaussian log likelihood.
		want := 0.0
		for i, tt := range m.t {
			xp, _ := Oscillator{Zeta: th[0], OmegaN: th[1]}.Exact(tt, 1, 0)
			r := (m.x[i] - xp) / m.sigma
			want -= 0.5 * r * r
		}
		got, ref := m.logJoint(th, g1), slow.logJoint(th, g2)
		if math.Abs(got-want) > 1e-10*math.Abs(want) || math.Abs(ref-want) > 1e-10*math.Abs(want) {
			t.Errorf("θ=%v: log lik %v (recurrence), %v (direct), want %v", th, got, ref, want)
		}
		for j := range 2 {
			if math.Abs(g1[j]-g2[j]) > 1e-9*math.Abs(g2[j]) {
				t.Errorf("θ=%v: gradient %d %v (recurrence) vs %v (direct)", th, j, g1[j], g2[j])
			}
		}
		if err := CheckGradient(m.logJoint, th, 1e-6); err != nil {
			t.Error(err)
		}
		y := make([]float64, 2)
		if err := tr.UnconstrainTo(y, th); err != nil {
			t.Fatal(err)
		}
		if err := CheckGradient(tr.LogJoint(m.logJoint), y, 1e-6); err != nil {
			t.Error(err)
		}
	}
}
