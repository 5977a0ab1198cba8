package bnn

import "math"

// The generic twins of the kernels in kernels.go: plain Go loops, the
// reference that the assembly is tested against, and the fallback on every
// architecture without assembly or with the purego build tag.

func sgemmGeneric(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
		} else if beta != 1 {
			for j := range ci {
				ci[j] *= beta
			}
		}
		for p := 0; p < k; p++ {
			var aip float32
			if transA {
				aip = a[p*lda+i]
			} else {
				aip = a[i*lda+p]
			}
			aip *= alpha
			if transB {
				for j := range ci {
					ci[j] += aip * b[j*ldb+p]
				}
			} else {
				bp := b[p*ldb : p*ldb+n]
				for j := range ci {
					ci[j] += aip * bp[j]
				}
			}
		}
	}
}

func sdotGeneric(x, y []float32) float32 {
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func saxpyGeneric(alpha float32, x, y []float32) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

func sscalGeneric(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

func addBiasGeneric(z, bias []float32, cols int) {
	for r := 0; r+cols <= len(z); r += cols {
		row := z[r : r+cols]
		for j := range row {
			row[j] += bias[j]
		}
	}
}

func biasTanhGeneric(z, bias []float32, cols int) {
	for r := 0; r+cols <= len(z); r += cols {
		row := z[r : r+cols]
		for j := range row {
			row[j] = tanh32(row[j] + bias[j])
		}
	}
}

func tanhGradGeneric(dz, y []float32) {
	for i, v := range y {
		dz[i] *= 1 - v*v
	}
}

func reparamGeneric(w, mu, sigma, eps []float32) {
	for i := range w {
		w[i] = mu[i] + sigma[i]*eps[i]
	}
}

// tanh32 is the float32 hyperbolic tangent shared by every kernel path.
func tanh32(x float32) float32 { return float32(math.Tanh(float64(x))) }
