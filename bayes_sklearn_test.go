package bnn

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// TestBayesianRidgeSklearnHard fits scikit-learn's BayesianRidge on designs
// that stress the evidence iteration (testdata/evidence/make_sklearn_ref.py):
// the 11-degree polynomial x, …, x¹¹ on 40 points of [0, 1], whose Gram
// matrix has a condition number near 1e16, and a rank-deficient design (a
// duplicated column), both at tolerance 1e-10. Both must converge, in
// scikit-learn's number of steps (±1), to its coefficients, precisions and
// posterior covariance.
func TestBayesianRidgeSklearnHard(t *testing.T) {
	raw, err := os.ReadFile("testdata/evidence/sklearn_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	type fit struct {
		Coef      []float64 `json:"coef"`
		Intercept float64   `json:"intercept"`
		Alpha     float64   `json:"alpha"`  // noise precision β
		Lambda    float64   `json:"lambda"` // weight precision α
		Sigma     []float64 `json:"sigma"`
		NIter     int       `json:"n_iter"`
	}
	var ref struct {
		X, Y    []float64
		Tol     float64 `json:"tol"`
		Poly11  fit     `json:"poly11"`
		RankDef fit     `json:"rankdef"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	designs := []struct {
		name string
		cols func(x float64) []float64
		want fit
		// rel bounds the relative error of the coefficients (to the
		// largest) and precisions; the polynomial's coefficients are
		// ill-determined (condition ~1e8 in the weights), so the bound
		// there reflects float64 round-off, not a looser algorithm.
		rel float64
	}{
		{"poly11", func(x float64) []float64 {
			c := make([]float64, 11)
			for k := range c {
				c[k] = math.Pow(x, float64(k+1))
			}
			return c
		}, ref.Poly11, 1e-9},
		{"rankdef", func(x float64) []float64 { return []float64{x, x * x, x * x * x, x * x} }, ref.RankDef, 1e-10},
	}
	for _, d := range designs {
		t.Run(d.name, func(t *testing.T) {
			var rows [][]float64
			for _, x := range ref.X {
				rows = append(rows, d.cols(x))
			}
			x, err := NewDenseRows(rows)
			if err != nil {
				t.Fatal(err)
			}
			opt := DefaultBayesianRidgeConfig()
			opt.Tol = ref.Tol
			opt.Strict = true
			m, err := FitBayesianRidge(x, ref.Y, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Converged() {
				t.Fatal("not converged")
			}
			if it := m.Iterations(); it < d.want.NIter-1 || it > d.want.NIter+1 {
				t.Errorf("%d steps, scikit-learn %d", it, d.want.NIter)
			}
			scale := 0.0
			for _, c := range d.want.Coef {
				scale = math.Max(scale, math.Abs(c))
			}
			worst := 0.0
			for j, c := range m.Coef() {
				e := math.Abs(c-d.want.Coef[j]) / scale
				worst = math.Max(worst, e)
				if e > d.rel {
					t.Errorf("coef[%d] = %.12g, scikit-learn %.12g", j, c, d.want.Coef[j])
				}
			}
			check := func(name string, got, want, tol float64) {
				t.Helper()
				if e := relErr(got, want); e > tol {
					t.Errorf("%s = %.12g, scikit-learn %.12g (rel %.2g)", name, got, want, e)
				}
			}
			check("intercept", m.Intercept(), d.want.Intercept, d.rel*scale/math.Max(1, math.Abs(d.want.Intercept)))
			check("noise precision", m.NoisePrecision(), d.want.Alpha, d.rel)
			check("weight precision", m.WeightPrecision(), d.want.Lambda, d.rel)
			p := len(d.want.Coef)
			cov, _ := NewDense(p, p, nil)
			if err := m.Posterior().CovarianceTo(cov); err != nil {
				t.Fatal(err)
			}
			sScale := 0.0
			for _, v := range d.want.Sigma {
				sScale = math.Max(sScale, math.Abs(v))
			}
			worstSigma := 0.0
			for i, v := range cov.RawData() {
				e := math.Abs(v-d.want.Sigma[i]) / sScale
				worstSigma = math.Max(worstSigma, e)
				if e > 10*d.rel {
					t.Errorf("sigma[%s] = %.10g, scikit-learn %.10g", strconv.Itoa(i), v, d.want.Sigma[i])
					break
				}
			}
			t.Logf("%d steps (scikit-learn %d); max error of the coefficients %.2g and of sigma %.2g (of the largest); α %.2g, β %.2g off",
				m.Iterations(), d.want.NIter, worst, worstSigma, relErr(m.WeightPrecision(), d.want.Lambda), relErr(m.NoisePrecision(), d.want.Alpha))
		})
	}
}

// TestBayesianRidgeConvergedSurvivesModelFile checks that a model file
// keeps the Converged flag (in the top bit of the step count) both ways.
func TestBayesianRidgeConvergedSurvivesModelFile(t *testing.T) {
	x, y := readDiabetes(t)
	for _, capSteps := range []int{2, 0} {
		opt := DefaultBayesianRidgeConfig()
		opt.MaxIter = capSteps
		m, err := FitBayesianRidge(x, y, opt)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := SaveModel(&buf, m); err != nil {
			t.Fatal(err)
		}
		file := bytes.Clone(buf.Bytes())
		got, err := LoadModel(&buf)
		if err != nil {
			t.Fatal(err)
		}
		br := got.(*BayesianRidge)
		if br.Converged() != m.Converged() || br.Iterations() != m.Iterations() || m.Converged() != (capSteps == 0) {
			t.Errorf("cap %d: saved converged=%v after %d steps, loaded converged=%v after %d", capSteps, m.Converged(), m.Iterations(), br.Converged(), br.Iterations())
		}
		checkResaveIdentical(t, got, file)
	}
}
