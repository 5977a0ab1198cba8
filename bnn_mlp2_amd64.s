//go:build !purego

#include "textflag.h"

// AVX-512F kernels of the fused 1-H-H-1 network gradient (bnn_mlp2.go):
// small row-major matrix products read in place, without packing, for
// widths h that are multiples of 16 (one ZMM register per 16 columns). The
// Go declarations and the generic twins are in bnn_mlp2_amd64.go and
// bnn_mlp2.go.

// func rowsGemmAVX512(c, a, b, bias []float32, n, k, h int)
//
// Row p of c (n×h) is bias + Σ_{j<k} a[p·k+j]·b[j·h : j·h+h], accumulated
// from j = 0 up with one fused multiply-add per step. Rows go in blocks of
// eight (eight independent accumulators per 16 columns, enough to cover
// the fused multiply-add's latency), then at most one block of four, then
// one at a time. SI: a block, DI:
// c block, R13: 4k (a row stride, bytes), R8: 12k, R14: 4h (c and b row
// stride, bytes), R12: 12h, CX: column offset (bytes), BX: b column, AX and
// R11: a column in rows 0–3 and 4–7, DX: steps left, R10: rows left.
TEXT ·rowsGemmAVX512(SB), NOSPLIT, $0-120
	MOVQ c_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ n+96(FP), R10
	MOVQ k+104(FP), R13
	MOVQ h+112(FP), R14
	SHLQ $2, R13
	LEAQ (R13)(R13*2), R8
	SHLQ $2, R14
	LEAQ (R14)(R14*2), R12

rgblock:
	CMPQ R10, $8
	JLT  rgquad
	XORQ CX, CX

rgcol:
	MOVQ    bias_base+72(FP), R9
	VMOVUPS (R9)(CX*1), Z0
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	VMOVAPS Z0, Z8
	MOVQ    b_base+48(FP), BX
	ADDQ    CX, BX
	MOVQ    SI, AX
	LEAQ    (SI)(R13*4), R11
	MOVQ    k+104(FP), DX

rgstep:
	VMOVUPS          (BX), Z4
	VFMADD231PS.BCST (AX), Z4, Z0
	VFMADD231PS.BCST (AX)(R13*1), Z4, Z1
	VFMADD231PS.BCST (AX)(R13*2), Z4, Z2
	VFMADD231PS.BCST (AX)(R8*1), Z4, Z3
	VFMADD231PS.BCST (R11), Z4, Z5
	VFMADD231PS.BCST (R11)(R13*1), Z4, Z6
	VFMADD231PS.BCST (R11)(R13*2), Z4, Z7
	VFMADD231PS.BCST (R11)(R8*1), Z4, Z8
	ADDQ             $4, AX
	ADDQ             $4, R11
	ADDQ             R14, BX
	DECQ             DX
	JNZ              rgstep
	LEAQ             (DI)(CX*1), BX
	VMOVUPS          Z0, (BX)
	VMOVUPS          Z1, (BX)(R14*1)
	VMOVUPS          Z2, (BX)(R14*2)
	VMOVUPS          Z3, (BX)(R12*1)
	LEAQ             (BX)(R14*4), BX
	VMOVUPS          Z5, (BX)
	VMOVUPS          Z6, (BX)(R14*1)
	VMOVUPS          Z7, (BX)(R14*2)
	VMOVUPS          Z8, (BX)(R12*1)
	ADDQ             $64, CX
	CMPQ             CX, R14
	JLT              rgcol
	LEAQ             (SI)(R13*8), SI
	LEAQ             (DI)(R14*8), DI
	SUBQ             $8, R10
	JMP              rgblock

rgquad:
	CMPQ R10, $4
	JLT  rgtail
	XORQ CX, CX

rgqcol:
	MOVQ    bias_base+72(FP), R9
	VMOVUPS (R9)(CX*1), Z0
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	MOVQ    b_base+48(FP), BX
	ADDQ    CX, BX
	MOVQ    SI, AX
	MOVQ    k+104(FP), DX

