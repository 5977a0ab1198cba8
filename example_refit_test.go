package bnn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/gobnn/bnn"
)

// Refit with a carried calibration: the network stops early on explicit
// held-out rows, which also set its noise level; BeforeRefit fits an
// isotonic map on those rows to the held-out run's model; the refit then
// retrains on every row (the held-out ones included) and WithInner puts
// the same map around the refitted network, which has seen the held-out
// rows and so could not be calibrated on them.
func ExampleIsotonicRegressor_WithInner() {
	r := rand.New(rand.NewPCG(1, 2))
	noise := func() float64 { return 0.3 * r.NormFloat64() }
	x, y := lineData(r, 160, noise)
	xHeld, yHeld := lineData(r, 40, noise)
	xTest, yTest := lineData(r, 2000, noise)

	var iso *bnn.IsotonicRegressor
	cfg := bnn.TrainConfig{Hidden: []int{16}, Activation: bnn.ReLU, LearningRate: 1e-2, Epochs: 300, BatchSize: 32, Seed: 1,
		Validation: bnn.Validation{X: xHeld, Y: yHeld, Patience: 40, Refit: true,
			BeforeRefit: func(held bnn.Regressor) (err error) {
				iso, err = bnn.CalibrateIsotonic(held, xHeld, yHeld)
				return err
			}}}
	refitted, err := bnn.Train(context.Background(), x, 1, y, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	model, err := iso.WithInner(refitted)
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi := make([]float64, len(yTest)), make([]float64, len(yTest))
	if err := model.IntervalTo(lo, hi, xTest, 0.9); err != nil {
		fmt.Println(err)
		return
	}
	c := coverage(lo, hi, yTest)
	fmt.Printf("map fitted on %d held-out rows; 90 %% interval covers 0.85–0.95 of new targets: %v\n", model.CalibrationRows(), c >= 0.85 && c <= 0.95)
	// Output: map fitted on 40 held-out rows; 90 % interval covers 0.85–0.95 of new targets: true
}
