package bnn

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"runtime"
	"slices"
	"testing"
)

// nnSmallTargets are noisy targets for nnSmallModels' inputs, for calibrating.
func nnSmallTargets(x []float64) []float64 {
	y := make([]float64, len(x)/2)
	for i := range y {
		y[i] = math.Sin(2*x[2*i]) + 0.3*x[2*i+1] + 0.2*math.Sin(13*float64(i)+1)
	}
	return y
}

// calibratedModels wraps each of nnSmallModels in each calibration wrapper,
// plus a nested wrapper.
func calibratedModels(t testing.TB) (map[string]Regressor, []float64) {
	t.Helper()
	models, x := nnSmallModels(t)
	y := nnSmallTargets(x)
	out := map[string]Regressor{}
	for name, m := range models {
		for wname, w := range calibratedSet(t, m, x, y) {
			out[wname+"("+name+")"] = w
		}
	}
	sc, err := CalibrateScale(models["ensemble"], x, y)
	if err != nil {
		t.Fatal(err)
	}
	nested, err := CalibrateConformal(sc, x, y)
	if err != nil {
		t.Fatal(err)
	}
	out["conformal(scale(ensemble))"] = nested
	return out, x
}

func saveBytes(t testing.TB, m Regressor) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := SaveModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// samePredictions checks a and b predict and give 80 % intervals
// bit-identically on x.
func samePredictions(t *testing.T, name string, a, b Regressor, x []float64) {
	t.Helper()
	n := len(x) / a.InputDim()
	for _, f := range []func(m Regressor, p, q []float64) error{
		func(m Regressor, p, q []float64) error { return m.PredictTo(p, q, x) },
		func(m Regressor, p, q []float64) error { return PredictIntervalTo(m, p, q, x, 0.8) },
	} {
		p1, q1, p2, q2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		if err := f(a, p1, q1); err != nil {
			t.Fatal(name, err)
		}
		if err := f(b, p2, q2); err != nil {
			t.Fatal(name, err)
		}
		for i := range p1 {
			if math.Float64bits(p1[i]) != math.Float64bits(p2[i]) || math.Float64bits(q1[i]) != math.Float64bits(q2[i]) {
				t.Fatalf("%s row %d: (%v, %v) before saving, (%v, %v) after", name, i, p1[i], q1[i], p2[i], q2[i])
			}
		}
	}
}

func TestCalibratedRoundTrip(t *testing.T) {
	models, x := calibratedModels(t)
	for name, m := range models {
		file := saveBytes(t, m)
		got, err := LoadModel(bytes.NewReader(file))
		if err != nil {
			t.Fatal(name, err)
		}
		samePredictions(t, name, m, got, x)
		if again := saveBytes(t, got); !bytes.Equal(again, file) {
			t.Fatalf("%s: re-saving changes the file", name)
		}
	}
}

