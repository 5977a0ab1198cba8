package bnn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// logAbsDet returns log|det a| for a small square matrix by Gaussian
// elimination with partial pivoting (test reference).
func logAbsDet(a [][]float64) float64 {
	n := len(a)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append([]float64(nil), a[i]...)
	}
	ld := 0.0
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		ld += math.Log(math.Abs(m[c][c]))
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k < n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	return ld
}

func transformCases(t *testing.T) []*Constrained {
	return []*Constrained{
		mustConstrained(t, Interval(0, 0.25)),
		mustConstrained(t, Interval(-3, 7)),
		mustConstrained(t, LowerBound(2)),
		mustConstrained(t, UpperBound(-1)),
		mustConstrained(t, Simplex(2)),
		mustConstrained(t, Simplex(4)),
		mustConstrained(t, Unbounded(2), Interval(0.6, 1.6), Simplex(3), LowerBound(0), UpperBound(5)),
	}
}

// The log-Jacobian equals log|det ∂x/∂y| by central differences (for a
// simplex, of its first k − 1 coordinates), and the round trip is exact.
func TestTransformJacobianAndRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for ci, tr := range transformCases(t) {
		ud, d := tr.UnconstrainedDim(), tr.Dim()
		for range 20 {
			y := make([]float64, ud)
			for i := range y {
				y[i] = 3 * r.NormFloat64()
			}
			x := make([]float64, d)
			lj, err := tr.ConstrainTo(x, y)
			if err != nil {
				t.Fatal(err)
			}
			// Round trip.
			y2 := make([]float64, ud)
			if err := tr.UnconstrainTo(y2, x); err != nil {
				t.Fatalf("case %d: y %v → x %v: %v", ci, y, x, err)
			}
			for i := range y {
				if math.Abs(y2[i]-y[i]) > 1e-7*math.Max(1, math.Abs(y[i])) {
					t.Errorf("case %d: round trip y[%d] %g → %g", ci, i, y[i], y2[i])
				}
			}
			// Jacobian of the coordinates that carry the density: drop the last
			// element of every simplex.
			keep := make([]int, 0, ud)
			off := 0
			for _, b := range tr.blocks {
				n := b.unconstrainedSize()
				for k := range n {
					keep = append(keep, off+k)
				}
				off += b.n
			}
			jac := make([][]float64, ud)
			xp, xm := make([]float64, d), make([]float64, d)
			for i := range jac {
				jac[i] = make([]float64, ud)
			}
			for j := range ud {
				h := 1e-6
				yp := append([]float64(nil), y...)
				ym := append([]float64(nil), y...)
				yp[j] += h
				ym[j] -= h
				tr.constrainTo(xp, yp, nil)
				tr.constrainTo(xm, ym, nil)
				for i, k := range keep {
					jac[i][j] = (xp[k] - xm[k]) / (2 * h)
				}
			}
			if want := logAbsDet(jac); math.Abs(lj-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("case %d, y %v: log-Jacobian %g, finite differences %g", ci, y, lj, want)
			}
			// Support.
			xi := 0
			for _, b := range tr.blocks {
				seg := x[xi : xi+b.n]
				switch b.kind {
				case constraintInterval:
					if !(seg[0] >= b.lo && seg[0] <= b.hi) {
						t.Errorf("interval value %g outside [%g, %g]", seg[0], b.lo, b.hi)
					}
				case constraintSimplex:
					s := 0.0
					for _, v := range seg {
						s += v
						if v < 0 {
							t.Errorf("simplex element %g < 0", v)
						}
					}
					if math.Abs(s-1) > 1e-12 {
						t.Errorf("simplex sums to %g", s)
					}
				}
				xi += b.n
			}
		}
	}
}

// The transformed log joint's gradient (chain rule plus log-Jacobian)
// agrees with central differences.
func TestTransformLogJointGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for ci, tr := range transformCases(t) {
		d := tr.Dim()
		w := make([]float64, d)
		for i := range w {
			w[i] = r.NormFloat64()
		}
		// A smooth constrained log density: Σ wᵢ·xᵢ − Σ xᵢ²/8 + Σ log(1 + xᵢ²).
		f := func(x, g []float64) float64 {
			s := 0.0
			for i, v := range x {
				s += w[i]*v - v*v/8 + math.Log1p(v*v)
				g[i] = w[i] - v/4 + 2*v/(1+v*v)
			}
			return s
		}
		lj := tr.LogJoint(f)
		for range 10 {
			y := make([]float64, tr.UnconstrainedDim())
			for i := range y {
				y[i] = 2 * r.NormFloat64()
			}
			if err := CheckGradient(lj, y, 1e-6); err != nil {
				t.Errorf("case %d, y %v: %v", ci, y, err)
			}
		}
	}
}

func TestTransformErrors(t *testing.T) {
	for _, c := range []Constraint{Interval(1, 1), Interval(2, 1), Interval(0, math.Inf(1)), LowerBound(math.NaN()),
		UpperBound(math.Inf(-1)), Simplex(1), Unbounded(0)} {
		if _, err := NewConstrained(c); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := NewConstrained(); !errors.Is(err, ErrEmpty) {
		t.Errorf("no blocks: %v", err)
	}
	tr := mustConstrained(t, Interval(0, 1), LowerBound(0), Simplex(3))
	y := make([]float64, tr.UnconstrainedDim())
	for _, c := range []struct {
		x    []float64
		want error
	}{
		{[]float64{0, 1, 0.2, 0.3, 0.5}, ErrInvalidParameter},    // on the interval's bound
		{[]float64{0.5, -1, 0.2, 0.3, 0.5}, ErrInvalidParameter}, // below the lower bound
		{[]float64{0.5, 1, 0.2, 0.3, 0.6}, ErrInvalidParameter},  // simplex sums to 1.1
		{[]float64{0.5, 1, 0, 0.5, 0.5}, ErrInvalidParameter},    // simplex element 0
		{[]float64{0.5, math.NaN(), 0.2, 0.3, 0.5}, ErrNonFinite},
		{[]float64{0.5, 1}, ErrShape},
	} {
		if err := tr.UnconstrainTo(y, c.x); !errors.Is(err, c.want) {
			t.Errorf("x %v: %v, want %v", c.x, err, c.want)
		}
	}
	if _, err := tr.ConstrainTo(make([]float64, 4), y); !errors.Is(err, ErrShape) {
		t.Errorf("short dst: %v", err)
	}
}

// Sampling a flat density through each transform reproduces the prior the
// transform implies: Uniform(lo, hi) on an interval and the uniform
// Dirichlet(1, …, 1) on a simplex (means within 4 MCSE).
func TestTransformSampleUniform(t *testing.T) {
	tr := mustConstrained(t, Interval(-1, 3), Simplex(3))
	flat := func(x, g []float64) float64 { clear(g); return 0 }
	res, err := SampleNUTS(context.Background(), 4, flat, NUTSConfig{Seed: 21, Transforms: tr})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 1.0 / 3, 1.0 / 3, 1.0 / 3}
	wantSD := []float64{4 / math.Sqrt(12), math.Sqrt(2.0 / 36), math.Sqrt(2.0 / 36), math.Sqrt(2.0 / 36)}
	checkMoments(t, res, want, wantSD, 0.1)
}
