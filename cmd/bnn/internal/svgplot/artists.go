package svgplot

import "math"

// finite reports whether every value is a finite number.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// lineArtist is a polyline; non-finite points break it into pieces.
type lineArtist struct {
	x, y []float64
	st   Style
}

// Line adds a polyline through (x[i], y[i]) (default width 1.8); a
// non-finite point breaks it into pieces.
func (p *Axes) Line(x, y []float64, st Style) {
	if st.Width == 0 {
		st.Width = 1.8
	}
	p.items = append(p.items, &lineArtist{x, y, st})
}

func (a *lineArtist) extend(b *bounds) {
	for i := range min(len(a.x), len(a.y)) {
		if finite(a.x[i], a.y[i]) {
			b.addX(a.x[i])
			b.addY(a.y[i])
		}
	}
}

func (a *lineArtist) draw(w *svgWriter, t transform) {
	var d pathBuilder
	pen := false
	for i := range min(len(a.x), len(a.y)) {
		if !finite(a.x[i], a.y[i]) {
			pen = false
			continue
		}
		if pen {
			d.lineTo(t.px(a.x[i]), t.py(a.y[i]))
		} else {
			d.moveTo(t.px(a.x[i]), t.py(a.y[i]))
			pen = true
		}
	}
	if d.empty() {
		return
	}
	w.elem("path", attr{"class", "line"}, attr{"d", d.String()}, attr{"fill", "none"}, attr{"stroke", a.st.Color},
		attr{"stroke-width", num(a.st.Width)}, attr{"stroke-dasharray", a.st.Dash}, attr{"stroke-opacity", opacityAttr(a.st)},
		attr{"stroke-linejoin", "round"}, attr{"stroke-linecap", "round"})
}

func (a *lineArtist) points(fn func(x, y float64)) {
	for i := range min(len(a.x), len(a.y)) {
		fn(a.x[i], a.y[i])
	}
}

func (a *lineArtist) legend() (Style, string) { return a.st, "line" }

// opacityAttr is the opacity attribute value, empty when fully opaque.
func opacityAttr(st Style) string {
	if st.alpha() == 1 {
		return ""
	}
	return num2(st.alpha())
}

// bandArtist shades the region between lo(x) and hi(x) (fill between).
type bandArtist struct {
	x, lo, hi []float64
	st        Style
}

// Band shades between the curves lo and hi over x (default opacity 0.3),
// such as a credible band.
func (p *Axes) Band(x, lo, hi []float64, st Style) {
	if st.Opacity == 0 {
		st.Opacity = 0.3
	}
	p.items = append(p.items, &bandArtist{x, lo, hi, st})
}

func (a *bandArtist) n() int { return min(len(a.x), len(a.lo), len(a.hi)) }

func (a *bandArtist) extend(b *bounds) {
	for i := range a.n() {
		if finite(a.x[i], a.lo[i], a.hi[i]) {
			b.addX(a.x[i])
			b.addY(a.lo[i])
			b.addY(a.hi[i])
		}
	}
}

func (a *bandArtist) draw(w *svgWriter, t transform) {
	var d pathBuilder
	// Each run of finite points becomes one closed polygon: along hi, back along lo.
	n := a.n()
	for i := 0; i < n; {
		if !finite(a.x[i], a.lo[i], a.hi[i]) {
			i++
			continue
		}
		j := i
		for j < n && finite(a.x[j], a.lo[j], a.hi[j]) {
			j++
		}
		d.moveTo(t.px(a.x[i]), t.py(a.hi[i]))
		for k := i + 1; k < j; k++ {
			d.lineTo(t.px(a.x[k]), t.py(a.hi[k]))
		}
		for k := j - 1; k >= i; k-- {
			d.lineTo(t.px(a.x[k]), t.py(a.lo[k]))
		}
		d.closePath()
		i = j
	}
	if d.empty() {
		return
	}
	w.elem("path", attr{"class", "band"}, attr{"d", d.String()}, attr{"fill", a.st.Color}, attr{"fill-opacity", num2(a.st.alpha())},
		attr{"stroke", "none"})
}

