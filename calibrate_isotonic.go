package bnn

import (
	"fmt"
	"math"
	"slices"
)

// IsotonicRegressor recalibrates an inner model's predictive CDF by
// isotonic regression (Kuleshov, Fenner and Ermon 2018, "Accurate
// uncertainties for deep learning using calibrated regression", Algorithm
// 1). On n calibration rows it computes the probability integral transforms
// pᵢ = F(yᵢ | xᵢ) = Φ(zᵢ), zᵢ = (yᵢ − μᵢ)/σᵢ, and fits a non-decreasing map R
// from p to the empirical CDF of the pᵢ by the pool-adjacent-violators
// algorithm (with the plotting position rank/(n+1), so R stays inside (0,
// 1)). The recalibrated CDF is R(F(y | x)).
//
// Because the isotonic fit depends on the pᵢ only through their order, R is
// stored against zᵢ = Φ⁻¹(pᵢ) and interpolated linearly in z between the
// knots: PIT values of a badly over-confident model round to exactly 0 or 1
// in p, never in z. Beyond the extreme knots the recalibrated CDF is a unit
// normal shifted to meet the knot, Φ(z − c), so every level has a finite
// quantile. The recalibrated distribution is μ(x) + σ(x)·Z with Z having the
// single CDF G(z) = R(Φ(z)) for every x, so the interval at level is
// μ + σ·[G⁻¹((1−level)/2), G⁻¹((1+level)/2)].
//
// PredictTo reports the mean and standard deviation of that recalibrated
// distribution, μ + σ·E[Z] and σ·sd(Z) (the mean moves off μ when G is
// skewed): the moments in closed form, uniform between knots and shifted
// normal in the tails. N(mean, std²) is then the Gaussian closest to the
// recalibrated predictive in Kullback–Leibler divergence, so a Gaussian
// score of PredictTo's output (Evaluate's NLL) sees the tails the map
// learned; the half-width of the 68.27 % interval would not, and on
// heavy-tailed residuals it understates them. It is safe for concurrent use
// if the inner model is.
type IsotonicRegressor struct {
	inner    Regressor
	z, r     []float64 // knots: strictly increasing z, non-decreasing R(Φ(z)) in (0, 1)
	rows     int
	zMean    float64 // E[Z] under G
	zStd     float64 // sd(Z) under G
	cLo, cHi float64 // tail shifts: G(z) = Φ(z − cLo) below z[0], Φ(z − cHi) above z[last]
}

// calibIsotonicMinRows is the fewest calibration rows CalibrateIsotonic accepts.
const calibIsotonicMinRows = 2

// CalibrateIsotonic fits the isotonic recalibration of model m on
// calibration rows (x row-major with m.InputDim() columns, one target per
// row, rows m was not trained on). Errors: ErrShape for ragged x, ErrEmpty
// for fewer than 2 rows, ErrNonFinite naming a non-finite feature, target or
// standardised residual, ErrInvalidParameter if m predicts a std that is
// not positive, and m.PredictTo's errors.
func CalibrateIsotonic(m Regressor, x, y []float64) (*IsotonicRegressor, error) {
	const area = "calibrate isotonic"
	mean, std, err := calibrationPredict(area, m, x, y, calibIsotonicMinRows)
	if err != nil {
		return nil, err
	}
	n := len(y)
	z := mean
	for i, mu := range mean {
		z[i] = (y[i] - mu) / std[i]
		if math.IsInf(z[i], 0) {
			return nil, fmt.Errorf("bnn: %s: row %d: standardised residual overflows: %w", area, i, ErrNonFinite)
		}
	}
	slices.Sort(z)
	// Knots: distinct z, each with the mean plotting position of its ties
	// and their count as the isotonic weight.
	knots, target, weight := z[:0:0], make([]float64, 0, n), make([]float64, 0, n)
	for i := 0; i < n; {
		j := i
		for j < n && z[j] == z[i] {
			j++
		}
		knots = append(knots, z[i])
		target = append(target, (float64(i+j+1)/2)/float64(n+1)) // mean of (i+1 … j)/(n+1)
		weight = append(weight, float64(j-i))
		i = j
	}
	isotonicFit(target, weight)
	return newIsotonic(area, m, knots, target, n)
}

