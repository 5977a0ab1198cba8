package main

import (
	"fmt"
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"io"
	"math"
	"strings"
)

// oracleWindow compares a method's Gaussian predictive marginals
// N(μ(t), σ(t)²) (epistemic std, as in the comparison table) with a
// reference's N(μ₀(t), σ₀(t)²) over one window's evaluation times,
// averaging over the times where σ₀ ≥ oracleMinStd.
type oracleWindow struct {
	// MeanZ is the mean standardised error of the mean, |μ − μ₀|/σ₀.
	MeanZ jfloat `json:"mean_z"`
	// StdRatio is the mean ratio of predictive stds, σ/σ₀.
	StdRatio jfloat `json:"std_ratio"`
	// W2 is the mean 2-Wasserstein distance between the marginals,
	// √((μ − μ₀)² + (σ − σ₀)²), in the units of x.
	W2 jfloat `json:"w2"`
}

// oracleEntry is one method's distance from the references: vs_hmc (the
// BNN's own weight posterior, sampled) and vs_grid (the physical model's
// exact posterior predictive).
type oracleEntry struct {
	VsHMC  map[string]oracleWindow `json:"vs_hmc,omitempty"`
	VsGrid map[string]oracleWindow `json:"vs_grid,omitempty"`
}

// oracleMinStd is the smallest reference std (in the units of x) at which
// an evaluation time enters the ladder's averages: the grid posterior knows
// x(0) = 1 exactly, so its epistemic std vanishes at t = 0 and the
// standardised error and std ratio would be unbounded there.
const oracleMinStd = 1e-3

// oracleOrder lists the methods of the ladder.
var oracleOrder = []string{"bnn", "ensemble", "dropout", "hmc"}

// oracleCompare computes the window distances of s from ref.
func oracleCompare(s, ref *surrogate, interp []bool) map[string]oracleWindow {
	out := map[string]oracleWindow{}
	for _, w := range []struct {
		name string
		in   bool
	}{{"interp", true}, {"extrap", false}} {
		var z, ratio, w2 float64
		n := 0
		for i := range s.mean {
			if interp[i] != w.in || !(ref.std[i] >= oracleMinStd) {
				continue
			}
			dm, ds := s.mean[i]-ref.mean[i], s.std[i]-ref.std[i]
			z += math.Abs(dm) / ref.std[i]
			ratio += s.std[i] / ref.std[i]
			w2 += math.Hypot(dm, ds)
			n++
		}
		fn := float64(n) // 0: NaN metrics, written as null
		out[w.name] = oracleWindow{MeanZ: jfloat(z / fn), StdRatio: jfloat(ratio / fn), W2: jfloat(w2 / fn)}
	}
	return out
}

// oracleLadder measures every approximation against the HMC predictive and
// every method (HMC included) against the grid posterior's, records them in
// the results and draws oracle.svg (the stds over time). It does nothing
// unless HMC or the grid ran together with some other method.
func (r *oscRun) oracleLadder() error {
	by := map[string]*surrogate{}
	for _, s := range r.surrogates {
		by[s.key] = s
	}
	hmc, grid := by["hmc"], by["grid_posterior"]
	if hmc == nil && grid == nil {
		return nil
	}
	ladder := map[string]*oracleEntry{}
	for _, name := range oracleOrder {
		s := by[name]
		if s == nil {
			continue
		}
		e := &oracleEntry{}
		if hmc != nil && s != hmc {
			e.VsHMC = oracleCompare(s, hmc, r.data.interp)
		}
		if grid != nil {
			e.VsGrid = oracleCompare(s, grid, r.data.interp)
		}
		if e.VsHMC != nil || e.VsGrid != nil {
			ladder[name] = e
		}
	}
	if len(ladder) == 0 {
		return nil
	}
	r.res.Oracle = ladder

	f := svgplot.NewFigure(900, 380, 1, 1)
	p := f.At(0, 0)
	p.Title = "The oracle ladder: predictive std over time"
	p.XLabel, p.YLabel = "Time [s]", "log₁₀ epistemic std of x(t)"
	windows(p, false)
	for _, s := range r.surrogates {
		st := svgplot.Style{Color: s.color, Width: 1.4, Label: s.title}
		if s == hmc {
			st.Width, st.Color = 2.4, "black"
		}
		// log₁₀ of the std, floored at oracleMinStd/10 (the grid's std is 0 at t = 0).
		p.Line(r.data.tEval, mapf(s.std, func(v float64) float64 { return math.Log10(max(v, oracleMinStd/10)) }), st)
	}
	return r.save("oracle.svg", f)
}

// writeOracleTable prints the ladder: per method and window, the mean
// standardised mean error, std ratio and W2 against HMC and the grid.
func writeOracleTable(w io.Writer, ladder map[string]*oracleEntry) {
	fmt.Fprintf(w, "%-10s │ %-31s │ %-31s\n", "oracle", "vs HMC: interp / extrap", "vs grid: interp / extrap")
	fmt.Fprintf(w, "%-10s │ %9s %10s %10s │ %9s %10s %10s\n", "", "|Δμ|/σ", "σ ratio", "W2", "|Δμ|/σ", "σ ratio", "W2")
	fmt.Fprintln(w, strings.Repeat("─", 11)+"┼"+strings.Repeat("─", 33)+"┼"+strings.Repeat("─", 33))
	pair := func(m map[string]oracleWindow, get func(oracleWindow) jfloat, dec int) string {
		if m == nil {
			return "–"
		}
		return cell(float64(get(m["interp"])), dec) + "/" + cell(float64(get(m["extrap"])), dec)
	}
	for _, name := range oracleOrder {
		e := ladder[name]
		if e == nil {
			continue
		}
		z := func(o oracleWindow) jfloat { return o.MeanZ }
		rt := func(o oracleWindow) jfloat { return o.StdRatio }
		w2 := func(o oracleWindow) jfloat { return o.W2 }
		fmt.Fprintf(w, "%-10s │ %9s %10s %10s │ %9s %10s %10s\n", name,
			pair(e.VsHMC, z, 1), pair(e.VsHMC, rt, 2), pair(e.VsHMC, w2, 3),
			pair(e.VsGrid, z, 1), pair(e.VsGrid, rt, 1), pair(e.VsGrid, w2, 3))
	}
}
