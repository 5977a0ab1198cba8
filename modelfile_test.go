package bnn

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"testing"
)

// nnSmallModels trains one small model of each kind on a noisy sine.
func nnSmallModels(t testing.TB) (map[string]Regressor, []float64) {
	t.Helper()
	var x, y []float64
	for i := range 40 {
		a := float64(i)/39*4 - 2
		b := math.Cos(float64(i))
		x = append(x, a, b)
		y = append(y, math.Sin(2*a)+0.3*b+0.05*math.Sin(17*float64(i)))
	}
	cfg := TrainConfig{Hidden: []int{8, 6}, Activation: Tanh, LearningRate: 1e-2, Epochs: 30, Seed: 3}
	ctx := context.Background()
	models := map[string]Regressor{}
	net, err := Train(ctx, x, 2, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	models["mlp"] = net
	g := cfg
	g.Loss, g.Heteroscedastic, g.Activation = LossGaussian, true, ReLU
	ens, err := TrainEnsemble(ctx, x, 2, y, g, 3)
	if err != nil {
		t.Fatal(err)
	}
	models["ensemble"] = ens
	d := cfg
	d.Dropout, d.BatchSize = 0.2, 16
	md, err := TrainMCDropout(ctx, x, 2, y, d, 20)
	if err != nil {
		t.Fatal(err)
	}
	models["dropout"] = md
	bc := NotebookBNNConfig()
	bc.Inputs, bc.Hidden, bc.Seed = 2, []int{5, 3}, 4
	bbb, err := NewBayesianMLP(bc)
	if err != nil {
		t.Fatal(err)
	}
	bbb.PredictSamples = 9
	models["bbb"] = bbb
	xd, err := NewDense(len(y), 2, x)
	if err != nil {
		t.Fatal(err)
	}
	br, err := FitBayesianRidge(xd, y, DefaultBayesianRidgeConfig())
	if err != nil {
		t.Fatal(err)
	}
	models["bayesian-ridge"] = br
	return models, x
}

func TestModelRoundTripBitIdentical(t *testing.T) {
	models, x := nnSmallModels(t)
	n := len(x) / 2
	for name, m := range models {
		var buf bytes.Buffer
		if err := SaveModel(&buf, m); err != nil {
			t.Fatal(name, err)
		}
		got, err := LoadModel(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(name, err)
		}
		m1, s1, m2, s2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		if err := m.PredictTo(m1, s1, x); err != nil {
			t.Fatal(err)
		}
		if err := got.PredictTo(m2, s2, x); err != nil {
			t.Fatal(err)
		}
		for i := range m1 {
			if math.Float64bits(m1[i]) != math.Float64bits(m2[i]) || math.Float64bits(s1[i]) != math.Float64bits(s2[i]) {
				t.Fatalf("%s row %d: (%v, %v) before saving, (%v, %v) after", name, i, m1[i], s1[i], m2[i], s2[i])
			}
			if !(s1[i] > 0) {
				t.Fatalf("%s row %d: std %v", name, i, s1[i])
			}
		}
	}
}

func TestLoadModelRejectsCorruption(t *testing.T) {
	models, _ := nnSmallModels(t)
	var buf bytes.Buffer
	if err := SaveModel(&buf, models["ensemble"]); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	for n := range len(file) {
		if _, err := LoadModel(bytes.NewReader(file[:n])); !errors.Is(err, ErrCorruptModel) {
			t.Fatalf("truncated to %d of %d bytes: %v", n, len(file), err)
		}
	}
	for i := range file {
		bad := bytes.Clone(file)
		bad[i] ^= 0x10
		_, err := LoadModel(bytes.NewReader(bad))
		if i >= 8 && i < 12 {
			if !errors.Is(err, ErrModelVersion) {
				t.Fatalf("byte %d (version) flipped: %v", i, err)
			}
		} else if !errors.Is(err, ErrCorruptModel) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
}

// TestLoadModelRejectsBadPayload re-seals malformed payloads with a valid
// checksum, so the decoders' own validation is exercised.
func TestLoadModelRejectsBadPayload(t *testing.T) {
	models, _ := nnSmallModels(t)
	var w modelWriter
	models["mlp"].(*Network).appendModelPayload(&w)
	good := w.b
	seal := func(kind string, payload []byte) []byte {
		b := []byte(modelFileMagic)
		b = binary.LittleEndian.AppendUint32(b, modelFileVersion)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(kind)))
		b = append(b, kind...)
		b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
		b = append(b, payload...)
		return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	}
	if _, err := LoadModel(bytes.NewReader(seal("mlp", good))); err != nil {
		t.Fatalf("valid payload: %v", err)
	}
	cases := map[string][]byte{
		"unknown kind":   seal("bogus", good),
		"trailing bytes": seal("mlp", append(bytes.Clone(good), 0)),
		"short payload":  seal("mlp", good[:len(good)-1]),
		"zero width":     seal("mlp", append(binary.LittleEndian.AppendUint32(good[:4:4], 0), good[8:]...)),
		"huge layers":    seal("mlp", append([]byte{0xff, 0xff, 0xff, 0x0f}, good[4:]...)),
		"no members":     seal("deep-ensemble", []byte{0, 0, 0, 0}),
		"zero samples":   seal("mc-dropout", append(bytes.Clone(good), make([]byte, 16)...)),
	}
	for name, file := range cases {
		if _, err := LoadModel(bytes.NewReader(file)); !errors.Is(err, ErrCorruptModel) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSaveModelRejectsForeignRegressor(t *testing.T) {
	var m struct{ Regressor }
	if err := SaveModel(&bytes.Buffer{}, m); !errors.Is(err, ErrInvalidParameter) {
		t.Fatal(err)
	}
}

func FuzzLoadModel(f *testing.F) {
	models, x := nnSmallModels(f)
	for _, m := range models {
		var buf bytes.Buffer
		if err := SaveModel(&buf, m); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(modelFileMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, ok := loadFuzzedModel(t, b)
		if !ok {
			return
		}
		if m.InputDim() != 2 {
			return
		}
		if bm, ok := m.(*BayesianMLP); ok {
			bm.PredictSamples = min(bm.PredictSamples, 16)
		}
		if md, ok := m.(*MCDropout); ok {
			md.Samples = min(md.Samples, 16)
		}
		checkFinitePredictions(t, m, x[:6])
	})
}

func TestPredictAllocatesNothingAfterWarmUp(t *testing.T) {
	models, x := nnSmallModels(t)
	n := len(x) / 2
	mean, std := make([]float64, n), make([]float64, n)
	for _, name := range []string{"mlp", "ensemble", "dropout"} {
		m := models[name]
		if err := m.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(20, func() { _ = m.PredictTo(mean, std, x) }); a != 0 {
			t.Errorf("%s: %v allocations per PredictTo", name, a)
		}
	}
}

// TestPredictVarianceDecomposition checks PredictTo's std against
// PredictSpreadTo's components (stds: total = hypot) and MC dropout's
// dependence on Seed.
func TestPredictVarianceDecomposition(t *testing.T) {
	models, x := nnSmallModels(t)
	n := len(x) / 2
	type splitter = SpreadPredictor
	for _, name := range []string{"ensemble", "dropout"} {
		m := models[name].(splitter)
		mean, std, m2, epi, ale := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		if err := m.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		if err := m.PredictSpreadTo(m2, epi, ale, x); err != nil {
			t.Fatal(err)
		}
		for i := range mean {
			if mean[i] != m2[i] || math.Abs(std[i]-math.Hypot(epi[i], ale[i])) > 1e-12*std[i] || !(epi[i] > 0) || !(ale[i] > 0) {
				t.Fatalf("%s row %d: mean %v/%v std %v epistemic %v aleatoric %v", name, i, mean[i], m2[i], std[i], epi[i], ale[i])
			}
		}
	}
	md := models["dropout"].(*MCDropout)
	a, sa, b, sb := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	_ = md.PredictTo(a, sa, x)
	md.Seed++
	_ = md.PredictTo(b, sb, x)
	md.Seed--
	if a[0] == b[0] {
		t.Error("MC dropout prediction does not depend on Seed")
	}
}

func TestPredictConcurrent(t *testing.T) {
	models, x := nnSmallModels(t)
	n := len(x) / 2
	for name, m := range models {
		want, ws := make([]float64, n), make([]float64, n)
		if err := m.PredictTo(want, ws, x); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				mean, std := make([]float64, n), make([]float64, n)
				for range 5 {
					if err := m.PredictTo(mean, std, x); err != nil {
						errs <- err
						return
					}
					for i := range mean {
						if mean[i] != want[i] || std[i] != ws[i] {
							errs <- errors.New(name + ": concurrent prediction differs")
							return
						}
					}
				}
				errs <- nil
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	}
}
