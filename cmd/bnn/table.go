package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// tableOrder is the row order of the comparison table.
var tableOrder = []string{"grid_posterior", "bnn", "ensemble", "dropout", "hmc"}

// writeTable prints one row per method with its interpolation and
// extrapolation metrics and its times.
func writeTable(w io.Writer, methods map[string]*methodResult) {
	head := fmt.Sprintf("%-15s │ %-32s │ %-32s │ %8s %8s", "method",
		"interpolation 0–6 s", "extrapolation 6–8 s", "train", "predict")
	sub := fmt.Sprintf("%-15s │ %7s %7s %7s %8s │ %7s %7s %7s %8s │ %8s %8s", "",
		"RMSE", "std", "cov2σ", "NLL", "RMSE", "std", "cov2σ", "NLL", "s", "s")
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, sub)
	fmt.Fprintln(w, strings.Repeat("─", 16)+"┼"+strings.Repeat("─", 34)+"┼"+strings.Repeat("─", 34)+"┼"+strings.Repeat("─", 18))
	for _, name := range tableOrder {
		m, ok := methods[name]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "%-15s │ %s │ %s │ %8s %8s\n", name, m.Interp.cells(), m.Extrap.cells(),
			cell(float64(m.TrainSeconds), 3), cell(float64(m.PredictSeconds), 3))
	}
}

// cells formats a window's four metrics as table cells.
func (m windowMetrics) cells() string {
	return fmt.Sprintf("%7s %7s %7s %8s", cell(float64(m.RMSE), 4), cell(float64(m.MeanStd), 4),
		cell(float64(m.Coverage), 3), cell(float64(m.NLL), 3))
}

// cell formats v with dec decimals, or "–" when it is not finite.
func cell(v float64, dec int) string {
	switch {
	case math.IsInf(v, 1):
		return "∞"
	case math.IsNaN(v) || math.IsInf(v, -1):
		return "–"
	case math.Abs(v) >= 1000:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.*f", dec, v)
}
