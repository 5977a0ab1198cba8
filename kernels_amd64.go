//go:build !purego

package bnn

// amd64 dispatch: AVX-512F (8×32 matrix-multiply tile) or AVX2+FMA (6×16
// tile), chosen at start-up from CPUID and XCR0 (cpu_amd64.go). The AVX-512
// elementwise kernels cover the whole slice, masking the tail with K1; the
// AVX2 ones handle len rounded down to a multiple of 8 and the Go wrappers
// finish the tail with the generic twin. Both perform the generic twin's
// operations in the same order (fused multiply-adds only where it calls
// fma32, as tanh32 does), so the results agree bit for bit. The dot product uses the AVX2 kernel on both paths.

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

// gemmTile returns the micro-kernel's tile (mr rows × nr columns) on path
// for an m-row product. AVX-512 has 8×32 and 6×32 kernels and takes the one
// that leaves fewer rows to the partial last strip (the seed's batch of 60
// is ten 6-row strips).
func gemmTile(path, m int) (mr, nr int) {
	if path != pathAVX512 {
		return 6, 16
	}
	if (6-m%6)%6 < (8-m%8)%8 {
		return 6, 32
	}
	return 8, 32
}

// gemmMasked reports whether path's micro-kernel can compute a tile with
// fewer than nr columns in place (AVX-512 masks the loads and stores).
func gemmMasked(path int) bool { return path == pathAVX512 }

// gemmMicro runs path's mr-row micro-kernel (see sgemmKern6x16AVX2) on a
// tile with cols columns; cols < nr only where gemmMasked(path).
func gemmMicro(path, mr, k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, cols int) {
	switch {
	case path != pathAVX512:
		sgemmKern6x16AVX2(k, a, rsa, csa, b, ldb, c, ldc, alpha, beta)
	case mr == 6 && cols < 32:
		sgemmKern6x32MaskAVX512(k, a, rsa, csa, b, ldb, c, ldc, alpha, beta, 1<<cols-1)
	case mr == 6:
		sgemmKern6x32AVX512(k, a, rsa, csa, b, ldb, c, ldc, alpha, beta)
	case cols < 32:
		sgemmKern8x32MaskAVX512(k, a, rsa, csa, b, ldb, c, ldc, alpha, beta, 1<<cols-1)
	default:
		sgemmKern8x32AVX512(k, a, rsa, csa, b, ldb, c, ldc, alpha, beta)
	}
}

// sgemmKern6x16AVX2 computes a 6×16 tile of C from k ≥ 1 steps, where step
// p reads the 6 elements a[i·rsa + p·csa] of an mr-row strip of op(A) and
// the 16 floats b[p·ldb : p·ldb+16] of a row strip of op(B):
//
//	for i := 0; i < 6; i++ {
//		for j := 0; j < 16; j++ {
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
func sgemmKern6x16AVX2(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// sgemmKern8x32AVX512 is sgemmKern6x16AVX2 for an 8×32 tile with AVX-512F.
//
//go:noescape
func sgemmKern8x32AVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// sgemmKern6x32AVX512 is sgemmKern8x32AVX512 for a 6×32 tile.
//
//go:noescape
func sgemmKern6x32AVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// sgemmKern6x32MaskAVX512 is sgemmKern8x32MaskAVX512 for a 6×32 tile.
//
//go:noescape
func sgemmKern6x32MaskAVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mask uint32)

// sgemmKern8x32MaskAVX512 is sgemmKern8x32AVX512 for a tile whose column j
// exists only if bit j of mask is set; other columns of B and C are not
// accessed:
//
//	for j := 0; j < 32; j++ { if mask>>j&1 == 1 { /* column j as in sgemmKern6x16AVX2 */ } }
//
//go:noescape
func sgemmKern8x32MaskAVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mask uint32)

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

// fmaPeakAVX512 runs n iterations of 12 independent 16-lane FMAs (384 flops
// each) on registers, to measure the machine's FMA peak:
//
//	for ; n > 0; n-- { for r := range acc { acc[r] = fma(x, y, acc[r]) } }
//
//go:noescape
func fmaPeakAVX512(n int)

// fmaPeakAVX2 is fmaPeakAVX512 with 8-lane FMAs (192 flops an iteration).
//
//go:noescape
func fmaPeakAVX2(n int)

// fmaPeak runs the FMA peak loop of path for about iters iterations and
// returns the flops it performed.
func fmaPeak(path, iters int) float64 {
	switch path {
	case pathAVX512:
		fmaPeakAVX512(iters)
		return 384 * float64(iters)
	case pathAVX2:
		fmaPeakAVX2(iters)
		return 192 * float64(iters)
	}
	return fmaPeakGeneric(iters)
}

// packT8AVX2 transposes blocks consecutive 8×8 blocks of src (row stride
// lds) into dst (row stride ldd):
//
//	for p := 0; p < 8*blocks; p++ {
//		for j := 0; j < 8; j++ {
//			dst[p*ldd+j] = src[j*lds+p]
//		}
//	}
//
//go:noescape
func packT8AVX2(dst *float32, ldd int, src *float32, lds int, blocks int)

