package bnn

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

// TestBBBExpectedGradientMatchesPyTorch compares the expected one-sample loss
// terms and the expected per-layer sums of ∂(lq − lp − ll)/∂μ and ∂/∂ρ, over
// independent ε draws, with PyTorch's autograd through the seed's
// BayesianLinear at the same parameters (testdata/bbb_torch_grads.json, made
// by a script like seed_pipeline.py's bnn section at width 8 with random μ and
// ρ). The two generators differ, so means are compared with their combined
// Monte-Carlo standard errors. At noise std 100 the likelihood barely moves
// the gradient, which isolates the log q and log p terms.
func TestBBBExpectedGradientMatchesPyTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/bbb_torch_grads.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var draws int
	var layers []struct {
		WeightMu  []float32 `json:"weight_mu"`
		WeightRho []float32 `json:"weight_rho"`
		BiasMu    []float32 `json:"bias_mu"`
		BiasRho   []float32 `json:"bias_rho"`
	}
	if err := json.Unmarshal(ref["draws"], &draws); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(ref["layers"], &layers); err != nil {
		t.Fatal(err)
	}
	x, y, _, _, _ := bbbSeedData(t)
	n, tol := 20000, 0.05 // draws, and the tolerated relative error of a standard deviation
	if testing.Short() {
		n, tol = 2000, 0.15
	}
	names := []string{"lq", "lp", "ll", "dmu_1", "dmu_2", "dmu_3", "drho_1", "drho_2", "drho_3"}
	for _, noise := range []float64{0.05, 100} {
		var want struct{ Mean, SD map[string]float64 }
		if err := json.Unmarshal(ref[fmt.Sprintf("noise %g", noise)], &want); err != nil {
			t.Fatal(err)
		}
		c := NotebookBNNConfig()
		c.Hidden = []int{8, 8}
		c.NoiseStd = noise
		m, err := NewBayesianMLP(c)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range m.Layers {
			copy(l.WeightMu, layers[i].WeightMu)
			copy(l.WeightRho, layers[i].WeightRho)
			copy(l.BiasMu, layers[i].BiasMu)
			copy(l.BiasRho, layers[i].BiasRho)
		}
		cfg := NotebookBBBConfig()
		cfg.Samples, cfg.Workers, cfg.Seed = 1, 1, 11
		tr, err := newBBBTrainer(m, x, y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		tr.loadBatch(tr.perm, 0, 1)
		nw := m.nw
		var s1, s2 [9]float64
		for d := range n {
			tr.step = uint64(d)
			tr.lossGrad()
			s := &tr.samples[0]
			var v [9]float64
			for _, w := range s.w {
				v[1] += float64(w) * float64(w)
			}
			v[1] = -v[1]/2 - float64(nw)*bbbHalfLog2Pi // log p under N(0, 1)
			v[0] = s.kl + v[1]
			v[2] = -s.nll
			for li, l := range m.Layers {
				for j := l.off; j < l.off+l.In*l.Out+l.Out; j++ {
					v[3+li] += float64(tr.grads[j])
					v[6+li] += float64(tr.grads[nw+j])
				}
			}
			for k := range v {
				s1[k] += v[k]
				s2[k] += v[k] * v[k]
			}
		}
		tr.close()
		for k, name := range names {
			mean := s1[k] / float64(n)
			sd := math.Sqrt(max(s2[k]/float64(n)-mean*mean, 0))
			se := math.Sqrt(sd*sd/float64(n) + want.SD[name]*want.SD[name]/float64(draws))
			if z := (mean - want.Mean[name]) / se; math.Abs(z) > 5 {
				t.Errorf("noise %g: E[%s] = %.4f, PyTorch %.4f (combined standard error %.4f, z = %.1f)",
					noise, name, mean, want.Mean[name], se, z)
			}
			if r := sd / want.SD[name]; math.Abs(r-1) > tol {
				t.Errorf("noise %g: sd of %s = %.4f, PyTorch %.4f", noise, name, sd, want.SD[name])
			}
		}
	}
}
