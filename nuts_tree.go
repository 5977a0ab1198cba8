package bnn

import (
	"math"
	"math/rand/v2"
)

// hmcMetric is the Euclidean metric of the kinetic energy K(p) = ½·pᵀΣp,
// stored as the inverse metric Σ (an estimate of the posterior covariance):
// a diagonal (invDiag) or a dense symmetric matrix (cov) with its Cholesky
// factor Σ = LLᵀ. Momenta are drawn from N(0, Σ⁻¹) as p = u/√Σᵢᵢ (diagonal)
// or p = L⁻ᵀu with one triangular solve (dense), u ~ N(0, I); the velocity
// ∂K/∂p = Σp is a product with Σ itself, so Σ⁻¹ is never formed.
type hmcMetric struct {
	dense   bool
	dim     int
	invDiag []float64 // diagonal Σ
	cov     *Dense    // dense Σ
	chol    Cholesky  // of cov
	u       []float64 // scratch for sampling
}

func newHMCMetric(dim int, dense bool) *hmcMetric {
	m := &hmcMetric{dense: dense, dim: dim, u: make([]float64, dim)}
	if dense {
		m.cov = Eye(dim)
		_ = m.chol.Factorize(m.cov)
	} else {
		m.invDiag = make([]float64, dim)
		for i := range m.invDiag {
			m.invDiag[i] = 1
		}
	}
	return m
}

// set replaces Σ by the values in s (diagonal of length dim, or dim×dim).
func (m *hmcMetric) set(s []float64) error {
	if !m.dense {
		copy(m.invDiag, s)
		return nil
	}
	copy(m.cov.data, s)
	return m.chol.Factorize(m.cov)
}

// values returns a copy of Σ (diagonal or row-major dense).
func (m *hmcMetric) values() []float64 {
	if m.dense {
		return append([]float64(nil), m.cov.data...)
	}
	return append([]float64(nil), m.invDiag...)
}

// velocity writes Σp into dst.
func (m *hmcMetric) velocity(dst, p []float64) {
	if !m.dense {
		inv := m.invDiag[:len(p)]
		dst = dst[:len(p)]
		for i, v := range p {
			dst[i] = inv[i] * v
		}
		return
	}
	n := m.dim
	c := m.cov.data
	for i := range n {
		dst[i] = dotF64(c[i*n:i*n+n], p)
	}
}

// sampleMomentum draws p ~ N(0, Σ⁻¹).
func (m *hmcMetric) sampleMomentum(p []float64, r *rand.Rand) {
	if !m.dense {
		for i := range p {
			p[i] = r.NormFloat64() / math.Sqrt(m.invDiag[i])
		}
		return
	}
	for i := range m.u {
		m.u[i] = r.NormFloat64()
	}
	m.chol.backward(p, m.u)
}

// phasePoint is a point of phase space: position q, momentum p, the
// gradient g of the log density at q, the velocity v = Σp (Stan's "sharp"
// momentum) and the log density lp at q.
type phasePoint struct {
	q, p, g, v []float64
	lp         float64
}

func newPhasePoint(dim int) phasePoint {
	b := make([]float64, 4*dim)
	return phasePoint{q: b[:dim:dim], p: b[dim : 2*dim : 2*dim], g: b[2*dim : 3*dim : 3*dim], v: b[3*dim:]}
}

func (z *phasePoint) copyFrom(o *phasePoint) {
	copy(z.q, o.q)
	copy(z.p, o.p)
	copy(z.g, o.g)
	copy(z.v, o.v)
	z.lp = o.lp
}

// treeLevel holds the summed momenta of the two halves of a subtree at one
// depth of the NUTS recursion, so a transition allocates nothing.
type treeLevel struct {
	rhoInit, rhoFinal []float64
}

