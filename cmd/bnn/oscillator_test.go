package main

import (
	"bytes"
	"encoding/json"
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gobnn/bnn"
)

func TestOscillatorFlags(t *testing.T) {
	cfg, err := parseOscillatorFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Epochs != 3500 || cfg.Samples != 300 || cfg.Hidden != 64 || cfg.Grid != 60 || cfg.Out != "bnn-out" || cfg.Quick {
		t.Errorf("defaults: %+v", cfg)
	}
	if !slices.Equal(cfg.Methods, allSections) {
		t.Errorf("default methods %v", cfg.Methods)
	}
	cfg, err = parseOscillatorFlags([]string{"-quick", "-epochs", "50", "-methods", "vi, data,VI", "-seed", "7"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Quick || cfg.Epochs != 50 || cfg.Grid != quickConfig.Grid || cfg.Seed != 7 {
		t.Errorf("-quick with overrides: %+v", cfg)
	}
	if !slices.Equal(cfg.Methods, []string{"data", "vi"}) {
		t.Errorf("methods %v, want [data vi] in run order", cfg.Methods)
	}
	for _, bad := range [][]string{
		{"-methods", "data,mcmc"}, {"-methods", ","}, {"-grid", "2"}, {"-epochs", "0"},
		{"-samples", "1"}, {"-refine", "-1"}, {"-nosuchflag"}, {"stray"},
	} {
		var stderr bytes.Buffer
		if code := run(append([]string{"oscillator"}, bad...), io.Discard, &stderr); code != 2 {
			t.Errorf("%v: exit code %d, want 2 (stderr %q)", bad, code, stderr.String())
		}
	}
}

func TestRunUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage") {
		t.Errorf("no command: code %d, %q", code, errb.String())
	}
	if code := run([]string{"frobnicate"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: code %d", code)
	}
	if code := run([]string{"oscillator", "-h"}, &out, &errb); code != 0 {
		t.Errorf("-h: code %d", code)
	}
}

func TestProgressQuietWhenNotTerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, false)
	p.begin("bnn", 100)
	p.update(50, 1.5)
	p.end()
	if b.Len() != 0 {
		t.Errorf("non-terminal progress wrote %q", b.String())
	}
	if isTerminal(&b) {
		t.Error("a buffer is not a terminal")
	}
	p = newProgress(&b, true)
	now := time.Unix(0, 0)
	p.now = func() time.Time { return now }
	p.begin("bnn", 100)
	now = now.Add(2 * time.Second)
	p.update(25, 812.25)
	if s := b.String(); !strings.Contains(s, "epoch 25/100") || !strings.Contains(s, "ETA 6s") || !strings.Contains(s, "812.2") {
		t.Errorf("live line %q", s)
	}
}

// runQuick runs "bnn oscillator -quick" into a temporary directory and
// returns the directory, stdout and the decoded results.json.
func runQuick(t *testing.T, extra ...string) (string, string, map[string]any) {
	t.Helper()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := append([]string{"oscillator", "-quick", "-out", dir}, extra...)
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet got %q", stderr.String())
	}
	raw, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	return dir, stdout.String(), res
}

// tinyFlags shrink a -quick run further for -short (CI under emulation).
var tinyFlags = []string{"-epochs", "30", "-samples", "10", "-grid", "12", "-refine", "0", "-members", "2", "-hidden", "8"}

func TestOscillatorQuickEndToEnd(t *testing.T) {
	var extra []string
	if testing.Short() {
		extra = tinyFlags
	}
	dir, stdout, res := runQuick(t, extra...)
	settings := res["settings"].(map[string]any)
	if settings["quick"] != true || settings["out"] != dir {
		t.Errorf("settings %v", settings)
	}
	sections := res["sections"].(map[string]any)
	for _, s := range allSections {
		st, ok := sections[s].(map[string]any)
		if !ok {
			t.Errorf("sections.%s missing", s)
			continue
		}
		if sec, ok := st["seconds"].(float64); !ok || sec < 0 {
			t.Errorf("sections.%s.seconds = %v", s, st["seconds"])
		}
		if !strings.Contains(stdout, s) {
			t.Errorf("stdout does not mention section %s", s)
		}
	}
	figs := res["figures"].([]any)
	if len(figs) < 3 {
		t.Errorf("only %d figures", len(figs))
	}
	entries, _ := os.ReadDir(dir)
	nsvg := 0
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".svg" {
			continue
		}
		nsvg++
		if !slices.Contains(figs, any(e.Name())) {
			t.Errorf("%s not listed in results.json", e.Name())
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := svgplot.Validate(b); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	if nsvg != len(figs) {
		t.Errorf("%d SVG files, %d listed", nsvg, len(figs))
	}
	for _, k := range []string{"data", "grid", "evidence", "vi", "methods"} {
		if _, ok := res[k].(map[string]any); !ok {
			t.Errorf("results.%s missing", k)
		}
	}
	methods, _ := res["methods"].(map[string]any)
	for _, m := range tableOrder {
		mr, ok := methods[m].(map[string]any)
		if !ok {
			t.Errorf("methods.%s missing", m)
			continue
		}
		for _, w := range []string{"interp", "extrap"} {
			win, _ := mr[w].(map[string]any)
			for _, f := range []string{"rmse", "mean_std", "coverage_2sigma", "nll"} {
				v, present := win[f]
				if _, ok := v.(float64); !present || (!ok && (f != "nll" || v != nil)) {
					t.Errorf("methods.%s.%s.%s = %v (present %v)", m, w, f, v, present)
				}
			}
		}
		if !strings.Contains(stdout, m) {
			t.Errorf("comparison table lacks %s", m)
		}
	}
}

// jsonNum reads a number at a path of keys in decoded JSON.
func jsonNum(t *testing.T, v any, path ...any) float64 {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%v is not a number: %v", path, v)
	}
	return f
}

