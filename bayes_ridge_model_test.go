package bnn

import (
	"errors"
	"math"
	"testing"
)

// TestBayesianRidgeModelRejectsBadFactor re-seals payloads whose Cholesky
// factor is not a valid lower-triangular factor, so the decoder's own checks
// (not the checksum) must reject them.
func TestBayesianRidgeModelRejectsBadFactor(t *testing.T) {
	x, _ := NewDense(4, 1, []float64{0, 1, 2, 3})
	m, err := FitBayesianRidge(x, []float64{0.1, 0.9, 2.1, 2.9}, DefaultBayesianRidgeConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		l    float64
	}{{"zero pivot", 0}, {"negative pivot", -1}, {"NaN pivot", math.NaN()}} {
		bad := *m
		post := *m.post
		post.chol.l = []float64{tc.l}
		bad.post = &post
		var w modelWriter
		bad.appendModelPayload(&w)
		if _, err := decodeBayesianRidge(&modelReader{b: w.b}); !errors.Is(err, ErrCorruptModel) {
			t.Errorf("%s: %v, want ErrCorruptModel", tc.name, err)
		}
	}
	var w modelWriter
	m.appendModelPayload(&w)
	for n := range len(w.b) {
		if _, err := decodeBayesianRidge(&modelReader{b: w.b[:n]}); !errors.Is(err, ErrCorruptModel) {
			t.Fatalf("payload truncated to %d of %d bytes: %v", n, len(w.b), err)
		}
	}
}
