package bnn

import (
	"context"
	"errors"
	"math"
	"testing"
)

// FuzzTrain trains tiny networks, ensembles and MC-dropout models on
// arbitrary data and settings: nothing panics, every error wraps a documented
// sentinel, a trained network or ensemble predicts non-NaN means and
// non-negative stds on its training inputs, and every model rejects
// non-finite inputs with ErrNonFinite and short outputs with ErrShape.
func FuzzTrain(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(2), uint8(0), 0.01, 0.0)
	f.Add([]byte{0, 0, 0, 0, 0, 0}, uint8(1), uint8(0xff), 1e30, 0.5)
	f.Add([]byte{255, 0, 128, 7, 7, 7, 9, 13}, uint8(3), uint8(0x5a), -1.0, 1.0)
	f.Add([]byte{}, uint8(1), uint8(1), 0.1, 0.1)
	f.Fuzz(func(t *testing.T, raw []byte, dimRaw, knobs uint8, lr, dropout float64) {
		dim := int(dimRaw%4) + 1
		if dimRaw == 0 {
			dim = 0
		}
		if len(raw) > 64 {
			raw = raw[:64]
		}
		x := make([]float64, len(raw))
		for i, b := range raw {
			x[i] = float64(int8(b)) / 16
		}
		n := 0
		if dim > 0 {
			n = len(x) / dim
		}
		y := make([]float64, n)
		for i := range y {
			y[i] = math.Sin(x[i*dim])
		}
		if knobs&0x80 != 0 && n > 0 {
			y[n-1] = math.NaN()
		}
		cfg := TrainConfig{
			Hidden:          []int{int(knobs%3) + 2},
			Activation:      Activation(knobs >> 2 % 4),
			Dropout:         dropout,
			Loss:            Loss(knobs >> 4 & 1),
			Heteroscedastic: knobs&0x20 != 0,
			Optimizer:       OptimizerKind(knobs >> 6 & 1),
			LearningRate:    lr,
			Epochs:          int(knobs%3) + 1,
			BatchSize:       int(knobs % 5),
			Scaling:         Scaling(knobs % 4),
			Seed:            uint64(knobs),
		}
		documented := func(err error) bool {
			for _, e := range []error{ErrEmpty, ErrShape, ErrNonFinite, ErrInvalidParameter, ErrDiverged} {
				if errors.Is(err, e) {
					return true
				}
			}
			return false
		}
		var models []Regressor
		if net, err := Train(context.Background(), x, dim, y, cfg); err != nil {
			if !documented(err) {
				t.Fatalf("Train: %v", err)
			}
		} else {
			models = append(models, net)
		}
		if ens, err := TrainEnsemble(context.Background(), x, dim, y, cfg, 2); err != nil {
			if !documented(err) {
				t.Fatalf("TrainEnsemble: %v", err)
			}
		} else {
			models = append(models, ens)
		}
		if mc, err := TrainMCDropout(context.Background(), x, dim, y, cfg, 3); err != nil {
			if !documented(err) {
				t.Fatalf("TrainMCDropout: %v", err)
			}
		} else {
			models = append(models, mc)
		}
		for _, m := range models {
			mean, std := make([]float64, n), make([]float64, n)
			// Training checks the deterministic outputs on the training
			// rows; MC dropout's stochastic passes (activations scaled by
			// 1/(1−p)) may still overflow a network trained at an absurd
			// learning rate, which PredictTo must report as ErrNonFinite.
			_, isMC := m.(*MCDropout)
			if err := m.PredictTo(mean, std, x); err != nil && !(isMC && errors.Is(err, ErrNonFinite)) {
				t.Fatalf("%T.PredictTo on the training inputs: %v", m, err)
			} else if err == nil {
				for i := range mean {
					if math.IsNaN(mean[i]) || math.IsInf(mean[i], 0) || !(std[i] >= 0) || math.IsInf(std[i], 0) {
						t.Fatalf("%T: row %d predicts %g ± %g", m, i, mean[i], std[i])
					}
				}
			}
			bad := append([]float64(nil), x...)
			bad[len(bad)-1] = math.Inf(-1)
			if err := m.PredictTo(mean, std, bad); !errors.Is(err, ErrNonFinite) {
				t.Fatalf("%T.PredictTo with −Inf input: %v", m, err)
			}
			if err := m.PredictTo(mean[:n-1], std, x); !errors.Is(err, ErrShape) {
				t.Fatalf("%T.PredictTo with a short mean: %v", m, err)
			}
		}
	})
}