rgqstep:
	VMOVUPS          (BX), Z4
	VFMADD231PS.BCST (AX), Z4, Z0
	VFMADD231PS.BCST (AX)(R13*1), Z4, Z1
	VFMADD231PS.BCST (AX)(R13*2), Z4, Z2
	VFMADD231PS.BCST (AX)(R8*1), Z4, Z3
	ADDQ             $4, AX
	ADDQ             R14, BX
	DECQ             DX
	JNZ              rgqstep
	LEAQ             (DI)(CX*1), BX
	VMOVUPS          Z0, (BX)
	VMOVUPS          Z1, (BX)(R14*1)
	VMOVUPS          Z2, (BX)(R14*2)
	VMOVUPS          Z3, (BX)(R12*1)
	ADDQ             $64, CX
	CMPQ             CX, R14
	JLT              rgqcol
	LEAQ             (SI)(R13*4), SI
	LEAQ             (DI)(R14*4), DI
	SUBQ             $4, R10

rgtail:
	TESTQ R10, R10
	JZ    rgdone
	XORQ  CX, CX

rgtcol:
	MOVQ    bias_base+72(FP), R9
	VMOVUPS (R9)(CX*1), Z0
	MOVQ    b_base+48(FP), BX
	ADDQ    CX, BX
	MOVQ    SI, AX
	MOVQ    k+104(FP), DX

rgtstep:
	VMOVUPS          (BX), Z4
	VFMADD231PS.BCST (AX), Z4, Z0
	ADDQ             $4, AX
	ADDQ             R14, BX
	DECQ             DX
	JNZ              rgtstep
	VMOVUPS          Z0, (DI)(CX*1)
	ADDQ             $64, CX
	CMPQ             CX, R14
	JLT              rgtcol
	ADDQ             R13, SI
	ADDQ             R14, DI
	DECQ             R10
	JMP              rgtail

rgdone:
	VZEROUPPER
	RET

// func rowsGemm32AVX512(c, a, b, bias []float32, n, k, h int)
//
// rowsGemmAVX512 for h a multiple of 32: blocks of eight rows × 32 columns
// (sixteen accumulators, Z0–Z7 for the left 16 columns and Z8–Z15 for the
// right ones), each a element broadcast once into Z18 for two fused
// multiply-adds, then single rows × 32 columns. Registers as in
// rowsGemmAVX512.
TEXT ·rowsGemm32AVX512(SB), NOSPLIT, $0-120
	MOVQ c_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ n+96(FP), R10
	MOVQ k+104(FP), R13
	MOVQ h+112(FP), R14
	SHLQ $2, R13
	LEAQ (R13)(R13*2), R8
	SHLQ $2, R14
	LEAQ (R14)(R14*2), R12

r32block:
	CMPQ R10, $8
	JLT  r32tail
	XORQ CX, CX

r32col:
	MOVQ    bias_base+72(FP), R9
	VMOVUPS (R9)(CX*1), Z0
	VMOVUPS 64(R9)(CX*1), Z8
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	VMOVAPS Z8, Z9
	VMOVAPS Z8, Z10
	VMOVAPS Z8, Z11
	VMOVAPS Z8, Z12
	VMOVAPS Z8, Z13
	VMOVAPS Z8, Z14
	VMOVAPS Z8, Z15
	MOVQ    b_base+48(FP), BX
	ADDQ    CX, BX
	MOVQ    SI, AX
	LEAQ    (SI)(R13*4), R11
	MOVQ    k+104(FP), DX

