package bnn

import (
	"fmt"
	"math"
)

// Prior is the prior over every weight and bias of a Bayesian network:
// either a zero-mean Gaussian N(0, s²) (the seed's choice, s = 1) or the
// scale mixture π·N(0, σ₁²) + (1−π)·N(0, σ₂²) of Blundell et al. (2015).
// Build it with GaussianPrior or ScaleMixturePrior; the zero value is invalid.
type Prior struct {
	mixture        bool
	scale          float64 // Gaussian std s
	pi, s1, s2     float64 // mixture weight and the two stds
	logPi, log1mPi float64
}

// GaussianPrior returns the prior N(0, scale²). It returns ErrInvalidParameter
// unless scale is positive and finite.
func GaussianPrior(scale float64) (Prior, error) {
	if !(scale > 0) || math.IsInf(scale, 1) {
		return Prior{}, fmt.Errorf("bnn: gaussian prior: scale %g must be positive and finite: %w", scale, ErrInvalidParameter)
	}
	return Prior{scale: scale}, nil
}

// ScaleMixturePrior returns Blundell et al.'s prior π·N(0, σ₁²) + (1−π)·N(0, σ₂²)
// (typically σ₁ large, σ₂ ≪ 1). It returns ErrInvalidParameter unless
// 0 < pi < 1 and both stds are positive and finite.
func ScaleMixturePrior(pi, sigma1, sigma2 float64) (Prior, error) {
	if !(pi > 0 && pi < 1) {
		return Prior{}, fmt.Errorf("bnn: scale-mixture prior: weight %g must be in (0, 1): %w", pi, ErrInvalidParameter)
	}
	for _, s := range []float64{sigma1, sigma2} {
		if !(s > 0) || math.IsInf(s, 1) {
			return Prior{}, fmt.Errorf("bnn: scale-mixture prior: scale %g must be positive and finite: %w", s, ErrInvalidParameter)
		}
	}
	return Prior{mixture: true, pi: pi, s1: sigma1, s2: sigma2, logPi: math.Log(pi), log1mPi: math.Log1p(-pi)}, nil
}

// IsGaussian reports whether p is a single Gaussian (so the KL divergence from
// a Gaussian posterior has a closed form).
func (p Prior) IsGaussian() bool { return !p.mixture }

// String describes the prior, e.g. "N(0, 1²)" or "0.5·N(0, 1²) + 0.5·N(0, 0.0025²)".
func (p Prior) String() string {
	if p.mixture {
		return fmt.Sprintf("%g·N(0, %g²) + %g·N(0, %g²)", p.pi, p.s1, 1-p.pi, p.s2)
	}
	return fmt.Sprintf("N(0, %g²)", p.scale)
}

func (p Prior) validate() error {
	if !p.mixture && !(p.scale > 0) {
		return fmt.Errorf("bnn: prior %v: scale must be positive (use GaussianPrior or ScaleMixturePrior): %w", p, ErrInvalidParameter)
	}
	return nil
}

// LogDensity returns log p(w) in nats.
func (p Prior) LogDensity(w float64) float64 {
	lp, _ := p.logDensityGrad(w)
	return lp
}

// logDensityGrad returns log p(w) and d log p/dw. The mixture is evaluated by
// log-sum-exp over its components, so far tails neither underflow nor give NaN.
func (p Prior) logDensityGrad(w float64) (lp, grad float64) {
	const halfLog2Pi = 0.9189385332046727
	if !p.mixture {
		z := w / p.scale
		return -halfLog2Pi - math.Log(p.scale) - 0.5*z*z, -w / (p.scale * p.scale)
	}
	z1, z2 := w/p.s1, w/p.s2
	a := p.logPi - math.Log(p.s1) - 0.5*z1*z1
	b := p.log1mPi - math.Log(p.s2) - 0.5*z2*z2
	hi := max(a, b)
	ea, eb := math.Exp(a-hi), math.Exp(b-hi)
	sum := ea + eb
	r1, r2 := ea/sum, eb/sum // responsibilities of the two components
	return hi + math.Log(sum) - halfLog2Pi, -w * (r1/(p.s1*p.s1) + r2/(p.s2*p.s2))
}
