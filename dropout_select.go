package bnn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
)

// DefaultDropoutRates returns the dropout probabilities Gal & Ghahramani
// (2016, §5; their UCI experiments) search per split: 0.005, 0.01, 0.05 and
// 0.1. A new slice each call.
func DefaultDropoutRates() []float64 { return []float64{0.005, 0.01, 0.05, 0.1} }

// DropoutCandidate is one MC-dropout setting TrainMCDropoutSelect tries.
type DropoutCandidate struct {
	// Rate is the dropout probability p, in (0, 1).
	Rate float64
	// Heteroscedastic trains a variance head by the Gaussian NLL
	// (LossGaussian with TrainConfig.Heteroscedastic: the aleatoric noise a
	// function of the input, Kendall & Gal 2017, "What uncertainties do we
	// need in Bayesian deep learning for computer vision?") in place of
	// cfg's Loss and Heteroscedastic; false keeps cfg's.
	Heteroscedastic bool
}

// DropoutGrid returns the candidates of every rate with each of the noise
// models heteroscedastic lists (false: cfg's loss; true: a variance head),
// rate-major; with no noise model given, cfg's loss alone. A new slice each
// call.
func DropoutGrid(rates []float64, heteroscedastic ...bool) []DropoutCandidate {
	if len(heteroscedastic) == 0 {
		heteroscedastic = []bool{false}
	}
	out := make([]DropoutCandidate, 0, len(rates)*len(heteroscedastic))
	for _, p := range rates {
		for _, h := range heteroscedastic {
			out = append(out, DropoutCandidate{Rate: p, Heteroscedastic: h})
		}
	}
	return out
}

// DropoutScore is one candidate of TrainMCDropoutSelect and its score.
type DropoutScore struct {
	DropoutCandidate
	// HeldOutNLL is the mean negative log predictive density (nats per
	// row, in the target's units) of the candidate's MC-dropout predictive
	// N(mean, epistemic + aleatoric) at the held-out rows, after its noise
	// level was fitted on them; +Inf if its training diverged.
	HeldOutNLL float64
	// HeldOutSE is the standard error of HeldOutNLL minus the lowest
	// candidate's, from their per-row differences (0 for the lowest, +Inf
	// if training diverged): the yardstick of the one-standard-error rule.
	HeldOutSE float64
	// Epochs is the epoch count its held-out run stopped at (the best
	// held-out epoch; a refit trains that many); 0 if training diverged.
	Epochs int
}

// DropoutSelection reports the choice TrainMCDropoutSelect made: the
// chosen candidate, its position Index in the candidates, and every
// candidate's score in their order.
type DropoutSelection struct {
	DropoutCandidate
	Index  int
	Scores []DropoutScore
}

