package bnn

import (
	"math/rand/v2"
	"testing"
)

// TestKernelColDotOuter compares colDot and outer on every path with their
// generic twins bit for bit (both multiply, then add in row order) over
// rows 0–70 and widths around the vector widths, on general data with
// specials, with guards around the outputs.
func TestKernelColDotOuter(t *testing.T) {
	widths := []int{0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 48, 63, 64, 65, 100, 130}
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(31, 32))
		for rows := 0; rows <= 70; rows += 1 + rows/8 {
			for wi, cols := range widths {
				off := (rows + wi) % 4
				a := make([]float32, off+rows*cols)[off:]
				x := make([]float32, off+rows)[off:]
				w := make([]float32, cols)
				general(r, a)
				general(r, x)
				general(r, w)

				got, buf := guarded(cols, off)
				general(r, got)
				want := make([]float32, cols)
				colDot(got, a, x, cols)
				colDotGeneric(want, a, x)
				for j := range want {
					if !sameFloat32(got[j], want[j]) {
						t.Fatalf("colDot %d×%d: y[%d] = %g, generic %g", rows, cols, j, got[j], want[j])
					}
				}
				checkGuards(t, buf, off, cols)

				got, buf = guarded(rows*cols, off)
				want = make([]float32, rows*cols)
				outer(got, x, w)
				outerGeneric(want, x, w)
				for j := range want {
					if !sameFloat32(got[j], want[j]) {
						t.Fatalf("outer %d×%d: z[%d] = %g, generic %g", rows, cols, j, got[j], want[j])
					}
				}
				checkGuards(t, buf, off, rows*cols)
			}
		}
	})
}

// TestColDotSums checks colDot against float64 sums on dyadic data (exact).
func TestColDotSums(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	forEachKernelPath(t, func(t *testing.T) {
		const rows, cols = 37, 70
		a, x := make([]float32, rows*cols), make([]float32, rows)
		dyadic(r, a)
		dyadic(r, x)
		y := make([]float32, cols)
		colDot(y, a, x, cols)
		for j := range cols {
			var s float64
			for i := range rows {
				s += float64(x[i]) * float64(a[i*cols+j])
			}
			if float64(y[j]) != s {
				t.Fatalf("y[%d] = %g, want %g", j, y[j], s)
			}
		}
	})
}
