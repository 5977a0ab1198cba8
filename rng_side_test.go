package bnn

import (
	"math"
	"math/bits"
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

// TestFillSideSlowLanes checks the slow lanes of fillSide (those outside
// their ziggurat layer's core, 1.5 % of draws) against zigSlow, training's
// sequential slow path, on the same lanes with an independent stream: over
// 2,000 fills of 4,353 draws (≈ 130,000 slow lanes), the two-sample
// Kolmogorov–Smirnov distance of the finished values is below its 0.1 %
// critical value, the share of lanes accepted at their first point (the
// value is the lane's own abscissa) agrees within 4 standard errors, and the
// acceptances of consecutive slow lanes of a fill are uncorrelated (|r| < 4/√N),
// as they must be when each lane's wedge test has its own uniform.
func TestFillSideSlowLanes(t *testing.T) {
	fills := 2000
	if testing.Short() {
		fills = 400
	}
	const n = 4353
	dst, scratch := make([]float32, n), make([]float32, n)
	slow, pos := make([]int32, n+16), make([]int32, n+16)
	ref := newGaussRNG(99, 7)
	var got, want []float64
	var accGot, accWant int
	var sx, sy, sxx, syy, sxy, pairs float64
	for f := range uint64(fills) {
		g, side := newGaussRNG(21, f), newGaussRNG(22, f)
		s0 := g.s
		g.fillSide(dst, &side, slow)
		h := gaussRNG{s: s0}
		k := h.fastSide(scratch, 0, pos)
		prev := -1.0
		for _, p := range pos[:k] {
			st := s0 + uint64(p/2+1)*gaussInc
			hi, lo := bits.Mul64(st, st^gaussMix)
			b := uint32((hi ^ lo) >> (32 * (p & 1)))
			x := math.Float32frombits(math.Float32bits(float32(float64(b>>8&0x7fffff)*float64(zigW[b&0xff]))) | b&0x80000000)
			r := ref.zigSlow(b)
			got, want = append(got, float64(dst[p])), append(want, float64(r))
			a := 0.0
			if dst[p] == x && b&0xff != 0 {
				a = 1
				accGot++
			}
			if r == x && b&0xff != 0 {
				accWant++
			}
			if prev >= 0 {
				sx, sy, sxx, syy, sxy, pairs = sx+prev, sy+a, sxx+prev*prev, syy+a*a, sxy+prev*a, pairs+1
			}
			prev = a
		}
	}
	m := len(got)
	if m < fills*50 || m > fills*80 {
		t.Fatalf("%d slow lanes in %d fills of %d, want ≈ 1.5 %%", m, fills, n)
	}
	slices.Sort(got)
	slices.Sort(want)
	var d float64
	for i, j := 0, 0; i < m && j < m; {
		v := min(got[i], want[j])
		for i < m && got[i] == v {
			i++
		}
		for j < m && want[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i-j))/float64(m))
	}
	if crit := 1.95 * math.Sqrt(2/float64(m)); d > crit {
		t.Errorf("slow lanes: two-sample KS distance %.4f from zigSlow's, critical value %.4f", d, crit)
	}
	p1, p2 := float64(accGot)/float64(m), float64(accWant)/float64(m)
	pp := (p1 + p2) / 2
	if se := math.Sqrt(2 * pp * (1 - pp) / float64(m)); math.Abs(p1-p2) > 4*se {
		t.Errorf("slow lanes accepted at their first point: %.4f, zigSlow %.4f (se %.4f)", p1, p2, se)
	}
	cov := sxy/pairs - sx/pairs*sy/pairs
	r := cov / math.Sqrt((sxx/pairs-sx*sx/pairs/pairs)*(syy/pairs-sy*sy/pairs/pairs))
	if !(math.Abs(r) <= 4/math.Sqrt(pairs)) {
		t.Errorf("acceptance correlation of consecutive slow lanes %.4f, want |r| < %.4f", r, 4/math.Sqrt(pairs))
	}
	t.Logf("%d slow lanes, KS %.4f, accepted %.4f vs %.4f, r %.4f", m, d, p1, p2, r)
}
