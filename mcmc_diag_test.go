package bnn

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// diagReference is one case of testdata/mcmc_diag_reference.json, written by
// testdata/mcmc_diag_reference.R with the R package posterior; null (NA)
// decodes to a nil pointer.
type diagReference struct {
	Mean, SD, RHat *float64
	ESSBulk        *float64 `json:"ess_bulk"`
	ESSTail        *float64 `json:"ess_tail"`
	MCSEMean       *float64 `json:"mcse_mean"`
	Q5, Q50, Q95   *float64
	MCSEQ5         *float64 `json:"mcse_q5"`
	MCSEQ50        *float64 `json:"mcse_q50"`
	MCSEQ95        *float64 `json:"mcse_q95"`
	ESSMean        *float64 `json:"ess_mean"`
	ESSQ5          *float64 `json:"ess_q5"`
	ESSQ95         *float64 `json:"ess_q95"`
	RHatBasic      *float64 `json:"rhat_basic"`
	EBFMI          []*float64
}

// loadDiagCases reads the stored draws and posterior's reference values.
func loadDiagCases(t testing.TB) (map[string][][]float64, map[string]diagReference) {
	t.Helper()
	raw, err := os.ReadFile("testdata/mcmc_diag_draws.json")
	if err != nil {
		t.Fatal(err)
	}
	var draws map[string][][]float64
	if err := json.Unmarshal(raw, &draws); err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile("testdata/mcmc_diag_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	refs := map[string]diagReference{}
	for k, v := range all {
		if k == "posterior_version" {
			continue
		}
		var r diagReference
		if err := json.Unmarshal(v, &r); err != nil {
			t.Fatal(k, err)
		}
		refs[k] = r
	}
	if len(refs) != len(draws) || len(refs) < 3 {
		t.Fatalf("%d reference cases for %d draw sets", len(refs), len(draws))
	}
	return draws, refs
}

// diagWorstRel is the largest relative deviation from posterior seen by checkDiagRel.
var diagWorstRel float64

// checkDiagRel reports got against posterior's want (nil = NA = NaN) at 1e-6
// relative (1e-12 absolute floor for values at 0).
func checkDiagRel(t *testing.T, what string, got float64, want *float64) {
	t.Helper()
	if want == nil {
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, posterior gives NA", what, got)
		}
		return
	}
	d := math.Abs(got - *want)
	if *want != 0 {
		diagWorstRel = max(diagWorstRel, d/math.Abs(*want))
	}
	if !(d <= 1e-6*math.Abs(*want)+1e-12) {
		t.Errorf("%s = %.12g, posterior %.12g (rel err %.2g)", what, got, *want, d/math.Abs(*want))
	}
}

