package svgplot

import (
	"math"
	"strconv"
)

// render draws the axes number idx into the cell (cx, cy, cw, ch): frame, grid,
// ticks, labels, clipped data, colour bar and legend.
func (p *Axes) render(w *svgWriter, idx int, cx, cy, cw, ch float64) {
	x0, x1, y0, y1 := p.resolveLimits()

	// Ticks first: the y tick labels decide the left margin.
	top := 10.0
	if p.Title != "" {
		top = 30
	}
	bottom := 8 + tickLen + fontTick + 4
	if p.XLabel != "" {
		bottom += fontLabel + 8
	}
	right := 14.0
	if p.cbar != nil {
		right += colorbarRoom
		if p.cbar.label != "" {
			right += fontLabel + 4
		}
	}
	plotH := ch - top - bottom
	yt, ystep := niceTicks(y0, y1, clampInt(int(plotH/30), 3, 10))
	ylabels := make([]string, len(yt))
	labelW := 0.0
	for i, v := range yt {
		ylabels[i] = tickLabel(v, ystep)
		labelW = math.Max(labelW, textWidth(ylabels[i], fontTick))
	}
	left := 8 + labelW + tickLen + 4
	if p.YLabel != "" {
		left += fontLabel + 8
	}
	plotW := cw - left - right
	t := transform{left: cx + left, top: cy + top, w: plotW, h: plotH, xmin: x0, xmax: x1, ymin: y0, ymax: y1}

	xt, xstep := p.XTicks, 0.0
	if xt == nil {
		xt, xstep = niceTicks(x0, x1, clampInt(int(plotW/55), 3, 12))
	} else {
		xstep = minSpacing(xt)
	}

	w.open("g", attr{"class", "panel"}, attr{"id", "panel" + strconv.Itoa(idx)})
	// Plot area background and grid.
	w.elem("rect", attr{"x", num(t.left)}, attr{"y", num(t.top)}, attr{"width", num(t.w)}, attr{"height", num(t.h)},
		attr{"fill", "white"})
	if p.grid {
		var g pathBuilder
		for _, v := range xt {
			g.moveTo(t.px(v), t.top)
			g.lineTo(t.px(v), t.top+t.h)
		}
		for _, v := range yt {
			g.moveTo(t.left, t.py(v))
			g.lineTo(t.left+t.w, t.py(v))
		}
		if !g.empty() {
			w.elem("path", attr{"class", "grid"}, attr{"d", g.String()}, attr{"stroke", "#e3e3e3"}, attr{"stroke-width", "0.8"}, attr{"fill", "none"})
		}
	}

	// Data, clipped to the plot area.
	clip := "clip" + strconv.Itoa(idx)
	w.open("clipPath", attr{"id", clip})
	w.elem("rect", attr{"x", num(t.left)}, attr{"y", num(t.top)}, attr{"width", num(t.w)}, attr{"height", num(t.h)})
	w.close("clipPath")
	w.open("g", attr{"class", "data"}, attr{"clip-path", "url(#" + clip + ")"})
	for _, it := range p.items {
		it.draw(w, t)
	}
	w.close("g")

	// Frame, ticks and tick labels.
	w.elem("rect", attr{"class", "frame"}, attr{"x", num(t.left)}, attr{"y", num(t.top)}, attr{"width", num(t.w)}, attr{"height", num(t.h)},
		attr{"fill", "none"}, attr{"stroke", "#333333"}, attr{"stroke-width", "1"})
	var ticks pathBuilder
	for _, v := range xt {
		ticks.moveTo(t.px(v), t.top+t.h)
		ticks.lineTo(t.px(v), t.top+t.h+tickLen)
	}
	for _, v := range yt {
		ticks.moveTo(t.left, t.py(v))
		ticks.lineTo(t.left-tickLen, t.py(v))
	}
	w.elem("path", attr{"class", "ticks"}, attr{"d", ticks.String()}, attr{"stroke", "#333333"}, attr{"stroke-width", "1"})
	w.open("g", attr{"class", "xticklabels"}, attr{"font-size", num(fontTick)}, attr{"text-anchor", "middle"}, attr{"fill", "#222222"})
	for _, v := range xt {
		w.text("text", tickLabel(v, xstep), attr{"x", num(t.px(v))}, attr{"y", num(t.top + t.h + tickLen + 3 + fontTick)})
	}
	w.close("g")
	w.open("g", attr{"class", "yticklabels"}, attr{"font-size", num(fontTick)}, attr{"text-anchor", "end"}, attr{"fill", "#222222"})
	for i, v := range yt {
		w.text("text", ylabels[i], attr{"x", num(t.left - tickLen - 3)}, attr{"y", num(t.py(v) + fontTick*0.35)})
	}
	w.close("g")

	// Axis labels and title.
	if p.XLabel != "" {
		w.text("text", p.XLabel, attr{"class", "xlabel"}, attr{"x", num(t.left + t.w/2)}, attr{"y", num(t.top + t.h + tickLen + fontTick + fontLabel + 10)},
			attr{"text-anchor", "middle"}, attr{"font-size", num(fontLabel)})
	}
	if p.YLabel != "" {
		lx, ly := cx+8+fontLabel*0.8, t.top+t.h/2
		w.text("text", p.YLabel, attr{"class", "ylabel"}, attr{"x", num(lx)}, attr{"y", num(ly)},
			attr{"text-anchor", "middle"}, attr{"font-size", num(fontLabel)},
			attr{"transform", "rotate(-90 " + num(lx) + " " + num(ly) + ")"})
	}
	if p.Title != "" {
		w.text("text", p.Title, attr{"class", "title"}, attr{"x", num(t.left + t.w/2)}, attr{"y", num(cy + top - 10)},
			attr{"text-anchor", "middle"}, attr{"font-size", num(fontTitle)}, attr{"font-weight", "bold"})
	}
	if p.cbar != nil {
		p.cbar.draw(w, idx, t)
	}
	p.drawLegend(w, t)
	w.close("g")
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// minSpacing is the smallest gap between consecutive explicit ticks, which
// sets their label precision.
func minSpacing(v []float64) float64 {
	s := math.Inf(1)
	for i := 1; i < len(v); i++ {
		s = math.Min(s, math.Abs(v[i]-v[i-1]))
	}
	if math.IsInf(s, 1) || s == 0 {
		return 1
	}
	return s
}

// draw renders the colour bar to the right of the plot area.
func (c *colorbar) draw(w *svgWriter, idx int, t transform) {
	x := t.left + t.w + colorbarGap
	ct := transform{left: x, top: t.top, w: colorbarW, h: t.h, xmin: 0, xmax: 1, ymin: c.vmin, ymax: c.vmax}
	if c.vmax <= c.vmin {
		ct.ymax = c.vmin + 1
	}
	w.open("g", attr{"class", "colorbar"})
	if c.levels != nil {
		for k := 0; k+1 < len(c.levels); k++ {
			y0, y1 := ct.py(c.levels[k]), ct.py(c.levels[k+1])
			w.elem("rect", attr{"x", num(x)}, attr{"y", num(y1)}, attr{"width", num(colorbarW)}, attr{"height", num(y0 - y1 + 0.3)},
				attr{"fill", c.cmap.hex((float64(k) + 0.5) / float64(len(c.levels)-1))})
		}
	} else {
		id := "cbar" + strconv.Itoa(idx)
		w.open("linearGradient", attr{"id", id}, attr{"x1", "0"}, attr{"y1", "1"}, attr{"x2", "0"}, attr{"y2", "0"})
		for k := 0; k <= 16; k++ {
			u := float64(k) / 16
			w.elem("stop", attr{"offset", num(u)}, attr{"stop-color", c.cmap.hex(u)})
		}
		w.close("linearGradient")
		w.elem("rect", attr{"x", num(x)}, attr{"y", num(t.top)}, attr{"width", num(colorbarW)}, attr{"height", num(t.h)},
			attr{"fill", "url(#" + id + ")"})
	}
	w.elem("rect", attr{"x", num(x)}, attr{"y", num(t.top)}, attr{"width", num(colorbarW)}, attr{"height", num(t.h)},
		attr{"fill", "none"}, attr{"stroke", "#333333"}, attr{"stroke-width", "0.8"})
	ticks, step := niceTicks(ct.ymin, ct.ymax, clampInt(int(t.h/40), 3, 8))
	var tp pathBuilder
	w.open("g", attr{"font-size", num(fontTick)}, attr{"fill", "#222222"})
	labelW := 0.0
	for _, v := range ticks {
		y := ct.py(v)
		tp.moveTo(x+colorbarW, y)
		tp.lineTo(x+colorbarW+tickLen, y)
		s := tickLabel(v, step)
		labelW = math.Max(labelW, textWidth(s, fontTick))
		w.text("text", s, attr{"x", num(x + colorbarW + tickLen + 3)}, attr{"y", num(y + fontTick*0.35)})
	}
	w.close("g")
	if !tp.empty() {
		w.elem("path", attr{"d", tp.String()}, attr{"stroke", "#333333"}, attr{"stroke-width", "1"})
	}
	if c.label != "" {
		lx := x + colorbarW + tickLen + 3 + labelW + 6 + fontLabel*0.8
		ly := t.top + t.h/2
		w.text("text", c.label, attr{"x", num(lx)}, attr{"y", num(ly)}, attr{"text-anchor", "middle"}, attr{"font-size", num(fontLabel)},
			attr{"transform", "rotate(-90 " + num(lx) + " " + num(ly) + ")"})
	}
	w.close("g")
}
