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
	twr    []float64 // per stage of size s ≥ 8, at offset s/2 − 4: cos(2πj/s), j < s/2
	twi    []float64 // … and sin(2πj/s)
	re, im []float64 // length m
	pow    []float64 // summed power spectrum, length m/2 + 1
	rev    []int32   // bit-reversal permutation
}

// reset prepares the workspace for chains of length n; it allocates only when
// the transform size changes.
func (a *autocovFFT) reset(n int) {
	m := 4
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
	a.twr = a.twr[:0]
	a.twi = a.twi[:0]
	for size := 8; size <= m; size <<= 1 {
		for j := range size / 2 {
			s, c := math.Sincos(2 * math.Pi * float64(j) / float64(size))
			a.twr = append(a.twr, c)
			a.twi = append(a.twi, s)
		}
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
// The first two stages (twiddles 1 and ∓i) are fused into multiplication-free
// radix-4 butterflies; later stages read their twiddles contiguously from
// a.twr and a.twi.
func (a *autocovFFT) transform(sign float64) {
	re, im, m := a.re, a.im, a.m
	for i, r := range a.rev {
		if j := int(r); i < j {
			re[i], re[j] = re[j], re[i]
			im[i], im[j] = im[j], im[i]
		}
	}
	// Stages of size 2 and 4: (x0, x1, x2, x3) → radix-4 butterfly with
	// twiddle sign·i on the odd pair.
	for j := 0; j+3 < m; j += 4 {
		r0, i0 := re[j]+re[j+1], im[j]+im[j+1]
		r1, i1 := re[j]-re[j+1], im[j]-im[j+1]
		r2, i2 := re[j+2]+re[j+3], im[j+2]+im[j+3]
		r3, i3 := re[j+2]-re[j+3], im[j+2]-im[j+3]
		// t = w·(r3 + i·i3) with w = exp(sign·iπ/2) = sign·i.
		tr, ti := -sign*i3, sign*r3
		re[j], im[j] = r0+r2, i0+i2
		re[j+2], im[j+2] = r0-r2, i0-i2
		re[j+1], im[j+1] = r1+tr, i1+ti
		re[j+3], im[j+3] = r1-tr, i1-ti
	}
	for size := 8; size <= m; size <<= 1 {
		half := size >> 1
		wr := a.twr[half-4 : size-4]
		wi := a.twi[half-4 : size-4]
		for start := 0; start < m; start += size {
			xr, xi := re[start:start+half], im[start:start+half]
			yr, yi := re[start+half:start+size], im[start+half:start+size]
			for k := range half {
				cr, ci := wr[k], sign*wi[k]
				tr := cr*yr[k] - ci*yi[k]
				ti := cr*yi[k] + ci*yr[k]
				yr[k], yi[k] = xr[k]-tr, xi[k]-ti
				xr[k] += tr
				xi[k] += ti
			}
		}
	}
}

// meanAcov writes into dst[:n] the mean over chains of each chain's biased
// autocovariances, acov_c[t] = Σᵢ yc[i]·yc[i+t] / n with yc = x_c − mean(x_c)
// (chains of equal length n). The inverse FFT is linear, so the power
// spectra of all chains are summed first and one inverse transform serves
// them all; forward transforms take two real chains at a time, x in the real
// and y in the imaginary part: with Z = FFT(x + i·y), X_k = (Z_k + conj
// Z_{m−k})/2 and Y_k = (Z_k − conj Z_{m−k})/(2i).
//
// posterior computes each chain's autocovariances by FFT and rescales them
// so that acov[0] = var(x)·(n−1)/n, which is Σᵢ yc[i]²/n: the same numbers up
// to rounding (and all zero for a chain of zero variance).
func (a *autocovFFT) meanAcov(dst []float64, chains [][]float64) {
	n := len(chains[0])
	a.reset(n)
	m := a.m
	re, im := a.re, a.im
	a.pow = diagGrow(a.pow, m/2+1)
	clear(a.pow)
	for c := 0; c < len(chains); c += 2 {
		diagCentreInto(re, chains[c])
		if c+1 < len(chains) {
			diagCentreInto(im, chains[c+1])
		} else {
			clear(im[:n])
		}
		clear(re[n:])
		clear(im[n:])
		a.transform(-1)
		for k := 0; k <= m/2; k++ {
			j := (m - k) & (m - 1)
			zr, zi, wr, wi := re[k], im[k], re[j], im[j]
			xr, xi := 0.5*(zr+wr), 0.5*(zi-wi)
			yr, yi := 0.5*(zi+wi), 0.5*(wr-zr)
			a.pow[k] += xr*xr + xi*xi + yr*yr + yi*yi
		}
	}
	// The summed power spectrum is real and even: its inverse FFT is real.
	for k := 0; k <= m/2; k++ {
		re[k], im[k] = a.pow[k], 0
		if k > 0 && k < m/2 {
			re[m-k], im[m-k] = a.pow[k], 0
		}
	}
	a.transform(+1)
	scale := 1 / (float64(m) * float64(n) * float64(len(chains)))
	for t := range n {
		dst[t] = re[t] * scale
	}
}

// diagCentreInto writes x − mean(x) into dst[:len(x)].
func diagCentreInto(dst, x []float64) {
	n := len(x)
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	for i, v := range x {
		dst[i] = v - mean
	}
}
