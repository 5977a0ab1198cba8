package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"
)

// hostileStrings reach the pages through every place user text can: an
// -out path, a CSV file name, a column name, a method, a figure label.
var hostileStrings = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`' onmouseover='alert(1)`,
	`</title><script>alert(1)</script>`,
	`]]><!-- --><svg onload=alert(1)>`,
	`&lt;script&gt; & "quoted" 'single' +plus`,
	`y<b>x</b>`,
}

// pageNumRE matches a number on a page as the template writes it and as
// Chromium serialises it back.
var pageNumRE = regexp.MustCompile(`data-key="([^"]*)" data-value="([^"]*)">([^<]*)<`)

// hostileFigure renders an svgplot figure whose title and legend carry s.
func hostileFigure(s string) []byte {
	f := svgplot.NewFigure(300, 200, 1, 1)
	p := f.At(0, 0)
	p.Title, p.XLabel, p.YLabel = s, s, "y"
	p.Line([]float64{0, 1, 2}, []float64{1, 0, 1}, svgplot.Style{Color: "black", Label: s})
	return f.Render()
}

// checkEscaped fails unless every occurrence of the marked string
// "QZX"+s+"QZX" in page is escaped: the text between the markers holds no
// raw markup character and unescapes to s.
func checkEscaped(t *testing.T, where, page, s string) {
	t.Helper()
	parts := strings.Split(page, "QZX")
	if len(parts) < 3 {
		t.Errorf("%s: the marked string %q is not on the page", where, s)
		return
	}
	for i := 1; i < len(parts); i += 2 {
		r := parts[i]
		if strings.ContainsAny(r, `<>"'`) {
			t.Errorf("%s: %q reaches the page unescaped as %q", where, s, r)
		} else if u := html.UnescapeString(r); u != s {
			t.Errorf("%s: %q comes out as %q (unescaped %q)", where, s, r, u)
		}
	}
	if strings.Contains(strings.ToLower(page), "<script") {
		t.Errorf("%s: a <script> element on the page", where)
	}
}

