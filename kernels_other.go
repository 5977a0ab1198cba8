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
func sdotArch(x, y []float32) float32         { return sdotGeneric(x, y) }
func saxpyArch(alpha float32, x, y []float32) { saxpyGeneric(alpha, x, y) }
func sscalArch(alpha float32, x []float32)    { sscalGeneric(alpha, x) }
func vaddArch(z, bias []float32)              { addBiasGeneric(z, bias, len(bias)) }
func vaddTanhArch(z, bias []float32)          { biasTanhGeneric(z, bias, len(bias)) }
func tanhGradArch(dz, y []float32)            { tanhGradGeneric(dz, y) }
func reparamArch(w, mu, sigma, eps []float32) { reparamGeneric(w, mu, sigma, eps) }

// fmaPeak runs the generic FMA peak loop (see fmaPeakGeneric).
func fmaPeak(_, iters int) float64 { return fmaPeakGeneric(iters) }
