package bnn

// statePool is a reference-counted set of preallocated phase points. The
// NUTS tree builder keeps every state it needs (a subtree's ends, its
// proposal, the trajectory's ends and sample) as an index into the pool, so
// moving a state from one role to another swaps an index instead of copying
// four vectors.
type statePool struct {
	dim  int
	pts  []*phasePoint
	refs []int32
	free []int32
}

func newStatePool(dim, n int) statePool {
	s := statePool{dim: dim, pts: make([]*phasePoint, n), refs: make([]int32, n), free: make([]int32, 0, n)}
	for i := range s.pts {
		z := newPhasePoint(dim)
		s.pts[i] = &z
		s.free = append(s.free, int32(n-1-i))
	}
	return s
}

// acquire returns a free state's index with one reference. The pool is
// sized so that a transition never runs out; if it does (a bug in the
// sizing), it grows rather than fail.
func (s *statePool) acquire() int {
	n := len(s.free)
	if n == 0 {
		z := newPhasePoint(s.dim)
		s.pts = append(s.pts, &z)
		s.refs = append(s.refs, 0)
		s.free = append(s.free, int32(len(s.pts)-1))
		n = 1
	}
	i := s.free[n-1]
	s.free = s.free[:n-1]
	s.refs[i] = 1
	return int(i)
}

// release drops one reference to state i and frees it at zero.
func (s *statePool) release(i int) {
	if s.refs[i]--; s.refs[i] == 0 {
		s.free = append(s.free, int32(i))
	}
}

// reset frees every state but keep, which gets refs references. States
// held by an abandoned (divergent or U-turned) subtree are reclaimed here.
func (s *statePool) reset(keep int, refs int32) {
	s.free = s.free[:0]
	for i := len(s.pts) - 1; i >= 0; i-- {
		if i == keep {
			s.refs[i] = refs
			continue
		}
		s.refs[i] = 0
		s.free = append(s.free, int32(i))
	}
}

// noUTurnJoined joins two adjacent parts A and B of a trajectory (A before
// B in the direction of the criterion: aOut, aIn are A's outer and inner end
// states, bIn, bOut B's) with summed momenta rhoA and rhoB: it writes
// rho = rhoA + rhoB into rhoOut and returns the generalised no-U-turn
// criterion (Betancourt 2017, "A Conceptual Introduction to Hamiltonian
// Monte Carlo", §A.4.2) over the whole, and, as Stan ≥ 2.26, over A with
// B's first state and over B with A's last state:
//
//	v(bOut)·rho > 0 ∧ v(aOut)·rho > 0,
//	v(bIn)·(rhoA + p(bIn)) > 0 ∧ v(aOut)·(rhoA + p(bIn)) > 0,
//	v(bOut)·(rhoB + p(aIn)) > 0 ∧ v(aIn)·(rhoB + p(aIn)) > 0,
//
// with v = Σp. One pass computes the sum and the six dot products, each in
// the floating-point order of dotF64.
func (k *hmcKernel) noUTurnJoined(rhoOut, rhoA, rhoB []float64, aOut, bOut, aIn, bIn *phasePoint) bool {
	n := len(rhoA)
	out, a, b := rhoOut[:n], rhoA[:n], rhoB[:n]
	pBIn, pAIn := bIn.p[:n], aIn.p[:n]
	vAOut, vBOut, vAIn, vBIn := aOut.v[:n], bOut.v[:n], aIn.v[:n], bIn.v[:n]
	var d [6][4]float64
	i := 0
	for ; i+4 <= n; i += 4 {
		for j := range 4 {
			r := a[i+j] + b[i+j]
			e1 := a[i+j] + pBIn[i+j]
			e2 := b[i+j] + pAIn[i+j]
			out[i+j] = r
			d[0][j] += vBOut[i+j] * r
			d[1][j] += vAOut[i+j] * r
			d[2][j] += vBIn[i+j] * e1
			d[3][j] += vAOut[i+j] * e1
			d[4][j] += vBOut[i+j] * e2
			d[5][j] += vAIn[i+j] * e2
		}
	}
	for ; i < n; i++ {
		r := a[i] + b[i]
		e1 := a[i] + pBIn[i]
		e2 := b[i] + pAIn[i]
		out[i] = r
		d[0][0] += vBOut[i] * r
		d[1][0] += vAOut[i] * r
		d[2][0] += vBIn[i] * e1
		d[3][0] += vAOut[i] * e1
		d[4][0] += vBOut[i] * e2
		d[5][0] += vAIn[i] * e2
	}
	var s [6]float64
	for m := range s {
		s[m] = (d[m][0] + d[m][1]) + (d[m][2] + d[m][3])
	}
	if k.mutation == mutOneSidedUTurn {
		return s[0] > 0 && s[2] > 0 && s[4] > 0
	}
	return s[0] > 0 && s[1] > 0 && s[2] > 0 && s[3] > 0 && s[4] > 0 && s[5] > 0
}
