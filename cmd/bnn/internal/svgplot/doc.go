// Package svgplot draws the figures of the bnn command as standalone SVG
// documents, with the standard library only.
//
// A Figure is a grid of Axes. Each Axes collects artists, drawn in the
// order they were added:
//
//   - Line, Scatter and Cross for curves and points,
//   - Band for a shaded region between two curves (credible bands),
//   - VSpan, VLine and HLine for reference strips and lines,
//   - Bars for histograms,
//   - Contourf, Contour and HeatMap for a field on a grid, with a colour bar.
//
// Artists with a Style.Label appear in the Axes' legend. Axis limits fit the
// data unless fixed; ticks sit at multiples of 1, 2 or 5 × 10ᵏ. Render
// returns the document (the same bytes for the same figure); Save writes it
// to a file; Validate checks a rendered document's structure.
//
//	f := svgplot.NewFigure(640, 360, 1, 1)
//	a := f.At(0, 0)
//	a.Title, a.XLabel, a.YLabel = "Fit", "x", "y"
//	a.Band(x, lo, hi, svgplot.Style{Color: svgplot.Cycle(0), Label: "95% band"})
//	a.Line(x, mean, svgplot.Style{Color: svgplot.Cycle(0), Label: "mean"})
//	err := f.Save("fit.svg")
package svgplot
