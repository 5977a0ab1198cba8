package bnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MLPConfig describes a multilayer perceptron: Inputs features, dense hidden
// layers of the given widths each followed by Activation and (when Dropout > 0)
// inverted dropout, and a linear output layer of Outputs units. A zero field
// means its documented default, as in log/slog: no hidden layers, one
// output, Tanh and no dropout. Inputs is the one exception: it is the
// data's width, not a setting, so it has no default and must be ≥ 1.
type MLPConfig struct {
	Inputs     int        // features per input row (≥ 1; required)
	Hidden     []int      // hidden-layer widths, input side first (each ≥ 1; nil: none, a linear model)
	Outputs    int        // output units (≥ 1; 0: 1, a scalar regressor)
	Activation Activation // nonlinearity after every hidden layer (zero value: Tanh)
	// Dropout is the probability of zeroing each hidden unit's output during
	// training and Monte-Carlo prediction; kept units are scaled by 1/(1−p)
	// (PyTorch's nn.Dropout). It must lie in [0, 1); the default 0 is none.
	Dropout float64
}

// withDefaults returns c with a zero Outputs replaced by its default, 1.
func (c MLPConfig) withDefaults() MLPConfig {
	if c.Outputs == 0 {
		c.Outputs = 1
	}
	return c
}

func (c MLPConfig) validate() error {
	if c.Inputs <= 0 {
		return fmt.Errorf("bnn: mlp: Inputs = %d: %w", c.Inputs, ErrInvalidParameter)
	}
	if c.Outputs <= 0 {
		return fmt.Errorf("bnn: mlp: Outputs = %d: %w", c.Outputs, ErrInvalidParameter)
	}
	for i, h := range c.Hidden {
		if h <= 0 {
			return fmt.Errorf("bnn: mlp: hidden layer %d has width %d: %w", i, h, ErrInvalidParameter)
		}
	}
	if !c.Activation.valid() {
		return fmt.Errorf("bnn: mlp: %v: %w", c.Activation, ErrInvalidParameter)
	}
	// The network keeps p in float32: a p just below 1 would round to 1 and
	// scale the kept units by 1/(1−p) = +Inf.
	if !(c.Dropout >= 0 && float32(c.Dropout) < 1) {
		return fmt.Errorf("bnn: mlp: dropout probability %v outside [0, 1) in float32: %w", c.Dropout, ErrInvalidParameter)
	}
	sizes := append(append([]int{c.Inputs}, c.Hidden...), c.Outputs)
	if _, ok := denseParamCount(sizes, mlpMaxParams); !ok {
		return fmt.Errorf("bnn: mlp: widths %v need more than %d parameters: %w", sizes, mlpMaxParams, ErrInvalidParameter)
	}
	return nil
}

// denseParamCount returns the number of weights and biases of dense layers
// of the given (positive) widths, and false if it would exceed limit; the
// check cannot overflow an int.
func denseParamCount(sizes []int, limit int) (int, bool) {
	total := 0
	for l := 0; l+1 < len(sizes); l++ {
		fin, fout := sizes[l], sizes[l+1]
		if fin > (limit-total)/fout-1 {
			return 0, false
		}
		total += fin*fout + fout
	}
	return total, true
}

// mlpMaxParams bounds the parameter count of an MLP (8 GiB of float32; it
// fits a 32-bit int), so that widths from caller data fail with an error
// rather than overflowing the count or exhausting memory in one allocation.
const mlpMaxParams = math.MaxInt32

// MLP is a float32 multilayer perceptron. All weights and biases live in one
// flat slice (Params), layer by layer: the weights of layer l as a row-major
// fan_in×fan_out matrix, then its biases, so an Optimizer can update the
// whole network in one Step.
type MLP struct {
	sizes   []int // layer widths: sizes[0] inputs, …, sizes[L] outputs
	act     Activation
	dropout float32
	params  []float32
	w, b    [][]float32 // per-layer views into params
}

// NewMLP returns a network with PyTorch's default nn.Linear initialisation:
// every weight and bias of a layer with fan-in k drawn from U(−1/√k, 1/√k)
// using rng. Zero fields of cfg mean their defaults (see MLPConfig). It
// returns ErrInvalidParameter for a non-positive input count or hidden width,
// a negative output count, an unknown activation or a dropout probability
// outside [0, 1).
func NewMLP(cfg MLPConfig, rng *rand.Rand) (*MLP, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	m := newMLPShape(cfg)
	for l := range m.w {
		bound := float32(1 / math.Sqrt(float64(m.sizes[l])))
		for i := range m.w[l] {
			m.w[l][i] = bound * (2*rng.Float32() - 1)
		}
		for i := range m.b[l] {
			m.b[l][i] = bound * (2*rng.Float32() - 1)
		}
	}
	return m, nil
}

