package bnn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// checkNoLeak runs f and requires the number of goroutines to be back to
// its value before f within a second (a helper that has returned from its
// function may take a moment to be counted out).
func checkNoLeak(t *testing.T, name string, f func()) {
	t.Helper()
	before := runtime.NumGoroutine()
	f()
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%s: %d goroutines before, %d a second after return:\n%s", name, before, runtime.NumGoroutine(), buf)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestParallelForEveryIndexOnce(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 3, 8, 100} {
		for _, n := range []int{0, 1, 2, 7, 1000} {
			counts := make([]atomic.Int32, n)
			nw := parallelWorkers(workers, n)
			var badWorker atomic.Bool
			err := parallelFor(context.Background(), n, workers, func(w, i int) error {
				if w < 0 || w >= nw {
					badWorker.Store(true)
				}
				counts[i].Add(1)
				return nil
			})
			if err != nil || badWorker.Load() {
				t.Fatalf("workers %d n %d: err %v, worker out of range %t", workers, n, err, badWorker.Load())
			}
			for i := range counts {
				if c := counts[i].Load(); c != 1 {
					t.Fatalf("workers %d n %d: index %d ran %d times", workers, n, i, c)
				}
			}
		}
	}
}

func TestParallelWorkers(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	for _, c := range [][3]int{{0, 100, min(procs, 100)}, {-1, 100, min(procs, 100)}, {3, 100, 3}, {8, 2, 2}, {4, 0, 1}} {
		if got := parallelWorkers(c[0], c[1]); got != c[2] {
			t.Errorf("parallelWorkers(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

// TestParallelForLowestError requires the error of the lowest failing index,
// and every index below it run, whatever the worker count and timing.
func TestParallelForLowestError(t *testing.T) {
	const n = 500
	fails := map[int]bool{137: true, 138: true, 300: true, 499: true}
	for _, workers := range []int{1, 2, 4, 16} {
		for rep := range 20 {
			var ran [n]atomic.Bool
			err := parallelFor(context.Background(), n, workers, func(_, i int) error {
				ran[i].Store(true)
				if (i+rep)%7 == 0 {
					runtime.Gosched() // vary the interleaving
				}
				if fails[i] {
					return fmt.Errorf("item %d", i)
				}
				return nil
			})
			if err == nil || err.Error() != "item 137" {
				t.Fatalf("workers %d: error %v, want item 137", workers, err)
			}
			for i := range 137 {
				if !ran[i].Load() {
					t.Fatalf("workers %d: index %d below the first failure did not run", workers, i)
				}
			}
		}
	}
}

func TestParallelForContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("enough")
	var ran atomic.Int32
	err := parallelFor(ctx, 1000, 2, func(_, i int) error {
		if ran.Add(1) == 10 {
			cancel(cause)
		}
		return nil
	})
	if !errors.Is(err, cause) || ran.Load() >= 1000 || ran.Load() < 10 {
		t.Fatalf("cancelled loop: error %v after %d items", err, ran.Load())
	}
	if err := parallelFor(ctx, 5, 2, func(int, int) error { t.Error("ran after cancel"); return nil }); !errors.Is(err, cause) {
		t.Fatalf("done context: %v", err)
	}
}

func TestParallelPanicReachesCaller(t *testing.T) {
	catch := func(f func()) (p any) {
		defer func() { p = recover() }()
		f()
		return nil
	}
	checkNoLeak(t, "parallelFor panic", func() {
		p := catch(func() {
			_ = parallelFor(context.Background(), 100, 4, func(_, i int) error {
				if i == 50 {
					panic("boom")
				}
				return nil
			})
		})
		if p != "boom" {
			t.Errorf("parallelFor: recovered %v, want boom", p)
		}
	})
	checkNoLeak(t, "team panic", func() {
		team := newParallelTeam(3)
		defer team.close()
		p := catch(func() {
			team.run(20, func(_, i int) {
				if i == 7 {
					panic("team boom")
				}
			})
		})
		if p != "team boom" {
			t.Errorf("team: recovered %v, want team boom", p)
		}
		var sum atomic.Int64 // the team still works after a panic
		team.run(10, func(_, i int) { sum.Add(int64(i)) })
		if sum.Load() != 45 {
			t.Errorf("team after panic: sum %d, want 45", sum.Load())
		}
	})
}

// TestParallelTeamPhases runs many phases of different sizes and requires
// every index of every phase to run exactly once, before run returns.
func TestParallelTeamPhases(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		checkNoLeak(t, fmt.Sprintf("team of %d", workers), func() {
			team := newParallelTeam(workers)
			defer team.close()
			counts := make([]atomic.Int32, 64)
			var badWorker atomic.Bool
			job := func(w, i int) {
				if w < 0 || w >= workers {
					badWorker.Store(true)
				}
				counts[i].Add(1)
			}
			for phase := range 2000 {
				n := phase % 65
				for i := range counts {
					counts[i].Store(0)
				}
				team.run(n, job)
				for i := range counts {
					want := int32(0)
					if i < n {
						want = 1
					}
					if c := counts[i].Load(); c != want {
						t.Fatalf("phase %d (n %d): index %d ran %d times", phase, n, i, c)
					}
				}
			}
			if badWorker.Load() {
				t.Fatal("worker index out of range")
			}
			team.close() // twice is harmless
		})
	}
}

// TestParallelTeamRunAllocs requires a phase to allocate nothing.
func TestParallelTeamRunAllocs(t *testing.T) {
	team := newParallelTeam(2)
	defer team.close()
	out := make([]float64, 16)
	job := func(_, i int) { out[i] = math.Sqrt(float64(i)) }
	if a := testing.AllocsPerRun(200, func() { team.run(len(out), job) }); a != 0 {
		t.Fatalf("%v allocations per phase", a)
	}
}

// TestNoGoroutineOutlivesACall checks every entry point that runs parallel
// work: after it returns, successfully or not, no goroutine of it is left.
func TestNoGoroutineOutlivesACall(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	ctx := context.Background()
	x, y := nnToyData(30)
	tc := TrainConfig{Hidden: []int{8}, LearningRate: 1e-2, Epochs: 5, BatchSize: 8, Seed: 1}
	checkNoLeak(t, "Train", func() {
		if _, err := Train(ctx, x, 1, y, tc); err != nil {
			t.Fatal(err)
		}
	})
	checkNoLeak(t, "TrainEnsemble", func() {
		if _, err := TrainEnsemble(ctx, x, 1, y, tc, 5); err != nil {
			t.Fatal(err)
		}
	})
	checkNoLeak(t, "TrainEnsemble stopped by a deadline", func() {
		long := tc
		long.Epochs = 100000
		cctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
		defer cancel()
		if _, err := TrainEnsemble(cctx, x, 1, y, long, 5); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("TrainEnsemble with a 5 ms deadline: %v", err)
		}
	})
	checkNoLeak(t, "BayesianMLP.Train", func() {
		m, err := NewBayesianMLP(NotebookBNNConfig())
		if err != nil {
			t.Fatal(err)
		}
		bc := NotebookBBBConfig()
		bc.Epochs, bc.Workers = 20, 4
		if _, err := m.Train(ctx, x, y, bc); err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		bc.Progress = func(e int, _ float64) {
			if e == 3 {
				cancel()
			}
		}
		if _, err := m.Train(cctx, x, y, bc); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled BBB training: %v", err)
		}
	})
	m := gaussianModel(1, -2, 0.5, 0.2, 0.6)
	axes := []GridAxis{{Lo: -1, Hi: 3, N: 41}, {Lo: -3, Hi: -1, N: 37}}
	checkNoLeak(t, "grid", func() {
		g, err := NewGridPosterior(ctx, axes, m, GridConfig{})
		if err != nil {
			t.Fatal(err)
		}
		lin := func() Trajectory {
			return func(dst, theta, ts []float64) error {
				for i, tt := range ts {
					dst[i] = theta[0] + theta[1]*tt
				}
				return nil
			}
		}
		if _, err := g.Predictive(ctx, []float64{0, 1, 2}, lin, 0.1, GridPredictiveConfig{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := RefineGridPosterior(ctx, axes, m, GridRefineConfig{}); err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := NewGridPosterior(cctx, axes, m, GridConfig{}); !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "bnn: grid: ") {
			t.Errorf("grid with a cancelled context: %v", err)
		}
		if _, err := g.Predictive(cctx, []float64{0, 1, 2}, lin, 0.1, GridPredictiveConfig{}); !errors.Is(err, context.Canceled) {
			t.Errorf("grid predictive with a cancelled context: %v", err)
		}
	})
}

func TestFitGaussianVIContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	lj := func(theta, grad []float64) float64 {
		steps++
		if steps == 5 {
			cancel()
		}
		grad[0] = -theta[0]
		return -0.5 * theta[0] * theta[0]
	}
	cfg := NotebookVIConfig()
	cfg.Samples = 1
	if _, err := FitGaussianVI(ctx, 1, lj, cfg); !errors.Is(err, context.Canceled) || steps != 5 {
		t.Fatalf("cancelled VI: %v after %d steps", err, steps)
	}
}

