package bnn_test

import (
	"context"
	"fmt"
	"math"

	"github.com/gobnn/bnn"
)

func ExampleRefineGridPosterior() {
	// The seed's 60 noisy measurements would go here; this example uses the
	// noise-free trajectory of ζ = 0.08, ωₙ = 1.1.
	truth := bnn.Oscillator{Zeta: 0.08, OmegaN: 1.1}
	d := bnn.NotebookOscillatorData(nil)
	d.X = make([]float64, len(d.T))
	for i, t := range d.T {
		d.X[i], _ = truth.Exact(t, 1, 0)
	}
	m, err := d.GridModel()
	if err != nil {
		panic(err)
	}
	g, rep, err := bnn.RefineGridPosterior(context.Background(), bnn.NotebookOscillatorGrid(), m, bnn.GridRefineConfig{})
	if err != nil {
		panic(err)
	}
	mean, std := g.Mean(), g.Std()
	fmt.Printf("ζ  = %.4f ± %.4f\n", mean[0], std[0])
	fmt.Printf("ωₙ = %.4f ± %.4f\n", mean[1], std[1])
	fmt.Printf("zooms: %d, cells per std ≥ 5: %v\n", rep.Rounds, rep.CellsPerStd[0] >= 5 && rep.CellsPerStd[1] >= 5)
	// Output:
	// ζ  = 0.0801 ± 0.0033
	// ωₙ = 1.1001 ± 0.0044
	// zooms: 1, cells per std ≥ 5: true
}

// ExampleFitGaussianVI fits the seed's bimodal posterior: VI picks one mode.
func ExampleFitGaussianVI() {
	// y = θ² + N(0, 0.5²), y = 4 observed, prior θ ~ N(0, 5²).
	logJoint := func(theta, grad []float64) float64 {
		th := theta[0]
		r := (4 - th*th) / 0.5
		grad[0] = r/0.5*2*th - th/25
		return -0.5*r*r - 0.5*th*th/25
	}
	res, err := bnn.FitGaussianVI(context.Background(), 1, logJoint, bnn.NotebookVIConfig())
	if err != nil {
		panic(err)
	}
	fmt.Printf("|μ| ≈ %.2f, σ ≈ %.2f\n", math.Abs(res.Mean[0]), res.Std[0])
	// Output: |μ| ≈ 1.99, σ ≈ 0.13
}
