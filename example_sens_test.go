package bnn_test

import (
	"fmt"
	"math"

	"github.com/gobnn/bnn"
)

// Forward sensitivities of the damped oscillator x” + 2ζωx' + ω²x = 0 in
// θ = (ζ, ω) and in the initial state, from the Jacobians of the
// right-hand side.
func ExampleODESensSolver() {
	sys := bnn.ODESensSystem{
		F: func(_ float64, y, th, d []float64) {
			d[0] = y[1]
			d[1] = -2*th[0]*th[1]*y[1] - th[1]*th[1]*y[0]
		},
		Jac: func(_ float64, y, th, jy, jth []float64) {
			jy[1] = 1                                                  // ∂f₀/∂v
			jy[2], jy[3] = -th[1]*th[1], -2*th[0]*th[1]                // ∂f₁/∂(x, v)
			jth[2], jth[3] = -2*th[1]*y[1], -2*th[0]*y[1]-2*th[1]*y[0] // ∂f₁/∂(ζ, ω)
		},
	}
	s, _ := bnn.NewODESensSolver(2, 2, sys, bnn.ODESensConfig{WithInitial: true})
	y, sens := make([]float64, 2), make([]float64, 2*4)
	_, err := s.Solve(0, []float64{1, 0}, []float64{0.1, 1.1}, []float64{3}, y, sens)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Row 0 of S is ∂x(3)/∂(ζ, ω, x₀, v₀) (closed form: −0.721917, 2.269145,
	// 0.306483, −0.721917, −0.092874).
	fmt.Printf("x(3) = %.5f\n∂x/∂ζ = %.5f ∂x/∂ω = %.5f ∂x/∂x₀ = %.5f ∂x/∂v₀ = %.5f\n", y[0], sens[0], sens[1], sens[2], sens[3])
	// Output:
	// x(3) = -0.72192
	// ∂x/∂ζ = 2.26914 ∂x/∂ω = 0.30648 ∂x/∂x₀ = -0.72192 ∂x/∂v₀ = -0.09287
}

// The BNN weight posterior as a LogJoint for HMC: at θ = 0 the network is
// identically 0, so the log density is the normalising constants minus
// Σy²/(2σ²) = −99.986 and the gradient is zero except for the output
// bias's Σy/σ² = 40.
func ExampleBNNPosterior() {
	t := []float64{-1, 0, 1}
	y := []float64{0.5, -0.2, 0.1}
	p, err := bnn.NewBNNPosterior(t, y, bnn.BNNPosteriorConfig{Hidden: []int{8, 8}, NoiseStd: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	lj := p.NewLogJoint()
	theta, grad := make([]float64, p.Dim()), make([]float64, p.Dim())
	lp := lj(theta, grad)
	fmt.Printf("%d parameters, log density %.3f, ∂/∂(output bias) = %.1f\n", p.Dim(), lp, grad[p.Dim()-1])
	fmt.Println(math.Abs(grad[0]) == 0)
	// Output:
	// 97 parameters, log density -99.986, ∂/∂(output bias) = 40.0
	// true
}

// The seed's ODE log likelihood with its gradient in (ζ, ωₙ), here on
// noise-free positions of the true oscillator: at the truth the residuals
// vanish, so the log likelihood is its constant −60(log σ + ½ log 2π) and
// the gradient is (numerically) zero; away from it the gradient points back
// (central differences of the closed form give 6.83506, −2669.54, 3557.14).
func ExampleOscillatorData_NewODELogLik() {
	truth := bnn.Oscillator{Zeta: 0.08, OmegaN: 1.1}
	x := make([]float64, 60)
	for i := range x {
		x[i], _ = truth.Exact(6*float64(i)/59, 1, 0)
	}
	l, err := bnn.NotebookOscillatorData(x).NewODELogLik()
	if err != nil {
		fmt.Println(err)
		return
	}
	grad := make([]float64, 2)
	for _, theta := range [][]float64{{0.08, 1.1}, {0.1, 1.05}} {
		ll, err := l.Eval(theta, grad)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("θ = %v: log L = %.3f, ∂/∂ζ = %.0f, ∂/∂ωₙ = %.0f\n", theta, ll, math.Round(grad[0])+0, math.Round(grad[1])+0)
	}
	// Output:
	// θ = [0.08 1.1]: log L = 124.608, ∂/∂ζ = 0, ∂/∂ωₙ = 0
	// θ = [0.1 1.05]: log L = 6.835, ∂/∂ζ = -2670, ∂/∂ωₙ = 3557
}
