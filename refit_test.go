package bnn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// vData draws n rows of y = 3|x| + N(0, 0.05²) with x uniform on [lo, hi].
func vData(n int, lo, hi float64, seed uint64) (x, y []float64) {
	r := rand.New(rand.NewPCG(seed, 7))
	x, y = make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = lo + (hi-lo)*r.Float64()
		y[i] = 3*math.Abs(x[i]) + 0.05*r.NormFloat64()
	}
	return x, y
}

// TestRefitExplicitRows: with explicit validation rows, Validation.Refit
// retrains on the training rows followed by those rows, standardised with
// the training rows' scaler; with a Fraction the refit data are the
// training rows unchanged. End to end, an explicit-row refit gives a model
// that differs from the held-out run's, for Train, TrainEnsemble and
// TrainMCDropout.
func TestRefitExplicitRows(t *testing.T) {
	x, y := vData(40, -1, 1, 1)
	vx, vy := vData(10, -1, 1, 2)
	cfg := TrainConfig{Hidden: []int{8}, Activation: ReLU, LearningRate: 1e-2, Epochs: 60, Seed: 5,
		Validation: Validation{X: vx, Y: vy, Patience: 10, Refit: true}}
	sc, xs, ys, err := prepareTrainingData(x, 1, y, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Validation.refit() || (&Validation{Refit: true}).refit() || (&Validation{Y: vy}).refit() {
		t.Fatal("refit(): want true exactly with Refit and held-out rows")
	}
	rx, ry := refitRows(&cfg.Validation, &sc, xs, ys)
	if len(rx) != 50 || len(ry) != 50 {
		t.Fatalf("refit rows: %d x, %d y; want 50", len(rx), len(ry))
	}
	for i := range 50 {
		wantX, wantY := xs[min(i, 39)], ys[min(i, 39)]
		if i >= 40 {
			wantX, wantY = float32((vx[i-40]-sc.inMean[0])/sc.inScale[0]), float32((vy[i-40]-sc.yMean)/sc.yScale)
		}
		if math.Abs(float64(rx[i]-wantX)) > 1e-6 || math.Abs(float64(ry[i]-wantY)) > 1e-6 {
			t.Fatalf("refit row %d: (%v, %v), want (%v, %v)", i, rx[i], ry[i], wantX, wantY)
		}
	}
	if fx, fy := refitRows(&Validation{Fraction: 0.2, Refit: true}, &sc, xs, ys); len(fy) != 40 || &fx[0] != &xs[0] {
		t.Fatal("a Fraction refit must train on the training rows unchanged")
	}
	ctx := context.Background()
	trainers := map[string]func(TrainConfig) (Regressor, error){
		"network":  func(c TrainConfig) (Regressor, error) { return Train(ctx, x, 1, y, c) },
		"ensemble": func(c TrainConfig) (Regressor, error) { return TrainEnsemble(ctx, x, 1, y, c, 2) },
		"dropout": func(c TrainConfig) (Regressor, error) {
			c.Dropout = 0.05
			return TrainMCDropout(ctx, x, 1, y, c, 20)
		},
	}
	for name, train := range trainers {
		var means [2]float64
		for k, refit := range []bool{false, true} {
			c := cfg
			c.Validation.Refit = refit
			m, err := train(c)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			mean, std := make([]float64, 1), make([]float64, 1)
			if err := m.PredictTo(mean, std, []float64{0.5}); err != nil {
				t.Fatal(err)
			}
			means[k] = mean[0]
		}
		if means[0] == means[1] {
			t.Errorf("%s: the explicit-row refit predicts %v, exactly as the held-out run", name, means[1])
		}
	}
}

// TestCalibrationWithInner: WithInner keeps the fitted map and changes only
// the model it is applied to. An isotonic map and a scale factor fitted to
// the Friedman oracle with its std halved, carried to the oracle with its
// std doubled, give that model's interval in units of its own std: the
// same standardised bounds as the original wrapper's (bit-for-bit up to the
// affine map), and a different inner input width is ErrShape.
func TestCalibrationWithInner(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x, _, y := friedman1(r, 200, 1)
	xt, _, _ := friedman1(r, 50, 1)
	m1, m2 := friedmanOracle(0.5), friedmanOracle(2)
	iso, err := CalibrateIsotonic(m1, x, y)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := CalibrateScale(m1, x, y)
	if err != nil {
		t.Fatal(err)
	}
	iso2, err := iso.WithInner(m2)
	if err != nil {
		t.Fatal(err)
	}
	sc2, err := sc.WithInner(m2)
	if err != nil {
		t.Fatal(err)
	}
	if iso2.Inner() != Regressor(m2) || iso.Inner() != Regressor(m1) || sc2.Scale() != sc.Scale() || iso2.CalibrationRows() != 200 {
		t.Fatal("WithInner: wrong inner model, or the original wrapper changed")
	}
	n := len(xt) / 10
	mean, std := make([]float64, n), make([]float64, n)
	if err := m1.PredictTo(mean, std, xt); err != nil {
		t.Fatal(err)
	}
	for _, level := range []float64{0.5, 0.9} {
		for name, pair := range map[string][2]Interval{"isotonic": {iso, iso2}, "scale": {sc, sc2}} {
			lo1, hi1, lo2, hi2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			if err := pair[0].IntervalTo(lo1, hi1, xt, level); err != nil {
				t.Fatal(err)
			}
			if err := pair[1].IntervalTo(lo2, hi2, xt, level); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				// m2's std is 4× m1's and the means are equal.
				for _, b := range [][2]float64{{lo1[i], lo2[i]}, {hi1[i], hi2[i]}} {
					z1, z2 := (b[0]-mean[i])/std[i], (b[1]-mean[i])/(4*std[i])
					if math.Abs(z1-z2) > 1e-9 {
						t.Errorf("%s level %g row %d: standardised bound %g around the new model, %g around the old", name, level, i, z2, z1)
					}
				}
			}
		}
	}
	other := &oracleModel{dim: 3, mean: func([]float64) float64 { return 0 }, sd: func([]float64) float64 { return 1 }, stdScale: 1}
	if _, err := iso.WithInner(other); !errors.Is(err, ErrShape) {
		t.Errorf("isotonic WithInner of a 3-feature model: %v, want ErrShape", err)
	}
	if _, err := sc.WithInner(nil); !errors.Is(err, ErrShape) {
		t.Errorf("scale WithInner(nil): %v, want ErrShape", err)
	}
}

