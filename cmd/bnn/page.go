package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The pages "bnn oscillator" and "bnn cv" write are one HTML template
// (page.html) filled from a pageDoc. Every value goes through html/template,
// so text from the user (an -out path, a CSV column name) is escaped; the
// only markup inserted as is are figures re-serialised by inlineSVG.

//go:embed page.html
var pageHTML string

// pageTemplate is parsed once, at start-up; a broken template fails every test.
var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// pageDoc is one page: a title, a lead paragraph, sections in order and
// the run's settings as a table.
type pageDoc struct {
	Title    string
	Lead     string
	Sections []pageSection
	Settings *pageTable
}

// pageSection is one section of a page: a heading, a paragraph, numbers
// (facts and tables) and figures.
type pageSection struct {
	ID      string // the heading's id, "sec-" + the section name
	Name    string // the section name (data-section attribute)
	Title   string
	Text    string
	Facts   []pageFact
	Tables  []*pageTable
	Figures []pageFigure
}

// pageFact is a labelled number or list of numbers.
type pageFact struct {
	Label  string
	Values []pageNum
}

// pageNum is a number shown on a page. Key names its place in the JSON
// document the page was built from (e.g. "grid.mean.0"), Raw is its exact
// JSON text ("null" for a non-finite value) and Text the rounded form shown.
// The browser test reads Key and Raw back from the data-key and data-value
// attributes and compares them with the JSON file.
type pageNum struct {
	Key, Raw, Text string
}

// pageTable is an HTML table: a caption, column headers and rows, each
// row a label and one cell per column.
type pageTable struct {
	Caption string
	Corner  string // header of the label column
	Columns []string
	// Groups, when set, is a first header row above Columns: a group spans
	// the Columns under it; a group with Span 0 is one column of its own,
	// spanning both header rows (and then is not in Columns).
	Groups []pageHeadGroup
	Rows   []pageRow
}

// pageHeadGroup is one cell of a table's first header row.
type pageHeadGroup struct {
	Label string
	Span  int
}

// pageRow is one table row; a cell is a number or, when Num is nil, text.
type pageRow struct {
	Label string
	Cells []pageCell
}

// pageCell is one table cell.
type pageCell struct {
	Num  *pageNum
	Text string
}

// pageFigure is an inlined SVG figure with its file name and caption.
type pageFigure struct {
	Name    string
	Caption string
	SVG     template.HTML
}

// newPageFigure inlines the SVG document svg (which must be one the
// plotting package wrote, see inlineSVG) as figure number idx of a page.
// The caption is also the alt text; empty means the figure's own title.
func newPageFigure(idx int, name string, svg []byte, caption string) (pageFigure, error) {
	in, err := inlineSVG(svg, "f"+strconv.Itoa(idx)+"-", caption)
	if err != nil {
		return pageFigure{}, fmt.Errorf("bnn: page: figure %s: %w", name, err)
	}
	if caption == "" {
		caption = in.title
	}
	return pageFigure{Name: name, Caption: caption, SVG: in.markup}, nil
}

// renderPage executes the page template for doc.
func renderPage(w io.Writer, doc *pageDoc) error {
	if err := pageTemplate.Execute(w, doc); err != nil {
		return fmt.Errorf("bnn: page: %w", err)
	}
	return nil
}

// writePage renders doc into path.
func writePage(path string, doc *pageDoc) error {
	var b bytes.Buffer
	if err := renderPage(&b, doc); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("bnn: write page: %w", err)
	}
	return nil
}

