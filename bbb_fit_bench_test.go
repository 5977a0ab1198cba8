package bnn

import (
	"context"
	"testing"
)

// BenchmarkBBBSeedFit times the seed's whole Bayes-by-Backprop training run
// (NotebookBNNConfig, NotebookBBBConfig: 3,500 full-batch epochs of 6 samples on the
// seed's 60 points), the number bench/pytorch_compare.sh sets beside
// PyTorch's 20.6 s.
func BenchmarkBBBSeedFit(b *testing.B) {
	x, y, _, _, _ := bbbSeedData(b)
	b.ReportAllocs()
	for b.Loop() {
		m, err := NewBayesianMLP(NotebookBNNConfig())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.Train(context.Background(), x, y, NotebookBBBConfig()); err != nil {
			b.Fatal(err)
		}
	}
}
