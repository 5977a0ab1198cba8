package bnn

// The fused gradient of the BNN posterior's network when it is a one-input,
// one-output tanh MLP with two hidden layers (1-h₁-h₂-1, the seed's shape):
// the forward and backward passes over the full batch in a dozen kernel calls.
// The three matrix products (n×h₁·h₁×h₂ forward, its transposes backward)
// read their operands in place (no packing, no scratch); the tanh passes run
// flat over the whole n×h activation matrices; the backward tanh layers are
// fused with the bias and weight sums of their layers. At the seed's sizes
// (60 rows, h ≤ 64) the general path's per-layer blocking, packing and
// per-row calls cost more than the arithmetic. The layout of the parameters
// and the gradient is MLP.Params'. Per gradient at h₁ = h₂ = 16 and n = 60
// the products are 46,080 multiply-adds, the tanh 1,920 elements.

// mlp2Work is the workspace of the fused gradient for n rows.
type mlp2Work struct {
	n, h1, h2 int
	x         []float32 // n: the inputs
	w2t       []float32 // h₂×h₁: the second layer's weights transposed
	a1, a2    []float32 // n×h₁, n×h₂: the hidden layers' tanh outputs
	dz1, dz2  []float32 // n×h₁, n×h₂: gradients with respect to the pre-activations
	zeros     []float32 // max(n·h₁, n·h₂) zeros: the flat tanh passes' bias
	f, d      []float32 // n: network outputs without the output bias, ∂loss/∂f
}

// newMLP2Work returns the fused workspace for a network of config cfg, or
// nil when cfg is not a 1-h₁-h₂-1 tanh MLP without dropout.
func newMLP2Work(cfg MLPConfig, x []float32) *mlp2Work {
	if cfg.Inputs != 1 || len(cfg.Hidden) != 2 || cfg.withDefaults().Outputs != 1 || cfg.Activation != Tanh || cfg.Dropout != 0 {
		return nil
	}
	n, h1, h2 := len(x), cfg.Hidden[0], cfg.Hidden[1]
	w := &mlp2Work{n: n, h1: h1, h2: h2, x: x}
	w.w2t = make([]float32, h1*h2)
	w.a1, w.dz1 = make([]float32, n*h1), make([]float32, n*h1)
	w.a2, w.dz2 = make([]float32, n*h2), make([]float32, n*h2)
	w.zeros = make([]float32, n*max(h1, h2))
	w.f, w.d = make([]float32, n), make([]float32, n)
	return w
}

// active reports whether the fused path runs on the current kernel path:
// with AVX-512 for widths that are multiples of 16, and on the generic path
// (where it replaces the generic matrix products). Elsewhere (AVX2, NEON)
// the MLP's blocked kernels are faster.
func (w *mlp2Work) active() bool {
	return kernelPath == pathGeneric || mlp2Asm(w.h1) && mlp2Asm(w.h2)
}

// views cuts params (MLP.Params layout) into the layers' weights and biases.
func (w *mlp2Work) views(params []float32) (w1, b1, w2, b2, w3 []float32, b3 *float32) {
	h1, h2 := w.h1, w.h2
	o := 0
	cut := func(k int) []float32 { s := params[o : o+k : o+k]; o += k; return s }
	w1, b1 = cut(h1), cut(h1)
	w2, b2 = cut(h1*h2), cut(h2)
	w3 = cut(h2)
	return w1, b1, w2, b2, w3, &params[o]
}

// forward evaluates the network at every row and returns its outputs
// without the output bias (a view into w), keeping the activations for
// backward.
func (w *mlp2Work) forward(params []float32) []float32 {
	n, h1, h2 := w.n, w.h1, w.h2
	w1, b1, w2, b2, w3, _ := w.views(params)
	rowsGemm(w.a1, w.x, w1, b1, n, 1, h1)
	biasTanh(w.a1, w.zeros[:n*h1], n*h1)
	rowsGemm(w.a2, w.a1, w2, b2, n, h1, h2)
	biasTanh(w.a2, w.zeros[:n*h2], n*h2)
	rowDots(w.f, w.a2, w3, n, h2)
	return w.f
}

