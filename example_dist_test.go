package bnn_test

import (
	"fmt"
	"math"

	"github.com/gobnn/bnn"
)

// ExampleNormal evaluates N(1, 2²) where the closed forms are easy to check:
// the density at the mean is 1/(σ√(2π)) = 1/(2·2.506628) = 0.199471, the
// CDF at the mean is ½, and at μ + σ it is Φ(1) = 0.841345.
func ExampleNormal() {
	d, err := bnn.NewNormal(1, 2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("p(1) = %.6f (1/(2√(2π)) = %.6f)\n", d.Prob(1), 1/(2*math.Sqrt(2*math.Pi)))
	fmt.Printf("P(X ≤ 1) = %g, P(X ≤ 3) = %.6f\n", d.CDF(1), d.CDF(3))
	fmt.Printf("mean %g, variance %g\n", d.Mean(), d.Variance())
	// Output:
	// p(1) = 0.199471 (1/(2√(2π)) = 0.199471)
	// P(X ≤ 1) = 0.5, P(X ≤ 3) = 0.841345
	// mean 1, variance 4
}

// ExampleUniform evaluates U(−1, 3): density 1/4 inside, 0 outside, CDF
// (x + 1)/4, mean 1 and variance 4²/12 = 4/3.
func ExampleUniform() {
	d, err := bnn.NewUniform(-1, 3)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Prob(0), d.Prob(5), d.CDF(0), d.Mean())
	fmt.Printf("variance %.6f\n", d.Variance())
	// Output:
	// 0.25 0 0.25 1
	// variance 1.333333
}

// ExampleGamma evaluates Gamma(shape 2, scale 3), whose density is
// x·e^(−x/3)/9: at x = 3 that is 3·e⁻¹/9 = e⁻¹/3 = 0.122626. Its CDF is
// 1 − (1 + x/3)·e^(−x/3), so P(X ≤ 3) = 1 − 2/e = 0.264241; its mean is
// shape·scale = 6 and its variance shape·scale² = 18.
func ExampleGamma() {
	d, err := bnn.NewGamma(2, 3)
	if err != nil {
		panic(err)
	}
	fmt.Printf("p(3) = %.6f (e⁻¹/3 = %.6f)\n", d.Prob(3), math.Exp(-1)/3)
	fmt.Printf("P(X ≤ 3) = %.6f (1 − 2/e = %.6f)\n", d.CDF(3), 1-2/math.E)
	fmt.Printf("mean %g, variance %g, rate %.6f\n", d.Mean(), d.Variance(), d.Rate())
	// Output:
	// p(3) = 0.122626 (e⁻¹/3 = 0.122626)
	// P(X ≤ 3) = 0.264241 (1 − 2/e = 0.264241)
	// mean 6, variance 18, rate 0.333333
}

// ExampleInverseGamma evaluates InverseGamma(shape 3, scale 2), whose
// density is β^α/Γ(α)·x^(−α−1)·e^(−β/x) = 8/2·x⁻⁴·e^(−2/x): at x = 1 that
// is 4e⁻² = 0.541341. Its mean is β/(α − 1) = 1 and its variance
// β²/((α − 1)²(α − 2)) = 1.
func ExampleInverseGamma() {
	d, err := bnn.NewInverseGamma(3, 2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("p(1) = %.6f (4e⁻² = %.6f)\n", d.Prob(1), 4*math.Exp(-2))
	fmt.Printf("mean %g, variance %g\n", d.Mean(), d.Variance())
	// Output:
	// p(1) = 0.541341 (4e⁻² = 0.541341)
	// mean 1, variance 1
}

// ExampleMultivariateNormal evaluates a 2-D normal with mean (0, 0) and
// covariance diag(1, 4) at its mean: the density is 1/(2π·√det Σ) =
// 1/(2π·2) = 0.079577, and the log density −log(4π) = −2.531024.
func ExampleMultivariateNormal() {
	cov, err := bnn.NewDenseRows([][]float64{{1, 0}, {0, 4}})
	if err != nil {
		panic(err)
	}
	d, err := bnn.NewMultivariateNormal([]float64{0, 0}, cov)
	if err != nil {
		panic(err)
	}
	p, err := d.Prob([]float64{0, 0})
	if err != nil {
		panic(err)
	}
	lp, _ := d.LogProb([]float64{0, 0})
	fmt.Printf("p(0) = %.6f (1/(4π) = %.6f), log p(0) = %.6f\n", p, 1/(4*math.Pi), lp)
	fmt.Println("variances:", d.Variance())
	// Output:
	// p(0) = 0.079577 (1/(4π) = 0.079577), log p(0) = -2.531024
	// variances: [1 4]
}
