package svgplot

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// svgDoc is a parsed SVG: every element with its attributes and text, in
// document order.
type svgDoc struct {
	elems []svgElem
}

type svgElem struct {
	name  string
	attrs map[string]string
	text  string
}

// parseSVG parses b as XML, failing the test on any syntax error.
func parseSVG(t *testing.T, b []byte) *svgDoc {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	doc := &svgDoc{}
	var stack []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			e := svgElem{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			doc.elems = append(doc.elems, e)
			stack = append(stack, len(doc.elems)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				doc.elems[stack[len(stack)-1]].text += string(tk)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements")
	}
	if len(doc.elems) == 0 || doc.elems[0].name != "svg" {
		t.Fatalf("root element is not <svg>")
	}
	return doc
}

// class returns the elements whose class attribute is c.
func (d *svgDoc) class(c string) []svgElem {
	var out []svgElem
	for _, e := range d.elems {
		if e.attrs["class"] == c {
			out = append(out, e)
		}
	}
	return out
}

// texts returns the text content of every <text> element.
func (d *svgDoc) texts() []string {
	var out []string
	for _, e := range d.elems {
		if e.name == "text" {
			out = append(out, e.text)
		}
	}
	return out
}

// checkPlot asserts that b passes Validate and that the given labels
// appear among its texts.
func checkPlot(t *testing.T, b []byte, labels ...string) *svgDoc {
	t.Helper()
	if err := Validate(b); err != nil {
		t.Fatal(err)
	}
	d := parseSVG(t, b)
	all := strings.Join(d.texts(), "\n")
	for _, l := range labels {
		if !strings.Contains(all, l) {
			t.Errorf("label %q missing", l)
		}
	}
	return d
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		max    int
		want   []float64
	}{
		{0, 1, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-5.5, 5.5, 9, []float64{-4, -2, 0, 2, 4}},
		{0, 8, 9, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8}},
		{0.7, 1.4, 8, []float64{0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4}},
		{-17, 3, 5, []float64{-15, -10, -5, 0}},
		{480, 5230, 6, []float64{1000, 2000, 3000, 4000, 5000}},
	}
	for _, c := range cases {
		got, _ := niceTicks(c.lo, c.hi, c.max)
		if len(got) != len(c.want) {
			t.Errorf("niceTicks(%g, %g, %d) = %v, want %v", c.lo, c.hi, c.max, got, c.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("niceTicks(%g, %g, %d) = %v, want %v", c.lo, c.hi, c.max, got, c.want)
				break
			}
		}
	}
}

func TestNiceTicksProperties(t *testing.T) {
	for _, lo := range []float64{-1e4, -3.3, -0.02, 0, 1e-6, 0.5, 17} {
		for _, span := range []float64{1e-7, 0.003, 0.9, 1, 7.5, 130, 4e5} {
			for _, maxT := range []int{3, 5, 8, 12} {
				hi := lo + span
				ticks, step := niceTicks(lo, hi, maxT)
				if len(ticks) > maxT+3 {
					t.Errorf("[%g, %g] max %d: %d ticks", lo, hi, maxT, len(ticks))
				}
				if len(ticks) < 2 {
					t.Errorf("[%g, %g] max %d: only %d ticks", lo, hi, maxT, len(ticks))
				}
				m := step / math.Pow(10, math.Floor(math.Log10(step)+1e-12))
				if math.Abs(m-1) > 1e-9 && math.Abs(m-2) > 1e-9 && math.Abs(m-5) > 1e-9 {
					t.Errorf("step %g is not 1, 2 or 5 × 10^k", step)
				}
				for _, v := range ticks {
					tol := step*1e-9 + math.Abs(v)*1e-15
					if v < lo-tol || v > hi+tol {
						t.Errorf("tick %g outside [%g, %g]", v, lo, hi)
					}
				}
			}
		}
	}
}

