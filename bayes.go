package bnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// BayesLinear is the exact posterior of Bayesian linear regression
// t = Φw + ε with prior w ~ N(0, α⁻¹I) and noise ε ~ N(0, β⁻¹I) (α: weight
// precision, β: noise precision, as in Bishop's PRML §3.3):
//
//	A = αI + βΦᵀΦ,  S_N = A⁻¹,  m_N = β·S_N·Φᵀt.
//
// It holds m_N and the Cholesky factor of A; S_N is never formed to solve.
// A BayesLinear is immutable after fitting and safe for concurrent use.
type BayesLinear struct {
	alpha, beta float64
	mean        []float64
	chol        Cholesky // of A
	sse         float64  // ‖t − Φm_N‖²
	logEvidence float64
	// notConverged marks the last iterate of a MaximizeEvidence run that
	// reached MaxIter (false for FitBayesLinear).
	notConverged bool
}

// FitBayesLinear computes the posterior for design matrix phi (N×M, e.g.
// from Basis.Expand) and targets t (length N) at fixed precisions alpha
// (weights) and beta (noise). It returns ErrEmpty for N = 0 or M = 0,
// ErrShape if len(t) ≠ N, ErrNonFinite naming the first row of phi or t with
// a NaN or ±Inf, ErrInvalidParameter unless alpha and beta are positive and
// finite (or when they are so extreme that the posterior overflows), and
// ErrNonFinite or ErrNotPositiveDefinite if A overflows or is numerically not
// positive definite.
func FitBayesLinear(phi *Dense, t []float64, alpha, beta float64) (*BayesLinear, error) {
	if err := checkDesignData(phi, t); err != nil {
		return nil, err
	}
	if err := checkPrecisions(alpha, beta); err != nil {
		return nil, err
	}
	g := &Dense{rows: phi.cols, cols: phi.cols, data: make([]float64, phi.cols*phi.cols)}
	_ = GramTo(g, phi)
	pt := make([]float64, phi.cols)
	_ = phi.MulTransVecTo(pt, t)
	m := &BayesLinear{mean: make([]float64, phi.cols)}
	if err := m.solve(g, pt, phi, t, alpha, beta); err != nil {
		return nil, err
	}
	return m, nil
}

// LogEvidence returns the log marginal likelihood log p(t | α, β) of design
// matrix phi and targets t (PRML eq. 3.86), with errors as FitBayesLinear.
func LogEvidence(phi *Dense, t []float64, alpha, beta float64) (float64, error) {
	m, err := FitBayesLinear(phi, t, alpha, beta)
	if err != nil {
		return 0, err
	}
	return m.logEvidence, nil
}

// solve factorises A = αI + βG for the Gram matrix g = ΦᵀΦ, solves for m_N
// from pt = Φᵀt, and computes the residual and the log evidence. It reuses
// m's storage.
func (m *BayesLinear) solve(g *Dense, pt []float64, phi *Dense, t []float64, alpha, beta float64) error {
	p := g.rows
	a := &Dense{rows: p, cols: p, data: make([]float64, p*p)}
	for i, v := range g.data {
		a.data[i] = beta * v
	}
	for i := 0; i < p; i++ {
		a.data[i*p+i] += alpha
	}
	if err := m.chol.Factorize(a); err != nil {
		return fmt.Errorf("bnn: bayesian linear regression: αI + βΦᵀΦ: %w", err)
	}
	for i, v := range pt {
		m.mean[i] = beta * v
	}
	_ = m.chol.SolveVecTo(m.mean, m.mean)
	for j, v := range m.mean {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bnn: bayesian linear regression: posterior mean %d overflows (%g) at α = %g, β = %g: %w", j, v, alpha, beta, ErrInvalidParameter)
		}
	}
	m.alpha, m.beta = alpha, beta
	sse := 0.0
	for i := 0; i < phi.rows; i++ {
		r := t[i] - dotF64(phi.data[i*p:(i+1)*p], m.mean)
		sse += r * r
	}
	m.sse = sse
	n := float64(phi.rows)
	e := 0.5*beta*sse + 0.5*alpha*dotF64(m.mean, m.mean)
	m.logEvidence = 0.5*float64(p)*math.Log(alpha) + 0.5*n*math.Log(beta) - e -
		0.5*m.chol.LogDet() - n*logSqrt2Pi
	return nil
}

