package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/gobnn/bnn"
)

// fitMethods are the model kinds "bnn fit" trains.
var fitMethods = []string{"bbb", "ensemble", "dropout", "blr"}

// fitConfig holds the flags of "bnn fit".
type fitConfig struct {
	data, target, method, model string
	epochs, hidden, members     int
	samples, batch              int
	lr                          float64
	seed                        uint64
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
	fs.IntVar(&c.epochs, "epochs", 300, "training epochs (bbb, ensemble, dropout)")
	fs.IntVar(&c.hidden, "hidden", 64, "width of the two hidden layers (bbb, ensemble, dropout)")
	fs.IntVar(&c.members, "members", 5, "ensemble members")
	fs.IntVar(&c.samples, "samples", 100, "Monte-Carlo samples per prediction (bbb, dropout)")
	fs.IntVar(&c.batch, "batch", 64, "mini-batch size; 0 means full batch (bbb, ensemble, dropout)")
	fs.Float64Var(&c.lr, "lr", 1e-3, "Adam learning rate (bbb, ensemble, dropout)")
	fs.Uint64Var(&c.seed, "seed", 0, "random seed")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bnn fit -data train.csv [-target y] [-method "+strings.Join(fitMethods, "|")+"] [-model model.bnn] [flags]\n\nTrains a probabilistic regressor on a CSV file and saves it.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.data == "" {
		return usageErrorf("-data is required")
	}
	known := false
	for _, m := range fitMethods {
		known = known || m == c.method
	}
	if !known {
		return usageErrorf("-method %q: want one of %s", c.method, strings.Join(fitMethods, ", "))
	}
	for name, v := range map[string]int{"epochs": c.epochs, "hidden": c.hidden, "members": c.members, "samples": c.samples} {
		if v < 1 {
			return usageErrorf("-%s must be at least 1, got %d", name, v)
		}
	}
	if c.batch < 0 {
		return usageErrorf("-batch must not be negative, got %d", c.batch)
	}
	if !(c.lr > 0) || math.IsInf(c.lr, 0) {
		return usageErrorf("-lr must be positive, got %g", c.lr)
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
	if c.method == "ensemble" {
		nets = c.members
	}
	c.prog.begin(c.method, nets*c.epochs)
	start := time.Now()
	m, err := c.train(x, len(features), y, meta)
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
	fmt.Fprintf(stdout, "bnn fit: %s on %d rows × %d features (target %q) in %.2f s → %s\n",
		c.method, len(y), len(features), c.target, secs, c.model)
	return nil
}

// train fits the chosen method to the rows of x (dim features) and y.
func (c *fitConfig) train(x []float64, dim int, y []float64, meta *modelMeta) (bnn.Regressor, error) {
	ctx := context.Background()
	done := 0 // epochs finished over all nets; the library reports them one at a time
	nc := bnn.TrainConfig{
		Hidden: []int{c.hidden, c.hidden}, Activation: bnn.ReLU, LearningRate: c.lr, WeightDecay: 1e-4,
		Epochs: c.epochs, BatchSize: c.batch, Seed: c.seed,
		Progress: func(_ int, loss float64) {
			done++
			c.prog.update(done, loss)
		},
	}
	switch c.method {
	case "ensemble":
		return bnn.TrainEnsemble(ctx, x, dim, y, nc, c.members)
	case "dropout":
		nc.Dropout = 0.1
		return bnn.TrainMCDropout(ctx, x, dim, y, nc, c.samples)
	case "blr":
		xd, err := bnn.NewDense(len(y), dim, x)
		if err != nil {
			return nil, err
		}
		return bnn.FitBayesianRidge(xd, y, bnn.DefaultBayesianRidgeConfig())
	default: // bbb
		return c.trainBBB(x, dim, y, meta)
	}
}

// trainBBB standardises the data (the Bayesian MLP works in the units it is
// given, and its N(0, 1) prior suits unit-scale data), trains with a learned
// noise level, and records the standardisation in meta.
func (c *fitConfig) trainBBB(x []float64, dim int, y []float64, meta *modelMeta) (bnn.Regressor, error) {
	n := len(y)
	meta.XMean, meta.XScale = make([]float64, dim), make([]float64, dim)
	for j := range dim {
		col := make([]float64, n)
		for i := range n {
			col[i] = x[i*dim+j]
		}
		meta.XMean[j], meta.XScale[j] = meanScale(col)
	}
	meta.YMean, meta.YScale = meanScale(y)
	xs, ys := make([]float64, len(x)), make([]float64, n)
	for i := range n {
		for j := range dim {
			xs[i*dim+j] = (x[i*dim+j] - meta.XMean[j]) / meta.XScale[j]
		}
		ys[i] = (y[i] - meta.YMean) / meta.YScale
	}
	cfg := bnn.NotebookBNNConfig()
	cfg.Inputs, cfg.Hidden, cfg.Activation, cfg.NoiseStd, cfg.Seed = dim, []int{c.hidden, c.hidden}, bnn.ReLU, 0.5, c.seed
	m, err := bnn.NewBayesianMLP(cfg)
	if err != nil {
		return nil, err
	}
	m.PredictSamples = c.samples
	// Fail before training if the library cannot store this kind of model.
	if err := bnn.SaveModel(io.Discard, m); err != nil {
		return nil, fmt.Errorf("saving is not available: %w", err)
	}
	tc := bnn.NotebookBBBConfig()
	tc.Epochs, tc.LearningRate, tc.BatchSize, tc.Seed, tc.LearnNoise = c.epochs, c.lr, c.batch, c.seed, true
	tc.KLWeighting = bnn.KLUniform
	tc.Progress = c.prog.update
	if _, err := m.Train(context.Background(), xs, ys, tc); err != nil {
		return nil, err
	}
	return m, nil
}

// meanScale returns the mean and standard deviation of v (1 for a constant column).
func meanScale(v []float64) (mean, scale float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		scale += (x - mean) * (x - mean)
	}
	scale = math.Sqrt(scale / float64(len(v)))
	if !(scale > 0) {
		scale = 1
	}
	return mean, scale
}
