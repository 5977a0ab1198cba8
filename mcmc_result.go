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

// DivergentPoint records a divergent transition among the kept draws:
// Position is its draw (what Stan reports and pair plots show; divergences
// cluster where the geometry defeats the step size), Diverged the position
// of the leapfrog step whose energy error first exceeded the threshold
// (where the trajectory escaped). Both are on the constrained scale.
type DivergentPoint struct {
	Chain, Draw        int
	Position, Diverged []float64
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
// layout of the diagnostics (RHat, ESSBulk, …). Like a slice index, j out of
// range [0, NumParams) panics.
func (r *MCMCResult) Param(j int) [][]float64 {
	if j < 0 || j >= r.NumParams {
		panic(fmt.Sprintf("bnn: mcmc result: parameter %d out of range [0, %d)", j, r.NumParams))
	}
	out := make([][]float64, len(r.Draws))
	for c, ch := range r.Draws {
		out[c] = make([]float64, len(ch))
		for i, d := range ch {
			out[c][i] = d[j]
		}
	}
	return out
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

// Summary returns the posterior summary and convergence diagnostics of every
// parameter (see SummarizeDraws), named by names (len NumParams; nil names
// them theta[0], theta[1], …). It returns the errors of SummarizeDraws and
// ErrShape for a wrong number of names.
func (r *MCMCResult) Summary(names []string) ([]ParamSummary, error) {
	if names == nil {
		names = make([]string, r.NumParams)
		for j := range names {
			names[j] = fmt.Sprintf("theta[%d]", j)
		}
	}
	if len(names) != r.NumParams {
		return nil, fmt.Errorf("bnn: mcmc result: %d names for %d parameters: %w", len(names), r.NumParams, ErrShape)
	}
	draws := make([][][]float64, r.NumParams)
	for j := range draws {
		draws[j] = r.Param(j)
	}
	return SummarizeDraws(names, draws)
}

// EBFMI returns each chain's estimated Bayesian fraction of missing
// information from the energies of its kept draws (see EBFMI); values below
// 0.3 flag a poorly explored energy distribution. It returns the errors of
// EBFMI, naming the chain.
func (r *MCMCResult) EBFMI() ([]float64, error) {
	out := make([]float64, len(r.Stats))
	energy := make([]float64, r.NumDraws())
	for c, ch := range r.Stats {
		for i, s := range ch {
			energy[i] = s.Energy
		}
		v, err := EBFMI(energy)
		if err != nil {
			return nil, fmt.Errorf("bnn: mcmc result: chain %d: %w", c, err)
		}
		out[c] = v
	}
	return out, nil
}

// MinESSBulk returns the smallest bulk effective sample size over the
// parameters (see ESSBulk), the usual summary of sampling efficiency.
func (r *MCMCResult) MinESSBulk() (float64, error) {
	m := 0.0
	for j := range r.NumParams {
		d := r.Param(j)
		e, err := ESSBulk(d)
		if err != nil {
			return 0, fmt.Errorf("bnn: mcmc result: parameter %d: %w", j, err)
		}
		if j == 0 || e < m {
			m = e
		}
	}
	return m, nil
}
