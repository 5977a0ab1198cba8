//go:build !purego

package bnn

// bbbForward64AVX512 is the fused forward pass (bbb_fused.go) of tiles
// 6-row tiles of a 1-64-64-1 tanh network: out[r] for the inputs x[r],
// r < 6·tiles, with weights w1 (64), b1 (64), w2 (64×64, row p for input
// p), b2 (64), w3 (64) and the bias *b3, using s (bbbFusedScratch floats)
// as scratch. It is bbbForward64Generic with AVX-512F.
//
//go:noescape
func bbbForward64AVX512(tiles int, x, w1, b1, w2, b2, w3, b3, out, s *float32)

// bbbFusedArch runs the fused pass of path on the rows of x (a multiple of
// bbbFusedRows) and reports true, or reports false where path has none (a
// nil w only asks).
func bbbFusedArch(path int, w, x, dst, s []float32) bool {
	if path != pathAVX512 {
		return false
	}
	if w == nil || len(x) == 0 {
		return true
	}
	w1, b1, w2, b2, w3, _ := bbbFusedWeights(w)
	_, _ = dst[len(x)-1], s[bbbFusedScratch-1]
	b3 := &w[4*bbbFusedWidth+bbbFusedWidth*bbbFusedWidth]
	bbbForward64AVX512(len(x)/bbbFusedRows, &x[0], &w1[0], &b1[0], &w2[0], &b2[0], &w3[0], b3, &dst[0], &s[0])
	return true
}
