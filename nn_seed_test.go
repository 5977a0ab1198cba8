package bnn

import (
	"context"
	"encoding/json"
	"math"
	"os"
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
		Epochs: 3500, Seed: 2,
	}
}

// reportDecomposed logs metrics for the epistemic-only std (as the seed
// pipeline computes it) and the total predictive std.
func (d nnSeedData) reportDecomposed(t *testing.T, name string, mean, epi, ale []float64) Metrics {
	t.Helper()
	es, ts := make([]float64, len(mean)), make([]float64, len(mean))
	for i := range mean {
		es[i] = math.Sqrt(epi[i])
		ts[i] = math.Sqrt(epi[i] + ale[i])
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

func TestEnsembleSeedAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 5 × 3,500 epochs")
	}
	d := loadNNSeedData(t)
	ens, err := TrainEnsemble(context.Background(), d.x, 1, d.y, nnSeedConfig(), 5)
	if err != nil {
		t.Fatal(err)
	}
	n := len(d.te)
	mean, epi, ale := make([]float64, n), make([]float64, n), make([]float64, n)
	if err := ens.PredictVarTo(mean, epi, ale, d.te); err != nil {
		t.Fatal(err)
	}
	in := d.reportDecomposed(t, "ensemble", mean, epi, ale)
	// PyTorch's 0.0176 is one draw (a rerun of the pipeline under another
	// torch build gave 0.0177). Seed 2 gives 0.0173 with the AVX-512
	// kernels and 0.0184 with the purego ones; over seeds 1–8 this
	// configuration gives 0.0165–0.0196 (median ≈ 0.0174), and the kernels'
	// float rounding alone moves a given seed within that range, so the
	// bound allows 10 % above the single PyTorch draw.
	if in.RMSE > 1.1*d.refEns {
		t.Errorf("ensemble interpolation RMSE %.4f > 1.1 × PyTorch's %.4f", in.RMSE, d.refEns)
	}
}

func TestMCDropoutSeedAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 3,500 epochs and takes 300 passes")
	}
	d := loadNNSeedData(t)
	cfg := nnSeedConfig()
	cfg.Dropout, cfg.Seed = 0.1, 4
	md, err := TrainMCDropout(context.Background(), d.x, 1, d.y, cfg, 300)
	if err != nil {
		t.Fatal(err)
	}
	n := len(d.te)
	mean, epi, ale := make([]float64, n), make([]float64, n), make([]float64, n)
	if err := md.PredictVarTo(mean, epi, ale, d.te); err != nil {
		t.Fatal(err)
	}
	in := d.reportDecomposed(t, "mc dropout", mean, epi, ale)
	// MC dropout's accuracy varies much more between seeds than the
	// ensemble's: seeds 1–12 give 0.0268–0.0533 (median ≈ 0.0326, seven of
	// twelve below PyTorch's single draw of 0.0371); seed 4, near the median,
	// gives 0.0328.
	if in.RMSE > 1.1*d.refDrop {
		t.Errorf("MC dropout interpolation RMSE %.4f > 1.1 × PyTorch's %.4f", in.RMSE, d.refDrop)
	}
}
