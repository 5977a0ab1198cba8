package bnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari and
// Gelman 2018, "Validating Bayesian inference algorithms with
// simulation-based calibration"): draw θ from the prior and data from the
// model, sample the posterior, and rank θ among L thinned posterior draws.
// A correct sampler gives ranks uniform on 0…L for every replication count;
// a biased one gives ∪-, ∩- or sloped histograms.

// sbcModel simulates one replication: the true constrained θ and the log
// density of the posterior given data simulated from it.
type sbcModel struct {
	name       string
	dim        int
	transforms *Constrained
	ranked     []string // names of the first len(ranked) parameters ranked
	simulate   func(r *rand.Rand) (theta []float64, lj LogJoint)
}

// sbcRanks runs reps replications of m in parallel (deterministically: each
// replication's seed is its index) and returns, per ranked parameter, the
// rank histogram in bins bins of ranks 0…draws (draws+1 must be a multiple
// of bins), plus the total of divergent transitions.
func sbcRanks(t *testing.T, m sbcModel, reps, draws, thin, bins int, cfg NUTSConfig) ([][]int, int) {
	t.Helper()
	if (draws+1)%bins != 0 {
		t.Fatalf("%d ranks do not split into %d bins", draws+1, bins)
	}
	nq := len(m.ranked)
	ranks := make([][]int, reps)
	divs := make([]int, reps)
	errs := make([]error, reps)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := w; rep < reps; rep += workers {
				r := rand.New(rand.NewPCG(0x5bc, uint64(rep)))
				theta, lj := m.simulate(r)
				c := cfg
				c.Chains, c.Draws, c.Seed, c.Transforms = 1, draws*thin, uint64(rep), m.transforms
				res, err := SampleNUTS(context.Background(), m.dim, lj, c)
				if err != nil {
					errs[rep] = err
					continue
				}
				ranks[rep] = make([]int, nq)
				for q := range nq {
					for i := thin - 1; i < draws*thin; i += thin {
						if res.Draws[0][i][q] < theta[q] {
							ranks[rep][q]++
						}
					}
				}
				divs[rep] = res.Divergences()
			}
		}()
	}
	wg.Wait()
	hist := make([][]int, nq)
	for q := range hist {
		hist[q] = make([]int, bins)
	}
	total := 0
	for rep := range reps {
		if errs[rep] != nil {
			t.Fatalf("replication %d: %v", rep, errs[rep])
		}
		for q, rk := range ranks[rep] {
			hist[q][rk*bins/(draws+1)]++
		}
		total += divs[rep]
	}
	return hist, total
}

// chiSquareUniformP returns the p-value of Pearson's χ² test that the
// histogram's counts are uniform over its bins.
func chiSquareUniformP(h []int) float64 {
	n := 0
	for _, c := range h {
		n += c
	}
	e := float64(n) / float64(len(h))
	x2 := 0.0
	for _, c := range h {
		d := float64(c) - e
		x2 += d * d / e
	}
	return gammaIncQ(float64(len(h)-1)/2, x2/2)
}

// eightSchools is the non-centred eight schools model (Rubin 1981; Stan's
// case study): μ ~ N(0, 5²), τ ~ half-Cauchy(0, 5), ηⱼ ~ N(0, 1),
// yⱼ ~ N(μ + τηⱼ, σⱼ²) with the eight known σⱼ. θ = (μ, τ, η₁…η₈).
func eightSchools() sbcModel {
	sigma := []float64{15, 10, 16, 11, 9, 11, 10, 18}
	return sbcModel{
		name: "eight schools (non-centred)", dim: 10,
		transforms: func() *Constrained {
			c, err := NewConstrained(Unbounded(1), LowerBound(0), Unbounded(8))
			if err != nil {
				panic(err)
			}
			return c
		}(),
		ranked: []string{"mu", "tau", "eta[1]", "eta[2]"},
		simulate: func(r *rand.Rand) ([]float64, LogJoint) {
			theta := make([]float64, 10)
			theta[0] = 5 * r.NormFloat64()
			theta[1] = 5 * math.Abs(math.Tan(math.Pi*(r.Float64()-0.5)))
			y := make([]float64, 8)
			for j := range 8 {
				theta[2+j] = r.NormFloat64()
				y[j] = theta[0] + theta[1]*theta[2+j] + sigma[j]*r.NormFloat64()
			}
			return theta, func(th, g []float64) float64 {
				mu, tau := th[0], th[1]
				u := tau / 5
				lp := -mu*mu/50 - math.Log1p(u*u)
				g[0] = -mu / 25
				g[1] = -2 * u / 5 / (1 + u*u)
				for j := range 8 {
					eta := th[2+j]
					res := y[j] - mu - tau*eta
					iv := 1 / (sigma[j] * sigma[j])
					lp -= 0.5*eta*eta + 0.5*res*res*iv
					g[0] += res * iv
					g[1] += res * eta * iv
					g[2+j] = -eta + res*tau*iv
				}
				return lp
			}
		},
	}
}

