package bnn

import (
	"context"
	"fmt"
	"math"
)

// BNNHMCResult is a NUTS run over a BNN's weights with its function-space
// diagnostics: because the network's permutation and sign symmetries make
// weight-space R̂ meaningless, convergence is judged on the noise-free
// predictions f(xₖ; θ) at evaluation inputs xₖ.
type BNNHMCResult struct {
	// MCMC holds the weight draws and sampler statistics.
	MCMC *MCMCResult
	// Predictions[c][i][k] is f(xₖ) under draw i of chain c.
	Predictions [][][]float64
	// RHat, ESSBulk and ESSTail are the rank-normalised split-R̂ and the
	// bulk and tail effective sample sizes of the predictions at every
	// evaluation input (Vehtari et al. 2021).
	RHat, ESSBulk, ESSTail []float64
	// Mean and Std are the pooled mean and std of the predictions (the
	// latent function's posterior, without the observation noise), per
	// evaluation input.
	Mean, Std []float64
}

// SampleBNN runs SampleNUTS on the posterior p (one workspace per chain,
// cfg.NewLogJoint is set here) and evaluates the predictions of every kept
// draw at the evaluation inputs evalX (rows of p.Inputs() features) with
// their diagnostics. cfg.Transforms must be nil. It returns the errors of
// NewPredictor and SampleNUTS, ErrInvalidParameter for transforms, and
// ErrNonFinite when a draw is not finite.
func SampleBNN(ctx context.Context, p *BNNPosterior, evalX []float64, cfg NUTSConfig) (*BNNHMCResult, error) {
	if cfg.Transforms != nil {
		return nil, fmt.Errorf("bnn: sample bnn: the weights are unconstrained; transforms given: %w", ErrInvalidParameter)
	}
	pred, err := p.NewPredictor(evalX)
	if err != nil {
		return nil, err
	}
	cfg.NewLogJoint = p.NewLogJoint
	res, err := SampleNUTS(ctx, p.Dim(), nil, cfg)
	if err != nil {
		return nil, err
	}
	m := pred.Len()
	out := &BNNHMCResult{MCMC: res, Predictions: make([][][]float64, len(res.Draws))}
	for c, ch := range res.Draws {
		buf := make([]float64, len(ch)*m)
		out.Predictions[c] = make([][]float64, len(ch))
		for i, th := range ch {
			row := buf[i*m : (i+1)*m : (i+1)*m]
			if err := pred.PredictTo(row, th); err != nil {
				return nil, fmt.Errorf("bnn: sample bnn: chain %d draw %d: %w", c, i, err)
			}
			out.Predictions[c][i] = row
		}
	}
	out.RHat, out.ESSBulk, out.ESSTail = make([]float64, m), make([]float64, m), make([]float64, m)
	out.Mean, out.Std = make([]float64, m), make([]float64, m)
	col := make([][]float64, len(res.Draws))
	for c := range col {
		col[c] = make([]float64, len(res.Draws[c]))
	}
	for k := range m {
		n, sum := 0, 0.0
		for c, ch := range out.Predictions {
			for i, f := range ch {
				col[c][i] = f[k]
				sum += f[k]
				n++
			}
		}
		mean := sum / float64(n)
		ss := 0.0
		for _, ch := range col {
			for _, v := range ch {
				ss += (v - mean) * (v - mean)
			}
		}
		out.Mean[k], out.Std[k] = mean, math.Sqrt(ss/float64(max(1, n-1)))
		if out.RHat[k], err = RHat(col); err != nil {
			return nil, fmt.Errorf("bnn: sample bnn: evaluation input %d: %w", k, err)
		}
		if out.ESSBulk[k], err = ESSBulk(col); err != nil {
			return nil, fmt.Errorf("bnn: sample bnn: evaluation input %d: %w", k, err)
		}
		if out.ESSTail[k], err = ESSTail(col); err != nil {
			return nil, fmt.Errorf("bnn: sample bnn: evaluation input %d: %w", k, err)
		}
	}
	return out, nil
}

// MaxRHat returns the largest R̂ over the evaluation inputs k in [from, to).
func (r *BNNHMCResult) MaxRHat(from, to int) float64 {
	m := 0.0
	for _, v := range r.RHat[from:to] {
		m = max(m, v)
	}
	return m
}

// MinESSBulk returns the smallest bulk ESS over the evaluation inputs k in
// [from, to).
func (r *BNNHMCResult) MinESSBulk(from, to int) float64 {
	m := math.Inf(1)
	for _, v := range r.ESSBulk[from:to] {
		m = min(m, v)
	}
	return m
}