// formatPageNum rounds a JSON number for display: integers as they are,
// other values to four significant digits; null (a non-finite value in the
// JSON) shows as "–".
func formatPageNum(raw string) string {
	if raw == "null" {
		return "–"
	}
	if !strings.ContainsAny(raw, ".eE") {
		return raw
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if a := math.Abs(v); a != 0 && (a < 1e-3 || a >= 1e6) {
		return strconv.FormatFloat(v, 'e', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// newPageNum is the number at key with its exact JSON text raw.
func newPageNum(key, raw string) pageNum {
	return pageNum{Key: key, Raw: raw, Text: formatPageNum(raw)}
}

// floatPageNum is a number the page shows that is not read from a JSON
// document (the cv page's plain data): Raw is its shortest exact form.
func floatPageNum(key string, v float64) pageNum {
	raw := "null"
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
		raw = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return newPageNum(key, raw)
}

// jsonNode is a JSON value with the order of its object keys kept (the
// page follows the results struct's field order).
type jsonNode struct {
	kind  byte // 'o' object, 'a' array, 'n' number, 's' string, 'b' bool, 'z' null
	keys  []string
	kids  []*jsonNode
	text  string // a number's exact text, a string's value, "true"/"false"
	index map[string]*jsonNode
}

// get returns an object's member, or nil.
func (n *jsonNode) get(key string) *jsonNode {
	if n == nil || n.kind != 'o' {
		return nil
	}
	return n.index[key]
}

// parseJSONTree decodes one JSON document into an ordered tree.
func parseJSONTree(b []byte) (*jsonNode, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := parseJSONNode(dec)
	if err != nil {
		return nil, fmt.Errorf("bnn: page: results: %w", err)
	}
	return n, nil
}

func parseJSONNode(dec *json.Decoder) (*jsonNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			n := &jsonNode{kind: 'o', index: map[string]*jsonNode{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				kid, err := parseJSONNode(dec)
				if err != nil {
					return nil, err
				}
				n.keys, n.kids = append(n.keys, k), append(n.kids, kid)
				n.index[k] = kid
			}
			_, err := dec.Token()
			return n, err
		case '[':
			n := &jsonNode{kind: 'a'}
			for dec.More() {
				kid, err := parseJSONNode(dec)
				if err != nil {
					return nil, err
				}
				n.keys, n.kids = append(n.keys, strconv.Itoa(len(n.kids))), append(n.kids, kid)
			}
			_, err := dec.Token()
			return n, err
		}
	case json.Number:
		return &jsonNode{kind: 'n', text: v.String()}, nil
	case string:
		return &jsonNode{kind: 's', text: v}, nil
	case bool:
		return &jsonNode{kind: 'b', text: strconv.FormatBool(v)}, nil
	case nil:
		return &jsonNode{kind: 'z', text: "null"}, nil
	}
	return nil, errors.New("unexpected JSON token")
}

// numeric reports whether n is a number or null (a non-finite number).
func (n *jsonNode) numeric() bool { return n.kind == 'n' || n.kind == 'z' }

// pageLabels turn JSON keys into readable labels; other keys show with
// their underscores as spaces.
var pageLabels = map[string]string{
	"theta_true": "true (ζ, ωₙ)", "noise_std": "noise std", "n_train": "training points",
	"train_span": "training span [s]", "eval_span": "evaluation span [s]", "n_eval": "evaluation points",
	"mean": "mean", "std": "std", "map": "MAP", "cells": "cells per axis", "span": "span",
	"cells_per_std": "cells per posterior std", "refine_rounds": "refinement rounds",
	"evaluations": "log-density evaluations", "seed_grid": "seed grid",
	"log_evidence": "log evidence", "best_degree": "best degree", "degrees": "degrees",
	"mu": "μ", "sigma": "σ", "elbo": "final ELBO", "rmse": "RMSE", "mean_std": "mean std",
	"coverage_2sigma": "±2σ coverage", "nll": "NLL", "crps": "CRPS", "train_seconds": "train [s]",
	"predict_seconds": "predict [s]", "interp": "interpolation (0–6 s)", "extrap": "extrapolation (6–8 s)",
	"rhat": "R̂", "rhat_max": "max R̂", "ess_bulk": "bulk ESS", "ess_bulk_min": "min bulk ESS",
	"ess_tail": "tail ESS", "seconds": "seconds", "ess_bulk_per_second": "bulk ESS per second",
	"draws_per_chain": "draws per chain", "refine_cells_per_std": "refine (cells per std)",
}

// pageLabel returns the label of a JSON key.
func pageLabel(key string) string {
	if l, ok := pageLabels[key]; ok {
		return l
	}
	return strings.ReplaceAll(key, "_", " ")
}

// factsOf flattens an object into facts: a number is one fact, an array of
// numbers (or of such arrays) one fact with every value, a nested object
// facts labelled "outer · inner". Strings and booleans become text facts
// only through settings tables, not here. key is n's path in the document.
func factsOf(n *jsonNode, key, label string) []pageFact {
	switch {
	case n == nil:
		return nil
	case n.numeric():
		return []pageFact{{Label: label, Values: []pageNum{newPageNum(key, n.text)}}}
	case n.kind == 'a' && allNumericLeaves(n):
		f := pageFact{Label: label}
		walkLeaves(n, key, func(k string, leaf *jsonNode) { f.Values = append(f.Values, newPageNum(k, leaf.text)) })
		return []pageFact{f}
	case n.kind == 'o' || n.kind == 'a':
		var out []pageFact
		for i, k := range n.keys {
			l := pageLabel(k)
			if label != "" {
				l = label + " · " + l
			}
			out = append(out, factsOf(n.kids[i], joinKey(key, k), l)...)
		}
		return out
	}
	return nil
}

// allNumericLeaves reports whether every leaf under n is a number or null.
func allNumericLeaves(n *jsonNode) bool {
	if n.kind != 'a' && n.kind != 'o' {
		return n.numeric()
	}
	for _, k := range n.kids {
		if !allNumericLeaves(k) {
			return false
		}
	}
	return true
}

// walkLeaves calls f on every leaf under n with its path.
func walkLeaves(n *jsonNode, key string, f func(key string, leaf *jsonNode)) {
	if n.kind != 'a' && n.kind != 'o' {
		f(key, n)
		return
	}
	for i, k := range n.keys {
		walkLeaves(n.kids[i], joinKey(key, k), f)
	}
}

// joinKey appends a path element.
func joinKey(key, k string) string {
	if key == "" {
		return k
	}
	return key + "." + k
}

// tableOf builds a table with one row per member of the object n (rows in
// order: first those in order, then the rest as in n) and one column per
// leaf path found under the members, in first-seen order.
func tableOf(n *jsonNode, key, caption, corner string, order []string) *pageTable {
	if n == nil || n.kind != 'o' || len(n.keys) == 0 {
		return nil
	}
	var rows []string
	for _, k := range order {
		if n.get(k) != nil {
			rows = append(rows, k)
		}
	}
	for _, k := range n.keys {
		if !containsString(rows, k) {
			rows = append(rows, k)
		}
	}
	var cols []string
	seen := map[string]bool{}
	for _, r := range rows {
		walkLeaves(n.get(r), "", func(k string, _ *jsonNode) {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		})
	}
	t := &pageTable{Caption: caption, Corner: corner}
	grouped := false
	for _, c := range cols {
		grouped = grouped || strings.Contains(c, ".")
	}
	for _, c := range cols {
		group, leaf, nested := strings.Cut(c, ".")
		if !grouped {
			t.Columns = append(t.Columns, pageLabel(c))
			continue
		}
		if !nested {
			t.Groups = append(t.Groups, pageHeadGroup{Label: pageLabel(c)})
			continue
		}
		parts := strings.Split(leaf, ".")
		for i, p := range parts {
			parts[i] = pageLabel(p)
		}
		t.Columns = append(t.Columns, strings.Join(parts, " · "))
		if g := len(t.Groups) - 1; g >= 0 && t.Groups[g].Span > 0 && t.Groups[g].Label == pageLabel(group) {
			t.Groups[g].Span++
		} else {
			t.Groups = append(t.Groups, pageHeadGroup{Label: pageLabel(group), Span: 1})
		}
	}
	for _, r := range rows {
		leaves := map[string]*jsonNode{}
		walkLeaves(n.get(r), "", func(k string, leaf *jsonNode) { leaves[k] = leaf })
		row := pageRow{Label: r}
		for _, c := range cols {
			leaf, ok := leaves[c]
			switch {
			case !ok:
				row.Cells = append(row.Cells, pageCell{Text: ""})
			case leaf.numeric():
				num := newPageNum(joinKey(joinKey(key, r), c), leaf.text)
				row.Cells = append(row.Cells, pageCell{Num: &num})
			default:
				row.Cells = append(row.Cells, pageCell{Text: leaf.text})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// containsString reports whether s holds v.
func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// settingsTableOf lists every leaf of the object n as a row "name, value";
// numbers carry their key, strings and lists of strings are text.
func settingsTableOf(n *jsonNode, key, caption string) *pageTable {
	t := &pageTable{Caption: caption, Corner: "setting", Columns: []string{"value"}}
	if n == nil || n.kind != 'o' {
		return t
	}
	for i, k := range n.keys {
		kid := n.kids[i]
		row := pageRow{Label: k}
		switch {
		case kid.numeric():
			num := newPageNum(joinKey(key, k), kid.text)
			row.Cells = []pageCell{{Num: &num}}
		case kid.kind == 'a' || kid.kind == 'o':
			var parts []string
			walkLeaves(kid, "", func(_ string, leaf *jsonNode) { parts = append(parts, leaf.text) })
			row.Cells = []pageCell{{Text: strings.Join(parts, ", ")}}
		default:
			row.Cells = []pageCell{{Text: kid.text}}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// pagePath is where a page named name goes in directory dir.
func pagePath(dir, name string) string { return filepath.Join(dir, name) }
