package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gobnn/bnn"
)

// cvLevels are the central-interval levels "bnn cv" reports coverage and
// width at; cvCurveLevels those of the calibration curve.
var (
	cvLevels      = []float64{0.5, 0.8, 0.9, 0.95}
	cvCurveLevels = []float64{0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95}
)

// cvConfig holds the flags of "bnn cv".
type cvConfig struct {
	data, target, methods, out string
	splits, folds              int
	test                       float64
	train                      methodConfig
}

// cvStat is a mean over splits and its standard error (sd/√splits).
type cvStat struct {
	Mean float64 `json:"mean"`
	SE   float64 `json:"se"`
}

// cvSplit is one method's scores on one test split.
type cvSplit struct {
	RMSE           float64   `json:"rmse"`
	LogLik         float64   `json:"log_likelihood"`
	CRPS           float64   `json:"crps"`
	Coverage       []float64 `json:"coverage"`
	Coverage2Sigma float64   `json:"coverage_2sigma"`
	Width          []float64 `json:"width"`
	Curve          []float64 `json:"curve"`
	FitSeconds     float64   `json:"fit_seconds"`
	PredictSeconds float64   `json:"predict_seconds"`
	Dropout        []string  `json:"dropout,omitempty"`
}

// cvMethod is one method's summary over the splits.
type cvMethod struct {
	Method         string    `json:"method"`
	RMSE           cvStat    `json:"rmse"`
	LogLik         cvStat    `json:"log_likelihood"`
	CRPS           cvStat    `json:"crps"`
	Coverage       []float64 `json:"coverage"`
	Coverage2Sigma float64   `json:"coverage_2sigma"`
	Width          []float64 `json:"width"`
	CurveObserved  []float64 `json:"curve_observed"`
	FitSeconds     float64   `json:"fit_seconds"`
	PredictSeconds float64   `json:"predict_seconds"`
	// DropoutCounts counts the splits' MC-dropout candidates by their text.
	DropoutCounts map[string]int `json:"dropout_counts,omitempty"`
	Splits        []cvSplit      `json:"splits"`
}

// cvReport is the document cv.json holds. Schema (all numbers in target
// units unless named otherwise):
//
//	data, target        the CSV file and its target column
//	rows, features      the data's shape
//	protocol            "random-splits" (splits × test_fraction) or "k-fold" (folds)
//	splits              the number of train/test evaluations
//	test_fraction       the share of rows each random split tests on (0 for k-fold)
//	seed                the seed of the splits and of every fit
//	levels              central-interval levels of coverage and width
//	curve_levels        levels of the calibration curve (calibration.svg)
//	methods[]           one entry per method:
//	  method                          blr | ensemble | dropout | bbb
//	  rmse, log_likelihood, crps      {mean, se}: mean over splits and its standard error;
//	                                  log_likelihood is the mean test log predictive density (nats per row)
//	  coverage[], width[]             mean empirical coverage and mean width of the central
//	                                  interval at each of levels
//	  coverage_2sigma                 mean coverage of the central interval at 95.45 % (mean ± 2σ
//	                                  for a Gaussian model)
//	  curve_observed[]                mean coverage at each of curve_levels
//	  fit_seconds, predict_seconds    mean wall time per split
//	  dropout_counts                  (dropout only) how many fits used each dropout
//	                                  rate and noise model, keyed by their text
//	                                  ("p = 0.05, constant noise": 12,
//	                                  "p = 0.05, variance head": 8)
//	  splits[]                        the same scores for every split, and (dropout only)
//	                                  dropout[]: the rate and noise model of the split's
//	                                  fit, chosen from -dropout and -dropnoise on the
//	                                  held-out log-likelihood when they give several (one
//	                                  per fold under -calibrate cv+, sorted)
type cvReport struct {
	Data         string     `json:"data"`
	Target       string     `json:"target"`
	Rows         int        `json:"rows"`
	Features     int        `json:"features"`
	Protocol     string     `json:"protocol"`
	Splits       int        `json:"splits"`
	TestFraction float64    `json:"test_fraction"`
	Seed         uint64     `json:"seed"`
	Levels       []float64  `json:"levels"`
	CurveLevels  []float64  `json:"curve_levels"`
	Methods      []cvMethod `json:"methods"`
}

