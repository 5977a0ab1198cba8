package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/gobnn/bnn"
)

// calibrations are the -calibrate choices of "bnn fit" and "bnn cv".
//
//   - none: the model as trained. The networks already set their noise
//     level on held-out rows (bnn.Validation).
//   - isotonic (the default) and scale: bnn.CalibrateIsotonic (Kuleshov
//     et al. 2018) or bnn.CalibrateScale fitted on the rows the networks
//     hold out for early stopping and their noise level (-holdout), so no
//     further rows are lost; the isotonic map lets the interval follow a
//     residual distribution that is not normal (peaked or heavy-tailed),
//     which no Gaussian band can. blr, which holds nothing out, is
//     trained on all but -calfrac of the rows and calibrated on the rest.
//   - conformal: trained on all but -calfrac of the rows and wrapped by
//     bnn.CalibrateConformal on the rest (rows no training step has seen,
//     so the finite-sample marginal coverage ≥ level holds).
//   - cv+: bnn.CrossConformal with -calfolds folds: conformal coverage
//     without losing rows, at -calfolds extra fits.
var calibrations = []string{"none", "scale", "isotonic", "conformal", "cv+"}

// calibConfig holds the calibration flags.
type calibConfig struct {
	method string
	frac   float64
	folds  int
}

// checkCalibration validates the flags.
func (c *calibConfig) check() error {
	known := false
	for _, k := range calibrations {
		known = known || k == c.method
	}
	if !known {
		return usageErrorf("-calibrate %q: want one of %s", c.method, strings.Join(calibrations, ", "))
	}
	if !(c.frac > 0 && c.frac < 1) {
		return usageErrorf("-calfrac must be in (0, 1), got %g", c.frac)
	}
	if c.folds < 2 {
		return usageErrorf("-calfolds must be at least 2, got %d", c.folds)
	}
	return nil
}

// trainCalibrated trains method and applies the calibration c.
func trainCalibrated(ctx context.Context, method string, c *methodConfig, cal *calibConfig, x []float64, dim int, y []float64) (bnn.Regressor, error) {
	fit := func(ctx context.Context, x []float64, dim int, y []float64) (bnn.Regressor, error) {
		return trainMethod(ctx, method, c, x, dim, y)
	}
	if err := checkTarget(y); err != nil {
		return nil, err
	}
	switch cal.method {
	case "none":
		return fit(ctx, x, dim, y)
	case "cv+":
		return bnn.CrossConformal(ctx, x, dim, y, cal.folds, fit)
	}
	n := len(y)
	frac := cal.frac
	reuse := method != "blr" && cal.method != "conformal" && c.valFrac > 0
	if reuse {
		frac = c.valFrac
	}
	nc := int(math.Round(frac * float64(n)))
	if reuse && (nc < bnn.MinValidationRows || n-nc < bnn.MinValidationRows) {
		need := max(2*bnn.MinValidationRows, int(math.Ceil(bnn.MinValidationRows/frac)))
		return nil, fmt.Errorf("%d rows hold out %d at -holdout %g; at least %d rows are needed (%d held out and %d to train on): %w",
			n, nc, frac, need, bnn.MinValidationRows, bnn.MinValidationRows, bnn.ErrEmpty)
	}
	if nc < 2 || n-nc < 2 {
		return nil, fmt.Errorf("-calibrate %s: %d rows at -calfrac %g leave %d calibration rows; need at least 2 (and more for extreme levels)", cal.method, n, cal.frac, nc)
	}
	perm := rand.New(rand.NewPCG(c.seed, 0x63616c6962)).Perm(n)
	xc, yc := gather(x, y, dim, perm[:nc])
	xt, yt := gather(x, y, dim, perm[nc:])
	if !reuse {
		m, err := fit(ctx, xt, dim, yt)
		if err != nil {
			return nil, err
		}
		return fitCalibration(cal.method, m, xc, yc)
	}
	// The networks stop early and set their noise on xc, and the wrapper is
	// fitted on xc to that model. With -refit the model is then retrained
	// on every row (xt and xc, bnn.Validation.Refit) and wears the same
	// wrapper, fitted before the refit (BeforeRefit): the refitted model
	// has seen xc, so xc cannot calibrate it. Bayes by Backprop does not
	// refit.
	held := *c
	held.valX, held.valY = xc, yc
	held.refit = c.refit && method != "bbb"
	var w bnn.Regressor // scale or isotonic: reuse excludes conformal
	if held.refit {
		held.beforeRefit = func(m bnn.Regressor) (err error) {
			w, err = fitCalibration(cal.method, m, xc, yc)
			return err
		}
	}
	m, err := trainMethod(ctx, method, &held, xt, dim, yt)
	if err != nil {
		return nil, err
	}
	if !held.refit {
		return fitCalibration(cal.method, m, xc, yc)
	}
	switch w := w.(type) {
	case *bnn.ScaledRegressor:
		return w.WithInner(m)
	case *bnn.IsotonicRegressor:
		return w.WithInner(m)
	}
	panic(fmt.Sprintf("bnn: calibrate: -calibrate %s reused the held-out rows without a scale or isotonic wrapper", cal.method))
}

// fitCalibration fits the -calibrate wrapper named method (scale, isotonic
// or conformal) around m on the calibration rows (xc, yc).
func fitCalibration(method string, m bnn.Regressor, xc []float64, yc []float64) (bnn.Regressor, error) {
	switch method {
	case "scale":
		return bnn.CalibrateScale(m, xc, yc)
	case "isotonic":
		return bnn.CalibrateIsotonic(m, xc, yc)
	default:
		return bnn.CalibrateConformal(m, xc, yc)
	}
}
