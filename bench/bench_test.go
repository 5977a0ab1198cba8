package bench

import (
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"

	_ "github.com/gobnn/bnn"
)

var _ = blas32.Gemm
var _ = mat.NewDense
func TestX(t *testing.T) {}
