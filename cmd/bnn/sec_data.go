package main

// Shared figure styles for the oscillator plots.
var (
	interpSpan = style{color: "green", opacity: 0.07, label: "Interpolation window"}
	extrapSpan = style{color: "red", opacity: 0.07, label: "Extrapolation window"}
	truthLine  = style{color: "black", width: 1.6, label: "True trajectory"}
)

// windows shades the interpolation and extrapolation windows.
func windows(p *panel, labelled bool) {
	in, ex := interpSpan, extrapSpan
	if !labelled {
		in.label, ex.label = "", ""
	}
	p.vspan(0, trainEnd, in)
	p.vspan(trainEnd, evalEnd, ex)
	p.setXLim(0, evalEnd)
}

// sectionData plots the measurements against the truth (the seed's first figure).
func sectionData(r *oscRun) error {
	d := r.data
	r.res.Data = &dataSummary{
		Theta: [2]float64{trueZeta, trueOmega}, NoiseStd: noiseStd, NTrain: nTrain,
		TrainSpan: [2]float64{0, trainEnd}, EvalSpan: [2]float64{0, evalEnd}, NEval: nEval,
	}
	f := newFigure(860, 330, 1, 1)
	p := f.at(0, 0)
	p.title = "Measurements and ground truth for the damped oscillator"
	p.xlabel, p.ylabel = "Time [s]", "x(t)"
	windows(p, true)
	tl := truthLine
	tl.label = "True trajectory (0–8 s)"
	p.line(d.tPlot, d.xPlot, tl)
	p.scatter(d.tTrain, d.xTrain, style{color: cycle(0), size: 3.5, label: "Noisy sensors (0–6 s)"})
	return r.save("data.svg", f)
}
