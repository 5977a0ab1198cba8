package bnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bbbRefLoss is an independent float64 evaluation of the trainer's loss at
// parameters p (= [μ | ρ | log noise]) with the Monte-Carlo noise the trainer
// drew (captured per sample), written directly from the definitions: weights
// w = μ + softplus(ρ)·ε, log q = log N(w; μ, σ²) and log p evaluated at w
// (Monte-Carlo KL), or the Gaussian closed-form KL; with local
// reparameterisation, pre-activations m + √v·ε. pi is the minibatch's KL
// share πᵢ, computed by the caller (refKLShare), not read from the trainer.
func bbbRefLoss(tr *bbbTrainer, p []float64, eps [][]float64, pi float64) float64 {
	m, cfg := tr.m, tr.cfg
	nw := m.nw
	noise := m.NoiseStd
	if cfg.LearnNoise {
		noise = math.Exp(p[2*nw])
	}
	mu, sig := p[:nw], make([]float64, nw)
	for i := range sig {
		sig[i] = math.Log1p(math.Exp(p[nw+i]))
	}
	nb := tr.nb
	var total float64
	for k := range eps {
		e := eps[k]
		w := make([]float64, nw)
		var kl float64
		if !cfg.LocalReparam {
			for i := range w {
				w[i] = mu[i] + sig[i]*e[i]
				if cfg.KL == KLMonteCarlo {
					d := (w[i] - mu[i]) / sig[i]
					lq := -math.Log(sig[i]) - 0.5*d*d - 0.5*math.Log(2*math.Pi)
					kl += lq - m.Prior.LogDensity(w[i])
				}
			}
		}
		a := make([]float64, nb*tr.widths[0])
		for i := range a {
			a[i] = float64(tr.xb[i])
		}
		off, eoff := 0, 0
		for li, l := range m.Layers {
			z := make([]float64, nb*l.Out)
			for r := range nb {
				for j := range l.Out {
					var mean, v float64
					if cfg.LocalReparam {
						mean, v = mu[off+l.In*l.Out+j], sig[off+l.In*l.Out+j]*sig[off+l.In*l.Out+j]
						for q := range l.In {
							x := a[r*l.In+q]
							mean += x * mu[off+q*l.Out+j]
							v += x * x * sig[off+q*l.Out+j] * sig[off+q*l.Out+j]
						}
						z[r*l.Out+j] = mean + math.Sqrt(v)*e[eoff+r*l.Out+j]
					} else {
						s := w[off+l.In*l.Out+j]
						for q := range l.In {
							s += a[r*l.In+q] * w[off+q*l.Out+j]
						}
						z[r*l.Out+j] = s
					}
					if li < len(m.Layers)-1 {
						switch m.Activation {
						case Tanh:
							z[r*l.Out+j] = math.Tanh(z[r*l.Out+j])
						case ReLU:
							z[r*l.Out+j] = max(z[r*l.Out+j], 0)
						}
					}
				}
			}
			off += l.In*l.Out + l.Out
			eoff += nb * l.Out
			a = z
		}
		var ll float64
		for r := range nb {
			d := (float64(tr.yb[r]) - a[r]) / noise
			ll += -0.5*d*d - math.Log(noise) - 0.5*math.Log(2*math.Pi)
		}
		total += pi*kl - ll
	}
	total /= float64(len(eps))
	if cfg.KL == KLClosedForm {
		s := m.Prior.scale
		for i := range mu {
			total += pi * (math.Log(s/sig[i]) + (sig[i]*sig[i]+mu[i]*mu[i])/(2*s*s) - 0.5)
		}
	}
	return total
}

