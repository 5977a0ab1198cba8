package bnn

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
)

// CrossConformalRegressor gives CV+ intervals (Barber, Candès, Ramdas and
// Tibshirani 2021, "Predictive inference with the jackknife+", §3.2; with
// K = n folds it is the jackknife+), so that every row serves both to train
// and to calibrate. The n rows are split into K folds; model k is trained
// without fold k, and each row i of fold k(i) gets the normalised
// out-of-fold score Rᵢ = |yᵢ − μ₋ₖ₍ᵢ₎(xᵢ)|/σ₋ₖ₍ᵢ₎(xᵢ). At a new x the interval
// at level 1−α is
//
//	[ ⌊α(n+1)⌋-th smallest of μ₋ₖ₍ᵢ₎(x) − Rᵢσ₋ₖ₍ᵢ₎(x),  ⌈(1−α)(n+1)⌉-th smallest of μ₋ₖ₍ᵢ₎(x) + Rᵢσ₋ₖ₍ᵢ₎(x) ],
//
// over i = 1…n. For exchangeable rows its coverage is at least 1 − 2α −
// √(2/n) (Barber et al., Theorem 4, which states a slightly smaller slack;
// the proof compares scores only, so it carries over to the normalised
// score), and in practice close to 1−α.
// Levels with ⌈(1−α)(n+1)⌉ > n are refused (see ConformalMinRows); below
// level 0.5 the two ends may cross, and then both are set to their midpoint.
//
// PredictTo reports the midpoint of the CV+ interval at level 0.6827
// (erf(1/√2)) as the mean and its half-width as the std, so mean ± std is the
// calibrated 68.27 % interval. Prediction runs all K models. A
// CrossConformalRegressor is safe for concurrent use if its fold models are.
type CrossConformalRegressor struct {
	folds  []Regressor
	scores [][]float64 // scores[k]: ascending scores of fold k's rows
	n      int
	spare  atomic.Pointer[cvWork]
}

// cvChunk is the number of rows predicted per pass over the fold models.
const cvChunk = 64

// cvWork is a prediction workspace: the fold models' means and stds for
// one chunk of rows, and the n candidate interval ends of one row.
type cvWork struct {
	mu, sd []float64 // [k·cvChunk + r]
	vals   []float64 // n values to select from (more than cvMergeMaxFolds folds)
	pos    []int     // per fold: the next score in the merge walk
	cur    []float64 // per fold: the value at pos
}

// CrossConformal fits the CV+ wrapper: it splits the n rows of x (row-major,
// dim columns) and y into folds folds (row i goes to fold i mod folds;
// shuffle the rows first for random folds), calls fit on the other folds'
// rows for each fold in turn and scores the held-out fold. The result is
// deterministic if fit is. Errors: ErrInvalidParameter for folds < 2 or a
// fitted model whose InputDim is not dim, ErrShape for ragged x, ErrEmpty
// for fewer rows than max(folds, 3), ErrNonFinite naming a non-finite feature,
// target or prediction, ctx's error if it is cancelled between folds, and
// fit's errors (naming the fold).
func CrossConformal(ctx context.Context, x []float64, dim int, y []float64, folds int,
	fit func(ctx context.Context, x []float64, dim int, y []float64) (Regressor, error)) (*CrossConformalRegressor, error) {
	const area = "cross conformal"
	if folds < 2 {
		return nil, fmt.Errorf("bnn: %s: %d folds, need at least 2: %w", area, folds, ErrInvalidParameter)
	}
	if dim < 1 || len(x) != len(y)*dim {
		return nil, fmt.Errorf("bnn: %s: %d feature values for %d targets of %d features: %w", area, len(x), len(y), dim, ErrShape)
	}
	n := len(y)
	if need := max(folds, conformalMinRows); n < need {
		return nil, fmt.Errorf("bnn: %s: %d rows for %d folds, need at least %d: %w", area, n, folds, need, ErrEmpty)
	}
	if err := checkFiniteRows(x, dim); err != nil {
		return nil, fmt.Errorf("bnn: %s: %w", area, err)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("bnn: %s: target %d is %g: %w", area, i, v, ErrNonFinite)
		}
	}
	cv := &CrossConformalRegressor{folds: make([]Regressor, folds), scores: make([][]float64, folds), n: n}
	for k := range folds {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bnn: %s: fold %d: %w", area, k, err)
		}
		nOut := (n - k + folds - 1) / folds // rows i ≡ k (mod folds)
		xt, yt := make([]float64, 0, (n-nOut)*dim), make([]float64, 0, n-nOut)
		xo, yo := make([]float64, 0, nOut*dim), make([]float64, 0, nOut)
		for i := range n {
			if i%folds == k {
				xo, yo = append(xo, x[i*dim:(i+1)*dim]...), append(yo, y[i])
			} else {
				xt, yt = append(xt, x[i*dim:(i+1)*dim]...), append(yt, y[i])
			}
		}
		m, err := fit(ctx, xt, dim, yt)
		if err != nil {
			return nil, fmt.Errorf("bnn: %s: fold %d: %w", area, k, err)
		}
		if m == nil || m.InputDim() != dim {
			return nil, fmt.Errorf("bnn: %s: fold %d: fitted model %T does not take %d features: %w", area, k, m, dim, ErrInvalidParameter)
		}
		mean, std, err := calibrationPredict(fmt.Sprintf("%s: fold %d", area, k), m, xo, yo, 1)
		if err != nil {
			return nil, err
		}
		s := mean
		for i, mu := range mean {
			s[i] = math.Abs(yo[i]-mu) / std[i]
			if math.IsInf(s[i], 0) {
				return nil, fmt.Errorf("bnn: %s: fold %d row %d: score overflows: %w", area, k, i*folds+k, ErrNonFinite)
			}
		}
		slices.Sort(s)
		cv.folds[k], cv.scores[k] = m, s
	}
	return cv, nil
}

