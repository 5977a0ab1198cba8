package bnn

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomSPD returns B·Bᵀ + n·I for a random n×n B: well conditioned and SPD.
func randomSPD(n int, r *rand.Rand) *Dense {
	b, _ := NewDense(n, n, nil)
	for i := range b.data {
		b.data[i] = r.NormFloat64()
	}
	bt, _ := NewDense(n, n, nil)
	_ = TransposeTo(bt, b)
	a, _ := NewDense(n, n, nil)
	_ = MulTo(a, b, bt)
	for i := 0; i < n; i++ {
		a.data[i*n+i] += float64(n)
	}
	return a
}

func randomVec(n int, r *rand.Rand) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64()
	}
	return v
}

func maxAbsDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

func TestCholeskySolvesAndInverse(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 5, 17, 40} {
		a := randomSPD(n, r)
		var c Cholesky
		if err := c.Factorize(a); err != nil {
			t.Fatal(err)
		}
		// L·Lᵀ reproduces A.
		l, _ := NewDense(n, n, nil)
		if err := c.LTo(l); err != nil {
			t.Fatal(err)
		}
		lt, _ := NewDense(n, n, nil)
		_ = TransposeTo(lt, l)
		llt, _ := NewDense(n, n, nil)
		_ = MulTo(llt, l, lt)
		if d := maxAbsDiff(llt.data, a.data); d > 1e-12*float64(n) {
			t.Errorf("n=%d: |LLᵀ−A| = %g", n, d)
		}
		// Vector solve.
		b := randomVec(n, r)
		x := make([]float64, n)
		if err := c.SolveVecTo(x, b); err != nil {
			t.Fatal(err)
		}
		ax := make([]float64, n)
		_ = a.MulVecTo(ax, x)
		if d := maxAbsDiff(ax, b); d > 1e-11 {
			t.Errorf("n=%d: SolveVecTo residual %g", n, d)
		}
		// Matrix solve agrees with vector solves column by column.
		bm, _ := NewDense(n, 3, nil)
		for i := range bm.data {
			bm.data[i] = r.NormFloat64()
		}
		xm, _ := NewDense(n, 3, nil)
		if err := c.SolveTo(xm, bm); err != nil {
			t.Fatal(err)
		}
		axm, _ := NewDense(n, 3, nil)
		_ = MulTo(axm, a, xm)
		if d := maxAbsDiff(axm.data, bm.data); d > 1e-11 {
			t.Errorf("n=%d: SolveTo residual %g", n, d)
		}
		// Inverse times A is I.
		inv, _ := NewDense(n, n, nil)
		if err := c.InverseTo(inv); err != nil {
			t.Fatal(err)
		}
		prod, _ := NewDense(n, n, nil)
		_ = MulTo(prod, inv, a)
		if d := maxAbsDiff(prod.data, Eye(n).data); d > 1e-12 {
			t.Errorf("n=%d: |A⁻¹A − I| = %g", n, d)
		}
		// Log-det agrees with LU.
		var lu LU
		if err := lu.Factorize(a); err != nil {
			t.Fatal(err)
		}
		la, sign := lu.LogAbsDet()
		if sign != 1 || math.Abs(la-c.LogDet()) > 1e-10*math.Abs(la) {
			t.Errorf("n=%d: logdet %g vs LU %g (sign %g)", n, c.LogDet(), la, sign)
		}
		// L⁻¹ then L⁻ᵀ equals the full solve; L·(L⁻¹b) = b.
		y := make([]float64, n)
		_ = c.SolveLVecTo(y, b)
		ly := make([]float64, n)
		_ = c.MulLVecTo(ly, y)
		if d := maxAbsDiff(ly, b); d > 1e-12 {
			t.Errorf("n=%d: L·L⁻¹b − b = %g", n, d)
		}
		_ = c.SolveLTVecTo(y, y)
		if d := maxAbsDiff(y, x); d > 1e-12 {
			t.Errorf("n=%d: two triangular solves differ from SolveVecTo by %g", n, d)
		}
	}
}

