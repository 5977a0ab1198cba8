package bnn

// This file is the single entry point to the float32 compute kernels used by
// the networks. Each function dispatches to the fastest implementation the
// CPU supports (see kernels_amd64.go, kernels_arm64.go) or to the generic twin
// in kernels_generic.go. Callers guarantee the shapes; nothing here checks them.

// sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(A) is m×k and op(B) is k×n. With transA, A is stored k×m (lda ≥ m);
// otherwise m×k (lda ≥ k). With transB, B is stored n×k (ldb ≥ k); otherwise
// k×n (ldb ≥ n). C is m×n with ldc ≥ n. When beta == 0, C is overwritten
// without being read (NaNs in C do not propagate), as in BLAS.
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmGeneric(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sdot returns Σ x[i]·y[i] over len(x); len(y) ≥ len(x).
func sdot(x, y []float32) float32 { return sdotGeneric(x, y) }

// saxpy computes y[i] += alpha·x[i] over len(x); len(y) ≥ len(x).
func saxpy(alpha float32, x, y []float32) { saxpyGeneric(alpha, x, y) }

// sscal computes x[i] *= alpha.
func sscal(alpha float32, x []float32) { sscalGeneric(alpha, x) }

// addBias computes z[r·cols+j] += bias[j] for every row r of z (len(z) a multiple of cols).
func addBias(z, bias []float32, cols int) { addBiasGeneric(z, bias, cols) }

// biasTanh computes z[r·cols+j] = tanh(z[r·cols+j] + bias[j]) for every row r.
func biasTanh(z, bias []float32, cols int) { biasTanhGeneric(z, bias, cols) }

// tanhGrad computes dz[i] *= 1 − y[i]², the tanh derivative expressed through its output y.
func tanhGrad(dz, y []float32) { tanhGradGeneric(dz, y) }

// reparam computes w[i] = mu[i] + sigma[i]·eps[i], the Gaussian reparameterisation.
func reparam(w, mu, sigma, eps []float32) { reparamGeneric(w, mu, sigma, eps) }
