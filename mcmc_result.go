package bnn

import (
	"fmt"
)

// HMCStats holds Stan's per-draw sampler statistics of one NUTS or static
// HMC transition.
type HMCStats struct {
	AcceptStat float64 // mean Metropolis acceptance over the trajectory (Stan's accept_stat__)
	StepSize   float64 // leapfrog step size used (stepsize__)
	TreeDepth  int     // tree depth reached (treedepth__; 0 for static HMC)
	NLeapfrog  int     // leapfrog steps, i.e. gradient evaluations (n_leapfrog__)
	Divergent  bool    // the trajectory's energy error exceeded 1000 or became NaN (divergent__)
	Energy     float64 // Hamiltonian of the draw, nats (energy__)
	LogDensity float64 // log density at the draw on the unconstrained scale, Jacobian included (lp__)
}

// DivergentPoint is where a divergent trajectory diverged: the position (on
// the constrained scale) of the leapfrog step whose energy error first
// exceeded the threshold, for kept draw Draw of chain Chain.
type DivergentPoint struct {
	Chain, Draw int
	Position    []float64
}

// MCMCResult holds the draws of SampleNUTS and the sampler's diagnostics.
type MCMCResult struct {
	// NumParams is the length of one draw (the log density's dimension).
	NumParams int
	// Draws[c][i] is kept draw i of chain c, on the constrained scale.
	Draws [][][]float64
	// Stats[c][i] are the sampler statistics of Draws[c][i].
	Stats [][]HMCStats
	// StepSize[c] is chain c's adapted step size.
	StepSize []float64
	// Metric[c] is chain c's adapted inverse metric on the unconstrained
	// scale: the diagonal (length UnconstrainedDim) or, when Dense, the
	// row-major covariance matrix.
	Metric [][]float64
	Dense  bool
	// MaxTreeDepth is the tree-depth cap used (0 for static HMC).
	MaxTreeDepth int
	// DivergentPoints[c] lists chain c's divergences among the kept draws.
	DivergentPoints [][]DivergentPoint
	// WarmupLeapfrogs[c] and WarmupDivergences[c] count chain c's leapfrog
	// steps and divergent transitions during warm-up.
	WarmupLeapfrogs, WarmupDivergences []int
	// WarmupSeconds[c] and SampleSeconds[c] are chain c's wall-clock times.
	WarmupSeconds, SampleSeconds []float64
}

func newMCMCResult(s nutsSettings, dim int) *MCMCResult {
	n := s.Chains
	r := &MCMCResult{NumParams: dim, Draws: make([][][]float64, n), Stats: make([][]HMCStats, n),
		StepSize: make([]float64, n), Metric: make([][]float64, n), Dense: s.Metric == MetricDense,
		MaxTreeDepth:    s.MaxTreeDepth,
		DivergentPoints: make([][]DivergentPoint, n), WarmupLeapfrogs: make([]int, n), WarmupDivergences: make([]int, n),
		WarmupSeconds: make([]float64, n), SampleSeconds: make([]float64, n)}
	if s.StaticSteps > 0 {
		r.MaxTreeDepth = 0
	}
	for c := range n {
		buf := make([]float64, s.Draws*dim)
		r.Draws[c] = make([][]float64, s.Draws)
		for i := range r.Draws[c] {
			r.Draws[c][i] = buf[i*dim : (i+1)*dim : (i+1)*dim]
		}
		r.Stats[c] = make([]HMCStats, s.Draws)
	}
	return r
}

// NumChains returns the number of chains.
func (r *MCMCResult) NumChains() int { return len(r.Draws) }

// NumDraws returns the number of kept draws per chain.
func (r *MCMCResult) NumDraws() int {
	if len(r.Draws) == 0 {
		return 0
	}
	return len(r.Draws[0])
}

// Param returns the draws of parameter j as chains × draws (a copy), the
// layout of the diagnostics (RHat, ESSBulk, …). It returns ErrShape for j
// out of range.
func (r *MCMCResult) Param(j int) ([][]float64, error) {
	if j < 0 || j >= r.NumParams {
		return nil, fmt.Errorf("bnn: mcmc result: parameter %d of %d: %w", j, r.NumParams, ErrShape)
	}
	out := make([][]float64, len(r.Draws))
	for c, ch := range r.Draws {
		out[c] = make([]float64, len(ch))
		for i, d := range ch {
			out[c][i] = d[j]
		}
	}
	return out, nil
}

// Divergences returns the number of divergent transitions among the kept
// draws of all chains.
func (r *MCMCResult) Divergences() int {
	n := 0
	for _, ch := range r.Stats {
		for _, s := range ch {
			if s.Divergent {
				n++
			}
		}
	}
	return n
}

// MaxTreeDepthHits returns the number of kept NUTS transitions that
// stopped at the maximum tree depth without a U-turn — a sign that the step
// size is small relative to the posterior's scales (0 for static HMC).
func (r *MCMCResult) MaxTreeDepthHits() int {
	n := 0
	if r.MaxTreeDepth == 0 {
		return 0
	}
	for _, ch := range r.Stats {
		for _, s := range ch {
			if s.TreeDepth >= r.MaxTreeDepth {
				n++
			}
		}
	}
	return n
}

// TotalLeapfrogs returns the number of leapfrog steps (gradient
// evaluations of the trajectories) over all chains, warm-up included.
func (r *MCMCResult) TotalLeapfrogs() int {
	n := 0
	for c, ch := range r.Stats {
		n += r.WarmupLeapfrogs[c]
		for _, s := range ch {
			n += s.NLeapfrog
		}
	}
	return n
}
