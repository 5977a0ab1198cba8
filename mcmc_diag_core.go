package bnn

import (
	"cmp"
	"math"
	"slices"
)

// This file holds the workspace-based internals of the MCMC convergence
// diagnostics (mcmc_diag.go): chain splitting, rank normalisation, split-R̂
// and the Geyer-truncated effective sample size, each a transcription of the
// formulas of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021),
// "Rank-normalization, folding, and localization: an improved R̂ for
// assessing convergence of MCMC", Bayesian Analysis 16(2), as the R package
// posterior (1.4) computes them.

// rankNormOffset is the fractional offset c of the rank normalisation
// Φ⁻¹((r − c)/(S − 2c + 1)) (Blom 1958), posterior's default 3/8.
const rankNormOffset = 3.0 / 8

// constantTol is posterior's should_return_NA tolerance: draws whose range
// max − min is below it (absolute, .Machine$double.eps) count as constant.
const constantTol = 0x1p-52

// rankItem pairs a draw with its position for average-rank computation.
type rankItem struct {
	v float64
	i int32
}

// diagWork is reusable scratch space for the diagnostics of one parameter;
// SummarizeDraws keeps one per worker so repeated summaries allocate only
// when the chain length grows.
type diagWork struct {
	fft    autocovFFT
	acA    []float64 // autocovariances of one chain of a pair
	acB    []float64 // … and of the other
	acSum  []float64 // mean autocovariance over chains
	rho    []float64 // Geyer's autocorrelation sequence
	flat   []float64 // transformed split draws, chain after chain
	split  [][]float64
	sorted []float64 // all draws, sorted
	order  []rankItem
	means  []float64 // per-chain means
}

// grow returns s resized to length n, reallocating only when needed.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// splitViews returns the 2m half-chains of posterior's .split_chains as views
// into draws: the first halves of chains 0…m−1, then their second halves.
// With an odd length n the middle draw (index n/2) is dropped.
func (w *diagWork) splitViews(draws [][]float64) [][]float64 {
	m, n := len(draws), len(draws[0])
	h := n / 2
	w.split = grow(w.split, 2*m)
	for c, ch := range draws {
		w.split[c] = ch[:h:h]
		w.split[m+c] = ch[n-h:]
	}
	return w.split
}

// splitMapped copies f(x) of the split draws into w.flat and returns the 2m
// half-chains as views into it (same order as splitViews).
func (w *diagWork) splitMapped(draws [][]float64, f func(float64) float64) [][]float64 {
	m, n := len(draws), len(draws[0])
	h := n / 2
	w.flat = grow(w.flat, 2*m*h)
	w.split = grow(w.split, 2*m)
	for c, ch := range draws {
		a := w.flat[c*h : (c+1)*h : (c+1)*h]
		b := w.flat[(m+c)*h : (m+c+1)*h : (m+c+1)*h]
		for i := range h {
			a[i] = f(ch[i])
			b[i] = f(ch[n-h+i])
		}
		w.split[c], w.split[m+c] = a, b
	}
	return w.split
}

// zScaleFlat replaces the first s values of w.flat by their rank-normalised
// scores Φ⁻¹((r − 3/8)/(s − 3/4 + 1)), r the average rank among all s values
// (posterior's z_scale with ties.method = "average").
func (w *diagWork) zScaleFlat(s int) {
	x := w.flat[:s]
	w.order = grow(w.order, s)
	for i, v := range x {
		w.order[i] = rankItem{v, int32(i)}
	}
	slices.SortFunc(w.order, func(a, b rankItem) int { return cmp.Compare(a.v, b.v) })
	den := float64(s) - 2*rankNormOffset + 1
	for i := 0; i < s; {
		j := i + 1
		for j < s && w.order[j].v == w.order[i].v {
			j++
		}
		// 1-based ranks i+1 … j share their average.
		r := 0.5 * float64(i+1+j)
		z := mcmcNormalQuantile((r - rankNormOffset) / den)
		for k := i; k < j; k++ {
			x[w.order[k].i] = z
		}
		i = j
	}
}

// sortAll fills w.sorted with all draws in ascending order.
func (w *diagWork) sortAll(draws [][]float64) []float64 {
	m, n := len(draws), len(draws[0])
	w.sorted = grow(w.sorted, m*n)
	for c, ch := range draws {
		copy(w.sorted[c*n:], ch)
	}
	slices.Sort(w.sorted)
	return w.sorted
}

