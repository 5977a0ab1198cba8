package svgplot

import (
	"math"
	"strconv"
)

// drawLegend draws a box listing every labelled artist, in the order they
// were added, in the corner named by legendPos.
func (p *Axes) drawLegend(w *svgWriter, t transform) {
	if p.LegendPos == "none" {
		return
	}
	type entry struct {
		st   Style
		kind string
	}
	var entries []entry
	width := 0.0
	for _, it := range p.items {
		st, kind := it.legend()
		if st.Label == "" {
			continue
		}
		entries = append(entries, entry{st, kind})
		width = math.Max(width, textWidth(st.Label, fontLegend))
	}
	if len(entries) == 0 {
		return
	}
	const pad, swatch, rowH = 6.0, 24.0, fontLegend + 6
	boxW := pad + swatch + 6 + width + pad
	boxH := pad + float64(len(entries))*rowH + pad - 4
	pos := p.LegendPos
	if pos == "best" {
		pos = p.bestPosition(t, boxW, boxH)
	}
	x, y := legendBox(t, pos, boxW, boxH)
	w.open("g", attr{"class", "legend"}, attr{"font-size", num(fontLegend)})
	w.elem("rect", attr{"x", num(x)}, attr{"y", num(y)}, attr{"width", num(boxW)}, attr{"height", num(boxH)}, attr{"rx", "3"},
		attr{"fill", "white"}, attr{"fill-opacity", "0.85"}, attr{"stroke", "#bbbbbb"}, attr{"stroke-width", "0.8"})
	for i, e := range entries {
		cy := y + pad + float64(i)*rowH + rowH/2 - 2
		sx := x + pad
		col := e.st.Color
		switch e.kind {
		case "patch":
			w.elem("rect", attr{"x", num(sx)}, attr{"y", num(cy - 5)}, attr{"width", num(swatch)}, attr{"height", "10"},
				attr{"fill", col}, attr{"fill-opacity", num2(e.st.alpha())}, attr{"stroke", col}, attr{"stroke-opacity", num2(math.Min(1, 2*e.st.alpha()))})
		case "marker":
			w.elem("circle", attr{"cx", num(sx + swatch/2)}, attr{"cy", num(cy)}, attr{"r", "3.5"},
				attr{"fill", col}, attr{"fill-opacity", num2(e.st.alpha())})
		case "x":
			drawCross(w, sx+swatch/2, cy, 4.5, col, 2)
		default:
			w.elem("line", attr{"x1", num(sx)}, attr{"y1", num(cy)}, attr{"x2", num(sx + swatch)}, attr{"y2", num(cy)},
				attr{"stroke", col}, attr{"stroke-width", num(math.Max(e.st.Width, 1.5))}, attr{"stroke-dasharray", e.st.Dash},
				attr{"stroke-opacity", num2(math.Max(e.st.alpha(), 0.6))})
		}
		w.text("text", e.st.Label, attr{"x", num(sx + swatch + 6)}, attr{"y", num(cy + fontLegend*0.35)}, attr{"fill", "#222222"})
	}
	w.close("g")
}

// num2 formats an opacity with at most three decimals.
func num2(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

// legendPositions are the places "best" chooses from, in order of
// preference, with the box's placement as fractions of the free width and
// height of the plot area.
var legendPositions = []struct {
	name   string
	fx, fy float64
}{
	{"upper right", 1, 0}, {"upper left", 0, 0}, {"lower right", 1, 1}, {"lower left", 0, 1},
	{"upper center", 0.5, 0}, {"lower center", 0.5, 1}, {"center right", 1, 0.5}, {"center left", 0, 0.5},
}

// legendBox returns the top-left corner of a boxW×boxH legend at the named
// position (upper right for an unknown name), 6 px inside the plot area.
func legendBox(t transform, pos string, boxW, boxH float64) (float64, float64) {
	fx, fy := 1.0, 0.0
	for _, lp := range legendPositions {
		if lp.name == pos {
			fx, fy = lp.fx, lp.fy
		}
	}
	return t.left + 6 + fx*(t.w-boxW-12), t.top + 6 + fy*(t.h-boxH-12)
}

// pointer is implemented by artists whose data points the legend should
// avoid covering.
type pointer interface {
	points(fn func(x, y float64))
}

// bestPosition returns the position where a boxW×boxH legend (with a small
// margin) covers the fewest data points, the first in legendPositions on ties.
func (p *Axes) bestPosition(t transform, boxW, boxH float64) string {
	counts := make([]int, len(legendPositions))
	for _, it := range p.items {
		pt, ok := it.(pointer)
		if !ok {
			continue
		}
		pt.points(func(x, y float64) {
			if !finite(x, y) {
				return
			}
			px, py := t.px(x), t.py(y)
			for k, lp := range legendPositions {
				bx, by := legendBox(t, lp.name, boxW, boxH)
				if px >= bx-6 && px <= bx+boxW+6 && py >= by-6 && py <= by+boxH+6 {
					counts[k]++
				}
			}
		})
	}
	best := 0
	for k := range counts {
		if counts[k] < counts[best] {
			best = k
		}
	}
	return legendPositions[best].name
}
