package bnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// BayesianLinear is a fully connected layer with a mean-field Gaussian
// posterior over each weight and bias: w ~ N(μ, σ²) with σ = softplus(ρ) =
// log(1 + eᵖ), as in Bayes by Backprop (Blundell et al. 2015). Its slices are
// views into the owning BayesianMLP's parameter vector.
type BayesianLinear struct {
	In, Out int
	// WeightMu and WeightRho are In×Out, row-major: element i·Out+j links input i to output j.
	WeightMu, WeightRho []float32
	// BiasMu and BiasRho have length Out.
	BiasMu, BiasRho []float32
	off             int // offset of this layer's weights in the flat weight vector (biases follow)
}

// BayesianMLP is a Bayes-by-Backprop multilayer perceptron with one output:
// Bayesian layers, the hidden ones followed by Activation, and a Gaussian
// observation noise of std NoiseStd. It implements Regressor: PredictTo draws
// PredictSamples weight samples from streams derived from Seed. A model made
// by TrainBayesianMLP stores its standardisation of inputs and targets
// (Scaling) like Train's networks do, so callers work in their own units;
// one made by NewBayesianMLP works in the units it is given.
type BayesianMLP struct {
	Layers     []BayesianLinear
	Activation Activation
	Prior      Prior
	// NoiseStd is the observation noise std in target units (learned by Train when asked).
	NoiseStd float64
	// Seed and PredictSamples fix PredictTo's Monte-Carlo draws (defaults: the construction seed, 300).
	Seed           uint64
	PredictSamples int

	params []float32 // [μ of every weight and bias | ρ of every weight and bias]
	nw     int       // number of weights and biases
	scale  *nnScaler // standardisation of inputs and targets, or nil for none
}

// BNNConfig describes a Bayesian MLP before training. A zero field means its
// documented default, as in log/slog (DefaultBNNConfig writes them out):
// no hidden layers, Tanh, the prior N(0, 1), ρ₀ = −3, weight means
// 0.1·N(0, 1) and noise std 0.5. Inputs is the one exception: it is the
// data's width, so NewBayesianMLP requires it (TrainBayesianMLP sets it).
// Rho0 and InitScale are float32 in the network, so to ask for exactly 0
// pass a value that rounds to 0 in float32, such as 1e-300. NaN, ±Inf and
// other invalid values are errors naming the field. NotebookBNNConfig
// returns the seed notebook's network.
type BNNConfig struct {
	Inputs     int        // features per input row (≥ 1; required)
	Hidden     []int      // widths of the hidden layers (nil: none)
	Activation Activation // nonlinearity after each hidden layer (zero value: Tanh)
	Prior      Prior      // prior over every weight and bias (zero value: N(0, 1))
	Rho0       float64    // initial ρ of every σ = softplus(ρ) (0: −3, σ ≈ 0.0486)
	InitScale  float64    // weight means start as InitScale·N(0, 1) (≥ 0; 0: 0.1); bias means start at 0
	NoiseStd   float64    // observation noise std in target units (> 0; 0: 0.5)
	Seed       uint64     // seed of the initialisation and of PredictTo's draws
}

// DefaultBNNConfig returns the defaults a zero BNNConfig stands for, written
// out, with Inputs still to set: no hidden layers and Tanh (their zero
// values); the prior N(0, 1), a unit-scale prior for standardised data and
// the seed's; ρ₀ = −3 (σ ≈ 0.049) and weight means 0.1·N(0, 1), the seed's
// initialisation, which starts q close to a point estimate so that early
// steps fit the data before the KL term widens it (Blundell et al. 2015 also
// start σ small); and noise std 0.5 — half the standard deviation of
// standardised targets, the rule TrainBayesianMLP applies in target units.
func DefaultBNNConfig() BNNConfig {
	prior, _ := GaussianPrior(1)
	return BNNConfig{Activation: Tanh, Prior: prior, Rho0: -3, InitScale: 0.1, NoiseStd: 0.5}
}

// withDefaults returns c with every zero field that has a non-zero default
// replaced by it; NewBayesianMLP checks the result.
func (c BNNConfig) withDefaults() BNNConfig {
	d := DefaultBNNConfig()
	if c.Prior == (Prior{}) {
		c.Prior = d.Prior
	}
	if c.Rho0 == 0 {
		c.Rho0 = d.Rho0
	}
	if c.InitScale == 0 {
		c.InitScale = d.InitScale
	}
	if c.NoiseStd == 0 {
		c.NoiseStd = d.NoiseStd
	}
	return c
}

// NotebookBNNConfig returns the seed notebook's network: one input, two hidden
// tanh layers of 64, prior N(0, 1), ρ₀ = −3, weight means 0.1·N(0, 1), noise 0.05.
func NotebookBNNConfig() BNNConfig {
	prior, _ := GaussianPrior(1)
	return BNNConfig{Inputs: 1, Hidden: []int{64, 64}, Activation: Tanh, Prior: prior, Rho0: -3, InitScale: 0.1, NoiseStd: 0.05}
}

