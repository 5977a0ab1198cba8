package bnn

import (
	"math"
	"runtime"
	"testing"
)

// TestBBBPredictParallelDeterministic checks that a prediction large enough
// to be spread over the CPUs gives the same bits at any GOMAXPROCS, that it
// is the serial result, and that a row's draws do not depend on the other
// rows (the row blocking of bbbPredictor.draw).
func TestBBBPredictParallelDeterministic(t *testing.T) {
	m, err := NewBayesianMLP(NotebookBNNConfig())
	if err != nil {
		t.Fatal(err)
	}
	const n, samples = 157, 24 // 157 rows: three full row blocks and a partial one
	if n*samples*m.nw < bbbPredictParallelMin {
		t.Fatalf("%d×%d×%d is below the parallel threshold", n, samples, m.nw)
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = -2 + 4*float64(i)/(n-1)
	}
	run := func(procs int) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		dst := make([]float64, samples*n)
		if err := m.SampleFunctionsTo(dst, x, samples, 9); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	want := run(1)
	for _, procs := range []int{2, 3, 8} {
		for i, v := range run(procs) {
			if math.Float64bits(v) != math.Float64bits(want[i]) {
				t.Fatalf("GOMAXPROCS %d: draw %d row %d = %v, want %v", procs, i/n, i%n, v, want[i])
			}
		}
	}
	// The same draws row by row, serially (below the threshold).
	one := make([]float64, samples)
	for r := range n {
		if err := m.SampleFunctionsTo(one, x[r:r+1], samples, 9); err != nil {
			t.Fatal(err)
		}
		for s, v := range one {
			if math.Float64bits(v) != math.Float64bits(want[s*n+r]) {
				t.Fatalf("row %d alone: draw %d = %v, in the batch %v", r, s, v, want[s*n+r])
			}
		}
	}
	// A draw reproduces, and different draws differ.
	var same int
	for r := range n {
		if want[r] == want[n+r] {
			same++
		}
	}
	if same > n/10 {
		t.Fatalf("draws 0 and 1 agree at %d of %d rows", same, n)
	}
}

// TestBBBPredictZeroAllocsPerDraw checks that a predictive draw over several
// row blocks allocates nothing.
func TestBBBPredictZeroAllocsPerDraw(t *testing.T) {
	m, _ := NewBayesianMLP(NotebookBNNConfig())
	const n = 3*bbbPredictRows + 5
	p := m.newBBBPredictor(n)
	sigma, dsig := make([]float32, m.nw), make([]float32, m.nw)
	bbbSoftplusSlice(sigma, dsig, m.params[m.nw:2*m.nw])
	x32, dst := make([]float32, n), make([]float32, n)
	for i := range x32 {
		x32[i] = float32(i) / n
	}
	if a := testing.AllocsPerRun(20, func() { p.draw(m, sigma, x32, dst, 1, 2) }); a != 0 {
		t.Errorf("%v allocations per predictive draw", a)
	}
}

// TestBBBPredictAllocsPerCall checks that a prediction's allocations do not
// grow with the number of draws: the buffers come from a pool, and what is
// left (the worker loop's bookkeeping) is a fixed few per call.
func TestBBBPredictAllocsPerCall(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops buffers at random")
	}
	m, err := NewBayesianMLP(NotebookBNNConfig())
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i) / n
	}
	mean, epi, tot := make([]float64, n), make([]float64, n), make([]float64, n)
	allocs := func(samples int) float64 {
		return testing.AllocsPerRun(10, func() {
			if err := m.PredictiveTo(mean, epi, tot, x, samples, 3); err != nil {
				t.Fatal(err)
			}
		})
	}
	few, many := allocs(4), allocs(4*bbbPredictChunk*8)
	if many > few || many > 16 {
		t.Errorf("%v allocations per call with %d draws, %v with 4", many, 4*bbbPredictChunk*8, few)
	}
}

// TestDrawMeanVar checks drawMeanVar bit for bit against the plain sums, one
// draw at a time in draw order, for draw counts with and without a remainder
// of four.
func TestDrawMeanVar(t *testing.T) {
	const n = 5
	for _, samples := range []int{1, 3, 4, 7, 300} {
		out := make([]float32, samples*n)
		g := newGaussRNG(3, uint64(samples))
		g.fillGeneric(out)
		for i := range out {
			out[i] = 10 + out[i]*float32(1+i%n) // row i%n: mean ≈ 10, std 1+i%n
		}
		mean, vr := make([]float64, n), make([]float64, n)
		drawMeanVar(mean, vr, out, samples)
		for i := range n {
			var s float64
			for k := range samples {
				s += float64(out[k*n+i])
			}
			s /= float64(samples)
			var v float64
			for k := range samples {
				e := float64(out[k*n+i]) - s
				v += e * e
			}
			if math.Float64bits(mean[i]) != math.Float64bits(s) || math.Float64bits(vr[i]) != math.Float64bits(v) {
				t.Fatalf("%d draws, row %d: mean %v vr %v, want %v %v", samples, i, mean[i], vr[i], s, v)
			}
		}
	}
}

// TestBBBPredictScratchSurvivesGC checks that a garbage collection between
// two predictions does not make the second allocate its buffers again (the
// pool's contents go at each collection; bbbPredictKeep's stay).
func TestBBBPredictScratchSurvivesGC(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops buffers at random")
	}
	m, err := NewBayesianMLP(NotebookBNNConfig())
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i) / n
	}
	mean, tot := make([]float64, n), make([]float64, n)
	predict := func() {
		if err := m.PredictiveTo(mean, nil, tot, x, 40, 3); err != nil {
			t.Fatal(err)
		}
	}
	steady := testing.AllocsPerRun(5, predict)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	afterGC := testing.AllocsPerRun(5, func() { runtime.GC(); predict() })
	runtime.ReadMemStats(&after)
	if afterGC > steady+1 {
		t.Errorf("%v allocations per call after a collection, %v without", afterGC, steady)
	}
	if b := (after.TotalAlloc - before.TotalAlloc) / 6; b > 16<<10 {
		t.Errorf("%d bytes allocated per call after a collection, want the buffers kept (%d outputs)", b, 40*n)
	}
}