func TestMCMCDiagnosticsMatchPosterior(t *testing.T) {
	draws, refs := loadDiagCases(t)
	diagWorstRel = 0
	defer func() { t.Logf("largest relative deviation from posterior: %.2g", diagWorstRel) }()
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range refs {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range names {
		d, ref := draws[name], refs[name]
		t.Run(name, func(t *testing.T) {
			must := func(v float64, err error) float64 {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			checkDiagRel(t, "rhat", must(RHat(d)), ref.RHat)
			checkDiagRel(t, "ess_bulk", must(ESSBulk(d)), ref.ESSBulk)
			checkDiagRel(t, "ess_tail", must(ESSTail(d)), ref.ESSTail)
			checkDiagRel(t, "mcse_mean", must(MCSEMean(d)), ref.MCSEMean)
			checkDiagRel(t, "mcse_q5", must(MCSEQuantile(d, 0.05)), ref.MCSEQ5)
			checkDiagRel(t, "mcse_q50", must(MCSEQuantile(d, 0.5)), ref.MCSEQ50)
			checkDiagRel(t, "mcse_q95", must(MCSEQuantile(d, 0.95)), ref.MCSEQ95)
			checkDiagRel(t, "q5", must(Quantile(d, 0.05)), ref.Q5)
			checkDiagRel(t, "q50", must(Quantile(d, 0.5)), ref.Q50)
			checkDiagRel(t, "q95", must(Quantile(d, 0.95)), ref.Q95)

			var w diagWork
			sorted := w.prepare(d)
			checkDiagRel(t, "ess_mean", w.splitESS(w.splitViews(d)), ref.ESSMean)
			checkDiagRel(t, "ess_q5", w.essQuantile(d, sorted, 0.05), ref.ESSQ5)
			checkDiagRel(t, "ess_q95", w.essQuantile(d, sorted, 0.95), ref.ESSQ95)
			checkDiagRel(t, "rhat_basic", w.splitRHat(w.splitViews(d)), ref.RHatBasic)

			s, err := SummarizeDraws([]string{name}, [][][]float64{d})
			if err != nil {
				t.Fatal(err)
			}
			r := s[0]
			checkDiagRel(t, "summary mean", r.Mean, ref.Mean)
			checkDiagRel(t, "summary sd", r.SD, ref.SD)
			checkDiagRel(t, "summary mcse", r.MCSEMean, ref.MCSEMean)
			checkDiagRel(t, "summary q5", r.Q5, ref.Q5)
			checkDiagRel(t, "summary q50", r.Q50, ref.Q50)
			checkDiagRel(t, "summary q95", r.Q95, ref.Q95)
			checkDiagRel(t, "summary rhat", r.RHat, ref.RHat)
			checkDiagRel(t, "summary ess_bulk", r.ESSBulk, ref.ESSBulk)
			checkDiagRel(t, "summary ess_tail", r.ESSTail, ref.ESSTail)

			if len(ref.EBFMI) != len(d) {
				t.Fatalf("%d E-BFMI references for %d chains", len(ref.EBFMI), len(d))
			}
			for c := range d {
				want := ref.EBFMI[c]
				got, err := EBFMI(d[c])
				if err != nil {
					t.Fatal(err)
				}
				checkDiagRel(t, "ebfmi", got, want)
			}
		})
	}
}

// TestMCMCDiagnosticsReferenceCases pins the properties that make the stored
// cases meaningful, so a regenerated reference cannot silently lose them.
func TestMCMCDiagnosticsReferenceCases(t *testing.T) {
	draws, refs := loadDiagCases(t)
	if r := *refs["shifted"].RHat; r < 1.1 {
		t.Errorf("shifted case R̂ = %v, want well above 1", r)
	}
	if r := *refs["ar1"].RHat; r > 1.05 {
		t.Errorf("AR(1) case R̂ = %v, want near 1", r)
	}
	if e := *refs["ar1"].ESSBulk; e < 100 || e > 600 {
		t.Errorf("AR(1) ρ=0.9 bulk ESS = %v, want ≈ 4000·0.1/1.9 ≈ 210", e)
	}
	if n := len(draws["odd"][0]); n%2 != 1 {
		t.Errorf("odd case has %d draws per chain", n)
	}
	if len(draws["ar1"]) < 4 || len(draws["ar1"][0]) < 1000 {
		t.Errorf("AR(1) case is %d×%d, want ≥ 4×1000", len(draws["ar1"]), len(draws["ar1"][0]))
	}
}

func TestMCMCDiagnosticsErrors(t *testing.T) {
	good := [][]float64{{1, 2, 3, 4, 5, 6}, {2, 1, 4, 3, 6, 5}}
	fns := map[string]func([][]float64) (float64, error){
		"RHat":         RHat,
		"ESSBulk":      ESSBulk,
		"ESSTail":      ESSTail,
		"MCSEMean":     MCSEMean,
		"MCSEQuantile": func(d [][]float64) (float64, error) { return MCSEQuantile(d, 0.3) },
		"Quantile":     func(d [][]float64) (float64, error) { return Quantile(d, 0.3) },
	}
	for name, f := range fns {
		if _, err := f(good); err != nil {
			t.Errorf("%s(good): %v", name, err)
		}
		if _, err := f(nil); !errors.Is(err, ErrEmpty) {
			t.Errorf("%s(nil) = %v, want ErrEmpty", name, err)
		}
		if _, err := f([][]float64{{}, {}}); !errors.Is(err, ErrEmpty) {
			t.Errorf("%s(no draws) = %v, want ErrEmpty", name, err)
		}
		_, err := f([][]float64{{1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5}})
		if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "chain 1") {
			t.Errorf("%s(ragged) = %v, want ErrShape naming chain 1", name, err)
		}
		_, err = f([][]float64{{1, 2, 3, 4, 5, 6}, {1, 2, 3, math.NaN(), 5, 6}})
		if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "chain 1 iteration 3") {
			t.Errorf("%s(NaN) = %v, want ErrNonFinite naming chain 1 iteration 3", name, err)
		}
		_, err = f([][]float64{{1, math.Inf(1), 3, 4, 5, 6}})
		if !errors.Is(err, ErrNonFinite) {
			t.Errorf("%s(Inf) = %v, want ErrNonFinite", name, err)
		}
		if name == "Quantile" {
			continue
		}
		_, err = f([][]float64{{1, 2}, {3, 4}})
		if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "at least") {
			t.Errorf("%s(2 draws) = %v, want ErrShape stating the minimum", name, err)
		}
	}
	if _, err := RHat([][]float64{{1, 2, 3, 4}}); err != nil {
		t.Errorf("RHat with 4 draws: %v", err)
	}
	if _, err := ESSBulk([][]float64{{1, 2, 3, 4, 5}}); !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "at least 6") {
		t.Errorf("ESSBulk with 5 draws: %v, want ErrShape needing 6", err)
	}
	for _, p := range []float64{0, 1, -0.1, 1.5, math.NaN()} {
		if _, err := MCSEQuantile(good, p); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("MCSEQuantile(p=%v) = %v, want ErrInvalidParameter", p, err)
		}
	}
	for _, p := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := Quantile(good, p); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("Quantile(p=%v) = %v, want ErrInvalidParameter", p, err)
		}
	}
	if q, err := Quantile(good, 0); err != nil || q != 1 {
		t.Errorf("Quantile(p=0) = %v, %v, want the minimum 1", q, err)
	}
	if q, err := Quantile(good, 1); err != nil || q != 6 {
		t.Errorf("Quantile(p=1) = %v, %v, want the maximum 6", q, err)
	}
	if _, err := EBFMI(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("EBFMI(nil) = %v", err)
	}
	if _, err := EBFMI([]float64{1}); !errors.Is(err, ErrShape) {
		t.Errorf("EBFMI(one energy) = %v", err)
	}
	if _, err := EBFMI([]float64{1, math.NaN(), 2}); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "energy 1") {
		t.Errorf("EBFMI(NaN) = %v", err)
	}
	if _, err := SummarizeDraws([]string{"a"}, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("SummarizeDraws(no params) = %v", err)
	}
	if _, err := SummarizeDraws([]string{"a"}, [][][]float64{good, good}); !errors.Is(err, ErrShape) {
		t.Errorf("SummarizeDraws(names mismatch) = %v", err)
	}
	bad := [][]float64{{1, 2, 3, 4, 5, 6}, {1, 2, 3, math.Inf(-1), 5, 6}}
	if _, err := SummarizeDraws([]string{"a", "beta"}, [][][]float64{good, bad}); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "beta") {
		t.Errorf("SummarizeDraws(bad param) = %v, want ErrNonFinite naming beta", err)
	}
}

