package main

import "github.com/gobnn/bnn/cmd/bnn/internal/svgplot"

// saveCalibrationFigure draws observed against nominal coverage of the
// central intervals, one line per method, with the diagonal.
func saveCalibrationFigure(path string, rep *cvReport) error {
	f := svgplot.NewFigure(520, 460, 1, 1)
	p := f.At(0, 0)
	p.Title = "Calibration of the central intervals"
	p.XLabel, p.YLabel = "nominal coverage", "observed coverage"
	p.SetXLim(0, 1)
	p.SetYLim(0, 1)
	p.Line([]float64{0, 1}, []float64{0, 1}, svgplot.Style{Color: "gray", Width: 1, Dash: "4 3", Label: "ideal"})
	for k, m := range rep.Methods {
		p.Line(append([]float64{0}, rep.CurveLevels...), append([]float64{0}, m.CurveObserved...),
			svgplot.Style{Color: svgplot.Cycle(k), Width: 1.6, Label: m.Method})
	}
	p.LegendPos = "upper left"
	return f.Save(path)
}
