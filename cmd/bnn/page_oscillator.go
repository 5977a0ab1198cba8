package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// pageSectionDoc is a section's heading and paragraph on index.html.
type pageSectionDoc struct {
	Title, Text string
	// Results are the top-level results.json keys whose numbers the
	// section shows (default: the section's own name, if present).
	Results []string
	// Method is the results.json "methods" key the section reports
	// (default: the section's own name, if present).
	Method string
}

// oscillatorPageDocs holds the prose of each section of index.html, in our
// words. A section that is not listed here (one added later) still gets its
// figures and the numbers under its name in results.json, under its name as
// the heading.
var oscillatorPageDocs = map[string]pageSectionDoc{
	"data": {Title: "The data: a noisy damped oscillator",
		Text: "Sixty noisy position readings of a damped oscillator, taken during the first six seconds, are all the methods below get to see. The black line is the true trajectory to eight seconds; the last two seconds (red) are never measured, so every method's behaviour there is extrapolation."},
	"dists": {Title: "Probability distributions",
		Text: "The building blocks of every model on this page: a histogram of Normal draws with its kernel density estimate, how the Normal's mean and variance move its density, and the Gamma, inverse-gamma and Uniform families used for positive scales and bounded parameters."},
	"grid": {Title: "Exact posterior on a grid", Results: []string{"grid"}, Method: "grid_posterior",
		Text: "With only two physical parameters, the damping ratio ζ and the natural frequency ωₙ, Bayes' rule can be evaluated exactly on a grid. The seed notebook's fixed grid is too coarse for how narrow the posterior is, so the grid is zoomed until each posterior standard deviation spans several cells. Pushing the posterior through the ODE gives a predictive that knows the physics, and stays honest when extrapolating."},
	"nuts": {Title: "Sampling the posterior with NUTS",
		Text: "The same two-parameter posterior, now sampled by the No-U-Turn sampler through the ODE solver's sensitivities instead of evaluated on a grid. Its draws should sit on the grid's contours; R̂ near 1 and large effective sample sizes say the chains agree."},
	"blr": {Title: "Bayesian linear regression and the evidence", Results: []string{"evidence"},
		Text: "A model linear in its weights has a Gaussian posterior in closed form. With more data the posterior over the weights narrows, the sampled lines agree and the predictive band tightens. The marginal likelihood (the evidence) scores polynomial degrees: too simple cannot fit, too flexible spreads its prior over fits the data rule out, and the evidence peaks in between."},
	"vi": {Title: "Variational inference",
		Text: "When the posterior has no closed form, variational inference fits the closest distribution from a simple family by maximising the evidence lower bound (ELBO). Here a single Gaussian meets a posterior with two modes: it picks one, and is confidently wrong about the other."},
	"bnn": {Title: "A Bayesian neural network",
		Text: "Bayes by Backprop puts a Gaussian over every weight of a two-layer network and trains the means and widths by maximising the ELBO. The network knows no physics: it interpolates the measurements well, and outside the training window its uncertainty is all it has to offer."},
	"ensemble": {Title: "Deep ensemble",
		Text: "Several networks trained from different random starts; their disagreement is the uncertainty. Where the data pin the function down they agree closely, which makes the band narrow, often narrower than the truth allows."},
	"dropout": {Title: "Monte-Carlo dropout",
		Text: "One network trained with dropout and kept stochastic at prediction: each pass drops different units, and the spread over many passes stands in for a posterior."},
	"hmc": {Title: "The BNN's posterior by Hamiltonian Monte Carlo",
		Text: "The network's weight posterior sampled with NUTS rather than approximated: the reference the cheaper approximations above are trying to match."},
	"comparison": {Title: "All methods side by side", Results: []string{"methods"},
		Text: "Every method's ±2σ band against the truth, with the metrics on the interpolation (0–6 s) and extrapolation (6–8 s) windows: error (RMSE), mean predicted std, how often the truth falls inside ±2σ, and the negative log-likelihood and CRPS of the truth under the predictive (lower is better)."},
	"oracle": {Title: "The oracle ladder", Results: []string{"oracle"},
		Text: "How far each approximation's predictive is from the references: the sampled BNN posterior and the physical model's exact posterior, window by window."},
}

// pageFigureGroup is the figures one section (or the run's closing step)
// wrote, in order.
type pageFigureGroup struct {
	Section string
	Figures []string
}

