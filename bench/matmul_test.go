package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/gobnn/bnn"
)

// matmulShapes are the products of the seed's networks (batch 60, width 64)
// plus the cube sizes of the issue, as M×K·K×N.
var matmulShapes = []struct {
	m, k, n        int
	transA, transB bool
}{
	{60, 64, 64, false, false}, {64, 64, 64, false, false}, {256, 256, 256, false, false},
	{60, 64, 64, true, false}, {60, 64, 64, false, true}, {512, 64, 64, false, false},
}

func shapeName(m, k, n int, tA, tB bool) string {
	s := fmt.Sprintf("%dx%dx%d", m, k, n)
	if tA {
		s += "TN"
	}
	if tB {
		s += "NT"
	}
	return s
}

func randMat(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// BenchmarkMatMul runs each product with bnn.Sgemm and with gonum's blas32.Gemm
// and reports GFLOP/s; compare the bnn/… and gonum/… lines of the same shape.
// bnn runs on the calling goroutine; gonum splits large products (256³ and
// 512×64×64 here) over its own goroutines, which only helps it.
func BenchmarkMatMul(b *testing.B) {
	for _, s := range matmulShapes {
		r := rand.New(rand.NewPCG(1, 2))
		a, bm, c := randMat(r, s.m*s.k), randMat(r, s.k*s.n), make([]float32, s.m*s.n)
		lda, ldb := s.k, s.n
		ta, tb := blas.NoTrans, blas.NoTrans
		if s.transA {
			lda, ta = s.m, blas.Trans
		}
		if s.transB {
			ldb, tb = s.k, blas.Trans
		}
		flops := 2 * float64(s.m*s.n*s.k)
		name := shapeName(s.m, s.k, s.n, s.transA, s.transB)
		b.Run("bnn/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bnn.Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run("gonum/"+name, func(b *testing.B) {
			ar, ac := s.m, s.k
			if s.transA {
				ar, ac = s.k, s.m
			}
			br, bc := s.k, s.n
			if s.transB {
				br, bc = s.n, s.k
			}
			A := blas32.General{Rows: ar, Cols: ac, Stride: lda, Data: a}
			B := blas32.General{Rows: br, Cols: bc, Stride: ldb, Data: bm}
			C := blas32.General{Rows: s.m, Cols: s.n, Stride: s.n, Data: c}
			b.ReportAllocs()
			for b.Loop() {
				blas32.Gemm(ta, tb, 1, A, B, 0, C)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// TestMatMulAgreesWithGonum checks that bnn.Sgemm and gonum's blas32.Gemm
// compute the same products (within float32 summation-order error), so the
// benchmark compares like with like.
func TestMatMulAgreesWithGonum(t *testing.T) {
	for _, s := range matmulShapes {
		r := rand.New(rand.NewPCG(3, 4))
		a, bm := randMat(r, s.m*s.k), randMat(r, s.k*s.n)
		c1, c2 := randMat(r, s.m*s.n), make([]float32, s.m*s.n)
		copy(c2, c1)
		lda, ldb := s.k, s.n
		ta, tb := blas.NoTrans, blas.NoTrans
		ar, ac, br, bc := s.m, s.k, s.k, s.n
		if s.transA {
			lda, ta, ar, ac = s.m, blas.Trans, s.k, s.m
		}
		if s.transB {
			ldb, tb, br, bc = s.k, blas.Trans, s.n, s.k
		}
		if err := bnn.Sgemm(s.transA, s.transB, s.m, s.n, s.k, 0.5, a, lda, bm, ldb, 2, c1, s.n); err != nil {
			t.Fatal(err)
		}
		blas32.Gemm(ta, tb, 0.5, blas32.General{Rows: ar, Cols: ac, Stride: lda, Data: a},
			blas32.General{Rows: br, Cols: bc, Stride: ldb, Data: bm}, 2,
			blas32.General{Rows: s.m, Cols: s.n, Stride: s.n, Data: c2})
		for i := range c1 {
			if d := c1[i] - c2[i]; d > 1e-3 || d < -1e-3 {
				t.Fatalf("%s: C[%d] = %g, gonum %g", shapeName(s.m, s.k, s.n, s.transA, s.transB), i, c1[i], c2[i])
			}
		}
	}
}
