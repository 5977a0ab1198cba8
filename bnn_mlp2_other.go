//go:build purego || !amd64

package bnn

// Without AVX-512 assembly the fused 1-h-h-1 gradient runs its generic
// twins (bnn_mlp2.go).

func mlp2Asm(int) bool { return false }

func rowsGemmArch(c, a, b, bias []float32, n, k, h int) { rowsGemmGeneric(c, a, b, bias, n, k, h) }
func gemmTNArch(c, a, d []float32, n, k, h int)         { gemmTNGeneric(c, a, d, n, k, h) }
func rowDotsArch(f, a, w []float32, n, h int)           { rowDotsGeneric(f, a, w, n, h) }

func tanhOutBackArch(dz, gw, gb, a, d, w []float32, n, h int) {
	tanhOutBackGeneric(dz, gw, gb, a, d, w, n, h)
}
func tanhInBackArch(dz, gw, gb, a, x []float32, n, h int) { tanhInBackGeneric(dz, gw, gb, a, x, n, h) }
func cvtParamsArch(dst []float32, src []float64) float64  { return cvtParamsGeneric(dst, src) }
func gradOutArch(grad []float64, g []float32, theta []float64, c float64) {
	gradOutGeneric(grad, g, theta, c)
}

func transposeArch(_, _ []float32, _, _ int) bool { return false }
