package bnn

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// MCMC convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter and
// Bürkner (2021), "Rank-normalization, folding, and localization: an improved
// R̂ for assessing convergence of MCMC", Bayesian Analysis 16(2):667–718,
// computed exactly as the R package posterior (version 1.4) computes them;
// the tests check them against posterior to 1e-6 relative.
//
// All functions take draws[c][i], chain c and iteration i, chains of equal
// length. Conventions shared by all of them:
//   - Chains are split in halves (an odd length drops its middle draw), so
//     R̂ needs at least 4 draws per chain and the ESS-based quantities 6
//     (posterior returns NA below that; these functions return ErrShape).
//   - Constant draws (max − min below 2⁻⁵², posterior's absolute tolerance)
//     have no defined R̂, ESS or MCSE: posterior returns NA, these functions
//     return NaN with a nil error. The same holds when a transformed series
//     is constant (e.g. draws symmetric about their median fold to a constant).
//   - NaN or ±Inf in the draws is an error (ErrNonFinite naming chain and
//     iteration), where posterior would return NA.

// Minimum draws per chain.
const (
	rhatMinDraws = 4 // split halves of ≥ 2 draws
	essMinDraws  = 6 // split halves of ≥ 3 draws (posterior's .ess)
)

// checkDraws validates draws[c][i] for diagnostic fn: at least one chain, equal
// lengths, at least minDraws per chain, all finite.
func checkDraws(fn string, draws [][]float64, minDraws int) error {
	if len(draws) == 0 {
		return fmt.Errorf("bnn: %s: no chains: %w", fn, ErrEmpty)
	}
	n := len(draws[0])
	for c, ch := range draws {
		if len(ch) != n {
			return fmt.Errorf("bnn: %s: chain %d has %d draws, chain 0 has %d: %w", fn, c, len(ch), n, ErrShape)
		}
	}
	if n == 0 {
		return fmt.Errorf("bnn: %s: chains have no draws: %w", fn, ErrEmpty)
	}
	if n < minDraws {
		return fmt.Errorf("bnn: %s: %d draws per chain, need at least %d: %w", fn, n, minDraws, ErrShape)
	}
	for c, ch := range draws {
		for i, v := range ch {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("bnn: %s: chain %d iteration %d is %v: %w", fn, c, i, v, ErrNonFinite)
			}
		}
	}
	return nil
}

// checkProb validates a probability p in (0, 1).
func checkProb(fn string, p float64) error {
	if !(p > 0 && p < 1) {
		return fmt.Errorf("bnn: %s: probability %v outside (0, 1): %w", fn, p, ErrInvalidParameter)
	}
	return nil
}

// RHat returns the rank-normalised split-R̂ of Vehtari et al. (2021), as
// posterior::rhat: the larger of the split-R̂ of the rank-normalised draws
// (bulk) and of the rank-normalised draws folded about their median (tail).
// Values near 1 indicate convergence; Vehtari et al. recommend R̂ < 1.01.
// It needs at least 4 draws per chain (ErrShape), finite draws
// (ErrNonFinite), and returns NaN for constant draws.
func RHat(draws [][]float64) (float64, error) {
	if err := checkDraws("RHat", draws, rhatMinDraws); err != nil {
		return 0, err
	}
	var w diagWork
	return w.rhat(draws, medianSorted(w.sortAll(draws))), nil
}

// ESSBulk returns the bulk effective sample size, as posterior::ess_bulk: the
// ESS of the rank-normalised split chains, with autocorrelations by FFT and
// Geyer's initial-monotone-sequence truncation. It needs at least 6 draws per
// chain (ErrShape), finite draws (ErrNonFinite), and returns NaN for constant
// draws.
func ESSBulk(draws [][]float64) (float64, error) {
	if err := checkDraws("ESSBulk", draws, essMinDraws); err != nil {
		return 0, err
	}
	var w diagWork
	return w.essBulk(draws), nil
}

