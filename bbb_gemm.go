package bnn

// Matrix products of the Bayesian networks. Layers with one input or one
// output (the seed's first and last) make products with an inner or outer
// dimension of 1, which a blocked GEMM would pad to a full register tile;
// these wrappers route them to the outer-product and column-dot kernels.

// bbbMul computes C = A·B for row-major A (m×k), B (k×n) and C (m×n).
func bbbMul(m, n, k int, a, b, c []float32) {
	if k == 1 { // the one-input layer's forward pass
		outer(c, a[:m], b[:n])
		return
	}
	sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n) // n = 1 goes to dot products inside
}

// bbbMulTA computes C = Aᵀ·B for row-major A (k×m), B (k×n) and C (m×n).
func bbbMulTA(m, n, k int, a, b, c []float32) {
	switch {
	case m == 1: // C = Σ_p a[p]·(row p of B)
		colDot(c, b, a[:k], n)
	case n == 1: // C = Σ_p b[p]·(row p of A)
		colDot(c, a, b[:k], m)
	default:
		sgemm(true, false, m, n, k, 1, a, m, b, n, 0, c, n)
	}
}

// bbbMulTB computes C = A·Bᵀ for row-major A (m×k), B (n×k) and C (m×n).
func bbbMulTB(m, n, k int, a, b, c []float32) {
	if k == 1 { // the one-output layer's input gradient: Bᵀ is the row b[:n]
		outer(c, a[:m], b[:n])
		return
	}
	sgemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n)
}

// bbbColSums writes the column sums of the row-major matrix d (len(dst)
// columns) to dst, adding the rows in order; ones holds at least as many 1s
// as d has rows.
func bbbColSums(dst, d, ones []float32) {
	colDot(dst, d, ones[:len(d)/len(dst)], len(dst))
}
