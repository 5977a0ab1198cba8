package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gobnn/bnn"
)

// blrFit is a Bayesian-linear-regression posterior with its predictive on
// a test grid.
type blrFit struct {
	model      *bnn.BayesLinear
	mean, std  []float64 // predictive on the test inputs (std includes the noise)
	samples    [][]float64
	phiTest    *bnn.Dense
	meanWeight []float64
}

// fitBLR fits basis b to (x, t) at precisions alpha and beta, predicts on
// xTest and draws nSamples posterior regression lines.
func fitBLR(b bnn.Basis, x, t, xTest []float64, alpha, beta float64, nSamples int, rng *rand.Rand) (*blrFit, error) {
	xd, err := bnn.NewDense(len(x), 1, x)
	if err != nil {
		return nil, err
	}
	phi, err := b.Expand(xd)
	if err != nil {
		return nil, err
	}
	m, err := bnn.FitBayesLinear(phi, t, alpha, beta)
	if err != nil {
		return nil, err
	}
	xtd, err := bnn.NewDense(len(xTest), 1, xTest)
	if err != nil {
		return nil, err
	}
	phiTest, err := b.Expand(xtd)
	if err != nil {
		return nil, err
	}
	f := &blrFit{model: m, phiTest: phiTest, mean: make([]float64, len(xTest)), std: make([]float64, len(xTest)), meanWeight: m.Mean()}
	if err := m.PredictTo(f.mean, f.std, phiTest); err != nil {
		return nil, err
	}
	for i, v := range f.std {
		f.std[i] = math.Sqrt(v)
	}
	w := make([]float64, m.NumWeights())
	for range nSamples {
		if err := m.SampleWeightsTo(w, rng); err != nil {
			return nil, err
		}
		y := make([]float64, len(xTest))
		if err := phiTest.MulVecTo(y, w); err != nil {
			return nil, err
		}
		f.samples = append(f.samples, y)
	}
	return f, nil
}

// sectionBLR runs the seed's three Bayesian-linear-regression examples and
// its evidence-against-degree curve.
func sectionBLR(r *oscRun) error {
	rng := rand.New(rand.NewPCG(r.cfg.Seed, 0xb1a))
	if err := blrStraightLine(r, rng); err != nil {
		return err
	}
	if err := blrGaussianBasis(r, rng); err != nil {
		return err
	}
	return blrEvidence(r)
}

// blrStraightLine: y = −0.3 + 0.5x with N = 3, 8, 20 points; posterior
// density over (w0, w1), posterior sample lines and the predictive band.
func blrStraightLine(r *oscRun, rng *rand.Rand) error {
	const alpha, beta, w0, w1 = 2.0, 25.0, -0.3, 0.5
	ns := []int{3, 8, 20}
	x := make([]float64, ns[len(ns)-1])
	t := make([]float64, len(x))
	for i := range x {
		x[i] = 2*rng.Float64() - 1
		t[i] = w0 + w1*x[i] + rng.NormFloat64()/math.Sqrt(beta)
	}
	xTest := linspace(-1, 1, 100)
	truth := mapf(xTest, func(v float64) float64 { return w0 + w1*v })
	grid := linspace(-1, 1, 120)
	f := svgplot.NewFigure(1250, 960, len(ns), 3)
	for row, n := range ns {
		fit, err := fitBLR(bnn.IdentityBasis(), x[:n], t[:n], xTest, alpha, beta, 5, rng)
		if err != nil {
			return fmt.Errorf("straight line, N = %d: %w", n, err)
		}
		cov, err := bnn.NewDense(2, 2, make([]float64, 4))
		if err != nil {
			return err
		}
		if err := fit.model.CovarianceTo(cov); err != nil {
			return err
		}
		mvn, err := bnn.NewMultivariateNormal(fit.meanWeight, cov)
		if err != nil {
			return err
		}
		dens := make([]float64, len(grid)*len(grid))
		for i, a := range grid {
			for j, b := range grid {
				p, err := mvn.Prob([]float64{a, b})
				if err != nil {
					return err
				}
				dens[i*len(grid)+j] = p
			}
		}
		pd := f.At(row, 0)
		pd.Title = fmt.Sprintf("Posterior density (N = %d)", n)
		pd.XLabel, pd.YLabel = "w0", "w1"
		pd.HeatMap(grid, grid, dens, svgplot.Viridis, "density")
		pd.Cross([]float64{w0}, []float64{w1}, svgplot.Style{Color: "red", Label: "Truth"})

		ps := f.At(row, 1)
		samplesPanel(ps, "Posterior samples", -1.5, 1, xTest, truth, fit, x[:n], t[:n])
		ps.LegendPos = "lower right"

		pp := f.At(row, 2)
		pp.Title = "Posterior predictive"
		pp.XLabel, pp.YLabel = "x", "y"
		pp.SetYLim(-1.5, 1)
		predictivePanel(pp, xTest, truth, fit, 1, "±1σ predictive std")
		pp.Scatter(x[:n], t[:n], svgplot.Style{Color: "black", Label: "Data"})
		pp.LegendPos = "lower right"
	}
	return r.save("blr_straight_line.svg", f)
}

