package bnn

import (
	"errors"
	"fmt"
	"math"
)

// Cholesky is the factorisation A = L·Lᵀ of a symmetric positive-definite
// matrix, with L lower triangular, stored row-major. Its methods solve
// systems, form the inverse and give the log-determinant from the factor.
// The zero value is empty; Factorize reuses the storage when the size does
// not grow, so a Cholesky kept across calls factorises without allocating.
type Cholesky struct {
	n    int
	l    []float64 // n×n row-major; strictly upper part is zero
	ok   bool
	diag []float64 // 1/L[i][i]
}

// Factorize computes the Cholesky factor of the symmetric matrix a, reading
// only its lower triangle. It returns ErrShape if a is not square,
// ErrNonFinite (naming the element) for NaN or ±Inf, and
// ErrNotPositiveDefinite naming the first pivot that is not positive. After
// an error the receiver is empty.
func (c *Cholesky) Factorize(a *Dense) error {
	return c.factorize(a, 0)
}

// FactorizeJitter factorises a, and if it is not positive definite retries
// with a + jitter·I for jitter = initial, 10·initial, 100·initial, … (at most
// maxRetries retries). It returns the jitter that succeeded (0 when a itself
// was positive definite). It returns ErrInvalidParameter for initial ≤ 0 or
// maxRetries < 0, the errors of Factorize for shape and non-finite input,
// and an error wrapping ErrNotPositiveDefinite reporting the last jitter
// tried when every retry failed.
func (c *Cholesky) FactorizeJitter(a *Dense, initial float64, maxRetries int) (jitter float64, err error) {
	if !(initial > 0) || math.IsInf(initial, 1) || maxRetries < 0 {
		return 0, fmt.Errorf("bnn: cholesky jitter: initial %g, retries %d: %w", initial, maxRetries, ErrInvalidParameter)
	}
	err = c.factorize(a, 0)
	jitter = initial
	for k := 0; k < maxRetries && errors.Is(err, ErrNotPositiveDefinite); k++ {
		if err = c.factorize(a, jitter); err == nil {
			return jitter, nil
		}
		if k+1 < maxRetries {
			jitter *= 10
		}
	}
	if err != nil {
		if maxRetries > 0 && errors.Is(err, ErrNotPositiveDefinite) {
			return 0, fmt.Errorf("bnn: cholesky: still not positive definite with jitter %g: %w", jitter, err)
		}
		return 0, err
	}
	return 0, nil
}

