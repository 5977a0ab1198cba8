package bnn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// GridAxis is one parameter axis of a grid posterior: N equally spaced values
// from Lo to Hi inclusive, like linspace(Lo, Hi, N). N = 1 fixes the
// parameter at Lo.
type GridAxis struct {
	Name   string  // label used in messages and reports
	Lo, Hi float64 // first and last value
	N      int     // number of values (≥ 1)
}

// Value returns the i-th value of the axis.
func (a GridAxis) Value(i int) float64 {
	if a.N == 1 {
		return a.Lo
	}
	if i == a.N-1 {
		return a.Hi
	}
	return a.Lo + (a.Hi-a.Lo)*float64(i)/float64(a.N-1)
}

// Step returns the spacing between neighbouring values (0 when N = 1).
func (a GridAxis) Step() float64 {
	if a.N < 2 {
		return 0
	}
	return (a.Hi - a.Lo) / float64(a.N-1)
}

// LogDensity returns a log density (natural logarithm, up to an additive
// constant) at the parameter vector theta. It must not retain theta.
type LogDensity func(theta []float64) (float64, error)

// GridModel is the model a grid posterior is computed for.
type GridModel struct {
	// LogPrior returns the log prior density at theta, −Inf outside the
	// support. It is called concurrently and must be safe for that.
	LogPrior func(theta []float64) float64
	// NewLogLik returns a log-likelihood function for one worker goroutine:
	// each returned function is used by one goroutine at a time, so it may
	// own a workspace (such as an ODE solver). It must be a pure function of
	// theta for results to be deterministic.
	NewLogLik func() LogDensity
}

// GridConfig configures the evaluation of a grid posterior.
type GridConfig struct {
	// Workers is the number of goroutines evaluating cells; 0 means
	// GOMAXPROCS. Results do not depend on it.
	Workers int
}

// GridPosterior is a posterior evaluated exactly on a rectangular grid of
// parameter values. Cells are numbered row-major, the last axis fastest.
//
// Its fields are the results, exported for reading: the methods assume that
// Prob sums to 1 and that LogSum = log Σ exp(LogPost), and they read the
// fields as they are, so a caller that changes one gets results computed
// from what it set. To change a posterior (for example to reweight cells),
// modify a Clone. The slices returned by methods are new and owned by the
// caller.
type GridPosterior struct {
	// Axes are the grid's axes (a copy of those it was built from).
	Axes []GridAxis
	// LogPost holds log prior + log likelihood per cell (−Inf where the prior
	// or the likelihood vanishes).
	LogPost []float64
	// Prob holds the normalised cell probabilities exp(LogPost − LogSum).
	Prob []float64
	// LogSum is log Σ exp(LogPost), computed by log-sum-exp. Adding the log
	// of the cell volume gives a Riemann estimate of the log evidence.
	LogSum float64
}

// NewGridPosterior evaluates log prior + log likelihood of m on every cell of
// the grid spanned by axes, in parallel, and normalises with log-sum-exp.
// The likelihood is not evaluated where the prior is −Inf. Results are
// bit-identical for any number of workers.
//
// Errors: ErrEmpty for no axes, ErrInvalidParameter for an axis with N < 1,
// non-finite bounds or Hi < Lo (Hi == Lo only with N = 1), or a nil
// function; ErrNonFinite when the log prior or log likelihood is NaN or +Inf
// (naming the cell and theta); the first error (in cell order) returned by
// the log likelihood, wrapped with the cell; ErrEmpty when every cell has
// zero posterior density; and, when ctx is done before every cell was
// evaluated, an error wrapping context.Cause(ctx).
func NewGridPosterior(ctx context.Context, axes []GridAxis, m GridModel, opts GridConfig) (*GridPosterior, error) {
	cells, err := gridCells(axes)
	if err != nil {
		return nil, err
	}
	if m.LogPrior == nil || m.NewLogLik == nil {
		return nil, fmt.Errorf("bnn: grid: nil log prior or log likelihood: %w", ErrInvalidParameter)
	}
	g := &GridPosterior{Axes: append([]GridAxis(nil), axes...), LogPost: make([]float64, cells), Prob: make([]float64, cells)}
	if err := g.evaluate(ctx, m, opts.Workers); err != nil {
		return nil, err
	}
	if err := g.normalise(); err != nil {
		return nil, err
	}
	return g, nil
}

