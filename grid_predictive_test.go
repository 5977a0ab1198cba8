package bnn

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// For the linear model x(t) = θ·t under a Gaussian grid posterior
// θ ~ N(m, s²), the predictive is exactly N(m·t, s²t² + σ²).
func TestGridPredictiveLinearGaussian(t *testing.T) {
	const m, s, sigma = 0.7, 0.2, 0.3
	model := GridModel{
		LogPrior: func([]float64) float64 { return 0 },
		NewLogLik: func() LogDensity {
			return func(th []float64) (float64, error) { u := (th[0] - m) / s; return -0.5 * u * u, nil }
		},
	}
	g, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: m - 10*s, Hi: m + 10*s, N: 801}}, model, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	lin := func() Trajectory {
		return func(dst, theta, ts []float64) error {
			for i, tt := range ts {
				dst[i] = theta[0] * tt
			}
			return nil
		}
	}
	ts := []float64{0, 0.5, 1, 2, 5}
	p, err := g.Predictive(context.Background(), ts, lin, sigma, GridPredictiveConfig{Level: 0.9, TailMass: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	z := 1.6448536269514722
	for i, tt := range ts {
		sd := math.Sqrt(s*s*tt*tt + sigma*sigma)
		if math.Abs(p.Mean[i]-m*tt) > 1e-9 || !relClose(p.Std[i], sd, 1e-6) || !relClose(p.LatentStd[i]+1e-300, s*tt+1e-300, 1e-6) {
			t.Errorf("t=%g: mean %g std %g latent %g, want %g %g %g", tt, p.Mean[i], p.Std[i], p.LatentStd[i], m*tt, sd, s*tt)
		}
		if math.Abs(p.Lower[i]-(m*tt-z*sd)) > 1e-6 || math.Abs(p.Upper[i]-(m*tt+z*sd)) > 1e-6 {
			t.Errorf("t=%g: band [%g, %g], want ±%g", tt, p.Lower[i], p.Upper[i], z*sd)
		}
	}
	if p.Cells >= 801 || p.Cells < 100 {
		t.Errorf("%d mixture cells", p.Cells)
	}
}

// A bimodal posterior gives a non-Gaussian predictive whose quantiles must
// solve the mixture CDF.
func TestGridPredictiveBimodalQuantiles(t *testing.T) {
	g := &GridPosterior{Axes: []GridAxis{{Lo: -1, Hi: 1, N: 2}}, LogPost: []float64{math.Log(0.25), math.Log(0.75)},
		Prob: []float64{0.25, 0.75}}
	ident := func() Trajectory {
		return func(dst, theta, ts []float64) error { dst[0] = theta[0] * 3; return nil }
	}
	p, err := g.Predictive(context.Background(), []float64{1}, ident, 1, GridPredictiveConfig{Level: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	cdf := func(x float64) float64 {
		return 0.25*0.5*math.Erfc(-(x+3)/math.Sqrt2) + 0.75*0.5*math.Erfc(-(x-3)/math.Sqrt2)
	}
	if math.Abs(cdf(p.Lower[0])-0.25) > 1e-12 || math.Abs(cdf(p.Upper[0])-0.75) > 1e-12 {
		t.Errorf("band [%g, %g] has CDF [%g, %g]", p.Lower[0], p.Upper[0], cdf(p.Lower[0]), cdf(p.Upper[0]))
	}
	if math.Abs(p.Mean[0]-1.5) > 1e-12 {
		t.Errorf("mean %g, want 1.5", p.Mean[0])
	}
	// Components 1000σ apart with the quantile at the far side of the gap:
	// the iteration must cross the nearly flat gap (it used to crawl across
	// in steps of ~σ/20 and stop after 100 of them, far from the quantile).
	far := func() Trajectory {
		return func(dst, theta, ts []float64) error { dst[0] = theta[0] * 500; return nil }
	}
	p, err = g.Predictive(context.Background(), []float64{1}, far, 1, GridPredictiveConfig{Level: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	farCDF := func(x float64) float64 {
		return 0.25*0.5*math.Erfc(-(x+500)/math.Sqrt2) + 0.75*0.5*math.Erfc(-(x-500)/math.Sqrt2)
	}
	if math.Abs(farCDF(p.Lower[0])-0.1) > 1e-12 || math.Abs(farCDF(p.Upper[0])-0.9) > 1e-12 {
		t.Errorf("far components: band [%g, %g] has CDF [%g, %g], want [0.1, 0.9]", p.Lower[0], p.Upper[0], farCDF(p.Lower[0]), farCDF(p.Upper[0]))
	}
}

func TestGridPredictiveSeed(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	m, err := d.GridModel()
	if err != nil {
		t.Fatal(err)
	}
	axes := NotebookOscillatorGrid()
	if !testing.Short() {
		// The refined grid has thousands of cells with mass; the seed's, tens.
		axes[0] = GridAxis{Name: "zeta", Lo: 0.063, Hi: 0.103, N: 73}
		axes[1] = GridAxis{Name: "omega_n", Lo: 1.078, Hi: 1.133, N: 73}
	}
	g, err := NewGridPosterior(context.Background(), axes, m, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ts := odeLinspace(0, 8, 100)
	var first *GridPredictive
	for _, w := range []int{1, 3} {
		p, err := g.Predictive(context.Background(), ts, d.NewTrajectory, d.NoiseStd, GridPredictiveConfig{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = p
			continue
		}
		if !slices.Equal(p.Mean, first.Mean) || !slices.Equal(p.Lower, first.Lower) || !slices.Equal(p.Upper, first.Upper) {
			t.Errorf("%d workers: predictive differs", w)
		}
	}
	p := first
	truth := Oscillator{Zeta: 0.08, OmegaN: 1.1}
	inside := 0
	for i, tt := range ts {
		xt, _ := truth.Exact(tt, 1, 0)
		if p.Std[i] < d.NoiseStd || p.Lower[i] >= p.Mean[i] || p.Upper[i] <= p.Mean[i] {
			t.Fatalf("t=%g: std %g band [%g, %g] around %g", tt, p.Std[i], p.Lower[i], p.Upper[i], p.Mean[i])
		}
		if math.Abs(p.Mean[i]-xt) < 2*p.LatentStd[i]+0.01 {
			inside++
		}
	}
	t.Logf("%d mixture cells; latent std at t=0,4,8: %.3g %.3g %.3g; truth within the mean ± 2 latent std + 0.01 at %d/100 times",
		p.Cells, p.LatentStd[0], p.LatentStd[50], p.LatentStd[99], inside)
	if inside < 90 {
		t.Errorf("truth near the predictive mean at only %d of 100 times", inside)
	}
	if p.LatentStd[0] > 1e-12 || p.LatentStd[99] < p.LatentStd[50] {
		t.Errorf("latent std %g at t=0, %g at t=4, %g at t=8", p.LatentStd[0], p.LatentStd[50], p.LatentStd[99])
	}
}

func TestGridPredictiveErrors(t *testing.T) {
	g, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: -1, Hi: 1, N: 5}, {Lo: 0, Hi: 0, N: 1}}, gaussianModel(0, 0, 1, 1, 0), GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	lin := func() Trajectory {
		return func(dst, theta, ts []float64) error {
			for i := range ts {
				dst[i] = theta[0]
			}
			return nil
		}
	}
	cases := []struct {
		ts    []float64
		tr    func() Trajectory
		noise float64
		opts  GridPredictiveConfig
		want  error
	}{
		{nil, lin, 1, GridPredictiveConfig{}, ErrEmpty},
		{[]float64{math.NaN()}, lin, 1, GridPredictiveConfig{}, ErrNonFinite},
		{[]float64{1}, nil, 1, GridPredictiveConfig{}, ErrInvalidParameter},
		{[]float64{1}, lin, 0, GridPredictiveConfig{}, ErrInvalidParameter},
		{[]float64{1}, lin, 1, GridPredictiveConfig{Level: 1}, ErrInvalidParameter},
		{[]float64{1}, lin, 1, GridPredictiveConfig{TailMass: 1}, ErrInvalidParameter},
		{[]float64{1}, func() Trajectory {
			return func(dst, theta, _ []float64) error { dst[0] = math.Log(theta[0]); return nil }
		}, 1, GridPredictiveConfig{}, ErrNonFinite},
		{[]float64{1}, func() Trajectory {
			return func(_, theta, _ []float64) error {
				if theta[0] > 0 {
					return ErrTooManySteps
				}
				return nil
			}
		}, 1, GridPredictiveConfig{}, ErrTooManySteps},
	}
	for i, c := range cases {
		if _, err := g.Predictive(context.Background(), c.ts, c.tr, c.noise, c.opts); !errors.Is(err, c.want) {
			t.Errorf("case %d: got %v, want %v", i, err, c.want)
		}
	}
}

// BenchmarkGridPredictiveSeed is the posterior predictive of the seed's
// refined grid at 300 times on [0, 8] s (about 2,900 mixture cells).
func BenchmarkGridPredictiveSeed(b *testing.B) {
	x, _ := loadSeedGrid(b)
	d := NotebookOscillatorData(x)
	m, _ := d.GridModel()
	g, _, err := RefineGridPosterior(context.Background(), NotebookOscillatorGrid(), m, GridRefineConfig{})
	if err != nil {
		b.Fatal(err)
	}
	ts := odeLinspace(0, 8, 300)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Predictive(context.Background(), ts, d.NewTrajectory, d.NoiseStd, GridPredictiveConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzGridPredictive feeds arbitrary times, noise, level, tail mass and a
// trajectory scale (possibly NaN or huge) through Predictive on a small 2-D
// Gaussian posterior: it returns a typed error or finite bands with
// Lower ≤ Upper and a positive predictive std at every time.
func FuzzGridPredictive(f *testing.F) {
	g, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: -1, Hi: 3, N: 9}, {Lo: -3, Hi: -1, N: 7}}, gaussianModel(1, -2, 0.5, 0.4, 0.3), GridConfig{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(0.0, 1.0, 2.0, 0.3, 0.95, 0.0, 1.0)
	f.Add(2.0, 1.0, 0.0, 1e-300, 0.5, 0.5, 1e300)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, math.NaN())
	f.Fuzz(func(t *testing.T, t0, t1, t2, noise, level, tail, scale float64) {
		ts := []float64{t0, t1, t2}
		newTraj := func() Trajectory {
			return func(dst, th, ts []float64) error {
				for i, tt := range ts {
					dst[i] = scale * (th[0] + th[1]*tt)
				}
				return nil
			}
		}
		p, err := g.Predictive(context.Background(), ts, newTraj, noise, GridPredictiveConfig{Level: level, TailMass: tail, Workers: 2})
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrInvalidParameter) && !errors.Is(err, ErrNonFinite) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for i := range ts {
			if !(p.Std[i] > 0) || math.IsNaN(p.Mean[i]) || !(p.Lower[i] <= p.Upper[i]) || p.Cells < 1 {
				t.Fatalf("t = %g: mean %g std %g band [%g, %g], %d cells", ts[i], p.Mean[i], p.Std[i], p.Lower[i], p.Upper[i], p.Cells)
			}
		}
	})
}