func TestNewDenseRows(t *testing.T) {
	src := [][]float64{{1, 2, 3}, {4, 5, 6}}
	m, err := NewDenseRows(src)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := m.Dims(); r != 2 || c != 3 || m.At(1, 0) != 4 || m.At(0, 2) != 3 {
		t.Errorf("%d×%d %v", r, c, m.RawData())
	}
	src[0][0] = 9
	if m.At(0, 0) != 1 {
		t.Error("NewDenseRows shares the caller's rows")
	}
	if _, err := NewDenseRows([][]float64{{1, 2}, {3}}); !errors.Is(err, ErrShape) {
		t.Errorf("ragged rows: %v", err)
	}
	if e, err := NewDenseRows(nil); err != nil || len(e.RawData()) != 0 {
		t.Errorf("no rows: %v %v", e, err)
	}
}

func TestCholeskyKnown(t *testing.T) {
	a, _ := NewDense(3, 3, []float64{4, 12, -16, 12, 37, -43, -16, -43, 98})
	var c Cholesky
	if err := c.Factorize(a); err != nil {
		t.Fatal(err)
	}
	l, _ := NewDense(3, 3, nil)
	_ = c.LTo(l)
	want := []float64{2, 0, 0, 6, 1, 0, -8, 5, 3}
	if d := maxAbsDiff(l.data, want); d != 0 {
		t.Errorf("L = %v, want %v", l.data, want)
	}
	if got := c.LogDet(); math.Abs(got-math.Log(36)) > 1e-14 {
		t.Errorf("LogDet = %g, want log 36 = %g", got, math.Log(36))
	}
}

func TestCholeskyErrors(t *testing.T) {
	var c Cholesky
	notSPD, _ := NewDense(2, 2, []float64{1, 2, 2, 1})
	err := c.Factorize(notSPD)
	if !errors.Is(err, ErrNotPositiveDefinite) {
		t.Fatalf("indefinite: %v", err)
	}
	if want := "pivot 1"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
	if c.Size() != 0 || c.SolveVecTo(make([]float64, 2), make([]float64, 2)) == nil {
		t.Error("failed factorisation left a usable factor")
	}
	rect, _ := NewDense(2, 3, nil)
	if err := c.Factorize(rect); !errors.Is(err, ErrShape) {
		t.Errorf("rectangular: %v", err)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		m, _ := NewDense(2, 2, []float64{1, 0, bad, 1})
		if err := c.Factorize(m); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "(1, 0)") {
			t.Errorf("%g: %v", bad, err)
		}
	}
	spd, _ := NewDense(2, 2, []float64{2, 1, 1, 2})
	if err := c.Factorize(spd); err != nil {
		t.Fatal(err)
	}
	if err := c.SolveVecTo(make([]float64, 3), make([]float64, 2)); !errors.Is(err, ErrShape) {
		t.Errorf("wrong length: %v", err)
	}
	b3, _ := NewDense(3, 1, nil)
	if err := c.SolveTo(b3, b3); !errors.Is(err, ErrShape) {
		t.Errorf("wrong rows: %v", err)
	}
	if _, err := NewDense(2, 2, make([]float64, 3)); !errors.Is(err, ErrShape) {
		t.Errorf("NewDense length: %v", err)
	}
}

func TestCholeskyJitter(t *testing.T) {
	// Rank-one PSD matrix: singular, so it needs jitter.
	v := []float64{1, 2, 3}
	a, _ := NewDense(3, 3, nil)
	for i := range v {
		for j := range v {
			a.data[i*3+j] = v[i] * v[j]
		}
	}
	var c Cholesky
	if err := c.Factorize(a); !errors.Is(err, ErrNotPositiveDefinite) {
		t.Fatalf("singular PSD factorised: %v", err)
	}
	jit, err := c.FactorizeJitter(a, 1e-10, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !(jit >= 1e-10 && jit <= 1e-5) {
		t.Errorf("jitter %g", jit)
	}
	spd := randomSPD(4, rand.New(rand.NewPCG(3, 4)))
	if jit, err := c.FactorizeJitter(spd, 1e-10, 6); err != nil || jit != 0 {
		t.Errorf("SPD needed jitter %g (%v)", jit, err)
	}
	neg, _ := NewDense(1, 1, []float64{-1})
	if _, err := c.FactorizeJitter(neg, 1e-10, 3); !errors.Is(err, ErrNotPositiveDefinite) || !strings.Contains(err.Error(), "1e-08") {
		t.Errorf("negative definite: %v", err)
	}
	if _, err := c.FactorizeJitter(spd, 0, 3); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("zero initial jitter: %v", err)
	}
}