// isotonicFit replaces y in place by its weighted least-squares isotonic
// (non-decreasing) regression, by the pool-adjacent-violators algorithm
// (Ayer et al. 1955). w holds positive weights and is used as scratch.
func isotonicFit(y, w []float64) {
	// Blocks are kept as a stack in the prefix of y and w: value, weight, and
	// the number of points each block pools (in cnt).
	cnt := make([]int, len(y))
	nb := 0
	for i := range y {
		v, wt, c := y[i], w[i], 1
		for nb > 0 && y[nb-1] > v {
			nb--
			tw := w[nb] + wt
			v = (y[nb]*w[nb] + v*wt) / tw
			wt, c = tw, c+cnt[nb]
		}
		y[nb], w[nb], cnt[nb] = v, wt, c
		nb++
	}
	// Expand the blocks back over the points, from the end.
	i := len(y)
	for b := nb - 1; b >= 0; b-- {
		v := y[b]
		for range cnt[b] {
			i--
			y[i] = v
		}
	}
}

// newIsotonic builds an IsotonicRegressor from knots z (strictly
// increasing, finite) and values r (non-decreasing, in (0, 1)), checking them.
func newIsotonic(area string, m Regressor, z, r []float64, rows int) (*IsotonicRegressor, error) {
	if len(z) == 0 || len(r) != len(z) || rows < len(z) {
		return nil, fmt.Errorf("bnn: %s: %d knots, %d values, %d rows: %w", area, len(z), len(r), rows, ErrShape)
	}
	for i := range z {
		if math.IsNaN(z[i]) || math.IsInf(z[i], 0) || (i > 0 && !(z[i] > z[i-1])) {
			return nil, fmt.Errorf("bnn: %s: knot %d at %g is not finite and increasing: %w", area, i, z[i], ErrInvalidParameter)
		}
		if !(r[i] > 0 && r[i] < 1) || (i > 0 && r[i] < r[i-1]) {
			return nil, fmt.Errorf("bnn: %s: knot %d value %g is not in (0, 1) and non-decreasing: %w", area, i, r[i], ErrInvalidParameter)
		}
	}
	last := len(z) - 1
	iso := &IsotonicRegressor{inner: m, z: z, r: r, rows: rows,
		cLo: z[0] - normalQuantile(r[0]), cHi: z[last] + normalQuantile(1-r[last])}
	// 1 − r[last] is exact for r[last] ≥ ½, so −Φ⁻¹(1−r) is Φ⁻¹(r) without the
	// rounding of r near 1; for r[last] < ½ both forms are exact enough.
	iso.zMean, iso.zStd = iso.momentsZ()
	if math.IsInf(iso.cLo, 0) || math.IsInf(iso.cHi, 0) || math.IsNaN(iso.cLo) || math.IsNaN(iso.cHi) ||
		math.IsInf(iso.zMean, 0) || math.IsNaN(iso.zMean) || !(iso.zStd > 0) || math.IsInf(iso.zStd, 0) {
		return nil, fmt.Errorf("bnn: %s: recalibrated standardised residual has mean %g and std %g, not finite and positive: %w", area, iso.zMean, iso.zStd, ErrInvalidParameter)
	}
	return iso, nil
}

// momentsZ returns the mean and standard deviation of Z ~ G. Between knots
// z[j−1] and z[j], G is linear, so that stretch is a uniform density of
// mass r[j] − r[j−1]; below z[0] it is the normal Φ(z − cLo), of mass
// r[0] = Φ(a) with a = z[0] − cLo, and above z[last] the normal Φ(z − cHi),
// of mass 1 − r[last] = 1 − Φ(b) with b = z[last] − cHi. With u = z − c and
// φ the normal density, ∫_{u≤a}(u + c)φ = cΦ(a) − φ(a) and ∫_{u≤a}(u + c)²φ =
// Φ(a) − aφ(a) − 2cφ(a) + c²Φ(a); the upper tail mirrors them.
func (m *IsotonicRegressor) momentsZ() (mean, std float64) {
	last := len(m.z) - 1
	a, pa := m.z[0]-m.cLo, m.r[0]
	b, qb := m.z[last]-m.cHi, 1-m.r[last]
	fa, fb := normalPDF(a), normalPDF(b)
	m1 := m.cLo*pa - fa + m.cHi*qb + fb
	m2 := pa - a*fa - 2*m.cLo*fa + m.cLo*m.cLo*pa +
		qb + b*fb + 2*m.cHi*fb + m.cHi*m.cHi*qb
	for j := 1; j <= last; j++ {
		w, z0, z1 := m.r[j]-m.r[j-1], m.z[j-1], m.z[j]
		m1 += w * (z0 + z1) / 2
		m2 += w * (z0*z0 + z0*z1 + z1*z1) / 3
	}
	return m1, math.Sqrt(math.Max(m2-m1*m1, 0))
}

