package main

import "github.com/gobnn/bnn"

// intervals gives a model's central predictive interval at any level:
// the calibration wrappers' own (bnn.Interval), else the Gaussian
// quantiles mean ± z·std of its predictions.
type intervals struct {
	m         bnn.Regressor
	mean, std []float64
}

func newIntervals(m bnn.Regressor, mean, std []float64) *intervals {
	return &intervals{m: m, mean: mean, std: std}
}

// at writes the central interval at level (in (0, 1)) of the rows x into lo and hi.
func (iv *intervals) at(lo, hi, x []float64, level float64) error {
	if w, ok := iv.m.(bnn.Interval); ok && iv.m != nil {
		return w.IntervalTo(lo, hi, x, level)
	}
	z := normalQuantile(0.5 + level/2)
	for i := range iv.mean {
		lo[i], hi[i] = iv.mean[i]-z*iv.std[i], iv.mean[i]+z*iv.std[i]
	}
	return nil
}
