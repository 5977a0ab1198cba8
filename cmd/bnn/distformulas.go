package main

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// Density formulas for the distribution panels.

func normalPDF(x, mu, sigma float64) float64 {
	z := (x - mu) / sigma
	return math.Exp(-0.5*z*z) / (sigma * math.Sqrt(2*math.Pi))
}

func normalSample(rng *rand.Rand, mu, sigma float64) float64 { return mu + sigma*rng.NormFloat64() }

// gammaPDF is the Gamma density with shape a and scale s.
func gammaPDF(x, a, s float64) float64 {
	if x < 0 {
		return 0
	}
	lg, _ := math.Lgamma(a)
	if x == 0 {
		if a == 1 {
			return 1 / s
		}
		if a > 1 {
			return 0
		}
		return math.Inf(1)
	}
	return math.Exp((a-1)*math.Log(x) - x/s - lg - a*math.Log(s))
}

// invGammaPDF is the inverse-gamma density with shape a and scale b.
func invGammaPDF(x, a, b float64) float64 {
	if x <= 0 {
		return 0
	}
	lg, _ := math.Lgamma(a)
	return math.Exp(a*math.Log(b) - lg - (a+1)*math.Log(x) - b/x)
}

// fmtg formats a parameter value compactly.
func fmtg(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
