package bnn

import (
	"fmt"
	"math"
	"slices"
)

// Uncertainty metrics shared by every method: point accuracy (RMSE), proper
// scoring rules (Gaussian NLL, CRPS) and interval calibration (coverage,
// calibration curve). All take float64 slices in the units of the targets.

// metricsCheck validates a (mean, std, y) triple: equal non-zero lengths,
// finite values and strictly positive std (std may be nil to skip it).
func metricsCheck(name string, mean, std, y []float64) error {
	if len(mean) == 0 {
		return fmt.Errorf("bnn: %s: no points: %w", name, ErrEmpty)
	}
	if len(y) != len(mean) || (std != nil && len(std) != len(mean)) {
		return fmt.Errorf("bnn: %s: %d predictions, %d stds, %d targets: %w", name, len(mean), len(std), len(y), ErrShape)
	}
	for i := range mean {
		if math.IsNaN(mean[i]) || math.IsInf(mean[i], 0) {
			return fmt.Errorf("bnn: %s: prediction %d is %g: %w", name, i, mean[i], ErrNonFinite)
		}
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return fmt.Errorf("bnn: %s: target %d is %g: %w", name, i, y[i], ErrNonFinite)
		}
		if std != nil {
			if math.IsNaN(std[i]) || math.IsInf(std[i], 0) {
				return fmt.Errorf("bnn: %s: std %d is %g: %w", name, i, std[i], ErrNonFinite)
			}
			if !(std[i] > 0) {
				return fmt.Errorf("bnn: %s: std %d is %g, must be positive: %w", name, i, std[i], ErrInvalidParameter)
			}
		}
	}
	return nil
}

// RMSE returns the root-mean-square error √(Σ(predᵢ−yᵢ)²/n) in target units.
// It returns ErrEmpty for no points, ErrShape for different lengths and
// ErrNonFinite (naming the index) for NaN or ±Inf values.
func RMSE(pred, y []float64) (float64, error) {
	if err := metricsCheck("rmse", pred, nil, y); err != nil {
		return 0, err
	}
	var s float64
	for i, p := range pred {
		d := p - y[i]
		s += d * d
	}
	return math.Sqrt(s / float64(len(pred))), nil
}

// GaussianNLL returns the mean negative log-likelihood (nats per point) of the
// targets y under independent Gaussians N(meanᵢ, stdᵢ²):
// (1/n)Σ [½log(2π) + log stdᵢ + (yᵢ−meanᵢ)²/(2stdᵢ²)]. It returns ErrEmpty,
// ErrShape, ErrNonFinite, or ErrInvalidParameter for a std that is not positive.
func GaussianNLL(mean, std, y []float64) (float64, error) {
	if err := metricsCheck("gaussian nll", mean, std, y); err != nil {
		return 0, err
	}
	var s float64
	for i, m := range mean {
		z := (y[i] - m) / std[i]
		s += 0.5*math.Log(2*math.Pi) + math.Log(std[i]) + 0.5*z*z
	}
	return s / float64(len(mean)), nil
}

// Coverage returns the fraction of targets inside the band meanᵢ ± k·stdᵢ
// (k = 2 gives the usual 2σ coverage; the boundary counts as inside). It
// returns ErrInvalidParameter for k not positive and finite, and the errors of
// GaussianNLL for bad data.
func Coverage(mean, std, y []float64, k float64) (float64, error) {
	if !(k > 0) || math.IsInf(k, 1) {
		return 0, fmt.Errorf("bnn: coverage: width %g must be positive and finite: %w", k, ErrInvalidParameter)
	}
	if err := metricsCheck("coverage", mean, std, y); err != nil {
		return 0, err
	}
	return coverageK(mean, std, y, k), nil
}

func coverageK(mean, std, y []float64, k float64) float64 {
	in := 0
	for i, m := range mean {
		if math.Abs(y[i]-m) <= k*std[i] {
			in++
		}
	}
	return float64(in) / float64(len(mean))
}

// CoverageLevel returns the observed coverage of the central Gaussian
// prediction intervals at nominal level (0 < level < 1; 0.95 gives
// mean ± 1.96·std). It returns ErrInvalidParameter for a level outside (0, 1)
// and the errors of GaussianNLL for bad data.
func CoverageLevel(mean, std, y []float64, level float64) (float64, error) {
	if !(level > 0 && level < 1) {
		return 0, fmt.Errorf("bnn: coverage: level %g must be in (0, 1): %w", level, ErrInvalidParameter)
	}
	if err := metricsCheck("coverage", mean, std, y); err != nil {
		return 0, err
	}
	return coverageK(mean, std, y, math.Sqrt2*math.Erfinv(level)), nil
}

