package bnn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// forEachKernelPath runs f once per kernel path this machine supports, with
// that path forced, so the assembly of every width is cross-checked here.
func forEachKernelPath(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, p := range availableKernelPaths() {
		t.Run(kernelPathNames[p], func(t *testing.T) {
			defer setKernelPath(p)()
			f(t)
		})
	}
}

// sameFloat32 reports whether a and b are bit-identical or both NaN.
func sameFloat32(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

const kernelGuard = float32(-12345.5) // sentinel around every output slice

// guarded returns a slice of n elements at offset off inside a buffer whose
// other elements hold kernelGuard, and the buffer.
func guarded(n, off int) (s, buf []float32) {
	buf = make([]float32, off+n+5)
	for i := range buf {
		buf[i] = kernelGuard
	}
	return buf[off : off+n : off+n], buf
}

func checkGuards(t *testing.T, buf []float32, off, n int) {
	t.Helper()
	for i, v := range buf {
		if (i < off || i >= off+n) && v != kernelGuard {
			t.Fatalf("guard element %d (slice at %d, len %d) overwritten: %g", i, off, n, v)
		}
	}
}

// dyadic fills s with multiples of 1/4 in [−2, 2]: sums of their products
// are exact in float32, so every summation order gives the same bits.
func dyadic(r *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(r.IntN(17)-8) / 4
	}
}

// kernelSpecials are the IEEE values every kernel must pass through.
var kernelSpecials = []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, float32(math.Copysign(0, -1)), math.MaxFloat32, math.SmallestNonzeroFloat32}

// general fills s with varied magnitudes and signs plus the special values.
func general(r *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(r.NormFloat64() * math.Exp(2*r.NormFloat64()))
		if r.IntN(16) == 0 {
			s[i] = kernelSpecials[r.IntN(len(kernelSpecials))]
		}
	}
}

type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	pad, off       int
}

// runGemmCase runs c against sgemm on the current path and on the generic
// twin with dyadic data and checks equality and the guards. Equality is
// exact except for the sign of zero: the generic code scales A by alpha
// before accumulating, the assembly scales the sum, so alpha < 0 with a zero
// sum may give −0 for +0.
func runGemmCase(t *testing.T, r *rand.Rand, c gemmCase) {
	t.Helper()
	ar, ac := c.m, c.k
	if c.transA {
		ar, ac = c.k, c.m
	}
	br, bc := c.k, c.n
	if c.transB {
		br, bc = c.n, c.k
	}
	lda, ldb, ldc := max(ac, 1)+c.pad, max(bc, 1)+c.pad, max(c.n, 1)+c.pad
	a := make([]float32, c.off+max(0, (ar-1)*lda+ac))[c.off:]
	b := make([]float32, c.off+max(0, (br-1)*ldb+bc))[c.off:]
	dyadic(r, a)
	dyadic(r, b)
	clen := max(0, (c.m-1)*ldc+c.n)
	got, buf := guarded(clen, c.off)
	want := make([]float32, clen)
	for i := 0; i < c.m; i++ {
		for j := 0; j < c.n; j++ {
			v := float32(r.IntN(9)-4) / 2
			if c.beta == 0 && (i+j)%5 == 0 {
				v = float32(math.NaN()) // must be overwritten, not propagated
			}
			got[i*ldc+j], want[i*ldc+j] = v, v
		}
	}
	sgemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, got, ldc)
	sgemmGeneric(c.transA, c.transB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, want, ldc)
	for i := 0; i < c.m; i++ {
		for j := 0; j < c.n; j++ {
			if g, w := got[i*ldc+j], want[i*ldc+j]; g != w && !sameFloat32(g, w) {
				t.Fatalf("%+v: C[%d,%d] = %g, generic %g", c, i, j, g, w)
			}
		}
		for j := c.n; j < ldc && i*ldc+j < clen; j++ {
			if got[i*ldc+j] != kernelGuard {
				t.Fatalf("%+v: C[%d,%d] between rows overwritten", c, i, j)
			}
		}
	}
	checkGuards(t, buf, c.off, clen)
}

func TestKernelSgemmShapes(t *testing.T) {
	ms := []int{0, 1, 2, 5, 6, 7, 8, 9, 13, 16, 31, 47, 48, 49, 60, 64, 97}
	ns := []int{0, 1, 3, 8, 15, 16, 17, 31, 32, 33, 47, 64, 65, 100}
	ks := []int{0, 1, 2, 7, 8, 17, 64, 255, 256, 257, 300}
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		n := 0
		for im, m := range ms {
			for in, nn := range ns {
				for tr := range 4 {
					k := ks[(im*7+in*3+tr)%len(ks)]
					if testing.Short() && m*nn*k > 40000 {
						k = ks[(im+in+tr)%5]
					}
					c := gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: m, n: nn, k: k,
						alpha: []float32{1, 0.5, -2}[n%3], beta: []float32{0, 1, -0.5, 0}[n%4],
						pad: n % 3, off: n % 4}
					runGemmCase(t, r, c)
					n++
				}
			}
		}
	})
}

