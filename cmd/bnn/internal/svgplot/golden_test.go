package svgplot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")

// predictiveFigure is a typical figure of the command: data, a truth, a
// predictive mean with a band, reference lines and a legend, beside a
// filled contour.
func predictiveFigure() *Figure {
	f := NewFigure(1000, 380, 1, 2)
	x := linspace(0, 8, 81)
	truth := mapf(x, func(t float64) float64 { return math.Exp(-0.09*t) * math.Cos(1.1*t) })
	mean := mapf(x, func(t float64) float64 { return math.Exp(-0.1*t) * math.Cos(1.08*t) })
	sd := mapf(x, func(t float64) float64 { return 0.05 + 0.04*math.Max(0, t-6) })
	lo, hi := make([]float64, len(x)), make([]float64, len(x))
	for i := range x {
		lo[i], hi[i] = mean[i]-2*sd[i], mean[i]+2*sd[i]
	}
	a := f.At(0, 0)
	a.Title, a.XLabel, a.YLabel = "Posterior predictive", "Time [s]", "x(t)"
	a.VSpan(6, 8, Style{Color: "red", Opacity: 0.07, Label: "Extrapolation"})
	a.Band(x, lo, hi, Style{Color: Cycle(0), Label: "±2σ"})
	a.Line(x, truth, Style{Color: "black", Dash: "6 4", Label: "Truth"})
	a.Line(x, mean, Style{Color: Cycle(0), Label: "Mean"})
	var dx, dy []float64
	for i := 0; i < 60; i += 6 {
		dx, dy = append(dx, x[i]), append(dy, truth[i]+0.03*math.Sin(float64(7*i)))
	}
	a.Scatter(dx, dy, Style{Color: "black", Size: 3.5, Label: "Data"})
	a.SetXLim(0, 8)
	xs, ys := linspace(0.02, 0.2, 25), linspace(0.8, 1.4, 31)
	z := make([]float64, len(xs)*len(ys))
	for i, u := range xs {
		for j, v := range ys {
			du, dv := (u-0.09)/0.03, (v-1.1)/0.05
			z[i*len(ys)+j] = math.Exp(-0.5 * (du*du + dv*dv - 0.8*du*dv))
		}
	}
	c := f.At(0, 1)
	c.Title, c.XLabel, c.YLabel = "Grid posterior", "ζ", "ωₙ"
	c.Contourf(xs, ys, z, 10, Blues, "density")
	c.Cross([]float64{0.09}, []float64{1.1}, Style{Color: "red", Label: "Truth"})
	return f
}

// TestGoldenFigures compares two rendered figures with the files in
// testdata (go test -update rewrites them). Coordinates are rounded to
// 0.01, so a platform whose last-bit rounding differs may move one by
// 0.01: such differences are reported but only larger ones fail.
func TestGoldenFigures(t *testing.T) {
	for name, f := range map[string]*Figure{"every_artist.svg": allArtistsFigure(), "predictive.svg": predictiveFigure()} {
		got := f.Render()
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if bytes.Equal(got, want) {
			continue
		}
		if err := sameUpToRounding(got, want, 0.011); err != nil {
			t.Errorf("%s differs from %s: %v (go test -update rewrites it after a deliberate change)", name, path, err)
		} else {
			t.Logf("%s: coordinates differ from %s by at most 0.01", name, path)
		}
	}
}

