package main

// Shared figure styles for the oscillator plots.
var (
	interpSpan = svgplot.Style{Color: "green", Opacity: 0.07, Label: "Interpolation window"}
	extrapSpan = svgplot.Style{Color: "red", Opacity: 0.07, Label: "Extrapolation window"}
	truthLine  = svgplot.Style{Color: "black", Width: 1.6, Label: "True trajectory"}
)

// windows shades the interpolation and extrapolation windows.
func windows(p *svgplot.Axes, labelled bool) {
	in, ex := interpSpan, extrapSpan
	if !labelled {
		in.Label, ex.Label = "", ""
	}
	p.VSpan(0, trainEnd, in)
	p.VSpan(trainEnd, evalEnd, ex)
	p.SetXLim(0, evalEnd)
}

// sectionData plots the measurements against the truth (the seed's first figure).
func sectionData(r *oscRun) error {
	d := r.data
	r.res.Data = &dataSummary{
		Theta: [2]float64{trueZeta, trueOmega}, NoiseStd: noiseStd, NTrain: nTrain,
		TrainSpan: [2]float64{0, trainEnd}, EvalSpan: [2]float64{0, evalEnd}, NEval: nEval,
	}
	f := svgplot.NewFigure(860, 330, 1, 1)
	p := f.At(0, 0)
	p.Title = "Measurements and ground truth for the damped oscillator"
	p.XLabel, p.YLabel = "Time [s]", "x(t)"
	windows(p, true)
	tl := truthLine
	tl.Label = "True trajectory (0–8 s)"
	p.Line(d.tPlot, d.xPlot, tl)
	p.Scatter(d.tTrain, d.xTrain, svgplot.Style{Color: svgplot.Cycle(0), Size: 3.5, Label: "Noisy sensors (0–6 s)"})
	return r.save("data.svg", f)
}
