package svgplot

import "math"

// contourGrid is a scalar field sampled on a rectilinear grid:
// z[i*len(ys)+j] is the value at (xs[i], ys[j]). Non-finite values count as
// lying below every level.
type contourGrid struct {
	xs, ys, z []float64
}

func (g contourGrid) at(i, j int) float64 {
	v := g.z[i*len(g.ys)+j]
	if !finite(v) {
		return math.Inf(-1)
	}
	return v
}

func (g contourGrid) valid() bool {
	return len(g.xs) >= 2 && len(g.ys) >= 2 && len(g.z) >= len(g.xs)*len(g.ys)
}

// cellCorners returns the corners of cell (i, j) counter-clockwise from
// (xs[i], ys[j]), with their values.
func (g contourGrid) cellCorners(i, j int) (px, py, pz [4]float64) {
	px = [4]float64{g.xs[i], g.xs[i+1], g.xs[i+1], g.xs[i]}
	py = [4]float64{g.ys[j], g.ys[j], g.ys[j+1], g.ys[j+1]}
	pz = [4]float64{g.at(i, j), g.at(i+1, j), g.at(i+1, j+1), g.at(i, j+1)}
	return
}

// crossing returns the point on edge k (corner k to corner k+1) where the
// linear interpolant equals c.
func crossing(px, py, pz [4]float64, k int, c float64) (float64, float64) {
	a, b := k, (k+1)%4
	t := 0.5
	if d := pz[b] - pz[a]; finite(d) && d != 0 {
		t = (c - pz[a]) / d
	} else if math.IsInf(pz[a], -1) {
		t = 1
	} else if math.IsInf(pz[b], -1) {
		t = 0
	}
	t = math.Min(math.Max(t, 0), 1)
	return px[a] + t*(px[b]-px[a]), py[a] + t*(py[b]-py[a])
}

// isoSegments returns the marching-squares segments of the level set z = c
// as flat quadruples (x1, y1, x2, y2) in data coordinates. Saddle cells are
// resolved by the value at the cell centre.
func (g contourGrid) isoSegments(c float64) []float64 {
	var seg []float64
	for i := 0; i+1 < len(g.xs); i++ {
		for j := 0; j+1 < len(g.ys); j++ {
			px, py, pz := g.cellCorners(i, j)
			var above [4]bool
			n := 0
			for k := range 4 {
				above[k] = pz[k] >= c
				if above[k] {
					n++
				}
			}
			if n == 0 || n == 4 {
				continue
			}
			var edges []int
			for k := range 4 {
				if above[k] != above[(k+1)%4] {
					edges = append(edges, k)
				}
			}
			if len(edges) == 2 {
				x1, y1 := crossing(px, py, pz, edges[0], c)
				x2, y2 := crossing(px, py, pz, edges[1], c)
				seg = append(seg, x1, y1, x2, y2)
				continue
			}
			// Saddle: cut off the corners whose state differs from the centre's.
			centre := (pz[0]+pz[1]+pz[2]+pz[3])/4 >= c
			for k := range 4 {
				if above[k] != centre {
					x1, y1 := crossing(px, py, pz, (k+3)%4, c)
					x2, y2 := crossing(px, py, pz, k, c)
					seg = append(seg, x1, y1, x2, y2)
				}
			}
		}
	}
	return seg
}

// superlevel calls emit with polygons (data coordinates) that together
// cover {z ≥ c}: whole cells merged into row runs, and the part of each
// boundary cell above the level.
func (g contourGrid) superlevel(c float64, emit func(xs, ys []float64)) {
	nx, ny := len(g.xs), len(g.ys)
	for j := 0; j+1 < ny; j++ {
		run := -1
		flush := func(end int) {
			if run >= 0 {
				emit([]float64{g.xs[run], g.xs[end], g.xs[end], g.xs[run]}, []float64{g.ys[j], g.ys[j], g.ys[j+1], g.ys[j+1]})
				run = -1
			}
		}
		for i := 0; i+1 < nx; i++ {
			px, py, pz := g.cellCorners(i, j)
			n := 0
			for k := range 4 {
				if pz[k] >= c {
					n++
				}
			}
			if n == 4 {
				if run < 0 {
					run = i
				}
				continue
			}
			flush(i)
			if n == 0 {
				continue
			}
			saddle := n == 2 && (pz[0] >= c) == (pz[2] >= c)
			if saddle && (pz[0]+pz[1]+pz[2]+pz[3])/4 < c {
				// Two separate corners above the level: one triangle each.
				for k := range 4 {
					if pz[k] >= c {
						x1, y1 := crossing(px, py, pz, (k+3)%4, c)
						x2, y2 := crossing(px, py, pz, k, c)
						emit([]float64{x1, px[k], x2}, []float64{y1, py[k], y2})
					}
				}
				continue
			}
			var xs, ys []float64
			for k := range 4 {
				if pz[k] >= c {
					xs, ys = append(xs, px[k]), append(ys, py[k])
				}
				if (pz[k] >= c) != (pz[(k+1)%4] >= c) {
					x, y := crossing(px, py, pz, k, c)
					xs, ys = append(xs, x), append(ys, y)
				}
			}
			emit(xs, ys)
		}
		flush(nx - 1)
	}
}