r32step:
	VMOVUPS      (BX), Z16
	VMOVUPS      64(BX), Z17
	VBROADCASTSS (AX), Z18
	VFMADD231PS  Z18, Z16, Z0
	VFMADD231PS  Z18, Z17, Z8
	VBROADCASTSS (AX)(R13*1), Z19
	VFMADD231PS  Z19, Z16, Z1
	VFMADD231PS  Z19, Z17, Z9
	VBROADCASTSS (AX)(R13*2), Z20
	VFMADD231PS  Z20, Z16, Z2
	VFMADD231PS  Z20, Z17, Z10
	VBROADCASTSS (AX)(R8*1), Z21
	VFMADD231PS  Z21, Z16, Z3
	VFMADD231PS  Z21, Z17, Z11
	VBROADCASTSS (R11), Z22
	VFMADD231PS  Z22, Z16, Z4
	VFMADD231PS  Z22, Z17, Z12
	VBROADCASTSS (R11)(R13*1), Z23
	VFMADD231PS  Z23, Z16, Z5
	VFMADD231PS  Z23, Z17, Z13
	VBROADCASTSS (R11)(R13*2), Z24
	VFMADD231PS  Z24, Z16, Z6
	VFMADD231PS  Z24, Z17, Z14
	VBROADCASTSS (R11)(R8*1), Z25
	VFMADD231PS  Z25, Z16, Z7
	VFMADD231PS  Z25, Z17, Z15
	ADDQ         $4, AX
	ADDQ         $4, R11
	ADDQ         R14, BX
	DECQ         DX
	JNZ          r32step
	LEAQ         (DI)(CX*1), BX
	VMOVUPS      Z0, (BX)
	VMOVUPS      Z8, 64(BX)
	VMOVUPS      Z1, (BX)(R14*1)
	VMOVUPS      Z9, 64(BX)(R14*1)
	VMOVUPS      Z2, (BX)(R14*2)
	VMOVUPS      Z10, 64(BX)(R14*2)
	VMOVUPS      Z3, (BX)(R12*1)
	VMOVUPS      Z11, 64(BX)(R12*1)
	LEAQ         (BX)(R14*4), BX
	VMOVUPS      Z4, (BX)
	VMOVUPS      Z12, 64(BX)
	VMOVUPS      Z5, (BX)(R14*1)
	VMOVUPS      Z13, 64(BX)(R14*1)
	VMOVUPS      Z6, (BX)(R14*2)
	VMOVUPS      Z14, 64(BX)(R14*2)
	VMOVUPS      Z7, (BX)(R12*1)
	VMOVUPS      Z15, 64(BX)(R12*1)
	ADDQ         $128, CX
	CMPQ         CX, R14
	JLT          r32col
	LEAQ         (SI)(R13*8), SI
	LEAQ         (DI)(R14*8), DI
	SUBQ         $8, R10
	JMP          r32block

r32tail:
	TESTQ R10, R10
	JZ    r32done
	XORQ  CX, CX

r32tcol:
	MOVQ    bias_base+72(FP), R9
	VMOVUPS (R9)(CX*1), Z0
	VMOVUPS 64(R9)(CX*1), Z8
	MOVQ    b_base+48(FP), BX
	ADDQ    CX, BX
	MOVQ    SI, AX
	MOVQ    k+104(FP), DX

r32tstep:
	VBROADCASTSS (AX), Z18
	VFMADD231PS  (BX), Z18, Z0
	VFMADD231PS  64(BX), Z18, Z8
	ADDQ         $4, AX
	ADDQ         R14, BX
	DECQ         DX
	JNZ          r32tstep
	VMOVUPS      Z0, (DI)(CX*1)
	VMOVUPS      Z8, 64(DI)(CX*1)
	ADDQ         $128, CX
	CMPQ         CX, R14
	JLT          r32tcol
	ADDQ         R13, SI
	ADDQ         R14, DI
	DECQ         R10
	JMP          r32tail

r32done:
	VZEROUPPER
	RET

// func gemmTNAVX512(c, a, d []float32, n, k, h int)
//
// Row j of c (k×h, k a multiple of 16) is Σ_{p<n} a[p·k+j]·d[p·h : p·h+h],
// accumulated from p = 0 up with one fused multiply-add per step (c = aᵀ·d).
// Sixteen rows of c at a time stay in Z0–Z15 while AX walks down column
// block j0 of a and BX down column block CX of d. R11: 4k, R14: 4h (bytes),
// R12: j0 (bytes into a row of a), R9: c row j0.
TEXT ·gemmTNAVX512(SB), NOSPLIT, $0-96
	MOVQ n+72(FP), R10
	MOVQ k+80(FP), R11
	MOVQ h+88(FP), R14
	SHLQ $2, R11
	SHLQ $2, R14
	XORQ R12, R12