// TestBeforeRefit: Validation.BeforeRefit is called once, before the
// refit, with the held-out run's model — it predicts bit-identically to the
// model trained without Refit — for Train, TrainEnsemble and TrainMCDropout;
// its error stops training and is returned wrapped.
func TestBeforeRefit(t *testing.T) {
	ctx := context.Background()
	x, y := vData(40, -1, 1, 1)
	vx, vy := vData(10, -1, 1, 2)
	at := []float64{-0.5, 0.25}
	predict := func(m Regressor) []float64 {
		mean, std := make([]float64, 2), make([]float64, 2)
		if err := m.PredictTo(mean, std, at); err != nil {
			t.Fatal(err)
		}
		return append(mean, std...)
	}
	trainers := map[string]func(TrainConfig) (Regressor, error){
		"network":  func(c TrainConfig) (Regressor, error) { return Train(ctx, x, 1, y, c) },
		"ensemble": func(c TrainConfig) (Regressor, error) { return TrainEnsemble(ctx, x, 1, y, c, 2) },
		"dropout": func(c TrainConfig) (Regressor, error) {
			c.Dropout = 0.05
			return TrainMCDropout(ctx, x, 1, y, c, 20)
		},
	}
	for name, train := range trainers {
		for _, v := range []Validation{{X: vx, Y: vy, Patience: 10}, {Fraction: 0.25, Patience: 10}} {
			cfg := TrainConfig{Hidden: []int{8}, Activation: ReLU, LearningRate: 1e-2, Epochs: 60, Seed: 5, Validation: v}
			m, err := train(cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := predict(m)
			calls := 0
			cfg.Validation.Refit = true
			cfg.Validation.BeforeRefit = func(h Regressor) error {
				calls++
				got := predict(h)
				for i := range got {
					if got[i] != want[i] {
						t.Errorf("%s: held-out run's model predicts %v, the model without Refit %v", name, got, want)
						break
					}
				}
				return nil
			}
			if _, err := train(cfg); err != nil || calls != 1 {
				t.Errorf("%s: %d calls, error %v; want 1 call", name, calls, err)
			}
			stop := errors.New("stop")
			cfg.Validation.BeforeRefit = func(Regressor) error { return stop }
			if _, err := train(cfg); !errors.Is(err, stop) {
				t.Errorf("%s: error %v, want the hook's", name, err)
			}
		}
	}
}
