package bnn_test

import (
	"context"
	"fmt"
	"math"

	"github.com/gobnn/bnn"
)

// Sample the mean μ and standard deviation σ of six measurements with
// NUTS: y ~ N(μ, σ²), μ ~ N(0, 10²), σ ~ Exponential(1). σ > 0 is declared
// with a transform, so the log density is written on the natural scale and
// the draws come back on it; the sampler moves on (μ, log σ).
func ExampleSampleNUTS() {
	y := []float64{4.8, 5.6, 5.1, 4.3, 6.0, 5.2}
	logJoint := func(theta, grad []float64) float64 {
		mu, sigma := theta[0], theta[1]
		lp := -mu*mu/200 - sigma // priors
		grad[0], grad[1] = -mu/100, -1
		for _, v := range y {
			z := (v - mu) / sigma
			lp += -0.5*z*z - math.Log(sigma)
			grad[0] += z / sigma
			grad[1] += (z*z - 1) / sigma
		}
		return lp
	}
	tr, err := bnn.NewConstrained(bnn.Unbounded(1), bnn.LowerBound(0))
	if err != nil {
		panic(err)
	}
	res, err := bnn.SampleNUTS(context.Background(), 2, logJoint, bnn.NUTSConfig{Seed: 1, Transforms: tr})
	if err != nil {
		panic(err)
	}
	sum, err := res.Summary([]string{"mu", "sigma"})
	if err != nil {
		panic(err)
	}
	for _, s := range sum {
		fmt.Printf("%s: posterior mean %.1f, R̂ < 1.01: %t, bulk ESS > 400: %t\n", s.Name, s.Mean, s.RHat < 1.01, s.ESSBulk > 400)
	}
	fmt.Println("divergences:", res.Divergences())
	// Output:
	// mu: posterior mean 5.2, R̂ < 1.01: true, bulk ESS > 400: true
	// sigma: posterior mean 0.7, R̂ < 1.01: true, bulk ESS > 400: true
	// divergences: 0
}