// writeHostileCVPage writes cv.html with s in every user-text field.
func writeHostileCVPage(t *testing.T, s string) string {
	t.Helper()
	m := "QZX" + s + "QZX"
	dir := t.TempDir()
	path, err := writeCVPage(dir, cvPageData{
		Data: m, Target: m, Settings: [][2]string{{m, m}, {"methods", m}},
		Columns: []string{"rmse", m},
		Rows:    []cvPageRow{{Method: m, Key: "methods.0", Values: []float64{0.5, 1}}},
		Figures: []cvPageFigure{{Name: m, SVG: hostileFigure(m)}, {Name: "calibration.svg", Caption: m, SVG: hostileFigure("ok")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeHostileOscillatorPage writes index.html for results whose -out is s
// and a figure labelled s.
func writeHostileOscillatorPage(t *testing.T, s string) string {
	t.Helper()
	m := "QZX" + s + "QZX"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "data.svg"), hostileFigure(m), 0o644); err != nil {
		t.Fatal(err)
	}
	res := &results{Settings: defaultConfig, Sections: map[string]*sectionStats{"data": {Seconds: 0.5}}, Figures: []string{"data.svg"}}
	res.Settings.Out, res.Settings.Methods = m, []string{m}
	path, err := writeOscillatorPage(dir, res, []pageFigureGroup{{Section: "data", Figures: []string{"data.svg"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPageEscapesUserText(t *testing.T) {
	for _, s := range hostileStrings {
		checkEscaped(t, "cv.html", writeHostileCVPage(t, s), s)
		checkEscaped(t, "index.html", writeHostileOscillatorPage(t, s), s)
	}
}

// FuzzPageEscaping feeds any printable string into every user-text field of
// both pages and checks it comes out escaped and intact.
func FuzzPageEscaping(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.Contains(s, "QZX") || strings.IndexFunc(s, func(r rune) bool {
			return !unicode.IsPrint(r) || r == utf8.RuneError
		}) >= 0 {
			t.Skip("markers, control characters and invalid UTF-8 are normalised by design")
		}
		checkEscaped(t, "cv.html", writeHostileCVPage(t, s), s)
		checkEscaped(t, "index.html", writeHostileOscillatorPage(t, s), s)
	})
}

// TestOscillatorHostileOutPath runs the command with an -out directory
// whose name is markup and checks the page escapes it.
func TestOscillatorHostileOutPath(t *testing.T) {
	s := `"><img src=x onerror=alert('x')>&<script>` // no slash: one directory
	out := filepath.Join(t.TempDir(), "QZX"+s+"QZX")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"oscillator", "-out", out, "-methods", "data,vi"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	want := "page: " + filepath.Join(out, "index.html")
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// the path holds the markers around s, after the temp directory
	checkEscaped(t, "index.html", strings.ReplaceAll(string(b), html.EscapeString(filepath.Dir(out)), ""), s)
}

func TestInlineSVGRejectsForeignMarkup(t *testing.T) {
	ok := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="1" height="1"/>%s</svg>`
	for _, bad := range []string{
		`<script>alert(1)</script>`,
		`<foreignObject><div>x</div></foreignObject>`,
		`<rect onclick="alert(1)" width="1"/>`,
		`<image href="http://example.com/x.png"/>`,
		`<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(1)"/>`,
		`<rect style="background:url(http://example.com)"/>`,
		`<rect fill="url(http://example.com/#x)"/>`,
		`<a href="#x"><rect/></a>`,
		`<rect`,
	} {
		_, err := inlineSVG([]byte(strings.Replace(ok, "%s", bad, 1)), "p-", "alt")
		if !errors.Is(err, errNotOurSVG) {
			t.Errorf("%s: err = %v, want errNotOurSVG", bad, err)
		}
	}
	for _, bad := range []string{`<html><svg/></html>`, `<!DOCTYPE svg><svg/>`, `text`, ``, `<svg/><svg/>`} {
		if _, err := inlineSVG([]byte(bad), "p-", "alt"); !errors.Is(err, errNotOurSVG) {
			t.Errorf("%q: err = %v, want errNotOurSVG", bad, err)
		}
	}
	if _, err := inlineSVG([]byte(strings.Replace(ok, "%s", "", 1)), "p-", "alt"); err != nil {
		t.Errorf("a plain SVG: %v", err)
	}
}

// TestInlineSVGKeepsFigure checks that every figure kind the plotting
// package draws (clip paths, contours with a colour bar, a heat map image)
// survives inlining: the same elements, ids prefixed, every url(#…) pointing
// at an id of the same figure, alt text from the title.
func TestInlineSVGKeepsFigure(t *testing.T) {
	f := svgplot.NewFigure(600, 300, 1, 2)
	p := f.At(0, 0)
	p.Title = "A <title> & more"
	p.XLabel, p.YLabel = "x", "y"
	p.Line([]float64{0, 1}, []float64{0, 1}, svgplot.Style{Label: "line"})
	q := f.At(0, 1)
	q.XLabel, q.YLabel = "x", "y"
	xs := []float64{0, 1, 2}
	z := []float64{0, 1, 2, 1, 2, 3, 2, 3, 4}
	q.Contourf(xs, xs, z, 5, svgplot.Viridis, "z")
	svg := f.Render()
	in, err := inlineSVG(svg, "f7-", "")
	if err != nil {
		t.Fatal(err)
	}
	if in.title != "A <title> & more" {
		t.Errorf("title %q", in.title)
	}
	out := string(in.markup)
	if !strings.HasPrefix(out, `<svg role="img" aria-label="A &lt;title&gt; &amp; more"`) {
		t.Errorf("root %.120q", out)
	}
	count := func(s, sub string) int { return strings.Count(s, sub) }
	for _, el := range []string{"<path", "<rect", "<text", "<clipPath", "<g"} {
		if count(string(svg), el) != count(out, el) || count(out, el) == 0 {
			t.Errorf("%s: %d in the figure, %d inlined", el, count(string(svg), el), count(out, el))
		}
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(out, -1) {
		if !strings.HasPrefix(m[1], "f7-") {
			t.Errorf("id %q not prefixed", m[1])
		}
		ids[m[1]] = true
	}
	refs := regexp.MustCompile(`url\(#([^)]*)\)`).FindAllStringSubmatch(out, -1)
	if len(refs) == 0 {
		t.Error("no url(#…) references (clip paths)")
	}
	for _, m := range refs {
		if !ids[m[1]] {
			t.Errorf("url(#%s) points at no id of the figure", m[1])
		}
	}
}

// lookupJSON returns the value at a dotted path of a decoded document.
func lookupJSON(doc any, key string) (any, bool) {
	for _, k := range strings.Split(key, ".") {
		switch v := doc.(type) {
		case map[string]any:
			var ok bool
			if doc, ok = v[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			doc = v[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

// checkPageNumbers compares every number on page with results.json and
// checks that every number of results.json (but the figure list) is on it.
func checkPageNumbers(t *testing.T, page string, resultsJSON []byte) {
	t.Helper()
	doc, shown := checkPageNumbersFrom(t, page, resultsJSON, 50)
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, kid := range v {
				walk(joinKey(key, k), kid)
			}
		case []any:
			for i, kid := range v {
				walk(joinKey(key, strconv.Itoa(i)), kid)
			}
		case json.Number, nil:
			if !shown[key] {
				t.Errorf("results.json %s is not on the page", key)
			}
		}
	}
	for k, v := range doc.(map[string]any) {
		if k != "figures" {
			walk(k, v)
		}
	}
}

// checkPageNumbersFrom checks that page shows at least min numbers and that
// each one (its data-value and its text) equals the number at its data-key
// in the JSON document; it returns the document and the keys shown.
func checkPageNumbersFrom(t *testing.T, page string, js []byte, min int) (doc any, shown map[string]bool) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	shown = map[string]bool{}
	matches := pageNumRE.FindAllStringSubmatch(page, -1)
	if len(matches) < min {
		t.Errorf("only %d numbers on the page", len(matches))
	}
	for _, m := range matches {
		key, raw, text := m[1], html.UnescapeString(m[2]), html.UnescapeString(m[3])
		shown[key] = true
		v, ok := lookupJSON(doc, key)
		if !ok {
			t.Errorf("%s: on the page, not in results.json", key)
			continue
		}
		switch v := v.(type) {
		case nil:
			if raw != "null" || text != "–" {
				t.Errorf("%s: results.json null, page %q (%q)", key, raw, text)
			}
		case json.Number:
			want, _ := strconv.ParseFloat(v.String(), 64)
			got, err := strconv.ParseFloat(raw, 64)
			if err != nil || got != want {
				t.Errorf("%s: page %q, results.json %s", key, raw, v)
			}
			if text != formatPageNum(v.String()) {
				t.Errorf("%s: shown as %q, want %q", key, text, formatPageNum(v.String()))
			}
		default:
			t.Errorf("%s: results.json holds %T, not a number", key, v)
		}
	}
	return doc, shown
}

func TestOscillatorPageNumbers(t *testing.T) {
	dir, stdout, _ := runQuick(t, tinyFlags...)
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkPageNumbers(t, string(page), raw)
	if !strings.HasSuffix(stdout, "page: "+filepath.Join(dir, "index.html")+"\n") {
		t.Errorf("the last line does not name the page:\n%s", stdout)
	}
}

func TestWriteCVPage(t *testing.T) {
	dir := t.TempDir()
	cal := hostileFigure("Calibration of the central intervals")
	path, err := writeCVPage(dir, cvPageData{
		Data: "friedman.csv", Target: "y", Settings: [][2]string{{"splits", "20"}},
		Columns:    []string{"RMSE", "log_likelihood", "coverage_2sigma"},
		ColumnKeys: []string{"rmse.mean", "log_likelihood", "coverage_2sigma"},
		Rows: []cvPageRow{{Method: "blr", Key: "methods.0", Values: []float64{1.25, -1.5, 0.95}},
			{Method: "bbb", Key: "methods.1", Values: []float64{2.5, math.Inf(1), 0.9}}},
		Figures: []cvPageFigure{{Name: "calibration.svg", SVG: cal}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	page := string(b)
	if filepath.Base(path) != "cv.html" {
		t.Errorf("path %s", path)
	}
	for _, want := range []string{
		`data-key="methods.0.rmse.mean" data-value="1.25">1.25<`, `<th scope="col">RMSE</th>`,
		`data-key="methods.0.log_likelihood" data-value="-1.5">-1.5<`,
		`data-key="methods.1.log_likelihood" data-value="null">–<`,
		`<figure data-figure="calibration.svg">`, `aria-label="Calibration of the central intervals"`,
		`<th scope="row">bbb</th>`, `<td>20</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("cv.html lacks %s", want)
		}
	}
	if _, err := writeCVPage(dir, cvPageData{Columns: []string{"a"}, Rows: []cvPageRow{{Method: "m"}}}); err == nil {
		t.Error("a row without values: no error")
	}
	if _, err := writeCVPage(dir, cvPageData{Columns: []string{"a"}, ColumnKeys: []string{"a", "b"}}); err == nil {
		t.Error("two column keys for one column: no error")
	}
	if _, err := writeCVPage(dir, cvPageData{Figures: []cvPageFigure{{Name: "x.svg", SVG: []byte("<svg><script/></svg>")}}}); !errors.Is(err, errNotOurSVG) {
		t.Errorf("a foreign SVG: err = %v", err)
	}
}

func TestFormatPageNum(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{"60", "60"}, {"0.08333623677494878", "0.08334"}, {"53.98123", "53.98"}, {"-3.7121", "-3.712"},
		{"0.000116927522617275", "1.17e-04"}, {"null", "–"}, {"1e-06", "1.00e-06"}, {"2.5e7", "2.50e+07"}, {"0", "0"}, {"0.0", "0"},
	} {
		if got := formatPageNum(c.raw); got != c.want {
			t.Errorf("formatPageNum(%s) = %q, want %q", c.raw, got, c.want)
		}
	}
}

// BenchmarkWriteOscillatorPage times index.html for a -quick run's 15
// figures (about 1 MB of SVG): the cost the page adds to a run.
func BenchmarkWriteOscillatorPage(b *testing.B) {
	dir := b.TempDir()
	r := &oscRun{cfg: quickConfig, stdout: io.Discard, prog: newProgress(io.Discard, false), data: newOscData()}
	r.cfg.Out, r.cfg.Methods = dir, allSections
	r.res = &results{Settings: r.cfg, Sections: map[string]*sectionStats{}, Figures: []string{}}
	var groups []pageFigureGroup
	for _, name := range allSections {
		n0 := len(r.res.Figures)
		if err := sectionFuncs[name](r); err != nil {
			b.Fatal(err)
		}
		groups = append(groups, pageFigureGroup{Section: name, Figures: r.res.Figures[n0:]})
	}
	n := len(r.res.Figures)
	if err := r.saveComparison(); err != nil {
		b.Fatal(err)
	}
	groups = append(groups, closingGroups(r.res.Figures[n:], true)...)
	b.ResetTimer()
	for range b.N {
		if _, err := writeOscillatorPage(dir, r.res, groups); err != nil {
			b.Fatal(err)
		}
	}
}

// TestInlineSVGEscapesAttributes: an attribute value that holds markup once
// XML-unescaped (the plotting package writes none today) is escaped again.
func TestInlineSVGEscapesAttributes(t *testing.T) {
	in := `<svg xmlns="http://www.w3.org/2000/svg"><text class="a&quot; onload=&quot;x&gt;&lt;script&gt;" x="1">t&lt;/text&gt;&lt;script&gt;</text></svg>`
	out, err := inlineSVG([]byte(in), "p-", `alt" onload="x`)
	if err != nil {
		t.Fatal(err)
	}
	want := `<svg role="img" aria-label="alt&#34; onload=&#34;x"><text class="a&#34; onload=&#34;x&gt;&lt;script&gt;" x="1">t&lt;/text&gt;&lt;script&gt;</text></svg>`
	if string(out.markup) != want {
		t.Errorf("got  %s\nwant %s", out.markup, want)
	}
}

// TestOscillatorPageTakesNewSections: a section the page has no prose for
// (one another branch adds) and a figure drawn after the sections still get
// a heading and their figures, in run order.
func TestOscillatorPageTakesNewSections(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"data.svg", "newsec.svg", "oracle.svg"} {
		if err := os.WriteFile(filepath.Join(dir, f), hostileFigure("figure "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := &results{Settings: defaultConfig, Sections: map[string]*sectionStats{}, Figures: []string{"data.svg", "newsec.svg", "oracle.svg"}}
	groups := append([]pageFigureGroup{{Section: "data", Figures: []string{"data.svg"}}, {Section: "new_sec", Figures: []string{"newsec.svg"}}},
		closingGroups([]string{"oracle.svg"}, false)...)
	path, err := writeOscillatorPage(dir, res, groups)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	page := string(b)
	last := -1
	for _, want := range []string{`<h2 id="sec-data">`, `<h2 id="sec-new_sec">new sec</h2>`, `<figure data-figure="newsec.svg">`,
		`<h2 id="sec-oracle">The oracle ladder</h2>`, `<figure data-figure="oracle.svg">`, `<h2 id="sec-settings">`} {
		i := strings.Index(page, want)
		if i < 0 {
			t.Errorf("no %s", want)
			continue
		}
		if i < last {
			t.Errorf("%s out of order", want)
		}
		last = i
	}
	if strings.Contains(page, `id="sec-comparison"`) {
		t.Error("a comparison section without methods")
	}
	if g := closingGroups(nil, true); len(g) != 1 || g[0].Section != "comparison" {
		t.Errorf("one method, no comparison figure: groups %v", g)
	}
}
