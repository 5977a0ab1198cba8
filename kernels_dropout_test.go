package bnn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestKernelTanhGradMasked(t *testing.T) {
	elementwise(t, "tanhGradMasked", 2, general,
		func(dz []float32, in [][]float32) { tanhGradMasked(dz, in[0], in[1]) },
		func(dz []float32, in [][]float32) { tanhGradMaskedGeneric(dz, in[0], in[1]) })
}

// TestKernelDropoutKeep compares dropoutKeep on every path with its generic
// twin (h and mask bit for bit, guards intact) for lengths 0–300, offsets
// 0–3 and thresholds including 0 and 2³²−1, and checks the generic twin's
// choice of bits against the documented halves.
func TestKernelDropoutKeep(t *testing.T) {
	for _, thr := range []uint32{0, 1, 429496729, 1 << 31, 0xfffffffe, 0xffffffff} {
		var bits []uint64
		elementwise(t, fmt.Sprint("dropoutKeep", thr), 1, func(r *rand.Rand, s []float32) {
			general(r, s)
			bits = make([]uint64, (len(s)+1)/2)
			for i := range bits {
				bits[i] = r.Uint64()
				if r.IntN(8) == 0 { // hit the threshold exactly in either half
					bits[i] = uint64(thr)<<(32*uint(r.IntN(2))) | uint64(r.Uint32())&uint64(0xffffffff*uint(r.IntN(2)))
				}
			}
		},
			func(out []float32, in [][]float32) {
				mask := make([]float32, len(out))
				dropoutKeep(out, mask, in[0], bits, thr, 1.25)
				for i := range mask {
					if mask[i] != 0 && mask[i] != 1.25 {
						t.Fatalf("mask[%d] = %g", i, mask[i])
					}
					if keep := uint32(bits[i/2]>>(32*(i%2))) >= thr; keep != (mask[i] != 0) {
						t.Fatalf("thr %d: mask[%d] = %g for bits %#x", thr, i, mask[i], bits[i/2])
					}
				}
			},
			func(out []float32, in [][]float32) {
				mask := make([]float32, len(out))
				dropoutKeepGeneric(out, mask, in[0], bits, thr, 1.25)
			})
	}
}
