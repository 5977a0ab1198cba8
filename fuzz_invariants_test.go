package bnn

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// checkFinitePredictions is the invariant the fuzz targets share: for finite
// input a model either returns an error wrapping one of the package's
// documented sentinels, or finite means and finite, positive standard
// deviations.
func checkFinitePredictions(t *testing.T, m Regressor, x []float64) {
	t.Helper()
	n := len(x) / m.InputDim()
	mean, std := make([]float64, n), make([]float64, n)
	for i := range mean {
		mean[i], std[i] = math.NaN(), math.NaN() // PredictTo must overwrite every row
	}
	if err := m.PredictTo(mean, std, x); err != nil {
		for _, s := range []error{ErrNonFinite, ErrDiverged, ErrInvalidParameter} {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("%T predict: undocumented error %v", m, err)
	}
	for i := range mean {
		if math.IsNaN(mean[i]) || math.IsInf(mean[i], 0) || !(std[i] > 0) || math.IsInf(std[i], 0) {
			t.Fatalf("%T row %d of %d: mean %g, std %g for finite input %v", m, i, n, mean[i], std[i], x)
		}
	}
}

// checkResaveIdentical is the round-trip invariant of a decoded model file:
// saving the model read from file (of which LoadModel consumed consumed
// bytes) reproduces those bytes exactly.
func checkResaveIdentical(t *testing.T, m Regressor, file []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := SaveModel(&buf, m); err != nil {
		t.Fatalf("re-saving a loaded %T: %v", m, err)
	}
	if !bytes.Equal(buf.Bytes(), file) {
		t.Fatalf("re-saving a loaded %T gives %d bytes that differ from the %d read", m, buf.Len(), len(file))
	}
}

// loadFuzzedModel loads a fuzzed model file: it returns false for a file
// LoadModel rejects with a documented error, fails on any other error, and
// checks that the bytes LoadModel consumed (it reads one model from a stream
// and leaves what follows) are what saving the loaded model writes.
func loadFuzzedModel(t *testing.T, b []byte) (Regressor, bool) {
	t.Helper()
	rd := bytes.NewReader(b)
	m, err := LoadModel(rd)
	if err != nil {
		if !errors.Is(err, ErrCorruptModel) && !errors.Is(err, ErrModelVersion) {
			t.Fatalf("unexpected error %v", err)
		}
		return nil, false
	}
	checkResaveIdentical(t, m, b[:len(b)-rd.Len()])
	return m, true
}

// TestPredictReportsOverflow gives every model kind parameters that are
// finite but overflow float32 on an ordinary input: PredictTo must return
// ErrNonFinite, not NaN or ±Inf.
func TestPredictReportsOverflow(t *testing.T) {
	models, x := nnSmallModels(t)
	for name, m := range models {
		switch v := m.(type) {
		case *Network:
			fill32(v.mlp.params, 3e38)
		case *Ensemble:
			for _, mem := range v.members {
				fill32(mem.mlp.params, 3e38)
			}
		case *MCDropout:
			fill32(v.net.mlp.params, 3e38)
		case *BayesianMLP:
			fill32(v.params[:v.nw], 3e38)
		default:
			continue
		}
		mean, std := make([]float64, 3), make([]float64, 3)
		if err := m.PredictTo(mean, std, x[:6]); !errors.Is(err, ErrNonFinite) {
			t.Errorf("%s: %v, mean %v, std %v", name, err, mean, std)
		}
	}
}

func fill32(p []float32, v float32) {
	for i := range p {
		p[i] = v
	}
}
