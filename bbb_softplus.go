package bnn

import "math"

// Fast float32 softplus for the per-step σ = softplus(ρ) pass over every
// weight (≈4,400 per step in the seed's network): float64 math.Exp/Log1p/Log
// would cost more than the network's own arithmetic. bbbExp32 and bbbLog32 are
// accurate to a few float32 ulps over the ranges used here.

// bbbExp32 returns eˣ for x in float32's range (clamped to [−87.3, 88.7]).
func bbbExp32(x float32) float32 {
	x = min(max(x, -87.3), 88.7)
	const log2e, ln2hi, ln2lo = 1.44269504088896341, 0.693145751953125, 1.428606765330187045e-6
	k := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - k*ln2hi - k*ln2lo // |r| ≤ ln2/2
	// Taylor polynomial of eʳ to degree 7: truncation < 2e-9 for |r| ≤ 0.347.
	p := float32(1.0 / 5040)
	p = p*r + 1.0/720
	p = p*r + 1.0/120
	p = p*r + 1.0/24
	p = p*r + 1.0/6
	p = p*r + 0.5
	p = p*r + 1
	p = p*r + 1
	return p * math.Float32frombits(uint32(int32(k)+127)<<23)
}

// bbbLog32 returns ln x for positive normal float32 x.
func bbbLog32(x float32) float32 {
	b := math.Float32bits(x)
	e := int32(b>>23) - 127
	m := math.Float32frombits(b&0x007fffff | 0x3f800000) // mantissa in [1, 2)
	if m > math.Sqrt2 {
		m *= 0.5
		e++
	}
	s := (m - 1) / (m + 1) // |s| ≤ 0.1716
	s2 := s * s
	// ln m = 2 atanh s = 2s(1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9).
	p := float32(1.0 / 9)
	p = p*s2 + 1.0/7
	p = p*s2 + 1.0/5
	p = p*s2 + 1.0/3
	p = p*s2 + 1
	return float32(e)*math.Ln2 + 2*s*p
}

// softplusSigmoid32 returns σ = softplus(ρ) = log(1 + eᵖ), its derivative
// sigmoid(ρ) and log σ.
func softplusSigmoid32(rho float32) (sigma, dsigma, logSigma float32) {
	if rho > 16 {
		e := bbbExp32(-rho)
		sigma = rho + e
		return sigma, 1 - e, bbbLog32(sigma)
	}
	e := bbbExp32(rho)
	u := 1 + e
	if u == 1 {
		sigma = e
		return e, e, rho // softplus(ρ) = eᵖ to float32 precision
	}
	sigma = bbbLog32(u) * (e / (u - 1)) // log1p(e) without cancellation
	return sigma, e / u, bbbLog32(sigma)
}
