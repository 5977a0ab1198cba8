package bnn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// nnRefLoss is an independent float64 evaluation of the training loss of m
// on n rows, with the dropout multipliers masks[l] (nil: no dropout).
func nnRefLoss(m *MLP, params []float64, masks [][]float32, x, y []float64, n int, loss Loss) float64 {
	L := len(m.sizes) - 1
	h := x
	off := 0
	for l := range L {
		fin, fout := m.sizes[l], m.sizes[l+1]
		w := params[off : off+fin*fout]
		b := params[off+fin*fout : off+fin*fout+fout]
		off += fin*fout + fout
		z := make([]float64, n*fout)
		for r := range n {
			for j := range fout {
				s := b[j]
				for i := range fin {
					s += h[r*fin+i] * w[i*fout+j]
				}
				if l < L-1 {
					switch m.act {
					case Tanh:
						s = math.Tanh(s)
					case ReLU:
						s = math.Max(s, 0)
					}
					if masks != nil {
						s *= float64(masks[l+1][r*fout+j])
					}
				}
				z[r*fout+j] = s
			}
		}
		h = z
	}
	var s float64
	for r := range n {
		if loss == LossGaussian {
			mu, lv := h[2*r], h[2*r+1]
			s += 0.5 * (lv + (y[r]-mu)*(y[r]-mu)*math.Exp(-lv) + math.Log(2*math.Pi))
		} else {
			s += (h[r] - y[r]) * (h[r] - y[r])
		}
	}
	return s / float64(n)
}

// TestGradientsMatchCentralDifferences checks the hand-derived backward pass
// of every activation, dropout and both losses against float64 central
// differences of an independent float64 forward pass.
func TestGradientsMatchCentralDifferences(t *testing.T) {
	const n = 7
	for _, act := range []Activation{Tanh, ReLU, Identity} {
		for _, loss := range []Loss{LossMSE, LossGaussian} {
			for _, p := range []float64{0, 0.3} {
				cfg := TrainConfig{Hidden: []int{5, 4}, Activation: act, Dropout: p, Loss: loss, Heteroscedastic: true, LearningRate: 1, Epochs: 1}
				rng := rand.New(rand.NewPCG(7, uint64(act)))
				m, err := NewMLP(cfg.mlpConfig(3), rng)
				if err != nil {
					t.Fatal(err)
				}
				tr, err := newNNTrainer(m, &cfg, n)
				if err != nil {
					t.Fatal(err)
				}
				x32, y32 := make([]float32, n*3), make([]float32, n)
				x64, y64 := make([]float64, n*3), make([]float64, n)
				for i := range x32 {
					x32[i] = float32(rng.NormFloat64())
					x64[i] = float64(x32[i])
				}
				for i := range y32 {
					y32[i] = float32(rng.NormFloat64())
					y64[i] = float64(y32[i])
				}
				out := m.forward(tr.wk, x32, n, true)
				if loss == LossGaussian {
					gaussianNLLGrad(tr.wk.dout, out, y32)
				} else {
					mseGrad(tr.wk.dout, out, y32)
				}
				m.backward(tr.wk, n)
				var masks [][]float32
				if p > 0 {
					masks = tr.wk.mask
				}
				params := make([]float64, m.NumParams())
				for i, v := range m.params {
					params[i] = float64(v)
				}
				fd := make([]float64, len(params))
				var scale float64
				for i := range params {
					const h = 1e-6
					orig := params[i]
					params[i] = orig + h
					up := nnRefLoss(m, params, masks, x64, y64, n, loss)
					params[i] = orig - h
					down := nnRefLoss(m, params, masks, x64, y64, n, loss)
					params[i] = orig
					fd[i] = (up - down) / (2 * h)
					scale = math.Max(scale, math.Abs(fd[i]))
				}
				for i, g := range tr.wk.grad {
					rel := math.Abs(float64(g)-fd[i]) / math.Max(math.Abs(fd[i]), 1e-3*scale)
					if rel > 1e-3 {
						t.Errorf("%v %v dropout %v: parameter %d: backprop %g, central difference %g (rel %.2g)", act, loss, p, i, g, fd[i], rel)
					}
				}
			}
		}
	}
}

func nnToyData(n int) (x, y []float64) {
	for i := range n {
		v := float64(i)/float64(n-1)*2 - 1
		x = append(x, v)
		y = append(y, math.Sin(3*v))
	}
	return x, y
}