func TestCholeskyFactorizeNoAllocs(t *testing.T) {
	a := randomSPD(32, rand.New(rand.NewPCG(5, 6)))
	var c Cholesky
	_ = c.Factorize(a)
	b := randomVec(32, rand.New(rand.NewPCG(7, 8)))
	x := make([]float64, 32)
	allocs := testing.AllocsPerRun(20, func() {
		if err := c.Factorize(a); err != nil {
			t.Fatal(err)
		}
		if err := c.SolveVecTo(x, b); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Factorize+SolveVecTo allocate %g times", allocs)
	}
}

func TestTriangularSolves(t *testing.T) {
	l, _ := NewDense(3, 3, []float64{2, 9, 9, 1, 3, 9, -1, 2, 4})
	x := []float64{1, -2, 0.5}
	b := []float64{2, 1 - 6, -1 - 4 + 2}
	got := make([]float64, 3)
	if err := SolveLowerVecTo(got, l, b); err != nil || maxAbsDiff(got, x) > 1e-15 {
		t.Errorf("lower: %v %v", got, err)
	}
	u, _ := NewDense(3, 3, []float64{2, 1, -1, 9, 3, 2, 9, 9, 4})
	bu := []float64{2*1 + 1*-2 - 1*0.5, 3*-2 + 2*0.5, 4 * 0.5} // U·x
	if err := SolveUpperVecTo(got, u, bu); err != nil || maxAbsDiff(got, x) > 1e-15 {
		t.Errorf("upper: %v %v", got, err)
	}
	u.Set(1, 1, 0)
	if err := SolveUpperVecTo(got, u, bu); !errors.Is(err, ErrSingular) {
		t.Errorf("zero diagonal: %v", err)
	}
}

func TestLU(t *testing.T) {
	a, _ := NewDense(3, 3, []float64{0, 2, 1, 1, 1, 1, 2, 1, 3})
	var f LU
	if err := f.Factorize(a); err != nil {
		t.Fatal(err)
	}
	// det = 0·(3−1) − 2·(3−2) + 1·(1−2) = −3.
	if d := f.Det(); math.Abs(d+3) > 1e-14 {
		t.Errorf("Det = %g, want -3", d)
	}
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 4, 23} {
		m, _ := NewDense(n, n, nil)
		for i := range m.data {
			m.data[i] = r.NormFloat64()
		}
		if err := f.Factorize(m); err != nil {
			t.Fatal(err)
		}
		b := randomVec(n, r)
		x := make([]float64, n)
		if err := f.SolveVecTo(x, b); err != nil {
			t.Fatal(err)
		}
		ax := make([]float64, n)
		_ = m.MulVecTo(ax, x)
		if d := maxAbsDiff(ax, b); d > 1e-10 {
			t.Errorf("n=%d residual %g", n, d)
		}
		inPlace := append([]float64(nil), b...)
		if err := f.SolveVecTo(inPlace, inPlace); err != nil || maxAbsDiff(inPlace, x) != 0 {
			t.Errorf("n=%d: in-place solve differs (%v)", n, err)
		}
		inv, _ := NewDense(n, n, nil)
		if err := f.InverseTo(inv); err != nil {
			t.Fatal(err)
		}
		prod, _ := NewDense(n, n, nil)
		_ = MulTo(prod, m, inv)
		if d := maxAbsDiff(prod.data, Eye(n).data); d > 1e-10 {
			t.Errorf("n=%d |A·A⁻¹−I| = %g", n, d)
		}
		if a := testing.AllocsPerRun(5, func() { _ = f.InverseTo(inv) }); a != 0 {
			t.Errorf("n=%d: InverseTo allocates %g times", n, a)
		}
		if err := f.InverseTo(&Dense{rows: n, cols: n + 1, data: make([]float64, n*(n+1))}); !errors.Is(err, ErrShape) {
			t.Errorf("n=%d: wrong inverse shape: %v", n, err)
		}
	}
	sing, _ := NewDense(2, 2, []float64{1, 2, 2, 4})
	if err := f.Factorize(sing); !errors.Is(err, ErrSingular) {
		t.Errorf("singular: %v", err)
	}
	if f.Det() != 0 || !errors.Is(f.SolveVecTo(make([]float64, 2), []float64{1, 1}), ErrSingular) {
		t.Error("singular factor is usable")
	}
	nan, _ := NewDense(2, 2, []float64{1, math.NaN(), 2, 4})
	if err := f.Factorize(nan); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN: %v", err)
	}
}