// newMLPShape allocates a zero network for a validated configuration.
func newMLPShape(cfg MLPConfig) *MLP {
	sizes := make([]int, 0, len(cfg.Hidden)+2)
	sizes = append(sizes, cfg.Inputs)
	sizes = append(sizes, cfg.Hidden...)
	sizes = append(sizes, cfg.Outputs)
	m := &MLP{sizes: sizes, act: cfg.Activation, dropout: float32(cfg.Dropout)}
	m.params = make([]float32, mlpParamCount(sizes))
	m.w, m.b = mlpViews(sizes, m.params)
	return m
}

func mlpParamCount(sizes []int) int {
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		n += sizes[l]*sizes[l+1] + sizes[l+1]
	}
	return n
}

// mlpViews cuts flat (laid out as in MLP.Params) into per-layer weight and bias views.
func mlpViews(sizes []int, flat []float32) (w, b [][]float32) {
	layers := len(sizes) - 1
	w, b = make([][]float32, layers), make([][]float32, layers)
	off := 0
	for l := range layers {
		nw := sizes[l] * sizes[l+1]
		w[l] = flat[off : off+nw : off+nw]
		off += nw
		b[l] = flat[off : off+sizes[l+1] : off+sizes[l+1]]
		off += sizes[l+1]
	}
	return w, b
}

// Params returns the network's parameters as one flat slice (not a copy).
func (m *MLP) Params() []float32 { return m.params }

// NumParams returns the number of weights and biases.
func (m *MLP) NumParams() int { return len(m.params) }

// Config returns the configuration the network was built from.
func (m *MLP) Config() MLPConfig {
	return MLPConfig{
		Inputs:     m.sizes[0],
		Hidden:     append([]int(nil), m.sizes[1:len(m.sizes)-1]...),
		Outputs:    m.sizes[len(m.sizes)-1],
		Activation: m.act,
		Dropout:    float64(m.dropout),
	}
}

// mlpWork holds every buffer one forward/backward pass needs for up to cap
// rows, so that passes allocate nothing. y[l], h[l], mask[l] and delta[l]
// belong to hidden layer l (1 ≤ l < L): y is the activation output, h the
// same after dropout (aliasing y when dropout is off), mask the dropout
// multipliers and delta the gradient with respect to h, then to the
// pre-activation. out and dout hold the output layer and its gradient.
type mlpWork struct {
	cap      int
	x        []float32 // the input of the last forward pass
	y, h     [][]float32
	mask     [][]float32
	delta    [][]float32
	out      []float32
	dout     []float32
	grad     []float32
	gw, gb   [][]float32
	ones     []float32 // cap ones: the row weights of the bias gradients
	rng      gaussRNG  // uniform bits for the dropout masks
	dropping bool      // whether the last forward pass applied dropout
}

func newMLPWork(m *MLP, capRows int, rng gaussRNG) *mlpWork {
	L := len(m.sizes) - 1
	wk := &mlpWork{cap: capRows, rng: rng}
	wk.y = make([][]float32, L)
	wk.h = make([][]float32, L)
	wk.mask = make([][]float32, L)
	wk.delta = make([][]float32, L)
	for l := 1; l < L; l++ {
		wk.y[l] = make([]float32, capRows*m.sizes[l])
		wk.h[l] = wk.y[l]
		if m.dropout > 0 {
			wk.h[l] = make([]float32, capRows*m.sizes[l])
			wk.mask[l] = make([]float32, capRows*m.sizes[l])
		}
		wk.delta[l] = make([]float32, capRows*m.sizes[l])
	}
	wk.out = make([]float32, capRows*m.sizes[L])
	wk.dout = make([]float32, capRows*m.sizes[L])
	wk.grad = make([]float32, len(m.params))
	wk.ones = make([]float32, capRows)
	for i := range wk.ones {
		wk.ones[i] = 1
	}
	wk.gw, wk.gb = mlpViews(m.sizes, wk.grad)
	return wk
}

