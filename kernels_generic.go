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

func adamStepGeneric(p, g, m, v []float32, k *adamCoeffs) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	b1, c1, b2, c2 := k.beta1, k.c1, k.beta2, k.c2
	wd, step, inv, eps := k.wd, k.stepSize, k.invSqrtBC2, k.eps
	// The explicit conversions round every product, so that no compiler
	// fuses them into multiply-adds (which the arm64 one would).
	for i, pi := range p {
		gi := g[i]
		if wd != 0 {
			gi += float32(wd * pi)
		}
		mi := float32(b1*m[i]) + float32(c1*gi)
		vi := float32(b2*v[i]) + float32(float32(c2*gi)*gi)
		m[i], v[i] = mi, vi
		d := float32(float32(math.Sqrt(float64(vi)))*inv) + eps
		p[i] = pi - float32(step*mi)/d
	}
}

func tanhGradMaskedGeneric(dz, y, mask []float32) {
	y, mask = y[:len(dz)], mask[:len(dz)]
	for i, v := range y {
		dz[i] = float32(dz[i]*mask[i]) * float32(1-float32(v*v))
	}
}

func dropoutKeepGeneric(h, mask, y []float32, bits []uint64, thr uint32, scale float32) {
	h, mask = h[:len(y)], mask[:len(y)]
	for i, v := range y {
		var m float32
		if uint32(bits[i/2]>>(32*(i&1))) >= thr {
			m = scale
		}
		mask[i], h[i] = m, v*m
	}
}

// colDotGeneric is colDot for cols = len(y) (the same rounding as a clear
// followed by one saxpy per row: on arm64 the compiler fuses the update as
// saxpyNEON does).
func colDotGeneric(y, a, x []float32) {
	cols := len(y)
	clear(y)
	for r, xr := range x {
		row := a[r*cols : r*cols+cols]
		for j, v := range row {
			y[j] += xr * v
		}
	}
}

func outerGeneric(z, x, w []float32) {
	cols := len(w)
	for r, xr := range x {
		zr := z[r*cols : r*cols+cols]
		for j, wj := range w {
			zr[j] = xr * wj
		}
	}
}

// tanh32 is the float32 hyperbolic tangent shared by every kernel path. The
// assembly reproduces it operation for operation, with fused multiply-adds
// exactly where it calls fma (fma32, written out), so all paths agree bit
// for bit. With a =
// min(|x|, 10) (tanh rounds to 1 above 9.02) and y = 2a, it is tanh(a) =
// −em/(em+2) for em = expm1(−y), which stays accurate for small a (no
// cancellation in 1 − e^{−y}). The expm1 is e^{−y} − 1 = 2^{−n}·expm1(q) +
// (2^{−n} − 1) with y = n·ln2 − q, |q| ≤ ln2/2 and expm1(q) the degree-7
// Taylor polynomial in Horner form; 2^{−n} − 1 is exact for n ≤ 24 and rounds
// to −1 beyond, where tanh rounds to 1. The sign is copied from x, so
// tanh32(±0) = ±0 and the function is exactly odd; NaN gives NaN. Over every
// float32 input it is within 2 ulp of the correctly rounded tanh
// (TestTanh32 with BNN_EXHAUSTIVE=1), in 24 vector instructions besides
// register copies (36 without fused multiply-adds).
func tanh32(x float32) float32 {
	bits := math.Float32bits(x)
	a := math.Float32frombits(bits &^ tanhSignBit)
	if a > tanhClamp { // NaN stays NaN
		a = tanhClamp
	}
	y := a + a
	// Each fused multiply-add is fma32 written out (it is too large for the
	// compiler to inline): the float64 sum, rounded once to float32 unless
	// it is a float32 tie, which fma32Tie settles.
	var ab, s float64
	fma := func(x, y, c float32) float32 {
		ab = float64(x) * float64(y)
		if s = ab + float64(c); isTie32(s) {
			s = fma32Tie(ab, float64(c))
		}
		return float32(s)
	}
	n := int32(fma(y, tanhLog2e, 0.5)) // y ≥ 0: truncation rounds to nearest
	nf := float32(n)
	q := float32(nf*tanhLn2Hi) - y // exact (Sterbenz), so fused or not
	q = fma(nf, tanhLn2Lo, q)
	q2 := float32(q * q)
	p := fma(expC7, q, expC6)
	p = fma(p, q, expC5)
	p = fma(p, q, expC4)
	p = fma(p, q, expC3)
	p = fma(p, q, expC2)
	p = fma(p, q2, q)                               // expm1(q)
	sc := math.Float32frombits(uint32(127-n) << 23) // 2^−n
	em := fma(sc, p, sc-1)                          // expm1(−y) ∈ [−1, 0]
	r := em / (em + 2)                              // −tanh(a)
	return math.Float32frombits(math.Float32bits(r)&^tanhSignBit | bits&tanhSignBit)
}

// fma32 returns a·b + c rounded once to float32, as the FMA instructions
// (VFMADD…PS, FMLA) do. The product is exact in float64 and the sum s is
// rounded once to float64; converting s to float32 rounds a second time,
// which differs from one rounding only when s falls exactly halfway between
// two float32 values while the float64 sum was inexact; only then is the
// exact error of the sum computed (Knuth's TwoSum), to break the tie. It is
// exact for results in the normal float32 range and for exact sums (tanh32
// needs no more).
func fma32(a, b, c float32) float32 {
	ab := float64(a) * float64(b)
	s := ab + float64(c)
	if isTie32(s) {
		s = fma32Tie(ab, float64(c))
	}
	return float32(s)
}

// isTie32 reports whether s lies exactly halfway between two float32 values
// (its low 29 significand bits are 1<<28).
func isTie32(s float64) bool { return math.Float64bits(s)<<35 == 1<<63 }

// fma32Tie returns s = ab + c (ab the exact product of two float32 values, c
// a float32 value) when s lies halfway between two float32 values, moved one
// float64 step towards the exact sum if it was rounded, so that converting it
// to float32 rounds the way the exact sum does. It is out of line: ties are
// rare and the callers' fast path stays small.
//
//go:noinline
func fma32Tie(ab, c float64) float64 {
	s := ab + c
	bv := s - ab
	e := (ab - (s - bv)) + (c - bv)
	u := math.Float64bits(s)
	switch {
	case e == 0:
	case (e > 0) == (s > 0):
		u++
	default:
		u--
	}
	return math.Float64frombits(u)
}

// Constants of tanh32, shared with the assembly (which spells them in hex).
const (
	tanhSignBit = 0x80000000
	tanhClamp   = 10
	tanhLog2e   = 1.44269504088896340736
	tanhLn2Hi   = 0.693145751953125 // 0x3f317200: n·tanhLn2Hi is exact for |n| < 2⁹
	tanhLn2Lo   = 1.428606765330187045e-06
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
