package bnn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// gaussLogJoint returns the log density of N(mean, cov) through the
// precision matrix prec (row-major).
func gaussLogJoint(mean, prec []float64) LogJoint {
	n := len(mean)
	return func(th, g []float64) float64 {
		lp := 0.0
		for i := range n {
			s := 0.0
			for j := range n {
				s += prec[i*n+j] * (th[j] - mean[j])
			}
			g[i] = -s
			lp -= 0.5 * (th[i] - mean[i]) * s
		}
		return lp
	}
}

// checkMoments compares each parameter's posterior mean with want within
// 4 MCSE and its std with wantSD within relSD (relative).
func checkMoments(t *testing.T, res *MCMCResult, want, wantSD []float64, relSD float64) {
	t.Helper()
	for _, e := range momentErrors(res, want, wantSD, relSD) {
		t.Error(e)
	}
}

func momentErrors(res *MCMCResult, want, wantSD []float64, relSD float64) (errs []string) {
	for j := range want {
		d := res.Param(j)
		mcse, err := MCSEMean(d)
		if err != nil || math.IsNaN(mcse) {
			return append(errs, fmt.Sprintf("param %d: MCSE %v, %v", j, mcse, err))
		}
		mean, sd := pooledMeanSD(d)
		if math.Abs(mean-want[j]) > 4*mcse {
			errs = append(errs, fmt.Sprintf("param %d: mean %.5g, want %.5g ± 4·%.3g", j, mean, want[j], mcse))
		}
		if math.Abs(sd-wantSD[j]) > relSD*wantSD[j] {
			errs = append(errs, fmt.Sprintf("param %d: sd %.5g, want %.5g within %g%%", j, sd, wantSD[j], 100*relSD))
		}
	}
	return errs
}

func pooledMeanSD(d [][]float64) (mean, sd float64) {
	n := 0
	for _, ch := range d {
		for _, v := range ch {
			mean += v
			n++
		}
	}
	mean /= float64(n)
	for _, ch := range d {
		for _, v := range ch {
			sd += (v - mean) * (v - mean)
		}
	}
	return mean, math.Sqrt(sd / float64(n-1))
}

func TestAdaptWindowsSchedule(t *testing.T) {
	ends := func(warmup int) (e []int) {
		w := newAdaptWindows(warmup)
		for it := range warmup {
			if w.endOfWindow() {
				w.advance()
				e = append(e, it)
			}
			w.counter++
		}
		return e
	}
	for _, c := range []struct {
		warmup int
		want   []int
	}{
		{1000, []int{99, 149, 249, 449, 949}}, // Stan's default schedule: the last window stretches to 949
		{2000, []int{99, 149, 249, 449, 849, 1949}},
		{150, []int{99}}, // 75 + 25 + 50 fit exactly
		{100, []int{89}}, // 15 % / 75 % / 10 %: 15 + 75 + 10
		{10, nil},        // too short: no metric adaptation
	} {
		if got := ends(c.warmup); !reflect.DeepEqual(got, c.want) {
			t.Errorf("warmup %d: windows end at %v, want %v", c.warmup, got, c.want)
		}
	}
}

func TestDualAveragingReachesTarget(t *testing.T) {
	// Acceptance exp(−ε) reaches 0.8 at ε = −ln 0.8.
	d := newDualAveraging(0.8)
	eps := 1.0
	d.restart(eps)
	for range 2000 {
		eps = d.learn(math.Exp(-eps))
	}
	if got, want := d.final(), -math.Log(0.8); math.Abs(got-want) > 0.02*want {
		t.Errorf("adapted step %g, want %g", got, want)
	}
}

