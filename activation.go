package bnn

import "fmt"

// Activation selects the elementwise nonlinearity of a hidden layer.
type Activation uint8

const (
	// Tanh is the hyperbolic tangent, the seed's activation.
	Tanh Activation = iota
	// ReLU is max(0, x), as in the UCI regression benchmarks.
	ReLU
	// Identity leaves its input unchanged (a linear layer).
	Identity
)

// String returns the activation's lower-case name ("tanh", "relu", "identity").
func (a Activation) String() string {
	switch a {
	case Tanh:
		return "tanh"
	case ReLU:
		return "relu"
	case Identity:
		return "identity"
	}
	return fmt.Sprintf("Activation(%d)", uint8(a))
}

// ParseActivation returns the activation named s ("tanh", "relu" or "identity").
// It returns ErrInvalidParameter for any other name.
func ParseActivation(s string) (Activation, error) {
	for _, a := range []Activation{Tanh, ReLU, Identity} {
		if a.String() == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("bnn: unknown activation %q: %w", s, ErrInvalidParameter)
}

func (a Activation) valid() bool { return a <= Identity }

// biasForward computes z = act(z + bias) in place, row by row (cols = len(bias)).
func (a Activation) biasForward(z, bias []float32) {
	switch a {
	case Tanh:
		biasTanh(z, bias, len(bias))
	case ReLU:
		addBias(z, bias, len(bias))
		for i, v := range z {
			if v < 0 { // NaN passes through, so divergence stays visible
				z[i] = 0
			}
		}
	default:
		addBias(z, bias, len(bias))
	}
}

// backward multiplies dz in place by act′, expressed through the layer's output y.
func (a Activation) backward(dz, y []float32) {
	switch a {
	case Tanh:
		tanhGrad(dz, y)
	case ReLU:
		for i, v := range y {
			if !(v > 0) {
				dz[i] = 0
			}
		}
	}
}
