package main

import (
	"math"
	"strconv"
)

// drawLegend draws a box listing every labelled artist, in the order they
// were added, in the corner named by legendPos.
func (p *panel) drawLegend(w *svgWriter, t transform) {
	if p.legendPos == "none" {
		return
	}
	type entry struct {
		st   style
		kind string
	}
	var entries []entry
	width := 0.0
	for _, it := range p.items {
		st, kind := it.legend()
		if st.label == "" {
			continue
		}
		entries = append(entries, entry{st, kind})
		width = math.Max(width, textWidth(st.label, fontLegend))
	}
	if len(entries) == 0 {
		return
	}
	const pad, swatch, rowH = 6.0, 24.0, fontLegend + 6
	boxW := pad + swatch + 6 + width + pad
	boxH := pad + float64(len(entries))*rowH + pad - 4
	pos := p.legendPos
	if pos == "best" {
		pos = p.bestCorner(t, boxW, boxH)
	}
	x := t.left + t.w - boxW - 6
	y := t.top + 6
	switch pos {
	case "upper left":
		x = t.left + 6
	case "lower left":
		x, y = t.left+6, t.top+t.h-boxH-6
	case "lower right":
		y = t.top + t.h - boxH - 6
	}
	w.open("g", attr{"class", "legend"}, attr{"font-size", num(fontLegend)})
	w.elem("rect", attr{"x", num(x)}, attr{"y", num(y)}, attr{"width", num(boxW)}, attr{"height", num(boxH)}, attr{"rx", "3"},
		attr{"fill", "white"}, attr{"fill-opacity", "0.85"}, attr{"stroke", "#bbbbbb"}, attr{"stroke-width", "0.8"})
	for i, e := range entries {
		cy := y + pad + float64(i)*rowH + rowH/2 - 2
		sx := x + pad
		col := e.st.color
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
				attr{"stroke", col}, attr{"stroke-width", num(math.Max(e.st.width, 1.5))}, attr{"stroke-dasharray", e.st.dash},
				attr{"stroke-opacity", num2(math.Max(e.st.alpha(), 0.6))})
		}
		w.text("text", e.st.label, attr{"x", num(sx + swatch + 6)}, attr{"y", num(cy + fontLegend*0.35)}, attr{"fill", "#222222"})
	}
	w.close("g")
}

// num2 formats an opacity with at most three decimals.
func num2(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

// corners are the legend positions "best" chooses from, in order of preference.
var corners = []string{"upper right", "upper left", "lower right", "lower left"}

// pointer is implemented by artists whose data points the legend should
// avoid covering.
type pointer interface {
	points(fn func(x, y float64))
}

// bestCorner returns the corner where a boxW×boxH legend covers the fewest
// data points (the first in corners on ties).
func (p *panel) bestCorner(t transform, boxW, boxH float64) string {
	counts := make([]int, len(corners))
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
			right := px >= t.left+t.w-boxW-12
			left := px <= t.left+boxW+12
			upper := py <= t.top+boxH+12
			lower := py >= t.top+t.h-boxH-12
			for k, c := range []bool{upper && right, upper && left, lower && right, lower && left} {
				if c {
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
	return corners[best]
}
