package bnn

import (
	"fmt"
	"math"
)

// BayesianRidgeConfig configures FitBayesianRidge. A zero field means its
// documented default, as in log/slog, so the zero value equals
// DefaultBayesianRidgeConfig(): scikit-learn's BayesianRidge defaults — an
// intercept, Gamma hyperpriors with shape and rate 1e-6 on both precisions,
// initial α = 1 and β = 1/Var(y), tolerance 1e-3 and at most 300 steps.
// Negative or NaN values are errors naming the field.
type BayesianRidgeConfig struct {
	// EvidenceConfig holds the initial precisions, tolerance and step cap,
	// whose zero values mean the defaults above, and the hyperpriors: here a
	// zero AlphaShape, AlphaRate, BetaShape or BetaRate means
	// DefaultRidgeHyperprior (1e-6, scikit-learn's lambda_1, lambda_2,
	// alpha_1 and alpha_2), unless NoHyperpriors is set.
	EvidenceConfig
	// NoIntercept fits y ≈ x·coef through the origin. By default the
	// features and targets are centred before fitting and the intercept is
	// recovered as mean(y) − mean(x)·coef, as scikit-learn does.
	NoIntercept bool
	// NoHyperpriors takes the four hyperprior fields literally, so that
	// zeros mean no hyperprior term (plain PRML §3.5.2 evidence
	// maximisation) instead of DefaultRidgeHyperprior.
	NoHyperpriors bool
}

// DefaultRidgeHyperprior is the shape and rate of the Gamma hyperpriors that
// a zero hyperprior field of BayesianRidgeConfig stands for: scikit-learn's
// 1e-6, a nearly flat prior on each precision that keeps the re-estimates
// finite for a perfect fit.
const DefaultRidgeHyperprior = 1e-6

// DefaultBayesianRidgeConfig returns the defaults a zero BayesianRidgeConfig
// stands for, written out: scikit-learn's BayesianRidge defaults, Gamma
// hyperpriors with shape and rate 1e-6 on both precisions, initial α = 1 and
// β = 1/Var(y), tolerance 1e-3, at most 300 steps, with intercept.
func DefaultBayesianRidgeConfig() BayesianRidgeConfig {
	h := DefaultRidgeHyperprior
	return BayesianRidgeConfig{
		EvidenceConfig: EvidenceConfig{Alpha: 1, AlphaShape: h, AlphaRate: h, BetaShape: h, BetaRate: h, Tol: 1e-3, MaxIter: 300},
	}
}

// withDefaults returns o with each zero hyperprior field replaced by
// DefaultRidgeHyperprior (unless NoHyperpriors); the remaining zero fields
// are EvidenceConfig's, whose withDefaults MaximizeEvidence applies and
// validates.
func (o BayesianRidgeConfig) withDefaults() BayesianRidgeConfig {
	if o.NoHyperpriors {
		return o
	}
	for _, f := range []*float64{&o.AlphaShape, &o.AlphaRate, &o.BetaShape, &o.BetaRate} {
		if *f == 0 {
			*f = DefaultRidgeHyperprior
		}
	}
	return o
}

// BayesianRidge is Bayesian linear regression on raw features with an
// unpenalised intercept and evidence-maximised precisions, equivalent to
// scikit-learn's BayesianRidge. It implements Regressor.
type BayesianRidge struct {
	coef       []float64
	intercept  float64
	xOffset    []float64 // feature means subtracted before fitting (zeros without intercept)
	post       *BayesLinear
	iterations int
	logML      float64
}

