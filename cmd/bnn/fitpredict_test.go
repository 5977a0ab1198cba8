package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gobnn/bnn"
)

const diabetesCSV = "testdata/diabetes.csv"

// bnnRun runs the command line and returns its exit code, stdout and stderr.
func bnnRun(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// readPredictions parses a predictions CSV.
func readPredictions(t *testing.T, path string) [][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "mean,std,lower,upper" {
		t.Fatalf("header %v", recs[0])
	}
	var rows [][]float64
	for _, r := range recs[1:] {
		var v []float64
		for _, c := range r {
			x, err := strconv.ParseFloat(c, 64)
			if err != nil {
				t.Fatal(err)
			}
			v = append(v, x)
		}
		rows = append(rows, v)
	}
	return rows
}

func TestFitPredictRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("trains every method on the diabetes data")
	}
	dir := t.TempDir()
	for _, method := range fitMethods {
		t.Run(method, func(t *testing.T) {
			model := filepath.Join(dir, method+".bnn")
			code, stdout, stderr := bnnRun("fit", "-data", diabetesCSV, "-method", method, "-model", model,
				"-epochs", "40", "-hidden", "16", "-members", "2", "-samples", "20", "-lr", "0.01", "-dropout", "0.01,0.05")
			if code != 0 { // a model that cannot be saved is a failure, not a skip
				t.Fatalf("fit exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "442 rows × 10 features") {
				t.Errorf("fit output %q", stdout)
			}
			if method == "dropout" && !strings.Contains(stdout, "chosen on the held-out log-likelihood from 4 candidates)") {
				t.Errorf("fit output %q does not name the chosen dropout rate", stdout)
			}
			out := filepath.Join(dir, method+".csv")
			code, stdout, stderr = bnnRun("predict", "-model", model, "-data", diabetesCSV, "-out", out)
			if code != 0 {
				t.Fatalf("predict exit %d: %s", code, stderr)
			}
			for _, w := range []string{`metrics against "y" (442 rows)`, "RMSE", "NLL", "coverage 2σ", "coverage 95%"} {
				if !strings.Contains(stdout, w) {
					t.Errorf("predict output lacks %q:\n%s", w, stdout)
				}
			}
			rows := readPredictions(t, out)
			if len(rows) != 442 {
				t.Fatalf("%d prediction rows", len(rows))
			}
			tab, _ := readCSV(diabetesCSV)
			y := tab.cols[tab.column("y")]
			sse, sst, mean := 0.0, 0.0, 0.0
			for _, v := range y {
				mean += v / float64(len(y))
			}
			for i, r := range rows {
				if !(r[1] > 0) || r[2] >= r[0] || r[3] <= r[0] || !allFinite(r...) {
					t.Fatalf("row %d: %v", i, r)
				}
				sse += (r[0] - y[i]) * (r[0] - y[i])
				sst += (mean - y[i]) * (mean - y[i])
			}
			if r2 := 1 - sse/sst; r2 < 0.3 {
				t.Errorf("in-sample R² %.3f: the model learnt little", r2)
			}
			checkPrintedMetrics(t, stdout, rows, y)
			// Predicting again from the saved file gives identical bytes.
			out2 := filepath.Join(dir, method+"-again.csv")
			if code, _, stderr := bnnRun("predict", "-model", model, "-data", diabetesCSV, "-out", out2); code != 0 {
				t.Fatal(stderr)
			}
			a, _ := os.ReadFile(out)
			b, _ := os.ReadFile(out2)
			if !bytes.Equal(a, b) {
				t.Error("two predictions from the same model file differ")
			}
		})
	}
}

// fitQuick trains a small ensemble and returns the model path.
func fitQuick(t *testing.T, dir string) string {
	t.Helper()
	model := filepath.Join(dir, "m.bnn")
	if code, _, stderr := bnnRun("fit", "-data", diabetesCSV, "-method", "ensemble", "-members", "1", "-epochs", "2", "-hidden", "4", "-model", model); code != 0 {
		t.Fatalf("fit: %s", stderr)
	}
	return model
}

