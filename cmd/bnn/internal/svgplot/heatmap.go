package svgplot

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"math"
)

// heatmapArtist draws a regular grid of values as an embedded PNG image,
// one pixel per cell, coloured by a colour map.
type heatmapArtist struct {
	xs, ys     []float64 // cell centres, evenly spaced and increasing
	z          []float64 // z[i*len(ys)+j] is the value at (xs[i], ys[j])
	cmap       Colormap
	vmin, vmax float64
}

// HeatMap shows z on the grid xs × ys (cell centres; z[i*len(ys)+j] at
// (xs[i], ys[j])) with a colour bar labelled label. The axes fit the cells
// exactly.
func (p *Axes) HeatMap(xs, ys, z []float64, cmap Colormap, label string) {
	lo, hi := finiteRange(z)
	a := &heatmapArtist{xs: xs, ys: ys, z: z, cmap: cmap, vmin: lo, vmax: hi}
	p.items = append(p.items, a)
	p.tight = true
	p.grid = false
	p.cbar = &colorbar{cmap: cmap, vmin: lo, vmax: hi, label: label}
}

// finiteRange returns the smallest and largest finite values of z (0, 1 if none).
func finiteRange(z []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range z {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

// edges returns the outer edges of cells centred on c.
func cellEdges(c []float64) (float64, float64) {
	if len(c) < 2 {
		if len(c) == 1 {
			return c[0] - 0.5, c[0] + 0.5
		}
		return 0, 1
	}
	h := (c[len(c)-1] - c[0]) / float64(len(c)-1) / 2
	return c[0] - h, c[len(c)-1] + h
}

func (a *heatmapArtist) extend(b *bounds) {
	x0, x1 := cellEdges(a.xs)
	y0, y1 := cellEdges(a.ys)
	b.addX(x0)
	b.addX(x1)
	b.addY(y0)
	b.addY(y1)
}

func (a *heatmapArtist) draw(w *svgWriter, t transform) {
	nx, ny := len(a.xs), len(a.ys)
	if nx == 0 || ny == 0 || len(a.z) < nx*ny {
		return
	}
	img := image.NewRGBA(image.Rect(0, 0, nx, ny))
	span := a.vmax - a.vmin
	for i := range nx {
		for j := range ny {
			v := a.z[i*ny+j]
			u := 0.0
			if span > 0 {
				u = (v - a.vmin) / span
			}
			c := a.cmap.at(u)
			if !finite(v) {
				c.A = 0
				c.R, c.G, c.B = 0, 0, 0
			}
			img.SetRGBA(i, ny-1-j, c)
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		panic("bnn: png encoding into memory failed: " + err.Error())
	}
	x0, x1 := cellEdges(a.xs)
	y0, y1 := cellEdges(a.ys)
	w.elem("image", attr{"class", "heatmap"}, attr{"x", num(t.px(x0))}, attr{"y", num(t.py(y1))},
		attr{"width", num(t.px(x1) - t.px(x0))}, attr{"height", num(t.py(y0) - t.py(y1))},
		attr{"preserveAspectRatio", "none"}, attr{"image-rendering", "optimizeSpeed"}, attr{"style", "image-rendering:pixelated"},
		attr{"xlink:href", "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())})
}

func (a *heatmapArtist) legend() (Style, string) { return Style{}, "" }