func (a *bandArtist) points(fn func(x, y float64)) {
	for i := range a.n() {
		fn(a.x[i], a.lo[i])
		fn(a.x[i], a.hi[i])
		fn(a.x[i], (a.lo[i]+a.hi[i])/2)
	}
}

func (a *bandArtist) legend() (Style, string) { return a.st, "patch" }

// scatterArtist draws a circle (or a cross when cross is set) at each point.
type scatterArtist struct {
	x, y  []float64
	st    Style
	cross bool
}

// Scatter adds filled circles of radius st.Size (default 3).
func (p *Axes) Scatter(x, y []float64, st Style) {
	if st.Size == 0 {
		st.Size = 3
	}
	p.items = append(p.items, &scatterArtist{x: x, y: y, st: st})
}

// Cross adds × markers of half-size st.Size (default 6), as for a truth.
func (p *Axes) Cross(x, y []float64, st Style) {
	if st.Size == 0 {
		st.Size = 6
	}
	if st.Width == 0 {
		st.Width = 2.2
	}
	p.items = append(p.items, &scatterArtist{x: x, y: y, st: st, cross: true})
}

func (a *scatterArtist) extend(b *bounds) {
	for i := range min(len(a.x), len(a.y)) {
		if finite(a.x[i], a.y[i]) {
			b.addX(a.x[i])
			b.addY(a.y[i])
		}
	}
}

func (a *scatterArtist) draw(w *svgWriter, t transform) {
	cls := "scatter"
	if a.cross {
		cls = "marker"
	}
	w.open("g", attr{"class", cls})
	for i := range min(len(a.x), len(a.y)) {
		if !finite(a.x[i], a.y[i]) {
			continue
		}
		if a.cross {
			drawCross(w, t.px(a.x[i]), t.py(a.y[i]), a.st.Size, a.st.Color, a.st.Width)
			continue
		}
		w.elem("circle", attr{"cx", num(t.px(a.x[i]))}, attr{"cy", num(t.py(a.y[i]))}, attr{"r", num(a.st.Size)},
			attr{"fill", a.st.Color}, attr{"fill-opacity", opacityAttr(a.st)})
	}
	w.close("g")
}

func (a *scatterArtist) points(fn func(x, y float64)) {
	for i := range min(len(a.x), len(a.y)) {
		fn(a.x[i], a.y[i])
	}
}

func (a *scatterArtist) legend() (Style, string) {
	if a.cross {
		return a.st, "x"
	}
	return a.st, "marker"
}

// drawCross draws an × of half-size h centred on (x, y).
func drawCross(w *svgWriter, x, y, h float64, col string, width float64) {
	var d pathBuilder
	d.moveTo(x-h, y-h)
	d.lineTo(x+h, y+h)
	d.moveTo(x-h, y+h)
	d.lineTo(x+h, y-h)
	w.elem("path", attr{"d", d.String()}, attr{"stroke", col}, attr{"stroke-width", num(width)}, attr{"stroke-linecap", "round"}, attr{"fill", "none"})
}

// spanArtist shades a vertical strip x0 ≤ x ≤ x1 over the full height.
type spanArtist struct {
	x0, x1 float64
	st     Style
}

// VSpan shades the strip between x0 and x1 across the full height (an axvspan).
func (p *Axes) VSpan(x0, x1 float64, st Style) {
	if st.Opacity == 0 {
		st.Opacity = 0.08
	}
	p.items = append(p.items, &spanArtist{x0, x1, st})
}

func (a *spanArtist) extend(b *bounds) { b.addX(a.x0); b.addX(a.x1) }

func (a *spanArtist) draw(w *svgWriter, t transform) {
	l, r := t.px(a.x0), t.px(a.x1)
	w.elem("rect", attr{"class", "span"}, attr{"x", num(math.Min(l, r))}, attr{"y", num(t.top)}, attr{"width", num(math.Abs(r - l))},
		attr{"height", num(t.h)}, attr{"fill", a.st.Color}, attr{"fill-opacity", num2(a.st.alpha())})
}