func TestPredictWithoutTargetAndReordered(t *testing.T) {
	dir := t.TempDir()
	model := fitQuick(t, dir)
	// Same features in another order and no target column: predictions
	// match, and no metrics are printed.
	tab, _ := readCSV(diabetesCSV)
	var b strings.Builder
	order := []string{"x9", "x3", "x0", "x1", "x2", "x4", "x5", "x6", "x7", "x8"}
	b.WriteString(strings.Join(order, ",") + "\n")
	for i := range tab.rows() {
		for k, n := range order {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(tab.cols[tab.column(n)][i], 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	test := filepath.Join(dir, "test.csv")
	os.WriteFile(test, []byte(b.String()), 0o644)
	p1, p2 := filepath.Join(dir, "p1.csv"), filepath.Join(dir, "p2.csv")
	if code, _, stderr := bnnRun("predict", "-model", model, "-data", diabetesCSV, "-out", p1); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := bnnRun("predict", "-model", model, "-data", test, "-out", p2)
	if code != 0 {
		t.Fatal(stderr)
	}
	if strings.Contains(stdout, "metrics") {
		t.Errorf("metrics printed without a target column: %s", stdout)
	}
	a, _ := os.ReadFile(p1)
	c, _ := os.ReadFile(p2)
	if !bytes.Equal(a, c) {
		t.Error("reordered feature columns changed the predictions")
	}
	// "-out -" writes the CSV to stdout and the metrics to stderr.
	code, stdout, stderr = bnnRun("predict", "-model", model, "-data", diabetesCSV, "-out", "-")
	if code != 0 || !strings.HasPrefix(stdout, "mean,std,lower,upper\n") || !strings.Contains(stderr, "RMSE") {
		t.Errorf("-out -: code %d, stdout %.40q, stderr %.60q", code, stdout, stderr)
	}
}

func TestFitPredictBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	model := fitQuick(t, dir)
	raw, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	// The library's version field follows its 8-byte magic, after our two header lines.
	lib := bytes.Index(raw, []byte(libraryMagic))
	if lib < 0 {
		t.Fatal("no library model inside the file")
	}
	libVer := append([]byte(nil), raw...)
	libVer[lib+8] = 99
	cliVer := bytes.Replace(raw, []byte(cliModelMagic+" 1\n"), []byte(cliModelMagic+" 7\n"), 1)
	corrupt := append([]byte(nil), raw...)
	corrupt[len(corrupt)-9] ^= 0xff
	missingFeature := write("nofeat.csv", "x0,x1,y\n1,2,3\n")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"fit missing file", []string{"fit", "-data", filepath.Join(dir, "absent.csv")}, 1, "no such file"},
		{"fit no data flag", []string{"fit"}, 2, "-data is required"},
		{"fit bad method", []string{"fit", "-data", diabetesCSV, "-method", "gp"}, 2, `-method "gp"`},
		{"fit empty header name", []string{"fit", "-data", write("h1.csv", "a,,y\n1,2,3\n")}, 1, "column 2 has an empty name"},
		{"fit duplicate header", []string{"fit", "-data", write("h2.csv", "a,a,y\n1,2,3\n")}, 1, `both named "a"`},
		{"fit missing target", []string{"fit", "-data", diabetesCSV, "-target", "z"}, 1, `no target column "z"`},
		{"fit non-numeric", []string{"fit", "-data", write("nn.csv", "a,b,y\n1,2,3\n4,five,6\n")}, 1, `line 3, column 2 ("b"): "five" is not a number`},
		{"fit bad epochs", []string{"fit", "-data", diabetesCSV, "-epochs", "0"}, 2, "-epochs"},
		{"fit dropout rate 1", []string{"fit", "-data", diabetesCSV, "-method", "dropout", "-dropout", "0.1,1"}, 2, "rate 2 is 1, want a probability in (0, 1)"},
		{"fit dropout not a number", []string{"fit", "-data", diabetesCSV, "-method", "dropout", "-dropout", "0.1,,0.2"}, 2, `rate 2 "" is not a number`},
		{"fit dropout grid without held-out rows", []string{"fit", "-data", diabetesCSV, "-method", "dropout", "-holdout", "0"}, 1, "-dropout and -dropnoise give 2 candidates: choosing one needs held-out rows"},
		{"predict missing model", []string{"predict", "-model", filepath.Join(dir, "none.bnn"), "-data", diabetesCSV}, 1, "no such file"},
		{"predict missing data", []string{"predict", "-model", model, "-data", filepath.Join(dir, "none.csv")}, 1, "no such file"},
		{"predict model version", []string{"predict", "-model", write("v.bnn", string(libVer)), "-data", diabetesCSV}, 1, "version"},
		{"predict cli version", []string{"predict", "-model", write("v2.bnn", string(cliVer)), "-data", diabetesCSV}, 1, "model file version 7"},
		{"predict corrupt", []string{"predict", "-model", write("c.bnn", string(corrupt)), "-data", diabetesCSV}, 1, "corrupt"},
		{"predict not a model", []string{"predict", "-model", diabetesCSV, "-data", diabetesCSV}, 1, "not a bnn model file"},
		{"predict truncated", []string{"predict", "-model", write("t.bnn", string(raw[:lib+20])), "-data", diabetesCSV}, 1, "corrupt"},
		{"predict missing feature", []string{"predict", "-model", model, "-data", missingFeature}, 1, `missing feature column(s) "x2"`},
		{"predict non-numeric", []string{"predict", "-model", model, "-data", write("p.csv", "x0\nnan\n")}, 1, "not a finite number"},
		{"predict bad level", []string{"predict", "-model", model, "-data", diabetesCSV, "-level", "1"}, 2, "-level"},
	}
	for _, c := range cases {
		code, _, stderr := bnnRun(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d (want %d), stderr %q (want %q)", c.name, code, c.code, stderr, c.want)
		}
	}
	// The version errors wrap the library's sentinel.
	if _, _, err := loadCLIModel(filepath.Join(dir, "v2.bnn")); !errors.Is(err, bnn.ErrModelVersion) {
		t.Errorf("cli version: %v", err)
	}
	if _, _, err := loadCLIModel(filepath.Join(dir, "v.bnn")); !errors.Is(err, bnn.ErrModelVersion) {
		t.Errorf("library version: %v", err)
	}
	if _, _, err := loadCLIModel(filepath.Join(dir, "c.bnn")); !errors.Is(err, bnn.ErrCorruptModel) {
		t.Errorf("corrupt: %v", err)
	}
}