func TestTrainRejectsBadInput(t *testing.T) {
	x, y := nnToyData(10)
	ok := TrainConfig{Hidden: []int{4}, LearningRate: 1e-2, Epochs: 2}
	nanX := append([]float64(nil), x...)
	nanX[3] = math.NaN()
	infY := append([]float64(nil), y...)
	infY[5] = math.Inf(1)
	with := func(f func(*TrainConfig)) TrainConfig { c := ok; f(&c); return c }
	cases := []struct {
		name string
		x, y []float64
		dim  int
		cfg  TrainConfig
		want error
	}{
		{"shape", x, y[:9], 1, ok, ErrShape},
		{"empty", nil, nil, 1, ok, ErrEmpty},
		{"nan feature", nanX, y, 1, ok, ErrNonFinite},
		{"inf target", x, infY, 1, ok, ErrNonFinite},
		{"zero dim", x, y, 0, ok, ErrInvalidParameter},
		{"zero width", x, y, 1, with(func(c *TrainConfig) { c.Hidden = []int{4, 0} }), ErrInvalidParameter},
		{"dropout 1", x, y, 1, with(func(c *TrainConfig) { c.Dropout = 1 }), ErrInvalidParameter},
		{"dropout negative", x, y, 1, with(func(c *TrainConfig) { c.Dropout = -0.1 }), ErrInvalidParameter},
		{"dropout nan", x, y, 1, with(func(c *TrainConfig) { c.Dropout = math.NaN() }), ErrInvalidParameter},
		{"dropout 1 in float32", x, y, 1, with(func(c *TrainConfig) { c.Dropout = 1 - 1e-9 }), ErrInvalidParameter},
		{"too many parameters", x, y, 1, with(func(c *TrainConfig) { c.Hidden = []int{1 << 16, 1 << 16} }), ErrInvalidParameter},
		{"parameter count overflows int", x, y, 1, with(func(c *TrainConfig) { c.Hidden = []int{math.MaxInt / 2, math.MaxInt / 2} }), ErrInvalidParameter},
		{"lr nan", x, y, 1, with(func(c *TrainConfig) { c.LearningRate = math.NaN() }), ErrInvalidParameter},
		{"lr negative", x, y, 1, with(func(c *TrainConfig) { c.LearningRate = -1 }), ErrInvalidParameter},
		{"negative epochs", x, y, 1, with(func(c *TrainConfig) { c.Epochs = -1 }), ErrInvalidParameter},
		{"negative batch", x, y, 1, with(func(c *TrainConfig) { c.BatchSize = -1 }), ErrInvalidParameter},
		{"mse heteroscedastic", x, y, 1, with(func(c *TrainConfig) { c.Heteroscedastic = true }), ErrInvalidParameter},
		{"bad activation", x, y, 1, with(func(c *TrainConfig) { c.Activation = 9 }), ErrInvalidParameter},
	}
	for _, c := range cases {
		_, err := Train(context.Background(), c.x, c.dim, c.y, c.cfg)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		_, err = TrainEnsemble(context.Background(), c.x, c.dim, c.y, c.cfg, 2)
		if !errors.Is(err, c.want) {
			t.Errorf("ensemble %s: got %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := Train(context.Background(), nanX, 1, y, ok); err == nil || !strings.Contains(err.Error(), "row 3") {
		t.Errorf("NaN error does not name row 3: %v", err)
	}
	if _, err := TrainEnsemble(context.Background(), x, 1, y, ok, 0); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("0 members: %v", err)
	}
	if _, err := TrainMCDropout(context.Background(), x, 1, y, ok, 10); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("MC dropout without dropout: %v", err)
	}
	if _, err := NewMLP(MLPConfig{Inputs: 1, Hidden: []int{0}, Outputs: 1}, rand.New(rand.NewPCG(1, 1))); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("zero-width MLP: %v", err)
	}
}

func TestPredictRejectsBadInput(t *testing.T) {
	models, x := nnSmallModels(t)
	for name, m := range models {
		mean, std := make([]float64, 2), make([]float64, 2)
		if err := m.PredictTo(mean, std, x[:3]); !errors.Is(err, ErrShape) {
			t.Errorf("%s ragged rows: %v", name, err)
		}
		if err := m.PredictTo(mean, std[:1], x[:4]); !errors.Is(err, ErrShape) {
			t.Errorf("%s short std: %v", name, err)
		}
		bad := []float64{1, 2, 3, math.Inf(-1)}
		if err := m.PredictTo(mean, std, bad); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "row 1") {
			t.Errorf("%s Inf feature: %v", name, err)
		}
	}
}

