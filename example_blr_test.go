package bnn_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gobnn/bnn"
)

// The seed notebook's straight-line regression: t = −0.3 + 0.5x + noise with
// noise precision β = 25, prior precision α = 2. The posterior over (w0, w1)
// sharpens around the truth as data arrive, and the predictive standard
// deviation at x = 0 shrinks toward the noise level 1/√β = 0.2.
func Example_straightLineRegression() {
	const alpha, beta = 2.0, 25.0
	r := rand.New(rand.NewPCG(11, 12))
	xs := make([]float64, 20)
	ts := make([]float64, 20)
	for i := range xs {
		xs[i] = 2*r.Float64() - 1
		ts[i] = -0.3 + 0.5*xs[i] + r.NormFloat64()/math.Sqrt(beta)
	}
	test, _ := bnn.NewDense(1, 1, []float64{0})
	phiTest, _ := bnn.IdentityBasis().Expand(test)
	for _, n := range []int{3, 8, 20} {
		x, _ := bnn.NewDense(n, 1, xs[:n])
		phi, _ := bnn.IdentityBasis().Expand(x)
		post, err := bnn.FitBayesLinear(phi, ts[:n], alpha, beta)
		if err != nil {
			fmt.Println(err)
			return
		}
		cov, _ := bnn.NewDense(2, 2, nil)
		_ = post.CovarianceTo(cov)
		m := post.Mean()
		mean, variance := make([]float64, 1), make([]float64, 1)
		_ = post.PredictTo(mean, variance, phiTest)
		fmt.Printf("N=%2d  w0 = %.2f ± %.2f  w1 = %.2f ± %.2f  y(0) = %.2f ± %.2f\n",
			n, m[0], math.Sqrt(cov.At(0, 0)), m[1], math.Sqrt(cov.At(1, 1)), mean[0], math.Sqrt(variance[0]))
	}
	// Output:
	// N= 3  w0 = -0.39 ± 0.12  w1 = 0.60 ± 0.28  y(0) = -0.39 ± 0.24
	// N= 8  w0 = -0.32 ± 0.08  w1 = 0.65 ± 0.13  y(0) = -0.32 ± 0.21
	// N=20  w0 = -0.27 ± 0.05  w1 = 0.58 ± 0.09  y(0) = -0.27 ± 0.21
}

// The seed notebook's nonlinear regression: a sinusoid fitted with nine
// Gaussian bumps of width 0.1 (α = 2, β = 25), with the predictive mean and
// standard deviation at a few inputs, and one posterior weight sample.
func Example_gaussianBasisRegression() {
	const alpha, beta = 2.0, 25.0
	r := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 20)
	ts := make([]float64, 20)
	for i := range xs {
		xs[i] = r.Float64()
		ts[i] = 0.5 + math.Sin(2*math.Pi*xs[i]) + r.NormFloat64()/math.Sqrt(beta)
	}
	centres := make([]float64, 9)
	for i := range centres {
		centres[i] = float64(i) / 8
	}
	basis, _ := bnn.GaussianBasis(centres, 0.1)
	test, _ := bnn.NewDense(3, 1, []float64{0.25, 0.5, 0.75})
	phiTest, _ := basis.Expand(test)
	for _, n := range []int{3, 20} {
		x, _ := bnn.NewDense(n, 1, xs[:n])
		phi, _ := basis.Expand(x)
		post, err := bnn.FitBayesLinear(phi, ts[:n], alpha, beta)
		if err != nil {
			fmt.Println(err)
			return
		}
		mean, variance := make([]float64, 3), make([]float64, 3)
		_ = post.PredictTo(mean, variance, phiTest)
		fmt.Printf("N=%2d:", n)
		for i := range mean {
			fmt.Printf("  y(%.2f) = %5.2f ± %.2f", test.At(i, 0), mean[i], math.Sqrt(variance[i]))
		}
		fmt.Println()
		// Posterior weight samples give sample functions, here at x = 0.5.
		w := make([]float64, post.NumWeights())
		fmt.Print("       samples of y(0.50):")
		for k := 0; k < 3; k++ {
			_ = post.SampleWeightsTo(w, r)
			y := 0.0
			for j, v := range phiTest.RawRow(1) {
				y += v * w[j]
			}
			fmt.Printf(" %5.2f", y)
		}
		fmt.Println()
	}
	fmt.Println("truth:   y(0.25) =  1.50         y(0.50) =  0.50         y(0.75) = -0.50")
	// Output:
	// N= 3:  y(0.25) =  0.76 ± 0.69  y(0.50) =  0.69 ± 0.57  y(0.75) =  0.45 ± 0.88
	//        samples of y(0.50):  0.82 -0.20  1.11
	// N=20:  y(0.25) =  1.46 ± 0.24  y(0.50) =  0.44 ± 0.24  y(0.75) = -0.47 ± 0.24
	//        samples of y(0.50):  0.44  0.47  0.63
	// truth:   y(0.25) =  1.50         y(0.50) =  0.50         y(0.75) = -0.50
}
