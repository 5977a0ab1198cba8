package bnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// nnHeldOut is a set of standardised held-out rows.
type nnHeldOut struct {
	x, y []float32
	n    int
}

// nnValMonitor evaluates the held-out NLL after each epoch and keeps the
// parameters of the best epoch.
type nnValMonitor struct {
	held      nnHeldOut
	wk        *mlpWork
	loss      Loss
	settings  Validation
	best      []float32
	bestScore float64
	bestEpoch int
}

func newNNValMonitor(m *MLP, held nnHeldOut, loss Loss, settings Validation) *nnValMonitor {
	return &nnValMonitor{
		held: held, wk: newMLPWork(m, held.n, gaussRNG{}), loss: loss, settings: settings,
		best: make([]float32, len(m.params)), bestScore: math.Inf(1),
	}
}

// score returns the held-out criterion of m (dropout off): the mean
// Gaussian NLL for LossGaussian, and for LossMSE the mean squared error,
// which orders epochs as the NLL with the noise variance set to it does.
func (v *nnValMonitor) score(m *MLP) float64 {
	h := v.held
	out := m.forward(v.wk, h.x, h.n, false)
	var s float64
	for i, y := range h.y {
		if v.loss == LossGaussian {
			r := float64(out[2*i]) - float64(y)
			lv := float64(out[2*i+1])
			s += 0.5 * (lv + r*r*math.Exp(-lv))
		} else {
			r := float64(out[i]) - float64(y)
			s += r * r
		}
	}
	return s / float64(h.n)
}

// observe scores the epoch and reports whether training should stop.
func (v *nnValMonitor) observe(m *MLP, epoch int) bool {
	sc := v.score(m)
	if sc < v.bestScore { // a NaN score never improves
		v.bestScore, v.bestEpoch = sc, epoch
		copy(v.best, m.params)
		return false
	}
	return v.settings.stop(epoch, v.bestEpoch)
}

// restore puts the best epoch's parameters back (if any epoch scored).
func (v *nnValMonitor) restore(m *MLP) {
	if v.bestEpoch > 0 {
		copy(m.params, v.best)
	}
}

// heldOutRows returns the held-out rows cfg asks for, standardised with
// sc, and the rows left to train on (xs, ys unchanged without validation).
func heldOutRows(cfg *TrainConfig, splitSeed uint64, sc *nnScaler, xs, ys []float32, n, dim int) (trainX, trainY []float32, held nnHeldOut) {
	v := &cfg.Validation
	switch {
	case len(v.Y) > 0:
		held = nnHeldOut{x: make([]float32, len(v.X)), y: make([]float32, len(v.Y)), n: len(v.Y)}
		sc.inputs(held.x, v.X)
		sc.targets(held.y, v.Y)
		return xs, ys, held
	case v.Fraction > 0:
		tr, va := validationSplit(n, v.heldOut(n), splitSeed)
		trainX, trainY = gatherRows(xs, ys, dim, tr)
		held.x, held.y = gatherRows(xs, ys, dim, va)
		held.n = len(va)
		return trainX, trainY, held
	}
	return xs, ys, held
}

// trainNetworkHeld trains one network on n standardised rows. With a
// validation set it trains on the rows not held out, stops early on the
// held-out NLL and estimates the noise on the held-out rows; it returns
// those rows (n = 0 without validation) for callers that refine the noise
// further (MC dropout, ensembles). splitSeed seeds the held-out rows.
func trainNetworkHeld(ctx context.Context, cfg *TrainConfig, splitSeed uint64, sc nnScaler, xs, ys []float32, n, dim int, progress func(int, float64)) (*Network, nnHeldOut, error) {
	xs, ys, held := heldOutRows(cfg, splitSeed, &sc, xs, ys, n, dim)
	n = len(ys)
	m, err := NewMLP(cfg.mlpConfig(dim), rand.New(rand.NewPCG(cfg.Seed, nnStreamInit)))
	if err != nil {
		return nil, held, err
	}
	capRows := n
	if cfg.BatchSize > 0 && cfg.BatchSize < n {
		capRows = cfg.BatchSize
	}
	t, err := newNNTrainer(m, cfg, capRows)
	if err != nil {
		return nil, held, err
	}
	if held.n > 0 {
		t.val = newNNValMonitor(m, held, cfg.Loss, cfg.Validation)
	}
	if err := t.run(ctx, cfg, xs, ys, n, dim, progress); err != nil {
		return nil, held, err
	}
	bestEpoch := cfg.Epochs
	if t.val != nil {
		bestEpoch = max(t.val.bestEpoch, 1)
	}
	// Each epoch's loss is taken before its last update, so the final update
	// can still blow the network up unseen: check its outputs on the
	// training rows.
	net := &Network{mlp: m, scale: sc, loss: cfg.Loss, bestEpoch: bestEpoch}
	resVar, finite := net.trainingResidual(xs, ys, n)
	if !finite {
		return nil, held, fmt.Errorf("bnn: train: the network's outputs are not finite after training: %w", ErrDiverged)
	}
	if held.n > 0 {
		r2, _, ale := net.heldOutResiduals(held)
		if cfg.Loss == LossMSE {
			resVar = fitNoiseFactor(r2, nil, ale) * net.noiseVar
		} else {
			net.scaleNoise(fitNoiseFactor(r2, nil, ale))
		}
	}
	if cfg.Loss == LossMSE {
		if cfg.NoiseStd > 0 {
			net.noiseVar = (cfg.NoiseStd / sc.yScale) * (cfg.NoiseStd / sc.yScale)
		} else {
			net.noiseVar = max(resVar, nnMinResidualVar)
		}
	}
	return net, held, nil
}