var numberRE = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?`)

// sameUpToRounding reports whether a and b have the same text outside
// numbers and numbers that differ by at most tol.
func sameUpToRounding(a, b []byte, tol float64) error {
	if sa, sb := numberRE.ReplaceAllString(string(a), "#"), numberRE.ReplaceAllString(string(b), "#"); sa != sb {
		i := 0
		for i < min(len(sa), len(sb)) && sa[i] == sb[i] {
			i++
		}
		return errors.New("text differs near …" + sa[max(0, i-40):min(len(sa), i+40)] + "…")
	}
	na, nb := numberRE.FindAllString(string(a), -1), numberRE.FindAllString(string(b), -1)
	for i := range na {
		x, _ := strconv.ParseFloat(na[i], 64)
		y, _ := strconv.ParseFloat(nb[i], 64)
		if math.Abs(x-y) > tol {
			return errors.New("number " + na[i] + " where the golden file has " + nb[i])
		}
	}
	return nil
}

// TestTickPlacement checks that tick labels name the nice values inside the
// limits and sit at their linear pixel positions, ends on the frame's edges.
func TestTickPlacement(t *testing.T) {
	f := NewFigure(600, 400, 1, 1)
	a := f.At(0, 0)
	a.XLabel, a.YLabel = "x", "y"
	a.Line([]float64{0, 10}, []float64{-1, 1}, Style{})
	a.SetXLim(0, 10)
	a.SetYLim(-1, 1)
	b := f.Render()
	if err := Validate(b); err != nil {
		t.Fatal(err)
	}
	var frameX, frameW, frameY, frameH float64
	labels := map[string][][2]float64{} // group → (value, position)
	group := ""
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "g" {
			group = ""
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		at := map[string]string{}
		for _, a := range se.Attr {
			at[a.Name.Local] = a.Value
		}
		switch {
		case at["class"] == "frame":
			frameX, _ = strconv.ParseFloat(at["x"], 64)
			frameW, _ = strconv.ParseFloat(at["width"], 64)
			frameY, _ = strconv.ParseFloat(at["y"], 64)
			frameH, _ = strconv.ParseFloat(at["height"], 64)
		case se.Name.Local == "g":
			group = at["class"]
		case se.Name.Local == "text" && (group == "xticklabels" || group == "yticklabels"):
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			v, err := strconv.ParseFloat(strings.ReplaceAll(s, "−", "-"), 64)
			if err != nil {
				t.Fatalf("tick label %q: %v", s, err)
			}
			pos, _ := strconv.ParseFloat(at["x"], 64)
			if group == "yticklabels" {
				pos, _ = strconv.ParseFloat(at["y"], 64)
				pos -= fontTick * 0.35 // labels sit a third of the font below the tick
			}
			labels[group] = append(labels[group], [2]float64{v, pos})
		}
	}
	if frameW <= 0 || frameH <= 0 {
		t.Fatalf("no frame found (%g × %g)", frameW, frameH)
	}
	check := func(group string, wantVals []float64, px func(v float64) float64) {
		got := labels[group]
		if len(got) != len(wantVals) {
			t.Fatalf("%s: %v, want values %v", group, got, wantVals)
		}
		for i, g := range got {
			if math.Abs(g[0]-wantVals[i]) > 1e-12 || math.Abs(g[1]-px(g[0])) > 0.011 {
				t.Errorf("%s: label %g at %g, want %g at %g", group, g[0], g[1], wantVals[i], px(wantVals[i]))
			}
		}
	}
	check("xticklabels", []float64{0, 2, 4, 6, 8, 10}, func(v float64) float64 { return frameX + v/10*frameW })
	check("yticklabels", []float64{-1, -0.5, 0, 0.5, 1}, func(v float64) float64 { return frameY + frameH - (v+1)/2*frameH })
}

// TestContourfLevels checks that a filled contour has nlevels bands evenly
// spaced from the field's finite minimum to its maximum, on its colour bar.
func TestContourfLevels(t *testing.T) {
	f := NewFigure(400, 300, 1, 1)
	a := f.At(0, 0)
	xs, ys := linspace(0, 1, 5), linspace(0, 1, 4)
	z := make([]float64, 20)
	for i := range z {
		z[i] = 3 + 0.5*float64(i)
	}
	z[7] = math.NaN()
	a.Contourf(xs, ys, z, 4, Viridis, "z")
	want := []float64{3, 5.375, 7.75, 10.125, 12.5}
	if a.cbar == nil || len(a.cbar.levels) != len(want) {
		t.Fatalf("colour bar %+v, want levels %v", a.cbar, want)
	}
	for i, v := range want {
		if math.Abs(a.cbar.levels[i]-v) > 1e-12 {
			t.Errorf("level %d = %g, want %g", i, a.cbar.levels[i], v)
		}
	}
	if a.cbar.vmin != 3 || a.cbar.vmax != 12.5 {
		t.Errorf("colour bar range [%g, %g], want [3, 12.5]", a.cbar.vmin, a.cbar.vmax)
	}
	d := parseSVG(t, f.Render())
	if n := len(d.class("contourf")); n == 0 {
		t.Error("no filled contour drawn")
	}
}
