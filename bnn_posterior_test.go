package bnn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// refBNNLogPost is an independent float64 evaluation of the BNN log
// posterior for one input feature and hidden widths h1, h2 (θ in MLP.Params
// layout), with its noise-free outputs at xs.
func refBNNLogPost(theta, xs, ys []float64, h1, h2 int, sigma, tau float64) (lp float64, f []float64) {
	off := 0
	take := func(k int) []float64 { v := theta[off : off+k]; off += k; return v }
	w1, b1 := take(h1), take(h1)
	w2, b2 := take(h1*h2), take(h2)
	w3, b3 := take(h2), take(1)
	f = make([]float64, len(xs))
	a1, a2 := make([]float64, h1), make([]float64, h2)
	for i, x := range xs {
		for j := range h1 {
			a1[j] = math.Tanh(x*w1[j] + b1[j])
		}
		for k := range h2 {
			s := b2[k]
			for j := range h1 {
				s += a1[j] * w2[j*h2+k]
			}
			a2[k] = math.Tanh(s)
		}
		s := b3[0]
		for k := range h2 {
			s += a2[k] * w3[k]
		}
		f[i] = s
	}
	l2pi := math.Log(2 * math.Pi)
	for i, y := range ys {
		r := (y - f[i]) / sigma
		lp += -0.5*r*r - math.Log(sigma) - 0.5*l2pi
	}
	for _, v := range theta {
		lp += -0.5*(v/tau)*(v/tau) - math.Log(tau) - 0.5*l2pi
	}
	return lp, f
}

func seedBNNForTest(t testing.TB, hidden []int) (*BNNPosterior, []float64, []float64) {
	x, _ := loadSeedGrid(t)
	p, err := SeedBNNPosterior(x, BNNPosteriorConfig{Hidden: hidden})
	if err != nil {
		t.Fatal(err)
	}
	ts := make([]float64, 60)
	for i := range ts {
		ts[i] = SeedBNNTime(6 * float64(i) / 59)
	}
	return p, ts, x
}

func randomTheta(dim int, scale float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	th := make([]float64, dim)
	for i := range th {
		th[i] = scale * r.NormFloat64()
	}
	return th
}

// The float32 log density and gradient agree with an independent float64
// implementation and its central differences, on every kernel path (on
// amd64: the fused gradient's generic twins, the MLP's AVX2 path, the fused
// AVX-512 kernels) and at a width without AVX-512 kernels.
func TestBNNPosteriorGradient(t *testing.T) {
	widths := []int{16, 64, 5}
	if testing.Short() {
		widths = widths[:1]
	}
	for _, path := range availableKernelPaths() {
		t.Run(kernelPathNames[path], func(t *testing.T) {
			defer setKernelPath(path)()
			testBNNPosteriorGradient(t, widths)
		})
	}
}

func testBNNPosteriorGradient(t *testing.T, widths []int) {
	for _, h := range widths {
		p, ts, ys := seedBNNForTest(t, []int{h, h})
		if want := 3*h + h*h + h + 1; p.Dim() != want {
			t.Fatalf("dim %d, want %d", p.Dim(), want)
		}
		lj := p.NewLogJoint()
		for seed := range uint64(3) {
			th := randomTheta(p.Dim(), 0.3, seed)
			grad := make([]float64, p.Dim())
			got := lj(th, grad)
			want, _ := refBNNLogPost(th, ts, ys, h, h, 0.05, 1)
			if math.Abs(got-want) > 1e-5*math.Abs(want) {
				t.Errorf("H=%d seed %d: log density %v, float64 %v", h, seed, got, want)
			}
			// Central differences of the float64 reference on a subset of
			// coordinates (every layer).
			var num, den float64
			step := max(1, p.Dim()/40)
			for j := 0; j < p.Dim(); j += step {
				e := 1e-6
				orig := th[j]
				th[j] = orig + e
				up, _ := refBNNLogPost(th, ts, ys, h, h, 0.05, 1)
				th[j] = orig - e
				dn, _ := refBNNLogPost(th, ts, ys, h, h, 0.05, 1)
				th[j] = orig
				fd := (up - dn) / (2 * e)
				num += (grad[j] - fd) * (grad[j] - fd)
				den += fd * fd
			}
			rel := math.Sqrt(num / den)
			if !(rel < 1e-4) {
				t.Errorf("H=%d seed %d: gradient relative error %.3g vs central differences", h, seed, rel)
			}
			t.Logf("H=%d seed %d: log density %.8g (float64 %.8g), gradient relative error %.2g", h, seed, got, want, rel)
		}
		grad := make([]float64, p.Dim())
		th := randomTheta(p.Dim(), 0.3, 9)
		if a := testing.AllocsPerRun(10, func() { lj(th, grad) }); a != 0 {
			t.Errorf("H=%d: log joint allocates %v times", h, a)
		}
	}
}

