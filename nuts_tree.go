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

// treeLevel holds the vectors one level of the NUTS recursion needs, so a
// transition allocates nothing.
type treeLevel struct {
	pInitEnd, pSharpInitEnd, rhoInit []float64
	pFinalBeg, pSharpFinalBeg        []float64
	rhoFinal, rhoSub                 []float64
	proposeFinal                     phasePoint
}

// hmcKernel is one chain's transition kernel: the integrator state, the
// metric, the step size and every work vector of the tree.
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

	cur phasePoint // the chain's current state (p unused between transitions)
	z   phasePoint // the moving integrator state

	// Top-level trajectory state (Stan's base_nuts::transition).
	zFwd, zBck, zSample, zPropose phasePoint
	pFwdFwd, pSharpFwdFwd         []float64
	pFwdBck, pSharpFwdBck         []float64
	pBckFwd, pSharpBckFwd         []float64
	pBckBck, pSharpBckBck         []float64
	rho, rhoFwd, rhoBck, rhoExt   []float64
	levels                        []treeLevel
	divQ                          []float64 // where the last divergence happened
	nLeapfrog                     int
	sumMetro, h0                  float64
	divergent                     bool
	depth                         int
	mutation                      nutsMutation // test hook: break the sampler on purpose
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
	k.cur, k.z = newPhasePoint(dim), newPhasePoint(dim)
	k.zFwd, k.zBck, k.zSample, k.zPropose = newPhasePoint(dim), newPhasePoint(dim), newPhasePoint(dim), newPhasePoint(dim)
	vec := func() []float64 { return make([]float64, dim) }
	k.pFwdFwd, k.pSharpFwdFwd, k.pFwdBck, k.pSharpFwdBck = vec(), vec(), vec(), vec()
	k.pBckFwd, k.pSharpBckFwd, k.pBckBck, k.pSharpBckBck = vec(), vec(), vec(), vec()
	k.rho, k.rhoFwd, k.rhoBck, k.rhoExt = vec(), vec(), vec(), vec()
	k.divQ = vec()
	if static == 0 {
		k.levels = make([]treeLevel, maxDepth+1)
		for i := 1; i <= maxDepth; i++ {
			k.levels[i] = treeLevel{pInitEnd: vec(), pSharpInitEnd: vec(), rhoInit: vec(), pFinalBeg: vec(),
				pSharpFinalBeg: vec(), rhoFinal: vec(), rhoSub: vec(), proposeFinal: newPhasePoint(dim)}
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
	kin := dotF64(z.p, z.v)
	if k.mutation == mutUnitKinetic {
		kin = dotF64(z.p, z.p)
	}
	h := -z.lp + 0.5*kin
	if math.IsNaN(h) {
		return math.Inf(1)
	}
	return h
}

// leapfrog advances z by one step of size eps (negative: backwards in time):
// half a momentum step, a full position step, the gradient at the new
// position, and the second half momentum step.
func (k *hmcKernel) leapfrog(z *phasePoint, eps float64) {
	half := 0.5 * eps
	p, g, q, v := z.p, z.g[:len(z.p)], z.q[:len(z.p)], z.v[:len(z.p)]
	for i := range p {
		p[i] += half * g[i]
	}
	k.metric.velocity(v, p)
	for i := range q {
		q[i] += eps * v[i]
	}
	k.evaluate(z)
	for i := range p {
		p[i] += half * g[i]
	}
	k.metric.velocity(v, p)
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

// noUTurn is the generalised no-U-turn criterion of Betancourt (2017,
// "A Conceptual Introduction to Hamiltonian Monte Carlo", §A.4.2): the
// trajectory with summed momentum rho and end velocities vMinus, vPlus keeps
// expanding while both ends still move along rho.
func (k *hmcKernel) noUTurn(vMinus, vPlus, rho []float64) bool {
	if k.mutation == mutOneSidedUTurn {
		return dotF64(vPlus, rho) > 0
	}
	return dotF64(vPlus, rho) > 0 && dotF64(vMinus, rho) > 0
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
	z := &k.z
	z.copyFrom(&k.cur)
	k.metric.sampleMomentum(z.p, k.rng)
	k.metric.velocity(z.v, z.p)
	k.zFwd.copyFrom(z)
	k.zBck.copyFrom(z)
	k.zSample.copyFrom(z)
	k.zPropose.copyFrom(z)
	for _, s := range [][]float64{k.pFwdFwd, k.pFwdBck, k.pBckFwd, k.pBckBck, k.rho} {
		copy(s, z.p)
	}
	for _, s := range [][]float64{k.pSharpFwdFwd, k.pSharpFwdBck, k.pSharpBckFwd, k.pSharpBckBck} {
		copy(s, z.v)
	}
	logSumWeight := 0.0
	k.h0 = k.hamiltonian(z)
	k.nLeapfrog, k.sumMetro, k.divergent, k.depth = 0, 0, false, 0
	for k.depth < k.maxDepth {
		clear(k.rhoFwd)
		clear(k.rhoBck)
		logSumWeightSub := math.Inf(-1)
		var valid bool
		if k.rng.Float64() > 0.5 {
			z.copyFrom(&k.zFwd)
			copy(k.rhoBck, k.rho)
			copy(k.pBckFwd, k.pFwdFwd)
			copy(k.pSharpBckFwd, k.pSharpFwdFwd)
			valid = k.buildTree(k.depth, &k.zPropose, k.pSharpFwdBck, k.pSharpFwdFwd, k.rhoFwd,
				k.pFwdBck, k.pFwdFwd, 1, &logSumWeightSub)
			k.zFwd.copyFrom(z)
		} else {
			z.copyFrom(&k.zBck)
			copy(k.rhoFwd, k.rho)
			copy(k.pFwdBck, k.pBckBck)
			copy(k.pSharpFwdBck, k.pSharpBckBck)
			valid = k.buildTree(k.depth, &k.zPropose, k.pSharpBckFwd, k.pSharpBckBck, k.rhoBck,
				k.pBckFwd, k.pBckBck, -1, &logSumWeightSub)
			k.zBck.copyFrom(z)
		}
		if !valid {
			break
		}
		k.depth++
		// Biased progressive sampling: prefer the new subtree.
		if logSumWeightSub > logSumWeight || k.mutation == mutAlwaysNewSubtree {
			k.zSample.copyFrom(&k.zPropose)
		} else if k.rng.Float64() < math.Exp(logSumWeightSub-logSumWeight) {
			k.zSample.copyFrom(&k.zPropose)
		}
		logSumWeight = logAddExp(logSumWeight, logSumWeightSub)
		for i := range k.rho {
			k.rho[i] = k.rhoBck[i] + k.rhoFwd[i]
		}
		persist := k.noUTurn(k.pSharpBckBck, k.pSharpFwdFwd, k.rho)
		for i := range k.rhoExt {
			k.rhoExt[i] = k.rhoBck[i] + k.pFwdBck[i]
		}
		persist = persist && k.noUTurn(k.pSharpBckBck, k.pSharpFwdBck, k.rhoExt)
		for i := range k.rhoExt {
			k.rhoExt[i] = k.rhoFwd[i] + k.pBckFwd[i]
		}
		persist = persist && k.noUTurn(k.pSharpBckFwd, k.pSharpFwdFwd, k.rhoExt)
		if !persist {
			break
		}
	}
	k.cur.copyFrom(&k.zSample)
	return k.sumMetro / float64(k.nLeapfrog)
}

// buildTree extends the trajectory from k.z by 2^depth leapfrog steps in
// direction sign, as Stan's base_nuts::build_tree: it samples a proposal
// uniformly by weight (multinomial) within the new subtree, accumulates its
// summed momentum into rho, writes the momenta and velocities at its two
// ends, and returns false when the subtree diverged or turned back on itself
// (the criterion is also checked across its two halves, Stan ≥ 2.26).
func (k *hmcKernel) buildTree(depth int, propose *phasePoint, pSharpBeg, pSharpEnd, rho, pBeg, pEnd []float64,
	sign float64, logSumWeight *float64) bool {
	z := &k.z
	if depth == 0 {
		k.leapfrog(z, sign*k.epsNow)
		k.nLeapfrog++
		h := k.hamiltonian(z)
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
		propose.copyFrom(z)
		copy(pSharpBeg, z.v)
		copy(pSharpEnd, z.v)
		for i, v := range z.p {
			rho[i] += v
		}
		copy(pBeg, z.p)
		copy(pEnd, z.p)
		return !k.divergent
	}
	l := &k.levels[depth]
	logSumWeightInit := math.Inf(-1)
	clear(l.rhoInit)
	if !k.buildTree(depth-1, propose, pSharpBeg, l.pSharpInitEnd, l.rhoInit, pBeg, l.pInitEnd, sign, &logSumWeightInit) {
		return false
	}
	l.proposeFinal.copyFrom(z)
	logSumWeightFinal := math.Inf(-1)
	clear(l.rhoFinal)
	if !k.buildTree(depth-1, &l.proposeFinal, l.pSharpFinalBeg, pSharpEnd, l.rhoFinal, l.pFinalBeg, pEnd, sign, &logSumWeightFinal) {
		return false
	}
	logSumWeightSub := logAddExp(logSumWeightInit, logSumWeightFinal)
	*logSumWeight = logAddExp(*logSumWeight, logSumWeightSub)
	// Uniform multinomial sampling between the two halves.
	if logSumWeightFinal > logSumWeightSub || k.mutation == mutAlwaysNewSubtree {
		propose.copyFrom(&l.proposeFinal)
	} else if k.rng.Float64() < math.Exp(logSumWeightFinal-logSumWeightSub) {
		propose.copyFrom(&l.proposeFinal)
	}
	for i := range l.rhoSub {
		l.rhoSub[i] = l.rhoInit[i] + l.rhoFinal[i]
		rho[i] += l.rhoSub[i]
	}
	persist := k.noUTurn(pSharpBeg, pSharpEnd, l.rhoSub)
	for i := range l.rhoSub {
		l.rhoSub[i] = l.rhoInit[i] + l.pFinalBeg[i]
	}
	persist = persist && k.noUTurn(pSharpBeg, l.pSharpFinalBeg, l.rhoSub)
	for i := range l.rhoSub {
		l.rhoSub[i] = l.rhoFinal[i] + l.pInitEnd[i]
	}
	return persist && k.noUTurn(l.pSharpInitEnd, pSharpEnd, l.rhoSub)
}

// staticTransition is static HMC (Neal 2011): k.static leapfrog steps and a
// Metropolis accept/reject of the end point.
func (k *hmcKernel) staticTransition() float64 {
	z := &k.z
	z.copyFrom(&k.cur)
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
	return k.hamiltonian(&k.cur)
}
