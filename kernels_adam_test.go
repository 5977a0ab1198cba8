package bnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// adamTestCoeffs are the coefficient sets the Adam kernel tests run: the
// first step and a late one, with and without decay (−0 must skip it like 0).
var adamTestCoeffs = []adamCoeffs{
	{beta1: 0.9, c1: 1 - float32(0.9), beta2: 0.999, c2: 1 - float32(0.999), wd: 1e-4, stepSize: 5e-2, invSqrtBC2: 31.62, eps: 1e-8},
	{beta1: 0.9, c1: 1 - float32(0.9), beta2: 0.999, c2: 1 - float32(0.999), wd: 0, stepSize: 5e-3, invSqrtBC2: 1.0005, eps: 1e-8},
	{beta1: 0.8, c1: 0.2, beta2: 0.99, c2: 0.01, wd: float32(math.Copysign(0, -1)), stepSize: 1e-3, invSqrtBC2: 2, eps: 1e-6},
	{beta1: 0.5, c1: 0.5, beta2: 0.5, c2: 0.5, wd: -3, stepSize: 7, invSqrtBC2: 0.5, eps: 0},
}

// TestKernelAdamStep compares adamStep on every path with adamStepGeneric
// bit for bit (both round every operation to float32 in the same order) for
// lengths 0–300 and offsets 0–3, on general data with NaN, ±Inf and ±0, and
// checks the guards around p, m and v and that g is left alone.
func TestKernelAdamStep(t *testing.T) {
	var lengths []int
	for n := 0; n <= 300; n++ {
		if !testing.Short() || n <= 40 || n%37 == 0 {
			lengths = append(lengths, n)
		}
	}
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(21, 22))
		for ci, k := range adamTestCoeffs {
			for _, n := range lengths {
				off := (n + ci) % 4
				g := make([]float32, off+n)[off:]
				general(r, g)
				g0 := append([]float32(nil), g...)
				var got, want [3][]float32 // p, m, v
				var bufs [3][]float32
				for j := range got {
					got[j], bufs[j] = guarded(n, off)
					general(r, got[j])
					if j == 2 { // second moments are ≥ 0 in use; keep a few negatives for NaN paths
						for i := range got[j] {
							if r.IntN(8) != 0 {
								got[j][i] = float32(math.Abs(float64(got[j][i])))
							}
						}
					}
					want[j] = append([]float32(nil), got[j]...)
				}
				adamStep(got[0], g, got[1], got[2], &k)
				adamStepGeneric(want[0], g, want[1], want[2], &k)
				for j, name := range []string{"p", "m", "v"} {
					for i := range got[j] {
						if !sameFloat32(got[j][i], want[j][i]) {
							t.Fatalf("coeffs %d n=%d off=%d: %s[%d] = %g, generic %g", ci, n, off, name, i, got[j][i], want[j][i])
						}
					}
					checkGuards(t, bufs[j], off, n)
				}
				for i := range g {
					if !sameFloat32(g[i], g0[i]) {
						t.Fatalf("coeffs %d n=%d: g[%d] changed", ci, n, i)
					}
				}
			}
		}
	})
}

// TestAdamMatchesFloat64Reference runs Adam.Step for 200 steps with weight
// decay and compares the parameters with PyTorch's Adam formula evaluated
// in float64 on the same gradients (computed from the float64 reference
// parameters): the float32 rounding may only drift by a small relative
// amount.
func TestAdamMatchesFloat64Reference(t *testing.T) {
	forEachKernelPath(t, func(t *testing.T) {
		const n, steps = 37, 200
		const lr, b1, b2, eps, wd = 5e-3, 0.9, 0.999, 1e-8, 1e-2
		opt, err := NewAdam(n, lr)
		if err != nil {
			t.Fatal(err)
		}
		opt.WeightDecay = wd
		r := rand.New(rand.NewPCG(3, 5))
		p := make([]float32, n)
		ref := make([]float64, n)
		for i := range p {
			p[i] = float32(r.NormFloat64())
			ref[i] = float64(p[i])
		}
		m, v := make([]float64, n), make([]float64, n)
		g := make([]float32, n)
		for step := 1; step <= steps; step++ {
			for i := range g { // the gradient of Σ (i+1)/2 · (p−1)² plus a sign-changing term
				g[i] = float32(float64(i+1)*(ref[i]-1) + math.Sin(float64(step*(i+1))))
			}
			opt.Step(p, g)
			bc1, bc2 := 1-math.Pow(b1, float64(step)), 1-math.Pow(b2, float64(step))
			for i := range ref {
				gi := float64(g[i]) + wd*ref[i]
				m[i] = b1*m[i] + (1-b1)*gi
				v[i] = b2*v[i] + (1-b2)*gi*gi
				ref[i] -= lr / bc1 * m[i] / (math.Sqrt(v[i])/math.Sqrt(bc2) + eps)
			}
		}
		for i := range p {
			if d := math.Abs(float64(p[i]) - ref[i]); d > 1e-4*(1+math.Abs(ref[i])) {
				t.Errorf("p[%d] = %.9g, float64 reference %.9g", i, p[i], ref[i])
			}
		}
	})
}

func TestAdamStepAllocatesNothing(t *testing.T) {
	opt, err := NewAdam(4417, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	opt.WeightDecay = 1e-4
	p, g := make([]float32, 4417), make([]float32, 4417)
	forEachKernelPath(t, func(t *testing.T) {
		if a := testing.AllocsPerRun(20, func() { opt.Step(p, g) }); a != 0 {
			t.Errorf("%v allocations per step", a)
		}
	})
}

// FuzzAdamStep compares every path's adamStep with the generic twin on
// values and a length taken from the fuzz input.
func FuzzAdamStep(f *testing.F) {
	f.Add(uint16(17), uint8(0), []byte{1, 2, 3, 250, 7, 0x7f, 0xc0})
	f.Add(uint16(300), uint8(3), []byte{})
	f.Fuzz(func(t *testing.T, n16 uint16, ci uint8, data []byte) {
		n := int(n16 % 301)
		k := adamTestCoeffs[int(ci)%len(adamTestCoeffs)]
		val := func(i int) float32 {
			if len(data) < 4 {
				return float32(i%7) - 3
			}
			j := 4 * (i % (len(data) / 4))
			return math.Float32frombits(uint32(data[j]) | uint32(data[j+1])<<8 | uint32(data[j+2])<<16 | uint32(data[j+3])<<24 ^ uint32(i)*0x9e3779b9)
		}
		mk := func(seed int) []float32 {
			s := make([]float32, n)
			for i := range s {
				s[i] = val(i*4 + seed)
			}
			return s
		}
		g := mk(0)
		want := [3][]float32{mk(1), mk(2), mk(3)}
		for i := range want[2] {
			want[2][i] = float32(math.Abs(float64(want[2][i])))
		}
		start := [3][]float32{append([]float32(nil), want[0]...), append([]float32(nil), want[1]...), append([]float32(nil), want[2]...)}
		adamStepGeneric(want[0], g, want[1], want[2], &k)
		for _, path := range availableKernelPaths() {
			restore := setKernelPath(path)
			got := [3][]float32{append([]float32(nil), start[0]...), append([]float32(nil), start[1]...), append([]float32(nil), start[2]...)}
			adamStep(got[0], g, got[1], got[2], &k)
			restore()
			for j := range got {
				for i := range got[j] {
					if !sameFloat32(got[j][i], want[j][i]) {
						t.Fatalf("%s: array %d [%d] = %g, generic %g", kernelPathNames[path], j, i, got[j][i], want[j][i])
					}
				}
			}
		}
	})
}