// FitBayesianRidge fits y ≈ intercept + x·coef on the n×D features x by
// MaximizeEvidence. It returns ErrEmpty for no rows or no features, ErrShape
// if len(y) ≠ n, ErrNonFinite naming the first row of x or y with a NaN or
// ±Inf, ErrInvalidParameter for bad options, and ErrNotConverged when the
// precisions degenerate. When MaxIter steps pass without convergence it
// returns the last iterate with Converged() false and a nil error (as
// scikit-learn does), or, with Strict, together with an error wrapping
// ErrNotConverged.
func FitBayesianRidge(x *Dense, y []float64, opt BayesianRidgeConfig) (*BayesianRidge, error) {
	opt = opt.withDefaults()
	if err := checkDesignData(x, y); err != nil {
		return nil, err
	}
	n, d := x.rows, x.cols
	m := &BayesianRidge{xOffset: make([]float64, d)}
	phi := x
	t := y
	yOffset := 0.0
	if !opt.NoIntercept {
		for i := 0; i < n; i++ {
			axpyF64(1, x.data[i*d:(i+1)*d], m.xOffset)
			yOffset += y[i]
		}
		scaleF64(1/float64(n), m.xOffset)
		yOffset /= float64(n)
		phi = &Dense{rows: n, cols: d, data: make([]float64, n*d)}
		t = make([]float64, n)
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				phi.data[i*d+j] = x.data[i*d+j] - m.xOffset[j]
			}
			t[i] = y[i] - yOffset
		}
	}
	post, iters, err := MaximizeEvidence(phi, t, opt.EvidenceConfig)
	if post == nil {
		return nil, fmt.Errorf("bnn: bayesian ridge: %w", err)
	}
	m.post, m.iterations = post, iters
	m.coef = post.Mean()
	m.intercept = yOffset - dotF64(m.xOffset, m.coef)
	o := opt.EvidenceConfig
	a, b := post.Alpha(), post.Beta()
	m.logML = post.LogEvidence() + o.AlphaShape*math.Log(a) - o.AlphaRate*a + o.BetaShape*math.Log(b) - o.BetaRate*b
	if err != nil {
		return m, fmt.Errorf("bnn: bayesian ridge: %w", err)
	}
	return m, nil
}

// Coef returns a copy of the posterior-mean coefficients (one per feature).
func (m *BayesianRidge) Coef() []float64 { return append([]float64(nil), m.coef...) }

// Intercept returns the fitted intercept (0 with NoIntercept).
func (m *BayesianRidge) Intercept() float64 { return m.intercept }

// WeightPrecision returns the fitted weight precision α (scikit-learn's lambda_).
func (m *BayesianRidge) WeightPrecision() float64 { return m.post.Alpha() }

// NoisePrecision returns the fitted noise precision β (scikit-learn's alpha_).
func (m *BayesianRidge) NoisePrecision() float64 { return m.post.Beta() }

// Converged reports whether the evidence maximisation met its tolerance
// within MaxIter steps (scikit-learn only warns when it does not).
func (m *BayesianRidge) Converged() bool { return m.post.Converged() }

// Iterations returns the number of re-estimation steps taken (scikit-learn's n_iter_).
func (m *BayesianRidge) Iterations() int { return m.iterations }

// LogMarginalLikelihood returns the objective at the fit as scikit-learn
// reports it: the log evidence of the centred data plus the hyperprior terms
// AlphaShape·log α − AlphaRate·α + BetaShape·log β − BetaRate·β.
func (m *BayesianRidge) LogMarginalLikelihood() float64 { return m.logML }

// Posterior returns the posterior over the coefficients given the centred
// data (shared, immutable).
func (m *BayesianRidge) Posterior() *BayesLinear { return m.post }

// InputDim returns the number of features.
func (m *BayesianRidge) InputDim() int { return len(m.coef) }

// PredictTo writes the predictive mean intercept + x·coef and standard
// deviation √(1/β + (x−x̄)ᵀS_N(x−x̄)) for each row of x (row-major, n·D
// values) into mean and std. scikit-learn uses x instead of x − x̄ in the
// quadratic form; the two agree for centred features. It returns ErrShape
// for inconsistent lengths and ErrNonFinite naming the row with a NaN or
// ±Inf. It allocates two D-vectors per call, none per row.
func (m *BayesianRidge) PredictTo(mean, std, x []float64) error {
	d := len(m.coef)
	if len(x)%d != 0 || len(mean) != len(x)/d || len(std) != len(mean) {
		return fmt.Errorf("bnn: bayesian ridge predict: %d values for %d features into %d means, %d stds: %w", len(x), d, len(mean), len(std), ErrShape)
	}
	c := make([]float64, d)
	z := make([]float64, d)
	for i := range mean {
		row := x[i*d : (i+1)*d]
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("bnn: bayesian ridge predict: row %d feature %d is %g: %w", i, j, v, ErrNonFinite)
			}
			c[j] = v - m.xOffset[j]
		}
		mean[i] = m.intercept + dotF64(row, m.coef)
		std[i] = math.Sqrt(m.post.predictiveVariance(c, z))
	}
	return finiteOutputs(nil, mean, std)
}

var _ Regressor = (*BayesianRidge)(nil)