// isConstant reports posterior's is_constant: max − min below constantTol.
func isConstant(chains [][]float64) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ch := range chains {
		for _, v := range ch {
			lo = min(lo, v)
			hi = max(hi, v)
		}
	}
	return math.Abs(hi-lo) < constantTol
}

// meanVar returns the mean and the sample variance (n−1 denominator) of x,
// by two passes.
func meanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, ss / float64(len(x)-1)
}

// splitRHat is posterior's .rhat on (already split) chains of equal length
// n ≥ 2: sqrt((B/W + n − 1)/n) with B = n·var(chain means) and W the mean
// within-chain variance. NaN for constant draws.
func (w *diagWork) splitRHat(chains [][]float64) float64 {
	if isConstant(chains) {
		return math.NaN()
	}
	n := float64(len(chains[0]))
	w.means = grow(w.means, len(chains))
	within := 0.0
	for c, ch := range chains {
		mu, v := meanVar(ch)
		w.means[c] = mu
		within += v
	}
	within /= float64(len(chains))
	_, vm := meanVar(w.means)
	between := n * vm
	return math.Sqrt((between/within + n - 1) / n)
}

// splitESS is posterior's .ess on (already split) chains of equal length
// n ≥ 3: the multi-chain autocorrelation estimate of Vehtari et al. (2021,
// eq. 10), truncated by Geyer's (1992) initial positive sequence, made
// monotone (initial monotone sequence), with the "improved" estimate
// τ = −1 + 2·Σ_{t<T} ρ_t + ρ_T and the cap τ ≥ 1/log₁₀(mn). NaN for constant
// draws.
func (w *diagWork) splitESS(chains [][]float64) float64 {
	m, n := len(chains), len(chains[0])
	if n < 3 || isConstant(chains) {
		return math.NaN()
	}
	w.acA = grow(w.acA, n)
	w.acB = grow(w.acB, n)
	w.acSum = grow(w.acSum, n)
	w.means = grow(w.means, m)
	clear(w.acSum)
	for c := 0; c < m; c += 2 {
		if c+1 < m {
			w.fft.acov(w.acA, w.acB, chains[c], chains[c+1])
			for t := range n {
				w.acSum[t] += w.acA[t] + w.acB[t]
			}
		} else {
			w.fft.acov(w.acA, nil, chains[c], nil)
			for t := range n {
				w.acSum[t] += w.acA[t]
			}
		}
	}
	for c, ch := range chains {
		mu, _ := meanVar(ch)
		w.means[c] = mu
	}
	acov := w.acSum
	for t := range acov {
		acov[t] /= float64(m)
	}
	fn := float64(n)
	meanVarW := acov[0] * fn / (fn - 1)
	varPlus := meanVarW * (fn - 1) / fn
	if m > 1 {
		_, vm := meanVar(w.means)
		varPlus += vm
	}
	rho := grow(w.rho, n)
	w.rho = rho
	clear(rho)
	// Geyer's initial positive sequence over pairs (ρ_{2k}, ρ_{2k+1}).
	t := 0
	rhoEven := 1.0
	rho[0] = rhoEven
	rhoOdd := 1 - (meanVarW-acov[1])/varPlus
	rho[1] = rhoOdd
	for t < n-5 && !math.IsNaN(rhoEven+rhoOdd) && rhoEven+rhoOdd > 0 {
		t += 2
		rhoEven = 1 - (meanVarW-acov[t])/varPlus
		rhoOdd = 1 - (meanVarW-acov[t+1])/varPlus
		if rhoEven+rhoOdd >= 0 {
			rho[t] = rhoEven
			rho[t+1] = rhoOdd
		}
	}
	maxT := t
	if rhoEven > 0 {
		rho[maxT] = rhoEven
	}
	// Geyer's initial monotone sequence.
	for t = 0; t <= maxT-4; {
		t += 2
		if rho[t]+rho[t+1] > rho[t-2]+rho[t-1] {
			rho[t] = (rho[t-2] + rho[t-1]) / 2
			rho[t+1] = rho[t]
		}
	}
	// posterior sums rho_hat_t[1:max_t]; with max_t = 0 R's 1:0 selects the
	// first element only.
	sum := rho[0]
	for k := 1; k < maxT; k++ {
		sum += rho[k]
	}
	tau := -1 + 2*sum + rho[maxT]
	total := float64(m * n)
	if bound := 1 / math.Log10(total); tau < bound {
		tau = bound
	}
	return total / tau
}

