package bnn

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// bbbPredictSalt separates the predictive draws' streams from training's;
// bbbPredictSideSalt gives each draw's side stream (gaussRNG.fillSide).
const (
	bbbPredictSalt     = 0x7072656469637421
	bbbPredictSideSalt = 0x736c6f7770617468
)

// PredictiveTo writes, for each row of x (row-major, n·InputDim() values), the
// predictive mean, the epistemic std (the unbiased spread of the network
// output over samples weight draws; 0 for one draw) and the total std
// √(epistemic² + NoiseStd²), all in target units (a stored standardisation
// is applied and undone), into mean, epiStd and totStd (each of length n;
// epiStd and totStd may be nil). Draw s uses a random stream derived from
// (seed, s), and the draws run in parallel, so the result is the same at any
// GOMAXPROCS. Its buffers are reused from earlier calls: a call allocates a
// fixed few small objects (the worker loop's), none per draw or row. It
// returns ErrShape for inconsistent lengths, ErrEmpty for no
// rows, ErrNonFinite naming the row for NaN/±Inf features and
// ErrInvalidParameter for samples < 1.
func (m *BayesianMLP) PredictiveTo(mean, epiStd, totStd, x []float64, samples int, seed uint64) error {
	n := len(mean)
	if (epiStd != nil && len(epiStd) != n) || (totStd != nil && len(totStd) != n) {
		return fmt.Errorf("bnn: bnn predictive: %d means, %d epistemic and %d total stds: %w", n, len(epiStd), len(totStd), ErrShape)
	}
	sc := getBBBPredictScratch()
	defer putBBBPredictScratch(sc)
	out, err := m.sampleOutputs(sc, x, n, samples, seed)
	if err != nil {
		return err
	}
	sc.vr = growSlice(sc.vr, n)
	vr := sc.vr
	drawMeanVar(mean, vr, out[:samples*n], samples)
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
	sc := getBBBPredictScratch()
	defer putBBBPredictScratch(sc)
	out, err := m.sampleOutputs(sc, x, n, samples, seed)
	if err != nil {
		return err
	}
	ym, ys := m.targetScale()
	for i, v := range out {
		dst[i] = ym + ys*float64(v)
	}
	return nil
}

// drawMeanVar writes to mean the mean over the samples draws (out, row-major
// samples×n with n = len(mean)) of each row, and to vr the sum of squared
// deviations from it, summing in draw order: two passes over the draws,
// each walking out draw by draw (sequential accesses) and adding four draws
// at a time to a row's sum in a register, the same additions in the same
// order as one draw at a time.
func drawMeanVar(mean, vr []float64, out []float32, samples int) {
	n := len(mean)
	vr = vr[:n]
	row := func(k int) []float32 { return out[k*n : (k+1)*n : (k+1)*n] }
	clear(mean)
	k := 0
	for ; k+4 <= samples; k += 4 {
		a, b, c, d := row(k), row(k+1), row(k+2), row(k+3)
		a, b, c, d = a[:n], b[:n], c[:n], d[:n]
		for i := range mean {
			s := mean[i]
			s += float64(a[i])
			s += float64(b[i])
			s += float64(c[i])
			s += float64(d[i])
			mean[i] = s
		}
	}
	for ; k < samples; k++ {
		for i, v := range row(k) {
			mean[i] += float64(v)
		}
	}
	for i := range mean {
		mean[i] /= float64(samples)
	}
	clear(vr)
	k = 0
	for ; k+4 <= samples; k += 4 {
		a, b, c, d := row(k), row(k+1), row(k+2), row(k+3)
		a, b, c, d = a[:n], b[:n], c[:n], d[:n]
		for i, mu := range mean {
			s := vr[i]
			e := float64(a[i]) - mu
			s += e * e
			e = float64(b[i]) - mu
			s += e * e
			e = float64(c[i]) - mu
			s += e * e
			e = float64(d[i]) - mu
			s += e * e
			vr[i] = s
		}
	}
	for ; k < samples; k++ {
		for i, v := range row(k) {
			e := float64(v) - mean[i]
			vr[i] += e * e
		}
	}
}

// sampleOutputs checks x (n rows) and returns the network outputs of samples
// weight draws, row-major samples×n, in sc.out (sc's buffers are reused).
func (m *BayesianMLP) sampleOutputs(sc *bbbPredictScratch, x []float64, n, samples int, seed uint64) ([]float32, error) {
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
	sc.x32 = growSlice(sc.x32, len(x))
	x32 := sc.x32
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
	sc.sigma, sc.dsig = growSlice(sc.sigma, nw), growSlice(sc.dsig, nw)
	sigma := sc.sigma
	bbbSoftplusSlice(sigma, sc.dsig, m.params[nw:2*nw])
	sc.out = growSlice(sc.out, samples*n)
	out := sc.out
	chunks := (samples + bbbPredictChunk - 1) / bbbPredictChunk
	workers := 1
	if n*samples*m.nw >= bbbPredictParallelMin {
		workers = parallelWorkers(0, chunks)
	}
	for len(sc.preds) < workers {
		sc.preds = append(sc.preds, nil)
	}
	for w := range workers {
		sc.preds[w] = m.reuseBBBPredictor(sc.preds[w], n)
	}
	_ = parallelFor(context.Background(), chunks, workers, func(w, c int) error {
		p := sc.preds[w]
		for s := c * bbbPredictChunk; s < min(samples, (c+1)*bbbPredictChunk); s++ {
			p.draw(m, sigma, x32, out[s*n:(s+1)*n], seed, s)
		}
		return nil
	})
	return out, nil
}

