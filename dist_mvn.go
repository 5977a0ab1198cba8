package bnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MultivariateNormal is the d-dimensional normal distribution N(μ, Σ),
// held as its mean and the Cholesky factor of its covariance.
type MultivariateNormal struct {
	mean []float64
	chol Cholesky
}

// NewMultivariateNormal returns N(mean, cov); both are copied. It returns
// ErrEmpty for a zero dimension, ErrShape unless cov is d×d, ErrNonFinite
// naming the first non-finite mean entry, and the errors of
// Cholesky.Factorize (ErrNotPositiveDefinite naming the pivot) for cov.
func NewMultivariateNormal(mean []float64, cov *Dense) (*MultivariateNormal, error) {
	d := len(mean)
	if d == 0 {
		return nil, fmt.Errorf("bnn: multivariate normal: zero dimension: %w", ErrEmpty)
	}
	if cov.rows != d || cov.cols != d {
		return nil, fmt.Errorf("bnn: multivariate normal: %d-dimensional mean with %d×%d covariance: %w", d, cov.rows, cov.cols, ErrShape)
	}
	for i, v := range mean {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("bnn: multivariate normal: mean[%d] = %g: %w", i, v, ErrNonFinite)
		}
	}
	m := &MultivariateNormal{mean: append([]float64(nil), mean...)}
	if err := m.chol.Factorize(cov); err != nil {
		return nil, fmt.Errorf("bnn: multivariate normal covariance: %w", err)
	}
	return m, nil
}

// Dim returns the dimension d.
func (m *MultivariateNormal) Dim() int { return len(m.mean) }

// LogProb returns the log-density −½(x−μ)ᵀΣ⁻¹(x−μ) − ½ log det Σ − (d/2)·log 2π,
// using the Cholesky factor (no inverse); −Inf if x has an infinite entry.
// It returns ErrShape unless len(x) = d and ErrNonFinite naming a NaN entry.
func (m *MultivariateNormal) LogProb(x []float64) (float64, error) {
	d := len(m.mean)
	if len(x) != d {
		return 0, fmt.Errorf("bnn: multivariate normal LogProb: point of length %d for dimension %d: %w", len(x), d, ErrShape)
	}
	z := make([]float64, d)
	inf := false
	for i, v := range x {
		if math.IsNaN(v) {
			return 0, fmt.Errorf("bnn: multivariate normal LogProb: x[%d] is NaN: %w", i, ErrNonFinite)
		}
		inf = inf || math.IsInf(v, 0)
		z[i] = v - m.mean[i]
	}
	if inf {
		return math.Inf(-1), nil
	}
	_ = m.chol.SolveLVecTo(z, z)
	return -0.5*dotF64(z, z) - 0.5*m.chol.LogDet() - float64(d)*logSqrt2Pi, nil
}

// Prob returns the density at x; errors as LogProb.
func (m *MultivariateNormal) Prob(x []float64) (float64, error) {
	lp, err := m.LogProb(x)
	return math.Exp(lp), err
}

// Mean returns a copy of μ.
func (m *MultivariateNormal) Mean() []float64 { return append([]float64(nil), m.mean...) }

// Variance returns the marginal variances, the diagonal of Σ.
func (m *MultivariateNormal) Variance() []float64 {
	d := len(m.mean)
	v := make([]float64, d)
	for i := range v {
		row := m.chol.l[i*d : i*d+i+1]
		v[i] = dotF64(row, row)
	}
	return v
}

// CovarianceTo writes Σ = L·Lᵀ into dst. It returns ErrShape unless dst is d×d.
func (m *MultivariateNormal) CovarianceTo(dst *Dense) error {
	d := len(m.mean)
	if dst.rows != d || dst.cols != d {
		return fmt.Errorf("bnn: multivariate normal CovarianceTo: %d×%d for dimension %d: %w", dst.rows, dst.cols, d, ErrShape)
	}
	l := m.chol.l
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			v := dotF64(l[i*d:i*d+j+1], l[j*d:j*d+j+1])
			dst.data[i*d+j], dst.data[j*d+i] = v, v
		}
	}
	return nil
}

// Sample draws one vector μ + L·z with z ~ N(0, I) from r.NormFloat64.
func (m *MultivariateNormal) Sample(r *rand.Rand) []float64 {
	x := make([]float64, len(m.mean))
	_ = m.SampleTo(x, r)
	return x
}

// SampleTo draws one vector into dst without allocating. It returns
// ErrShape unless len(dst) = d.
func (m *MultivariateNormal) SampleTo(dst []float64, r *rand.Rand) error {
	if len(dst) != len(m.mean) {
		return fmt.Errorf("bnn: multivariate normal SampleTo: destination of length %d for dimension %d: %w", len(dst), len(m.mean), ErrShape)
	}
	for i := range dst {
		dst[i] = r.NormFloat64()
	}
	_ = m.chol.MulLVecTo(dst, dst)
	for i, mu := range m.mean {
		dst[i] += mu
	}
	return nil
}
