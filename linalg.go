package bnn

import (
	"fmt"
	"math"
)

// Dense is a float64 matrix stored row-major: element (i, j) is data[i*cols+j].
// The zero value is an empty 0×0 matrix. Methods that index out of range
// panic, as slice indexing does; everything that depends on caller data
// (shapes, values) returns an error instead.
type Dense struct {
	rows, cols int
	data       []float64
}

// NewDense returns a rows×cols matrix backed by data (row-major, not copied).
// A nil data allocates zeros. It returns ErrShape for negative dimensions or
// len(data) != rows·cols.
func NewDense(rows, cols int, data []float64) (*Dense, error) {
	if rows < 0 || cols < 0 {
		return nil, fmt.Errorf("bnn: NewDense: negative dimensions %d×%d: %w", rows, cols, ErrShape)
	}
	if data == nil {
		data = make([]float64, rows*cols)
	}
	if len(data) != rows*cols {
		return nil, fmt.Errorf("bnn: NewDense: %d×%d needs %d values, got %d: %w", rows, cols, rows*cols, len(data), ErrShape)
	}
	return &Dense{rows: rows, cols: cols, data: data}, nil
}

// NewDenseRows returns a matrix whose rows are copies of the given rows. It
// returns ErrShape when the rows have different lengths.
func NewDenseRows(rows [][]float64) (*Dense, error) {
	if len(rows) == 0 {
		return &Dense{}, nil
	}
	c := len(rows[0])
	m := &Dense{rows: len(rows), cols: c, data: make([]float64, len(rows)*c)}
	for i, r := range rows {
		if len(r) != c {
			return nil, fmt.Errorf("bnn: NewDenseRows: row %d has %d values, row 0 has %d: %w", i, len(r), c, ErrShape)
		}
		copy(m.data[i*c:], r)
	}
	return m, nil
}

// Eye returns the n×n identity matrix (n < 0 is treated as 0).
func Eye(n int) *Dense {
	n = max(n, 0)
	m := &Dense{rows: n, cols: n, data: make([]float64, n*n)}
	for i := 0; i < n; i++ {
		m.data[i*n+i] = 1
	}
	return m
}

// Dims returns the number of rows and columns.
func (m *Dense) Dims() (rows, cols int) { return m.rows, m.cols }

// At returns element (i, j).
func (m *Dense) At(i, j int) float64 {
	m.checkIndex(i, j)
	return m.data[i*m.cols+j]
}

// Set sets element (i, j) to v.
func (m *Dense) Set(i, j int, v float64) {
	m.checkIndex(i, j)
	m.data[i*m.cols+j] = v
}

func (m *Dense) checkIndex(i, j int) {
	if uint(i) >= uint(m.rows) || uint(j) >= uint(m.cols) {
		panic(fmt.Sprintf("bnn: Dense index (%d, %d) out of range %d×%d", i, j, m.rows, m.cols))
	}
}

// RawData returns the backing row-major slice (shared, not copied).
func (m *Dense) RawData() []float64 { return m.data }

// RawRow returns row i as a slice sharing the matrix's storage.
func (m *Dense) RawRow(i int) []float64 {
	if uint(i) >= uint(m.rows) {
		panic(fmt.Sprintf("bnn: Dense row %d out of range %d×%d", i, m.rows, m.cols))
	}
	return m.data[i*m.cols : (i+1)*m.cols : (i+1)*m.cols]
}

// Clone returns a deep copy of m.
func (m *Dense) Clone() *Dense {
	return &Dense{rows: m.rows, cols: m.cols, data: append([]float64(nil), m.data...)}
}

// CopyFrom copies a into m. It returns ErrShape unless the dimensions agree.
func (m *Dense) CopyFrom(a *Dense) error {
	if m.rows != a.rows || m.cols != a.cols {
		return fmt.Errorf("bnn: CopyFrom: %d×%d into %d×%d: %w", a.rows, a.cols, m.rows, m.cols, ErrShape)
	}
	copy(m.data, a.data)
	return nil
}

// CheckFinite returns an error wrapping ErrNonFinite that names the first
// element (row, column) that is NaN or ±Inf, or nil.
func (m *Dense) CheckFinite() error {
	return m.checkFinite("bnn: matrix")
}

