package bnn

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// selectData is a small nonlinear regression problem with explicit
// held-out rows: y = sin(2x₀) + x₁² − ½x₂ + 0.3ε.
type selectData struct {
	x, y, xv, yv, xt []float64
}

func newSelectData(seed uint64) selectData {
	r := rand.New(rand.NewPCG(seed, 77))
	gen := func(n int) (x, y []float64) {
		for range n {
			a, b, c := 2*r.Float64()-1, 2*r.Float64()-1, 2*r.Float64()-1
			x = append(x, a, b, c)
			y = append(y, math.Sin(2*a)+b*b-0.5*c+0.3*r.NormFloat64())
		}
		return x, y
	}
	var d selectData
	d.x, d.y = gen(160)
	d.xv, d.yv = gen(40)
	d.xt, _ = gen(64)
	return d
}

// selectConfig trains fast: 16 ReLU units, at most 80 epochs.
func selectConfig(d selectData, refit bool) TrainConfig {
	return TrainConfig{
		Hidden: []int{16}, Activation: ReLU, LearningRate: 1e-2, Epochs: 80, BatchSize: 32, Seed: 5,
		Validation: Validation{X: d.xv, Y: d.yv, Patience: 10, Refit: refit},
	}
}

// selectRates span weak to heavy dropout so the held-out NLLs differ;
// selectCands tries each with both noise models.
var (
	selectRates = []float64{0.01, 0.1, 0.3, 0.6}
	selectCands = DropoutGrid(selectRates, false, true)
)

const selectSamples = 20