func (c *Cholesky) factorize(a *Dense, jitter float64) error {
	c.ok = false
	n := a.rows
	if a.cols != n {
		return fmt.Errorf("bnn: cholesky: matrix is %d×%d, not square: %w", a.rows, a.cols, ErrShape)
	}
	ad := a.data
	for i := 0; i < n; i++ {
		for j, v := range ad[i*n : i*n+i+1] {
			if v-v != 0 {
				return fmt.Errorf("bnn: cholesky: element (%d, %d) is %g: %w", i, j, v, ErrNonFinite)
			}
		}
	}
	if cap(c.l) < n*n {
		c.l = make([]float64, n*n)
		c.diag = make([]float64, n)
	}
	c.n = n
	l := c.l[:n*n]
	inv := c.diag[:n]
	// Rows are computed two at a time (Cholesky–Banachiewicz order): the
	// 2×2 blocks of dot products share their loads, and every inner loop runs
	// along contiguous rows.
	i := 0
	for ; i+1 < n; i += 2 {
		l0, l1 := l[i*n:(i+1)*n], l[(i+1)*n:(i+2)*n]
		a0, a1 := ad[i*n:(i+1)*n], ad[(i+1)*n:(i+2)*n]
		j := 0
		for ; j+1 < i; j += 2 {
			lj0, lj1 := l[j*n:j*n+j], l[(j+1)*n:(j+1)*n+j+1]
			s00, s01, s10, s11 := dot2x2F64(l0[:j], l1[:j], lj0, lj1[:j])
			v0 := (a0[j] - s00) * inv[j]
			v1 := (a1[j] - s10) * inv[j]
			l0[j], l1[j] = v0, v1
			ljj := lj1[j]
			l0[j+1] = (a0[j+1] - s01 - v0*ljj) * inv[j+1]
			l1[j+1] = (a1[j+1] - s11 - v1*ljj) * inv[j+1]
		}
		for ; j < i; j++ {
			lj := l[j*n : j*n+j]
			l0[j] = (a0[j] - dotF64(l0[:j], lj)) * inv[j]
			l1[j] = (a1[j] - dotF64(l1[:j], lj)) * inv[j]
		}
		d, err := choleskyPivot(i, a0[i]+jitter-dotF64(l0[:i], l0[:i]))
		if err != nil {
			return err
		}
		l0[i], inv[i] = d, 1/d
		clear(l0[i+1:])
		l1[i] = (a1[i] - dotF64(l1[:i], l0[:i])) * inv[i]
		d, err = choleskyPivot(i+1, a1[i+1]+jitter-dotF64(l1[:i+1], l1[:i+1]))
		if err != nil {
			return err
		}
		l1[i+1], inv[i+1] = d, 1/d
		clear(l1[i+2:])
	}
	if i < n { // last row when n is odd
		li, ai := l[i*n:(i+1)*n], ad[i*n:(i+1)*n]
		for j := 0; j < i; j++ {
			li[j] = (ai[j] - dotF64(li[:j], l[j*n:j*n+j])) * inv[j]
		}
		d, err := choleskyPivot(i, ai[i]+jitter-dotF64(li[:i], li[:i]))
		if err != nil {
			return err
		}
		li[i], inv[i] = d, 1/d
	}
	c.ok = true
	return nil
}

// choleskyPivot returns √d for the pivot d of row i, or an error naming the
// pivot when d is not positive.
func choleskyPivot(i int, d float64) (float64, error) {
	if !(d > 0) {
		return 0, fmt.Errorf("bnn: cholesky: pivot %d is %g: %w", i, d, ErrNotPositiveDefinite)
	}
	return math.Sqrt(d), nil
}

// dot2x2F64 returns the four dot products x0·y0, x0·y1, x1·y0, x1·y1 of
// equal-length vectors in one pass, two elements per step.
func dot2x2F64(x0, x1, y0, y1 []float64) (s00, s01, s10, s11 float64) {
	n := len(x0)
	x1, y0, y1 = x1[:n], y0[:n], y1[:n]
	var t00, t01, t10, t11 float64
	k := 0
	for ; k+2 <= n; k += 2 {
		a0, a1, b0, b1 := x0[k], x1[k], y0[k], y1[k]
		s00 += a0 * b0
		s01 += a0 * b1
		s10 += a1 * b0
		s11 += a1 * b1
		a0, a1, b0, b1 = x0[k+1], x1[k+1], y0[k+1], y1[k+1]
		t00 += a0 * b0
		t01 += a0 * b1
		t10 += a1 * b0
		t11 += a1 * b1
	}
	if k < n {
		a0, a1, b0, b1 := x0[k], x1[k], y0[k], y1[k]
		s00 += a0 * b0
		s01 += a0 * b1
		s10 += a1 * b0
		s11 += a1 * b1
	}
	return s00 + t00, s01 + t01, s10 + t10, s11 + t11
}

// Size returns n for an n×n factor (0 when empty).
func (c *Cholesky) Size() int {
	if !c.ok {
		return 0
	}
	return c.n
}

// LTo copies the lower-triangular factor L into dst (zeros above the
// diagonal). It returns ErrShape unless dst is n×n, ErrEmpty if c holds no factor.
func (c *Cholesky) LTo(dst *Dense) error {
	if err := c.check("LTo", dst.rows, dst.cols); err != nil {
		return err
	}
	copy(dst.data, c.l[:c.n*c.n])
	return nil
}

