package bnn

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

type scipyDistCase struct {
	Family string             `json:"family"`
	Params map[string]float64 `json:"params"`
	X      []float64          `json:"x"`
	LogPDF []scipyFloat       `json:"logpdf"`
	CDF    []float64          `json:"cdf"`
	Mean   float64            `json:"mean"`
	Var    float64            `json:"var"`
}

// scipyFloat decodes Python's JSON numbers, including its -Infinity token
// (rewritten to a string before decoding).
type scipyFloat float64

func (f *scipyFloat) UnmarshalJSON(b []byte) error {
	if string(b) == `"-Infinity"` {
		*f = scipyFloat(math.Inf(-1))
		return nil
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = scipyFloat(v)
	return err
}

// univariate is what every scalar distribution here offers.
type univariate interface {
	LogProb(x float64) float64
	Prob(x float64) float64
	CDF(x float64) float64
	Mean() float64
	Variance() float64
	Sample(r *rand.Rand) float64
}

func newScipyDist(t *testing.T, c scipyDistCase) univariate {
	t.Helper()
	var d univariate
	var err error
	p := c.Params
	switch c.Family {
	case "normal":
		d, err = NewNormal(p["mu"], p["sigma"])
	case "gamma":
		d, err = NewGamma(p["shape"], p["scale"])
	case "invgamma":
		d, err = NewInverseGamma(p["shape"], p["scale"])
	case "uniform":
		d, err = NewUniform(p["low"], p["high"])
	default:
		t.Fatalf("unknown family %q", c.Family)
	}
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

func TestDistributionsMatchSciPy(t *testing.T) {
	raw, err := os.ReadFile("testdata/distributions.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []scipyDistCase `json:"cases"`
	}
	raw = bytes.ReplaceAll(raw, []byte("-Infinity"), []byte(`"-Infinity"`))
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) < 10 {
		t.Fatalf("only %d cases", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		d := newScipyDist(t, c)
		for i, x := range c.X {
			want := float64(c.LogPDF[i])
			if e := relErr(d.LogProb(x), want); e > 1e-12 {
				t.Errorf("%s %v: logpdf(%g) = %.17g, SciPy %.17g (rel %g)", c.Family, c.Params, x, d.LogProb(x), want, e)
			}
			if e := relErr(d.CDF(x), c.CDF[i]); e > 1e-10 {
				t.Errorf("%s %v: cdf(%g) = %.17g, SciPy %.17g (rel %g)", c.Family, c.Params, x, d.CDF(x), c.CDF[i], e)
			}
			if e := relErr(d.Prob(x), math.Exp(want)); e > 1e-11 {
				t.Errorf("%s: pdf(%g) rel %g", c.Family, x, e)
			}
		}
		if e := relErr(d.Mean(), c.Mean); e > 1e-12 {
			t.Errorf("%s %v: mean %g, SciPy %g", c.Family, c.Params, d.Mean(), c.Mean)
		}
		if e := relErr(d.Variance(), c.Var); e > 1e-12 {
			t.Errorf("%s %v: variance %g, SciPy %g", c.Family, c.Params, d.Variance(), c.Var)
		}
	}
}

// TestDistributionSampleMoments checks sample means and variances against
// the analytic ones within 5 standard errors.
func TestDistributionSampleMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 43))
	mk := func(d univariate, err error) univariate {
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	dists := map[string]univariate{
		"normal":      mk(NewNormal(1.5, 2)),
		"gamma k=0.3": mk(NewGamma(0.3, 2)),
		"gamma k=1":   mk(NewGamma(1, 0.5)),
		"gamma k=7.5": mk(NewGamma(7.5, 0.1)),
		"invgamma":    mk(NewInverseGamma(9, 2)),
		"uniform":     mk(NewUniform(-1, 3)),
	}
	const n = 100000
	for name, d := range dists {
		var s, s2 float64
		for i := 0; i < n; i++ {
			x := d.Sample(r)
			if d.LogProb(x) == math.Inf(-1) {
				t.Fatalf("%s: sample %g outside the support", name, x)
			}
			s += x
			s2 += x * x
		}
		mean := s / n
		v := s2/n - mean*mean
		if se := math.Sqrt(d.Variance() / n); math.Abs(mean-d.Mean()) > 5*se {
			t.Errorf("%s: sample mean %g, want %g ± %g", name, mean, d.Mean(), 5*se)
		}
		if math.Abs(v-d.Variance()) > 0.05*d.Variance() {
			t.Errorf("%s: sample variance %g, want %g", name, v, d.Variance())
		}
	}
}

