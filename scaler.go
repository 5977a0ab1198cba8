package bnn

import (
	"fmt"
	"math"
)

// Scaling selects which columns Train standardises (to zero mean and unit
// standard deviation over the training set) before fitting. The scaling is
// stored with the model and undone at prediction, so callers always work in
// their own units.
type Scaling uint8

const (
	// ScaleInputsAndTargets standardises every feature and the target (the default).
	ScaleInputsAndTargets Scaling = iota
	// ScaleInputs standardises the features only.
	ScaleInputs
	// ScaleNone leaves features and targets as given.
	ScaleNone
)

// nnScaler is an affine map per input column and for the target:
// standardised = (raw − mean)/scale. A constant column gets scale 1.
type nnScaler struct {
	inMean, inScale []float64
	yMean, yScale   float64
}

// checkRegressionData validates row-major features x (n rows of dim
// columns) and targets y and returns n.
func checkRegressionData(x []float64, dim int, y []float64) (int, error) {
	if dim <= 0 {
		return 0, fmt.Errorf("bnn: %d input columns: %w", dim, ErrInvalidParameter)
	}
	if len(x) == 0 || len(y) == 0 {
		return 0, fmt.Errorf("bnn: %d features and %d targets: %w", len(x), len(y), ErrEmpty)
	}
	if len(x) != len(y)*dim {
		return 0, fmt.Errorf("bnn: %d features for %d targets of %d columns: %w", len(x), len(y), dim, ErrShape)
	}
	if err := checkFiniteRows(x, dim); err != nil {
		return 0, err
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("bnn: target row %d is %v: %w", i, v, ErrNonFinite)
		}
	}
	return len(y), nil
}

// checkFiniteRows returns ErrNonFinite naming the first row of x (dim
// columns) holding a NaN or ±Inf.
func checkFiniteRows(x []float64, dim int) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bnn: feature row %d column %d is %v: %w", i/dim, i%dim, v, ErrNonFinite)
		}
	}
	return nil
}

func fitNNScaler(x []float64, dim int, y []float64, mode Scaling) nnScaler {
	s := nnScaler{inMean: make([]float64, dim), inScale: make([]float64, dim), yScale: 1}
	n := len(y)
	for j := range dim {
		s.inScale[j] = 1
	}
	if mode == ScaleNone {
		return s
	}
	for j := range dim {
		var sum float64
		for i := range n {
			sum += x[i*dim+j]
		}
		mean := sum / float64(n)
		var ss float64
		for i := range n {
			d := x[i*dim+j] - mean
			ss += d * d
		}
		s.inMean[j] = mean
		s.inScale[j] = nnScaleOf(ss / float64(n))
	}
	if mode == ScaleInputsAndTargets {
		var sum float64
		for _, v := range y {
			sum += v
		}
		s.yMean = sum / float64(n)
		var ss float64
		for _, v := range y {
			d := v - s.yMean
			ss += d * d
		}
		s.yScale = nnScaleOf(ss / float64(n))
	}
	return s
}

// nnScaleOf is the standard deviation for a variance, or 1 for a constant
// (or overflowing) column.
func nnScaleOf(variance float64) float64 {
	sd := math.Sqrt(variance)
	if !(sd > 0) || math.IsInf(sd, 0) {
		return 1
	}
	return sd
}

// inputs writes the standardised float32 features of x (rows of len(inMean)) into dst.
func (s *nnScaler) inputs(dst []float32, x []float64) {
	d := len(s.inMean)
	for i, v := range x {
		j := i % d
		dst[i] = float32((v - s.inMean[j]) / s.inScale[j])
	}
}

// targets writes the standardised float32 targets into dst.
func (s *nnScaler) targets(dst []float32, y []float64) {
	for i, v := range y {
		dst[i] = float32((v - s.yMean) / s.yScale)
	}
}
