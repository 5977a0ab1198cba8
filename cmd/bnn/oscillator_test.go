package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
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
		{"-samples", "1"}, {"-nosuchflag"}, {"stray"},
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

func TestOscillatorQuickEndToEnd(t *testing.T) {
	dir, stdout, res := runQuick(t)
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
		if _, ok := st["seconds"].(float64); !ok {
			t.Errorf("sections.%s.seconds missing", s)
		}
		if st["status"] != "ok" && st["status"] != "not available" {
			t.Errorf("sections.%s.status = %v", s, st["status"])
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
		t.Run(e.Name(), func(t *testing.T) { checkPlot(t, b) })
	}
	if nsvg != len(figs) {
		t.Errorf("%d SVG files, %d listed", nsvg, len(figs))
	}
	if _, ok := res["data"].(map[string]any); !ok {
		t.Error("results.data missing")
	}
}

func TestOscillatorDeterministic(t *testing.T) {
	a, _, _ := runQuick(t, "-methods", "data,dists")
	b, _, _ := runQuick(t, "-methods", "data,dists")
	for _, name := range []string{"data.svg", "distributions_normal.svg", "distributions_positive.svg"} {
		x, err1 := os.ReadFile(filepath.Join(a, name))
		y, err2 := os.ReadFile(filepath.Join(b, name))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
}
