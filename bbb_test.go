package bnn

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"testing"
)

func bbbToyData(n int) (x, y []float64) {
	for i := range n {
		v := -1 + 2*float64(i)/float64(n-1)
		x = append(x, v)
		y = append(y, math.Sin(3*v))
	}
	return x, y
}

func TestBBBDeterministicAcrossGOMAXPROCS(t *testing.T) {
	x, y := bbbToyData(30)
	run := func(procs, workers int) ([]float32, []float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		cfg := NotebookBNNConfig()
		cfg.Hidden = []int{16, 16}
		cfg.Seed = 11
		m, err := NewBayesianMLP(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tc := NotebookBBBConfig()
		tc.Epochs, tc.Workers, tc.Seed = 40, workers, 3
		if _, err := m.Train(context.Background(), x, y, tc); err != nil {
			t.Fatal(err)
		}
		mean := make([]float64, len(y))
		std := make([]float64, len(y))
		if err := m.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), m.params...), append(mean, std...)
	}
	p1, o1 := run(1, 0)
	for _, c := range [][2]int{{8, 0}, {2, 6}, {8, 3}} {
		p2, o2 := run(c[0], c[1])
		for i := range p1 {
			if math.Float32bits(p1[i]) != math.Float32bits(p2[i]) {
				t.Fatalf("GOMAXPROCS %d workers %d: parameter %d differs: %v vs %v", c[0], c[1], i, p1[i], p2[i])
			}
		}
		for i := range o1 {
			if o1[i] != o2[i] {
				t.Fatalf("GOMAXPROCS %d: prediction %d differs", c[0], i)
			}
		}
	}
}

func TestBBBZeroAllocsPerStep(t *testing.T) {
	x, y := bbbToyData(40)
	for _, tc := range []BBBConfig{
		{Epochs: 1, LearningRate: 1e-3, Samples: 6, Workers: 2},
		{Epochs: 1, LearningRate: 1e-3, Samples: 3, Workers: 1, BatchSize: 7, KL: KLClosedForm, LocalReparam: true, LearnNoise: true},
	} {
		m, err := NewBayesianMLP(NotebookBNNConfig())
		if err != nil {
			t.Fatal(err)
		}
		tr, err := newBBBTrainer(m, x, y, tc)
		if err != nil {
			t.Fatal(err)
		}
		tr.epoch() // warm-up
		if a := testing.AllocsPerRun(20, func() { tr.epoch() }); a != 0 {
			t.Errorf("%+v: %v allocations per epoch", tc, a)
		}
		tr.close()
	}
	m, _ := NewBayesianMLP(NotebookBNNConfig())
	p := m.newBBBPredictor(40)
	sigma := make([]float32, m.nw)
	for i, r := range m.params[m.nw:] {
		sigma[i], _ = softplusSigmoid32(r)
	}
	x32, dst := make([]float32, 40), make([]float32, 40)
	if a := testing.AllocsPerRun(20, func() { p.draw(m, sigma, x32, dst, 1, 2) }); a != 0 {
		t.Errorf("%v allocations per predictive draw", a)
	}
}

