package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"math"

	"github.com/gobnn/bnn"
)

// The seed's scalar VI example: y = θ² + ε, ε ~ N(0, 0.5²), y_obs = 4,
// prior θ ~ N(0, 5²). The posterior has modes near θ = ±2.
const (
	viObs        = 4.0
	viNoise      = 0.5
	viPriorScale = 5.0
)

// viLogJoint is log p(y_obs | θ) + log p(θ), normalising constants
// included as in the seed (so the ELBO values compare), with its gradient.
func viLogJoint(theta, grad []float64) float64 {
	t := theta[0]
	r := viObs - t*t
	grad[0] = r/(viNoise*viNoise)*2*t - t/(viPriorScale*viPriorScale)
	c := -math.Log(viNoise) - math.Log(viPriorScale) - math.Log(2*math.Pi)
	return c - 0.5*r*r/(viNoise*viNoise) - 0.5*t*t/(viPriorScale*viPriorScale)
}

// sectionVI fits a Gaussian q(θ) to the bimodal posterior and plots it
// against the exact posterior, with the ELBO history.
func sectionVI(r *oscRun) error {
	cfg := bnn.SeedVIConfig()
	cfg.Seed = r.cfg.Seed
	fit, err := bnn.FitGaussianVI(1, viLogJoint, cfg)
	if err != nil {
		return err
	}
	mu, sigma := fit.Mean[0], fit.Std[0]
	r.res.VI = &viSummary{Mu: jfloat(mu), Sigma: jfloat(sigma), ELBO: jfloat(fit.ELBO[len(fit.ELBO)-1])}

	// Exact posterior on a fine grid, normalised with log-sum-exp.
	grid := linspace(-6, 6, 2000)
	dx := grid[1] - grid[0]
	lp := make([]float64, len(grid))
	g := []float64{0}
	maxLP := math.Inf(-1)
	for i, t := range grid {
		lp[i] = viLogJoint([]float64{t}, g)
		maxLP = math.Max(maxLP, lp[i])
	}
	sum := 0.0
	for _, v := range lp {
		sum += math.Exp(v - maxLP)
	}
	post := mapf(lp, func(v float64) float64 { return math.Exp(v-maxLP) / (sum * dx) })
	q, err := bnn.NewNormal(mu, sigma)
	if err != nil {
		return err
	}

	f := svgplot.NewFigure(1200, 360, 1, 2)
	a := f.At(0, 0)
	a.Title, a.XLabel, a.YLabel = "Approximation quality matters", "θ", "density"
	a.VLine(2, svgplot.Style{Color: "black", Dash: "2 3", Width: 0.8})
	a.VLine(-2, svgplot.Style{Color: "black", Dash: "2 3", Width: 0.8})
	a.Line(grid, post, svgplot.Style{Color: svgplot.Cycle(0), Label: "True posterior"})
	a.Line(grid, mapf(grid, q.Prob), svgplot.Style{Color: svgplot.Cycle(1), Dash: "7 4", Label: "Variational q(θ)"})
	b := f.At(0, 1)
	b.Title, b.XLabel, b.YLabel = "VI turns Bayes into optimisation", "Epoch", "ELBO"
	steps := make([]float64, len(fit.ELBO))
	for i := range steps {
		steps[i] = float64(i + 1)
	}
	b.Line(steps, fit.ELBO, svgplot.Style{Color: svgplot.Cycle(0), Width: 1.2, Label: "Monte-Carlo ELBO"})
	return r.save("vi.svg", f)
}
