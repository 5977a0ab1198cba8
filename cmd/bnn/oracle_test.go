package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestOracleCompare(t *testing.T) {
	ref := &surrogate{mean: []float64{0, 0, 1, 1}, std: []float64{0, 0.1, 0.2, 0.5}}
	s := &surrogate{mean: []float64{5, 0.3, 1, 0.6}, std: []float64{1, 0.2, 0.2, 0.2}}
	interp := []bool{true, true, false, false}
	got := oracleCompare(s, ref, interp)
	// Interpolation: the first time has σ₀ = 0 < oracleMinStd and is skipped.
	in := got["interp"]
	if math.Abs(float64(in.MeanZ)-3) > 1e-12 || math.Abs(float64(in.StdRatio)-2) > 1e-12 || math.Abs(float64(in.W2)-math.Hypot(0.3, 0.1)) > 1e-12 {
		t.Errorf("interp %+v", in)
	}
	ex := got["extrap"]
	wantW2 := (0 + math.Hypot(0.4, 0.3)) / 2
	if math.Abs(float64(ex.MeanZ)-0.4) > 1e-12 || math.Abs(float64(ex.StdRatio)-0.7) > 1e-12 || math.Abs(float64(ex.W2)-wantW2) > 1e-12 {
		t.Errorf("extrap %+v", ex)
	}
	// Identical predictives are at distance 0 with std ratio 1.
	same := oracleCompare(ref, ref, interp)["extrap"]
	if same.MeanZ != 0 || same.W2 != 0 || same.StdRatio != 1 {
		t.Errorf("self-distance %+v", same)
	}
	var buf bytes.Buffer
	writeOracleTable(&buf, map[string]*oracleEntry{"bnn": {VsHMC: got, VsGrid: got}})
	if !strings.Contains(buf.String(), "3.0/0.4") {
		t.Errorf("table:\n%s", buf.String())
	}
}
