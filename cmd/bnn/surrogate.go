package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gobnn/bnn"
)

// surrogate is one method's predictive distribution of x(t) on the
// evaluation grid 0–8 s.
type surrogate struct {
	key        string      // results.json methods key
	file       string      // figure file name
	title      string      // method name for titles and legends
	color      string      // band colour
	mean, std  []float64   // predictive mean and epistemic std on r.data.tEval
	samples    [][]float64 // sample trajectories on r.data.tEval
	sampleWhat string      // legend text for the trajectories
	trainSec   float64
	predSec    float64
	// An optional outer band, e.g. for a new noisy measurement.
	outerLo, outerHi []float64
	outerLabel       string
}

// evalWindow returns the metrics of mean ± std against truth on the points
// where mask equals want.
func evalWindow(mean, std, truth []float64, mask []bool, want bool) (windowMetrics, error) {
	var m, s, y []float64
	for i := range mean {
		if mask[i] == want {
			m, s, y = append(m, mean[i]), append(s, std[i]), append(y, truth[i])
		}
	}
	ev, err := bnn.Evaluate(m, s, y)
	if errors.Is(err, bnn.ErrInvalidParameter) {
		// Some std is exactly 0 (e.g. a posterior inside one grid cell): a
		// point-mass prediction, whose NLL is infinite and CRPS is |error|.
		return pointMassMetrics(m, s, y)
	}
	if err != nil {
		return windowMetrics{}, err
	}
	return windowMetrics{RMSE: jfloat(ev.RMSE), MeanStd: jfloat(ev.MeanStd), Coverage: jfloat(ev.Coverage2Sigma),
		NLL: jfloat(ev.NLL), CRPS: jfloat(ev.CRPS)}, nil
}

// pointMassMetrics computes the window metrics when some std is zero.
func pointMassMetrics(mean, std, y []float64) (windowMetrics, error) {
	rmse, err := bnn.RMSE(mean, y)
	if err != nil {
		return windowMetrics{}, err
	}
	var sumStd, in float64
	for i := range mean {
		sumStd += std[i]
		if math.Abs(y[i]-mean[i]) <= 2*std[i] {
			in++
		}
	}
	n := float64(len(mean))
	return windowMetrics{RMSE: jfloat(rmse), MeanStd: jfloat(sumStd / n), Coverage: jfloat(in / n),
		NLL: jfloat(math.Inf(1)), CRPS: jfloat(math.NaN())}, nil
}

// report records a surrogate's metrics in the results and draws its
// figure: the ±2σ band with the data and truth, and sample trajectories.
func (r *oscRun) report(s *surrogate) error {
	d := r.data
	in, err := evalWindow(s.mean, s.std, d.xEval, d.interp, true)
	if err != nil {
		return fmt.Errorf("interpolation metrics: %w", err)
	}
	ex, err := evalWindow(s.mean, s.std, d.xEval, d.interp, false)
	if err != nil {
		return fmt.Errorf("extrapolation metrics: %w", err)
	}
	if r.res.Methods == nil {
		r.res.Methods = map[string]*methodResult{}
	}
	r.res.Methods[s.key] = &methodResult{TrainSeconds: jfloat(s.trainSec), PredictSeconds: jfloat(s.predSec), Interp: in, Extrap: ex}
	r.surrogates = append(r.surrogates, s)

	f := svgplot.NewFigure(900, 620, 2, 1)
	p := f.At(0, 0)
	p.Title = s.title + ": interpolation vs extrapolation"
	p.XLabel, p.YLabel = "Time [s]", "x(t)"
	bandPanel(p, d, s)
	q := f.At(1, 0)
	q.Title = s.title + ": " + s.sampleWhat
	q.XLabel, q.YLabel = "Time [s]", "x(t)"
	q.SetXLim(0, evalEnd)
	for k, y := range s.samples {
		st := svgplot.Style{Color: s.color, Width: 1.1, Opacity: 0.4}
		if k == 0 {
			st.Label = s.sampleWhat
		}
		q.Line(d.tEval, y, st)
	}
	q.Line(d.tPlot, d.xPlot, svgplot.Style{Color: "black", Width: 1.6, Label: "True ODE solution"})
	q.VLine(trainEnd, svgplot.Style{Color: "red", Dash: "6 4", Label: "End of training data"})
	return r.save(s.file, f)
}

