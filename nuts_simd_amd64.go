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

// leapfrogFirstAVX and leapfrogSecondAVX are the AVX loops of the two
// halves of a diagonal-metric leapfrog step (see nuts_simd_amd64.s).
//
//go:noescape
func leapfrogFirstAVX(p, v, q, sp, sg, sq, inv *float64, blocks int, half, eps float64)

//go:noescape
func leapfrogSecondAVX(p, v, grad, inv *float64, blocks int, half float64, kin *[4]float64)

// leapfrogFirstBlocks runs the 4-wide part of leapfrogTo's first pass with
// AVX when available and returns the number of elements done.
func leapfrogFirstBlocks(p, v, q, sp, sg, sq, inv []float64, half, eps float64) int {
	n := len(p)
	blocks := n / 4
	if !haveSumDot2AVX || blocks == 0 {
		return 0
	}
	_, _, _, _, _, _ = v[n-1], q[n-1], sp[n-1], sg[n-1], sq[n-1], inv[n-1]
	leapfrogFirstAVX(&p[0], &v[0], &q[0], &sp[0], &sg[0], &sq[0], &inv[0], blocks, half, eps)
	return 4 * blocks
}

// leapfrogSecondBlocks runs the 4-wide part of leapfrogTo's second pass with
// AVX when available: the number of elements done and the kinetic energy's
// four partial sums.
func leapfrogSecondBlocks(p, v, g, inv []float64, half float64) (done int, kin [4]float64) {
	n := len(p)
	blocks := n / 4
	if !haveSumDot2AVX || blocks == 0 {
		return 0, kin
	}
	_, _, _ = v[n-1], g[n-1], inv[n-1]
	leapfrogSecondAVX(&p[0], &v[0], &g[0], &inv[0], blocks, half, &kin)
	return 4 * blocks, kin
}
