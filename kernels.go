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
	if kernelPath == pathGeneric {
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
	for r := 0; r+cols <= len(z); r += cols {
		vaddTanhArch(z[r:r+cols], bias)
	}
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