// Leapfrog on the BNN posterior conserves the energy to O(ε²): halving the
// step over a fixed trajectory length quarters the largest energy error.
func TestBNNPosteriorLeapfrogEnergy(t *testing.T) {
	for _, h := range []int{16, 64} {
		testBNNLeapfrogEnergy(t, h)
	}
}

func testBNNLeapfrogEnergy(t *testing.T, h int) {
	p, _, _ := seedBNNForTest(t, []int{h, h})
	lj := p.NewLogJoint()
	dim := p.Dim()
	th0 := randomTheta(dim, 0.3, 4)
	mom0 := randomTheta(dim, 1, 5)
	const T = 0.004
	var errs []float64
	for _, steps := range []int{8, 16, 32, 64} {
		eps := T / float64(steps)
		th := append([]float64(nil), th0...)
		mo := append([]float64(nil), mom0...)
		g := make([]float64, dim)
		energy := func(lp float64) float64 {
			k := 0.0
			for _, v := range mo {
				k += v * v
			}
			return -lp + 0.5*k
		}
		lp := lj(th, g)
		h0 := energy(lp)
		maxErr := 0.0
		for range steps {
			for i := range mo {
				mo[i] += 0.5 * eps * g[i]
			}
			for i := range th {
				th[i] += eps * mo[i]
			}
			lp = lj(th, g)
			for i := range mo {
				mo[i] += 0.5 * eps * g[i]
			}
			maxErr = max(maxErr, math.Abs(energy(lp)-h0))
		}
		errs = append(errs, maxErr)
		t.Logf("H=%d ε = %.3g: max |ΔH| = %.4g", h, eps, maxErr)
	}
	for i := 1; i < len(errs); i++ {
		r := errs[i-1] / errs[i]
		if !(r > 3.2 && r < 4.8) {
			t.Errorf("H=%d halving ε from %.3g: energy error ratio %.3f, want ≈ 4", h, T/float64(int(8)<<(i-1)), r)
		}
	}
}

func TestBNNPredictor(t *testing.T) {
	p, _, ys := seedBNNForTest(t, []int{16, 16})
	u := SeedBNNEvalInputs()
	if len(u) != 33 || u[0] != -1 || math.Abs(u[24]-1) > 1e-15 {
		t.Fatalf("eval inputs %v", u)
	}
	r, err := p.NewPredictor(u)
	if err != nil {
		t.Fatal(err)
	}
	draws := append(randomTheta(p.Dim(), 0.5, 1), randomTheta(p.Dim(), 0.5, 2)...)
	dst := make([]float64, 2*33)
	if err := r.PredictDrawsTo(dst, draws); err != nil {
		t.Fatal(err)
	}
	for s := range 2 {
		_, f := refBNNLogPost(draws[s*p.Dim():(s+1)*p.Dim()], u, ys[:0], 16, 16, 0.05, 1)
		for k := range f {
			if math.Abs(dst[s*33+k]-f[k]) > 1e-5*(1+math.Abs(f[k])) {
				t.Errorf("draw %d input %d: %v, float64 %v", s, k, dst[s*33+k], f[k])
			}
		}
	}
	if a := testing.AllocsPerRun(10, func() { _ = r.PredictDrawsTo(dst, draws) }); a != 0 {
		t.Errorf("PredictDrawsTo allocates %v times", a)
	}
	if err := r.PredictDrawsTo(dst[:5], draws); !errors.Is(err, ErrShape) {
		t.Errorf("short dst: %v", err)
	}
	if err := r.PredictTo(dst[:33], draws[:10]); !errors.Is(err, ErrShape) {
		t.Errorf("short θ: %v", err)
	}
	bad := append([]float64(nil), draws[:p.Dim()]...)
	bad[7] = math.Inf(1)
	if err := r.PredictTo(dst[:33], bad); !errors.Is(err, ErrNonFinite) {
		t.Errorf("Inf θ: %v", err)
	}
	if _, err := p.NewPredictor([]float64{0, math.NaN()}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN input: %v", err)
	}
	if _, err := p.NewPredictor(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("no inputs: %v", err)
	}
}

