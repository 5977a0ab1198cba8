package bnn

import (
	"fmt"
	"math"
)

// dualAveraging is the step-size adaptation of Hoffman and Gelman (2014,
// "The No-U-Turn Sampler", §3.2.1) with Stan's defaults: it drives the mean
// acceptance statistic to delta by iterating
//
//	s̄ₜ = (1 − 1/(t+t0))·s̄ₜ₋₁ + (delta − αₜ)/(t+t0)
//	log εₜ = mu − √t·s̄ₜ/gamma
//	log ε̄ₜ = t^(−kappa)·log εₜ + (1 − t^(−kappa))·log ε̄ₜ₋₁
//
// and ends warm-up at ε̄. mu is log(10·ε₀) for the heuristic initial ε₀.
type dualAveraging struct {
	delta, gamma, t0, kappa float64
	mu                      float64
	counter, sBar, xBar     float64
}

func newDualAveraging(delta float64) dualAveraging {
	return dualAveraging{delta: delta, gamma: 0.05, t0: 10, kappa: 0.75}
}

// restart forgets the history and centres the next iterations on log(10·eps).
func (d *dualAveraging) restart(eps float64) {
	d.counter, d.sBar, d.xBar = 0, 0, 0
	d.mu = math.Log(10 * eps)
}

// learn updates the averages with one acceptance statistic and returns the
// step size for the next iteration.
func (d *dualAveraging) learn(acceptStat float64) float64 {
	d.counter++
	if acceptStat > 1 {
		acceptStat = 1
	}
	eta := 1 / (d.counter + d.t0)
	d.sBar = (1-eta)*d.sBar + eta*(d.delta-acceptStat)
	x := d.mu - d.sBar*math.Sqrt(d.counter)/d.gamma
	xEta := math.Pow(d.counter, -d.kappa)
	d.xBar = (1-xEta)*d.xBar + xEta*x
	return math.Exp(x)
}

// final returns the adapted step size exp(x̄).
func (d *dualAveraging) final() float64 { return math.Exp(d.xBar) }

// adaptWindows is Stan's windowed warm-up schedule (Stan Reference Manual,
// "HMC algorithm parameters: adaptation"): a fast initial buffer (default 75
// iterations) where only the step size adapts, then slow windows of doubling
// length (from 25) that each end with a metric update, then a fast terminal
// buffer (50). A window that would be followed by a window reaching past the
// terminal buffer is stretched to end at it. With fewer than 20 warm-up
// iterations the metric is not adapted; when the three stages do not fit,
// they become 15 % / 75 % / 10 % of the warm-up.
type adaptWindows struct {
	warmup, initBuf, termBuf, baseWin int
	counter, windowSize, nextEnd      int
	enabled                           bool
}

func newAdaptWindows(warmup int) adaptWindows {
	w := adaptWindows{warmup: warmup, initBuf: 75, termBuf: 50, baseWin: 25}
	if warmup < 20 {
		return w
	}
	w.enabled = true
	if w.initBuf+w.baseWin+w.termBuf > warmup {
		w.initBuf = int(0.15 * float64(warmup))
		w.termBuf = int(0.10 * float64(warmup))
		w.baseWin = warmup - (w.initBuf + w.termBuf)
	}
	w.windowSize = w.baseWin
	w.nextEnd = w.initBuf + w.windowSize - 1
	return w
}

// inWindow reports whether the current warm-up iteration's draw feeds the
// metric estimator.
func (w *adaptWindows) inWindow() bool {
	return w.enabled && w.counter >= w.initBuf && w.counter < w.warmup-w.termBuf
}

// endOfWindow reports whether the current iteration closes a slow window.
func (w *adaptWindows) endOfWindow() bool {
	return w.enabled && w.counter == w.nextEnd && w.counter != w.warmup
}

// advance schedules the next window after one closes.
func (w *adaptWindows) advance() {
	last := w.warmup - w.termBuf - 1
	if w.nextEnd == last {
		return
	}
	w.windowSize *= 2
	w.nextEnd = w.counter + w.windowSize
	if w.nextEnd == last {
		return
	}
	if w.nextEnd+2*w.windowSize >= w.warmup-w.termBuf {
		w.nextEnd = last
	}
}

// welford accumulates the running mean and the sums of squared deviations
// (diagonal) or cross-products (dense, n×n row-major lower triangle used) of
// the draws of one slow window (Welford 1962).
type welford struct {
	n     int
	dense bool
	mean  []float64
	m2    []float64
	delta []float64
}

func newWelford(dim int, dense bool) welford {
	w := welford{dense: dense, mean: make([]float64, dim), delta: make([]float64, dim)}
	if dense {
		w.m2 = make([]float64, dim*dim)
	} else {
		w.m2 = make([]float64, dim)
	}
	return w
}

func (w *welford) reset() {
	w.n = 0
	clear(w.mean)
	clear(w.m2)
}

func (w *welford) add(q []float64) {
	w.n++
	inv := 1 / float64(w.n)
	d := len(q)
	for i, v := range q {
		w.delta[i] = v - w.mean[i]
		w.mean[i] += w.delta[i] * inv
	}
	if !w.dense {
		for i, v := range q {
			w.m2[i] += w.delta[i] * (v - w.mean[i])
		}
		return
	}
	for i := range d {
		row := w.m2[i*d : i*d+i+1]
		qi := q[i] - w.mean[i]
		for j := range row {
			row[j] += w.delta[j] * qi
		}
	}
}

// regularisedTo writes Stan's regularised estimate (n/(n+5))·S + 1e-3·(5/(n+5))·I
// of the window's (co)variance S (divisor n−1) into dst (length dim or
// dim×dim, symmetric). It needs n ≥ 2.
func (w *welford) regularisedTo(dst []float64) error {
	n := float64(w.n)
	a, b := n/(n+5)/(n-1), 1e-3*5/(n+5)
	if !w.dense {
		for i, m := range w.m2 {
			dst[i] = a*m + b
		}
	} else {
		d := len(w.mean)
		for i := range d {
			for j := 0; j <= i; j++ {
				v := a * w.m2[i*d+j]
				if i == j {
					v += b
				}
				dst[i*d+j], dst[j*d+i] = v, v
			}
		}
	}
	for i, v := range dst {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bnn: nuts: metric adaptation overflowed at element %d (the posterior may be improper or too wide): %w", i, ErrNonFinite)
		}
	}
	return nil
}
