package main

import (
	"fmt"
	"math"
	"os"
)

// Typography and layout constants, in SVG user units (pixels).
const (
	fontFamily   = "DejaVu Sans, Helvetica, Arial, sans-serif"
	fontTick     = 11.0
	fontLabel    = 12.5
	fontTitle    = 13.5
	fontLegend   = 11.0
	tickLen      = 4.0
	colorbarGap  = 12.0
	colorbarW    = 14.0
	colorbarRoom = 72.0
)

// figure is a grid of panels (subplots) rendered into one SVG document.
type figure struct {
	width, height float64
	rows, cols    int
	title         string
	panels        []*panel
}

// newFigure returns a width×height figure with rows×cols empty panels.
func newFigure(width, height float64, rows, cols int) *figure {
	f := &figure{width: width, height: height, rows: rows, cols: cols}
	for i := 0; i < rows*cols; i++ {
		f.panels = append(f.panels, &panel{grid: true, legendPos: "best"})
	}
	return f
}

// at returns the panel in row r and column c (both from 0).
func (f *figure) at(r, c int) *panel { return f.panels[r*f.cols+c] }

// style describes how an artist is drawn. Zero values mean defaults.
type style struct {
	color   string  // stroke or fill colour
	width   float64 // stroke width
	dash    string  // stroke-dasharray, e.g. "5 3"
	opacity float64 // stroke or fill opacity; 0 means 1
	size    float64 // marker radius or half-size
	label   string  // legend entry; empty means none
}

func (s style) alpha() float64 {
	if s.opacity == 0 {
		return 1
	}
	return s.opacity
}

// panel is one set of axes with its artists.
type panel struct {
	title, xlabel, ylabel string
	xlim, ylim            [2]float64
	xset, yset            bool
	tight                 bool // no margins around the data (images, contours)
	grid                  bool
	legendPos             string // "best" (default), "none", or a name in legendPositions such as "upper right"
	xticks                []float64
	items                 []artist
	cbar                  *colorbar
}

// setXLim and setYLim fix the axis limits instead of fitting the data.
func (p *panel) setXLim(lo, hi float64) { p.xlim, p.xset = [2]float64{lo, hi}, true }
func (p *panel) setYLim(lo, hi float64) { p.ylim, p.yset = [2]float64{lo, hi}, true }

// bounds is a data-space bounding box; ok is false when empty.
type bounds struct {
	x0, x1, y0, y1 float64
	xok, yok       bool
}

func (b *bounds) addX(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	if !b.xok {
		b.x0, b.x1, b.xok = v, v, true
		return
	}
	b.x0, b.x1 = math.Min(b.x0, v), math.Max(b.x1, v)
}

func (b *bounds) addY(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	if !b.yok {
		b.y0, b.y1, b.yok = v, v, true
		return
	}
	b.y0, b.y1 = math.Min(b.y0, v), math.Max(b.y1, v)
}

// transform maps data coordinates to pixels inside a panel's plot area.
type transform struct {
	left, top, w, h        float64
	xmin, xmax, ymin, ymax float64
}

func (t transform) px(x float64) float64 { return t.left + (x-t.xmin)/(t.xmax-t.xmin)*t.w }
func (t transform) py(y float64) float64 { return t.top + t.h - (y-t.ymin)/(t.ymax-t.ymin)*t.h }

// artist is anything a panel can draw.
type artist interface {
	extend(b *bounds)
	draw(w *svgWriter, t transform)
	legend() (style, string) // the style and swatch kind ("line", "patch", "marker", "x") for the legend
}

// colorbar is the colour scale drawn to the right of a panel.
type colorbar struct {
	cmap       colormap
	vmin, vmax float64
	levels     []float64 // band edges for a filled contour; nil for a continuous scale
	label      string
}

// resolveLimits picks the axis limits: fixed ones as given, otherwise the
// data range with a 5 % margin (none for tight panels).
func (p *panel) resolveLimits() (x0, x1, y0, y1 float64) {
	var b bounds
	for _, it := range p.items {
		it.extend(&b)
	}
	x0, x1 = pad(b.x0, b.x1, b.xok, p.tight)
	y0, y1 = pad(b.y0, b.y1, b.yok, p.tight)
	if p.xset {
		x0, x1 = p.xlim[0], p.xlim[1]
	}
	if p.yset {
		y0, y1 = p.ylim[0], p.ylim[1]
	}
	return
}

func pad(lo, hi float64, ok, tight bool) (float64, float64) {
	if !ok {
		return 0, 1
	}
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.1, 0.5)
		return lo - d, hi + d
	}
	if tight {
		return lo, hi
	}
	m := 0.05 * (hi - lo)
	return lo - m, hi + m
}

// textWidth estimates the rendered width of s at the given font size, for
// layout (legend boxes, margins). DejaVu Sans averages about 0.6 em.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r == 'i' || r == 'l' || r == 'j' || r == '.' || r == ',' || r == ':' || r == '|' || r == '\'' || r == ' ' || r == '(' || r == ')' || r == '[' || r == ']':
			w += 0.34
		case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '—':
			w += 0.9
		case r >= 'A' && r <= 'Z':
			w += 0.72
		case r >= '0' && r <= '9':
			w += 0.64
		default:
			w += 0.61
		}
	}
	return w * size
}

// save renders the figure and writes it to path.
func (f *figure) save(path string) error {
	if err := os.WriteFile(path, f.render(), 0o644); err != nil {
		return fmt.Errorf("bnn: write figure: %w", err)
	}
	return nil
}

// render returns the SVG document for the figure.
func (f *figure) render() []byte {
	w := &svgWriter{}
	w.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.open("svg",
		attr{"xmlns", "http://www.w3.org/2000/svg"},
		attr{"xmlns:xlink", "http://www.w3.org/1999/xlink"},
		attr{"width", num(f.width)}, attr{"height", num(f.height)},
		attr{"viewBox", "0 0 " + num(f.width) + " " + num(f.height)},
		attr{"font-family", fontFamily})
	if name := f.name(); name != "" {
		w.text("title", name)
	}
	w.elem("rect", attr{"width", "100%"}, attr{"height", "100%"}, attr{"fill", "white"})
	top := 0.0
	if f.title != "" {
		w.text("text", f.title, attr{"x", num(f.width / 2)}, attr{"y", "22"}, attr{"text-anchor", "middle"},
			attr{"font-size", num(fontTitle + 1.5)}, attr{"font-weight", "bold"})
		top = 30
	}
	cw := f.width / float64(f.cols)
	ch := (f.height - top) / float64(f.rows)
	for i, p := range f.panels {
		r, c := i/f.cols, i%f.cols
		p.render(w, i, float64(c)*cw, top+float64(r)*ch, cw, ch)
	}
	w.close("svg")
	return w.buf.Bytes()
}

// name is the figure's title, or its first panel title, for the SVG <title>.
func (f *figure) name() string {
	if f.title != "" {
		return f.title
	}
	for _, p := range f.panels {
		if p.title != "" {
			return p.title
		}
	}
	return ""
}