// samplesPanel draws the truth, the fit's posterior sample curves and the
// data (x, t) under the given title and y range.
func samplesPanel(p *svgplot.Axes, title string, yLo, yHi float64, xTest, truth []float64, fit *blrFit, x, t []float64) {
	p.Title = title
	p.XLabel, p.YLabel = "x", "y"
	p.SetYLim(yLo, yHi)
	p.Line(xTest, truth, svgplot.Style{Color: "black", Dash: "6 4", Label: "Truth"})
	for k, y := range fit.samples {
		st := svgplot.Style{Color: "red", Width: 1.2, Opacity: 0.5}
		if k == 0 {
			st.Label = "Posterior samples"
		}
		p.Line(xTest, y, st)
	}
	p.Scatter(x, t, svgplot.Style{Color: "black", Label: "Data"})
}

// predictivePanel draws the truth, the predictive mean and a ±k·σ band.
func predictivePanel(p *svgplot.Axes, x, truth []float64, fit *blrFit, k float64, bandLabel string) {
	lo, hi := make([]float64, len(x)), make([]float64, len(x))
	for i := range x {
		lo[i], hi[i] = fit.mean[i]-k*fit.std[i], fit.mean[i]+k*fit.std[i]
	}
	p.Band(x, lo, hi, svgplot.Style{Color: svgplot.Cycle(0), Label: bandLabel})
	p.Line(x, truth, svgplot.Style{Color: "black", Dash: "6 4", Label: "Truth"})
	p.Line(x, fit.mean, svgplot.Style{Color: svgplot.Cycle(0), Label: "Predictive mean"})
}

// blrGaussianBasis: y = 0.5 + sin(2πx) with nine Gaussian bumps.
func blrGaussianBasis(r *oscRun, rng *rand.Rand) error {
	const alpha, beta = 2.0, 25.0
	ns := []int{3, 8, 20}
	g := func(v float64) float64 { return 0.5 + math.Sin(2*math.Pi*v) }
	x := make([]float64, ns[len(ns)-1])
	t := make([]float64, len(x))
	for i := range x {
		x[i] = rng.Float64()
		t[i] = g(x[i]) + rng.NormFloat64()/math.Sqrt(beta)
	}
	basis, err := bnn.GaussianBasis(linspace(0, 1, 9), 0.1)
	if err != nil {
		return err
	}
	xTest := linspace(0, 1, 100)
	truth := mapf(xTest, g)
	f := svgplot.NewFigure(1100, 960, len(ns), 2)
	for row, n := range ns {
		fit, err := fitBLR(basis, x[:n], t[:n], xTest, alpha, beta, 5, rng)
		if err != nil {
			return fmt.Errorf("gaussian basis, N = %d: %w", n, err)
		}
		samplesPanel(f.At(row, 0), fmt.Sprintf("Posterior samples (N = %d)", n), -1, 2, xTest, truth, fit, x[:n], t[:n])
		pp := f.At(row, 1)
		pp.Title = "Posterior predictive"
		pp.XLabel, pp.YLabel = "x", "y"
		pp.SetYLim(-1, 2)
		predictivePanel(pp, xTest, truth, fit, 1, "±1σ predictive std")
		pp.Scatter(x[:n], t[:n], svgplot.Style{Color: "black", Label: "Data"})
	}
	return r.save("blr_gaussian_basis.svg", f)
}

// blrEvidence fits polynomials of degree 0–9 to the seed's ten noisy
// sinusoid targets and plots the fits and the log evidence per degree.
func blrEvidence(r *oscRun) error {
	const alpha, beta = 0.005, 1 / (0.3 * 0.3)
	d := r.data
	xTest := linspace(0, 1, 100)
	truth := mapf(xTest, func(v float64) float64 { return 0.5 + math.Sin(2*math.Pi*v) })
	ev := &evidenceSummary{}
	f := svgplot.NewFigure(1500, 560, 2, 5)
	best := 0
	var logEv []float64
	for deg := 0; deg <= 9; deg++ {
		basis, err := bnn.PolynomialBasis(deg)
		if err != nil {
			return err
		}
		fit, err := fitBLR(basis, d.blrX, d.blrT, xTest, alpha, beta, 0, nil)
		if err != nil {
			return fmt.Errorf("degree %d: %w", deg, err)
		}
		le := fit.model.LogEvidence()
		logEv = append(logEv, le)
		ev.Degrees = append(ev.Degrees, deg)
		ev.LogEvidence = append(ev.LogEvidence, jfloat(le))
		if le > logEv[best] {
			best = deg
		}
		p := f.At(deg/5, deg%5)
		p.Title = fmt.Sprintf("Degree = %d", deg)
		p.XLabel, p.YLabel = "x", "t"
		p.SetYLim(-1, 2)
		p.LegendPos = "none"
		predictivePanel(p, xTest, truth, fit, 1, "±1σ")
		p.Scatter(d.blrX, d.blrT, svgplot.Style{Color: "black"})
	}
	ev.BestDegree = best
	r.res.Evidence = ev
	if err := r.save("blr_polynomials.svg", f); err != nil {
		return err
	}
	f = svgplot.NewFigure(640, 340, 1, 1)
	p := f.At(0, 0)
	p.Title = "Evidence prefers moderate complexity"
	p.XLabel, p.YLabel = "Polynomial degree", "Log marginal likelihood"
	degs := make([]float64, len(logEv))
	for i := range degs {
		degs[i] = float64(i)
	}
	p.XTicks = degs
	p.VLine(float64(best), svgplot.Style{Color: "black", Dash: "5 4", Width: 1, Label: fmt.Sprintf("best degree %d", best)})
	p.Line(degs, logEv, svgplot.Style{Color: svgplot.Cycle(0), Label: "log evidence"})
	p.Scatter(degs, logEv, svgplot.Style{Color: svgplot.Cycle(0), Size: 4})
	p.LegendPos = "lower right"
	return r.save("evidence.svg", f)
}
