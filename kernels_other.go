//go:build purego || !(amd64 || arm64)

package bnn

// Architectures without assembly kernels (and the purego build tag) use the
// generic twins everywhere.

func bestKernelPath() int { return pathGeneric }

// availableKernelPaths lists the paths this build can run, for the tests.
func availableKernelPaths() []int { return []int{pathGeneric} }

func sgemmArch(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmGeneric(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
func sdotArch(x, y []float32) float32          { return sdotGeneric(x, y) }
func saxpyArch(alpha float32, x, y []float32)  { saxpyGeneric(alpha, x, y) }
func sscalArch(alpha float32, x []float32)     { sscalGeneric(alpha, x) }
func vaddArch(z, bias []float32)               { addBiasGeneric(z, bias, len(bias)) }
func biasTanhArch(z, bias []float32)           { biasTanhGeneric(z, bias, len(bias)) }
func tanhGradArch(dz, y []float32)             { tanhGradGeneric(dz, y) }
func reparamArch(w, mu, sigma, eps []float32)  { reparamGeneric(w, mu, sigma, eps) }
func tanhGradMaskedArch(dz, y, mask []float32) { tanhGradMaskedGeneric(dz, y, mask) }
func dropoutKeepArch(h, mask, y []float32, bits []uint64, thr uint32, scale float32) {
	dropoutKeepGeneric(h, mask, y, bits, thr, scale)
}
func colDotArch(y, a, x []float32)             { colDotGeneric(y, a, x) }
func outerArch(z, x, w []float32)              { outerGeneric(z, x, w) }
func gaussFillArch(g *gaussRNG, dst []float32) { g.fillGeneric(dst) }
func adamStepArch(p, g, m, v []float32, k *adamCoeffs) {
	adamStepGeneric(p, g, m, v, k)
}

// fmaPeak runs the generic FMA peak loop (see fmaPeakGeneric).
func fmaPeak(_, iters int) float64 { return fmaPeakGeneric(iters) }