func TestCalibratedSaveRejects(t *testing.T) {
	r := friedmanOracle(1)
	x, y := make([]float64, 50), make([]float64, 5)
	for i := range y {
		y[i] = float64(i)
	}
	sc, err := CalibrateScale(r, x, y)
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveModel(&bytes.Buffer{}, sc); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("wrapper of an unsavable model: %v", err)
	}
	models, xs := nnSmallModels(t)
	ys := nnSmallTargets(xs)
	var m Regressor = models["mlp"]
	// A wrapper may wrap up to calibMaxNesting further wrappers.
	for depth := 0; depth <= calibMaxNesting+2; depth++ {
		err := SaveModel(&bytes.Buffer{}, m)
		if (depth <= calibMaxNesting+1 && err != nil) || (depth > calibMaxNesting+1 && !errors.Is(err, ErrInvalidParameter)) {
			t.Fatalf("%d nested wrappers: %v", depth, err)
		}
		if m, err = CalibrateScale(m, xs, ys); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadV1Fixtures loads model files written before the calibration
// wrappers existed (commit 6c32194): they still load, predict bit-identically
// to what that code predicted, re-save to the same bytes and can be wrapped.
func TestLoadV1Fixtures(t *testing.T) {
	raw, err := os.ReadFile("testdata/model_v1_predictions.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var x []float64
	if err := json.Unmarshal(ref["x"], &x); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"bayesian_ridge", "mlp"} {
		file, err := os.ReadFile("testdata/model_v1_" + name + ".bnn")
		if err != nil {
			t.Fatal(err)
		}
		m, err := LoadModel(bytes.NewReader(file))
		if err != nil {
			t.Fatal(name, err)
		}
		var want struct{ Mean, Std []float64 }
		if err := json.Unmarshal(ref[name], &want); err != nil {
			t.Fatal(err)
		}
		mean, std := make([]float64, 6), make([]float64, 6)
		if err := m.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		// The network's float32 arithmetic depends on the kernel path
		// (AVX-512, AVX2, NEON, purego sum in different orders).
		tol := float64Tol()
		if name == "mlp" {
			tol = 1e-5
		}
		if err := closeToRecorded(mean, want.Mean, tol); err != nil {
			t.Fatalf("%s mean: %v", name, err)
		}
		if err := closeToRecorded(std, want.Std, tol); err != nil {
			t.Fatalf("%s std: %v", name, err)
		}
		if !bytes.Equal(saveBytes(t, m), file) {
			t.Fatalf("%s: re-saving changes the file", name)
		}
		c, err := CalibrateConformal(m, x, []float64{0.1, -0.5, 0.3, -0.2, 0.4, 0})
		if err != nil {
			t.Fatal(err)
		}
		got, err := LoadModel(bytes.NewReader(saveBytes(t, c)))
		if err != nil {
			t.Fatal(err)
		}
		samePredictions(t, name, c, got, x)
	}
}

// sealModel frames payload as a model file of kind with a valid checksum.
func sealModel(kind string, payload []byte) []byte {
	b := []byte(modelFileMagic)
	b = binary.LittleEndian.AppendUint32(b, modelFileVersion)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(kind)))
	b = append(b, kind...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
	b = append(b, payload...)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// TestCalibratedLoadRejectsBadPayload re-seals malformed wrapper payloads
// with valid checksums so the wrappers' own validation is exercised.
func TestCalibratedLoadRejectsBadPayload(t *testing.T) {
	models, _ := nnSmallModels(t)
	var iw modelWriter
	appendInnerModel(&iw, models["bayesian-ridge"])
	inner := iw.b
	f64 := func(v ...float64) []byte {
		var w modelWriter
		w.f64s(v)
		return w.b
	}
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	u64 := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	cat := func(parts ...[]byte) []byte { return slices.Concat(parts...) }
	good := map[string][]byte{
		modelKindScaled:         cat(inner, f64(2), u64(10)),
		modelKindConformal:      cat(inner, u32(3), f64(0.5, 1, 2)),
		modelKindIsotonic:       cat(inner, u64(3), u32(2), f64(-1, 1), f64(0.25, 0.75)),
		modelKindCrossConformal: cat(u32(2), inner, u32(2), f64(0.5, 1), inner, u32(1), f64(2)),
	}
	for kind, p := range good {
		if _, err := LoadModel(bytes.NewReader(sealModel(kind, p))); err != nil {
			t.Fatalf("valid %s payload: %v", kind, err)
		}
	}
	cases := map[string][]byte{
		"scale 0":                 sealModel(modelKindScaled, cat(inner, f64(0), u64(10))),
		"scale NaN":               sealModel(modelKindScaled, cat(inner, f64(math.NaN()), u64(10))),
		"scale −1":                sealModel(modelKindScaled, cat(inner, f64(-1), u64(10))),
		"scale +Inf":              sealModel(modelKindScaled, cat(inner, f64(math.Inf(1)), u64(10))),
		"scale 1 row":             sealModel(modelKindScaled, cat(inner, f64(2), u64(1))),
		"scale trailing":          sealModel(modelKindScaled, cat(inner, f64(2), u64(10), []byte{0})),
		"unknown inner":           sealModel(modelKindScaled, cat(u32(3), []byte("foo"), u64(0), f64(2), u64(10))),
		"huge inner kind":         sealModel(modelKindScaled, cat(u32(1<<30), f64(2), u64(10))),
		"inner too long":          sealModel(modelKindScaled, cat(inner[:4+len(modelKindBayesianRidge)], u64(1<<20), inner[12+len(modelKindBayesianRidge):], f64(2), u64(10))),
		"inner trailing":          sealModel(modelKindScaled, cat(inner[:4+len(modelKindBayesianRidge)], u64(uint64(len(inner)-11-len(modelKindBayesianRidge))), inner[12+len(modelKindBayesianRidge):], []byte{0}, f64(2), u64(10))),
		"conformal 2 scores":      sealModel(modelKindConformal, cat(inner, u32(2), f64(1, 2))),
		"conformal unsorted":      sealModel(modelKindConformal, cat(inner, u32(3), f64(2, 1, 3))),
		"conformal negative":      sealModel(modelKindConformal, cat(inner, u32(3), f64(-1, 1, 3))),
		"conformal NaN":           sealModel(modelKindConformal, cat(inner, u32(3), f64(1, math.NaN(), 3))),
		"conformal zero quantile": sealModel(modelKindConformal, cat(inner, u32(3), f64(0, 0, 0))),
		"conformal short":         sealModel(modelKindConformal, cat(inner, u32(4), f64(1, 2, 3))),
		"isotonic knots equal":    sealModel(modelKindIsotonic, cat(inner, u64(3), u32(2), f64(1, 1), f64(0.25, 0.75))),
		"isotonic R = 1":          sealModel(modelKindIsotonic, cat(inner, u64(3), u32(2), f64(-1, 1), f64(0.25, 1))),
		"isotonic R decreasing":   sealModel(modelKindIsotonic, cat(inner, u64(3), u32(2), f64(-1, 1), f64(0.75, 0.25))),
		"isotonic more knots":     sealModel(modelKindIsotonic, cat(inner, u64(2), u32(3), f64(-1, 0, 1), f64(0.2, 0.5, 0.7))),
		"isotonic Inf knot":       sealModel(modelKindIsotonic, cat(inner, u64(3), u32(2), f64(-1, math.Inf(1)), f64(0.25, 0.75))),
		"cv one fold":             sealModel(modelKindCrossConformal, cat(u32(1), inner, u32(3), f64(0.5, 1, 2))),
		"cv empty fold":           sealModel(modelKindCrossConformal, cat(u32(2), inner, u32(3), f64(0.5, 1, 2), inner, u32(0))),
		"cv 2 rows":               sealModel(modelKindCrossConformal, cat(u32(2), inner, u32(1), f64(0.5), inner, u32(1), f64(2))),
		"cv huge folds":           sealModel(modelKindCrossConformal, cat(u32(1<<31), inner)),
	}
	// Nesting beyond calibMaxNesting.
	p := good[modelKindScaled]
	for range calibMaxNesting + 1 {
		var w modelWriter
		w.u32(uint32(len(modelKindScaled)))
		w.b = append(w.b, modelKindScaled...)
		w.u64(uint64(len(p)))
		w.b = append(w.b, p...)
		p = cat(w.b, f64(2), u64(10))
	}
	cases["nested too deep"] = sealModel(modelKindScaled, p)
	for name, file := range cases {
		if _, err := LoadModel(bytes.NewReader(file)); !errors.Is(err, ErrCorruptModel) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Every truncation and every flipped byte of a real wrapper file.
	models2, _ := calibratedModels(t)
	file := saveBytes(t, models2["conformal(scale(ensemble))"])
	for n := range len(file) {
		if _, err := LoadModel(bytes.NewReader(file[:n])); !errors.Is(err, ErrCorruptModel) {
			t.Fatalf("truncated to %d of %d bytes: %v", n, len(file), err)
		}
	}
	for i := range file {
		bad := bytes.Clone(file)
		bad[i] ^= 0x10
		if _, err := LoadModel(bytes.NewReader(bad)); !errors.Is(err, ErrCorruptModel) && !errors.Is(err, ErrModelVersion) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
}

// FuzzLoadCalibrated feeds arbitrary bytes (seeded with every wrapper kind
// around every model kind) to LoadModel. Invariant: it fails with
// ErrCorruptModel or ErrModelVersion, or the model re-saves to exactly the
// input bytes and, on finite two-feature input, either errors with a
// documented sentinel or predicts finite means with positive finite stds
// and ordered finite 80 % intervals.
func FuzzLoadCalibrated(f *testing.F) {
	models, x := calibratedModels(f)
	names := make([]string, 0, len(models))
	for name := range models {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		f.Add(saveBytes(f, models[name]))
	}
	x = x[:8]
	f.Fuzz(func(t *testing.T, b []byte) {
		m, ok := loadFuzzedModel(t, b)
		if !ok {
			return
		}
		if m.InputDim() != 2 {
			return
		}
		documented := func(err error) bool {
			return errors.Is(err, ErrNonFinite) || errors.Is(err, ErrInvalidParameter)
		}
		mean, std := make([]float64, 4), make([]float64, 4)
		if err := m.PredictTo(mean, std, x); err != nil {
			if !documented(err) {
				t.Fatalf("PredictTo: %v", err)
			}
		} else if _, ok := m.(Interval); ok && isCalibrated(m) {
			for i := range mean {
				if math.IsNaN(mean[i]) || math.IsInf(mean[i], 0) || !(std[i] > 0) || math.IsInf(std[i], 0) {
					t.Fatalf("%T row %d predicts %v ± %v", m, i, mean[i], std[i])
				}
			}
		}
		lo, hi := make([]float64, 4), make([]float64, 4)
		if err := PredictIntervalTo(m, lo, hi, x, 0.8); err != nil {
			if !documented(err) {
				t.Fatalf("IntervalTo: %v", err)
			}
		} else if isCalibrated(m) {
			for i := range lo {
				if math.IsInf(lo[i], 0) || math.IsInf(hi[i], 0) || !(lo[i] <= hi[i]) {
					t.Fatalf("%T row %d: 80 %% interval [%v, %v]", m, i, lo[i], hi[i])
				}
			}
		}
	})
}

// isCalibrated reports whether m is one of the calibration wrappers (the
// fuzz invariant on predictions is theirs; the inner kinds have their own
// fuzz targets).
func isCalibrated(m Regressor) bool {
	_, ok := m.(calibratedModel)
	return ok
}

// TestCalibratedFixtures loads wrapper files written when the wrappers were
// introduced (testdata/model_calibrated_*.bnn): the format must stay
// readable, predict as recorded and re-save to the same bytes.
func TestCalibratedFixtures(t *testing.T) {
	raw, err := os.ReadFile("testdata/model_calibrated_predictions.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		X      []float64
		Models map[string]struct{ Mean, Std, Lower80, Upper80 []float64 }
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Models) != 4 {
		t.Fatalf("%d fixtures", len(ref.Models))
	}
	for name, want := range ref.Models {
		file, err := os.ReadFile("testdata/model_calibrated_" + name + ".bnn")
		if err != nil {
			t.Fatal(err)
		}
		m, err := LoadModel(bytes.NewReader(file))
		if err != nil {
			t.Fatal(name, err)
		}
		n := len(want.Mean)
		mean, std, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		if err := m.PredictTo(mean, std, ref.X); err != nil {
			t.Fatal(err)
		}
		if err := m.(Interval).IntervalTo(lo, hi, ref.X, 0.8); err != nil {
			t.Fatal(err)
		}
		for _, pair := range [][2][]float64{{mean, want.Mean}, {std, want.Std}, {lo, want.Lower80}, {hi, want.Upper80}} {
			if err := closeToRecorded(pair[0], pair[1], float64Tol()); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if !bytes.Equal(saveBytes(t, m), file) {
			t.Fatalf("%s: re-saving changes the file", name)
		}
	}
}

// TestWriteCalibratedFixtures regenerates the fixtures of TestCalibratedFixtures
// (run with BNN_WRITE_FIXTURES=1 only when the format deliberately changes).
func TestWriteCalibratedFixtures(t *testing.T) {
	if os.Getenv("BNN_WRITE_FIXTURES") == "" {
		t.Skip("set BNN_WRITE_FIXTURES=1 to rewrite testdata/model_calibrated_*")
	}
	models, x := nnSmallModels(t)
	y := nnSmallTargets(x)
	ridge := models["bayesian-ridge"]
	ws := calibratedSet(t, ridge, x, y)
	cv, err := CrossConformal(context.Background(), x, 2, y, 4, func(_ context.Context, x []float64, dim int, y []float64) (Regressor, error) {
		return fitRidge(nil, x, dim, y)
	})
	if err != nil {
		t.Fatal(err)
	}
	ws["cv+"] = cv
	type pred struct{ Mean, Std, Lower80, Upper80 []float64 }
	ref := struct {
		Note   string
		X      []float64
		Models map[string]pred
	}{Note: "Calibration wrappers around BayesianRidge (nnSmallModels), written by TestWriteCalibratedFixtures.", X: x[:10], Models: map[string]pred{}}
	for name, m := range ws {
		fname := map[string]string{"cv+": "cv"}[name]
		if fname == "" {
			fname = name
		}
		if err := os.WriteFile("testdata/model_calibrated_"+fname+".bnn", saveBytes(t, m), 0o644); err != nil {
			t.Fatal(err)
		}
		p := pred{make([]float64, 5), make([]float64, 5), make([]float64, 5), make([]float64, 5)}
		if err := m.PredictTo(p.Mean, p.Std, ref.X); err != nil {
			t.Fatal(err)
		}
		if err := m.(Interval).IntervalTo(p.Lower80, p.Upper80, ref.X, 0.8); err != nil {
			t.Fatal(err)
		}
		ref.Models[fname] = p
	}
	b, err := json.MarshalIndent(ref, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/model_calibrated_predictions.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// closeToRecorded compares predictions with ones recorded in testdata, to
// relative tolerance tol.
func closeToRecorded(got, want []float64, tol float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d values, recorded %d", len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); !(d <= tol*math.Abs(want[i])) {
			return fmt.Errorf("row %d: %v, recorded %v", i, got[i], want[i])
		}
	}
	return nil
}

// float64Tol is the tolerance for float64 predictions recorded in testdata:
// zero (bit-identical) on amd64, where they were written; 1e-12 relative
// elsewhere, since other architectures fuse multiply-adds (in math's special
// functions and the linear algebra) and may round the last bit differently.
func float64Tol() float64 {
	if runtime.GOARCH == "amd64" {
		return 0
	}
	return 1e-12
}

// FuzzCalibrate calibrates a fixed Bayesian ridge model on arbitrary rows
// with every wrapper. Invariant: each either fails with a documented
// sentinel, or gives finite means, positive finite stds and ordered finite
// intervals (or ErrInvalidParameter for a level too extreme for its rows)
// on finite input, and saves and loads to bit-identical predictions.
func FuzzCalibrate(f *testing.F) {
	models, _ := nnSmallModels(f)
	ridge := models["bayesian-ridge"]
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 0.9)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0}, 0.5)
	f.Add([]byte{255, 0, 128, 7, 7, 7, 9, 13, 200, 100, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0.99)
	f.Fuzz(func(t *testing.T, raw []byte, level float64) {
		if len(raw) > 90 {
			raw = raw[:90]
		}
		n := len(raw) / 3
		x, y := make([]float64, 2*n), make([]float64, n)
		for i := range n {
			x[2*i], x[2*i+1] = float64(int8(raw[3*i]))/16, float64(int8(raw[3*i+1]))/16
			y[i] = float64(int8(raw[3*i+2])) / 8
			if raw[3*i+2] == 0x7f {
				y[i] = math.Inf(1)
			}
		}
		documented := func(err error) bool {
			for _, e := range []error{ErrEmpty, ErrShape, ErrNonFinite, ErrInvalidParameter} {
				if errors.Is(err, e) {
					return true
				}
			}
			return false
		}
		fit := func(context.Context, []float64, int, []float64) (Regressor, error) { return ridge, nil }
		calibs := map[string]func() (Regressor, error){
			"scale":     func() (Regressor, error) { return CalibrateScale(ridge, x, y) },
			"isotonic":  func() (Regressor, error) { return CalibrateIsotonic(ridge, x, y) },
			"conformal": func() (Regressor, error) { return CalibrateConformal(ridge, x, y) },
			"cv+":       func() (Regressor, error) { return CrossConformal(context.Background(), x, 2, y, 3, fit) },
		}
		xt := []float64{0, 0, 1, -1, -3, 2}
		for name, cal := range calibs {
			w, err := cal()
			if err != nil {
				if !documented(err) {
					t.Fatalf("%s: %v", name, err)
				}
				continue
			}
			mean, std := make([]float64, 3), make([]float64, 3)
			if err := w.PredictTo(mean, std, xt); err != nil {
				t.Fatalf("%s PredictTo: %v", name, err)
			}
			for i := range mean {
				if math.IsNaN(mean[i]) || math.IsInf(mean[i], 0) || !(std[i] > 0) || math.IsInf(std[i], 0) {
					t.Fatalf("%s row %d: %v ± %v", name, i, mean[i], std[i])
				}
			}
			lo, hi := make([]float64, 3), make([]float64, 3)
			if err := w.(Interval).IntervalTo(lo, hi, xt, level); err != nil {
				if !errors.Is(err, ErrInvalidParameter) {
					t.Fatalf("%s IntervalTo(%v): %v", name, level, err)
				}
			} else {
				for i := range lo {
					if math.IsInf(lo[i], 0) || math.IsInf(hi[i], 0) || !(lo[i] <= hi[i]) {
						t.Fatalf("%s level %v row %d: [%v, %v]", name, level, i, lo[i], hi[i])
					}
				}
			}
			var buf bytes.Buffer
			if err := SaveModel(&buf, w); err != nil {
				t.Fatal(err)
			}
			got, err := LoadModel(&buf)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			m2, s2 := make([]float64, 3), make([]float64, 3)
			if err := got.PredictTo(m2, s2, xt); err != nil || !slices.Equal(m2, mean) || !slices.Equal(s2, std) {
				t.Fatalf("%s: loaded model predicts %v ± %v (%v), saved %v ± %v", name, m2, s2, err, mean, std)
			}
		}
	})
}
