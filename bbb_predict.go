package bnn

import (
	"context"
	"fmt"
	"math"
	"runtime"
)

// bbbPredictSalt separates the predictive draws' streams from training's.
const bbbPredictSalt = 0x7072656469637421

// PredictiveTo writes, for each row of x (row-major, n·InputDim() values), the
// predictive mean, the epistemic std (the unbiased spread of the network
// output over samples weight draws; 0 for one draw) and the total std
// √(epistemic² + NoiseStd²), all in target units (a stored standardisation
// is applied and undone), into mean, epiStd and totStd (each of length n;
// epiStd and totStd may be nil). Draw s uses a random stream derived from
// (seed, s), and the draws run in parallel, so the result is the same at any
// GOMAXPROCS. It returns ErrShape for inconsistent lengths, ErrEmpty for no
// rows, ErrNonFinite naming the row for NaN/±Inf features and
// ErrInvalidParameter for samples < 1.
func (m *BayesianMLP) PredictiveTo(mean, epiStd, totStd, x []float64, samples int, seed uint64) error {
	n := len(mean)
	if (epiStd != nil && len(epiStd) != n) || (totStd != nil && len(totStd) != n) {
		return fmt.Errorf("bnn: bnn predictive: %d means, %d epistemic and %d total stds: %w", n, len(epiStd), len(totStd), ErrShape)
	}
	out, err := m.sampleOutputs(x, n, samples, seed)
	if err != nil {
		return err
	}
	// Two passes over the draws, each walking out row by row (draw by draw)
	// so the accesses are sequential; mean holds the running sums.
	clear(mean)
	for k := range samples {
		for i, v := range out[k*n : (k+1)*n] {
			mean[i] += float64(v)
		}
	}
	for i := range mean {
		mean[i] /= float64(samples)
	}
	vr := make([]float64, n)
	for k := range samples {
		for i, v := range out[k*n : (k+1)*n] {
			d := float64(v) - mean[i]
			vr[i] += d * d
		}
	}
	ym, ys := m.targetScale()
	for i, v := range vr {
		if samples > 1 {
			v /= float64(samples - 1)
		}
		mean[i] = ym + ys*mean[i]
		v *= ys * ys
		if epiStd != nil {
			epiStd[i] = math.Sqrt(v)
		}
		if totStd != nil {
			// hypot, not √(v + σ²): a noise std below 1e-154 would
			// underflow when squared and give a zero predictive std.
			totStd[i] = math.Hypot(math.Sqrt(v), m.NoiseStd)
		}
	}
	return finiteOutputs(nil, mean, epiStd, totStd)
}

// PredictTo implements Regressor: the predictive mean and total std from
// PredictSamples draws seeded by Seed. It returns the errors of PredictiveTo.
func (m *BayesianMLP) PredictTo(mean, std, x []float64) error {
	if len(std) != len(mean) {
		return fmt.Errorf("bnn: bnn predict: %d means and %d stds: %w", len(mean), len(std), ErrShape)
	}
	return m.PredictiveTo(mean, nil, std, x, m.PredictSamples, m.Seed)
}

// SampleFunctionsTo writes samples whole noise-free function draws at the
// rows of x into dst (row-major samples×n: draw s at dst[s·n : (s+1)·n]), each
// from one weight sample, e.g. trajectories of a surrogate over a time grid.
// Draw s is the same as PredictiveTo's draw s for the same seed. It returns
// ErrShape if len(dst) is not a multiple of the row count, and the errors of
// PredictiveTo.
func (m *BayesianMLP) SampleFunctionsTo(dst, x []float64, samples int, seed uint64) error {
	in := m.InputDim()
	n := len(x) / in
	if samples < 1 || n == 0 || len(dst) != samples*n {
		if samples < 1 {
			return fmt.Errorf("bnn: bnn samples: %d samples: %w", samples, ErrInvalidParameter)
		}
		return fmt.Errorf("bnn: bnn samples: %d values for %d draws of %d rows: %w", len(dst), samples, n, ErrShape)
	}
	out, err := m.sampleOutputs(x, n, samples, seed)
	if err != nil {
		return err
	}
	ym, ys := m.targetScale()
	for i, v := range out {
		dst[i] = ym + ys*float64(v)
	}
	return nil
}