// bbbPredictParallelMin is the work (rows × draws × weights) from which a
// prediction is spread over the CPUs: below it, starting goroutines costs
// more than it saves.
const bbbPredictParallelMin = 1 << 20

// bbbPredictChunk is the number of draws a worker claims at a time: small
// enough that the CPUs finish together (the last chunk, ≈ 50 µs for the
// seed's network, is all one CPU can be left waiting for; the seed's 300
// draws are 150 chunks), large enough that claiming (one atomic add) costs
// nothing next to it. Each draw's random stream depends only on its index,
// so the split cannot change the result.
const bbbPredictChunk = 2

// bbbPredictScratch holds the buffers of one prediction call: the inputs in
// float32, σ = softplus(ρ) (and its unused derivative), the outputs of
// every draw and each worker's predictor. Calls take one from bbbPredictPool
// and put it back, so a repeated prediction of the same size allocates
// nothing in steady state.
type bbbPredictScratch struct {
	x32, sigma, dsig, out []float32
	vr                    []float64
	preds                 []*bbbPredictor
}

var bbbPredictPool = sync.Pool{New: func() any { return new(bbbPredictScratch) }}

// bbbPredictKeep holds up to two scratches that a garbage collection does
// not free (sync.Pool drops its contents at every collection, and a
// prediction of the seed's size would then allocate and zero 0.4 MB again):
// calls take from it first and return to it first, when the scratch's draw
// outputs are at most bbbPredictKeepMax values.
var bbbPredictKeep [2]atomic.Pointer[bbbPredictScratch]

// bbbPredictKeepMax bounds the memory bbbPredictKeep holds: 2²⁰ outputs, 4 MiB.
const bbbPredictKeepMax = 1 << 20

func getBBBPredictScratch() *bbbPredictScratch {
	for i := range bbbPredictKeep {
		if sc := bbbPredictKeep[i].Swap(nil); sc != nil {
			return sc
		}
	}
	return bbbPredictPool.Get().(*bbbPredictScratch)
}

// putBBBPredictScratch returns sc for a later call.
func putBBBPredictScratch(sc *bbbPredictScratch) {
	if cap(sc.out) <= bbbPredictKeepMax {
		for i := range bbbPredictKeep {
			if bbbPredictKeep[i].CompareAndSwap(nil, sc) {
				return
			}
		}
	}
	bbbPredictPool.Put(sc)
}

// growSlice returns s resliced to length n, or a new slice if its capacity
// is smaller.
func growSlice[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// bbbPredictor is one goroutine's scratch for predictive draws.
type bbbPredictor struct {
	eps, w []float32
	slow   []int32   // the Gaussian fill's slow lanes (gaussRNG.fillSide)
	a, b   []float32 // bbbPredictRows × maxWidth ping-pong activations
	fused  bool      // m has the fused pass's shape (bbb_fused.go)
	s      [bbbFusedScratch]float32
	tail   [2 * bbbFusedRows]float32
}

// bbbPredictRows is the row block of a predictive draw: the activations of
// so many rows (two of them, 64 wide) and a 64×64 weight matrix stay in the
// L1 cache through the layers. It is a multiple of the matrix kernels' 6- and
// 8-row tiles.
const bbbPredictRows = 48

func (m *BayesianMLP) newBBBPredictor(n int) *bbbPredictor { return m.reuseBBBPredictor(nil, n) }

// reuseBBBPredictor returns a predictor for m and n rows, reusing p's
// buffers where they are large enough (p may be nil).
func (m *BayesianMLP) reuseBBBPredictor(p *bbbPredictor, n int) *bbbPredictor {
	if p == nil {
		p = new(bbbPredictor)
	}
	mw := m.maxWidth() * min(n, bbbPredictRows)
	p.eps, p.w = growSlice(p.eps, m.nw), growSlice(p.w, m.nw)
	p.slow = growSlice(p.slow, m.nw+16)
	p.a, p.b = growSlice(p.a, mw), growSlice(p.b, mw)
	p.fused = m.fusedShape()
	return p
}

// draw samples weights from stream s of seed (and its side stream for the
// Gaussian fill's slow path) and writes the network output at
// the len(dst) rows of x to dst: through the fused pass (bbb_fused.go) where
// the network's shape and the kernel path have one, which gives the same
// bits, and otherwise layer by layer, bbbPredictRows rows at a time (each
// row's output is the same whatever the blocking). It allocates nothing.
func (p *bbbPredictor) draw(m *BayesianMLP, sigma, x, dst []float32, seed uint64, s int) {
	g := newGaussRNG(seed^bbbPredictSalt, uint64(s))
	side := newGaussRNG(seed^bbbPredictSideSalt, uint64(s))
	g.fillSide(p.eps, &side, p.slow)
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
