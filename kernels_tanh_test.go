package bnn

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"testing"
)

// tanhULP returns how many float32 steps tanh32(x) is from the correctly
// rounded tanh (math.Tanh in float64, then rounded, which is within 0.5 ulp
// of float32 except at near-ties).
func tanhULP(x float32) int64 {
	got, want := tanh32(x), float32(math.Tanh(float64(x)))
	d := int64(math.Float32bits(got)) - int64(math.Float32bits(want))
	return max(d, -d)
}

// tanhSweep checks every step-th float32 in [0, 11] (tanh32 is exactly odd,
// which TestTanh32Specials checks) and returns the worst error in ulp.
func tanhSweep(t *testing.T, step uint32) (worst int64) {
	t.Helper()
	for bits := uint32(0); bits < 0x41300000; bits += step {
		x := math.Float32frombits(bits)
		if d := tanhULP(x); d > worst {
			worst = d
			if d > 2 {
				t.Fatalf("tanh32(%g) = %g, want %g (%d ulp)", x, tanh32(x), math.Tanh(float64(x)), d)
			}
		}
	}
	return worst
}

// TestTanh32 checks that tanh32 is within 2 ulp of the correctly rounded
// tanh on a dense sweep of float32 inputs in [0, 11] (every 257th bit
// pattern, about 4 million values; every one with BNN_EXHAUSTIVE=1, a few
// minutes). The exhaustive run finds a worst error of 2 ulp.
func TestTanh32(t *testing.T) {
	step := uint32(257)
	switch {
	case os.Getenv("BNN_EXHAUSTIVE") != "":
		step = 1
	case testing.Short():
		step = 9973
	}
	if w := tanhSweep(t, step); w != 2 && step < 100 {
		// A sweep this dense meets 2-ulp cases; 0 would mean a broken reference.
		t.Errorf("worst error %d ulp, want 2", w)
	}
	// The region where tanh approaches 1, bit by bit.
	for bits := math.Float32bits(8.5); bits <= math.Float32bits(9.2); bits++ {
		x := math.Float32frombits(bits)
		if d := tanhULP(x); d > 2 {
			t.Fatalf("tanh32(%g): %d ulp", x, d)
		}
	}
}

// TestTanh32Specials checks exact values, signed zeros, oddness and NaN.
func TestTanh32Specials(t *testing.T) {
	for _, c := range []struct{ x, want float32 }{
		{0, 0}, {float32(math.Inf(1)), 1}, {float32(math.Inf(-1)), -1}, {20, 1}, {-9.5, -1}, {math.MaxFloat32, 1},
		{math.SmallestNonzeroFloat32, math.SmallestNonzeroFloat32}, {1e-30, 1e-30}, {-1e-20, -1e-20},
	} {
		if got := tanh32(c.x); got != c.want {
			t.Errorf("tanh32(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := tanh32(float32(math.Copysign(0, -1))); !math.Signbit(float64(got)) || got != 0 {
		t.Errorf("tanh32(-0) = %g, want -0", got)
	}
	if got := tanh32(float32(math.NaN())); got == got {
		t.Errorf("tanh32(NaN) = %g", got)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		x := math.Float32frombits(r.Uint32())
		if got, neg := tanh32(x), tanh32(-x); !sameFloat32(got, -neg) {
			t.Fatalf("tanh32(%g) = %g but tanh32(−x) = %g", x, got, neg)
		}
	}
}

// TestTanhKernelPaths runs every kernel path's fused bias + tanh over a sweep
// of all 2³² float32 bit patterns (every 997th) and requires the bits of
// tanh32, the contract that lets the paths agree. With BNN_EXHAUSTIVE=1 it
// checks every float32 in [0, 10] instead: beyond 10 every path clamps the
// input, and the sign is handled by bit operations (TestTanh32Specials).
func TestTanhKernelPaths(t *testing.T) {
	step, end := uint64(997), uint64(1)<<32
	switch {
	case os.Getenv("BNN_EXHAUSTIVE") != "":
		step, end = 1, uint64(math.Float32bits(10))+1
	case testing.Short():
		step = 40009
	}
	const cols = 1 << 12
	x, z, want := make([]float32, cols*16), make([]float32, cols*16), make([]float32, cols*16)
	bias := make([]float32, cols)
	for next := uint64(0); next < end; {
		for i := range x {
			x[i] = math.Float32frombits(uint32(min(next, end-1)))
			next += step
		}
		// ±the only input in [0, 10] at which one of tanh32's FMAs (the c4
		// step) has an inexact float64 sum on a float32 tie, where fma32's
		// tie rule applies (an exhaustive search; the tanh is the same
		// either way).
		x[0], x[1] = math.Float32frombits(0x3710601b), -math.Float32frombits(0x3710601b)
		for i, v := range x {
			want[i] = tanh32(v)
		}
		for _, p := range availableKernelPaths() {
			restore := setKernelPath(p)
			copy(z, x)
			biasTanh(z, bias, cols)
			restore()
			for i := range z {
				if !sameFloat32(z[i], want[i]) {
					t.Fatalf("%s: biasTanh(%g) = %g (%#x), tanh32 %g (%#x)", kernelPathNames[p], x[i],
						z[i], math.Float32bits(z[i]), want[i], math.Float32bits(want[i]))
				}
			}
		}
	}
}

// fma32Exact is a·b + c rounded once to float32, by exact big.Float arithmetic.
func fma32Exact(a, b, c float32) float32 {
	x := new(big.Float).SetPrec(400).SetFloat64(float64(a))
	x.Mul(x, new(big.Float).SetFloat64(float64(b)))
	x.Add(x, new(big.Float).SetFloat64(float64(c)))
	f, _ := x.Float32()
	return f
}

// TestFMA32 compares fma32 with exact arithmetic on random operands and on
// products that land exactly halfway between float32 values, where a
// double-rounded float64 FMA goes wrong.
func TestFMA32(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	check := func(a, b, c float32) {
		t.Helper()
		if got, want := fma32(a, b, c), fma32Exact(a, b, c); got != want {
			t.Fatalf("fma32(%g, %g, %g) = %g, want %g", a, b, c, got, want)
		}
	}
	rnd := func() float32 { return float32(r.NormFloat64() * math.Exp2(float64(r.IntN(40)-20))) }
	for range 200000 {
		check(rnd(), rnd(), rnd())
	}
	// a·b = 1 + 2⁻²⁴ + 2⁻⁴⁸ (a = b = 1 + 2⁻²⁵… is not float32; use (1+2⁻¹²)²
	// = 1 + 2⁻¹¹ + 2⁻²⁴) plus a tiny c of either sign: the float64 sum is the
	// float32 midpoint 1 + 2⁻¹¹ + 2⁻²⁴, the exact sum is not.
	a := float32(1 + 0x1p-12)
	ties := 0
	for _, c := range []float32{0x1p-60, -0x1p-60, 0x1p-40, -0x1p-40, 0x1p-80} {
		check(a, a, c)
		if float32(math.FMA(float64(a), float64(a), float64(c))) != fma32Exact(a, a, c) {
			ties++
		}
	}
	if ties == 0 {
		t.Fatal("no case where the double-rounded FMA is wrong: the test does not reach the tie fix")
	}
	for range 100000 { // random ties: a·b with 48 bits, c far below
		a := float32(1 + float64(r.IntN(1<<23))*0x1p-23)
		b := float32(1 + float64(r.IntN(1<<23))*0x1p-23)
		c := float32(r.NormFloat64() * 0x1p-50)
		check(a, b, c)
		check(-a, b, c)
	}
}
