package svgplot

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzRender feeds arbitrary values (NaN, ±Inf, huge, equal) and labels to
// every artist and requires a document that Validate accepts: the plotting
// must never emit malformed XML or lose its axes, whatever the data.
func FuzzRender(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 240, 63, 0, 0, 0, 0, 0, 0, 0, 64}, "label & <x>")
	f.Add([]byte{0, 0, 0, 0, 0, 0, 248, 127, 0, 0, 0, 0, 0, 0, 240, 127, 1, 2, 3}, "")
	f.Fuzz(func(t *testing.T, raw []byte, label string) {
		var v []float64
		for len(raw) >= 8 {
			v = append(v, math.Float64frombits(binary.LittleEndian.Uint64(raw)))
			raw = raw[8:]
		}
		for len(v) < 12 {
			v = append(v, float64(len(v)))
		}
		v = v[:12]
		x, y := v[:6], v[6:]
		fig := NewFigure(500, 400, 1, 2)
		a := fig.At(0, 0)
		a.Title, a.XLabel, a.YLabel = label, label, label
		a.Line(x, y, Style{Label: label})
		a.Band(x, y, x, Style{Label: label})
		a.Scatter(x, y, Style{Label: label})
		a.Cross(x[:1], y[:1], Style{})
		a.Bars(x, y[:5], Style{})
		a.VLine(x[0], Style{})
		a.HLine(y[0], Style{})
		a.VSpan(x[1], x[2], Style{})
		c := fig.At(0, 1)
		c.XLabel, c.YLabel = "x", "y"
		xs, ys := []float64{0, 1, 2}, []float64{0, 1, 2, 3}
		c.Contourf(xs, ys, v, 5, Blues, label)
		c.Contour(xs, ys, v, []float64{v[0], v[1]}, Style{})
		if err := Validate(fig.Render()); err != nil {
			t.Fatalf("x %v y %v label %q: %v", x, y, label, err)
		}
		h := NewFigure(300, 300, 1, 1)
		p := h.At(0, 0)
		p.XLabel, p.YLabel = "x", "y"
		p.HeatMap(xs, ys, v, Viridis, label)
		if err := Validate(h.Render()); err != nil {
			t.Fatalf("heat map of %v: %v", v, err)
		}
	})
}