// sampleOutputs checks x (n rows) and returns the network outputs of samples
// weight draws, row-major samples×n.
func (m *BayesianMLP) sampleOutputs(x []float64, n, samples int, seed uint64) ([]float32, error) {
	in := m.InputDim()
	if samples < 1 {
		return nil, fmt.Errorf("bnn: bnn predictive: %d samples: %w", samples, ErrInvalidParameter)
	}
	if n == 0 {
		return nil, fmt.Errorf("bnn: bnn predictive: no rows: %w", ErrEmpty)
	}
	if len(x) != n*in {
		return nil, fmt.Errorf("bnn: bnn predictive: %d feature values for %d rows of %d: %w", len(x), n, in, ErrShape)
	}
	x32 := make([]float32, len(x))
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(float64(float32(v)), 0) {
			return nil, fmt.Errorf("bnn: bnn predictive: feature %d of row %d is %g: %w", i%in, i/in, v, ErrNonFinite)
		}
		x32[i] = float32(v)
	}
	if m.scale != nil {
		m.scale.inputs(x32, x)
	}
	nw := m.nw
	sigma, dsig := make([]float32, nw), make([]float32, nw)
	bbbSoftplusSlice(sigma, dsig, m.params[nw:2*nw])
	out := make([]float32, samples*n)
	bbbPredictParallel(samples, n*samples*m.nw >= bbbPredictParallelMin, func(first, stride int) {
		p := m.newBBBPredictor(n)
		for s := first; s < samples; s += stride {
			p.draw(m, sigma, x32, out[s*n:(s+1)*n], seed, s)
		}
	})
	return out, nil
}

// bbbPredictParallelMin is the work (rows × draws × weights) from which a
// prediction is spread over the CPUs: below it, starting goroutines costs
// more than it saves.
const bbbPredictParallelMin = 1 << 20

// bbbPredictParallel runs work(first, stride) for first = 0…w−1 with stride w
// on w = min(GOMAXPROCS, samples) goroutines and waits for them (w = 1, on
// the calling goroutine, unless parallel). Each draw's random stream depends
// only on its index, so the split cannot change the result.
func bbbPredictParallel(samples int, parallel bool, work func(first, stride int)) {
	w := min(runtime.GOMAXPROCS(0), samples)
	if !parallel || w <= 1 {
		work(0, 1)
		return
	}
	_ = parallelFor(context.Background(), w, w, func(_, first int) error {
		work(first, w)
		return nil
	})
}

// bbbPredictor is one goroutine's scratch for predictive draws.
type bbbPredictor struct {
	eps, w []float32
	a, b   []float32 // bbbPredictRows × maxWidth ping-pong activations
	fused  bool      // m has the fused pass's shape (bbb_fused.go)
	s      [bbbFusedRows * bbbFusedWidth]float32
	tail   [2 * bbbFusedRows]float32
}

// bbbPredictRows is the row block of a predictive draw: the activations of
// so many rows (two of them, 64 wide) and a 64×64 weight matrix stay in the
// L1 cache through the layers. It is a multiple of the matrix kernels' 6- and
// 8-row tiles.
const bbbPredictRows = 48

func (m *BayesianMLP) newBBBPredictor(n int) *bbbPredictor {
	mw := m.maxWidth() * min(n, bbbPredictRows)
	return &bbbPredictor{eps: make([]float32, m.nw), w: make([]float32, m.nw), a: make([]float32, mw), b: make([]float32, mw), fused: m.fusedShape()}
}

// draw samples weights from stream s of seed and writes the network output at
// the len(dst) rows of x to dst, bbbPredictRows rows at a time (each row's
// output is the same whatever the blocking). It allocates nothing.
func (p *bbbPredictor) draw(m *BayesianMLP, sigma, x, dst []float32, seed uint64, s int) {
	g := newGaussRNG(seed^bbbPredictSalt, uint64(s))
	g.fill(p.eps)
	reparam(p.w, m.params[:m.nw], sigma, p.eps)
	if p.fused && forwardFused(kernelPath, p.w, x, dst, p.s[:], &p.tail) {
		return
	}
	in := m.InputDim()
	for r0 := 0; r0 < len(dst); r0 += bbbPredictRows {
		r1 := min(len(dst), r0+bbbPredictRows)
		p.forward(m, x[r0*in:r1*in], dst[r0:r1])
	}
}

// forward writes the output of the network with weights p.w at the len(dst)
// rows of x to dst.
func (p *bbbPredictor) forward(m *BayesianMLP, x, dst []float32) {
	n := len(dst)
	a := x
	cur, next := p.a, p.b
	last := len(m.Layers) - 1
	for li, l := range m.Layers {
		nW := l.In * l.Out
		z := cur[:n*l.Out]
		bbbMul(n, l.Out, l.In, a, p.w[l.off:l.off+nW], z)
		act := m.Activation
		if li == last {
			act = Identity
		}
		act.biasForward(z, p.w[l.off+nW:l.off+nW+l.Out])
		a = z
		cur, next = next, cur
	}
	copy(dst, a)
}
