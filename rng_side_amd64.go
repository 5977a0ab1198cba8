//go:build !purego

package bnn

// gaussZigPosAVX512 writes blocks blocks of 16 draws to dst from the
// generator state *s, as gaussZigAVX512 does, but never stops: it writes
// every lane (a lane whose point falls outside its layer's core holds
// scratch), appends the positions of such lanes to pos (writing 16 values
// past the last one: pos needs 16 spare elements), advances *s by 8·blocks
// outputs and returns the number of positions:
//
//	for k := range blocks {
//		for j := range 16 { dst[16k+j] = fast draw of half j&1 of output j/2 (or scratch) }
//		append to pos the 16k+j whose m ≥ zigK[i], increasing
//		*s += 8·gaussInc
//	}
//
//go:noescape
func gaussZigPosAVX512(dst *float32, blocks int, s *uint64, pos *int32) int

// gaussFastSideArch is fastSide on the vector paths: AVX-512 draws every
// whole block without stopping; AVX2 runs its stopping kernel
// (gaussZigAVX2), handing the pair that stopped it to fastSide. Both give
// fastSide's numbers and positions.
func gaussFastSideArch(g *gaussRNG, dst []float32, slow []int32) int {
	n, base := 0, 0
	if kernelPath == pathAVX512 {
		if blocks := len(dst) / 16; blocks > 0 {
			n = gaussZigPosAVX512(&dst[0], blocks, &g.s, &slow[0])
			base = 16 * blocks
		}
		return n + g.fastSide(dst[base:], base, slow[n:])
	}
	for len(dst)-base >= 8 {
		rest := dst[base:]
		k := gaussZigAVX2(&rest[0], len(rest)/8, &g.s)
		if k == len(rest)/8*8 {
			base += k
			break
		}
		n += g.fastSide(rest[k:k+2], base+k, slow[n:])
		base += k + 2
	}
	return n + g.fastSide(dst[base:], base, slow[n:])
}
