package bnn

// The fused predictive forward pass of the seed's network shape, one input,
// two tanh hidden layers of 64 and one output (1-64-64-1). The layer-by-layer
// pass (bbbPredictor.forward) writes each layer's activations to memory and
// reads them back, and computes layer 3 as one 64-long dot product call per
// row. The fused pass takes six rows at a time through all three layers:
// their layer-1 activations and layer-2 pre-activations share one 6×64
// scratch in the L1 cache, the layer-2 products accumulate in registers
// (6×64 floats, with a 64-wide row of the weight matrix per step), and the
// layer-3 dot product and bias follow each row's tanh directly. On the
// AVX-512 path (bbb_fused_amd64.s) it performs the layer-by-layer AVX-512
// pass's operations in the same order, so the outputs agree bit for bit; on
// other paths bbbPredictor.forward runs. bbbForward64Generic is its generic
// twin, the same operations in Go.

// bbbFusedWidth is the hidden width of the fused pass, bbbFusedRows its row
// tile and bbbFusedScratch the floats of its scratch: two tiles of layer-1
// activations (the next tile's layer 1 runs between this tile's layers 2
// and 3, so the CPU can overlap it with the end of the matrix product) and
// one of layer-2 pre-activations.
const (
	bbbFusedWidth   = 64
	bbbFusedRows    = 6
	bbbFusedScratch = 3 * bbbFusedRows * bbbFusedWidth
)

// fusedShape reports whether m is a 1-64-64-1 tanh network, the shape of the
// fused forward pass.
func (m *BayesianMLP) fusedShape() bool {
	l := m.Layers
	const h = bbbFusedWidth
	return m.Activation == Tanh && len(l) == 3 &&
		l[0].In == 1 && l[0].Out == h && l[1].In == h && l[1].Out == h && l[2].In == h && l[2].Out == 1
}

// bbbFusedWeights splits the flat weight vector w of a 1-64-64-1 network
// (layer order, each layer's weights then its biases) into its parts.
func bbbFusedWeights(w []float32) (w1, b1, w2, b2, w3 []float32, b3 float32) {
	const h = bbbFusedWidth
	w1, b1 = w[:h], w[h:2*h]
	w2, b2 = w[2*h:2*h+h*h], w[2*h+h*h:3*h+h*h]
	w3 = w[3*h+h*h : 4*h+h*h]
	return w1, b1, w2, b2, w3, w[4*h+h*h]
}

// forwardFused writes the output of the 1-64-64-1 network with weights w at
// the inputs x (one per row) to dst (len(x)), using s (bbbFusedScratch
// floats) as scratch, on the fused path of kernel path; it reports false,
// writing nothing, where that path has no fused kernel. Rows are
// independent: a partial last tile is padded with zero inputs in tail.
func forwardFused(path int, w, x, dst, s []float32, tail *[2 * bbbFusedRows]float32) bool {
	if !bbbFusedArch(path, nil, nil, nil, nil) {
		return false
	}
	full := len(x) / bbbFusedRows * bbbFusedRows
	if full > 0 {
		bbbFusedArch(path, w, x[:full], dst[:full], s)
	}
	if r := len(x) - full; r > 0 {
		xt, ot := tail[:bbbFusedRows], tail[bbbFusedRows:]
		clear(xt)
		copy(xt, x[full:])
		bbbFusedArch(path, w, xt, ot, s)
		copy(dst[full:], ot[:r])
	}
	return true
}

// bbbForward64Generic is the generic twin of bbbForward64AVX512: dst[r] is
// the network's output at x[r], computed with the same roundings in the same
// order (fma32 where the assembly fuses a multiply-add).
func bbbForward64Generic(w, x, dst []float32) {
	const h = bbbFusedWidth
	w1, b1, w2, b2, w3, b3 := bbbFusedWeights(w)
	var h1, z [h]float32
	for r, xr := range x {
		for j := range h1 {
			h1[j] = tanh32(float32(xr*w1[j]) + b1[j])
		}
		for j := range z {
			var acc float32
			for p, hp := range h1 {
				acc = fma32(hp, w2[p*h+j], acc)
			}
			z[j] = tanh32(acc + b2[j])
		}
		dst[r] = sdot64Tree(&z, w3) + b3
	}
}

// sdot64Tree is sdotAVX2 on 64 elements: accumulator lane i%32 gets the fused
// products of elements i and i+32 in that order, and the four 8-lane
// accumulators are summed as (a0+a1)+(a2+a3), then the halves of the 8
// lanes, then pairwise.
func sdot64Tree(z *[bbbFusedWidth]float32, w []float32) float32 {
	var acc [32]float32
	for i := range acc {
		acc[i] = fma32(z[i+32], w[i+32], fma32(z[i], w[i], 0))
	}
	var s8 [8]float32
	for i := range s8 {
		s8[i] = (acc[i] + acc[8+i]) + (acc[16+i] + acc[24+i])
	}
	var s4 [4]float32
	for i := range s4 {
		s4[i] = s8[i] + s8[4+i]
	}
	return (s4[0] + s4[1]) + (s4[2] + s4[3])
}