// packBT is packTransposed (the packing of op(B) = Bᵀ) with its full 8×8 blocks
// transposed by packT8AVX2.
func packBT(dst, b []float32, ldb, j0, cols, p0, kc, nr int) {
	if cols < nr || kc < 8 {
		packTransposed(dst, b, ldb, j0, cols, p0, kc, nr)
		return
	}
	k8 := kc &^ 7
	for j := 0; j < cols; j += 8 {
		packT8AVX2(&dst[j], nr, &b[(j0+j)*ldb+p0], ldb, k8/8)
	}
	for j := range cols {
		src := b[(j0+j)*ldb+p0+k8 : (j0+j)*ldb+p0+kc]
		for p, v := range src {
			dst[(k8+p)*nr+j] = v
		}
	}
}

// saxpyAVX512: for i := range x { y[i] += alpha * x[i] }.
//
//go:noescape
func saxpyAVX512(alpha float32, x, y []float32)

// sscalAVX512: for i := range x { x[i] *= alpha }.
//
//go:noescape
func sscalAVX512(alpha float32, x []float32)

// vaddAVX512: for i := range z { z[i] += b[i] }.
//
//go:noescape
func vaddAVX512(z, b []float32)

// vaddTanhAVX512 adds the bias row b to every row of z (len(z) a multiple
// of len(b); a partial last row is left alone) and applies tanh32:
//
//	for r := 0; r+len(b) <= len(z); r += len(b) {
//		for j := range b { z[r+j] = tanh32(z[r+j] + b[j]) }
//	}
//
//go:noescape
func vaddTanhAVX512(z, b []float32)

// tanhGradAVX512: for i := range dz { dz[i] *= 1 - y[i]*y[i] }.
//
//go:noescape
func tanhGradAVX512(dz, y []float32)

// reparamAVX512: for i := range w { w[i] = mu[i] + sigma[i]*eps[i] }.
//
//go:noescape
func reparamAVX512(w, mu, sigma, eps []float32)

// adamStepAVX512 is adamStep (kernels.go) with AVX-512F.
//
//go:noescape
func adamStepAVX512(p, g, m, v []float32, k *adamCoeffs)

// adamStepAVX2 is adamStep for len(p) a multiple of 8.
//
//go:noescape
func adamStepAVX2(p, g, m, v []float32, k *adamCoeffs)

// tanhGradMaskedAVX512 is tanhGradMasked (kernels.go) with AVX-512F.
//
//go:noescape
func tanhGradMaskedAVX512(dz, y, mask []float32)

// tanhGradMaskedAVX2 is tanhGradMasked for len(dz) a multiple of 8.
//
//go:noescape
func tanhGradMaskedAVX2(dz, y, mask []float32)

// dropoutKeepAVX512 is dropoutKeep (kernels.go) with AVX-512F.
//
//go:noescape
func dropoutKeepAVX512(h, mask, y []float32, bits []uint64, thr uint32, scale float32)

// dropoutKeepAVX2 is dropoutKeep for len(y) a multiple of 8.
//
//go:noescape
func dropoutKeepAVX2(h, mask, y []float32, bits []uint64, thr uint32, scale float32)

// colDotAVX512 is colDot (kernels.go) with AVX-512F: 64 columns at a
// time accumulate in registers over the rows (multiply, then add).
//
//go:noescape
func colDotAVX512(y, a, x []float32, cols int)

// outerAVX512 is outer (kernels.go) with AVX-512F, for len(w) ≥ 1.
//
//go:noescape
func outerAVX512(z, x, w []float32)

