package bnn

import (
	"context"
	"errors"
	"math"
	"runtime"
	"testing"
)

// Stan's oscillator.stan (integrate_ode_rk45, rtol 1e-7, atol 1e-9) on this
// machine kind: ../shared/reference/stan/stan_reference.json.
const (
	stanODEESSPerSecond    = 341.43771083
	stanODESecondsPerGrad  = 0.00017693
	stanBNN16ESSPerSecond  = 2.60830291
	stanBNN16SecondsPerGrd = 0.00011646
)

// checkAgainstGrid checks that the pooled mean and sd of every parameter
// agree with the grid's within 4 MCSE (the sd's MCSE by the delta method on
// the squared deviations).
func checkAgainstGrid(t *testing.T, res *MCMCResult, gMean, gSD []float64) {
	t.Helper()
	for j := range gMean {
		d := res.Param(j)
		mean, sd := pooledMeanSD(d)
		mcse, _ := MCSEMean(d)
		sq := make([][]float64, len(d))
		for c, ch := range d {
			sq[c] = make([]float64, len(ch))
			for i, v := range ch {
				sq[c][i] = (v - mean) * (v - mean)
			}
		}
		mcseVar, _ := MCSEMean(sq)
		mcseSD := mcseVar / (2 * sd)
		t.Logf("param %d: NUTS %.6f ± %.2g sd %.6f ± %.2g; grid %.6f sd %.6f", j, mean, mcse, sd, mcseSD, gMean[j], gSD[j])
		if math.Abs(mean-gMean[j]) > 4*mcse {
			t.Errorf("param %d: mean %.6g, grid %.6g, 4 MCSE = %.3g", j, mean, gMean[j], 4*mcse)
		}
		if math.Abs(sd-gSD[j]) > 4*mcseSD {
			t.Errorf("param %d: sd %.6g, grid %.6g, 4 MCSE = %.3g", j, sd, gSD[j], 4*mcseSD)
		}
	}
}

// NUTS on the oscillator through the ODE (forward sensitivities, Uniform
// priors by logit transforms) agrees with the refined grid posterior within
// 4 MCSE, over three seeds.
func TestNUTSOscillatorODEMatchesGrid(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	gm, err := d.GridModel()
	if err != nil {
		t.Fatal(err)
	}
	grid, _, err := RefineGridPosterior(context.Background(), NotebookOscillatorGrid(), gm, GridRefineConfig{CellsPerStd: 10})
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		t.Skip("three 4 × 2,000-iteration NUTS runs through the ODE")
	}
	seeds := []uint64{1, 2, 3}
	for _, seed := range seeds {
		res, err := d.SampleODENUTS(context.Background(), NUTSConfig{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstGrid(t, res, grid.Mean(), grid.Std())
		s, err := res.Summary([]string{"zeta", "omega_n"})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range s {
			if p.RHat > 1.01 || p.ESSBulk < 1000 {
				t.Errorf("seed %d %s: R̂ %.4f, bulk ESS %.0f", seed, p.Name, p.RHat, p.ESSBulk)
			}
		}
		if dv := res.Divergences(); dv != 0 {
			t.Errorf("seed %d: %d divergences", seed, dv)
		}
	}
}

// SampleODENUTS gives the same bits at GOMAXPROCS 1 and 2 (every chain owns
// its likelihood and solver, and each gradient restarts the solver).
func TestSampleODENUTSDeterministicAcrossGOMAXPROCS(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	var want [][]float64
	for _, procs := range []int{1, 2} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			res, err := d.SampleODENUTS(context.Background(), NUTSConfig{Seed: 7, Warmup: 150, Draws: 50})
			if err != nil {
				t.Fatal(err)
			}
			got := res.Param(1)
			if want == nil {
				want = got
				return
			}
			for c := range want {
				for i := range want[c] {
					if got[c][i] != want[c][i] {
						t.Fatalf("GOMAXPROCS %d: chain %d draw %d = %v, want %v", procs, c, i, got[c][i], want[c][i])
					}
				}
			}
		}()
	}
}

func TestSampleODENUTSErrors(t *testing.T) {
	x, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(x)
	bad := d
	bad.NoiseStd = 0
	if _, err := bad.SampleODENUTS(context.Background(), NUTSConfig{}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("zero noise: %v", err)
	}
	if _, err := d.SampleODENUTS(context.Background(), NUTSConfig{Draws: -1}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("negative draws: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := d.SampleODENUTS(ctx, NUTSConfig{Chains: 1, Progress: func(_, it int) {
		if n++; n == 50 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mid-chain: %v", err)
	}
}

// BenchmarkNUTSOscillatorODE runs Stan's protocol (4 chains × (1,000 +
// 1,000), diagonal metric, δ = 0.8, tree depth 10) on the ODE model and
// reports what bench/stan_compare.sh reads, as BenchmarkNUTSOscillatorExact
// does: the minimum bulk ESS per second of wall clock (ess_bulk/s, the
// chains in parallel), per second of the chains' times summed
// (ess_bulk/chain-s, Stan's measure: its chains run one after another) and
// per CPU second of the process (ess_bulk/cpu-s, all cores summed, which
// load inflates least); the time per log density + gradient measured apart
// (us/grad, us/grad-cpu) and per leapfrog step of the runs (us/leapfrog,
// us/leapfrog-cpu), the leapfrog steps (warm-up included) and the ratios to
// Stan's recorded run (x_stan_*, CPU-based).
func BenchmarkNUTSOscillatorODE(b *testing.B) {
	x, _ := loadSeedGrid(b)
	d := NotebookOscillatorData(x)
	l, err := d.NewODELogLik()
	if err != nil {
		b.Fatal(err)
	}
	tr, err := NewConstrained(Bounded(d.ZetaPrior[0], d.ZetaPrior[1]), Bounded(d.OmegaPrior[0], d.OmegaPrior[1]))
	if err != nil {
		b.Fatal(err)
	}
	ess, cpu, leap := benchNUTSProtocol(b, tr.LogJoint(l.LogJoint()), 20000, func(i int) (*MCMCResult, error) {
		return d.SampleODENUTS(context.Background(), NUTSConfig{Seed: uint64(i + 1)})
	})
	b.ReportMetric(ess/cpu/stanODEESSPerSecond, "x_stan_ess/cpu-s")
	b.ReportMetric(stanODESecondsPerGrad*float64(leap)/cpu, "x_stan_leapfrog-cpu")
}