// Folds returns the K fold models (model k was trained without fold k).
func (m *CrossConformalRegressor) Folds() []Regressor { return slices.Clone(m.folds) }

// CalibrationRows returns the number of rows n (every row is scored out of fold).
func (m *CrossConformalRegressor) CalibrationRows() int { return m.n }

// InputDim returns the fold models' number of features.
func (m *CrossConformalRegressor) InputDim() int { return m.folds[0].InputDim() }

// PredictTo writes the midpoint and half-width of the CV+ interval at level
// 0.6827 for each row of x (see CrossConformalRegressor). It returns ErrShape
// for inconsistent lengths, the fold models' errors, ErrNonFinite for a
// non-finite prediction and ErrInvalidParameter if a fold model's std is not
// positive or the interval has zero width. It allocates nothing after the
// first call beyond the fold models' PredictTo.
func (m *CrossConformalRegressor) PredictTo(mean, std, x []float64) error {
	const area = "cross conformal predict"
	if err := m.interval(area, mean, std, x, levelOneSigma); err != nil {
		return err
	}
	for i, lo := range mean {
		c, h := lo+(std[i]-lo)/2, (std[i]-lo)/2
		if !(h > 0) || math.IsInf(h, 0) {
			return fmt.Errorf("bnn: %s: row %d: interval [%g, %g] has no positive finite width: %w", area, i, lo, std[i], ErrInvalidParameter)
		}
		mean[i], std[i] = c, h
	}
	return nil
}

// IntervalTo writes the CV+ interval at level for each row of x. Errors are
// those of Interval.IntervalTo (ErrInvalidParameter naming the minimum
// number of rows for too extreme a level) and of PredictTo.
func (m *CrossConformalRegressor) IntervalTo(lower, upper, x []float64, level float64) error {
	const area = "cross conformal interval"
	if err := checkIntervalArgs(area, lower, upper); err != nil {
		return err
	}
	return m.interval(area, lower, upper, x, level)
}

