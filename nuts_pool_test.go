package bnn

import (
	"math/rand/v2"
	"testing"
)

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
