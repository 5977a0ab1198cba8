package bnn

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkCalibratedIntervalTo times the 90 % interval of 256 rows for each
// wrapper around Bayesian ridge on Friedman #1 (500 calibration rows; CV+
// with 5 folds over them). The wrappers add no allocations to the inner
// model's (ridge allocates two D-vectors per call; CV+ calls it once per
// fold).
func BenchmarkCalibratedIntervalTo(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x, _, y := friedman1(r, 500, 1)
	m, err := fitRidge(nil, x, 10, y)
	if err != nil {
		b.Fatal(err)
	}
	ws := map[string]Regressor{"ridge": m}
	if ws["scale"], err = CalibrateScale(m, x, y); err != nil {
		b.Fatal(err)
	}
	if ws["isotonic"], err = CalibrateIsotonic(m, x, y); err != nil {
		b.Fatal(err)
	}
	if ws["conformal"], err = CalibrateConformal(m, x, y); err != nil {
		b.Fatal(err)
	}
	if ws["cv+"], err = CrossConformal(context.Background(), x, 10, y, 5, fitRidge); err != nil {
		b.Fatal(err)
	}
	xt, _, _ := friedman1(r, 256, 1)
	lo, hi := make([]float64, 256), make([]float64, 256)
	for _, name := range []string{"ridge", "scale", "isotonic", "conformal", "cv+"} {
		w := ws[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := PredictIntervalTo(w, lo, hi, xt, 0.9); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
