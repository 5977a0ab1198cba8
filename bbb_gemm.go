package bnn

// Matrix products of the Bayesian networks. Layers with one input or one
// output (the seed's first and last) make products with an inner or outer
// dimension of 1. The forward products go to sgemm whatever their shape; the
// transposed-A products with one row or one column of C, which a blocked
// GEMM pads to a full register tile, are accumulated by saxpy instead.

// bbbMul computes C = A·B for row-major A (m×k), B (k×n) and C (m×n). The
// blocked sgemm handles k = 1 (the first layer's outer product) about ten
// times faster than a scalar loop, and routes n = 1 to dot products itself.
func bbbMul(m, n, k int, a, b, c []float32) {
	sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
}

// bbbMulTA computes C = Aᵀ·B for row-major A (k×m), B (k×n) and C (m×n).
func bbbMulTA(m, n, k int, a, b, c []float32) {
	switch {
	case m == 1:
		c = c[:n]
		clear(c)
		for p := range k {
			saxpy(a[p], b[p*n:(p+1)*n], c)
		}
	case n == 1:
		c = c[:m]
		clear(c)
		for p := range k {
			saxpy(b[p], a[p*m:(p+1)*m], c)
		}
	default:
		sgemm(true, false, m, n, k, 1, a, m, b, n, 0, c, n)
	}
}

// bbbMulTB computes C = A·Bᵀ for row-major A (m×k), B (n×k) and C (m×n).
func bbbMulTB(m, n, k int, a, b, c []float32) {
	if k == 1 { // outer product: Bᵀ is the row b[:n], so no packing is needed
		bbbMul(m, n, 1, a, b, c)
		return
	}
	sgemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n)
}