// writeOscillatorPage writes index.html into dir: one section per group of
// figures (the sections that ran, in order, then the comparison and any
// figure written after the sections), each with its paragraph, its numbers
// from res (through the same JSON encoding as results.json) and its figures
// read back from dir, then the settings and section times. It returns the
// page's path.
func writeOscillatorPage(dir string, res *results, groups []pageFigureGroup) (string, error) {
	raw, err := json.Marshal(res)
	if err != nil {
		return "", fmt.Errorf("bnn: page: encode results: %w", err)
	}
	root, err := parseJSONTree(raw)
	if err != nil {
		return "", err
	}
	doc := &pageDoc{
		Title: "bnn oscillator: from Bayes' rule to Bayesian neural networks",
		Lead:  "One run of the seed notebook on a noisy damped oscillator, section by section: what each method believes about the trajectory, and how well that belief holds up where there are no data. The numbers are the run's results.json; the figures are the SVG files next to this page.",
	}
	nfig := 0
	for _, g := range groups {
		sec, err := oscillatorSection(dir, root, g, &nfig)
		if err != nil {
			return "", err
		}
		doc.Sections = append(doc.Sections, sec)
	}
	settings := settingsTableOf(root.get("settings"), "settings", "Settings of this run (results.json \"settings\")")
	if secs := root.get("sections"); secs != nil {
		for i, name := range secs.keys {
			if s := secs.kids[i].get("seconds"); s != nil && s.numeric() {
				num := newPageNum("sections."+name+".seconds", s.text)
				settings.Rows = append(settings.Rows, pageRow{Label: "time of section " + name + " [s]", Cells: []pageCell{{Num: &num}}})
			}
		}
	}
	doc.Settings = settings
	path := pagePath(dir, "index.html")
	if err := writePage(path, doc); err != nil {
		return "", err
	}
	return path, nil
}

// oscillatorSection builds one section of index.html.
func oscillatorSection(dir string, root *jsonNode, g pageFigureGroup, nfig *int) (pageSection, error) {
	d, known := oscillatorPageDocs[g.Section]
	sec := pageSection{ID: "sec-" + g.Section, Name: g.Section, Title: d.Title, Text: d.Text}
	if !known {
		sec.Title = strings.ReplaceAll(g.Section, "_", " ")
	}
	results := d.Results
	if results == nil && root.get(g.Section) != nil && g.Section != "methods" {
		results = []string{g.Section}
	}
	for _, key := range results {
		n := root.get(key)
		switch {
		case n == nil:
		case key == "methods":
			sec.Tables = append(sec.Tables, tableOf(n, "methods", "Predictive metrics per method (results.json \"methods\")", "method", tableOrder))
		case isTableObject(n):
			sec.Tables = append(sec.Tables, tableOf(n, key, "results.json \""+key+"\"", "", nil))
		default:
			sec.Facts = append(sec.Facts, factsOf(n, key, "")...)
		}
	}
	method := d.Method
	if method == "" {
		method = g.Section
	}
	if m := root.get("methods").get(method); m != nil {
		sec.Facts = append(sec.Facts, factsOf(m, "methods."+method, "")...)
	}
	for _, name := range g.Figures {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return pageSection{}, fmt.Errorf("bnn: page: %w", err)
		}
		fig, err := newPageFigure(*nfig, name, b, "")
		if err != nil {
			return pageSection{}, err
		}
		*nfig++
		sec.Figures = append(sec.Figures, fig)
	}
	return sec, nil
}

// isTableObject reports whether n is an object whose members are all
// objects (one table row each), like results.json's "methods".
func isTableObject(n *jsonNode) bool {
	if n.kind != 'o' || len(n.kids) == 0 {
		return false
	}
	for _, k := range n.kids {
		if k.kind != 'o' {
			return false
		}
	}
	return true
}

// closingGroups makes one group of each figure written after the
// sections (the comparison, …), named by the file's stem, and adds an empty
// "comparison" group for the methods table when methods reported but no
// comparison figure was drawn (a single method).
func closingGroups(figures []string, haveMethods bool) []pageFigureGroup {
	var out []pageFigureGroup
	comparison := false
	for _, f := range figures {
		stem := strings.TrimSuffix(f, filepath.Ext(f))
		comparison = comparison || stem == "comparison"
		out = append(out, pageFigureGroup{Section: stem, Figures: []string{f}})
	}
	if haveMethods && !comparison {
		out = append([]pageFigureGroup{{Section: "comparison"}}, out...)
	}
	return out
}