// runCV implements "bnn cv".
func runCV(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bnn cv", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c cvConfig
	fs.StringVar(&c.data, "data", "", "CSV file with a header row (required)")
	fs.StringVar(&c.target, "target", "y", "name of the target column; every other column is a feature")
	fs.StringVar(&c.methods, "methods", strings.Join([]string{"blr", "ensemble", "dropout", "bbb"}, ","), "comma-separated methods to compare")
	fs.IntVar(&c.splits, "splits", 20, "number of random train/test splits")
	fs.Float64Var(&c.test, "test", 0.1, "fraction of the rows each random split tests on")
	fs.IntVar(&c.folds, "folds", 0, "k-fold cross-validation with k folds instead of random splits (0: random splits)")
	fs.StringVar(&c.out, "out", ".", "directory for cv.json, calibration.svg and cv.html")
	c.train.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bnn cv -data d.csv -target y [-methods blr,ensemble,dropout,bbb] [-splits 20] [-test 0.1] [-folds k] [-seed 0] [-out dir]\n\nCross-validates the methods with the same defaults as bnn fit and prints, per\nmethod, RMSE, test log-likelihood and CRPS (± standard error over the splits),\ncoverage of the central 50/80/90/95 % intervals, the 95 % width and the\ntimes; writes cv.json, calibration.svg and cv.html (the table and the figure\nas one page).\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.data == "" {
		return usageErrorf("-data is required")
	}
	methods := strings.Split(c.methods, ",")
	for _, m := range methods {
		if err := checkMethod(m); err != nil {
			return err
		}
	}
	if err := c.train.check(); err != nil {
		return err
	}
	if c.folds == 1 || c.folds < 0 {
		return usageErrorf("-folds must be 0 or at least 2, got %d", c.folds)
	}
	if c.folds == 0 && (c.splits < 1 || !(c.test > 0 && c.test < 1)) {
		return usageErrorf("-splits must be at least 1 and -test in (0, 1), got %d and %g", c.splits, c.test)
	}
	t, err := readCSV(c.data)
	if err != nil {
		return err
	}
	x, features, y, err := t.split(c.target)
	if err != nil {
		return err
	}
	start := time.Now()
	rep, err := crossValidate(context.Background(), &c, methods, x, len(features), y)
	if err != nil {
		return fmt.Errorf("bnn cv: %w", err)
	}
	rep.Data, rep.Target = c.data, c.target
	writeCVTable(stdout, rep)
	fmt.Fprintf(stdout, "%d %s × %d methods on %d rows × %d features in %.1f s\n",
		rep.Splits, map[bool]string{true: "folds", false: "splits"}[c.folds > 0], len(methods), len(y), len(features), time.Since(start).Seconds())
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return fmt.Errorf("bnn cv: %w", err)
	}
	js, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(filepath.Join(c.out, "cv.json"), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("bnn cv: %w", err)
	}
	figPath := filepath.Join(c.out, "calibration.svg")
	if err := saveCalibrationFigure(figPath, rep); err != nil {
		return fmt.Errorf("bnn cv: %w", err)
	}
	fig, err := os.ReadFile(figPath)
	if err != nil {
		return fmt.Errorf("bnn cv: %w", err)
	}
	page, err := writeCVReportPage(c.out, rep, fig)
	if err != nil {
		return fmt.Errorf("bnn cv: %w", err)
	}
	fmt.Fprintf(stdout, "page: %s\n", page)
	return nil
}

// cvSplits returns the test rows of every split of n rows.
func cvSplits(c *cvConfig, n int) ([][]int, error) {
	if c.folds > 0 {
		if n < c.folds {
			return nil, fmt.Errorf("%d rows cannot make %d folds", n, c.folds)
		}
		perm := rand.New(rand.NewPCG(c.train.seed, 0x63762d666f6c64)).Perm(n)
		out := make([][]int, c.folds)
		for k := range out {
			out[k] = perm[k*n/c.folds : (k+1)*n/c.folds]
		}
		return out, nil
	}
	nt := int(math.Round(c.test * float64(n)))
	if nt < 1 || n-nt < 2 {
		return nil, fmt.Errorf("%d rows at -test %g leave %d test and %d training rows; need at least 1 and 2", n, c.test, nt, n-nt)
	}
	out := make([][]int, c.splits)
	for s := range out {
		out[s] = rand.New(rand.NewPCG(c.train.seed, uint64(s))).Perm(n)[:nt]
	}
	return out, nil
}

