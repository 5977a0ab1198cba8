package main

import (
	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCSVDiabetes(t *testing.T) {
	tab, err := readCSV(filepath.Join("testdata", "diabetes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.rows() != 442 || len(tab.names) != 11 {
		t.Fatalf("%d rows × %d columns, want 442 × 11", tab.rows(), len(tab.names))
	}
	x, features, y, err := tab.split("y")
	if err != nil {
		t.Fatal(err)
	}
	if len(features) != 10 || features[0] != "x0" || len(x) != 4420 || len(y) != 442 {
		t.Fatalf("split: %d features, %d x, %d y", len(features), len(x), len(y))
	}
	if y[0] != 151 || y[1] != 75 {
		t.Errorf("y[:2] = %v, want [151 75]", y[:2])
	}
	if x[10] != -0.0018820165277906047 {
		t.Errorf("x[1,0] = %v", x[10])
	}
	// The target may sit in any column; features keep file order.
	tab2, err := parseCSV("t.csv", strings.NewReader("a,y,b\n1,2,3\n4,5,6\n"))
	if err != nil {
		t.Fatal(err)
	}
	x, features, y, err = tab2.split("y")
	if err != nil || strings.Join(features, ",") != "a,b" || x[0] != 1 || x[1] != 3 || x[2] != 4 || y[1] != 5 {
		t.Errorf("split middle target: %v %v %v %v", x, features, y, err)
	}
	sel, err := tab2.selectColumns([]string{"b", "a"})
	if err != nil || sel[0] != 3 || sel[1] != 1 {
		t.Errorf("selectColumns: %v %v", sel, err)
	}
}

func TestReadCSVErrors(t *testing.T) {
	_, err := readCSV(filepath.Join(t.TempDir(), "absent.csv"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	cases := []struct {
		name, in string
		want     []string // substrings of the error
	}{
		{"empty file", "", []string{"empty file"}},
		{"header only", "a,b\n", []string{"no data rows"}},
		{"empty name", "a,,c\n1,2,3\n", []string{"bad header", "column 2", "empty name"}},
		{"blank name", "a, ,c\n1,2,3\n", []string{"bad header", "column 2"}},
		{"duplicate", "a,b,a\n1,2,3\n", []string{"bad header", "columns 1 and 3", `"a"`}},
		{"non-numeric", "a,bmi,y\n1,2,3\n4,abc,6\n", []string{"line 3", "column 2", `"bmi"`, `"abc" is not a number`}},
		{"nan", "a,y\n1,NaN\n", []string{"line 2", "column 2", `"y"`, "not a finite number"}},
		{"inf", "a,y\n+Inf,1\n", []string{"line 2", "column 1", "not a finite number"}},
		{"empty cell", "a,y\n1,\n", []string{"line 2", "column 2", `"" is not a number`}},
		{"ragged", "a,y\n1,2\n3\n", []string{"line 3 has 1 fields, the header has 2"}},
		{"bad quote", "a,y\n1,\"2\n", []string{"t.csv"}},
	}
	for _, c := range cases {
		_, err := parseCSV("t.csv", strings.NewReader(c.in))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
	tab, err := parseCSV("t.csv", strings.NewReader("a,b\n1,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := tab.split("y"); err == nil || !strings.Contains(err.Error(), `no target column "y"`) || !strings.Contains(err.Error(), "a, b") {
		t.Errorf("missing target: %v", err)
	}
	if _, err := tab.selectColumns([]string{"a", "c"}); err == nil || !strings.Contains(err.Error(), `"c"`) {
		t.Errorf("missing feature: %v", err)
	}
	one, _ := parseCSV("t.csv", strings.NewReader("y\n1\n"))
	if _, _, _, err := one.split("y"); err == nil || !strings.Contains(err.Error(), "no feature columns") {
		t.Errorf("target only: %v", err)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add("a,b,y\n1,2,3\n4,5,6\n")
	f.Add("a,,y\n1,2\n")
	f.Add("\ufeffx,y\n1e308,-0\n\"1\",2\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := parseCSV("fuzz.csv", strings.NewReader(in))
		if err != nil {
			return
		}
		if tab.rows() == 0 {
			t.Fatal("accepted a table without rows")
		}
		for j := range tab.cols {
			if len(tab.cols[j]) != tab.rows() {
				t.Fatal("ragged columns accepted")
			}
			for _, v := range tab.cols[j] {
				if !svgplot.finite(v) {
					t.Fatal("non-finite value accepted")
				}
			}
		}
		if len(tab.names) > 1 {
			x, feats, y, err := tab.split(tab.names[0])
			if err != nil || len(y) != tab.rows() || len(x) != tab.rows()*len(feats) {
				t.Fatalf("split of a valid table: %v", err)
			}
		}
	})
}
