package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gobnn/bnn"
)

// spdData returns the row-major data of B·Bᵀ + n·I for a random n×n B, the
// same matrix for both libraries.
func spdData(n int) []float64 {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	b := make([]float64, n*n)
	for i := range b {
		b[i] = r.NormFloat64()
	}
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s += b[i*n+k] * b[j*n+k]
			}
			a[i*n+j] = s
		}
		a[i*n+i] += float64(n)
	}
	return a
}

func rhs(n int) []float64 {
	r := rand.New(rand.NewPCG(uint64(n), 2))
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64()
	}
	return v
}

var sizes = []int{10, 64, 256}

// TestSameAnswer checks that both libraries solve the benchmark systems to
// the same solution, so the timings compare equal work.
func TestSameAnswer(t *testing.T) {
	for _, n := range sizes {
		data := spdData(n)
		a, err := bnn.NewDense(n, n, data)
		if err != nil {
			t.Fatal(err)
		}
		var c bnn.Cholesky
		if err := c.Factorize(a); err != nil {
			t.Fatal(err)
		}
		x := make([]float64, n)
		if err := c.SolveVecTo(x, rhs(n)); err != nil {
			t.Fatal(err)
		}
		var g mat.Cholesky
		if !g.Factorize(mat.NewSymDense(n, data)) {
			t.Fatal("gonum: not positive definite")
		}
		var gx mat.VecDense
		if err := g.SolveVecTo(&gx, mat.NewVecDense(n, rhs(n))); err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if d := x[i] - gx.AtVec(i); d > 1e-10 || d < -1e-10 {
				t.Fatalf("n=%d: x[%d] = %g (bnn) vs %g (gonum)", n, i, x[i], gx.AtVec(i))
			}
		}
	}
}

// BenchmarkCholesky times factorising into reused storage.
func BenchmarkCholesky(b *testing.B) {
	for _, n := range sizes {
		data := spdData(n)
		b.Run(fmt.Sprintf("bnn/n=%d", n), func(b *testing.B) {
			a, _ := bnn.NewDense(n, n, data)
			var c bnn.Cholesky
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Factorize(a); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			a := mat.NewSymDense(n, data)
			var c mat.Cholesky
			b.ReportAllocs()
			for b.Loop() {
				if !c.Factorize(a) {
					b.Fatal("not positive definite")
				}
			}
		})
	}
}

// BenchmarkCholeskySolve times an SPD solve: factorise, then solve one
// right-hand side.
func BenchmarkCholeskySolve(b *testing.B) {
	for _, n := range sizes {
		data, v := spdData(n), rhs(n)
		b.Run(fmt.Sprintf("bnn/n=%d", n), func(b *testing.B) {
			a, _ := bnn.NewDense(n, n, data)
			x := make([]float64, n)
			var c bnn.Cholesky
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Factorize(a); err != nil {
					b.Fatal(err)
				}
				if err := c.SolveVecTo(x, v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			a := mat.NewSymDense(n, data)
			bv := mat.NewVecDense(n, v)
			x := mat.NewVecDense(n, nil)
			var c mat.Cholesky
			b.ReportAllocs()
			for b.Loop() {
				if !c.Factorize(a) {
					b.Fatal("not positive definite")
				}
				if err := c.SolveVecTo(x, bv); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCholeskyPaired alternates the two libraries inside one loop (a
// factorisation and one solve each per iteration) and reports each one's
// time per operation and the ratio gonum/bnn, so that load from other
// processes hits both equally.
func BenchmarkCholeskyPaired(b *testing.B) {
	for _, n := range sizes {
		data, v := spdData(n), rhs(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			a, _ := bnn.NewDense(n, n, data)
			x := make([]float64, n)
			var c bnn.Cholesky
			ga := mat.NewSymDense(n, data)
			gb := mat.NewVecDense(n, v)
			gx := mat.NewVecDense(n, nil)
			var gc mat.Cholesky
			var tb, tg time.Duration
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				if err := c.Factorize(a); err != nil {
					b.Fatal(err)
				}
				if err := c.SolveVecTo(x, v); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if !gc.Factorize(ga) {
					b.Fatal("not positive definite")
				}
				if err := gc.SolveVecTo(gx, gb); err != nil {
					b.Fatal(err)
				}
				tg += time.Since(t1)
				tb += t1.Sub(t0)
			}
			b.ReportMetric(float64(tb.Nanoseconds())/float64(b.N), "bnn-ns/op")
			b.ReportMetric(float64(tg.Nanoseconds())/float64(b.N), "gonum-ns/op")
			b.ReportMetric(float64(tg)/float64(tb), "gonum/bnn")
		})
	}
}
