package bnn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// friedman1 draws n rows of Friedman's first benchmark (Friedman 1991):
// ten U(0, 1) features, of which five matter,
// f(x) = 10 sin(π x₁x₂) + 20 (x₃ − ½)² + 10 x₄ + 5 x₅, and y = f(x) + σε.
func friedman1(r *rand.Rand, n int, sigma float64) (x, f, y []float64) {
	x, f, y = make([]float64, n*10), make([]float64, n), make([]float64, n)
	for i := range n {
		row := x[i*10 : (i+1)*10]
		for j := range row {
			row[j] = r.Float64()
		}
		f[i] = friedman1Mean(row)
		y[i] = f[i] + sigma*r.NormFloat64()
	}
	return x, f, y
}

func friedman1Mean(row []float64) float64 {
	d := row[2] - 0.5
	return 10*math.Sin(math.Pi*row[0]*row[1]) + 20*d*d + 10*row[3] + 5*row[4]
}

// oracleModel is a test Regressor with a known mean and std function: the
// std is stdScale·sd(row) and the mean mean(row) + shift, so a deliberately
// mis-scaled or biased Gaussian model is one line.
type oracleModel struct {
	dim      int
	mean, sd func(row []float64) float64
	stdScale float64
	shift    float64
}

func (m *oracleModel) InputDim() int { return m.dim }

func (m *oracleModel) PredictTo(mean, std, x []float64) error {
	n, err := checkPredictArgs(m.dim, mean, std, x)
	if err != nil {
		return err
	}
	for i := range n {
		row := x[i*m.dim : (i+1)*m.dim]
		mean[i] = m.mean(row) + m.shift
		std[i] = m.stdScale * m.sd(row)
	}
	return nil
}

// friedmanOracle is the true Friedman #1 function with a constant std.
func friedmanOracle(std float64) *oracleModel {
	return &oracleModel{dim: 10, mean: friedman1Mean, sd: func([]float64) float64 { return 1 }, stdScale: std}
}

func TestConformalRank(t *testing.T) {
	for _, c := range []struct {
		n     int
		level float64
		k     int
	}{{98, 0.9, 90}, {99, 0.9, 90}, {100, 0.9, 91}, {9, 0.9, 9}, {8, 0.9, 9}, {19, 0.95, 19}, {199, 0.8, 160}, {3, levelOneSigma, 3},
		{99, 0.55, 55}, {179, 0.55, 99}} { // 100 · 0.55 = 55.00000000000001 in float64
		if k := conformalRank(c.n, c.level); k != c.k {
			t.Errorf("rank(n=%d, level %v) = %d, want %d", c.n, c.level, k, c.k)
		}
	}
	for _, c := range []struct {
		level float64
		n     int
	}{{0.9, 9}, {0.95, 19}, {0.99, 99}, {0.5, 1}, {0.8, 4}, {levelOneSigma, 3}, {0.999, 999}} {
		if n, err := ConformalMinRows(c.level); err != nil || n != c.n {
			t.Errorf("ConformalMinRows(%v) = %d, %v; want %d", c.level, n, err, c.n)
		}
	}
	// Levels near 1 answer at once (no walk over 10¹⁵ candidates).
	for _, c := range []struct{ level, n float64 }{{1 - 1e-9, 999999999}, {1 - 1e-12, 999900000000}} {
		if float64(math.MaxInt/4) < c.n {
			continue // 32-bit int
		}
		n, err := ConformalMinRows(c.level)
		if err != nil || math.Abs(float64(n)-c.n) > 1e-3*c.n || conformalRank(n, c.level) > n || conformalRank(n-1, c.level) <= n-1 {
			t.Errorf("ConformalMinRows(%v) = %d, %v; want about %g", c.level, n, err, c.n)
		}
	}
	for _, lv := range []float64{0, 1, -0.1, 1.5, math.NaN(), math.Inf(1), 1 - 1e-16} {
		if _, err := ConformalMinRows(lv); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("ConformalMinRows(%v): %v", lv, err)
		}
	}
}