// linearRegressionSBC is Bayesian linear regression with three polynomial
// features on 20 fixed inputs, w ~ N(0, I), noise std 0.5.
func linearRegressionSBC() sbcModel {
	const n, m = 20, 3
	phi := NewDenseZero(n, m)
	for i := range n {
		x := -1 + 2*float64(i)/(n-1)
		phi.Set(i, 0, 1)
		phi.Set(i, 1, x)
		phi.Set(i, 2, x*x)
	}
	return sbcModel{
		name: "linear regression", dim: m, ranked: []string{"w0", "w1", "w2"},
		simulate: func(r *rand.Rand) ([]float64, LogJoint) {
			w := []float64{r.NormFloat64(), r.NormFloat64(), r.NormFloat64()}
			y := make([]float64, n)
			for i := range n {
				y[i] = dotF64(phi.RawRow(i), w) + 0.5*r.NormFloat64()
			}
			return w, blrLogJoint(phi, y, 1, 4)
		},
	}
}

// sbcFailures returns a description of every ranked parameter whose rank
// histogram fails the χ² uniformity test at p ≤ 0.001.
func sbcFailures(m sbcModel, hist [][]int) (fails []string, minP float64) {
	minP = 1
	for q, h := range hist {
		p := chiSquareUniformP(h)
		minP = math.Min(minP, p)
		if p <= 0.001 {
			fails = append(fails, fmt.Sprintf("%s %s: χ² p = %.2g, histogram %v", m.name, m.ranked[q], p, h))
		}
	}
	return fails, minP
}

const (
	sbcReps  = 500
	sbcDraws = 99 // thinned posterior draws per replication: ranks 0…99
	sbcBins  = 20
	sbcThin  = 5
)

func TestNUTSSimulationBasedCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation-based calibration: 2 × 500 replications")
	}
	cfg := NUTSConfig{Warmup: 300}
	for _, m := range []sbcModel{eightSchools(), linearRegressionSBC()} {
		hist, divs := sbcRanks(t, m, sbcReps, sbcDraws, sbcThin, sbcBins, cfg)
		fails, minP := sbcFailures(m, hist)
		t.Logf("%s: %d replications, smallest χ² p = %.3g, %d divergent transitions", m.name, sbcReps, minP, divs)
		for _, f := range fails {
			t.Error(f)
		}
	}
}

// The same calibration check catches a sampler with a deliberate bug.
func TestNUTSSimulationBasedCalibrationCatchesMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation-based calibration of mutated samplers")
	}
	for _, c := range []struct {
		mut  nutsMutation
		name string
	}{{mutAlwaysNewSubtree, "no multinomial sampling (trajectory's last point)"}} {
		m := eightSchools()
		hist, _ := sbcRanks(t, m, 200, sbcDraws, sbcThin, sbcBins, NUTSConfig{Warmup: 300, mutation: c.mut})
		fails, minP := sbcFailures(m, hist)
		t.Logf("mutation %q: smallest χ² p = %.3g", c.name, minP)
		if len(fails) == 0 {
			t.Errorf("mutation %q passes simulation-based calibration", c.name)
		}
	}
}