// TrainMCDropoutSelect trains MC dropout once per candidate (a dropout
// probability and a noise model) and keeps one whose predictive scores the
// lowest held-out negative log-likelihood, as Gal & Ghahramani (2016, §5)
// choose the dropout rate on the UCI benchmarks by grid search on the
// log-likelihood of a validation fifth of the training rows
// (DefaultDropoutRates is their grid; DropoutGrid builds candidates). Each
// candidate is trained as TrainMCDropout trains it with cfg.Dropout set to
// its rate (cfg.Dropout itself is ignored) and, if it is Heteroscedastic,
// cfg.Loss = LossGaussian with cfg.Heteroscedastic: on the same rows, held
// out and trained on, from the same cfg.Seed (common random numbers),
// stopping early on the held-out rows and fitting its noise variance on
// them. The criterion is then the held-out NLL of its MC-dropout predictive
// N(mean, epistemic + aleatoric) with that fitted noise — the likelihood the
// noise fit maximised, comparable across noise models.
//
// A few dozen held-out rows rank close candidates by chance, so the choice
// follows the one-standard-error rule (Breiman et al. 1984; Hastie,
// Tibshirani & Friedman 2009, §7.10): the earliest candidate whose held-out
// NLL exceeds the lowest by at most one standard error of their per-row
// difference. List the candidates from the one to prefer when the data
// cannot tell them apart (DropoutGrid puts a rate's constant noise before
// its variance head). Among equal lowest scores the smaller rate, then the
// earlier candidate, is the lowest. A candidate whose training diverges
// (ErrDiverged) scores +Inf and is not chosen unless every candidate
// diverges, when the error of the first is returned.
//
// With cfg.Validation.Refit the chosen held-out run is then passed to
// BeforeRefit and retrained on every row exactly as TrainMCDropout does, so
// the model returned predicts bit for bit as TrainMCDropout with
// the chosen candidate's settings. Candidates train in parallel (up to
// GOMAXPROCS at a time); the choice and the model do not depend on the
// scheduling. cfg.Progress is called from the candidates' goroutines, one
// call at a time.
//
// Errors: ErrInvalidParameter if cands is empty, a candidate's rate (named
// by its index) is NaN or outside (0, 1), samples < 1, or cfg.Validation
// holds no rows out (the choice needs them); otherwise those of
// TrainMCDropout, a candidate's wrapped with its index and rate.
func TrainMCDropoutSelect(ctx context.Context, x []float64, dim int, y []float64, cfg TrainConfig, samples int, cands []DropoutCandidate) (*MCDropout, DropoutSelection, error) {
	var sel DropoutSelection
	if len(cands) == 0 {
		return nil, sel, fmt.Errorf("bnn: mc dropout select: no candidates to choose from: %w", ErrInvalidParameter)
	}
	for i, c := range cands {
		if !(c.Rate > 0 && float32(c.Rate) < 1) {
			return nil, sel, fmt.Errorf("bnn: mc dropout select: candidate %d: rate %v, want a probability in (0, 1): %w", i, c.Rate, ErrInvalidParameter)
		}
	}
	if samples < 1 {
		return nil, sel, fmt.Errorf("bnn: mc dropout select: %d samples: %w", samples, ErrInvalidParameter)
	}
	if !cfg.Validation.active() {
		return nil, sel, fmt.Errorf("bnn: mc dropout select: no held-out rows to choose the dropout rate on (set Validation.Fraction, or Validation.X and Y): %w", ErrInvalidParameter)
	}
	cfg.Dropout = cands[0].Rate // validated like the candidates' configs
	sc, xs, ys, err := prepareTrainingData(x, dim, y, &cfg)
	if err != nil {
		return nil, sel, err
	}
	progress := cfg.Progress
	if progress != nil {
		var mu sync.Mutex
		progress = func(epoch int, loss float64) {
			mu.Lock()
			defer mu.Unlock()
			cfg.Progress(epoch, loss)
		}
	}
	models := make([]*MCDropout, len(cands))
	rows := make([][]float64, len(cands)) // per-row held-out NLLs
	fails := make([]error, len(cands))
	sel.Scores = make([]DropoutScore, len(cands))
	logScale := math.Log(sc.yScale)
	err = parallelFor(ctx, len(cands), 0, func(_, i int) error {
		c := cands[i].Config(cfg)
		d, held, err := trainMCDropoutHeld(ctx, &c, sc, xs, ys, dim, samples, progress)
		sel.Scores[i] = DropoutScore{DropoutCandidate: cands[i], HeldOutNLL: math.Inf(1)}
		if errors.Is(err, ErrDiverged) {
			fails[i] = err // scores +Inf
			return nil
		}
		if err != nil {
			return fmt.Errorf("bnn: mc dropout select: candidate %d (%v): %w", i, cands[i], err)
		}
		models[i] = d
		rows[i] = d.heldOutNLLRows(held)
		var sum float64
		for _, v := range rows[i] {
			sum += v
		}
		sel.Scores[i].HeldOutNLL = sum/float64(len(rows[i])) + logScale
		sel.Scores[i].Epochs = d.net.bestEpoch
		return nil
	})
	if err != nil {
		return nil, sel, err
	}
	sel.Index = chooseDropout(sel.Scores, rows)
	if sel.Index < 0 {
		for i, e := range fails {
			if e != nil {
				return nil, sel, fmt.Errorf("bnn: mc dropout select: candidate %d (%v): %w", i, cands[i], e)
			}
		}
		return nil, sel, fmt.Errorf("bnn: mc dropout select: no candidate has a finite held-out NLL (candidate 0: %v): %w", sel.Scores[0].HeldOutNLL, ErrNonFinite)
	}
	sel.DropoutCandidate = cands[sel.Index]
	c := sel.Config(cfg)
	m, err := refitMCDropout(ctx, &c, sc, xs, ys, dim, models[sel.Index], progress)
	if err != nil {
		return nil, sel, err
	}
	return m, sel, nil
}

// Config returns cfg with the candidate's rate and noise model: the
// settings TrainMCDropout trains the candidate with.
func (c DropoutCandidate) Config(cfg TrainConfig) TrainConfig {
	cfg.Dropout = c.Rate
	if c.Heteroscedastic {
		cfg.Loss, cfg.Heteroscedastic = LossGaussian, true
	}
	return cfg
}

// String formats the candidate as "p = 0.05" or "p = 0.05, heteroscedastic".
func (c DropoutCandidate) String() string {
	if c.Heteroscedastic {
		return fmt.Sprintf("p = %g, heteroscedastic", c.Rate)
	}
	return fmt.Sprintf("p = %g", c.Rate)
}

// chooseDropout fills the scores' HeldOutSE and returns the index the
// one-standard-error rule picks (see TrainMCDropoutSelect) from the
// per-row held-out NLLs rows (nil for a diverged candidate), or −1 if no
// score is finite.
func chooseDropout(scores []DropoutScore, rows [][]float64) int {
	best := lowestDropoutScore(scores)
	if best < 0 {
		return -1
	}
	chosen := -1
	for i := range scores {
		scores[i].HeldOutSE = math.Inf(1)
		if rows[i] == nil || math.IsNaN(scores[i].HeldOutNLL) || math.IsInf(scores[i].HeldOutNLL, 0) {
			continue
		}
		n := float64(len(rows[i]))
		var m, ss float64
		for k, v := range rows[i] {
			m += v - rows[best][k]
		}
		m /= n
		for k, v := range rows[i] {
			e := v - rows[best][k] - m
			ss += e * e
		}
		se := 0.0
		if n > 1 {
			se = math.Sqrt(ss / (n - 1) / n)
		}
		scores[i].HeldOutSE = se
		if chosen < 0 && (i == best || m <= se) {
			chosen = i
		}
	}
	return chosen
}

// lowestDropoutScore returns the index of the lowest finite HeldOutNLL,
// ties going to the smaller rate (then the earlier index), or −1 if none is
// finite.
func lowestDropoutScore(scores []DropoutScore) int {
	best := -1
	for i, s := range scores {
		if math.IsNaN(s.HeldOutNLL) || math.IsInf(s.HeldOutNLL, 0) {
			continue
		}
		if best < 0 || s.HeldOutNLL < scores[best].HeldOutNLL ||
			(s.HeldOutNLL == scores[best].HeldOutNLL && s.Rate < scores[best].Rate) {
			best = i
		}
	}
	return best
}
