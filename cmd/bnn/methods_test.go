package main

import (
	"context"
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gobnn/bnn"
)

// defaultMethodConfig returns the flags' defaults, as "bnn fit" parses them.
func defaultMethodConfig(t *testing.T) methodConfig {
	t.Helper()
	var c methodConfig
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.register(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// friedmanRows draws n rows of Friedman #1 (10 features, σ = 1).
func friedmanRows(n int, seed uint64) (x, y []float64) {
	r := rand.New(rand.NewPCG(seed, 3))
	for range n {
		var row [10]float64
		for j := range row {
			row[j] = r.Float64()
		}
		x = append(x, row[:]...)
		y = append(y, 10*math.Sin(math.Pi*row[0]*row[1])+20*(row[2]-0.5)*(row[2]-0.5)+10*row[3]+5*row[4]+r.NormFloat64())
	}
	return x, y
}

// TestNetworkWarmUp: with the defaults every network trains at least
// defaultWarmup epochs before early stopping may end it (the warm-up), and
// the refit is on by default.
func TestNetworkWarmUp(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks")
	}
	x, y := friedmanRows(60, 1)
	c := defaultMethodConfig(t)
	if !c.refit {
		t.Error("-refit is off by default")
	}
	c.refit = false
	for _, method := range []string{"ensemble", "dropout", "bbb"} {
		last := 0
		c.progress = func(epoch int, _ float64) { last = max(last, epoch) }
		c.samples = 10
		if _, err := trainMethod(context.Background(), method, &c, x, 10, y); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if last < defaultWarmup || last >= c.epochs {
			t.Errorf("%s: trained %d epochs; want at least the warm-up %d and early stopping before %d", method, last, defaultWarmup, c.epochs)
		}
	}
}

// TestDropoutLearningRateDecay: with the defaults MC dropout's Adam step
// halves every defaultLRHalfLife = 100 epochs and the ensemble's stays
// constant; -lrhalf 0 turns the decay off, and the setting reaches the
// training (the models differ).
func TestDropoutLearningRateDecay(t *testing.T) {
	c := defaultMethodConfig(t)
	if c.lrHalf != 100 || defaultLRHalfLife != 100 {
		t.Fatalf("-lrhalf default %g (const %d), want 100", c.lrHalf, defaultLRHalfLife)
	}
	if got := networkTrainConfig("dropout", &c, defaultLR).LRHalfLife; got != 100 {
		t.Errorf("dropout LRHalfLife %g, want 100", got)
	}
	if got := networkTrainConfig("ensemble", &c, defaultLR).LRHalfLife; got != 0 {
		t.Errorf("ensemble LRHalfLife %g, want 0", got)
	}
	bad := c
	for _, v := range []float64{-1, math.Inf(1), math.NaN()} {
		bad.lrHalf = v
		if err := bad.check(); err == nil {
			t.Errorf("-lrhalf %g accepted", v)
		}
	}
	x, y := friedmanRows(60, 2)
	xt, _ := friedmanRows(5, 3)
	c.epochs, c.samples = 260, 10
	pred := func(half float64) []float64 {
		c.lrHalf = half
		m, err := trainMethod(context.Background(), "dropout", &c, x, 10, y)
		if err != nil {
			t.Fatal(err)
		}
		mu, sd := make([]float64, 5), make([]float64, 5)
		if err := m.PredictTo(mu, sd, xt); err != nil {
			t.Fatal(err)
		}
		return mu
	}
	a, b := pred(100), pred(0)
	same := true
	for i := range a {
		same = same && a[i] == b[i]
	}
	if same {
		t.Errorf("-lrhalf 100 and 0 give the same predictions %v", a)
	}
}

// TestRefitKeepsHeldOutCalibration: "bnn fit" with the defaults refits the
// ensemble and MC dropout on every row and carries over the isotonic map
// fitted to the held-out run's model: the refitted wrapper's inner model
// predicts differently from the held-out run's, yet both wrappers place
// their interval bounds at the same standardised offsets (y − μ)/σ of their
// own inner model, and the map counts the held-out rows.
func TestRefitKeepsHeldOutCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks")
	}
	x, y := friedmanRows(120, 2)
	xt, _ := friedmanRows(20, 3)
	ctx := context.Background()
	for _, method := range []string{"ensemble", "dropout"} {
		var z [2][]float64
		var means [2][]float64
		for k, refit := range []bool{false, true} {
			c := defaultMethodConfig(t)
			c.refit, c.samples = refit, 20
			m, err := trainCalibrated(ctx, method, &c, &c.cal, x, 10, y)
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			iso, ok := m.(*bnn.IsotonicRegressor)
			if !ok {
				t.Fatalf("%s: model is %T, want the isotonic wrapper", method, m)
			}
			if iso.CalibrationRows() != 24 {
				t.Errorf("%s: map fitted on %d rows, want the 24 held out", method, iso.CalibrationRows())
			}
			n := len(xt) / 10
			mean, std, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			if err := iso.Inner().PredictTo(mean, std, xt); err != nil {
				t.Fatal(err)
			}
			if err := iso.IntervalTo(lo, hi, xt, 0.8); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				z[k] = append(z[k], (lo[i]-mean[i])/std[i], (hi[i]-mean[i])/std[i])
			}
			means[k] = mean
		}
		if means[0][0] == means[1][0] {
			t.Errorf("%s: the refitted model predicts as the held-out run's", method)
		}
		for i := range z[0] {
			if math.Abs(z[0][i]-z[1][i]) > 1e-9 {
				t.Fatalf("%s: standardised bound %d: %g after the refit, %g before: the map was not carried over", method, i, z[1][i], z[0][i])
			}
		}
	}
}

