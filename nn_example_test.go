package bnn_test

import (
	"bytes"
	"context"
	"fmt"
	"math"

	"github.com/gobnn/bnn"
)

// A deep ensemble of five small tanh networks fitted to a sine, saved to a
// model file and loaded back.
func ExampleTrainEnsemble() {
	var x, y []float64
	for i := range 50 {
		t := float64(i) / 49 * 6
		x = append(x, t)
		y = append(y, math.Sin(t))
	}
	cfg := bnn.TrainConfig{
		Hidden: []int{16, 16}, Activation: bnn.Tanh,
		LearningRate: 5e-3, WeightDecay: 1e-4, Epochs: 800, Seed: 1,
	}
	ens, err := bnn.TrainEnsemble(context.Background(), x, 1, y, cfg, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	var file bytes.Buffer
	if err := bnn.SaveModel(&file, ens); err != nil {
		fmt.Println(err)
		return
	}
	model, err := bnn.LoadModel(&file)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := []float64{1.5, 3, 9} // 9 lies outside the training range
	mean, std := make([]float64, 3), make([]float64, 3)
	if err := model.PredictTo(mean, std, in); err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range in[:2] {
		fmt.Printf("t=%g: mean %.1f (sin t = %.1f)\n", t, mean[i], math.Sin(t))
	}
	fmt.Println("members disagree more outside the data:", std[2] > 3*std[0] && std[2] > 3*std[1])
	// Output:
	// t=1.5: mean 1.0 (sin t = 1.0)
	// t=3: mean 0.1 (sin t = 0.1)
	// members disagree more outside the data: true
}
