package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromiumArgs run headless Chromium without a network, a profile of its
// own and no background traffic.
func chromiumArgs(profile string, extra ...string) []string {
	return append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile}, extra...)
}

// dumpDOM loads the file at path in headless Chromium and returns the DOM
// it built, serialised. The test skips where Chromium is not installed.
func dumpDOM(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium; .ci/run installs it): the page is not checked in a browser")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, chromiumArgs(t.TempDir(), "--dump-dom", "file://"+abs)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return string(out)
}

// TestPageInChromium renders a run's index.html in headless Chromium and
// checks the DOM it built: every section's heading, every figure the run
// wrote as a non-empty inline SVG with alt text, the numbers equal to
// results.json, and nothing external or scripted.
func TestPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	dir, _, res := runQuick(t, tinyFlags...)
	dom := dumpDOM(t, filepath.Join(dir, "index.html"))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("no document from chromium:\n%.500s", dom)
	}

	var headings []string
	for _, s := range res["settings"].(map[string]any)["methods"].([]any) {
		headings = append(headings, s.(string))
	}
	headings = append(headings, "comparison", "settings")
	for _, s := range headings {
		m := regexp.MustCompile(`<h2 id="sec-` + regexp.QuoteMeta(s) + `">([^<]+)</h2>`).FindStringSubmatch(dom)
		if m == nil || strings.TrimSpace(m[1]) == "" {
			t.Errorf("section %s: no heading in the DOM", s)
		}
	}

	figures := res["figures"].([]any)
	if len(figures) < 10 {
		t.Errorf("only %d figures in results.json", len(figures))
	}
	for _, f := range figures {
		name := f.(string)
		i := strings.Index(dom, `<figure data-figure="`+name+`">`)
		if i < 0 {
			t.Errorf("figure %s: not in the DOM", name)
			continue
		}
		fig := dom[i:]
		fig = fig[:strings.Index(fig, "</figure>")]
		svg := regexp.MustCompile(`<svg role="img" aria-label="([^"]+)"`).FindStringSubmatch(fig)
		if svg == nil {
			t.Errorf("figure %s: no inline <svg> with alt text", name)
			continue
		}
		paths, rects := strings.Count(fig, "<path "), strings.Count(fig, "<rect ")
		if paths < 3 || rects < 2 || !strings.Contains(fig, "<text ") {
			t.Errorf("figure %s looks empty: %d paths, %d rects", name, paths, rects)
		}
		if !strings.Contains(fig, "<figcaption>") {
			t.Errorf("figure %s: no caption", name)
		}
	}

	raw, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkPageNumbers(t, dom, raw)

	lower := strings.ToLower(dom)
	for _, bad := range []string{"<script", "<link", "<iframe", `src="http`, `href="http`, "@import"} {
		if strings.Contains(lower, bad) {
			t.Errorf("the DOM has %s: not self-contained", bad)
		}
	}
	if !strings.Contains(dom, "<table>") || !strings.Contains(dom, `<th scope="row">bnn</th>`) {
		t.Error("no comparison table in the DOM")
	}
	var rj map[string]any
	if err := json.Unmarshal(raw, &rj); err != nil || rj["methods"] == nil {
		t.Errorf("results.json has no methods: %v", err)
	}
}

// TestCVPageInChromium renders cv.html from synthetic data in Chromium.
func TestCVPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	page := writeHostileCVPage(t, `<script>alert("x")</script>`)
	path := filepath.Join(t.TempDir(), "cv.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := dumpDOM(t, path)
	if strings.Contains(strings.ToLower(dom), "<script") {
		t.Error("a <script> element in cv.html's DOM")
	}
	for _, want := range []string{`<h2 id="sec-cv">`, `<figure data-figure="calibration.svg">`, `data-key="methods.0.rmse" data-value="0.5">0.5<`} {
		if !strings.Contains(dom, want) {
			t.Errorf("cv.html's DOM lacks %s", want)
		}
	}
}
