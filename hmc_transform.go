package bnn

import (
	"fmt"
	"math"
)

type constraintKind int

const (
	constraintReal constraintKind = iota
	constraintLower
	constraintUpper
	constraintInterval
	constraintSimplex
)

// Constraint is the support of one block of parameters, with Stan's
// transform from the unconstrained scale y to the constrained scale x
// (Stan Reference Manual, "Constraint transforms"). Build it with
// Unbounded, LowerBound, UpperBound, Interval or Simplex.
type Constraint struct {
	kind     constraintKind
	lo, hi   float64
	logWidth float64 // log(hi − lo) for an interval
	n        int     // constrained size of the block
}

// Unbounded is n real parameters without constraint (identity transform).
func Unbounded(n int) Constraint { return Constraint{kind: constraintReal, n: n} }

// LowerBound is one parameter x > lo: x = lo + eʸ, log-Jacobian y.
func LowerBound(lo float64) Constraint { return Constraint{kind: constraintLower, lo: lo, n: 1} }

// UpperBound is one parameter x < hi: x = hi − eʸ, log-Jacobian y.
func UpperBound(hi float64) Constraint { return Constraint{kind: constraintUpper, hi: hi, n: 1} }

// Interval is one parameter lo < x < hi: x = lo + (hi − lo)·σ(y) with the
// logistic σ, log-Jacobian log(hi − lo) + log σ(y) + log(1 − σ(y)).
func Interval(lo, hi float64) Constraint {
	return Constraint{kind: constraintInterval, lo: lo, hi: hi, logWidth: math.Log(hi - lo), n: 1}
}

// Simplex is k ≥ 2 parameters xᵢ > 0 with Σxᵢ = 1, from k − 1 unconstrained
// ones by Stan's stick-breaking transform: zᵢ = σ(yᵢ − log(k − 1 − i)),
// xᵢ = zᵢ·(1 − Σ_{j<i} xⱼ) for i < k − 1 and x_{k−1} the remaining stick,
// so y = 0 maps to the uniform simplex; log-Jacobian
// Σᵢ [log zᵢ + log(1 − zᵢ) + log(1 − Σ_{j<i} xⱼ)].
func Simplex(k int) Constraint { return Constraint{kind: constraintSimplex, n: k} }

func (c Constraint) unconstrainedSize() int {
	if c.kind == constraintSimplex {
		return c.n - 1
	}
	return c.n
}

// Constrained maps a parameter vector made of constrained blocks to and from
// the unconstrained space on which HMC moves. Its methods other than
// LogJoint's result are safe for concurrent use.
type Constrained struct {
	blocks    []Constraint
	dim, udim int
}

// NewConstrained returns the transform of the blocks in order. It returns
// ErrEmpty without blocks and ErrInvalidParameter for a block of size < 1
// (a simplex needs k ≥ 2), non-finite bounds or lo ≥ hi.
func NewConstrained(blocks ...Constraint) (*Constrained, error) {
	if len(blocks) == 0 {
		return nil, fmt.Errorf("bnn: constrained: no blocks: %w", ErrEmpty)
	}
	t := &Constrained{blocks: append([]Constraint(nil), blocks...)}
	for i, b := range blocks {
		finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
		ok := b.n >= 1
		switch b.kind {
		case constraintLower:
			ok = ok && finite(b.lo)
		case constraintUpper:
			ok = ok && finite(b.hi)
		case constraintInterval:
			ok = ok && finite(b.lo) && finite(b.hi) && b.lo < b.hi && finite(b.hi-b.lo)
		case constraintSimplex:
			ok = b.n >= 2
		}
		if !ok {
			return nil, fmt.Errorf("bnn: constrained: block %d (size %d, bounds %g, %g): %w", i, b.n, b.lo, b.hi, ErrInvalidParameter)
		}
		t.dim += b.n
		t.udim += b.unconstrainedSize()
	}
	return t, nil
}

// Dim returns the length of a constrained parameter vector.
func (t *Constrained) Dim() int { return t.dim }

// UnconstrainedDim returns the length of an unconstrained vector (Dim minus
// one per simplex).
func (t *Constrained) UnconstrainedDim() int { return t.udim }

// ConstrainTo writes x = transform(y) into dst and returns the log-Jacobian
// log|det ∂x/∂y| (for a simplex, of its first k − 1 coordinates). It returns
// ErrShape for wrong lengths.
func (t *Constrained) ConstrainTo(dst, y []float64) (logJacobian float64, err error) {
	if len(dst) != t.dim || len(y) != t.udim {
		return 0, fmt.Errorf("bnn: constrained: lengths %d (constrained) and %d (unconstrained), want %d and %d: %w",
			len(dst), len(y), t.dim, t.udim, ErrShape)
	}
	return t.constrainTo(dst, y, nil), nil
}

