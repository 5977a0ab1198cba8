package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"context"
	"time"

	"github.com/gobnn/bnn"
)

// netConfig is the seed's training setup for the ensemble members and the
// dropout network: tanh h-h MLP on time normalised to [−1, 1], Adam at
// 5e-3 with weight decay 1e-4, full batch, MSE, no standardisation.
// Progress counts the epochs of all the nets trained (members of them run
// in parallel, and the library reports one epoch at a time).
func (r *oscRun) netConfig(label string, nets int) bnn.TrainConfig {
	r.prog.begin(label, nets*r.cfg.Epochs)
	done := 0
	return bnn.TrainConfig{
		Hidden: []int{r.cfg.Hidden, r.cfg.Hidden}, Activation: bnn.Tanh,
		LearningRate: 5e-3, WeightDecay: 1e-4, Epochs: r.cfg.Epochs,
		Scaling: bnn.ScaleNone, Seed: r.cfg.Seed,
		Progress: func(_ int, loss float64) {
			done++
			r.prog.update(done, loss)
		},
	}
}

// sectionEnsemble trains a deep ensemble and reports its member spread.
func sectionEnsemble(r *oscRun) error {
	d := r.data
	x, te := d.normTime(d.tTrain), d.normTime(d.tEval)
	start := time.Now()
	ens, err := bnn.TrainEnsemble(context.Background(), x, 1, d.xTrain, r.netConfig("ensemble", r.cfg.Members), r.cfg.Members)
	if err != nil {
		return err
	}
	s := &surrogate{key: "ensemble", file: "ensemble.svg", title: "Deep ensemble", color: svgplot.Cycle(1),
		sampleWhat: "member predictions", trainSec: time.Since(start).Seconds()}
	if err := s.predictEpistemic(ens, te); err != nil {
		return err
	}
	n := len(te)
	for _, m := range ens.Members() {
		y, std := make([]float64, n), make([]float64, n)
		if err := m.PredictTo(y, std, te); err != nil {
			return err
		}
		s.samples = append(s.samples, y)
	}
	return r.report(s)
}

// dropoutSampleTrajectories is how many single-pass trajectories the
// dropout figure shows.
const dropoutSampleTrajectories = 15

// sectionDropout trains a p = 0.1 dropout network and predicts with MC
// dropout.
func sectionDropout(r *oscRun) error {
	d := r.data
	x, te := d.normTime(d.tTrain), d.normTime(d.tEval)
	cfg := r.netConfig("dropout", 1)
	cfg.Dropout = 0.1
	start := time.Now()
	md, err := bnn.TrainMCDropout(context.Background(), x, 1, d.xTrain, cfg, r.cfg.Samples)
	if err != nil {
		return err
	}
	s := &surrogate{key: "dropout", file: "dropout.svg", title: "MC dropout", color: svgplot.Cycle(3),
		sampleWhat: "single stochastic passes", trainSec: time.Since(start).Seconds()}
	if err := s.predictEpistemic(md, te); err != nil {
		return err
	}
	n := len(te)
	// One pass each, with its own mask seed, gives a sample trajectory.
	one := *md
	one.Samples = 1
	for k := range dropoutSampleTrajectories {
		one.Seed = md.Seed + uint64(k) + 1
		y, std := make([]float64, n), make([]float64, n)
		if err := one.PredictTo(y, std, te); err != nil {
			return err
		}
		s.samples = append(s.samples, y)
	}
	return r.report(s)
}
