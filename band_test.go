package bnn

import (
	"context"
	"slices"
	"testing"
)

// The size of the predictive band, bounded from both sides in target units.
// A coverage floor alone is met by any band that is too wide; these tests
// fail when an std is scaled (BBB's epistemic std ×3) or left in
// standardised units (the ensemble's and MC dropout's spread without the
// target scale).

// seedBandRefs are PyTorch's interpolation mean epistemic stds on the seed
// (testdata/seed_torch_cpu.json, sections.*.metrics.interp.mean_std).
const (
	seedBandBBB      = 0.10564523190259933
	seedBandEnsemble = 0.008811695501208305
	seedBandDropout  = 0.08612916618585587
)

// seedBandSeeds is how many seeds each band test trains (BBB's are slower,
// and vary less); the median is bounded.
const (
	seedBandSeeds    = 3
	seedBandNetSeeds = 15
)

// checkBand bounds the median of stds within [lo, hi]·ref.
func checkBand(t *testing.T, name string, stds []float64, ref, lo, hi float64) {
	t.Helper()
	slices.Sort(stds)
	med := stds[len(stds)/2]
	t.Logf("%s: interpolation mean epistemic std over %d seeds %.4f (median %.4f), PyTorch %.4f", name, len(stds), stds, med, ref)
	if med < lo*ref || med > hi*ref {
		t.Errorf("%s: median mean epistemic std %.4f outside [%.2f, %.2f]·PyTorch's %.4f", name, med, lo, hi, ref)
	}
}

func TestSeedBandSizeBBB(t *testing.T) {
	nnSeedTestSkip(t) // three 3,500-epoch runs: skipped in -short mode and on the generic kernels
	x, y, te, truth, tGrid := bbbSeedData(t)
	var stds []float64
	for seed := range uint64(seedBandSeeds) {
		c := NotebookBNNConfig()
		c.Seed = seed
		m, err := NewBayesianMLP(c)
		if err != nil {
			t.Fatal(err)
		}
		tc := NotebookBBBConfig()
		tc.Seed = seed
		if _, err := m.Train(context.Background(), x, y, tc); err != nil {
			t.Fatal(err)
		}
		n := len(te)
		mean, epi, ale := make([]float64, n), make([]float64, n), make([]float64, n)
		if err := m.PredictSpreadTo(mean, epi, ale, te); err != nil {
			t.Fatal(err)
		}
		in, _ := bbbSeedMetrics(mean, epi, truth, tGrid)
		stds = append(stds, in.MeanStd)
	}
	checkBand(t, "bbb", stds, seedBandBBB, 0.6, 1.6)
}

func TestSeedBandSizeNetworks(t *testing.T) {
	nnSeedTestSkip(t)
	d := loadNNSeedData(t)
	n := len(d.te)
	for _, c := range []struct {
		name   string
		ref    float64
		lo, hi float64
		fit    func(seed uint64) (SpreadPredictor, error)
	}{
		// The ensemble's member spread on the seed is chaotic: over seeds
		// 1–15 it ranges 0.0005–0.0074 (median 0.0024), and an ulp-level
		// change of the tanh kernel moved the median of seeds 1–7 from
		// 0.0030 to 0.0010. PyTorch's 0.0088 is one run, so the lower
		// bound is 0.1× it (the median of 15 seeds); the units of the band
		// are bounded tightly by TestValidationNoiseLevel.
		{"ensemble", seedBandEnsemble, 0.1, 2.5, func(seed uint64) (SpreadPredictor, error) {
			cfg := nnSeedConfig()
			cfg.Seed = seed
			return TrainEnsemble(context.Background(), d.x, 1, d.y, cfg, 5)
		}},
		{"mc dropout", seedBandDropout, 0.5, 2, func(seed uint64) (SpreadPredictor, error) {
			cfg := nnSeedConfig()
			cfg.Dropout, cfg.Seed = 0.1, seed
			return TrainMCDropout(context.Background(), d.x, 1, d.y, cfg, 300)
		}},
	} {
		var stds []float64
		for seed := uint64(1); seed <= seedBandNetSeeds; seed++ {
			m, err := c.fit(seed)
			if err != nil {
				t.Fatal(err)
			}
			mean, epi, ale := make([]float64, n), make([]float64, n), make([]float64, n)
			if err := m.PredictSpreadTo(mean, epi, ale, d.te); err != nil {
				t.Fatal(err)
			}
			stds = append(stds, d.metrics(t, mean, epi, true).MeanStd)
		}
		checkBand(t, c.name, stds, c.ref, c.lo, c.hi)
	}
}
