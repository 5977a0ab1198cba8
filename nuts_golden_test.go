package bnn

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// TestNUTSGoldenDraws pins the sampler's output for fixed seeds: a hash of
// every draw and per-draw statistic (timings excluded) over several models
// and settings. A change to the tree builder that keeps Stan's algorithm,
// its random-number consumption and its floating-point order leaves these
// hashes unchanged; an intended change of the draws must update them (and
// pass the SBC and exactness tests).
func TestNUTSGoldenDraws(t *testing.T) {
	mean, _, prec := corrGauss()
	funnel := func(th, g []float64) float64 {
		// Neal's funnel, centred: v ~ N(0, 3²), x | v ~ N(0, e^v).
		v, x := th[0], th[1]
		lp := -v*v/18 - 0.5*x*x*math.Exp(-v) - 0.5*v
		g[0] = -v/9 + 0.5*x*x*math.Exp(-v) - 0.5
		g[1] = -x * math.Exp(-v)
		return lp
	}
	m, tr, _ := seedOscExact(t)
	p, _, _ := seedBNNForTest(t, []int{4, 4})
	cases := []struct {
		name string
		dim  int
		lj   LogJoint
		cfg  NUTSConfig
		want uint64
	}{
		{"diag", 4, gaussLogJoint(mean, prec), NUTSConfig{Seed: 3, Draws: 300, Warmup: 300}, 0xfd37e7e3fb0d9ba0},
		{"dense", 4, gaussLogJoint(mean, prec), NUTSConfig{Seed: 4, Draws: 300, Warmup: 300, Metric: MetricDense}, 0x16eed783b1303a8b},
		{"jitter-depth4", 4, gaussLogJoint(mean, prec), NUTSConfig{Seed: 5, Draws: 200, Warmup: 200, StepJitter: 0.3, MaxTreeDepth: 4}, 0xd4ad424cbf86d6d},
		{"static", 4, gaussLogJoint(mean, prec), NUTSConfig{Seed: 6, Draws: 200, Warmup: 200, StaticSteps: 7}, 0xfcfa23ca28bdca3b},
		{"funnel", 2, funnel, NUTSConfig{Seed: 7, Draws: 300, Warmup: 300}, 0x4c83f1261b8b0cc7},
		{"oscillator", 2, m.logJoint, NUTSConfig{Seed: 8, Draws: 200, Warmup: 200, Transforms: tr}, 0xd6373b7a07d07a11},
		{"bnn4", p.Dim(), nil, NUTSConfig{Seed: 9, Draws: 50, Warmup: 100, Chains: 2, NewLogJoint: p.NewLogJoint}, 0xc383b2dfff7fe90c},
	}
	for _, c := range cases {
		res, err := SampleNUTS(context.Background(), c.dim, c.lj, c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		h := fnv.New64a()
		var buf [8]byte
		put := func(x float64) {
			b := math.Float64bits(x)
			for i := range buf {
				buf[i] = byte(b >> (8 * i))
			}
			h.Write(buf[:])
		}
		for ch := range res.Draws {
			for d, draw := range res.Draws[ch] {
				for _, x := range draw {
					put(x)
				}
				s := res.Stats[ch][d]
				put(s.AcceptStat)
				put(s.StepSize)
				put(float64(s.TreeDepth))
				put(float64(s.NLeapfrog))
				put(s.Energy)
				put(s.LogDensity)
				if s.Divergent {
					put(1)
				}
			}
			for _, dp := range res.DivergentPoints[ch] {
				for _, x := range dp.Diverged {
					put(x)
				}
			}
			put(res.StepSize[ch])
			for _, x := range res.Metric[ch] {
				put(x)
			}
			put(float64(res.WarmupLeapfrogs[ch]))
		}
		got := h.Sum64()
		t.Logf("%s: %#x", c.name, got)
		if c.want != 0 && got != c.want {
			t.Errorf("%s: draws hash %#x, want %#x (the draws changed)", c.name, got, c.want)
		}
	}
}

// TestNUTSStatePoolBound runs full-depth trees (a tiny step size never
// U-turns) and checks that the tree builder's state pool never grows past
// its preallocated bound, so transitions stay allocation-free at any depth.
func TestNUTSStatePoolBound(t *testing.T) {
	mean, _, prec := corrGauss()
	for _, depth := range []int{1, 3, 10} {
		k := newHMCKernel(4, gaussLogJoint(mean, prec), newHMCMetric(4, false), rand.New(&rngSource{newGaussRNG(2, 0)}), depth, 0)
		s := nutsSettings{NUTSConfig: NUTSConfig{InitRadius: 2}}
		if err := k.initialise(&s, 0); err != nil {
			t.Fatal(err)
		}
		n := len(k.pool.pts)
		k.eps = 1e-5
		for range 5 {
			k.transition()
			if k.depth != depth {
				t.Fatalf("max depth %d: tree depth %d, want the maximum", depth, k.depth)
			}
		}
		if len(k.pool.pts) != n {
			t.Errorf("max depth %d: state pool grew from %d to %d", depth, n, len(k.pool.pts))
		}
		if a := testing.AllocsPerRun(3, func() { k.transition() }); a != 0 {
			t.Errorf("max depth %d: %v allocations per transition", depth, a)
		}
	}
}
