package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// csvTable is a numeric CSV file: a header of unique column names and
// rows of finite numbers.
type csvTable struct {
	path  string
	names []string
	cols  [][]float64 // cols[j][i] is row i of column j
}

// rows returns the number of data rows.
func (t *csvTable) rows() int {
	if len(t.cols) == 0 {
		return 0
	}
	return len(t.cols[0])
}

// readCSV reads a numeric CSV file with a header row.
func readCSV(path string) (*csvTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bnn: read data: %w", err)
	}
	defer f.Close()
	return parseCSV(path, f)
}

// parseCSV reads a header row and numeric data rows from r; path names the
// source in errors. Errors name the line and the column of a bad cell.
func parseCSV(path string, r io.Reader) (*csvTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("bnn: %s: empty file: need a header row and data rows", path)
	}
	if err != nil {
		return nil, fmt.Errorf("bnn: %s: %w", path, err)
	}
	t := &csvTable{path: path, names: make([]string, len(header))}
	seen := map[string]int{}
	for j, h := range header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if name == "" {
			return nil, fmt.Errorf("bnn: %s: bad header: column %d has an empty name", path, j+1)
		}
		if k, dup := seen[name]; dup {
			return nil, fmt.Errorf("bnn: %s: bad header: columns %d and %d are both named %q", path, k+1, j+1, name)
		}
		seen[name] = j
		t.names[j] = name
	}
	t.cols = make([][]float64, len(header))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("bnn: %s: %w", path, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, fmt.Errorf("bnn: %s: line %d has %d fields, the header has %d", path, line, len(rec), len(header))
		}
		for j, cell := range rec {
			s := strings.TrimSpace(cell)
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				l, _ := cr.FieldPos(j)
				what := "is not a number"
				if err == nil {
					what = "is not a finite number"
				}
				return nil, fmt.Errorf("bnn: %s: line %d, column %d (%q): %q %s", path, l, j+1, t.names[j], s, what)
			}
			t.cols[j] = append(t.cols[j], v)
		}
	}
	if t.rows() == 0 {
		return nil, fmt.Errorf("bnn: %s: no data rows after the header", path)
	}
	return t, nil
}

// column returns the index of the named column, or -1.
func (t *csvTable) column(name string) int {
	for j, n := range t.names {
		if n == name {
			return j
		}
	}
	return -1
}

// split returns the feature matrix (row-major, every column but target, in
// file order), the feature names and the target column. It fails when the
// target column is missing or no feature column remains.
func (t *csvTable) split(target string) (x []float64, features []string, y []float64, err error) {
	k := t.column(target)
	if k < 0 {
		return nil, nil, nil, fmt.Errorf("bnn: %s: bad header: no target column %q (columns: %s)", t.path, target, strings.Join(t.names, ", "))
	}
	if len(t.names) < 2 {
		return nil, nil, nil, fmt.Errorf("bnn: %s: bad header: no feature columns besides the target %q", t.path, target)
	}
	var idx []int
	for j, n := range t.names {
		if j != k {
			idx = append(idx, j)
			features = append(features, n)
		}
	}
	return t.matrix(idx), features, t.cols[k], nil
}

// selectColumns returns the named columns as a row-major matrix, failing
// with the list of missing names when some are absent.
func (t *csvTable) selectColumns(names []string) ([]float64, error) {
	idx := make([]int, len(names))
	var missing []string
	for i, n := range names {
		idx[i] = t.column(n)
		if idx[i] < 0 {
			missing = append(missing, strconv.Quote(n))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("bnn: %s: bad header: missing feature column(s) %s (columns: %s)", t.path, strings.Join(missing, ", "), strings.Join(t.names, ", "))
	}
	return t.matrix(idx), nil
}

// matrix gathers the columns idx into a row-major matrix.
func (t *csvTable) matrix(idx []int) []float64 {
	n, d := t.rows(), len(idx)
	x := make([]float64, n*d)
	for c, j := range idx {
		for i, v := range t.cols[j] {
			x[i*d+c] = v
		}
	}
	return x
}
