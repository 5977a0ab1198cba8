package bnn

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"
)

func TestBBBPayloadRoundTrip(t *testing.T) {
	mix, _ := ScaleMixturePrior(0.25, 1, 0.01)
	for _, pr := range []Prior{NotebookBNNConfig().Prior, mix} {
		cfg := NotebookBNNConfig()
		cfg.Inputs, cfg.Hidden, cfg.Activation, cfg.Prior, cfg.Seed = 2, []int{5, 3}, ReLU, pr, 8
		m, err := NewBayesianMLP(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.PredictSamples = 17
		var file bytes.Buffer
		if err := SaveModel(&file, m); err != nil {
			t.Fatal(err)
		}
		loaded, err := LoadModel(&file)
		if err != nil {
			t.Fatal(err)
		}
		if lm, ok := loaded.(*BayesianMLP); !ok || lm.Prior != m.Prior || len(lm.params) != len(m.params) || lm.params[3] != m.params[3] {
			t.Fatalf("LoadModel returned %T", loaded)
		}
		b := m.encodeBBBPayload()
		d, err := decodeBBBPayload(b)
		if err != nil {
			t.Fatal(err)
		}
		if d.Prior != m.Prior || d.NoiseStd != m.NoiseStd || d.Seed != 8 || d.PredictSamples != 17 || d.Activation != ReLU || d.InputDim() != 2 {
			t.Fatalf("decoded %+v", d)
		}
		x := []float64{0.1, -0.3, 2, 1}
		m1, s1, m2, s2 := make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)
		if err := m.PredictTo(m1, s1, x); err != nil {
			t.Fatal(err)
		}
		if err := d.PredictTo(m2, s2, x); err != nil {
			t.Fatal(err)
		}
		if m1[0] != m2[0] || m1[1] != m2[1] || s1[0] != s2[0] || s1[1] != s2[1] {
			t.Fatalf("predictions differ after decoding: %v %v vs %v %v", m1, s1, m2, s2)
		}
		for n := range len(b) {
			if _, err := decodeBBBPayload(b[:n]); !errors.Is(err, ErrCorruptModel) {
				t.Fatalf("truncated to %d bytes: %v", n, err)
			}
		}
		b[0] = 3
		if _, err := decodeBBBPayload(b); !errors.Is(err, ErrModelVersion) {
			t.Fatalf("version: %v", err)
		}
		b[0] = 1
		copy(b[len(b)-4:], []byte{0, 0, 0xc0, 0x7f}) // NaN
		if _, err := decodeBBBPayload(b); !errors.Is(err, ErrCorruptModel) {
			t.Fatalf("NaN parameter: %v", err)
		}
	}
}

func FuzzBBBPayload(f *testing.F) {
	m, _ := NewBayesianMLP(BNNConfig{Inputs: 1, Hidden: []int{2}, Prior: NotebookBNNConfig().Prior, Rho0: -3, NoiseStd: 0.1})
	f.Add(m.encodeBBBPayload())
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeBBBPayload(b)
		if err != nil {
			return
		}
		if d.nw > 1<<16 {
			return
		}
		if re := d.encodeBBBPayload(); !bytes.Equal(re, b) {
			t.Fatalf("re-encoding the decoded payload gives %d bytes that differ from the %d read", len(re), len(b))
		}
		d.PredictSamples = min(d.PredictSamples, 4)
		x := make([]float64, 2*d.InputDim())
		for i := range x {
			x[i] = float64(i%3) - 1
		}
		checkFinitePredictions(t, d, x)
	})
}

// FuzzBBBTrain builds and trains a tiny network on caller data: it must
// return an error or finite predictions, never panic.
func FuzzBBBTrain(f *testing.F) {
	f.Add(1, 3, -3.0, 0.05, 0.1, 0.2, -0.5, 1.0, 2, 0.01, uint8(0))
	f.Add(2, 0, -200.0, 0.0, math.NaN(), 0.2, -0.5, 1.0, 0, -1.0, uint8(7))
	f.Fuzz(func(t *testing.T, inputs, hidden int, rho0, noise, x0, x1, y0, y1 float64, samples int, lr float64, opts uint8) {
		if inputs > 4 || hidden > 8 || samples > 4 {
			return
		}
		prior, _ := GaussianPrior(1)
		if opts&4 != 0 {
			prior, _ = ScaleMixturePrior(0.5, 1, 0.1)
		}
		m, err := NewBayesianMLP(BNNConfig{Inputs: inputs, Hidden: []int{hidden}, Activation: Activation(opts % 3), Prior: prior, Rho0: rho0, InitScale: 0.1, NoiseStd: noise})
		if err != nil {
			return
		}
		x := make([]float64, 2*inputs)
		x[0], x[len(x)-1] = x0, x1
		cfg := BBBConfig{Epochs: 3, LearningRate: lr, Samples: samples, LearnNoise: opts&8 != 0, BatchSize: int(opts>>4) % 3}
		if opts&16 != 0 {
			cfg.KL, cfg.LocalReparam = KLClosedForm, opts&32 != 0
		}
		if _, err := m.Train(context.Background(), x, []float64{y0, y1}, cfg); err != nil {
			return
		}
		m.PredictSamples = 3
		checkFinitePredictions(t, m, x)
	})
}