// TestConformalIntervalExact checks the stored scores (|y − μ|/σ), the
// quantile's rank and the band μ ∓ q·σ on hand-made calibration rows.
func TestConformalIntervalExact(t *testing.T) {
	// Row i (1…9) has σ = i and residual i·s with s a permutation of 1…9, so
	// the normalised scores are exactly 1…9 (unnormalised they would not be).
	perm := []float64{4, 9, 1, 7, 3, 8, 2, 6, 5}
	m := &oracleModel{dim: 1, mean: func(r []float64) float64 { return 2 * r[0] }, sd: func(r []float64) float64 { return r[0] }, stdScale: 1}
	var x, y []float64
	for i, s := range perm {
		v := float64(i + 1)
		x = append(x, v)
		sign := 1.0
		if i%2 == 1 {
			sign = -1
		}
		y = append(y, 2*v+sign*v*s)
	}
	c, err := CalibrateConformal(m, x, y)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range c.scores {
		if math.Abs(s-float64(i+1)) > 1e-12 {
			t.Fatalf("scores %v, want 1…9", c.scores)
		}
	}
	// n = 9: level 0.9 → rank ⌈9⌉ = 9; 0.8 → 8; 0.5 → 5; 68.27 % → ⌈6.83⌉ = 7.
	for _, lq := range [][2]float64{{0.9, 9}, {0.8, 8}, {0.5, 5}, {0.55, 6}, {levelOneSigma, 7}} {
		q, err := c.ScoreQuantile(lq[0])
		if err != nil || q != lq[1] {
			t.Errorf("level %v: quantile %v, %v; want %v", lq[0], q, err, lq[1])
		}
	}
	xt := []float64{0.5, 3}
	lo, hi := make([]float64, 2), make([]float64, 2)
	if err := c.IntervalTo(lo, hi, xt, 0.8); err != nil {
		t.Fatal(err)
	}
	for i, v := range xt {
		if lo[i] != 2*v-8*v || hi[i] != 2*v+8*v {
			t.Errorf("x = %v: [%v, %v], want %v ∓ %v", v, lo[i], hi[i], 2*v, 8*v)
		}
	}
	mean, std := make([]float64, 2), make([]float64, 2)
	if err := c.PredictTo(mean, std, xt); err != nil {
		t.Fatal(err)
	}
	if mean[1] != 6 || std[1] != 7*3 {
		t.Errorf("PredictTo: %v ± %v, want 6 ± 21", mean[1], std[1])
	}
	// Level 0.95 needs 19 rows; the error names the minimum.
	if err := c.IntervalTo(lo, hi, xt, 0.95); !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), "at least 19") {
		t.Errorf("level 0.95 with 9 rows: %v", err)
	}
}

