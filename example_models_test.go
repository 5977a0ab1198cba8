package bnn_test

import (
	"bytes"
	"context"
	"fmt"
	"math"

	"github.com/gobnn/bnn"
)

// ExampleBayesianMLP trains a small Bayes-by-Backprop network on a sine and
// compares its epistemic uncertainty inside and outside the data.
func ExampleBayesianMLP() {
	var x, y []float64
	for i := range 40 {
		v := -1 + 2*float64(i)/39
		x, y = append(x, v), append(y, math.Sin(3*v))
	}
	cfg := bnn.NotebookBNNConfig()
	cfg.Hidden = []int{32}
	m, err := bnn.NewBayesianMLP(cfg)
	if err != nil {
		panic(err)
	}
	train := bnn.NotebookBBBConfig()
	train.Epochs, train.LearningRate = 1500, 1e-2
	if _, err := m.Train(context.Background(), x, y, train); err != nil {
		panic(err)
	}
	at := []float64{0, 3} // inside and far outside the training range
	mean, epi := make([]float64, 2), make([]float64, 2)
	if err := m.PredictiveTo(mean, epi, nil, at, 200, 1); err != nil {
		panic(err)
	}
	fmt.Printf("f(0) ≈ %.1f; uncertainty grows away from the data: %t\n", mean[0], epi[1] > 2*epi[0])
	// Output: f(0) ≈ 0.0; uncertainty grows away from the data: true
}

// ExampleSaveModel saves a fitted Bayesian ridge regression to a buffer
// (any io.Writer, such as a file), loads it back and predicts with the copy:
// the predictions are bit-identical.
func ExampleSaveModel() {
	// y = 1 + 2x exactly, at x = 0, 1, 2, 3.
	x, err := bnn.NewDense(4, 1, []float64{0, 1, 2, 3})
	if err != nil {
		panic(err)
	}
	y := []float64{1, 3, 5, 7}
	m, err := bnn.FitBayesianRidge(x, y, bnn.DefaultBayesianRidgeConfig())
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := bnn.SaveModel(&buf, m); err != nil {
		panic(err)
	}
	loaded, err := bnn.LoadModel(&buf)
	if err != nil {
		panic(err)
	}
	at := []float64{10}
	m1, s1 := make([]float64, 1), make([]float64, 1)
	m2, s2 := make([]float64, 1), make([]float64, 1)
	if err := m.PredictTo(m1, s1, at); err != nil {
		panic(err)
	}
	if err := loaded.PredictTo(m2, s2, at); err != nil {
		panic(err)
	}
	fmt.Printf("%T predicts %.3f at x = 10 (1 + 2·10 = 21)\n", loaded, m2[0])
	fmt.Println("identical to the original:", m1[0] == m2[0] && s1[0] == s2[0])
	// Output:
	// *bnn.BayesianRidge predicts 21.000 at x = 10 (1 + 2·10 = 21)
	// identical to the original: true
}
