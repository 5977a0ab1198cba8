package bnn

import (
	"fmt"
	"math"
)

// Optimizer updates a flat float32 parameter vector in place from its gradient.
// Implementations keep per-parameter state sized at construction and allocate
// nothing in Step.
type Optimizer interface {
	// Step applies one update: params -= f(grads). len(params) == len(grads) == the size given at construction.
	Step(params, grads []float32)
	// Reset clears the optimiser's state (moments, step count).
	Reset()
}

// Adam is the Adam optimiser of Kingma & Ba (2015) with bias correction and
// optional L2 weight decay added to the gradient (PyTorch's torch.optim.Adam
// convention, not AdamW's decoupled decay). The update for gradient g at step t is
//
//	g += WeightDecay·p
//	m = β₁m + (1−β₁)g,   v = β₂v + (1−β₂)g²
//	p -= LR/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + Eps)
type Adam struct {
	LR, Beta1, Beta2, Eps, WeightDecay float32

	m, v []float32
	t    int
}

// NewAdam returns an Adam optimiser for n parameters with learning rate lr and
// PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and no weight decay.
// It returns ErrInvalidParameter if n < 0 or lr is not a positive finite number.
func NewAdam(n int, lr float32) (*Adam, error) {
	if n < 0 {
		return nil, fmt.Errorf("bnn: adam: %d parameters: %w", n, ErrInvalidParameter)
	}
	if !(lr > 0) || math.IsInf(float64(lr), 1) {
		return nil, fmt.Errorf("bnn: adam: learning rate %v must be positive and finite: %w", lr, ErrInvalidParameter)
	}
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, m: make([]float32, n), v: make([]float32, n)}, nil
}

// Step applies one Adam update to params, every operation rounded to
// float32 in a fixed order (the same bits on every kernel path). It panics
// if the lengths differ from the size given to NewAdam (a broken caller
// invariant, not caller data).
func (a *Adam) Step(params, grads []float32) {
	if len(params) != len(a.m) || len(grads) != len(a.m) {
		panic("bnn: adam: parameter length differs from construction")
	}
	a.t++
	bc1 := 1 - math.Pow(float64(a.Beta1), float64(a.t))
	bc2 := 1 - math.Pow(float64(a.Beta2), float64(a.t))
	k := adamCoeffs{
		beta1: a.Beta1, c1: 1 - a.Beta1,
		beta2: a.Beta2, c2: 1 - a.Beta2,
		wd:         a.WeightDecay,
		stepSize:   float32(float64(a.LR) / bc1),
		invSqrtBC2: float32(1 / math.Sqrt(bc2)),
		eps:        a.Eps,
	}
	adamStep(params, grads, a.m, a.v, &k)
}

// Reset clears the moments and the step count.
func (a *Adam) Reset() {
	clear(a.m)
	clear(a.v)
	a.t = 0
}

// SGD is stochastic gradient descent with optional momentum and L2 weight
// decay (PyTorch's torch.optim.SGD convention):
//
//	g += WeightDecay·p;  b = Momentum·b + g;  p -= LR·b
type SGD struct {
	LR, Momentum, WeightDecay float32

	buf []float32
}

// NewSGD returns an SGD optimiser for n parameters with learning rate lr and
// no momentum. It returns ErrInvalidParameter if n < 0 or lr is not a positive finite number.
func NewSGD(n int, lr float32) (*SGD, error) {
	if n < 0 {
		return nil, fmt.Errorf("bnn: sgd: %d parameters: %w", n, ErrInvalidParameter)
	}
	if !(lr > 0) || math.IsInf(float64(lr), 1) {
		return nil, fmt.Errorf("bnn: sgd: learning rate %v must be positive and finite: %w", lr, ErrInvalidParameter)
	}
	return &SGD{LR: lr, buf: make([]float32, n)}, nil
}

// Step applies one SGD update to params. It panics if the lengths differ from
// the size given to NewSGD.
func (s *SGD) Step(params, grads []float32) {
	if len(params) != len(s.buf) || len(grads) != len(s.buf) {
		panic("bnn: sgd: parameter length differs from construction")
	}
	for i, g := range grads {
		if s.WeightDecay != 0 {
			g += s.WeightDecay * params[i]
		}
		if s.Momentum != 0 {
			s.buf[i] = s.Momentum*s.buf[i] + g
			g = s.buf[i]
		}
		params[i] -= s.LR * g
	}
}

// Reset clears the momentum buffer.
func (s *SGD) Reset() { clear(s.buf) }
