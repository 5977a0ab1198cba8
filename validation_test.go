package bnn

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// validationData is y = sin(3x) + σε on n rows of x ~ U(−1, 1), in target
// units scaled by scale (so that a std left in standardised units shows).
func validationData(n int, sigma, scale float64, seed uint64) (x, y []float64) {
	r := rand.New(rand.NewPCG(seed, 7))
	for range n {
		v := 2*r.Float64() - 1
		x = append(x, v)
		y = append(y, scale*(math.Sin(3*v)+sigma*r.NormFloat64()))
	}
	return x, y
}

// TestValidationNoiseLevel checks, two-sided and in target units, that the
// predictive std of every model trained with held-out rows matches the
// true noise on data where the training residual would understate it.
func TestValidationNoiseLevel(t *testing.T) {
	if testing.Short() {
		t.Skip("trains several networks")
	}
	const sigma, scale = 0.3, 50.0
	xt, _ := validationData(400, 0, 1, 99)
	truth := make([]float64, len(xt))
	for i, v := range xt {
		truth[i] = scale * math.Sin(3*v)
	}
	val := Validation{Fraction: 0.25, Patience: 30}
	cfg := TrainConfig{Hidden: []int{64}, Activation: ReLU, LearningRate: 1e-2, Epochs: 600, BatchSize: 32, Validation: val}
	fits := map[string]func(x, y []float64, seed uint64) (Regressor, error){
		"network": func(x, y []float64, seed uint64) (Regressor, error) {
			c := cfg
			c.Seed = seed
			return Train(context.Background(), x, 1, y, c)
		},
		"ensemble": func(x, y []float64, seed uint64) (Regressor, error) {
			c := cfg
			c.Seed, c.Loss, c.Heteroscedastic = seed, LossGaussian, true
			return TrainEnsemble(context.Background(), x, 1, y, c, 3)
		},
		"dropout": func(x, y []float64, seed uint64) (Regressor, error) {
			c := cfg
			c.Seed, c.Dropout = seed, 0.05
			return TrainMCDropout(context.Background(), x, 1, y, c, 50)
		},
		"bbb": func(x, y []float64, seed uint64) (Regressor, error) {
			net := NotebookBNNConfig()
			net.Hidden, net.Activation, net.NoiseStd, net.Seed = []int{32}, ReLU, 0, seed
			bc := BBBConfig{Epochs: 600, LearningRate: 3e-3, Samples: 1, BatchSize: 32, KL: KLClosedForm, LocalReparam: true, LearnNoise: true, Seed: seed, Validation: val}
			return TrainBayesianMLP(context.Background(), x, 1, y, net, bc)
		},
	}
	for _, name := range []string{"network", "ensemble", "dropout", "bbb"} {
		var ratios []float64
		for seed := uint64(1); seed <= 3; seed++ {
			x, y := validationData(200, sigma, scale, seed)
			m, err := fits[name](x, y, seed)
			if err != nil {
				t.Fatal(name, err)
			}
			mean, std := make([]float64, len(xt)), make([]float64, len(xt))
			if err := m.PredictTo(mean, std, xt); err != nil {
				t.Fatal(err)
			}
			// The predictive std against the truth's spread: the noise plus the
			// mean's own error, both in target units.
			var s2, e2 float64
			for i := range xt {
				s2 += std[i] * std[i]
				e2 += (mean[i] - truth[i]) * (mean[i] - truth[i])
			}
			want := math.Sqrt(sigma*sigma*scale*scale + e2/float64(len(xt)))
			ratios = append(ratios, math.Sqrt(s2/float64(len(xt)))/want)
		}
		slices.Sort(ratios)
		t.Logf("%s: predictive rms std / √(σ² + mse of the mean) over 3 seeds: %.3f", name, ratios)
		if r := ratios[1]; r < 0.8 || r > 1.25 {
			t.Errorf("%s: median band ratio %.3f outside [0.8, 1.25]", name, r)
		}
	}
}

func TestValidationErrors(t *testing.T) {
	x, y := validationData(12, 0.1, 1, 1)
	cfg := TrainConfig{Hidden: []int{4}, LearningRate: 1e-2, Epochs: 2, Validation: Validation{Fraction: 0.2}}
	_, err := Train(context.Background(), x, 1, y, cfg)
	if !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "at least 25") {
		t.Errorf("12 rows at fraction 0.2: %v (want ErrEmpty naming 25 rows)", err)
	}
	for name, v := range map[string]Validation{
		"fraction 1":  {Fraction: 1},
		"negative":    {Fraction: -0.1},
		"patience -1": {Fraction: 0.5, Patience: -1},
	} {
		cfg.Validation = v
		if _, err := Train(context.Background(), x, 1, y, cfg); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s: %v", name, err)
		}
	}
	cfg.Validation = Validation{X: []float64{1, 2}, Y: []float64{1}}
	if _, err := Train(context.Background(), x, 1, y, cfg); !errors.Is(err, ErrShape) {
		t.Errorf("ragged validation rows: %v", err)
	}
	cfg.Validation = Validation{X: []float64{1, 2, 3, 4, 5}, Y: []float64{1, 2, math.NaN(), 4, 5}}
	if _, err := Train(context.Background(), x, 1, y, cfg); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN validation target: %v", err)
	}
	net := NotebookBNNConfig()
	if _, err := TrainBayesianMLP(context.Background(), x, 1, y, net, BBBConfig{Epochs: 2, LearningRate: 1e-2, Samples: 1, Validation: Validation{Fraction: 0.2}}); !errors.Is(err, ErrEmpty) {
		t.Errorf("bbb with 12 rows at fraction 0.2: %v", err)
	}
}