func TestBBBGradients(t *testing.T) {
	gauss, _ := GaussianPrior(0.7)
	mix, _ := ScaleMixturePrior(0.3, 1.5, 0.1)
	cases := []struct {
		name string
		act  Activation
		pr   Prior
		cfg  BBBConfig
	}{
		{"mc-kl tanh (seed)", Tanh, gauss, BBBConfig{Samples: 2}},
		{"closed-form kl", Tanh, gauss, BBBConfig{Samples: 2, KL: KLClosedForm}},
		{"scale mixture", Tanh, mix, BBBConfig{Samples: 2}},
		{"learned noise relu", ReLU, gauss, BBBConfig{Samples: 3, LearnNoise: true}},
		{"local reparam", Tanh, gauss, BBBConfig{Samples: 2, KL: KLClosedForm, LocalReparam: true, LearnNoise: true}},
		{"identity blundell", Identity, mix, BBBConfig{Samples: 1, BatchSize: 3, KLWeighting: KLBlundell}},
		{"identity uniform minibatch", Identity, gauss, BBBConfig{Samples: 1, BatchSize: 2}},
		{"one input (seed shape)", Tanh, gauss, BBBConfig{Samples: 2}},
		{"one input local reparam", Tanh, gauss, BBBConfig{Samples: 2, KL: KLClosedForm, LocalReparam: true}},
	}
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci), 9))
			n, in := 5, 2
			if ci >= 7 {
				in = 1
			}
			x, y := make([]float64, in*n), make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			for i := range y {
				y[i] = rng.NormFloat64()
			}
			m, err := NewBayesianMLP(BNNConfig{Inputs: in, Hidden: []int{3, 4}, Activation: c.act, Prior: c.pr, Rho0: -1, InitScale: 0.8, NoiseStd: 0.6, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			for i := range m.params[:m.nw] {
				m.params[i] += float32(0.3 * rng.NormFloat64())
				m.params[m.nw+i] = float32(-1.5 + rng.Float64())
			}
			c.cfg.Epochs, c.cfg.LearningRate, c.cfg.Seed = 1, 1e-3, 5
			tr, err := newBBBTrainer(m, x, y, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.close()
			bs := len(tr.yb)
			M := (n + bs - 1) / bs
			batch := 1
			tr.loadBatch([]int{4, 0, 2}[:min(3, bs)], batch, M) // a later minibatch: πᵢ ≠ 1 for Blundell
			if bs == n {
				batch = 0
				tr.loadBatch([]int{0, 1, 2, 3, 4}, batch, M)
			}
			pi := refKLShare(c.cfg.KLWeighting, batch+1, M)
			loss := tr.lossGrad()
			eps := make([][]float64, len(tr.samples))
			for k, s := range tr.samples {
				src := s.eps
				if c.cfg.LocalReparam {
					src = nil
					for li := range s.lrtEps {
						src = append(src, s.lrtEps[li][:tr.nb*m.Layers[li].Out]...)
					}
				}
				for _, v := range src {
					eps[k] = append(eps[k], float64(v))
				}
			}
			p := make([]float64, len(tr.pv))
			for i, v := range tr.pv {
				p[i] = float64(v)
			}
			ref := bbbRefLoss(tr, p, eps, pi)
			if math.Abs(ref-loss) > 1e-4*math.Max(1, math.Abs(ref)) {
				t.Fatalf("loss %v, float64 reference %v", loss, ref)
			}
			const h = 1e-5
			var maxErr float64
			for i := range p {
				pp := append([]float64(nil), p...)
				pp[i] = p[i] + h
				fp := bbbRefLoss(tr, pp, eps, pi)
				pp[i] = p[i] - h
				fm := bbbRefLoss(tr, pp, eps, pi)
				num := (fp - fm) / (2 * h)
				got := float64(tr.grads[i])
				err := math.Abs(got-num) / math.Max(1, math.Abs(num))
				maxErr = max(maxErr, err)
				if err > 2e-3 {
					t.Errorf("param %d (of %d weights): analytic %v, numeric %v", i, m.nw, got, num)
				}
			}
			t.Logf("loss %.6g; max relative gradient error %.2g over %d parameters", loss, maxErr, len(p))
		})
	}
}

// refKLShare is the KL share of minibatch i (1-based) of M, written from
// the definitions: 1/M for KLUniform, and Blundell et al.'s (2015, §3.4)
// πᵢ = 2^(M−i)/(2^M − 1) for KLBlundell.
func refKLShare(w KLWeighting, i, M int) float64 {
	if w == KLBlundell {
		return math.Pow(2, float64(M-i)) / (math.Pow(2, float64(M)) - 1)
	}
	return 1 / float64(M)
}

// TestBBBKLShares checks the trainer's πᵢ for every minibatch of several
// epochs' sizes against refKLShare, and that the shares of an epoch sum to 1.
func TestBBBKLShares(t *testing.T) {
	m, err := NewBayesianMLP(BNNConfig{Inputs: 1, Hidden: []int{2}, Prior: NotebookBNNConfig().Prior, Rho0: -3, NoiseStd: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	x, y := make([]float64, 40), make([]float64, 40)
	for _, w := range []KLWeighting{KLUniform, KLBlundell} {
		for _, bs := range []int{0, 40, 13, 5, 1} {
			tr, err := newBBBTrainer(m, x, y, BBBConfig{Epochs: 1, Samples: 1, LearningRate: 1e-3, BatchSize: bs, KLWeighting: w})
			if err != nil {
				t.Fatal(err)
			}
			M := 1
			if bs > 0 {
				M = (40 + bs - 1) / bs
			}
			sum := 0.0
			for b := range M {
				tr.loadBatch([]int{0}, b, M)
				want := refKLShare(w, b+1, M)
				if got := float64(tr.klWeight); math.Abs(got-want) > 1e-7*want {
					t.Errorf("weighting %d, M = %d, batch %d: π = %g, want %g", w, M, b+1, got, want)
				}
				sum += float64(tr.klWeight)
			}
			if math.Abs(sum-1) > 1e-5 {
				t.Errorf("weighting %d, M = %d: shares sum to %g", w, M, sum)
			}
			tr.close()
		}
	}
}