// UnconstrainTo writes y = transform⁻¹(x) into dst. It returns ErrShape for
// wrong lengths, ErrNonFinite for a NaN or infinite element and
// ErrInvalidParameter (naming the element) for a value outside the open
// support (on a bound, or a simplex whose elements are not positive or do
// not sum to 1 within 1e-8).
func (t *Constrained) UnconstrainTo(dst, x []float64) error {
	if len(x) != t.dim || len(dst) != t.udim {
		return fmt.Errorf("bnn: constrained: lengths %d (constrained) and %d (unconstrained), want %d and %d: %w",
			len(x), len(dst), t.dim, t.udim, ErrShape)
	}
	return t.unconstrainTo(dst, x)
}

// softplus returns log(1 + eʸ) without overflow.
func softplus(y float64) float64 {
	return math.Max(y, 0) + math.Log1p(math.Exp(-math.Abs(y)))
}

// logistic returns σ(y) = 1/(1 + e⁻ʸ).
func logistic(y float64) float64 {
	if y >= 0 {
		return 1 / (1 + math.Exp(-y))
	}
	e := math.Exp(y)
	return e / (1 + e)
}

// constrainTo writes x(y) and returns the log-Jacobian. When dxdy is not
// nil it also stores, for every scalar block element j of y, ∂x/∂yⱼ there
// (for backward).
func (t *Constrained) constrainTo(x, y, dxdy []float64) float64 {
	lj := 0.0
	i, j := 0, 0 // positions in x and y
	for _, b := range t.blocks {
		switch b.kind {
		case constraintReal:
			copy(x[i:i+b.n], y[j:j+b.n])
		case constraintLower:
			e := math.Exp(y[j])
			x[i] = b.lo + e
			lj += y[j]
			if dxdy != nil {
				dxdy[j] = e
			}
		case constraintUpper:
			e := math.Exp(y[j])
			x[i] = b.hi - e
			lj += y[j]
			if dxdy != nil {
				dxdy[j] = -e
			}
		case constraintInterval:
			// With e = e^{−|y|}: σ(|y|) = 1/(1+e), σ(−|y|) = e/(1+e) and
			// log σ(y) + log σ(−y) = −|y| − 2·log(1+e).
			v := y[j]
			e := math.Exp(-math.Abs(v))
			big, small := 1/(1+e), e/(1+e)
			w := b.hi - b.lo
			if v > 0 {
				x[i] = math.Max(b.hi-w*small, b.lo)
			} else {
				x[i] = math.Min(b.lo+w*small, b.hi)
			}
			lj += b.logWidth - math.Abs(v) - 2*math.Log1p(e)
			if dxdy != nil {
				dxdy[j] = w * big * small
			}
		case constraintSimplex:
			lj += simplexForward(x[i:i+b.n], y[j:j+b.n-1])
		}
		i += b.n
		j += b.unconstrainedSize()
	}
	return lj
}

// simplexForward maps k − 1 unconstrained values to the k-simplex x and
// returns the log-Jacobian.
func simplexForward(x, y []float64) float64 {
	k := len(x)
	stick, lj := 1.0, 0.0
	for i := range k - 1 {
		a := y[i] - math.Log(float64(k-1-i))
		z := logistic(a)
		x[i] = stick * z
		lj += -softplus(-a) - softplus(a) + math.Log(stick)
		stick -= x[i]
		if stick < 0 {
			stick = 0
		}
	}
	x[k-1] = stick
	return lj
}

