package bnn

import "math"

// autocovFFT computes the biased autocovariances of one or two real chains
// of length n by FFT: a radix-2 transform of size m = 2^k ≥ 2n (zero padding
// makes the circular correlation equal the linear one). Two real chains share
// one complex transform (x in the real part, y in the imaginary part), so
// the MCMC diagnostics pay one forward and one inverse FFT per pair of chains.
//
// For a chain x with centred values yc, acov[t] = Σᵢ yc[i]·yc[i+t] / n, the
// "biased" estimate Geyer (1992) recommends and posterior's autocovariance
// returns (it rescales the FFT output so that acov[0] = var(x)·(n−1)/n).
type autocovFFT struct {
	n, m   int
	cos    []float64 // cos(2πj/m), j < m/2
	sin    []float64 // sin(2πj/m), j < m/2
	re, im []float64 // length m
	rev    []int32   // bit-reversal permutation
}

// reset prepares the workspace for chains of length n; it allocates only when
// the transform size changes.
func (a *autocovFFT) reset(n int) {
	m := 1
	for m < 2*n {
		m <<= 1
	}
	a.n = n
	if m == a.m {
		return
	}
	a.m = m
	a.re = make([]float64, m)
	a.im = make([]float64, m)
	a.cos = make([]float64, m/2)
	a.sin = make([]float64, m/2)
	for j := range a.cos {
		s, c := math.Sincos(2 * math.Pi * float64(j) / float64(m))
		a.cos[j], a.sin[j] = c, s
	}
	a.rev = make([]int32, m)
	bitsN := 0
	for 1<<bitsN < m {
		bitsN++
	}
	for i := range a.rev {
		r := 0
		for b := 0; b < bitsN; b++ {
			if i&(1<<b) != 0 {
				r |= 1 << (bitsN - 1 - b)
			}
		}
		a.rev[i] = int32(r)
	}
}

// transform runs an in-place radix-2 decimation-in-time FFT on (re, im);
// sign = −1 for the forward transform, +1 for the (unnormalised) inverse.
func (a *autocovFFT) transform(sign float64) {
	re, im, m := a.re, a.im, a.m
	for i, r := range a.rev {
		if j := int(r); i < j {
			re[i], re[j] = re[j], re[i]
			im[i], im[j] = im[j], im[i]
		}
	}
	for size := 2; size <= m; size <<= 1 {
		half := size >> 1
		step := m / size
		for start := 0; start < m; start += size {
			k := 0
			for j := start; j < start+half; j++ {
				wr, wi := a.cos[k], sign*a.sin[k]
				l := j + half
				tr := wr*re[l] - wi*im[l]
				ti := wr*im[l] + wi*re[l]
				re[l], im[l] = re[j]-tr, im[j]-ti
				re[j] += tr
				im[j] += ti
				k += step
			}
		}
	}
}

// acov writes the biased autocovariances of x (and of y, if y is non-nil)
// into ax (and ay), each of length n = len(x). A chain with zero sample
// variance gets all-zero autocovariances, as in posterior.
func (a *autocovFFT) acov(ax, ay, x, y []float64) {
	n := len(x)
	a.reset(n)
	varX := centreInto(a.re, x)
	varY := 0.0
	if y != nil {
		varY = centreInto(a.im, y)
	} else {
		clear(a.im[:n])
	}
	clear(a.re[n:])
	clear(a.im[n:])
	a.transform(-1)
	// Power spectra: with Z = FFT(x + i·y), X_k = (Z_k + conj Z_{m−k})/2 and
	// Y_k = (Z_k − conj Z_{m−k})/(2i); |X_k|² and |Y_k|² are real and even in
	// k, so the inverse FFT of |X|² + i·|Y|² has acov(x) in its real part and
	// acov(y) in its imaginary part.
	m := a.m
	re, im := a.re, a.im
	for k := 0; k <= m/2; k++ {
		j := (m - k) & (m - 1)
		zr, zi, wr, wi := re[k], im[k], re[j], im[j]
		xr, xi := 0.5*(zr+wr), 0.5*(zi-wi)
		yr, yi := 0.5*(zi+wi), 0.5*(wr-zr)
		px := xr*xr + xi*xi
		py := yr*yr + yi*yi
		re[k], im[k] = px, py
		re[j], im[j] = px, py
	}
	a.transform(+1)
	scaleAcov(ax, re[:n], varX, n)
	if y != nil {
		scaleAcov(ay, im[:n], varY, n)
	}
}

// centreInto writes x − mean(x) into dst[:len(x)] and returns var(x) with the
// n−1 denominator.
func centreInto(dst, x []float64) float64 {
	n := len(x)
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	ss := 0.0
	for i, v := range x {
		d := v - mean
		dst[i] = d
		ss += d * d
	}
	return ss / float64(n-1)
}

// scaleAcov rescales raw FFT autocorrelations so that out[0] = v·(n−1)/n.
func scaleAcov(out, raw []float64, v float64, n int) {
	if v == 0 || raw[0] == 0 {
		clear(out[:n])
		return
	}
	s := v * float64(n-1) / float64(n) / raw[0]
	for t := range n {
		out[t] = raw[t] * s
	}
}
