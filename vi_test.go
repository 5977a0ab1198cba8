package bnn

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
)

// viBimodal is the seed's log joint: y = θ² + N(0, 0.5²) with y = 4 observed
// and prior θ ~ N(0, 5²), so the posterior has modes near θ = ±2.
func viBimodal(theta, grad []float64) float64 {
	th := theta[0]
	r := (4 - th*th) / 0.5
	grad[0] = r/0.5*2*th - th/25
	return -0.5*r*r - math.Log(0.5) - 0.5*th*th/25 - math.Log(5) - math.Log(2*math.Pi)
}

func TestGaussianVISeedBimodal(t *testing.T) {
	raw, err := os.ReadFile("testdata/seed_torch_cpu.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Sections struct {
			VI struct{ Mu, Std, Elbo float64 } `json:"vi"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	res, err := FitGaussianVI(context.Background(), 1, viBimodal, NotebookVIConfig())
	if err != nil {
		t.Fatal(err)
	}
	var tail float64 // average ELBO over the last 100 steps (one step's estimate is noisy)
	for _, e := range res.ELBO[1400:] {
		tail += e / 100
	}
	t.Logf("μ %.4f σ %.4f ELBO %.3f; PyTorch μ %.4f σ %.4f ELBO %.3f", res.Mean[0], res.Std[0], tail, ref.Sections.VI.Mu, ref.Sections.VI.Std, ref.Sections.VI.Elbo)
	if math.Abs(math.Abs(res.Mean[0])-math.Abs(ref.Sections.VI.Mu)) > 0.01 ||
		math.Abs(res.Std[0]-ref.Sections.VI.Std) > 0.01 || math.Abs(tail-ref.Sections.VI.Elbo) > 0.1 {
		t.Errorf("q = N(%.4f, %.4f²), ELBO %.3f; want |μ| %.4f, σ %.4f, ELBO %.3f", res.Mean[0], res.Std[0], tail,
			math.Abs(ref.Sections.VI.Mu), ref.Sections.VI.Std, ref.Sections.VI.Elbo)
	}
}

// A Gaussian log joint is its own best mean-field fit.
func TestGaussianVIRecoversGaussian(t *testing.T) {
	m, s := []float64{1.5, -3}, []float64{0.4, 2}
	lj := func(theta, grad []float64) float64 {
		var v float64
		for j := range theta {
			z := (theta[j] - m[j]) / s[j]
			v -= 0.5 * z * z
			grad[j] = -z / s[j]
		}
		return v
	}
	cfg := NotebookVIConfig()
	cfg.Steps, cfg.Seed = 3000, 4
	cfg.LearningRate = 0.02
	res, err := FitGaussianVI(context.Background(), 2, lj, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for j := range m {
		if math.Abs(res.Mean[j]-m[j]) > 0.03*s[j] || math.Abs(res.Std[j]/s[j]-1) > 0.03 {
			t.Errorf("dim %d: N(%.4f, %.4f²), want N(%v, %v²)", j, res.Mean[j], res.Std[j], m[j], s[j])
		}
	}
}

func TestGaussianVIErrors(t *testing.T) {
	ok := NotebookVIConfig()
	ok.Steps = 2
	bad := func(f func(*VIConfig)) VIConfig { c := ok; f(&c); return c }
	cases := []struct {
		dim  int
		lj   LogJoint
		cfg  VIConfig
		want error
	}{
		{0, viBimodal, ok, ErrInvalidParameter},
		{1, nil, ok, ErrInvalidParameter},
		{1, viBimodal, bad(func(c *VIConfig) { c.Samples = -1 }), ErrInvalidParameter},
		{1, viBimodal, bad(func(c *VIConfig) { c.Steps = -1 }), ErrInvalidParameter},
		{1, viBimodal, bad(func(c *VIConfig) { c.LearningRate = -1 }), ErrInvalidParameter},
		{1, viBimodal, bad(func(c *VIConfig) { c.InitMean = []float64{1, 2} }), ErrShape},
		{1, viBimodal, bad(func(c *VIConfig) { c.InitMean = []float64{math.NaN()} }), ErrNonFinite},
		{1, func(th, g []float64) float64 { g[0] = 0; return math.NaN() }, ok, ErrDiverged},
		{1, func(th, g []float64) float64 { g[0] = math.Inf(1); return 0 }, ok, ErrDiverged},
	}
	for i, c := range cases {
		if _, err := FitGaussianVI(context.Background(), c.dim, c.lj, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("case %d: got %v, want %v", i, err, c.want)
		}
	}
}