// backward back-propagates w.d (∂loss/∂f per row, for the last forward
// pass) and overwrites grad with the loss gradient with respect to every
// parameter except the output bias's, which the caller sets (Σ d).
func (w *mlp2Work) backward(params, grad []float32) {
	n, h1, h2 := w.n, w.h1, w.h2
	_, _, w2, _, w3, _ := w.views(params)
	g1, gb1, g2, gb2, g3, _ := w.views(grad)
	tanhOutBack(w.dz2, g3, gb2, w.a2, w.d, w3, n, h2)
	gemmTN(g2, w.a1, w.dz2, n, h1, h2)
	transpose(w.w2t, w2, h1, h2)
	rowsGemm(w.dz1, w.dz2, w.w2t, w.zeros[:h1], n, h2, h1)
	tanhInBack(w.dz1, g1, gb1, w.a1, w.x, n, h1)
}

// rowsGemm overwrites the n×h matrix c with bias + a·b (a n×k, b k×h, all
// row-major): row p is bias + Σ_{j<k} a[p·k+j]·b[j·h:(j+1)·h], summed from
// j = 0 up.
func rowsGemm(c, a, b, bias []float32, n, k, h int) {
	c, a, b, bias = c[:n*h], a[:n*k], b[:k*h], bias[:h]
	if n > 0 && k > 0 && mlp2Asm(h) {
		rowsGemmArch(c, a, b, bias, n, k, h)
		return
	}
	rowsGemmGeneric(c, a, b, bias, n, k, h)
}

// gemmTN overwrites the k×h matrix c with aᵀ·d (a n×k, d n×h, row-major):
// row j is Σ_{p<n} a[p·k+j]·d[p·h:(p+1)·h], summed from p = 0 up.
func gemmTN(c, a, d []float32, n, k, h int) {
	c, a, d = c[:k*h], a[:n*k], d[:n*h]
	if k > 0 && mlp2Asm(k) && mlp2Asm(h) {
		gemmTNArch(c, a, d, n, k, h)
		return
	}
	gemmTNGeneric(c, a, d, n, k, h)
}

// rowDots writes f[p] = Σ_k a[p·h+k]·w[k] for the n rows of a (n×h): lane
// i of 16 accumulates columns i, i+16, … from the left, and the lanes are
// summed as a tree (i with i+8, then i+4, i+2, i+1).
func rowDots(f, a, w []float32, n, h int) {
	f, a, w = f[:n], a[:n*h], w[:h]
	if n > 0 && mlp2Asm(h) {
		rowDotsArch(f, a, w, n, h)
		return
	}
	rowDotsGeneric(f, a, w, n, h)
}

func rowsGemmGeneric(c, a, b, bias []float32, n, k, h int) {
	for p := range n {
		row := c[p*h : p*h+h]
		copy(row, bias)
		for j, apj := range a[p*k : p*k+k] {
			for i, v := range b[j*h : j*h+h] {
				row[i] += apj * v
			}
		}
	}
}

func gemmTNGeneric(c, a, d []float32, n, k, h int) {
	clear(c)
	for p := range n {
		drow := d[p*h : p*h+h]
		for j, apj := range a[p*k : p*k+k] {
			crow := c[j*h : j*h+h]
			for i, v := range drow {
				crow[i] += apj * v
			}
		}
	}
}

func rowDotsGeneric(f, a, w []float32, n, h int) {
	for p := range n {
		var s [16]float32
		for k, v := range a[p*h : p*h+h] {
			s[k%16] += v * w[k]
		}
		for width := 8; width > 0; width /= 2 {
			for i := range width {
				s[i] += s[i+width]
			}
		}
		f[p] = s[0]
	}
}

// tanhOutBack back-propagates through the last tanh layer (outputs a,
// n×h) of a one-output network with output weights w and output gradients
// d: it writes dz[p,:] = d[p]·w ⊙ (1 − a[p,:]²), the output weights'
// gradient gw = Σ_p d[p]·a[p,:] and the layer's bias gradient gb = Σ_p
// dz[p,:], summed from p = 0 up.
func tanhOutBack(dz, gw, gb, a, d, w []float32, n, h int) {
	dz, gw, gb, a, d, w = dz[:n*h], gw[:h], gb[:h], a[:n*h], d[:n], w[:h]
	if mlp2Asm(h) {
		tanhOutBackArch(dz, gw, gb, a, d, w, n, h)
		return
	}
	tanhOutBackGeneric(dz, gw, gb, a, d, w, n, h)
}

