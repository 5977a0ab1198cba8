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
// kernel computes every block without stopping and the slow lanes are
// finished afterwards, in order. gaussRNG.fill, used by training, keeps its
// one-stream numbers; the predictive draws use fillSide.

// fillSide writes standard normal draws to every element of dst: element j
// comes from the low (j even) or high (j odd) half of output j/2 of g's
// stream, finished by side.zigSlow when it falls outside its ziggurat layer's
// core, the slow draws in increasing j. masks holds at least len(dst)/16
// values of scratch. The numbers are those of fillSideGeneric on every path.
func (g *gaussRNG) fillSide(dst []float32, side *gaussRNG, masks []uint16) {
	if kernelPath == pathGeneric {
		g.fillSideGeneric(dst, side)
		return
	}
	gaussFillSideArch(g, dst, side, masks)
}

// fillSideGeneric is fillSide in plain Go.
func (g *gaussRNG) fillSideGeneric(dst []float32, side *gaussRNG) {
	st := g.s
	for j := range dst {
		if j&1 == 0 {
			st += gaussInc
		}
		h, l := bits.Mul64(st, st^gaussMix)
		dst[j] = zigSide(uint32((h^l)>>(32*(j&1))), side)
	}
	g.s = st
}

// zigSide turns the 32 random bits b into a standard normal draw, from the
// side stream where the slow path needs more.
func zigSide(b uint32, side *gaussRNG) float32 {
	if m, i := b>>8&0x7fffff, b&0xff; m < zigK[i] {
		return math.Float32frombits(math.Float32bits(float32(m)*zigW[i]) | b&0x80000000)
	}
	return side.zigSlow(b)
}

// finishSlowLanes replaces the slow lanes of the blocks of 16 draws that a
// vector kernel wrote to dst from the main stream starting at state s0: bit
// j of masks[k] marks draw 16k+j, which it recomputes from its output of the
// stream and side (in increasing order of draws).
func finishSlowLanes(dst []float32, s0 uint64, side *gaussRNG, masks []uint16) {
	for k, mk := range masks {
		for mk != 0 {
			j := bits.TrailingZeros16(mk)
			mk &= mk - 1
			pos := 16*k + j
			st := s0 + uint64(pos/2+1)*gaussInc
			h, l := bits.Mul64(st, st^gaussMix)
			dst[pos] = side.zigSlow(uint32((h ^ l) >> (32 * (pos & 1))))
		}
	}
}