func TestWelfordRegularised(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([][]float64, 40)
	for i := range x {
		x[i] = []float64{r.NormFloat64(), 3 * r.NormFloat64(), r.NormFloat64()}
		x[i][2] += x[i][1]
	}
	for _, dense := range []bool{false, true} {
		w := newWelford(3, dense)
		for _, v := range x {
			w.add(v)
		}
		got := make([]float64, len(w.m2))
		if err := w.regularisedTo(got); err != nil {
			t.Fatal(err)
		}
		n := float64(len(x))
		for a := range 3 {
			for b := range 3 {
				if !dense && a != b {
					continue
				}
				var ma, mb, s float64
				for _, v := range x {
					ma += v[a] / n
					mb += v[b] / n
				}
				for _, v := range x {
					s += (v[a] - ma) * (v[b] - mb)
				}
				want := n / (n + 5) * s / (n - 1)
				if a == b {
					want += 1e-3 * 5 / (n + 5)
				}
				idx := a
				if dense {
					idx = a*3 + b
				}
				if math.Abs(got[idx]-want) > 1e-12*math.Abs(want) {
					t.Errorf("dense %t (%d,%d): %g, want %g", dense, a, b, got[idx], want)
				}
			}
		}
	}
}

// corrGauss is a 4-d Gaussian with scales from 0.1 to 10 and a correlation of 0.9.
func corrGauss() (mean, cov, prec []float64) {
	mean = []float64{1, -2, 0, 5}
	sd := []float64{0.1, 1, 10, 2}
	corr := []float64{1, 0, 0, 0, 0, 1, 0.9, 0, 0, 0.9, 1, 0, 0, 0, 0, 1}
	cov = make([]float64, 16)
	for i := range 4 {
		for j := range 4 {
			cov[i*4+j] = corr[i*4+j] * sd[i] * sd[j]
		}
	}
	c, _ := NewDense(4, 4, append([]float64(nil), cov...))
	var ch Cholesky
	if err := ch.Factorize(c); err != nil {
		panic(err)
	}
	inv := NewDenseZero(4, 4)
	_ = ch.InverseTo(inv) // test reference only
	return mean, cov, inv.RawData()
}

func NewDenseZero(r, c int) *Dense { d, _ := NewDense(r, c, make([]float64, r*c)); return d }

