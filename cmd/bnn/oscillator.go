package main

import (
	"flag"
	"fmt"
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// oscConfig holds the settings of a "bnn oscillator" run; it is echoed as
// results.json's "settings".
type oscConfig struct {
	Out     string   `json:"out"`
	Seed    uint64   `json:"seed"`
	Epochs  int      `json:"epochs"`
	Samples int      `json:"samples"`
	Hidden  int      `json:"hidden"`
	Grid    int      `json:"grid"`
	Members int      `json:"members"`
	Refine  float64  `json:"refine_cells_per_std"`
	Methods []string `json:"methods"`
	Quick   bool     `json:"quick"`
	HMCLong bool     `json:"hmc_long"`
}

// allSections lists the sections in the order they run.
var allSections = []string{"data", "dists", "grid", "nuts", "blr", "vi", "bnn", "ensemble", "dropout", "hmc"}

// Defaults of a full run, and of -quick (used for any flag not given).
var (
	defaultConfig = oscConfig{Out: "bnn-out", Epochs: 3500, Samples: 300, Hidden: 64, Grid: 60, Members: 5, Refine: 5}
	quickConfig   = oscConfig{Out: "bnn-out", Epochs: 800, Samples: 100, Hidden: 32, Grid: 30, Members: 3, Refine: 3}
)

// parseOscillatorFlags reads the flags of "bnn oscillator".
func parseOscillatorFlags(args []string, stderr io.Writer) (oscConfig, error) {
	fs := flag.NewFlagSet("bnn oscillator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	d := defaultConfig
	out := fs.String("out", d.Out, "output directory for the figures, results.json and index.html")
	seed := fs.Uint64("seed", d.Seed, "random seed of every stochastic step")
	epochs := fs.Int("epochs", d.Epochs, "training epochs of the BNN, ensemble members and dropout net (-quick: 800)")
	samples := fs.Int("samples", d.Samples, "predictive Monte-Carlo samples (-quick: 100)")
	hidden := fs.Int("hidden", d.Hidden, "hidden width of the two-layer networks (-quick: 32)")
	grid := fs.Int("grid", d.Grid, "cells per axis of the (ζ, ωₙ) posterior grid (-quick: 30)")
	members := fs.Int("members", d.Members, "deep-ensemble members (-quick: 3)")
	refine := fs.Float64("refine", d.Refine, "zoom the grid until each posterior std spans this many cells; 0 keeps the -grid grid (-quick: 3)")
	methods := fs.String("methods", strings.Join(allSections, ","), "comma list of sections to run: "+strings.Join(allSections, ","))
	quick := fs.Bool("quick", false, "a run of a few seconds: fewer epochs, samples and grid cells")
	hmcLong := fs.Bool("hmc-long", false, "hmc: Stan's protocol, 4 chains × (1,000 + 1,000) at tree depth ≤ 10 (minutes), instead of 4 × (150 + 100) at depth ≤ 5")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bnn oscillator [flags]\n\nRuns the seed notebook's sections on the noisy damped oscillator and writes\nSVG figures, results.json and index.html (the page to read) into -out, a\ncomparison table to stdout.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return oscConfig{}, err
	}
	cfg := d
	if *quick {
		cfg = quickConfig
	}
	cfg.Quick = *quick
	cfg.HMCLong = *hmcLong
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	pick := func(name string, dst *int, v int) {
		if set[name] {
			*dst = v
		}
	}
	pick("epochs", &cfg.Epochs, *epochs)
	pick("samples", &cfg.Samples, *samples)
	pick("hidden", &cfg.Hidden, *hidden)
	pick("grid", &cfg.Grid, *grid)
	pick("members", &cfg.Members, *members)
	if set["refine"] {
		cfg.Refine = *refine
	}
	if !(cfg.Refine >= 0 && cfg.Refine <= 50) {
		return oscConfig{}, usageErrorf("-refine must be in [0, 50], got %g", cfg.Refine)
	}
	cfg.Out, cfg.Seed = *out, *seed
	for name, v := range map[string]int{"epochs": cfg.Epochs, "samples": cfg.Samples, "hidden": cfg.Hidden, "members": cfg.Members} {
		if v < 1 {
			return oscConfig{}, usageErrorf("-%s must be at least 1, got %d", name, v)
		}
	}
	if cfg.Samples < 2 {
		return oscConfig{}, usageErrorf("-samples must be at least 2, got %d", cfg.Samples)
	}
	if cfg.Grid < 3 {
		return oscConfig{}, usageErrorf("-grid must be at least 3, got %d", cfg.Grid)
	}
	sel, err := parseMethods(*methods)
	if err != nil {
		return oscConfig{}, err
	}
	cfg.Methods = sel
	return cfg, nil
}

// parseMethods turns a comma list into known section names, in run order.
func parseMethods(list string) ([]string, error) {
	want := map[string]bool{}
	for _, m := range strings.Split(list, ",") {
		m = strings.ToLower(strings.TrimSpace(m))
		if m == "" {
			continue
		}
		if m == "all" {
			for _, s := range allSections {
				want[s] = true
			}
			continue
		}
		if !slices.Contains(allSections, m) {
			return nil, usageErrorf("-methods: unknown section %q (known: %s)", m, strings.Join(allSections, ","))
		}
		want[m] = true
	}
	var sel []string
	for _, s := range allSections {
		if want[s] {
			sel = append(sel, s)
		}
	}
	if len(sel) == 0 {
		return nil, usageErrorf("-methods: no section selected (known: %s)", strings.Join(allSections, ","))
	}
	return sel, nil
}

// oscRun is the state shared by the sections of one run.
type oscRun struct {
	cfg        oscConfig
	stdout     io.Writer
	prog       *progress
	res        *results
	data       *oscData
	surrogates []*surrogate // methods reported so far, in run order
}

// sectionFuncs maps each section to the code that runs it.
var sectionFuncs = map[string]func(*oscRun) error{
	"data":     sectionData,
	"dists":    sectionDists,
	"grid":     sectionGrid,
	"nuts":     sectionNUTS,
	"blr":      sectionBLR,
	"vi":       sectionVI,
	"bnn":      sectionBNN,
	"ensemble": sectionEnsemble,
	"dropout":  sectionDropout,
	"hmc":      sectionHMC,
}

// runOscillator implements "bnn oscillator".
func runOscillator(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseOscillatorFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return fmt.Errorf("bnn: create output directory: %w", err)
	}
	r := &oscRun{
		cfg:    cfg,
		stdout: stdout,
		prog:   newProgress(stderr, isTerminal(stderr)),
		res:    &results{Settings: cfg, Sections: map[string]*sectionStats{}, Figures: []string{}},
		data:   newOscData(),
	}
	fmt.Fprintf(stdout, "bnn oscillator: seed %d, %d epochs, %d samples, hidden %d, grid %d×%d → %s\n",
		cfg.Seed, cfg.Epochs, cfg.Samples, cfg.Hidden, cfg.Grid, cfg.Grid, cfg.Out)
	total := time.Now()
	var groups []pageFigureGroup // the figures of each section, for index.html
	for _, name := range cfg.Methods {
		n0 := len(r.res.Figures)
		start := time.Now()
		err := sectionFuncs[name](r)
		r.prog.end()
		if err != nil {
			return fmt.Errorf("bnn oscillator: section %s: %w", name, err)
		}
		st := &sectionStats{Seconds: jfloat(time.Since(start).Seconds())}
		fmt.Fprintf(stdout, "  %-9s %6.3f s\n", name, float64(st.Seconds))
		r.res.Sections[name] = st
		groups = append(groups, pageFigureGroup{Section: name, Figures: r.res.Figures[n0:]})
	}
	nSections := len(r.res.Figures)
	if err := r.saveComparison(); err != nil {
		return err
	}
	if err := r.oracleLadder(); err != nil {
		return err
	}
	if err := writeResults(cfg.Out, r.res); err != nil {
		return err
	}
	page, err := writeOscillatorPage(cfg.Out, r.res, append(groups, closingGroups(r.res.Figures[nSections:], len(r.res.Methods) > 0)...))
	if err != nil {
		return err
	}
	if len(r.res.Methods) > 0 {
		fmt.Fprintln(stdout)
		writeTable(stdout, r.res.Methods)
	}
	if r.res.Oracle != nil {
		fmt.Fprintln(stdout)
		writeOracleTable(stdout, r.res.Oracle)
	}
	fmt.Fprintf(stdout, "\n%d figures and results.json in %s (%.2f s)\n", len(r.res.Figures), cfg.Out, time.Since(total).Seconds())
	fmt.Fprintf(stdout, "page: %s\n", page)
	return nil
}

// save writes a figure into the output directory and records its name.
func (r *oscRun) save(name string, f *svgplot.Figure) error {
	if err := f.Save(filepath.Join(r.cfg.Out, name)); err != nil {
		return err
	}
	r.res.Figures = append(r.res.Figures, name)
	return nil
}