// TestBBBOptionsLearn checks that every training option reduces the loss and
// fits a smooth function (minibatches, Blundell weighting, closed-form KL,
// local reparameterisation, learned noise, scale-mixture prior, ReLU).
func TestBBBOptionsLearn(t *testing.T) {
	if testing.Short() {
		t.Skip("trains five networks")
	}
	x, truth := bbbToyData(200)
	y := make([]float64, len(truth))
	g := newGaussRNG(1, 1)
	for i, v := range truth {
		y[i] = v + 0.1*float64(g.norm())
	}
	mix, _ := ScaleMixturePrior(0.5, 1, 0.05)
	cases := []struct {
		name string
		act  Activation
		pr   *Prior
		cfg  BBBConfig
	}{
		{"minibatch blundell", Tanh, nil, BBBConfig{BatchSize: 16, KLWeighting: KLBlundell}},
		{"closed form", Tanh, nil, BBBConfig{KL: KLClosedForm}},
		{"local reparam", Tanh, nil, BBBConfig{KL: KLClosedForm, LocalReparam: true}},
		{"local reparam + learned noise", Tanh, nil, BBBConfig{KL: KLClosedForm, LocalReparam: true, LearnNoise: true, BatchSize: 50}},
		{"mixture relu", ReLU, &mix, BBBConfig{BatchSize: 50}},
	}
	for _, c := range cases {
		cfg := NotebookBNNConfig()
		cfg.Hidden, cfg.Activation, cfg.NoiseStd = []int{32}, c.act, 0.1
		if c.pr != nil {
			cfg.Prior = *c.pr
		}
		m, err := NewBayesianMLP(cfg)
		if err != nil {
			t.Fatal(err)
		}
		c.cfg.Epochs, c.cfg.LearningRate, c.cfg.Samples = 1000, 1e-2, 2
		hist, err := m.Train(context.Background(), x, y, c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		mean, std := make([]float64, len(y)), make([]float64, len(y))
		if err := m.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		r, _ := RMSE(mean, truth)
		t.Logf("%s: loss %.1f → %.1f, rmse %.3f, noise %.3f", c.name, hist[0], hist[len(hist)-1], r, m.NoiseStd)
		if !(hist[len(hist)-1] < hist[0]/2) || r > 0.1 || math.Abs(m.NoiseStd-0.1) > 0.05 {
			t.Errorf("%s: loss %.1f → %.1f, rmse %.3f", c.name, hist[0], hist[len(hist)-1], r)
		}
	}
}

func TestBBBErrors(t *testing.T) {
	good := NotebookBNNConfig()
	mod := func(f func(*BNNConfig)) BNNConfig {
		c := good
		c.Hidden = append([]int(nil), good.Hidden...)
		f(&c)
		return c
	}
	for name, c := range map[string]BNNConfig{
		"zero inputs":   mod(func(c *BNNConfig) { c.Inputs = 0 }),
		"zero width":    mod(func(c *BNNConfig) { c.Hidden[1] = 0 }),
		"activation":    mod(func(c *BNNConfig) { c.Activation = 9 }),
		"rho underflow": mod(func(c *BNNConfig) { c.Rho0 = -100 }),
		"rho nan":       mod(func(c *BNNConfig) { c.Rho0 = math.NaN() }),
		"init scale":    mod(func(c *BNNConfig) { c.InitScale = -1 }),
		"noise":         mod(func(c *BNNConfig) { c.NoiseStd = -1 }),
		"too wide":      mod(func(c *BNNConfig) { c.Hidden[0], c.Hidden[1] = 1<<20, 1<<20 }),
	} {
		if _, err := NewBayesianMLP(c); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := GaussianPrior(0); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("prior scale 0: %v", err)
	}
	if _, err := ScaleMixturePrior(0.5, 1, -1); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("mixture scale: %v", err)
	}
	if _, err := ScaleMixturePrior(1, 1, 1); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("mixture weight: %v", err)
	}
	m, _ := NewBayesianMLP(good)
	x, y := bbbToyData(5)
	tc := NotebookBBBConfig()
	tc.Epochs = 1
	mix, _ := ScaleMixturePrior(0.5, 1, 0.1)
	mm, _ := NewBayesianMLP(mod(func(c *BNNConfig) { c.Prior = mix }))
	check := func(name string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", name, err, want)
		}
	}
	train := func(m *BayesianMLP, x, y []float64, f func(*BBBConfig)) error {
		c := tc
		f(&c)
		_, err := m.Train(context.Background(), x, y, c)
		return err
	}
	nop := func(*BBBConfig) {}
	check("empty", train(m, nil, nil, nop), ErrEmpty)
	check("shape", train(m, x[:4], y, nop), ErrShape)
	check("nan feature", train(m, []float64{0, 1, math.NaN(), 3, 4}, y, nop), ErrNonFinite)
	check("inf target", train(m, x, []float64{0, 1, 2, math.Inf(-1), 4}, nop), ErrNonFinite)
	check("float32 overflow", train(m, []float64{0, 1, 1e39, 3, 4}, y, nop), ErrNonFinite)
	check("lr", train(m, x, y, func(c *BBBConfig) { c.LearningRate = -1 }), ErrInvalidParameter)
	check("lr nan", train(m, x, y, func(c *BBBConfig) { c.LearningRate = math.NaN() }), ErrInvalidParameter)
	check("samples", train(m, x, y, func(c *BBBConfig) { c.Samples = -1 }), ErrInvalidParameter)
	check("epochs", train(m, x, y, func(c *BBBConfig) { c.Epochs = -1 }), ErrInvalidParameter)
	check("batch", train(m, x, y, func(c *BBBConfig) { c.BatchSize = -1 }), ErrInvalidParameter)
	check("lrt mc", train(m, x, y, func(c *BBBConfig) { c.LocalReparam = true }), ErrInvalidParameter)
	check("closed mixture", train(mm, x, y, func(c *BBBConfig) { c.KL = KLClosedForm }), ErrInvalidParameter)
	check("diverged", train(m, x, y, func(c *BBBConfig) { c.LearningRate = 1e30; c.Epochs = 50 }), ErrDiverged)
	if _, err := mm.KL(); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("mixture KL: %v", err)
	}
	mean := make([]float64, 5)
	check("predict shape", m.PredictTo(mean, mean[:4], x), ErrShape)
	check("predict rows", m.PredictTo(mean[:4], mean[:4], x), ErrShape)
	check("predict empty", m.PredictTo(nil, nil, nil), ErrEmpty)
	check("predict nan", m.PredictTo(mean, make([]float64, 5), []float64{0, 0, 0, math.NaN(), 0}), ErrNonFinite)
	check("predict samples", m.PredictiveTo(mean, nil, nil, x, 0, 1), ErrInvalidParameter)
	check("trajectories", m.SampleFunctionsTo(make([]float64, 9), x, 2, 1), ErrShape)
}

var _ Regressor = (*BayesianMLP)(nil)

// Train reports every epoch to Progress and stops between epochs when its
// context is cancelled, returning the context's error and the losses so far.
func TestBBBProgressAndCancellation(t *testing.T) {
	m, err := NewBayesianMLP(NotebookBNNConfig())
	if err != nil {
		t.Fatal(err)
	}
	x, y := bbbToyData(8)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tc := NotebookBBBConfig()
	tc.Epochs = 50
	var seen []int
	tc.Progress = func(epoch int, loss float64) {
		seen = append(seen, epoch)
		if math.IsNaN(loss) {
			t.Errorf("epoch %d: NaN loss reported", epoch)
		}
		if epoch == 3 {
			cancel()
		}
	}
	hist, err := m.Train(ctx, x, y, tc)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if len(hist) != 3 || !slices.Equal(seen, []int{1, 2, 3}) {
		t.Errorf("history %v, progress calls %v: want 3 epochs", hist, seen)
	}
}
