package bnn

import (
	"fmt"
	"math"
)

// Post-hoc calibration: wrappers that any Regressor can wear, fitted on
// held-out calibration rows the model was not trained on. Each wrapper is
// itself a Regressor (its PredictTo gives a mean and a std consistent with
// the calibration, documented per wrapper) and implements Interval for any
// level. They save in the model file as their own payload kinds that embed
// the inner model's payload (calibrate_codec.go).
//
//   - ScaledRegressor (CalibrateScale): σ → s·σ, one factor fitted by held-out
//     Gaussian negative log-likelihood.
//   - IsotonicRegressor (CalibrateIsotonic): isotonic recalibration of the
//     predictive CDF (Kuleshov, Fenner and Ermon 2018).
//   - ConformalRegressor (CalibrateConformal): split-conformal intervals with
//     the normalised score |y − μ|/σ (Vovk et al. 2005; Lei et al. 2018).
//   - CrossConformalRegressor (CrossConformal): CV+ (Barber, Candès, Ramdas
//     and Tibshirani 2021), so no row is lost to a calibration split.

// Interval is implemented by models that give a central predictive interval
// at any level in (0, 1).
type Interval interface {
	// IntervalTo writes, for each row of x (row-major, n·InputDim() values),
	// the lower and upper end of the model's central predictive interval at
	// level (for example 0.9 for a 90 % interval) into lower and upper (each
	// of length n; they must not overlap), in target units. It returns
	// ErrInvalidParameter for a level outside (0, 1) or one too extreme for
	// the model's calibration rows, ErrShape for inconsistent lengths and
	// ErrNonFinite naming a row with a NaN or ±Inf feature.
	IntervalTo(lower, upper, x []float64, level float64) error
}

// levelOneSigma is the probability mass of a normal within ±1σ, erf(1/√2) ≈
// 0.6827. The wrappers' PredictTo reports as std the half-width of their
// calibrated interval at this level, so that mean ± std is that interval.
var levelOneSigma = math.Erf(1 / math.Sqrt2)

// checkLevel returns ErrInvalidParameter unless 0 < level < 1.
func checkLevel(area string, level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("bnn: %s: level %g must be in (0, 1): %w", area, level, ErrInvalidParameter)
	}
	return nil
}

// normalQuantile returns z with Φ(z) = p for the standard normal CDF Φ,
// accurate in both tails (−√2·erfcinv(2p)); ±Inf at p = 0 or 1.
func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// normalCDF returns Φ(z), accurate in the lower tail.
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// normalPDF is the standard normal density φ(z).
func normalPDF(z float64) float64 { return math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi) }

// checkIntervalArgs checks that lower and upper do not share storage (the
// interval methods use them as the inner model's mean and std buffers).
func checkIntervalArgs(area string, lower, upper []float64) error {
	if len(lower) > 0 && len(upper) > 0 && &lower[0] == &upper[0] {
		return fmt.Errorf("bnn: %s: lower and upper share storage: %w", area, ErrShape)
	}
	return nil
}

// GaussianIntervalTo writes the central interval at level of the Gaussian
// N(mean, std²) that m.PredictTo reports for each row of x: mean ∓ z·std with
// z = Φ⁻¹((1+level)/2) (1.6449 at level 0.9). For a model whose predictive
// distribution is not Gaussian (an ensemble's mixture, MC dropout's passes)
// this is the interval of the moment-matched Gaussian. It allocates nothing
// beyond m.PredictTo. Errors: ErrInvalidParameter for a level outside (0,
// 1), ErrShape for inconsistent lengths or overlapping lower and upper, and
// those of m.PredictTo.
func GaussianIntervalTo(m Regressor, lower, upper, x []float64, level float64) error {
	const area = "gaussian interval"
	if err := checkLevel(area, level); err != nil {
		return err
	}
	if err := checkIntervalArgs(area, lower, upper); err != nil {
		return err
	}
	if err := m.PredictTo(lower, upper, x); err != nil {
		return err
	}
	z := -normalQuantile((1 - level) / 2) // Φ⁻¹((1+level)/2), accurate near level 1
	for i, mu := range lower {
		h := float64(z * upper[i]) // float64(): no fused multiply-add, the same bits on every architecture
		lower[i], upper[i] = mu-h, mu+h
	}
	return nil
}

// PredictIntervalTo writes m's central predictive interval at level: m's own
// IntervalTo if it implements Interval (the calibration wrappers do),
// otherwise GaussianIntervalTo. Errors are theirs.
func PredictIntervalTo(m Regressor, lower, upper, x []float64, level float64) error {
	if iv, ok := m.(Interval); ok {
		return iv.IntervalTo(lower, upper, x, level)
	}
	return GaussianIntervalTo(m, lower, upper, x, level)
}

// IntervalTo writes the Gaussian predictive interval at level (see
// GaussianIntervalTo).
func (net *Network) IntervalTo(lower, upper, x []float64, level float64) error {
	return GaussianIntervalTo(net, lower, upper, x, level)
}