tnjblock:
	CMPQ R12, R11
	JGE  tndone
	XORQ CX, CX

tncol:
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	VXORPS Z12, Z12, Z12
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
	VXORPS Z15, Z15, Z15
	MOVQ   a_base+24(FP), AX
	ADDQ   R12, AX
	MOVQ   d_base+48(FP), BX
	ADDQ   CX, BX
	MOVQ   R10, DX
	TESTQ  DX, DX
	JZ     tnstore

tnstep:
	VMOVUPS          (BX), Z16
	VFMADD231PS.BCST (AX), Z16, Z0
	VFMADD231PS.BCST 4(AX), Z16, Z1
	VFMADD231PS.BCST 8(AX), Z16, Z2
	VFMADD231PS.BCST 12(AX), Z16, Z3
	VFMADD231PS.BCST 16(AX), Z16, Z4
	VFMADD231PS.BCST 20(AX), Z16, Z5
	VFMADD231PS.BCST 24(AX), Z16, Z6
	VFMADD231PS.BCST 28(AX), Z16, Z7
	VFMADD231PS.BCST 32(AX), Z16, Z8
	VFMADD231PS.BCST 36(AX), Z16, Z9
	VFMADD231PS.BCST 40(AX), Z16, Z10
	VFMADD231PS.BCST 44(AX), Z16, Z11
	VFMADD231PS.BCST 48(AX), Z16, Z12
	VFMADD231PS.BCST 52(AX), Z16, Z13
	VFMADD231PS.BCST 56(AX), Z16, Z14
	VFMADD231PS.BCST 60(AX), Z16, Z15
	ADDQ             R11, AX
	ADDQ             R14, BX
	DECQ             DX
	JNZ              tnstep

tnstore:
	// Row j0 of c starts j0·h floats = (R12/4)·R14 bytes into c.
	MOVQ    R12, AX
	SHRQ    $2, AX
	IMULQ   R14, AX
	MOVQ    c_base+0(FP), R9
	ADDQ    AX, R9
	ADDQ    CX, R9
	VMOVUPS Z0, (R9)
	ADDQ    R14, R9
	VMOVUPS Z1, (R9)
	ADDQ    R14, R9
	VMOVUPS Z2, (R9)
	ADDQ    R14, R9
	VMOVUPS Z3, (R9)
	ADDQ    R14, R9
	VMOVUPS Z4, (R9)
	ADDQ    R14, R9
	VMOVUPS Z5, (R9)
	ADDQ    R14, R9
	VMOVUPS Z6, (R9)
	ADDQ    R14, R9
	VMOVUPS Z7, (R9)
	ADDQ    R14, R9
	VMOVUPS Z8, (R9)
	ADDQ    R14, R9
	VMOVUPS Z9, (R9)
	ADDQ    R14, R9
	VMOVUPS Z10, (R9)
	ADDQ    R14, R9
	VMOVUPS Z11, (R9)
	ADDQ    R14, R9
	VMOVUPS Z12, (R9)
	ADDQ    R14, R9
	VMOVUPS Z13, (R9)
	ADDQ    R14, R9
	VMOVUPS Z14, (R9)
	ADDQ    R14, R9
	VMOVUPS Z15, (R9)
	ADDQ    $64, CX
	CMPQ    CX, R14
	JLT     tncol
	ADDQ    $64, R12
	JMP     tnjblock

tndone:
	VZEROUPPER
	RET

