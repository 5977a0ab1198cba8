package bnn

import (
	"fmt"
	"math"
)

// EvidenceConfig configures MaximizeEvidence. The zero value means: start
// from α = 1 and β = 1/Var(t), no hyperpriors, tolerance 1e-3, at most 300
// iterations (scikit-learn's BayesianRidge defaults apart from the
// hyperpriors).
type EvidenceConfig struct {
	// Alpha and Beta are the initial weight and noise precisions; 0 selects
	// the defaults 1 and 1/(Var(t) + ε), ε the float64 machine epsilon.
	Alpha, Beta float64
	// AlphaShape and AlphaRate set a Gamma hyperprior on α, and BetaShape and
	// BetaRate one on β, in scikit-learn's convention: the log-prior adds
	// shape·log α − rate·α, so the re-estimate becomes
	// α ← (γ + 2·shape)/(m_Nᵀm_N + 2·rate). All zero: no hyperprior (plain
	// PRML §3.5.2). scikit-learn names them lambda_1, lambda_2 (for α) and
	// alpha_1, alpha_2 (for β).
	AlphaShape, AlphaRate, BetaShape, BetaRate float64
	// Tol stops the iteration once Σⱼ|Δm_N,ⱼ| < Tol between successive
	// posterior means (0 selects 1e-3).
	Tol float64
	// MaxIter caps the re-estimation steps (0 selects 300).
	MaxIter int
	// Strict turns a run that reaches MaxIter without converging into an
	// error wrapping ErrNotConverged (returned with the last iterate). By
	// default such a run returns the last iterate with a nil error and
	// Converged() false, as scikit-learn does.
	Strict bool
}

func (o EvidenceConfig) withDefaults(t []float64) (EvidenceConfig, error) {
	for _, f := range []struct {
		name string
		v    float64
	}{{"Alpha", o.Alpha}, {"Beta", o.Beta}, {"AlphaShape", o.AlphaShape}, {"AlphaRate", o.AlphaRate},
		{"BetaShape", o.BetaShape}, {"BetaRate", o.BetaRate}, {"Tol", o.Tol}} {
		if !(f.v >= 0) || math.IsInf(f.v, 1) {
			return o, fmt.Errorf("bnn: evidence options: %s = %g must be non-negative and finite: %w", f.name, f.v, ErrInvalidParameter)
		}
	}
	if o.MaxIter < 0 {
		return o, fmt.Errorf("bnn: evidence options: MaxIter = %d: %w", o.MaxIter, ErrInvalidParameter)
	}
	if o.Alpha == 0 {
		o.Alpha = 1
	}
	if o.Beta == 0 {
		mean := 0.0
		for _, v := range t {
			mean += v
		}
		mean /= float64(len(t))
		ss := 0.0
		for _, v := range t {
			ss += (v - mean) * (v - mean)
		}
		o.Beta = 1 / (ss/float64(len(t)) + 0x1p-52)
	}
	if o.Tol == 0 {
		o.Tol = 1e-3
	}
	if o.MaxIter == 0 {
		o.MaxIter = 300
	}
	return o, nil
}

// MaximizeEvidence fits α and β by maximising the evidence with the
// fixed-point re-estimation of Bishop's PRML §3.5.2 (MacKay 1992), as
// scikit-learn's BayesianRidge does. One eigendecomposition
// ΦᵀΦ = V·diag(λ)·Vᵀ is computed before the loop; each step then works in
// that eigenbasis, exactly and without refactorising:
//
//	m_N = V·diag(β/(α + βλᵢ))·VᵀΦᵀt,   γ = Σᵢ βλᵢ/(α + βλᵢ),
//	α ← (γ + 2·AlphaShape)/(m_Nᵀm_N + 2·AlphaRate),
//	β ← (N − γ + 2·BetaShape)/(‖t − Φm_N‖² + 2·BetaRate),
//
// costing O(M² + NM) per step for an N×M design. It stops when the
// posterior mean moved by less than Tol (sum of absolute changes); the
// returned posterior (with its Cholesky factor and log evidence) is computed
// at the final (α, β). It returns the number of steps taken.
//
// If MaxIter steps pass without convergence it returns the last iterate
// with a nil error and Converged() false, as scikit-learn does, or, with
// Strict, that posterior together with an error wrapping ErrNotConverged.
// Other errors are those of FitBayesLinear, ErrInvalidParameter for bad
// options, and ErrNotConverged (with a nil posterior) when α or β leaves
// (0, ∞), as for a perfect fit without hyperpriors.
func MaximizeEvidence(phi *Dense, t []float64, opt EvidenceConfig) (*BayesLinear, int, error) {
	if err := checkDesignData(phi, t); err != nil {
		return nil, 0, err
	}
	opt, err := opt.withDefaults(t)
	if err != nil {
		return nil, 0, err
	}
	p := phi.cols
	g := &Dense{rows: p, cols: p, data: make([]float64, p*p)}
	_ = GramTo(g, phi)
	pt := make([]float64, p)
	_ = phi.MulTransVecTo(pt, t)
	var eig EigenSym
	if err := eig.Factorize(g, true); err != nil {
		return nil, 0, fmt.Errorf("bnn: evidence maximisation: %w", err)
	}
	lambdas := eig.Values()
	for i, l := range lambdas { // ΦᵀΦ is PSD; clear rounding below zero
		lambdas[i] = math.Max(l, 0)
	}
	v := &Dense{rows: p, cols: p, data: make([]float64, p*p)}
	_ = eig.VectorsTo(v)
	z := make([]float64, p) // VᵀΦᵀt
	_ = v.MulTransVecTo(z, pt)
	n := float64(phi.rows)
	alpha, beta := opt.Alpha, opt.Beta
	mean, prev, c := make([]float64, p), make([]float64, p), make([]float64, p)
	converged := false
	iter := 0
	for iter < opt.MaxIter {
		for i, l := range lambdas {
			c[i] = beta * z[i] / (alpha + beta*l)
		}
		_ = v.MulVecTo(mean, c)
		sse := 0.0
		for i := 0; i < phi.rows; i++ {
			r := t[i] - dotF64(phi.data[i*p:(i+1)*p], mean)
			sse += r * r
		}
		gamma := 0.0
		for _, l := range lambdas {
			gamma += beta * l / (alpha + beta*l)
		}
		alpha = (gamma + 2*opt.AlphaShape) / (dotF64(mean, mean) + 2*opt.AlphaRate)
		beta = (n - gamma + 2*opt.BetaShape) / (sse + 2*opt.BetaRate)
		if !(alpha > 0) || math.IsInf(alpha, 0) || !(beta > 0) || math.IsInf(beta, 0) {
			return nil, iter, fmt.Errorf("bnn: evidence maximisation step %d: α = %g, β = %g (a perfect or degenerate fit; add hyperpriors): %w", iter, alpha, beta, ErrNotConverged)
		}
		iter++
		if iter > 1 {
			d := 0.0
			for j, v := range mean {
				d += math.Abs(v - prev[j])
			}
			if d < opt.Tol {
				converged = true
				break
			}
		}
		prev, mean = mean, prev
	}
	m := &BayesLinear{mean: make([]float64, p)}
	if err := m.solve(g, pt, phi, t, alpha, beta); err != nil {
		return nil, iter, fmt.Errorf("bnn: evidence maximisation: %w", err)
	}
	m.notConverged = !converged
	if !converged && opt.Strict {
		return m, iter, fmt.Errorf("bnn: evidence maximisation: no convergence to %g in %d steps: %w", opt.Tol, opt.MaxIter, ErrNotConverged)
	}
	return m, iter, nil
}