func TestEigenSym(t *testing.T) {
	// Known spectrum: [[2,1],[1,2]] has 1 and 3.
	a, _ := NewDense(2, 2, []float64{2, 1, 1, 2})
	var e EigenSym
	if err := e.Factorize(a, true); err != nil {
		t.Fatal(err)
	}
	if v := e.Values(); math.Abs(v[0]-1) > 1e-15 || math.Abs(v[1]-3) > 1e-15 {
		t.Errorf("values %v", v)
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 3, 10, 30} {
		m := randomSPD(n, r)
		for i := 0; i < n; i++ { // make it indefinite
			m.data[i*n+i] -= 1.5 * float64(n)
		}
		if err := e.Factorize(m, true); err != nil {
			t.Fatal(err)
		}
		vals := e.Values()
		v, _ := NewDense(n, n, nil)
		_ = e.VectorsTo(v)
		av, _ := NewDense(n, n, nil)
		_ = MulTo(av, m, v)
		for j := 0; j < n; j++ {
			if j > 0 && vals[j] < vals[j-1] {
				t.Fatalf("not sorted: %v", vals)
			}
			for i := 0; i < n; i++ {
				if d := math.Abs(av.At(i, j) - vals[j]*v.At(i, j)); d > 1e-11*float64(n) {
					t.Fatalf("n=%d: A·v − λv = %g at (%d, %d)", n, d, i, j)
				}
			}
		}
		vt, _ := NewDense(n, n, nil)
		_ = TransposeTo(vt, v)
		vtv, _ := NewDense(n, n, nil)
		_ = MulTo(vtv, vt, v)
		if d := maxAbsDiff(vtv.data, Eye(n).data); d > 1e-13 {
			t.Errorf("n=%d: VᵀV − I = %g", n, d)
		}
		// Values only agrees with values+vectors.
		var e2 EigenSym
		_ = e2.Factorize(m, false)
		if d := maxAbsDiff(e2.Values(), vals); d > 1e-12 {
			t.Errorf("n=%d: values differ by %g", n, d)
		}
		if err := e2.VectorsTo(v); !errors.Is(err, ErrEmpty) {
			t.Errorf("vectors without computing them: %v", err)
		}
	}
	if err := e.Factorize(&Dense{rows: 1, cols: 2, data: []float64{1, 2}}, false); !errors.Is(err, ErrShape) {
		t.Errorf("rectangular: %v", err)
	}
	// Entries whose squares overflow: [[1,1],[1,2]]·s has (3 ∓ √5)/2·s.
	for _, s := range []float64{1e200, 1e-200} {
		big, _ := NewDense(2, 2, []float64{s, s, s, 2 * s})
		if err := e.Factorize(big, false); err != nil {
			t.Fatal(err)
		}
		want := []float64{(3 - math.Sqrt(5)) / 2 * s, (3 + math.Sqrt(5)) / 2 * s}
		for i, v := range e.Values() {
			if math.Abs(v-want[i]) > 1e-14*s {
				t.Errorf("scale %g: values %v, want %v", s, e.Values(), want)
				break
			}
		}
	}
}