func (c *Cholesky) check(op string, rows, cols int) error {
	if !c.ok {
		return fmt.Errorf("bnn: cholesky %s: no factor: %w", op, ErrEmpty)
	}
	if rows != c.n || cols != c.n {
		return fmt.Errorf("bnn: cholesky %s: %d×%d operand for a %d×%d factor: %w", op, rows, cols, c.n, c.n, ErrShape)
	}
	return nil
}

func (c *Cholesky) checkVec(op string, dst, b []float64) error {
	if !c.ok {
		return fmt.Errorf("bnn: cholesky %s: no factor: %w", op, ErrEmpty)
	}
	if len(dst) != c.n || len(b) != c.n {
		return fmt.Errorf("bnn: cholesky %s: vectors of length %d and %d for a %d×%d factor: %w", op, len(dst), len(b), c.n, c.n, ErrShape)
	}
	return nil
}

// LogDet returns log det A = 2·Σ log L[i][i] (0 for an empty factor).
func (c *Cholesky) LogDet() float64 {
	if !c.ok {
		return 0
	}
	s := 0.0
	for i := 0; i < c.n; i++ {
		s += math.Log(c.l[i*c.n+i])
	}
	return 2 * s
}

// SolveVecTo solves A·x = b, writing x into dst (dst may be b). It returns
// ErrShape for wrong lengths and ErrEmpty if c holds no factor.
func (c *Cholesky) SolveVecTo(dst, b []float64) error {
	if err := c.checkVec("SolveVecTo", dst, b); err != nil {
		return err
	}
	c.forward(dst, b)
	c.backward(dst, dst)
	return nil
}

// SolveLVecTo solves L·y = b (forward substitution), writing y into dst
// (dst may be b). ‖y‖² = bᵀA⁻¹b, which gives quadratic forms without an
// inverse. Errors as SolveVecTo.
func (c *Cholesky) SolveLVecTo(dst, b []float64) error {
	if err := c.checkVec("SolveLVecTo", dst, b); err != nil {
		return err
	}
	c.forward(dst, b)
	return nil
}

// SolveLTVecTo solves Lᵀ·x = y (backward substitution), writing x into dst
// (dst may be y). For y ~ N(0, I), x ~ N(0, A⁻¹). Errors as SolveVecTo.
func (c *Cholesky) SolveLTVecTo(dst, y []float64) error {
	if err := c.checkVec("SolveLTVecTo", dst, y); err != nil {
		return err
	}
	c.backward(dst, y)
	return nil
}

// MulLVecTo computes L·z into dst (dst may be z). For z ~ N(0, I),
// L·z ~ N(0, A). Errors as SolveVecTo.
func (c *Cholesky) MulLVecTo(dst, z []float64) error {
	if err := c.checkVec("MulLVecTo", dst, z); err != nil {
		return err
	}
	n := c.n
	for i := n - 1; i >= 0; i-- {
		dst[i] = dotF64(c.l[i*n:i*n+i+1], z)
	}
	return nil
}

func (c *Cholesky) forward(dst, b []float64) {
	n := c.n
	l := c.l
	for i := 0; i < n; i++ {
		dst[i] = (b[i] - dotF64(l[i*n:i*n+i], dst)) * c.diag[i]
	}
}

func (c *Cholesky) backward(dst, y []float64) {
	n := c.n
	l := c.l
	copy(dst, y)
	for i := n - 1; i >= 0; i-- {
		xi := dst[i] * c.diag[i]
		dst[i] = xi
		axpyF64(-xi, l[i*n:i*n+i], dst)
	}
}

// SolveTo solves A·X = B for the n×k matrix B, writing X into dst (dst may
// be b). It returns ErrShape unless dst and b are n×k with the same k, and
// ErrEmpty if c holds no factor.
func (c *Cholesky) SolveTo(dst, b *Dense) error {
	if !c.ok {
		return fmt.Errorf("bnn: cholesky SolveTo: no factor: %w", ErrEmpty)
	}
	if b.rows != c.n || dst.rows != c.n || dst.cols != b.cols {
		return fmt.Errorf("bnn: cholesky SolveTo: %d×%d right side into %d×%d for a %d×%d factor: %w", b.rows, b.cols, dst.rows, dst.cols, c.n, c.n, ErrShape)
	}
	if dst != b {
		copy(dst.data, b.data)
	}
	c.solveRowsInPlace(dst)
	return nil
}