func checkDesignData(phi *Dense, t []float64) error {
	if phi.rows == 0 || phi.cols == 0 {
		return fmt.Errorf("bnn: bayesian linear regression: %d×%d design matrix: %w", phi.rows, phi.cols, ErrEmpty)
	}
	if len(t) != phi.rows {
		return fmt.Errorf("bnn: bayesian linear regression: %d targets for %d rows: %w", len(t), phi.rows, ErrShape)
	}
	if err := phi.checkFinite("bnn: bayesian linear regression: design matrix"); err != nil {
		return err
	}
	for i, v := range t {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bnn: bayesian linear regression: target row %d is %g: %w", i, v, ErrNonFinite)
		}
	}
	return nil
}

func checkPrecisions(alpha, beta float64) error {
	if !(alpha > 0) || math.IsInf(alpha, 1) || !(beta > 0) || math.IsInf(beta, 1) {
		return fmt.Errorf("bnn: bayesian linear regression: α = %g, β = %g must be positive and finite: %w", alpha, beta, ErrInvalidParameter)
	}
	return nil
}

// Alpha returns the weight precision α.
func (m *BayesLinear) Alpha() float64 { return m.alpha }

// Beta returns the noise precision β.
func (m *BayesLinear) Beta() float64 { return m.beta }

// Converged reports whether the evidence maximisation that produced m met
// its tolerance (MaximizeEvidence, FitBayesianRidge); a posterior from
// FitBayesLinear, at fixed precisions, always reports true.
func (m *BayesLinear) Converged() bool { return !m.notConverged }

// NumWeights returns M, the number of weights (columns of Φ).
func (m *BayesLinear) NumWeights() int { return len(m.mean) }

// Mean returns a copy of the posterior mean m_N.
func (m *BayesLinear) Mean() []float64 { return append([]float64(nil), m.mean...) }

// LogEvidence returns the log marginal likelihood of the training data,
// M/2·log α + N/2·log β − E(m_N) − ½·log det A − N/2·log 2π with
// E(m) = β/2·‖t − Φm‖² + α/2·mᵀm (PRML eq. 3.86); log det A comes from the
// Cholesky factor.
func (m *BayesLinear) LogEvidence() float64 { return m.logEvidence }

// CovarianceTo writes the posterior covariance S_N = A⁻¹ into dst, computed
// from the Cholesky factor. It returns ErrShape unless dst is M×M.
func (m *BayesLinear) CovarianceTo(dst *Dense) error {
	return m.chol.InverseTo(dst)
}

// PredictTo writes the predictive mean φᵀm_N and variance 1/β + φᵀS_Nφ for
// each row φ of the design matrix phi into mean and variance (the latter
// via ‖L⁻¹φ‖², no inverse). variance may be nil to skip it. It returns
// ErrShape for inconsistent sizes and ErrNonFinite naming the row of phi
// with a NaN or ±Inf.
func (m *BayesLinear) PredictTo(mean, variance []float64, phi *Dense) error {
	p := len(m.mean)
	if phi.cols != p || len(mean) != phi.rows || (variance != nil && len(variance) != phi.rows) {
		return fmt.Errorf("bnn: bayesian linear regression predict: %d×%d design matrix for %d weights into %d means, %d variances: %w", phi.rows, phi.cols, p, len(mean), len(variance), ErrShape)
	}
	if err := phi.checkFinite("bnn: bayesian linear regression predict: design matrix"); err != nil {
		return err
	}
	var z []float64
	if variance != nil {
		z = make([]float64, p)
	}
	for i := 0; i < phi.rows; i++ {
		row := phi.data[i*p : (i+1)*p]
		mean[i] = dotF64(row, m.mean)
		if variance != nil {
			variance[i] = m.predictiveVariance(row, z)
		}
	}
	return nil
}

// predictiveVariance returns 1/β + φᵀA⁻¹φ using scratch z of length M.
func (m *BayesLinear) predictiveVariance(phi, z []float64) float64 {
	_ = m.chol.SolveLVecTo(z, phi)
	return 1/m.beta + dotF64(z, z)
}

// SampleWeightsTo draws one weight vector from the posterior N(m_N, S_N)
// into dst without allocating: w = m_N + L⁻ᵀz with z ~ N(0, I) from r
// (A = LLᵀ, so Cov(L⁻ᵀz) = A⁻¹). It returns ErrShape unless len(dst) = M.
func (m *BayesLinear) SampleWeightsTo(dst []float64, r *rand.Rand) error {
	if len(dst) != len(m.mean) {
		return fmt.Errorf("bnn: bayesian linear regression: weight sample of length %d for %d weights: %w", len(dst), len(m.mean), ErrShape)
	}
	for i := range dst {
		dst[i] = r.NormFloat64()
	}
	_ = m.chol.SolveLTVecTo(dst, dst)
	for i, v := range m.mean {
		dst[i] += v
	}
	return nil
}