// TestMCMCDiagnosticsConstant: constant draws have no R̂, ESS or MCSE;
// posterior returns NA, these return NaN without an error.
func TestMCMCDiagnosticsConstant(t *testing.T) {
	d := [][]float64{{2, 2, 2, 2, 2, 2, 2, 2}, {2, 2, 2, 2, 2, 2, 2, 2}}
	for name, f := range map[string]func([][]float64) (float64, error){
		"RHat": RHat, "ESSBulk": ESSBulk, "ESSTail": ESSTail, "MCSEMean": MCSEMean,
		"MCSEQuantile": func(d [][]float64) (float64, error) { return MCSEQuantile(d, 0.5) },
	} {
		if v, err := f(d); err != nil || !math.IsNaN(v) {
			t.Errorf("%s(constant) = %v, %v, want NaN, nil", name, v, err)
		}
	}
	if q, err := Quantile(d, 0.3); err != nil || q != 2 {
		t.Errorf("Quantile(constant) = %v, %v", q, err)
	}
	if v, err := EBFMI(d[0]); err != nil || !math.IsNaN(v) {
		t.Errorf("EBFMI(constant) = %v, %v, want NaN, nil", v, err)
	}
	s, err := SummarizeDraws([]string{"c"}, [][][]float64{d})
	if err != nil {
		t.Fatal(err)
	}
	if r := s[0]; r.Mean != 2 || r.SD != 0 || !math.IsNaN(r.RHat) || !math.IsNaN(r.ESSBulk) || !math.IsNaN(r.MCSEMean) {
		t.Errorf("summary of constant draws: %+v", r)
	}
}