func TestCalibrationErrors(t *testing.T) {
	m := friedmanOracle(1)
	r := rand.New(rand.NewPCG(1, 2))
	x, _, y := friedman1(r, 30, 1)
	type calib func(Regressor, []float64, []float64) (Regressor, error)
	calibs := map[string]calib{
		"scale":     func(m Regressor, x, y []float64) (Regressor, error) { return CalibrateScale(m, x, y) },
		"isotonic":  func(m Regressor, x, y []float64) (Regressor, error) { return CalibrateIsotonic(m, x, y) },
		"conformal": func(m Regressor, x, y []float64) (Regressor, error) { return CalibrateConformal(m, x, y) },
		"cv+": func(m Regressor, x, y []float64) (Regressor, error) {
			return CrossConformal(context.Background(), x, 10, y, 3, func(context.Context, []float64, int, []float64) (Regressor, error) { return m, nil })
		},
	}
	nanX := slices.Clone(x)
	nanX[25] = math.NaN()
	infY := slices.Clone(y)
	infY[7] = math.Inf(1)
	zeroStd := friedmanOracle(0)
	for name, cal := range calibs {
		if _, err := cal(m, x[:len(x)-1], y); !errors.Is(err, ErrShape) {
			t.Errorf("%s ragged: %v", name, err)
		}
		if _, err := cal(m, nanX, y); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "row 2") {
			t.Errorf("%s NaN feature: %v", name, err)
		}
		if _, err := cal(m, x, infY); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "target 7") {
			t.Errorf("%s Inf target: %v", name, err)
		}
		if _, err := cal(m, x[:10], y[:1]); !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "at least") {
			t.Errorf("%s one row: %v", name, err)
		}
		if _, err := cal(zeroStd, x, y); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s zero std: %v", name, err)
		}
		w, err := cal(m, x, y)
		if err != nil {
			t.Fatal(name, err)
		}
		lo, hi := make([]float64, 3), make([]float64, 3)
		for _, lv := range []float64{0, 1, -1, 2, math.NaN()} {
			if err := w.(Interval).IntervalTo(lo, hi, x[:30], lv); !errors.Is(err, ErrInvalidParameter) {
				t.Errorf("%s level %v: %v", name, lv, err)
			}
		}
		if err := w.(Interval).IntervalTo(lo, lo, x[:30], 0.9); !errors.Is(err, ErrShape) {
			t.Errorf("%s aliased bounds: %v", name, err)
		}
		if err := w.(Interval).IntervalTo(lo, hi[:2], x[:30], 0.9); !errors.Is(err, ErrShape) {
			t.Errorf("%s short upper: %v", name, err)
		}
		if err := w.(Interval).IntervalTo(lo, hi, nanX[:30], 0.9); !errors.Is(err, ErrNonFinite) {
			t.Errorf("%s NaN feature at predict: %v", name, err)
		}
		if err := w.PredictTo(lo, hi, nanX[:30]); !errors.Is(err, ErrNonFinite) {
			t.Errorf("%s NaN feature at PredictTo: %v", name, err)
		}
	}
	// A level too extreme for 30 rows (needs 99) is refused by the conformal wrappers.
	for _, name := range []string{"conformal", "cv+"} {
		w, _ := calibs[name](m, x, y)
		lo, hi := make([]float64, 3), make([]float64, 3)
		if err := w.(Interval).IntervalTo(lo, hi, x[:30], 0.99); !errors.Is(err, ErrInvalidParameter) || !strings.Contains(err.Error(), "at least 99") {
			t.Errorf("%s level 0.99 on 30 rows: %v", name, err)
		}
	}
	if _, err := CalibrateScale(m, x[:200], friedmanYExact(x[:200])); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("scale with zero residuals: %v", err)
	}
	if _, err := CalibrateConformal(m, x[:200], friedmanYExact(x[:200])); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("conformal with zero residuals: %v", err)
	}
	fit := func(context.Context, []float64, int, []float64) (Regressor, error) { return m, nil }
	if _, err := CrossConformal(context.Background(), x, 10, y, 1, fit); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("one fold: %v", err)
	}
	if _, err := CrossConformal(context.Background(), x[:50], 10, y[:5], 6, fit); !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "at least 6") {
		t.Errorf("5 rows, 6 folds: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CrossConformal(ctx, x, 10, y, 3, fit); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	bad := func(context.Context, []float64, int, []float64) (Regressor, error) { return &oracleModel{dim: 3}, nil }
	if _, err := CrossConformal(context.Background(), x, 10, y, 3, bad); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("fold model of the wrong width: %v", err)
	}
	boom := errors.New("boom")
	failing := func(context.Context, []float64, int, []float64) (Regressor, error) { return nil, boom }
	if _, err := CrossConformal(context.Background(), x, 10, y, 3, failing); !errors.Is(err, boom) || !strings.Contains(err.Error(), "fold 0") {
		t.Errorf("failing fit: %v", err)
	}
}

func friedmanYExact(x []float64) []float64 {
	y := make([]float64, len(x)/10)
	for i := range y {
		y[i] = friedman1Mean(x[i*10 : (i+1)*10])
	}
	return y
}

