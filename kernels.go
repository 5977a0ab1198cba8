package bnn

import "fmt"

// This file is the single entry point to the float32 compute kernels used by
// the networks. Each function dispatches to the fastest implementation the
// CPU supports (kernels_amd64.go, kernels_arm64.go) or to the generic twin in
// kernels_generic.go (kernels_other.go, the purego tag, other GOARCHes).
// Callers guarantee the shapes; nothing unexported here checks them.

// Kernel paths, from the slowest to the widest.
const (
	pathGeneric = iota
	pathAVX2
	pathAVX512
	pathNEON
)

// kernelPath is the implementation the kernels dispatch to. It is set once at
// start-up from the CPU's features; tests switch it with setKernelPath.
var kernelPath = bestKernelPath()

var kernelPathNames = [...]string{pathGeneric: "generic", pathAVX2: "avx2", pathAVX512: "avx512", pathNEON: "neon"}

// KernelPath names the float32 kernel implementation in use: "avx512"
// (AVX-512F, chosen when the CPU has it and the OS saves the ZMM and opmask
// state), "avx2" (AVX2 and FMA with OS-saved YMM state), "neon" (arm64
// Advanced SIMD) or "generic" (portable Go: other architectures, the purego
// build tag, or a CPU/OS without the features).
func KernelPath() string { return kernelPathNames[kernelPath] }

