package bnn

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// This file holds the package's only goroutine machinery. Every parallel loop
// in bnn runs through one of two shapes:
//
//   - parallelFor runs one indexed loop, body(worker, i) for i in [0, n), and
//     returns when it is done (the grid, its predictive, ensembles);
//   - parallelTeam keeps its helpers for many short indexed loops ("phases")
//     inside one call, such as the three phases of every Bayes-by-Backprop
//     step, and close ends them.
//
// Both follow the same rules:
//
//   - They block, never spin: idle helpers park on a sync.Cond or have
//     exited, and a caller waiting for helpers parks on a channel or a
//     WaitGroup. A host whose CPUs are busy with other work therefore slows
//     them down in proportion, not by orders of magnitude.
//   - The calling goroutine is worker 0 and takes indices like the helpers,
//     so workers = 1 starts no goroutine, and a helper that the scheduler
//     cannot run soon leaves its indices to the others.
//   - No goroutine outlives the call: parallelFor waits for its helpers,
//     and parallelTeam.close waits for the team's.
//   - Determinism is the body's part: items are indexed, each call of
//     body(worker, i) must write only outputs owned by i and scratch owned by
//     worker, and reductions must run afterwards in index order. Which worker
//     runs which index then changes nothing, so results are bit-identical at
//     any worker count or GOMAXPROCS.
//   - A panic in a body is recovered on its goroutine and re-raised on the
//     caller's once the loop has stopped.

// parallelWorkers resolves a requested worker count for n items: workers ≤ 0
// means GOMAXPROCS, and the count is capped by n (at least 1).
func parallelWorkers(workers, n int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, n))
}

