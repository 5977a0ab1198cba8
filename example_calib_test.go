package bnn_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gobnn/bnn"
)

// noisySine returns n rows of y = sin(3x) + 0.3ε, x ~ U(−1, 1).
func noisySine(n int, seed uint64) (x, y []float64) {
	r := rand.New(rand.NewPCG(seed, 0))
	for range n {
		v := 2*r.Float64() - 1
		x, y = append(x, v), append(y, math.Sin(3*v)+0.3*r.NormFloat64())
	}
	return x, y
}

// Train a deep ensemble with a held-out 20 % for early stopping and the
// noise level, then split its predictive std into epistemic and aleatoric
// parts (standard deviations, total = hypot).
func ExampleValidation() {
	x, y := noisySine(300, 1)
	cfg := bnn.TrainConfig{
		Hidden: []int{50}, Activation: bnn.ReLU, Loss: bnn.LossGaussian, Heteroscedastic: true,
		LearningRate: 1e-2, Epochs: 1000, BatchSize: 32, Seed: 1,
		Validation: bnn.Validation{Fraction: 0.2, Patience: 40},
	}
	ens, err := bnn.TrainEnsemble(context.Background(), x, 1, y, cfg, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	var sp bnn.SpreadPredictor = ens
	mean, epi, ale := make([]float64, 1), make([]float64, 1), make([]float64, 1)
	if err := sp.PredictSpreadTo(mean, epi, ale, []float64{0.3}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("aleatoric std near the true 0.3: %v\n", math.Abs(ale[0]-0.3) < 0.1)
	fmt.Printf("epistemic std smaller than the noise inside the data: %v\n", epi[0] < ale[0])
	// Output:
	// aleatoric std near the true 0.3: true
	// epistemic std smaller than the noise inside the data: true
}

// TrainBayesianMLP stores the standardisation in the model, so the data
// and the predictions stay in the caller's units.
func ExampleTrainBayesianMLP() {
	x, y := noisySine(300, 2)
	for i := range y {
		x[i], y[i] = 100*x[i], 1000*y[i]+5000 // any units
	}
	net := bnn.NotebookBNNConfig()
	net.Hidden, net.Activation, net.NoiseStd, net.Seed = []int{50}, bnn.ReLU, 0, 1
	cfg := bnn.BBBConfig{
		Epochs: 1000, LearningRate: 3e-3, Samples: 1, BatchSize: 32, Seed: 1,
		KL: bnn.KLClosedForm, LocalReparam: true, LearnNoise: true,
		Validation: bnn.Validation{Fraction: 0.2, Patience: 40, MinEpochs: 200},
	}
	m, err := bnn.TrainBayesianMLP(context.Background(), x, 1, y, net, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	mean, std := make([]float64, 1), make([]float64, 1)
	if err := m.PredictTo(mean, std, []float64{30}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean near 1000·sin(0.9)+5000: %v\n", math.Abs(mean[0]-(1000*math.Sin(0.9)+5000)) < 150)
	fmt.Printf("std near the noise 300: %v\n", std[0] > 200 && std[0] < 450)
	// Output:
	// mean near 1000·sin(0.9)+5000: true
	// std near the noise 300: true
}
