package bnn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkNUTSOscillatorExact is issue 11's speed protocol against Stan
// (../shared/reference/stan/oscillator_exact.stan): the seed's 60 points,
// the closed-form trajectory, ζ ~ Uniform(0, 0.25), ωₙ ~ Uniform(0.6, 1.6)
// on the logit scale, 4 chains × (1,000 warm-up + 1,000 draws), diagonal
// metric, target acceptance 0.8. It reports the minimum bulk ESS per second
// of wall-clock time (chains in parallel) and per second of summed chain
// time (Stan's measure, its chains run one after another), the total
// leapfrog steps, and the time per gradient evaluation alone. On a loaded
// machine the wall-clock figures drop; the "cpu" metrics divide by this
// process's CPU time instead (all cores summed), which load inflates less.
func BenchmarkNUTSOscillatorExact(b *testing.B) {
	m, tr, _ := seedOscExact(b)
	benchNUTSProtocol(b, tr.LogJoint(m.logJoint), 200000, func(i int) (*MCMCResult, error) {
		return SampleNUTS(context.Background(), 2, m.logJoint, NUTSConfig{Seed: uint64(i), Transforms: tr})
	})
}

// benchNUTSProtocol times lj (the transformed log joint) nGrad times at a
// fixed point, then runs sample(i) for each benchmark iteration i and
// reports the metrics bench/stan_compare.sh reads: the minimum bulk ESS
// per second of wall clock, of the chains' times summed and of process CPU
// time; the time per gradient (us/grad, us/grad-cpu) and per leapfrog step
// (us/leapfrog, us/leapfrog-cpu), the mean minimum bulk ESS and leapfrog
// steps (warm-up included). It returns the summed ESS, CPU seconds and
// leapfrog steps for benchmark-specific ratios.
func benchNUTSProtocol(b *testing.B, lj LogJoint, nGrad int, sample func(i int) (*MCMCResult, error)) (ess, cpu float64, leap int) {
	b.Helper()
	y, g := []float64{-0.3, 0.1}, make([]float64, 2)
	t0, c0 := time.Now(), processCPUSeconds()
	for range nGrad {
		lj(y, g)
	}
	usPerGrad := time.Since(t0).Seconds() / float64(nGrad) * 1e6
	usPerGradCPU := (processCPUSeconds() - c0) / float64(nGrad) * 1e6
	b.ReportAllocs()
	b.ResetTimer()
	var chainSecs, wall float64
	for i := range b.N {
		start, c0 := time.Now(), processCPUSeconds()
		res, err := sample(i)
		wall += time.Since(start).Seconds()
		cpu += processCPUSeconds() - c0
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		e, err := res.MinESSBulk()
		if err != nil {
			b.Fatal(err)
		}
		ess += e
		leap += res.TotalLeapfrogs()
		for c := range res.Draws {
			chainSecs += res.WarmupSeconds[c] + res.SampleSeconds[c]
		}
		b.StartTimer()
	}
	if cpu <= 0 {
		cpu = wall
	}
	n := float64(b.N)
	b.ReportMetric(ess/wall, "ess_bulk/s")
	b.ReportMetric(ess/chainSecs, "ess_bulk/chain-s")
	b.ReportMetric(ess/cpu, "ess_bulk/cpu-s")
	b.ReportMetric(ess/n, "min_ess_bulk")
	b.ReportMetric(float64(leap)/n, "n_leapfrog")
	b.ReportMetric(usPerGrad, "us/grad")
	b.ReportMetric(usPerGradCPU, "us/grad-cpu")
	b.ReportMetric(chainSecs/float64(leap)*1e6, "us/leapfrog")
	b.ReportMetric(cpu/float64(leap)*1e6, "us/leapfrog-cpu")
	return ess, cpu, leap
}

// BenchmarkNUTSTransition times one NUTS transition on a Gaussian with unit
// metric and a trivial gradient, so it measures the tree builder's own
// overhead: 100 dimensions (diagonal and dense metric) and 4,353 (the
// 1-64-64-1 BNN's weight count, diagonal). It reports the time per leapfrog
// step and allocates nothing.
func BenchmarkNUTSTransition(b *testing.B) {
	lj := func(th, g []float64) float64 {
		s := 0.0
		for i, v := range th {
			g[i] = -v
			s -= 0.5 * v * v
		}
		return s
	}
	for _, c := range []struct {
		d     int
		dense bool
		eps   float64
	}{{100, false, 0.5}, {100, true, 0.5}, {4353, false, 0.1}} {
		name := fmt.Sprintf("diag-%d", c.d)
		if c.dense {
			name = fmt.Sprintf("dense-%d", c.d)
		}
		b.Run(name, func(b *testing.B) {
			k := newHMCKernel(c.d, lj, newHMCMetric(c.d, c.dense), rand.New(&rngSource{newGaussRNG(1, 0)}), 10, 0)
			s := nutsSettings{NUTSConfig: NUTSConfig{InitRadius: 2}}
			if err := k.initialise(&s, 0); err != nil {
				b.Fatal(err)
			}
			k.eps = c.eps
			b.ReportAllocs()
			b.ResetTimer()
			leap := 0
			c0 := processCPUSeconds()
			for range b.N {
				k.transition()
				leap += k.nLeapfrog
			}
			b.ReportMetric(float64(leap)/float64(b.N), "leapfrog/op")
			b.ReportMetric((processCPUSeconds()-c0)/float64(leap)*1e6, "us/leapfrog-cpu")
		})
	}
}