func predictAll(t *testing.T, m Regressor, x []float64) (mean, std []float64) {
	t.Helper()
	n := len(x) / m.InputDim()
	mean, std = make([]float64, n), make([]float64, n)
	if err := m.PredictTo(mean, std, x); err != nil {
		t.Fatal(err)
	}
	return mean, std
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// The chosen rate is the argmin of held-out NLLs computed here from
// TrainMCDropout runs without refit: the MC predictive (the held-out
// noise fit's masks, stream Seed^nnStreamValid) at the held-out rows,
// scored in target units (equal to 1e-6: the library scores the float32
// standardised targets).
func TestTrainMCDropoutSelectArgmin(t *testing.T) {
	d := newSelectData(1)
	ctx := context.Background()
	_, sel, err := TrainMCDropoutSelect(ctx, d.x, 3, d.y, selectConfig(d, false), selectSamples, selectCands)
	if err != nil {
		t.Fatal(err)
	}
	best, lo, hi := -1, math.Inf(1), math.Inf(-1)
	rows := make([][]float64, len(selectCands))
	for i, c := range selectCands {
		cfg := selectConfig(d, false)
		cfg.Dropout = c.Rate
		if c.Heteroscedastic {
			cfg.Loss, cfg.Heteroscedastic = LossGaussian, true
		}
		m, err := TrainMCDropout(ctx, d.x, 3, d.y, cfg, selectSamples)
		if err != nil {
			t.Fatal(err)
		}
		v := &MCDropout{net: m.net, Samples: m.Samples, Seed: m.Seed ^ nnStreamValid}
		mean, std := predictAll(t, v, d.xv)
		var nll float64
		for k, y := range d.yv {
			s2 := std[k] * std[k]
			r := 0.5 * (math.Log(2*math.Pi*s2) + (y-mean[k])*(y-mean[k])/s2)
			rows[i] = append(rows[i], r)
			nll += r
		}
		nll /= float64(len(d.yv))
		got := sel.Scores[i]
		if got.DropoutCandidate != c || math.Abs(got.HeldOutNLL-nll) > 1e-6*math.Max(1, math.Abs(nll)) {
			t.Errorf("%v: selection scored %+v, recomputed held-out NLL %.12g", c, got, nll)
		}
		if got.Epochs != m.net.bestEpoch || got.Epochs < 1 {
			t.Errorf("%v: epochs %d, the run's best epoch %d", c, got.Epochs, m.net.bestEpoch)
		}
		if nll < lo {
			best, lo = i, nll
		}
		hi = math.Max(hi, nll)
	}
	// The one-standard-error rule, recomputed: the first candidate whose
	// mean per-row excess over the best is within its standard error.
	want := -1
	for i := range selectCands {
		var diff []float64
		for k := range rows[i] {
			diff = append(diff, rows[i][k]-rows[best][k])
		}
		m, se := meanSE(diff)
		if math.Abs(sel.Scores[i].HeldOutSE-se) > 1e-6 {
			t.Errorf("%v: standard error %g, recomputed %g", selectCands[i], sel.Scores[i].HeldOutSE, se)
		}
		if m <= se {
			want = i
			break
		}
	}
	if sel.Index != want || sel.DropoutCandidate != selectCands[want] {
		t.Errorf("chose index %d (%v), the one-standard-error rule picks %d (%v; lowest %d); scores %+v", sel.Index, sel.DropoutCandidate, want, selectCands[want], best, sel.Scores)
	}
	// The grid must discriminate, or any rule would pass.
	if hi-lo < 0.02 {
		t.Errorf("held-out NLLs span only %.4g nats: %+v", hi-lo, sel.Scores)
	}
}

// TestChooseDropoutOneSE: a later candidate must beat an earlier one by
// more than one standard error of the per-row difference to be chosen.
func TestChooseDropoutOneSE(t *testing.T) {
	base := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	shifted := func(by float64, noise float64) []float64 {
		out := make([]float64, len(base))
		for k, v := range base {
			out[k] = v + by + noise*float64(k%2*2-1) // ±noise alternating: the difference's sd
		}
		return out
	}
	score := func(rows ...[]float64) []DropoutScore {
		out := make([]DropoutScore, len(rows))
		for i, r := range rows {
			var s float64
			for _, v := range r {
				s += v
			}
			out[i] = DropoutScore{DropoutCandidate: DropoutCandidate{Rate: 0.05, Heteroscedastic: i > 0}, HeldOutNLL: s / float64(len(r))}
		}
		return out
	}
	// Candidate 1 is lower by 0.1; the difference has sd ≈ 1.07, se ≈ 0.38.
	rows := [][]float64{base, shifted(-0.1, 1)}
	if got := chooseDropout(score(rows...), rows); got != 0 {
		t.Errorf("a 0.1 gain within one standard error chose %d, want the earlier 0", got)
	}
	// Lower by 1 with the same noise: beyond one standard error.
	rows = [][]float64{base, shifted(-1, 1)}
	if got := chooseDropout(score(rows...), rows); got != 1 {
		t.Errorf("a gain of 1 (se ≈ 0.38) chose %d, want 1", got)
	}
	// An earlier candidate lower than a later one is chosen outright.
	rows = [][]float64{shifted(-1, 0.5), base}
	sc := score(rows...)
	if got := chooseDropout(sc, rows); got != 0 || sc[0].HeldOutSE != 0 || !(sc[1].HeldOutSE > 0) {
		t.Errorf("chose %d with standard errors %v, %v; want 0 with 0 and a positive one", got, sc[0].HeldOutSE, sc[1].HeldOutSE)
	}
	// A diverged candidate (nil rows, +Inf score) is skipped.
	rows = [][]float64{nil, base}
	sc = score(base, base)
	sc[0].HeldOutNLL = math.Inf(1)
	if got := chooseDropout(sc, rows); got != 1 || !math.IsInf(sc[0].HeldOutSE, 1) {
		t.Errorf("with candidate 0 diverged chose %d (its se %v), want 1", got, sc[0].HeldOutSE)
	}
}

// With a refit, the selected model predicts bit for bit as TrainMCDropout
// at the chosen rate, BeforeRefit sees the chosen held-out run once, and a
// saved and loaded model predicts the same.
func TestTrainMCDropoutSelectEqualsChosenRate(t *testing.T) {
	d := newSelectData(2)
	ctx := context.Background()
	cfg := selectConfig(d, true)
	var calls int
	var seen float64
	cfg.Validation.BeforeRefit = func(m Regressor) error {
		calls++
		seen = m.(*MCDropout).Rate()
		return nil
	}
	m, sel, err := TrainMCDropoutSelect(ctx, d.x, 3, d.y, cfg, selectSamples, selectCands)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || seen != float64(float32(sel.Rate)) || m.Rate() != float64(float32(sel.Rate)) {
		t.Errorf("BeforeRefit called %d times with rate %g; model rate %g; chosen %g", calls, seen, m.Rate(), sel.Rate)
	}
	one := sel.Config(selectConfig(d, true))
	ref, err := TrainMCDropout(ctx, d.x, 3, d.y, one, selectSamples)
	if err != nil {
		t.Fatal(err)
	}
	gm, gs := predictAll(t, m, d.xt)
	rm, rs := predictAll(t, ref, d.xt)
	if !sameBits(gm, rm) || !sameBits(gs, rs) {
		t.Errorf("selected model (p = %g) predicts differently from TrainMCDropout at that rate", sel.Rate)
	}
	var buf bytes.Buffer
	if err := SaveModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	lm, ls := predictAll(t, loaded, d.xt)
	if !sameBits(gm, lm) || !sameBits(gs, ls) || loaded.(*MCDropout).Rate() != m.Rate() {
		t.Error("the loaded model predicts differently from the saved one")
	}
}

// Held out by Fraction, every candidate holds out the same rows: the
// selection without refit equals TrainMCDropout at the chosen rate.
func TestTrainMCDropoutSelectFraction(t *testing.T) {
	d := newSelectData(3)
	ctx := context.Background()
	cfg := selectConfig(d, false)
	cfg.Validation = Validation{Fraction: 0.25, Patience: 10}
	m, sel, err := TrainMCDropoutSelect(ctx, d.x, 3, d.y, cfg, selectSamples, selectCands)
	if err != nil {
		t.Fatal(err)
	}
	cfg = sel.Config(cfg)
	ref, err := TrainMCDropout(ctx, d.x, 3, d.y, cfg, selectSamples)
	if err != nil {
		t.Fatal(err)
	}
	gm, gs := predictAll(t, m, d.xt)
	rm, rs := predictAll(t, ref, d.xt)
	if !sameBits(gm, rm) || !sameBits(gs, rs) {
		t.Errorf("selected model (p = %g) differs from TrainMCDropout at that rate", sel.Rate)
	}
}

// The scores, the choice and the model are bit-identical at GOMAXPROCS 1
// and 2, and ties go to the smaller rate (a repeated rate scores the same).
func TestTrainMCDropoutSelectDeterministic(t *testing.T) {
	d := newSelectData(4)
	ctx := context.Background()
	rates := []float64{0.3, 0.1, 0.01, 0.1}
	run := func(procs int) ([]float64, []float64, DropoutSelection) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, sel, err := TrainMCDropoutSelect(ctx, d.x, 3, d.y, selectConfig(d, true), selectSamples, DropoutGrid(rates))
		if err != nil {
			t.Fatal(err)
		}
		mean, std := predictAll(t, m, d.xt)
		return mean, std, sel
	}
	m1, s1, sel1 := run(1)
	m2, s2, sel2 := run(2)
	if !sameBits(m1, m2) || !sameBits(s1, s2) || sel1.Index != sel2.Index {
		t.Errorf("GOMAXPROCS 1 and 2 differ: %+v against %+v", sel1, sel2)
	}
	for i := range sel1.Scores {
		if math.Float64bits(sel1.Scores[i].HeldOutNLL) != math.Float64bits(sel2.Scores[i].HeldOutNLL) {
			t.Errorf("rate %d: held-out NLL %v at 1 proc, %v at 2", i, sel1.Scores[i].HeldOutNLL, sel2.Scores[i].HeldOutNLL)
		}
	}
	if sel1.Scores[1].HeldOutNLL != sel1.Scores[3].HeldOutNLL {
		t.Errorf("the repeated rate scored %v and %v", sel1.Scores[1].HeldOutNLL, sel1.Scores[3].HeldOutNLL)
	}
	if sel1.Index == 3 {
		t.Error("a tie went to the later index")
	}
}