func (m *CrossConformalRegressor) interval(area string, lower, upper, x []float64, level float64) error {
	k, err := conformalCheckLevel(area, m.n, level)
	if err != nil {
		return err
	}
	d := m.InputDim()
	if len(x)%d != 0 || len(lower) != len(x)/d || len(upper) != len(lower) {
		return fmt.Errorf("bnn: %s: %d feature values of %d columns for %d lower and %d upper ends: %w", area, len(x), d, len(lower), len(upper), ErrShape)
	}
	w := m.spare.Swap(nil)
	if w == nil {
		K := len(m.folds)
		w = &cvWork{mu: make([]float64, K*cvChunk), sd: make([]float64, K*cvChunk), pos: make([]int, K), cur: make([]float64, K)}
		if K > cvMergeMaxFolds {
			w.vals = make([]float64, m.n)
		}
	}
	defer m.spare.Store(w)
	rows := len(lower)
	for s := 0; s < rows; s += cvChunk {
		c := min(s+cvChunk, rows) - s
		for f, fm := range m.folds {
			mu, sd := w.mu[f*cvChunk:f*cvChunk+c], w.sd[f*cvChunk:f*cvChunk+c]
			if err := fm.PredictTo(mu, sd, x[s*d:(s+c)*d]); err != nil {
				return fmt.Errorf("bnn: %s: fold model %d: %w", area, f, err)
			}
			for r := range c {
				if err := checkPrediction(area, s+r, mu[r], sd[r]); err != nil {
					return err
				}
			}
		}
		for r := range c {
			// Upper end: the k-th smallest of μ + Rσ; lower end: minus the
			// k-th smallest of Rσ − μ (the k-th largest of μ − Rσ).
			hi := m.kthEnd(w, r, k, 1)
			lo := -m.kthEnd(w, r, k, -1)
			if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
				return fmt.Errorf("bnn: %s: row %d: interval [%g, %g] overflows: %w", area, s+r, lo, hi, ErrNonFinite)
			}
			if lo > hi {
				lo = lo + (hi-lo)/2
				hi = lo
			}
			lower[s+r], upper[s+r] = lo, hi
		}
	}
	return nil
}

// cvMergeMaxFolds is the largest fold count for which kthEnd walks the
// folds' sorted scores (O(min(k, n−k+1)·K) per row); above it, it selects
// from all n values (O(n)).
const cvMergeMaxFolds = 16

// kthEnd returns the k-th smallest (1-based) of sign·μ₋ₖ₍ᵢ₎ + Rᵢσ₋ₖ₍ᵢ₎ over
// the calibration rows i, for row r of the current chunk. Within a fold the
// values are non-decreasing in the sorted scores (rounding is monotone), so
// for few folds it merges the folds from whichever end is nearer the k-th
// value; either way the result is exactly the k-th smallest computed value.
func (m *CrossConformalRegressor) kthEnd(w *cvWork, r, k int, sign float64) float64 {
	K := len(m.scores)
	if K > cvMergeMaxFolds {
		v := w.vals[:0]
		for f, sc := range m.scores {
			mu, sd := sign*w.mu[f*cvChunk+r], w.sd[f*cvChunk+r]
			for _, s := range sc {
				v = append(v, mu+float64(s*sd)) // float64(): no fused multiply-add
			}
		}
		return selectKth(v, k-1)
	}
	fromTop := m.n-k+1 < k
	steps := k
	if fromTop {
		steps = m.n - k + 1
	}
	pos, cur := w.pos[:K], w.cur[:K]
	value := func(f int) float64 { return sign*w.mu[f*cvChunk+r] + float64(m.scores[f][pos[f]]*w.sd[f*cvChunk+r]) }
	for f := range K {
		pos[f] = 0
		if fromTop {
			pos[f] = len(m.scores[f]) - 1
		}
		cur[f] = value(f)
	}
	var v float64
	for range steps {
		best := -1
		for f := range K {
			if pos[f] < 0 || pos[f] >= len(m.scores[f]) {
				continue
			}
			if best < 0 || (fromTop && cur[f] > cur[best]) || (!fromTop && cur[f] < cur[best]) {
				best = f
			}
		}
		v = cur[best]
		if fromTop {
			pos[best]--
		} else {
			pos[best]++
		}
		if pos[best] >= 0 && pos[best] < len(m.scores[best]) {
			cur[best] = value(best)
		}
	}
	return v
}

// selectKth returns the k-th smallest (0-based) element of a, which it
// reorders (Hoare's selection with a median-of-three pivot; a must not hold
// NaNs).
func selectKth(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		p := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < p {
				i++
			}
			for a[j] > p {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}

var (
	_ Regressor = (*CrossConformalRegressor)(nil)
	_ Interval  = (*CrossConformalRegressor)(nil)
)
