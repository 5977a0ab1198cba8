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

// tanh32 is the float32 hyperbolic tangent shared by every kernel path. The
// assembly reproduces it operation for operation (no fused multiply-adds), so
// all paths agree bit for bit. For |x| < 0.4 it is the odd Taylor polynomial
// through x¹³ (truncation error < 2e-9 relative); otherwise it is
// 1 − 2/(e^{2|x|}+1) with e^y = 2ⁿ·p(r), y = n·ln2 + r, |r| ≤ ln2/2 and p the
// degree-7 Taylor polynomial, and |x| clamped to 10 (tanh rounds to 1 above
// 9.02). The sign is copied from x, so tanh32(±0) = ±0 and the function is
// exactly odd; NaN gives NaN. The error is within 3 ulp of the exact tanh.
func tanh32(x float32) float32 {
	bits := math.Float32bits(x)
	ax := math.Float32frombits(bits &^ tanhSignBit)
	var r float32
	if ax < tanhSmall {
		x2 := ax * ax
		p := float32(float32(tanhC13*x2) + tanhC11)
		p = float32(p*x2) + tanhC9
		p = float32(p*x2) + tanhC7
		p = float32(p*x2) + tanhC5
		p = float32(p*x2) + tanhC3
		r = ax + float32(ax*float32(x2*p))
	} else {
		t := ax
		if t > tanhClamp { // NaN stays NaN
			t = tanhClamp
		}
		y := t + t
		n := int32(float32(y*tanhLog2e) + 0.5) // y ≥ 0.8: truncation rounds to nearest
		nf := float32(n)
		q := float32(y-float32(nf*tanhLn2Hi)) - float32(nf*tanhLn2Lo)
		p := float32(float32(expC7*q) + expC6)
		p = float32(p*q) + expC5
		p = float32(p*q) + expC4
		p = float32(p*q) + expC3
		p = float32(p*q) + expC2
		p = float32(p*q) + 1
		p = float32(p*q) + 1
		e := float32(p * math.Float32frombits(uint32(n+127)<<23))
		r = 1 - 2/(e+1)
	}
	return math.Float32frombits(math.Float32bits(r) | bits&tanhSignBit)
}

// Constants of tanh32, shared with the assembly (which spells them in hex).
const (
	tanhSignBit = 0x80000000
	tanhSmall   = 0.4
	tanhClamp   = 10
	tanhLog2e   = 1.44269504088896340736
	tanhLn2Hi   = 0.693145751953125 // 0x3f317200: n·tanhLn2Hi is exact for |n| < 2⁹
	tanhLn2Lo   = 1.428606765330187045e-06
	tanhC3      = -1.0 / 3
	tanhC5      = 2.0 / 15
	tanhC7      = -17.0 / 315
	tanhC9      = 62.0 / 2835
	tanhC11     = -1382.0 / 155925
	tanhC13     = 21844.0 / 6081075
	expC2       = 1.0 / 2
	expC3       = 1.0 / 6
	expC4       = 1.0 / 24
	expC5       = 1.0 / 120
	expC6       = 1.0 / 720
	expC7       = 1.0 / 5040
)

// fmaPeakGeneric runs iters iterations of 8 independent scalar multiply-adds
// and returns the flops performed; it is the peak reference of the generic
// path for BenchmarkPeakFMA.
func fmaPeakGeneric(iters int) float64 {
	var acc [8]float32
	x, y := float32(0.999), float32(1e-3)
	for range iters {
		for r := range acc {
			acc[r] = acc[r]*x + y
		}
	}
	fmaPeakSink = acc[0] + acc[7]
	return 16 * float64(iters)
}

// fmaPeakSink keeps fmaPeakGeneric's result alive.
var fmaPeakSink float32