func TestGaussianIntervalTo(t *testing.T) {
	models, x := nnSmallModels(t)
	n := len(x) / 2
	for name, m := range models {
		mean, std, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		if err := m.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		if err := PredictIntervalTo(m, lo, hi, x, 0.9); err != nil {
			t.Fatal(name, err)
		}
		for i := range mean {
			const z90 = 1.6448536269514722 // scipy.stats.norm.ppf(0.95)
			if math.Abs(lo[i]-(mean[i]-z90*std[i])) > 1e-12*(1+math.Abs(mean[i])) || math.Abs(hi[i]-(mean[i]+z90*std[i])) > 1e-12*(1+math.Abs(mean[i])) {
				t.Fatalf("%s row %d: [%v, %v] for %v ± %v", name, i, lo[i], hi[i], mean[i], std[i])
			}
		}
	}
	for _, p := range []float64{1e-300, 1e-10, 0.025, 0.5, 0.975, 1 - 1e-10} {
		if z := normalQuantile(p); math.Abs(normalCDF(z)-p) > 1e-14*math.Max(p, 1e-300)+1e-16 {
			t.Errorf("Φ(Φ⁻¹(%v)) = %v", p, normalCDF(z))
		}
	}
}

func TestSelectKth(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 500 {
		n := 1 + r.IntN(60)
		a := make([]float64, n)
		for i := range a {
			a[i] = float64(r.IntN(1 + trial%20)) // many duplicates on some trials
		}
		s := slices.Clone(a)
		slices.Sort(s)
		k := r.IntN(n)
		if got := selectKth(slices.Clone(a), k); got != s[k] {
			t.Fatalf("select %d of %v = %v, want %v", k, a, got, s[k])
		}
	}
}

func TestIsotonicFitPAVA(t *testing.T) {
	for _, c := range []struct{ y, w, want []float64 }{
		{[]float64{1, 3, 2, 4}, []float64{1, 1, 1, 1}, []float64{1, 2.5, 2.5, 4}},
		{[]float64{3, 2, 1}, []float64{1, 1, 1}, []float64{2, 2, 2}},
		{[]float64{1, 3, 2, 4}, []float64{1, 1, 3, 1}, []float64{1, 2.25, 2.25, 4}},
		{[]float64{5, 1, 2, 6, 0}, []float64{1, 1, 1, 1, 1}, []float64{8. / 3, 8. / 3, 8. / 3, 3, 3}},
		{[]float64{0.1, 0.2, 0.3}, []float64{2, 1, 1}, []float64{0.1, 0.2, 0.3}},
	} {
		y := slices.Clone(c.y)
		isotonicFit(y, slices.Clone(c.w))
		for i := range y {
			if math.Abs(y[i]-c.want[i]) > 1e-12 {
				t.Errorf("PAVA(%v, %v) = %v, want %v", c.y, c.w, y, c.want)
				break
			}
		}
	}
}

// TestIsotonicMapConsistent checks the recalibrated CDF G and its quantile
// G⁻¹ invert each other, G⁻¹ is increasing, and G meets its knots.
func TestIsotonicMapConsistent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x, _, y := friedman1(r, 200, 1)
	iso, err := CalibrateIsotonic(friedmanOracle(0.5), x, y)
	if err != nil {
		t.Fatal(err)
	}
	prev := math.Inf(-1)
	for q := 1e-6; q < 1; q += 0.0137 {
		z := iso.quantileZ(q, false)
		if !(z > prev) {
			t.Fatalf("G⁻¹ not increasing at %v: %v after %v", q, z, prev)
		}
		prev = z
		if g := iso.cdfZ(z); math.Abs(g-q) > 1e-12 {
			t.Fatalf("G(G⁻¹(%v)) = %v", q, g)
		}
		if zu := iso.quantileZ(1-q, true); math.Abs(zu-z) > 1e-9*(1+math.Abs(z)) {
			t.Fatalf("upper form at %v: %v vs %v", q, zu, z)
		}
	}
	for i, z := range iso.z {
		if math.Abs(iso.cdfZ(z)-iso.r[i]) > 1e-12 {
			t.Fatalf("G(knot %d) = %v, want %v", i, iso.cdfZ(z), iso.r[i])
		}
	}
	// Extreme levels stay finite: the unit-normal tails.
	lo, hi := make([]float64, 1), make([]float64, 1)
	if err := iso.IntervalTo(lo, hi, x[:10], 1-1e-15); err != nil || math.IsInf(lo[0], 0) || math.IsInf(hi[0], 0) || !(hi[0] > lo[0]) {
		t.Errorf("level 1−1e-15: [%v, %v], %v", lo[0], hi[0], err)
	}
}

