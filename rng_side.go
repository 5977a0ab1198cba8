package bnn

import (
	"math"
	"math/bits"
)

// A Gaussian fill whose main stream advances by exactly one 64-bit output per
// two draws: the ziggurat's rare slow path (wedges and tail, about 1.5 % of
// draws) takes its extra uniforms from a second, independent generator (the
// side stream) instead of the main one. Every draw is still an exact
// standard normal draw (the slow path's acceptance tests only need uniforms
// independent of the point being tested), but the position of each draw in
// the main stream no longer depends on earlier slow draws, so the vector
// kernel computes every block without stopping and lists the slow lanes,
// which finishSlowLanes completes afterwards in a batch. gaussRNG.fill, used
// by training, keeps its one-stream numbers; the predictive draws use
// fillSide.

// fillSide writes standard normal draws to every element of dst: element j
// comes from the low (j even) or high (j odd) half of output j/2 of g's
// stream, finished by finishSlowLanes from side when it falls outside its
// ziggurat layer's core. slow is scratch of at least len(dst)+16 values. The
// numbers are those of the generic path (fastSide) on every kernel path.
//
// Resolution and tails: a core draw is m·zigW[i] for a 23-bit m, finer than
// float32's spacing at that value; |x| > zigR ≈ 3.654 comes from Marsaglia's
// exact tail method in float64 (zigSlow), whose uniforms of 2⁻⁵³ resolution
// cap |x| at zigR + 53·ln2/zigR ≈ 13.7, a truncation of probability below
// 10⁻⁴⁰; the draw is then rounded to float32.
func (g *gaussRNG) fillSide(dst []float32, side *gaussRNG, slow []int32) {
	s0 := g.s
	var n int
	if kernelPath == pathGeneric {
		n = g.fastSide(dst, 0, slow)
	} else {
		n = gaussFastSideArch(g, dst, slow)
	}
	finishSlowLanes(dst, s0, side, slow[:n])
}

// fastSide writes the core draws of dst, whose first element is draw base of
// the fill, from g's stream (two per output, low half first), writes the
// positions (base + j, increasing) of the draws that fall outside their
// layer's core to slow (len(slow) ≥ len(dst)) and returns their number; those
// elements of dst hold scratch. It is the generic twin of the vector kernels.
func (g *gaussRNG) fastSide(dst []float32, base int, slow []int32) int {
	st := g.s
	n := 0
	for j := range dst {
		if j&1 == 0 {
			st += gaussInc
		}
		h, l := bits.Mul64(st, st^gaussMix)
		b := uint32((h ^ l) >> (32 * (j & 1)))
		m, i := b>>8&0x7fffff, b&0xff
		dst[j] = math.Float32frombits(math.Float32bits(float32(m)*zigW[i]) | b&0x80000000)
		slow[n] = int32(base + j)
		if m >= zigK[i] {
			n++
		}
	}
	g.s = st
	return n
}

// finishSlowLanes replaces the draws of dst at the positions slow
// (increasing), which a fill wrote from the main stream starting at state s0
// and which fell outside their layer's core, by exact standard normal draws
// that use the side stream for their extra uniforms:
//
//  1. the k-th slow lane takes side output k as the height of its point in
//     its layer's rectangle and accepts its abscissa if the point lies under
//     the density (a wedge; layer 0's slow lanes are the tail and never
//     accept here), without branches on the outcome so the lanes overlap;
//  2. the rest, in order, continue from the side stream as zigSlow does: the
//     tail by Marsaglia's method, a rejected wedge by a fresh ziggurat draw.
//
// Each uniform is used once and is independent of the point it tests, so
// every draw is exactly the ziggurat's (Marsaglia & Tsang 2000). The lanes are
// rewritten in place to hold the rejected ones.
func finishSlowLanes(dst []float32, s0 uint64, side *gaussRNG, slow []int32) {
	s := side.s
	r := 0
	for _, p := range slow {
		st := s0 + uint64(p/2+1)*gaussInc
		h, l := bits.Mul64(st, st^gaussMix)
		b := uint32((h ^ l) >> (32 * (p & 1)))
		i, m := b&0xff, b>>8&0x7fffff
		x := float64(m) * float64(zigW[i])
		s += gaussInc
		uh, ul := bits.Mul64(s, s^gaussMix)
		y := zigF[i] + (zigF[i+1]-zigF[i])*(float64((uh^ul)>>11+1)*0x1p-53)
		dst[p] = math.Float32frombits(math.Float32bits(float32(x)) | b&0x80000000)
		// Rejected: layer 0 (i−1 wraps to bit 31 set) or y ≥ e^(−x²/2)
		// (the difference's sign bit; y = e^(−x²/2) has probability 0).
		// Arithmetic, not branches, which would mispredict half the time.
		slow[r] = p
		r += int((i-1)>>31) | int(math.Float64bits(zigExpNeg(-0.5*x*x)-y)>>63)
	}
	side.s = s
	for _, p := range slow[:r] {
		st := s0 + uint64(p/2+1)*gaussInc
		h, l := bits.Mul64(st, st^gaussMix)
		b := uint32((h ^ l) >> (32 * (p & 1)))
		if b&0xff == 0 {
			dst[p] = side.zigSlow(b) // the tail, with b's sign
			continue
		}
		dst[p] = side.zigSlow(uint32(side.uint64()))
	}
}