func TestTickLabel(t *testing.T) {
	cases := []struct {
		v, step float64
		want    string
	}{
		{0.5, 0.5, "0.5"},
		{0, 0.5, "0.0"},
		{-1, 0.5, "−1.0"},
		{1000, 500, "1000"},
		{0.07, 0.01, "0.07"},
		{2e6, 1e6, "2e+06"},
		{1.5e-5, 5e-6, "1.5e-05"},
		{-2e-5, 1e-5, "−2e-05"},
		{1e-17, 0.2, "0.0"},
	}
	for _, c := range cases {
		if got := tickLabel(c.v, c.step); got != c.want {
			t.Errorf("tickLabel(%g, %g) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
}

func TestEscaping(t *testing.T) {
	nasty := `a<b & c>"d" 'e' ` + "\x01\x1f"
	f := NewFigure(400, 300, 1, 1)
	p := f.At(0, 0)
	p.Title, p.XLabel, p.YLabel = nasty, "x & y", "<ylabel>"
	p.Line([]float64{0, 1}, []float64{0, 1}, Style{Color: "black", Label: `"quoted" & <tagged>`})
	b := f.Render()
	d := checkPlot(t, b, "x & y", "<ylabel>", `"quoted" & <tagged>`)
	title := d.class("title")
	if len(title) != 1 || !strings.HasPrefix(title[0].text, `a<b & c>"d" 'e' `) {
		t.Errorf("title did not round-trip: %+v", title)
	}
	if strings.ContainsRune(title[0].text, 0x01) {
		t.Error("control character survived escaping")
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0: "0", -0.001: "0", 1.005: "1", 12.345678: "12.35", -3.1: "-3.1", 250: "250"} {
		if got := num(v); got != want {
			t.Errorf("num(%g) = %q, want %q", v, got, want)
		}
	}
}

// allArtistsFigure uses every kind of artist.
func allArtistsFigure() *Figure {
	f := NewFigure(900, 600, 2, 2)
	f.Title = "Every artist"
	x := linspace(0, 8, 50)
	y := mapf(x, math.Sin)
	lo, hi := mapf(y, func(v float64) float64 { return v - 0.3 }), mapf(y, func(v float64) float64 { return v + 0.3 })
	a := f.At(0, 0)
	a.Title, a.XLabel, a.YLabel = "Lines and bands", "Time [s]", "x(t)"
	a.VSpan(0, 6, Style{Color: "green", Opacity: 0.07, Label: "Interpolation window"})
	a.VSpan(6, 8, Style{Color: "red", Opacity: 0.07, Label: "Extrapolation window"})
	a.SetXLim(0, 8)
	a.Band(x, lo, hi, Style{Color: Cycle(2), Label: "±2σ"})
	a.Line(x, y, Style{Color: Cycle(0), Label: "mean"})
	a.Scatter(x[:10], y[:10], Style{Color: "gray", Label: "data"})
	a.VLine(6, Style{Color: "red", Dash: "5 3", Label: "end of data"})
	b := f.At(0, 1)
	b.Title, b.XLabel, b.YLabel = "Histogram", "x", "density"
	b.Bars([]float64{0, 1, 2, 3}, []float64{0.2, 0.5, 0.3}, Style{Color: Cycle(0), Label: "counts"})
	b.HLine(0.4, Style{Color: "black", Dash: "2 2"})
	xs, ys := linspace(-1, 1, 30), linspace(-1, 1, 20)
	z := make([]float64, len(xs)*len(ys))
	for i, u := range xs {
		for j, v := range ys {
			z[i*len(ys)+j] = math.Exp(-(u*u + 2*v*v))
		}
	}
	c := f.At(1, 0)
	c.Title, c.XLabel, c.YLabel = "Filled contour", "ζ", "ωₙ"
	c.Contourf(xs, ys, z, 12, Blues, "density")
	c.Contour(xs, ys, z, []float64{0.25, 0.5, 0.75}, Style{Color: "black"})
	c.Cross([]float64{0.1}, []float64{0.2}, Style{Color: "red", Label: "truth"})
	h := f.At(1, 1)
	h.Title, h.XLabel, h.YLabel = "Heat map", "w0", "w1"
	h.HeatMap(xs, ys, z, Viridis, "density")
	return f
}

func TestFigureHasEverything(t *testing.T) {
	b := allArtistsFigure().Render()
	d := checkPlot(t, b, "Time [s]", "x(t)", "ζ", "ωₙ", "Every artist", "±2σ", "end of data", "truth")
	for _, c := range []string{"line", "band", "scatter", "marker", "span", "refline", "bars", "contourf", "contour", "heatmap", "legend", "colorbar", "grid"} {
		if len(d.class(c)) == 0 {
			t.Errorf("no element of class %q", c)
		}
	}
	if n := len(d.class("panel")); n != 4 {
		t.Errorf("%d panels, want 4", n)
	}
}

func TestRenderDeterministic(t *testing.T) {
	a, b := allArtistsFigure().Render(), allArtistsFigure().Render()
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same figure differ")
	}
}

// pathPoints extracts the coordinates of an SVG path made of M and L
// commands.
func pathPoints(t *testing.T, d string) [][2]float64 {
	t.Helper()
	var pts [][2]float64
	for _, part := range strings.FieldsFunc(d, func(r rune) bool { return r == 'M' || r == 'L' || r == 'Z' }) {
		xy := strings.Fields(part)
		if len(xy) != 2 {
			t.Fatalf("bad path segment %q", part)
		}
		x, err1 := strconv.ParseFloat(xy[0], 64)
		y, err2 := strconv.ParseFloat(xy[1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad path numbers %q", part)
		}
		pts = append(pts, [2]float64{x, y})
	}
	return pts
}

func TestScaling(t *testing.T) {
	f := NewFigure(600, 400, 1, 1)
	p := f.At(0, 0)
	p.SetXLim(0, 8)
	p.SetYLim(-1, 1)
	p.Line([]float64{0, 8, 4}, []float64{-1, 1, 0}, Style{Color: "black"})
	d := parseSVG(t, f.Render())
	fr := d.class("frame")[0]
	x0, _ := strconv.ParseFloat(fr.attrs["x"], 64)
	y0, _ := strconv.ParseFloat(fr.attrs["y"], 64)
	w, _ := strconv.ParseFloat(fr.attrs["width"], 64)
	h, _ := strconv.ParseFloat(fr.attrs["height"], 64)
	pts := pathPoints(t, d.class("line")[0].attrs["d"])
	want := [][2]float64{{x0, y0 + h}, {x0 + w, y0}, {x0 + w/2, y0 + h/2}}
	for i := range want {
		if math.Abs(pts[i][0]-want[i][0]) > 0.011 || math.Abs(pts[i][1]-want[i][1]) > 0.011 {
			t.Errorf("point %d at %v, want %v", i, pts[i], want[i])
		}
	}
	// Tick labels sit under their tick marks.
	var xl []svgElem
	for _, e := range d.elems {
		if e.name == "text" && e.text == "4" {
			xl = append(xl, e)
		}
	}
	if len(xl) != 1 {
		t.Fatalf("want one tick label \"4\", got %d", len(xl))
	}
	if x, _ := strconv.ParseFloat(xl[0].attrs["x"], 64); math.Abs(x-(x0+w/2)) > 0.011 {
		t.Errorf("tick label 4 at x=%g, want %g", x, x0+w/2)
	}
}

func TestLineBreaksAtNaN(t *testing.T) {
	f := NewFigure(400, 300, 1, 1)
	f.At(0, 0).Line([]float64{0, 1, 2, 3, 4}, []float64{0, 1, math.NaN(), 1, 0}, Style{Color: "black"})
	d := parseSVG(t, f.Render())
	if got := strings.Count(d.class("line")[0].attrs["d"], "M"); got != 2 {
		t.Errorf("line with a NaN has %d pieces, want 2", got)
	}
}

// polyArea is the shoelace area of a polygon.
func polyArea(xs, ys []float64) float64 {
	a := 0.0
	for i := range xs {
		j := (i + 1) % len(xs)
		a += xs[i]*ys[j] - xs[j]*ys[i]
	}
	return math.Abs(a) / 2
}

func TestSuperlevelArea(t *testing.T) {
	xs, ys := linspace(0, 1, 11), linspace(0, 2, 7)
	// A linear field is interpolated exactly: {x ≥ 0.33} has area 0.67·2.
	lin := make([]float64, len(xs)*len(ys))
	for i, x := range xs {
		for j := range ys {
			lin[i*len(ys)+j] = x
		}
	}
	area := 0.0
	contourGrid{xs, ys, lin}.superlevel(0.33, func(px, py []float64) { area += polyArea(px, py) })
	if math.Abs(area-1.34) > 1e-12 {
		t.Errorf("area of {x ≥ 0.33} = %g, want 1.34", area)
	}
	// A disc: {−(x²+y²) ≥ −0.25} has area π/4 up to discretisation.
	xs, ys = linspace(-1, 1, 81), linspace(-1, 1, 81)
	disc := make([]float64, len(xs)*len(ys))
	for i, x := range xs {
		for j, y := range ys {
			disc[i*len(ys)+j] = -(x*x + y*y)
		}
	}
	area = 0
	g := contourGrid{xs, ys, disc}
	g.superlevel(-0.25, func(px, py []float64) { area += polyArea(px, py) })
	if math.Abs(area-math.Pi/4) > 2e-3 {
		t.Errorf("disc area %g, want %g", area, math.Pi/4)
	}
	seg := g.isoSegments(-0.25)
	if len(seg) == 0 {
		t.Fatal("no iso-line segments")
	}
	for s := 0; s < len(seg); s += 2 {
		if r := math.Hypot(seg[s], seg[s+1]); math.Abs(r-0.5) > 2e-3 {
			t.Errorf("iso-line point at radius %g, want 0.5", r)
		}
	}
}

func TestSaddleCells(t *testing.T) {
	// One cell with a saddle: corners 1, 0, 1, 0 (counter-clockwise).
	xs, ys := []float64{0, 1}, []float64{0, 1}
	for _, centreHigh := range []bool{true, false} {
		z := []float64{1, 0, 0, 1} // z[i*2+j]: (0,0)=1 (0,1)=0 (1,0)=0 (1,1)=1
		c := 0.5
		if !centreHigh {
			c = 0.5000001
		}
		g := contourGrid{xs, ys, z}
		if n := len(g.isoSegments(c)) / 4; n != 2 {
			t.Errorf("saddle: %d segments, want 2", n)
		}
		area, polys := 0.0, 0
		g.superlevel(c, func(px, py []float64) { area += polyArea(px, py); polys++ })
		if centreHigh && polys != 1 || !centreHigh && polys != 2 {
			t.Errorf("centre high %v: %d polygons", centreHigh, polys)
		}
		if area <= 0 || area >= 1 {
			t.Errorf("saddle superlevel area %g", area)
		}
	}
}

func TestHeatmapPixels(t *testing.T) {
	xs, ys := []float64{0, 1, 2}, []float64{10, 20}
	z := []float64{0, 1, 2, 3, 4, 5} // z[i*2+j]; the maximum is at (x=2, y=20)
	f := NewFigure(400, 300, 1, 1)
	f.At(0, 0).HeatMap(xs, ys, z, Viridis, "z")
	d := parseSVG(t, f.Render())
	img := d.class("heatmap")
	if len(img) != 1 {
		t.Fatalf("%d heat-map images", len(img))
	}
	href := img[0].attrs["href"]
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(href, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := m.Bounds(); b.Dx() != 3 || b.Dy() != 2 {
		t.Fatalf("image is %v, want 3×2", b)
	}
	// Top-right pixel is the largest value (yellow), bottom-left the smallest.
	r, g, b, _ := m.At(2, 0).RGBA()
	top := Viridis.at(1)
	if uint8(r>>8) != top.R || uint8(g>>8) != top.G || uint8(b>>8) != top.B {
		t.Errorf("top-right pixel %d,%d,%d, want %v", r>>8, g>>8, b>>8, top)
	}
	r, g, b, _ = m.At(0, 1).RGBA()
	bot := Viridis.at(0)
	if uint8(r>>8) != bot.R || uint8(g>>8) != bot.G || uint8(b>>8) != bot.B {
		t.Errorf("bottom-left pixel %d,%d,%d, want %v", r>>8, g>>8, b>>8, bot)
	}
}

func TestColormap(t *testing.T) {
	if Viridis.hex(0) != "#440154" || Viridis.hex(1) != "#fde725" || Viridis.hex(math.NaN()) != "#440154" {
		t.Errorf("viridis ends: %s %s", Viridis.hex(0), Viridis.hex(1))
	}
	mid := Blues.at(0.5)
	if mid != Blues[4] {
		t.Errorf("blues(0.5) = %v, want anchor %v", mid, Blues[4])
	}
}

// TestSampleFigure writes the every-artist figure to $BNN_SVG_DIR, when
// set, for looking at (e.g. after rsvg-convert to PNG).
func TestSampleFigure(t *testing.T) {
	dir := os.Getenv("BNN_SVG_DIR") // set it to keep the figure for a look
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "sample.svg")
	if err := allArtistsFigure().Save(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, b)
	var text strings.Builder // drawn text only (not <title> metadata)
	for _, e := range doc.elems {
		if e.name == "text" || e.name == "tspan" {
			text.WriteString(e.text + "\n")
		}
	}
	for _, w := range []string{"Every artist", "Lines and bands", "Histogram", "Filled contour", "Heat map", "Time [s]", "±2σ", "end of data", "truth"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("sample figure lacks the text %q", w)
		}
	}
}
