package bnn

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Pathologies, bad input, determinism and cancellation.
// Neal's funnel in its centred form: v ~ N(0, 3²), xᵢ | v ~ N(0, eᵛ). The
// neck defeats any single step size, and the sampler reports divergences.
func funnelLogJoint(th, g []float64) float64 {
	v := th[0]
	lp := -v * v / 18
	g[0] = -v / 9
	ev := math.Exp(-v)
	for i := 1; i < len(th); i++ {
		lp -= 0.5*th[i]*th[i]*ev + 0.5*v
		g[i] = -th[i] * ev
		g[0] += 0.5*th[i]*th[i]*ev - 0.5
	}
	return lp
}

func TestNUTSFunnelDivergences(t *testing.T) {
	res, err := SampleNUTS(context.Background(), 10, funnelLogJoint, NUTSConfig{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	n := res.Divergences()
	t.Logf("%d divergences, %d warm-up", n, res.WarmupDivergences)
	if n < 10 {
		t.Fatalf("%d divergences on the centred funnel, want many", n)
	}
	pts, vSum := 0, 0.0
	for c, dp := range res.DivergentPoints {
		for _, p := range dp {
			if p.Chain != c || len(p.Position) != 10 || len(p.Diverged) != 10 || !res.Stats[c][p.Draw].Divergent ||
				!reflect.DeepEqual(p.Position, res.Draws[c][p.Draw]) {
				t.Fatalf("bad divergent point %+v", p)
			}
			vSum += p.Position[0]
			pts++
		}
	}
	if pts != n {
		t.Errorf("%d divergent points for %d divergent draws", pts, n)
	}
	// Divergences happen in the neck (v well below its prior mean 0).
	if vSum/float64(pts) > -1 {
		t.Errorf("mean v at divergences %.2f, want the neck (< −1)", vSum/float64(pts))
	}
}

func TestNUTSNonFiniteInit(t *testing.T) {
	nan := func(th, g []float64) float64 { g[0], g[1] = 0, 0; return math.NaN() }
	inf := func(th, g []float64) float64 { g[0], g[1] = 0, 0; return math.Inf(1) }
	badGrad := func(th, g []float64) float64 { g[0], g[1] = 0, math.NaN(); return 0 }
	for _, c := range []struct {
		name string
		lj   LogJoint
		want string
	}{{"nan", nan, "log density is NaN"}, {"inf", inf, "log density is +Inf"}, {"grad", badGrad, "gradient element 1"}} {
		_, err := SampleNUTS(context.Background(), 2, c.lj, NUTSConfig{Chains: 2})
		if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "chain 0") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// NaN only at the origin: the random inits avoid it; a given Init does not.
	hole := func(th, g []float64) float64 {
		g[0], g[1] = -th[0], -th[1]
		if th[0] == 0 && th[1] == 0 {
			return math.NaN()
		}
		return -0.5 * (th[0]*th[0] + th[1]*th[1])
	}
	if _, err := SampleNUTS(context.Background(), 2, hole, NUTSConfig{Chains: 1, Draws: 10, Warmup: 10}); err != nil {
		t.Errorf("random init: %v", err)
	}
	_, err := SampleNUTS(context.Background(), 2, hole, NUTSConfig{Chains: 2, Init: [][]float64{{1, 1}, {0, 0}}})
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "chain 1") || !strings.Contains(err.Error(), "given initial point") {
		t.Errorf("given init: %v", err)
	}
}

func TestNUTSInvalid(t *testing.T) {
	lj := gaussLogJoint([]float64{0, 0}, []float64{1, 0, 0, 1})
	for _, c := range []struct {
		dim  int
		lj   LogJoint
		cfg  NUTSConfig
		want error
	}{
		{0, lj, NUTSConfig{}, ErrInvalidParameter},
		{2, nil, NUTSConfig{}, ErrInvalidParameter},
		{2, lj, NUTSConfig{Chains: -1}, ErrInvalidParameter},
		{2, lj, NUTSConfig{Draws: -3}, ErrInvalidParameter},
		{2, lj, NUTSConfig{TargetAccept: 1}, ErrInvalidParameter},
		{2, lj, NUTSConfig{MaxTreeDepth: -1}, ErrInvalidParameter},
		{2, lj, NUTSConfig{Metric: 7}, ErrInvalidParameter},
		{2, lj, NUTSConfig{StepSize: math.NaN()}, ErrInvalidParameter},
		{2, lj, NUTSConfig{StaticSteps: -1}, ErrInvalidParameter},
		{2, lj, NUTSConfig{StepJitter: 1}, ErrInvalidParameter},
		{2, lj, NUTSConfig{Chains: 2, Init: [][]float64{{0, 0}}}, ErrShape},
		{2, lj, NUTSConfig{Chains: 1, Init: [][]float64{{0}}}, ErrShape},
		{2, lj, NUTSConfig{Chains: 1, Init: [][]float64{{0, math.Inf(1)}}}, ErrNonFinite},
		{2, lj, NUTSConfig{Transforms: mustConstrained(t, Interval(0, 1))}, ErrShape},
		{2, lj, NUTSConfig{Chains: 1, Transforms: mustConstrained(t, Interval(0, 1), Unbounded(1)), Init: [][]float64{{2, 0}}}, ErrInvalidParameter},
	} {
		if _, err := SampleNUTS(context.Background(), c.dim, c.lj, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("dim %d cfg %+v: %v, want %v", c.dim, c.cfg, err, c.want)
		}
	}
	// An improper flat density: the step-size search runs away.
	flat := func(th, g []float64) float64 { clear(g); return 0 }
	if _, err := SampleNUTS(context.Background(), 2, flat, NUTSConfig{Chains: 1}); !errors.Is(err, ErrNotConverged) {
		t.Errorf("flat density: %v", err)
	}
}

func mustConstrained(t testing.TB, c ...Constraint) *Constrained {
	tr, err := NewConstrained(c...)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestNUTSBitIdenticalAcrossGOMAXPROCS(t *testing.T) {
	mean, _, prec := corrGauss()
	run := func(procs int, cfg NUTSConfig) *MCMCResult {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		res, err := SampleNUTS(context.Background(), 4, gaussLogJoint(mean, prec), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, cfg := range []NUTSConfig{{Seed: 7, Warmup: 200, Draws: 200}, {Seed: 8, Warmup: 200, Draws: 200, Metric: MetricDense, Chains: 3}} {
		a, b := run(1, cfg), run(4, cfg)
		if !reflect.DeepEqual(a.Draws, b.Draws) || !reflect.DeepEqual(a.Stats, b.Stats) || !reflect.DeepEqual(a.Metric, b.Metric) {
			t.Errorf("cfg %+v: results differ between GOMAXPROCS 1 and 4", cfg)
		}
		c := run(2, NUTSConfig{Seed: cfg.Seed + 1, Warmup: 200, Draws: 200, Metric: cfg.Metric, Chains: cfg.Chains})
		if reflect.DeepEqual(a.Draws, c.Draws) {
			t.Error("another seed gives the same draws")
		}
	}
}

func TestNUTSCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int64
	mean, _, prec := corrGauss()
	_, err := SampleNUTS(ctx, 4, gaussLogJoint(mean, prec), NUTSConfig{Seed: 1, Progress: func(chain, it int) {
		if calls.Add(1) == 300 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped at iteration") {
		t.Fatalf("got %v", err)
	}
	if n := calls.Load(); n > 300+4 {
		t.Errorf("%d progress calls after cancelling at 300", n)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after return, %d before", n, before)
	}
	// A context cancelled before the start.
	if _, err := SampleNUTS(ctx, 4, gaussLogJoint(mean, prec), NUTSConfig{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestNUTSProgressCountsEveryIteration(t *testing.T) {
	var n atomic.Int64
	var maxIt atomic.Int64
	lj := gaussLogJoint([]float64{0}, []float64{1})
	_, err := SampleNUTS(context.Background(), 1, lj, NUTSConfig{Chains: 3, Warmup: 50, Draws: 70, Progress: func(c, it int) {
		n.Add(1)
		if int64(it) > maxIt.Load() {
			maxIt.Store(int64(it))
		}
	}})
	if err != nil || n.Load() != 3*120 || maxIt.Load() != 119 {
		t.Errorf("err %v, %d calls, last iteration %d", err, n.Load(), maxIt.Load())
	}
}

// A log density that becomes NaN in part of the space makes those
// trajectories divergent; sampling goes on.
func TestNUTSNaNDuringSamplingIsDivergent(t *testing.T) {
	lj := func(th, g []float64) float64 {
		g[0] = -th[0]
		if th[0] > 1.5 {
			return math.NaN()
		}
		return -0.5 * th[0] * th[0]
	}
	res, err := SampleNUTS(context.Background(), 1, lj, NUTSConfig{Seed: 3, Init: [][]float64{{0}, {0.5}, {-1}, {1}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Divergences() == 0 {
		t.Error("no divergences where the density is NaN")
	}
	for _, ch := range res.Draws {
		for _, d := range ch {
			if !(d[0] <= 1.5) {
				t.Fatalf("draw %g in the NaN region", d[0])
			}
		}
	}
}
