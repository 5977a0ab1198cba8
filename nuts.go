package bnn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// MetricKind selects the Euclidean metric that NUTS adapts during warm-up.
type MetricKind int

const (
	// MetricDiag adapts a diagonal inverse metric (the posterior variances); the default.
	MetricDiag MetricKind = iota
	// MetricDense adapts a dense inverse metric (the posterior covariance),
	// used through its Cholesky factor.
	MetricDense
)

// NUTSConfig configures SampleNUTS. A zero field means the documented
// default (the defaults are Stan's).
type NUTSConfig struct {
	// Chains is the number of independent chains, run in parallel goroutines (default 4).
	Chains int
	// Warmup is the number of warm-up (adaptation) iterations per chain
	// (default 1000). A negative value means no warm-up: the step size is
	// the initial heuristic's and the metric the identity.
	Warmup int
	// Draws is the number of kept iterations per chain after warm-up (default 1000).
	Draws int
	// MaxTreeDepth caps the NUTS tree at 2^MaxTreeDepth leapfrog steps per
	// transition (default 10).
	MaxTreeDepth int
	// TargetAccept is the mean acceptance statistic that dual averaging aims
	// for during warm-up, in (0, 1) (default 0.8).
	TargetAccept float64
	// Metric is MetricDiag (default) or MetricDense.
	Metric MetricKind
	// StaticSteps > 0 selects static HMC with this many leapfrog steps per
	// transition instead of NUTS (the step size still adapts).
	StaticSteps int
	// StepJitter in [0, 1) multiplies the step size of every transition by
	// a uniform draw from 1 ± StepJitter (default 0; Stan's stepsize_jitter),
	// which breaks the periodicities that can trap static HMC.
	StepJitter float64
	// StepSize is the step size the warm-up heuristic starts from (default 1).
	StepSize float64
	// Init optionally gives each chain's initial point (len Chains, each of
	// length dim, on the scale of the log density, i.e. constrained when
	// Transforms is set). Nil draws every coordinate uniformly from
	// (−InitRadius, InitRadius) on the unconstrained scale, as Stan does,
	// retrying up to 100 times until the log density and gradient are finite.
	Init [][]float64
	// InitRadius is the half-width of the random initialisation (default 2).
	InitRadius float64
	// Transforms, when set, declares the constrained parameters: logJoint is
	// then a log density on the constrained scale (θ of length dim =
	// Transforms.Dim()) with its gradient in θ, the sampler moves on the
	// unconstrained scale (with the log-Jacobian added), and every draw is
	// reported on the constrained scale.
	Transforms *Constrained
	// NewLogJoint, when set, is called once per chain for a private log
	// joint (for log densities that keep scratch buffers); the logJoint
	// argument of SampleNUTS may then be nil. Without it, logJoint is called
	// from several goroutines at once and must be safe for concurrent use.
	NewLogJoint func() LogJoint
	// Seed determines every random number; chain c uses stream c of Seed, so
	// results are bit-identical at any GOMAXPROCS.
	Seed uint64
	// Progress, when set, is called after every iteration (warm-up first,
	// counted from 0) of every chain. It is called from the chains'
	// goroutines but never concurrently (calls are serialised); keep it short.
	Progress func(chain, iteration int)

	mutation nutsMutation // test hook
}

// nutsSettings is a NUTSConfig with its defaults filled in.
type nutsSettings struct {
	NUTSConfig
	warmup int // ≥ 0
}

