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

// DropoutRateScore is one candidate rate of TrainMCDropoutSelect.
type DropoutRateScore struct {
	// Rate is the dropout probability p the candidate was trained with.
	Rate float64
	// HeldOutNLL is the mean negative log predictive density (nats per
	// row, in the target's units) of the candidate's MC-dropout predictive
	// N(mean, epistemic + aleatoric) at the held-out rows, after its noise
	// level was fitted on them; +Inf if its training diverged.
	HeldOutNLL float64
	// Epochs is the epoch count its held-out run stopped at (the best
	// held-out epoch; a refit trains that many); 0 if training diverged.
	Epochs int
}

// DropoutSelection reports the choice TrainMCDropoutSelect made.
type DropoutSelection struct {
	// Rate is the chosen dropout probability, one of the candidates'
	// Rate; Index is its position in the grid.
	Rate  float64
	Index int
	// Scores holds every candidate, in the order of the grid.
	Scores []DropoutRateScore
}

// TrainMCDropoutSelect trains MC dropout once per dropout probability in
// rates and keeps the one whose predictive scores the lowest held-out
// negative log-likelihood, as Gal & Ghahramani (2016, §5) choose the
// dropout rate on the UCI benchmarks by grid search on the log-likelihood
// of a validation fifth of the training rows (DefaultDropoutRates is their
// grid). Each candidate is trained as TrainMCDropout trains it with
// cfg.Dropout set to its rate (cfg.Dropout itself is ignored): on the same
// rows, held out and trained on, from the same cfg.Seed (common random
// numbers), stopping early on the held-out rows and fitting its noise
// variance on them. The criterion is then the held-out NLL of its
// MC-dropout predictive N(mean, epistemic + aleatoric) with that fitted
// noise — the likelihood the noise fit maximised. Ties go to the smaller
// rate; a candidate whose training diverges (ErrDiverged) scores +Inf and
// is not chosen unless every candidate diverges, when the error of the
// first is returned.
//
// With cfg.Validation.Refit the chosen held-out run is then passed to
// BeforeRefit and retrained on every row exactly as TrainMCDropout does, so
// the model returned predicts bit for bit as TrainMCDropout with
// cfg.Dropout = the chosen rate. Candidates train in parallel (up to
// GOMAXPROCS at a time); the choice and the model do not depend on the
// scheduling. cfg.Progress is called from the candidates' goroutines, one
// call at a time.
//
// Errors: ErrInvalidParameter if rates is empty, a rate (named by its
// index) is NaN or outside (0, 1), samples < 1, or cfg.Validation holds no
// rows out (the choice needs them); otherwise those of TrainMCDropout, a
// candidate's wrapped with its index and rate.
func TrainMCDropoutSelect(ctx context.Context, x []float64, dim int, y []float64, cfg TrainConfig, samples int, rates []float64) (*MCDropout, DropoutSelection, error) {
	var sel DropoutSelection
	if len(rates) == 0 {
		return nil, sel, fmt.Errorf("bnn: mc dropout select: no dropout rates to choose from: %w", ErrInvalidParameter)
	}
	for i, p := range rates {
		if !(p > 0 && float32(p) < 1) {
			return nil, sel, fmt.Errorf("bnn: mc dropout select: rate %d is %v, want a probability in (0, 1): %w", i, p, ErrInvalidParameter)
		}
	}
	if samples < 1 {
		return nil, sel, fmt.Errorf("bnn: mc dropout select: %d samples: %w", samples, ErrInvalidParameter)
	}
	if !cfg.Validation.active() {
		return nil, sel, fmt.Errorf("bnn: mc dropout select: no held-out rows to choose the dropout rate on (set Validation.Fraction, or Validation.X and Y): %w", ErrInvalidParameter)
	}
	cfg.Dropout = rates[0] // validated like the candidates' configs
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
	cands := make([]*MCDropout, len(rates))
	fails := make([]error, len(rates))
	sel.Scores = make([]DropoutRateScore, len(rates))
	logScale := math.Log(sc.yScale)
	err = parallelFor(ctx, len(rates), 0, func(_, i int) error {
		c := cfg
		c.Dropout = rates[i]
		d, held, err := trainMCDropoutHeld(ctx, &c, sc, xs, ys, dim, samples, progress)
		sel.Scores[i] = DropoutRateScore{Rate: rates[i], HeldOutNLL: math.Inf(1)}
		if errors.Is(err, ErrDiverged) {
			fails[i] = err // scores +Inf
			return nil
		}
		if err != nil {
			return fmt.Errorf("bnn: mc dropout select: rate %d (%g): %w", i, rates[i], err)
		}
		cands[i] = d
		sel.Scores[i].HeldOutNLL = d.heldOutNLL(held) + logScale
		sel.Scores[i].Epochs = d.net.bestEpoch
		return nil
	})
	if err != nil {
		return nil, sel, err
	}
	sel.Index = chooseDropoutRate(sel.Scores)
	if sel.Index < 0 {
		for i, e := range fails {
			if e != nil {
				return nil, sel, fmt.Errorf("bnn: mc dropout select: rate %d (%g): %w", i, rates[i], e)
			}
		}
		return nil, sel, fmt.Errorf("bnn: mc dropout select: no rate has a finite held-out NLL (rate 0: %v): %w", sel.Scores[0].HeldOutNLL, ErrNonFinite)
	}
	sel.Rate = rates[sel.Index]
	c := cfg
	c.Dropout = sel.Rate
	m, err := refitMCDropout(ctx, &c, sc, xs, ys, dim, cands[sel.Index], progress)
	if err != nil {
		return nil, sel, err
	}
	return m, sel, nil
}

// chooseDropoutRate returns the index of the lowest finite HeldOutNLL,
// ties going to the smaller rate (then the earlier index), or −1 if none is
// finite.
func chooseDropoutRate(scores []DropoutRateScore) int {
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
