package bnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
)

// Loss selects the training objective of Train.
type Loss uint8

const (
	// LossMSE is the mean squared error of the mean head (PyTorch's F.mse_loss).
	LossMSE Loss = iota
	// LossGaussian is the mean Gaussian negative log-likelihood
	// ½(s + (y−μ)²e^{−s} + log 2π) of a mean head μ and a log-variance s:
	// a learned function of the input with Heteroscedastic, else one learned
	// constant (homoscedastic noise).
	LossGaussian
)

// OptimizerKind selects the optimiser Train uses.
type OptimizerKind uint8

const (
	// OptimAdam is Adam with bias correction (the default).
	OptimAdam OptimizerKind = iota
	// OptimSGD is stochastic gradient descent with optional momentum.
	OptimSGD
)

// Defaults of TrainConfig and BBBConfig (see DefaultTrainConfig).
const (
	// DefaultLearningRate is Adam's step size α = 1e-3, the value Kingma &
	// Ba (2015) recommend and PyTorch's torch.optim.Adam (and SGD) default.
	DefaultLearningRate = 1e-3
	// DefaultEpochs is 1/DefaultLearningRate: Adam moves each parameter by
	// at most about the learning rate per step, so 1000 full-batch steps
	// let a weight travel about one unit — the scale of weights on
	// standardised data.
	DefaultEpochs = 1000
)

// TrainConfig holds the settings of Train, TrainEnsemble and TrainMCDropout.
// A zero field means its documented default, as in log/slog, so the zero
// value equals DefaultTrainConfig(): a linear model (no hidden layers)
// trained on standardised data by full-batch Adam at DefaultLearningRate for
// DefaultEpochs epochs with the mean-squared-error loss and no dropout,
// weight decay or held-out rows. Negative or NaN values are errors naming
// the field.
type TrainConfig struct {
	// Hidden are the hidden-layer widths (nil means none: a linear model).
	Hidden []int
	// Activation follows every hidden layer (zero value: Tanh, the seed's).
	Activation Activation
	// Dropout is the inverted-dropout probability after each hidden layer,
	// in [0, 1) (default 0: none).
	Dropout float64
	// Loss is the objective (zero value: LossMSE); Heteroscedastic (LossGaussian only) adds a
	// log-variance output head so that the noise depends on the input.
	Loss            Loss
	Heteroscedastic bool
	// Optimizer (zero value: OptimAdam), LearningRate (> 0; 0 means
	// DefaultLearningRate, 1e-3), Momentum (SGD only, ≥ 0; default 0) and
	// WeightDecay (L2 added to the gradient, ≥ 0; default 0) configure the
	// updates.
	Optimizer    OptimizerKind
	LearningRate float64
	Momentum     float64
	WeightDecay  float64
	// LRHalfLife, if positive, decays the step size exponentially by
	// epoch: epoch e (from 1) steps with LearningRate·2^(−(e−1)/LRHalfLife),
	// the classic annealed step of stochastic approximation (Robbins &
	// Monro 1951; Bengio 2012, §3.1), so that late epochs settle instead of
	// bouncing at the mini-batch noise level. The schedule depends on the
	// epoch only, so a Validation.Refit for the best epoch count repeats
	// it. Zero (the default) keeps the step constant; it must be ≥ 0 and
	// finite.
	LRHalfLife float64
	// Epochs (≥ 1; 0 means DefaultEpochs, 1000) is the number of passes
	// over the data; BatchSize is the mini-batch size (0, or ≥ the number
	// of rows, means full batch).
	// Mini-batches follow a fresh permutation each epoch drawn from Seed.
	Epochs    int
	BatchSize int
	// Scaling selects input and target standardisation (zero value:
	// ScaleInputsAndTargets).
	Scaling Scaling
	// NoiseStd (LossMSE only, target units, ≥ 0) is the observation noise
	// standard deviation added to predictions; 0 means the root mean squared
	// residual of the fitted network (dropout off) on the held-out rows when
	// Validation holds some out, else on the training rows, floored at the
	// float32 resolution of the standardised targets (2⁻²³) so that a perfect
	// fit still gives a positive predictive std.
	NoiseStd float64
	// Validation optionally holds rows out to stop training early on their
	// NLL and to estimate the noise level on them (see Validation); the
	// zero value holds nothing out.
	Validation Validation
	// Seed determines the initialisation, the batch order, the dropout
	// masks and the held-out rows.
	Seed uint64
	// Progress, if set, is called after every epoch with the epoch (from 1)
	// and the mean training loss over that epoch, in standardised target
	// units. TrainEnsemble calls it from the member goroutines, one call at a time.
	Progress func(epoch int, loss float64)
}