// bbbSoftplus64 returns log(1 + eˣ) without overflow or cancellation.
func bbbSoftplus64(x float64) float64 { return max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

// NewBayesianMLP builds a Bayesian MLP from cfg; zero fields mean their
// defaults (see BNNConfig). It returns ErrInvalidParameter for a
// non-positive input count or hidden width, an invalid activation, a
// non-finite ρ₀ or one so low that σ = softplus(ρ₀) underflows float32, a
// negative or non-finite InitScale, or a noise std that is not positive and
// finite.
func NewBayesianMLP(cfg BNNConfig) (*BayesianMLP, error) {
	cfg = cfg.withDefaults()
	if cfg.Inputs <= 0 {
		return nil, fmt.Errorf("bnn: bayesian mlp: Inputs = %d: %w", cfg.Inputs, ErrInvalidParameter)
	}
	for i, h := range cfg.Hidden {
		if h <= 0 {
			return nil, fmt.Errorf("bnn: bayesian mlp: hidden layer %d has width %d: %w", i, h, ErrInvalidParameter)
		}
	}
	if !cfg.Activation.valid() {
		return nil, fmt.Errorf("bnn: bayesian mlp: %v: %w", cfg.Activation, ErrInvalidParameter)
	}
	if err := cfg.Prior.validate(); err != nil {
		return nil, err
	}
	if math.IsNaN(cfg.Rho0) || math.IsInf(cfg.Rho0, 0) {
		return nil, fmt.Errorf("bnn: bayesian mlp: Rho0 = %g: %w", cfg.Rho0, ErrInvalidParameter)
	}
	if s := float32(bbbSoftplus64(cfg.Rho0)); s < math.SmallestNonzeroFloat32*(1<<23) {
		return nil, fmt.Errorf("bnn: bayesian mlp: Rho0 = %g gives σ = %g, which underflows float32: %w", cfg.Rho0, s, ErrInvalidParameter)
	}
	if !(cfg.InitScale >= 0) || math.IsInf(cfg.InitScale, 1) {
		return nil, fmt.Errorf("bnn: bayesian mlp: InitScale = %g: %w", cfg.InitScale, ErrInvalidParameter)
	}
	if !(cfg.NoiseStd > 0) || math.IsInf(cfg.NoiseStd, 1) {
		return nil, fmt.Errorf("bnn: bayesian mlp: NoiseStd = %g must be positive and finite: %w", cfg.NoiseStd, ErrInvalidParameter)
	}
	widths := append(append([]int{cfg.Inputs}, cfg.Hidden...), 1)
	if _, ok := denseParamCount(widths, mlpMaxParams/2); !ok { // a mean and a ρ per parameter
		return nil, fmt.Errorf("bnn: bayesian mlp: widths %v need more than %d parameters: %w", widths, mlpMaxParams/2, ErrInvalidParameter)
	}
	m := &BayesianMLP{Activation: cfg.Activation, Prior: cfg.Prior, NoiseStd: cfg.NoiseStd, Seed: cfg.Seed, PredictSamples: 300}
	m.setShape(widths)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6262622d696e6974))
	rho := float32(cfg.Rho0)
	for _, l := range m.Layers {
		for i := range l.WeightMu {
			l.WeightMu[i] = float32(cfg.InitScale * rng.NormFloat64())
		}
		for i := range l.WeightRho {
			l.WeightRho[i] = rho
		}
		for i := range l.BiasRho {
			l.BiasRho[i] = rho
		}
	}
	return m, nil
}

// setShape allocates the parameter vector for the given layer widths
// (inputs, hidden…, 1) and points the layers into it.
func (m *BayesianMLP) setShape(widths []int) {
	nw := 0
	for i := 1; i < len(widths); i++ {
		nw += widths[i-1]*widths[i] + widths[i]
	}
	m.nw = nw
	m.params = make([]float32, 2*nw, 2*nw+1) // the spare slot holds log NoiseStd while it is learned
	mu, rho := m.params[:nw], m.params[nw:]
	m.Layers = make([]BayesianLinear, len(widths)-1)
	off := 0
	for i := range m.Layers {
		in, out := widths[i], widths[i+1]
		nW := in * out
		m.Layers[i] = BayesianLinear{
			In: in, Out: out, off: off,
			WeightMu: mu[off : off+nW : off+nW], WeightRho: rho[off : off+nW : off+nW],
			BiasMu: mu[off+nW : off+nW+out : off+nW+out], BiasRho: rho[off+nW : off+nW+out : off+nW+out],
		}
		off += nW + out
	}
}

// InputDim returns the number of features per input row.
func (m *BayesianMLP) InputDim() int { return m.Layers[0].In }

// NumWeights returns the number of weights and biases (each has a μ and a ρ).
func (m *BayesianMLP) NumWeights() int { return m.nw }

// maxWidth returns the widest layer output.
func (m *BayesianMLP) maxWidth() int {
	w := m.Layers[0].In
	for _, l := range m.Layers {
		w = max(w, l.Out)
	}
	return w
}

// KL returns the closed-form KL divergence (nats) from the Gaussian prior to
// the current posterior, Σ log(s/σ) + (σ² + μ²)/(2s²) − ½. It returns
// ErrInvalidParameter for a scale-mixture prior, which has no closed form.
func (m *BayesianMLP) KL() (float64, error) {
	if !m.Prior.IsGaussian() {
		return 0, fmt.Errorf("bnn: kl: no closed form for the prior %v: %w", m.Prior, ErrInvalidParameter)
	}
	s := m.Prior.scale
	var kl float64
	for i, mu := range m.params[:m.nw] {
		sig := bbbSoftplus64(float64(m.params[m.nw+i]))
		kl += math.Log(s/sig) + (sig*sig+float64(mu)*float64(mu))/(2*s*s) - 0.5
	}
	return kl, nil
}
