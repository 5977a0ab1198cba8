package bnn

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Trajectory writes a model's noise-free output at the times ts for the
// parameters theta into dst (len(dst) == len(ts)). It must not retain its
// arguments.
type Trajectory func(dst, theta, ts []float64) error

// GridPredictiveConfig configures GridPosterior.Predictive. Zero fields
// take the defaults given.
type GridPredictiveConfig struct {
	// Level is the probability inside the equal-tailed bands (default 0.95).
	Level float64
	// TailMass is the posterior mass that may be left out: the mixture uses
	// the most probable cells holding at least 1 − TailMass (default 1e-6),
	// renormalised.
	TailMass float64
	// Workers as in GridConfig.
	Workers int
}

// GridPredictive is the posterior predictive distribution of a noisy
// observation y(t) = trajectory(θ, t) + ε, ε ~ N(0, σ²), at each time: the
// mixture over grid cells of N(trajectory(θ_cell, t), σ²) weighted by the
// cell probabilities.
type GridPredictive struct {
	T         []float64 // times
	Mean      []float64 // predictive mean
	Std       []float64 // predictive std, observation noise included
	LatentStd []float64 // std of the noise-free trajectory (parameter uncertainty only)
	Lower     []float64 // (1−Level)/2 quantile of the predictive, noise included
	Upper     []float64 // (1+Level)/2 quantile of the predictive, noise included
	Level     float64   // probability inside [Lower, Upper]
	Cells     int       // mixture components (cells) used
}

