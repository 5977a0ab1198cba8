package bnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// logSqrt2Pi is log √(2π).
const logSqrt2Pi = 0.91893853320467274178032973640561763986139747363778

func checkFiniteParam(dist, name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("bnn: %s: %s = %g: %w", dist, name, v, ErrInvalidParameter)
	}
	return nil
}

func checkPositiveParam(dist, name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 1) {
		return fmt.Errorf("bnn: %s: %s = %g must be positive and finite: %w", dist, name, v, ErrInvalidParameter)
	}
	return nil
}

// Normal is the univariate normal distribution N(μ, σ²), parameterised by
// its mean μ and standard deviation σ. For every distribution here, LogProb
// and Prob return −Inf and 0 outside the support (and NaN only for a NaN
// argument).
type Normal struct{ mu, sigma float64 }

// NewNormal returns N(mu, sigma²). It returns ErrInvalidParameter unless mu
// is finite and sigma positive and finite.
func NewNormal(mu, sigma float64) (Normal, error) {
	if err := checkFiniteParam("normal", "mu", mu); err != nil {
		return Normal{}, err
	}
	if err := checkPositiveParam("normal", "sigma", sigma); err != nil {
		return Normal{}, err
	}
	return Normal{mu: mu, sigma: sigma}, nil
}

// Mu returns the mean parameter μ.
func (d Normal) Mu() float64 { return d.mu }

// Sigma returns the standard deviation σ.
func (d Normal) Sigma() float64 { return d.sigma }

// LogProb returns the log-density −(x−μ)²/(2σ²) − log σ − ½ log 2π.
func (d Normal) LogProb(x float64) float64 {
	z := (x - d.mu) / d.sigma
	return -0.5*z*z - math.Log(d.sigma) - logSqrt2Pi
}

// Prob returns the density at x.
func (d Normal) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// CDF returns P(X ≤ x) = ½·erfc(−(x−μ)/(σ√2)), accurate in both tails.
func (d Normal) CDF(x float64) float64 {
	return 0.5 * math.Erfc(-(x-d.mu)/(d.sigma*math.Sqrt2))
}

// Mean returns μ.
func (d Normal) Mean() float64 { return d.mu }

// Variance returns σ².
func (d Normal) Variance() float64 { return d.sigma * d.sigma }

// Sample draws one value μ + σ·z with z from r.NormFloat64.
func (d Normal) Sample(r *rand.Rand) float64 { return d.mu + d.sigma*r.NormFloat64() }

// Uniform is the continuous uniform distribution on [low, high].
type Uniform struct{ low, high float64 }

// NewUniform returns the uniform distribution on [low, high]. It returns
// ErrInvalidParameter unless both bounds are finite and low < high.
func NewUniform(low, high float64) (Uniform, error) {
	if err := checkFiniteParam("uniform", "low", low); err != nil {
		return Uniform{}, err
	}
	if err := checkFiniteParam("uniform", "high", high); err != nil {
		return Uniform{}, err
	}
	if !(low < high) || math.IsInf(high-low, 0) {
		return Uniform{}, fmt.Errorf("bnn: uniform: need low < high with a finite width, got [%g, %g]: %w", low, high, ErrInvalidParameter)
	}
	return Uniform{low: low, high: high}, nil
}

// Low returns the lower bound.
func (d Uniform) Low() float64 { return d.low }

// High returns the upper bound.
func (d Uniform) High() float64 { return d.high }

// LogProb returns −log(high − low) on [low, high] and −Inf elsewhere.
func (d Uniform) LogProb(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	if x < d.low || x > d.high {
		return math.Inf(-1)
	}
	return -math.Log(d.high - d.low)
}

// Prob returns the density at x.
func (d Uniform) Prob(x float64) float64 { return math.Exp(d.LogProb(x)) }

// CDF returns (x − low)/(high − low) clamped to [0, 1].
func (d Uniform) CDF(x float64) float64 {
	switch {
	case x <= d.low:
		return 0
	case x >= d.high:
		return 1
	}
	return (x - d.low) / (d.high - d.low)
}

// Mean returns (low + high)/2.
func (d Uniform) Mean() float64 { return 0.5 * (d.low + d.high) }

// Variance returns (high − low)²/12.
func (d Uniform) Variance() float64 { w := d.high - d.low; return w * w / 12 }

// Sample draws one value low + (high − low)·u with u from r.Float64.
func (d Uniform) Sample(r *rand.Rand) float64 {
	return d.low + (d.high-d.low)*r.Float64()
}
