package bnn

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

func linspace(a, b float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return x
}

func column(t *testing.T, x []float64) *Dense {
	t.Helper()
	m, err := NewDense(len(x), 1, x)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSeedPolynomialEvidence reproduces the seed's evidence-per-degree table.
func TestSeedPolynomialEvidence(t *testing.T) {
	raw, err := os.ReadFile("testdata/seed_torch_cpu.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Sections struct {
			BLR struct {
				Targets     []float64 `json:"targets"`
				LogEvidence []float64 `json:"log_evidence"`
				BestDegree  int       `json:"best_degree"`
			} `json:"blr"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	blr := ref.Sections.BLR
	if len(blr.Targets) != 10 || len(blr.LogEvidence) != 10 {
		t.Fatalf("reference has %d targets, %d evidences", len(blr.Targets), len(blr.LogEvidence))
	}
	x := column(t, linspace(0, 1, 10))
	alpha, beta := 0.005, 1/(0.3*0.3)
	best, bestEv := -1, math.Inf(-1)
	for d := 0; d <= 9; d++ {
		basis, err := PolynomialBasis(d)
		if err != nil {
			t.Fatal(err)
		}
		phi, err := basis.Expand(x)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := LogEvidence(phi, blr.Targets, alpha, beta)
		if err != nil {
			t.Fatal(err)
		}
		if diff := math.Abs(ev - blr.LogEvidence[d]); diff > 1e-9 {
			t.Errorf("degree %d: log evidence %.15g, seed %.15g (diff %g)", d, ev, blr.LogEvidence[d], diff)
		}
		if ev > bestEv {
			best, bestEv = d, ev
		}
	}
	if best != blr.BestDegree || best != 4 {
		t.Errorf("best degree %d, seed %d", best, blr.BestDegree)
	}
}

func readDiabetes(t *testing.T) (*Dense, []float64) {
	t.Helper()
	f, err := os.Open("testdata/diabetes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	yCol := -1
	for j, h := range header {
		if h == "y" {
			yCol = j
		}
	}
	if yCol < 0 {
		t.Fatal("no y column")
	}
	rows := recs[1:]
	d := len(header) - 1
	x, _ := NewDense(len(rows), d, nil)
	y := make([]float64, len(rows))
	for i, r := range rows {
		k := 0
		for j, s := range r {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			if j == yCol {
				y[i] = v
			} else {
				x.Set(i, k, v)
				k++
			}
		}
	}
	return x, y
}

func TestBayesianRidgeDiabetes(t *testing.T) {
	raw, err := os.ReadFile("testdata/bayesian_ridge_diabetes.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Coef      []float64 `json:"coef"`
		Intercept float64   `json:"intercept"`
		Noise     float64   `json:"noise_precision"`
		Weight    float64   `json:"weight_precision"`
		NIter     int       `json:"n_iter"`
		LogML     float64   `json:"final_log_marginal_likelihood_sklearn"`
		Mean5     []float64 `json:"predict_first5_mean"`
		Std5      []float64 `json:"predict_first5_std"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	x, y := readDiabetes(t)
	if r, c := x.Dims(); r != 442 || c != 10 {
		t.Fatalf("diabetes is %d×%d", r, c)
	}
	opt := DefaultBayesianRidgeConfig()
	opt.Tol, opt.MaxIter = 1e-10, 3000 // as the reference was run
	m, err := FitBayesianRidge(x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-6
	check := func(name string, got, want float64) {
		t.Helper()
		if e := relErr(got, want); e > tol {
			t.Errorf("%s = %.12g, scikit-learn %.12g (rel %g)", name, got, want, e)
		}
	}
	for j, c := range m.Coef() {
		check("coef["+strconv.Itoa(j)+"]", c, ref.Coef[j])
	}
	check("intercept", m.Intercept(), ref.Intercept)
	check("noise precision", m.NoisePrecision(), ref.Noise)
	check("weight precision", m.WeightPrecision(), ref.Weight)
	check("log marginal likelihood", m.LogMarginalLikelihood(), ref.LogML)
	if m.Iterations() != ref.NIter {
		t.Logf("iterations %d, scikit-learn %d", m.Iterations(), ref.NIter)
	}
	mean, std := make([]float64, 5), make([]float64, 5)
	if err := m.PredictTo(mean, std, x.RawData()[:5*10]); err != nil {
		t.Fatal(err)
	}
	for i := range mean {
		check("mean["+strconv.Itoa(i)+"]", mean[i], ref.Mean5[i])
		check("std["+strconv.Itoa(i)+"]", std[i], ref.Std5[i])
	}
	// The default tolerance converges too, to nearly the same fit.
	m2, err := FitBayesianRidge(x, y, DefaultBayesianRidgeConfig())
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(m2.NoisePrecision(), ref.Noise); e > 1e-4 {
		t.Errorf("default tolerance: noise precision rel error %g", e)
	}
	if !m.Converged() || !m2.Converged() {
		t.Errorf("converged: %v, %v", m.Converged(), m2.Converged())
	}
	// A cap of 2 steps does not converge: the last iterate, flagged, and
	// with Strict an error as well.
	capped := DefaultBayesianRidgeConfig()
	capped.MaxIter = 2
	m3, err := FitBayesianRidge(x, y, capped)
	if err != nil || m3 == nil || m3.Iterations() != 2 || m3.Converged() {
		t.Errorf("capped: %v, %v", err, m3)
	}
	capped.Strict = true
	m4, err := FitBayesianRidge(x, y, capped)
	if !errors.Is(err, ErrNotConverged) || m4 == nil || m4.Iterations() != 2 || m4.Converged() {
		t.Errorf("capped, strict: %v, %v", err, m4)
	} else if m4.NoisePrecision() != m3.NoisePrecision() {
		t.Errorf("strict changed the fit: β %g vs %g", m4.NoisePrecision(), m3.NoisePrecision())
	}
}

// TestMaximizeEvidencePRML checks the fixed point: at convergence α and β
// satisfy PRML's equations 3.92 and 3.95 with γ from the eigenvalues.
func TestMaximizeEvidencePRML(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 1))
	xs := make([]float64, 50)
	ts := make([]float64, 50)
	for i := range xs {
		xs[i] = r.Float64()
		ts[i] = 0.5 + math.Sin(2*math.Pi*xs[i]) + 0.2*r.NormFloat64()
	}
	basis, _ := GaussianBasis(linspace(0, 1, 9), 0.1)
	phi, err := basis.Expand(column(t, xs))
	if err != nil {
		t.Fatal(err)
	}
	m, iters, err := MaximizeEvidence(phi, ts, EvidenceConfig{Tol: 1e-12, MaxIter: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if iters < 2 {
		t.Errorf("converged after %d steps", iters)
	}
	g, _ := NewDense(10, 10, nil)
	_ = GramTo(g, phi)
	var e EigenSym
	_ = e.Factorize(g, false)
	gamma := 0.0
	for _, l := range e.Values() {
		gamma += m.Beta() * l / (m.Alpha() + m.Beta()*l)
	}
	mn := m.Mean()
	if a := gamma / dotF64(mn, mn); relErr(a, m.Alpha()) > 1e-8 {
		t.Errorf("α = %g, γ/mᵀm = %g", m.Alpha(), a)
	}
	pred := make([]float64, 50)
	_ = m.PredictTo(pred, nil, phi)
	sse := 0.0
	for i := range pred {
		sse += (ts[i] - pred[i]) * (ts[i] - pred[i])
	}
	if b := (50 - gamma) / sse; relErr(b, m.Beta()) > 1e-8 {
		t.Errorf("β = %g, (N−γ)/SSE = %g", m.Beta(), b)
	}
	// The evidence is at a maximum: nudging α or β lowers it.
	for _, f := range [][2]float64{{1.05, 1}, {0.95, 1}, {1, 1.05}, {1, 0.95}} {
		ev, _ := LogEvidence(phi, ts, m.Alpha()*f[0], m.Beta()*f[1])
		if ev >= m.LogEvidence() {
			t.Errorf("evidence %g at α·%g, β·%g is not below the optimum %g", ev, f[0], f[1], m.LogEvidence())
		}
	}
}

// TestBayesLinearAgainstDenseFormulas checks m_N, S_N and the predictive
// variance against the textbook formulas evaluated with the explicit inverse
// (LU), and the posterior samples' moments.
func TestBayesLinearAgainstDenseFormulas(t *testing.T) {
	x := column(t, []float64{-0.9, -0.2, 0.3, 0.8})
	target := []float64{-0.8, -0.35, -0.1, 0.12}
	phi, _ := IdentityBasis().Expand(x)
	alpha, beta := 2.0, 25.0
	m, err := FitBayesLinear(phi, target, alpha, beta)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := NewDense(2, 2, nil)
	_ = GramTo(a, phi)
	for i := range a.data {
		a.data[i] *= beta
	}
	a.data[0] += alpha
	a.data[3] += alpha
	var lu LU
	_ = lu.Factorize(a)
	s, _ := NewDense(2, 2, nil)
	_ = lu.InverseTo(s)
	pt := make([]float64, 2)
	_ = phi.MulTransVecTo(pt, target)
	want := make([]float64, 2)
	_ = s.MulVecTo(want, pt)
	scaleF64(beta, want)
	if d := maxAbsDiff(m.Mean(), want); d > 1e-14 {
		t.Errorf("m_N = %v, want %v", m.Mean(), want)
	}
	cov, _ := NewDense(2, 2, nil)
	_ = m.CovarianceTo(cov)
	if d := maxAbsDiff(cov.data, s.data); d > 1e-14 {
		t.Errorf("S_N = %v, want %v", cov.data, s.data)
	}
	test, _ := IdentityBasis().Expand(column(t, []float64{0.5, 2}))
	mu, v := make([]float64, 2), make([]float64, 2)
	if err := m.PredictTo(mu, v, test); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		row := test.RawRow(i)
		sr := make([]float64, 2)
		_ = s.MulVecTo(sr, row)
		if wv := 1/beta + dotF64(row, sr); math.Abs(v[i]-wv) > 1e-14 {
			t.Errorf("variance[%d] = %g, want %g", i, v[i], wv)
		}
	}
	// Sample moments of the weights.
	r := rand.New(rand.NewPCG(9, 9))
	w := make([]float64, 2)
	var m0, m1, c01 float64
	const n = 40000
	for k := 0; k < n; k++ {
		_ = m.SampleWeightsTo(w, r)
		m0 += w[0]
		m1 += w[1]
		c01 += (w[0] - want[0]) * (w[1] - want[1])
	}
	if math.Abs(m0/n-want[0]) > 5*math.Sqrt(s.At(0, 0)/n) || math.Abs(m1/n-want[1]) > 5*math.Sqrt(s.At(1, 1)/n) {
		t.Errorf("sample mean %g %g, want %v", m0/n, m1/n, want)
	}
	if math.Abs(c01/n-s.At(0, 1)) > 0.05*math.Sqrt(s.At(0, 0)*s.At(1, 1)) {
		t.Errorf("sample covariance %g, want %g", c01/n, s.At(0, 1))
	}
	if a := testing.AllocsPerRun(10, func() { _ = m.SampleWeightsTo(w, r) }); a != 0 {
		t.Errorf("SampleWeightsTo allocates %g", a)
	}
}

func TestBayesBadInput(t *testing.T) {
	phi, _ := NewDense(3, 2, []float64{1, 0, 1, 1, 1, 2})
	tt := []float64{0, 1, 2}
	expect := func(name string, err, want error, mention string) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		} else if mention != "" && !strings.Contains(err.Error(), mention) {
			t.Errorf("%s: %q does not mention %q", name, err, mention)
		}
	}
	_, err := FitBayesLinear(phi, tt[:2], 1, 1)
	expect("short t", err, ErrShape, "")
	_, err = FitBayesLinear(&Dense{}, nil, 1, 1)
	expect("empty", err, ErrEmpty, "")
	for _, ab := range [][2]float64{{0, 1}, {-1, 1}, {1, 0}, {1, -2}, {math.NaN(), 1}, {1, math.Inf(1)}} {
		_, err = FitBayesLinear(phi, tt, ab[0], ab[1])
		expect("precisions", err, ErrInvalidParameter, "")
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		p := phi.Clone()
		p.Set(2, 1, bad)
		_, err = FitBayesLinear(p, tt, 1, 1)
		expect("non-finite Φ", err, ErrNonFinite, "row 2")
		t2 := []float64{0, bad, 2}
		_, err = FitBayesLinear(phi, t2, 1, 1)
		expect("non-finite t", err, ErrNonFinite, "row 1")
		_, _, err = MaximizeEvidence(phi, t2, EvidenceConfig{})
		expect("evidence non-finite t", err, ErrNonFinite, "row 1")
		x := column(t, []float64{0, 1, bad})
		_, err = FitBayesianRidge(x, tt, DefaultBayesianRidgeConfig())
		expect("ridge non-finite x", err, ErrNonFinite, "row 2")
		_, err = IdentityBasis().Expand(x)
		expect("expand non-finite", err, ErrNonFinite, "row 2")
	}
	_, _, err = MaximizeEvidence(phi, tt, EvidenceConfig{Tol: -1})
	expect("negative tol", err, ErrInvalidParameter, "Tol")
	_, err = FitBayesianRidge(&Dense{}, nil, DefaultBayesianRidgeConfig())
	expect("ridge empty", err, ErrEmpty, "")
	if _, err := PolynomialBasis(-1); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("negative degree: %v", err)
	}
	if _, err := GaussianBasis([]float64{0}, 0); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("zero width: %v", err)
	}
	m, _ := FitBayesLinear(phi, tt, 1, 1)
	wrong, _ := NewDense(2, 3, nil)
	expect("predict shape", m.PredictTo(make([]float64, 2), nil, wrong), ErrShape, "")
	nanRow, _ := NewDense(2, 2, []float64{1, 0, 1, math.NaN()})
	expect("predict NaN", m.PredictTo(make([]float64, 2), nil, nanRow), ErrNonFinite, "row 1")
	expect("sample length", m.SampleWeightsTo(make([]float64, 3), rand.New(rand.NewPCG(1, 1))), ErrShape, "")
	x, _ := NewDense(3, 1, []float64{0, 1, 2})
	ridge, err := FitBayesianRidge(x, []float64{0.1, 0.9, 2.2}, DefaultBayesianRidgeConfig())
	if err != nil {
		t.Fatal(err)
	}
	mean, std := make([]float64, 2), make([]float64, 2)
	expect("ridge predict shape", ridge.PredictTo(mean, std, []float64{1}), ErrShape, "")
	expect("ridge predict NaN", ridge.PredictTo(mean, std, []float64{1, math.NaN()}), ErrNonFinite, "row 1")
}

