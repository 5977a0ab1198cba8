package bnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

func randF32(r *rand.Rand, n int, scale float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = scale * float32(r.NormFloat64())
	}
	return v
}

// closeF32 reports whether got and want agree to tol relative to the
// largest |want| (the kernels differ from their twins only in rounding:
// fused multiply-adds against separate products and sums).
func closeF32(got, want []float32, tol float64) (int, bool) {
	scale := 0.0
	for _, v := range want {
		scale = max(scale, math.Abs(float64(v)))
	}
	for i := range want {
		if !(math.Abs(float64(got[i])-float64(want[i])) <= tol*scale) {
			return i, false
		}
	}
	return -1, len(got) == len(want)
}

// The AVX-512 kernels of the fused gradient agree with their generic twins
// on every shape class they handle: blocks of eight rows and the single
// rows after them, one and several 16-column blocks, k from 1 up, no rows.
func TestMLP2KernelsMatchGeneric(t *testing.T) {
	if !slices.Contains(availableKernelPaths(), pathAVX512) {
		t.Skip("no AVX-512 kernels on this CPU/build")
	}
	defer setKernelPath(pathAVX512)()
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 8, 9, 17, 60} {
		for _, k := range []int{1, 3, 16, 32} {
			for _, h := range []int{16, 32, 64} {
				name := fmt.Sprintf("n=%d k=%d h=%d", n, k, h)
				a, b, bias := randF32(r, n*k, 1), randF32(r, k*h, 1), randF32(r, h, 1)
				got, want := randF32(r, n*h, 1), randF32(r, n*h, 1)
				rowsGemm(got, a, b, bias, n, k, h)
				rowsGemmGeneric(want, a, b, bias, n, k, h)
				if i, ok := closeF32(got, want, 1e-6); !ok {
					t.Errorf("rowsGemm %s: element %d: %v, generic %v", name, i, got[i], want[i])
				}
				if k%16 == 0 {
					d := randF32(r, n*h, 1)
					got, want := randF32(r, k*h, 1), randF32(r, k*h, 1)
					gemmTN(got, a, d, n, k, h)
					gemmTNGeneric(want, a, d, n, k, h)
					if i, ok := closeF32(got, want, 1e-6); !ok {
						t.Errorf("gemmTN %s: element %d: %v, generic %v", name, i, got[i], want[i])
					}
				}
				if k != 1 {
					continue
				}
				am, w := randF32(r, n*h, 1), randF32(r, h, 1)
				for i := range am {
					am[i] = tanh32(am[i]) // activations lie in (−1, 1)
				}
				gotF, wantF := make([]float32, n), make([]float32, n)
				rowDots(gotF, am, w, n, h)
				rowDotsGeneric(wantF, am, w, n, h)
				if i, ok := closeF32(gotF, wantF, 1e-6); !ok {
					t.Errorf("rowDots %s: row %d: %v, generic %v", name, i, gotF[i], wantF[i])
				}
				d := randF32(r, n, 1)
				for _, out := range []bool{true, false} {
					dz, gw, gb := randF32(r, n*h, 1), randF32(r, h, 1), randF32(r, h, 1)
					wdz, wgw, wgb := append([]float32(nil), dz...), make([]float32, h), make([]float32, h)
					kind := "tanhInBack"
					if out {
						kind = "tanhOutBack"
						tanhOutBack(dz, gw, gb, am, d, w, n, h)
						tanhOutBackGeneric(wdz, wgw, wgb, am, d, w, n, h)
					} else {
						tanhInBack(dz, gw, gb, am, d, n, h)
						tanhInBackGeneric(wdz, wgw, wgb, am, d, n, h)
					}
					for j, c := range [][2][]float32{{dz, wdz}, {gw, wgw}, {gb, wgb}} {
						if i, ok := closeF32(c[0], c[1], 1e-5); !ok {
							t.Errorf("%s %s output %d: element %d: %v, generic %v", kind, name, j, i, c[0][i], c[1][i])
						}
					}
				}
			}
		}
	}
}

// transpose is exact on every kernel path, with and without 8×8 blocks.
func TestMLP2Transpose(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, path := range availableKernelPaths() {
		restore := setKernelPath(path)
		for _, sh := range [][2]int{{8, 8}, {16, 16}, {16, 64}, {64, 32}, {5, 7}, {8, 12}} {
			rows, cols := sh[0], sh[1]
			src, dst := randF32(r, rows*cols, 1), randF32(r, rows*cols, 1)
			transpose(dst, src, rows, cols)
			for j := range rows {
				for k := range cols {
					if dst[k*rows+j] != src[j*cols+k] {
						t.Fatalf("%s %d×%d: dst[%d][%d] = %v, src[%d][%d] = %v", kernelPathNames[path], rows, cols, k, j, dst[k*rows+j], j, k, src[j*cols+k])
					}
				}
			}
		}
		restore()
	}
}

