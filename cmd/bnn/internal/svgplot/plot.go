package svgplot

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

// Figure is a grid of Axes (subplots) rendered into one SVG document.
// Set Title for a bold heading above the grid.
type Figure struct {
	width, height float64
	rows, cols    int
	Title         string
	panels        []*Axes
}

// NewFigure returns a width×height figure (SVG user units, i.e. pixels)
// with rows×cols empty Axes.
func NewFigure(width, height float64, rows, cols int) *Figure {
	f := &Figure{width: width, height: height, rows: rows, cols: cols}
	for i := 0; i < rows*cols; i++ {
		f.panels = append(f.panels, &Axes{grid: true, LegendPos: "best"})
	}
	return f
}

// At returns the Axes in row r and column c (both from 0). It panics if
// either is out of range.
func (f *Figure) At(r, c int) *Axes { return f.panels[r*f.cols+c] }

// Style describes how a line, band, marker or bar is drawn. Zero fields
// take the defaults of the method that draws it; colours are any SVG colour
// (a name or "#rrggbb").
type Style struct {
	Color   string  // stroke or fill colour
	Width   float64 // stroke width
	Dash    string  // stroke-dasharray, e.g. "5 3"
	Opacity float64 // stroke or fill opacity; 0 means 1
	Size    float64 // marker radius or half-size
	Label   string  // legend entry; empty means none
}

func (s Style) alpha() float64 {
	if s.Opacity == 0 {
		return 1
	}
	return s.Opacity
}

// Axes is one panel of a Figure: a frame with ticks, grid, labels, the
// artists added by its methods (drawn in the order added), an optional
// colour bar and a legend of the labelled artists. Limits fit the data with
// a 5% margin unless set by SetXLim/SetYLim.
type Axes struct {
	// Title is drawn above the frame; XLabel and YLabel beside the axes.
	Title, XLabel, YLabel string
	// LegendPos places the legend: "best" (the default from NewFigure: the
	// position that covers the fewest data points), "none", or one of
	// "upper right", "upper left", "lower right", "lower left",
	// "upper center", "lower center", "center right", "center left".
	LegendPos string
	// XTicks, when non-nil, replaces the automatic x ticks.
	XTicks []float64

	xlim, ylim [2]float64
	xset, yset bool
	tight      bool // no margins around the data (images, contours)
	grid       bool
	items      []artist
	cbar       *colorbar
}

// SetXLim fixes the x-axis limits instead of fitting the data.
func (p *Axes) SetXLim(lo, hi float64) { p.xlim, p.xset = [2]float64{lo, hi}, true }

// SetYLim fixes the y-axis limits instead of fitting the data.
func (p *Axes) SetYLim(lo, hi float64) { p.ylim, p.yset = [2]float64{lo, hi}, true }

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
	legend() (Style, string) // the style and swatch kind ("line", "patch", "marker", "x") for the legend
}

// colorbar is the colour scale drawn to the right of a panel.
type colorbar struct {
	cmap       Colormap
	vmin, vmax float64
	levels     []float64 // band edges for a filled contour; nil for a continuous scale
	label      string
}

// resolveLimits picks the axis limits: fixed ones as given, otherwise the
// data range with a 5 % margin (none for tight panels).
func (p *Axes) resolveLimits() (x0, x1, y0, y1 float64) {
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

// Save renders the figure and writes it to path.
func (f *Figure) Save(path string) error {
	if err := os.WriteFile(path, f.Render(), 0o644); err != nil {
		return fmt.Errorf("bnn: write figure: %w", err)
	}
	return nil
}

// Render returns the figure as an SVG document. The output depends only on
// the figure: rendering twice gives the same bytes.
func (f *Figure) Render() []byte {
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
	if f.Title != "" {
		w.text("text", f.Title, attr{"x", num(f.width / 2)}, attr{"y", "22"}, attr{"text-anchor", "middle"},
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
func (f *Figure) name() string {
	if f.Title != "" {
		return f.Title
	}
	for _, p := range f.panels {
		if p.Title != "" {
			return p.Title
		}
	}
	return ""
}
