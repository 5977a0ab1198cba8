package bnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSGDMatchesFloat64Reference runs SGD.Step for 300 steps with weight
// decay, with and without momentum, and compares the parameters with
// PyTorch's torch.optim.SGD formula (g ← g + λp; b ← μb + g; p ← p − ηb)
// evaluated in float64 on the same gradients (computed from the float64
// reference parameters). The gradient of Σ (i+1)/2·(p−1)² pulls every
// parameter towards 1 and the decay shifts the minimum to (i+1)/(i+1+λ),
// so a decay with the wrong sign or scale moves the result by ≈ 2λ/(i+1),
// far beyond the float32 drift the test allows.
func TestSGDMatchesFloat64Reference(t *testing.T) {
	for _, mom := range []float64{0, 0.9} {
		const n, steps = 37, 300
		const lr, wd = 1e-2, 0.1
		opt, err := NewSGD(n, lr)
		if err != nil {
			t.Fatal(err)
		}
		opt.Momentum, opt.WeightDecay = float32(mom), wd
		r := rand.New(rand.NewPCG(4, 6))
		p := make([]float32, n)
		ref := make([]float64, n)
		for i := range p {
			p[i] = float32(r.NormFloat64())
			ref[i] = float64(p[i])
		}
		buf := make([]float64, n)
		g := make([]float32, n)
		for step := 1; step <= steps; step++ {
			for i := range g {
				g[i] = float32(float64(i+1)*(ref[i]-1) + 0.1*math.Sin(float64(step*(i+1))))
			}
			opt.Step(p, g)
			for i := range ref {
				gi := float64(g[i]) + wd*ref[i]
				buf[i] = mom*buf[i] + gi
				ref[i] -= lr * buf[i]
			}
		}
		for i := range p {
			if d := math.Abs(float64(p[i]) - ref[i]); d > 1e-4*(1+math.Abs(ref[i])) {
				t.Errorf("momentum %g: p[%d] = %.9g, float64 reference %.9g", mom, i, p[i], ref[i])
			}
		}
	}
}

func TestSGDStepAllocatesNothing(t *testing.T) {
	opt, err := NewSGD(4417, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	opt.Momentum, opt.WeightDecay = 0.9, 1e-4
	p, g := make([]float32, 4417), make([]float32, 4417)
	if a := testing.AllocsPerRun(20, func() { opt.Step(p, g) }); a != 0 {
		t.Errorf("%v allocations per step", a)
	}
}
