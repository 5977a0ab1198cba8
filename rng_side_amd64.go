//go:build !purego

package bnn

// gaussZigMaskAVX512 writes blocks blocks of 16 draws to dst from the
// generator state *s, as gaussZigAVX512 does, but never stops: it writes
// every lane (a lane whose point falls outside its layer's core holds
// scratch), sets bit j of masks[k] for each such lane j of block k, and
// advances *s by 8·blocks outputs:
//
//	for k := range blocks {
//		for j := range 16 { dst[16k+j] = fast draw of half j&1 of output j/2 (or scratch) }
//		masks[k] = lanes whose m ≥ zigK[i]
//		*s += 8·gaussInc
//	}
//
//go:noescape
func gaussZigMaskAVX512(dst *float32, blocks int, s *uint64, masks *uint16)

// gaussFillSideArch is fillSide on the vector paths: AVX-512 draws every
// whole block without stopping and the slow lanes are finished afterwards;
// AVX2 runs its stopping kernel (gaussZigAVX2), finishing the pair that
// stopped it from the side stream. Both give fillSideGeneric's numbers.
func gaussFillSideArch(g *gaussRNG, dst []float32, side *gaussRNG, masks []uint16) {
	if kernelPath == pathAVX512 {
		if blocks := len(dst) / 16; blocks > 0 {
			s0 := g.s
			gaussZigMaskAVX512(&dst[0], blocks, &g.s, &masks[0])
			finishSlowLanes(dst[:16*blocks], s0, side, masks[:blocks])
			dst = dst[16*blocks:]
		}
		g.fillSideGeneric(dst, side)
		return
	}
	for len(dst) >= 8 {
		k := gaussZigAVX2(&dst[0], len(dst)/8, &g.s)
		if k == len(dst)/8*8 {
			dst = dst[k:]
			break
		}
		g.fillSideGeneric(dst[k:k+2], side)
		dst = dst[k+2:]
	}
	g.fillSideGeneric(dst, side)
}
