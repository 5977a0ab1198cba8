package bnn

import (
	"math"
	"slices"
	"testing"
)

// fillSideGeneric is fillSide on the generic path.
func (g *gaussRNG) fillSideGeneric(dst []float32, side *gaussRNG) {
	slow := make([]int32, len(dst)+16)
	s0 := g.s
	n := g.fastSide(dst, 0, slow)
	finishSlowLanes(dst, s0, side, slow[:n])
}

// TestFillSidePaths checks that every kernel path's fillSide gives
// the generic path's numbers bit for bit, over lengths with and without a
// partial block and streams long enough to hit the slow path many times,
// and that the main stream ends where fillSideGeneric leaves it.
func TestFillSidePaths(t *testing.T) {
	for _, n := range []int{1, 2, 15, 16, 17, 4353, 20000} {
		for stream := range uint64(3) {
			want := make([]float32, n)
			g, side := newGaussRNG(5, stream), newGaussRNG(6, stream)
			g.fillSideGeneric(want, &side)
			for _, path := range availableKernelPaths() {
				func() {
					defer setKernelPath(path)()
					got := make([]float32, n)
					h, hs := newGaussRNG(5, stream), newGaussRNG(6, stream)
					h.fillSide(got, &hs, make([]int32, n+16))
					for i := range got {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("%s n %d stream %d: draw %d = %g, generic %g", kernelPathNames[path], n, stream, i, got[i], want[i])
						}
					}
					if h != g || hs != side {
						t.Fatalf("%s n %d: states %v %v, generic %v %v", kernelPathNames[path], n, h, hs, g, side)
					}
				}()
			}
		}
	}
}

// TestFillSideNormal checks that fillSide draws standard normals: the
// Kolmogorov–Smirnov distance of 2²⁰ draws from Φ is below its 0.1 % critical
// value (1.95/√n), and the share beyond the ziggurat's base strip (|x| >
// zigR, drawn only by the slow path from the side stream) is within 4
// standard errors of 2(1 − Φ(zigR)), as is the share in the wedges' range.
func TestFillSideNormal(t *testing.T) {
	const n = 1 << 20
	x := make([]float32, n)
	slow := make([]int32, n+16)
	for s := range uint64(16) {
		g, side := newGaussRNG(11, s), newGaussRNG(12, s)
		g.fillSide(x[s*n/16:(s+1)*n/16], &side, slow)
	}
	v := make([]float64, n)
	for i, xi := range x {
		v[i] = float64(xi)
	}
	slices.Sort(v)
	phi := func(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
	var d float64
	for i, z := range v {
		f := phi(z)
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(float64(i+1)/n-f))
	}
	if crit := 1.95 / math.Sqrt(n); d > crit {
		t.Errorf("KS distance %.5f from N(0, 1), critical value %.5f", d, crit)
	}
	band := func(lo, hi float64) {
		var k int
		for _, z := range v {
			if a := math.Abs(z); a > lo && a <= hi {
				k++
			}
		}
		p := 2 * (phi(hi) - phi(lo))
		se := math.Sqrt(n * p * (1 - p))
		if math.Abs(float64(k)-n*p) > 4*se {
			t.Errorf("%d draws with %g < |x| ≤ %g, want %.1f ± %.1f", k, lo, hi, n*p, se)
		}
	}
	band(zigR, math.Inf(1))
	band(2.5, zigR)
	band(0, 0.05)
}