func TestNUTSGaussianMoments(t *testing.T) {
	mean, cov, prec := corrGauss()
	sd := make([]float64, 4)
	for i := range sd {
		sd[i] = math.Sqrt(cov[i*4+i])
	}
	for _, c := range []struct {
		name string
		cfg  NUTSConfig
	}{
		{"diag", NUTSConfig{Seed: 3}},
		{"dense", NUTSConfig{Seed: 4, Metric: MetricDense}},
		{"static", NUTSConfig{Seed: 5, StaticSteps: 12, StepJitter: 0.5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := SampleNUTS(context.Background(), 4, gaussLogJoint(mean, prec), c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkMoments(t, res, mean, sd, 0.1)
			if res.Divergences() != 0 {
				t.Errorf("%d divergences on a Gaussian", res.Divergences())
			}
			// The adapted metric estimates the covariance (diagonal or full).
			for ch, m := range res.Metric {
				for i := range 4 {
					want, got := cov[i*4+i], m[i]
					if res.Dense {
						got = m[i*4+i]
					}
					if math.Abs(got-want) > 0.35*want {
						t.Errorf("chain %d: metric %d = %g, covariance %g", ch, i, got, want)
					}
				}
			}
			if c.name == "dense" {
				// With the full covariance as metric the trajectories are short.
				mean := 0.0
				for _, s := range res.Stats[0] {
					mean += float64(s.NLeapfrog)
				}
				if mean /= float64(len(res.Stats[0])); mean > 8 {
					t.Errorf("dense metric: %.1f leapfrog steps per draw", mean)
				}
			}
			acc := 0.0
			for _, s := range res.Stats[1] {
				acc += s.AcceptStat
			}
			if acc /= float64(len(res.Stats[1])); acc < 0.7 || acc > 0.97 {
				t.Errorf("mean acceptance %.3f, target 0.8", acc)
			}
		})
	}
}

// blrProblem is a Bayesian linear regression with a design of 5 correlated
// columns, and its exact posterior.
func blrProblem(t testing.TB, seed uint64) (*Dense, []float64, float64, float64, *BayesLinear) {
	r := rand.New(rand.NewPCG(seed, 7))
	const n, m = 40, 5
	phi := NewDenseZero(n, m)
	y := make([]float64, n)
	for i := range n {
		x := 2*r.Float64() - 1
		for j := range m {
			phi.Set(i, j, math.Pow(x, float64(j))+0.1*r.NormFloat64())
		}
		y[i] = 0.5 - x + 2*x*x*x + 0.3*r.NormFloat64()
	}
	alpha, beta := 0.5, 1/0.09
	post, err := FitBayesLinear(phi, y, alpha, beta)
	if err != nil {
		t.Fatal(err)
	}
	return phi, y, alpha, beta, post
}

// blrLogJoint is −α/2‖w‖² − β/2‖y − Φw‖².
func blrLogJoint(phi *Dense, y []float64, alpha, beta float64) LogJoint {
	n, m := phi.Dims()
	return func(w, g []float64) float64 {
		lp := 0.0
		for j := range m {
			g[j] = -alpha * w[j]
			lp -= 0.5 * alpha * w[j] * w[j]
		}
		for i := range n {
			row := phi.RawRow(i)
			r := y[i] - dotF64(row, w)
			lp -= 0.5 * beta * r * r
			axpyF64(beta*r, row, g)
		}
		return lp
	}
}

// blrExactness samples the regression's posterior with cfg and returns the
// disagreements with the exact posterior (means within 4 MCSE, sds within 10 %).
func blrExactness(t *testing.T, cfg NUTSConfig) (*MCMCResult, []string) {
	phi, y, alpha, beta, post := blrProblem(t, 1)
	_, m := phi.Dims()
	cov := NewDenseZero(m, m)
	if err := post.CovarianceTo(cov); err != nil {
		t.Fatal(err)
	}
	sd := make([]float64, m)
	for j := range sd {
		sd[j] = math.Sqrt(cov.At(j, j))
	}
	res, err := SampleNUTS(context.Background(), m, blrLogJoint(phi, y, alpha, beta), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res, momentErrors(res, post.Mean(), sd, 0.1)
}

// expExactness samples x ~ Exponential(1) (through the log transform) and
// z ~ N(0, 1), a skewed target with exact moments, and returns the
// disagreements (means within 4 MCSE, sds within 5 %, 4 × 5,000 draws).
func expExactness(t *testing.T, cfg NUTSConfig) []string {
	cfg.Transforms = mustConstrained(t, LowerBound(0), Unbounded(1))
	if cfg.Draws == 0 {
		cfg.Draws = 5000
	}
	lj := func(x, g []float64) float64 { g[0], g[1] = -1, -x[1]; return -x[0] - 0.5*x[1]*x[1] }
	res, err := SampleNUTS(context.Background(), 2, lj, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return momentErrors(res, []float64{1, 0}, []float64{1, 1}, 0.05)
}

func TestNUTSExponentialExact(t *testing.T) {
	for _, e := range expExactness(t, NUTSConfig{Seed: 11}) {
		t.Error(e)
	}
}

// Deliberate bugs in the sampler make the exactness checks fail.
func TestNUTSMutationsFailExactness(t *testing.T) {
	for _, c := range []struct {
		mut  nutsMutation
		name string
	}{
		{mutUnitKinetic, "unit metric in the kinetic energy"},
		{mutAlwaysNewSubtree, "no multinomial sampling (trajectory's last point)"},
	} {
		// Short runs and shallow trees keep the mutants cheap; their errors are large.
		cfg := NUTSConfig{Seed: 11, Chains: 2, Warmup: 500, Draws: 1000, MaxTreeDepth: 6, mutation: c.mut}
		_, errsBLR := blrExactness(t, cfg)
		errsExp := expExactness(t, cfg)
		t.Logf("mutation %q: %d regression and %d exponential failures", c.name, len(errsBLR), len(errsExp))
		if len(errsBLR)+len(errsExp) == 0 {
			t.Errorf("mutation %q passes the exactness checks", c.name)
		}
	}
}

func TestNUTSBayesLinearExact(t *testing.T) {
	for _, metric := range []MetricKind{MetricDiag, MetricDense} {
		res, errs := blrExactness(t, NUTSConfig{Seed: 11, Metric: metric})
		for _, e := range errs {
			t.Errorf("metric %d: %s", metric, e)
		}
		sum, err := res.Summary(nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sum {
			if s.RHat > 1.01 || s.ESSBulk < 400 {
				t.Errorf("metric %d %s: R̂ %.4f, bulk ESS %.0f", metric, s.Name, s.RHat, s.ESSBulk)
			}
		}
	}
}

// The seed's oscillator with its closed-form trajectory and Uniform priors:
// NUTS on the logit scale agrees with the refined grid posterior.
func TestNUTSOscillatorMatchesGrid(t *testing.T) {
	m, tr, x := seedOscExact(t)
	gm, err := NotebookOscillatorData(x).GridModel()
	if err != nil {
		t.Fatal(err)
	}
	grid, _, err := RefineGridPosterior(context.Background(), NotebookOscillatorGrid(), gm, GridRefineConfig{CellsPerStd: 10})
	if err != nil {
		t.Fatal(err)
	}
	res, err := SampleNUTS(context.Background(), 2, m.logJoint, NUTSConfig{Seed: 2026, Transforms: tr})
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstGrid(t, res, grid.Mean(), grid.Std())
}

func TestNUTSWarmupNegativeAndStats(t *testing.T) {
	lj := gaussLogJoint([]float64{0, 0}, []float64{1, 0, 0, 1})
	res, err := SampleNUTS(context.Background(), 2, lj, NUTSConfig{Chains: 1, Warmup: -1, Draws: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.WarmupLeapfrogs[0] != 0 || res.Metric[0][0] != 1 {
		t.Errorf("no warm-up: %d warm-up leapfrogs, metric %v", res.WarmupLeapfrogs[0], res.Metric[0])
	}
	for i, s := range res.Stats[0] {
		if s.StepSize != res.StepSize[0] || s.NLeapfrog < 1 || s.NLeapfrog > 1<<s.TreeDepth || s.AcceptStat < 0 || s.AcceptStat > 1 ||
			math.Abs(s.Energy-(-s.LogDensity)) > 50 {
			t.Fatalf("draw %d: bad stats %+v", i, s)
		}
	}
	e, err := res.EBFMI()
	if err != nil || e[0] < 0.5 || e[0] > 2 {
		t.Errorf("E-BFMI %v, %v", e, err)
	}
	if res.MaxTreeDepthHits() != 0 {
		t.Errorf("%d max tree depth hits on a standard normal", res.MaxTreeDepthHits())
	}
	// Depth 1 forces every transition to the cap.
	res, err = SampleNUTS(context.Background(), 2, lj, NUTSConfig{Chains: 1, MaxTreeDepth: 1, Draws: 100, Warmup: 100})
	if err != nil || res.MaxTreeDepthHits() < 50 {
		t.Errorf("depth 1: %d hits, %v", res.MaxTreeDepthHits(), err)
	}
}

// A chain's transitions and leapfrog steps allocate nothing.
func TestNUTSZeroAllocs(t *testing.T) {
	for _, c := range []struct {
		dense  bool
		static int
	}{{false, 0}, {true, 0}, {false, 10}} {
		mean, _, prec := corrGauss()
		k := newHMCKernel(4, gaussLogJoint(mean, prec), newHMCMetric(4, c.dense), rand.New(&rngSource{newGaussRNG(1, 0)}), 10, c.static)
		s := nutsSettings{NUTSConfig: NUTSConfig{InitRadius: 2}}
		if err := k.initialise(&s, 0); err != nil {
			t.Fatal(err)
		}
		k.eps = 0.3
		for range 10 {
			k.transition()
		}
		if a := testing.AllocsPerRun(200, func() { k.transition() }); a != 0 {
			t.Errorf("dense %t static %d: %v allocations per transition", c.dense, c.static, a)
		}
		if a := testing.AllocsPerRun(200, func() { k.leapfrog(&k.z, 0.1) }); a != 0 {
			t.Errorf("dense %t: %v allocations per leapfrog step", c.dense, a)
		}
	}
	// Through the transforms too.
	m, tr, _ := seedOscExact(t)
	lj := tr.LogJoint(m.logJoint)
	y, g := []float64{0, 0}, make([]float64, 2)
	if a := testing.AllocsPerRun(100, func() { lj(y, g) }); a != 0 {
		t.Errorf("%v allocations per transformed log joint", a)
	}
}

func TestCheckGradient(t *testing.T) {
	mean, _, prec := corrGauss()
	good := gaussLogJoint(mean, prec)
	theta := []float64{0.3, -1, 2, 4}
	if err := CheckGradient(good, theta, 1e-6); err != nil {
		t.Errorf("correct gradient: %v", err)
	}
	bad := func(th, g []float64) float64 {
		lp := good(th, g)
		g[2] *= 1.001
		return lp
	}
	err := CheckGradient(bad, theta, 1e-5)
	if !errors.Is(err, ErrGradientMismatch) || !strings.Contains(err.Error(), "element 2") {
		t.Errorf("wrong gradient element 2: %v", err)
	}
	nan := func(th, g []float64) float64 { good(th, g); g[1] = math.NaN(); return 0 }
	if err := CheckGradient(nan, theta, 1e-6); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN gradient: %v", err)
	}
	for _, tol := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if err := CheckGradient(good, theta, tol); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("tolerance %g: %v", tol, err)
		}
	}
	if err := CheckGradient(nil, theta, 1e-6); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("nil: %v", err)
	}
	if theta[2] != 2 {
		t.Error("theta modified")
	}
}

func TestMCMCResultMethods(t *testing.T) {
	lj := gaussLogJoint([]float64{3, -3}, []float64{1, 0, 0, 4})
	res, err := SampleNUTS(context.Background(), 2, lj, NUTSConfig{Chains: 3, Warmup: 100, Draws: 50, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.NumChains() != 3 || res.NumDraws() != 50 || res.NumParams != 2 {
		t.Fatalf("shape %d×%d×%d", res.NumChains(), res.NumDraws(), res.NumParams)
	}
	p := res.Param(1)
	if len(p) != 3 || len(p[2]) != 50 || p[2][7] != res.Draws[2][7][1] {
		t.Error("Param layout is not chains × draws")
	}
	p[0][0] = 1e9 // a copy
	if res.Draws[0][0][1] == 1e9 {
		t.Error("Param aliases the draws")
	}
	leap := 0
	for c := range 3 {
		leap += res.WarmupLeapfrogs[c]
		for _, s := range res.Stats[c] {
			leap += s.NLeapfrog
		}
	}
	if res.TotalLeapfrogs() != leap || res.WarmupLeapfrogs[0] < 100 {
		t.Errorf("total leapfrogs %d, want %d", res.TotalLeapfrogs(), leap)
	}
	sum, err := res.Summary(nil)
	if err != nil || len(sum) != 2 || sum[1].Name != "theta[1]" || math.Abs(sum[0].Mean-3) > 0.5 {
		t.Errorf("summary %+v, %v", sum, err)
	}
	if _, err := res.Summary([]string{"a"}); !errors.Is(err, ErrShape) {
		t.Errorf("one name for two parameters: %v", err)
	}
	if e, err := res.MinESSBulk(); err != nil || !(e > 10) {
		t.Errorf("min bulk ESS %v, %v", e, err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Param(2) of 2 parameters did not panic")
		}
	}()
	res.Param(2)
}
