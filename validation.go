package bnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Validation holds rows out of training to stop it early and to estimate
// the noise level, so that the predictive band is set on data the model
// did not fit. It is part of TrainConfig and BBBConfig; the zero value
// holds nothing out (training runs every epoch and the noise comes from
// the training fit, as before).
//
// With a validation set, training evaluates the held-out negative
// log-likelihood after every epoch, stops when it has not improved for
// Patience epochs (Epochs stays the upper bound), and restores the weights
// of the best epoch (Prechelt 1998, "Early stopping — but when?"). The
// noise level is then estimated on the held-out rows, never on the
// training residual: the noise variance of an MSE network is the held-out
// mean squared error; a learned (LossGaussian, or BBBConfig.LearnNoise)
// noise variance is multiplied by the factor that maximises the held-out
// likelihood; for MC dropout and Bayes by Backprop that factor is fitted
// with the epistemic spread included, so that the total band is the one
// the held-out rows support.
type Validation struct {
	// Fraction in [0, 1) of the training rows to hold out, chosen by a
	// permutation drawn from the config's Seed (ensemble members each
	// hold out their own rows, from their own seeds). 0 means none.
	Fraction float64
	// X (row-major, the training data's columns) and Y are explicit
	// held-out rows, in the caller's units. When set they are used instead
	// of Fraction and every training row is trained on.
	X, Y []float64
	// Patience is the number of epochs without a better held-out NLL after
	// which training stops; 0 means DefaultPatience.
	Patience int
	// MinEpochs is a warm-up: training does not stop before this many
	// epochs, however long the held-out NLL has not improved (variational
	// training first spends a plateau shrinking its weight variances and
	// noise, which plain patience can mistake for convergence). The warm-up's
	// epochs are still scored and can be the best. 0 means none.
	MinEpochs int
	// Refit retrains on every row — the training rows and, when X and Y
	// are explicit, those rows too — for the number of epochs the
	// held-out run found best, once the noise level has been set on the
	// held-out rows; the refitted model keeps that noise level (for a
	// learned noise, the same correction factor). So no row is lost to the
	// early stopping, at the cost of a second, shorter training run (the
	// protocol of Goodfellow, Bengio & Courville 2016, §7.8, alg. 7.2).
	// A calibration fitted on the held-out rows belongs to the held-out
	// run's model; carry it to the refitted one with the wrappers' WithInner
	// (the refitted model has seen those rows, so they cannot calibrate it).
	// Bayes by Backprop ignores Refit.
	Refit bool
	// BeforeRefit, if set, is called with Refit once the held-out run's
	// model is trained and its noise level set, before the refit replaces
	// it (an *Ensemble, *MCDropout or *Network): the place to fit a
	// calibration on the held-out rows, to be carried to the refitted
	// model with WithInner, without training the held-out run twice. The
	// refit leaves that model as it is. An error stops training and is
	// returned.
	BeforeRefit func(heldOutRun Regressor) error
}

// beforeRefit calls BeforeRefit, if set, with the held-out run's model m.
func (v *Validation) beforeRefit(area string, m Regressor) error {
	if v.BeforeRefit == nil {
		return nil
	}
	if err := v.BeforeRefit(m); err != nil {
		return fmt.Errorf("bnn: %s: before the refit: %w", area, err)
	}
	return nil
}

// DefaultPatience is the early-stopping patience a zero Validation.Patience means.
const DefaultPatience = 20

// MinValidationRows is the fewest rows a held-out set (and the rows left to
// train on) may have: fewer cannot estimate a noise level.
const MinValidationRows = 5

// active reports whether any rows are held out.
func (v *Validation) active() bool { return v.Fraction > 0 || len(v.Y) > 0 }

// stop reports whether training should stop after epoch, the best so far being best.
func (v *Validation) stop(epoch, best int) bool {
	return epoch >= v.MinEpochs && epoch-best >= v.patience()
}

func (v *Validation) patience() int {
	if v.Patience == 0 {
		return DefaultPatience
	}
	return v.Patience
}

