package bnn

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Statistical tests of the calibration wrappers on Friedman #1 (n = 500, ten
// features, σ = 1), each over many independent data sets with the standard
// error of the averaged quantity stated. Coverage is measured exactly: the
// generating process is known, so the probability that a test row's y falls
// in [l, u] is Φ(u − f(x)) − Φ(l − f(x)); this removes the binomial noise of
// the test targets and leaves the variability that comes from the
// calibration rows, which is what the guarantees are about.

const calibReps = 200

// meanSE returns the mean of v and its standard error sd/√n.
func meanSE(v []float64) (mean, se float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(v)-1) / float64(len(v)))
}

// exactCoverage returns the mean over rows of P(lo ≤ y ≤ hi) for y ~
// N(f, sigma²) (sigma per row).
func exactCoverage(lo, hi, f, sigma []float64) float64 {
	var c float64
	for i := range lo {
		c += normalCDF((hi[i]-f[i])/sigma[i]) - normalCDF((lo[i]-f[i])/sigma[i])
	}
	return c / float64(len(lo))
}

func fitRidge(_ context.Context, x []float64, dim int, y []float64) (Regressor, error) {
	d, err := NewDense(len(y), dim, x)
	if err != nil {
		return nil, err
	}
	return FitBayesianRidge(d, y, DefaultBayesianRidgeConfig())
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// TestConformalCoverageFriedman: Bayesian ridge on the raw features (a
// linear model of a non-linear function, so its own bands are not to be
// trusted) is trained on 200 rows, calibrated on 98 and tested on 202. With
// n = 98 the 90 % quantile is the ⌈99·0.9⌉ = 90th score, so the expected
// coverage is exactly 90/99 = 0.9091 for continuous scores; the guarantee
// brackets it in [0.90, 0.90 + 1/(n+1)).
func TestConformalCoverageFriedman(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test")
	}
	const nTrain, nCal, nTest, level = 200, 98, 202, 0.9
	r := rand.New(rand.NewPCG(2018, 10))
	cov, covRidge, covOver, covOverRaw := make([]float64, calibReps), make([]float64, calibReps), make([]float64, calibReps), make([]float64, calibReps)
	lo, hi := make([]float64, nTest), make([]float64, nTest)
	for rep := range calibReps {
		x, f, y := friedman1(r, nTrain+nCal+nTest, 1)
		m, err := fitRidge(nil, x[:nTrain*10], 10, y[:nTrain])
		if err != nil {
			t.Fatal(err)
		}
		c, err := CalibrateConformal(m, x[nTrain*10:(nTrain+nCal)*10], y[nTrain:nTrain+nCal])
		if err != nil {
			t.Fatal(err)
		}
		xt, ft := x[(nTrain+nCal)*10:], f[nTrain+nCal:]
		if err := c.IntervalTo(lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		cov[rep] = exactCoverage(lo, hi, ft, ones(nTest))
		if err := GaussianIntervalTo(m, lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		covRidge[rep] = exactCoverage(lo, hi, ft, ones(nTest))
		// The same ridge made 3× over-confident: conformal must repair it.
		over := &stdScaledModel{Regressor: m, factor: 1.0 / 3}
		c, err = CalibrateConformal(over, x[nTrain*10:(nTrain+nCal)*10], y[nTrain:nTrain+nCal])
		if err != nil {
			t.Fatal(err)
		}
		if err := c.IntervalTo(lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		covOver[rep] = exactCoverage(lo, hi, ft, ones(nTest))
		if err := GaussianIntervalTo(over, lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		covOverRaw[rep] = exactCoverage(lo, hi, ft, ones(nTest))
	}
	want := float64(conformalRank(nCal, level)) / (nCal + 1)
	rm, rse := meanSE(covRidge)
	om, ose := meanSE(covOverRaw)
	t.Logf("ridge's own Gaussian 90%% band: %.4f ± %.4f; made 3× over-confident: %.4f ± %.4f", rm, rse, om, ose)
	for name, cov := range map[string][]float64{"ridge": cov, "over-confident ridge": covOver} {
		mean, se := meanSE(cov)
		t.Logf("%s: conformal 90%% coverage over %d reps: %.4f ± %.4f (expected %.4f)", name, calibReps, mean, se, want)
		if upper := level + 1.0/(nCal+1) + 0.01; !(mean >= level && mean <= upper) {
			t.Errorf("%s: mean coverage %.4f outside [%.2f, %.4f]", name, mean, level, upper)
		}
		if math.Abs(mean-want) > 3*se {
			t.Errorf("%s: mean coverage %.4f differs from the exact %.4f by more than 3 SE (%.4f)", name, mean, want, se)
		}
	}
}

// stdScaledModel multiplies a model's std by factor (a deliberately
// mis-scaled Gaussian model).
type stdScaledModel struct {
	Regressor
	factor float64
}

func (m *stdScaledModel) PredictTo(mean, std, x []float64) error {
	if err := m.Regressor.PredictTo(mean, std, x); err != nil {
		return err
	}
	for i := range std {
		std[i] *= m.factor
	}
	return nil
}

// TestConformalNormalisedScore: with heteroscedastic noise σ(x) = 0.2 + 2x₁
// and a model that knows the shape of σ(x) but is 3× over-confident, the
// normalised score gives 90 % coverage in every stratum of σ (its scores are
// i.i.d. N(0, 9) in magnitude whatever x); the raw residual |y − μ| would
// over-cover where the noise is small and under-cover where it is large.
func TestConformalNormalisedScore(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test")
	}
	const nCal, nTest, level = 98, 400, 0.9
	sd := func(row []float64) float64 { return 0.2 + 2*row[0] }
	m := &oracleModel{dim: 10, mean: friedman1Mean, sd: sd, stdScale: 1.0 / 3}
	r := rand.New(rand.NewPCG(7, 70))
	covLow, covHigh := make([]float64, calibReps), make([]float64, calibReps)
	lo, hi := make([]float64, nTest), make([]float64, nTest)
	for rep := range calibReps {
		x, f, _ := friedman1(r, nCal+nTest, 0)
		y := make([]float64, len(f))
		sig := make([]float64, len(f))
		for i := range y {
			sig[i] = sd(x[i*10 : (i+1)*10])
			y[i] = f[i] + sig[i]*r.NormFloat64()
		}
		c, err := CalibrateConformal(m, x[:nCal*10], y[:nCal])
		if err != nil {
			t.Fatal(err)
		}
		xt, ft, st := x[nCal*10:], f[nCal:], sig[nCal:]
		if err := c.IntervalTo(lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		var lL, hL, fL, sL, lH, hH, fH, sH []float64
		for i := range ft {
			if xt[i*10] < 0.25 {
				lL, hL, fL, sL = append(lL, lo[i]), append(hL, hi[i]), append(fL, ft[i]), append(sL, st[i])
			} else if xt[i*10] > 0.75 {
				lH, hH, fH, sH = append(lH, lo[i]), append(hH, hi[i]), append(fH, ft[i]), append(sH, st[i])
			}
		}
		covLow[rep], covHigh[rep] = exactCoverage(lL, hL, fL, sL), exactCoverage(lH, hH, fH, sH)
	}
	want := float64(conformalRank(nCal, level)) / (nCal + 1)
	for name, cov := range map[string][]float64{"σ(x) < 0.7": covLow, "σ(x) > 1.7": covHigh} {
		mean, se := meanSE(cov)
		t.Logf("%s: coverage %.4f ± %.4f (expected %.4f)", name, mean, se, want)
		if math.Abs(mean-want) > 3*se+0.005 {
			t.Errorf("%s: coverage %.4f, want %.4f within 3 SE (%.4f) + 0.005", name, mean, want, se)
		}
	}
}

// TestCrossConformalCoverageFriedman: CV+ with K = 5 folds of Bayesian ridge
// on 300 rows (no calibration split), tested on 200. The theory guarantees
// coverage ≥ 1 − 2α − √(2/n) = 0.80 − 0.08; in practice it is close to 1 − α.
func TestCrossConformalCoverageFriedman(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test")
	}
	const n, nTest, folds, level = 300, 200, 5, 0.9
	r := rand.New(rand.NewPCG(2021, 5))
	cov, width, widthSplit := make([]float64, calibReps), make([]float64, calibReps), make([]float64, calibReps)
	lo, hi := make([]float64, nTest), make([]float64, nTest)
	for rep := range calibReps {
		x, f, y := friedman1(r, n+nTest, 1)
		cv, err := CrossConformal(context.Background(), x[:n*10], 10, y[:n], folds, fitRidge)
		if err != nil {
			t.Fatal(err)
		}
		xt, ft := x[n*10:], f[n:]
		if err := cv.IntervalTo(lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		cov[rep] = exactCoverage(lo, hi, ft, ones(nTest))
		for i := range lo {
			width[rep] += (hi[i] - lo[i]) / nTest
		}
		// The split-conformal alternative on the same rows: train on 200, calibrate on 100.
		m, err := fitRidge(nil, x[:200*10], 10, y[:200])
		if err != nil {
			t.Fatal(err)
		}
		c, err := CalibrateConformal(m, x[200*10:n*10], y[200:n])
		if err != nil {
			t.Fatal(err)
		}
		if err := c.IntervalTo(lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		for i := range lo {
			widthSplit[rep] += (hi[i] - lo[i]) / nTest
		}
	}
	mean, se := meanSE(cov)
	w, wse := meanSE(width)
	ws, wsse := meanSE(widthSplit)
	t.Logf("CV+ 90%% coverage over %d reps: %.4f ± %.4f; mean width %.3f ± %.3f (split conformal 200/100: %.3f ± %.3f)", calibReps, mean, se, w, wse, ws, wsse)
	if mean < 1-2*(1-level)-math.Sqrt(2.0/n) {
		t.Errorf("CV+ coverage %.4f below the 1 − 2α − √(2/n) guarantee", mean)
	}
	if math.Abs(mean-level) > 3*se+0.01 {
		t.Errorf("CV+ coverage %.4f, want %.2f within 3 SE (%.4f) + 0.01", mean, level, se)
	}
}

// TestScaleRecoversMisScaling: the true Friedman function with a std 3× too
// small; CalibrateScale on 500 rows must find s ≈ 3. For Gaussian z the
// estimator s = √mean(z²) has standard error s/√(2n) = 0.095 per data set;
// the test checks the mean over the data sets against 3 (3 SE of the mean),
// the spread across data sets against 0.095 (±20 %, 4 SE of a standard
// deviation from 200 draws), and the scaled band's coverage.
func TestScaleRecoversMisScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test")
	}
	const nCal, nTest, trueScale = 500, 200, 3.0
	m := friedmanOracle(1 / trueScale)
	r := rand.New(rand.NewPCG(3, 3))
	s, cov := make([]float64, calibReps), make([]float64, calibReps)
	lo, hi := make([]float64, nTest), make([]float64, nTest)
	for rep := range calibReps {
		x, f, y := friedman1(r, nCal+nTest, 1)
		sc, err := CalibrateScale(m, x[:nCal*10], y[:nCal])
		if err != nil {
			t.Fatal(err)
		}
		s[rep] = sc.Scale()
		if err := sc.IntervalTo(lo, hi, x[nCal*10:], 0.9); err != nil {
			t.Fatal(err)
		}
		cov[rep] = exactCoverage(lo, hi, f[nCal:], ones(nTest))
	}
	mean, se := meanSE(s)
	sd := se * math.Sqrt(calibReps)
	wantSD := trueScale / math.Sqrt(2*nCal)
	c, cse := meanSE(cov)
	t.Logf("s over %d reps: %.4f ± %.4f (true %.1f); spread %.4f (theory %.4f); 90%% coverage %.4f ± %.4f", calibReps, mean, se, trueScale, sd, wantSD, c, cse)
	if math.Abs(mean-trueScale) > 3*se {
		t.Errorf("mean s %.4f, want %.1f within 3 SE (%.4f)", mean, trueScale, se)
	}
	if sd < 0.8*wantSD || sd > 1.2*wantSD {
		t.Errorf("spread of s %.4f, want %.4f ± 20 %%", sd, wantSD)
	}
	if math.Abs(c-0.9) > 3*cse+0.002 {
		t.Errorf("scaled 90 %% coverage %.4f ± %.4f", c, cse)
	}
}

// ksUniform returns the Kolmogorov–Smirnov statistic of p against U(0, 1)
// (p is sorted in place).
func ksUniform(p []float64) float64 {
	slices.Sort(p)
	n := float64(len(p))
	var d float64
	for i, v := range p {
		d = max(d, float64(i+1)/n-v, v-float64(i)/n)
	}
	return d
}

// TestIsotonicMakesPITUniform: a model 3× over-confident and biased by +0.5
// has PIT values F(y | x) far from uniform. Isotonic recalibration on 300
// rows makes the PIT values of 300 fresh rows uniform: their KS statistic
// is compared with the two-sample 5 % critical value 1.358·√(1/300 + 1/300)
// (the recalibration map is itself an empirical CDF), which at most about
// 5 % of the 200 data sets may exceed (bound: 5 % + 3 SE). The 90 %
// interval's coverage is checked too.
func TestIsotonicMakesPITUniform(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test")
	}
	const nCal, nTest = 300, 300
	m := friedmanOracle(1.0 / 3)
	m.shift = 0.5
	crit := 1.358 * math.Sqrt(1.0/nCal+1.0/nTest)
	r := rand.New(rand.NewPCG(2018, 1))
	ksBefore, ksAfter, reject, cov := make([]float64, calibReps), make([]float64, calibReps), make([]float64, calibReps), make([]float64, calibReps)
	mean, std := make([]float64, nTest), make([]float64, nTest)
	lo, hi := make([]float64, nTest), make([]float64, nTest)
	pBefore, pAfter := make([]float64, nTest), make([]float64, nTest)
	for rep := range calibReps {
		x, f, y := friedman1(r, nCal+nTest, 1)
		iso, err := CalibrateIsotonic(m, x[:nCal*10], y[:nCal])
		if err != nil {
			t.Fatal(err)
		}
		xt, ft, yt := x[nCal*10:], f[nCal:], y[nCal:]
		if err := m.PredictTo(mean, std, xt); err != nil {
			t.Fatal(err)
		}
		for i := range yt {
			z := (yt[i] - mean[i]) / std[i]
			pBefore[i], pAfter[i] = normalCDF(z), iso.cdfZ(z)
		}
		ksBefore[rep], ksAfter[rep] = ksUniform(pBefore), ksUniform(pAfter)
		if ksAfter[rep] > crit {
			reject[rep] = 1
		}
		if err := iso.IntervalTo(lo, hi, xt, 0.9); err != nil {
			t.Fatal(err)
		}
		cov[rep] = exactCoverage(lo, hi, ft, ones(nTest))
	}
	kb, kbse := meanSE(ksBefore)
	ka, kase := meanSE(ksAfter)
	rj, _ := meanSE(reject)
	c, cse := meanSE(cov)
	t.Logf("KS before %.4f ± %.4f, after %.4f ± %.4f (5%% critical %.4f, exceeded in %.3f of reps); 90%% coverage %.4f ± %.4f", kb, kbse, ka, kase, crit, rj, c, cse)
	if kb < 0.3 {
		t.Errorf("the mis-calibrated model's KS %.3f is not large: the test cannot tell", kb)
	}
	if bound := 0.05 + 3*math.Sqrt(0.05*0.95/calibReps); rj > bound {
		t.Errorf("recalibrated PIT rejected as uniform in %.3f of data sets (bound %.3f)", rj, bound)
	}
	if math.Abs(c-0.9) > 3*cse+0.005 {
		t.Errorf("isotonic 90 %% coverage %.4f ± %.4f", c, cse)
	}
}
