package bnn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLRHalfLifeSchedule: epoch e steps with LearningRate·2^(−(e−1)/h),
// rounded to float32, for Adam and SGD; LRHalfLife 0 keeps the step.
func TestLRHalfLifeSchedule(t *testing.T) {
	x, y := vData(12, -1, 1, 3)
	xs, ys := make([]float32, len(x)), make([]float32, len(y))
	for i := range x {
		xs[i], ys[i] = float32(x[i]), float32(y[i])
	}
	for _, opt := range []OptimizerKind{OptimAdam, OptimSGD} {
		for _, half := range []float64{0, 3, 0.5} {
			cfg := TrainConfig{Hidden: []int{4}, LearningRate: 0.01, LRHalfLife: half, Epochs: 7, BatchSize: 5, Optimizer: opt}
			if err := cfg.validate(); err != nil {
				t.Fatal(err)
			}
			m, err := NewMLP(cfg.mlpConfig(1), rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			tr, err := newNNTrainer(m, &cfg, 5)
			if err != nil {
				t.Fatal(err)
			}
			var got []float32
			progress := func(int, float64) {
				switch o := tr.opt.(type) {
				case *Adam:
					got = append(got, o.LR)
				case *SGD:
					got = append(got, o.LR)
				}
			}
			if err := tr.run(context.Background(), &cfg, xs, ys, 12, 1, progress); err != nil {
				t.Fatal(err)
			}
			for e, lr := range got {
				want := float32(0.01)
				if half > 0 {
					want = float32(0.01 * math.Pow(0.5, float64(e)/half))
				}
				if math.Abs(float64(lr-want)) > 1e-6*float64(want) {
					t.Errorf("%v half-life %g: epoch %d steps with %g, want %g", opt, half, e+1, lr, want)
				}
			}
			if len(got) != 7 {
				t.Errorf("%d epochs reported, want 7", len(got))
			}
		}
	}
}

// TestLRHalfLifeRefit: Validation.Refit repeats the decay: the refitted
// network has the parameters of a network trained without validation for
// the held-out run's best epoch count with the same LRHalfLife, and not
// those of one trained with a constant step.
func TestLRHalfLifeRefit(t *testing.T) {
	x, y := vData(48, -1, 1, 4)
	ctx := context.Background()
	cfg := TrainConfig{Hidden: []int{6}, LearningRate: 0.02, LRHalfLife: 5, Epochs: 300, BatchSize: 8, Seed: 3,
		Validation: Validation{Fraction: 0.25, Patience: 10}}
	held, err := Train(ctx, x, 1, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if held.bestEpoch < 2 || held.bestEpoch >= cfg.Epochs {
		t.Fatalf("best epoch %d: want early stopping after epoch 1", held.bestEpoch)
	}
	cfg.Validation.Refit = true
	refit, err := Train(ctx, x, 1, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	plain := cfg
	plain.Validation, plain.Epochs = Validation{}, held.bestEpoch
	same, err := Train(ctx, x, 1, y, plain)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refit.mlp.params, same.mlp.params) {
		t.Error("the refit's parameters differ from training for the best epoch count with the same decay")
	}
	plain.LRHalfLife = 0
	constant, err := Train(ctx, x, 1, y, plain)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(refit.mlp.params, constant.mlp.params) {
		t.Error("the refit's parameters equal those of a constant step")
	}
}

// TestLRHalfLifeInvalid: a negative, infinite or NaN half-life is
// ErrInvalidParameter.
func TestLRHalfLifeInvalid(t *testing.T) {
	x, y := vData(10, -1, 1, 5)
	for _, h := range []float64{-1, math.Inf(1), math.NaN()} {
		_, err := Train(context.Background(), x, 1, y, TrainConfig{LRHalfLife: h, Epochs: 2})
		if !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("LRHalfLife %g: err %v, want ErrInvalidParameter", h, err)
		}
	}
}