// CalibrationCurve returns, for each nominal level in levels (each in (0, 1)),
// the observed coverage of the central Gaussian intervals at that level: a
// perfectly calibrated model gives observed[i] ≈ levels[i]. It returns
// ErrEmpty for no levels, ErrInvalidParameter for a level outside (0, 1), and
// the errors of GaussianNLL for bad data.
func CalibrationCurve(mean, std, y, levels []float64) (observed []float64, err error) {
	if len(levels) == 0 {
		return nil, fmt.Errorf("bnn: calibration curve: no levels: %w", ErrEmpty)
	}
	for i, l := range levels {
		if !(l > 0 && l < 1) {
			return nil, fmt.Errorf("bnn: calibration curve: level %d is %g, must be in (0, 1): %w", i, l, ErrInvalidParameter)
		}
	}
	if err := metricsCheck("calibration curve", mean, std, y); err != nil {
		return nil, err
	}
	observed = make([]float64, len(levels))
	for i, l := range levels {
		observed[i] = coverageK(mean, std, y, math.Sqrt2*math.Erfinv(l))
	}
	return observed, nil
}

// CRPSGaussian returns the mean continuous ranked probability score (target
// units, lower is better) of Gaussian forecasts N(meanᵢ, stdᵢ²), in closed
// form: σ[z(2Φ(z)−1) + 2φ(z) − 1/√π] with z = (y−μ)/σ (Gneiting & Raftery
// 2007). It returns the errors of GaussianNLL.
func CRPSGaussian(mean, std, y []float64) (float64, error) {
	if err := metricsCheck("crps", mean, std, y); err != nil {
		return 0, err
	}
	var s float64
	for i, m := range mean {
		z := (y[i] - m) / std[i]
		s += std[i] * (z*(2*normalCDF(z)-1) + 2*normalPDF(z) - 1/math.Sqrt(math.Pi))
	}
	return s / float64(len(mean)), nil
}

// CRPSSamples returns the mean CRPS of sample-based forecasts (an ensemble,
// MC-dropout or BNN predictive samples, or draws from any mixture): samples is
// row-major S×n (sample s of point i at samples[s·n+i], n = len(y)), and the
// score per point is E|X−y| − ½E|X−X′| under the empirical distribution of its
// S samples, computed exactly in O(S log S). It returns ErrEmpty for no points,
// ErrShape if len(samples) is not a positive multiple of len(y), and
// ErrNonFinite (naming the index) for NaN or ±Inf values.
func CRPSSamples(samples, y []float64) (float64, error) {
	n := len(y)
	if n == 0 {
		return 0, fmt.Errorf("bnn: crps: no points: %w", ErrEmpty)
	}
	if len(samples) == 0 || len(samples)%n != 0 {
		return 0, fmt.Errorf("bnn: crps: %d samples for %d points: %w", len(samples), n, ErrShape)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("bnn: crps: target %d is %g: %w", i, v, ErrNonFinite)
		}
	}
	for i, v := range samples {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("bnn: crps: sample %d (draw %d, point %d) is %g: %w", i, i/n, i%n, v, ErrNonFinite)
		}
	}
	S := len(samples) / n
	col := make([]float64, S)
	var total float64
	for i := range n {
		for s := range S {
			col[s] = samples[s*n+i]
		}
		slices.Sort(col)
		// E|X−y| and ½E|X−X′| = (1/S²)Σⱼ(2j−S+1)x₍ⱼ₎ over the sorted draws (0-based j).
		var absErr, spread float64
		for j, x := range col {
			absErr += math.Abs(x - y[i])
			spread += float64(2*j-S+1) * x
		}
		total += absErr/float64(S) - spread/(float64(S)*float64(S))
	}
	return total / float64(n), nil
}

// Metrics summarises a Gaussian predictive distribution against targets.
type Metrics struct {
	RMSE           float64 // root-mean-square error of the mean (target units)
	NLL            float64 // mean Gaussian negative log-likelihood (nats per point)
	Coverage2Sigma float64 // fraction of targets within mean ± 2·std
	CRPS           float64 // mean closed-form Gaussian CRPS (target units)
	MeanStd        float64 // average predictive std (target units)
}

// Evaluate returns all the Metrics of Gaussian predictions (mean, std) against
// targets y. It returns the errors of GaussianNLL.
func Evaluate(mean, std, y []float64) (Metrics, error) {
	if err := metricsCheck("evaluate", mean, std, y); err != nil {
		return Metrics{}, err
	}
	var m Metrics
	m.RMSE, _ = RMSE(mean, y)
	m.NLL, _ = GaussianNLL(mean, std, y)
	m.Coverage2Sigma = coverageK(mean, std, y, 2)
	m.CRPS, _ = CRPSGaussian(mean, std, y)
	for _, s := range std {
		m.MeanStd += s
	}
	m.MeanStd /= float64(len(std))
	return m, nil
}
