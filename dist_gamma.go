package bnn

import (
	"math"
	"math/rand/v2"
)

// Gamma is the gamma distribution with shape k and scale θ (SciPy's
// gamma(a=k, scale=θ); the rate is 1/θ): density x^(k−1)·e^(−x/θ)/(Γ(k)·θᵏ)
// on x > 0, mean kθ, variance kθ².
type Gamma struct{ shape, scale float64 }

// NewGamma returns the gamma distribution with the given shape and scale
// (not rate; use 1/rate as the scale). It returns ErrInvalidParameter unless
// both are positive and finite.
func NewGamma(shape, scale float64) (Gamma, error) {
	if err := checkPositiveParam("gamma", "shape", shape); err != nil {
		return Gamma{}, err
	}
	if err := checkPositiveParam("gamma", "scale", scale); err != nil {
		return Gamma{}, err
	}
	return Gamma{shape: shape, scale: scale}, nil
}

// Shape returns the shape k.
func (d Gamma) Shape() float64 { return d.shape }

// Scale returns the scale θ.
func (d Gamma) Scale() float64 { return d.scale }

// Rate returns the rate 1/θ.
func (d Gamma) Rate() float64 { return 1 / d.scale }

// LogProb returns the log-density (k−1)·log x − x/θ − log Γ(k) − k·log θ
// for x > 0, −Inf for x < 0 or x = +Inf; at x = 0 it is +Inf for k < 1,
// −log θ for k = 1 and −Inf for k > 1.
func (d Gamma) LogProb(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x < 0 || math.IsInf(x, 1):
		return math.Inf(-1)
	case x == 0:
		switch {
		case d.shape < 1:
			return math.Inf(1)
		case d.shape == 1:
			return -math.Log(d.scale)
		default:
			return math.Inf(-1)
		}
	}
	lg, _ := math.Lgamma(d.shape)
	return (d.shape-1)*math.Log(x) - x/d.scale - lg - d.shape*math.Log(d.scale)
}

// Prob returns the density at x.
func (d Gamma) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// CDF returns P(X ≤ x), the regularised lower incomplete gamma function
// P(k, x/θ) (0 for x ≤ 0).
func (d Gamma) CDF(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	if x <= 0 {
		return 0
	}
	return gammaIncP(d.shape, x/d.scale)
}

// Mean returns kθ.
func (d Gamma) Mean() float64 { return d.shape * d.scale }

// Variance returns kθ².
func (d Gamma) Variance() float64 { return d.shape * d.scale * d.scale }

// Sample draws one value by Marsaglia and Tsang's squeeze method (2000),
// boosting shapes below 1 by Γ(k) = Γ(k+1)·U^(1/k).
func (d Gamma) Sample(r *rand.Rand) float64 {
	return d.scale * gammaSampleUnitScale(d.shape, r)
}

// gammaSampleUnitScale draws from Gamma(k, 1) by Marsaglia–Tsang.
func gammaSampleUnitScale(k float64, r *rand.Rand) float64 {
	if k < 1 {
		u := r.Float64()
		return gammaSampleUnitScale(k+1, r) * math.Pow(u, 1/k)
	}
	dd := k - 1.0/3
	c := 1 / math.Sqrt(9*dd)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+dd*(1-v+math.Log(v)) {
			return dd * v
		}
	}
}

// InverseGamma is the inverse-gamma distribution with shape a and scale b
// (SciPy's invgamma(a, scale=b)): if X ~ Gamma(a, scale 1/b) then 1/X ~
// InverseGamma(a, b). Density bᵃ/Γ(a)·x^(−a−1)·e^(−b/x) on x > 0.
type InverseGamma struct{ shape, scale float64 }

// NewInverseGamma returns the inverse-gamma distribution with the given
// shape and scale. It returns ErrInvalidParameter unless both are positive
// and finite.
func NewInverseGamma(shape, scale float64) (InverseGamma, error) {
	if err := checkPositiveParam("inverse gamma", "shape", shape); err != nil {
		return InverseGamma{}, err
	}
	if err := checkPositiveParam("inverse gamma", "scale", scale); err != nil {
		return InverseGamma{}, err
	}
	return InverseGamma{shape: shape, scale: scale}, nil
}

// Shape returns the shape a.
func (d InverseGamma) Shape() float64 { return d.shape }

// Scale returns the scale b.
func (d InverseGamma) Scale() float64 { return d.scale }

// LogProb returns a·log b − log Γ(a) − (a+1)·log x − b/x for x > 0 and −Inf
// for x ≤ 0 or x = +Inf.
func (d InverseGamma) LogProb(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x <= 0 || math.IsInf(x, 1):
		return math.Inf(-1)
	}
	lg, _ := math.Lgamma(d.shape)
	return d.shape*math.Log(d.scale) - lg - (d.shape+1)*math.Log(x) - d.scale/x
}

// Prob returns the density at x.
func (d InverseGamma) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// CDF returns P(X ≤ x) = Q(a, b/x), the regularised upper incomplete gamma
// function (0 for x ≤ 0).
func (d InverseGamma) CDF(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	if x <= 0 {
		return 0
	}
	return gammaIncQ(d.shape, d.scale/x)
}

// Mean returns b/(a−1) for a > 1 and +Inf otherwise.
func (d InverseGamma) Mean() float64 {
	if d.shape <= 1 {
		return math.Inf(1)
	}
	return d.scale / (d.shape - 1)
}

// Variance returns b²/((a−1)²(a−2)) for a > 2 and +Inf otherwise.
func (d InverseGamma) Variance() float64 {
	if d.shape <= 2 {
		return math.Inf(1)
	}
	am1 := d.shape - 1
	return d.scale * d.scale / (am1 * am1 * (d.shape - 2))
}

// Sample draws one value as b/G with G ~ Gamma(a, 1).
func (d InverseGamma) Sample(r *rand.Rand) float64 {
	return d.scale / gammaSampleUnitScale(d.shape, r)
}
