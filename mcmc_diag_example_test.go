package bnn_test

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/gobnn/bnn"
)

// Example_convergenceDiagnostics summarises two parameters' draws from 4
// chains: a well-mixed AR(1) series and one whose last chain is stuck
// elsewhere, which R̂ flags.
func Example_convergenceDiagnostics() {
	r := rand.New(rand.NewPCG(7, 11))
	const chains, iters = 4, 1000
	ar1 := func(shift float64) [][]float64 {
		d := make([][]float64, chains)
		for c := range d {
			d[c] = make([]float64, iters)
			v := 0.0
			for i := range d[c] {
				v = 0.8*v + r.NormFloat64()
				d[c][i] = v
			}
			if c == chains-1 {
				for i := range d[c] {
					d[c][i] += shift
				}
			}
		}
		return d
	}
	draws := [][][]float64{ar1(0), ar1(3)} // draws[parameter][chain][iteration]

	rhat, _ := bnn.RHat(draws[1])
	ess, _ := bnn.ESSBulk(draws[0])
	fmt.Printf("stuck chain: R̂ = %.2f; mixed: bulk ESS ≈ %.0f of %d draws\n", rhat, ess, chains*iters)

	summary, err := bnn.SummarizeDraws([]string{"mixed", "stuck"}, draws)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := bnn.WriteSummary(os.Stdout, summary); err != nil {
		fmt.Println(err)
	}
	// Output:
	// stuck chain: R̂ = 1.25; mixed: bulk ESS ≈ 475 of 4000 draws
	// variable      mean     sd    mcse      q5     q50    q95   rhat  ess_bulk  ess_tail
	// mixed     -0.06355  1.663  0.0766  -2.745  -0.129  2.704  1.008       475       821
	// stuck       0.6913  2.094   0.597  -2.586  0.6243  4.236  1.248        13        44
}
