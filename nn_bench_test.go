package bnn

import (
	"context"
	"math/rand/v2"
	"testing"
)

// nnSeedStep builds a trainer for the seed's tanh 64-64 network on its 60
// training rows, with dropout probability p.
func nnSeedStep(tb testing.TB, p float64) (*nnTrainer, []float32, []float32) {
	tb.Helper()
	cfg := TrainConfig{Hidden: []int{64, 64}, Activation: Tanh, Dropout: p, LearningRate: 5e-3, WeightDecay: 1e-4, Epochs: 1}
	m, err := NewMLP(cfg.mlpConfig(1), rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := newNNTrainer(m, &cfg, 60)
	if err != nil {
		tb.Fatal(err)
	}
	x, y := make([]float32, 60), make([]float32, 60)
	for i := range x {
		x[i] = 2*float32(i)/59 - 1
		y[i] = x[i] * x[i]
	}
	return tr, x, y
}

func TestTrainStepAllocatesNothing(t *testing.T) {
	for _, p := range []float64{0, 0.1} {
		tr, x, y := nnSeedStep(t, p)
		if a := testing.AllocsPerRun(50, func() { tr.step(x, y, 60) }); a != 0 {
			t.Errorf("dropout %v: %v allocations per training step", p, a)
		}
	}
}

func BenchmarkTrainStep(b *testing.B) {
	tr, x, y := nnSeedStep(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		tr.step(x, y, 60)
	}
}

func BenchmarkTrainStepDropout(b *testing.B) {
	tr, x, y := nnSeedStep(b, 0.1)
	b.ReportAllocs()
	for b.Loop() {
		tr.step(x, y, 60)
	}
}

// BenchmarkEnsembleFit is the seed's ensemble: 5 members × 3,500 full-batch epochs.
func BenchmarkEnsembleFit(b *testing.B) {
	d := loadNNSeedData(b)
	cfg := nnSeedConfig()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TrainEnsemble(context.Background(), d.x, 1, d.y, cfg, 5); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDropoutFit is the seed's MC-dropout network: 3,500 full-batch epochs with p = 0.1.
func BenchmarkDropoutFit(b *testing.B) {
	d := loadNNSeedData(b)
	cfg := nnSeedConfig()
	cfg.Dropout = 0.1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TrainMCDropout(context.Background(), d.x, 1, d.y, cfg, 300); err != nil {
			b.Fatal(err)
		}
	}
}
