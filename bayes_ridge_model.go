package bnn

import (
	"fmt"
	"math"
)

// BayesianRidge plugs into the model-file container (modelfile.go) as kind
// "bayesian-ridge". The payload stores what prediction needs, exactly:
//
//	d uint32; coef, xOffset [d]float64; intercept, α, β, logML float64;
//	iterations uint32; L [d·d]float64 (the Cholesky factor of A = αI + βΦᵀΦ)
//
// The top bit of iterations is set when the fit did not converge (so files
// written before Converged existed read as converged).
// so a loaded model predicts bit-identically without refactorising.
const modelKindBayesianRidge = "bayesian-ridge"

// bayesRidgeNotConverged flags a non-converged fit in the iterations field.
const bayesRidgeNotConverged = 1 << 31

// bayesRidgeMaxFeatures bounds a decoded feature count.
const bayesRidgeMaxFeatures = 1 << 12

func init() {
	registerModelKind(modelKindBayesianRidge, func(r *modelReader) (Regressor, error) { return decodeBayesianRidge(r) })
}

func (m *BayesianRidge) modelKind() string { return modelKindBayesianRidge }

func (m *BayesianRidge) appendModelPayload(w *modelWriter) {
	d := len(m.coef)
	w.u32(uint32(d))
	w.f64s(m.coef)
	w.f64s(m.xOffset)
	w.f64(m.intercept)
	w.f64(m.post.alpha)
	w.f64(m.post.beta)
	w.f64(m.logML)
	it := uint32(m.iterations) &^ bayesRidgeNotConverged
	if !m.post.Converged() {
		it |= bayesRidgeNotConverged
	}
	w.u32(it)
	w.f64s(m.post.chol.l[:d*d])
}

func decodeBayesianRidge(r *modelReader) (*BayesianRidge, error) {
	d := int(r.u32())
	if r.err == nil && (d < 1 || d > bayesRidgeMaxFeatures) {
		r.corrupt("bayesian ridge with %d features", d)
	}
	if !r.fits(2*d+4+d*d, 8) {
		return nil, r.err
	}
	m := &BayesianRidge{coef: r.f64s(d), xOffset: r.f64s(d), intercept: r.f64()}
	alpha, beta := r.f64(), r.f64()
	m.logML = r.f64()
	it := r.u32()
	m.iterations = int(it &^ bayesRidgeNotConverged)
	l := r.f64s(d * d)
	if r.err != nil {
		return nil, r.err
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for j := 0; j < d; j++ {
		if !finite(m.coef[j]) || !finite(m.xOffset[j]) {
			return nil, fmt.Errorf("bayesian ridge feature %d is not finite: %w", j, ErrCorruptModel)
		}
	}
	if !finite(m.intercept) || !(alpha > 0) || !(beta > 0) || !finite(alpha) || !finite(beta) {
		return nil, fmt.Errorf("bayesian ridge intercept %g, α %g, β %g: %w", m.intercept, alpha, beta, ErrCorruptModel)
	}
	chol := Cholesky{n: d, l: l, ok: true, diag: make([]float64, d)}
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			v := l[i*d+j]
			if !finite(v) || (j > i && v != 0) || (j == i && !(v > 0)) {
				return nil, fmt.Errorf("bayesian ridge factor element (%d, %d) = %g: %w", i, j, v, ErrCorruptModel)
			}
		}
		chol.diag[i] = 1 / l[i*d+i]
	}
	m.post = &BayesLinear{alpha: alpha, beta: beta, mean: m.coef, chol: chol, notConverged: it&bayesRidgeNotConverged != 0}
	return m, nil
}