// TestKernelSgemmLarge covers several m blocks (gemmMC) and k blocks
// (gemmKC), with a partial last block of each.
func TestKernelSgemmLarge(t *testing.T) {
	shapes := [][3]int{{241, 33, 70}, {500, 64, 64}, {483, 65, 257}}
	if testing.Short() {
		shapes = shapes[:1]
	}
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(11, 12))
		for i, s := range shapes {
			for tr := range 4 {
				runGemmCase(t, r, gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: s[0], n: s[1], k: s[2],
					alpha: 0.5, beta: []float32{0, 1, -0.5}[(i+tr)%3], pad: tr % 2, off: i})
			}
		}
	})
}

// TestKernelSgemmSpecials checks that NaN and ±Inf in A or B reach exactly
// the elements of C the generic code makes non-finite.
func TestKernelSgemmSpecials(t *testing.T) {
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for trial := range 60 {
			tA, tB := trial&1 != 0, trial&2 != 0
			m, n, k := 1+r.IntN(20), 1+r.IntN(40), 1+r.IntN(30)
			a := make([]float32, m*k)
			b := make([]float32, k*n)
			dyadic(r, a)
			dyadic(r, b)
			a[r.IntN(len(a))] = kernelSpecials[r.IntN(3)]
			b[r.IntN(len(b))] = kernelSpecials[r.IntN(5)]
			lda, ldb := k, n
			if tA {
				lda = m
			}
			if tB {
				ldb = k
			}
			got := make([]float32, m*n)
			want := make([]float32, m*n)
			sgemm(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, got, n)
			sgemmGeneric(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, want, n)
			for i := range got {
				if got[i] != want[i] && !sameFloat32(got[i], want[i]) {
					t.Fatalf("trial %d: C[%d] = %g, generic %g", trial, i, got[i], want[i])
				}
			}
		}
	})
}

// TestKernelSgemmGeneralTolerance compares non-dyadic products, where
// summation order matters, within 4·k·ε·Σ|a·b| per element.
func TestKernelSgemmGeneralTolerance(t *testing.T) {
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, s := range [][3]int{{60, 64, 64}, {64, 64, 64}, {33, 70, 129}, {5, 1, 300}, {1, 257, 3}} {
			m, n, k := s[0], s[1], s[2]
			a := make([]float32, m*k)
			b := make([]float32, k*n)
			for i := range a {
				a[i] = float32(r.NormFloat64())
			}
			for i := range b {
				b[i] = float32(r.NormFloat64())
			}
			got := make([]float32, m*n)
			want := make([]float64, m*n)
			sgemm(false, false, m, n, k, 1, a, k, b, n, 0, got, n)
			for i := range m {
				for j := range n {
					var sum, abs float64
					for p := range k {
						v := float64(a[i*k+p]) * float64(b[p*n+j])
						sum += v
						abs += math.Abs(v)
					}
					want[i*n+j] = sum
					if d := math.Abs(float64(got[i*n+j]) - sum); d > 4*float64(k)*0x1p-24*abs {
						t.Fatalf("%v: C[%d,%d] = %g, want %g", s, i, j, got[i*n+j], sum)
					}
				}
			}
		}
	})
}

func TestKernelSgemmAllocs(t *testing.T) {
	a := make([]float32, 64*64)
	c := make([]float32, 64*64)
	forEachKernelPath(t, func(t *testing.T) {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			if n := testing.AllocsPerRun(20, func() { sgemm(tr[0], tr[1], 60, 64, 64, 1, a, 64, a, 64, 0, c, 64) }); n != 0 {
				t.Errorf("trans %v: %v allocations per call", tr, n)
			}
		}
	})
}