// hmcKernel is one chain's transition kernel: the integrator state, the
// metric, the step size and every work vector of the tree.
//
// The tree builder never copies a phase point: every state the trajectory
// visits is written once, by an out-of-place leapfrog step, into a buffer of
// the reference-counted pool, and the subtrees' end points, their proposals
// and the chain's current state are indices into it. Selecting a proposal,
// moving an end of the trajectory or accepting the sample swaps indices.
type hmcKernel struct {
	dim       int
	logJoint  LogJoint
	metric    *hmcMetric
	rng       *rand.Rand
	eps       float64 // nominal step size
	epsNow    float64 // step size of the current transition (eps, jittered)
	jitter    float64 // uniform relative jitter of the step size per transition
	maxDepth  int
	maxDeltaH float64
	static    int // > 0: static HMC with this many leapfrog steps

	pool   statePool
	curIdx int         // the pool index of the chain's current state
	cur    *phasePoint // pool.pts[curIdx] (p unused between transitions)
	z      phasePoint  // in-place integrator state of static HMC and the step-size search

	// Summed momenta of the trajectory (rho, rhoNext: double buffer) and of
	// the newest top-level subtree (rhoTree).
	rho, rhoNext, rhoTree []float64
	levels                []treeLevel
	divQ                  []float64 // where the last divergence happened
	nLeapfrog             int
	sumMetro, h0          float64
	divergent             bool
	depth                 int
	mutation              nutsMutation // test hook: break the sampler on purpose
}

// nutsMutation names a deliberate bug that the statistical tests must catch.
type nutsMutation int

const (
	mutNone             nutsMutation = iota
	mutAlwaysNewSubtree              // take the new subtree's proposal regardless of weights
	mutUnitKinetic                   // energy uses ½pᵀp instead of ½pᵀΣp
	mutOneSidedUTurn                 // check only the forward end of the no-U-turn criterion
	mutFlipWeight                    // multinomial weight e^{H−H0} instead of e^{H0−H}
)

func newHMCKernel(dim int, lj LogJoint, metric *hmcMetric, r *rand.Rand, maxDepth, static int) *hmcKernel {
	k := &hmcKernel{dim: dim, logJoint: lj, metric: metric, rng: r, maxDepth: maxDepth, maxDeltaH: 1000, static: static}
	// At most 3 states live per level of the recursion (a subtree's first
	// state, the inner end of its first half, that half's proposal), plus
	// the trajectory's two ends, its sample, a new subtree's three and the
	// state being written.
	n := 1
	if static == 0 {
		n = 3*maxDepth + 8
	}
	k.pool = newStatePool(dim, n)
	k.curIdx = k.pool.acquire()
	k.cur = k.pool.pts[k.curIdx]
	k.z = newPhasePoint(dim)
	vec := func() []float64 { return make([]float64, dim) }
	k.rho, k.rhoNext, k.rhoTree = vec(), vec(), vec()
	k.divQ = vec()
	if static == 0 {
		k.levels = make([]treeLevel, maxDepth+1)
		for i := 1; i <= maxDepth; i++ {
			k.levels[i] = treeLevel{rhoInit: vec(), rhoFinal: vec()}
		}
	}
	return k
}

// evaluate sets z.lp and z.g at z.q.
func (k *hmcKernel) evaluate(z *phasePoint) {
	z.lp = k.logJoint(z.q, z.g)
}

// hamiltonian returns H = −log p(q) + ½·pᵀΣp with z.v = Σp current; NaN
// becomes +Inf (Stan's rule: such a point has zero weight and diverges).
func (k *hmcKernel) hamiltonian(z *phasePoint) float64 {
	return k.hamiltonianKinetic(z, dotF64(z.p, z.v))
}

// hamiltonianKinetic is hamiltonian with pᵀΣp = kin already computed.
func (k *hmcKernel) hamiltonianKinetic(z *phasePoint, kin float64) float64 {
	if k.mutation == mutUnitKinetic {
		kin = dotF64(z.p, z.p)
	}
	h := -z.lp + 0.5*kin
	if math.IsNaN(h) {
		return math.Inf(1)
	}
	return h
}

// leapfrog advances z in place by one step of size eps (negative:
// backwards in time).
func (k *hmcKernel) leapfrog(z *phasePoint, eps float64) {
	k.leapfrogTo(z, z, eps)
}

