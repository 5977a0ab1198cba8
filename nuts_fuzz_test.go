package bnn

import (
	"context"
	"errors"
	"math"
	"testing"
)

// FuzzConstrained checks the transforms on arbitrary bounds and points:
// NewConstrained accepts or rejects with ErrInvalidParameter; an accepted
// transform maps any finite y into the support, back to y (where the
// support's floating-point resolution allows), and UnconstrainTo rejects
// points outside the support with a named error instead of producing NaN.
func FuzzConstrained(f *testing.F) {
	f.Add(0.0, 0.25, 1.5, 0.3, -0.7, uint8(3))
	f.Add(-1e300, 1e300, 40.0, 0.0, 0.0, uint8(2))
	f.Add(0.6, 1.6, -800.0, 1e-300, 2.0, uint8(5))
	f.Add(math.NaN(), 1.0, 0.0, 0.0, 0.0, uint8(1))
	f.Fuzz(func(t *testing.T, lo, hi, y0, y1, y2 float64, k uint8) {
		k = k%6 + 1
		tr, err := NewConstrained(Interval(lo, hi), LowerBound(lo), UpperBound(hi), Simplex(int(k)))
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("NewConstrained: %v", err)
			}
			return
		}
		y := make([]float64, tr.UnconstrainedDim())
		for i := range y {
			y[i] = []float64{y0, y1, y2}[i%3]
			if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
				y[i] = 0
			}
		}
		x := make([]float64, tr.Dim())
		lj, err := tr.ConstrainTo(x, y)
		if err != nil {
			t.Fatal(err)
		}
		if math.IsNaN(lj) {
			t.Fatalf("log-Jacobian NaN at y %v", y)
		}
		if !(x[0] >= lo && x[0] <= hi) || math.IsNaN(x[1]) || x[1] < lo || math.IsNaN(x[2]) || x[2] > hi {
			t.Fatalf("y %v → x %v outside the support", y, x)
		}
		sum := 0.0
		for _, v := range x[3:] {
			if !(v >= 0) {
				t.Fatalf("simplex element %g", v)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("simplex sums to %g", sum)
		}
		y2b := make([]float64, len(y))
		if err := tr.UnconstrainTo(y2b, x); err != nil {
			// Only points that rounded onto a bound may be rejected.
			if !errors.Is(err, ErrInvalidParameter) && !errors.Is(err, ErrNonFinite) {
				t.Fatalf("UnconstrainTo: %v", err)
			}
			return
		}
		for i, v := range y2b {
			if math.IsNaN(v) {
				t.Fatalf("round trip of y %v gives NaN at %d", y, i)
			}
		}
	})
}

// FuzzSampleNUTSConfig runs short chains with arbitrary settings and
// initial points on a Gaussian: SampleNUTS returns a named error or a
// result of the configured shape with finite draws, and never panics.
func FuzzSampleNUTSConfig(f *testing.F) {
	f.Add(2, 20, 20, 3, 0.8, 0, 0.0, 0.0, 1.0, false)
	f.Add(1, -1, 5, 1, 0.99, 3, 0.5, 1e-9, -3.0, true)
	f.Add(0, 0, -1, 0, 1.5, -2, 1.0, math.NaN(), 0.0, false)
	f.Fuzz(func(t *testing.T, chains, warmup, draws, depth int, target float64, static int, jitter, step, init float64, dense bool) {
		// Keep the work bounded.
		if chains > 3 || warmup > 60 || draws > 60 || depth > 6 || static > 20 || chains == 0 || draws == 0 || warmup == 0 {
			return
		}
		metric := MetricDiag
		if dense {
			metric = MetricDense
		}
		cfg := NUTSConfig{Chains: chains, Warmup: warmup, Draws: draws, MaxTreeDepth: depth, TargetAccept: target,
			StaticSteps: static, StepJitter: jitter, StepSize: step, Metric: metric, Seed: 1}
		if chains > 0 {
			cfg.Init = make([][]float64, chains)
			for c := range cfg.Init {
				cfg.Init[c] = []float64{init, -init}
			}
		}
		lj := gaussLogJoint([]float64{1, -1}, []float64{2, 0.5, 0.5, 1})
		res, err := SampleNUTS(context.Background(), 2, lj, cfg)
		if err != nil {
			for _, s := range []error{ErrInvalidParameter, ErrShape, ErrNonFinite, ErrNotConverged} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("unnamed error: %v", err)
		}
		if res.NumChains() != chains || res.NumDraws() != draws {
			t.Fatalf("%d×%d draws for %d chains × %d", res.NumChains(), res.NumDraws(), chains, draws)
		}
		for _, ch := range res.Draws {
			for _, d := range ch {
				if math.IsNaN(d[0]) || math.IsInf(d[0], 0) || math.IsNaN(d[1]) || math.IsInf(d[1], 0) {
					t.Fatalf("non-finite draw %v", d)
				}
			}
		}
	})
}