// DefaultTrainConfig returns the defaults a zero TrainConfig stands for,
// written out: LearningRate DefaultLearningRate, Epochs DefaultEpochs and
// every other field zero (a linear model, Tanh, LossMSE, OptimAdam, full
// batch, ScaleInputsAndTargets, estimated noise, nothing held out, seed 0).
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{LearningRate: DefaultLearningRate, Epochs: DefaultEpochs}
}

// withDefaults returns c with every zero field that has a non-zero default
// replaced by it; validate checks the result.
func (c TrainConfig) withDefaults() TrainConfig {
	if c.LearningRate == 0 {
		c.LearningRate = DefaultLearningRate
	}
	if c.Epochs == 0 {
		c.Epochs = DefaultEpochs
	}
	return c
}

// validate replaces zero fields by their defaults (in place, so that the
// caller's copy is the one trained with) and checks the settings.
func (c *TrainConfig) validate() error {
	*c = c.withDefaults()
	if !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0) || float32(c.LearningRate) == 0 {
		return fmt.Errorf("bnn: train: LearningRate = %v must be positive and finite: %w", c.LearningRate, ErrInvalidParameter)
	}
	if c.Epochs < 1 {
		return fmt.Errorf("bnn: train: Epochs = %d: %w", c.Epochs, ErrInvalidParameter)
	}
	if c.BatchSize < 0 {
		return fmt.Errorf("bnn: train: batch size %d: %w", c.BatchSize, ErrInvalidParameter)
	}
	if !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) {
		return fmt.Errorf("bnn: train: weight decay %v: %w", c.WeightDecay, ErrInvalidParameter)
	}
	if !(c.LRHalfLife >= 0) || math.IsInf(c.LRHalfLife, 0) {
		return fmt.Errorf("bnn: train: LRHalfLife = %v epochs must be ≥ 0 and finite: %w", c.LRHalfLife, ErrInvalidParameter)
	}
	if !(c.Momentum >= 0) || math.IsInf(c.Momentum, 0) {
		return fmt.Errorf("bnn: train: momentum %v: %w", c.Momentum, ErrInvalidParameter)
	}
	if !(c.NoiseStd >= 0) || math.IsInf(c.NoiseStd, 0) {
		return fmt.Errorf("bnn: train: noise std %v: %w", c.NoiseStd, ErrInvalidParameter)
	}
	if c.Loss > LossGaussian || c.Optimizer > OptimSGD || c.Scaling > ScaleNone {
		return fmt.Errorf("bnn: train: unknown loss, optimiser or scaling: %w", ErrInvalidParameter)
	}
	if c.Heteroscedastic && c.Loss != LossGaussian {
		return fmt.Errorf("bnn: train: heteroscedastic noise needs LossGaussian: %w", ErrInvalidParameter)
	}
	return c.mlpConfig(1).validate()
}

func (c *TrainConfig) mlpConfig(dim int) MLPConfig {
	out := 1
	if c.Loss == LossGaussian {
		out = 2
	}
	return MLPConfig{Inputs: dim, Hidden: c.Hidden, Outputs: out, Activation: c.Activation, Dropout: c.Dropout}
}

// Streams of the PCG generators derived from a seed.
const (
	nnStreamInit    = 0x6e6e2d696e6974 // "nn-init"
	nnStreamShuffle = 0x6e6e2d73687566 // "nn-shuf"
	nnStreamDropout = 0x6e6e2d64726f70 // "nn-drop"
)

// nnTrainer owns everything one training run touches per step.
type nnTrainer struct {
	m      *MLP
	wk     *mlpWork
	opt    Optimizer
	loss   Loss
	homosc bool          // LossGaussian without Heteroscedastic: the log-variance head ignores its input
	val    *nnValMonitor // held-out early stopping, or nil
}

func newNNTrainer(m *MLP, cfg *TrainConfig, capRows int) (*nnTrainer, error) {
	t := &nnTrainer{m: m, loss: cfg.Loss, homosc: cfg.Loss == LossGaussian && !cfg.Heteroscedastic}
	t.wk = newMLPWork(m, capRows, newGaussRNG(cfg.Seed, nnStreamDropout))
	switch cfg.Optimizer {
	case OptimSGD:
		o, err := NewSGD(m.NumParams(), float32(cfg.LearningRate))
		if err != nil {
			return nil, err
		}
		o.Momentum, o.WeightDecay = float32(cfg.Momentum), float32(cfg.WeightDecay)
		t.opt = o
	default:
		o, err := NewAdam(m.NumParams(), float32(cfg.LearningRate))
		if err != nil {
			return nil, err
		}
		o.WeightDecay = float32(cfg.WeightDecay)
		t.opt = o
	}
	if t.homosc {
		t.zeroLogVarWeights(m.params)
	}
	return t, nil
}