// forward evaluates the network on the n rows of x (n ≤ wk.cap) and returns
// the n×outputs result (a view into wk). With dropout set and a positive
// dropout probability, fresh masks are drawn from wk.rng.
func (m *MLP) forward(wk *mlpWork, x []float32, n int, dropout bool) []float32 {
	L := len(m.sizes) - 1
	wk.x = x
	wk.dropping = dropout && m.dropout > 0
	in := x
	for l := range L {
		fin, fout := m.sizes[l], m.sizes[l+1]
		var z []float32
		if l == L-1 {
			z = wk.out[:n*fout]
		} else {
			z = wk.y[l+1][:n*fout]
		}
		denseForward(z, in, m.w[l], n, fin, fout)
		if l == L-1 {
			addBias(z, m.b[l], fout)
			return z
		}
		m.act.biasForward(z, m.b[l])
		if wk.dropping {
			h := wk.h[l+1][:n*fout]
			dropoutMask(h, wk.mask[l+1][:n*fout], z, m.dropout, &wk.rng)
			z = h
		}
		in = z
	}
	panic("unreachable")
}

// dropoutMask draws inverted-dropout multipliers (0 with probability p, else
// 1/(1−p)) into mask and writes h = y·mask. Each element compares 32 random
// bits with p·2³² (two elements per 64-bit draw, low half first); the draws
// are made in chunks and turned into multipliers by the dropoutKeep kernel.
func dropoutMask(h, mask, y []float32, p float32, rng *gaussRNG) {
	thr := uint32(math.Min(float64(p)*(1<<32), math.MaxUint32))
	scale := 1 / (1 - p)
	mask = mask[:len(y)]
	h = h[:len(y)]
	var bits [dropoutChunk / 2]uint64
	g := *rng // a local copy stays in a register
	for s := 0; s < len(y); s += dropoutChunk {
		e := min(s+dropoutChunk, len(y))
		b := bits[:(e-s+1)/2]
		for i := range b {
			b[i] = g.uint64()
		}
		dropoutKeep(h[s:e], mask[s:e], y[s:e], b, thr, scale)
	}
	*rng = g
}

// dropoutChunk is the number of elements dropoutMask draws bits for at a time.
const dropoutChunk = 512

// backward back-propagates the output gradient in wk.dout (n×outputs, for
// the last forward pass over n rows) and overwrites wk.grad with the
// gradient of the loss with respect to Params.
func (m *MLP) backward(wk *mlpWork, n int) {
	L := len(m.sizes) - 1
	dz := wk.dout[:n*m.sizes[L]]
	for l := L - 1; l >= 0; l-- {
		fin, fout := m.sizes[l], m.sizes[l+1]
		in := wk.x
		if l > 0 {
			in = wk.h[l][:n*fin]
		}
		denseWeightGrad(wk.gw[l], wk.gb[l], in, dz, wk.ones[:n], fin, fout)
		if l == 0 {
			return
		}
		dh := wk.delta[l][:n*fin]
		denseInputGrad(dh, dz, m.w[l], n, fin, fout)
		switch {
		case wk.dropping && m.act == Tanh:
			tanhGradMasked(dh, wk.y[l][:n*fin], wk.mask[l][:n*fin])
		case wk.dropping:
			mulInPlace(dh, wk.mask[l][:n*fin])
			m.act.backward(dh, wk.y[l][:n*fin])
		default:
			m.act.backward(dh, wk.y[l][:n*fin])
		}
		dz = dh
	}
}

func mulInPlace(a, b []float32) {
	b = b[:len(a)]
	for i := range a {
		a[i] *= b[i]
	}
}

// denseForward computes z = in·w for n rows (in n×fin, w fin×fout). The
// one-input and one-output layers of small regression nets skip the
// general matrix product and its packing.
func denseForward(z, in, w []float32, n, fin, fout int) {
	switch {
	case fin == 1:
		outer(z, in[:n], w[:fout])
	case fout == 1:
		for r := range z[:n] {
			z[r] = sdot(in[r*fin:(r+1)*fin], w)
		}
	default:
		sgemm(false, false, n, fout, fin, 1, in, fin, w, fout, 0, z, fout)
	}
}

// denseWeightGrad overwrites gw = inᵀ·dz and gb = column sums of dz for the
// n = len(ones) rows.
func denseWeightGrad(gw, gb, in, dz, ones []float32, fin, fout int) {
	n := len(ones)
	colDot(gb, dz, ones, fout)
	switch {
	case fin == 1:
		colDot(gw, dz, in[:n], fout)
	case fout == 1:
		colDot(gw, in, dz[:n], fin)
	default:
		sgemm(true, false, fin, fout, n, 1, in, fin, dz, fout, 0, gw, fout)
	}
}

// denseInputGrad overwrites dh = dz·wᵀ for n rows.
func denseInputGrad(dh, dz, w []float32, n, fin, fout int) {
	if fout == 1 {
		outer(dh, dz[:n], w[:fin])
		return
	}
	sgemm(false, true, n, fin, fout, 1, dz, fout, w, fout, 0, dh, fin)
}