// func rowDotsAVX512(f, a, w []float32, n, h int)
//
// f[p] = Σ_k a[p·h+k]·w[k]: sixteen lanes, lane i accumulating columns
// i, i+16, … (a product, then fused multiply-adds), then summed as a tree
// (lanes i and i+8, then i+4, i+2, i+1), as rowDotsGeneric.
TEXT ·rowDotsAVX512(SB), NOSPLIT, $0-88
	MOVQ f_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ w_base+48(FP), R8
	MOVQ n+72(FP), R10
	MOVQ h+80(FP), R14
	SHLQ $2, R14
	TESTQ R10, R10
	JZ   rddone

rdrow:
	VMOVUPS (SI), Z1
	VMULPS  (R8), Z1, Z0
	MOVQ    $64, CX

rdcol:
	CMPQ        CX, R14
	JGE         rdsum
	VMOVUPS     (SI)(CX*1), Z1
	VFMADD231PS (R8)(CX*1), Z1, Z0
	ADDQ        $64, CX
	JMP         rdcol

rdsum:
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPS        X1, X0, X0
	VMOVHLPS      X0, X0, X1
	VADDPS        X1, X0, X0
	VMOVSHDUP     X0, X1
	VADDSS        X1, X0, X0
	VMOVSS        X0, (DI)
	ADDQ          $4, DI
	ADDQ          R14, SI
	DECQ          R10
	JNZ           rdrow

rddone:
	VZEROUPPER
	RET

// func tanhOutBackAVX512(dz, gw, gb, a, d, w []float32, n, h int)
//
// For the last hidden layer (outputs a, n×h) under a linear output unit
// with weights w and output gradients d: dz[p,:] = d[p]·w ⊙ (1 − a[p,:]²),
// gw = Σ_p d[p]·a[p,:] and gb = Σ_p dz[p,:], summed from p = 0 up, 16
// columns at a time (CX: column offset in bytes) with the sums in Z0 and Z1.
TEXT ·tanhOutBackAVX512(SB), NOSPLIT, $0-160
	MOVQ         n+144(FP), R10
	MOVQ         h+152(FP), R14
	SHLQ         $2, R14
	XORQ         CX, CX
	VBROADCASTSS mlp2one<>(SB), Z9

tobcol:
	CMPQ    CX, R14
	JGE     tobdone
	VXORPS  Z0, Z0, Z0
	VXORPS  Z1, Z1, Z1
	MOVQ    w_base+120(FP), AX
	VMOVUPS (AX)(CX*1), Z8
	MOVQ    dz_base+0(FP), DI
	ADDQ    CX, DI
	MOVQ    a_base+72(FP), SI
	ADDQ    CX, SI
	MOVQ    d_base+96(FP), BX
	MOVQ    R10, DX
	TESTQ   DX, DX
	JZ      tobstore

tobrow:
	VMOVUPS           (SI), Z2
	VBROADCASTSS      (BX), Z3
	VFMADD231PS       Z3, Z2, Z0
	VMULPS            Z3, Z8, Z4
	VMOVAPS           Z9, Z5
	VFNMADD231PS      Z2, Z2, Z5
	VMULPS            Z5, Z4, Z4
	VMOVUPS           Z4, (DI)
	VADDPS            Z4, Z1, Z1
	ADDQ              R14, SI
	ADDQ              R14, DI
	ADDQ              $4, BX
	DECQ              DX
	JNZ               tobrow

tobstore:
	MOVQ    gw_base+24(FP), AX
	VMOVUPS Z0, (AX)(CX*1)
	MOVQ    gb_base+48(FP), AX
	VMOVUPS Z1, (AX)(CX*1)
	ADDQ    $64, CX
	JMP     tobcol

tobdone:
	VZEROUPPER
	RET

// func tanhInBackAVX512(dz, gw, gb, a, x []float32, n, h int)
//
// For the first hidden layer (outputs a, n×h) of a one-input network with
// inputs x, given the gradients dz with respect to a: dz[p,:] ⊙= 1 −
// a[p,:]², gw = Σ_p x[p]·dz[p,:] and gb = Σ_p dz[p,:], summed from p = 0
// up, 16 columns at a time.
TEXT ·tanhInBackAVX512(SB), NOSPLIT, $0-136
	MOVQ         n+120(FP), R10
	MOVQ         h+128(FP), R14
	SHLQ         $2, R14
	XORQ         CX, CX
	VBROADCASTSS mlp2one<>(SB), Z9

