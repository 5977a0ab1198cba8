package main

import "fmt"

// cvPageData is what cv.html shows, as plain data, so "bnn cv" can fill it
// from its report without the page knowing the report's types.
type cvPageData struct {
	// Data and Target are the CSV file and its target column (user text).
	Data, Target string
	// Settings are (name, value) rows of the run's settings table.
	Settings [][2]string
	// Columns name the metrics (the headers); every row has one value per
	// column. ColumnKeys, if set, are the columns' paths under a row's Key
	// in cv.json (e.g. "rmse.mean"); empty means Columns.
	Columns, ColumnKeys []string
	Rows                []cvPageRow
	// Figures are SVG documents written by the plotting package
	// (calibration.svg), inlined in order.
	Figures []cvPageFigure
}

// cvPageRow is one method's metrics. Key is the row's place in cv.json
// (e.g. "methods.0"); each cell's data-key is Key + "." + its column key.
type cvPageRow struct {
	Method string
	Key    string
	Values []float64
}

// cvPageFigure is one figure: its file name, SVG bytes and caption (empty:
// the figure's own title).
type cvPageFigure struct {
	Name, Caption string
	SVG           []byte
}

// cvPageText is cv.html's paragraph.
const cvPageText = "Each method is fitted on part of the rows and scored on the rows it did not see, over several splits: error (RMSE), the mean test log-likelihood (higher is better), CRPS (lower is better), and how often the truth falls inside the central intervals. A calibrated method's observed coverage equals the nominal level, which puts its calibration curve on the diagonal."

// writeCVPage writes cv.html into dir in the style of index.html: the
// metrics table per method, the figures and the settings. It returns the
// page's path. A row with the wrong number of values is an error.
func writeCVPage(dir string, p cvPageData) (string, error) {
	keys := p.ColumnKeys
	if keys == nil {
		keys = p.Columns
	}
	if len(keys) != len(p.Columns) {
		return "", fmt.Errorf("bnn: page: cv: %d column keys for %d columns", len(keys), len(p.Columns))
	}
	t := &pageTable{Caption: "Cross-validated metrics per method (cv.json)", Corner: "method", Columns: p.Columns}
	for i, r := range p.Rows {
		if len(r.Values) != len(p.Columns) {
			return "", fmt.Errorf("bnn: page: cv row %d (%s) has %d values for %d columns", i, r.Method, len(r.Values), len(p.Columns))
		}
		row := pageRow{Label: r.Method}
		for j, v := range r.Values {
			num := floatPageNum(joinKey(r.Key, keys[j]), v)
			row.Cells = append(row.Cells, pageCell{Num: &num})
		}
		t.Rows = append(t.Rows, row)
	}
	sec := pageSection{ID: "sec-cv", Name: "cv", Title: "Cross-validation: " + p.Target + " in " + p.Data, Text: cvPageText, Tables: []*pageTable{t}}
	for i, f := range p.Figures {
		fig, err := newPageFigure(i, f.Name, f.SVG, f.Caption)
		if err != nil {
			return "", err
		}
		sec.Figures = append(sec.Figures, fig)
	}
	settings := &pageTable{Caption: "Settings of this run", Corner: "setting", Columns: []string{"value"}}
	for _, kv := range p.Settings {
		settings.Rows = append(settings.Rows, pageRow{Label: kv[0], Cells: []pageCell{{Text: kv[1]}}})
	}
	doc := &pageDoc{
		Title:    "bnn cv: " + p.Target + " in " + p.Data,
		Lead:     "Out-of-sample scores and calibration of every method on " + p.Data + ", target column " + p.Target + ".",
		Sections: []pageSection{sec},
		Settings: settings,
	}
	path := pagePath(dir, "cv.html")
	if err := writePage(path, doc); err != nil {
		return "", err
	}
	return path, nil
}

// writeCVReportPage writes cv.html for a "bnn cv" report beside cv.json and
// calibration.svg (already written into dir): one row per method with the
// means and standard errors of the scores, the coverage at every level and
// the fit and predict times, each cell keyed by its path in cv.json.
func writeCVReportPage(dir string, rep *cvReport, calibrationSVG []byte) (string, error) {
	p := cvPageData{
		Data: rep.Data, Target: rep.Target,
		Columns:    []string{"RMSE", "± se", "test log-lik. (nats)", "± se", "CRPS", "± se"},
		ColumnKeys: []string{"rmse.mean", "rmse.se", "log_likelihood.mean", "log_likelihood.se", "crps.mean", "crps.se"},
		Settings: [][2]string{
			{"protocol", rep.Protocol},
			{"splits", fmt.Sprint(rep.Splits)},
			{"test fraction", fmt.Sprint(rep.TestFraction)},
			{"rows × features", fmt.Sprintf("%d × %d", rep.Rows, rep.Features)},
			{"seed", fmt.Sprint(rep.Seed)},
		},
		Figures: []cvPageFigure{{Name: "calibration.svg", SVG: calibrationSVG}},
	}
	for i, l := range rep.Levels {
		p.Columns = append(p.Columns, fmt.Sprintf("coverage %g %%", 100*l))
		p.ColumnKeys = append(p.ColumnKeys, fmt.Sprintf("coverage.%d", i))
	}
	p.Columns = append(p.Columns, "coverage ±2σ", "fit s", "predict s")
	p.ColumnKeys = append(p.ColumnKeys, "coverage_2sigma", "fit_seconds", "predict_seconds")
	for i, m := range rep.Methods {
		v := []float64{m.RMSE.Mean, m.RMSE.SE, m.LogLik.Mean, m.LogLik.SE, m.CRPS.Mean, m.CRPS.SE}
		v = append(v, m.Coverage...)
		v = append(v, m.Coverage2Sigma, m.FitSeconds, m.PredictSeconds)
		p.Rows = append(p.Rows, cvPageRow{Method: m.Method, Key: fmt.Sprintf("methods.%d", i), Values: v})
	}
	return writeCVPage(dir, p)
}