// FuzzCholesky feeds arbitrary symmetric matrices (from the fuzzer's bytes)
// through Cholesky, the vector and matrix solves and the inverse: nothing may
// panic, and every successful solve must leave a small relative residual.
func FuzzCholesky(f *testing.F) {
	f.Add([]byte{3, 10, 20, 30, 40, 50, 60, 70, 80, 90}, uint8(3))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0}, uint8(1))
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 255}, uint8(8))
	f.Fuzz(func(t *testing.T, raw []byte, nb uint8) {
		n := int(nb % 12)
		vals := make([]float64, n*n)
		for i := range vals {
			if len(raw) > 0 {
				vals[i] = float64(int8(raw[i%len(raw)]))/16 + float64(i%3)
			}
		}
		// Symmetric with a diagonal that is sometimes dominant.
		a, _ := NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j <= i; j++ {
				v := vals[i*n+j]
				if i == j && len(raw) > 0 && raw[0]%2 == 0 {
					v = math.Abs(v) + float64(n)*8
				}
				a.data[i*n+j], a.data[j*n+i] = v, v
			}
		}
		if len(raw) > 1 && raw[1] == 7 && n > 0 {
			a.data[n*n-1] = math.NaN()
		}
		var c Cholesky
		if err := c.Factorize(a); err != nil {
			if !errors.Is(err, ErrNotPositiveDefinite) && !errors.Is(err, ErrNonFinite) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		norm := 0.0
		for _, v := range a.data {
			norm = math.Max(norm, math.Abs(v))
		}
		b := make([]float64, n)
		for i := range b {
			b[i] = float64(i%5) - 2
		}
		x := make([]float64, n)
		if err := c.SolveVecTo(x, b); err != nil {
			t.Fatal(err)
		}
		checkResidual(t, a, x, b, norm)
		bm, _ := NewDense(n, 2, nil)
		for i := range bm.data {
			bm.data[i] = float64(i%7) - 3
		}
		orig := bm.Clone()
		if err := c.SolveTo(bm, bm); err != nil {
			t.Fatal(err)
		}
		for col := 0; col < 2; col++ {
			xc, bc := make([]float64, n), make([]float64, n)
			for i := 0; i < n; i++ {
				xc[i], bc[i] = bm.At(i, col), orig.At(i, col)
			}
			checkResidual(t, a, xc, bc, norm)
		}
		inv, _ := NewDense(n, n, nil)
		if err := c.InverseTo(inv); err != nil {
			t.Fatal(err)
		}
		if ld := c.LogDet(); math.IsNaN(ld) {
			t.Fatalf("LogDet NaN")
		}
	})
}

// checkResidual asserts ‖Ax − b‖∞ ≤ 1e-8·(‖A‖·‖x‖ + ‖b‖) (max norms), a
// backward-stable bound with a generous constant.
func checkResidual(t *testing.T, a *Dense, x, b []float64, normA float64) {
	t.Helper()
	ax := make([]float64, len(b))
	_ = a.MulVecTo(ax, x)
	normX, normB := 0.0, 0.0
	for i := range x {
		normX = math.Max(normX, math.Abs(x[i]))
		normB = math.Max(normB, math.Abs(b[i]))
	}
	if d := maxAbsDiff(ax, b); d > 1e-8*(float64(len(b))*normA*normX+normB) {
		t.Fatalf("residual %g with ‖A‖ %g ‖x‖ %g", d, normA, normX)
	}
}