// setKernelPath forces path p (which must be one of availableKernelPaths) and
// returns a function restoring the previous one. It is the test hook that
// lets every path run on one machine; it is not safe to call concurrently
// with the kernels.
func setKernelPath(p int) (restore func()) {
	old := kernelPath
	kernelPath = p
	return func() { kernelPath = old }
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C in float32 for row-major
// matrices, where op(A) is m×k and op(B) is k×n, using the fastest kernel
// path (see KernelPath) on the calling goroutine. With transA, A is stored
// k×m (lda ≥ max(1, m)); otherwise m×k (lda ≥ max(1, k)). With transB, B is
// stored n×k (ldb ≥ max(1, k)); otherwise k×n (ldb ≥ max(1, n)). C is m×n
// with ldc ≥ max(1, n). When beta == 0, C is overwritten without being read,
// as in BLAS. Sgemm is safe for concurrent use on disjoint C; it reuses
// scratch buffers from a free list (one per concurrent caller), so it does
// not allocate in steady state. It returns an error wrapping ErrShape if a
// dimension is negative, a leading dimension is too small, or a slice is too
// short for the shape it is given.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) error {
	if m < 0 || n < 0 || k < 0 {
		return fmt.Errorf("bnn: sgemm: negative dimension m=%d n=%d k=%d: %w", m, n, k, ErrShape)
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	if err := checkMatrixArg("A", a, ar, ac, lda); err != nil {
		return err
	}
	if err := checkMatrixArg("B", b, br, bc, ldb); err != nil {
		return err
	}
	if err := checkMatrixArg("C", c, m, n, ldc); err != nil {
		return err
	}
	if m == 0 || n == 0 {
		return nil
	}
	sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	return nil
}

// checkMatrixArg checks that s holds a rows×cols row-major matrix with
// leading dimension ld.
func checkMatrixArg(name string, s []float32, rows, cols, ld int) error {
	if ld < max(1, cols) {
		return fmt.Errorf("bnn: sgemm: leading dimension of %s is %d, want ≥ %d: %w", name, ld, max(1, cols), ErrShape)
	}
	if rows == 0 || cols == 0 {
		return nil
	}
	if len(s) < cols || rows-1 > (len(s)-cols)/ld {
		return fmt.Errorf("bnn: sgemm: %s has %d elements, want ≥ %d for %d×%d with stride %d: %w",
			name, len(s), (rows-1)*ld+cols, rows, cols, ld, ErrShape)
	}
	return nil
}

// sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(A) is m×k and op(B) is k×n. With transA, A is stored k×m (lda ≥ m);
// otherwise m×k (lda ≥ k). With transB, B is stored n×k (ldb ≥ k); otherwise
// k×n (ldb ≥ n). C is m×n with ldc ≥ n. When beta == 0, C is overwritten
// without being read (NaNs in C do not propagate), as in BLAS.
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if k <= 0 || kernelPath == pathGeneric {
		sgemmGeneric(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	sgemmArch(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sdot returns Σ x[i]·y[i] over len(x); len(y) ≥ len(x).
func sdot(x, y []float32) float32 {
	y = y[:len(x)]
	if kernelPath == pathGeneric {
		return sdotGeneric(x, y)
	}
	return sdotArch(x, y)
}

// saxpy computes y[i] += alpha·x[i] over len(x); len(y) ≥ len(x).
func saxpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	if kernelPath == pathGeneric {
		saxpyGeneric(alpha, x, y)
		return
	}
	saxpyArch(alpha, x, y)
}

// sscal computes x[i] *= alpha.
func sscal(alpha float32, x []float32) {
	if kernelPath == pathGeneric {
		sscalGeneric(alpha, x)
		return
	}
	sscalArch(alpha, x)
}

// addBias computes z[r·cols+j] += bias[j] for every row r of z (len(z) a multiple of cols).
func addBias(z, bias []float32, cols int) {
	if cols <= 0 {
		return
	}
	bias = bias[:cols]
	if kernelPath == pathGeneric || cols < 4 {
		// Narrow rows (the output layer of a regression net) cost more
		// in kernel calls than in additions; the sums are the same.
		addBiasGeneric(z, bias, cols)
		return
	}
	for r := 0; r+cols <= len(z); r += cols {
		vaddArch(z[r:r+cols], bias)
	}
}

// biasTanh computes z[r·cols+j] = tanh(z[r·cols+j] + bias[j]) for every row r.
func biasTanh(z, bias []float32, cols int) {
	if cols <= 0 {
		return
	}
	bias = bias[:cols]
	if kernelPath == pathGeneric {
		biasTanhGeneric(z, bias, cols)
		return
	}
	biasTanhArch(z, bias)
}

// tanhGrad computes dz[i] *= 1 − y[i]², the tanh derivative expressed through its output y.
func tanhGrad(dz, y []float32) {
	dz = dz[:len(y)]
	if kernelPath == pathGeneric {
		tanhGradGeneric(dz, y)
		return
	}
	tanhGradArch(dz, y)
}

// reparam computes w[i] = mu[i] + sigma[i]·eps[i], the Gaussian reparameterisation.
func reparam(w, mu, sigma, eps []float32) {
	mu, sigma, eps = mu[:len(w)], sigma[:len(w)], eps[:len(w)]
	if kernelPath == pathGeneric {
		reparamGeneric(w, mu, sigma, eps)
		return
	}
	reparamArch(w, mu, sigma, eps)
}

// adamCoeffs are the per-step constants of adamStep, computed once per step
// by Adam.Step. The assembly reads them by offset (4 bytes each, in this
// order), so the field order is part of its contract.
type adamCoeffs struct {
	beta1, c1  float32 // β₁ and 1−β₁
	beta2, c2  float32 // β₂ and 1−β₂
	wd         float32 // L2 weight decay added to the gradient; ±0 skips it
	stepSize   float32 // lr/(1−β₁ᵗ)
	invSqrtBC2 float32 // 1/√(1−β₂ᵗ)
	eps        float32
}

// adamStep applies one Adam update to the parameters p from the gradients g,
// updating the first and second moments m and v (len(g), len(m), len(v) ≥
// len(p); g is not modified). Every operation is rounded to float32 in this
// order, without fused multiply-adds, on every path:
//
//	for i := range p {
//		gi := g[i]
//		if k.wd != 0 {
//			gi += k.wd * p[i]
//		}
//		m[i] = k.beta1*m[i] + k.c1*gi
//		v[i] = k.beta2*v[i] + (k.c2*gi)*gi
//		d := sqrt(v[i])*k.invSqrtBC2 + k.eps
//		p[i] -= (k.stepSize * m[i]) / d
//	}
func adamStep(p, g, m, v []float32, k *adamCoeffs) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	if kernelPath == pathGeneric {
		adamStepGeneric(p, g, m, v, k)
		return
	}
	adamStepArch(p, g, m, v, k)
}

// tanhGradMasked computes dz[i] = (dz[i]·mask[i])·(1 − y[i]²): the gradient
// through inverted dropout (multipliers mask) and then tanh, whose output
// is y. len(y), len(mask) ≥ len(dz). Every operation is rounded to float32
// in this order on every path (no fused multiply-adds).
func tanhGradMasked(dz, y, mask []float32) {
	y, mask = y[:len(dz)], mask[:len(dz)]
	if kernelPath == pathGeneric {
		tanhGradMaskedGeneric(dz, y, mask)
		return
	}
	tanhGradMaskedArch(dz, y, mask)
}

// dropoutKeep turns random bits into inverted-dropout multipliers and
// applies them: element i keeps its unit when its 32 bits — the low half of
// bits[i/2] for even i, the high half for odd i — are ≥ thr, so each unit
// is dropped with probability thr/2³². len(bits) ≥ (len(y)+1)/2 and
// len(h), len(mask) ≥ len(y):
//
//	for i := range y {
//		mask[i] = 0
//		if uint32(bits[i/2]>>(32*(i%2))) >= thr {
//			mask[i] = scale
//		}
//		h[i] = y[i] * mask[i]
//	}
func dropoutKeep(h, mask, y []float32, bits []uint64, thr uint32, scale float32) {
	h, mask, bits = h[:len(y)], mask[:len(y)], bits[:(len(y)+1)/2]
	if kernelPath == pathGeneric {
		dropoutKeepGeneric(h, mask, y, bits, thr, scale)
		return
	}
	dropoutKeepArch(h, mask, y, bits, thr, scale)
}

// colDot computes y[j] = Σ_r x[r]·a[r·cols+j] for j < cols over the
// len(x) rows of the row-major a, adding the rows in order r = 0, 1, … to a
// zero start as saxpy would (y is overwritten; len(y) ≥ cols, len(a) ≥
// len(x)·cols). With x all ones it gives the column sums of a. It is the
// weight and bias gradient of the thin layers.
func colDot(y, a, x []float32, cols int) {
	if cols <= 0 {
		return
	}
	y, a = y[:cols], a[:len(x)*cols]
	if kernelPath == pathGeneric {
		colDotGeneric(y, a, x)
		return
	}
	colDotArch(y, a, x)
}

// outer computes the outer product z[r·len(w)+j] = x[r]·w[j] for r <
// len(x) (len(z) ≥ len(x)·len(w)): the forward pass of a one-input layer
// and the input gradient of a one-output layer.
func outer(z, x, w []float32) {
	z = z[:len(x)*len(w)]
	if kernelPath == pathGeneric || len(w) == 0 {
		outerGeneric(z, x, w)
		return
	}
	outerArch(z, x, w)
}