// epochLearningRate is the step size of epoch (from 1) under cfg's
// LRHalfLife (see TrainConfig), rounded to the optimiser's float32.
func epochLearningRate(cfg *TrainConfig, epoch int) float32 {
	if cfg.LRHalfLife <= 0 {
		return float32(cfg.LearningRate)
	}
	return float32(cfg.LearningRate * math.Exp2(-float64(epoch-1)/cfg.LRHalfLife))
}

// setLearningRate sets the optimiser's step size.
func (t *nnTrainer) setLearningRate(lr float32) {
	switch o := t.opt.(type) {
	case *Adam:
		o.LR = lr
	case *SGD:
		o.LR = lr
	}
}

// zeroLogVarWeights zeroes the output-layer weights into the log-variance
// unit (column 1 of the last weight matrix, laid out like Params in v).
func (t *nnTrainer) zeroLogVarWeights(v []float32) {
	L := len(t.m.sizes) - 1
	w, _ := mlpViews(t.m.sizes, v)
	last := w[L-1]
	for i := 1; i < len(last); i += 2 {
		last[i] = 0
	}
}

// step runs one forward/backward pass on n rows and one optimiser update,
// returning the loss before the update.
func (t *nnTrainer) step(x, y []float32, n int) float64 {
	out := t.m.forward(t.wk, x, n, true)
	dout := t.wk.dout[:len(out)]
	var loss float64
	if t.loss == LossGaussian {
		loss = gaussianNLLGrad(dout, out, y[:n])
	} else {
		loss = mseGrad(dout, out, y[:n])
	}
	t.m.backward(t.wk, n)
	if t.homosc {
		last := t.wk.gw[len(t.wk.gw)-1]
		for i := 1; i < len(last); i += 2 {
			last[i] = 0
		}
	}
	t.opt.Step(t.m.params, t.wk.grad)
	return loss
}

// mseGrad returns mean((out−y)²) and writes its gradient with respect to out into dout.
func mseGrad(dout, out, y []float32) float64 {
	n := len(y)
	out, dout = out[:n], dout[:n]
	c := 2 / float32(n)
	var s float64
	for i, v := range y {
		r := out[i] - v
		s += float64(r * r)
		dout[i] = c * r
	}
	return s / float64(n)
}

// gaussianNLLGrad returns the mean Gaussian negative log-likelihood of y
// under (μ, log σ²) = (out[2i], out[2i+1]) and writes its gradient into dout.
func gaussianNLLGrad(dout, out, y []float32) float64 {
	n := len(y)
	out, dout = out[:2*n], dout[:2*n]
	inv := 1 / float32(n)
	var s float64
	for i, v := range y {
		mu, lv := out[2*i], out[2*i+1]
		r := mu - v
		prec := float32(math.Exp(float64(-lv)))
		rp := r * prec
		s += float64(lv) + float64(r*rp)
		dout[2*i] = inv * rp
		dout[2*i+1] = inv * 0.5 * (1 - r*rp)
	}
	return 0.5*s/float64(n) + 0.5*math.Log(2*math.Pi)
}

// run trains for cfg.Epochs epochs on n standardised rows of x (dim columns) and y.
func (t *nnTrainer) run(ctx context.Context, cfg *TrainConfig, x, y []float32, n, dim int, progress func(int, float64)) error {
	bs := cfg.BatchSize
	if bs == 0 || bs > n {
		bs = n
	}
	var perm []int
	var xb, yb []float32
	var shuffle *rand.Rand
	if bs < n {
		perm = make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		xb, yb = make([]float32, bs*dim), make([]float32, bs)
		shuffle = rand.New(rand.NewPCG(cfg.Seed, nnStreamShuffle))
	}
	done := ctx.Done()
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		if cfg.LRHalfLife > 0 {
			t.setLearningRate(epochLearningRate(cfg, epoch))
		}
		select {
		case <-done:
			return fmt.Errorf("bnn: train: stopped before epoch %d: %w", epoch, context.Cause(ctx))
		default:
		}
		var loss float64
		if bs == n {
			loss = t.step(x, y, n)
		} else {
			shuffle.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
			for s := 0; s < n; s += bs {
				e := min(s+bs, n)
				for r, i := range perm[s:e] {
					copy(xb[r*dim:(r+1)*dim], x[i*dim:(i+1)*dim])
					yb[r] = y[i]
				}
				loss += t.step(xb, yb, e-s) * float64(e-s)
			}
			loss /= float64(n)
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return fmt.Errorf("bnn: train: loss is %v at epoch %d: %w", loss, epoch, ErrDiverged)
		}
		if progress != nil {
			progress(epoch, loss)
		}
		if t.val != nil && t.val.observe(t.m, epoch) {
			break
		}
	}
	if t.val != nil {
		t.val.restore(t.m)
	}
	return nil
}

