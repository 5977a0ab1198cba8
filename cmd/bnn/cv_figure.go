package main

// saveCalibrationFigure draws observed against nominal coverage of the
// central intervals, one line per method, with the diagonal.
func saveCalibrationFigure(path string, rep *cvReport) error {
	f := newFigure(520, 460, 1, 1)
	p := f.at(0, 0)
	p.title = "Calibration of the central intervals"
	p.xlabel, p.ylabel = "nominal coverage", "observed coverage"
	p.setXLim(0, 1)
	p.setYLim(0, 1)
	p.line([]float64{0, 1}, []float64{0, 1}, style{color: "gray", width: 1, dash: "4 3", label: "ideal"})
	for k, m := range rep.Methods {
		p.line(append([]float64{0}, rep.CurveLevels...), append([]float64{0}, m.CurveObserved...),
			style{color: cycle(k), width: 1.6, label: m.Method})
	}
	p.legendPos = "upper left"
	return f.save(path)
}
