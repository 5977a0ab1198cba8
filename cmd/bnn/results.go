package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// jfloat is a float64 that encodes NaN and ±Inf as JSON null.
type jfloat float64

// MarshalJSON writes the number, or null when it is not finite.
func (f jfloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// results is the content of results.json; the README documents the schema.
type results struct {
	Settings oscConfig                `json:"settings"`
	Sections map[string]*sectionStats `json:"sections"`
	Figures  []string                 `json:"figures"`
	Data     *dataSummary             `json:"data,omitempty"`
	Grid     *gridSummary             `json:"grid,omitempty"`
	NUTS     *nutsSummary             `json:"nuts,omitempty"`
	Evidence *evidenceSummary         `json:"evidence,omitempty"`
	VI       *viSummary               `json:"vi,omitempty"`
	Methods  map[string]*methodResult `json:"methods,omitempty"`
	Oracle   map[string]*oracleEntry  `json:"oracle,omitempty"`
}

// sectionStats records one section's wall time.
type sectionStats struct {
	Seconds jfloat `json:"seconds"`
}

// dataSummary describes the oscillator data every section shares.
type dataSummary struct {
	Theta     [2]float64 `json:"theta_true"`
	NoiseStd  float64    `json:"noise_std"`
	NTrain    int        `json:"n_train"`
	TrainSpan [2]float64 `json:"train_span"`
	EvalSpan  [2]float64 `json:"eval_span"`
	NEval     int        `json:"n_eval"`
}

// gridSummary is the grid posterior over (ζ, ωₙ): the refined grid's,
// with the seed's fixed grid under "seed_grid".
type gridSummary struct {
	Mean        [2]jfloat     `json:"mean"`
	Std         [2]jfloat     `json:"std"`
	MAP         [2]jfloat     `json:"map"`
	Cells       [2]int        `json:"cells"`
	Span        [2][2]float64 `json:"span"`
	CellsPerStd [2]jfloat     `json:"cells_per_std"`
	Rounds      int           `json:"refine_rounds,omitempty"`
	Evaluations int           `json:"evaluations,omitempty"`
	SeedGrid    *gridSummary  `json:"seed_grid,omitempty"`
}

// evidenceSummary is the log evidence of polynomial degrees 0–9.
type evidenceSummary struct {
	Degrees     []int    `json:"degrees"`
	LogEvidence []jfloat `json:"log_evidence"`
	BestDegree  int      `json:"best_degree"`
}

// viSummary is the scalar Gaussian VI fit q(θ) = N(mu, sigma²).
type viSummary struct {
	Mu    jfloat `json:"mu"`
	Sigma jfloat `json:"sigma"`
	ELBO  jfloat `json:"elbo"`
}

// methodResult holds a surrogate's timings and predictive metrics on the
// interpolation (0–6 s) and extrapolation (6–8 s) windows.
type methodResult struct {
	TrainSeconds   jfloat        `json:"train_seconds"`
	PredictSeconds jfloat        `json:"predict_seconds"`
	Interp         windowMetrics `json:"interp"`
	Extrap         windowMetrics `json:"extrap"`
	// RHatMax and ESSBulkMin are the hmc method's largest R̂ and smallest
	// bulk ESS over its predictions at the evaluation times.
	RHatMax    *jfloat `json:"rhat_max,omitempty"`
	ESSBulkMin *jfloat `json:"ess_bulk_min,omitempty"`
}

// windowMetrics compares a predictive mean and std with the true trajectory.
type windowMetrics struct {
	RMSE     jfloat `json:"rmse"`
	MeanStd  jfloat `json:"mean_std"`
	Coverage jfloat `json:"coverage_2sigma"`
	NLL      jfloat `json:"nll"`
	CRPS     jfloat `json:"crps"`
}

// writeResults writes res as indented JSON to dir/results.json.
func writeResults(dir string, res *results) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("bnn: encode results: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("bnn: write results: %w", err)
	}
	return nil
}