// TestCalibratedPredictAllocs checks the wrappers' PredictTo and IntervalTo
// allocate nothing beyond the inner model (a Network, which allocates
// nothing after warm-up).
func TestCalibratedPredictAllocs(t *testing.T) {
	models, x := nnSmallModels(t)
	net := models["mlp"].(*Network)
	n := len(x) / 2
	ys := make([]float64, n)
	for i := range ys {
		ys[i] = math.Sin(2*x[2*i]) + 0.3*x[2*i+1] + 0.1*math.Cos(7*float64(i))
	}
	wrappers := calibratedSet(t, net, x, ys)
	mean, std := make([]float64, n), make([]float64, n)
	for name, w := range wrappers {
		iv := w.(Interval)
		_ = w.PredictTo(mean, std, x)
		_ = iv.IntervalTo(mean, std, x, 0.8)
		if a := testing.AllocsPerRun(20, func() { _ = w.PredictTo(mean, std, x) }); a != 0 {
			t.Errorf("%s: %v allocations per PredictTo", name, a)
		}
		if a := testing.AllocsPerRun(20, func() { _ = iv.IntervalTo(mean, std, x, 0.8) }); a != 0 {
			t.Errorf("%s: %v allocations per IntervalTo", name, a)
		}
	}
}

// calibratedSet wraps m in each calibration wrapper, calibrated on (x, y);
// the CV+ wrapper's fold models are m itself (enough for codec and
// allocation tests).
func calibratedSet(t testing.TB, m Regressor, x, y []float64) map[string]Regressor {
	t.Helper()
	out := map[string]Regressor{}
	var err error
	if out["scale"], err = CalibrateScale(m, x, y); err != nil {
		t.Fatal(err)
	}
	if out["isotonic"], err = CalibrateIsotonic(m, x, y); err != nil {
		t.Fatal(err)
	}
	if out["conformal"], err = CalibrateConformal(m, x, y); err != nil {
		t.Fatal(err)
	}
	fit := func(context.Context, []float64, int, []float64) (Regressor, error) { return m, nil }
	if out["cv+"], err = CrossConformal(context.Background(), x, m.InputDim(), y, 4, fit); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCalibratedConcurrent checks concurrent predictions agree (the CV+
// scratch is shared through a spare pointer).
func TestCalibratedConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	x, _, y := friedman1(r, 100, 1)
	fit := func(_ context.Context, x []float64, dim int, y []float64) (Regressor, error) {
		d, _ := NewDense(len(y), dim, x)
		return FitBayesianRidge(d, y, DefaultBayesianRidgeConfig())
	}
	cv, err := CrossConformal(context.Background(), x, 10, y, 5, fit)
	if err != nil {
		t.Fatal(err)
	}
	xt, _, _ := friedman1(r, 150, 1) // more than one chunk of rows
	want, ws := make([]float64, 150), make([]float64, 150)
	if err := cv.IntervalTo(want, ws, xt, 0.9); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			lo, hi := make([]float64, 150), make([]float64, 150)
			for range 5 {
				if err := cv.IntervalTo(lo, hi, xt, 0.9); err != nil {
					errs <- err
					return
				}
				if !slices.Equal(lo, want) || !slices.Equal(hi, ws) {
					errs <- errors.New("concurrent CV+ intervals differ")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Row by row equals all at once (chunking does not matter).
	for i := range 150 {
		lo, hi := make([]float64, 1), make([]float64, 1)
		if err := cv.IntervalTo(lo, hi, xt[i*10:(i+1)*10], 0.9); err != nil || lo[0] != want[i] || hi[0] != ws[i] {
			t.Fatalf("row %d alone: [%v, %v], in a batch [%v, %v] (%v)", i, lo[0], hi[0], want[i], ws[i], err)
		}
	}
}

// TestCrossConformalExact compares the CV+ interval with a direct
// transcription of Barber et al. (2021), eq. (9): sort the n values
// μ₋ₖ₍ᵢ₎(x) ∓ Rᵢσ₋ₖ₍ᵢ₎(x) and take the ⌊α(n+1)⌋-th smallest of the lower and
// the ⌈(1−α)(n+1)⌉-th smallest of the upper ones.
func TestCrossConformalExact(t *testing.T) {
	for _, folds := range []int{4, 37} { // merge walk; selection from all n (jackknife+)
		crossConformalExact(t, folds)
	}
}

func crossConformalExact(t *testing.T, folds int) {
	r := rand.New(rand.NewPCG(21, 21))
	x, _, y := friedman1(r, 37, 1)
	cv, err := CrossConformal(context.Background(), x, 10, y, folds, func(_ context.Context, x []float64, dim int, y []float64) (Regressor, error) {
		return fitRidge(nil, x, dim, y)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The out-of-fold scores, recomputed here.
	for k, m := range cv.folds {
		var want []float64
		for i := k; i < 37; i += folds {
			mu, sd := make([]float64, 1), make([]float64, 1)
			_ = m.PredictTo(mu, sd, x[i*10:(i+1)*10])
			want = append(want, math.Abs(y[i]-mu[0])/sd[0])
		}
		slices.Sort(want)
		if !slices.Equal(want, cv.scores[k]) {
			t.Fatalf("fold %d scores %v, want %v", k, cv.scores[k], want)
		}
	}
	xt, _, _ := friedman1(r, 5, 1)
	for _, level := range []float64{0.9, 0.8, 0.75, levelOneSigma, 0.5, 0.3} {
		alpha := 1 - level
		lo, hi := make([]float64, 5), make([]float64, 5)
		if err := cv.IntervalTo(lo, hi, xt, level); err != nil {
			t.Fatal(err)
		}
		for row := range 5 {
			var lows, highs []float64
			for k, m := range cv.folds {
				mu, sd := make([]float64, 1), make([]float64, 1)
				_ = m.PredictTo(mu, sd, xt[row*10:(row+1)*10])
				for _, s := range cv.scores[k] {
					lows, highs = append(lows, mu[0]-float64(s*sd[0])), append(highs, mu[0]+float64(s*sd[0]))
				}
			}
			slices.Sort(lows)
			slices.Sort(highs)
			kLo := int(math.Floor(alpha*38 + 1e-9))
			kHi := int(math.Ceil(level*38 - 1e-9))
			wantLo, wantHi := lows[kLo-1], highs[kHi-1]
			if wantLo > wantHi { // crossed ends (levels below ½) meet at their midpoint
				wantLo += (wantHi - wantLo) / 2
				wantHi = wantLo
			}
			if lo[row] != wantLo || hi[row] != wantHi {
				t.Fatalf("%d folds, level %v row %d: [%v, %v], want [%v, %v]", folds, level, row, lo[row], hi[row], wantLo, wantHi)
			}
		}
	}
}

// TestIsotonicTies checks the knots: tied standardised residuals form one
// knot at their mean plotting position rank/(n+1).
func TestIsotonicTies(t *testing.T) {
	m := &oracleModel{dim: 1, mean: func([]float64) float64 { return 0 }, sd: func([]float64) float64 { return 2 }, stdScale: 1}
	// z = y/2 = 1, 0, −1, 0, 0 → knots −1, 0, 1 at 1/6, (2+3+4)/3/6, 5/6.
	iso, err := CalibrateIsotonic(m, []float64{0, 0, 0, 0, 0}, []float64{2, 0, -2, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(iso.z, []float64{-1, 0, 1}) || !slices.Equal(iso.r, []float64{1.0 / 6, 3.0 / 6, 5.0 / 6}) || iso.CalibrationRows() != 5 {
		t.Fatalf("knots %v at %v (%d rows)", iso.z, iso.r, iso.CalibrationRows())
	}
	// The median of the recalibrated distribution is the middle knot; the
	// 2/3 interval runs between the outer knots.
	lo, hi := make([]float64, 1), make([]float64, 1)
	if err := iso.IntervalTo(lo, hi, []float64{0}, 2.0/3); err != nil || math.Abs(lo[0]+2) > 1e-12 || math.Abs(hi[0]-2) > 1e-12 {
		t.Fatalf("2/3 interval [%v, %v], %v; want [−2, 2]", lo[0], hi[0], err)
	}
}
