//go:build purego || !amd64

package bnn

// gaussFillSideArch is fillSide without a vector kernel (arm64 has none for
// the Gaussian fill; purego and other architectures have no assembly).
func gaussFillSideArch(g *gaussRNG, dst []float32, side *gaussRNG, _ []uint16) {
	g.fillSideGeneric(dst, side)
}