// IntervalTo writes the interval at level of the Gaussian with the
// mixture's mean and std (see GaussianIntervalTo).
func (e *Ensemble) IntervalTo(lower, upper, x []float64, level float64) error {
	return GaussianIntervalTo(e, lower, upper, x, level)
}

// IntervalTo writes the interval at level of the Gaussian with the MC
// passes' mean and std (see GaussianIntervalTo).
func (m *MCDropout) IntervalTo(lower, upper, x []float64, level float64) error {
	return GaussianIntervalTo(m, lower, upper, x, level)
}

// IntervalTo writes the interval at level of the Gaussian with the
// predictive mean and std (see GaussianIntervalTo).
func (m *BayesianMLP) IntervalTo(lower, upper, x []float64, level float64) error {
	return GaussianIntervalTo(m, lower, upper, x, level)
}

// IntervalTo writes the exact Gaussian predictive interval at level (see
// GaussianIntervalTo).
func (m *BayesianRidge) IntervalTo(lower, upper, x []float64, level float64) error {
	return GaussianIntervalTo(m, lower, upper, x, level)
}

// calibrationPredict validates calibration data for model m (x row-major
// with m.InputDim() columns, y one finite target per row, at least minRows
// rows) and returns m's predictive means and stds on it, checking that they
// are finite and the stds positive.
func calibrationPredict(area string, m Regressor, x, y []float64, minRows int) (mean, std []float64, err error) {
	d := m.InputDim()
	if d < 1 || len(x) != len(y)*d {
		return nil, nil, fmt.Errorf("bnn: %s: %d feature values for %d targets of %d features: %w", area, len(x), len(y), d, ErrShape)
	}
	if len(y) < minRows {
		return nil, nil, fmt.Errorf("bnn: %s: %d calibration rows, need at least %d: %w", area, len(y), minRows, ErrEmpty)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("bnn: %s: target %d is %g: %w", area, i, v, ErrNonFinite)
		}
	}
	mean, std = make([]float64, len(y)), make([]float64, len(y))
	if err := m.PredictTo(mean, std, x); err != nil {
		return nil, nil, fmt.Errorf("bnn: %s: %w", area, err)
	}
	for i := range mean {
		if err := checkPrediction(area, i, mean[i], std[i]); err != nil {
			return nil, nil, err
		}
	}
	return mean, std, nil
}

// checkPrediction reports an inner prediction that a wrapper cannot use:
// a non-finite mean or std (ErrNonFinite) or a std that is not positive
// (ErrInvalidParameter).
func checkPrediction(area string, row int, mean, std float64) error {
	if math.IsNaN(mean) || math.IsInf(mean, 0) || math.IsNaN(std) || math.IsInf(std, 0) {
		return fmt.Errorf("bnn: %s: row %d: the model predicts %g ± %g: %w", area, row, mean, std, ErrNonFinite)
	}
	if !(std > 0) {
		return fmt.Errorf("bnn: %s: row %d: the model predicts std %g, must be positive: %w", area, row, std, ErrInvalidParameter)
	}
	return nil
}

// affineBand turns the inner model's (mean, std) held in lower and upper
// into the band [mean + a·std, mean + b·std] in place, checking the inner
// predictions and the result.
func affineBand(area string, lower, upper []float64, a, b float64) error {
	for i, mu := range lower {
		sd := upper[i]
		if err := checkPrediction(area, i, mu, sd); err != nil {
			return err
		}
		lo, hi := mu+float64(a*sd), mu+float64(b*sd) // float64(): no fused multiply-add
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return fmt.Errorf("bnn: %s: row %d: interval [%g, %g] overflows: %w", area, i, lo, hi, ErrNonFinite)
		}
		lower[i], upper[i] = lo, hi
	}
	return nil
}

// affineMoments turns the inner (mean, std) in place into the mean and std
// of the band [mean + a·std, mean + b·std]: its midpoint and half-width.
func affineMoments(area string, mean, std []float64, a, b float64) error {
	c, h := (a+b)/2, (b-a)/2
	for i, mu := range mean {
		sd := std[i]
		if err := checkPrediction(area, i, mu, sd); err != nil {
			return err
		}
		m, s := mu+float64(c*sd), h*sd // float64(): no fused multiply-add
		if math.IsInf(m, 0) || math.IsInf(s, 0) || !(s > 0) {
			return fmt.Errorf("bnn: %s: row %d: calibrated prediction %g ± %g is not finite and positive: %w", area, i, m, s, ErrNonFinite)
		}
		mean[i], std[i] = m, s
	}
	return nil
}

// ScaledRegressor is a Regressor whose predictive std is the inner model's
// times one factor s fitted on calibration rows (variance scaling, the
// one-parameter analogue of temperature scaling). Its predictive
// distribution is N(μ, (s·σ)²), so PredictTo reports the inner mean and s·σ
// and IntervalTo the Gaussian interval μ ∓ z·s·σ. It is safe for concurrent
// use if the inner model is.
type ScaledRegressor struct {
	inner Regressor
	scale float64
	rows  int
}

