package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFriedman1 writes Friedman #1 (n rows, 10 features U(0,1), noise σ = 1)
// from a fixed seed: y = 10 sin(πx₀x₁) + 20(x₂−½)² + 10x₃ + 5x₄ + ε.
func writeFriedman1(t *testing.T, path string, n int) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,y\n")
	for range n {
		var x [10]float64
		for j := range x {
			x[j] = r.Float64()
			fmt.Fprintf(&b, "%v,", x[j])
		}
		y := 10*math.Sin(math.Pi*x[0]*x[1]) + 20*(x[2]-0.5)*(x[2]-0.5) + 10*x[3] + 5*x[4] + r.NormFloat64()
		fmt.Fprintf(&b, "%v\n", y)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCVFriedman runs "bnn cv" with the defaults on Friedman #1 and bounds
// the band from both sides: coverage of the 80 % and 2σ intervals, and a
// log-likelihood above the linear model's (the function is nonlinear).
func TestCVFriedman(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-validates networks")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "friedman.csv")
	writeFriedman1(t, data, 300)
	code, stdout, stderr := bnnRun("cv", "-data", data, "-splits", "3", "-test", "0.2", "-methods", "blr,ensemble,dropout", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Log("\n" + stdout)
	raw, err := os.ReadFile(filepath.Join(dir, "cv.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep cvReport
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Methods) != 3 || rep.Splits != 3 || len(rep.Methods[0].Splits) != 3 {
		t.Fatalf("cv.json: %d methods, %d splits", len(rep.Methods), rep.Splits)
	}
	for _, m := range rep.Methods {
		if c := m.Coverage2Sigma; c < 0.85 || c > 0.995 {
			t.Errorf("%s: 2σ coverage %.3f outside [0.85, 0.995]", m.Method, c)
		}
		if c := m.Coverage[1]; c < 0.65 || c > 0.92 {
			t.Errorf("%s: 80 %% coverage %.3f outside [0.65, 0.92]", m.Method, c)
		}
		if m.Method != "blr" && m.LogLik.Mean < rep.Methods[0].LogLik.Mean {
			t.Errorf("%s: test LL %.3f below blr's %.3f on a nonlinear function", m.Method, m.LogLik.Mean, rep.Methods[0].LogLik.Mean)
		}
	}
	if svg, err := os.ReadFile(filepath.Join(dir, "calibration.svg")); err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("calibration.svg: %v", err)
	}
}

func TestCVBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var few strings.Builder
	few.WriteString("a,y\n")
	for i := range 12 {
		fmt.Fprintf(&few, "%d,%d\n", i, i*i%7)
	}
	fewCSV := write("few.csv", few.String())
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one row", []string{"cv", "-data", write("one.csv", "a,y\n1,2\n")}, 1, "is constant"},
		{"constant target", []string{"cv", "-data", write("const.csv", "a,y\n1,2\n2,2\n3,2\n")}, 1, "is constant"},
		{"fit constant target", []string{"fit", "-data", write("const2.csv", "a,y\n1,2\n2,2\n3,2\n"), "-model", filepath.Join(dir, "m.bnn")}, 1, "is constant"},
		{"too few rows to hold out", []string{"fit", "-data", fewCSV, "-method", "dropout", "-model", filepath.Join(dir, "m.bnn")}, 1, "at least 25"},
		{"bad test fraction", []string{"cv", "-data", fewCSV, "-test", "1"}, 2, "-test"},
		{"bad folds", []string{"cv", "-data", fewCSV, "-folds", "1"}, 2, "-folds"},
		{"bad method", []string{"cv", "-data", fewCSV, "-methods", "blr,gp"}, 2, `"gp"`},
		{"bad calibrate", []string{"cv", "-data", fewCSV, "-calibrate", "magic"}, 2, "-calibrate"},
		{"bad holdout", []string{"fit", "-data", fewCSV, "-holdout", "1"}, 2, "-holdout"},
	} {
		code, _, stderr := bnnRun(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d (want %d), stderr %q (want %q)", c.name, code, c.code, stderr, c.want)
		}
	}
}