// TestDropoutRateFlag: -dropout defaults to p = 0.05 and takes one rate or
// a comma-separated list (e.g. Gal & Ghahramani's grid), each in (0, 1).
func TestDropoutRateFlag(t *testing.T) {
	c := defaultMethodConfig(t)
	if !slices.Equal(c.dropout, rateList{0.05}) || c.dropout.String() != "0.05" {
		t.Errorf("-dropout default %v", c.dropout)
	}
	parse := func(args ...string) (rateList, error) {
		var c methodConfig
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.register(fs)
		err := fs.Parse(args)
		return c.dropout, err
	}
	for in, want := range map[string]rateList{"0.2": {0.2}, " 0.05, 0.1 ": {0.05, 0.1}, "0.1,0.01": {0.1, 0.01}, "1e-3": {0.001}} {
		got, err := parse("-dropout", in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("-dropout %q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "1", "-0.1", "0.1,", "x", "NaN", "0.1;0.2", "0.99999999999"} {
		if got, err := parse("-dropout", in); err == nil {
			t.Errorf("-dropout %q accepted as %v", in, got)
		}
	}
	bad := defaultMethodConfig(t)
	bad.dropout = nil
	if err := bad.check(); err == nil {
		t.Error("an empty -dropout list passed check")
	}
}

// TestTrainDropoutRates: one -dropout rate with one -dropnoise model
// trains bnn.TrainMCDropout with it as before; several candidates train
// bnn.TrainMCDropoutSelect, and either way onDropout hears the candidate of
// the model returned.
func TestTrainDropoutRates(t *testing.T) {
	x, y := friedmanRows(80, 4)
	xt, _ := friedmanRows(5, 5)
	ctx := context.Background()
	c := defaultMethodConfig(t)
	c.epochs, c.samples, c.hidden = 30, 10, 16
	var heard []bnn.DropoutCandidate
	c.onDropout = func(d bnn.DropoutCandidate) { heard = append(heard, d) }
	predict := func(m bnn.Regressor) []float64 {
		mu, sd := make([]float64, 5), make([]float64, 5)
		if err := m.PredictTo(mu, sd, xt); err != nil {
			t.Fatal(err)
		}
		return append(mu, sd...)
	}
	for _, tc := range []struct {
		rates rateList
		noise string
	}{{rateList{0.2}, "constant"}, {rateList{0.2}, "hetero"}, {rateList{0.05}, "select"}, {rateList{0.005, 0.01, 0.05, 0.1}, "constant"}} {
		c.dropout, c.dropNoise = tc.rates, tc.noise
		heard = heard[:0]
		got, err := trainMethod(ctx, "dropout", &c, x, 10, y)
		if err != nil {
			t.Fatal(err)
		}
		nc := networkTrainConfig("dropout", &c, defaultLR)
		cands := bnn.DropoutGrid(tc.rates, dropNoiseModels[tc.noise]...)
		var want *bnn.MCDropout
		wantCand := cands[0]
		if len(cands) == 1 {
			nc.Dropout = wantCand.Rate
			if wantCand.Heteroscedastic {
				nc.Loss, nc.Heteroscedastic = bnn.LossGaussian, true
			}
			want, err = bnn.TrainMCDropout(ctx, x, 10, y, nc, c.samples)
		} else {
			var sel bnn.DropoutSelection
			want, sel, err = bnn.TrainMCDropoutSelect(ctx, x, 10, y, nc, c.samples, cands)
			wantCand = sel.DropoutCandidate
		}
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(predict(got), predict(want)) {
			t.Errorf("-dropout %v -dropnoise %s: the command's model differs from the library's", tc.rates, tc.noise)
		}
		if len(heard) != 1 || heard[0] != wantCand || got.(*bnn.MCDropout).Rate() != float64(float32(wantCand.Rate)) {
			t.Errorf("-dropout %v -dropnoise %s: heard %v, model rate %g; want %v", tc.rates, tc.noise, heard, got.(*bnn.MCDropout).Rate(), wantCand)
		}
	}
	c.dropout, c.dropNoise = rateList{0.05}, "sometimes"
	if err := c.check(); err == nil {
		t.Error("-dropnoise sometimes passed check")
	}
}