// bandPanel draws the windows, the sensors, the truth, and the surrogate's
// mean with its ±2σ band.
func bandPanel(p *svgplot.Axes, d *oscData, s *surrogate) {
	windows(p, false)
	lo, hi := make([]float64, len(s.mean)), make([]float64, len(s.mean))
	for i := range s.mean {
		lo[i], hi[i] = s.mean[i]-2*s.std[i], s.mean[i]+2*s.std[i]
	}
	if s.outerLo != nil {
		p.Band(d.tEval, s.outerLo, s.outerHi, svgplot.Style{Color: s.color, Opacity: 0.12, Label: s.outerLabel})
	}
	p.Scatter(d.tTrain, d.xTrain, svgplot.Style{Color: "gray", Opacity: 0.6, Label: "Sensors (0–6 s)"})
	p.Line(d.tPlot, d.xPlot, svgplot.Style{Color: "black", Width: 1.6, Label: "True ODE solution"})
	p.Band(d.tEval, lo, hi, svgplot.Style{Color: s.color, Label: "±2σ predictive band"})
	p.Line(d.tEval, s.mean, svgplot.Style{Color: s.color, Label: s.title + " mean"})
}

// varPredictor is a model that splits its predictive variance into
// epistemic and aleatoric parts (bnn.Ensemble, bnn.MCDropout).
type varPredictor interface {
	PredictVarTo(mean, epistemic, aleatoric, x []float64) error
}

// predictEpistemic sets s.mean and s.std to m's predictive mean and
// epistemic std at te, and s.predSec to the time it took.
func (s *surrogate) predictEpistemic(m varPredictor, te []float64) error {
	start := time.Now()
	n := len(te)
	s.mean, s.std = make([]float64, n), make([]float64, n)
	if err := m.PredictVarTo(s.mean, s.std, make([]float64, n), te); err != nil {
		return err
	}
	sqrtAll(s.std)
	s.predSec = time.Since(start).Seconds()
	return nil
}

// sqrtAll replaces each variance by its square root.
func sqrtAll(v []float64) []float64 {
	for i := range v {
		v[i] = math.Sqrt(v[i])
	}
	return v
}

// saveComparison draws every reported method's ±2σ band in one figure, one
// row per method, on the same axes.
func (r *oscRun) saveComparison() error {
	if len(r.surrogates) < 2 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range r.surrogates {
		for i := range s.mean {
			lo = math.Min(lo, s.mean[i]-2*s.std[i])
			hi = math.Max(hi, s.mean[i]+2*s.std[i])
		}
	}
	lo, hi = math.Max(lo, -1.6), math.Min(hi, 1.6)
	f := svgplot.NewFigure(900, 40+250*float64(len(r.surrogates)), len(r.surrogates), 1)
	f.Title = "Predictive ±2σ bands against the truth"
	for k, s := range r.surrogates {
		p := f.At(k, 0)
		m := r.res.Methods[s.key]
		p.Title = fmt.Sprintf("%s — RMSE %.3f / %.3f, 2σ coverage %.2f / %.2f (interp / extrap)", s.title,
			float64(m.Interp.RMSE), float64(m.Extrap.RMSE), float64(m.Interp.Coverage), float64(m.Extrap.Coverage))
		p.XLabel, p.YLabel = "Time [s]", "x(t)"
		bandPanel(p, r.data, s)
		p.SetYLim(lo-0.1, hi+0.1)
		if k > 0 {
			p.LegendPos = "none"
		}
	}
	return r.save("comparison.svg", f)
}