func TestTrainMCDropoutSelectErrors(t *testing.T) {
	d := newSelectData(5)
	ctx := context.Background()
	cfg := selectConfig(d, false)
	noVal := cfg
	noVal.Validation = Validation{}
	cases := []struct {
		name    string
		cfg     TrainConfig
		samples int
		rates   []float64
		want    error
		msg     string
	}{
		{"empty", cfg, 10, nil, ErrInvalidParameter, "no candidates"},
		{"nan", cfg, 10, []float64{0.1, math.NaN()}, ErrInvalidParameter, "candidate 1: rate NaN"},
		{"zero", cfg, 10, []float64{0.1, 0.2, 0}, ErrInvalidParameter, "candidate 2: rate 0"},
		{"one", cfg, 10, []float64{1}, ErrInvalidParameter, "candidate 0: rate 1"},
		{"negative", cfg, 10, []float64{-0.1}, ErrInvalidParameter, "candidate 0"},
		{"float32 one", cfg, 10, []float64{0.1, 1 - 1e-9}, ErrInvalidParameter, "candidate 1"},
		{"no held-out rows", noVal, 10, []float64{0.1}, ErrInvalidParameter, "no held-out rows"},
		{"samples", cfg, 0, []float64{0.1}, ErrInvalidParameter, "0 samples"},
	}
	for _, c := range cases {
		_, _, err := TrainMCDropoutSelect(ctx, d.x, 3, d.y, c.cfg, c.samples, DropoutGrid(c.rates))
		if !errors.Is(err, c.want) || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %v containing %q", c.name, err, c.want, c.msg)
		}
	}
	// TrainMCDropout's data errors pass through.
	if _, _, err := TrainMCDropoutSelect(ctx, d.x[:5], 3, d.y, cfg, 10, DropoutGrid([]float64{0.1})); !errors.Is(err, ErrShape) {
		t.Errorf("short x: %v, want ErrShape", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := TrainMCDropoutSelect(cancelled, d.x, 3, d.y, cfg, 10, DropoutGrid([]float64{0.1, 0.2})); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

func TestLowestDropoutScore(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	sc := func(pairs ...float64) []DropoutScore {
		var out []DropoutScore
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, DropoutScore{DropoutCandidate: DropoutCandidate{Rate: pairs[i]}, HeldOutNLL: pairs[i+1]})
		}
		return out
	}
	for _, c := range []struct {
		scores []DropoutScore
		want   int
	}{
		{sc(0.005, 1.2, 0.01, 1.1, 0.05, 1.3), 1},
		{sc(0.1, 1.0, 0.05, 1.0, 0.01, 1.5), 1}, // tie: the smaller rate, wherever it is
		{sc(0.05, 1.0, 0.1, 1.0), 0},
		{sc(0.05, 1.0, 0.05, 1.0), 0},  // same rate: the earlier index
		{sc(0.01, nan, 0.05, 2.0), 1},  // NaN never chosen
		{sc(0.01, inf, 0.05, 2.0), 1},  // a diverged candidate scores +Inf
		{sc(0.01, -inf, 0.05, 2.0), 1}, // nor −Inf
		{sc(0.01, inf, 0.05, nan), -1},
		{nil, -1},
	} {
		if got := lowestDropoutScore(c.scores); got != c.want {
			t.Errorf("%+v: chose %d, want %d", c.scores, got, c.want)
		}
	}
}

