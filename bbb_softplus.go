package bnn

import "math"

// Fast softplus for the per-step σ = softplus(ρ) pass over every weight
// (≈4,400 per step in the seed's network), where math.Exp and math.Log1p
// would cost more than the network's own arithmetic. Both helpers use a
// 16-entry table and a short polynomial and are accurate to a few float32 ulps.

// bbbExp2Tab holds 2^(j/16), j = 0…15.
var bbbExp2Tab = func() (t [16]float32) {
	for j := range t {
		t[j] = float32(math.Exp2(float64(j) / 16))
	}
	return t
}()

// bbbExp32 returns eˣ for x in float32's range (clamped to [−87.3, 88.7]):
// eˣ = 2^(n/16)·eʳ with n = round(16x/ln 2) and |r| ≤ ln2/32.
func bbbExp32(x float32) float32 {
	x = min(max(x, -87.3), 88.7)
	const inv = 23.083120654223414                                // 16/ln 2
	const round = 0x1.8p23                                        // adding and subtracting 1.5·2²³ rounds to an integer
	const hi, lo = 0.693359375 / 16, -2.12194440054690583e-4 / 16 // ln2/16 in two parts; n·hi is exact for |n| < 2¹⁵
	n := (x*inv + round) - round
	r := x - n*hi - n*lo
	ni := int32(n)
	// Taylor to r⁴: the truncation r⁵/120 < 5e-11.
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24))))
	return p * bbbExp2Tab[ni&15] * math.Float32frombits(uint32(ni>>4+127)<<23)
}

// bbbLogTab holds 1/cⱼ and ln cⱼ for the table centres cⱼ = 1 + (j + ½)/16.
var bbbLogInv, bbbLogC = func() (inv, c [16]float64) {
	for j := range inv {
		m := 1 + (float64(j)+0.5)/16
		inv[j], c[j] = 1/m, math.Log(m)
	}
	return inv, c
}()

// bbbLog returns ln u for a positive normal u: u = 2ᵏ·m with m in [1, 2),
// m = cⱼ(1 + r) with |r| < 1/33, and ln(1 + r) by its series to r⁵.
func bbbLog(u float64) float64 {
	b := math.Float64bits(u)
	k := int(b>>52) - 1023
	j := b >> 48 & 0xf
	m := math.Float64frombits(b&(1<<52-1) | 0x3ff0000000000000)
	r := m*bbbLogInv[j] - 1
	return float64(k)*math.Ln2 + bbbLogC[j] + r*(1-r*(0.5-r*(1.0/3-r*(0.25-r*0.2))))
}

// softplusSigmoid32 returns σ = softplus(ρ) = log(1 + eᵖ) and its derivative sigmoid(ρ).
func softplusSigmoid32(rho float32) (sigma, dsigma float32) {
	if rho > 16 {
		e := bbbExp32(-rho)
		return rho + e, 1 - e
	}
	e := bbbExp32(rho)
	if e < 0x1p-4 { // ρ < −2.77: the series of log1p needs no logarithm
		// log1p(e) = e(1 − e/2 + e²/3 − e³/4 + e⁴/5 − e⁵/6); the next term is < e⁶/7 < 2⁻²⁴/7.
		q := 1 - e*(1.0/2-e*(1.0/3-e*(1.0/4-e*(1.0/5-e*(1.0/6)))))
		return e * q, e / (1 + e)
	}
	// e ≥ 1/16, so 1 + e in float64 loses nothing.
	return float32(bbbLog(1 + float64(e))), e / (1 + e)
}