// ESSTail returns the tail effective sample size, as posterior::ess_tail: the
// smaller of the ESS of the indicators draws ≤ q₀.₀₅ and draws ≤ q₀.₉₅ (split
// chains). Requirements and NaN as ESSBulk.
func ESSTail(draws [][]float64) (float64, error) {
	if err := checkDraws("ESSTail", draws, essMinDraws); err != nil {
		return 0, err
	}
	var w diagWork
	return w.essTail(draws, w.sortAll(draws)), nil
}

// MCSEMean returns the Monte Carlo standard error of the posterior mean, as
// posterior::mcse_mean: sd/√ESS with the ESS of the split (not
// rank-normalised) draws, in the units of the draws. Requirements and NaN as
// ESSBulk.
func MCSEMean(draws [][]float64) (float64, error) {
	if err := checkDraws("MCSEMean", draws, essMinDraws); err != nil {
		return 0, err
	}
	var w diagWork
	_, sd := allMeanSD(draws)
	return w.mcseMean(draws, sd), nil
}

// MCSEQuantile returns the Monte Carlo standard error of the p-quantile, as
// posterior::mcse_quantile: half the distance between the order statistics at
// the 15.87 % and 84.13 % points of the Beta(ESS·p + 1, ESS·(1−p) + 1)
// distribution, ESS that of the indicator draws ≤ q_p. p must lie in (0, 1)
// (ErrInvalidParameter); other requirements and NaN as ESSBulk.
func MCSEQuantile(draws [][]float64, p float64) (float64, error) {
	if err := checkProb("MCSEQuantile", p); err != nil {
		return 0, err
	}
	if err := checkDraws("MCSEQuantile", draws, essMinDraws); err != nil {
		return 0, err
	}
	var w diagWork
	return w.mcseQuantile(draws, w.sortAll(draws), p), nil
}

// Quantile returns the p-quantile of all draws pooled over chains, as
// posterior::quantile2 (R's quantile type 7: linear interpolation between
// order statistics at (S−1)p, S the number of draws). p must lie in [0, 1]
// (ErrInvalidParameter); one draw suffices.
func Quantile(draws [][]float64, p float64) (float64, error) {
	if !(p >= 0 && p <= 1) {
		return 0, fmt.Errorf("bnn: Quantile: probability %v outside [0, 1]: %w", p, ErrInvalidParameter)
	}
	if err := checkDraws("Quantile", draws, 1); err != nil {
		return 0, err
	}
	var w diagWork
	return quantileSorted(w.sortAll(draws), p), nil
}

// EBFMI returns the estimated Bayesian fraction of missing information of one
// chain's Hamiltonian energies (Betancourt 2016, "Diagnosing suboptimal
// cotangent disintegrations in Hamiltonian Monte Carlo"), as rstan's
// get_bfmi: Σ(E_i − E_{i−1})²/n divided by the sample variance of E. Values
// below 0.3 indicate that the momentum resampling explores the energy
// distribution poorly. It needs at least 2 finite energies (ErrEmpty,
// ErrShape, ErrNonFinite) and returns NaN for constant energies.
func EBFMI(energy []float64) (float64, error) {
	if len(energy) == 0 {
		return 0, fmt.Errorf("bnn: EBFMI: no energies: %w", ErrEmpty)
	}
	if len(energy) < 2 {
		return 0, fmt.Errorf("bnn: EBFMI: %d energies, need at least 2: %w", len(energy), ErrShape)
	}
	for i, v := range energy {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("bnn: EBFMI: energy %d is %v: %w", i, v, ErrNonFinite)
		}
	}
	num := 0.0
	for i := 1; i < len(energy); i++ {
		d := energy[i] - energy[i-1]
		num += d * d
	}
	num /= float64(len(energy))
	_, v := meanVar(energy)
	return num / v, nil
}

// ParamSummary is one row of SummarizeDraws: the posterior summary and
// convergence diagnostics of one scalar parameter, in the units of its draws
// (RHat and the ESS are unitless). NaN marks an undefined value (constant
// draws), printed as NA.
type ParamSummary struct {
	Name     string
	Mean     float64 // mean of all draws
	SD       float64 // standard deviation of all draws (n−1 denominator)
	MCSEMean float64 // Monte Carlo standard error of Mean (posterior::mcse_mean)
	Q5       float64 // 5 % quantile (type 7)
	Q50      float64 // median
	Q95      float64 // 95 % quantile (type 7)
	RHat     float64 // rank-normalised split-R̂ (posterior::rhat)
	ESSBulk  float64 // bulk effective sample size (posterior::ess_bulk)
	ESSTail  float64 // tail effective sample size (posterior::ess_tail)
}

