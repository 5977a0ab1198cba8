package bnn_test

import (
	"fmt"
	"math"

	"github.com/gobnn/bnn"
)

func ExampleODESolver_Solve() {
	// Exponential decay y' = −y, integrated backwards from y(2) = e^-2.
	s, err := bnn.NewODESolver(1, bnn.DefaultODEConfig())
	if err != nil {
		panic(err)
	}
	decay := func(_ float64, y, dydt []float64) { dydt[0] = -y[0] }
	ts := []float64{1.5, 1, 0}
	out := make([]float64, len(ts))
	st, err := s.Solve(decay, 2, []float64{math.Exp(-2)}, ts, out)
	if err != nil {
		panic(err)
	}
	for i, t := range ts {
		fmt.Printf("y(%g) = %.6f (exact %.6f)\n", t, out[i], math.Exp(-t))
	}
	fmt.Println(st.Accepted > 0, st.NFev == 2+6*(st.Accepted+st.Rejected))
	// Output:
	// y(1.5) = 0.223130 (exact 0.223130)
	// y(1) = 0.367879 (exact 0.367879)
	// y(0) = 1.000000 (exact 1.000000)
	// true true
}

func ExampleOscillatorSolver() {
	s, err := bnn.NewOscillatorSolver(bnn.DefaultODEConfig())
	if err != nil {
		panic(err)
	}
	o := bnn.Oscillator{Zeta: 0.08, OmegaN: 1.1}
	ts := []float64{0, 1, 2, 3}
	x := make([]float64, len(ts))
	st, err := s.SolveTo(x, o, 0, 1, 0, ts)
	if err != nil {
		panic(err)
	}
	for i, tt := range ts {
		exact, _ := o.Exact(tt, 1, 0)
		fmt.Printf("t=%g x=%.6f exact=%.6f\n", tt, x[i], exact)
	}
	fmt.Println("steps:", st.Accepted, "evaluations:", st.NFev)
	// Output:
	// t=0 x=1.000000 exact=1.000000
	// t=1 x=0.483643 exact=0.483643
	// t=2 x=-0.434041 exact=-0.434041
	// t=3 x=-0.768676 exact=-0.768676
	// steps: 27 evaluations: 182
}

// ExampleCholesky factorises A = [[4, 2], [2, 3]] = L·Lᵀ, whose factor is
// L = [[2, 0], [1, √2]] (2·2 = 4, 1·2 = 2, 1·1 + √2·√2 = 3), solves A·x = b
// for b = (2, 1) (x = (0.5, 0), as 4·0.5 = 2 and 2·0.5 = 1), and gives
// log det A = log 8 (4·3 − 2·2 = 8).
func ExampleCholesky() {
	a, err := bnn.NewDenseRows([][]float64{{4, 2}, {2, 3}})
	if err != nil {
		panic(err)
	}
	var c bnn.Cholesky
	if err := c.Factorize(a); err != nil {
		panic(err)
	}
	l, _ := bnn.NewDense(2, 2, nil)
	if err := c.LTo(l); err != nil {
		panic(err)
	}
	fmt.Printf("L = [[%g, %g], [%g, %.6f]]\n", l.At(0, 0), l.At(0, 1), l.At(1, 0), l.At(1, 1))
	x := make([]float64, 2)
	if err := c.SolveVecTo(x, []float64{2, 1}); err != nil {
		panic(err)
	}
	fmt.Printf("x = (%g, %g)\n", x[0], x[1])
	fmt.Printf("log det A = %.6f = log 8 = %.6f\n", c.LogDet(), math.Log(8))
	// Output:
	// L = [[2, 0], [1, 1.414214]]
	// x = (0.5, 0)
	// log det A = 2.079442 = log 8 = 2.079442
}
