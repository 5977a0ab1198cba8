package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"context"
	"time"

	"github.com/gobnn/bnn"
)

// bnnSampleTrajectories is how many weight-sample trajectories the BNN
// figure shows (the seed shows every 20th of 300).
const bnnSampleTrajectories = 15

// sectionBNN trains the seed's Bayes-by-Backprop network on the sensor
// data and reports its predictive and its training curve.
func sectionBNN(r *oscRun) error {
	d := r.data
	x, te := d.normTime(d.tTrain), d.normTime(d.tEval)
	cfg := bnn.SeedBNNConfig()
	cfg.Hidden = []int{r.cfg.Hidden, r.cfg.Hidden}
	cfg.Seed = r.cfg.Seed
	m, err := bnn.NewBayesianMLP(cfg)
	if err != nil {
		return err
	}
	tc := bnn.SeedBBBConfig()
	tc.Epochs, tc.Seed = r.cfg.Epochs, r.cfg.Seed
	r.prog.begin("bnn", tc.Epochs)
	tc.Progress = r.prog.update
	start := time.Now()
	hist, err := m.Train(context.Background(), x, d.xTrain, tc)
	if err != nil {
		return err
	}
	s := &surrogate{key: "bnn", file: "bnn.svg", title: "BNN (Bayes by Backprop)", color: svgplot.Cycle(2),
		sampleWhat: "posterior sample trajectories", trainSec: time.Since(start).Seconds()}
	start = time.Now()
	n := len(te)
	s.mean, s.std = make([]float64, n), make([]float64, n)
	if err := m.PredictiveTo(s.mean, s.std, nil, te, r.cfg.Samples, r.cfg.Seed); err != nil {
		return err
	}
	s.predSec = time.Since(start).Seconds()
	draws := make([]float64, bnnSampleTrajectories*n)
	if err := m.SampleFunctionsTo(draws, te, bnnSampleTrajectories, r.cfg.Seed); err != nil {
		return err
	}
	for k := range bnnSampleTrajectories {
		s.samples = append(s.samples, draws[k*n:(k+1)*n])
	}
	if err := r.report(s); err != nil {
		return err
	}

	f := svgplot.NewFigure(760, 340, 1, 1)
	p := f.At(0, 0)
	p.Title, p.XLabel, p.YLabel = "BNN training progress", "Epoch", "Negative ELBO"
	ep := make([]float64, len(hist))
	for i := range ep {
		ep[i] = float64(i + 1)
	}
	p.Line(ep, hist, svgplot.Style{Color: svgplot.Cycle(0), Width: 1, Label: "negative ELBO (6-sample estimate)"})
	return r.save("bnn_elbo.svg", f)
}