// TestOscillatorDefaultRun checks the numbers of the default run against
// the library's own tests: the grid posterior mean, the best evidence
// degree, the VI mode and the BNN's interpolation coverage.
func TestOscillatorDefaultRun(t *testing.T) {
	if testing.Short() {
		t.Skip("the default run trains every network for 3,500 epochs")
	}
	dir := t.TempDir()
	if code, _, stderr := bnnRun("oscillator", "-out", dir); code != 0 {
		t.Fatal(stderr)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if z, w := jsonNum(t, res, "grid", "mean", 0), jsonNum(t, res, "grid", "mean", 1); math.Abs(z-0.083) > 0.003 || math.Abs(w-1.106) > 0.003 {
		t.Errorf("grid posterior mean (%g, %g), want ≈ (0.083, 1.106)", z, w)
	}
	if z, w := jsonNum(t, res, "grid", "seed_grid", "mean", 0), jsonNum(t, res, "grid", "seed_grid", "mean", 1); math.Abs(z-0.0830)/0.0830 > 0.02 || math.Abs(w-1.1055)/1.1055 > 0.02 {
		t.Errorf("seed-grid posterior mean (%g, %g), want PyTorch's (0.0830, 1.1055) to 2%%", z, w)
	}
	if d := jsonNum(t, res, "evidence", "best_degree"); d != 4 {
		t.Errorf("best evidence degree %g, want 4", d)
	}
	if mu, s := jsonNum(t, res, "vi", "mu"), jsonNum(t, res, "vi", "sigma"); math.Abs(math.Abs(mu)-2) > 0.05 || math.Abs(s-0.125) > 0.01 {
		t.Errorf("VI q = N(%g, %g²), want a mode at ±2 with σ ≈ 0.125", mu, s)
	}
	if c := jsonNum(t, res, "methods", "bnn", "interp", "coverage_2sigma"); c < 0.95 {
		t.Errorf("BNN interpolation 2σ coverage %g < 0.95", c)
	}
	if z, w := jsonNum(t, res, "nuts", "mean", 0), jsonNum(t, res, "nuts", "mean", 1); math.Abs(z-0.0833) > 0.0005 || math.Abs(w-1.1068) > 0.0005 {
		t.Errorf("NUTS posterior mean (%g, %g), want ≈ the grid's (0.0833, 1.1068)", z, w)
	}
	if rh := jsonNum(t, res, "nuts", "rhat", 0); rh > 1.01 {
		t.Errorf("NUTS R̂ %g", rh)
	}
	if n := len(res["figures"].([]any)); n != 18 {
		t.Errorf("%d figures, want 18", n)
	}
}

func TestOscillatorDeterministic(t *testing.T) {
	args := append([]string{"-seed", "3"}, tinyFlags...)
	a, _, ra := runQuick(t, args...)
	b, _, _ := runQuick(t, args...)
	figs := ra["figures"].([]any)
	if len(figs) != 18 {
		t.Fatalf("%d figures", len(figs))
	}
	for _, f := range figs {
		name := f.(string)
		x, err1 := os.ReadFile(filepath.Join(a, name))
		y, err2 := os.ReadFile(filepath.Join(b, name))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
}

func TestTableAndJSONNumbers(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		want string
	}{{0.01234, 4, "0.0123"}, {math.Inf(1), 3, "∞"}, {math.NaN(), 3, "–"}, {21052.3, 3, "21052"}, {-3.7, 3, "-3.700"}} {
		if got := cell(c.v, c.dec); got != c.want {
			t.Errorf("cell(%g) = %q, want %q", c.v, got, c.want)
		}
	}
	b, err := json.Marshal([]jfloat{1.5, jfloat(math.Inf(1)), jfloat(math.NaN()), 0})
	if err != nil || string(b) != "[1.5,null,null,0]" {
		t.Errorf("jfloat JSON %s, %v", b, err)
	}
	var buf bytes.Buffer
	writeTable(&buf, map[string]*methodResult{
		"bnn":            {TrainSeconds: 0.5, Interp: windowMetrics{RMSE: 0.05, Coverage: 1}},
		"grid_posterior": {TrainSeconds: 0.1},
	})
	out := buf.String()
	if gi, bi := strings.Index(out, "grid_posterior"), strings.Index(out, "bnn "); gi < 0 || bi < 0 || gi > bi {
		t.Errorf("table rows missing or out of order:\n%s", out)
	}
	if strings.Contains(out, "ensemble") {
		t.Error("table has a row for a method that did not run")
	}
}

func TestTruthMatchesODE(t *testing.T) {
	d := newOscData()
	// Against an RK45 solve at tight tolerances.
	od := bnn.NotebookOscillatorData(d.xTrain)
	got := make([]float64, len(d.tEval))
	if err := od.NewTrajectory()(got, []float64{trueZeta, trueOmega}, d.tEval); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(got[i]-d.xEval[i]) > 1e-6 {
			t.Fatalf("t = %g: ODE %g, closed form %g", d.tEval[i], got[i], d.xEval[i])
		}
	}
	if d.interp[0] != true || d.interp[len(d.interp)-1] != false || d.xEval[0] != 1 {
		t.Error("evaluation grid set up wrongly")
	}
}