// tanhInBack back-propagates through the first tanh layer (outputs a,
// n×h) of a one-input network with inputs x, given the gradients dz with
// respect to a: dz[p,:] ⊙= 1 − a[p,:]², and the layer's weight and bias
// gradients gw = Σ_p x[p]·dz[p,:], gb = Σ_p dz[p,:], summed from p = 0 up.
func tanhInBack(dz, gw, gb, a, x []float32, n, h int) {
	dz, gw, gb, a, x = dz[:n*h], gw[:h], gb[:h], a[:n*h], x[:n]
	if mlp2Asm(h) {
		tanhInBackArch(dz, gw, gb, a, x, n, h)
		return
	}
	tanhInBackGeneric(dz, gw, gb, a, x, n, h)
}

func tanhOutBackGeneric(dz, gw, gb, a, d, w []float32, n, h int) {
	clear(gw)
	clear(gb)
	for p := range n {
		dp := d[p]
		ap, zp := a[p*h:p*h+h], dz[p*h:p*h+h]
		for i, v := range ap {
			gw[i] += dp * v
			z := dp * w[i] * (1 - v*v)
			zp[i] = z
			gb[i] += z
		}
	}
}

func tanhInBackGeneric(dz, gw, gb, a, x []float32, n, h int) {
	clear(gw)
	clear(gb)
	for p := range n {
		xp := x[p]
		ap, zp := a[p*h:p*h+h], dz[p*h:p*h+h]
		for i, v := range ap {
			z := zp[i] * (1 - v*v)
			zp[i] = z
			gw[i] += xp * z
			gb[i] += z
		}
	}
}

// paramsFromTheta writes dst[i] = float32(θ[i]) and returns Σ θ[i]² in
// float64: eight partial sums (lane i%8, from the left) added as a tree,
// then the last len(θ)%8 squares in order.
func paramsFromTheta(dst []float32, theta []float64) float64 {
	dst = dst[:len(theta)]
	m := len(theta) &^ 7
	s := cvtParamsArch(dst[:m], theta[:m])
	for i := m; i < len(theta); i++ {
		dst[i] = float32(theta[i])
		s += theta[i] * theta[i]
	}
	return s
}

// gradFromLoss writes grad[i] = −float64(g[i]) − θ[i]·c: the log density's
// gradient from the float32 loss gradient g and a N(0, 1/c) prior.
func gradFromLoss(grad []float64, g []float32, theta []float64, c float64) {
	g, theta = g[:len(grad)], theta[:len(grad)]
	m := len(grad) &^ 7
	gradOutArch(grad[:m], g[:m], theta[:m], c)
	gradOutGeneric(grad[m:], g[m:], theta[m:], c)
}

func cvtParamsGeneric(dst []float32, src []float64) float64 {
	var s [8]float64
	for i, v := range src {
		dst[i] = float32(v)
		s[i%8] += float64(v * v) // the conversion keeps the product unfused, as the assembly
	}
	for width := 4; width > 0; width /= 2 {
		for i := range width {
			s[i] += s[i+width]
		}
	}
	return s[0]
}

func gradOutGeneric(grad []float64, g []float32, theta []float64, c float64) {
	for i := range grad {
		grad[i] = -float64(g[i]) - float64(theta[i]*c) // unfused, as the assembly
	}
}

// transpose writes the cols×rows transpose of the row-major rows×cols
// matrix src into dst.
func transpose(dst, src []float32, rows, cols int) {
	dst, src = dst[:rows*cols], src[:rows*cols]
	if rows%8 == 0 && cols%8 == 0 && transposeArch(dst, src, rows, cols) {
		return
	}
	transposeGeneric(dst, src, rows, cols)
}

func transposeGeneric(dst, src []float32, rows, cols int) {
	for k := range cols {
		col := dst[k*rows : k*rows+rows]
		for j := range col {
			col[j] = src[j*cols+k]
		}
	}
}