// Predictive computes the posterior predictive at times ts for observation
// noise std noiseStd (> 0) by solving newTraj's model for each cell that
// carries non-negligible mass, in parallel (newTraj is called once per worker
// goroutine; each returned Trajectory is used by one goroutine at a time).
// Reductions run in a fixed order, so results do not depend on scheduling.
//
// Errors: ErrEmpty for no times, ErrNonFinite for non-finite times,
// ErrInvalidParameter for a non-positive or non-finite noise std, a level
// outside (0, 1), a tail mass outside [0, 1) or a nil newTraj; errors from
// the trajectory (the first in cell order), wrapped with θ, and ErrNonFinite
// for a trajectory value that is NaN or ±Inf; and, when ctx is done before
// the work is finished, an error wrapping context.Cause(ctx).
func (g *GridPosterior) Predictive(ctx context.Context, ts []float64, newTraj func() Trajectory, noiseStd float64, opts GridPredictiveConfig) (*GridPredictive, error) {
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	if opts.TailMass == 0 {
		opts.TailMass = 1e-6
	}
	switch {
	case len(ts) == 0:
		return nil, fmt.Errorf("bnn: grid predictive: no times: %w", ErrEmpty)
	case newTraj == nil:
		return nil, fmt.Errorf("bnn: grid predictive: nil trajectory: %w", ErrInvalidParameter)
	case !(noiseStd > 0) || math.IsInf(noiseStd, 0):
		return nil, fmt.Errorf("bnn: grid predictive: noise std %g: %w", noiseStd, ErrInvalidParameter)
	case !(opts.Level > 0 && opts.Level < 1):
		return nil, fmt.Errorf("bnn: grid predictive: level %g not in (0, 1): %w", opts.Level, ErrInvalidParameter)
	case !(opts.TailMass >= 0 && opts.TailMass < 1):
		return nil, fmt.Errorf("bnn: grid predictive: tail mass %g not in [0, 1): %w", opts.TailMass, ErrInvalidParameter)
	}
	if i := odeFirstNonFinite(ts); i >= 0 {
		return nil, fmt.Errorf("bnn: grid predictive: time %d is %g: %w", i, ts[i], ErrNonFinite)
	}
	cells, w := g.predictiveCells(opts.TailMass)
	nt := len(ts)
	traj := make([]float64, len(cells)*nt)
	if err := g.trajectories(ctx, cells, ts, newTraj, traj, opts.Workers); err != nil {
		return nil, err
	}

	p := &GridPredictive{T: append([]float64(nil), ts...), Mean: make([]float64, nt), Std: make([]float64, nt),
		LatentStd: make([]float64, nt), Lower: make([]float64, nt), Upper: make([]float64, nt),
		Level: opts.Level, Cells: len(cells)}
	for c := range cells {
		row := traj[c*nt : (c+1)*nt]
		for i, x := range row {
			p.Mean[i] += w[c] * x
		}
	}
	for c := range cells {
		row := traj[c*nt : (c+1)*nt]
		for i, x := range row {
			r := x - p.Mean[i]
			p.LatentStd[i] += w[c] * r * r
		}
	}
	for i, v := range p.LatentStd {
		p.LatentStd[i] = math.Sqrt(v)
		p.Std[i] = math.Hypot(p.LatentStd[i], noiseStd) // σ² would underflow for σ < 1e-154
	}
	qLo, qHi := (1-opts.Level)/2, (1+opts.Level)/2
	err := parallelFor(ctx, nt, opts.Workers, func(_, i int) error {
		p.Lower[i] = mixtureQuantile(traj, w, nt, i, noiseStd, qLo, p.Mean[i], p.Std[i])
		p.Upper[i] = mixtureQuantile(traj, w, nt, i, noiseStd, qHi, p.Mean[i], p.Std[i])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bnn: grid predictive: stopped: %w", err)
	}
	return p, nil
}

// predictiveCells returns the most probable cells holding at least
// 1 − tail of the mass (by decreasing probability, ties by index) and their
// renormalised weights.
func (g *GridPosterior) predictiveCells(tail float64) ([]int, []float64) {
	idx := make([]int, 0, len(g.Prob))
	for i, p := range g.Prob {
		if p > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(g.Prob[b], g.Prob[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	cum := 0.0
	k := 0
	for k < len(idx) && cum < 1-tail {
		cum += g.Prob[idx[k]]
		k++
	}
	idx = idx[:max(k, 1)]
	w := make([]float64, len(idx))
	sum := 0.0
	for c, i := range idx {
		w[c] = g.Prob[i]
		sum += w[c]
	}
	for c := range w {
		w[c] /= sum
	}
	return idx, w
}

// trajectories solves the model for every selected cell into traj, each
// worker with its own Trajectory; the error is that of the first failing
// cell in the order of cells.
func (g *GridPosterior) trajectories(ctx context.Context, cells []int, ts []float64, newTraj func() Trajectory, traj []float64, workers int) error {
	nt := len(ts)
	workers = parallelWorkers(workers, len(cells))
	trs := make([]Trajectory, workers)
	thetas := make([][]float64, workers)
	for w := range trs {
		if trs[w] = newTraj(); trs[w] == nil {
			return fmt.Errorf("bnn: grid predictive: the trajectory factory returned nil: %w", ErrInvalidParameter)
		}
		thetas[w] = make([]float64, len(g.Axes))
	}
	err := parallelFor(ctx, len(cells), workers, func(w, c int) error {
		theta := thetas[w]
		g.Theta(cells[c], theta)
		row := traj[c*nt : (c+1)*nt]
		if err := trs[w](row, theta, ts); err != nil {
			return fmt.Errorf("bnn: grid predictive: cell %d θ = %v: %w", cells[c], theta, err)
		}
		if i := odeFirstNonFinite(row); i >= 0 {
			return fmt.Errorf("bnn: grid predictive: cell %d θ = %v: trajectory is %g at t = %g: %w",
				cells[c], theta, row[i], ts[i], ErrNonFinite)
		}
		return nil
	})
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Cause(ctx)) {
		return fmt.Errorf("bnn: grid predictive: stopped: %w", err)
	}
	return err
}

// mixtureQuantile returns the q-quantile at time index i of the mixture
// Σ_c w_c N(traj[c, i], σ²) by safeguarded Halley iteration (cubically
// convergent; it stops once a step is below 1e-5·σ, leaving an error of
// order 1e-15·σ). The smallest and largest component quantiles bracket the
// answer; the start is the Gaussian approximation mean + z_q·std.
func mixtureQuantile(traj, w []float64, nt, i int, sigma, q, mean, std float64) float64 {
	z := math.Sqrt2 * math.Erfinv(2*q-1)
	lo, hi := math.Inf(1), math.Inf(-1)
	for c := range w {
		mu := traj[c*nt+i]
		lo, hi = math.Min(lo, mu), math.Max(hi, mu)
	}
	lo, hi = lo+sigma*z, hi+sigma*z
	if hi-lo <= 1e-14*(1+math.Abs(lo)) {
		return 0.5 * (lo + hi)
	}
	x := math.Min(math.Max(mean+z*std, lo), hi)
	inv := 1 / sigma
	fOld := math.Inf(1)
	for range 100 {
		// F(x) − q and σ·√(2π) times F′ and σ²·√(2π) times F″.
		cdf, d1, d2 := 0.0, 0.0, 0.0
		for c, wc := range w {
			u := (x - traj[c*nt+i]) * inv
			cdf += wc * math.Erfc(-u/math.Sqrt2)
			p := wc * math.Exp(-0.5*u*u)
			d1 += p
			d2 -= p * u
		}
		f := 0.5*cdf - q
		if f < 0 {
			lo = x
		} else {
			hi = x
		}
		fp := d1 * inv / math.Sqrt(2*math.Pi)
		fpp := d2 * inv * inv / math.Sqrt(2*math.Pi)
		dx := -f / fp
		if den := 1 + 0.5*dx*fpp/fp; den > 0.5 {
			dx /= den
		}
		nx := x + dx
		// Bisect when the step leaves the bracket or the last step did not
		// halve |F(x) − q|: in a gap between components the CDF is nearly
		// flat, and Halley's correction would crawl across it in steps of
		// about σ/20.
		if !(nx > lo && nx < hi) || math.Abs(f) > 0.5*fOld {
			nx = 0.5 * (lo + hi)
		} else if math.Abs(dx) <= 1e-5*sigma {
			return nx
		}
		fOld = math.Abs(f)
		if hi-lo <= 1e-15*(1+math.Abs(x)) {
			return nx
		}
		x = nx
	}
	return x
}