func (cfg NUTSConfig) settings(dim int) (nutsSettings, error) {
	s := nutsSettings{NUTSConfig: cfg}
	bad := func(what string, v any) (nutsSettings, error) {
		return nutsSettings{}, fmt.Errorf("bnn: nuts: %s %v: %w", what, v, ErrInvalidParameter)
	}
	if s.Chains == 0 {
		s.Chains = 4
	}
	switch {
	case s.Warmup == 0:
		s.warmup = 1000
	case s.Warmup > 0:
		s.warmup = s.Warmup
	}
	if s.Draws == 0 {
		s.Draws = 1000
	}
	if s.MaxTreeDepth == 0 {
		s.MaxTreeDepth = 10
	}
	if s.TargetAccept == 0 {
		s.TargetAccept = 0.8
	}
	if s.StepSize == 0 {
		s.StepSize = 1
	}
	if s.InitRadius == 0 {
		s.InitRadius = 2
	}
	switch {
	case s.Chains < 1:
		return bad("chains", s.Chains)
	case s.Draws < 1:
		return bad("draws", s.Draws)
	case s.MaxTreeDepth < 1 || s.MaxTreeDepth > 30:
		return bad("max tree depth (1…30)", s.MaxTreeDepth)
	case !(s.TargetAccept > 0 && s.TargetAccept < 1):
		return bad("target acceptance (0…1)", s.TargetAccept)
	case s.Metric != MetricDiag && s.Metric != MetricDense:
		return bad("metric", int(s.Metric))
	case !(s.StepJitter >= 0 && s.StepJitter < 1):
		return bad("step-size jitter [0, 1)", s.StepJitter)
	case s.StaticSteps < 0:
		return bad("static leapfrog steps", s.StaticSteps)
	case !(s.StepSize > 0) || math.IsInf(s.StepSize, 1):
		return bad("initial step size", s.StepSize)
	case !(s.InitRadius > 0) || math.IsInf(s.InitRadius, 1):
		return bad("init radius", s.InitRadius)
	}
	if s.Transforms != nil && s.Transforms.Dim() != dim {
		return nutsSettings{}, fmt.Errorf("bnn: nuts: transforms cover %d parameters, dimension is %d: %w", s.Transforms.Dim(), dim, ErrShape)
	}
	if s.Init != nil {
		if len(s.Init) != s.Chains {
			return nutsSettings{}, fmt.Errorf("bnn: nuts: %d initial points for %d chains: %w", len(s.Init), s.Chains, ErrShape)
		}
		for c, x := range s.Init {
			if len(x) != dim {
				return nutsSettings{}, fmt.Errorf("bnn: nuts: initial point of chain %d has length %d, dimension is %d: %w", c, len(x), dim, ErrShape)
			}
			for j, v := range x {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nutsSettings{}, fmt.Errorf("bnn: nuts: initial point of chain %d, element %d is %g: %w", c, j, v, ErrNonFinite)
				}
			}
		}
	}
	return s, nil
}

