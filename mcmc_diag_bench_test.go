package bnn

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// diagAR1Draws returns m chains of n AR(1) draws with coefficient rho.
func diagAR1Draws(r *rand.Rand, m, n int, rho float64) [][]float64 {
	d := make([][]float64, m)
	for c := range d {
		d[c] = make([]float64, n)
		v := 0.0
		for i := range d[c] {
			v = rho*v + r.NormFloat64()
			d[c][i] = v
		}
	}
	return d
}

// BenchmarkSummarizeDraws: 200 parameters × 4 chains × 1000 draws (a
// summarise_draws of a 200-parameter Stan fit); reports the time per parameter.
func BenchmarkSummarizeDraws(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	const params = 200
	names := make([]string, params)
	draws := make([][][]float64, params)
	for p := range draws {
		names[p] = "theta[" + strconv.Itoa(p) + "]"
		draws[p] = diagAR1Draws(r, 4, 1000, 0.5)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := SummarizeDraws(names, draws); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/params/1e3, "us/param")
}

// BenchmarkMCMCDiag times each diagnostic alone on 4 chains × 1000 draws.
func BenchmarkMCMCDiag(b *testing.B) {
	d := diagAR1Draws(rand.New(rand.NewPCG(2, 2)), 4, 1000, 0.9)
	for _, bc := range []struct {
		name string
		f    func([][]float64) (float64, error)
	}{
		{"RHat", RHat}, {"ESSBulk", ESSBulk}, {"ESSTail", ESSTail}, {"MCSEMean", MCSEMean},
		{"MCSEQuantile", func(d [][]float64) (float64, error) { return MCSEQuantile(d, 0.05) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.f(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
