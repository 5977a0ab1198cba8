package bnn

import (
	"context"
	"fmt"
)

// MCDropout is Monte-Carlo dropout (Gal & Ghahramani, 2016): a network
// trained with dropout whose dropout stays on at prediction, averaged over
// Samples stochastic passes. The predictive variance is the population
// variance of the pass means (epistemic) plus the mean noise variance of the
// passes (aleatoric: learned with LossGaussian; with LossMSE the fixed
// TrainConfig.NoiseStd or else the mean squared residual of the network with
// dropout off — on the held-out rows, refined with the MC spread, when
// TrainConfig.Validation holds some out, else on the training rows). Predictions are deterministic: the masks of the
// chunk of rows starting at row r come from the stream (Seed, r), so a
// row's prediction depends on Seed, Samples and its position in x. It is safe
// for concurrent use as long as Samples and Seed are not changed meanwhile.
type MCDropout struct {
	net *Network
	// Samples is the number of stochastic passes T (≥ 1).
	Samples int
	// Seed seeds the dropout masks drawn at prediction.
	Seed uint64
}

// TrainMCDropout trains one network with cfg (cfg.Dropout must be in (0, 1))
// and returns it as an MC-dropout model taking samples passes per
// prediction, seeded from cfg.Seed. With cfg.Validation the noise
// variance 1/τ (unless fixed by NoiseStd) is the one that maximises the
// held-out likelihood of the MC predictive N(mean, epistemic + 1/τ), so the
// band is set on rows the network did not fit.
//
// Gal & Ghahramani (2016, eq. 7 and §5) tie the model precision τ to the
// dropout probability p, the prior length-scale l, the number of training
// rows N and the weight decay λ: λ = (1−p)·l²/(2Nτ), i.e.
// τ = (1−p)·l²/(2Nλ). Here τ is instead estimated on held-out data (or
// learned, LossGaussian), which their §5.1 also does by grid search; their
// dropout rate p, chosen by the same search, is TrainMCDropoutSelect's.
// Errors are those of Train, or
// ErrInvalidParameter if cfg.Dropout is 0 or samples < 1.
func TrainMCDropout(ctx context.Context, x []float64, dim int, y []float64, cfg TrainConfig, samples int) (*MCDropout, error) {
	if cfg.Dropout == 0 {
		return nil, fmt.Errorf("bnn: mc dropout: dropout probability is 0: %w", ErrInvalidParameter)
	}
	if samples < 1 {
		return nil, fmt.Errorf("bnn: mc dropout: %d samples: %w", samples, ErrInvalidParameter)
	}
	sc, xs, ys, err := prepareTrainingData(x, dim, y, &cfg)
	if err != nil {
		return nil, err
	}
	d, _, err := trainMCDropoutHeld(ctx, &cfg, sc, xs, ys, dim, samples, cfg.Progress)
	if err != nil {
		return nil, err
	}
	return refitMCDropout(ctx, &cfg, sc, xs, ys, dim, d, cfg.Progress)
}

// trainMCDropoutHeld trains the held-out run of MC dropout on the
// standardised rows (xs, ys) and, when rows are held out, fits its noise
// variance on them; it returns those rows (n = 0 without validation).
func trainMCDropoutHeld(ctx context.Context, cfg *TrainConfig, sc nnScaler, xs, ys []float32, dim, samples int, progress func(int, float64)) (*MCDropout, nnHeldOut, error) {
	net, held, err := trainNetworkHeld(ctx, cfg, cfg.Seed, sc, xs, ys, len(ys), dim, progress)
	if err != nil {
		return nil, held, err
	}
	d := &MCDropout{net: net, Samples: samples, Seed: nnMemberSeed(cfg.Seed, -1)}
	if held.n > 0 && (cfg.Loss == LossGaussian || cfg.NoiseStd == 0) {
		d.fitHeldOutNoise(held)
	}
	return d, held, nil
}

