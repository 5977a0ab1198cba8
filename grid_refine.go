package bnn

import (
	"context"
	"fmt"
	"math"
)

// GridRefineConfig configures RefineGridPosterior. Zero fields take the
// defaults given.
type GridRefineConfig struct {
	// CellsPerStd is the resolution to reach: each posterior std must span at
	// least this many cells (default 5).
	CellsPerStd float64
	// HalfWidth is how many posterior stds each side of the mean the zoomed
	// grid covers (default 6, which holds all but ~1e-9 of a Gaussian's mass).
	HalfWidth float64
	// MaxRounds caps the number of zooms (default 8).
	MaxRounds int
	// Workers as in GridConfig.
	Workers int
}

// GridRefinement reports what RefineGridPosterior did.
type GridRefinement struct {
	Rounds      int       // zooms performed (0: the initial grid was fine)
	Evaluations int       // cells evaluated over all rounds
	CellsPerStd []float64 // final std / spacing per axis
	Initial     []float64 // the initial grid's std / spacing per axis
}

// RefineGridPosterior evaluates the grid posterior on axes and then zooms
// until it resolves itself: while some axis has fewer than CellsPerStd cells
// per posterior std, or its mean ± (HalfWidth−1)·std reaches past the axis,
// it re-grids every axis (except N = 1 axes) on mean ± HalfWidth·std with
// ⌈1.2·2·HalfWidth·CellsPerStd⌉+1 values (73 by default, 20% finer than the
// target) and re-evaluates. A std below a quarter of the spacing (a
// posterior inside one cell) counts as a quarter of the spacing; zoomed
// grids may not exceed 2²⁴ cells.
//
// It returns the final posterior and a report. When MaxRounds zooms do not
// suffice it returns the last posterior, the report and an error wrapping
// ErrNotConverged. Other errors are those of NewGridPosterior (including
// ctx's, checked before every cell), and
// ErrInvalidParameter for negative or non-finite options or HalfWidth ≤ 1.
func RefineGridPosterior(ctx context.Context, axes []GridAxis, m GridModel, opts GridRefineConfig) (*GridPosterior, GridRefinement, error) {
	var rep GridRefinement
	if opts.CellsPerStd == 0 {
		opts.CellsPerStd = 5
	}
	if opts.HalfWidth == 0 {
		opts.HalfWidth = 6
	}
	if opts.MaxRounds == 0 {
		opts.MaxRounds = 8
	}
	if !(opts.CellsPerStd > 0) || math.IsInf(opts.CellsPerStd, 0) || !(opts.HalfWidth > 1) ||
		math.IsInf(opts.HalfWidth, 0) || opts.MaxRounds < 0 || opts.CellsPerStd*opts.HalfWidth > 1e6 {
		return nil, rep, fmt.Errorf("bnn: grid refine: options %+v: %w", opts, ErrInvalidParameter)
	}
	// Zoomed grids aim 20% above the target resolution so that the next
	// round's std estimate, which moves a little, still passes.
	n := int(math.Ceil(1.2*2*opts.HalfWidth*opts.CellsPerStd)) + 1
	zoomCells := 1.0
	for _, a := range axes {
		if a.N > 1 {
			zoomCells *= float64(n)
		}
	}
	if zoomCells > 1<<24 {
		return nil, rep, fmt.Errorf("bnn: grid refine: zoomed grids would have %g cells: %w", zoomCells, ErrInvalidParameter)
	}
	gopts := GridConfig{Workers: opts.Workers}
	g, err := NewGridPosterior(ctx, axes, m, gopts)
	if err != nil {
		return nil, rep, err
	}
	rep.Evaluations = len(g.LogPost)
	rep.Initial = g.CellsPerStd()
	for {
		next, zoom := gridZoom(g, opts.CellsPerStd, opts.HalfWidth, n)
		rep.CellsPerStd = g.CellsPerStd()
		if !zoom {
			return g, rep, nil
		}
		if rep.Rounds == opts.MaxRounds {
			return g, rep, fmt.Errorf("bnn: grid refine: %d zooms reached %v cells per std, want %g: %w",
				rep.Rounds, rep.CellsPerStd, opts.CellsPerStd, ErrNotConverged)
		}
		ng, err := NewGridPosterior(ctx, next, m, gopts)
		if err != nil {
			return g, rep, err
		}
		g = ng
		rep.Rounds++
		rep.Evaluations += len(g.LogPost)
	}
}

// gridZoom returns the zoomed axes for g and whether g needs zooming.
func gridZoom(g *GridPosterior, cellsPerStd, halfWidth float64, n int) ([]GridAxis, bool) {
	mean, std := g.Mean(), g.Std()
	next := make([]GridAxis, len(g.Axes))
	zoom := false
	for d, a := range g.Axes {
		next[d] = a
		if a.N == 1 {
			continue
		}
		h := a.Step()
		s := math.Max(std[d], h/4)
		reach := (halfWidth - 1) * s
		if std[d] < cellsPerStd*h*(1-1e-9) || mean[d]-reach < a.Lo || mean[d]+reach > a.Hi {
			zoom = true
		}
		next[d] = GridAxis{Name: a.Name, Lo: mean[d] - halfWidth*s, Hi: mean[d] + halfWidth*s, N: n}
	}
	return next, zoom
}
