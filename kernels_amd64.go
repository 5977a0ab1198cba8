//go:build !purego

package bnn

// amd64 dispatch: AVX-512F (8×32 matrix-multiply tile) or AVX2+FMA (6×16
// tile), chosen at start-up from CPUID and XCR0 (cpu_amd64.go). The
// elementwise passes use the AVX2 kernels on both paths: they are memory
// bound, and on AVX-512 machines the 256-bit forms run as fast. Each assembly
// kernel handles len rounded down to a multiple of 8; the Go wrappers finish
// the tail with the generic twin, which performs the same operations in the
// same order (no fused multiply-adds), so the results agree bit for bit.

var x86 = detectX86()

func bestKernelPath() int {
	switch {
	case x86.avx512F:
		return pathAVX512
	case x86.avx2FMA:
		return pathAVX2
	}
	return pathGeneric
}

// availableKernelPaths lists the paths this CPU can run, for the tests.
func availableKernelPaths() []int {
	paths := []int{pathGeneric}
	if x86.avx2FMA {
		paths = append(paths, pathAVX2)
	}
	if x86.avx512F {
		paths = append(paths, pathAVX512)
	}
	return paths
}

// gemmTile returns the micro-kernel's tile (mr rows × nr columns) on path.
func gemmTile(path int) (mr, nr int) {
	if path == pathAVX512 {
		return 8, 32
	}
	return 6, 16
}

// gemmMicro runs path's micro-kernel (see sgemmKern6x16AVX2).
func gemmMicro(path, k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32) {
	if path == pathAVX512 {
		sgemmKern8x32AVX512(k, a, lda, b, ldb, c, ldc, alpha, beta)
	} else {
		sgemmKern6x16AVX2(k, a, lda, b, ldb, c, ldc, alpha, beta)
	}
}

// sgemmKern6x16AVX2 computes a 6×16 tile of C from k ≥ 1 steps, where step
// p reads the 6 floats a[p·lda : p·lda+6] (a column strip of op(A)) and the
// 16 floats b[p·ldb : p·ldb+16] (a row strip of op(B)):
//
//	for i := 0; i < 6; i++ {
//		for j := 0; j < 16; j++ {
//			var acc float32
//			for p := 0; p < k; p++ {
//				acc = fma(a[p*lda+i], b[p*ldb+j], acc)
//			}
//			if beta == 0 {
//				c[i*ldc+j] = alpha * acc
//			} else {
//				c[i*ldc+j] = fma(beta, c[i*ldc+j], alpha*acc)
//			}
//		}
//	}
//
//go:noescape
func sgemmKern6x16AVX2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// sgemmKern8x32AVX512 is sgemmKern6x16AVX2 for an 8×32 tile with AVX-512F.
//
//go:noescape
func sgemmKern8x32AVX512(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// sdotAVX2 returns Σ x[i]·y[i] over len(x) (a multiple of 8), accumulating
// in 32 lanes (lane i%32 gets fma(x[i], y[i], lane)) summed at the end:
//
//	for i := range x { s += x[i] * y[i] }
//
//go:noescape
func sdotAVX2(x, y []float32) float32

// saxpyAVX2: for i := range x { y[i] += alpha * x[i] }; len(x) a multiple of 8.
//
//go:noescape
func saxpyAVX2(alpha float32, x, y []float32)

// sscalAVX2: for i := range x { x[i] *= alpha }; len(x) a multiple of 8.
//
//go:noescape
func sscalAVX2(alpha float32, x []float32)

// vaddAVX2: for i := range z { z[i] += b[i] }; len(z) a multiple of 8.
//
//go:noescape
func vaddAVX2(z, b []float32)

// vaddTanhAVX2: for i := range z { z[i] = tanh32(z[i] + b[i]) }; len(z) a multiple of 8.
//
//go:noescape
func vaddTanhAVX2(z, b []float32)

// tanhGradAVX2: for i := range dz { dz[i] *= 1 - y[i]*y[i] }; len(dz) a multiple of 8.
//
//go:noescape
func tanhGradAVX2(dz, y []float32)

// reparamAVX2: for i := range w { w[i] = mu[i] + sigma[i]*eps[i] }; len(w) a multiple of 8.
//
//go:noescape
func reparamAVX2(w, mu, sigma, eps []float32)

func sgemmArch(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func sdotArch(x, y []float32) float32 {
	v := len(x) &^ 7
	return sdotAVX2(x[:v], y[:v]) + sdotGeneric(x[v:], y[v:])
}

func saxpyArch(alpha float32, x, y []float32) {
	v := len(x) &^ 7
	saxpyAVX2(alpha, x[:v], y[:v])
	saxpyGeneric(alpha, x[v:], y[v:])
}

func sscalArch(alpha float32, x []float32) {
	v := len(x) &^ 7
	sscalAVX2(alpha, x[:v])
	sscalGeneric(alpha, x[v:])
}

func vaddArch(z, bias []float32) {
	v := len(z) &^ 7
	vaddAVX2(z[:v], bias[:v])
	for i := v; i < len(z); i++ {
		z[i] += bias[i]
	}
}

func vaddTanhArch(z, bias []float32) {
	v := len(z) &^ 7
	vaddTanhAVX2(z[:v], bias[:v])
	for i := v; i < len(z); i++ {
		z[i] = tanh32(z[i] + bias[i])
	}
}

func tanhGradArch(dz, y []float32) {
	v := len(dz) &^ 7
	tanhGradAVX2(dz[:v], y[:v])
	tanhGradGeneric(dz[v:], y[v:])
}

func reparamArch(w, mu, sigma, eps []float32) {
	v := len(w) &^ 7
	reparamAVX2(w[:v], mu[:v], sigma[:v], eps[:v])
	reparamGeneric(w[v:], mu[v:], sigma[v:], eps[v:])
}
