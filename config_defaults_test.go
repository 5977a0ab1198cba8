package bnn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The zero-value rule: a zero settings field means its documented default,
// so the zero value (and any config with some zero fields) behaves exactly
// like the same config with the defaults written out.

func TestTrainConfigZeroMeansDefault(t *testing.T) {
	if got := (TrainConfig{}).withDefaults(); !reflect.DeepEqual(got, DefaultTrainConfig()) {
		t.Fatalf("zero TrainConfig → %+v, DefaultTrainConfig() = %+v", got, DefaultTrainConfig())
	}
	if d := DefaultTrainConfig(); d.LearningRate != 1e-3 || d.Epochs != 1000 || d.Activation != Tanh || d.Optimizer != OptimAdam ||
		d.Loss != LossMSE || d.Scaling != ScaleInputsAndTargets || d.Hidden != nil {
		t.Fatalf("DefaultTrainConfig() = %+v", d)
	}
	x, y := nnToyData(12)
	ctx := context.Background()
	// The whole zero value (a linear model, 1000 full-batch epochs) against the defaults written out.
	for name, pair := range map[string][2]TrainConfig{
		"zero":                {{}, DefaultTrainConfig()},
		"zero lr":             {{Hidden: []int{4}, Epochs: 7, Seed: 3}, {Hidden: []int{4}, Epochs: 7, Seed: 3, LearningRate: DefaultLearningRate}},
		"zero epochs":         {{Hidden: []int{3}, LearningRate: 1e-2, Seed: 4}, {Hidden: []int{3}, LearningRate: 1e-2, Seed: 4, Epochs: DefaultEpochs}},
		"zero lr, activation": {{Hidden: []int{2}, Epochs: 5}, {Hidden: []int{2}, Epochs: 5, LearningRate: 1e-3, Activation: Tanh}},
	} {
		a, err := Train(ctx, x, 1, y, pair[0])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := Train(ctx, x, 1, y, pair[1])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(a.MLP().Params(), b.MLP().Params()) || a.noiseVar != b.noiseVar {
			t.Errorf("%s: zero fields and written-out defaults train different networks", name)
		}
	}
	// TrainEnsemble and TrainMCDropout apply the same defaults.
	e0, err := TrainEnsemble(ctx, x, 1, y, TrainConfig{Hidden: []int{3}, Epochs: 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	e1, err := TrainEnsemble(ctx, x, 1, y, TrainConfig{Hidden: []int{3}, Epochs: 4, LearningRate: DefaultLearningRate}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range e0.Members() {
		if !slices.Equal(m.MLP().Params(), e1.Members()[i].MLP().Params()) {
			t.Errorf("ensemble member %d: zero learning rate differs from the default written out", i)
		}
	}
	d0, err := TrainMCDropout(ctx, x, 1, y, TrainConfig{Hidden: []int{3}, Dropout: 0.1, LearningRate: 1e-2}, 5)
	if err != nil {
		t.Fatal(err)
	}
	d1, err := TrainMCDropout(ctx, x, 1, y, TrainConfig{Hidden: []int{3}, Dropout: 0.1, LearningRate: 1e-2, Epochs: DefaultEpochs}, 5)
	if err != nil {
		t.Fatal(err)
	}
	m0, s0 := make([]float64, len(y)), make([]float64, len(y))
	m1, s1 := make([]float64, len(y)), make([]float64, len(y))
	if err := d0.PredictTo(m0, s0, x); err != nil {
		t.Fatal(err)
	}
	if err := d1.PredictTo(m1, s1, x); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m0, m1) || !slices.Equal(s0, s1) {
		t.Errorf("MC dropout: zero Epochs differs from DefaultEpochs")
	}
	// The zero learning rate must actually train (not a no-op): the loss falls.
	var first, last float64
	cfg := TrainConfig{Hidden: []int{4}, Epochs: 200, Progress: func(e int, l float64) {
		if e == 1 {
			first = l
		}
		last = l
	}}
	if _, err := Train(ctx, x, 1, y, cfg); err != nil || !(last < 0.9*first) {
		t.Errorf("default learning rate: loss %g → %g, %v", first, last, err)
	}
	// Negative values stay errors that name the field.
	for field, c := range map[string]TrainConfig{
		"Epochs":       {Epochs: -1},
		"LearningRate": {LearningRate: -1e-3},
	} {
		_, err := Train(ctx, x, 1, y, c)
		if !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestBBBConfigZeroMeansDefault(t *testing.T) {
	if got := (BBBConfig{}).withDefaults(); !reflect.DeepEqual(got, DefaultBBBConfig()) {
		t.Fatalf("zero BBBConfig → %+v, DefaultBBBConfig() = %+v", got, DefaultBBBConfig())
	}
	if d := DefaultBBBConfig(); d.Epochs != 1000 || d.LearningRate != 1e-3 || d.Samples != 1 || d.KL != KLMonteCarlo {
		t.Fatalf("DefaultBBBConfig() = %+v", d)
	}
	x, y := bbbToyData(9)
	net := BNNConfig{Inputs: 1, Hidden: []int{5}, NoiseStd: 0.1, Seed: 2}
	run := func(cfg BBBConfig) ([]float64, []float32) {
		m, err := NewBayesianMLP(net)
		if err != nil {
			t.Fatal(err)
		}
		h, err := m.Train(context.Background(), x, y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return h, m.params
	}
	h0, p0 := run(BBBConfig{Epochs: 20, Seed: 5, Workers: 1})
	h1, p1 := run(BBBConfig{Epochs: 20, Seed: 5, Workers: 1, LearningRate: DefaultLearningRate, Samples: 1})
	if !slices.Equal(h0, h1) || !slices.Equal(p0, p1) {
		t.Errorf("zero learning rate and samples differ from the written-out defaults")
	}
	h2, _ := run(BBBConfig{Epochs: 20, Seed: 5, Workers: 1, LearningRate: DefaultLearningRate, Samples: 2})
	if slices.Equal(h0, h2) {
		t.Errorf("2 samples per step train like 1: the comparison cannot fail")
	}
	if h, _ := run(BBBConfig{LearningRate: 1e-2, Seed: 5}); len(h) != DefaultEpochs {
		t.Errorf("zero Epochs ran %d epochs, want %d", len(h), DefaultEpochs)
	}
	m, _ := NewBayesianMLP(net)
	for field, c := range map[string]BBBConfig{
		"Epochs":       {Epochs: -1},
		"LearningRate": {LearningRate: math.NaN()},
		"Samples":      {Samples: -2},
	} {
		_, err := m.Train(context.Background(), x, y, c)
		if !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestVIConfigZeroMeansDefault(t *testing.T) {
	if got := (VIConfig{}).withDefaults(); !reflect.DeepEqual(got, DefaultVIConfig()) {
		t.Fatalf("zero VIConfig → %+v, DefaultVIConfig() = %+v", got, DefaultVIConfig())
	}
	if d := DefaultVIConfig(); d.Samples != 1 || d.Steps != 10000 || d.LearningRate != 1e-3 || d.InitLogStd != 0 || d.InitMean != nil {
		t.Fatalf("DefaultVIConfig() = %+v", d)
	}
	ctx := context.Background()
	a, err := FitGaussianVI(ctx, 1, viBimodal, VIConfig{Steps: 40, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitGaussianVI(ctx, 1, viBimodal, VIConfig{Steps: 40, Seed: 1, Samples: 1, LearningRate: DefaultLearningRate})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.ELBO, b.ELBO) || !slices.Equal(a.Mean, b.Mean) || !slices.Equal(a.Std, b.Std) {
		t.Errorf("zero Samples and LearningRate differ from the written-out defaults")
	}
	z, err := FitGaussianVI(ctx, 1, viBimodal, VIConfig{})
	if err != nil || len(z.ELBO) != 10000 {
		t.Errorf("zero VIConfig: %v steps, %v", len(z.ELBO), err)
	}
	for field, c := range map[string]VIConfig{
		"Samples":      {Samples: -1},
		"Steps":        {Steps: -1},
		"LearningRate": {LearningRate: -1},
	} {
		_, err := FitGaussianVI(ctx, 1, viBimodal, c)
		if !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestMLPConfigZeroMeansDefault(t *testing.T) {
	a, err := NewMLP(MLPConfig{Inputs: 3, Hidden: []int{4}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewMLP(MLPConfig{Inputs: 3, Hidden: []int{4}, Outputs: 1, Activation: Tanh}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Params(), b.Params()) || !reflect.DeepEqual(a.Config(), b.Config()) || a.Config().Outputs != 1 {
		t.Errorf("zero Outputs: %+v vs %+v", a.Config(), b.Config())
	}
	for field, c := range map[string]MLPConfig{"Inputs": {}, "Outputs": {Inputs: 1, Outputs: -1}} {
		if _, err := NewMLP(c, rand.New(rand.NewPCG(1, 2))); !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestBNNConfigZeroMeansDefault(t *testing.T) {
	d := DefaultBNNConfig()
	if d.Inputs != 0 || d.Hidden != nil || d.Activation != Tanh || d.Prior.String() != "N(0, 1²)" ||
		d.Rho0 != -3 || d.InitScale != 0.1 || d.NoiseStd != 0.5 {
		t.Fatalf("DefaultBNNConfig() = %+v", d)
	}
	if got := (BNNConfig{}).withDefaults(); !reflect.DeepEqual(got, d) {
		t.Fatalf("zero BNNConfig → %+v, DefaultBNNConfig() = %+v", got, d)
	}
	a, err := NewBayesianMLP(BNNConfig{Inputs: 2, Hidden: []int{3}, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	d.Inputs, d.Hidden, d.Seed = 2, []int{3}, 7
	b, err := NewBayesianMLP(d)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.params, b.params) || a.NoiseStd != b.NoiseStd || a.Prior != b.Prior || a.Activation != b.Activation {
		t.Errorf("zero fields and DefaultBNNConfig() build different networks")
	}
	// A value that rounds to 0 in float32 asks for exactly zero.
	c, err := NewBayesianMLP(BNNConfig{Inputs: 2, Hidden: []int{3}, Rho0: 1e-300, InitScale: 1e-300})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Layers {
		for _, v := range append(slices.Clone(l.WeightMu), l.WeightRho...) {
			if v != 0 {
				t.Fatalf("Rho0 = InitScale = 1e-300 gave a parameter %g, want exactly 0", v)
			}
		}
	}
	if _, err := NewBayesianMLP(BNNConfig{}); !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), "Inputs") {
		t.Errorf("zero Inputs: %v", err)
	}
	for field, c := range map[string]BNNConfig{
		"InitScale": {Inputs: 1, InitScale: -1},
		"NoiseStd":  {Inputs: 1, NoiseStd: -1},
		"Rho0":      {Inputs: 1, Rho0: math.NaN()},
	} {
		if _, err := NewBayesianMLP(c); !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestBayesianRidgeConfigZeroMeansDefault(t *testing.T) {
	x, y := readDiabetes(t)
	fit := func(o BayesianRidgeConfig) *BayesianRidge {
		t.Helper()
		m, err := FitBayesianRidge(x, y, o)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	same := func(a, b *BayesianRidge) bool {
		return slices.Equal(a.Coef(), b.Coef()) && a.Intercept() == b.Intercept() &&
			a.WeightPrecision() == b.WeightPrecision() && a.NoisePrecision() == b.NoisePrecision() &&
			a.LogMarginalLikelihood() == b.LogMarginalLikelihood() && a.Iterations() == b.Iterations()
	}
	def := fit(DefaultBayesianRidgeConfig())
	if !same(fit(BayesianRidgeConfig{}), def) {
		t.Errorf("the zero BayesianRidgeConfig fits differently from DefaultBayesianRidgeConfig()")
	}
	// The old default written out by hand: intercept and 1e-6 hyperpriors.
	h := 1e-6
	if !same(fit(BayesianRidgeConfig{EvidenceConfig: EvidenceConfig{AlphaShape: h, AlphaRate: h, BetaShape: h, BetaRate: h}}), def) {
		t.Errorf("explicit 1e-6 hyperpriors fit differently from the default")
	}
	if def.Intercept() == 0 {
		t.Errorf("the default fits no intercept")
	}
	if m := fit(BayesianRidgeConfig{NoIntercept: true}); m.Intercept() != 0 || same(m, def) {
		t.Errorf("NoIntercept: intercept %g", m.Intercept())
	}
	// NoHyperpriors: zeros taken literally, as EvidenceConfig's plain
	// evidence maximisation on the centred data.
	none := fit(BayesianRidgeConfig{NoHyperpriors: true})
	if same(none, def) {
		t.Errorf("NoHyperpriors fits like the default: the 1e-6 hyperpriors are not applied")
	}
	one := fit(BayesianRidgeConfig{NoHyperpriors: true, EvidenceConfig: EvidenceConfig{AlphaShape: h, AlphaRate: h, BetaShape: h, BetaRate: h}})
	if !same(one, def) {
		t.Errorf("NoHyperpriors with explicit 1e-6 fields differs from the default")
	}
	for _, field := range []string{"AlphaShape", "AlphaRate", "BetaShape", "BetaRate"} {
		o := BayesianRidgeConfig{}
		reflect.ValueOf(&o.EvidenceConfig).Elem().FieldByName(field).SetFloat(-1)
		if _, err := FitBayesianRidge(x, y, o); !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}
