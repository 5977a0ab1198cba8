package bnn

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"
)

// bbbSeedData returns the seed's normalised training inputs and noisy targets
// (testdata/seed_torch_cpu.json), and the 300-point evaluation grid on 0–8 s
// (normalised the same way) with the closed-form noise-free truth.
func bbbSeedData(t testing.TB) (x, y, te, truth, tGrid []float64) {
	raw, err := os.ReadFile("testdata/seed_torch_cpu.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Data struct {
			XTrain []float64 `json:"x_train"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	y = ref.Data.XTrain
	norm := func(t float64) float64 { return 2*t/6 - 1 }
	for i := range y {
		x = append(x, norm(6*float64(i)/59))
	}
	const zeta, wn = 0.08, 1.1
	wd := wn * math.Sqrt(1-zeta*zeta)
	for i := range 300 {
		tt := 8 * float64(i) / 299
		tGrid = append(tGrid, tt)
		te = append(te, norm(tt))
		truth = append(truth, math.Exp(-zeta*wn*tt)*(math.Cos(wd*tt)+zeta*wn/wd*math.Sin(wd*tt)))
	}
	return x, y, te, truth, tGrid
}

// bbbSeedMetrics mirrors the seed's metrics(): RMSE of the predictive mean
// against the truth, mean epistemic std, and 2σ coverage of the truth by the
// epistemic band, on 0–6 s (interpolation) and 6–8 s (extrapolation).
func bbbSeedMetrics(mean, epi, truth, tGrid []float64) (interp, extrap Metrics) {
	var mi, si, yi, me, se, ye []float64
	for i, tt := range tGrid {
		if tt <= 6 {
			mi, si, yi = append(mi, mean[i]), append(si, epi[i]), append(yi, truth[i])
		} else {
			me, se, ye = append(me, mean[i]), append(se, epi[i]), append(ye, truth[i])
		}
	}
	interp, _ = Evaluate(mi, si, yi)
	extrap, _ = Evaluate(me, se, ye)
	return interp, extrap
}

func TestBBBSeedTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("3,500 epochs of the seed's BNN")
	}
	x, y, te, truth, tGrid := bbbSeedData(t)
	m, err := NewBayesianMLP(NotebookBNNConfig())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	hist, err := m.Train(context.Background(), x, y, NotebookBBBConfig())
	if err != nil {
		t.Fatal(err)
	}
	train := time.Since(start)
	mean, epi, tot := make([]float64, 300), make([]float64, 300), make([]float64, 300)
	start = time.Now()
	if err := m.PredictiveTo(mean, epi, tot, te, 300, 1); err != nil {
		t.Fatal(err)
	}
	pred := time.Since(start)
	in, ex := bbbSeedMetrics(mean, epi, truth, tGrid)
	t.Logf("train %v, predict 300×300 %v; loss every 500: %.1f %.1f %.1f %.1f %.1f %.1f %.1f", train, pred,
		hist[499], hist[999], hist[1499], hist[1999], hist[2499], hist[2999], hist[3499])
	t.Logf("interp: rmse %.4f mean std %.4f coverage %.3f", in.RMSE, in.MeanStd, in.Coverage2Sigma)
	t.Logf("extrap: rmse %.4f mean std %.4f coverage %.3f", ex.RMSE, ex.MeanStd, ex.Coverage2Sigma)
	// PyTorch's reference run (sections.bnn, torch.manual_seed(0)) reached an
	// interpolation RMSE of 0.0503 with 2σ coverage 1.0: a lucky draw.
	// Re-running seed_pipeline.py's BNN with torch.manual_seed(9…50) gives
	// 0.0425–0.0759 (mean 0.0565, sd 0.0089, 9 of 42 ≤ 0.050); this
	// implementation, with the seed's estimator (Monte-Carlo KL, sampled
	// weights), gives 0.0432–0.0832 over seeds 0–63 (mean 0.0566, sd 0.0075,
	// 11 of 64 ≤ 0.050; 0.0594 for seed 0, the seed tested here), coverage 1.0
	// for every seed of both. The two agree (see also
	// TestBBBExpectedGradientMatchesPyTorch), neither reaches ≤ 0.050
	// reliably, and the bound below is a loose guard for seed 0 rather than
	// PyTorch's one draw. Local reparameterisation with the closed-form KL
	// gives 0.0421–0.0613 over seeds 0–23 (mean 0.0522, sd 0.0061, ≤ 0.050
	// for 10 of 24) at about 2.5× the cost per epoch.
	if in.RMSE > 0.07 || in.Coverage2Sigma < 0.95 || ex.RMSE > 0.8 {
		t.Errorf("interpolation rmse %.4f (want ≤ 0.07), coverage %.3f (want ≥ 0.95); extrapolation rmse %.4f",
			in.RMSE, in.Coverage2Sigma, ex.RMSE)
	}
}
