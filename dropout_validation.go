package bnn

import (
	"context"
	"fmt"
	"math"
	"sync"
)

// fitHeldOutNoise multiplies the network's noise variance by the factor
// that maximises the held-out likelihood of the MC-dropout predictive
// N(mean, epistemic + c·aleatoric), in standardised units.
func (d *MCDropout) fitHeldOutNoise(h nnHeldOut) {
	net := d.net
	if net.loss == LossMSE && !(net.noiseVar > 0) {
		net.noiseVar = nnMinResidualVar
	}
	r2, epi, ale := d.heldOutPredictive(h)
	net.scaleNoise(fitNoiseFactor(r2, epi, ale))
}

// heldOutNLLRows returns the negative log density of each held-out row, in
// standardised target units, under the MC-dropout predictive N(mean,
// epistemic + aleatoric): the criterion TrainMCDropoutSelect ranks
// candidates by, with the same masks as fitHeldOutNoise.
func (d *MCDropout) heldOutNLLRows(h nnHeldOut) []float64 {
	r2, epi, ale := d.heldOutPredictive(h)
	for i, v := range r2 {
		t := epi[i] + ale[i]
		r2[i] = 0.5 * (math.Log(2*math.Pi*t) + v/t)
	}
	return r2
}

// heldOutPredictive returns, in standardised units, the squared residuals
// of the MC-dropout predictive mean at the held-out rows and its epistemic
// and aleatoric variances, with dropout masks from the stream
// Seed^nnStreamValid (not the prediction stream).
func (d *MCDropout) heldOutPredictive(h nnHeldOut) (r2, epi, ale []float64) {
	net := d.net
	dim := net.mlp.sizes[0]
	mean := make([]float64, h.n)
	epi, ale = make([]float64, h.n), make([]float64, h.n)
	w := net.getWork()
	ident := nnScaler{yScale: 1}
	var mu, v [nnPredictChunk]float64
	for s := 0; s < h.n; s += nnPredictChunk {
		c := min(s+nnPredictChunk, h.n) - s
		w.wk.rng = newGaussRNG(d.Seed^nnStreamValid, uint64(s))
		var acc nnMixtureMoments
		acc.reset(mean[s:s+c], epi[s:s+c])
		for range d.Samples {
			net.heads(mu[:], v[:], w.wk, h.x[s*dim:(s+c)*dim], c, true)
			acc.add(mu[:c], v[:c])
		}
		acc.finish(&ident, ale, s)
	}
	net.putWork(w)
	r2 = make([]float64, h.n)
	for i, y := range h.y {
		r := mean[i] - float64(y)
		r2[i] = r * r
		epi[i] *= epi[i]
		ale[i] *= ale[i]
	}
	return r2, epi, ale
}

// fitHeldOutNoise multiplies every member's noise variance by the factor
// that maximises the held-out likelihood of the mixture's moment-matched
// predictive N(mean, epistemic + c·aleatoric), in standardised units.
func (e *Ensemble) fitHeldOutNoise(h nnHeldOut) {
	dim := e.members[0].mlp.sizes[0]
	mean, epi, ale := make([]float64, h.n), make([]float64, h.n), make([]float64, h.n)
	ident := nnScaler{yScale: 1}
	var mu, v [nnPredictChunk]float64
	for _, net := range e.members {
		if net.loss == LossMSE && !(net.noiseVar > 0) {
			net.noiseVar = nnMinResidualVar
		}
	}
	w := e.members[0].getWork()
	for s := 0; s < h.n; s += nnPredictChunk {
		c := min(s+nnPredictChunk, h.n) - s
		var acc nnMixtureMoments
		acc.reset(mean[s:s+c], epi[s:s+c])
		for _, net := range e.members {
			net.heads(mu[:], v[:], w.wk, h.x[s*dim:(s+c)*dim], c, false)
			acc.add(mu[:c], v[:c])
		}
		acc.finish(&ident, ale, s)
	}
	e.members[0].putWork(w)
	r2 := make([]float64, h.n)
	for i, y := range h.y {
		r := mean[i] - float64(y)
		r2[i] = r * r
		epi[i] *= epi[i]
		ale[i] *= ale[i]
	}
	c := fitNoiseFactor(r2, epi, ale)
	for _, net := range e.members {
		net.scaleNoise(c)
	}
}

// refit retrains every member on all rows (Validation.Refit), one
// goroutine per member, keeping each member's held-out noise level.
func (e *Ensemble) refit(ctx context.Context, cfg *TrainConfig, sc nnScaler, xs, ys []float32, n, dim int, progress func(int, float64)) (*Ensemble, error) {
	nets := make([]*Network, len(e.members))
	errs := make([]error, len(e.members))
	var wg sync.WaitGroup
	for k, held := range e.members {
		wg.Go(func() {
			mc := *cfg
			mc.Seed = nnMemberSeed(cfg.Seed, k)
			nets[k], errs[k] = refitNetwork(ctx, &mc, sc, xs, ys, n, dim, held, progress)
		})
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("bnn: ensemble member %d: %w", k, err)
		}
	}
	return &Ensemble{members: nets}, nil
}
