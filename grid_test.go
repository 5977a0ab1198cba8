package bnn

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

type seedGridRef struct {
	Seconds    float64   `json:"seconds"`
	Solves     int       `json:"solves"`
	MAP        []float64 `json:"map"`
	Mean       []float64 `json:"mean"`
	Std        []float64 `json:"std"`
	MaxLogPost float64   `json:"max_log_post"`
}

func loadSeedGrid(t testing.TB) ([]float64, seedGridRef) {
	t.Helper()
	b, err := os.ReadFile("testdata/seed_torch_cpu.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Data struct {
			XTrain []float64 `json:"x_train"`
		} `json:"data"`
		Sections struct {
			Grid seedGridRef `json:"grid"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Data.XTrain) != 60 || len(doc.Sections.Grid.Mean) != 2 {
		t.Fatalf("seed_torch_cpu.json: unexpected layout")
	}
	return doc.Data.XTrain, doc.Sections.Grid
}

func relClose(got, want, tol float64) bool { return math.Abs(got-want) <= tol*math.Abs(want) }

func TestGridSeedPosterior(t *testing.T) {
	x, ref := loadSeedGrid(t)
	g, err := OscillatorPosterior(context.Background(), NotebookOscillatorData(x), NotebookOscillatorGrid(), GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mean, std, mp := g.Mean(), g.Std(), g.MAP()
	t.Logf("mean %v (seed %v), std %v (seed %v), MAP %v (seed %v), cells/std %v",
		mean, ref.Mean, std, ref.Std, mp, ref.MAP, g.CellsPerStd())
	for d := range 2 {
		if !relClose(mean[d], ref.Mean[d], 0.02) || !relClose(std[d], ref.Std[d], 0.02) {
			t.Errorf("axis %d: mean %g std %g, seed %g %g", d, mean[d], std[d], ref.Mean[d], ref.Std[d])
		}
		if !relClose(mp[d], ref.MAP[d], 1e-6) {
			t.Errorf("axis %d: MAP %g, seed %g", d, mp[d], ref.MAP[d])
		}
	}
	maxLP := slices.Max(g.LogPost)
	if math.Abs(maxLP-ref.MaxLogPost) > 1e-3 {
		t.Errorf("max log posterior %g, seed %g", maxLP, ref.MaxLogPost)
	}
	// The seed's grid under-resolves ωₙ: its std spans under one cell.
	if c := g.CellsPerStd(); c[1] > 1 {
		t.Errorf("ωₙ cells per std %g: expected the seed grid to under-resolve", c[1])
	}
}

func TestGridSeedRefined(t *testing.T) {
	x, _ := loadSeedGrid(t)
	m, err := NotebookOscillatorData(x).GridModel()
	if err != nil {
		t.Fatal(err)
	}
	g, rep, err := RefineGridPosterior(context.Background(), NotebookOscillatorGrid(), m, GridRefineConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("refined: %d rounds, %d evaluations, cells/std %v → %v, axes %+v", rep.Rounds, rep.Evaluations, rep.Initial, rep.CellsPerStd, g.Axes)
	for d, c := range rep.CellsPerStd {
		if c < 5 {
			t.Errorf("axis %d: %g cells per std after refinement", d, c)
		}
	}
	if rep.Rounds < 1 {
		t.Errorf("the seed grid was not refined")
	}
	if testing.Short() {
		return
	}
	fine, rep2, err := RefineGridPosterior(context.Background(), g.Axes, m, GridRefineConfig{CellsPerStd: 10, HalfWidth: 7})
	if err != nil {
		t.Fatal(err)
	}
	m1, s1, m2, s2 := g.Mean(), g.Std(), fine.Mean(), fine.Std()
	t.Logf("further refined (%v cells/std): mean %v → %v, std %v → %v", rep2.CellsPerStd, m1, m2, s1, s2)
	for d := range 2 {
		if math.Abs(m1[d]-m2[d]) > 0.01*s2[d] || !relClose(s1[d], s2[d], 0.01) {
			t.Errorf("axis %d not stable under refinement: mean %g vs %g, std %g vs %g", d, m1[d], m2[d], s1[d], s2[d])
		}
		lo1, hi1, _ := g.CredibleInterval(d, 0.95)
		lo2, hi2, _ := fine.CredibleInterval(d, 0.95)
		if math.Abs(lo1-lo2) > 0.03*s2[d] || math.Abs(hi1-hi2) > 0.03*s2[d] {
			t.Errorf("axis %d: 95%% interval [%g, %g] vs [%g, %g]", d, lo1, hi1, lo2, hi2)
		}
	}
}

func TestGridDeterministicAcrossWorkers(t *testing.T) {
	x, _ := loadSeedGrid(t)
	axes := []GridAxis{{Name: "zeta", Lo: 0.02, Hi: 0.2, N: 23}, {Name: "omega_n", Lo: 0.7, Hi: 1.4, N: 17}}
	var first *GridPosterior
	for _, w := range []int{1, 2, 3, 16} {
		g, err := OscillatorPosterior(context.Background(), NotebookOscillatorData(x), axes, GridConfig{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = g
			continue
		}
		if !slices.Equal(g.LogPost, first.LogPost) || !slices.Equal(g.Prob, first.Prob) || g.LogSum != first.LogSum {
			t.Errorf("%d workers: results differ from 1 worker", w)
		}
	}
}

// gaussianModel is a correlated 2-D Gaussian log density with a flat prior.
func gaussianModel(m0, m1, s0, s1, rho float64) GridModel {
	return GridModel{
		LogPrior: func([]float64) float64 { return 0 },
		NewLogLik: func() LogDensity {
			return func(th []float64) (float64, error) {
				u, v := (th[0]-m0)/s0, (th[1]-m1)/s1
				return -0.5 * (u*u - 2*rho*u*v + v*v) / (1 - rho*rho), nil
			}
		},
	}
}

func TestGridGaussianSummaries(t *testing.T) {
	m := gaussianModel(1, -2, 0.5, 0.2, 0.6)
	axes := []GridAxis{{Name: "a", Lo: -2, Hi: 4, N: 241}, {Name: "b", Lo: -3.2, Hi: -0.8, N: 181}}
	g, err := NewGridPosterior(context.Background(), axes, m, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mean, std := g.Mean(), g.Std()
	// Point-sampled on a grid much finer than the std, the discrete moments
	// equal the continuous ones (no Sheppard correction).
	want := []float64{0.5, 0.2}
	if math.Abs(mean[0]-1) > 1e-9 || math.Abs(mean[1]+2) > 1e-9 || !relClose(std[0], want[0], 1e-6) || !relClose(std[1], want[1], 1e-6) {
		t.Errorf("mean %v std %v, want (1, -2) and %v", mean, std, want)
	}
	lo, hi, err := g.CredibleInterval(0, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	z := 1.6448536269514722
	if math.Abs(lo-(1-z*0.5)) > 2e-3 || math.Abs(hi-(1+z*0.5)) > 2e-3 {
		t.Errorf("90%% interval [%g, %g], want ±%g", lo, hi, z*0.5)
	}
	if mp := g.MAP(); math.Abs(mp[0]-1) > 1e-12 || math.Abs(mp[1]+2) > 1e-12 {
		t.Errorf("MAP %v", mp)
	}
	marg := g.Marginal(1)
	sum := 0.0
	for _, p := range marg {
		sum += p
	}
	if math.Abs(sum-1) > 1e-12 || len(marg) != 181 {
		t.Errorf("marginal sums to %g over %d values", sum, len(marg))
	}
	// Log-sum-exp against a Riemann sum of the Gaussian integral.
	logZ := g.LogSum + math.Log(axes[0].Step()*axes[1].Step())
	wantZ := math.Log(2 * math.Pi * 0.5 * 0.2 * math.Sqrt(1-0.36))
	if math.Abs(logZ-wantZ) > 1e-6 {
		t.Errorf("log evidence %g, want %g", logZ, wantZ)
	}
}

// A 3-D grid with a fixed third axis reproduces the 2-D one, and a proper 3-D
// Gaussian has the right moments.
func TestGrid3D(t *testing.T) {
	m := GridModel{
		LogPrior: func([]float64) float64 { return 0 },
		NewLogLik: func() LogDensity {
			return func(th []float64) (float64, error) {
				return -0.5 * (th[0]*th[0]/4 + (th[1]-1)*(th[1]-1) + (th[2]+1)*(th[2]+1)/0.25), nil
			}
		},
	}
	axes := []GridAxis{{Lo: -12, Hi: 12, N: 49}, {Lo: -5, Hi: 7, N: 49}, {Lo: -4, Hi: 2, N: 49}}
	g, err := NewGridPosterior(context.Background(), axes, m, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mean, std := g.Mean(), g.Std()
	wantStd := []float64{2, 1, 0.5}
	wantMean := []float64{0, 1, -1}
	for d := range 3 {
		if math.Abs(mean[d]-wantMean[d]) > 1e-9 || !relClose(std[d], wantStd[d], 1e-6) {
			t.Errorf("axis %d: mean %g std %g", d, mean[d], std[d])
		}
	}
}

func TestGridRefineGaussian(t *testing.T) {
	m := gaussianModel(0.3, 7, 0.01, 0.002, -0.3)
	g, rep, err := RefineGridPosterior(context.Background(), []GridAxis{{Lo: 0, Hi: 1, N: 11}, {Lo: 5, Hi: 9, N: 9}}, m, GridRefineConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mean, std := g.Mean(), g.Std()
	t.Logf("%d rounds, cells/std %v → %v", rep.Rounds, rep.Initial, rep.CellsPerStd)
	if math.Abs(mean[0]-0.3) > 1e-4 || math.Abs(mean[1]-7) > 2e-5 || !relClose(std[0], 0.01, 0.03) || !relClose(std[1], 0.002, 0.03) {
		t.Errorf("refined mean %v std %v", mean, std)
	}
	if _, _, err := RefineGridPosterior(context.Background(), []GridAxis{{Lo: 0, Hi: 1, N: 11}, {Lo: 5, Hi: 9, N: 9}}, m, GridRefineConfig{MaxRounds: -1}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("negative MaxRounds: %v", err)
	}
	if _, _, err := RefineGridPosterior(context.Background(), []GridAxis{{Lo: 0, Hi: 1, N: 11}, {Lo: 5, Hi: 9, N: 9}}, m, GridRefineConfig{CellsPerStd: 1000}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("zoomed grids of 14401² cells: %v", err)
	}
	sharp := gaussianModel(0.3, 7, 1e-7, 2e-6, 0)
	_, rep, err = RefineGridPosterior(context.Background(), []GridAxis{{Lo: 0, Hi: 1, N: 11}, {Lo: 5, Hi: 9, N: 9}}, sharp, GridRefineConfig{MaxRounds: 1})
	if !errors.Is(err, ErrNotConverged) || rep.Rounds != 1 {
		t.Errorf("one zoom for a std of 1e-7: %v, %+v", err, rep)
	}
}

func TestGridErrors(t *testing.T) {
	ok := gaussianModel(0, 0, 1, 1, 0)
	axes := []GridAxis{{Lo: -3, Hi: 3, N: 7}, {Lo: -3, Hi: 3, N: 7}}
	if _, err := NewGridPosterior(context.Background(), nil, ok, GridConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("no axes: %v", err)
	}
	if _, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: 0, Hi: 1, N: 0}}, ok, GridConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty axis: %v", err)
	}
	if _, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: 1, Hi: 0, N: 3}}, ok, GridConfig{}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("reversed axis: %v", err)
	}
	if _, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: math.NaN(), Hi: 0, N: 3}}, ok, GridConfig{}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN bound: %v", err)
	}
	if _, err := NewGridPosterior(context.Background(), axes, GridModel{}, GridConfig{}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("nil model: %v", err)
	}
	nilLik := GridModel{LogPrior: ok.LogPrior, NewLogLik: func() LogDensity { return nil }}
	if _, err := NewGridPosterior(context.Background(), axes, nilLik, GridConfig{Workers: 3}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("factory returning a nil log-likelihood: %v", err)
	}
	gOK, err := NewGridPosterior(context.Background(), axes, ok, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	nilTraj := func() Trajectory { return nil }
	if _, err := gOK.Predictive(context.Background(), []float64{0, 1}, nilTraj, 0.1, GridPredictiveConfig{}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("factory returning a nil trajectory: %v", err)
	}
	// NaN at two cells: the lower-numbered one is reported, whatever the
	// scheduling.
	nanAt := GridModel{
		LogPrior: func([]float64) float64 { return 0 },
		NewLogLik: func() LogDensity {
			return func(th []float64) (float64, error) {
				if (th[0] == 1 && th[1] == -2) || (th[0] == 3 && th[1] == 3) {
					return math.NaN(), nil
				}
				return 0, nil
			}
		},
	}
	for _, w := range []int{1, 2, 5} {
		_, err := NewGridPosterior(context.Background(), axes, nanAt, GridConfig{Workers: w})
		if !errors.Is(err, ErrNonFinite) || err == nil || !strings.Contains(err.Error(), "cell 29 ") {
			t.Errorf("%d workers: NaN log likelihood: %v", w, err)
		}
	}
	zero := GridModel{LogPrior: func([]float64) float64 { return math.Inf(-1) }, NewLogLik: ok.NewLogLik}
	if _, err := NewGridPosterior(context.Background(), axes, zero, GridConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("zero posterior: %v", err)
	}
	nanPrior := GridModel{LogPrior: func([]float64) float64 { return math.NaN() }, NewLogLik: ok.NewLogLik}
	if _, err := NewGridPosterior(context.Background(), axes, nanPrior, GridConfig{}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN prior: %v", err)
	}
	failing := GridModel{LogPrior: ok.LogPrior, NewLogLik: func() LogDensity {
		return func([]float64) (float64, error) { return 0, ErrStepSizeTooSmall }
	}}
	if _, err := NewGridPosterior(context.Background(), axes, failing, GridConfig{}); !errors.Is(err, ErrStepSizeTooSmall) || !strings.Contains(err.Error(), "cell 0 ") {
		t.Errorf("failing likelihood: %v", err)
	}
	g, _ := NewGridPosterior(context.Background(), axes, ok, GridConfig{})
	for _, lv := range []float64{0, 1, math.NaN()} {
		if _, _, err := g.CredibleInterval(0, lv); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("level %g: %v", lv, err)
		}
	}
	if _, _, err := g.CredibleInterval(2, 0.9); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("axis 2: %v", err)
	}
}

func TestOscillatorDataValidate(t *testing.T) {
	x, _ := loadSeedGrid(t)
	bad := []struct {
		mod  func(*OscillatorData)
		want error
	}{
		{func(d *OscillatorData) { d.X = d.X[:10] }, ErrShape},
		{func(d *OscillatorData) { d.T, d.X = nil, nil }, ErrEmpty},
		{func(d *OscillatorData) { d.X = slices.Clone(d.X); d.X[3] = math.NaN() }, ErrNonFinite},
		{func(d *OscillatorData) { d.T = slices.Clone(d.T); d.T[3] = d.T[2] }, ErrNonIncreasing},
		{func(d *OscillatorData) { d.T0 = 1 }, ErrNonIncreasing},
		{func(d *OscillatorData) { d.NoiseStd = 0 }, ErrInvalidParameter},
		{func(d *OscillatorData) { d.ZetaPrior = [2]float64{-1, 1} }, ErrInvalidParameter},
		{func(d *OscillatorData) { d.OmegaPrior = [2]float64{2, 1} }, ErrInvalidParameter},
		{func(d *OscillatorData) { o := DefaultODEConfig(); o.RTol = -1; d.ODE = &o }, ErrInvalidParameter},
	}
	for i, c := range bad {
		d := NotebookOscillatorData(x)
		c.mod(&d)
		if _, err := OscillatorPosterior(context.Background(), d, NotebookOscillatorGrid(), GridConfig{}); !errors.Is(err, c.want) {
			t.Errorf("case %d: got %v, want %v", i, err, c.want)
		}
	}
	if _, err := OscillatorPosterior(context.Background(), NotebookOscillatorData(x), NotebookOscillatorGrid()[:1], GridConfig{}); !errors.Is(err, ErrShape) {
		t.Errorf("one axis: %v", err)
	}
	// Its GridModel on a one-axis grid: an error, not a panic in a worker.
	m, err := NotebookOscillatorData(x).GridModel()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewGridPosterior(context.Background(), NotebookOscillatorGrid()[:1], m, GridConfig{}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("GridModel on one axis: %v", err)
	}
}

// FuzzGridPosterior evaluates small grids with arbitrary bounds and a
// quadratic log likelihood whose parameters may be NaN/Inf: it must return
// a posterior that sums to 1 or a typed error.
func FuzzGridPosterior(f *testing.F) {
	f.Add(0.0, 1.0, uint8(5), -1.0, 1.0, uint8(4), 0.5, 0.1, 2.0)
	f.Add(1.0, 1.0, uint8(1), 0.0, 0.0, uint8(1), 0.0, 0.0, 0.0)
	f.Add(0.0, 1.0, uint8(3), 0.0, 1.0, uint8(3), math.NaN(), 1.0, 1.0)
	f.Fuzz(func(t *testing.T, lo0, hi0 float64, n0 uint8, lo1, hi1 float64, n1 uint8, c, s, k float64) {
		axes := []GridAxis{{Lo: lo0, Hi: hi0, N: int(n0 % 40)}, {Lo: lo1, Hi: hi1, N: int(n1 % 40)}}
		m := GridModel{
			LogPrior: func([]float64) float64 { return 0 },
			NewLogLik: func() LogDensity {
				return func(th []float64) (float64, error) {
					u := (th[0] - c) * s
					return -k*u*u - th[1]*th[1], nil
				}
			},
		}
		g, err := NewGridPosterior(context.Background(), axes, m, GridConfig{Workers: 2})
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrInvalidParameter) && !errors.Is(err, ErrNonFinite) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		sum := 0.0
		for _, p := range g.Prob {
			sum += p
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("probabilities sum to %g", sum)
		}
		for d := range 2 {
			if _, _, err := g.CredibleInterval(d, 0.9); err != nil {
				t.Fatal(err)
			}
		}
		_ = g.Mean()
		_ = g.Std()
		_ = g.MAP()
	})
}

// BenchmarkGridSeed is the seed's 60×60 grid posterior (3600 ODE solves at
// rtol 1e-7, atol 1e-9); PyTorch + torchdiffeq took 61 s for it.
func BenchmarkGridSeed(b *testing.B) {
	x, _ := loadSeedGrid(b)
	d := NotebookOscillatorData(x)
	axes := NotebookOscillatorGrid()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OscillatorPosterior(context.Background(), d, axes, GridConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGridSeedRefined refines the seed's grid until it resolves its
// posterior (5 cells per std).
func BenchmarkGridSeedRefined(b *testing.B) {
	x, _ := loadSeedGrid(b)
	m, _ := NotebookOscillatorData(x).GridModel()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := RefineGridPosterior(context.Background(), NotebookOscillatorGrid(), m, GridRefineConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}

// An N = 1 axis is a fixed parameter: its mean is exactly the value, its std
// exactly 0 and it spans +Inf cells per std (not 0/0).
func TestGridFixedAxis(t *testing.T) {
	m := GridModel{
		LogPrior: func([]float64) float64 { return 0 },
		NewLogLik: func() LogDensity {
			return func(th []float64) (float64, error) { return -th[1] * th[1], nil }
		},
	}
	g, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: 0.7, Hi: 0.7, N: 1}, {Lo: 0, Hi: 1, N: 5}}, m, GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if mean, std, cps := g.Mean(), g.Std(), g.CellsPerStd(); mean[0] != 0.7 || std[0] != 0 || !math.IsInf(cps[0], 1) || !(cps[1] > 0) {
		t.Errorf("fixed axis: mean %v std %v cells per std %v", mean, std, cps)
	}
}

func TestGridPosteriorClone(t *testing.T) {
	g, err := NewGridPosterior(context.Background(), []GridAxis{{Lo: -1, Hi: 1, N: 5}, {Lo: 0, Hi: 2, N: 3}}, gaussianModel(0, 1, 1, 1, 0), GridConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c := g.Clone()
	if !slices.Equal(c.LogPost, g.LogPost) || !slices.Equal(c.Prob, g.Prob) || c.LogSum != g.LogSum || !slices.Equal(c.Axes, g.Axes) {
		t.Fatal("clone differs")
	}
	c.Prob[0], c.LogPost[0], c.Axes[0].N = 7, 7, 9
	if g.Prob[0] == 7 || g.LogPost[0] == 7 || g.Axes[0].N == 9 {
		t.Error("the clone shares storage with the original")
	}
}
