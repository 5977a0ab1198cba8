package bnn_test

import (
	"fmt"

	"github.com/gobnn/bnn"
)

// Multiply a 2×3 matrix by a 3×2 matrix, and by the transpose of a 2×3 one.
func ExampleSgemm() {
	a := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{
		1, 0,
		0, 1,
		1, 1,
	}
	c := make([]float32, 4)
	if err := bnn.Sgemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)

	// C = A·Aᵀ: op(B) = Aᵀ is 3×2, stored as A (2×3, ldb = 3).
	if err := bnn.Sgemm(false, true, 2, 2, 3, 1, a, 3, a, 3, 0, c, 2); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)

	// A leading dimension smaller than a row is a shape error.
	fmt.Println(bnn.Sgemm(false, false, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2))
	// Output:
	// [4 5 10 11]
	// [14 32 32 77]
	// bnn: sgemm: leading dimension of A is 2, want ≥ 3: shape mismatch
}
