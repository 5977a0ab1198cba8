package svgplot

import (
	"math"
	"strconv"
	"strings"
)

// niceTicks returns the multiples of a "nice" step (1, 2 or 5 times a
// power of ten) that lie in [lo, hi], and the step. It picks the smallest
// such step that gives at most maxTicks ticks, but never fewer than two
// ticks when a smaller step can provide them.
func niceTicks(lo, hi float64, maxTicks int) ([]float64, float64) {
	if hi < lo {
		lo, hi = hi, lo
	}
	maxTicks = max(maxTicks, 2)
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return []float64{lo}, 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(span/float64(maxTicks))))
	var steps []float64
	for _, e := range []float64{0.1, 1, 10, 100} {
		for _, m := range []float64{1, 2, 5} {
			steps = append(steps, m*e*mag)
		}
	}
	best := steps[len(steps)-1]
	for k, s := range steps {
		if tickCount(lo, hi, s) <= maxTicks {
			best = s
			if tickCount(lo, hi, s) < 2 && k > 0 {
				best = steps[k-1]
			}
			break
		}
	}
	first, last := tickRange(lo, hi, best)
	var ticks []float64
	for k := first; k <= last; k++ {
		v := k * best
		if math.Abs(v) < best*1e-9 {
			v = 0
		}
		ticks = append(ticks, v)
	}
	return ticks, best
}

// tickRange returns the first and last multiples of step in [lo, hi],
// tolerating rounding error.
func tickRange(lo, hi, step float64) (float64, float64) {
	return math.Ceil(lo/step - 1e-9), math.Floor(hi/step + 1e-9)
}

func tickCount(lo, hi, step float64) int {
	a, b := tickRange(lo, hi, step)
	return int(b-a) + 1
}

// tickLabel formats a tick value with as many decimals as the step needs, or
// in exponent notation for very large or very small magnitudes.
func tickLabel(v, step float64) string {
	a := math.Abs(v)
	if a < step*1e-9 {
		v, a = 0, 0
	}
	if a >= 1e6 || step < 1e-4 {
		if v == 0 {
			return "0"
		}
		s := strconv.FormatFloat(v, 'e', sigDigits(v, step)-1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		return minusSign(mant) + "e" + exp
	}
	dec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	return minusSign(strconv.FormatFloat(v, 'f', dec, 64))
}

// sigDigits is the number of significant digits of v needed to show a
// difference of step.
func sigDigits(v, step float64) int {
	d := int(math.Floor(math.Log10(math.Abs(v)))-math.Floor(math.Log10(step))) + 1
	return min(max(d, 1), 15)
}

// minusSign typesets a leading hyphen as a true minus sign (U+2212).
func minusSign(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}