// crossValidate scores every method on every split. Splits run in
// parallel (GOMAXPROCS at a time); each fit's seed is the run's seed, so the
// results do not depend on scheduling.
func crossValidate(ctx context.Context, c *cvConfig, methods []string, x []float64, dim int, y []float64) (*cvReport, error) {
	n := len(y)
	if err := checkTarget(y); err != nil {
		return nil, err
	}
	tests, err := cvSplits(c, n)
	if err != nil {
		return nil, err
	}
	rep := &cvReport{Rows: n, Features: dim, Protocol: "random-splits", Splits: len(tests), TestFraction: c.test,
		Seed: c.train.seed, Levels: cvLevels, CurveLevels: cvCurveLevels}
	if c.folds > 0 {
		rep.Protocol, rep.TestFraction = "k-fold", 0
	}
	results := make([][]cvSplit, len(methods))
	for k := range results {
		results[k] = make([]cvSplit, len(tests))
	}
	type job struct{ m, s int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				r, err := cvOne(ctx, methods[j.m], &c.train, x, dim, y, tests[j.s])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s, split %d: %w", methods[j.m], j.s+1, err)
					}
					mu.Unlock()
					continue
				}
				results[j.m][j.s] = r
			}
		})
	}
	for s := range tests {
		for m := range methods {
			jobs <- job{m, s}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for k, m := range methods {
		rep.Methods = append(rep.Methods, summariseCV(m, results[k]))
	}
	return rep, nil
}

// cvOne fits method on every row but test and scores it on test.
func cvOne(ctx context.Context, method string, tc *methodConfig, x []float64, dim int, y []float64, test []int) (cvSplit, error) {
	isTest := make([]bool, len(y))
	for _, i := range test {
		isTest[i] = true
	}
	var train []int
	for i := range y {
		if !isTest[i] {
			train = append(train, i)
		}
	}
	xtr, ytr := gather(x, y, dim, train)
	xte, yte := gather(x, y, dim, test)
	c := *tc
	c.progress = nil
	var r cvSplit
	var choices dropoutChoices
	c.onDropout = choices.record
	start := time.Now()
	m, err := trainCalibrated(ctx, method, &c, &c.cal, xtr, dim, ytr)
	if err != nil {
		return cvSplit{}, err
	}
	r.Dropout = choices.sorted()
	r.FitSeconds = time.Since(start).Seconds()
	start = time.Now()
	nt := len(yte)
	mean, std := make([]float64, nt), make([]float64, nt)
	if err := m.PredictTo(mean, std, xte); err != nil {
		return cvSplit{}, err
	}
	iv := newIntervals(m, mean, std)
	lo, hi := make([]float64, nt), make([]float64, nt)
	intervalAt := func(level float64) error { return iv.at(lo, hi, xte, level) }
	for _, level := range cvLevels {
		if err := intervalAt(level); err != nil {
			return cvSplit{}, err
		}
		cov, width := intervalScores(lo, hi, yte)
		r.Coverage, r.Width = append(r.Coverage, cov), append(r.Width, width)
	}
	for _, level := range cvCurveLevels {
		if err := intervalAt(level); err != nil {
			return cvSplit{}, err
		}
		cov, _ := intervalScores(lo, hi, yte)
		r.Curve = append(r.Curve, cov)
	}
	r.PredictSeconds = time.Since(start).Seconds()
	// ±2σ: the central interval at the normal's 2σ mass (mean ± 2·std for
	// a Gaussian model, the calibrated interval for a wrapper).
	if err := intervalAt(math.Erf(2 / math.Sqrt2)); err != nil {
		return cvSplit{}, err
	}
	r.Coverage2Sigma, _ = intervalScores(lo, hi, yte)
	ev, err := bnn.Evaluate(mean, std, yte)
	if err != nil {
		return cvSplit{}, err
	}
	r.RMSE, r.LogLik, r.CRPS = ev.RMSE, -ev.NLL, ev.CRPS
	return r, nil
}

// gather copies rows idx of x (dim columns) and y.
func gather(x, y []float64, dim int, idx []int) (xs, ys []float64) {
	xs, ys = make([]float64, 0, len(idx)*dim), make([]float64, 0, len(idx))
	for _, i := range idx {
		xs = append(xs, x[i*dim:(i+1)*dim]...)
		ys = append(ys, y[i])
	}
	return xs, ys
}

// intervalScores returns the share of y inside [lo, hi] and the mean width.
func intervalScores(lo, hi, y []float64) (coverage, width float64) {
	for i, v := range y {
		if v >= lo[i] && v <= hi[i] {
			coverage++
		}
		width += hi[i] - lo[i]
	}
	return coverage / float64(len(y)), width / float64(len(y))
}

// summariseCV averages one method's splits.
func summariseCV(method string, rs []cvSplit) cvMethod {
	stat := func(f func(r *cvSplit) float64) cvStat {
		var s, ss float64
		for i := range rs {
			s += f(&rs[i])
		}
		m := s / float64(len(rs))
		for i := range rs {
			d := f(&rs[i]) - m
			ss += d * d
		}
		se := 0.0
		if len(rs) > 1 {
			se = math.Sqrt(ss / float64(len(rs)-1) / float64(len(rs)))
		}
		return cvStat{m, se}
	}
	avg := func(f func(r *cvSplit) float64) float64 { return stat(f).Mean }
	out := cvMethod{Method: method, Splits: rs,
		RMSE:           stat(func(r *cvSplit) float64 { return r.RMSE }),
		LogLik:         stat(func(r *cvSplit) float64 { return r.LogLik }),
		CRPS:           stat(func(r *cvSplit) float64 { return r.CRPS }),
		Coverage2Sigma: avg(func(r *cvSplit) float64 { return r.Coverage2Sigma }),
		FitSeconds:     avg(func(r *cvSplit) float64 { return r.FitSeconds }),
		PredictSeconds: avg(func(r *cvSplit) float64 { return r.PredictSeconds }),
	}
	for k := range cvLevels {
		out.Coverage = append(out.Coverage, avg(func(r *cvSplit) float64 { return r.Coverage[k] }))
		out.Width = append(out.Width, avg(func(r *cvSplit) float64 { return r.Width[k] }))
	}
	for i := range rs {
		for _, d := range rs[i].Dropout {
			if out.DropoutCounts == nil {
				out.DropoutCounts = map[string]int{}
			}
			out.DropoutCounts[d]++
		}
	}
	for k := range cvCurveLevels {
		out.CurveObserved = append(out.CurveObserved, avg(func(r *cvSplit) float64 { return r.Curve[k] }))
	}
	return out
}

// writeCVTable prints one row per method.
func writeCVTable(w io.Writer, rep *cvReport) {
	fmt.Fprintf(w, "%-9s %-18s %-18s %-18s %6s %6s %6s %6s %6s %10s %7s %7s\n",
		"method", "RMSE", "test LL (nats)", "CRPS", "cov50", "cov80", "cov90", "cov95", "cov2σ", "width95", "fit s", "pred s")
	pm := func(s cvStat) string { return fmt.Sprintf("%.4g ± %.2g", s.Mean, s.SE) }
	for _, m := range rep.Methods {
		fmt.Fprintf(w, "%-9s %-18s %-18s %-18s %6.3f %6.3f %6.3f %6.3f %6.3f %10.4g %7.3f %7.3f\n",
			m.Method, pm(m.RMSE), pm(m.LogLik), pm(m.CRPS), m.Coverage[0], m.Coverage[1], m.Coverage[2], m.Coverage[3],
			m.Coverage2Sigma, m.Width[3], m.FitSeconds, m.PredictSeconds)
	}
	for _, m := range rep.Methods {
		if len(m.DropoutCounts) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s: rate and noise of the fits: %s\n", m.Method, dropoutCountsText(m.DropoutCounts))
	}
}
