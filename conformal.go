package bnn

import (
	"fmt"
	"math"
	"slices"
)

// conformalRank returns k = ⌈(n+1)·level⌉, the rank (1-based, among n
// calibration scores in ascending order) of the split-conformal quantile
// at level 1−α. A product within four units in the last place above an
// integer is taken as that integer, so that one which is an integer in
// exact arithmetic (99 · 0.9 = 89.1, but 10 · 0.9 = 9) does not round up
// past it.
func conformalRank(n int, level float64) int {
	t := float64(n+1) * level
	k := math.Ceil(t)
	if t-(k-1) <= 4*t*0x1p-52 {
		k--
	}
	return int(k)
}

// ConformalMinRows returns the fewest calibration rows n for which split
// conformal prediction (and CV+) can give a finite interval at level, that
// is ⌈(n+1)·level⌉ ≤ n: 9 at level 0.9, 19 at 0.95, 99 at 0.99. It returns
// ErrInvalidParameter for a level outside (0, 1).
func ConformalMinRows(level float64) (int, error) {
	if err := checkLevel("conformal min rows", level); err != nil {
		return 0, err
	}
	r := level / (1 - level)
	if r > 1<<50 || r > float64(math.MaxInt/4) {
		return 0, fmt.Errorf("bnn: conformal min rows: level %v needs more than 2⁵⁰ rows: %w", level, ErrInvalidParameter)
	}
	// rank(n) − n = ⌈level − n(1−level)⌉ does not increase with n: bisect for
	// the first n with rank(n) ≤ n (about level/(1−level)).
	// At hi, (hi+1)(1−level) ≥ level + 3(1−level) > 1, so rank(hi) ≤ hi.
	lo, hi := 1, int(math.Ceil(r))+2
	for lo < hi {
		mid := lo + (hi-lo)/2
		if conformalRank(mid, level) <= mid {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}

// conformalCheckLevel returns the rank of the conformal quantile at level
// for n scores, or ErrInvalidParameter (naming the minimum n) if the level is
// outside (0, 1) or too extreme for n.
func conformalCheckLevel(area string, n int, level float64) (int, error) {
	if err := checkLevel(area, level); err != nil {
		return 0, err
	}
	k := conformalRank(n, level)
	if k > n {
		need, err := ConformalMinRows(level)
		if err != nil {
			return 0, fmt.Errorf("bnn: %s: level %v needs more than 2⁵⁰ calibration rows, have %d: %w", area, level, n, ErrInvalidParameter)
		}
		return 0, fmt.Errorf("bnn: %s: level %g needs at least %d calibration rows (⌈(n+1)·level⌉ ≤ n), have %d: %w", area, level, need, n, ErrInvalidParameter)
	}
	return k, nil
}

// ConformalRegressor gives split-conformal intervals (Vovk, Gammerman and
// Shafer 2005; Lei, G'Sell, Rinaldo, Tibshirani and Wasserman 2018) around
// an inner model with the normalised score |y − μ(x)|/σ(x) ("locally
// weighted" or "studentised" residuals, so the band keeps the inner model's
// shape across x). With the n calibration scores sorted, the interval at
// level 1−α is μ(x) ∓ q·σ(x), q the ⌈(n+1)(1−α)⌉-th smallest score; if the
// calibration rows and a test row are exchangeable its marginal coverage is
// at least 1−α (and below 1−α+1/(n+1) for continuous scores). Levels with
// ⌈(n+1)(1−α)⌉ > n are refused (see ConformalMinRows).
//
// PredictTo reports the inner mean and, as std, the half-width of the
// conformal interval at level 0.6827 (erf(1/√2)), q₀.₆₈₂₇·σ(x): so mean ±
// std is the calibrated 68.27 % interval, as it is for a Gaussian. It is
// safe for concurrent use if the inner model is.
type ConformalRegressor struct {
	inner  Regressor
	scores []float64 // ascending normalised calibration scores
	q68    float64   // the score quantile at levelOneSigma
}

// conformalMinRows is the fewest calibration rows CalibrateConformal
// accepts: those needed for the 68.27 % interval that PredictTo reports.
var conformalMinRows, _ = ConformalMinRows(levelOneSigma)

// CalibrateConformal computes the normalised scores |yᵢ − μᵢ|/σᵢ of model m
// on calibration rows (x row-major with m.InputDim() columns, one target per
// row, rows m was not trained on). Errors: ErrShape for ragged x, ErrEmpty
// for fewer than 3 rows (the minimum for the 68.27 % interval PredictTo
// reports; ConformalMinRows gives it for other levels), ErrNonFinite naming
// a non-finite feature or target, ErrInvalidParameter if m predicts a std
// that is not positive or if the 68.27 % score quantile is zero (m predicts
// most calibration targets exactly), and m.PredictTo's errors.
func CalibrateConformal(m Regressor, x, y []float64) (*ConformalRegressor, error) {
	const area = "calibrate conformal"
	mean, std, err := calibrationPredict(area, m, x, y, conformalMinRows)
	if err != nil {
		return nil, err
	}
	scores := mean // reuse: score i only needs mean[i]
	for i, mu := range mean {
		scores[i] = math.Abs(y[i]-mu) / std[i]
		if math.IsInf(scores[i], 0) {
			return nil, fmt.Errorf("bnn: %s: row %d: score overflows: %w", area, i, ErrNonFinite)
		}
	}
	slices.Sort(scores)
	return newConformal(area, m, scores)
}

// newConformal builds a ConformalRegressor from ascending finite scores.
func newConformal(area string, m Regressor, scores []float64) (*ConformalRegressor, error) {
	k, err := conformalCheckLevel(area, len(scores), levelOneSigma)
	if err != nil {
		return nil, err
	}
	q := scores[k-1]
	if !(q > 0) {
		return nil, fmt.Errorf("bnn: %s: the 68.27 %% quantile of %d scores is %g (the model predicts the targets exactly): %w", area, len(scores), q, ErrInvalidParameter)
	}
	return &ConformalRegressor{inner: m, scores: scores, q68: q}, nil
}

// Inner returns the wrapped model.
func (m *ConformalRegressor) Inner() Regressor { return m.inner }

// CalibrationRows returns the number of calibration scores n.
func (m *ConformalRegressor) CalibrationRows() int { return len(m.scores) }

// ScoreQuantile returns q, the ⌈(n+1)·level⌉-th smallest calibration score,
// so that the interval at level is μ ∓ q·σ. Errors: ErrInvalidParameter for
// a level outside (0, 1) or too extreme for the n calibration rows.
func (m *ConformalRegressor) ScoreQuantile(level float64) (float64, error) {
	k, err := conformalCheckLevel("conformal quantile", len(m.scores), level)
	if err != nil {
		return 0, err
	}
	return m.scores[k-1], nil
}

// InputDim returns the inner model's number of features.
func (m *ConformalRegressor) InputDim() int { return m.inner.InputDim() }

// PredictTo writes the inner mean and q₀.₆₈₂₇·σ for each row of x (see
// ConformalRegressor). It returns the inner model's errors, ErrNonFinite if
// a prediction is not finite (or overflows) and ErrInvalidParameter if the
// inner std is not positive. It allocates nothing beyond the inner PredictTo.
func (m *ConformalRegressor) PredictTo(mean, std, x []float64) error {
	if err := m.inner.PredictTo(mean, std, x); err != nil {
		return err
	}
	return affineMoments("conformal predict", mean, std, -m.q68, m.q68)
}

// IntervalTo writes the split-conformal interval μ ∓ q·σ at level for each
// row of x. Errors are those of Interval.IntervalTo (ErrInvalidParameter
// naming the minimum number of calibration rows for too extreme a level)
// and of PredictTo.
func (m *ConformalRegressor) IntervalTo(lower, upper, x []float64, level float64) error {
	const area = "conformal interval"
	q, err := m.ScoreQuantile(level)
	if err != nil {
		return err
	}
	if err := checkIntervalArgs(area, lower, upper); err != nil {
		return err
	}
	if err := m.inner.PredictTo(lower, upper, x); err != nil {
		return err
	}
	return affineBand(area, lower, upper, -q, q)
}

var (
	_ Regressor = (*ConformalRegressor)(nil)
	_ Interval  = (*ConformalRegressor)(nil)
)