// The θ conversion and the gradient output are bit for bit the generic
// loops on every path, at every length (the AVX-512 kernels take the
// multiples of 8).
func TestBNNParamConversionPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 7, 8, 9, 337, 4353} {
		th := make([]float64, n)
		for i := range th {
			th[i] = r.NormFloat64() * 3
		}
		g := randF32(r, n, 2)
		want := make([]float32, n)
		wantS := 0.0
		for i, v := range th {
			want[i] = float32(v)
			wantS += v * v
		}
		wantG := make([]float64, n)
		gradOutGeneric(wantG, g, th, 0.7)
		var sums []float64
		for _, path := range availableKernelPaths() {
			restore := setKernelPath(path)
			got := make([]float32, n)
			s := paramsFromTheta(got, th)
			gg := make([]float64, n)
			gradFromLoss(gg, g, th, 0.7)
			restore()
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s n=%d: param %d is %v, want %v", kernelPathNames[path], n, i, got[i], want[i])
				}
				if gg[i] != wantG[i] {
					t.Fatalf("%s n=%d: gradient %d is %v, want %v", kernelPathNames[path], n, i, gg[i], wantG[i])
				}
			}
			if !(math.Abs(s-wantS) <= 1e-13*wantS) {
				t.Errorf("%s n=%d: Σθ² = %v, want %v", kernelPathNames[path], n, s, wantS)
			}
			sums = append(sums, s)
		}
		for i := range sums {
			if sums[i] != sums[0] {
				t.Errorf("n=%d: Σθ² differs between paths: %v", n, sums)
			}
		}
	}
}

// The fused gradient and the MLP's general forward/backward path compute
// the same log density and gradient (to float32 rounding) on every kernel
// path, for widths with and without AVX-512 kernels.
func TestBNNFusedMatchesMLP(t *testing.T) {
	for _, hid := range [][]int{{16, 16}, {64, 64}, {16, 32}, {32, 16}, {5, 7}} {
		p, _, _ := seedBNNForTest(t, hid)
		for _, path := range availableKernelPaths() {
			restore := setKernelPath(path)
			fused := p.newEval(p.n)
			fused.fused = newMLP2Work(p.cfg, p.x)
			if fused.fused == nil {
				t.Fatal("no fused workspace for a 1-h-h-1 tanh network")
			}
			plain := p.newEval(p.n)
			for seed := range uint64(3) {
				th := randomTheta(p.Dim(), 0.5, seed+10)
				g1, g2 := make([]float64, p.Dim()), make([]float64, p.Dim())
				v1, v2 := fused.logJoint(th, g1), plain.logJoint(th, g2)
				if !(math.Abs(v1-v2) <= 1e-6*math.Abs(v2)) {
					t.Errorf("%v %s seed %d: log density %v fused, %v general", hid, kernelPathNames[path], seed, v1, v2)
				}
				var num, den float64
				for i := range g1 {
					num += (g1[i] - g2[i]) * (g1[i] - g2[i])
					den += g2[i] * g2[i]
				}
				if rel := math.Sqrt(num / den); !(rel < 1e-5) {
					t.Errorf("%v %s seed %d: gradients differ by %.3g (relative)", hid, kernelPathNames[path], seed, rel)
				}
			}
			restore()
		}
	}
}

// A short NUTS run over the 1-16-16-1 network's weights on the fused
// gradient gives the same draws, bit for bit, at GOMAXPROCS 1 and 2 and
// when repeated.
func TestSampleBNNDeterministic(t *testing.T) {
	p, _, _ := seedBNNForTest(t, []int{16, 16})
	u := SeedBNNEvalInputs()
	var first [][][]float64
	for _, procs := range []int{1, 2, 2} {
		prev := runtime.GOMAXPROCS(procs)
		res, err := SampleBNN(context.Background(), p, u, NUTSConfig{Chains: 2, Warmup: 40, Draws: 20, MaxTreeDepth: 5, Seed: 3})
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res.Predictions
			continue
		}
		for c := range first {
			for i := range first[c] {
				for k, v := range first[c][i] {
					if res.Predictions[c][i][k] != v {
						t.Fatalf("GOMAXPROCS %d: chain %d draw %d input %d: %v, first run %v", procs, c, i, k, res.Predictions[c][i][k], v)
					}
				}
			}
		}
	}
}

// BenchmarkBNNLogJointPaths times one log density + gradient on the fused
// path and on the MLP's general forward/backward path, at widths 16 and 64.
func BenchmarkBNNLogJointPaths(b *testing.B) {
	for _, h := range []int{16, 64} {
		for _, fused := range []bool{true, false} {
			b.Run(fmt.Sprintf("H%d/fused=%v", h, fused), func(b *testing.B) {
				p, _, _ := seedBNNForTest(b, []int{h, h})
				e := p.newEval(p.n)
				if fused {
					e.fused = newMLP2Work(p.cfg, p.x)
				}
				th := randomTheta(p.Dim(), 0.3, 1)
				g := make([]float64, p.Dim())
				b.ReportAllocs()
				cpu0 := processCPUSeconds()
				for b.Loop() {
					e.logJoint(th, g)
				}
				b.ReportMetric((processCPUSeconds()-cpu0)*1e9/float64(b.N), "ns_cpu/grad")
			})
		}
	}
}
