package bnn

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"
)

// A short NUTS run over the 1-16-16-1 network's weights: the posterior mean
// of the function fits the data in the training window (residual RMS within
// 2σ), the function-space diagnostics are finite, and the predictions are
// those of the draws.
func TestSampleBNNShortRun(t *testing.T) {
	if testing.Short() {
		t.Skip("57,000 leapfrog steps")
	}
	p, _, ys := seedBNNForTest(t, []int{16, 16})
	ts := make([]float64, 60)
	for i := range ts {
		ts[i] = SeedBNNTime(6 * float64(i) / 59)
	}
	start := time.Now()
	res, err := SampleBNN(context.Background(), p, ts, NUTSConfig{Chains: 2, Warmup: 150, Draws: 100, MaxTreeDepth: 7, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ss := 0.0
	for k, y := range ys {
		ss += (res.Mean[k] - y) * (res.Mean[k] - y)
	}
	rms := math.Sqrt(ss / 60)
	t.Logf("%.1fs: RMS(mean − data) %.4f, max R̂ %.3f, min bulk ESS %.1f, leapfrogs %d, divergences %d",
		time.Since(start).Seconds(), rms, res.MaxRHat(0, 60), res.MinESSBulk(0, 60), res.MCMC.TotalLeapfrogs(), res.MCMC.Divergences())
	if !(rms < 2*0.05) {
		t.Errorf("posterior mean misses the data: RMS %.4f", rms)
	}
	for k := range res.RHat {
		if !(res.RHat[k] > 0.9) || !(res.ESSBulk[k] > 0) || !(res.Std[k] > 0) {
			t.Fatalf("input %d: R̂ %v ESS %v std %v", k, res.RHat[k], res.ESSBulk[k], res.Std[k])
		}
	}
	pr, _ := p.NewPredictor(ts)
	f := make([]float64, 60)
	if err := pr.PredictTo(f, res.MCMC.Draws[1][42]); err != nil {
		t.Fatal(err)
	}
	for k := range f {
		if f[k] != res.Predictions[1][42][k] {
			t.Fatalf("prediction %d: %v, draw's %v", k, res.Predictions[1][42][k], f[k])
		}
	}
}

func TestSampleBNNErrors(t *testing.T) {
	p, _, _ := seedBNNForTest(t, []int{4, 4})
	u := SeedBNNEvalInputs()
	tr, _ := NewConstrained(Unbounded(p.Dim()))
	if _, err := SampleBNN(context.Background(), p, u, NUTSConfig{Transforms: tr}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("transforms: %v", err)
	}
	if _, err := SampleBNN(context.Background(), p, nil, NUTSConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("no evaluation inputs: %v", err)
	}
	if _, err := SampleBNN(context.Background(), p, u, NUTSConfig{Draws: -3}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("negative chain length: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := SampleBNN(ctx, p, u, NUTSConfig{Chains: 2, Warmup: 100, Draws: 100, Progress: func(_, _ int) {
		if n++; n == 30 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mid-chain: %v", err)
	}
}

// BenchmarkHMCBNN16 runs Stan's bnn.stan protocol on the 1-16-16-1 network
// (4 chains × (1,000 + 1,000), diagonal metric, δ = 0.8, max tree depth 10)
// and reports the minimum bulk ESS over the predictions at Stan's 33
// evaluation times on [0, 8] s per second of wall clock ("ess_bulk/s", the
// chains in parallel), of the chains' own times summed ("ess_bulk/chain-s",
// as Stan's) and of this process's CPU time ("ess_bulk/cpu-s", the fair one
// on a shared machine); the CPU time per leapfrog step, sampler included
// ("us/leapfrog-cpu", as Stan's time per leapfrog step); the ratios of the CPU
// figures to Stan's recorded ones; the largest R̂ over the predictions (all
// 33 and the 25 in the training window), divergences and leapfrog steps.
// The metric names are those bench/stan_compare.sh --with-bnn reads. It
// takes about half a minute of CPU: run it alone, with -benchtime 1x.
func BenchmarkHMCBNN16(b *testing.B) {
	p, _, _ := seedBNNForTest(b, []int{16, 16})
	u := SeedBNNEvalInputs()
	var essSum, cpuSum, wallSum, chainSum, rhat, rhatInterp, div float64
	var leapSum int
	for i := 0; b.Loop(); i++ {
		start, cpu0 := time.Now(), processCPUSeconds()
		res, err := SampleBNN(context.Background(), p, u, NUTSConfig{Seed: uint64(i + 1)})
		if err != nil {
			b.Fatal(err)
		}
		wallSum += time.Since(start).Seconds()
		cpuSum += processCPUSeconds() - cpu0
		for c := range res.MCMC.Draws {
			chainSum += res.MCMC.WarmupSeconds[c] + res.MCMC.SampleSeconds[c]
		}
		essSum += res.MinESSBulk(0, len(u))
		leapSum += res.MCMC.TotalLeapfrogs()
		rhat = max(rhat, res.MaxRHat(0, len(u)))
		rhatInterp = max(rhatInterp, res.MaxRHat(0, 25))
		div += float64(res.MCMC.Divergences())
	}
	if cpuSum <= 0 {
		cpuSum = wallSum
	}
	n := float64(b.N)
	b.ReportMetric(essSum/wallSum, "ess_bulk/s")
	b.ReportMetric(essSum/chainSum, "ess_bulk/chain-s")
	b.ReportMetric(essSum/cpuSum, "ess_bulk/cpu-s")
	b.ReportMetric(cpuSum/float64(leapSum)*1e6, "us/leapfrog-cpu")
	b.ReportMetric(essSum/cpuSum/stanBNN16ESSPerSecond, "x_stan_ess/cpu-s")
	b.ReportMetric(stanBNN16SecondsPerGrd*float64(leapSum)/cpuSum, "x_stan_leapfrog-cpu")
	b.ReportMetric(cpuSum/n, "cpu_s")
	b.ReportMetric(rhat, "rhat_max")
	b.ReportMetric(rhatInterp, "rhat_max_interp")
	b.ReportMetric(div/n, "divergences")
	b.ReportMetric(float64(leapSum)/n, "leapfrogs")
}
