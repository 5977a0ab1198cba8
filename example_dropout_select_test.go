package bnn_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gobnn/bnn"
)

// MC dropout with its rate and noise model chosen on held-out rows: every
// rate of Gal & Ghahramani's grid, each with a constant noise level and with
// a variance head, is trained on the same 80 % of the rows; the candidate
// whose MC predictive scores the best log-likelihood on the other 20 % wins,
// and the model is retrained on every row with it. The noise here grows
// tenfold across the inputs, so the variance head wins, and the predictive
// std follows the noise (0.05 + 0.5|x|: 0.05 at x = 0, 0.45 at x = 0.8; the
// predictive adds the epistemic spread).
func ExampleTrainMCDropoutSelect() {
	r := rand.New(rand.NewPCG(1, 2))
	var x, y []float64
	for range 400 {
		v := 2*r.Float64() - 1
		x = append(x, v)
		y = append(y, math.Sin(3*v)+(0.05+0.5*math.Abs(v))*r.NormFloat64())
	}
	cfg := bnn.TrainConfig{Hidden: []int{32}, Activation: bnn.ReLU, LearningRate: 1e-2, Epochs: 300, BatchSize: 32, Seed: 1,
		Validation: bnn.Validation{Fraction: 0.2, Patience: 30, Refit: true}}
	cands := bnn.DropoutGrid(bnn.DefaultDropoutRates(), false, true)
	m, sel, err := bnn.TrainMCDropoutSelect(context.Background(), x, 1, y, cfg, 200, cands)
	if err != nil {
		fmt.Println(err)
		return
	}
	mean, std := make([]float64, 2), make([]float64, 2)
	if err := m.PredictTo(mean, std, []float64{0, 0.8}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d candidates; heteroscedastic chosen: %v\n", len(sel.Scores), sel.Heteroscedastic)
	fmt.Printf("std at x = 0: %.2f, at x = 0.8: %.2f\n", std[0], std[1])
	// Output:
	// 8 candidates; heteroscedastic chosen: true
	// std at x = 0: 0.10, at x = 0.8: 0.43
}
