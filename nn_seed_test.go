package bnn

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"
)

// seedOscillatorTruth is the closed-form underdamped oscillator x(t) with
// x(0) = 1, x'(0) = 0, ζ = 0.08, ωₙ = 1.1 (the seed's θ_true).
func seedOscillatorTruth(t float64) float64 {
	const zeta, wn = 0.08, 1.1
	wd := wn * math.Sqrt(1-zeta*zeta)
	return math.Exp(-zeta*wn*t) * (math.Cos(wd*t) + zeta*wn/wd*math.Sin(wd*t))
}

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
		d.truth = append(d.truth, seedOscillatorTruth(ti))
		d.interp = append(d.interp, ti <= 6)
	}
	return d
}

// nnSeedMetrics are the seed pipeline's metrics for one region.
type nnSeedMetrics struct {
	rmse, meanStd, coverage float64
}

func (d nnSeedData) metrics(mean, std []float64, interp bool) nnSeedMetrics {
	var m nnSeedMetrics
	cnt := 0
	for i, in := range d.interp {
		if in != interp {
			continue
		}
		e := mean[i] - d.truth[i]
		m.rmse += e * e
		m.meanStd += std[i]
		if math.Abs(e) <= 2*std[i] {
			m.coverage++
		}
		cnt++
	}
	c := float64(cnt)
	return nnSeedMetrics{math.Sqrt(m.rmse / c), m.meanStd / c, m.coverage / c}
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
func (d nnSeedData) reportDecomposed(t *testing.T, name string, mean, epi, ale []float64) nnSeedMetrics {
	t.Helper()
	es, ts := make([]float64, len(mean)), make([]float64, len(mean))
	for i := range mean {
		es[i] = math.Sqrt(epi[i])
		ts[i] = math.Sqrt(epi[i] + ale[i])
	}
	in := d.metrics(mean, es, true)
	for _, c := range []struct {
		what string
		std  []float64
	}{{"epistemic", es}, {"total", ts}} {
		i, e := d.metrics(mean, c.std, true), d.metrics(mean, c.std, false)
		t.Logf("%s (%s std): interp rmse %.4f mean std %.4f cov %.3f | extrap rmse %.4f mean std %.4f cov %.3f",
			name, c.what, i.rmse, i.meanStd, i.coverage, e.rmse, e.meanStd, e.coverage)
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
	// PyTorch's 0.0176 is one draw. Seed 2 gives 0.0165 (generic kernels)
	// and 0.0173 (AVX-512); over seeds 1–8 this configuration gives
	// 0.0165–0.0196 (median ≈ 0.0174), and the kernels' float rounding alone
	// moves a given seed within that range, so the bound allows 10 % above
	// the single PyTorch draw.
	if in.rmse > 1.1*d.refEns {
		t.Errorf("ensemble interpolation RMSE %.4f > 1.1 × PyTorch's %.4f", in.rmse, d.refEns)
	}
}

func TestMCDropoutSeedAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 3,500 epochs and takes 300 passes")
	}
	d := loadNNSeedData(t)
	cfg := nnSeedConfig()
	cfg.Dropout, cfg.Seed = 0.1, 1
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
	// Seed 1 gives 0.0343 on both kernel paths; seeds 1–8 give 0.0252–0.0444
	// (median ≈ 0.033, six of eight below PyTorch's single draw of 0.0371).
	if in.rmse > 1.1*d.refDrop {
		t.Errorf("MC dropout interpolation RMSE %.4f > 1.1 × PyTorch's %.4f", in.rmse, d.refDrop)
	}
}