func TestDistributionSupportAndParams(t *testing.T) {
	g, _ := NewGamma(2, 1)
	ig, _ := NewInverseGamma(2, 1)
	u, _ := NewUniform(0, 1)
	nrm, _ := NewNormal(0, 1)
	ninf := math.Inf(-1)
	for _, c := range []struct {
		name string
		got  float64
	}{
		{"gamma x<0", g.LogProb(-1)}, {"gamma +Inf", g.LogProb(math.Inf(1))}, {"gamma 0 k>1", g.LogProb(0)},
		{"invgamma 0", ig.LogProb(0)}, {"invgamma x<0", ig.LogProb(-3)}, {"invgamma +Inf", ig.LogProb(math.Inf(1))},
		{"uniform below", u.LogProb(-0.1)}, {"uniform above", u.LogProb(1.1)}, {"normal -Inf", nrm.LogProb(math.Inf(-1))},
	} {
		if c.got != ninf {
			t.Errorf("%s: log-density %g, want -Inf", c.name, c.got)
		}
	}
	if g.CDF(-1) != 0 || ig.CDF(0) != 0 || u.CDF(2) != 1 || g.CDF(math.Inf(1)) != 1 {
		t.Error("CDF outside the support")
	}
	g1, _ := NewGamma(1, 2)
	if v := g1.LogProb(0); v != -math.Log(2) {
		t.Errorf("gamma k=1 at 0: %g", v)
	}
	gs, _ := NewGamma(0.5, 1)
	if v := gs.LogProb(0); !math.IsInf(v, 1) {
		t.Errorf("gamma k<1 at 0: %g", v)
	}
	bad := []error{}
	for _, p := range [][2]float64{{0, 1}, {-1, 1}, {1, 0}, {math.NaN(), 1}, {1, math.Inf(1)}} {
		_, e1 := NewGamma(p[0], p[1])
		_, e2 := NewInverseGamma(p[0], p[1])
		bad = append(bad, e1, e2)
	}
	for _, p := range [][2]float64{{0, 0}, {0, -1}, {math.NaN(), 1}, {math.Inf(1), 1}, {0, math.Inf(1)}} {
		_, e := NewNormal(p[0], p[1])
		bad = append(bad, e)
	}
	_, e := NewUniform(1, 1)
	bad = append(bad, e)
	_, e = NewUniform(math.Inf(-1), 1)
	bad = append(bad, e)
	for i, err := range bad {
		if !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

func TestIncompleteGammaIdentities(t *testing.T) {
	// P(1, x) = 1 − e⁻ˣ; P(½, x) = erf(√x); P + Q = 1.
	for _, x := range []float64{1e-8, 0.01, 0.5, 1, 2, 5, 20, 80} {
		if e := relErr(gammaIncP(1, x), -math.Expm1(-x)); e > 1e-13 {
			t.Errorf("P(1,%g) rel %g", x, e)
		}
		if e := relErr(gammaIncQ(1, x), math.Exp(-x)); e > 1e-13 {
			t.Errorf("Q(1,%g) rel %g", x, e)
		}
		if e := relErr(gammaIncP(0.5, x), math.Erf(math.Sqrt(x))); e > 1e-13 {
			t.Errorf("P(½,%g) rel %g", x, e)
		}
		if e := relErr(gammaIncQ(0.5, x), math.Erfc(math.Sqrt(x))); e > 1e-12 {
			t.Errorf("Q(½,%g) rel %g", x, e)
		}
		for _, a := range []float64{0.1, 3, 30} {
			if s := gammaIncP(a, x) + gammaIncQ(a, x); math.Abs(s-1) > 1e-14 {
				t.Errorf("P+Q(%g,%g) = %g", a, x, s)
			}
		}
	}
	if !math.IsNaN(gammaIncP(-1, 1)) || !math.IsNaN(gammaIncQ(1, -1)) {
		t.Error("invalid arguments should give NaN")
	}
}

func TestMultivariateNormal(t *testing.T) {
	cov, _ := NewDense(2, 2, []float64{2, 0.6, 0.6, 1})
	mean := []float64{1, -1}
	m, err := NewMultivariateNormal(mean, cov)
	if err != nil {
		t.Fatal(err)
	}
	// Closed form for 2-D: det = 2 − 0.36 = 1.64; Σ⁻¹ = [1 −0.6; −0.6 2]/1.64.
	x := []float64{0.3, 0.4}
	dx, dy := x[0]-1, x[1]+1
	q := (dx*dx - 1.2*dx*dy + 2*dy*dy) / 1.64
	want := -0.5*q - 0.5*math.Log(1.64) - math.Log(2*math.Pi)
	got, err := m.LogProb(x)
	if err != nil || math.Abs(got-want) > 1e-14 {
		t.Errorf("LogProb = %.17g, want %.17g (%v)", got, want, err)
	}
	if v := m.Variance(); math.Abs(v[0]-2) > 1e-15 || math.Abs(v[1]-1) > 1e-15 {
		t.Errorf("Variance = %v", v)
	}
	back, _ := NewDense(2, 2, nil)
	_ = m.CovarianceTo(back)
	if d := maxAbsDiff(back.data, cov.data); d > 1e-15 {
		t.Errorf("covariance round trip %g", d)
	}
	// Sample covariance.
	r := rand.New(rand.NewPCG(5, 5))
	const n = 50000
	s := make([]float64, 2)
	var sx, sy, sxx, sxy, syy float64
	for i := 0; i < n; i++ {
		_ = m.SampleTo(s, r)
		sx += s[0]
		sy += s[1]
		sxx += s[0] * s[0]
		sxy += s[0] * s[1]
		syy += s[1] * s[1]
	}
	mx, my := sx/n, sy/n
	if math.Abs(mx-1) > 0.03 || math.Abs(my+1) > 0.03 ||
		math.Abs(sxx/n-mx*mx-2) > 0.06 || math.Abs(sxy/n-mx*my-0.6) > 0.04 || math.Abs(syy/n-my*my-1) > 0.03 {
		t.Errorf("sample moments %g %g %g %g %g", mx, my, sxx/n-mx*mx, sxy/n-mx*my, syy/n-my*my)
	}
	if m.Dim() != 2 {
		t.Errorf("Dim = %d", m.Dim())
	}
	if mu := m.Mean(); mu[0] != 1 || mu[1] != -1 {
		t.Errorf("Mean = %v", mu)
	} else if mu[0] = 7; m.Mean()[0] != 1 {
		t.Error("Mean returns the distribution's own storage")
	}
	// Sample is SampleTo into a fresh vector: the same stream gives the same draw.
	r1, r2 := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
	_ = m.SampleTo(s, r2)
	if got := m.Sample(r1); got[0] != s[0] || got[1] != s[1] {
		t.Errorf("Sample = %v, SampleTo = %v", got, s)
	}
	if a := testing.AllocsPerRun(10, func() { _ = m.SampleTo(s, r) }); a != 0 {
		t.Errorf("SampleTo allocates %g", a)
	}
	if lp, _ := m.LogProb([]float64{math.Inf(1), 0}); !math.IsInf(lp, -1) {
		t.Errorf("infinite point: %g", lp)
	}
	if _, err := m.LogProb([]float64{math.NaN(), 0}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN point: %v", err)
	}
	if _, err := m.LogProb([]float64{1}); !errors.Is(err, ErrShape) {
		t.Errorf("short point: %v", err)
	}
	notPD, _ := NewDense(2, 2, []float64{1, 2, 2, 1})
	if _, err := NewMultivariateNormal(mean, notPD); !errors.Is(err, ErrNotPositiveDefinite) {
		t.Errorf("indefinite covariance: %v", err)
	}
	if _, err := NewMultivariateNormal([]float64{1, 2, 3}, cov); !errors.Is(err, ErrShape) {
		t.Errorf("mismatched mean: %v", err)
	}
	if _, err := NewMultivariateNormal(nil, &Dense{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
}

// FuzzDistributions builds every distribution from arbitrary parameters and
// evaluates it at an arbitrary point: constructors either fail with
// ErrInvalidParameter or give a distribution whose log-density is never NaN
// at a non-NaN point and whose CDF lies in [0, 1].
func FuzzDistributions(f *testing.F) {
	f.Add(1.0, 2.0, 0.5)
	f.Add(0.1, 1e-300, 1e300)
	f.Add(-1.0, math.Inf(1), math.NaN())
	f.Fuzz(func(t *testing.T, p, q, x float64) {
		var ds []univariate
		if d, err := NewNormal(p, q); err == nil {
			ds = append(ds, d)
		} else if !errors.Is(err, ErrInvalidParameter) {
			t.Fatal(err)
		}
		if d, err := NewGamma(p, q); err == nil {
			ds = append(ds, d)
		} else if !errors.Is(err, ErrInvalidParameter) {
			t.Fatal(err)
		}
		if d, err := NewInverseGamma(p, q); err == nil {
			ds = append(ds, d)
		} else if !errors.Is(err, ErrInvalidParameter) {
			t.Fatal(err)
		}
		if d, err := NewUniform(p, q); err == nil {
			ds = append(ds, d)
		} else if !errors.Is(err, ErrInvalidParameter) {
			t.Fatal(err)
		}
		if math.IsNaN(x) {
			return
		}
		for _, d := range ds {
			if lp := d.LogProb(x); math.IsNaN(lp) {
				t.Fatalf("%#v: LogProb(%g) is NaN", d, x)
			}
			if c := d.CDF(x); !(c >= 0 && c <= 1) {
				t.Fatalf("%#v: CDF(%g) = %g", d, x, c)
			}
		}
	})
}