func (a *spanArtist) legend() (Style, string) { return a.st, "patch" }

// refLine is a vertical (x = v) or horizontal (y = v) reference line across the plot.
type refLine struct {
	v        float64
	vertical bool
	st       Style
}

// VLine draws the vertical line x = v across the full height (an axvline).
func (p *Axes) VLine(v float64, st Style) {
	if st.Width == 0 {
		st.Width = 1.2
	}
	p.items = append(p.items, &refLine{v, true, st})
}

// HLine draws the horizontal line y = v across the full width (an axhline).
func (p *Axes) HLine(v float64, st Style) {
	if st.Width == 0 {
		st.Width = 1.2
	}
	p.items = append(p.items, &refLine{v, false, st})
}

func (a *refLine) extend(b *bounds) {
	if a.vertical {
		b.addX(a.v)
	} else {
		b.addY(a.v)
	}
}

func (a *refLine) draw(w *svgWriter, t transform) {
	x1, y1, x2, y2 := t.px(a.v), t.top, t.px(a.v), t.top+t.h
	if !a.vertical {
		x1, y1, x2, y2 = t.left, t.py(a.v), t.left+t.w, t.py(a.v)
	}
	w.elem("line", attr{"class", "refline"}, attr{"x1", num(x1)}, attr{"y1", num(y1)}, attr{"x2", num(x2)}, attr{"y2", num(y2)},
		attr{"stroke", a.st.Color}, attr{"stroke-width", num(a.st.Width)}, attr{"stroke-dasharray", a.st.Dash},
		attr{"stroke-opacity", opacityAttr(a.st)})
}

func (a *refLine) legend() (Style, string) { return a.st, "line" }

// barsArtist is a histogram: bar i spans edges[i]..edges[i+1] with height h[i].
type barsArtist struct {
	edges, h []float64
	st       Style
}

// Bars adds a histogram: bar i spans [edges[i], edges[i+1]] with height
// h[i] (len(h)+1 edges).
func (p *Axes) Bars(edges, h []float64, st Style) {
	if st.Opacity == 0 {
		st.Opacity = 0.45
	}
	p.items = append(p.items, &barsArtist{edges, h, st})
}

func (a *barsArtist) extend(b *bounds) {
	for i := range a.h {
		if i+1 < len(a.edges) && finite(a.edges[i], a.edges[i+1], a.h[i]) {
			b.addX(a.edges[i])
			b.addX(a.edges[i+1])
			b.addY(a.h[i])
			b.addY(0)
		}
	}
}

func (a *barsArtist) draw(w *svgWriter, t transform) {
	var d pathBuilder
	for i := range a.h {
		if i+1 >= len(a.edges) || !finite(a.edges[i], a.edges[i+1], a.h[i]) {
			continue
		}
		l, r, y0, y1 := t.px(a.edges[i]), t.px(a.edges[i+1]), t.py(0), t.py(a.h[i])
		d.moveTo(l, y0)
		d.lineTo(l, y1)
		d.lineTo(r, y1)
		d.lineTo(r, y0)
		d.closePath()
	}
	if d.empty() {
		return
	}
	w.elem("path", attr{"class", "bars"}, attr{"d", d.String()}, attr{"fill", a.st.Color}, attr{"fill-opacity", num2(a.st.alpha())},
		attr{"stroke", "white"}, attr{"stroke-width", "0.8"})
}

func (a *barsArtist) points(fn func(x, y float64)) {
	for i := range a.h {
		if i+1 < len(a.edges) {
			for k := 0; k <= 4; k++ {
				fn(a.edges[i]+(a.edges[i+1]-a.edges[i])*float64(k)/4, a.h[i])
			}
		}
	}
}

func (a *barsArtist) legend() (Style, string) { return a.st, "patch" }
