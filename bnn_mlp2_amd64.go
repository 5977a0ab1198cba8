//go:build !purego

package bnn

// rowsGemmAVX512 is rowsGemmGeneric with AVX-512F for h a positive multiple
// of 16 and k ≥ 1, each step one fused multiply-add (bnn_mlp2_amd64.s).
//
//go:noescape
func rowsGemmAVX512(c, a, b, bias []float32, n, k, h int)

// gemmTNAVX512 is gemmTNGeneric with AVX-512F for k and h positive
// multiples of 16, each step one fused multiply-add.
//
//go:noescape
func gemmTNAVX512(c, a, d []float32, n, k, h int)

// rowDotsAVX512 is rowDotsGeneric with AVX-512F for h a positive multiple
// of 16, the column steps fused multiply-adds.
//
//go:noescape
func rowDotsAVX512(f, a, w []float32, n, h int)

// mlp2Asm reports whether the fused 1-h-h-1 gradient has assembly kernels
// on the current kernel path for width h.
func mlp2Asm(h int) bool { return kernelPath == pathAVX512 && h%16 == 0 }

// rowsGemm32AVX512 is rowsGemmAVX512 for h a positive multiple of 32, in
// blocks of 32 columns (the same operations).
//
//go:noescape
func rowsGemm32AVX512(c, a, b, bias []float32, n, k, h int)

func rowsGemmArch(c, a, b, bias []float32, n, k, h int) {
	if h%32 == 0 {
		rowsGemm32AVX512(c, a, b, bias, n, k, h)
		return
	}
	rowsGemmAVX512(c, a, b, bias, n, k, h)
}
func gemmTNArch(c, a, d []float32, n, k, h int) { gemmTNAVX512(c, a, d, n, k, h) }
func rowDotsArch(f, a, w []float32, n, h int)   { rowDotsAVX512(f, a, w, n, h) }

// tanhOutBackAVX512 is tanhOutBackGeneric with AVX-512F for h a positive
// multiple of 16 (1 − a² and the gw sums fused multiply-adds).
//
//go:noescape
func tanhOutBackAVX512(dz, gw, gb, a, d, w []float32, n, h int)

// tanhInBackAVX512 is tanhInBackGeneric with AVX-512F for h a positive
// multiple of 16 (1 − a² and the gw sums fused multiply-adds).
//
//go:noescape
func tanhInBackAVX512(dz, gw, gb, a, x []float32, n, h int)

// cvtParamsAVX512 is cvtParamsGeneric with AVX-512F for len(src) a
// multiple of 8 (bit for bit).
//
//go:noescape
func cvtParamsAVX512(dst []float32, src []float64) float64

// gradOutAVX512 is gradOutGeneric with AVX-512F for len(grad) a multiple
// of 8 (bit for bit).
//
//go:noescape
func gradOutAVX512(grad []float64, g []float32, theta []float64, c float64)

func tanhOutBackArch(dz, gw, gb, a, d, w []float32, n, h int) {
	tanhOutBackAVX512(dz, gw, gb, a, d, w, n, h)
}
func tanhInBackArch(dz, gw, gb, a, x []float32, n, h int) { tanhInBackAVX512(dz, gw, gb, a, x, n, h) }

func cvtParamsArch(dst []float32, src []float64) float64 {
	if kernelPath == pathAVX512 {
		return cvtParamsAVX512(dst, src)
	}
	return cvtParamsGeneric(dst, src)
}

func gradOutArch(grad []float64, g []float32, theta []float64, c float64) {
	if kernelPath == pathAVX512 {
		gradOutAVX512(grad, g, theta, c)
		return
	}
	gradOutGeneric(grad, g, theta, c)
}

// transposeArch transposes src (rows×cols, both multiples of 8) into dst
// in 8×8 blocks with packT8AVX2 and reports true, or reports false on the
// generic path.
func transposeArch(dst, src []float32, rows, cols int) bool {
	if kernelPath == pathGeneric {
		return false
	}
	for j := 0; j < rows; j += 8 {
		packT8AVX2(&dst[j], rows, &src[j*cols], cols, cols/8)
	}
	return true
}
