//go:build purego || !amd64

package bnn

// sumDot2Blocks is the portable stand-in for the AVX loop of sumDot2: it
// does nothing and leaves every element to the Go loop.
func sumDot2Blocks(out, a, b, x, y []float64) (done int, acc [8]float64) {
	return 0, acc
}