// validate checks the settings against the input width dim (explicit rows)
// and the number n of training rows; area names the caller in errors.
func (v *Validation) validate(area string, n, dim int) error {
	if !(v.Fraction >= 0 && v.Fraction < 1) {
		return fmt.Errorf("bnn: %s: validation fraction %v must be in [0, 1): %w", area, v.Fraction, ErrInvalidParameter)
	}
	if v.Patience < 0 || v.MinEpochs < 0 {
		return fmt.Errorf("bnn: %s: patience %d, min epochs %d: %w", area, v.Patience, v.MinEpochs, ErrInvalidParameter)
	}
	if len(v.Y) > 0 || len(v.X) > 0 {
		if len(v.X) != len(v.Y)*dim {
			return fmt.Errorf("bnn: %s: %d validation features for %d validation targets of %d columns: %w", area, len(v.X), len(v.Y), dim, ErrShape)
		}
		if len(v.Y) < MinValidationRows {
			return fmt.Errorf("bnn: %s: %d validation rows, need at least %d: %w", area, len(v.Y), MinValidationRows, ErrEmpty)
		}
		if err := checkFiniteRows(v.X, dim); err != nil {
			return fmt.Errorf("bnn: %s: validation: %w", area, err)
		}
		for i, y := range v.Y {
			if math.IsNaN(y) || math.IsInf(y, 0) {
				return fmt.Errorf("bnn: %s: validation target row %d is %v: %w", area, i, y, ErrNonFinite)
			}
		}
		return nil
	}
	if v.Fraction > 0 {
		if h := v.heldOut(n); h < MinValidationRows || n-h < MinValidationRows {
			need := max(2*MinValidationRows, int(math.Ceil(MinValidationRows/v.Fraction)))
			return fmt.Errorf("bnn: %s: %d rows hold out %d for validation at fraction %g; at least %d are needed (%d held out and %d to train on): %w",
				area, n, h, v.Fraction, need, MinValidationRows, MinValidationRows, ErrEmpty)
		}
	}
	return nil
}

// heldOut is the number of rows Fraction holds out of n (rounded to nearest).
func (v *Validation) heldOut(n int) int { return int(math.Round(v.Fraction * float64(n))) }

// nnStreamValid is the PCG stream of the validation permutation.
const nnStreamValid = 0x6e6e2d76616c69 // "nn-vali"

// validationSplit returns the indices of the rows (of n) to train on and
// to hold out, from a permutation seeded by seed; both are sorted so that
// the training rows keep their order.
func validationSplit(n, held int, seed uint64) (train, val []int) {
	perm := rand.New(rand.NewPCG(seed, nnStreamValid)).Perm(n)
	isVal := make([]bool, n)
	for _, i := range perm[:held] {
		isVal[i] = true
	}
	train, val = make([]int, 0, n-held), make([]int, 0, held)
	for i := range n {
		if isVal[i] {
			val = append(val, i)
		} else {
			train = append(train, i)
		}
	}
	return train, val
}

// gatherRows copies rows idx of x (dim columns) and y into new slices.
func gatherRows[T float32 | float64](x, y []T, dim int, idx []int) (xs, ys []T) {
	xs, ys = make([]T, len(idx)*dim), make([]T, len(idx))
	for r, i := range idx {
		copy(xs[r*dim:(r+1)*dim], x[i*dim:(i+1)*dim])
		ys[r] = y[i]
	}
	return xs, ys
}

// fitNoiseFactor returns the factor c > 0 that maximises the Gaussian
// likelihood of residuals r (r2 = r²) under variances epi + c·ale, i.e.
// minimises Σ log(epiᵢ + c·aleᵢ) + r2ᵢ/(epiᵢ + c·aleᵢ). With epi = 0 the
// answer is the closed form mean(r2/ale). Otherwise a scan over log c
// from 10⁻⁶ to 10⁶ brackets the minimum and a golden-section search refines
// it. epi may be nil (zero).
func fitNoiseFactor(r2, epi, ale []float64) float64 {
	if epi == nil {
		var s float64
		for i, v := range r2 {
			s += v / ale[i]
		}
		return s / float64(len(r2))
	}
	f := func(logc float64) float64 {
		c := math.Exp(logc)
		var s float64
		for i, v := range r2 {
			t := epi[i] + c*ale[i]
			s += math.Log(t) + v/t
		}
		return s
	}
	const lo, hi, steps = -6 * math.Ln10, 6 * math.Ln10, 96
	h := (hi - lo) / steps
	best, bestF := lo, math.Inf(1)
	for k := 0; k <= steps; k++ {
		if v := f(lo + float64(k)*h); v < bestF {
			best, bestF = lo+float64(k)*h, v
		}
	}
	a, b := best-h, best+h
	const g = 0.6180339887498949
	c1, c2 := b-g*(b-a), a+g*(b-a)
	f1, f2 := f(c1), f(c2)
	for range 40 {
		if f1 < f2 {
			b, c2, f2 = c2, c1, f1
			c1 = b - g*(b-a)
			f1 = f(c1)
		} else {
			a, c1, f1 = c1, c2, f2
			c2 = a + g*(b-a)
			f2 = f(c2)
		}
	}
	return math.Exp((a + b) / 2)
}
