//go:build purego || !amd64

package bnn

// gaussFastSideArch is fastSide without a vector kernel (arm64 has none for
// the Gaussian fill; purego and other architectures have no assembly).
func gaussFastSideArch(g *gaussRNG, dst []float32, slow []int32) int {
	return g.fastSide(dst, 0, slow)
}
