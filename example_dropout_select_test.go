package bnn_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/gobnn/bnn"
)

// MC dropout with its rate chosen on held-out rows: every rate of Gal &
// Ghahramani's grid is trained on the same 80 % of the rows, the one whose
// MC predictive scores the best log-likelihood on the other 20 % wins, and
// the model is retrained on every row at that rate.
func ExampleTrainMCDropoutSelect() {
	r := rand.New(rand.NewPCG(1, 2))
	x, y := lineData(r, 200, func() float64 { return 0.3 * r.NormFloat64() })
	cfg := bnn.TrainConfig{Hidden: []int{16}, Activation: bnn.ReLU, LearningRate: 1e-2, Epochs: 200, BatchSize: 32, Seed: 1,
		Validation: bnn.Validation{Fraction: 0.2, Patience: 20, Refit: true}}
	grid := bnn.DefaultDropoutRates()
	m, sel, err := bnn.TrainMCDropoutSelect(context.Background(), x, 1, y, cfg, 50, grid)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("grid %v; %d held-out scores; chose a rate of the grid: %v; the model's rate: %v\n",
		grid, len(sel.Scores), slices.Contains(grid, sel.Rate), m.Rate() == float64(float32(sel.Rate)))
	// Output: grid [0.005 0.01 0.05 0.1]; 4 held-out scores; chose a rate of the grid: true; the model's rate: true
}