// gridCells validates axes and returns the number of cells.
func gridCells(axes []GridAxis) (int, error) {
	if len(axes) == 0 {
		return 0, fmt.Errorf("bnn: grid: no axes: %w", ErrEmpty)
	}
	cells := 1
	for d, a := range axes {
		if a.N < 1 {
			return 0, fmt.Errorf("bnn: grid: axis %d (%s) has %d values: %w", d, a.Name, a.N, ErrEmpty)
		}
		if math.IsNaN(a.Lo) || math.IsNaN(a.Hi) || math.IsInf(a.Lo, 0) || math.IsInf(a.Hi, 0) {
			return 0, fmt.Errorf("bnn: grid: axis %d (%s) bounds [%g, %g]: %w", d, a.Name, a.Lo, a.Hi, ErrNonFinite)
		}
		if a.N > 1 && !(a.Hi > a.Lo) {
			return 0, fmt.Errorf("bnn: grid: axis %d (%s) bounds [%g, %g] are not increasing: %w", d, a.Name, a.Lo, a.Hi, ErrInvalidParameter)
		}
		if cells > math.MaxInt32/a.N {
			return 0, fmt.Errorf("bnn: grid: more than %d cells: %w", math.MaxInt32, ErrInvalidParameter)
		}
		cells *= a.N
	}
	return cells, nil
}

// Theta writes the parameter values of cell idx into theta (len(theta) ==
// len(g.Axes)).
func (g *GridPosterior) Theta(idx int, theta []float64) {
	gridTheta(g.Axes, idx, theta)
}

func gridTheta(axes []GridAxis, idx int, theta []float64) {
	for d := len(axes) - 1; d >= 0; d-- {
		a := axes[d]
		theta[d] = a.Value(idx % a.N)
		idx /= a.N
	}
}

// evaluate fills g.LogPost with parallelFor, each worker owning one
// log-likelihood function. Every cell's value depends only on its theta, and
// on failure the error of the lowest-numbered failing cell is returned.
func (g *GridPosterior) evaluate(ctx context.Context, m GridModel, workers int) error {
	cells := len(g.LogPost)
	workers = parallelWorkers(workers, cells)
	lls := make([]LogDensity, workers)
	thetas := make([][]float64, workers)
	for w := range lls {
		if lls[w] = m.NewLogLik(); lls[w] == nil {
			return fmt.Errorf("bnn: grid: NewLogLik returned a nil log-likelihood: %w", ErrInvalidParameter)
		}
		thetas[w] = make([]float64, len(g.Axes))
	}
	err := parallelFor(ctx, cells, workers, func(w, idx int) error {
		v, err := g.cellValue(m.LogPrior, lls[w], idx, thetas[w])
		g.LogPost[idx] = v
		return err
	})
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Cause(ctx)) {
		return fmt.Errorf("bnn: grid: stopped: %w", err)
	}
	return err
}

func (g *GridPosterior) cellValue(logPrior func([]float64) float64, ll LogDensity, idx int, theta []float64) (float64, error) {
	g.Theta(idx, theta)
	lp := logPrior(theta)
	if math.IsNaN(lp) || math.IsInf(lp, 1) {
		return 0, fmt.Errorf("bnn: grid: log prior is %g at cell %d θ = %v: %w", lp, idx, theta, ErrNonFinite)
	}
	if math.IsInf(lp, -1) {
		return lp, nil
	}
	l, err := ll(theta)
	if err != nil {
		return 0, fmt.Errorf("bnn: grid: log likelihood at cell %d θ = %v: %w", idx, theta, err)
	}
	if math.IsNaN(l) || math.IsInf(l, 1) {
		return 0, fmt.Errorf("bnn: grid: log likelihood is %g at cell %d θ = %v: %w", l, idx, theta, ErrNonFinite)
	}
	return lp + l, nil
}

// normalise sets LogSum and Prob from LogPost (log-sum-exp, in cell order).
func (g *GridPosterior) normalise() error {
	m := math.Inf(-1)
	for _, v := range g.LogPost {
		m = math.Max(m, v)
	}
	if math.IsInf(m, -1) {
		return fmt.Errorf("bnn: grid: the posterior density is zero on all %d cells: %w", len(g.LogPost), ErrEmpty)
	}
	sum := 0.0
	for _, v := range g.LogPost {
		sum += math.Exp(v - m)
	}
	g.LogSum = m + math.Log(sum)
	// Dividing by the sum (rather than subtracting LogSum, which may be large
	// and coarse) makes the probabilities sum to 1 within rounding.
	for i, v := range g.LogPost {
		g.Prob[i] = math.Exp(v-m) / sum
	}
	return nil
}