// quantileZ returns G⁻¹(p) (upper false) or G⁻¹(1−p) (upper true) for a
// tail probability p in (0, 1), G the recalibrated CDF of the standardised
// residual. The tails invert Φ(z − c); between knots G is linear in z.
func (m *IsotonicRegressor) quantileZ(p float64, upper bool) float64 {
	last := len(m.z) - 1
	q := p
	if upper {
		q = 1 - p
		if q > m.r[last] {
			return m.cHi - normalQuantile(p) // Φ⁻¹(1−p) = −Φ⁻¹(p)
		}
	}
	if q <= m.r[0] {
		return m.cLo + normalQuantile(q)
	}
	if q > m.r[last] {
		return m.cHi + normalQuantile(q)
	}
	j, _ := slices.BinarySearch(m.r, q) // first j with r[j] ≥ q; j ≥ 1 as q > r[0]
	r0, r1 := m.r[j-1], m.r[j]
	t := (q - r0) / (r1 - r0)
	return m.z[j-1] + float64(t*(m.z[j]-m.z[j-1])) // float64(): no fused multiply-add
}

// cdfZ returns the recalibrated CDF G(z) of the standardised residual z.
func (m *IsotonicRegressor) cdfZ(z float64) float64 {
	last := len(m.z) - 1
	switch {
	case z <= m.z[0]:
		return normalCDF(z - m.cLo)
	case z >= m.z[last]:
		return normalCDF(z - m.cHi)
	}
	j, _ := slices.BinarySearch(m.z, z) // z[j−1] < z ≤ z[j]
	t := (z - m.z[j-1]) / (m.z[j] - m.z[j-1])
	return m.r[j-1] + float64(t*(m.r[j]-m.r[j-1]))
}

// Inner returns the wrapped model.
func (m *IsotonicRegressor) Inner() Regressor { return m.inner }

// WithInner returns the same recalibration map around another model with
// the same input width: for a model refitted on every row
// (Validation.Refit) after the map was fitted, on held-out rows, to the
// held-out run's model. It returns ErrShape if inner's InputDim differs.
func (m *IsotonicRegressor) WithInner(inner Regressor) (*IsotonicRegressor, error) {
	if err := sameInputDim("calibrate isotonic", m.inner, inner); err != nil {
		return nil, err
	}
	w := *m
	w.inner = inner
	return &w, nil
}

// CalibrationRows returns the number of rows the recalibration was fitted on.
func (m *IsotonicRegressor) CalibrationRows() int { return m.rows }

// InputDim returns the inner model's number of features.
func (m *IsotonicRegressor) InputDim() int { return m.inner.InputDim() }

// PredictTo writes the mean and standard deviation of the recalibrated
// predictive distribution for each row of x (see IsotonicRegressor). It returns the inner
// model's errors, ErrNonFinite if a prediction is not finite (or overflows)
// and ErrInvalidParameter if the inner std is not positive. It allocates
// nothing beyond the inner PredictTo.
func (m *IsotonicRegressor) PredictTo(mean, std, x []float64) error {
	if err := m.inner.PredictTo(mean, std, x); err != nil {
		return err
	}
	return affineMoments("isotonic predict", mean, std, m.zMean-m.zStd, m.zMean+m.zStd)
}

// IntervalTo writes the recalibrated central interval at level, μ +
// σ·G⁻¹((1∓level)/2), for each row of x. Errors are those of
// Interval.IntervalTo and PredictTo.
func (m *IsotonicRegressor) IntervalTo(lower, upper, x []float64, level float64) error {
	const area = "isotonic interval"
	if err := checkLevel(area, level); err != nil {
		return err
	}
	if err := checkIntervalArgs(area, lower, upper); err != nil {
		return err
	}
	if err := m.inner.PredictTo(lower, upper, x); err != nil {
		return err
	}
	tail := (1 - level) / 2
	return affineBand(area, lower, upper, m.quantileZ(tail, false), m.quantileZ(tail, true))
}

var (
	_ Regressor = (*IsotonicRegressor)(nil)
	_ Interval  = (*IsotonicRegressor)(nil)
)
