package bnn

import (
	"errors"
	"fmt"
	"math"
)

// ErrGradientMismatch reports an analytic gradient that disagrees with
// finite differences (see CheckGradient).
var ErrGradientMismatch = errors.New("gradient disagrees with finite differences")

// CheckGradient compares the gradient that logJoint writes at theta with
// central differences (f(θ + heⱼ) − f(θ − heⱼ))/(2h), h = 6e-6·max(1, |θⱼ|),
// component by component. Component j fails when
// |analytic − numeric| > relTol·max(|analytic|, |numeric|, 1e-3·‖analytic‖∞, 1e-10).
// It returns nil when all agree, ErrGradientMismatch naming the worst
// component and both values otherwise, ErrInvalidParameter for a nil
// logJoint, an empty theta or relTol not positive and finite, and
// ErrNonFinite when the log density or a gradient element at theta, or a
// perturbed log density, is NaN or infinite. theta is left unchanged.
func CheckGradient(logJoint LogJoint, theta []float64, relTol float64) error {
	if logJoint == nil || len(theta) == 0 || !(relTol > 0) || math.IsInf(relTol, 1) {
		return fmt.Errorf("bnn: check gradient: %d parameters, tolerance %g (log joint set: %t): %w",
			len(theta), relTol, logJoint != nil, ErrInvalidParameter)
	}
	n := len(theta)
	x := append([]float64(nil), theta...)
	g, scratch := make([]float64, n), make([]float64, n)
	f0 := logJoint(x, g)
	if math.IsNaN(f0) || math.IsInf(f0, 0) {
		return fmt.Errorf("bnn: check gradient: log density %g at theta: %w", f0, ErrNonFinite)
	}
	gmax := 0.0
	for j, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bnn: check gradient: gradient element %d is %g: %w", j, v, ErrNonFinite)
		}
		gmax = math.Max(gmax, math.Abs(v))
	}
	worst, worstJ, worstNum := 0.0, -1, 0.0
	for j := range n {
		h := 6e-6 * math.Max(1, math.Abs(theta[j]))
		x[j] = theta[j] + h
		fp := logJoint(x, scratch)
		x[j] = theta[j] - h
		fm := logJoint(x, scratch)
		x[j] = theta[j]
		if math.IsNaN(fp) || math.IsInf(fp, 0) || math.IsNaN(fm) || math.IsInf(fm, 0) {
			return fmt.Errorf("bnn: check gradient: log density %g / %g at θ ± h along element %d: %w", fp, fm, j, ErrNonFinite)
		}
		num := (fp - fm) / (2 * h)
		scale := math.Max(math.Max(math.Abs(g[j]), math.Abs(num)), math.Max(1e-3*gmax, 1e-10))
		if e := math.Abs(g[j]-num) / scale; e > worst {
			worst, worstJ, worstNum = e, j, num
		}
	}
	if worst > relTol {
		return fmt.Errorf("bnn: check gradient: element %d: analytic %g, central difference %g (relative error %.3g > %g): %w",
			worstJ, g[worstJ], worstNum, worst, relTol, ErrGradientMismatch)
	}
	return nil
}
