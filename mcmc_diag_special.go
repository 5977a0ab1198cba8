package bnn

import "math"

// mcmcNormalQuantile returns Φ⁻¹(p) for p in (0, 1). Go's math.Erfinv is
// Wichura's AS241 rational approximation (the one R's qnorm uses); through
// 2p−1 it loses at most ~1e-16 absolute in p, which is ≲ 1e-12 relative in
// the rank-normalised draws of any realistic chain length.
func mcmcNormalQuantile(p float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*p-1)
}

// regIncBeta returns the regularised incomplete beta function I_x(a, b) for
// a, b > 0 and x in [0, 1], by the continued fraction of DLMF 8.17.22
// evaluated with the modified Lentz method, on the side of the symmetry
// I_x(a, b) = 1 − I_{1−x}(b, a) where it converges fast.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	if x > (a+1)/(a+b+2) {
		return 1 - regIncBeta(b, a, 1-x)
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab-la-lb+a*math.Log(x)+b*math.Log1p(-x)) / a
	return front * betaContinuedFraction(a, b, x)
}

// betaContinuedFraction returns 1/g for g = 1 + d₁/(1 + d₂/(1 + …)) with
// d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
// d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)) (DLMF 8.17.22); g is evaluated by the modified Lentz method.
func betaContinuedFraction(a, b, x float64) float64 {
	const tiny = 1e-300
	const eps = 1e-16
	f, c, d := 1.0, 1.0, 0.0
	step := func(coef float64) float64 {
		d = 1 + coef*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + coef/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := c * d
		f *= delta
		return delta
	}
	step(-(a + b) * x / (a + 1)) // d₁
	for m := 1; m < 100000; m++ {
		fm := float64(m)
		step(fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm)))
		delta := step(-(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1)))
		if math.Abs(delta-1) < eps {
			break
		}
	}
	return 1 / f
}

// betaQuantile returns the x in [0, 1] with I_x(a, b) = p (R's qbeta), by
// bisection on the monotone regularised incomplete beta function until the
// bracket stops shrinking (full double precision in x).
func betaQuantile(p, a, b float64) float64 {
	if math.IsNaN(p) || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	lo, hi := 0.0, 1.0
	for range 200 {
		mid := 0.5 * (lo + hi)
		if mid <= lo || mid >= hi {
			break
		}
		if regIncBeta(a, b, mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return 0.5 * (lo + hi)
}