func TestBNNPosteriorErrors(t *testing.T) {
	for _, c := range []struct {
		x, y []float64
		cfg  BNNPosteriorConfig
		want error
	}{
		{nil, nil, BNNPosteriorConfig{}, ErrEmpty},
		{[]float64{1, 2, 3}, []float64{1, 2}, BNNPosteriorConfig{}, ErrShape},
		{[]float64{1, math.NaN()}, []float64{1, 2}, BNNPosteriorConfig{}, ErrNonFinite},
		{[]float64{1, 1e300}, []float64{1, 2}, BNNPosteriorConfig{}, ErrNonFinite},
		{[]float64{1, 2}, []float64{1, math.Inf(-1)}, BNNPosteriorConfig{}, ErrNonFinite},
		{[]float64{1, 2}, []float64{1, 2}, BNNPosteriorConfig{NoiseStd: -1}, ErrInvalidParameter},
		{[]float64{1, 2}, []float64{1, 2}, BNNPosteriorConfig{PriorStd: math.Inf(1)}, ErrInvalidParameter},
		{[]float64{1, 2}, []float64{1, 2}, BNNPosteriorConfig{Hidden: []int{0}}, ErrInvalidParameter},
	} {
		if _, err := NewBNNPosterior(c.x, c.y, c.cfg); !errors.Is(err, c.want) {
			t.Errorf("%v %v %+v: %v, want %v", c.x, c.y, c.cfg, err, c.want)
		}
	}
	p, _, _ := seedBNNForTest(t, []int{4, 4})
	lj := p.NewLogJoint()
	g := make([]float64, p.Dim())
	if v := lj(make([]float64, 3), g); !math.IsNaN(v) {
		t.Errorf("θ of length 3: %v", v)
	}
	th := make([]float64, p.Dim())
	th[2] = math.NaN()
	if v := lj(th, g); !math.IsNaN(v) {
		t.Errorf("NaN θ: %v", v)
	}
}

// checkFusedAgainstMLP evaluates the network at a θ of entries 0.7·sin(i +
// phase) on the fused path (bnn_mlp2.go) and on the MLP's general path:
// the outputs agree to float32 rounding, and so do the back-propagated
// gradients for the same output gradients (the rows' targets, so that the
// comparison does not hinge on residuals that cancel), to float32 rounding
// of the rows' contributions before they cancel.
func checkFusedAgainstMLP(t *testing.T, p *BNNPosterior, phase float64) {
	t.Helper()
	e := p.newEval(p.n)
	w := newMLP2Work(p.cfg, p.x)
	if w == nil {
		t.Fatal("no fused workspace for a 1-h-h-1 tanh network")
	}
	params := e.mlp.params
	wsum := 0.0
	for i := range params {
		params[i] = float32(0.7 * math.Sin(float64(i)+phase))
		wsum += math.Abs(float64(params[i]))
	}
	out := e.mlp.forward(e.wk, p.x, p.n, false)
	f := w.forward(params)
	b3 := params[len(params)-1]
	for i := range p.n {
		if got := f[i] + b3; !(math.Abs(float64(got-out[i])) <= 1e-5*(1+wsum)) {
			t.Fatalf("row %d: output %v fused, %v general", i, got, out[i])
		}
		d := float32(math.Max(-1e3, math.Min(1e3, p.y[i])))
		w.d[i], e.wk.dout[i] = d, d
	}
	ds := append([]float32(nil), w.d[:p.n]...)
	e.mlp.backward(e.wk, p.n)
	want := append([]float32(nil), e.wk.grad...)
	// The rows' contributions to an entry may cancel (targets of opposite
	// signs), so rounding is bounded by the largest sum of their absolute
	// values, Σᵢ |∂/∂θⱼ of row i alone|, not by the cancelled result.
	scale := make([]float64, len(want))
	for r := range p.n {
		e.mlp.forward(e.wk, p.x, p.n, false)
		clear(e.wk.dout[:p.n])
		e.wk.dout[r] = ds[r]
		e.mlp.backward(e.wk, p.n)
		for j, v := range e.wk.grad {
			scale[j] += math.Abs(float64(v))
		}
	}
	gmax := 0.0
	for _, v := range scale {
		gmax = max(gmax, v)
	}
	w.backward(params, e.wk.grad)
	for i, v := range e.wk.grad[:len(want)-1] {
		if !(math.Abs(float64(v-want[i])) <= 1e-4*gmax) {
			t.Fatalf("gradient %d: %v fused, %v general (largest row-wise scale %v)", i, v, want[i], gmax)
		}
	}
}

