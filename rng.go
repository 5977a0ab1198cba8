package bnn

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// gaussRNG is a small deterministic generator of float32 standard normal
// draws for the Monte-Carlo hot loops (a Bayes-by-Backprop run needs ~10⁸).
// Uniform bits come from a wyrand-style 64-bit generator (one add and one
// 64×64→128 multiply per output); normals from a 256-layer ziggurat that
// spends 32 bits per draw (8 layer bits, 1 sign bit, 23 magnitude bits), so
// one 64-bit output usually yields two normals. Streams are derived from
// (seed, stream) through math/rand/v2's PCG, so independent goroutines or
// Monte-Carlo samples get independent, reproducible sequences.
type gaussRNG struct{ s uint64 }

// newGaussRNG returns the generator for stream number stream of seed.
func newGaussRNG(seed, stream uint64) gaussRNG {
	var p rand.PCG
	p.Seed(seed, stream^0x9e3779b97f4a7c15)
	return gaussRNG{s: p.Uint64()}
}

// uint64 returns 64 uniformly random bits.
func (g *gaussRNG) uint64() uint64 {
	g.s += gaussInc
	hi, lo := bits.Mul64(g.s, g.s^gaussMix)
	return hi ^ lo
}

// float64Open returns a uniform draw in (0, 1].
func (g *gaussRNG) float64Open() float64 {
	return float64(g.uint64()>>11+1) * 0x1p-53
}

// Ziggurat tables for the half-normal density f(x) = exp(−x²/2), 256 layers of
// equal area zigV. Layer 0 is the base strip (rectangle [0, zigR] plus the
// tail); layer i ≥ 1 is the rectangle of width zigX[i−1] between heights
// f(zigX[i−1]) and f(zigX[i]), with zigX[255] = 0.
const (
	zigR = 3.6541528853610088
	zigV = 4.928673233974658e-3
)

var zigW, zigK, zigF = zigTables()

// zigTables returns, per layer, the width scaled to the 23 magnitude bits
// (zigW), the acceptance threshold in those bits (zigK: below it the point is
// under the curve), and the density at the layer's outer edge (zigF, length 257
// with zigF[256] = 1 for the wedge test).
func zigTables() (w [256]float32, k [256]uint32, fe [257]float64) {
	var x [256]float64
	x[0] = zigR
	for i := 1; i < 255; i++ {
		x[i] = math.Sqrt(-2 * math.Log(math.Exp(-0.5*x[i-1]*x[i-1])+zigV/x[i-1]))
	}
	const scale = 1 << 23
	for i := range 256 {
		width := zigV / math.Exp(-0.5*zigR*zigR) // base strip's pseudo-width
		if i > 0 {
			width = x[i-1]
		}
		w[i] = float32(width / scale)
		k[i] = uint32(x[i] / width * scale)
		fe[i] = math.Exp(-0.5 * width * width)
	}
	fe[0] = math.Exp(-0.5 * zigR * zigR)
	fe[256] = 1
	return w, k, fe
}

// zigKW packs zigK[i] (low 32 bits) and the bits of zigW[i] (high 32) for
// the AVX-512 fill, which fetches both with one 64-bit gather.
var zigKW = func() (t [256]uint64) {
	for i := range t {
		t[i] = uint64(zigK[i]) | uint64(math.Float32bits(zigW[i]))<<32
	}
	return t
}()

// zigExp2Tab holds 2^(j/32), j = 0…31.
var zigExp2Tab = func() (t [32]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 32)
	}
	return t
}()

// zigExpNeg returns eˣ for the wedge test, x in [−7, 0] (−zigR²/2 ≈ −6.68),
// to a relative 10⁻¹⁴: eˣ = 2^(n/32)·eʳ with n = round(32x/ln 2), |r| ≤ ln2/64
// and eʳ by its Taylor series to r⁵ (truncation r⁶/720 < 3·10⁻¹⁵). It is
// several times cheaper than math.Exp, which dominated the slow path.
func zigExpNeg(x float64) float64 {
	const inv = 46.16624130844683                                       // 32/ln 2
	const hi, lo = 0.6931471803691238 / 32, 1.9082149292705877e-10 / 32 // ln2/32 in two parts
	n := math.Floor(x*inv + 0.5)
	r := x - n*hi - n*lo
	ni := int(n)
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	return p * zigExp2Tab[ni&31] * math.Float64frombits(uint64(ni>>5+1023)<<52)
}