// refitMCDropout returns d unchanged unless cfg.Validation asks for a
// refit; then it calls BeforeRefit with d and retrains on every row for
// d's best epoch count, keeping d's noise level, Samples and Seed.
func refitMCDropout(ctx context.Context, cfg *TrainConfig, sc nnScaler, xs, ys []float32, dim int, d *MCDropout, progress func(int, float64)) (*MCDropout, error) {
	if !cfg.Validation.refit() {
		return d, nil
	}
	if err := cfg.Validation.beforeRefit("mc dropout", d); err != nil {
		return nil, err
	}
	xs, ys = refitRows(&cfg.Validation, &sc, xs, ys)
	refitted, err := refitNetwork(ctx, cfg, sc, xs, ys, len(ys), dim, d.net, progress)
	if err != nil {
		return nil, err
	}
	return &MCDropout{net: refitted, Samples: d.Samples, Seed: d.Seed}, nil
}

// Rate returns the dropout probability p the network was trained with and
// predicts with (as stored: rounded to float32).
func (d *MCDropout) Rate() float64 { return float64(d.net.mlp.dropout) }

// Network returns the trained network (its own PredictTo has dropout off).
func (d *MCDropout) Network() *Network { return d.net }

// InputDim returns the number of features per row.
func (d *MCDropout) InputDim() int { return d.net.InputDim() }

// PredictTo writes the MC-dropout predictive mean and total standard
// deviation of each row of x (row-major, InputDim columns) into mean and
// std, in target units. It returns ErrShape for inconsistent lengths,
// ErrNonFinite naming the row and ErrInvalidParameter if Samples < 1.
func (d *MCDropout) PredictTo(mean, std, x []float64) error {
	return finiteOutputs(d.predict(mean, std, nil, x), mean, std)
}

func (d *MCDropout) predict(mean, epi, ale, x []float64) error {
	dim := d.InputDim()
	n, err := checkPredictArgs(dim, mean, epi, x)
	if err == nil && ale != nil && len(ale) != n {
		err = fmt.Errorf("bnn: predict: %d aleatoric stds for %d rows: %w", len(ale), n, ErrShape)
	}
	if err == nil && d.Samples < 1 {
		err = fmt.Errorf("bnn: mc dropout: %d samples: %w", d.Samples, ErrInvalidParameter)
	}
	if err != nil {
		return err
	}
	net := d.net
	w := net.getWork()
	defer net.putWork(w)
	sc := &net.scale
	var mu, v [nnPredictChunk]float64
	for s := 0; s < n; s += nnPredictChunk {
		c := min(s+nnPredictChunk, n) - s
		sc.inputs(w.xs, x[s*dim:(s+c)*dim])
		w.wk.rng = newGaussRNG(d.Seed, uint64(s))
		var acc nnMixtureMoments
		acc.reset(mean[s:s+c], epi[s:s+c])
		for range d.Samples {
			net.heads(mu[:], v[:], w.wk, w.xs, c, true)
			acc.add(mu[:c], v[:c])
		}
		acc.finish(sc, ale, s)
	}
	return nil
}

func (d *MCDropout) modelKind() string { return modelKindDropout }

// appendModelPayload writes the network payload, Samples and Seed.
func (d *MCDropout) appendModelPayload(w *modelWriter) {
	d.net.appendModelPayload(w)
	w.u64(uint64(d.Samples))
	w.u64(d.Seed)
}

// nnMaxSamples bounds a decoded MC sample count.
const nnMaxSamples = 1 << 30

func decodeMCDropout(r *modelReader) (Regressor, error) {
	net, err := decodeNetwork(r)
	if err != nil {
		return nil, err
	}
	samples, seed := r.u64(), r.u64()
	if r.err != nil {
		return nil, r.err
	}
	if samples < 1 || samples > nnMaxSamples {
		return nil, fmt.Errorf("%d samples: %w", samples, ErrCorruptModel)
	}
	return &MCDropout{net: net, Samples: int(samples), Seed: seed}, nil
}
