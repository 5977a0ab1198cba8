package bnn

import (
	"fmt"
	"math"
)

// LU is the factorisation P·A = L·U of a square matrix with partial (row)
// pivoting: L is unit lower triangular, U upper triangular, both packed
// row-major into one n×n array. Use it for non-symmetric systems, the
// inverse and the determinant; use Cholesky for symmetric positive-definite
// matrices.
type LU struct {
	n        int
	lu       []float64
	swaps    []int // at step k, rows k and swaps[k] were exchanged (LAPACK's ipiv)
	sign     float64
	ok       bool
	singular int // index of the first zero pivot, or -1
}

// Factorize computes the LU factorisation of a. It returns ErrShape if a is
// not square and ErrNonFinite naming the element for NaN or ±Inf. An exactly
// singular matrix is factorised anyway (Det then returns 0) and Factorize
// returns an error wrapping ErrSingular naming the first zero pivot; the
// solves and InverseTo return ErrSingular for such a factor.
func (f *LU) Factorize(a *Dense) error {
	f.ok = false
	n := a.rows
	if a.cols != n {
		return fmt.Errorf("bnn: lu: matrix is %d×%d, not square: %w", a.rows, a.cols, ErrShape)
	}
	if err := a.checkFinite("bnn: lu"); err != nil {
		return err
	}
	if cap(f.lu) < n*n {
		f.lu = make([]float64, n*n)
	}
	if cap(f.swaps) < n {
		f.swaps = make([]int, n)
	}
	f.n, f.lu, f.swaps = n, f.lu[:n*n], f.swaps[:n]
	copy(f.lu, a.data)
	f.sign, f.singular = 1, -1
	lu := f.lu
	for k := 0; k < n; k++ {
		p, best := k, math.Abs(lu[k*n+k])
		for i := k + 1; i < n; i++ {
			if v := math.Abs(lu[i*n+k]); v > best {
				p, best = i, v
			}
		}
		f.swaps[k] = p
		if p != k {
			rk, rp := lu[k*n:(k+1)*n], lu[p*n:(p+1)*n]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
			f.sign = -f.sign
		}
		pivot := lu[k*n+k]
		if pivot == 0 {
			if f.singular < 0 {
				f.singular = k
			}
			continue
		}
		rk := lu[k*n+k+1 : (k+1)*n]
		for i := k + 1; i < n; i++ {
			m := lu[i*n+k] / pivot
			lu[i*n+k] = m
			if m != 0 {
				axpyF64(-m, rk, lu[i*n+k+1:(i+1)*n])
			}
		}
	}
	f.ok = true
	if f.singular >= 0 {
		return fmt.Errorf("bnn: lu: pivot %d is zero: %w", f.singular, ErrSingular)
	}
	return nil
}

// Det returns det A (0 for a singular factor or when f holds no factor).
func (f *LU) Det() float64 {
	if !f.ok || f.singular >= 0 {
		return 0
	}
	d := f.sign
	for i := 0; i < f.n; i++ {
		d *= f.lu[i*f.n+i]
	}
	return d
}

// LogAbsDet returns log|det A| and the sign of det A (−Inf and 0 for a
// singular factor); it does not overflow where Det would.
func (f *LU) LogAbsDet() (logAbs, sign float64) {
	if !f.ok || f.singular >= 0 {
		return math.Inf(-1), 0
	}
	sign = f.sign
	for i := 0; i < f.n; i++ {
		v := f.lu[i*f.n+i]
		if v < 0 {
			sign = -sign
		}
		logAbs += math.Log(math.Abs(v))
	}
	return logAbs, sign
}

func (f *LU) usable(op string) error {
	if !f.ok {
		return fmt.Errorf("bnn: lu %s: no factor: %w", op, ErrEmpty)
	}
	if f.singular >= 0 {
		return fmt.Errorf("bnn: lu %s: pivot %d is zero: %w", op, f.singular, ErrSingular)
	}
	return nil
}

// SolveVecTo solves A·x = b, writing x into dst (dst may be b). It
// returns ErrShape for wrong lengths, ErrSingular for a singular factor and
// ErrEmpty if f holds no factor.
func (f *LU) SolveVecTo(dst, b []float64) error {
	if err := f.usable("SolveVecTo"); err != nil {
		return err
	}
	n := f.n
	if len(dst) != n || len(b) != n {
		return fmt.Errorf("bnn: lu SolveVecTo: vectors of length %d and %d for a %d×%d factor: %w", len(dst), len(b), n, n, ErrShape)
	}
	copy(dst, b)
	for k, p := range f.swaps {
		dst[k], dst[p] = dst[p], dst[k]
	}
	for i := 0; i < n; i++ {
		dst[i] -= dotF64(f.lu[i*n:i*n+i], dst)
	}
	for i := n - 1; i >= 0; i-- {
		dst[i] = (dst[i] - dotF64(f.lu[i*n+i+1:(i+1)*n], dst[i+1:])) / f.lu[i*n+i]
	}
	return nil
}

// SolveTo solves A·X = B for the n×k matrix B, writing X into dst (dst may
// be b). Errors as SolveVecTo.
func (f *LU) SolveTo(dst, b *Dense) error {
	if err := f.usable("SolveTo"); err != nil {
		return err
	}
	n, k := f.n, b.cols
	if b.rows != n || dst.rows != n || dst.cols != k {
		return fmt.Errorf("bnn: lu SolveTo: %d×%d right side into %d×%d for a %d×%d factor: %w", b.rows, b.cols, dst.rows, dst.cols, n, n, ErrShape)
	}
	x := dst.data
	copy(x, b.data)
	for r, p := range f.swaps {
		if p != r {
			xr, xp := x[r*k:(r+1)*k], x[p*k:(p+1)*k]
			for j := range xr {
				xr[j], xp[j] = xp[j], xr[j]
			}
		}
	}
	for i := 0; i < n; i++ {
		xi := x[i*k : (i+1)*k]
		for j, m := range f.lu[i*n : i*n+i] {
			if m != 0 {
				axpyF64(-m, x[j*k:(j+1)*k], xi)
			}
		}
	}
	for i := n - 1; i >= 0; i-- {
		xi := x[i*k : (i+1)*k]
		for j, u := range f.lu[i*n+i+1 : (i+1)*n] {
			if u != 0 {
				axpyF64(-u, x[(i+1+j)*k:(i+2+j)*k], xi)
			}
		}
		scaleF64(1/f.lu[i*n+i], xi)
	}
	return nil
}

// InverseTo writes A⁻¹ into dst. Prefer the solves for linear systems.
// It returns ErrShape unless dst is n×n; other errors as SolveVecTo.
func (f *LU) InverseTo(dst *Dense) error {
	if err := f.usable("InverseTo"); err != nil {
		return err
	}
	n := f.n
	if dst.rows != n || dst.cols != n {
		return fmt.Errorf("bnn: lu InverseTo: %d×%d destination for a %d×%d factor: %w", dst.rows, dst.cols, n, n, ErrShape)
	}
	clear(dst.data)
	for i := 0; i < n; i++ {
		dst.data[i*n+i] = 1
	}
	return f.SolveTo(dst, dst) // solves in place, without an identity to allocate
}