// calibScaleMinRows is the fewest calibration rows CalibrateScale accepts.
const calibScaleMinRows = 2

// CalibrateScale fits the factor s that minimises the Gaussian negative
// log-likelihood Σᵢ [log(s·σᵢ) + (yᵢ−μᵢ)²/(2s²σᵢ²)] of the calibration rows
// (x row-major with m.InputDim() columns, one target per row, rows the model
// was not trained on): in closed form s² = mean(zᵢ²) with zᵢ = (yᵢ−μᵢ)/σᵢ.
// Its standard error is about s·√((κ−1)/(4n)) for n rows whose z has
// kurtosis κ (s/√(2n) for Gaussian z). Errors: ErrShape for ragged x,
// ErrEmpty for fewer than 2 rows, ErrNonFinite naming a non-finite feature
// or target, ErrInvalidParameter if m predicts a std that is not positive
// or every residual is zero, and m.PredictTo's errors.
func CalibrateScale(m Regressor, x, y []float64) (*ScaledRegressor, error) {
	const area = "calibrate scale"
	mean, std, err := calibrationPredict(area, m, x, y, calibScaleMinRows)
	if err != nil {
		return nil, err
	}
	var ss float64
	for i, mu := range mean {
		z := (y[i] - mu) / std[i]
		ss += float64(z * z) // float64(): no fused multiply-add
	}
	s := math.Sqrt(ss / float64(len(y)))
	if !(s > 0) || math.IsInf(s, 0) {
		return nil, fmt.Errorf("bnn: %s: scale factor %g from %d rows (all residuals zero?): %w", area, s, len(y), ErrInvalidParameter)
	}
	return &ScaledRegressor{inner: m, scale: s, rows: len(y)}, nil
}

// Inner returns the wrapped model.
func (m *ScaledRegressor) Inner() Regressor { return m.inner }

// WithInner returns the same factor around another model with the same
// input width: for a model refitted on every row (Validation.Refit) after
// the factor was fitted, on held-out rows, to the held-out run's model. It
// returns ErrShape if inner's InputDim differs.
func (m *ScaledRegressor) WithInner(inner Regressor) (*ScaledRegressor, error) {
	if err := sameInputDim("calibrate scale", m.inner, inner); err != nil {
		return nil, err
	}
	w := *m
	w.inner = inner
	return &w, nil
}

// sameInputDim checks that a replacement inner model takes old's features.
func sameInputDim(area string, old, inner Regressor) error {
	if inner == nil || inner.InputDim() != old.InputDim() {
		d := -1
		if inner != nil {
			d = inner.InputDim()
		}
		return fmt.Errorf("bnn: %s: inner model takes %d features, the calibrated one %d: %w", area, d, old.InputDim(), ErrShape)
	}
	return nil
}

// Scale returns the fitted factor s (the calibrated std is s·σ).
func (m *ScaledRegressor) Scale() float64 { return m.scale }

// CalibrationRows returns the number of rows the factor was fitted on.
func (m *ScaledRegressor) CalibrationRows() int { return m.rows }

// InputDim returns the inner model's number of features.
func (m *ScaledRegressor) InputDim() int { return m.inner.InputDim() }

// PredictTo writes the inner model's mean and s times its std for each row
// of x. It returns the inner model's errors, ErrNonFinite if a prediction is
// not finite (or overflows when scaled) and ErrInvalidParameter if the inner
// std is not positive. It allocates nothing beyond the inner PredictTo.
func (m *ScaledRegressor) PredictTo(mean, std, x []float64) error {
	if err := m.inner.PredictTo(mean, std, x); err != nil {
		return err
	}
	return affineMoments("scaled predict", mean, std, -m.scale, m.scale)
}

// IntervalTo writes the Gaussian interval μ ∓ Φ⁻¹((1+level)/2)·s·σ for
// each row of x. Errors are those of Interval.IntervalTo and PredictTo.
func (m *ScaledRegressor) IntervalTo(lower, upper, x []float64, level float64) error {
	const area = "scaled interval"
	if err := checkLevel(area, level); err != nil {
		return err
	}
	if err := checkIntervalArgs(area, lower, upper); err != nil {
		return err
	}
	if err := m.inner.PredictTo(lower, upper, x); err != nil {
		return err
	}
	h := -m.scale * normalQuantile((1-level)/2)
	return affineBand(area, lower, upper, -h, h)
}

var (
	_ Regressor = (*ScaledRegressor)(nil)
	_ Interval  = (*ScaledRegressor)(nil)
	_ Interval  = (*Network)(nil)
	_ Interval  = (*Ensemble)(nil)
	_ Interval  = (*MCDropout)(nil)
	_ Interval  = (*BayesianMLP)(nil)
	_ Interval  = (*BayesianRidge)(nil)
)