func TestWriteSummary(t *testing.T) {
	var b strings.Builder
	err := WriteSummary(&b, []ParamSummary{
		{Name: "zeta", Mean: 0.1234567, SD: 0.01, MCSEMean: 0.0003, Q5: 0.1, Q50: 0.12, Q95: 0.14, RHat: 1.0012, ESSBulk: 1234.4, ESSTail: 987.6},
		{Name: "c", Mean: 2, RHat: math.NaN(), ESSBulk: math.NaN(), ESSTail: math.NaN(), MCSEMean: math.NaN()},
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines:\n%s", len(lines), b.String())
	}
	want := []string{"variable", "mean", "sd", "mcse", "q5", "q50", "q95", "rhat", "ess_bulk", "ess_tail"}
	if got := strings.Fields(lines[0]); !slices.Equal(got, want) {
		t.Errorf("header %q", got)
	}
	if got := strings.Fields(lines[1]); !slices.Equal(got, []string{"zeta", "0.1235", "0.01", "0.0003", "0.1", "0.12", "0.14", "1.001", "1234", "988"}) {
		t.Errorf("row %q", got)
	}
	if got := strings.Fields(lines[2]); got[7] != "NA" || got[8] != "NA" {
		t.Errorf("NaN row %q", got)
	}
	if len(lines[0]) != len(lines[1]) || len(lines[1]) != len(lines[2]) {
		t.Errorf("columns not aligned:\n%s", b.String())
	}
}

// diagFuzzDraws decodes fuzz bytes into nChains ≥ 1 chains of equal length on the
// grid k/64, |k| ≤ 2¹⁵, so affine maps by powers of two and grid shifts are
// exact in float64.
func diagFuzzDraws(data []byte, nChains uint8) [][]float64 {
	m := 1 + int(nChains%5)
	vals := make([]float64, len(data)/2)
	for i := range vals {
		vals[i] = float64(int16(uint16(data[2*i])|uint16(data[2*i+1])<<8)) / 64
	}
	n := len(vals) / m
	d := make([][]float64, m)
	for c := range d {
		d[c] = vals[c*n : (c+1)*n]
	}
	return d
}

// diagSet is every diagnostic of one set of draws.
type diagSet struct{ rhat, bulk, tail, mcse, mcseQ float64 }

func allMCMCDiagnostics(t *testing.T, d [][]float64) (diagSet, error) {
	var s diagSet
	var err error
	if s.rhat, err = RHat(d); err != nil {
		return s, err
	}
	if s.bulk, err = ESSBulk(d); err != nil {
		return s, err
	}
	if s.tail, err = ESSTail(d); err != nil {
		return s, err
	}
	if s.mcse, err = MCSEMean(d); err != nil {
		return s, err
	}
	if s.mcseQ, err = MCSEQuantile(d, 0.1); err != nil {
		return s, err
	}
	return s, nil
}

// sameDiag compares got with want at relative tolerance tol; NaN must match NaN.
func sameDiag(got, want, tol float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

// FuzzMCMCDiagnostics checks, for arbitrary draws: errors are only the
// documented ones; R̂ ≥ sqrt((h−1)/h) (h draws per split chain) or NaN; ESS in
// (0, S·log₁₀ S] or NaN; MCSE ≥ 0; reversing the chain order changes nothing
// (beyond rounding); an affine map a·x + b (a a power of two, b on the grid,
// both exact) leaves R̂ and the ESS unchanged and scales the MCSEs by a.
func FuzzMCMCDiagnostics(f *testing.F) {
	f.Add([]byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), uint8(1), int8(3), int8(-5))
	f.Add([]byte{1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2, 0, 1, 0, 2, 0, 9, 9, 0, 0, 7, 7, 1, 2, 3, 4}, uint8(0), int8(-2), int8(100))
	f.Add(make([]byte, 40), uint8(2), int8(1), int8(1))
	f.Fuzz(func(t *testing.T, data []byte, nChains uint8, logA, shift int8) {
		d := diagFuzzDraws(data, nChains)
		base, err := allMCMCDiagnostics(t, d)
		if err != nil {
			if !errors.Is(err, ErrShape) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if nr, ne := naiveRankDiagnostics(d); !sameDiag(base.rhat, nr, 1e-12) || !sameDiag(base.bulk, ne, 1e-12) {
			t.Fatalf("R̂, bulk ESS = %v, %v; direct transcription %v, %v", base.rhat, base.bulk, nr, ne)
		}
		h := float64(len(d[0]) / 2)
		total := 2 * h * float64(len(d))
		if !math.IsNaN(base.rhat) && base.rhat < math.Sqrt((h-1)/h)*(1-1e-12) {
			t.Fatalf("R̂ = %v below sqrt((h−1)/h)", base.rhat)
		}
		for _, e := range []float64{base.bulk, base.tail} {
			if !math.IsNaN(e) && !(e > 0 && e <= total*math.Log10(total)*(1+1e-12)) {
				t.Fatalf("ESS = %v outside (0, S·log₁₀S] for S = %v", e, total)
			}
		}
		if base.mcse < 0 || base.mcseQ < 0 {
			t.Fatalf("negative MCSE %v %v", base.mcse, base.mcseQ)
		}

		rev := slices.Clone(d)
		slices.Reverse(rev)
		r, err := allMCMCDiagnostics(t, rev)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range [][3]float64{{r.rhat, base.rhat}, {r.bulk, base.bulk}, {r.tail, base.tail}, {r.mcse, base.mcse}, {r.mcseQ, base.mcseQ}} {
			if !sameDiag(c[0], c[1], 1e-9) {
				t.Fatalf("reversing chains: %+v, was %+v", r, base)
			}
		}

		a := math.Ldexp(1, int(logA)%8)
		b := float64(shift) / 8
		ad := make([][]float64, len(d))
		for c, ch := range d {
			ad[c] = make([]float64, len(ch))
			for i, v := range ch {
				ad[c][i] = a*v + b
			}
		}
		s, err := allMCMCDiagnostics(t, ad)
		if err != nil {
			t.Fatal(err)
		}
		if !sameDiag(s.rhat, base.rhat, 0) || !sameDiag(s.bulk, base.bulk, 0) || !sameDiag(s.tail, base.tail, 0) || !sameDiag(s.mcseQ, a*base.mcseQ, 1e-12) {
			t.Fatalf("a=%v b=%v: %+v, was %+v", a, b, s, base)
		}
		if b == 0 && !sameDiag(s.mcse, a*base.mcse, 1e-12) {
			t.Fatalf("a=%v: mcse %v, want %v", a, s.mcse, a*base.mcse)
		}
	})
}

// naiveRankDiagnostics is a direct transcription of posterior's rhat and
// ess_bulk (split, then rank by a full sort, then Φ⁻¹, with the fold done
// before splitting), the oracle for the single-sort, merge-based path.
func naiveRankDiagnostics(d [][]float64) (rhat, essBulk float64) {
	var w diagWork
	m, n := len(d), len(d[0])
	s := 2 * m * (n / 2)
	zs := func(chains [][]float64) [][]float64 {
		x := w.flat[:s]
		idx := make([]int, s)
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
		z := make([]float64, s)
		for i := 0; i < s; {
			j := i + 1
			for j < s && x[idx[j]] == x[idx[i]] {
				j++
			}
			r := float64(i+1+j) / 2
			for k := i; k < j; k++ {
				z[idx[k]] = mcmcNormalQuantile((r - 3.0/8) / (float64(s) - 0.75 + 1))
			}
			i = j
		}
		copy(x, z)
		return chains
	}
	all := slices.Concat(d...)
	slices.Sort(all)
	med := diagMedianSorted(all)
	chains := zs(w.splitMapped(d, func(v float64) float64 { return v }))
	bulk := w.splitRHat(chains)
	essBulk = w.splitESS(chains)
	tail := w.splitRHat(zs(w.splitMapped(d, func(v float64) float64 { return math.Abs(v - med) })))
	if math.IsNaN(bulk) || math.IsNaN(tail) {
		return math.NaN(), essBulk
	}
	return max(bulk, tail), essBulk
}

// TestSummarizeDrawsReusesWorkspaceSafely: parameters of different shapes
// (chain counts, odd and even lengths) summarised together, whose rows the
// workers compute with reused scratch space, equal bit for bit the rows of
// one-parameter calls and the single diagnostics, at any GOMAXPROCS.
func TestSummarizeDrawsReusesWorkspaceSafely(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	shapes := [][2]int{{4, 100}, {1, 7}, {3, 101}, {4, 100}, {2, 64}, {8, 33}, {4, 100}}
	names := make([]string, len(shapes))
	draws := make([][][]float64, len(shapes))
	for p, sh := range shapes {
		names[p] = fmt.Sprint("p", p)
		draws[p] = diagAR1Draws(r, sh[0], sh[1], 0.3*float64(p%3))
	}
	for _, procs := range []int{1, 3} {
		old := runtime.GOMAXPROCS(procs)
		all, err := SummarizeDraws(names, draws)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		for p := range draws {
			one, err := SummarizeDraws(names[p:p+1], draws[p:p+1])
			if err != nil {
				t.Fatal(err)
			}
			if all[p] != one[0] {
				t.Errorf("GOMAXPROCS=%d parameter %d: %+v alone, %+v together", procs, p, one[0], all[p])
			}
			rh, _ := RHat(draws[p])
			eb, _ := ESSBulk(draws[p])
			et, _ := ESSTail(draws[p])
			mc, _ := MCSEMean(draws[p])
			if rh != all[p].RHat || eb != all[p].ESSBulk || et != all[p].ESSTail || mc != all[p].MCSEMean {
				t.Errorf("parameter %d: summary %+v, single functions %v %v %v %v", p, all[p], rh, eb, et, mc)
			}
		}
	}
}
