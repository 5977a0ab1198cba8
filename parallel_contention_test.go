package bnn

import (
	"context"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// bbbContentionRun trains the seed network (SeedBNNConfig: two hidden layers
// of 32 tanh units) by Bayes by Backprop for the given epochs on the seed's
// 60 oscillator points with SeedBBBConfig's settings, beside busy CPU-bound
// goroutines in the same process, and returns the wall time of Train alone.
func bbbContentionRun(tb testing.TB, epochs, busy int) time.Duration {
	tb.Helper()
	x, y, _, _, _ := bbbSeedData(tb)
	m, err := NewBayesianMLP(SeedBNNConfig())
	if err != nil {
		tb.Fatal(err)
	}
	cfg := SeedBBBConfig()
	cfg.Epochs = epochs
	var stop atomic.Bool
	var wg sync.WaitGroup
	var started sync.WaitGroup
	for range busy {
		started.Add(1)
		wg.Go(func() {
			started.Done()
			x := uint64(1)
			for !stop.Load() {
				for range 1000 {
					x = x*6364136223846793005 + 1442695040888963407
				}
			}
			if x == 0 {
				println() // keep x alive
			}
		})
	}
	started.Wait()
	defer func() { stop.Store(true); wg.Wait() }()
	t0 := time.Now()
	if _, err := m.Train(context.Background(), x, y, cfg); err != nil {
		tb.Fatal(err)
	}
	return time.Since(t0)
}

// TestBBBTrainUnderContention requires BBB training beside two busy
// goroutines to be at most a few times slower than alone (the spin-then-park
// pool it replaced was 65× slower). It takes the best of three runs each way
// to tame a shared machine's noise and allows 8×: the target is about 3×,
// but on a host already loaded by other processes even serial code slows by
// about 3× beside two busy goroutines, and the old pool's 65× must fail.
func TestBBBTrainUnderContention(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	if runtime.GOMAXPROCS(0) < 2 || os.Getenv("BNN_SKIP_TIMING") != "" {
		t.Skip("needs 2 or more procs (BNN_SKIP_TIMING skips it too)")
	}
	const epochs = 300
	var idle, loaded []time.Duration
	for range 3 {
		idle = append(idle, bbbContentionRun(t, epochs, 0))
		loaded = append(loaded, bbbContentionRun(t, epochs, 2))
	}
	bi, bl := slices.Min(idle), slices.Min(loaded)
	ratio := float64(bl) / float64(bi)
	t.Logf("seed BBB %d epochs: idle %v, beside 2 busy goroutines %v (best of 3; all idle %v, loaded %v): %.2f×", epochs, bi, bl, idle, loaded, ratio)
	if ratio > 8 {
		t.Errorf("training beside 2 busy goroutines is %.1f× slower than idle (%v vs %v), want ≤ 8×", ratio, bl, bi)
	}
}

// BenchmarkBBBTrainContention times 300 epochs of the seed network's BBB
// training idle and beside two busy CPU-bound goroutines.
func BenchmarkBBBTrainContention(b *testing.B) {
	for _, busy := range []int{0, 2} {
		b.Run(map[int]string{0: "idle", 2: "busy2"}[busy], func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				total += bbbContentionRun(b, 300, busy)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/train")
		})
	}
}
