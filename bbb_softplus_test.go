package bnn

import (
	"math"
	"testing"
)

func TestSoftplusSigmoid32(t *testing.T) {
	var worst [3]float64
	for r := -80.0; r <= 60; r += 0.01 {
		rho := float32(r)
		s, ds := softplusSigmoid32(rho)
		ls := float32(math.Log(float64(s)))
		x := float64(rho)
		want := math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
		wantD := 1 / (1 + math.Exp(-x))
		errs := [3]float64{
			math.Abs(float64(s)-want) / want,
			math.Abs(float64(ds)-wantD) / wantD,
			math.Abs(float64(ls)-math.Log(want)) / math.Max(1, math.Abs(math.Log(want))),
		}
		for i, e := range errs {
			worst[i] = max(worst[i], e)
		}
	}
	for x := 0.5; x < 1e30; x *= 1.37 {
		if e := math.Abs(bbbLog(x)-math.Log(x)) / math.Max(1, math.Abs(math.Log(x))); e > 1e-9 {
			t.Fatalf("bbbLog(%g) relative error %.2g", x, e)
		}
	}
	// A few float32 ulps (2⁻²³ ≈ 1.2e-7).
	if worst[0] > 5e-7 || worst[1] > 5e-7 || worst[2] > 5e-7 {
		t.Fatalf("worst relative errors: softplus %.2g, sigmoid %.2g, log softplus %.2g", worst[0], worst[1], worst[2])
	}
}
