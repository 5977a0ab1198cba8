package bnn

// Regressor is a trained probabilistic regression model: for each input row it
// gives a Gaussian predictive distribution (mean and total standard deviation,
// in the units of the training targets). Stochastic models (MC dropout,
// Bayes-by-Backprop) draw their Monte-Carlo samples from a seed stored in the
// model, so PredictTo is deterministic. Every model this package can save
// implements it.
type Regressor interface {
	// InputDim returns the number of features per input row.
	InputDim() int
	// PredictTo writes the predictive mean and standard deviation for the rows
	// of x (row-major, len(x) = n·InputDim()) into mean and std (each of
	// length n). It returns ErrShape for inconsistent lengths and ErrNonFinite
	// (naming the row) for NaN or ±Inf features.
	PredictTo(mean, std, x []float64) error
}
