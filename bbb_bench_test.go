package bnn

import "testing"

// BenchmarkBBBSeedEpoch times one epoch (one full-batch step, 6 samples) of
// the seed's BNN on the seed's 60 points: Monte-Carlo KL with sampled weights
// (the seed's estimator, the default) and closed-form KL with local
// reparameterisation.
func BenchmarkBBBSeedEpoch(b *testing.B) {
	x, y, _, _, _ := bbbSeedData(b)
	lrt := NotebookBBBConfig()
	lrt.KL, lrt.LocalReparam = KLClosedForm, true
	for _, c := range []struct {
		name string
		cfg  BBBConfig
	}{{"mc-kl", NotebookBBBConfig()}, {"local-reparam", lrt}} {
		b.Run(c.name, func(b *testing.B) {
			m, err := NewBayesianMLP(NotebookBNNConfig())
			if err != nil {
				b.Fatal(err)
			}
			tr, err := newBBBTrainer(m, x, y, c.cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer tr.close()
			b.ReportAllocs()
			for b.Loop() {
				tr.epoch()
			}
		})
	}
}

// BenchmarkBBBSeedPredict times 300 predictive draws on the seed's 300-point grid.
func BenchmarkBBBSeedPredict(b *testing.B) {
	_, _, te, _, _ := bbbSeedData(b)
	m, err := NewBayesianMLP(NotebookBNNConfig())
	if err != nil {
		b.Fatal(err)
	}
	mean, epi, tot := make([]float64, 300), make([]float64, 300), make([]float64, 300)
	b.ReportAllocs()
	c0 := processCPUSeconds()
	for b.Loop() {
		if err := m.PredictiveTo(mean, epi, tot, te, 300, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((processCPUSeconds()-c0)/float64(b.N)*1e3, "cpu-ms/op")
}
