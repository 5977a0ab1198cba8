//go:build !purego

package bnn

// arm64 dispatch: Advanced SIMD (NEON) is part of the arm64 baseline, so no
// detection is needed. The matrix multiply uses an 8×8 register tile; the
// elementwise kernels handle len rounded down to a multiple of 4 and the Go
// wrappers finish the tail with the generic twin. The Go compiler fuses
// x*y + z into one FMADD on arm64, and the NEON kernels use VFMLA/VFMLS in
// the same places, so they agree with the generic code bit for bit; where
// the generic code rounds every product explicitly (adamStep,
// tanhGradMasked) the NEON code multiplies and adds separately, and where it
// calls fma32 (tanh32) the NEON code uses VFMLA.

func bestKernelPath() int { return pathNEON }

// availableKernelPaths lists the paths this build can run, for the tests.
func availableKernelPaths() []int { return []int{pathGeneric, pathNEON} }

// gemmTile returns the micro-kernel's tile (mr rows × nr columns).
func gemmTile(_, _ int) (mr, nr int) { return 8, 8 }

// gemmMasked reports false: the NEON micro-kernel always computes full
// tiles, so partial strips are packed.
func gemmMasked(int) bool { return false }

// gemmMicro runs the NEON micro-kernel (see sgemmKern8x8NEON) on a full tile.
func gemmMicro(_, _, k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, _ int) {
	sgemmKern8x8NEON(k, a, rsa, csa, b, ldb, c, ldc, alpha, beta)
}

