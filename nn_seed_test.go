package bnn

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"
)

// nnSeedData is the seed's surrogate-regression setup: the 60 noisy
// observations on t ∈ [0, 6] with t mapped to [−1, 1], and 300 evaluation
// points on [0, 8] with the closed-form truth.
type nnSeedData struct {
	x, y            []float64
	te, truth       []float64
	interp          []bool
	refEns, refDrop float64 // PyTorch interpolation RMSEs
}

func loadNNSeedData(t testing.TB) nnSeedData {
	t.Helper()
	raw, err := os.ReadFile("testdata/seed_torch_cpu.json")
	if err != nil {
		t.Fatal(err)
	}
	type sec struct {
		Metrics struct {
			Interp struct {
				RMSE float64 `json:"rmse"`
			} `json:"interp"`
		} `json:"metrics"`
	}
	var ref struct {
		Data struct {
			XTrain []float64 `json:"x_train"`
		} `json:"data"`
		Sections struct {
			Ens     sec `json:"ens"`
			Dropout sec `json:"dropout"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	d := nnSeedData{y: ref.Data.XTrain, refEns: ref.Sections.Ens.Metrics.Interp.RMSE, refDrop: ref.Sections.Dropout.Metrics.Interp.RMSE}
	norm := func(t float64) float64 { return 2*t/6 - 1 }
	for i := range 60 {
		d.x = append(d.x, norm(6*float64(i)/59))
	}
	for i := range 300 {
		ti := 8 * float64(i) / 299
		d.te = append(d.te, norm(ti))
		xt, _ := Oscillator{Zeta: 0.08, OmegaN: 1.1}.Exact(ti, 1, 0)
		d.truth = append(d.truth, xt)
		d.interp = append(d.interp, ti <= 6)
	}
	return d
}

// metrics evaluates (mean, std) against the truth on the interpolation
// (t ≤ 6) or extrapolation region with the package's Evaluate.
func (d nnSeedData) metrics(t testing.TB, mean, std []float64, interp bool) Metrics {
	t.Helper()
	var m, s, y []float64
	for i, in := range d.interp {
		if in == interp {
			m, s, y = append(m, mean[i]), append(s, std[i]), append(y, d.truth[i])
		}
	}
	ev, err := Evaluate(m, s, y)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// nnSeedConfig is the seed pipeline's network and optimiser (tanh 64-64,
// Adam lr 5e-3, weight decay 1e-4, MSE, full batch, 3,500 epochs), with the
// library's default input and target standardisation.
func nnSeedConfig() TrainConfig {
	return TrainConfig{
		Hidden: []int{64, 64}, Activation: Tanh, LearningRate: 5e-3, WeightDecay: 1e-4,
		Epochs: 3500,
	}
}

// reportDecomposed logs metrics for the epistemic-only std (as the seed
// pipeline computes it) and the total predictive std.
func (d nnSeedData) reportDecomposed(t *testing.T, name string, mean, epi, ale []float64) Metrics {
	t.Helper()
	es, ts := make([]float64, len(mean)), make([]float64, len(mean))
	for i := range mean {
		es[i] = epi[i]
		ts[i] = math.Hypot(epi[i], ale[i])
	}
	in := d.metrics(t, mean, es, true)
	for _, c := range []struct {
		what string
		std  []float64
	}{{"epistemic", es}, {"total", ts}} {
		i, e := d.metrics(t, mean, c.std, true), d.metrics(t, mean, c.std, false)
		t.Logf("%s (%s std): interp rmse %.4f mean std %.4f cov %.3f nll %.2f | extrap rmse %.4f mean std %.4f cov %.3f nll %.2f",
			name, c.what, i.RMSE, i.MeanStd, i.Coverage2Sigma, i.NLL, e.RMSE, e.MeanStd, e.Coverage2Sigma, e.NLL)
	}
	return in
}

// nnSeedRuns is the number of seeds the accuracy tests train: PyTorch's
// reference is a single run, and one run of ours varies by seed (and by the
// kernels' rounding) about as much as ours differs from it, so the tests
// compare the median over seeds 1…nnSeedRuns with PyTorch's value.
const nnSeedRuns = 9

// nnVarPredictor is a model that splits its predictive std (Ensemble, MCDropout).
type nnVarPredictor = SpreadPredictor

// nnSeedMedianRMSE trains one model per seed with train, logs each run's
// interpolation metrics (epistemic and total std) and returns the median
// interpolation RMSE and the worst one.
func (d nnSeedData) nnSeedMedianRMSE(t *testing.T, name string, train func(seed uint64) (nnVarPredictor, error)) (median, worst float64) {
	t.Helper()
	n := len(d.te)
	mean, epi, ale := make([]float64, n), make([]float64, n), make([]float64, n)
	var rmse []float64
	for seed := uint64(1); seed <= nnSeedRuns; seed++ {
		m, err := train(seed)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.PredictSpreadTo(mean, epi, ale, d.te); err != nil {
			t.Fatal(err)
		}
		in := d.reportDecomposed(t, fmt.Sprintf("%s seed %d", name, seed), mean, epi, ale)
		rmse = append(rmse, in.RMSE)
	}
	slices.Sort(rmse)
	return rmse[len(rmse)/2], rmse[len(rmse)-1]
}

// nnSeedTestSkip skips the multi-seed accuracy tests in -short mode and on
// the generic kernels (purego or no SIMD), where they would take minutes;
// the kernels' agreement with the generic code is tested separately.
func nnSeedTestSkip(t *testing.T) {
	if testing.Short() {
		t.Skip("trains nine models of 3,500 epochs")
	}
	if KernelPath() == "generic" {
		t.Skip("the multi-seed accuracy runs need the SIMD kernels to be quick")
	}
}

func TestEnsembleSeedAccuracy(t *testing.T) {
	nnSeedTestSkip(t)
	d := loadNNSeedData(t)
	median, worst := d.nnSeedMedianRMSE(t, "ensemble", func(seed uint64) (nnVarPredictor, error) {
		cfg := nnSeedConfig()
		cfg.Seed = seed
		return TrainEnsemble(context.Background(), d.x, 1, d.y, cfg, 5)
	})
	t.Logf("ensemble interpolation RMSE over seeds 1–%d: median %.4f, worst %.4f (PyTorch's single run %.4f)", nnSeedRuns, median, worst, d.refEns)
	if median > d.refEns {
		t.Errorf("median ensemble interpolation RMSE %.4f > PyTorch's %.4f", median, d.refEns)
	}
	if worst > 1.15*d.refEns {
		t.Errorf("worst ensemble interpolation RMSE %.4f > 1.15 × PyTorch's %.4f", worst, d.refEns)
	}
}
