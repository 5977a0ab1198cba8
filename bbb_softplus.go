package bnn

import "math"

// Fast float32 softplus for the per-step σ = softplus(ρ) pass over every
// weight (≈4,400 per step in the seed's network), where float64
// math.Exp/Log1p would cost more than the network's own arithmetic. bbbExp32
// is accurate to a few float32 ulps.

// bbbExp32 returns eˣ for x in float32's range (clamped to [−87.3, 88.7]).
func bbbExp32(x float32) float32 {
	x = min(max(x, -87.3), 88.7)
	const log2e, ln2hi, ln2lo = 1.44269504088896341, 0.693145751953125, 1.428606765330187045e-6
	const round = 0x1.8p23 // adding and subtracting 1.5·2²³ rounds to the nearest integer
	k := (x*log2e + round) - round
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

// softplusSigmoid32 returns σ = softplus(ρ) = log(1 + eᵖ) and its derivative sigmoid(ρ).
func softplusSigmoid32(rho float32) (sigma, dsigma float32) {
	if rho > 16 {
		e := bbbExp32(-rho)
		return rho + e, 1 - e
	}
	e := bbbExp32(rho)
	if e < 0x1p-4 { // ρ < −2.77, the usual regime: the series of log1p needs no logarithm
		// log1p(e) = e(1 − e/2 + e²/3 − e³/4 + e⁴/5 − e⁵/6); the next term is < e⁶/7 < 2⁻²⁴/7.
		q := 1 - e*(1.0/2-e*(1.0/3-e*(1.0/4-e*(1.0/5-e*(1.0/6)))))
		return e * q, e / (1 + e)
	}
	// e ≥ 1/16 here, so 1 + e loses nothing that matters and the float64
	// logarithm (assembly on amd64) is both faster and more accurate than a
	// float32 polynomial with a division.
	return float32(math.Log(1 + float64(e))), e / (1 + e)
}
