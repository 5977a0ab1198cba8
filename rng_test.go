package bnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGaussRNGMoments checks the ziggurat's first four moments, its tails
// beyond 3σ and 4σ, and a χ² test over 200 equiprobable bins.
func TestGaussRNGMoments(t *testing.T) {
	n := 10_000_000
	if testing.Short() {
		n = 1_000_000
	}
	g := newGaussRNG(42, 7)
	buf := make([]float32, 4096)
	const bins = 200
	var edges [bins - 1]float64
	for i := range edges {
		edges[i] = math.Sqrt2 * math.Erfinv(2*float64(i+1)/bins-1)
	}
	var counts [bins]int
	var s1, s2, s3, s4 float64
	var t3, t4 int
	for done := 0; done < n; done += len(buf) {
		g.fill(buf)
		for _, v := range buf {
			x := float64(v)
			s1 += x
			s2 += x * x
			s3 += x * x * x
			s4 += x * x * x * x
			if math.Abs(x) > 3 {
				t3++
			}
			if math.Abs(x) > 4 {
				t4++
			}
			lo, hi := 0, bins-1
			for lo < hi {
				mid := (lo + hi) / 2
				if x < edges[mid] {
					hi = mid
				} else {
					lo = mid + 1
				}
			}
			counts[lo]++
		}
	}
	N := float64(n/len(buf)*len(buf) + min(n%len(buf), 1)*len(buf))
	mean, m2 := s1/N, s2/N
	skew, kurt := s3/N, s4/N
	check := func(name string, got, want, se float64) {
		if math.Abs(got-want) > 5*se {
			t.Errorf("%s = %.6g, want %.6g ± %.2g", name, got, want, 5*se)
		}
	}
	check("mean", mean, 0, 1/math.Sqrt(N))
	check("E[x²]", m2, 1, math.Sqrt(2/N))
	check("E[x³]", skew, 0, math.Sqrt(15/N))
	check("E[x⁴]", kurt, 3, math.Sqrt(96/N))
	p3 := math.Erfc(3 / math.Sqrt2)
	p4 := math.Erfc(4 / math.Sqrt2)
	check("P(|x|>3)", float64(t3)/N, p3, math.Sqrt(p3/N))
	check("P(|x|>4)", float64(t4)/N, p4, math.Sqrt(p4/N))
	var chi2 float64
	e := N / bins
	for _, c := range counts {
		chi2 += (float64(c) - e) * (float64(c) - e) / e
	}
	// 199 degrees of freedom: mean 199, sd ≈ 20; 300 is beyond the 99.99th percentile.
	if chi2 > 300 {
		t.Errorf("χ² over %d bins = %.1f", bins, chi2)
	}
}

func TestGaussRNGDeterministicStreams(t *testing.T) {
	a, b, c := newGaussRNG(1, 0), newGaussRNG(1, 0), newGaussRNG(1, 1)
	x, y, z := make([]float32, 1001), make([]float32, 1001), make([]float32, 1001)
	a.fill(x)
	b.fill(y)
	c.fill(z)
	same := 0
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("same stream differs at %d", i)
		}
		if x[i] == z[i] {
			same++
		}
	}
	if same > 5 {
		t.Fatalf("streams 0 and 1 agree at %d of %d draws", same, len(x))
	}
	// norm and fill draw from the same distribution; a long tail sample is finite.
	for range 100000 {
		if v := a.norm(); math.IsNaN(float64(v)) || math.Abs(float64(v)) > 7 {
			t.Fatalf("draw %v", v)
		}
	}
}

func BenchmarkGaussRNGFill(b *testing.B) {
	g := newGaussRNG(1, 2)
	buf := make([]float32, 4353)
	b.ReportAllocs()
	b.SetBytes(int64(4 * len(buf)))
	for b.Loop() {
		g.fill(buf)
	}
}

func BenchmarkNormFloat64Stdlib(b *testing.B) {
	r := newStdlibRand(1)
	buf := make([]float32, 4353)
	b.ReportAllocs()
	b.SetBytes(int64(4 * len(buf)))
	for b.Loop() {
		for i := range buf {
			buf[i] = float32(r.NormFloat64())
		}
	}
}

func newStdlibRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

func TestZigExpNeg(t *testing.T) {
	var worst float64
	for x := -7.0; x <= 0; x += 1e-4 {
		worst = max(worst, math.Abs(zigExpNeg(x)-math.Exp(x))/math.Exp(x))
	}
	if worst > 1e-13 {
		t.Fatalf("worst relative error %.3g", worst)
	}
}

// TestGaussFillPaths checks that fill gives the numbers of fillGeneric, and
// leaves the generator in the same state, on every kernel path: lengths
// around the vector widths, long fills that meet many slow-path blocks, and
// fills split at odd offsets.
func TestGaussFillPaths(t *testing.T) {
	forEachKernelPath(t, func(t *testing.T) {
		for seed := range uint64(20) {
			for _, n := range []int{0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 100, 4353, 20000} {
				g, ref := newGaussRNG(seed, 3), newGaussRNG(seed, 3)
				got, want := make([]float32, n+3), make([]float32, n+3)
				g.fill(got[:n])
				ref.fillGeneric(want[:n])
				g.fill(got[n:]) // the states must agree too
				ref.fillGeneric(want[n:])
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("seed %d n=%d: [%d] = %g, generic %g", seed, n, i, got[i], want[i])
					}
				}
			}
		}
	})
}