// leapfrogTo writes into dst the state one leapfrog step of size eps from
// src (dst may be src): half a momentum step, a full position step, the
// gradient at the new position, and the second half momentum step. It
// returns pᵀΣp at dst. For the diagonal metric each half is one pass over
// the vectors, with the velocity Σp and the kinetic energy fused in, in the
// same floating-point order as the separate loops and dotF64.
func (k *hmcKernel) leapfrogTo(dst, src *phasePoint, eps float64) float64 {
	half := 0.5 * eps
	n := len(src.p)
	sp, sg, sq := src.p[:n], src.g[:n], src.q[:n]
	p, g, q, v := dst.p[:n], dst.g[:n], dst.q[:n], dst.v[:n]
	if k.metric.dense {
		for i := range p {
			p[i] = sp[i] + half*sg[i]
		}
		k.metric.velocity(v, p)
		for i := range q {
			q[i] = sq[i] + eps*v[i]
		}
		k.evaluate(dst)
		for i := range p {
			p[i] += half * g[i]
		}
		k.metric.velocity(v, p)
		return dotF64(p, v)
	}
	inv := k.metric.invDiag[:n]
	for i := leapfrogFirstBlocks(p, v, q, sp, sg, sq, inv, half, eps); i < n; i++ {
		pi := sp[i] + half*sg[i]
		vi := inv[i] * pi
		p[i], v[i] = pi, vi
		q[i] = sq[i] + eps*vi
	}
	k.evaluate(dst)
	i, kin := leapfrogSecondBlocks(p, v, g, inv, half)
	s0, s1, s2, s3 := kin[0], kin[1], kin[2], kin[3]
	for ; i+4 <= n; i += 4 {
		p0, p1, p2, p3 := p[i]+half*g[i], p[i+1]+half*g[i+1], p[i+2]+half*g[i+2], p[i+3]+half*g[i+3]
		v0, v1, v2, v3 := inv[i]*p0, inv[i+1]*p1, inv[i+2]*p2, inv[i+3]*p3
		p[i], p[i+1], p[i+2], p[i+3] = p0, p1, p2, p3
		v[i], v[i+1], v[i+2], v[i+3] = v0, v1, v2, v3
		s0 += p0 * v0
		s1 += p1 * v1
		s2 += p2 * v2
		s3 += p3 * v3
	}
	for ; i < n; i++ {
		pi := p[i] + half*g[i]
		vi := inv[i] * pi
		p[i], v[i] = pi, vi
		s0 += pi * vi
	}
	return (s0 + s1) + (s2 + s3)
}

// logAddExp returns log(eᵃ + eᵇ) without overflow; −Inf is its identity.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// transition performs one NUTS (or static HMC) transition from k.cur and
// leaves the new state in k.cur. It returns the acceptance statistic.
func (k *hmcKernel) transition() float64 {
	k.epsNow = k.eps
	if k.jitter > 0 {
		k.epsNow *= 1 + k.jitter*(2*k.rng.Float64()-1)
	}
	if k.static > 0 {
		return k.staticTransition()
	}
	pool := &k.pool
	// The current state is the trajectory's both ends and its sample.
	pool.reset(k.curIdx, 3)
	fwd, bck, sample := k.curIdx, k.curIdx, k.curIdx
	z0 := k.cur
	k.metric.sampleMomentum(z0.p, k.rng)
	k.metric.velocity(z0.v, z0.p)
	copy(k.rho, z0.p)
	logSumWeight := 0.0
	k.h0 = k.hamiltonian(z0)
	k.nLeapfrog, k.sumMetro, k.divergent, k.depth = 0, 0, false, 0
	for k.depth < k.maxDepth {
		logSumWeightSub := math.Inf(-1)
		forward := k.rng.Float64() > 0.5
		start, sign := bck, -1.0
		if forward {
			start, sign = fwd, 1
		}
		beg, end, propose, rhoNew, valid := k.buildTree(k.depth, start, sign, k.rhoTree, &logSumWeightSub)
		if !valid {
			break
		}
		k.depth++
		// Biased progressive sampling: prefer the new subtree.
		if logSumWeightSub > logSumWeight || k.mutation == mutAlwaysNewSubtree {
			pool.release(sample)
			sample = propose
		} else if k.rng.Float64() < math.Exp(logSumWeightSub-logSumWeight) {
			pool.release(sample)
			sample = propose
		} else {
			pool.release(propose)
		}
		logSumWeight = logAddExp(logSumWeight, logSumWeightSub)
		// The criterion across the joined trajectory: the backward part
		// (summed momentum rhoBck, inner end bckIn) and the forward part
		// (rhoFwd, inner end fwdIn).
		old := start
		var rhoBck, rhoFwd []float64
		var bckIn, fwdIn int
		if forward {
			fwd = end
			rhoBck, rhoFwd, bckIn, fwdIn = k.rho, rhoNew, old, beg
		} else {
			bck = end
			rhoBck, rhoFwd, bckIn, fwdIn = rhoNew, k.rho, beg, old
		}
		pts := pool.pts
		persist := k.noUTurnJoined(k.rhoNext, rhoBck, rhoFwd, pts[bck], pts[fwd], pts[bckIn], pts[fwdIn])
		k.rho, k.rhoNext = k.rhoNext, k.rho
		pool.release(old)
		pool.release(beg)
		if !persist {
			break
		}
	}
	k.curIdx = sample
	k.cur = pool.pts[sample]
	return k.sumMetro / float64(k.nLeapfrog)
}

