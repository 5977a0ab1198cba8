package bnn

// Matrix products of the Bayesian networks. Layers with one input or one
// output (the seed's first and last) make products with an inner or outer
// dimension of 1, which a blocked GEMM pads to a full register tile; these
// wrappers route them to outer-product and dot-product loops instead.

// bbbMul computes C = A·B for row-major A (m×k), B (k×n) and C (m×n).
func bbbMul(m, n, k int, a, b, c []float32) {
	switch {
	case k == 1: // outer product
		b = b[:n]
		for r := range m {
			cr := c[r*n : (r+1)*n]
			ar := a[r]
			for j, v := range b {
				cr[j] = ar * v
			}
		}
	case n == 1: // matrix-vector
		for r := range m {
			c[r] = sdot(a[r*k:(r+1)*k], b[:k])
		}
	default:
		sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	}
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