// FuzzTrainMCDropoutSelect selects among arbitrary rates (with one or both
// noise models) on arbitrary data: nothing panics, every error wraps a
// documented sentinel, and a success chose the candidate at Index, whose
// score is finite and within one standard error of the lowest, with the
// model trained at its rate.
func FuzzTrainMCDropoutSelect(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}, uint8(0), uint8(0x80), 0.01, 0.1, 0.3)
	f.Add([]byte{0, 0, 0, 0, 0, 0}, uint8(1), uint8(0xff), 1e30, 0.5, 0.5)
	f.Add([]byte{255, 0, 128, 7, 7, 7, 9, 13, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, uint8(2), uint8(0x5a), 1.0, 0.0, math.NaN())
	f.Fuzz(func(t *testing.T, raw []byte, dimRaw, knobs uint8, lr, p0, p1 float64) {
		dim := int(dimRaw%3) + 1
		if len(raw) > 96 {
			raw = raw[:96]
		}
		x := make([]float64, len(raw))
		for i, b := range raw {
			x[i] = float64(int8(b)) / 16
		}
		n := len(x) / dim
		x = x[:n*dim]
		y := make([]float64, n)
		for i := range y {
			y[i] = math.Sin(x[i*dim]) + float64(i%3)
		}
		cfg := TrainConfig{
			Hidden: []int{int(knobs%3) + 2}, Activation: ReLU, Loss: Loss(knobs >> 4 & 1),
			LearningRate: lr, Epochs: int(knobs%3) + 1, BatchSize: int(knobs % 5), Seed: uint64(knobs),
			Validation: Validation{Fraction: 0.3, Patience: 1, Refit: knobs&0x40 != 0},
		}
		rates := []float64{p0, p1}[:1+int(knobs>>7)]
		cands := DropoutGrid(rates, false, knobs&0x20 != 0)
		m, sel, err := TrainMCDropoutSelect(context.Background(), x, dim, y, cfg, 3, cands)
		if err != nil {
			for _, e := range []error{ErrEmpty, ErrShape, ErrNonFinite, ErrInvalidParameter, ErrDiverged} {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("undocumented error: %v", err)
		}
		if sel.Index < 0 || sel.Index >= len(cands) || sel.DropoutCandidate != cands[sel.Index] || len(sel.Scores) != len(cands) {
			t.Fatalf("selection %+v of candidates %v", sel, cands)
		}
		chosen := sel.Scores[sel.Index]
		if math.IsNaN(chosen.HeldOutNLL) || math.IsInf(chosen.HeldOutNLL, 0) {
			t.Fatalf("chose a non-finite score: %+v", sel)
		}
		for i, s := range sel.Scores {
			// One standard error (of the paired difference from the
			// lowest) is all the chosen may lose, and no earlier
			// candidate is within it.
			if s.HeldOutNLL < chosen.HeldOutNLL-chosen.HeldOutSE*(1+1e-9)-1e-12 {
				t.Fatalf("candidate %d scores more than one standard error below the chosen: %+v", i, sel)
			}
			if i < sel.Index && s.HeldOutSE == 0 && s.HeldOutNLL <= chosen.HeldOutNLL {
				t.Fatalf("the earlier candidate %d is the lowest but was passed over: %+v", i, sel)
			}
		}
		if m.Rate() != float64(float32(sel.Rate)) {
			t.Fatalf("model rate %g, chosen %g", m.Rate(), sel.Rate)
		}
	})
}
