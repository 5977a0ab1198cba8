package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gobnn/bnn"
)

// gridSampleTrajectories is how many posterior draws of θ the grid
// figure shows as trajectories.
const gridSampleTrajectories = 20

// sectionGrid evaluates the exact posterior over (ζ, ωₙ) on the seed's
// grid, refines the grid until it resolves the posterior, and propagates
// the refined posterior through the ODE as a posterior predictive.
func sectionGrid(r *oscRun) error {
	d := r.data
	od := bnn.SeedOscillatorData(d.xTrain)
	m, err := od.GridModel()
	if err != nil {
		return err
	}
	axes := bnn.SeedOscillatorGrid()
	axes[0].N, axes[1].N = r.cfg.Grid, r.cfg.Grid
	start := time.Now()
	seedPost, err := bnn.NewGridPosterior(axes, m, bnn.GridOptions{})
	if err != nil {
		return fmt.Errorf("seed grid: %w", err)
	}
	post, ref := seedPost, bnn.GridRefinement{CellsPerStd: seedPost.CellsPerStd()}
	if r.cfg.Refine > 0 {
		post, ref, err = bnn.RefineGridPosterior(axes, m, bnn.GridRefineOptions{CellsPerStd: r.cfg.Refine})
		if err != nil {
			return fmt.Errorf("refined grid: %w", err)
		}
	}
	trainSec := time.Since(start).Seconds()

	mean, std, mp := post.Mean(), post.Std(), post.MAP()
	r.res.Grid = &gridSummary{
		Mean: [2]jfloat{jfloat(mean[0]), jfloat(mean[1])}, Std: [2]jfloat{jfloat(std[0]), jfloat(std[1])},
		MAP: [2]jfloat{jfloat(mp[0]), jfloat(mp[1])}, Cells: [2]int{post.Axes[0].N, post.Axes[1].N},
		Span:        [2][2]float64{{post.Axes[0].Lo, post.Axes[0].Hi}, {post.Axes[1].Lo, post.Axes[1].Hi}},
		Rounds:      ref.Rounds,
		Evaluations: ref.Evaluations,
		CellsPerStd: [2]jfloat{jfloat(ref.CellsPerStd[0]), jfloat(ref.CellsPerStd[1])},
	}
	sm, ss, smap := seedPost.Mean(), seedPost.Std(), seedPost.MAP()
	r.res.Grid.SeedGrid = &gridSummary{
		Mean: [2]jfloat{jfloat(sm[0]), jfloat(sm[1])}, Std: [2]jfloat{jfloat(ss[0]), jfloat(ss[1])},
		MAP: [2]jfloat{jfloat(smap[0]), jfloat(smap[1])}, Cells: [2]int{axes[0].N, axes[1].N},
		Span:        [2][2]float64{{axes[0].Lo, axes[0].Hi}, {axes[1].Lo, axes[1].Hi}},
		CellsPerStd: cellsPerStd(seedPost),
	}

	f := svgplot.NewFigure(1200, 430, 1, 2)
	if r.cfg.Refine == 0 {
		f = svgplot.NewFigure(620, 430, 1, 1)
	}
	contourPanel(f.At(0, 0), seedPost, fmt.Sprintf("Exact posterior on the seed's %d×%d grid", axes[0].N, axes[1].N))
	if r.cfg.Refine > 0 {
		contourPanel(f.At(0, 1), post, fmt.Sprintf("Refined: zoomed %d×%d grid (%s)", post.Axes[0].N, post.Axes[1].N, plural(ref.Rounds, "round")))
	}
	if err := r.save("grid_posterior.svg", f); err != nil {
		return err
	}

	start = time.Now()
	pred, err := post.Predictive(d.tEval, od.NewTrajectory, noiseStd, bnn.GridPredictiveOptions{TailMass: gridTailMass})
	if err != nil {
		return fmt.Errorf("posterior predictive: %w", err)
	}
	predSec := time.Since(start).Seconds()
	s := &surrogate{key: "grid_posterior", file: "grid_predictive.svg", title: "Grid posterior", color: svgplot.Cycle(0),
		mean: pred.Mean, std: pred.LatentStd, sampleWhat: "trajectories of posterior draws of (ζ, ωₙ)",
		trainSec: trainSec, predSec: predSec,
		outerLo: pred.Lower, outerHi: pred.Upper, outerLabel: fmt.Sprintf("%g%% band of a new measurement", 100*pred.Level)}
	// Posterior draws: cells by probability, solved through the ODE.
	rng := rand.New(rand.NewPCG(r.cfg.Seed, 0x971d))
	traj := od.NewTrajectory()
	theta := make([]float64, 2)
	cdf := make([]float64, len(post.Prob))
	acc := 0.0
	for i, p := range post.Prob {
		acc += p
		cdf[i] = acc
	}
	for range gridSampleTrajectories {
		u := rng.Float64() * acc
		k := 0
		for k < len(cdf)-1 && cdf[k] < u {
			k++
		}
		post.Theta(k, theta)
		y := make([]float64, len(d.tEval))
		if err := traj(y, theta, d.tEval); err != nil {
			return err
		}
		s.samples = append(s.samples, y)
	}
	return r.report(s)
}

// gridTailMass is the posterior mass the predictive may leave out: the
// cells beyond it change the bands by far less than a pixel.
const gridTailMass = 1e-6

// plural formats n with the noun, adding an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// cellsPerStd is each axis's posterior std over its grid spacing.
func cellsPerStd(g *bnn.GridPosterior) [2]jfloat {
	c := g.CellsPerStd()
	return [2]jfloat{jfloat(c[0]), jfloat(c[1])}
}

// contourPanel draws a 2-D grid posterior as filled contours of the
// unnormalised density exp(log p − max log p), with the truth marked.
func contourPanel(p *svgplot.Axes, g *bnn.GridPosterior, title string) {
	nz, nw := g.Axes[0].N, g.Axes[1].N
	zs, ws := make([]float64, nz), make([]float64, nw)
	for i := range zs {
		zs[i] = g.Axes[0].Value(i)
	}
	for j := range ws {
		ws[j] = g.Axes[1].Value(j)
	}
	maxLP := math.Inf(-1)
	for _, v := range g.LogPost {
		maxLP = math.Max(maxLP, v)
	}
	z := make([]float64, len(g.LogPost))
	for i, v := range g.LogPost {
		z[i] = math.Exp(v - maxLP)
	}
	p.Title = title
	p.XLabel, p.YLabel = "ζ (damping)", "ωₙ (natural frequency)"
	p.Contourf(zs, ws, z, 25, svgplot.Blues, "Unnormalised posterior")
	mean := g.Mean()
	p.Cross([]float64{mean[0]}, []float64{mean[1]}, svgplot.Style{Color: svgplot.Cycle(1), Size: 5, Width: 2, Label: "Posterior mean"})
	p.Cross([]float64{trueZeta}, []float64{trueOmega}, svgplot.Style{Color: "red", Label: "True parameters"})
}