// norm returns one standard normal draw.
func (g *gaussRNG) norm() float32 {
	return g.zig(uint32(g.uint64()))
}

// zig turns 32 random bits into a standard normal draw, falling back to the
// slow path (wedges and tail, ~1% of calls) with fresh bits when needed.
func (g *gaussRNG) zig(b uint32) float32 {
	i := b & 0xff
	m := b >> 8 & 0x7fffff
	if m < zigK[i] {
		return math.Float32frombits(math.Float32bits(float32(m)*zigW[i]) | b&0x80000000)
	}
	return g.zigSlow(b)
}

// zigSlow finishes a draw whose first point fell outside its layer's core.
func (g *gaussRNG) zigSlow(b uint32) float32 {
	for {
		i := b & 0xff
		m := b >> 8 & 0x7fffff
		sign := float64(1)
		if b&0x80000000 != 0 {
			sign = -1
		}
		if m < zigK[i] {
			return float32(sign * float64(m) * float64(zigW[i]))
		}
		if i == 0 { // tail beyond zigR (Marsaglia 1964)
			for {
				x := -math.Log(g.float64Open()) / zigR
				y := -math.Log(g.float64Open())
				if 2*y >= x*x {
					return float32(sign * (zigR + x))
				}
			}
		}
		x := float64(m) * float64(zigW[i])
		// Wedge: a uniform height in the layer, accepted under the density.
		y := zigF[i] + (zigF[i+1]-zigF[i])*g.float64Open()
		if y < zigExpNeg(-0.5*x*x) {
			return float32(sign * x)
		}
		b = uint32(g.uint64())
	}
}

// fill writes standard normal draws to every element of dst: the numbers of
// fillGeneric on every kernel path (the AVX-512 and AVX2 paths draw blocks of
// 16 or 8 in vector registers and hand a block with a slow-path draw to
// fillGeneric, so the stream is consumed in the same order).
func (g *gaussRNG) fill(dst []float32) {
	if kernelPath == pathGeneric {
		g.fillGeneric(dst)
		return
	}
	gaussFillArch(g, dst)
}

// gaussInc and gaussMix are the wyrand constants of uint64: the state
// advances by gaussInc and is multiplied by itself xor gaussMix.
const (
	gaussInc = 0xa0761d6478bd642f
	gaussMix = 0xe7037ed1a0b428db
)

// gaussSteps holds k·gaussInc for k = 1…8 (mod 2⁶⁴): the vector kernels
// compute the states of eight consecutive outputs at once.
var gaussSteps = func() (s [8]uint64) {
	for k := range s {
		s[k] = uint64(k+1) * gaussInc
	}
	return s
}()

// fillGeneric writes standard normal draws to every element of dst, two per
// 64-bit output (low half first). The generator state lives in a register
// through the fast path and is written back only around the rare slow path.
func (g *gaussRNG) fillGeneric(dst []float32) {
	st := g.s
	for len(dst) >= 2 {
		st += gaussInc
		h, l := bits.Mul64(st, st^gaussMix)
		b := h ^ l
		lo, hi := uint32(b), uint32(b>>32)
		d := dst[:2:2]
		if m, i := lo>>8&0x7fffff, lo&0xff; m < zigK[i] {
			d[0] = math.Float32frombits(math.Float32bits(float32(m)*zigW[i]) | lo&0x80000000)
		} else {
			g.s = st
			d[0] = g.zigSlow(lo)
			st = g.s
		}
		if m, i := hi>>8&0x7fffff, hi&0xff; m < zigK[i] {
			d[1] = math.Float32frombits(math.Float32bits(float32(m)*zigW[i]) | hi&0x80000000)
		} else {
			g.s = st
			d[1] = g.zigSlow(hi)
			st = g.s
		}
		dst = dst[2:]
	}
	g.s = st
	if len(dst) == 1 {
		dst[0] = g.norm()
	}
}
