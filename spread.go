package bnn

import (
	"fmt"
	"math"
)

// SpreadPredictor is a Regressor whose predictive spread splits into an
// epistemic part (uncertainty about the function: the spread of ensemble
// members, dropout passes or weight draws) and an aleatoric part (the
// observation noise). The package's convention is standard deviations
// everywhere, in target units: the total predictive std that PredictTo
// returns is hypot(epistemicStd, aleatoricStd), i.e. the variances add.
// Ensemble, MCDropout and BayesianMLP implement it.
type SpreadPredictor interface {
	Regressor
	// PredictSpreadTo writes the predictive mean, the epistemic std and the
	// aleatoric std of each row of x (row-major, InputDim columns) into
	// mean, epistemicStd and aleatoricStd (each of length n), in target
	// units. It returns the errors of PredictTo, and ErrShape when the
	// output lengths differ.
	PredictSpreadTo(mean, epistemicStd, aleatoricStd, x []float64) error
}

// checkSpreadArgs checks that the three outputs have one length.
func checkSpreadArgs(mean, epi, ale []float64) error {
	if len(epi) != len(mean) || len(ale) != len(mean) {
		return fmt.Errorf("bnn: predict: %d means, %d epistemic and %d aleatoric stds: %w", len(mean), len(epi), len(ale), ErrShape)
	}
	return nil
}

// PredictSpreadTo implements SpreadPredictor: the mixture mean, the
// epistemic std (the population std of the member means) and the aleatoric
// std (the square root of the mean of the member noise variances).
func (e *Ensemble) PredictSpreadTo(mean, epistemicStd, aleatoricStd, x []float64) error {
	if err := checkSpreadArgs(mean, epistemicStd, aleatoricStd); err != nil {
		return err
	}
	return finiteOutputs(e.predict(mean, epistemicStd, aleatoricStd, x), mean, epistemicStd, aleatoricStd)
}

// PredictSpreadTo implements SpreadPredictor: the MC mean, the epistemic
// std (the population std of the pass means) and the aleatoric std (the
// square root of the mean noise variance of the passes).
func (d *MCDropout) PredictSpreadTo(mean, epistemicStd, aleatoricStd, x []float64) error {
	if err := checkSpreadArgs(mean, epistemicStd, aleatoricStd); err != nil {
		return err
	}
	return finiteOutputs(d.predict(mean, epistemicStd, aleatoricStd, x), mean, epistemicStd, aleatoricStd)
}

// PredictSpreadTo implements SpreadPredictor with PredictSamples draws
// seeded by Seed: the mean, the epistemic std (the unbiased spread of the
// network output over the draws) and the aleatoric std NoiseStd.
func (m *BayesianMLP) PredictSpreadTo(mean, epistemicStd, aleatoricStd, x []float64) error {
	if err := checkSpreadArgs(mean, epistemicStd, aleatoricStd); err != nil {
		return err
	}
	if err := m.PredictiveTo(mean, epistemicStd, nil, x, m.PredictSamples, m.Seed); err != nil {
		return err
	}
	for i := range aleatoricStd {
		aleatoricStd[i] = m.NoiseStd
	}
	return nil
}

// Compile-time checks of the convention.
var (
	_ SpreadPredictor = (*Ensemble)(nil)
	_ SpreadPredictor = (*MCDropout)(nil)
	_ SpreadPredictor = (*BayesianMLP)(nil)
)

// totalStd returns hypot(epistemic, aleatoric), the total std of the convention.
func totalStd(epistemic, aleatoric float64) float64 { return math.Hypot(epistemic, aleatoric) }
