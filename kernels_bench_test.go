package bnn

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// peakGFLOPS measures, once per path, the single-core float32 FMA peak of the
// widest kernel path (fmaPeak: independent accumulators, no memory traffic).
var peakGFLOPS = sync.OnceValue(func() float64 {
	best := 0.0
	for range 40 { // the best of many short bursts, to dodge other load
		start := time.Now()
		flops := fmaPeak(kernelPath, 200_000)
		if g := flops / time.Since(start).Seconds() / 1e9; g > best {
			best = g
		}
	}
	return best
})

// BenchmarkPeakFMA reports the single-core float32 FMA peak in GFLOP/s for
// the kernel path in use (KernelPath).
func BenchmarkPeakFMA(b *testing.B) {
	b.ReportAllocs()
	const iters = 1 << 16
	var flops float64
	for b.Loop() {
		flops += fmaPeak(kernelPath, iters)
	}
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkMatMul times sgemm at the networks' shapes M×K·K×N (NN unless
// suffixed) and reports GFLOP/s and the fraction of BenchmarkPeakFMA's peak.
func BenchmarkMatMul(b *testing.B) {
	shapes := []struct {
		m, k, n        int
		transA, transB bool
	}{
		{60, 64, 64, false, false}, {64, 64, 64, false, false}, {256, 256, 256, false, false},
		{60, 64, 64, true, false}, {60, 64, 64, false, true},
		{512, 64, 64, false, false}, {512, 256, 256, false, false}, {60, 64, 1, false, false},
	}
	peak := peakGFLOPS()
	for _, s := range shapes {
		name := fmt.Sprintf("%dx%dx%d", s.m, s.k, s.n)
		if s.transA {
			name += "TN"
		} else if s.transB {
			name += "NT"
		}
		b.Run(name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			a := make([]float32, s.m*s.k)
			bm := make([]float32, s.k*s.n)
			c := make([]float32, s.m*s.n)
			for i := range a {
				a[i] = float32(r.NormFloat64())
			}
			for i := range bm {
				bm[i] = float32(r.NormFloat64())
			}
			lda, ldb := s.k, s.n
			if s.transA {
				lda = s.m
			}
			if s.transB {
				ldb = s.k
			}
			b.ReportAllocs()
			for b.Loop() {
				sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
			}
			g := 2 * float64(s.m*s.n*s.k) * float64(b.N) / b.Elapsed().Seconds() / 1e9
			b.ReportMetric(g, "GFLOP/s")
			b.ReportMetric(g/peak, "peak-frac")
		})
	}
}

// BenchmarkBiasTanh times the fused bias + tanh pass on a 60×64 layer.
func BenchmarkBiasTanh(b *testing.B) {
	z := make([]float32, 60*64)
	bias := make([]float32, 64)
	for i := range z {
		z[i] = float32(i%17-8) / 4
	}
	b.ReportAllocs()
	for b.Loop() {
		biasTanh(z, bias, 64)
	}
	b.SetBytes(int64(4 * len(z)))
}

// BenchmarkMatMulPaths times 60×64·64×64 and 64×64·64×64 on every kernel path
// this machine supports, for comparing the paths in one run.
func BenchmarkMatMulPaths(b *testing.B) {
	for _, p := range availableKernelPaths() {
		for _, s := range [][3]int{{60, 64, 64}, {64, 64, 64}} {
			m, k, n := s[0], s[1], s[2]
			b.Run(fmt.Sprintf("%s/%dx%dx%d", kernelPathNames[p], m, k, n), func(b *testing.B) {
				defer setKernelPath(p)()
				a := make([]float32, m*k)
				bm := make([]float32, k*n)
				c := make([]float32, m*n)
				for i := range a {
					a[i] = float32(i%7) - 3
				}
				for i := range bm {
					bm[i] = float32(i%5) - 2
				}
				b.ReportAllocs()
				for b.Loop() {
					sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n)
				}
				b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkPeakFMAPaths reports the FMA peak of every kernel path this
// machine supports (on AMD Zen 4, AVX-512 and AVX2 peaks are equal: its
// 512-bit FMAs issue as two 256-bit halves).
func BenchmarkPeakFMAPaths(b *testing.B) {
	for _, p := range availableKernelPaths() {
		b.Run(kernelPathNames[p], func(b *testing.B) {
			b.ReportAllocs()
			const iters = 1 << 16
			var flops float64
			for b.Loop() {
				flops += fmaPeak(p, iters)
			}
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