func TestSgemmErrors(t *testing.T) {
	s := make([]float32, 12)
	cases := []struct {
		tA, tB        bool
		m, n, k       int
		lda, ldb, ldc int
		a, b, c       []float32
	}{
		{m: -1, n: 2, k: 2, lda: 2, ldb: 2, ldc: 2, a: s, b: s, c: s},
		{m: 2, n: 2, k: 2, lda: 1, ldb: 2, ldc: 2, a: s, b: s, c: s},
		{m: 2, n: 2, k: 2, lda: 2, ldb: 2, ldc: 1, a: s, b: s, c: s},
		{tA: true, m: 3, n: 2, k: 2, lda: 2, ldb: 2, ldc: 2, a: s, b: s, c: s},
		{m: 4, n: 3, k: 4, lda: 4, ldb: 3, ldc: 3, a: s, b: s, c: s},
		{tB: true, m: 2, n: 3, k: 5, lda: 5, ldb: 5, ldc: 3, a: s, b: s, c: s},
		{m: 2, n: 2, k: 2, lda: 2, ldb: 2, ldc: 2, a: s[:3], b: s, c: s},
	}
	for i, c := range cases {
		err := Sgemm(c.tA, c.tB, c.m, c.n, c.k, 1, c.a, c.lda, c.b, c.ldb, 0, c.c, c.ldc)
		if !errors.Is(err, ErrShape) {
			t.Errorf("case %d: err = %v, want ErrShape", i, err)
		}
	}
	if err := Sgemm(false, false, 2, 3, 2, 1, s, 2, s, 3, 0, s, 3); err != nil {
		t.Errorf("valid call: %v", err)
	}
	if err := Sgemm(false, false, 0, 0, 0, 1, nil, 1, nil, 1, 0, nil, 1); err != nil {
		t.Errorf("empty call: %v", err)
	}
}

// elementwise runs f (a kernel applied to fresh slices) for lengths 0–300
// and offsets 0–3 against ref (its generic twin) on identical inputs.
func elementwise(t *testing.T, name string, nin int, fill func(*rand.Rand, []float32), f, ref func(out []float32, in [][]float32)) {
	lengths := make([]int, 0, 320)
	for n := 0; n <= 300; n++ {
		if !testing.Short() || n <= 70 || n%37 == 0 {
			lengths = append(lengths, n)
		}
	}
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, uint64(len(name))))
		for _, n := range lengths {
			for off := range 4 {
				in := make([][]float32, nin)
				for i := range in {
					in[i] = make([]float32, off+n)[off:]
					fill(r, in[i])
				}
				got, buf := guarded(n, off)
				fill(r, got)
				want := append([]float32(nil), got...)
				f(got, in)
				ref(want, in)
				for i := range got {
					if !sameFloat32(got[i], want[i]) {
						t.Fatalf("%s n=%d off=%d: [%d] = %g, generic %g", name, n, off, i, got[i], want[i])
					}
				}
				checkGuards(t, buf, off, n)
			}
		}
	})
}

// The elementwise kernels perform the generic twin's operations in the same
// order, so they are compared bit for bit on general data with specials.
func TestKernelSaxpy(t *testing.T) {
	for _, alpha := range []float32{0.37, -2, 0} {
		elementwise(t, fmt.Sprint("saxpy", alpha), 1, general,
			func(y []float32, in [][]float32) { saxpy(alpha, in[0], y) },
			func(y []float32, in [][]float32) { saxpyGeneric(alpha, in[0], y) })
	}
}

func TestKernelSscal(t *testing.T) {
	for _, alpha := range []float32{0.37, -2, float32(math.Inf(1))} {
		elementwise(t, fmt.Sprint("sscal", alpha), 0, general,
			func(x []float32, _ [][]float32) { sscal(alpha, x) },
			func(x []float32, _ [][]float32) { sscalGeneric(alpha, x) })
	}
}

// biasOf returns the first cols elements of s, padded with 0.25 if s is shorter.
func biasOf(s []float32, cols int) []float32 {
	b := make([]float32, cols)
	for i := range b {
		b[i] = 0.25
	}
	copy(b, s)
	return b
}

func TestKernelAddBias(t *testing.T) {
	for _, cols := range []int{1, 3, 8, 17, 64} {
		elementwise(t, fmt.Sprint("addBias", cols), 1, general,
			func(z []float32, in [][]float32) { addBias(z, biasOf(in[0], cols), cols) },
			func(z []float32, in [][]float32) { addBiasGeneric(z, biasOf(in[0], cols), cols) })
	}
}

func TestKernelBiasTanh(t *testing.T) {
	for _, cols := range []int{1, 7, 8, 9, 40, 64} {
		elementwise(t, fmt.Sprint("biasTanh", cols), 1, general,
			func(z []float32, in [][]float32) { biasTanh(z, biasOf(in[0], cols), cols) },
			func(z []float32, in [][]float32) { biasTanhGeneric(z, biasOf(in[0], cols), cols) })
	}
}

func TestKernelTanhGrad(t *testing.T) {
	elementwise(t, "tanhGrad", 1, general,
		func(dz []float32, in [][]float32) { tanhGrad(dz, in[0]) },
		func(dz []float32, in [][]float32) { tanhGradGeneric(dz, in[0]) })
}