// TestParallelResultsAtAnyGOMAXPROCS requires bit-identical results from the
// grid posterior, its predictive, ensembles and BBB training at GOMAXPROCS 1,
// 2 and 8 (each with its default worker count, which follows GOMAXPROCS).
func TestParallelResultsAtAnyGOMAXPROCS(t *testing.T) {
	x, y := nnToyData(24)
	gx, _ := loadSeedGrid(t)
	d := NotebookOscillatorData(gx)
	axes := []GridAxis{{Name: "zeta", Lo: 0.02, Hi: 0.2, N: 19}, {Name: "omega_n", Lo: 0.7, Hi: 1.4, N: 15}}
	ts := []float64{0, 0.5, 1, 2, 4, 8}
	run := func(procs int) []uint64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		ctx := context.Background()
		var bits []uint64
		add := func(v ...float64) {
			for _, f := range v {
				bits = append(bits, math.Float64bits(f))
			}
		}
		g, err := OscillatorPosterior(ctx, d, axes, GridConfig{})
		if err != nil {
			t.Fatal(err)
		}
		add(g.LogPost...)
		add(g.LogSum)
		p, err := g.Predictive(ctx, ts, d.NewTrajectory, d.NoiseStd, GridPredictiveConfig{})
		if err != nil {
			t.Fatal(err)
		}
		add(p.Mean...)
		add(p.Lower...)
		add(p.Upper...)
		e, err := TrainEnsemble(ctx, x, 1, y, TrainConfig{Hidden: []int{8}, LearningRate: 1e-2, Epochs: 20, BatchSize: 8, Seed: 5}, 3)
		if err != nil {
			t.Fatal(err)
		}
		mean, std := make([]float64, len(y)), make([]float64, len(y))
		if err := e.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		add(mean...)
		add(std...)
		m, err := NewBayesianMLP(NotebookBNNConfig())
		if err != nil {
			t.Fatal(err)
		}
		bc := NotebookBBBConfig()
		bc.Epochs, bc.Seed = 30, 9
		if _, err := m.Train(ctx, x, y, bc); err != nil {
			t.Fatal(err)
		}
		for _, v := range m.params {
			bits = append(bits, uint64(math.Float32bits(v)))
		}
		return bits
	}
	want := run(1)
	for _, procs := range []int{2, 8} {
		if got := run(procs); !slices.Equal(got, want) {
			i := 0
			for i < len(got) && got[i] == want[i] {
				i++
			}
			t.Errorf("GOMAXPROCS %d: value %d of %d differs from GOMAXPROCS 1", procs, i, len(want))
		}
	}
}