func TestBasisExpand(t *testing.T) {
	x, _ := NewDense(2, 2, []float64{0.5, 2, -1, 3})
	poly, _ := PolynomialBasis(3)
	phi, err := poly.Expand(x)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 0.5, 2, 0.25, 4, 0.125, 8, 1, -1, 3, 1, 9, -1, 27}
	if d := maxAbsDiff(phi.RawData(), want); d != 0 || phi.cols != 1+poly.NumFeatures(2) || poly.NumFeatures(2) != 6 {
		t.Errorf("polynomial: %v (%d features)", phi.RawData(), poly.NumFeatures(2))
	}
	gb, _ := GaussianBasis([]float64{0, 1}, 0.5)
	phi, _ = gb.Expand(column(t, []float64{1}))
	if d := maxAbsDiff(phi.RawData(), []float64{1, math.Exp(-2), 1}); d > 1e-16 {
		t.Errorf("gaussian: %v", phi.RawData())
	}
	phi, _ = Basis{}.Expand(x)
	if d := maxAbsDiff(phi.RawData(), []float64{1, 0.5, 2, 1, -1, 3}); d != 0 {
		t.Errorf("identity: %v", phi.RawData())
	}
	if err := poly.ExpandTo(phi, x); !errors.Is(err, ErrShape) {
		t.Errorf("wrong destination: %v", err)
	}
	// A width whose square underflows: the bump is 1 at its centre and 0
	// elsewhere (not NaN = exp(−Inf·0)).
	narrow, _ := GaussianBasis([]float64{0.5}, 1e-200)
	if phi, err := narrow.Expand(column(t, []float64{0.5, 1})); err != nil || maxAbsDiff(phi.RawData(), []float64{1, 1, 1, 0}) != 0 {
		t.Errorf("narrow gaussian: %v %v", phi, err)
	}
	// A degree whose design matrix overflows an int is an error, not a panic.
	huge, _ := PolynomialBasis(math.MaxInt / 2)
	if _, err := huge.Expand(x); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("huge degree: %v", err)
	}
	if err := huge.ExpandTo(phi, x); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("huge degree ExpandTo: %v", err)
	}
}