// quantileSorted is R's quantile type 7 (posterior's quantile2) on sorted x:
// with index = 1 + (S−1)p, lo = ⌊index⌋, hi = ⌈index⌉, h = index − lo,
// (1−h)·x_lo + h·x_hi (1-based), computed in R's order of operations.
func quantileSorted(x []float64, p float64) float64 {
	s := len(x)
	index := 1 + float64(s-1)*p
	lo := math.Floor(index)
	hi := math.Ceil(index)
	q := x[int(lo)-1]
	xh := x[int(hi)-1]
	if index > lo && xh != q {
		h := index - lo
		q = (1-h)*q + h*xh
	}
	return q
}

// medianSorted is R's median on sorted x.
func medianSorted(x []float64) float64 {
	s := len(x)
	if s%2 == 1 {
		return x[s/2]
	}
	return (x[s/2-1] + x[s/2]) / 2
}

// rhat is posterior::rhat: the larger of the rank-normalised split-R̂ of the
// draws (bulk) and of the draws folded about their median (tail).
func (w *diagWork) rhat(draws [][]float64, median float64) float64 {
	m, n := len(draws), len(draws[0])
	s := 2 * m * (n / 2)
	bulk := w.splitRHat(w.zSplit(draws, s, func(v float64) float64 { return v }))
	tail := w.splitRHat(w.zSplit(draws, s, func(v float64) float64 { return math.Abs(v - median) }))
	if math.IsNaN(bulk) || math.IsNaN(tail) {
		return math.NaN()
	}
	return max(bulk, tail)
}

// zSplit splits f(draws) and rank-normalises the s split values jointly.
func (w *diagWork) zSplit(draws [][]float64, s int, f func(float64) float64) [][]float64 {
	chains := w.splitMapped(draws, f)
	w.zScaleFlat(s)
	return chains
}

// essBulk is posterior::ess_bulk: the ESS of the rank-normalised split draws.
func (w *diagWork) essBulk(draws [][]float64) float64 {
	m, n := len(draws), len(draws[0])
	return w.splitESS(w.zSplit(draws, 2*m*(n/2), func(v float64) float64 { return v }))
}

// essQuantile is posterior's .ess_quantile: the ESS of the split indicator
// draws ≤ q_p, q_p the type-7 quantile of all draws (sorted: all draws in
// ascending order). NaN for constant draws.
func (w *diagWork) essQuantile(draws [][]float64, sorted []float64, p float64) float64 {
	if sorted[len(sorted)-1]-sorted[0] < constantTol {
		return math.NaN()
	}
	q := quantileSorted(sorted, p)
	return w.splitESS(w.splitMapped(draws, func(v float64) float64 {
		if v <= q {
			return 1
		}
		return 0
	}))
}

// essTail is posterior::ess_tail: the smaller of the 5 % and 95 % quantile ESS.
func (w *diagWork) essTail(draws [][]float64, sorted []float64) float64 {
	a := w.essQuantile(draws, sorted, 0.05)
	b := w.essQuantile(draws, sorted, 0.95)
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return min(a, b)
}

// mcseMean is posterior::mcse_mean: sd(draws)/sqrt(ess_mean), ess_mean the
// ESS of the (not rank-normalised) split draws.
func (w *diagWork) mcseMean(draws [][]float64, sd float64) float64 {
	return sd / math.Sqrt(w.splitESS(w.splitViews(draws)))
}

// mcseQuantile is posterior's .mcse_quantile: half the distance between the
// order statistics at the 15.9 % and 84.1 % points of the Beta(ess·p + 1,
// ess·(1−p) + 1) distribution of the quantile's rank.
func (w *diagWork) mcseQuantile(draws [][]float64, sorted []float64, p float64) float64 {
	ess := w.essQuantile(draws, sorted, p)
	if math.IsNaN(ess) {
		return math.NaN()
	}
	a1 := betaQuantile(0.1586553, ess*p+1, ess*(1-p)+1)
	a2 := betaQuantile(0.8413447, ess*p+1, ess*(1-p)+1)
	s := len(sorted)
	i1 := max(int(math.Floor(a1*float64(s))), 1)
	i2 := min(int(math.Ceil(a2*float64(s))), s)
	return (sorted[i2-1] - sorted[i1-1]) / 2
}

// allMeanSD returns the mean and sample standard deviation of all draws.
func allMeanSD(draws [][]float64) (mean, sd float64) {
	cnt := 0
	for _, ch := range draws {
		for _, v := range ch {
			mean += v
		}
		cnt += len(ch)
	}
	mean /= float64(cnt)
	ss := 0.0
	for _, ch := range draws {
		for _, v := range ch {
			d := v - mean
			ss += d * d
		}
	}
	return mean, math.Sqrt(ss / float64(cnt-1))
}
