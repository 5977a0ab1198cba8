package bnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refGemm64 is C ← α·op(A)·op(B) + β·C written from the definition in
// float64, independent of every kernel path (the generic twin included).
// With β = 0, C is not read (BLAS semantics: NaN in C is overwritten).
func refGemm64(transA, transB bool, m, n, k int, alpha float64, a []float32, lda int, b []float32, ldb int, beta float64, c []float32, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				var aip, bpj float64
				if transA {
					aip = float64(a[p*lda+i])
				} else {
					aip = float64(a[i*lda+p])
				}
				if transB {
					bpj = float64(b[j*ldb+p])
				} else {
					bpj = float64(b[p*ldb+j])
				}
				s += aip * bpj
			}
			v := alpha * s
			if beta != 0 {
				v += beta * float64(c[i*ldc+j])
			}
			out[i*n+j] = v
		}
	}
	return out
}

// TestSgemmMatchesFloat64Reference checks sgemm on every kernel path, and
// the generic twin on its own, against refGemm64 on dyadic data, where every
// product and sum is exact in float32, so the results must be equal (up to
// the sign of zero): every combination of transposes, several α and β
// (including β = 0 over a C holding NaN, β = 1 and β ∉ {0, 1}) and shapes
// around the kernels' block sizes.
func TestSgemmMatchesFloat64Reference(t *testing.T) {
	shapes := [][3]int{{1, 1, 1}, {3, 5, 7}, {7, 17, 9}, {16, 32, 8}, {33, 47, 65}, {64, 64, 64}, {5, 1, 300}, {97, 65, 257}}
	alphas := []float32{1, -0.5, 2}
	betas := []float32{0, 1, -0.5, 2, 0.25}
	impls := []struct {
		name string
		f    func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	}{{"sgemm", sgemm}, {"generic", sgemmGeneric}}
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(31, 32))
		for si, s := range shapes {
			m, n, k := s[0], s[1], s[2]
			for tr := range 4 {
				tA, tB := tr&1 != 0, tr&2 != 0
				lda, ldb, ldc := k+1, n+2, n+3
				if tA {
					lda = m + 1
				}
				if tB {
					ldb = k + 2
				}
				a := make([]float32, (max(m, k)+1)*lda)
				b := make([]float32, (max(n, k)+1)*ldb)
				dyadic(r, a)
				dyadic(r, b)
				alpha, beta := alphas[(si+tr)%len(alphas)], betas[(si+3*tr)%len(betas)]
				c0 := make([]float32, m*ldc)
				for i := range c0 {
					c0[i] = float32(r.IntN(9)-4) / 2
					if beta == 0 && i%5 == 0 {
						c0[i] = float32(math.NaN())
					}
				}
				want := refGemm64(tA, tB, m, n, k, float64(alpha), a, lda, b, ldb, float64(beta), c0, ldc)
				for _, impl := range impls {
					c := append([]float32(nil), c0...)
					impl.f(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							if got := float64(c[i*ldc+j]); got != want[i*n+j] {
								t.Fatalf("%s %dx%dx%d transA=%v transB=%v α=%g β=%g: C[%d,%d] = %g, float64 reference %g",
									impl.name, m, n, k, tA, tB, alpha, beta, i, j, got, want[i*n+j])
							}
						}
						for j := n; j < ldc; j++ {
							if !sameFloat32(c[i*ldc+j], c0[i*ldc+j]) {
								t.Fatalf("%s: C[%d,%d] outside the matrix changed", impl.name, i, j)
							}
						}
					}
				}
			}
		}
	})
}
