package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gobnn/bnn"
)

// fitConfig holds the flags of "bnn fit".
type fitConfig struct {
	data, target, method, model string
	train                       methodConfig
	prog                        *progress
}

// runFit implements "bnn fit".
func runFit(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bnn fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c fitConfig
	fs.StringVar(&c.data, "data", "", "training CSV file with a header row (required)")
	fs.StringVar(&c.target, "target", "y", "name of the target column; every other column is a feature")
	fs.StringVar(&c.method, "method", "ensemble", "model: "+strings.Join(fitMethods, "|"))
	fs.StringVar(&c.model, "model", "model.bnn", "path of the model file to write")
	c.train.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bnn fit -data train.csv [-target y] [-method "+strings.Join(fitMethods, "|")+"] [-model model.bnn] [flags]\n\nTrains a probabilistic regressor on a CSV file and saves it. The networks\nhold out part of the training rows to stop early and to set the noise level\non rows they did not fit.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.data == "" {
		return usageErrorf("-data is required")
	}
	if err := checkMethod(c.method); err != nil {
		return err
	}
	if err := c.train.check(); err != nil {
		return err
	}
	t, err := readCSV(c.data)
	if err != nil {
		return err
	}
	x, features, y, err := t.split(c.target)
	if err != nil {
		return err
	}
	meta := &modelMeta{Method: c.method, Target: c.target, Features: features, Rows: len(y)}
	c.prog = newProgress(stderr, isTerminal(stderr))
	nets := 1
	switch c.method {
	case "ensemble":
		nets = c.train.members
	case "dropout":
		nets = len(c.train.dropout) * len(dropNoiseModels[c.train.dropNoise]) // one held-out run per candidate
	}
	var choices dropoutChoices
	c.train.onDropout = choices.record
	c.prog.begin(c.method, nets*c.train.epochs)
	done := 0 // epochs finished over all nets; the library reports them one at a time
	c.train.progress = func(_ int, loss float64) {
		done++
		c.prog.update(done, loss)
	}
	start := time.Now()
	m, err := trainCalibrated(context.Background(), c.method, &c.train, &c.train.cal, x, len(features), y)
	c.prog.end()
	if err != nil {
		return fmt.Errorf("bnn fit: %s: %w", c.method, err)
	}
	secs := time.Since(start).Seconds()
	if err := saveCLIModel(c.model, meta, m); err != nil {
		if errors.Is(err, bnn.ErrInvalidParameter) {
			return fmt.Errorf("bnn fit: %s: saving is not available: %w", c.method, err)
		}
		return fmt.Errorf("bnn fit: %w", err)
	}
	what := c.method
	if chosen := choices.sorted(); len(chosen) > 0 {
		what = fmt.Sprintf("%s (%s", c.method, chosen[0])
		if len(chosen) > 1 {
			counts := map[string]int{}
			for _, t := range chosen {
				counts[t]++
			}
			what = fmt.Sprintf("%s (%s in the %d folds", c.method, dropoutCountsText(counts), len(chosen))
		}
		if nets > 1 {
			what += fmt.Sprintf(", chosen on the held-out log-likelihood from %d candidates", nets)
		}
		what += ")"
	}
	fmt.Fprintf(stdout, "bnn fit: %s on %d rows × %d features (target %q) in %.2f s → %s\n",
		what, len(y), len(features), c.target, secs, c.model)
	return nil
}