// TestBBBScalingInsideModel checks that TrainBayesianMLP works in the
// caller's units (predictions scale with the targets), is deterministic,
// and that its standardisation survives the model file.
func TestBBBScalingInsideModel(t *testing.T) {
	x, y := validationData(80, 0.1, 1, 3)
	net := NotebookBNNConfig()
	net.Hidden, net.Seed, net.NoiseStd = []int{16}, 1, 0 // 0: half the target std, so the fit is scale-free
	bc := BBBConfig{Epochs: 50, LearningRate: 1e-2, Samples: 2, Seed: 1, LearnNoise: true, Validation: Validation{Fraction: 0.25}}
	fit := func(scale, shift float64) *BayesianMLP {
		ys := make([]float64, len(y))
		for i, v := range y {
			ys[i] = scale*v + shift
		}
		xs := make([]float64, len(x))
		for i, v := range x {
			xs[i] = 100 * v
		}
		m, err := TrainBayesianMLP(context.Background(), xs, 1, ys, net, bc)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b := fit(1, 0), fit(1000, 5000)
	xq := []float64{-50, 0, 50}
	ma, sa, mb, sb := make([]float64, 3), make([]float64, 3), make([]float64, 3), make([]float64, 3)
	if err := a.PredictTo(ma, sa, xq); err != nil {
		t.Fatal(err)
	}
	if err := b.PredictTo(mb, sb, xq); err != nil {
		t.Fatal(err)
	}
	for i := range ma {
		// float32 rounding of the standardised data differs, so allow 2 %.
		if math.Abs(mb[i]-(1000*ma[i]+5000)) > 0.02*1000 || math.Abs(sb[i]-1000*sa[i]) > 0.02*1000*sa[i] {
			t.Errorf("row %d: mean %v std %v, want 1000× (%v, %v) + 5000", i, mb[i], sb[i], ma[i], sa[i])
		}
	}
	var buf bytes.Buffer
	if err := SaveModel(&buf, b); err != nil {
		t.Fatal(err)
	}
	r, err := LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	mc, sc := make([]float64, 3), make([]float64, 3)
	if err := r.PredictTo(mc, sc, xq); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mc, mb) || !slices.Equal(sc, sb) {
		t.Errorf("after load: %v %v, want %v %v", mc, sc, mb, sb)
	}
	if _, _, _, ys, ok := b.Scaling(); !ok || !(ys > 100) {
		t.Errorf("Scaling: ok %v, target scale %v", ok, ys)
	}
}

// TestHeldOutScoringAllocs checks that scoring the held-out rows after an
// epoch allocates nothing, for networks and for Bayes by Backprop.
func TestHeldOutScoringAllocs(t *testing.T) {
	x, y := validationData(40, 0.1, 1, 5)
	m, err := NewMLP(MLPConfig{Inputs: 1, Hidden: []int{8}, Outputs: 2, Activation: ReLU}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	held := nnHeldOut{x: make([]float32, 40), y: make([]float32, 40), n: 40}
	for i := range x {
		held.x[i], held.y[i] = float32(x[i]), float32(y[i])
	}
	v := newNNValMonitor(m, held, LossGaussian, Validation{Patience: 5})
	epoch := 0
	if a := testing.AllocsPerRun(20, func() { epoch++; v.observe(m, epoch) }); a != 0 {
		t.Errorf("network held-out scoring: %v allocations", a)
	}
	b, err := NewBayesianMLP(BNNConfig{Inputs: 1, Hidden: []int{8}, Activation: ReLU, Prior: NotebookBNNConfig().Prior, Rho0: -3, InitScale: 0.1, NoiseStd: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	h := newBBBHeldOut(b, x, y)
	if a := testing.AllocsPerRun(20, func() { h.nll(b, 0.1, 4) }); a != 0 {
		t.Errorf("bbb held-out scoring: %v allocations", a)
	}
}

// FuzzValidationSettings trains with fuzzed held-out settings and rows:
// either an error wrapping a sentinel, or finite predictions with a
// positive std.
func FuzzValidationSettings(f *testing.F) {
	f.Add(0.2, 3, uint8(30), uint64(1), false, false)
	f.Add(0.0, 0, uint8(5), uint64(2), true, true)
	f.Add(0.99, 1, uint8(200), uint64(3), false, true)
	f.Fuzz(func(t *testing.T, frac float64, patience int, rows uint8, seed uint64, explicit, gaussian bool) {
		x, y := validationData(int(rows), 0.2, 1, seed)
		cfg := TrainConfig{Hidden: []int{4}, LearningRate: 1e-2, Epochs: 5, Seed: seed,
			Validation: Validation{Fraction: frac, Patience: patience, Refit: seed%2 == 0}}
		if gaussian {
			cfg.Loss = LossGaussian
		}
		if explicit {
			cfg.Validation.X, cfg.Validation.Y = validationData(int(rows)/3, 0.2, 1, seed+1)
		}
		net, err := Train(context.Background(), x, 1, y, cfg)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrInvalidParameter) && !errors.Is(err, ErrShape) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		mean, std := make([]float64, 3), make([]float64, 3)
		if err := net.PredictTo(mean, std, []float64{-0.5, 0, 0.5}); err != nil {
			t.Fatal(err)
		}
		for i := range mean {
			if math.IsNaN(mean[i]) || math.IsInf(mean[i], 0) || !(std[i] > 0) || math.IsInf(std[i], 0) {
				t.Fatalf("row %d: mean %v std %v", i, mean[i], std[i])
			}
		}
	})
}