// parallelFor calls body(worker, i) once for every i in [0, n), on
// parallelWorkers(workers, n) goroutines including the caller's, each worker
// taking the next unclaimed index in increasing order; worker is in
// [0, parallelWorkers(workers, n)). It returns once every started call has
// returned and no helper goroutine is left.
//
// The error returned is deterministic: when calls fail, it is the error of
// the lowest failing index, since indices above a failure are skipped but
// every index below it still runs. When ctx is done before all indices were
// claimed, the remaining ones are skipped and, if no call failed, the result
// is context.Cause(ctx). ctx is checked before each index, so a long body
// should check it too.
func parallelFor(ctx context.Context, n, workers int, body func(worker, i int) error) error {
	if n <= 0 {
		return nil
	}
	nw := parallelWorkers(workers, n)
	var (
		next     atomic.Int64 // next unclaimed index
		firstBad atomic.Int64 // lowest failing index so far (n: none)
		stopped  atomic.Bool  // ctx ended the loop early
		errs     = make([]error, nw)
		errIdx   = make([]int, nw)
		panics   = make([]any, nw)
	)
	firstBad.Store(int64(n))
	work := func(w int) {
		defer func() {
			if p := recover(); p != nil {
				panics[w] = p
				firstBad.Store(-1) // stop everyone
			}
		}()
		for {
			i := next.Add(1) - 1
			if i >= int64(n) || i > firstBad.Load() {
				return
			}
			if ctx.Err() != nil {
				stopped.Store(true)
				return
			}
			if err := body(w, int(i)); err != nil {
				errs[w], errIdx[w] = err, int(i)
				for cur := firstBad.Load(); i < cur && !firstBad.CompareAndSwap(cur, i); cur = firstBad.Load() {
				}
				return
			}
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < nw; w++ {
		wg.Go(func() { work(w) })
	}
	work(0)
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
	best := -1
	for w, err := range errs {
		if err != nil && (best < 0 || errIdx[w] < errIdx[best]) {
			best = w
		}
	}
	if best >= 0 {
		return errs[best]
	}
	if stopped.Load() {
		return context.Cause(ctx)
	}
	return nil
}

// parallelTeam runs a sequence of indexed loops ("phases") on a fixed set
// of helper goroutines plus the caller, without starting goroutines per
// phase. It suits many short phases inside one long call (a training step
// takes a few hundred microseconds). Helpers park on a sync.Cond between
// phases; the caller, after taking indices itself, parks on a channel until
// the last claimed index is done. A phase never waits for a helper that has
// not claimed an index, so a helper the scheduler cannot run soon costs
// nothing but its share of the work. Phases and close must be called from
// one goroutine. Setting up a phase allocates nothing.
type parallelTeam struct {
	helpers int
	mu      sync.Mutex
	wake    *sync.Cond // helpers wait here for a new phase or close
	gen     uint32     // phase generation, under mu
	job     func(worker, i int)
	n       int
	closed  bool

	// claim packs the generation (high 32 bits) and the next unclaimed index
	// (low 32 bits): a helper that saw an older phase cannot claim an index
	// of a newer one.
	claim     atomic.Uint64
	remaining atomic.Int64  // indices of the phase not yet finished
	done      chan struct{} // a helper finishing the phase's last index tells the caller
	panicked  atomic.Pointer[any]
	wg        sync.WaitGroup
}

// newParallelTeam starts a team of workers goroutines including the caller's
// (workers ≤ 0 means GOMAXPROCS; workers = 1 starts none). The caller must
// call close when done with it.
func newParallelTeam(workers int) *parallelTeam {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	t := &parallelTeam{helpers: workers - 1, done: make(chan struct{}, 1)}
	t.wake = sync.NewCond(&t.mu)
	for w := 1; w < workers; w++ {
		t.wg.Go(func() { t.helperLoop(w) })
	}
	return t
}

// run calls job(worker, i) once for every i in [0, n) on the team and returns
// when all calls have returned. worker is in [0, workers); the caller is
// worker 0. To allocate nothing, pass a func value made once, not a new
// closure per call. A panic in job is re-raised here.
func (t *parallelTeam) run(n int, job func(worker, i int)) {
	if n <= 0 {
		return
	}
	if t.helpers == 0 {
		for i := range n {
			job(0, i)
		}
		return
	}
	if int64(n) > math.MaxUint32 {
		panic(fmt.Sprintf("bnn: parallel team: %d items", n))
	}
	t.remaining.Store(int64(n))
	t.mu.Lock()
	t.gen++
	t.job, t.n = job, n
	t.claim.Store(uint64(t.gen) << 32)
	t.mu.Unlock()
	t.wake.Broadcast()
	if !t.drain(0, t.gen, job, n) {
		<-t.done
	}
	if p := t.panicked.Swap(nil); p != nil {
		panic(*p)
	}
}

// drain runs indices of phase gen until none is left and reports whether this
// worker finished the phase's last index.
func (t *parallelTeam) drain(w int, gen uint32, job func(int, int), n int) (last bool) {
	for {
		c := t.claim.Load()
		if uint32(c>>32) != gen || int(uint32(c)) >= n {
			return false
		}
		if !t.claim.CompareAndSwap(c, c+1) {
			continue
		}
		t.call(w, int(uint32(c)), job)
		if t.remaining.Add(-1) == 0 {
			return true
		}
	}
}

// call runs one index, recording a panic instead of unwinding the helper.
func (t *parallelTeam) call(w, i int, job func(int, int)) {
	defer func() {
		if p := recover(); p != nil {
			t.recordPanic(p)
		}
	}()
	job(w, i)
}

// recordPanic keeps the first panic value of a phase for run to re-raise.
func (t *parallelTeam) recordPanic(p any) {
	t.panicked.CompareAndSwap(nil, &p)
}

// helperLoop parks until a new phase or close, and takes part in each phase.
func (t *parallelTeam) helperLoop(w int) {
	var seen uint32
	for {
		t.mu.Lock()
		for t.gen == seen && !t.closed {
			t.wake.Wait()
		}
		if t.closed {
			t.mu.Unlock()
			return
		}
		seen = t.gen
		job, n := t.job, t.n
		t.mu.Unlock()
		if t.drain(w, seen, job, n) {
			t.done <- struct{}{}
		}
	}
}

// close stops the helpers and waits until they have exited. The team must
// not be used afterwards; calling close again does nothing.
func (t *parallelTeam) close() {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.closed = true
	t.mu.Unlock()
	t.wake.Broadcast()
	t.wg.Wait()
}