// SummarizeDraws summarises each parameter's draws, draws[p][c][i] (parameter
// p, chain c, iteration i), like posterior::summarise_draws: mean, sd,
// mcse_mean, the 5/50/95 % quantiles, rhat, ess_bulk and ess_tail. names[p]
// names parameter p. Parameters are processed in parallel on GOMAXPROCS
// goroutines; each row depends only on its own draws, so results do not
// depend on GOMAXPROCS. It needs len(names) == len(draws) (ErrShape) and for
// each parameter what ESSBulk needs; errors name the parameter.
func SummarizeDraws(names []string, draws [][][]float64) ([]ParamSummary, error) {
	if len(draws) == 0 {
		return nil, fmt.Errorf("bnn: SummarizeDraws: no parameters: %w", ErrEmpty)
	}
	if len(names) != len(draws) {
		return nil, fmt.Errorf("bnn: SummarizeDraws: %d names for %d parameters: %w", len(names), len(draws), ErrShape)
	}
	for p, d := range draws {
		if err := checkDraws("SummarizeDraws: parameter "+strconv.Itoa(p)+" ("+names[p]+")", d, essMinDraws); err != nil {
			return nil, err
		}
	}
	out := make([]ParamSummary, len(draws))
	workers := min(runtime.GOMAXPROCS(0), len(draws))
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w diagWork
			for p := k; p < len(draws); p += workers {
				out[p] = w.summarize(names[p], draws[p])
			}
		}()
	}
	wg.Wait()
	return out, nil
}

// summarize computes one row of SummarizeDraws on validated draws.
func (w *diagWork) summarize(name string, draws [][]float64) ParamSummary {
	sorted := w.sortAll(draws)
	mean, sd := allMeanSD(draws)
	return ParamSummary{
		Name:     name,
		Mean:     mean,
		SD:       sd,
		MCSEMean: w.mcseMean(draws, sd),
		Q5:       quantileSorted(sorted, 0.05),
		Q50:      quantileSorted(sorted, 0.5),
		Q95:      quantileSorted(sorted, 0.95),
		RHat:     w.rhat(draws, medianSorted(sorted)),
		ESSBulk:  w.essBulk(draws),
		ESSTail:  w.essTail(draws, sorted),
	}
}

// WriteSummary writes s as an aligned text table with the columns of
// posterior::summarise_draws and Stan's summary: variable, mean, sd, mcse
// (of the mean), q5, q50, q95, rhat, ess_bulk, ess_tail. Location columns get
// 4 significant digits, rhat 3 decimals, the ESS whole numbers; NaN prints
// as NA. It returns the first write error.
func WriteSummary(w io.Writer, s []ParamSummary) error {
	header := []string{"variable", "mean", "sd", "mcse", "q5", "q50", "q95", "rhat", "ess_bulk", "ess_tail"}
	rows := [][]string{header}
	g := func(v float64) string {
		if math.IsNaN(v) {
			return "NA"
		}
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	f := func(v float64, prec int) string {
		if math.IsNaN(v) {
			return "NA"
		}
		return strconv.FormatFloat(v, 'f', prec, 64)
	}
	for _, r := range s {
		rows = append(rows, []string{r.Name, g(r.Mean), g(r.SD), g(r.MCSEMean), g(r.Q5), g(r.Q50), g(r.Q95),
			f(r.RHat, 3), f(r.ESSBulk, 0), f(r.ESSTail, 0)})
	}
	width := make([]int, len(header))
	for _, row := range rows {
		for j, cell := range row {
			width[j] = max(width[j], len([]rune(cell)))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		b.Reset()
		for j, cell := range row {
			pad := strings.Repeat(" ", width[j]-len([]rune(cell)))
			if j == 0 {
				b.WriteString(cell + pad)
			} else {
				b.WriteString("  " + pad + cell)
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}
