package main

import (
	_ "embed"
	"encoding/json"

	"github.com/gobnn/bnn"
)

//go:embed seed_data.json
var seedDataJSON []byte

// seedData is the seed notebook's random data, which Go cannot regenerate
// because it came from PyTorch's and NumPy's generators.
type seedData struct {
	XTrain     []float64 `json:"x_train"`
	BLRTargets []float64 `json:"blr_targets"`
}

// The seed's oscillator setting.
const (
	trueZeta   = 0.08
	trueOmega  = 1.1
	noiseStd   = 0.05
	trainEnd   = 6.0 // the interpolation window is [0, trainEnd] s
	evalEnd    = 8.0 // predictions run to evalEnd s
	nTrain     = 60
	nEval      = 300
	nTruthPlot = 400
)

// oscData holds the training data, the dense evaluation grid and the truth.
type oscData struct {
	tTrain, xTrain  []float64 // the seed's noisy sensor readings
	tEval, xEval    []float64 // evaluation grid on [0, evalEnd] and the noise-free truth there
	interp          []bool    // tEval ≤ trainEnd
	tPlot, xPlot    []float64 // a finer truth for plotting
	blrX, blrT      []float64 // the seed's polynomial-evidence data
	tMin, tMaxTrain float64
}

// newOscData loads the embedded seed data and evaluates the truth.
func newOscData() *oscData {
	var sd seedData
	if err := json.Unmarshal(seedDataJSON, &sd); err != nil || len(sd.XTrain) != nTrain || len(sd.BLRTargets) != 10 {
		panic("bnn: embedded seed_data.json is malformed")
	}
	d := &oscData{
		tTrain: linspace(0, trainEnd, nTrain),
		xTrain: sd.XTrain,
		tEval:  linspace(0, evalEnd, nEval),
		tPlot:  linspace(0, evalEnd, nTruthPlot),
		blrX:   linspace(0, 1, len(sd.BLRTargets)),
		blrT:   sd.BLRTargets,
	}
	d.xEval = truthAt(d.tEval)
	d.xPlot = truthAt(d.tPlot)
	d.interp = make([]bool, nEval)
	for i, t := range d.tEval {
		d.interp[i] = t <= trainEnd
	}
	d.tMin, d.tMaxTrain = 0, trainEnd
	return d
}

// normTime maps time to [-1, 1] over the training window, as the seed does
// before feeding time to a network.
func (d *oscData) normTime(t []float64) []float64 {
	out := make([]float64, len(t))
	for i, v := range t {
		out[i] = 2*(v-d.tMin)/(d.tMaxTrain-d.tMin) - 1
	}
	return out
}

// truthAt evaluates the true oscillator x(t) from x(0) = 1, v(0) = 0 with
// the library's closed form.
func truthAt(ts []float64) []float64 {
	o := bnn.Oscillator{Zeta: trueZeta, OmegaN: trueOmega}
	out := make([]float64, len(ts))
	for i, t := range ts {
		out[i], _ = o.Exact(t, 1, 0)
	}
	return out
}

// linspace returns n evenly spaced values from lo to hi inclusive.
func linspace(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		if n == 1 {
			out[i] = lo
			continue
		}
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return out
}