// Train fits one network to the rows of x (row-major, dim columns) and the
// targets y with the settings in cfg and returns it. It returns ErrShape,
// ErrEmpty or ErrNonFinite (naming the row) for bad data, ErrInvalidParameter
// for bad settings, ErrDiverged (naming the epoch) if the loss becomes NaN or
// ±Inf, and the context's error if ctx is cancelled.
func Train(ctx context.Context, x []float64, dim int, y []float64, cfg TrainConfig) (*Network, error) {
	sc, xs, ys, err := prepareTrainingData(x, dim, y, &cfg)
	if err != nil {
		return nil, err
	}
	net, err := trainNetwork(ctx, &cfg, sc, xs, ys, len(ys), dim, cfg.Progress)
	if err != nil || !cfg.Validation.refit() {
		return net, err
	}
	if err := cfg.Validation.beforeRefit("train", net); err != nil {
		return nil, err
	}
	xs, ys = refitRows(&cfg.Validation, &sc, xs, ys)
	return refitNetwork(ctx, &cfg, sc, xs, ys, len(ys), dim, net, cfg.Progress)
}

// prepareTrainingData validates cfg and the data, fits the scaler that
// cfg.Scaling asks for and returns the standardised float32 copies of x and y.
func prepareTrainingData(x []float64, dim int, y []float64, cfg *TrainConfig) (sc nnScaler, xs, ys []float32, err error) {
	if err := cfg.validate(); err != nil {
		return sc, nil, nil, err
	}
	n, err := checkRegressionData(x, dim, y)
	if err != nil {
		return sc, nil, nil, err
	}
	if err := cfg.Validation.validate("train", n, dim); err != nil {
		return sc, nil, nil, err
	}
	sc = fitNNScaler(x, dim, y, cfg.Scaling)
	xs, ys = make([]float32, len(x)), make([]float32, n)
	sc.inputs(xs, x)
	sc.targets(ys, y)
	return sc, xs, ys, nil
}

// trainNetwork trains one network on standardised data (see trainNetworkHeld).
func trainNetwork(ctx context.Context, cfg *TrainConfig, sc nnScaler, xs, ys []float32, n, dim int, progress func(int, float64)) (*Network, error) {
	net, _, err := trainNetworkHeld(ctx, cfg, cfg.Seed, sc, xs, ys, n, dim, progress)
	return net, err
}

// nnMinResidualVar is the smallest residual variance (standardised target
// units) an MSE-trained network reports: float32's resolution, squared.
const nnMinResidualVar = 0x1p-23 * 0x1p-23

// Network is one trained MLP with its standardisation and noise model. As a
// Regressor it predicts deterministically (dropout off): the mean head and
// the noise standard deviation — learned (LossGaussian) or estimated
// (LossMSE, see TrainConfig.NoiseStd). A Network is safe for concurrent use.
type Network struct {
	mlp      *MLP
	scale    nnScaler
	loss     Loss
	noiseVar float64 // LossMSE: noise variance in standardised target units
	// Held-out bookkeeping for Validation.Refit: the best epoch and the
	// product of the noise factors applied by scaleNoise (0 means none).
	bestEpoch   int
	noiseFactor float64
	spare       atomic.Pointer[nnPredictWork]
}

// nnPredictChunk is the number of rows a prediction workspace holds.
const nnPredictChunk = 256

// nnPredictWork is a prediction workspace: a network workspace and the
// standardised inputs of one chunk.
type nnPredictWork struct {
	wk *mlpWork
	xs []float32
}

