package bnn_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gobnn/bnn"
)

// overconfident wraps a model and divides its predictive std by 3: the kind
// of band an over-fitted network reports.
type overconfident struct{ bnn.Regressor }

func (m overconfident) PredictTo(mean, std, x []float64) error {
	if err := m.Regressor.PredictTo(mean, std, x); err != nil {
		return err
	}
	for i := range std {
		std[i] /= 3
	}
	return nil
}

// lineData draws n rows of y = 1 + 2x + noise, x ~ U(−1, 1), with noise from
// draw.
func lineData(r *rand.Rand, n int, draw func() float64) (x, y []float64) {
	x, y = make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 2*r.Float64() - 1
		y[i] = 1 + 2*x[i] + draw()
	}
	return x, y
}

// coverage returns the fraction of y inside [lo, hi].
func coverage(lo, hi, y []float64) float64 {
	in := 0
	for i := range y {
		if lo[i] <= y[i] && y[i] <= hi[i] {
			in++
		}
	}
	return float64(in) / float64(len(y))
}

// Variance scaling: a model whose std is 3× too small covers far fewer
// than 90 % of new targets with its 90 % band. One factor s, fitted on
// held-out calibration rows by Gaussian likelihood (s² = mean of the squared
// standardised residuals), recovers the 3 and the coverage.
func ExampleCalibrateScale() {
	r := rand.New(rand.NewPCG(1, 2))
	noise := func() float64 { return 0.5 * r.NormFloat64() }
	xTrain, yTrain := lineData(r, 200, noise)
	xCal, yCal := lineData(r, 500, noise)
	xTest, yTest := lineData(r, 2000, noise)

	design, _ := bnn.NewDense(len(yTrain), 1, xTrain)
	ridge, _ := bnn.FitBayesianRidge(design, yTrain, bnn.DefaultBayesianRidgeConfig())
	model := overconfident{ridge}

	scaled, err := bnn.CalibrateScale(model, xCal, yCal)
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi := make([]float64, len(yTest)), make([]float64, len(yTest))
	_ = bnn.GaussianIntervalTo(model, lo, hi, xTest, 0.9)
	before := coverage(lo, hi, yTest)
	_ = scaled.IntervalTo(lo, hi, xTest, 0.9)
	fmt.Printf("fitted scale s = %.2f (true 3, standard error ≈ 3/√(2·500) = 0.09)\n", scaled.Scale())
	fmt.Printf("90%% band coverage on 2000 new rows: %.3f before, %.3f after\n", before, coverage(lo, hi, yTest))
	// Output:
	// fitted scale s = 3.04 (true 3, standard error ≈ 3/√(2·500) = 0.09)
	// 90% band coverage on 2000 new rows: 0.411 before, 0.910 after
}

// Split-conformal intervals: with Laplace noise a Gaussian band has the
// wrong shape, but the conformal interval μ ∓ q·σ, q the ⌈(n+1)·0.9⌉-th
// smallest calibration score |y − μ|/σ, covers at least 90 % of new rows
// on average over calibration sets, whatever the noise (one set of n = 499
// rows gives a coverage within about ±0.013 of that). A level too extreme
// for the calibration rows is an error that names the rows it would need.
func ExampleCalibrateConformal() {
	r := rand.New(rand.NewPCG(3, 4))
	laplace := func() float64 { return 0.4 * math.Log(r.Float64()/r.Float64()) } // difference of two exponentials
	xTrain, yTrain := lineData(r, 200, laplace)
	xCal, yCal := lineData(r, 499, laplace)
	xTest, yTest := lineData(r, 4000, laplace)

	design, _ := bnn.NewDense(len(yTrain), 1, xTrain)
	ridge, _ := bnn.FitBayesianRidge(design, yTrain, bnn.DefaultBayesianRidgeConfig())
	conf, err := bnn.CalibrateConformal(ridge, xCal, yCal)
	if err != nil {
		fmt.Println(err)
		return
	}
	q, _ := conf.ScoreQuantile(0.9)
	fmt.Printf("q = %.3f (the %dth of %d scores; a Gaussian band uses 1.645)\n", q, 450, conf.CalibrationRows())

	lo, hi := make([]float64, len(yTest)), make([]float64, len(yTest))
	for _, level := range []float64{0.5, 0.9, 0.99} {
		_ = bnn.GaussianIntervalTo(ridge, lo, hi, xTest, level)
		gauss := coverage(lo, hi, yTest)
		_ = conf.IntervalTo(lo, hi, xTest, level)
		fmt.Printf("level %.2f: Gaussian band covers %.3f, conformal %.3f\n", level, gauss, coverage(lo, hi, yTest))
	}
	need, _ := bnn.ConformalMinRows(0.999)
	fmt.Println("rows needed at level 0.999:", need)
	fmt.Println(conf.IntervalTo(lo, hi, xTest, 0.999))
	// Output:
	// q = 1.585 (the 450th of 499 scores; a Gaussian band uses 1.645)
	// level 0.50: Gaussian band covers 0.636, conformal 0.503
	// level 0.90: Gaussian band covers 0.912, conformal 0.903
	// level 0.99: Gaussian band covers 0.978, conformal 0.995
	// rows needed at level 0.999: 999
	// bnn: conformal quantile: level 0.999 needs at least 999 calibration rows (⌈(n+1)·level⌉ ≤ n), have 499: invalid parameter
}

// CV+ (cross-conformal) intervals: no rows are set aside for calibration.
// Each of K = 5 models is trained without one fold and scores that fold;
// a new row's interval combines all five models' predictions with the n
// out-of-fold scores. Here 200 rows give 90 % intervals that cover about
// 90 % of new rows (the guarantee is 1 − 2α − √(2/n) = 0.70, the practice
// ≈ 1 − α; one data set's coverage varies by about ±0.02).
func ExampleCrossConformal() {
	r := rand.New(rand.NewPCG(5, 6))
	noise := func() float64 { return 0.3 * r.NormFloat64() }
	x, y := lineData(r, 200, noise)
	xTest, yTest := lineData(r, 4000, noise)
	fit := func(_ context.Context, x []float64, dim int, y []float64) (bnn.Regressor, error) {
		design, err := bnn.NewDense(len(y), dim, x)
		if err != nil {
			return nil, err
		}
		return bnn.FitBayesianRidge(design, y, bnn.DefaultBayesianRidgeConfig())
	}
	cv, err := bnn.CrossConformal(context.Background(), x, 1, y, 5, fit)
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi := make([]float64, 1), make([]float64, 1)
	_ = cv.IntervalTo(lo, hi, []float64{0}, 0.9)
	fmt.Printf("90%% interval at x = 0: [%.2f, %.2f] (truth 1 ± 1.645·0.3 = [0.51, 1.49])\n", lo[0], hi[0])
	lo, hi = make([]float64, len(yTest)), make([]float64, len(yTest))
	_ = cv.IntervalTo(lo, hi, xTest, 0.9)
	fmt.Printf("coverage on 4000 new rows: %.3f\n", coverage(lo, hi, yTest))
	// Output:
	// 90% interval at x = 0: [0.45, 1.54] (truth 1 ± 1.645·0.3 = [0.51, 1.49])
	// coverage on 4000 new rows: 0.929
}
