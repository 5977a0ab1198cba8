package bnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// studentT3 draws a Student-t variate with 3 degrees of freedom (variance 3):
// a normal over the root of an independent χ²₃/3.
func studentT3(r *rand.Rand) float64 {
	var c float64
	for range 3 {
		g := r.NormFloat64()
		c += g * g
	}
	return r.NormFloat64() / math.Sqrt(c/3)
}

// quantileMoments returns the mean and standard deviation of Z ~ G by the
// midpoint rule in probability, E[g(Z)] = ∫₀¹ g(G⁻¹(u)) du, on n points:
// an independent route to the moments (it uses only the quantile function),
// accurate to O(1/n) from the unbounded tails.
func quantileMoments(iso *IsotonicRegressor, n int) (mean, std float64) {
	var m1, m2 float64
	for i := range n {
		u := (float64(i) + 0.5) / float64(n)
		var z float64
		if u < 0.5 {
			z = iso.quantileZ(u, false)
		} else {
			z = iso.quantileZ(1-u, true)
		}
		m1 += z
		m2 += z * z
	}
	m1, m2 = m1/float64(n), m2/float64(n)
	return m1, math.Sqrt(m2 - m1*m1)
}

// TestIsotonicMoments checks the closed-form moments of the recalibrated
// residual (momentsZ) against quadrature of its quantile function, on maps
// from Gaussian, mis-scaled, biased and heavy-tailed residuals, and that
// PredictTo reports μ + σ·E[Z] and σ·sd(Z). Dropping either tail's terms, or
// the uniform pieces' second moment, breaks it.
func TestIsotonicMoments(t *testing.T) {
	const n = 400
	cases := []struct {
		name     string
		stdScale float64 // the model's std over the true one
		shift    float64
		heavy    bool // Student-t(3) noise in place of normal
	}{
		{"calibrated", 1, 0, false},
		{"over-confident", 0.4, 0, false},
		{"under-confident", 3, 0, false},
		{"biased", 1, 0.8, false},
		{"heavy-tailed", 1, 0, true},
	}
	for k, c := range cases {
		r := rand.New(rand.NewPCG(11, uint64(k)))
		x, f, _ := friedman1(r, n, 1)
		y := make([]float64, n)
		for i := range y {
			e := r.NormFloat64()
			if c.heavy {
				e = studentT3(r)
			}
			y[i] = f[i] + e
		}
		model := friedmanOracle(c.stdScale)
		model.shift = c.shift
		iso, err := CalibrateIsotonic(model, x, y)
		if err != nil {
			t.Fatal(c.name, err)
		}
		qm, qs := quantileMoments(iso, 1<<20)
		if math.Abs(iso.zMean-qm) > 2e-4 || math.Abs(iso.zStd-qs) > 2e-4*qs {
			t.Errorf("%s: moments (%.6f, %.6f), quadrature (%.6f, %.6f)", c.name, iso.zMean, iso.zStd, qm, qs)
		}
		mean, std := make([]float64, 3), make([]float64, 3)
		if err := iso.PredictTo(mean, std, x[:30]); err != nil {
			t.Fatal(err)
		}
		for i := range mean {
			mu := friedman1Mean(x[i*10:(i+1)*10]) + c.shift
			if math.Abs(mean[i]-(mu+c.stdScale*iso.zMean)) > 1e-12*(1+math.Abs(mu)) || math.Abs(std[i]-c.stdScale*iso.zStd) > 1e-12 {
				t.Errorf("%s row %d: predict (%v, %v), want (%v, %v)", c.name, i, mean[i], std[i], mu+c.stdScale*iso.zMean, c.stdScale*iso.zStd)
			}
		}
	}
}

// TestIsotonicStdHeavyTails checks, over 20 calibration sets, that on
// Student-t(3) residuals (sd √3 ≈ 1.73 under a model that claims 1) the
// recalibrated std is the residuals' sd, from both sides, and that the
// Gaussian test NLL of PredictTo's output beats the one with the 68.27 %
// interval's half-width as the std, which understates the tails.
func TestIsotonicStdHeavyTails(t *testing.T) {
	const reps, nCal, nTest = 20, 500, 2000
	var stds, gains []float64
	for rep := range reps {
		r := rand.New(rand.NewPCG(12, uint64(rep)))
		noisy := func(n int) (x, f, y []float64) {
			x, f, _ = friedman1(r, n, 1)
			y = make([]float64, n)
			for i := range y {
				y[i] = f[i] + studentT3(r)
			}
			return x, f, y
		}
		x, _, y := noisy(nCal)
		iso, err := CalibrateIsotonic(friedmanOracle(1), x, y)
		if err != nil {
			t.Fatal(err)
		}
		xt, _, yt := noisy(nTest)
		mean, std := make([]float64, nTest), make([]float64, nTest)
		if err := iso.PredictTo(mean, std, xt); err != nil {
			t.Fatal(err)
		}
		stds = append(stds, std[0])
		tail := (1 - levelOneSigma) / 2
		half := (iso.quantileZ(tail, true) - iso.quantileZ(tail, false)) / 2
		mid := (iso.quantileZ(tail, true) + iso.quantileZ(tail, false)) / 2
		var nllMoments, nllHalf float64
		for i, yi := range yt {
			mu := friedman1Mean(xt[i*10 : (i+1)*10])
			nllMoments += gaussNLL(yi, mean[i], std[i])
			nllHalf += gaussNLL(yi, mu+mid, half)
		}
		gains = append(gains, (nllHalf-nllMoments)/nTest)
	}
	sm, sse := meanSE(stds)
	gm, gse := meanSE(gains)
	t.Logf("std %.3f ± %.3f (true sd %.3f); NLL gain over the half-width %.3f ± %.3f nats", sm, sse, math.Sqrt(3), gm, gse)
	if sm < 0.9*math.Sqrt(3) || sm > 1.1*math.Sqrt(3) {
		t.Errorf("recalibrated std %.3f ± %.3f, want within 10 %% of √3", sm, sse)
	}
	if gm < 3*gse || gm < 0.02 {
		t.Errorf("NLL gain %.3f ± %.3f nats over the half-width std, want clearly positive", gm, gse)
	}
}

// gaussNLL is the negative log density of N(mu, sd²) at y.
func gaussNLL(y, mu, sd float64) float64 {
	z := (y - mu) / sd
	return 0.5*z*z + math.Log(sd) + 0.5*math.Log(2*math.Pi)
}