// buildTree extends the trajectory from pool state start by 2^depth
// leapfrog steps in direction sign, as Stan's base_nuts::build_tree: it
// samples a proposal uniformly by weight (multinomial) within the new
// subtree and checks the no-U-turn criterion over it and, as Stan ≥ 2.26,
// across its two halves. It returns the pool indices of the subtree's first
// and last states and of its proposal (one reference each, owned by the
// caller), its summed momentum (rhoOut, or the state's own momentum for a
// single step), and false when the subtree diverged or turned back on
// itself. On false the returned indices are meaningless and the pool is
// left for the next transition's reset.
func (k *hmcKernel) buildTree(depth, start int, sign float64, rhoOut []float64, logSumWeight *float64) (beg, end, propose int, rho []float64, ok bool) {
	pool := &k.pool
	if depth == 0 {
		i := pool.acquire()
		z := pool.pts[i]
		kin := k.leapfrogTo(z, pool.pts[start], sign*k.epsNow)
		k.nLeapfrog++
		h := k.hamiltonianKinetic(z, kin)
		if h-k.h0 > k.maxDeltaH {
			k.divergent = true
			copy(k.divQ, z.q)
		}
		if k.mutation == mutFlipWeight {
			*logSumWeight = logAddExp(*logSumWeight, h-k.h0)
		} else {
			*logSumWeight = logAddExp(*logSumWeight, k.h0-h)
		}
		if k.h0-h > 0 {
			k.sumMetro++
		} else {
			k.sumMetro += math.Exp(k.h0 - h)
		}
		pool.refs[i] = 3 // first state, last state and proposal
		return i, i, i, z.p, !k.divergent
	}
	l := &k.levels[depth]
	logSumWeightInit := math.Inf(-1)
	beg, initEnd, proposeInit, rhoInit, ok := k.buildTree(depth-1, start, sign, l.rhoInit, &logSumWeightInit)
	if !ok {
		return
	}
	logSumWeightFinal := math.Inf(-1)
	finalBeg, end, proposeFinal, rhoFinal, ok := k.buildTree(depth-1, initEnd, sign, l.rhoFinal, &logSumWeightFinal)
	if !ok {
		return
	}
	logSumWeightSub := logAddExp(logSumWeightInit, logSumWeightFinal)
	*logSumWeight = logAddExp(*logSumWeight, logSumWeightSub)
	// Uniform multinomial sampling between the two halves.
	propose = proposeInit
	if logSumWeightFinal > logSumWeightSub || k.mutation == mutAlwaysNewSubtree {
		propose = proposeFinal
	} else if k.rng.Float64() < math.Exp(logSumWeightFinal-logSumWeightSub) {
		propose = proposeFinal
	}
	if propose == proposeInit {
		pool.release(proposeFinal)
	} else {
		pool.release(proposeInit)
	}
	pts := pool.pts
	ok = k.noUTurnJoined(rhoOut, rhoInit, rhoFinal, pts[beg], pts[end], pts[initEnd], pts[finalBeg])
	pool.release(initEnd)
	pool.release(finalBeg)
	return beg, end, propose, rhoOut, ok
}

// staticTransition is static HMC (Neal 2011): k.static leapfrog steps and a
// Metropolis accept/reject of the end point.
func (k *hmcKernel) staticTransition() float64 {
	z := &k.z
	z.copyFrom(k.cur)
	k.metric.sampleMomentum(z.p, k.rng)
	k.metric.velocity(z.v, z.p)
	k.h0 = k.hamiltonian(z)
	copy(k.cur.p, z.p)
	copy(k.cur.v, z.v)
	k.divergent, k.depth = false, 0
	for range k.static {
		k.leapfrog(z, k.epsNow)
	}
	k.nLeapfrog = k.static
	h := k.hamiltonian(z)
	if h-k.h0 > k.maxDeltaH {
		k.divergent = true
		copy(k.divQ, z.q)
	}
	accept := math.Min(1, math.Exp(k.h0-h))
	if k.rng.Float64() < accept {
		k.cur.copyFrom(z) // else k.cur keeps its position and the drawn momentum
	}
	return accept
}

// energy returns the Hamiltonian of the current state (Stan's energy__).
func (k *hmcKernel) energy() float64 {
	return k.hamiltonian(k.cur)
}