func (t *Constrained) unconstrainTo(y, x []float64) error {
	i, j := 0, 0
	bad := func(k int, why string) error {
		return fmt.Errorf("bnn: constrained: element %d = %g %s: %w", k, x[k], why, ErrInvalidParameter)
	}
	for k, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bnn: constrained: element %d is %g: %w", k, v, ErrNonFinite)
		}
	}
	for _, b := range t.blocks {
		switch b.kind {
		case constraintReal:
			copy(y[j:j+b.n], x[i:i+b.n])
		case constraintLower:
			if !(x[i] > b.lo) {
				return bad(i, fmt.Sprintf("is not above its lower bound %g", b.lo))
			}
			y[j] = math.Log(x[i] - b.lo)
		case constraintUpper:
			if !(x[i] < b.hi) {
				return bad(i, fmt.Sprintf("is not below its upper bound %g", b.hi))
			}
			y[j] = math.Log(b.hi - x[i])
		case constraintInterval:
			if !(x[i] > b.lo && x[i] < b.hi) {
				return bad(i, fmt.Sprintf("is outside (%g, %g)", b.lo, b.hi))
			}
			// logit((x−lo)/(hi−lo)) = log(x − lo) − log(hi − x).
			y[j] = math.Log(x[i]-b.lo) - math.Log(b.hi-x[i])
		case constraintSimplex:
			sum := 0.0
			for k := i; k < i+b.n; k++ {
				if !(x[k] > 0) {
					return bad(k, "is not positive (simplex)")
				}
				sum += x[k]
			}
			if math.Abs(sum-1) > 1e-8 {
				return bad(i, fmt.Sprintf("starts a simplex that sums to %g", sum))
			}
			stick := 1.0
			for k := range b.n - 1 {
				// z = x/stick; y = logit(z) + log(k−1−i) with logit(z) = log x − log(stick − x).
				rest := stick - x[i+k]
				if !(rest > 0) {
					rest = math.SmallestNonzeroFloat64
				}
				y[j+k] = math.Log(x[i+k]) - math.Log(rest) + math.Log(float64(b.n-1-k))
				stick = rest
			}
		}
		i += b.n
		j += b.unconstrainedSize()
	}
	return nil
}

// backward writes the gradient in y of f(x(y)) + log-Jacobian(y) into gy,
// given y, x = x(y), the derivatives dxdy stored by constrainTo and
// gx = ∂f/∂x (the chain rule, gy = Jᵀgx + ∇ log J).
func (t *Constrained) backward(gy, y, x, dxdy, gx []float64) {
	i, j := 0, 0
	for _, b := range t.blocks {
		switch b.kind {
		case constraintReal:
			copy(gy[j:j+b.n], gx[i:i+b.n])
		case constraintLower, constraintUpper:
			gy[j] = gx[i]*dxdy[j] + 1
		case constraintInterval:
			// ∂/∂y [log σ(y) + log σ(−y)] = 1 − 2σ(y) = −tanh(y/2)·… computed
			// from x: σ(y) = (x − lo)/(hi − lo).
			s := (x[i] - b.lo) / (b.hi - b.lo)
			gy[j] = gx[i]*dxdy[j] + (1 - 2*s)
		case constraintSimplex:
			simplexBackward(gy[j:j+b.n-1], y[j:j+b.n-1], x[i:i+b.n], gx[i:i+b.n])
		}
		i += b.n
		j += b.unconstrainedSize()
	}
}

// simplexBackward is the reverse-mode derivative of f(x(y)) + log J(y) for
// the stick-breaking transform: with stick sᵢ before element i,
// xᵢ = sᵢzᵢ and sᵢ₊₁ = sᵢ(1 − zᵢ), the adjoints run from the last element
// back: s̄ₖ₋₁ = ∂f/∂xₖ₋₁, then for i = k−2 … 0
// ∂/∂yᵢ = (∂f/∂xᵢ − s̄ᵢ₊₁)·sᵢzᵢ(1 − zᵢ) + 1 − 2zᵢ and
// s̄ᵢ = ∂f/∂xᵢ·zᵢ + s̄ᵢ₊₁(1 − zᵢ) + 1/sᵢ.
func simplexBackward(gy, y, x, gx []float64) {
	k := len(x)
	// Recover the sticks: s₀ = 1, sᵢ₊₁ = sᵢ − xᵢ; the forward pass is cheap
	// to redo from y for z.
	sBar := gx[k-1]
	stick := x[k-1] // s_{k−1}
	for i := k - 2; i >= 0; i-- {
		s := stick + x[i] // sᵢ
		a := y[i] - math.Log(float64(k-1-i))
		z, zm := logistic(a), logistic(-a)
		gy[i] = (gx[i]-sBar)*s*z*zm + (zm - z)
		sBar = gx[i]*z + sBar*zm + 1/s
		stick = s
	}
}

// LogJoint returns the log joint on the unconstrained scale for a log
// density f on the constrained scale (θ of length Dim, with its gradient):
// y ↦ f(x(y)) + log|det ∂x/∂y|, with the gradient by the chain rule. The
// returned LogJoint keeps scratch buffers and is not safe for concurrent
// use; SampleNUTS makes one per chain.
func (t *Constrained) LogJoint(f LogJoint) LogJoint {
	x, gx, dxdy := make([]float64, t.dim), make([]float64, t.dim), make([]float64, t.udim)
	return func(y, gy []float64) float64 {
		lj := t.constrainTo(x, y, dxdy)
		clear(gx)
		lp := f(x, gx)
		t.backward(gy, y, x, dxdy, gx)
		return lp + lj
	}
}