// checkFinite is CheckFinite with the error prefixed by what (e.g. "bnn: lu").
func (m *Dense) checkFinite(what string) error {
	for k, v := range m.data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: row %d column %d is %g: %w", what, k/m.cols, k%m.cols, v, ErrNonFinite)
		}
	}
	return nil
}

// TransposeTo writes aᵀ into dst. It returns ErrShape unless dst is
// cols×rows of a; dst must not share storage with a.
func TransposeTo(dst, a *Dense) error {
	if dst.rows != a.cols || dst.cols != a.rows {
		return fmt.Errorf("bnn: TransposeTo: %d×%d into %d×%d: %w", a.rows, a.cols, dst.rows, dst.cols, ErrShape)
	}
	for i := 0; i < a.rows; i++ {
		row := a.data[i*a.cols : (i+1)*a.cols]
		for j, v := range row {
			dst.data[j*dst.cols+i] = v
		}
	}
	return nil
}

// MulTo writes the product a·b into dst. It returns ErrShape for
// incompatible dimensions; dst must not share storage with a or b.
func MulTo(dst, a, b *Dense) error {
	if a.cols != b.rows || dst.rows != a.rows || dst.cols != b.cols {
		return fmt.Errorf("bnn: MulTo: (%d×%d)·(%d×%d) into %d×%d: %w", a.rows, a.cols, b.rows, b.cols, dst.rows, dst.cols, ErrShape)
	}
	n := b.cols
	for i := 0; i < a.rows; i++ {
		out := dst.data[i*n : (i+1)*n]
		clear(out)
		for k, aik := range a.data[i*a.cols : (i+1)*a.cols] {
			axpyF64(aik, b.data[k*n:(k+1)*n], out)
		}
	}
	return nil
}

// MulVecTo writes a·x into dst. It returns ErrShape unless len(x) equals the
// number of columns and len(dst) the number of rows.
func (m *Dense) MulVecTo(dst, x []float64) error {
	if len(x) != m.cols || len(dst) != m.rows {
		return fmt.Errorf("bnn: MulVecTo: %d×%d times %d-vector into %d: %w", m.rows, m.cols, len(x), len(dst), ErrShape)
	}
	for i := range dst {
		dst[i] = dotF64(m.data[i*m.cols:(i+1)*m.cols], x)
	}
	return nil
}

// MulTransVecTo writes aᵀ·x into dst. It returns ErrShape unless len(x)
// equals the number of rows and len(dst) the number of columns.
func (m *Dense) MulTransVecTo(dst, x []float64) error {
	if len(x) != m.rows || len(dst) != m.cols {
		return fmt.Errorf("bnn: MulTransVecTo: (%d×%d)ᵀ times %d-vector into %d: %w", m.rows, m.cols, len(x), len(dst), ErrShape)
	}
	clear(dst)
	for i, xi := range x {
		axpyF64(xi, m.data[i*m.cols:(i+1)*m.cols], dst)
	}
	return nil
}

// GramTo writes the symmetric cols×cols matrix aᵀa into dst (both
// triangles). It returns ErrShape unless dst is cols×cols.
func GramTo(dst, a *Dense) error {
	p := a.cols
	if dst.rows != p || dst.cols != p {
		return fmt.Errorf("bnn: GramTo: %d×%d Gram of %d×%d: %w", dst.rows, dst.cols, a.rows, a.cols, ErrShape)
	}
	clear(dst.data)
	for r := 0; r < a.rows; r++ {
		row := a.data[r*p : (r+1)*p]
		for i, v := range row {
			if v != 0 {
				axpyF64(v, row[:i+1], dst.data[i*p:i*p+i+1])
			}
		}
	}
	for i := 0; i < p; i++ {
		for j := 0; j < i; j++ {
			dst.data[j*p+i] = dst.data[i*p+j]
		}
	}
	return nil
}

// dotF64 returns Σ x[i]·y[i] over len(x) with four independent accumulators
// (len(y) ≥ len(x)).
func dotF64(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpyF64 computes y[i] += a·x[i] over len(x) (len(y) ≥ len(x)).
func axpyF64(a float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += a * x[i]
	}
}