func benchmarkCholesky(b *testing.B, n int) {
	a := randomSPD(n, rand.New(rand.NewPCG(uint64(n), 1)))
	var c Cholesky
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Factorize(a); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkCholeskySolve(b *testing.B, n int) {
	a := randomSPD(n, rand.New(rand.NewPCG(uint64(n), 1)))
	rhs := randomVec(n, rand.New(rand.NewPCG(uint64(n), 2)))
	x := make([]float64, n)
	var c Cholesky
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Factorize(a); err != nil {
			b.Fatal(err)
		}
		if err := c.SolveVecTo(x, rhs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCholesky10(b *testing.B)       { benchmarkCholesky(b, 10) }
func BenchmarkCholesky64(b *testing.B)       { benchmarkCholesky(b, 64) }
func BenchmarkCholesky256(b *testing.B)      { benchmarkCholesky(b, 256) }
func BenchmarkCholeskySolve10(b *testing.B)  { benchmarkCholeskySolve(b, 10) }
func BenchmarkCholeskySolve64(b *testing.B)  { benchmarkCholeskySolve(b, 64) }
func BenchmarkCholeskySolve256(b *testing.B) { benchmarkCholeskySolve(b, 256) }

// FuzzLUEigen feeds arbitrary square matrices through LU (solve, inverse,
// determinant) and the symmetric eigensolver: nothing may panic, errors must
// be the documented ones, LU solves must leave a small residual, and the
// eigenvalues must sum to the trace.
func FuzzLUEigen(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(3))
	f.Add([]byte{0, 0, 0, 0}, uint8(2))
	f.Add([]byte{128, 1, 255}, uint8(7))
	f.Fuzz(func(t *testing.T, raw []byte, nb uint8) {
		n := int(nb % 10)
		a, _ := NewDense(n, n, nil)
		for i := range a.data {
			if len(raw) > 0 {
				a.data[i] = float64(int8(raw[i%len(raw)])) / 8
			}
		}
		var lu LU
		if err := lu.Factorize(a); err == nil {
			norm := 0.0
			for _, v := range a.data {
				norm = math.Max(norm, math.Abs(v))
			}
			b := make([]float64, n)
			for i := range b {
				b[i] = float64(i%3) - 1
			}
			x := make([]float64, n)
			if err := lu.SolveVecTo(x, b); err != nil {
				t.Fatal(err)
			}
			if ld, _ := lu.LogAbsDet(); ld > -30 { // skip nearly singular matrices
				checkResidual(t, a, x, b, norm)
			}
			inv, _ := NewDense(n, n, nil)
			if err := lu.InverseTo(inv); err != nil {
				t.Fatal(err)
			}
		} else if !errors.Is(err, ErrSingular) {
			t.Fatalf("LU: %v", err)
		} else if lu.Det() != 0 {
			t.Fatalf("singular factor with Det %g", lu.Det())
		}
		var e EigenSym
		if err := e.Factorize(a, n%2 == 0); err != nil {
			t.Fatalf("eigen: %v", err)
		}
		trace, sum, scale := 0.0, 0.0, 1.0
		for i, v := range e.Values() {
			trace += a.At(i, i)
			sum += v
			scale += math.Abs(v)
		}
		if math.Abs(trace-sum) > 1e-10*scale {
			t.Fatalf("eigenvalues sum to %g, trace %g", sum, trace)
		}
	})
}

func TestEigenSymValuesTo(t *testing.T) {
	var e EigenSym
	if err := e.ValuesTo(make([]float64, 2)); !errors.Is(err, ErrEmpty) {
		t.Errorf("before Factorize: %v, want ErrEmpty", err)
	}
	if v := e.Values(); v != nil {
		t.Errorf("before Factorize: Values() = %v, want nil", v)
	}
	a, _ := NewDenseRows([][]float64{{2, 1}, {1, 2}})
	if err := e.Factorize(a, false); err != nil {
		t.Fatal(err)
	}
	if err := e.ValuesTo(make([]float64, 3)); !errors.Is(err, ErrShape) {
		t.Errorf("3 values for n = 2: %v, want ErrShape", err)
	}
	dst := make([]float64, 2)
	if err := e.ValuesTo(dst); err != nil || math.Abs(dst[0]-1) > 1e-15 || math.Abs(dst[1]-3) > 1e-15 {
		t.Errorf("ValuesTo = %v, %v; want [1 3]", dst, err)
	}
	v := e.Values()
	v[0] = 99 // a copy: the decomposition is unchanged
	if w := e.Values(); w[0] != dst[0] {
		t.Errorf("Values returned the internal slice")
	}
}
