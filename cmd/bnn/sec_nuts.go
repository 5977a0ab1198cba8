package main

import (
	"context"
	"fmt"
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"time"

	"github.com/gobnn/bnn"
)

// nutsSummary is results.json's "nuts": NUTS on θ = (ζ, ωₙ) through the ODE
// (forward sensitivities) with the seed's Uniform priors, Stan's protocol of
// 4 chains × (1,000 warm-up + 1,000 draws).
type nutsSummary struct {
	Mean             [2]jfloat `json:"mean"`
	Std              [2]jfloat `json:"std"`
	RHat             [2]jfloat `json:"rhat"`
	ESSBulk          [2]jfloat `json:"ess_bulk"`
	ESSTail          [2]jfloat `json:"ess_tail"`
	Divergences      int       `json:"divergences"`
	Leapfrogs        int       `json:"leapfrogs"`
	Chains           int       `json:"chains"`
	Draws            int       `json:"draws_per_chain"`
	Seconds          jfloat    `json:"seconds"`
	ESSBulkPerSecond jfloat    `json:"ess_bulk_per_second"`
}

// nutsScatterDraws is how many NUTS draws nuts.svg shows over the grid.
const nutsScatterDraws = 1000

// sectionNUTS samples the oscillator's posterior with NUTS through the ODE
// and draws its samples over the refined grid posterior's contours.
func sectionNUTS(r *oscRun) error {
	od := bnn.NotebookOscillatorData(r.data.xTrain)
	cfg := bnn.NUTSConfig{Seed: r.cfg.Seed}
	const chains, iters = 4, 2000
	done := 0
	r.prog.begin("NUTS (ζ, ωₙ) through the ODE", chains*iters)
	cfg.Progress = func(_, _ int) {
		if done++; done%200 == 0 {
			r.prog.update(done, 0)
		}
	}
	start := time.Now()
	res, err := od.SampleODENUTS(context.Background(), cfg)
	if err != nil {
		return err
	}
	sec := time.Since(start).Seconds()
	r.prog.end()
	sum, err := res.Summary([]string{"zeta", "omega_n"})
	if err != nil {
		return err
	}
	s := &nutsSummary{Divergences: res.Divergences(), Leapfrogs: res.TotalLeapfrogs(), Chains: res.NumChains(),
		Draws: res.NumDraws(), Seconds: jfloat(sec)}
	minESS := 0.0
	for j, p := range sum {
		s.Mean[j], s.Std[j], s.RHat[j] = jfloat(p.Mean), jfloat(p.SD), jfloat(p.RHat)
		s.ESSBulk[j], s.ESSTail[j] = jfloat(p.ESSBulk), jfloat(p.ESSTail)
		if j == 0 || p.ESSBulk < minESS {
			minESS = p.ESSBulk
		}
	}
	s.ESSBulkPerSecond = jfloat(minESS / sec)
	r.res.NUTS = s
	fmt.Fprintf(r.stdout, "  nuts: ζ = %.5f ± %.5f, ωₙ = %.5f ± %.5f, R̂ ≤ %.3f, min bulk ESS %.0f (%.0f/s), %d divergences\n",
		p2(s.Mean[0]), p2(s.Std[0]), p2(s.Mean[1]), p2(s.Std[1]), max(p2(s.RHat[0]), p2(s.RHat[1])), minESS, minESS/sec, s.Divergences)

	m, err := od.GridModel()
	if err != nil {
		return err
	}
	post, _, err := bnn.RefineGridPosterior(context.Background(), bnn.NotebookOscillatorGrid(), m, bnn.GridRefineConfig{})
	if err != nil {
		return fmt.Errorf("refined grid: %w", err)
	}
	f := svgplot.NewFigure(640, 520, 1, 1)
	a := f.At(0, 0)
	contourPanel(a, post, "NUTS through the ODE over the refined grid posterior")
	zs, ws := make([]float64, 0, nutsScatterDraws), make([]float64, 0, nutsScatterDraws)
	n := res.NumChains() * res.NumDraws()
	for k := 0; k < n && len(zs) < nutsScatterDraws; k += max(1, n/nutsScatterDraws) {
		th := res.Draws[k/res.NumDraws()][k%res.NumDraws()]
		zs, ws = append(zs, th[0]), append(ws, th[1])
	}
	a.Scatter(zs, ws, svgplot.Style{Color: "black", Size: 1.2, Opacity: 0.5, Label: "NUTS draws"})
	return r.save("nuts.svg", f)
}

func p2(v jfloat) float64 { return float64(v) }
