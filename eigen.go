package bnn

import (
	"fmt"
	"math"
	"sort"
)

// EigenSym is the eigendecomposition A = V·diag(λ)·Vᵀ of a symmetric matrix,
// computed by the cyclic Jacobi method (accurate to a few ulps of ‖A‖ for
// every eigenvalue). Eigenvalues are sorted in ascending order; column j of
// V is the unit eigenvector of λⱼ.
type EigenSym struct {
	n       int
	values  []float64
	vectors []float64 // n×n row-major, columns are eigenvectors
	hasVecs bool
	ok      bool
}

// eigenJacobiMaxSweeps caps the Jacobi sweeps; convergence is quadratic and
// takes well under 20 sweeps for any matrix of practical size.
const eigenJacobiMaxSweeps = 60

// Factorize computes the eigenvalues of the symmetric matrix a (reading only
// its lower triangle) and, if wantVectors, the eigenvectors. It returns
// ErrShape if a is not square, ErrNonFinite naming the element for NaN or
// ±Inf, and ErrNotConverged if the Jacobi sweeps reach their cap.
func (e *EigenSym) Factorize(a *Dense, wantVectors bool) error {
	e.ok = false
	n := a.rows
	if a.cols != n {
		return fmt.Errorf("bnn: eigen: matrix is %d×%d, not square: %w", a.rows, a.cols, ErrShape)
	}
	w := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := a.data[i*n+j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("bnn: eigen: element (%d, %d) is %g: %w", i, j, v, ErrNonFinite)
			}
			w[i*n+j], w[j*n+i] = v, v
		}
	}
	var vec []float64
	if wantVectors {
		vec = make([]float64, n*n)
		for i := 0; i < n; i++ {
			vec[i*n+i] = 1
		}
	}
	if !jacobiEigen(w, vec, n) {
		return fmt.Errorf("bnn: eigen: Jacobi did not converge in %d sweeps: %w", eigenJacobiMaxSweeps, ErrNotConverged)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return w[order[x]*n+order[x]] < w[order[y]*n+order[y]] })
	e.n, e.values, e.hasVecs = n, make([]float64, n), wantVectors
	for k, i := range order {
		e.values[k] = w[i*n+i]
	}
	if wantVectors {
		e.vectors = make([]float64, n*n)
		for k, j := range order {
			for i := 0; i < n; i++ {
				e.vectors[i*n+k] = vec[i*n+j]
			}
		}
	}
	e.ok = true
	return nil
}

// jacobiEigen diagonalises the symmetric n×n matrix w in place by cyclic
// Jacobi rotations, accumulating them into vec when it is non-nil. It reports
// whether the off-diagonal part vanished within the sweep cap.
func jacobiEigen(w, vec []float64, n int) bool {
	const eps = 0x1p-53
	floor := eps * eps * frobeniusNorm(w)
	for sweep := 0; sweep < eigenJacobiMaxSweeps; sweep++ {
		rotated := false
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := w[p*n+q]
				if apq == 0 {
					continue
				}
				app, aqq := w[p*n+p], w[q*n+q]
				// Negligible next to both diagonal entries, or next to
				// ‖A‖ at any rate: drop it.
				if math.Abs(apq) <= eps*math.Sqrt(math.Abs(app))*math.Sqrt(math.Abs(aqq)) || math.Abs(apq) <= floor {
					w[p*n+q], w[q*n+p] = 0, 0
					continue
				}
				rotated = true
				tau := (aqq - app) / (2 * apq)
				t := 1 / (math.Abs(tau) + math.Sqrt(1+tau*tau))
				if tau < 0 {
					t = -t
				}
				if math.IsInf(tau, 0) {
					t = 0.5 / tau
				}
				c := 1 / math.Sqrt(1+t*t)
				s := t * c
				for k := 0; k < n; k++ { // columns p, q
					akp, akq := w[k*n+p], w[k*n+q]
					w[k*n+p] = c*akp - s*akq
					w[k*n+q] = s*akp + c*akq
				}
				rp, rq := w[p*n:(p+1)*n], w[q*n:(q+1)*n]
				for k := range rp { // rows p, q
					apk, aqk := rp[k], rq[k]
					rp[k] = c*apk - s*aqk
					rq[k] = s*apk + c*aqk
				}
				w[p*n+q], w[q*n+p] = 0, 0
				if vec != nil {
					for k := 0; k < n; k++ {
						vkp, vkq := vec[k*n+p], vec[k*n+q]
						vec[k*n+p] = c*vkp - s*vkq
						vec[k*n+q] = s*vkp + c*vkq
					}
				}
			}
		}
		if !rotated {
			return true
		}
	}
	return false
}

// frobeniusNorm returns √(Σ v²) without overflow or underflow: the sum runs
// over v scaled by its largest magnitude (entries near 1e200 would square to
// +Inf and make every off-diagonal element look negligible).
func frobeniusNorm(v []float64) float64 {
	scale := 0.0
	for _, x := range v {
		scale = math.Max(scale, math.Abs(x))
	}
	if scale == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range v {
		r := x / scale
		sum += r * r
	}
	return scale * math.Sqrt(sum)
}

// Values returns a new slice holding the eigenvalues in ascending order,
// or nil when e holds no decomposition. ValuesTo writes them into a
// caller's buffer instead.
func (e *EigenSym) Values() []float64 {
	if !e.ok {
		return nil
	}
	return append([]float64(nil), e.values[:e.n]...)
}

// ValuesTo copies the eigenvalues, ascending, into dst. It returns ErrEmpty
// when e holds no decomposition and ErrShape unless len(dst) is n.
func (e *EigenSym) ValuesTo(dst []float64) error {
	if !e.ok {
		return fmt.Errorf("bnn: eigen ValuesTo: no decomposition: %w", ErrEmpty)
	}
	if len(dst) != e.n {
		return fmt.Errorf("bnn: eigen ValuesTo: %d values for n = %d: %w", len(dst), e.n, ErrShape)
	}
	copy(dst, e.values)
	return nil
}

// VectorsTo copies the eigenvectors into dst as columns, in the order of
// Values. It returns ErrShape unless dst is n×n and ErrEmpty when the
// decomposition was computed without vectors (or not at all).
func (e *EigenSym) VectorsTo(dst *Dense) error {
	if !e.ok || !e.hasVecs {
		return fmt.Errorf("bnn: eigen VectorsTo: no eigenvectors computed: %w", ErrEmpty)
	}
	if dst.rows != e.n || dst.cols != e.n {
		return fmt.Errorf("bnn: eigen VectorsTo: %d×%d for n = %d: %w", dst.rows, dst.cols, e.n, ErrShape)
	}
	copy(dst.data, e.vectors)
	return nil
}