func TestPredictBareLibraryModel(t *testing.T) {
	dir := t.TempDir()
	model := fitQuick(t, dir)
	raw, _ := os.ReadFile(model)
	bare := filepath.Join(dir, "bare.bnn")
	os.WriteFile(bare, raw[bytes.Index(raw, []byte(libraryMagic)):], 0o644)
	p1, p2 := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	for _, c := range [][2]string{{model, p1}, {bare, p2}} {
		if code, stdout, stderr := bnnRun("predict", "-model", c[0], "-data", diabetesCSV, "-out", c[1]); code != 0 || !strings.Contains(stdout, "RMSE") {
			t.Fatalf("%s: %s %s", c[0], stdout, stderr)
		}
	}
	a, _ := os.ReadFile(p1)
	b, _ := os.ReadFile(p2)
	if !bytes.Equal(a, b) {
		t.Error("a bare library model predicts differently")
	}
}

func TestNormalQuantile(t *testing.T) {
	for p, want := range map[float64]float64{0.975: 1.959963984540054, 0.5: 0, 0.8413447460685429: 1} {
		if z := normalQuantile(p); math.Abs(z-want) > 1e-9 {
			t.Errorf("quantile(%g) = %g, want %g", p, z, want)
		}
	}
}

func FuzzParseCLIModel(f *testing.F) {
	dir := f.TempDir()
	model := filepath.Join(dir, "m.bnn")
	if code, _, stderr := bnnRun("fit", "-data", diabetesCSV, "-method", "ensemble", "-members", "1", "-epochs", "1", "-hidden", "2", "-model", model); code != 0 {
		f.Fatal(stderr)
	}
	raw, err := os.ReadFile(model)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[bytes.Index(raw, []byte(libraryMagic)):])
	f.Add([]byte(cliModelMagic + " 1\n{}\n"))
	f.Add([]byte(cliModelMagic + " 1\n{\"features\":[\"a\"],\"x_mean\":[0],\"x_scale\":[0]}\nBNNMODEL"))
	f.Fuzz(func(t *testing.T, b []byte) {
		meta, m, err := parseCLIModel("fuzz.bnn", bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, bnn.ErrCorruptModel) && !errors.Is(err, bnn.ErrModelVersion) {
				t.Fatalf("error wraps neither ErrCorruptModel nor ErrModelVersion: %v", err)
			}
			return
		}
		if m == nil || (meta != nil && len(meta.Features) != m.InputDim()) {
			t.Fatal("accepted an inconsistent model")
		}
	})
}

// printedMetric returns the number printed after label on a metrics line of
// bnn predict's output ("  RMSE            51.2345").
func printedMetric(t *testing.T, stdout, label string) float64 {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), label+" ")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			break
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			t.Fatalf("metric %q: %v", label, err)
		}
		return v
	}
	t.Fatalf("predict output lacks %q:\n%s", label, stdout)
	return 0
}

// checkPrintedMetrics recomputes every metric bnn predict printed from the
// prediction file (mean, std, lower, upper) and the targets y, from the
// definitions (Gaussian NLL and closed-form CRPS as in Gneiting & Raftery
// 2007), and compares them at the printed precision.
func checkPrintedMetrics(t *testing.T, stdout string, rows [][]float64, y []float64) {
	t.Helper()
	n := float64(len(y))
	var sse, sumStd, nll, crps, in2, inLevel float64
	for i, r := range rows {
		mu, sd := r[0], r[1]
		e := y[i] - mu
		sse += e * e
		sumStd += sd
		nll += 0.5*math.Log(2*math.Pi*sd*sd) + e*e/(2*sd*sd)
		z := e / sd
		crps += sd * (z*math.Erf(z/math.Sqrt2) + 2*math.Exp(-z*z/2)/math.Sqrt(2*math.Pi) - 1/math.Sqrt(math.Pi))
		if math.Abs(e) <= 2*sd {
			in2++
		}
		if r[2] <= y[i] && y[i] <= r[3] {
			inLevel++
		}
	}
	for _, c := range []struct {
		label     string
		want, tol float64
	}{
		{"RMSE", math.Sqrt(sse / n), 1e-5},
		{"mean std", sumStd / n, 1e-5},
		{"NLL", nll / n, 1e-5},
		{"CRPS", crps / n, 1e-5},
		{"coverage 2σ", in2 / n, 0},
		{"coverage 95%", inLevel / n, 0},
	} {
		got := printedMetric(t, stdout, c.label)
		tol := c.tol * math.Abs(c.want)
		if c.tol == 0 { // printed with 4 decimals; allow one boundary row as well
			tol = 5e-5 + 1/n
		}
		if math.Abs(got-c.want) > tol {
			t.Errorf("printed %s %g, recomputed from the predictions %g", c.label, got, c.want)
		}
	}
}
