package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/gobnn/bnn"
)

// sectionDists draws the seed's tour of the Normal, Gamma, inverse-gamma
// and Uniform families.
func sectionDists(r *oscRun) error {
	rng := rand.New(rand.NewPCG(r.cfg.Seed, 0xd157))

	f := svgplot.NewFigure(1100, 340, 1, 2)
	h := f.At(0, 0)
	h.Title, h.XLabel, h.YLabel = "Histogram of observed data", "x", "density"
	std, err := bnn.NewNormal(0, 1)
	if err != nil {
		return err
	}
	samples := make([]float64, 200)
	for i := range samples {
		samples[i] = std.Sample(rng)
	}
	edges, dens := histogram(samples, 20)
	h.Bars(edges, dens, svgplot.Style{Color: svgplot.Cycle(0), Label: "200 draws of N(0, 1)"})
	kx := linspace(edges[0]-0.5, edges[len(edges)-1]+0.5, 200)
	h.Line(kx, kde(samples, kx), svgplot.Style{Color: svgplot.Cycle(0), Width: 2, Label: "kernel density estimate"})

	n := f.At(0, 1)
	n.Title, n.XLabel, n.YLabel = "Normal family: shifting mean and variance", "x", "density"
	x := linspace(-5, 5, 400)
	for i, c := range []struct{ mu, sigma float64 }{{0, 0.5}, {0, 1}, {-2, 0.5}} {
		d, err := bnn.NewNormal(c.mu, c.sigma)
		if err != nil {
			return err
		}
		n.Line(x, mapf(x, d.Prob), svgplot.Style{Color: svgplot.Cycle(i), Label: "μ = " + fmtg(c.mu) + ", σ = " + fmtg(c.sigma)})
	}
	if err := r.save("distributions_normal.svg", f); err != nil {
		return err
	}

	f = svgplot.NewFigure(1400, 340, 1, 3)
	g := f.At(0, 0)
	g.Title, g.XLabel, g.YLabel = "Gamma distribution", "x", "density"
	x = linspace(0, 10, 400)
	for i, a := range []float64{1, 3} {
		d, err := bnn.NewGamma(a, 2) // shape a, scale 2 (rate η = 0.5)
		if err != nil {
			return err
		}
		g.Line(x, mapf(x, d.Prob), svgplot.Style{Color: svgplot.Cycle(i), Label: "α = " + fmtg(a) + ", η = 0.5 (rate)"})
	}
	ig := f.At(0, 1)
	ig.Title, ig.XLabel, ig.YLabel = "Inverse-gamma distribution", "x", "density"
	x = linspace(0, 5, 400)
	for i, a := range []float64{1, 3} {
		d, err := bnn.NewInverseGamma(a, 1)
		if err != nil {
			return err
		}
		ig.Line(x, mapf(x, d.Prob), svgplot.Style{Color: svgplot.Cycle(i), Label: "α = " + fmtg(a) + ", β = 1 (scale)"})
	}
	u := f.At(0, 2)
	u.Title, u.XLabel, u.YLabel = "Uniform distribution samples", "x", "density"
	unif, err := bnn.NewUniform(-1, 0)
	if err != nil {
		return err
	}
	us := make([]float64, 2000)
	for i := range us {
		us[i] = unif.Sample(rng)
	}
	edges, dens = histogram(us, 20)
	u.Bars(edges, dens, svgplot.Style{Color: svgplot.Cycle(0), Label: "2000 draws of U(−1, 0)"})
	ux := linspace(-1, 0, 20)
	u.Line(ux, mapf(ux, unif.Prob), svgplot.Style{Color: "red", Width: 2, Label: "density"})
	u.SetYLim(0, 1.5) // room above the bars for the legend
	return r.save("distributions_positive.svg", f)
}

// histogram bins xs into n equal bins over their range and returns the bin
// edges and the densities (counts / (len(xs)·width)).
func histogram(xs []float64, n int) (edges, dens []float64) {
	lo, hi := svgplot.finiteRange(xs)
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	edges = linspace(lo, hi, n+1)
	dens = make([]float64, n)
	w := (hi - lo) / float64(n)
	for _, v := range xs {
		k := min(int((v-lo)/w), n-1)
		dens[k]++
	}
	for i := range dens {
		dens[i] /= float64(len(xs)) * w
	}
	return edges, dens
}

// kde evaluates a Gaussian kernel density estimate of xs at the points at,
// with Scott's bandwidth (std · n^(−1/5)) as seaborn uses.
func kde(xs, at []float64) []float64 {
	n := float64(len(xs))
	mean, sq := 0.0, 0.0
	for _, v := range xs {
		mean += v
	}
	mean /= n
	for _, v := range xs {
		sq += (v - mean) * (v - mean)
	}
	bw := math.Sqrt(sq/(n-1)) * math.Pow(n, -0.2)
	out := make([]float64, len(at))
	for i, x := range at {
		s := 0.0
		for _, v := range xs {
			z := (x - v) / bw
			s += math.Exp(-0.5 * z * z)
		}
		out[i] = s / (n * bw * math.Sqrt(2*math.Pi))
	}
	return out
}

// mapf applies f to every element of x.
func mapf(x []float64, f func(float64) float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = f(v)
	}
	return out
}

// fmtg formats a parameter value compactly.
func fmtg(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