// Clone returns a deep copy of g: its slices share nothing with g's.
func (g *GridPosterior) Clone() *GridPosterior {
	return &GridPosterior{Axes: slices.Clone(g.Axes), LogPost: slices.Clone(g.LogPost), Prob: slices.Clone(g.Prob), LogSum: g.LogSum}
}

// MAP returns the parameter values of the most probable cell (the first one
// in cell order on ties).
func (g *GridPosterior) MAP() []float64 {
	best := 0
	for i, v := range g.LogPost {
		if v > g.LogPost[best] {
			best = i
		}
	}
	theta := make([]float64, len(g.Axes))
	g.Theta(best, theta)
	return theta
}

// Marginal returns the marginal probabilities of the values of axis d
// (summing to 1). It panics if d is out of range.
func (g *GridPosterior) Marginal(d int) []float64 {
	a := g.Axes[d]
	inner := 1
	for _, b := range g.Axes[d+1:] {
		inner *= b.N
	}
	m := make([]float64, a.N)
	for idx, p := range g.Prob {
		m[(idx/inner)%a.N] += p
	}
	return m
}

// Mean returns the posterior mean of each parameter, Σ p·θ over cells.
func (g *GridPosterior) Mean() []float64 {
	mean := make([]float64, len(g.Axes))
	for d, a := range g.Axes {
		if a.N == 1 { // exactly the fixed value, not Lo·Σp
			mean[d] = a.Lo
			continue
		}
		for i, p := range g.Marginal(d) {
			mean[d] += p * a.Value(i)
		}
	}
	return mean
}

// Std returns the posterior standard deviation of each parameter over the
// grid's discrete distribution, √(Σ p·(θ − mean)²) (0 on N = 1 axes); it
// does not correct for the cell width.
func (g *GridPosterior) Std() []float64 {
	mean := g.Mean()
	std := make([]float64, len(g.Axes))
	for d, a := range g.Axes {
		if a.N == 1 {
			continue
		}
		v := 0.0
		for i, p := range g.Marginal(d) {
			r := a.Value(i) - mean[d]
			v += p * r * r
		}
		std[d] = math.Sqrt(v)
	}
	return std
}

// CellsPerStd returns, per axis, the posterior standard deviation divided by
// the grid spacing: how many cells one std spans (+Inf for N = 1 axes). Below
// about 5 the grid under-resolves its posterior.
func (g *GridPosterior) CellsPerStd() []float64 {
	std := g.Std()
	for d, a := range g.Axes {
		if a.N == 1 {
			std[d] = math.Inf(1) // not 0/0
			continue
		}
		std[d] /= a.Step()
	}
	return std
}

// CredibleInterval returns the equal-tailed credible interval of axis d at
// the given level (0 < level < 1): the (1−level)/2 and (1+level)/2 quantiles
// of the marginal, each cell's mass spread uniformly over its width (so the
// quantiles interpolate between grid values and may reach half a cell past
// the ends). It returns ErrInvalidParameter for a level outside (0, 1) or d
// out of range.
func (g *GridPosterior) CredibleInterval(d int, level float64) (lo, hi float64, err error) {
	if d < 0 || d >= len(g.Axes) {
		return 0, 0, fmt.Errorf("bnn: grid: axis %d of %d: %w", d, len(g.Axes), ErrInvalidParameter)
	}
	if !(level > 0 && level < 1) {
		return 0, 0, fmt.Errorf("bnn: grid: credible level %g not in (0, 1): %w", level, ErrInvalidParameter)
	}
	m := g.Marginal(d)
	a := g.Axes[d]
	return gridQuantile(a, m, (1-level)/2), gridQuantile(a, m, (1+level)/2), nil
}

// gridQuantile inverts the piecewise-linear CDF of marginal m on axis a.
func gridQuantile(a GridAxis, m []float64, q float64) float64 {
	h := a.Step()
	cum := 0.0
	for i, p := range m {
		if p > 0 && cum+p >= q {
			return a.Value(i) - h/2 + h*(q-cum)/p
		}
		cum += p
	}
	for i := len(m) - 1; i >= 0; i-- {
		if m[i] > 0 {
			return a.Value(i) + h/2
		}
	}
	return a.Hi
}
