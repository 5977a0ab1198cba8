package bnn

import "math"

// Fast softplus for the per-step σ = softplus(ρ) pass over every weight
// (≈4,400 per step in the seed's network), where math.Exp and math.Log1p
// would cost more than the network's own arithmetic. Both helpers use a
// 16-entry table and a short polynomial and are accurate to a few float32
// ulps. The common path has no data-dependent branch: the ρ of a trained
// network straddle any threshold, and mispredicted branches used to cost more
// than the arithmetic.

// bbbExp2Tab holds 2^(j/16), j = 0…15.
var bbbExp2Tab = func() (t [16]float32) {
	for j := range t {
		t[j] = float32(math.Exp2(float64(j) / 16))
	}
	return t
}()

// bbbExp32 returns eˣ for x in float32's range (clamped to [−87.3, 88.7]):
// eˣ = 2^(n/16)·eʳ with n = round(16x/ln 2) and |r| ≤ ln2/32.
func bbbExp32(x float32) float32 { return bbbExp32Unclamped(min(max(x, -87.3), 88.7)) }

// bbbExp32Unclamped is bbbExp32 for x already in [−87.3, 88.7].
func bbbExp32Unclamped(x float32) float32 {
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

// bbbLogInv and bbbLogC hold 1/cⱼ and ln cⱼ for the table points
// cⱼ = 1 + j/16, j = 0…16 (c₀ = 1, so ln c₀ = 0 exactly).
var bbbLogInv, bbbLogC = func() (inv, c [17]float64) {
	for j := range inv {
		m := 1 + float64(j)/16
		inv[j], c[j] = 1/m, math.Log(m)
	}
	return inv, c
}()

// bbbLog returns ln u for a positive normal u: u = 2ᵏ·m with m in [1, 2),
// m = cⱼ(1 + r) with j = round(16(m − 1)) and |r| ≤ 1/32, and ln(1 + r) by
// its series to r⁶ (truncation < 2·10⁻¹²). Near u = 1 (k = 0, j = 0) the
// result is the series of r = u − 1 alone, so it keeps its relative accuracy
// however small the logarithm.
func bbbLog(u float64) float64 {
	b := math.Float64bits(u)
	k := int(b>>52) - 1023
	j := (b&(1<<52-1) + 1<<47) >> 48 // the top four mantissa bits, rounded: 0…16
	m := math.Float64frombits(b&(1<<52-1) | 0x3ff0000000000000)
	r := m*bbbLogInv[j] - 1
	return float64(k)*math.Ln2 + bbbLogC[j] + r*(1-r*(0.5-r*(1.0/3-r*(0.25-r*(0.2-r*(1.0/6))))))
}

// softplusSigmoid32 returns σ = softplus(ρ) = log(1 + eᵖ) and its derivative sigmoid(ρ).
func softplusSigmoid32(rho float32) (sigma, dsigma float32) {
	if rho > 16 {
		e := bbbExp32(-rho)
		return rho + e, 1 - e
	}
	e := bbbExp32(rho)
	if rho < -16 { // e < 2⁻²³: log1p(e) = e − e²/2 to float32 precision
		return e - 0.5*e*e, e
	}
	// 1 + e in float64 is exact to 2⁻⁵³, a relative 2⁻²⁹ of e at worst here.
	return float32(bbbLog(1 + float64(e))), e / (1 + e)
}

// bbbLogParts splits a positive normal u into its binary exponent's ln
// contribution plus ln cⱼ, and the reduced argument r of bbbLog.
func bbbLogParts(u float64) (base, r float64) {
	b := math.Float64bits(u)
	j := (b&(1<<52-1) + 1<<47) >> 48
	m := math.Float64frombits(b&(1<<52-1) | 0x3ff0000000000000)
	return float64(int(b>>52)-1023)*math.Ln2 + bbbLogC[j&31], m*bbbLogInv[j&31] - 1
}

// bbbLog1pSeries returns ln(1 + r) for |r| ≤ 1/32 (bbbLog's series), in
// Estrin's form so the multiplications overlap.
func bbbLog1pSeries(r float64) float64 {
	r2 := r * r
	r4 := r2 * r2
	return r*(1-0.5*r) + r2*r*(1.0/3-0.25*r) + r4*r*(0.2-r*(1.0/6))
}

// bbbSoftplusSlice writes σ = softplus(ρ) and dσ/dρ = sigmoid(ρ) for every ρ
// in rho, four at a time so the four dependency chains overlap.
func bbbSoftplusSlice(sigma, dsig, rho []float32) {
	i := 0
	for ; i+4 <= len(rho); i += 4 {
		r := rho[i : i+4 : i+4]
		// |ρ| > 16 (or NaN) in any lane, tested on the bits: the float min
		// and max builtins cost more here than the whole exp.
		const abs, lim = 0x7fffffff, 0x41800000 // 16 as float32 bits
		a0, a1 := math.Float32bits(r[0])&abs, math.Float32bits(r[1])&abs
		a2, a3 := math.Float32bits(r[2])&abs, math.Float32bits(r[3])&abs
		if max(a0, a1, a2, a3) > lim {
			for k := range 4 {
				sigma[i+k], dsig[i+k] = softplusSigmoid32(r[k])
			}
			continue
		}
		e0, e1, e2, e3 := bbbExp32Unclamped(r[0]), bbbExp32Unclamped(r[1]), bbbExp32Unclamped(r[2]), bbbExp32Unclamped(r[3])
		b0, r0 := bbbLogParts(1 + float64(e0))
		b1, r1 := bbbLogParts(1 + float64(e1))
		b2, r2 := bbbLogParts(1 + float64(e2))
		b3, r3 := bbbLogParts(1 + float64(e3))
		s := sigma[i : i+4 : i+4]
		s[0] = float32(b0 + bbbLog1pSeries(r0))
		s[1] = float32(b1 + bbbLog1pSeries(r1))
		s[2] = float32(b2 + bbbLog1pSeries(r2))
		s[3] = float32(b3 + bbbLog1pSeries(r3))
		d := dsig[i : i+4 : i+4]
		d[0], d[1], d[2], d[3] = e0/(1+e0), e1/(1+e1), e2/(1+e2), e3/(1+e3)
	}
	for ; i < len(rho); i++ {
		sigma[i], dsig[i] = softplusSigmoid32(rho[i])
	}
}
