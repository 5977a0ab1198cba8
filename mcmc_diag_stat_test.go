package bnn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// diagStationaryAR1 returns m chains of n draws of a stationary Gaussian AR(1)
// with coefficient rho and unit marginal variance.
func diagStationaryAR1(r *rand.Rand, m, n int, rho float64) [][]float64 {
	s := math.Sqrt(1 - rho*rho)
	d := make([][]float64, m)
	for c := range d {
		d[c] = make([]float64, n)
		v := r.NormFloat64()
		for i := range d[c] {
			d[c][i] = v
			v = rho*v + s*r.NormFloat64()
		}
	}
	return d
}

// TestMCMCDiagnosticsStatistical checks the diagnostics' statistical meaning
// on stationary AR(1) chains, where the truth is known: the ESS of the mean is
// S(1−ρ)/(1+ρ), the errors of the mean divided by MCSEMean have unit
// standard deviation, and R̂ of converged chains stays near 1. Over 300
// seeds the standard error of the z-scores' sd is ≈ 0.041 and that of the
// mean ESS ratio ≈ 0.006, so the bounds are ≈ 3.5 standard errors wide.
func TestMCMCDiagnosticsStatistical(t *testing.T) {
	if testing.Short() {
		t.Skip("300 seeds of 4×1000 draws; skipped with -short")
	}
	const seeds, m, n, rho = 300, 4, 1000, 0.7
	trueESS := float64(m*n) * (1 - rho) / (1 + rho)
	var zz, essRatio, bulkRatio, rhatMean, rhatMax float64
	for seed := range uint64(seeds) {
		d := diagStationaryAR1(rand.New(rand.NewPCG(seed, 77)), m, n, rho)
		s, err := SummarizeDraws([]string{"x"}, [][][]float64{d})
		if err != nil {
			t.Fatal(err)
		}
		r := s[0]
		z := r.Mean / r.MCSEMean
		zz += z * z
		var w diagWork
		essRatio += w.splitESS(w.splitViews(d)) / trueESS
		bulkRatio += r.ESSBulk / trueESS
		rhatMean += r.RHat / seeds
		rhatMax = max(rhatMax, r.RHat)
	}
	sdZ := math.Sqrt(zz / seeds)
	essRatio /= seeds
	bulkRatio /= seeds
	t.Logf("sd(mean/MCSE) = %.3f, mean ESS/true = %.3f, bulk ESS/true = %.3f, mean R̂ = %.4f, max R̂ = %.4f", sdZ, essRatio, bulkRatio, rhatMean, rhatMax)
	if sdZ < 0.86 || sdZ > 1.14 {
		t.Errorf("sd of (mean − truth)/MCSE = %.3f, want 1 ± 0.14", sdZ)
	}
	if essRatio < 0.95 || essRatio > 1.05 {
		t.Errorf("mean ESS / true ESS = %.3f, want 1 ± 0.05", essRatio)
	}
	if bulkRatio < 0.9 || bulkRatio > 1.1 {
		t.Errorf("mean bulk ESS / true ESS = %.3f, want 1 ± 0.1", bulkRatio)
	}
	if rhatMean < 1 || rhatMean > 1.01 || rhatMax > 1.03 {
		t.Errorf("R̂ of converged chains: mean %.4f, max %.4f; want mean in [1, 1.01] (≈ 1 + 1/(2·ESS per split chain) ≈ 1.005), max < 1.03", rhatMean, rhatMax)
	}
}

// TestAutocovFFTMatchesDirect checks the FFT mean autocovariance over 1, 2
// and 3 chains (odd counts leave the last chain unpaired) at every transform
// size up to 256 and at 2048 against the direct O(n²) sums
// Σᵢ ycᵢ·ycᵢ₊ₜ / n averaged over chains.
func TestAutocovFFTMatchesDirect(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var a autocovFFT
	for _, n := range []int{2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 64, 100, 127, 128, 1000} {
		for m := 1; m <= 3; m++ {
			chains := make([][]float64, m)
			for c := range chains {
				chains[c] = make([]float64, n)
				for i := range chains[c] {
					chains[c][i] = float64(c+1)*r.NormFloat64() + 3 + 0.01*float64(c*i)
				}
			}
			got := make([]float64, n)
			a.meanAcov(got, chains)
			for lag := range n {
				want := 0.0
				for _, x := range chains {
					mu := 0.0
					for _, v := range x {
						mu += v
					}
					mu /= float64(n)
					for i := 0; i+lag < n; i++ {
						want += (x[i] - mu) * (x[i+lag] - mu)
					}
				}
				want /= float64(n * m)
				if d := math.Abs(got[lag] - want); d > 1e-12*got[0] {
					t.Fatalf("n=%d m=%d lag %d: FFT %v, direct %v", n, m, lag, got[lag], want)
				}
			}
		}
	}
}