func sgemmArch(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func sdotArch(x, y []float32) float32 {
	v := len(x) &^ 7
	return sdotAVX2(x[:v], y[:v]) + sdotGeneric(x[v:], y[v:])
}

func saxpyArch(alpha float32, x, y []float32) {
	if kernelPath == pathAVX512 {
		saxpyAVX512(alpha, x, y)
		return
	}
	v := len(x) &^ 7
	saxpyAVX2(alpha, x[:v], y[:v])
	saxpyGeneric(alpha, x[v:], y[v:])
}

func sscalArch(alpha float32, x []float32) {
	if kernelPath == pathAVX512 {
		sscalAVX512(alpha, x)
		return
	}
	v := len(x) &^ 7
	sscalAVX2(alpha, x[:v])
	sscalGeneric(alpha, x[v:])
}

func vaddArch(z, bias []float32) {
	if kernelPath == pathAVX512 {
		vaddAVX512(z, bias)
		return
	}
	v := len(z) &^ 7
	vaddAVX2(z[:v], bias[:v])
	for i := v; i < len(z); i++ {
		z[i] += bias[i]
	}
}

// biasTanhArch is biasTanh (kernels.go) for len(bias) ≥ 1.
func biasTanhArch(z, bias []float32) {
	if kernelPath == pathAVX512 {
		vaddTanhAVX512(z, bias)
		return
	}
	cols := len(bias)
	v := cols &^ 7
	for r := 0; r+cols <= len(z); r += cols {
		row := z[r : r+cols]
		vaddTanhAVX2(row[:v], bias[:v])
		for i := v; i < cols; i++ {
			row[i] = tanh32(row[i] + bias[i])
		}
	}
}

func tanhGradArch(dz, y []float32) {
	if kernelPath == pathAVX512 {
		tanhGradAVX512(dz, y)
		return
	}
	v := len(dz) &^ 7
	tanhGradAVX2(dz[:v], y[:v])
	tanhGradGeneric(dz[v:], y[v:])
}

func reparamArch(w, mu, sigma, eps []float32) {
	if kernelPath == pathAVX512 {
		reparamAVX512(w, mu, sigma, eps)
		return
	}
	v := len(w) &^ 7
	reparamAVX2(w[:v], mu[:v], sigma[:v], eps[:v])
	reparamGeneric(w[v:], mu[v:], sigma[v:], eps[v:])
}

func adamStepArch(p, g, m, v []float32, k *adamCoeffs) {
	if kernelPath == pathAVX512 {
		adamStepAVX512(p, g, m, v, k)
		return
	}
	n := len(p) &^ 7
	adamStepAVX2(p[:n], g[:n], m[:n], v[:n], k)
	adamStepGeneric(p[n:], g[n:], m[n:], v[n:], k)
}

func tanhGradMaskedArch(dz, y, mask []float32) {
	if kernelPath == pathAVX512 {
		tanhGradMaskedAVX512(dz, y, mask)
		return
	}
	n := len(dz) &^ 7
	tanhGradMaskedAVX2(dz[:n], y[:n], mask[:n])
	tanhGradMaskedGeneric(dz[n:], y[n:], mask[n:])
}

func dropoutKeepArch(h, mask, y []float32, bits []uint64, thr uint32, scale float32) {
	if kernelPath == pathAVX512 {
		dropoutKeepAVX512(h, mask, y, bits, thr, scale)
		return
	}
	n := len(y) &^ 7
	dropoutKeepAVX2(h[:n], mask[:n], y[:n], bits[:n/2], thr, scale)
	dropoutKeepGeneric(h[n:], mask[n:], y[n:], bits[n/2:], thr, scale)
}

// colDotArch is colDot for cols = len(y); the AVX2 path adds one saxpy per row.
func colDotArch(y, a, x []float32) {
	if kernelPath == pathAVX512 {
		colDotAVX512(y, a, x, len(y))
		return
	}
	cols := len(y)
	clear(y)
	for r, xr := range x {
		saxpyArch(xr, a[r*cols:r*cols+cols], y)
	}
}

func outerArch(z, x, w []float32) {
	if kernelPath == pathAVX512 {
		outerAVX512(z, x, w)
		return
	}
	outerGeneric(z, x, w)
}

// gaussZigAVX512 writes blocks of 16 standard normal draws to dst from the
// generator state *s, at most blocks of them, and returns how many floats it
// wrote: 16·blocks, or fewer when a draw needs the ziggurat's slow path, in
// which case it stops before the output (pair of draws) holding that draw
// and leaves *s there (the elements of that block from the pair on are
// scratch). Each block is eight outputs of gaussRNG.uint64, the 64×64→128-bit
// products formed from four 32×32-bit ones, and the fast path of
// gaussRNG.zig on their 32-bit halves (low half first), with the tables
// gathered:
//
//	for range blocks {
//		for k := range 8 { draw lanes 2k, 2k+1 from output k of *s }
//		if pair k is the first with m ≥ zigK[i] { *s += k·gaussInc; return written + 2k }
//		*s += 8·gaussInc; written += 16
//	}
//
//go:noescape
func gaussZigAVX512(dst *float32, blocks int, s *uint64) int

// gaussZigAVX2 is gaussZigAVX512 with blocks of 8 draws (four outputs).
//
//go:noescape
func gaussZigAVX2(dst *float32, blocks int, s *uint64) int

// gaussFillArch is gaussRNG.fill on the vector paths: the assembly draws up
// to the first pair with a slow-path draw, fillGeneric draws that pair
// (consuming the extra random bits exactly as the scalar code does), and the
// assembly resumes after it, so the numbers are those of fillGeneric.
func gaussFillArch(g *gaussRNG, dst []float32) {
	w := 8
	if kernelPath == pathAVX512 {
		w = 16
	}
	for len(dst) >= w {
		var k int
		if w == 16 {
			k = gaussZigAVX512(&dst[0], len(dst)/16, &g.s)
		} else {
			k = gaussZigAVX2(&dst[0], len(dst)/8, &g.s)
		}
		if k == len(dst)/w*w {
			dst = dst[k:]
			break
		}
		g.fillGeneric(dst[k : k+2])
		dst = dst[k+2:]
	}
	g.fillGeneric(dst)
}
