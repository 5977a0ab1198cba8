package bnn

import (
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

// diagConstantTol is posterior's should_return_NA tolerance: draws whose range
// max − min is below it (absolute, .Machine$double.eps) count as constant.
const diagConstantTol = 0x1p-52

// diagRankItem pairs a draw with its position for average-rank computation.
type diagRankItem struct {
	v float64
	i int32
}

// diagWork is reusable scratch space for the diagnostics of one parameter;
// SummarizeDraws keeps one per worker so repeated summaries allocate only
// when the chain length grows.
type diagWork struct {
	fft    autocovFFT
	acSum  []float64 // mean autocovariance over chains
	rho    []float64 // Geyer's autocorrelation sequence
	flat   []float64 // transformed split draws, chain after chain
	split  [][]float64
	sorted []float64      // all draws, sorted
	order  []diagRankItem // all draws with their positions c·n+i, sorted
	keys   []uint64       // radix-sort keys and their scratch copy
	pos    []int32        // positions travelling with keys
	seq    []diagRankItem // split draws with their positions in flat, sorted
	fold   []diagRankItem // folded split draws with their positions in flat, sorted
	ztab   []float64      // rank-normalised score of each integer rank
	means  []float64      // per-chain means
}

// diagGrow returns s resized to length n, reallocating only when needed.
func diagGrow[T any](s []T, n int) []T {
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
	w.split = diagGrow(w.split, 2*m)
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
	w.flat = diagGrow(w.flat, 2*m*h)
	w.split = diagGrow(w.split, 2*m)
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

// prepare sorts all draws, remembering where each came from: w.order holds
// (value, c·n + i) in ascending value order and w.sorted the values alone.
// Every diagnostic of one parameter reuses this single sort, an LSD radix sort
// on order-preserving 64-bit keys (8 passes of 8 bits at most, skipping
// digits all keys share): O(S), several times faster than a comparison sort
// at S = 4000.
func (w *diagWork) prepare(draws [][]float64) []float64 {
	m, n := len(draws), len(draws[0])
	s := m * n
	w.keys = diagGrow(w.keys, 2*s)
	w.pos = diagGrow(w.pos, 2*s)
	keys, tmpKeys := w.keys[:s], w.keys[s:]
	pos, tmpPos := w.pos[:s], w.pos[s:]
	var hist [8][256]int
	for c, ch := range draws {
		for i, v := range ch {
			k := diagOrderedKey(v)
			keys[c*n+i] = k
			pos[c*n+i] = int32(c*n + i)
			for d := range 8 {
				hist[d][byte(k>>(8*d))]++
			}
		}
	}
	for d := range 8 {
		h := &hist[d]
		if h[byte(keys[0]>>(8*d))] == s {
			continue // every key has this digit
		}
		sum := 0
		for b := range h {
			h[b], sum = sum, sum+h[b]
		}
		for j, k := range keys {
			b := byte(k >> (8 * d))
			tmpKeys[h[b]] = k
			tmpPos[h[b]] = pos[j]
			h[b]++
		}
		keys, tmpKeys = tmpKeys, keys
		pos, tmpPos = tmpPos, pos
	}
	w.order = diagGrow(w.order, s)
	w.sorted = diagGrow(w.sorted, s)
	for j, k := range keys {
		v := diagKeyValue(k)
		w.order[j] = diagRankItem{v, pos[j]}
		w.sorted[j] = v
	}
	return w.sorted
}

// diagOrderedKey maps a float64 to a uint64 whose unsigned order is the numeric
// order (−0 sorts just before +0, which compare equal and so still tie).
func diagOrderedKey(v float64) uint64 {
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// diagKeyValue inverts diagOrderedKey.
func diagKeyValue(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// bulkSequence maps the sorted draws (w.order) to the split layout of
// splitMapped: w.seq gets (value, position in w.flat) in ascending value
// order, without the middle draws that splitting drops from odd-length chains.
func (w *diagWork) bulkSequence(m, n int) []diagRankItem {
	h := n / 2
	w.seq = diagGrow(w.seq, 2*m*h)[:0]
	for _, it := range w.order {
		c, i := int(it.i)/n, int(it.i)%n
		switch {
		case i < h:
			w.seq = append(w.seq, diagRankItem{it.v, int32(c*h + i)})
		case i >= n-h:
			w.seq = append(w.seq, diagRankItem{it.v, int32((m+c)*h + i - (n - h))})
		}
	}
	return w.seq
}

// foldSequence turns the ascending bulk sequence into the ascending sequence
// of the folded draws |x − median| (w.fold), in O(S): the draws at or below
// the median, taken downwards, and those above it, taken upwards, are each
// already sorted by distance, so one merge orders them. The distances are
// computed exactly as the folding computes them, so ties are preserved.
func (w *diagWork) foldSequence(bulk []diagRankItem, median float64) []diagRankItem {
	w.fold = diagGrow(w.fold, len(bulk))[:0]
	split, _ := slices.BinarySearchFunc(bulk, median, func(it diagRankItem, t float64) int {
		if it.v <= t {
			return -1
		}
		return 1
	})
	lo, hi := split-1, split
	for lo >= 0 || hi < len(bulk) {
		var a, b float64
		if lo >= 0 {
			a = math.Abs(bulk[lo].v - median)
		}
		if hi < len(bulk) {
			b = math.Abs(bulk[hi].v - median)
		}
		if hi >= len(bulk) || (lo >= 0 && a <= b) {
			w.fold = append(w.fold, diagRankItem{a, bulk[lo].i})
			lo--
		} else {
			w.fold = append(w.fold, diagRankItem{b, bulk[hi].i})
			hi++
		}
	}
	return w.fold
}

// zScale writes into w.flat[it.i] the rank-normalised score
// Φ⁻¹((r − 3/8)/(s − 3/4 + 1)) of each item of seq (ascending, length s),
// r the average rank of its value among all s (posterior's z_scale with
// ties.method = "average"), and returns the split chains as views into w.flat.
// Scores of integer ranks come from a table kept while s does not change.
func (w *diagWork) zScale(seq []diagRankItem, m, h int) [][]float64 {
	s := len(seq)
	den := float64(s) - 2*rankNormOffset + 1
	if len(w.ztab) != s {
		w.ztab = diagGrow(w.ztab, s)
		for k := range w.ztab {
			w.ztab[k] = mcmcNormalQuantile((float64(k+1) - rankNormOffset) / den)
		}
	}
	w.flat = diagGrow(w.flat, s)
	for i := 0; i < s; {
		j := i + 1
		for j < s && seq[j].v == seq[i].v {
			j++
		}
		// 1-based ranks i+1 … j share their average.
		var z float64
		if j == i+1 {
			z = w.ztab[i]
		} else {
			z = mcmcNormalQuantile((0.5*float64(i+1+j) - rankNormOffset) / den)
		}
		for k := i; k < j; k++ {
			w.flat[seq[k].i] = z
		}
		i = j
	}
	w.split = diagGrow(w.split, 2*m)
	for c := range w.split {
		w.split[c] = w.flat[c*h : (c+1)*h : (c+1)*h]
	}
	return w.split
}

// diagIsConstant reports posterior's is_constant: max − min below diagConstantTol.
// Any draw at least diagConstantTol from the first proves the draws non-constant,
// so the scan usually stops after a few draws.
func diagIsConstant(chains [][]float64) bool {
	first := chains[0][0]
	lo, hi := first, first
	for _, ch := range chains {
		for _, v := range ch {
			if math.Abs(v-first) >= diagConstantTol {
				return false
			}
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
	}
	return hi-lo < diagConstantTol
}

// diagMeanVar returns the mean and the sample variance (n−1 denominator) of x,
// by two passes.
func diagMeanVar(x []float64) (mean, variance float64) {
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
	if diagIsConstant(chains) {
		return math.NaN()
	}
	n := float64(len(chains[0]))
	w.means = diagGrow(w.means, len(chains))
	within := 0.0
	for c, ch := range chains {
		mu, v := diagMeanVar(ch)
		w.means[c] = mu
		within += v
	}
	within /= float64(len(chains))
	_, vm := diagMeanVar(w.means)
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
	if n < 3 || diagIsConstant(chains) {
		return math.NaN()
	}
	w.acSum = diagGrow(w.acSum, n)
	w.means = diagGrow(w.means, m)
	w.fft.meanAcov(w.acSum, chains)
	for c, ch := range chains {
		mu, _ := diagMeanVar(ch)
		w.means[c] = mu
	}
	acov := w.acSum
	fn := float64(n)
	meanVarW := acov[0] * fn / (fn - 1)
	varPlus := meanVarW * (fn - 1) / fn
	if m > 1 {
		_, vm := diagMeanVar(w.means)
		varPlus += vm
	}
	rho := diagGrow(w.rho, n)
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

// quantileType7Sorted is R's quantile type 7 (posterior's quantile2) on sorted x:
// with index = 1 + (S−1)p, lo = ⌊index⌋, hi = ⌈index⌉, h = index − lo,
// (1−h)·x_lo + h·x_hi (1-based), computed in R's order of operations.
func quantileType7Sorted(x []float64, p float64) float64 {
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

// diagMedianSorted is R's median on sorted x.
func diagMedianSorted(x []float64) float64 {
	s := len(x)
	if s%2 == 1 {
		return x[s/2]
	}
	return (x[s/2-1] + x[s/2]) / 2
}

// rankDiagnostics returns posterior::rhat and posterior::ess_bulk of draws
// prepared by w.prepare (median: their median). R̂ is the larger of the
// split-R̂ of the rank-normalised draws (bulk) and of the rank-normalised
// draws folded about the median (tail); the bulk ESS is the ESS of the
// rank-normalised split draws. Each is NaN unless requested (withRHat,
// withESS).
func (w *diagWork) rankDiagnostics(draws [][]float64, median float64, withRHat, withESS bool) (rhat, essBulk float64) {
	m, n := len(draws), len(draws[0])
	h := n / 2
	bulkSeq := w.bulkSequence(m, n)
	chains := w.zScale(bulkSeq, m, h)
	rhat, essBulk = math.NaN(), math.NaN()
	if withESS {
		essBulk = w.splitESS(chains)
	}
	if !withRHat {
		return rhat, essBulk
	}
	bulk := w.splitRHat(chains)
	tail := w.splitRHat(w.zScale(w.foldSequence(bulkSeq, median), m, h))
	if math.IsNaN(bulk) || math.IsNaN(tail) {
		return math.NaN(), essBulk
	}
	return max(bulk, tail), essBulk
}

// essQuantile is posterior's .ess_quantile: the ESS of the split indicator
// draws ≤ q_p, q_p the type-7 quantile of all draws (sorted: all draws in
// ascending order). NaN for constant draws.
func (w *diagWork) essQuantile(draws [][]float64, sorted []float64, p float64) float64 {
	if sorted[len(sorted)-1]-sorted[0] < diagConstantTol {
		return math.NaN()
	}
	q := quantileType7Sorted(sorted, p)
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
	a1 := diagBetaQuantile(0.1586553, ess*p+1, ess*(1-p)+1)
	a2 := diagBetaQuantile(0.8413447, ess*p+1, ess*(1-p)+1)
	s := len(sorted)
	i1 := max(int(math.Floor(a1*float64(s))), 1)
	i2 := min(int(math.Ceil(a2*float64(s))), s)
	return (sorted[i2-1] - sorted[i1-1]) / 2
}

// diagMeanSD returns the mean and sample standard deviation of all draws.
func diagMeanSD(draws [][]float64) (mean, sd float64) {
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