// FuzzBNNPosterior: at θ = 0 every hidden unit outputs tanh(0) = 0, so the
// network is 0, the log density is the constant minus Σy²/(2σ²), and the
// only non-zero gradient entry is the output bias's Σy/σ². At a θ away
// from 0 the fused gradient (bnn_mlp2.go; widths 16 and 32 have AVX-512
// kernels) and the MLP's general path agree.
func FuzzBNNPosterior(f *testing.F) {
	f.Add(0.5, -0.2, 1.0, 0.3, 3, 0.05)
	f.Add(1e10, -1e10, 2.0, 0.0, 1, 1.0)
	f.Add(0.1, 0.7, -0.4, 0.9, 5, 0.1)  // width 16
	f.Add(-0.3, 0.2, 0.4, -2.0, 6, 0.2) // width 32
	f.Fuzz(func(t *testing.T, x0, x1, y0, y1 float64, h int, sigma float64) {
		widths := [...]int{1, 2, 3, 5, 8, 16, 32}
		h = widths[(h%len(widths)+len(widths))%len(widths)]
		p, err := NewBNNPosterior([]float64{x0, x1}, []float64{y0, y1}, BNNPosteriorConfig{Hidden: []int{h, h}, NoiseStd: sigma})
		if err != nil {
			if errors.Is(err, ErrNonFinite) || errors.Is(err, ErrInvalidParameter) {
				return
			}
			t.Fatalf("unnamed error %v", err)
		}
		if sigma == 0 {
			sigma = 0.05
		}
		g := make([]float64, p.Dim())
		v := p.NewLogJoint()(make([]float64, p.Dim()), g)
		l2pi := math.Log(2 * math.Pi)
		want := -2*(math.Log(sigma)+0.5*l2pi) - float64(p.Dim())*0.5*l2pi - 0.5*(y0*y0+y1*y1)/(sigma*sigma)
		if !(math.Abs(v-want) <= 1e-12*math.Abs(want)+1e-9) && !math.IsInf(want, 0) {
			t.Fatalf("log density at 0: %v, want %v", v, want)
		}
		for i, gi := range g[:len(g)-1] {
			if gi != 0 {
				t.Fatalf("gradient %d at 0 is %v", i, gi)
			}
		}
		wantG := (y0 + y1) / (sigma * sigma)
		if gb := g[len(g)-1]; !(math.Abs(gb-wantG) <= 1e-6*(math.Abs(y0)+math.Abs(y1))/(sigma*sigma)) && !math.IsInf(wantG, 0) && !math.IsNaN(wantG) {
			t.Fatalf("output-bias gradient %v, want %v", gb, wantG)
		}
		checkFusedAgainstMLP(t, p, y0)
	})
}

// BenchmarkBNNLogJoint times one log density + gradient of the seed's BNN
// posterior (60 points, full batch) at widths 16 (Stan's reduced model)
// and 64 (the seed's).
func BenchmarkBNNLogJoint(b *testing.B) {
	for _, h := range []int{16, 64} {
		b.Run(map[int]string{16: "H16", 64: "H64"}[h], func(b *testing.B) {
			p, _, _ := seedBNNForTest(b, []int{h, h})
			lj := p.NewLogJoint()
			th := randomTheta(p.Dim(), 0.3, 1)
			g := make([]float64, p.Dim())
			b.ReportAllocs()
			cpu0 := processCPUSeconds()
			for b.Loop() {
				lj(th, g)
			}
			b.ReportMetric((processCPUSeconds()-cpu0)*1e6/float64(b.N), "us_cpu/grad")
		})
	}
}
