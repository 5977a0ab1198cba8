package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/gobnn/bnn"
)

// runPredict implements "bnn predict".
func runPredict(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bnn predict", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modelPath := fs.String("model", "", "model file written by bnn fit (required)")
	data := fs.String("data", "", "CSV file with the model's feature columns (required)")
	out := fs.String("out", "predictions.csv", `output CSV of mean,std,lower,upper per row ("-" for stdout)`)
	level := fs.Float64("level", 0.95, "probability inside the [lower, upper] interval")
	target := fs.String("target", "", "target column for metrics (default: the one the model was fitted to)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bnn predict -model model.bnn -data test.csv [-out predictions.csv] [flags]\n\nWrites the predictive mean, std and a central interval for every row, and\nprints metrics when the target column is present.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" || *data == "" {
		return usageErrorf("-model and -data are required")
	}
	if !(*level > 0 && *level < 1) {
		return usageErrorf("-level must be in (0, 1), got %g", *level)
	}
	meta, model, err := loadCLIModel(*modelPath)
	if err != nil {
		return err
	}
	t, err := readCSV(*data)
	if err != nil {
		return err
	}
	features, tgt := predictColumns(meta, t, *target)
	x, err := t.selectColumns(features)
	if err != nil {
		return err
	}
	if len(features) != model.InputDim() {
		return fmt.Errorf("bnn predict: %s: %d feature columns for a model of %d inputs", t.path, len(features), model.InputDim())
	}
	n := t.rows()
	mean, std := make([]float64, n), make([]float64, n)
	if err := predictWith(meta, model, mean, std, x); err != nil {
		return fmt.Errorf("bnn predict: %w", err)
	}
	// lower/upper: the model's calibrated interval (the calibration
	// wrappers' own, else the Gaussian quantiles); a file whose scaling the
	// command recorded (written before the library stored it) predicts in
	// standardised units, so its interval is the Gaussian one of the
	// rescaled mean and std.
	lo, hi := make([]float64, n), make([]float64, n)
	model2 := model
	if meta != nil && meta.XMean != nil {
		model2 = nil
	}
	if err := newIntervals(model2, mean, std).at(lo, hi, x, *level); err != nil {
		return fmt.Errorf("bnn predict: %w", err)
	}
	metricsOut := stdout
	if *out == "-" {
		metricsOut = stderr
		err = writePredictions(stdout, mean, std, lo, hi)
	} else {
		err = writePredictionsFile(*out, mean, std, lo, hi)
	}
	if err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(stdout, "bnn predict: %d rows → %s\n", n, *out)
	}
	if k := t.column(tgt); k >= 0 {
		return printMetrics(metricsOut, tgt, mean, std, lo, hi, t.cols[k], *level)
	}
	return nil
}

// predictColumns returns the feature columns to feed the model and the
// target column name for metrics.
func predictColumns(meta *modelMeta, t *csvTable, target string) ([]string, string) {
	if meta != nil {
		if target == "" {
			target = meta.Target
		}
		return meta.Features, target
	}
	// A bare library model: every column but the target, in file order.
	if target == "" {
		target = "y"
	}
	var f []string
	for _, n := range t.names {
		if n != target {
			f = append(f, n)
		}
	}
	return f, target
}

// predictWith applies the command's standardisation around the model, if
// the metadata records one.
func predictWith(meta *modelMeta, m bnn.Regressor, mean, std, x []float64) error {
	if meta == nil || meta.XMean == nil {
		return m.PredictTo(mean, std, x)
	}
	d := len(meta.XMean)
	xs := make([]float64, len(x))
	for i := range x {
		xs[i] = (x[i] - meta.XMean[i%d]) / meta.XScale[i%d]
	}
	if err := m.PredictTo(mean, std, xs); err != nil {
		return err
	}
	for i := range mean {
		mean[i] = meta.YMean + meta.YScale*mean[i]
		std[i] *= meta.YScale
	}
	return nil
}

// normalQuantile returns z with Φ(z) = p for the standard normal CDF Φ,
// 0 < p < 1: z = √2·erf⁻¹(2p − 1).
func normalQuantile(p float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*p-1)
}

func writePredictionsFile(path string, mean, std, lo, hi []float64) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bnn predict: %w", err)
	}
	if err := writePredictions(f, mean, std, lo, hi); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("bnn predict: %w", err)
	}
	return nil
}

// writePredictions writes the CSV columns mean, std, lower, upper.
func writePredictions(w io.Writer, mean, std, lo, hi []float64) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("mean,std,lower,upper\n")
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i := range mean {
		bw.WriteString(g(mean[i]) + "," + g(std[i]) + "," + g(lo[i]) + "," + g(hi[i]) + "\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("bnn predict: write predictions: %w", err)
	}
	return nil
}

// printMetrics compares the predictions with the target column.
func printMetrics(w io.Writer, target string, mean, std, lo, hi, y []float64, level float64) error {
	ev, err := bnn.Evaluate(mean, std, y)
	if err != nil {
		return fmt.Errorf("bnn predict: metrics: %w", err)
	}
	in := 0
	for i := range y {
		if y[i] >= lo[i] && y[i] <= hi[i] {
			in++
		}
	}
	fmt.Fprintf(w, "metrics against %q (%d rows):\n", target, len(y))
	row := func(name, value string) { fmt.Fprintf(w, "  %-15s %s\n", name, value) }
	row("RMSE", fmt.Sprintf("%.6g", ev.RMSE))
	row("mean std", fmt.Sprintf("%.6g", ev.MeanStd))
	row("NLL", fmt.Sprintf("%.6g nats/row", ev.NLL))
	row("CRPS", fmt.Sprintf("%.6g", ev.CRPS))
	row("coverage 2σ", fmt.Sprintf("%.4f", ev.Coverage2Sigma))
	row(fmt.Sprintf("coverage %g%%", 100*level), fmt.Sprintf("%.4f", float64(in)/float64(len(y))))
	return nil
}