// FuzzBayesianRidge feeds arbitrary data (rows of two features and a target)
// and precisions through FitBayesLinear, MaximizeEvidence, FitBayesianRidge
// and the predictions: nothing may panic, failures must be the documented
// errors, and successful fits must give finite predictions.
func FuzzBayesianRidge(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1.0, 25.0)
	f.Add([]byte{0, 0, 0, 0, 0, 0}, 1e-300, 1e300)
	f.Add([]byte{255, 0, 128, 7, 7, 7, 9}, -1.0, 2.0)
	f.Fuzz(func(t *testing.T, raw []byte, alpha, beta float64) {
		n := len(raw) / 3
		x, _ := NewDense(n, 2, nil)
		y := make([]float64, n)
		for i := 0; i < n; i++ {
			x.Set(i, 0, float64(int8(raw[3*i]))/8)
			x.Set(i, 1, float64(raw[3*i+1]%5))
			y[i] = float64(int8(raw[3*i+2])) / 4
		}
		if n > 0 && raw[0] == 13 {
			y[n-1] = math.Inf(1)
		}
		documented := func(err error) bool {
			for _, e := range []error{ErrEmpty, ErrShape, ErrNonFinite, ErrInvalidParameter, ErrNotPositiveDefinite, ErrNotConverged} {
				if errors.Is(err, e) {
					return true
				}
			}
			return false
		}
		phi, err := IdentityBasis().Expand(x)
		if err != nil {
			t.Fatal(err)
		}
		if m, err := FitBayesLinear(phi, y, alpha, beta); err != nil {
			if !documented(err) {
				t.Fatalf("FitBayesLinear: %v", err)
			}
		} else {
			mean, v := make([]float64, n), make([]float64, n)
			if err := m.PredictTo(mean, v, phi); err != nil {
				t.Fatal(err)
			}
			for i := range mean {
				if math.IsNaN(mean[i]) || math.IsNaN(v[i]) {
					t.Fatalf("NaN prediction at row %d", i)
				}
			}
		}
		m1, it1, err := MaximizeEvidence(phi, y, EvidenceConfig{MaxIter: 50})
		if err != nil && !documented(err) {
			t.Fatalf("MaximizeEvidence: %v", err)
		}
		// Non-convergence is a flag by default and an error with Strict,
		// on the same last iterate.
		m2, it2, err2 := MaximizeEvidence(phi, y, EvidenceConfig{MaxIter: 50, Strict: true})
		switch {
		case err != nil:
			if m1 != nil || err2 == nil {
				t.Fatalf("MaximizeEvidence: %v with a posterior; strict: %v", err, err2)
			}
		case m1 == nil || it1 > 50 || it2 != it1 || m2 == nil || m2.Alpha() != m1.Alpha() || m2.Beta() != m1.Beta():
			t.Fatalf("MaximizeEvidence: %v after %d steps, strict %v after %d", m1, it1, m2, it2)
		case m1.Converged() != (err2 == nil) || (err2 != nil && !errors.Is(err2, ErrNotConverged)):
			t.Fatalf("converged %v after %d steps, strict error %v", m1.Converged(), it1, err2)
		}
		opt := DefaultBayesianRidgeConfig()
		opt.MaxIter = 50
		r, err := FitBayesianRidge(x, y, opt)
		if err != nil && !documented(err) {
			t.Fatalf("FitBayesianRidge: %v", err)
		}
		if r != nil {
			mean, std := make([]float64, n), make([]float64, n)
			if err := r.PredictTo(mean, std, x.RawData()); err != nil {
				t.Fatal(err)
			}
			for i := range mean {
				if math.IsNaN(mean[i]) || !(std[i] >= 0) {
					t.Fatalf("prediction %g ± %g at row %d", mean[i], std[i], i)
				}
			}
		}
	})
}