tibcol:
	CMPQ   CX, R14
	JGE    tibdone
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	MOVQ   dz_base+0(FP), DI
	ADDQ   CX, DI
	MOVQ   a_base+72(FP), SI
	ADDQ   CX, SI
	MOVQ   x_base+96(FP), BX
	MOVQ   R10, DX
	TESTQ  DX, DX
	JZ     tibstore

tibrow:
	VMOVUPS          (SI), Z2
	VMOVAPS          Z9, Z5
	VFNMADD231PS     Z2, Z2, Z5
	VMULPS           (DI), Z5, Z4
	VMOVUPS          Z4, (DI)
	VFMADD231PS.BCST (BX), Z4, Z0
	VADDPS           Z4, Z1, Z1
	ADDQ             R14, SI
	ADDQ             R14, DI
	ADDQ             $4, BX
	DECQ             DX
	JNZ              tibrow

tibstore:
	MOVQ    gw_base+24(FP), AX
	VMOVUPS Z0, (AX)(CX*1)
	MOVQ    gb_base+48(FP), AX
	VMOVUPS Z1, (AX)(CX*1)
	ADDQ    $64, CX
	JMP     tibcol

tibdone:
	VZEROUPPER
	RET

// func cvtParamsAVX512(dst []float32, src []float64) float64
//
// dst[i] = float32(src[i]) for len(src) (a multiple of 8, ≤ len(dst)) and
// returns Σ src[i]², lane i%8 of one accumulator summing its squares from
// the left (unfused), then the lanes as a tree (i with i+4, i+2, i+1).
TEXT ·cvtParamsAVX512(SB), NOSPLIT, $0-56
	MOVQ   dst_base+0(FP), DI
	MOVQ   src_base+24(FP), SI
	MOVQ   src_len+32(FP), CX
	VXORPD Z0, Z0, Z0
	TESTQ  CX, CX
	JZ     cvpsum

cvploop:
	VMOVUPD   (SI), Z1
	VCVTPD2PS Z1, Y2
	VMOVUPS   Y2, (DI)
	VMULPD    Z1, Z1, Z1
	VADDPD    Z1, Z0, Z0
	ADDQ      $64, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JNZ       cvploop

cvpsum:
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VUNPCKHPD     X0, X0, X1
	VADDSD        X1, X0, X0
	VMOVSD        X0, ret+48(FP)
	VZEROUPPER
	RET

// func gradOutAVX512(grad []float64, g []float32, theta []float64, c float64)
//
// grad[i] = −float64(g[i]) − theta[i]·c for len(grad) (a multiple of 8),
// computed as −(float64(g[i]) + theta[i]·c) (the same roundings).
TEXT ·gradOutAVX512(SB), NOSPLIT, $0-80
	MOVQ         grad_base+0(FP), DI
	MOVQ         grad_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         theta_base+48(FP), BX
	VBROADCASTSD c+72(FP), Z3
	VBROADCASTSD mlp2sign<>(SB), Z4
	TESTQ        CX, CX
	JZ           godone

goloop:
	VCVTPS2PD (SI), Z0
	VMULPD    (BX), Z3, Z1
	VADDPD    Z1, Z0, Z0
	VXORPD    Z4, Z0, Z0
	VMOVUPD   Z0, (DI)
	ADDQ      $32, SI
	ADDQ      $64, BX
	ADDQ      $64, DI
	SUBQ      $8, CX
	JNZ       goloop

godone:
	VZEROUPPER
	RET

DATA mlp2one<>+0(SB)/4, $0x3f800000
GLOBL mlp2one<>(SB), RODATA|NOPTR, $4
DATA mlp2sign<>+0(SB)/8, $0x8000000000000000
GLOBL mlp2sign<>(SB), RODATA|NOPTR, $8
