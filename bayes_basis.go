package bnn

import (
	"fmt"
	"math"
)

type basisKind int

const (
	basisIdentity basisKind = iota
	basisPolynomial
	basisGaussian
)

// Basis is a fixed set of basis functions φⱼ for linear-in-the-weights
// regression, applied to every input feature: the identity φ(x) = x, the
// powers x¹…x^d, or Gaussian bumps exp(−(x−μⱼ)²/(2s²)). For an input row of
// D features, the features are ordered as in the seed notebook's `expand`:
// for each power (or centre) in turn, all D features. The zero value is the
// identity basis.
type Basis struct {
	kind    basisKind
	degree  int
	centres []float64
	width   float64
}

// IdentityBasis returns the basis φ(x) = x (plain linear regression).
func IdentityBasis() Basis { return Basis{kind: basisIdentity} }

// PolynomialBasis returns the powers x¹, …, x^degree (degree 0 leaves only
// the bias column that Expand adds). It returns ErrInvalidParameter for a
// negative degree.
func PolynomialBasis(degree int) (Basis, error) {
	if degree < 0 {
		return Basis{}, fmt.Errorf("bnn: polynomial basis: degree %d: %w", degree, ErrInvalidParameter)
	}
	return Basis{kind: basisPolynomial, degree: degree}, nil
}

// GaussianBasis returns the bumps exp(−(x−μⱼ)²/(2·width²)) for the given
// centres μⱼ (copied). It returns ErrInvalidParameter for a width that is not
// positive and finite, and ErrNonFinite naming a non-finite centre.
func GaussianBasis(centres []float64, width float64) (Basis, error) {
	if !(width > 0) || math.IsInf(width, 1) {
		return Basis{}, fmt.Errorf("bnn: gaussian basis: width %g: %w", width, ErrInvalidParameter)
	}
	for j, c := range centres {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return Basis{}, fmt.Errorf("bnn: gaussian basis: centre %d is %g: %w", j, c, ErrNonFinite)
		}
	}
	return Basis{kind: basisGaussian, centres: append([]float64(nil), centres...), width: width}, nil
}

// NumFeatures returns the number of basis values for an input row of
// inputDim features, excluding the bias column.
func (b Basis) NumFeatures(inputDim int) int {
	switch b.kind {
	case basisPolynomial:
		return b.degree * inputDim
	case basisGaussian:
		return len(b.centres) * inputDim
	}
	return inputDim
}

// Expand returns the n×(1+NumFeatures(D)) design matrix Φ of the n×D inputs
// x: a column of ones (the bias), then the basis values. Errors as ExpandTo.
func (b Basis) Expand(x *Dense) (*Dense, error) {
	p, err := b.designCols(x)
	if err != nil {
		return nil, err
	}
	phi := &Dense{rows: x.rows, cols: p, data: make([]float64, x.rows*p)}
	if err := b.ExpandTo(phi, x); err != nil {
		return nil, err
	}
	return phi, nil
}

// ExpandTo writes the design matrix of x into dst. It returns ErrShape
// unless dst is n×(1+NumFeatures(D)), ErrNonFinite naming the first row of x
// with a NaN or ±Inf, and ErrInvalidParameter when the design matrix would
// have more elements than an int can count.
func (b Basis) ExpandTo(dst, x *Dense) error {
	p, err := b.designCols(x)
	if err != nil {
		return err
	}
	if dst.rows != x.rows || dst.cols != p {
		return fmt.Errorf("bnn: basis expand: %d×%d inputs need a %d×%d design matrix, got %d×%d: %w", x.rows, x.cols, x.rows, p, dst.rows, dst.cols, ErrShape)
	}
	if err := x.checkFinite("bnn: basis expand: input"); err != nil {
		return err
	}
	for i := 0; i < x.rows; i++ {
		b.expandRow(dst.data[i*p:(i+1)*p], x.data[i*x.cols:(i+1)*x.cols])
	}
	return nil
}

// designCols returns 1 + NumFeatures(D), the design matrix's column count
// for the n×D inputs x, or ErrInvalidParameter when the n×(1+NumFeatures(D))
// matrix cannot be indexed by an int (a huge degree or centre count).
func (b Basis) designCols(x *Dense) (int, error) {
	per := 1
	switch b.kind {
	case basisPolynomial:
		per = b.degree
	case basisGaussian:
		per = len(b.centres)
	}
	rows := max(x.rows, 1)
	if x.cols > 0 && per > (math.MaxInt/rows-1)/x.cols {
		return 0, fmt.Errorf("bnn: basis expand: %d basis functions of %d×%d inputs overflow the design matrix: %w", per, x.rows, x.cols, ErrInvalidParameter)
	}
	return 1 + per*x.cols, nil
}

// expandRow writes 1 followed by the basis values of one input row.
func (b Basis) expandRow(dst, x []float64) {
	dst[0] = 1
	out := dst[1:]
	d := len(x)
	switch b.kind {
	case basisIdentity:
		copy(out, x)
	case basisPolynomial:
		for j, v := range x {
			pw := 1.0
			for k := 0; k < b.degree; k++ {
				pw *= v
				out[k*d+j] = pw
			}
		}
	case basisGaussian:
		// (x−μ)/width before squaring: 1/width² overflows for widths
		// below 1e-154, and −Inf·0 at x = μ would give NaN, not 1.
		for c, mu := range b.centres {
			for j, v := range x {
				z := (v - mu) / b.width
				out[c*d+j] = math.Exp(-0.5 * z * z)
			}
		}
	}
}
