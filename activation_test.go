package bnn

import (
	"errors"
	"testing"
)

func TestParseActivation(t *testing.T) {
	for _, a := range []Activation{Tanh, ReLU, Identity} {
		got, err := ParseActivation(a.String())
		if err != nil || got != a {
			t.Errorf("ParseActivation(%q) = %v, %v", a.String(), got, err)
		}
	}
	for _, s := range []string{"", "Tanh", "sigmoid", "Activation(3)"} {
		if _, err := ParseActivation(s); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("ParseActivation(%q): %v, want ErrInvalidParameter", s, err)
		}
	}
}