// SampleNUTS draws from the density exp(logJoint) over R^dim with the
// No-U-Turn Sampler as Stan implements it: multinomial sampling along the
// trajectory with the generalised no-U-turn criterion (Hoffman and Gelman
// 2014; Betancourt 2017, "A Conceptual Introduction to Hamiltonian Monte
// Carlo"), biased progressive sampling between subtrees, a maximum tree
// depth, and divergences flagged when the energy error exceeds 1000. Warm-up
// adapts the step size by dual averaging and the metric (diagonal or dense)
// over Stan's doubling windows. cfg.StaticSteps selects static HMC instead.
//
// logJoint must return log p(θ) up to a constant and write every element of
// its gradient. It is called from the chains' goroutines at once unless
// cfg.NewLogJoint gives each chain its own.
//
// Chains run in parallel goroutines, each from its own random stream, so the
// result depends only on cfg.Seed. SampleNUTS returns when every chain has
// finished; ctx is checked every iteration.
//
// Errors: ErrInvalidParameter for dim < 1, a missing log joint or bad
// settings; ErrShape for Init or Transforms of the wrong size; ErrNonFinite
// (naming the chain and whether the log density or which gradient element)
// when no initial point with a finite log density and gradient is found in
// 100 random tries (or at a given Init); ErrNotConverged when the initial
// step-size search runs away (an improper or discontinuous density); and
// ctx.Err() wrapped on cancellation. A log density that becomes NaN or
// infinite during sampling is a divergence, not an error.
func SampleNUTS(ctx context.Context, dim int, logJoint LogJoint, cfg NUTSConfig) (*MCMCResult, error) {
	if dim < 1 || (logJoint == nil && cfg.NewLogJoint == nil) {
		return nil, fmt.Errorf("bnn: nuts: dimension %d (log joint set: %t): %w", dim, logJoint != nil || cfg.NewLogJoint != nil, ErrInvalidParameter)
	}
	s, err := cfg.settings(dim)
	if err != nil {
		return nil, err
	}
	res := newMCMCResult(s, dim)
	var progressMu sync.Mutex
	err = runChains(ctx, s.Chains, func(ctx context.Context, c int) error {
		lj := logJoint
		if s.NewLogJoint != nil {
			if lj = s.NewLogJoint(); lj == nil {
				return fmt.Errorf("bnn: nuts: chain %d: NewLogJoint returned nil: %w", c, ErrInvalidParameter)
			}
		}
		var progress func(int)
		if s.Progress != nil {
			progress = func(it int) {
				progressMu.Lock()
				defer progressMu.Unlock()
				s.Progress(c, it)
			}
		}
		return runNUTSChain(ctx, &s, c, lj, res, progress)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// runChains runs fn for chains 0…n−1 in parallel goroutines and waits for
// all of them. When one fails, the others' context is cancelled. It returns
// the parent context's error (wrapped by the chain that saw it) if ctx was
// cancelled, otherwise the error of the lowest-numbered failing chain.
func runChains(ctx context.Context, n int, fn func(ctx context.Context, chain int) error) error {
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	// One worker per chain (parallel.go): chains run side by side even when
	// there are more chains than cores; a failing chain cancels the others.
	_ = parallelFor(inner, n, n, func(_, c int) error {
		if errs[c] = fn(inner, c); errs[c] != nil {
			cancel()
		}
		return nil
	})
	if ctx.Err() != nil {
		for _, e := range errs {
			if e != nil && errors.Is(e, ctx.Err()) {
				return e
			}
		}
		return fmt.Errorf("bnn: nuts: %w", ctx.Err())
	}
	for _, e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) {
			return e
		}
	}
	return nil
}

// rngSource adapts the package generator to math/rand/v2's Source.
type rngSource struct{ g gaussRNG }

func (s *rngSource) Uint64() uint64 { return s.g.uint64() }

// runNUTSChain runs warm-up and sampling for chain c and stores its draws
// and statistics in res.
func runNUTSChain(ctx context.Context, s *nutsSettings, c int, lj LogJoint, res *MCMCResult, progress func(int)) error {
	tr := s.Transforms
	udim := res.NumParams
	if tr != nil {
		lj = tr.LogJoint(lj)
		udim = tr.UnconstrainedDim()
	}
	r := rand.New(&rngSource{newGaussRNG(s.Seed, uint64(c))})
	metric := newHMCMetric(udim, s.Metric == MetricDense)
	k := newHMCKernel(udim, lj, metric, r, s.MaxTreeDepth, s.StaticSteps)
	k.mutation = s.mutation
	k.jitter = s.StepJitter
	if err := k.initialise(s, c); err != nil {
		return err
	}
	k.eps = s.StepSize
	if err := k.findStepSize(c); err != nil {
		return err
	}
	da := newDualAveraging(s.TargetAccept)
	da.restart(k.eps)
	windows := newAdaptWindows(s.warmup)
	wf := newWelford(udim, metric.dense)
	est := make([]float64, len(wf.m2))
	done := ctx.Done()
	start := time.Now()
	total := s.warmup + s.Draws
	for it := range total {
		select {
		case <-done:
			return fmt.Errorf("bnn: nuts: chain %d stopped at iteration %d: %w", c, it, ctx.Err())
		default:
		}
		if it == s.warmup {
			res.WarmupSeconds[c] = time.Since(start).Seconds()
			start = time.Now()
		}
		accept := k.transition()
		if it < s.warmup {
			res.WarmupLeapfrogs[c] += k.nLeapfrog
			if k.divergent {
				res.WarmupDivergences[c]++
			}
			k.eps = da.learn(accept)
			if windows.inWindow() {
				wf.add(k.cur.q)
			}
			if windows.endOfWindow() {
				windows.advance()
				if err := wf.regularisedTo(est); err != nil {
					return fmt.Errorf("bnn: nuts: chain %d, warm-up iteration %d: %w", c, it, err)
				}
				if err := metric.set(est); err != nil {
					return fmt.Errorf("bnn: nuts: chain %d, warm-up iteration %d: metric: %w", c, it, err)
				}
				wf.reset()
				if err := k.findStepSize(c); err != nil {
					return err
				}
				da.restart(k.eps)
			}
			windows.counter++
			if it == s.warmup-1 {
				k.eps = da.final()
			}
		} else {
			d := it - s.warmup
			draw := res.Draws[c][d]
			if tr != nil {
				tr.constrainTo(draw, k.cur.q, nil)
			} else {
				copy(draw, k.cur.q)
			}
			res.Stats[c][d] = HMCStats{AcceptStat: accept, StepSize: k.epsNow, TreeDepth: k.depth, NLeapfrog: k.nLeapfrog,
				Divergent: k.divergent, Energy: k.energy(), LogDensity: k.cur.lp}
			if k.divergent {
				pos := make([]float64, res.NumParams)
				if tr != nil {
					tr.constrainTo(pos, k.divQ, nil)
				} else {
					copy(pos, k.divQ)
				}
				res.DivergentPoints[c] = append(res.DivergentPoints[c], DivergentPoint{Chain: c, Draw: d,
					Position: append([]float64(nil), draw...), Diverged: pos})
			}
		}
		if progress != nil {
			progress(it)
		}
	}
	res.SampleSeconds[c] = time.Since(start).Seconds()
	if s.warmup == 0 {
		res.WarmupSeconds[c] = 0
	}
	res.StepSize[c] = k.eps
	res.Metric[c] = metric.values()
	return nil
}

// maxInitTries is the number of random initial points tried (Stan's 100).
const maxInitTries = 100

// initialise sets k.cur to chain c's initial point: cfg.Init[c] (mapped to
// the unconstrained scale) or a random point in (−r, r)^dim, retried until
// the log density and its gradient are finite.
func (k *hmcKernel) initialise(s *nutsSettings, c int) error {
	z := k.cur
	tries := maxInitTries
	if s.Init != nil {
		tries = 1
	}
	var why string
	for range tries {
		if s.Init != nil {
			if s.Transforms != nil {
				if err := s.Transforms.unconstrainTo(z.q, s.Init[c]); err != nil {
					return fmt.Errorf("bnn: nuts: chain %d: initial point: %w", c, err)
				}
			} else {
				copy(z.q, s.Init[c])
			}
		} else {
			for i := range z.q {
				z.q[i] = s.InitRadius * (2*k.rng.Float64() - 1)
			}
		}
		k.evaluate(z)
		if math.IsNaN(z.lp) || math.IsInf(z.lp, 0) {
			why = fmt.Sprintf("log density is %g", z.lp)
			continue
		}
		bad := -1
		for i, g := range z.g {
			if math.IsNaN(g) || math.IsInf(g, 0) {
				bad = i
				break
			}
		}
		if bad >= 0 {
			why = fmt.Sprintf("gradient element %d is %g", bad, z.g[bad])
			continue
		}
		return nil
	}
	if s.Init != nil {
		return fmt.Errorf("bnn: nuts: chain %d: at the given initial point the %s: %w", c, why, ErrNonFinite)
	}
	return fmt.Errorf("bnn: nuts: chain %d: no finite initial point in %d random tries (last: %s): %w", c, tries, why, ErrNonFinite)
}

// findStepSize is Stan's initial step-size heuristic (Hoffman and Gelman
// 2014, Algorithm 4): from the current step size, double (or halve) it
// until the one-step acceptance probability exp(H0 − H) crosses 0.8, with a
// fresh momentum each try. The chain state is left unchanged.
func (k *hmcKernel) findStepSize(c int) error {
	z := &k.z
	delta := func() float64 {
		z.copyFrom(k.cur)
		k.metric.sampleMomentum(z.p, k.rng)
		k.metric.velocity(z.v, z.p)
		h0 := k.hamiltonian(z)
		k.leapfrog(z, k.eps)
		return h0 - k.hamiltonian(z)
	}
	logTarget := math.Log(0.8)
	direction := -1.0
	if delta() > logTarget {
		direction = 1
	}
	for {
		d := delta()
		if (direction == 1 && !(d > logTarget)) || (direction == -1 && !(d < logTarget)) {
			return nil
		}
		if direction == 1 {
			k.eps *= 2
		} else {
			k.eps *= 0.5
		}
		if k.eps > 1e7 {
			return fmt.Errorf("bnn: nuts: chain %d: step size grew past 1e7 (is the density improper?): %w", c, ErrNotConverged)
		}
		if k.eps == 0 {
			return fmt.Errorf("bnn: nuts: chain %d: no acceptably small step size (is the density discontinuous?): %w", c, ErrNotConverged)
		}
	}
}