// heldOutResiduals returns, for the standardised held-out rows, the squared
// residuals of the deterministic network (dropout off), its means and its
// noise variances (for LossMSE the current noiseVar; callers fitting a
// factor set noiseVar to 1 first or scale the result).
func (net *Network) heldOutResiduals(h nnHeldOut) (r2, mu, ale []float64) {
	if net.loss == LossMSE && net.noiseVar == 0 {
		net.noiseVar = 1
	}
	w := net.getWork()
	defer net.putWork(w)
	d := net.mlp.sizes[0]
	r2, mu, ale = make([]float64, h.n), make([]float64, h.n), make([]float64, h.n)
	for s := 0; s < h.n; s += nnPredictChunk {
		e := min(s+nnPredictChunk, h.n)
		net.heads(mu[s:e], ale[s:e], w.wk, h.x[s*d:e*d], e-s, false)
	}
	for i, y := range h.y {
		r := mu[i] - float64(y)
		r2[i] = r * r
	}
	return r2, mu, ale
}

// scaleNoise multiplies the network's noise variance by c > 0: noiseVar for
// LossMSE, and for LossGaussian the log-variance head's bias gains log c,
// so that every row's learned variance is multiplied by c.
func (net *Network) scaleNoise(c float64) {
	if !(c > 0) || math.IsInf(c, 0) {
		return
	}
	if net.noiseFactor == 0 {
		net.noiseFactor = 1
	}
	net.noiseFactor *= c
	if net.loss == LossMSE {
		net.noiseVar = max(net.noiseVar*c, nnMinResidualVar)
		return
	}
	_, b := mlpViews(net.mlp.sizes, net.mlp.params)
	last := b[len(b)-1]
	last[1] += float32(math.Log(c))
}

// refit reports whether the settings ask for a refit on every row.
func (v *Validation) refit() bool { return v.Refit && (v.Fraction > 0 || len(v.Y) > 0) }

// refitRows returns the standardised rows a refit trains on: xs and ys
// (every training row) and, when the validation rows are explicit, those
// rows too, standardised with sc (fitted on the training rows).
func refitRows(v *Validation, sc *nnScaler, xs, ys []float32) ([]float32, []float32) {
	if len(v.Y) == 0 {
		return xs, ys
	}
	hx, hy := make([]float32, len(v.X)), make([]float32, len(v.Y))
	sc.inputs(hx, v.X)
	sc.targets(hy, v.Y)
	return append(slices.Clip(xs), hx...), append(slices.Clip(ys), hy...)
}

// refitNetwork retrains on all n standardised rows for held's best epoch
// count, with the same seed, and gives the result held's noise level: the
// noise variance of an MSE network, the correction factor of a learned one.
func refitNetwork(ctx context.Context, cfg *TrainConfig, sc nnScaler, xs, ys []float32, n, dim int, held *Network, progress func(int, float64)) (*Network, error) {
	c := *cfg
	c.Validation = Validation{}
	c.Epochs = max(held.bestEpoch, 1)
	net, _, err := trainNetworkHeld(ctx, &c, c.Seed, sc, xs, ys, n, dim, progress)
	if err != nil {
		return nil, err
	}
	if net.loss == LossMSE {
		net.noiseVar = held.noiseVar
	} else if held.noiseFactor > 0 {
		net.scaleNoise(held.noiseFactor)
	}
	return net, nil
}