// solveRowsInPlace overwrites the n×k matrix x (holding B) with A⁻¹·B using
// row operations only, so every inner loop runs along contiguous rows.
func (c *Cholesky) solveRowsInPlace(x *Dense) {
	n, k := c.n, x.cols
	xd := x.data
	for i := 0; i < n; i++ {
		xi := xd[i*k : (i+1)*k]
		for j, lij := range c.l[i*n : i*n+i] {
			if lij != 0 {
				axpyF64(-lij, xd[j*k:(j+1)*k], xi)
			}
		}
		scaleF64(c.diag[i], xi)
	}
	for i := n - 1; i >= 0; i-- {
		xi := xd[i*k : (i+1)*k]
		scaleF64(c.diag[i], xi)
		for j, lij := range c.l[i*n : i*n+i] {
			if lij != 0 {
				axpyF64(-lij, xi, xd[j*k:(j+1)*k])
			}
		}
	}
}

// InverseTo writes A⁻¹ into dst, computed from the factor. Prefer the solves
// for linear systems. It returns ErrShape unless dst is n×n and ErrEmpty if c
// holds no factor.
func (c *Cholesky) InverseTo(dst *Dense) error {
	if err := c.check("InverseTo", dst.rows, dst.cols); err != nil {
		return err
	}
	n := c.n
	clear(dst.data)
	for i := 0; i < n; i++ {
		dst.data[i*n+i] = 1
	}
	c.solveRowsInPlace(dst)
	for i := 0; i < n; i++ { // symmetrise rounding differences
		for j := 0; j < i; j++ {
			v := 0.5 * (dst.data[i*n+j] + dst.data[j*n+i])
			dst.data[i*n+j], dst.data[j*n+i] = v, v
		}
	}
	return nil
}

// SolveLowerVecTo solves L·x = b for a lower-triangular L (its strict upper
// triangle is ignored), writing x into dst (dst may be b). It returns
// ErrShape for inconsistent sizes and ErrSingular naming a zero diagonal.
func SolveLowerVecTo(dst []float64, l *Dense, b []float64) error {
	if err := checkTriangular("SolveLowerVecTo", dst, l, b); err != nil {
		return err
	}
	n := l.rows
	for i := 0; i < n; i++ {
		dst[i] = (b[i] - dotF64(l.data[i*n:i*n+i], dst)) / l.data[i*n+i]
	}
	return nil
}

// SolveUpperVecTo solves U·x = b for an upper-triangular U (its strict lower
// triangle is ignored), writing x into dst (dst may be b). Errors as
// SolveLowerVecTo.
func SolveUpperVecTo(dst []float64, u *Dense, b []float64) error {
	if err := checkTriangular("SolveUpperVecTo", dst, u, b); err != nil {
		return err
	}
	n := u.rows
	for i := n - 1; i >= 0; i-- {
		dst[i] = (b[i] - dotF64(u.data[i*n+i+1:(i+1)*n], dst[i+1:])) / u.data[i*n+i]
	}
	return nil
}

func checkTriangular(op string, dst []float64, t *Dense, b []float64) error {
	n := t.rows
	if t.cols != n || len(dst) != n || len(b) != n {
		return fmt.Errorf("bnn: %s: %d×%d matrix with vectors of length %d and %d: %w", op, t.rows, t.cols, len(b), len(dst), ErrShape)
	}
	for i := 0; i < n; i++ {
		if t.data[i*n+i] == 0 {
			return fmt.Errorf("bnn: %s: diagonal %d is zero: %w", op, i, ErrSingular)
		}
	}
	return nil
}

// scaleF64 computes x[i] *= a.
func scaleF64(a float64, x []float64) {
	for i := range x {
		x[i] *= a
	}
}