func TestTrainDivergesWithEpoch(t *testing.T) {
	x, y := nnToyData(20)
	for i := range y {
		y[i] *= 1e30
	}
	cfg := TrainConfig{Hidden: []int{8}, LearningRate: 10, Epochs: 200, Scaling: ScaleNone, Optimizer: OptimSGD}
	_, err := Train(context.Background(), x, 1, y, cfg)
	if !errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "epoch") {
		t.Fatalf("got %v, want ErrDiverged naming the epoch", err)
	}
}

func TestTrainHonoursCancellationAndReportsProgress(t *testing.T) {
	x, y := nnToyData(20)
	ctx, cancel := context.WithCancel(context.Background())
	var epochs []int
	cfg := TrainConfig{Hidden: []int{8}, LearningRate: 1e-2, Epochs: 1000, Progress: func(e int, loss float64) {
		epochs = append(epochs, e)
		if e == 5 {
			cancel()
		}
	}}
	_, err := Train(ctx, x, 1, y, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if len(epochs) != 5 || epochs[0] != 1 || epochs[4] != 5 {
		t.Fatalf("progress epochs %v, want 1…5", epochs)
	}
}

// TestTrainReducesLoss covers every loss, optimiser and the mini-batch path.
func TestTrainReducesLoss(t *testing.T) {
	x, y := nnToyData(64)
	for _, c := range []TrainConfig{
		{Loss: LossMSE},
		{Loss: LossGaussian},
		{Loss: LossGaussian, Heteroscedastic: true, Activation: ReLU},
		{Loss: LossMSE, Optimizer: OptimSGD, Momentum: 0.9, LearningRate: 0.05},
		{Loss: LossMSE, BatchSize: 10, Dropout: 0.1},
	} {
		c.Hidden, c.Epochs, c.Seed = []int{16, 16}, 300, 5
		if c.LearningRate == 0 {
			c.LearningRate = 1e-2
		}
		var first, last float64
		c.Progress = func(e int, l float64) {
			if e == 1 {
				first = l
			}
			last = l
		}
		net, err := Train(context.Background(), x, 1, y, c)
		if err != nil {
			t.Fatal(err)
		}
		if !(last < first-0.5) {
			t.Errorf("%+v: loss %v → %v", c, first, last)
		}
		mean, std := make([]float64, 64), make([]float64, 64)
		if err := net.PredictTo(mean, std, x); err != nil {
			t.Fatal(err)
		}
		var mse float64
		for i := range y {
			mse += (mean[i] - y[i]) * (mean[i] - y[i]) / 64
		}
		if mse > 0.02 || !(std[0] > 0) {
			t.Errorf("%+v: training MSE %v, std %v", c, mse, std[0])
		}
	}
}

// TestEnsembleDeterministicAcrossGOMAXPROCS trains the same ensemble at
// GOMAXPROCS 1 and 8 and requires bit-identical weights.
func TestEnsembleDeterministicAcrossGOMAXPROCS(t *testing.T) {
	x, y := nnToyData(30)
	cfg := TrainConfig{Hidden: []int{16, 16}, LearningRate: 1e-2, Epochs: 100, BatchSize: 8, Dropout: 0.1, Seed: 11}
	train := func(procs int) *Ensemble {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		e, err := TrainEnsemble(context.Background(), x, 1, y, cfg, 4)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b := train(1), train(8)
	for k := range a.members {
		pa, pb := a.members[k].mlp.params, b.members[k].mlp.params
		for i := range pa {
			if math.Float32bits(pa[i]) != math.Float32bits(pb[i]) {
				t.Fatalf("member %d parameter %d: %v at GOMAXPROCS=1, %v at 8", k, i, pa[i], pb[i])
			}
		}
	}
	if a.members[0].mlp.params[0] == a.members[1].mlp.params[0] {
		t.Fatal("members 0 and 1 share their initialisation")
	}
}

func TestDropoutMaskStatistics(t *testing.T) {
	for _, p := range []float32{0, 0.1, 0.5, 0.9} {
		const n = 100001
		y, h, mask := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range y {
			y[i] = 2
		}
		g := newGaussRNG(3, 4)
		dropoutMask(h, mask, y, p, &g)
		dropped := 0
		for i, m := range mask {
			switch {
			case m == 0:
				dropped++
			case m != 1/(1-p):
				t.Fatalf("p %v: multiplier %v", p, m)
			}
			if h[i] != 2*m {
				t.Fatalf("p %v: h %v for multiplier %v", p, h[i], m)
			}
		}
		frac := float64(dropped) / n
		if sd := math.Sqrt(float64(p*(1-p)) / n); math.Abs(frac-float64(p)) > 5*sd+1e-9 {
			t.Errorf("p %v: dropped fraction %v", p, frac)
		}
	}
}
