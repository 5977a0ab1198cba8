package main

import (
	"context"
	"fmt"
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"time"

	"github.com/gobnn/bnn"
)

// hmcBudget is the NUTS run of the hmc method over the BNN's weights: a
// short default that keeps "bnn oscillator" within seconds, and Stan's
// protocol with -hmc-long.
type hmcBudget struct{ chains, warmup, draws, depth int }

var (
	hmcDefaultBudget = hmcBudget{chains: 4, warmup: 150, draws: 100, depth: 5}
	hmcLongBudget    = hmcBudget{chains: 4, warmup: 1000, draws: 1000, depth: 10}
)

// hmcSampleTrajectories is how many posterior draws hmc.svg shows.
const hmcSampleTrajectories = 15

// sectionHMC samples the seed's BNN weight posterior (N(0, 1) priors, known
// noise, full batch) with NUTS and reports its predictive like the other
// methods, with R̂ and bulk ESS of the predictions (function space).
func sectionHMC(r *oscRun) error {
	d := r.data
	x, te := d.normTime(d.tTrain), d.normTime(d.tEval)
	p, err := bnn.NewBNNPosterior(x, d.xTrain, bnn.BNNPosteriorConfig{Hidden: []int{r.cfg.Hidden, r.cfg.Hidden}, NoiseStd: noiseStd})
	if err != nil {
		return err
	}
	b := hmcDefaultBudget
	if r.cfg.HMCLong {
		b = hmcLongBudget
	}
	done := 0
	r.prog.begin("hmc", b.chains*(b.warmup+b.draws))
	cfg := bnn.NUTSConfig{Chains: b.chains, Warmup: b.warmup, Draws: b.draws, MaxTreeDepth: b.depth, Seed: r.cfg.Seed,
		Progress: func(_, _ int) {
			if done++; done%10 == 0 {
				r.prog.update(done, 0)
			}
		}}
	start := time.Now()
	res, err := bnn.SampleBNN(context.Background(), p, te, cfg)
	if err != nil {
		return err
	}
	s := &surrogate{key: "hmc", file: "hmc.svg", title: "BNN (NUTS over the weights)", color: svgplot.Cycle(5),
		sampleWhat: "posterior sample trajectories", trainSec: time.Since(start).Seconds(),
		mean: res.Mean, std: res.Std}
	n := res.MCMC.NumChains() * res.MCMC.NumDraws()
	for k := 0; k < hmcSampleTrajectories; k++ {
		i := k * n / hmcSampleTrajectories
		s.samples = append(s.samples, res.Predictions[i/res.MCMC.NumDraws()][i%res.MCMC.NumDraws()])
	}
	if err := r.report(s); err != nil {
		return err
	}
	nIn := 0
	for _, in := range d.interp {
		if in {
			nIn++
		}
	}
	rh, ess := jfloat(res.MaxRHat(0, len(te))), jfloat(res.MinESSBulk(0, len(te)))
	rhIn := res.MaxRHat(0, nIn)
	m := r.res.Methods["hmc"]
	m.RHatMax, m.ESSBulkMin = &rh, &ess
	fmt.Fprintf(r.stdout, "  hmc: %d chains × (%d + %d), tree depth ≤ %d, %d leapfrogs, %d divergences; predictions R̂ ≤ %.3f (interpolation %.3f), min bulk ESS %.0f\n",
		b.chains, b.warmup, b.draws, b.depth, res.MCMC.TotalLeapfrogs(), res.MCMC.Divergences(), float64(rh), rhIn, float64(ess))
	return nil
}