func TestKernelReparam(t *testing.T) {
	elementwise(t, "reparam", 3, general,
		func(w []float32, in [][]float32) { reparam(w, in[0], in[1], in[2]) },
		func(w []float32, in [][]float32) { reparamGeneric(w, in[0], in[1], in[2]) })
}

// TestKernelSdot compares sdot bit for bit on dyadic data (exact in any
// order) and, on general data, within 2·n·ε·Σ|x·y|.
func TestKernelSdot(t *testing.T) {
	elementwise(t, "sdot", 2, dyadic,
		func(out []float32, in [][]float32) {
			if len(out) > 0 {
				out[0] = sdot(in[0], in[1])
			}
		},
		func(out []float32, in [][]float32) {
			if len(out) > 0 {
				out[0] = sdotGeneric(in[0], in[1])
			}
		})
	forEachKernelPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(8, 9))
		for n := 0; n <= 300; n += 7 {
			x, y := make([]float32, n), make([]float32, n+3)
			for i := range x {
				x[i], y[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
			}
			var want, abs float64
			for i := range x {
				want += float64(x[i]) * float64(y[i])
				abs += math.Abs(float64(x[i]) * float64(y[i]))
			}
			if got := sdot(x, y); math.Abs(float64(got)-want) > 2*float64(n)*0x1p-24*abs {
				t.Fatalf("n=%d: sdot = %g, want %g", n, got, want)
			}
		}
		nan := []float32{1, 2, float32(math.NaN()), 4, 5, 6, 7, 8, 9}
		if v := sdot(nan, nan); v == v {
			t.Errorf("sdot with NaN = %g", v)
		}
	})
}

func TestKernelPathName(t *testing.T) {
	p := KernelPath()
	ok := false
	for _, q := range availableKernelPaths() {
		ok = ok || kernelPathNames[q] == p
	}
	if !ok || p != kernelPathNames[bestKernelPath()] {
		t.Errorf("KernelPath() = %q, available %v", p, availableKernelPaths())
	}
}

// FuzzSgemm compares every available path with the generic twin on shapes and
// dyadic values taken from the fuzz input, and checks that Sgemm rejects
// inconsistent arguments with ErrShape instead of panicking.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(0), uint8(3), uint8(4), uint8(5), uint8(0), []byte{1, 2, 3, 250, 7})
	f.Add(uint8(3), uint8(60), uint8(64), uint8(64), uint8(1), []byte{9, 8, 7})
	f.Add(uint8(1), uint8(1), uint8(33), uint8(2), uint8(2), []byte{})
	f.Fuzz(func(t *testing.T, flags, m8, n8, k8, pad8 uint8, data []byte) {
		tA, tB := flags&1 != 0, flags&2 != 0
		m, n, k, pad := int(m8%70), int(n8%70), int(k8%70), int(pad8%3)
		ar, ac := m, k
		if tA {
			ar, ac = k, m
		}
		br, bc := k, n
		if tB {
			br, bc = n, k
		}
		lda, ldb, ldc := max(ac, 1)+pad, max(bc, 1)+pad, max(n, 1)+pad
		val := func(i int) float32 {
			if len(data) == 0 {
				return 1
			}
			return float32(int(data[i%len(data)]+byte(i/len(data)))%17-8) / 4 // dyadic, sums exact
		}
		mk := func(rows, cols, ld, seed int) []float32 {
			s := make([]float32, max(0, (rows-1)*ld+cols))
			for i := range s {
				s[i] = val(i + seed)
			}
			return s
		}
		a, b := mk(ar, ac, lda, 0), mk(br, bc, ldb, 1)
		c0 := mk(m, n, ldc, 2)
		alpha, beta := float32(int(flags>>4&3)-1)/2, float32(flags>>2&3)/2
		want := append([]float32(nil), c0...)
		sgemmGeneric(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
		for _, p := range availableKernelPaths() {
			restore := setKernelPath(p)
			got := append([]float32(nil), c0...)
			err := Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc)
			restore()
			if err != nil {
				t.Fatalf("valid shape rejected: %v", err)
			}
			for i := range got {
				if got[i] != want[i] && !sameFloat32(got[i], want[i]) {
					t.Fatalf("%s: C[%d] = %g, generic %g", kernelPathNames[p], i, got[i], want[i])
				}
			}
		}
		got := c0
		if ar > 0 && ac > 0 {
			if err := Sgemm(tA, tB, m, n, k, alpha, a[:len(a)-1], lda, b, ldb, beta, got, ldc); !errors.Is(err, ErrShape) {
				t.Fatalf("short A: err = %v", err)
			}
		}
	})
}
