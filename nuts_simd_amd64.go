//go:build !purego

package bnn

// sumDot2AVX is the AVX loop of sumDot2 over blocks×4 elements (see
// nuts_simd_amd64.s): it writes a + b to out (unless nil) and leaves the
// four partial sums of x·(a+b) in acc[0:4] and of y·(a+b) in acc[4:8].
//
//go:noescape
func sumDot2AVX(out, a, b, x, y *float64, blocks int, acc *[8]float64)

// haveSumDot2AVX reports whether sumDot2 may use sumDot2AVX (AVX with the
// YMM state saved by the OS; the kernel needs no FMA).
var haveSumDot2AVX = x86.avx2FMA

// sumDot2Blocks runs the 4-wide part of sumDot2 with AVX when available:
// it returns the number of elements done (a multiple of 4, or 0) and their
// partial sums.
func sumDot2Blocks(out, a, b, x, y []float64) (done int, acc [8]float64) {
	blocks := len(a) / 4
	if !haveSumDot2AVX || blocks == 0 {
		return 0, acc
	}
	var po *float64
	if out != nil {
		po = &out[:len(a)][0]
	}
	_, _, _ = b[len(a)-1], x[len(a)-1], y[len(a)-1]
	sumDot2AVX(po, &a[0], &b[0], &x[0], &y[0], blocks, &acc)
	return 4 * blocks, acc
}
