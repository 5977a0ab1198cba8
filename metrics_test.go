package bnn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestMetricsKnownValues(t *testing.T) {
	mean := []float64{0, 1, 2, 3}
	y := []float64{1, 1, 0, 3}
	std := []float64{1, 0.5, 1, 2}
	r, err := RMSE(mean, y)
	if err != nil || math.Abs(r-math.Sqrt(5.0/4)) > 1e-15 {
		t.Fatalf("RMSE = %v, %v", r, err)
	}
	nll, _ := GaussianNLL(mean, std, y)
	want := 0.0
	for i := range y {
		z := (y[i] - mean[i]) / std[i]
		want += 0.5*math.Log(2*math.Pi*std[i]*std[i]) + z*z/2
	}
	if math.Abs(nll-want/4) > 1e-14 {
		t.Fatalf("NLL = %v, want %v", nll, want/4)
	}
	// |y−m| = 1, 0, 2, 0 against 2σ = 2, 1, 2, 4: all inside (boundary counts).
	if c, _ := Coverage(mean, std, y, 2); c != 1 {
		t.Fatalf("coverage 2σ = %v", c)
	}
	if c, _ := Coverage(mean, std, y, 1); c != 0.75 {
		t.Fatalf("coverage 1σ = %v", c)
	}
	// CRPS of N(0,1) at its mean is 2φ(0) − 1/√π = (√2 − 1)/√π.
	c, _ := CRPSGaussian([]float64{0}, []float64{1}, []float64{0})
	if math.Abs(c-(math.Sqrt2-1)/math.Sqrt(math.Pi)) > 1e-15 {
		t.Fatalf("CRPS = %v", c)
	}
	// Far from the forecast the CRPS tends to |y−μ| − σ/√π.
	c, _ = CRPSGaussian([]float64{0}, []float64{0.1}, []float64{10})
	if math.Abs(c-(10-0.1/math.Sqrt(math.Pi))) > 1e-12 {
		t.Fatalf("CRPS far = %v", c)
	}
	// Two equally likely samples {0, 2}, y = 0: E|X−y| = 1, ½E|X−X′| = ½·1 → 0.5.
	c, _ = CRPSSamples([]float64{0, 2}, []float64{0})
	if math.Abs(c-0.5) > 1e-15 {
		t.Fatalf("CRPS samples = %v", c)
	}
}

func TestCRPSSamplesMatchesClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const S, n = 20000, 3
	mean := []float64{0, 1, -2}
	std := []float64{1, 0.3, 2}
	y := []float64{0.5, 1.2, 1}
	samples := make([]float64, S*n)
	for s := range S {
		for i := range n {
			samples[s*n+i] = mean[i] + std[i]*rng.NormFloat64()
		}
	}
	got, err := CRPSSamples(samples, y)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := CRPSGaussian(mean, std, y)
	if math.Abs(got-want) > 0.01*want {
		t.Fatalf("sample CRPS %v, closed form %v", got, want)
	}
}

func TestCalibrationCurveCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 20000
	mean, std, y := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		mean[i] = rng.Float64()
		std[i] = 0.1 + rng.Float64()
		y[i] = mean[i] + std[i]*rng.NormFloat64()
	}
	levels := []float64{0.1, 0.5, 0.9, 0.95, 0.99}
	obs, err := CalibrationCurve(mean, std, y, levels)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range levels {
		if math.Abs(obs[i]-l) > 0.012 {
			t.Errorf("level %v: observed %v", l, obs[i])
		}
	}
	// Over-confident forecasts (std halved) under-cover.
	for i := range std {
		std[i] /= 2
	}
	c, _ := CoverageLevel(mean, std, y, 0.95)
	if c > 0.75 {
		t.Fatalf("halved std still covers %v", c)
	}
	m, err := Evaluate(mean, std, y)
	if err != nil || m.RMSE <= 0 || m.MeanStd <= 0 || m.Coverage2Sigma > 0.75 {
		t.Fatalf("Evaluate = %+v, %v", m, err)
	}
}

func TestMetricsErrors(t *testing.T) {
	one := []float64{1}
	two := []float64{1, 2}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"empty", func() error { _, e := RMSE(nil, nil); return e }(), ErrEmpty},
		{"length", func() error { _, e := RMSE(one, two); return e }(), ErrShape},
		{"std length", func() error { _, e := GaussianNLL(two, one, two); return e }(), ErrShape},
		{"nan", func() error { _, e := RMSE([]float64{math.NaN()}, one); return e }(), ErrNonFinite},
		{"inf target", func() error { _, e := RMSE(one, []float64{math.Inf(1)}); return e }(), ErrNonFinite},
		{"zero std", func() error { _, e := GaussianNLL(one, []float64{0}, one); return e }(), ErrInvalidParameter},
		{"negative std", func() error { _, e := CRPSGaussian(one, []float64{-1}, one); return e }(), ErrInvalidParameter},
		{"k", func() error { _, e := Coverage(one, one, one, 0); return e }(), ErrInvalidParameter},
		{"level", func() error { _, e := CoverageLevel(one, one, one, 1); return e }(), ErrInvalidParameter},
		{"levels empty", func() error { _, e := CalibrationCurve(one, one, one, nil); return e }(), ErrEmpty},
		{"levels nan", func() error { _, e := CalibrationCurve(one, one, one, []float64{math.NaN()}); return e }(), ErrInvalidParameter},
		{"samples shape", func() error { _, e := CRPSSamples([]float64{1, 2, 3}, two); return e }(), ErrShape},
		{"samples empty", func() error { _, e := CRPSSamples(nil, one); return e }(), ErrShape},
		{"samples nan", func() error { _, e := CRPSSamples([]float64{math.NaN()}, one); return e }(), ErrNonFinite},
		{"evaluate", func() error { _, e := Evaluate(one, []float64{0}, one); return e }(), ErrInvalidParameter},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
		}
	}
}

func FuzzMetrics(f *testing.F) {
	f.Add(0.0, 1.0, 0.5, 1.0, 2.0, 0.9)
	f.Add(math.NaN(), 0.0, -1.0, 1e308, -1e308, 1.5)
	f.Fuzz(func(t *testing.T, m0, m1, s0, s1, y0, level float64) {
		mean, std, y := []float64{m0, m1}, []float64{s0, s1}, []float64{y0, y0}
		if _, err := Evaluate(mean, std, y); err == nil {
			for _, s := range std {
				if !(s > 0) {
					t.Fatalf("accepted std %v", s)
				}
			}
		}
		c, err := CoverageLevel(mean, std, y, level)
		if err == nil && (c < 0 || c > 1) {
			t.Fatalf("coverage %v", c)
		}
		_, _ = CalibrationCurve(mean, std, y, []float64{level})
		v, err := CRPSSamples([]float64{m0, m1, s0, s1}, []float64{y0, level})
		if err == nil && v < -1e-9*math.Abs(v) && !math.IsInf(v, 0) {
			t.Fatalf("negative CRPS %v", v)
		}
	})
}
