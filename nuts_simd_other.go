//go:build purego || !amd64

package bnn

// sumDot2Blocks is the portable stand-in for the AVX loop of sumDot2: it
// does nothing and leaves every element to the Go loop.
func sumDot2Blocks(out, a, b, x, y []float64) (done int, acc [8]float64) {
	return 0, acc
}

// leapfrogFirstBlocks is the portable stand-in for leapfrogTo's AVX loop.
func leapfrogFirstBlocks(p, v, q, sp, sg, sq, inv []float64, half, eps float64) int {
	return 0
}

// leapfrogSecondBlocks is the portable stand-in for leapfrogTo's AVX loop.
func leapfrogSecondBlocks(p, v, g, inv []float64, half float64) (done int, kin [4]float64) {
	return 0, kin
}
