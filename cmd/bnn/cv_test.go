package main

import (
	"encoding/json"
	"fmt"
	"github.com/gobnn/bnn"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
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
		if m.Method == "dropout" { // every split records its candidate, one of the default -dropout × -dropnoise
			var want []string
			for _, d := range bnn.DropoutGrid(defaultDropoutRates, dropNoiseModels[defaultDropNoise]...) {
				want = append(want, dropoutText(d))
			}
			total := 0
			for k, n := range m.DropoutCounts {
				if !slices.Contains(want, k) {
					t.Errorf("dropout candidate %q is not one of the defaults %q", k, want)
				}
				total += n
			}
			for i, s := range m.Splits {
				if len(s.Dropout) != 1 {
					t.Errorf("split %d: dropout candidates %v, want the one chosen", i, s.Dropout)
				}
			}
			if total != rep.Splits {
				t.Errorf("dropout counts %v for %d splits", m.DropoutCounts, rep.Splits)
			}
			if !strings.Contains(stdout, "dropout: rate and noise of the fits: p = ") {
				t.Errorf("the table does not list the dropout candidates:\n%s", stdout)
			}
		} else if len(m.DropoutCounts) != 0 || len(m.Splits[0].Dropout) != 0 {
			t.Errorf("%s records dropout rates", m.Method)
		}
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
	// cv.html: every method's row, each number equal to cv.json's.
	page, err := os.ReadFile(filepath.Join(dir, "cv.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.TrimSpace(stdout), "page: "+filepath.Join(dir, "cv.html")) {
		t.Errorf("the last line does not name cv.html:\n%s", stdout)
	}
	checkPageNumbersFrom(t, string(page), raw, 3*(6+len(rep.Levels)+3))
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
		{"one row", []string{"cv", "-data", write("one.csv", "a,y\n1,2\n")}, 1, "only 1 data row"},
		{"fit one row", []string{"fit", "-data", write("one2.csv", "a,y\n1,2\n"), "-model", filepath.Join(dir, "m.bnn")}, 1, "only 1 data row"},
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

// TestPredictBandSize bounds the command's lower/upper from both sides in
// target units: "bnn fit" with the defaults on 352 diabetes rows, "bnn
// predict" at -level 0.9 on the other 90. Coverage alone would pass a band
// too wide; the half-width is also compared with 1.645 × the test RMSE.
func TestPredictBandSize(t *testing.T) {
	if testing.Short() {
		t.Skip("trains every method on the diabetes data")
	}
	dir := t.TempDir()
	raw, err := os.ReadFile(diabetesCSV)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	train, test := filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	os.WriteFile(train, []byte(strings.Join(lines[:353], "\n")+"\n"), 0o644)
	os.WriteFile(test, []byte(lines[0]+"\n"+strings.Join(lines[353:], "\n")+"\n"), 0o644)
	tab, err := readCSV(test)
	if err != nil {
		t.Fatal(err)
	}
	y := tab.cols[tab.column("y")]
	for _, c := range []struct{ method, calibrate string }{
		{"ensemble", "isotonic"}, {"dropout", "isotonic"}, {"bbb", "isotonic"}, {"blr", "isotonic"},
		{"ensemble", "none"}, {"dropout", "none"},
	} {
		model := filepath.Join(dir, c.method+c.calibrate+".bnn")
		if code, _, stderr := bnnRun("fit", "-data", train, "-method", c.method, "-calibrate", c.calibrate, "-model", model); code != 0 {
			t.Fatalf("%s: fit: %s", c.method, stderr)
		}
		out := filepath.Join(dir, c.method+".csv")
		if code, _, stderr := bnnRun("predict", "-model", model, "-data", test, "-out", out, "-level", "0.9"); code != 0 {
			t.Fatalf("%s: predict: %s", c.method, stderr)
		}
		rows := readPredictions(t, out)
		var in, half, sse float64
		for i, r := range rows {
			if y[i] >= r[2] && y[i] <= r[3] {
				in++
			}
			half += (r[3] - r[2]) / 2
			sse += (r[0] - y[i]) * (r[0] - y[i])
		}
		n := float64(len(rows))
		cov, ratio := in/n, half/n/(1.6449*math.Sqrt(sse/n))
		t.Logf("%s (-calibrate %s): 90%% coverage %.3f, half-width / (1.645·RMSE) %.3f", c.method, c.calibrate, cov, ratio)
		if cov < 0.75 || cov > 0.99 || ratio < 0.6 || ratio > 1.6 {
			t.Errorf("%s (-calibrate %s): coverage %.3f outside [0.75, 0.99] or width ratio %.3f outside [0.6, 1.6]", c.method, c.calibrate, cov, ratio)
		}
	}
}