// contourArtist draws filled bands and/or iso-lines of a grid field.
type contourArtist struct {
	g      contourGrid
	levels []float64
	filled bool
	cmap   Colormap
	st     Style
}

// Contourf fills the field z on the grid xs × ys (z[i*len(ys)+j] at
// (xs[i], ys[j])) with nlevels bands evenly spaced between its finite
// minimum and maximum, coloured by cmap, with a banded colour bar labelled
// label. The axes fit the grid exactly and draw no grid lines.
func (p *Axes) Contourf(xs, ys, z []float64, nlevels int, cmap Colormap, label string) {
	lo, hi := finiteRange(z)
	nlevels = max(nlevels, 1)
	levels := make([]float64, nlevels+1)
	for k := range levels {
		levels[k] = lo + (hi-lo)*float64(k)/float64(nlevels)
	}
	p.items = append(p.items, &contourArtist{g: contourGrid{xs, ys, z}, levels: levels, filled: true, cmap: cmap})
	p.tight = true
	p.grid = false
	p.cbar = &colorbar{cmap: cmap, vmin: lo, vmax: hi, levels: levels, label: label}
}

// Contour draws the iso-lines of the field z on the grid xs × ys (laid out
// as for Contourf) at the given levels, by marching squares.
func (p *Axes) Contour(xs, ys, z, levels []float64, st Style) {
	if st.Width == 0 {
		st.Width = 0.9
	}
	p.items = append(p.items, &contourArtist{g: contourGrid{xs, ys, z}, levels: levels, st: st})
}

func (a *contourArtist) extend(b *bounds) {
	for _, x := range a.g.xs {
		b.addX(x)
	}
	for _, y := range a.g.ys {
		b.addY(y)
	}
}

func (a *contourArtist) draw(w *svgWriter, t transform) {
	if !a.g.valid() {
		return
	}
	if a.filled {
		nb := len(a.levels) - 1
		w.open("g", attr{"class", "contourf"})
		for k := 0; k < nb; k++ {
			col := a.cmap.hex((float64(k) + 0.5) / float64(nb))
			var d pathBuilder
			if k == 0 {
				// The lowest band is everything: paint the grid's rectangle.
				x0, x1 := t.px(a.g.xs[0]), t.px(a.g.xs[len(a.g.xs)-1])
				y0, y1 := t.py(a.g.ys[0]), t.py(a.g.ys[len(a.g.ys)-1])
				w.elem("rect", attr{"x", num(math.Min(x0, x1))}, attr{"y", num(math.Min(y0, y1))},
					attr{"width", num(math.Abs(x1 - x0))}, attr{"height", num(math.Abs(y1 - y0))}, attr{"fill", col})
				continue
			}
			a.g.superlevel(a.levels[k], func(xs, ys []float64) {
				d.moveTo(t.px(xs[0]), t.py(ys[0]))
				for m := 1; m < len(xs); m++ {
					d.lineTo(t.px(xs[m]), t.py(ys[m]))
				}
				d.closePath()
			})
			if d.empty() {
				continue
			}
			// A hairline stroke in the fill colour hides anti-aliasing seams between cells.
			w.elem("path", attr{"d", d.String()}, attr{"fill", col}, attr{"stroke", col}, attr{"stroke-width", "0.5"},
				attr{"stroke-linejoin", "round"})
		}
		w.close("g")
		return
	}
	w.open("g", attr{"class", "contour"})
	for _, c := range a.levels {
		seg := a.g.isoSegments(c)
		if len(seg) == 0 {
			continue
		}
		var d pathBuilder
		for s := 0; s+3 < len(seg); s += 4 {
			d.moveTo(t.px(seg[s]), t.py(seg[s+1]))
			d.lineTo(t.px(seg[s+2]), t.py(seg[s+3]))
		}
		w.elem("path", attr{"d", d.String()}, attr{"fill", "none"}, attr{"stroke", a.st.Color},
			attr{"stroke-width", num(a.st.Width)}, attr{"stroke-opacity", opacityAttr(a.st)}, attr{"stroke-linecap", "round"})
	}
	w.close("g")
}

func (a *contourArtist) legend() (Style, string) { return a.st, "line" }