// sgemmKern8x8NEON computes an 8×8 tile of C from k ≥ 1 steps, where step p
// reads the 8 elements a[i·rsa + p·csa] of a row strip of op(A) and the 8
// floats b[p·ldb : p·ldb+8] of a row strip of op(B):
//
//	for i := 0; i < 8; i++ {
//		for j := 0; j < 8; j++ {
//			var acc float32
//			for p := 0; p < k; p++ {
//				acc = fma(a[i*rsa+p*csa], b[p*ldb+j], acc)
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
func sgemmKern8x8NEON(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// fmaPeakNEON runs n iterations of 16 independent 4-lane FMAs (128 flops
// each) on registers, to measure the machine's FMA peak:
//
//	for ; n > 0; n-- { for r := range acc { acc[r] = fma(x, y, acc[r]) } }
//
//go:noescape
func fmaPeakNEON(n int)

// fmaPeak runs the FMA peak loop of path for iters iterations and returns
// the flops it performed.
func fmaPeak(path, iters int) float64 {
	if path == pathNEON {
		fmaPeakNEON(iters)
		return 128 * float64(iters)
	}
	return fmaPeakGeneric(iters)
}

// sdotNEON returns Σ x[i]·y[i] over len(x) (a multiple of 4), accumulating
// in 16 lanes (lane i%16 gets fma(x[i], y[i], lane)) summed at the end:
//
//	for i := range x { s += x[i] * y[i] }
//
//go:noescape
func sdotNEON(x, y []float32) float32

// saxpyNEON: for i := range x { y[i] += alpha * x[i] }; len(x) a multiple of 4.
//
//go:noescape
func saxpyNEON(alpha float32, x, y []float32)

// sscalNEON: for i := range x { x[i] *= alpha }; len(x) a multiple of 4.
//
//go:noescape
func sscalNEON(alpha float32, x []float32)

// vaddNEON: for i := range z { z[i] += b[i] }; len(z) a multiple of 4.
//
//go:noescape
func vaddNEON(z, b []float32)

// vaddTanhNEON: for i := range z { z[i] = tanh32(z[i] + b[i]) }; len(z) a multiple of 4.
//
//go:noescape
func vaddTanhNEON(z, b []float32)

// tanhGradNEON: for i := range dz { dz[i] *= 1 - y[i]*y[i] }; len(dz) a multiple of 4.
//
//go:noescape
func tanhGradNEON(dz, y []float32)

// reparamNEON: for i := range w { w[i] = mu[i] + sigma[i]*eps[i] }; len(w) a multiple of 4.
//
//go:noescape
func reparamNEON(w, mu, sigma, eps []float32)

// adamStepNEON is adamStep (kernels.go) for len(p) a multiple of 4.
//
//go:noescape
func adamStepNEON(p, g, m, v []float32, k *adamCoeffs)

// tanhGradMaskedNEON is tanhGradMasked (kernels.go) for len(dz) a multiple of 4.
//
//go:noescape
func tanhGradMaskedNEON(dz, y, mask []float32)

// dropoutKeepNEON is dropoutKeep (kernels.go) for len(y) a multiple of 4.
//
//go:noescape
func dropoutKeepNEON(h, mask, y []float32, bits []uint64, thr uint32, scale float32)

// packBT packs op(B) = Bᵀ (see packTransposed).
func packBT(dst, b []float32, ldb, j0, cols, p0, kc, nr int) {
	packTransposed(dst, b, ldb, j0, cols, p0, kc, nr)
}

func sgemmArch(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func sdotArch(x, y []float32) float32 {
	v := len(x) &^ 3
	return sdotNEON(x[:v], y[:v]) + sdotGeneric(x[v:], y[v:])
}

func saxpyArch(alpha float32, x, y []float32) {
	v := len(x) &^ 3
	saxpyNEON(alpha, x[:v], y[:v])
	saxpyGeneric(alpha, x[v:], y[v:])
}

func sscalArch(alpha float32, x []float32) {
	v := len(x) &^ 3
	sscalNEON(alpha, x[:v])
	sscalGeneric(alpha, x[v:])
}

func vaddArch(z, bias []float32) {
	v := len(z) &^ 3
	vaddNEON(z[:v], bias[:v])
	for i := v; i < len(z); i++ {
		z[i] += bias[i]
	}
}

// biasTanhArch is biasTanh (kernels.go) for len(bias) ≥ 1.
func biasTanhArch(z, bias []float32) {
	cols := len(bias)
	v := cols &^ 3
	for r := 0; r+cols <= len(z); r += cols {
		row := z[r : r+cols]
		vaddTanhNEON(row[:v], bias[:v])
		for i := v; i < cols; i++ {
			row[i] = tanh32(row[i] + bias[i])
		}
	}
}

func tanhGradArch(dz, y []float32) {
	v := len(dz) &^ 3
	tanhGradNEON(dz[:v], y[:v])
	tanhGradGeneric(dz[v:], y[v:])
}

func reparamArch(w, mu, sigma, eps []float32) {
	v := len(w) &^ 3
	reparamNEON(w[:v], mu[:v], sigma[:v], eps[:v])
	reparamGeneric(w[v:], mu[v:], sigma[v:], eps[v:])
}

func adamStepArch(p, g, m, v []float32, k *adamCoeffs) {
	n := len(p) &^ 3
	adamStepNEON(p[:n], g[:n], m[:n], v[:n], k)
	adamStepGeneric(p[n:], g[n:], m[n:], v[n:], k)
}

func tanhGradMaskedArch(dz, y, mask []float32) {
	n := len(dz) &^ 3
	tanhGradMaskedNEON(dz[:n], y[:n], mask[:n])
	tanhGradMaskedGeneric(dz[n:], y[n:], mask[n:])
}

func dropoutKeepArch(h, mask, y []float32, bits []uint64, thr uint32, scale float32) {
	n := len(y) &^ 3
	dropoutKeepNEON(h[:n], mask[:n], y[:n], bits[:n/2], thr, scale)
	dropoutKeepGeneric(h[n:], mask[n:], y[n:], bits[n/2:], thr, scale)
}

// colDotArch is colDot for cols = len(y): one saxpy per row.
func colDotArch(y, a, x []float32) {
	cols := len(y)
	clear(y)
	for r, xr := range x {
		saxpyArch(xr, a[r*cols:r*cols+cols], y)
	}
}

func outerArch(z, x, w []float32) { outerGeneric(z, x, w) }

// gaussFillArch draws with the scalar generator: arm64 has no vector
// 64×64-bit multiply or gather, so the scalar code (UMULH) is used.
func gaussFillArch(g *gaussRNG, dst []float32) { g.fillGeneric(dst) }
