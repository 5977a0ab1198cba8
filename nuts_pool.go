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
// with v = Σp. Three passes (the sum with its two products, and each
// extension with its two) keep every accumulator in a register; each dot
// product is summed in the floating-point order of dotF64.
func (k *hmcKernel) noUTurnJoined(rhoOut, rhoA, rhoB []float64, aOut, bOut, aIn, bIn *phasePoint) bool {
	n := len(rhoA)
	plus, minus := sumDot2(rhoOut[:n], rhoA, rhoB, bOut.v, aOut.v)
	plusA, minusA := sumDot2(nil, rhoA, bIn.p, bIn.v, aOut.v)
	plusB, minusB := sumDot2(nil, rhoB, aIn.p, bOut.v, aIn.v)
	if k.mutation == mutOneSidedUTurn {
		return plus > 0 && plusA > 0 && plusB > 0
	}
	return plus > 0 && minus > 0 && plusA > 0 && minusA > 0 && plusB > 0 && minusB > 0
}

// sumDot2 returns x·r and y·r for r = a + b, and writes r into out unless
// out is nil. Each product is
// summed in dotF64's order (four strided partial sums, then
// (s0 + s1) + (s2 + s3)).
func sumDot2(out, a, b, x, y []float64) (xr, yr float64) {
	n := len(a)
	b, x, y = b[:n], x[:n], y[:n]
	i, acc := sumDot2Blocks(out, a, b, x, y)
	x0, x1, x2, x3, y0, y1, y2, y3 := acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7]
	if out != nil {
		out = out[:n]
		for ; i+4 <= n; i += 4 {
			r0, r1, r2, r3 := a[i]+b[i], a[i+1]+b[i+1], a[i+2]+b[i+2], a[i+3]+b[i+3]
			out[i], out[i+1], out[i+2], out[i+3] = r0, r1, r2, r3
			x0 += x[i] * r0
			x1 += x[i+1] * r1
			x2 += x[i+2] * r2
			x3 += x[i+3] * r3
			y0 += y[i] * r0
			y1 += y[i+1] * r1
			y2 += y[i+2] * r2
			y3 += y[i+3] * r3
		}
		for ; i < n; i++ {
			r := a[i] + b[i]
			out[i] = r
			x0 += x[i] * r
			y0 += y[i] * r
		}
	} else {
		for ; i+4 <= n; i += 4 {
			r0, r1, r2, r3 := a[i]+b[i], a[i+1]+b[i+1], a[i+2]+b[i+2], a[i+3]+b[i+3]
			x0 += x[i] * r0
			x1 += x[i+1] * r1
			x2 += x[i+2] * r2
			x3 += x[i+3] * r3
			y0 += y[i] * r0
			y1 += y[i+1] * r1
			y2 += y[i+2] * r2
			y3 += y[i+3] * r3
		}
		for ; i < n; i++ {
			r := a[i] + b[i]
			x0 += x[i] * r
			y0 += y[i] * r
		}
	}
	return (x0 + x1) + (x2 + x3), (y0 + y1) + (y2 + y3)
}
