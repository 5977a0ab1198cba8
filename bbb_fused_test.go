package bnn

import (
	"math"
	"testing"
)

// fusedTestNet returns a 1-64-64-1 tanh network with weight means spread
// enough that the tanh arguments cover its range, and weights drawn from it.
func fusedTestNet(t testing.TB, seed uint64) (*BayesianMLP, []float32) {
	t.Helper()
	cfg := NotebookBNNConfig()
	cfg.Seed = seed
	cfg.InitScale = 0.4
	m, err := NewBayesianMLP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !m.fusedShape() {
		t.Fatalf("NotebookBNNConfig is not the fused shape: %+v", m.Layers)
	}
	g := newGaussRNG(seed, 7)
	w := make([]float32, m.nw)
	g.fill(w)
	for i := range w {
		w[i] = w[i]*0.3 + m.params[i]
	}
	return m, w
}

// fusedTestInputs returns n inputs on [−3, 3] with a few exact zeros and
// large values.
func fusedTestInputs(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(-3 + 6*float64(i)/float64(max(1, n-1)))
	}
	if n > 5 {
		x[1], x[3], x[5] = 0, 40, -1e-30
	}
	return x
}

// TestFusedForwardReference checks the fused pass on every kernel path that
// has one, and its generic twin, against the float64 reference (independent
// of both), within a bound set by float32 rounding through two tanh layers,
// and requires that the error is not zero (the float32 pass really ran).
func TestFusedForwardReference(t *testing.T) {
	for seed := range uint64(4) {
		m, w := fusedTestNet(t, seed)
		for _, n := range []int{1, 5, 6, 7, 300} {
			x := fusedTestInputs(n)
			ref := bbbForward64Ref(w, x)
			got := make([]float32, n)
			bbbForward64Generic(w, x, got)
			check := func(name string, got []float32) {
				var worst float64
				for r, v := range got {
					scale := 1.0 // |out| ≲ Σ|w3| ~ a few; errors scale with it
					for _, wj := range w[4352-64 : 4352] {
						scale += math.Abs(float64(wj))
					}
					e := math.Abs(float64(v)-ref[r]) / scale
					if !(e <= 2e-6) {
						t.Fatalf("%s seed %d n %d row %d: %g, float64 reference %g (error %.3g of the scale)", name, seed, n, r, v, ref[r], e)
					}
					worst = max(worst, e)
				}
				if n == 300 && worst == 0 {
					t.Errorf("%s seed %d: bit-exact with the float64 reference: the test cannot see rounding", name, seed)
				}
			}
			check("generic", got)
			for _, path := range availableKernelPaths() {
				p := &bbbPredictor{}
				var s [bbbFusedScratch]float32
				out := make([]float32, n)
				if !forwardFused(path, w, x, out, s[:], &p.tail) {
					continue
				}
				check(kernelPathNames[path], out)
				for r := range out {
					if math.Float32bits(out[r]) != math.Float32bits(got[r]) {
						t.Fatalf("%s seed %d n %d row %d: %g, generic twin %g", kernelPathNames[path], seed, n, r, out[r], got[r])
					}
				}
			}
			_ = m
		}
	}
}

// TestFusedMatchesLayers checks that on each path the fused pass gives the
// layer-by-layer pass's outputs bit for bit (the same operations in the
// same order), so switching it on changes no prediction.
func TestFusedMatchesLayers(t *testing.T) {
	for _, path := range availableKernelPaths() {
		func() {
			defer setKernelPath(path)()
			m, w := fusedTestNet(t, 11)
			x := fusedTestInputs(300)
			// Specials: infinities and NaN saturate or propagate through
			// both tanh layers, and a huge weight sends layer 2 to ±1.
			x[7], x[8], x[9], x[10] = float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 3e38
			p := m.newBBBPredictor(len(x))
			copy(p.w, w)
			fused := make([]float32, len(x))
			if !forwardFused(path, p.w, x, fused, p.s[:], &p.tail) {
				return
			}
			layers := make([]float32, len(x))
			for r0 := 0; r0 < len(x); r0 += bbbPredictRows {
				r1 := min(len(x), r0+bbbPredictRows)
				p.forward(m, x[r0:r1], layers[r0:r1])
			}
			if v := fused[9]; v == v {
				t.Fatalf("%s: a NaN input gave %g", kernelPathNames[path], v)
			}
			for r := range fused {
				if math.Float32bits(fused[r]) != math.Float32bits(layers[r]) {
					t.Fatalf("%s row %d: fused %g, layer by layer %g", kernelPathNames[path], r, fused[r], layers[r])
				}
			}
		}()
	}
}

// BenchmarkBBBPredictDraw times the parts of one predictive draw of the
// seed's network on 300 rows on one goroutine: the weight draw (Gaussian
// fill with its side stream and μ + σ·ε), the layer-by-layer pass and the
// fused pass. It reports
// CPU µs per draw besides wall time, for a loaded machine.
func BenchmarkBBBPredictDraw(b *testing.B) {
	m, w := fusedTestNet(b, 3)
	x := fusedTestInputs(300)
	p := m.newBBBPredictor(len(x))
	copy(p.w, w)
	sigma, dsig := make([]float32, m.nw), make([]float32, m.nw)
	bbbSoftplusSlice(sigma, dsig, m.params[m.nw:2*m.nw])
	out := make([]float32, len(x))
	run := func(name string, f func()) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			c0 := processCPUSeconds()
			for b.Loop() {
				f()
			}
			b.ReportMetric((processCPUSeconds()-c0)/float64(b.N)*1e6, "cpu-µs/op")
		})
	}
	var stream uint64
	run("weights", func() {
		stream++ // a new stream each time, as the draws of a prediction
		g, side := newGaussRNG(1, stream), newGaussRNG(2, stream)
		g.fillSide(p.eps, &side, p.slow)
		reparam(p.w, m.params[:m.nw], sigma, p.eps)
	})
	copy(p.w, w)
	run("layers", func() {
		for r0 := 0; r0 < len(x); r0 += bbbPredictRows {
			r1 := min(len(x), r0+bbbPredictRows)
			p.forward(m, x[r0:r1], out[r0:r1])
		}
	})
	run("fused", func() { forwardFused(kernelPath, p.w, x, out, p.s[:], &p.tail) })
}

// bbbForward64Ref is the float64 reference of the fused pass for the tests:
// the network's output at each x with every operation in float64 (tanh from
// the math package), independent of both kernel paths.
func bbbForward64Ref(w []float32, x []float32) []float64 {
	const h = bbbFusedWidth
	w1, b1, w2, b2, w3, b3 := bbbFusedWeights(w)
	out := make([]float64, len(x))
	var h1, h2 [h]float64
	for r, xr := range x {
		for j := range h1 {
			h1[j] = math.Tanh(float64(xr)*float64(w1[j]) + float64(b1[j]))
		}
		s := float64(b3)
		for j := range h2 {
			z := float64(b2[j])
			for p, hp := range h1 {
				z += hp * float64(w2[p*h+j])
			}
			h2[j] = math.Tanh(z)
			s += h2[j] * float64(w3[j])
		}
		out[r] = s
	}
	return out
}