// getWork takes the network's spare prediction workspace, or makes one
// when it is in use by a concurrent call; putWork returns it.
func (net *Network) getWork() *nnPredictWork {
	if w := net.spare.Swap(nil); w != nil {
		return w
	}
	return &nnPredictWork{
		wk: newMLPWork(net.mlp, nnPredictChunk, gaussRNG{}),
		xs: make([]float32, nnPredictChunk*net.mlp.sizes[0]),
	}
}

func (net *Network) putWork(w *nnPredictWork) { net.spare.Store(w) }

// InputDim returns the number of features per row.
func (net *Network) InputDim() int { return net.mlp.sizes[0] }

// MLP returns the underlying network (standardised units; not a copy).
func (net *Network) MLP() *MLP { return net.mlp }

// heads evaluates the n standardised rows of xs and writes the standardised
// mean and noise variance of each into mu and v.
func (net *Network) heads(mu, v []float64, wk *mlpWork, xs []float32, n int, dropout bool) {
	out := net.mlp.forward(wk, xs, n, dropout)
	if net.loss == LossGaussian {
		for i := range n {
			mu[i] = float64(out[2*i])
			v[i] = math.Exp(float64(out[2*i+1]))
		}
		return
	}
	for i := range n {
		mu[i] = float64(out[i])
		v[i] = net.noiseVar
	}
}

// trainingResidual returns the mean squared training residual of the
// deterministic network on n standardised rows, and whether every output
// (mean, and noise variance for LossGaussian) and the residual are finite.
func (net *Network) trainingResidual(xs, ys []float32, n int) (variance float64, finite bool) {
	w := net.getWork()
	defer net.putWork(w)
	d := net.mlp.sizes[0]
	var mu, v [nnPredictChunk]float64
	var ss float64
	finite = true
	for s := 0; s < n; s += nnPredictChunk {
		e := min(s+nnPredictChunk, n)
		net.heads(mu[:], v[:], w.wk, xs[s*d:e*d], e-s, false)
		for i := s; i < e; i++ {
			r := mu[i-s] - float64(ys[i])
			ss += r * r
			finite = finite && !math.IsInf(v[i-s], 0) && !math.IsNaN(v[i-s])
		}
	}
	variance = ss / float64(n)
	return variance, finite && !math.IsInf(variance, 0) && !math.IsNaN(variance)
}

// checkPredictArgs validates PredictTo's arguments and returns the row count.
func checkPredictArgs(dim int, mean, std, x []float64) (int, error) {
	if len(x)%dim != 0 || len(mean) != len(x)/dim || len(std) != len(mean) {
		return 0, fmt.Errorf("bnn: predict: %d features of %d columns for %d means and %d stds: %w",
			len(x), dim, len(mean), len(std), ErrShape)
	}
	return len(mean), checkFiniteRows(x, dim)
}

// PredictTo writes the predictive mean and noise standard deviation of each
// row of x (row-major, InputDim columns) into mean and std, in target units.
// It returns ErrShape for inconsistent lengths and ErrNonFinite naming the row.
func (net *Network) PredictTo(mean, std, x []float64) error {
	d := net.InputDim()
	n, err := checkPredictArgs(d, mean, std, x)
	if err != nil {
		return err
	}
	w := net.getWork()
	defer net.putWork(w)
	for s := 0; s < n; s += nnPredictChunk {
		e := min(s+nnPredictChunk, n)
		net.scale.inputs(w.xs, x[s*d:e*d])
		net.heads(mean[s:e], std[s:e], w.wk, w.xs, e-s, false)
		for i := s; i < e; i++ {
			mean[i] = net.scale.yMean + net.scale.yScale*mean[i]
			std[i] = net.scale.yScale * math.Sqrt(std[i])
		}
	}
	return finiteOutputs(nil, mean, std)
}

// sameShape reports whether two networks have identical layers, loss and scaling.
func (net *Network) sameShape(o *Network) bool {
	return slices.Equal(net.mlp.sizes, o.mlp.sizes) && net.mlp.act == o.mlp.act &&
		net.mlp.dropout == o.mlp.dropout && net.loss == o.loss &&
		slices.Equal(net.scale.inMean, o.scale.inMean) && slices.Equal(net.scale.inScale, o.scale.inScale) &&
		net.scale.yMean == o.scale.yMean && net.scale.yScale == o.scale.yScale
}

// String returns the loss's name ("mse", "gaussian").
func (l Loss) String() string {
	switch l {
	case LossMSE:
		return "mse"
	case LossGaussian:
		return "gaussian"
	}
	return fmt.Sprintf("Loss(%d)", uint8(l))
}
