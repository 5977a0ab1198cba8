//go:build !purego

#include "textflag.h"
#include "gauss_amd64.h"

// Float32 kernels for amd64: AVX2+FMA and AVX-512F. The Go declarations, the
// dispatch and the equivalent Go loops are in kernels_amd64.go.

// AVX2ROW(addr, bc, acc0, acc1) broadcasts the A element at addr into bc and
// accumulates it times the B vectors Y12, Y13 into acc0, acc1.
#define AVX2ROW(addr, bc, acc0, acc1) \
	VBROADCASTSS addr, bc \
	VFMADD231PS  Y12, bc, acc0 \
	VFMADD231PS  Y13, bc, acc1

// AVX2STOREBETA(acc0, acc1) adds beta·C (beta in Y15) to the row acc0|acc1
// (already scaled by alpha), stores it at (DI) and advances DI by ldc (R9);
// AVX2STORE stores without reading C. Z512STOREBETA and Z512STORE are the
// same for a 32-wide row with beta in Z31.
#define AVX2STOREBETA(acc0, acc1) \
	VFMADD231PS (DI), Y15, acc0 \
	VFMADD231PS 32(DI), Y15, acc1 \
	VMOVUPS     acc0, (DI) \
	VMOVUPS     acc1, 32(DI) \
	ADDQ        R9, DI

#define AVX2STORE(acc0, acc1) \
	VMOVUPS acc0, (DI) \
	VMOVUPS acc1, 32(DI) \
	ADDQ    R9, DI

// The micro-kernels keep the tile in registers (AVX2: Y0–Y11, AVX-512:
// Z0–Z15), load one row strip of op(B) and broadcast the mr elements of
// op(A) per k-step: SI and R12 = SI + 4·rsa walk the strip of A (rows at
// SI, SI+rsa, SI+2rsa, SI+3rsa, R12, …) by csa a step, DX walks B by ldb.
//
// func sgemmKern6x16AVX2(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·sgemmKern6x16AVX2(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rsa+16(FP), R8
	SHLQ $2, R8
	MOVQ csa+24(FP), R10
	SHLQ $2, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (SI)(R8*4), R12
	MOVQ b+32(FP), DX
	MOVQ ldb+40(FP), R9
	SHLQ $2, R9
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

avx2gemmloop:
	VMOVUPS (DX), Y12
	VMOVUPS 32(DX), Y13
	AVX2ROW((SI), Y14, Y0, Y1)
	AVX2ROW((SI)(R8*1), Y15, Y2, Y3)
	AVX2ROW((SI)(R8*2), Y14, Y4, Y5)
	AVX2ROW((SI)(R11*1), Y15, Y6, Y7)
	AVX2ROW((R12), Y14, Y8, Y9)
	AVX2ROW((R12)(R8*1), Y15, Y10, Y11)
	ADDQ    R10, SI
	ADDQ    R10, R12
	ADDQ    R9, DX
	DECQ    CX
	JNZ     avx2gemmloop

	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), R9
	SHLQ         $2, R9
	VBROADCASTSS alpha+64(FP), Y14
	VMULPS Y14, Y0, Y0
	VMULPS Y14, Y1, Y1
	VMULPS Y14, Y2, Y2
	VMULPS Y14, Y3, Y3
	VMULPS Y14, Y4, Y4
	VMULPS Y14, Y5, Y5
	VMULPS Y14, Y6, Y6
	VMULPS Y14, Y7, Y7
	VMULPS Y14, Y8, Y8
	VMULPS Y14, Y9, Y9
	VMULPS Y14, Y10, Y10
	VMULPS Y14, Y11, Y11
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           avx2gemmoverwrite
	VBROADCASTSS beta+68(FP), Y15
	AVX2STOREBETA(Y0, Y1)
	AVX2STOREBETA(Y2, Y3)
	AVX2STOREBETA(Y4, Y5)
	AVX2STOREBETA(Y6, Y7)
	AVX2STOREBETA(Y8, Y9)
	AVX2STOREBETA(Y10, Y11)
	VZEROUPPER
	RET

avx2gemmoverwrite:
	AVX2STORE(Y0, Y1)
	AVX2STORE(Y2, Y3)
	AVX2STORE(Y4, Y5)
	AVX2STORE(Y6, Y7)
	AVX2STORE(Y8, Y9)
	AVX2STORE(Y10, Y11)
	VZEROUPPER
	RET

// Z512ROW(addr, bc, acc0, acc1) broadcasts the A element at addr into bc and
// accumulates it times the B vectors Z16, Z17 into acc0, acc1.
#define Z512ROW(addr, bc, acc0, acc1) \
	VBROADCASTSS addr, bc \
	VFMADD231PS  Z16, bc, acc0 \
	VFMADD231PS  Z17, bc, acc1

#define Z512STOREBETA(acc0, acc1) \
	VFMADD231PS (DI), Z31, acc0 \
	VFMADD231PS 64(DI), Z31, acc1 \
	VMOVUPS     acc0, (DI) \
	VMOVUPS     acc1, 64(DI) \
	ADDQ        R9, DI

#define Z512STORE(acc0, acc1) \
	VMOVUPS acc0, (DI) \
	VMOVUPS acc1, 64(DI) \
	ADDQ    R9, DI

// func sgemmKern8x32AVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·sgemmKern8x32AVX512(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rsa+16(FP), R8
	SHLQ $2, R8
	MOVQ csa+24(FP), R10
	SHLQ $2, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (SI)(R8*4), R12
	MOVQ b+32(FP), DX
	MOVQ ldb+40(FP), R9
	SHLQ $2, R9
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15

z512gemmloop:
	VMOVUPS (DX), Z16
	VMOVUPS 64(DX), Z17
	Z512ROW((SI), Z18, Z0, Z1)
	Z512ROW((SI)(R8*1), Z19, Z2, Z3)
	Z512ROW((SI)(R8*2), Z20, Z4, Z5)
	Z512ROW((SI)(R11*1), Z21, Z6, Z7)
	Z512ROW((R12), Z22, Z8, Z9)
	Z512ROW((R12)(R8*1), Z23, Z10, Z11)
	Z512ROW((R12)(R8*2), Z24, Z12, Z13)
	Z512ROW((R12)(R11*1), Z25, Z14, Z15)
	ADDQ    R10, SI
	ADDQ    R10, R12
	ADDQ    R9, DX
	DECQ    CX
	JNZ     z512gemmloop

	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), R9
	SHLQ         $2, R9
	VBROADCASTSS alpha+64(FP), Z30
	VMULPS Z30, Z0, Z0
	VMULPS Z30, Z1, Z1
	VMULPS Z30, Z2, Z2
	VMULPS Z30, Z3, Z3
	VMULPS Z30, Z4, Z4
	VMULPS Z30, Z5, Z5
	VMULPS Z30, Z6, Z6
	VMULPS Z30, Z7, Z7
	VMULPS Z30, Z8, Z8
	VMULPS Z30, Z9, Z9
	VMULPS Z30, Z10, Z10
	VMULPS Z30, Z11, Z11
	VMULPS Z30, Z12, Z12
	VMULPS Z30, Z13, Z13
	VMULPS Z30, Z14, Z14
	VMULPS Z30, Z15, Z15
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           z512gemmoverwrite
	VBROADCASTSS beta+68(FP), Z31
	Z512STOREBETA(Z0, Z1)
	Z512STOREBETA(Z2, Z3)
	Z512STOREBETA(Z4, Z5)
	Z512STOREBETA(Z6, Z7)
	Z512STOREBETA(Z8, Z9)
	Z512STOREBETA(Z10, Z11)
	Z512STOREBETA(Z12, Z13)
	Z512STOREBETA(Z14, Z15)
	VZEROUPPER
	RET

z512gemmoverwrite:
	Z512STORE(Z0, Z1)
	Z512STORE(Z2, Z3)
	Z512STORE(Z4, Z5)
	Z512STORE(Z6, Z7)
	Z512STORE(Z8, Z9)
	Z512STORE(Z10, Z11)
	Z512STORE(Z12, Z13)
	Z512STORE(Z14, Z15)
	VZEROUPPER
	RET

// Constants of tanh32 (kernels_generic.go), eight copies each.
DATA tanhabs<>+0(SB)/4, $0x7fffffff
DATA tanhabs<>+4(SB)/4, $0x7fffffff
DATA tanhabs<>+8(SB)/4, $0x7fffffff
DATA tanhabs<>+12(SB)/4, $0x7fffffff
DATA tanhabs<>+16(SB)/4, $0x7fffffff
DATA tanhabs<>+20(SB)/4, $0x7fffffff
DATA tanhabs<>+24(SB)/4, $0x7fffffff
DATA tanhabs<>+28(SB)/4, $0x7fffffff
GLOBL tanhabs<>(SB), RODATA|NOPTR, $32
DATA tanhsign<>+0(SB)/4, $0x80000000
DATA tanhsign<>+4(SB)/4, $0x80000000
DATA tanhsign<>+8(SB)/4, $0x80000000
DATA tanhsign<>+12(SB)/4, $0x80000000
DATA tanhsign<>+16(SB)/4, $0x80000000
DATA tanhsign<>+20(SB)/4, $0x80000000
DATA tanhsign<>+24(SB)/4, $0x80000000
DATA tanhsign<>+28(SB)/4, $0x80000000
GLOBL tanhsign<>(SB), RODATA|NOPTR, $32
DATA tanhclamp<>+0(SB)/4, $0x41200000
DATA tanhclamp<>+4(SB)/4, $0x41200000
DATA tanhclamp<>+8(SB)/4, $0x41200000
DATA tanhclamp<>+12(SB)/4, $0x41200000
DATA tanhclamp<>+16(SB)/4, $0x41200000
DATA tanhclamp<>+20(SB)/4, $0x41200000
DATA tanhclamp<>+24(SB)/4, $0x41200000
DATA tanhclamp<>+28(SB)/4, $0x41200000
GLOBL tanhclamp<>(SB), RODATA|NOPTR, $32
DATA tanhlog2e<>+0(SB)/4, $0x3fb8aa3b
DATA tanhlog2e<>+4(SB)/4, $0x3fb8aa3b
DATA tanhlog2e<>+8(SB)/4, $0x3fb8aa3b
DATA tanhlog2e<>+12(SB)/4, $0x3fb8aa3b
DATA tanhlog2e<>+16(SB)/4, $0x3fb8aa3b
DATA tanhlog2e<>+20(SB)/4, $0x3fb8aa3b
DATA tanhlog2e<>+24(SB)/4, $0x3fb8aa3b
DATA tanhlog2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL tanhlog2e<>(SB), RODATA|NOPTR, $32
DATA tanhhalf<>+0(SB)/4, $0x3f000000
DATA tanhhalf<>+4(SB)/4, $0x3f000000
DATA tanhhalf<>+8(SB)/4, $0x3f000000
DATA tanhhalf<>+12(SB)/4, $0x3f000000
DATA tanhhalf<>+16(SB)/4, $0x3f000000
DATA tanhhalf<>+20(SB)/4, $0x3f000000
DATA tanhhalf<>+24(SB)/4, $0x3f000000
DATA tanhhalf<>+28(SB)/4, $0x3f000000
GLOBL tanhhalf<>(SB), RODATA|NOPTR, $32
DATA tanhln2hi<>+0(SB)/4, $0x3f317200
DATA tanhln2hi<>+4(SB)/4, $0x3f317200
DATA tanhln2hi<>+8(SB)/4, $0x3f317200
DATA tanhln2hi<>+12(SB)/4, $0x3f317200
DATA tanhln2hi<>+16(SB)/4, $0x3f317200
DATA tanhln2hi<>+20(SB)/4, $0x3f317200
DATA tanhln2hi<>+24(SB)/4, $0x3f317200
DATA tanhln2hi<>+28(SB)/4, $0x3f317200
GLOBL tanhln2hi<>(SB), RODATA|NOPTR, $32
DATA tanhln2lo<>+0(SB)/4, $0x35bfbe8e
DATA tanhln2lo<>+4(SB)/4, $0x35bfbe8e
DATA tanhln2lo<>+8(SB)/4, $0x35bfbe8e
DATA tanhln2lo<>+12(SB)/4, $0x35bfbe8e
DATA tanhln2lo<>+16(SB)/4, $0x35bfbe8e
DATA tanhln2lo<>+20(SB)/4, $0x35bfbe8e
DATA tanhln2lo<>+24(SB)/4, $0x35bfbe8e
DATA tanhln2lo<>+28(SB)/4, $0x35bfbe8e
GLOBL tanhln2lo<>(SB), RODATA|NOPTR, $32
DATA expc3<>+0(SB)/4, $0x3e2aaaab
DATA expc3<>+4(SB)/4, $0x3e2aaaab
DATA expc3<>+8(SB)/4, $0x3e2aaaab
DATA expc3<>+12(SB)/4, $0x3e2aaaab
DATA expc3<>+16(SB)/4, $0x3e2aaaab
DATA expc3<>+20(SB)/4, $0x3e2aaaab
DATA expc3<>+24(SB)/4, $0x3e2aaaab
DATA expc3<>+28(SB)/4, $0x3e2aaaab
GLOBL expc3<>(SB), RODATA|NOPTR, $32
DATA expc4<>+0(SB)/4, $0x3d2aaaab
DATA expc4<>+4(SB)/4, $0x3d2aaaab
DATA expc4<>+8(SB)/4, $0x3d2aaaab
DATA expc4<>+12(SB)/4, $0x3d2aaaab
DATA expc4<>+16(SB)/4, $0x3d2aaaab
DATA expc4<>+20(SB)/4, $0x3d2aaaab
DATA expc4<>+24(SB)/4, $0x3d2aaaab
DATA expc4<>+28(SB)/4, $0x3d2aaaab
GLOBL expc4<>(SB), RODATA|NOPTR, $32
DATA expc5<>+0(SB)/4, $0x3c088889
DATA expc5<>+4(SB)/4, $0x3c088889
DATA expc5<>+8(SB)/4, $0x3c088889
DATA expc5<>+12(SB)/4, $0x3c088889
DATA expc5<>+16(SB)/4, $0x3c088889
DATA expc5<>+20(SB)/4, $0x3c088889
DATA expc5<>+24(SB)/4, $0x3c088889
DATA expc5<>+28(SB)/4, $0x3c088889
GLOBL expc5<>(SB), RODATA|NOPTR, $32
DATA expc6<>+0(SB)/4, $0x3ab60b61
DATA expc6<>+4(SB)/4, $0x3ab60b61
DATA expc6<>+8(SB)/4, $0x3ab60b61
DATA expc6<>+12(SB)/4, $0x3ab60b61
DATA expc6<>+16(SB)/4, $0x3ab60b61
DATA expc6<>+20(SB)/4, $0x3ab60b61
DATA expc6<>+24(SB)/4, $0x3ab60b61
DATA expc6<>+28(SB)/4, $0x3ab60b61
GLOBL expc6<>(SB), RODATA|NOPTR, $32
DATA expc7<>+0(SB)/4, $0x39500d01
DATA expc7<>+4(SB)/4, $0x39500d01
DATA expc7<>+8(SB)/4, $0x39500d01
DATA expc7<>+12(SB)/4, $0x39500d01
DATA expc7<>+16(SB)/4, $0x39500d01
DATA expc7<>+20(SB)/4, $0x39500d01
DATA expc7<>+24(SB)/4, $0x39500d01
DATA expc7<>+28(SB)/4, $0x39500d01
GLOBL expc7<>(SB), RODATA|NOPTR, $32
DATA tanhone<>+0(SB)/4, $0x3f800000
DATA tanhone<>+4(SB)/4, $0x3f800000
DATA tanhone<>+8(SB)/4, $0x3f800000
DATA tanhone<>+12(SB)/4, $0x3f800000
DATA tanhone<>+16(SB)/4, $0x3f800000
DATA tanhone<>+20(SB)/4, $0x3f800000
DATA tanhone<>+24(SB)/4, $0x3f800000
DATA tanhone<>+28(SB)/4, $0x3f800000
GLOBL tanhone<>(SB), RODATA|NOPTR, $32
DATA tanhtwo<>+0(SB)/4, $0x40000000
DATA tanhtwo<>+4(SB)/4, $0x40000000
DATA tanhtwo<>+8(SB)/4, $0x40000000
DATA tanhtwo<>+12(SB)/4, $0x40000000
DATA tanhtwo<>+16(SB)/4, $0x40000000
DATA tanhtwo<>+20(SB)/4, $0x40000000
DATA tanhtwo<>+24(SB)/4, $0x40000000
DATA tanhtwo<>+28(SB)/4, $0x40000000
GLOBL tanhtwo<>(SB), RODATA|NOPTR, $32
DATA tanhbias<>+0(SB)/4, $0x0000007f
DATA tanhbias<>+4(SB)/4, $0x0000007f
DATA tanhbias<>+8(SB)/4, $0x0000007f
DATA tanhbias<>+12(SB)/4, $0x0000007f
DATA tanhbias<>+16(SB)/4, $0x0000007f
DATA tanhbias<>+20(SB)/4, $0x0000007f
DATA tanhbias<>+24(SB)/4, $0x0000007f
DATA tanhbias<>+28(SB)/4, $0x0000007f
GLOBL tanhbias<>(SB), RODATA|NOPTR, $32

// func sdotAVX2(x, y []float32) float32
TEXT ·sdotAVX2(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	SHRQ   $3, CX

dot32:
	CMPQ        CX, $4
	JB          dot8
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $4, CX
	JMP         dot32

dot8:
	TESTQ       CX, CX
	JZ          dotreduce
	VMOVUPS     (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JMP         dot8

dotreduce:
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	VZEROUPPER
	MOVSS        X0, ret+48(FP)
	RET

// func saxpyAVX2(alpha float32, x, y []float32)
TEXT ·saxpyAVX2(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	SHRQ         $3, CX
	JZ           axpydone

axpyloop:
	VMULPS  (SI), Y0, Y1
	VADDPS  (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     axpyloop

axpydone:
	VZEROUPPER
	RET

// func sscalAVX2(alpha float32, x []float32)
TEXT ·sscalAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ         x_base+8(FP), DI
	MOVQ         x_len+16(FP), CX
	SHRQ         $3, CX
	JZ           scaldone

scalloop:
	VMULPS  (DI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, DI
	DECQ    CX
	JNZ     scalloop

scaldone:
	VZEROUPPER
	RET

// func vaddAVX2(z, b []float32)
TEXT ·vaddAVX2(SB), NOSPLIT, $0-48
	MOVQ z_base+0(FP), DI
	MOVQ z_len+8(FP), CX
	MOVQ b_base+24(FP), SI
	SHRQ $3, CX
	JZ   vadddone

vaddloop:
	VMOVUPS (DI), Y1
	VADDPS  (SI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     vaddloop

vadddone:
	VZEROUPPER
	RET

// TANH8(x) replaces the eight floats in x with tanh32 of them, operation for
// operation as in kernels_generic.go (a VFMADD wherever it calls fma32). It
// clobbers Y8–Y15.
#define TANH8(x) \
	VANDPS      tanhabs<>(SB), x, Y8 \
	VANDPS      tanhsign<>(SB), x, Y9 \
	VMOVUPS     tanhclamp<>(SB), Y10 \
	VMINPS      Y8, Y10, Y8 \
	VADDPS      Y8, Y8, Y8 \
	VMOVUPS     tanhhalf<>(SB), Y10 \
	VFMADD231PS tanhlog2e<>(SB), Y8, Y10 \
	VCVTTPS2DQ  Y10, Y10 \
	VCVTDQ2PS   Y10, Y11 \
	VMULPS      tanhln2hi<>(SB), Y11, Y12 \
	VSUBPS      Y8, Y12, Y12 \
	VFMADD231PS tanhln2lo<>(SB), Y11, Y12 \
	VMULPS      Y12, Y12, Y13 \
	VMOVUPS     expc7<>(SB), Y14 \
	VFMADD213PS expc6<>(SB), Y12, Y14 \
	VFMADD213PS expc5<>(SB), Y12, Y14 \
	VFMADD213PS expc4<>(SB), Y12, Y14 \
	VFMADD213PS expc3<>(SB), Y12, Y14 \
	VFMADD213PS tanhhalf<>(SB), Y12, Y14 \
	VFMADD213PS Y12, Y13, Y14 \
	VMOVUPS     tanhbias<>(SB), Y15 \
	VPSUBD      Y10, Y15, Y10 \
	VPSLLD      $23, Y10, Y10 \
	VSUBPS      tanhone<>(SB), Y10, Y11 \
	VFMADD213PS Y11, Y10, Y14 \
	VADDPS      tanhtwo<>(SB), Y14, Y15 \
	VDIVPS      Y15, Y14, Y14 \
	VANDPS      tanhabs<>(SB), Y14, Y14 \
	VORPS       Y9, Y14, x

// func vaddTanhAVX2(z, b []float32)
TEXT ·vaddTanhAVX2(SB), NOSPLIT, $0-48
	MOVQ z_base+0(FP), DI
	MOVQ z_len+8(FP), CX
	MOVQ b_base+24(FP), SI
	SHRQ $3, CX
	JZ   vtanhdone

vtanhloop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	TANH8(Y0)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     vtanhloop

vtanhdone:
	VZEROUPPER
	RET

// func tanhGradAVX2(dz, y []float32)
TEXT ·tanhGradAVX2(SB), NOSPLIT, $0-48
	MOVQ    dz_base+0(FP), DI
	MOVQ    dz_len+8(FP), CX
	MOVQ    y_base+24(FP), SI
	VMOVUPS tanhone<>(SB), Y0
	SHRQ    $3, CX
	JZ      tgraddone

tgradloop:
	VMOVUPS (SI), Y1
	VMULPS  Y1, Y1, Y1
	VSUBPS  Y1, Y0, Y1
	VMULPS  (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     tgradloop

tgraddone:
	VZEROUPPER
	RET

// func reparamAVX2(w, mu, sigma, eps []float32)
TEXT ·reparamAVX2(SB), NOSPLIT, $0-96
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ mu_base+24(FP), SI
	MOVQ sigma_base+48(FP), DX
	MOVQ eps_base+72(FP), BX
	SHRQ $3, CX
	JZ   reparamdone

reparamloop:
	VMOVUPS (DX), Y1
	VMULPS  (BX), Y1, Y1
	VADDPS  (SI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	ADDQ    $32, BX
	DECQ    CX
	JNZ     reparamloop

reparamdone:
	VZEROUPPER
	RET

// func fmaPeakAVX512(n int)
TEXT ·fmaPeakAVX512(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11

z512peakloop:
	VFMADD231PS Z30, Z31, Z0
	VFMADD231PS Z30, Z31, Z1
	VFMADD231PS Z30, Z31, Z2
	VFMADD231PS Z30, Z31, Z3
	VFMADD231PS Z30, Z31, Z4
	VFMADD231PS Z30, Z31, Z5
	VFMADD231PS Z30, Z31, Z6
	VFMADD231PS Z30, Z31, Z7
	VFMADD231PS Z30, Z31, Z8
	VFMADD231PS Z30, Z31, Z9
	VFMADD231PS Z30, Z31, Z10
	VFMADD231PS Z30, Z31, Z11
	DECQ CX
	JNZ  z512peakloop
	VZEROUPPER
	RET

// func fmaPeakAVX2(n int)
TEXT ·fmaPeakAVX2(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), CX
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

avx2peakloop:
	VFMADD231PS Y14, Y15, Y0
	VFMADD231PS Y14, Y15, Y1
	VFMADD231PS Y14, Y15, Y2
	VFMADD231PS Y14, Y15, Y3
	VFMADD231PS Y14, Y15, Y4
	VFMADD231PS Y14, Y15, Y5
	VFMADD231PS Y14, Y15, Y6
	VFMADD231PS Y14, Y15, Y7
	VFMADD231PS Y14, Y15, Y8
	VFMADD231PS Y14, Y15, Y9
	VFMADD231PS Y14, Y15, Y10
	VFMADD231PS Y14, Y15, Y11
	DECQ CX
	JNZ  avx2peakloop
	VZEROUPPER
	RET

// func packT8AVX2(dst *float32, ldd int, src *float32, lds int, blocks int)
TEXT ·packT8AVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ ldd+8(FP), R9
	SHLQ $2, R9
	MOVQ src+16(FP), SI
	MOVQ lds+24(FP), R8
	SHLQ $2, R8
	MOVQ blocks+32(FP), CX
	LEAQ (R8)(R8*2), R11
	LEAQ (SI)(R8*4), R12
	LEAQ (R9)(R9*2), R13
	LEAQ (DI)(R9*4), R14
	TESTQ CX, CX
	JZ   packtdone

packtloop:
	VMOVUPS     (SI), Y0
	VMOVUPS     (SI)(R8*1), Y1
	VMOVUPS     (SI)(R8*2), Y2
	VMOVUPS     (SI)(R11*1), Y3
	VMOVUPS     (R12), Y4
	VMOVUPS     (R12)(R8*1), Y5
	VMOVUPS     (R12)(R8*2), Y6
	VMOVUPS     (R12)(R11*1), Y7
	VUNPCKLPS   Y1, Y0, Y8
	VUNPCKHPS   Y1, Y0, Y9
	VUNPCKLPS   Y3, Y2, Y10
	VUNPCKHPS   Y3, Y2, Y11
	VUNPCKLPS   Y5, Y4, Y12
	VUNPCKHPS   Y5, Y4, Y13
	VUNPCKLPS   Y7, Y6, Y14
	VUNPCKHPS   Y7, Y6, Y15
	VSHUFPS     $0x44, Y10, Y8, Y0
	VSHUFPS     $0xEE, Y10, Y8, Y1
	VSHUFPS     $0x44, Y11, Y9, Y2
	VSHUFPS     $0xEE, Y11, Y9, Y3
	VSHUFPS     $0x44, Y14, Y12, Y4
	VSHUFPS     $0xEE, Y14, Y12, Y5
	VSHUFPS     $0x44, Y15, Y13, Y6
	VSHUFPS     $0xEE, Y15, Y13, Y7
	VPERM2F128  $0x20, Y4, Y0, Y8
	VPERM2F128  $0x20, Y5, Y1, Y9
	VPERM2F128  $0x20, Y6, Y2, Y10
	VPERM2F128  $0x20, Y7, Y3, Y11
	VPERM2F128  $0x31, Y4, Y0, Y12
	VPERM2F128  $0x31, Y5, Y1, Y13
	VPERM2F128  $0x31, Y6, Y2, Y14
	VPERM2F128  $0x31, Y7, Y3, Y15
	VMOVUPS     Y8, (DI)
	VMOVUPS     Y9, (DI)(R9*1)
	VMOVUPS     Y10, (DI)(R9*2)
	VMOVUPS     Y11, (DI)(R13*1)
	VMOVUPS     Y12, (R14)
	VMOVUPS     Y13, (R14)(R9*1)
	VMOVUPS     Y14, (R14)(R9*2)
	VMOVUPS     Y15, (R14)(R13*1)
	ADDQ        $32, SI
	ADDQ        $32, R12
	LEAQ        (DI)(R9*8), DI
	LEAQ        (R14)(R9*8), R14
	DECQ        CX
	JNZ         packtloop

packtdone:
	VZEROUPPER
	RET

// The AVX-512 elementwise kernels below run over the whole slice: full
// 16-lane blocks with K1 all ones, then one block with K1 masking the tail,
// whose masked-out lanes are neither read nor written.
//
// Z512MASK(done) sets K1 for the next block of the CX elements left, or jumps
// to done when none are left. It clobbers AX.
#define Z512MASK(done) \
	MOVL  $0xffff, AX \
	CMPQ  CX, $16 \
	JGE   6(PC) \
	TESTQ CX, CX \
	JLE   done \
	SHLL  CX, AX \
	NOTL  AX \
	ANDL  $0xffff, AX \
	KMOVW AX, K1

// func saxpyAVX512(alpha float32, x, y []float32)
TEXT ·saxpyAVX512(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), Z0
	MOVQ x_base+8(FP), SI
	MOVQ x_len+16(FP), CX
	MOVQ y_base+32(FP), DI

saxpyavx512loop:
	Z512MASK(saxpyavx512done)
	VMOVUPS.Z (SI), K1, Z1
	VMOVUPS.Z (DI), K1, Z2
	VMULPS Z1, Z0, Z1
	VADDPS Z2, Z1, Z1
	VMOVUPS Z1, K1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  saxpyavx512loop

saxpyavx512done:
	VZEROUPPER
	RET

// func sscalAVX512(alpha float32, x []float32)
TEXT ·sscalAVX512(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Z0
	MOVQ x_base+8(FP), DI
	MOVQ x_len+16(FP), CX

sscalavx512loop:
	Z512MASK(sscalavx512done)
	VMOVUPS.Z (DI), K1, Z1
	VMULPS Z1, Z0, Z1
	VMOVUPS Z1, K1, (DI)
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  sscalavx512loop

sscalavx512done:
	VZEROUPPER
	RET

// func vaddAVX512(z, b []float32)
TEXT ·vaddAVX512(SB), NOSPLIT, $0-48
	MOVQ z_base+0(FP), DI
	MOVQ z_len+8(FP), CX
	MOVQ b_base+24(FP), SI

vaddavx512loop:
	Z512MASK(vaddavx512done)
	VMOVUPS.Z (DI), K1, Z1
	VMOVUPS.Z (SI), K1, Z2
	VADDPS Z2, Z1, Z1
	VMOVUPS Z1, K1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  vaddavx512loop

vaddavx512done:
	VZEROUPPER
	RET

// func tanhGradAVX512(dz, y []float32)
TEXT ·tanhGradAVX512(SB), NOSPLIT, $0-48
	MOVQ dz_base+0(FP), DI
	MOVQ dz_len+8(FP), CX
	MOVQ y_base+24(FP), SI
	VBROADCASTSS tanhone<>(SB), Z0

tanhgradavx512loop:
	Z512MASK(tanhgradavx512done)
	VMOVUPS.Z (SI), K1, Z1
	VMOVUPS.Z (DI), K1, Z2
	VMULPS Z1, Z1, Z1
	VSUBPS Z1, Z0, Z1
	VMULPS Z2, Z1, Z1
	VMOVUPS Z1, K1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  tanhgradavx512loop

tanhgradavx512done:
	VZEROUPPER
	RET

// func reparamAVX512(w, mu, sigma, eps []float32)
TEXT ·reparamAVX512(SB), NOSPLIT, $0-96
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ mu_base+24(FP), SI
	MOVQ sigma_base+48(FP), DX
	MOVQ eps_base+72(FP), BX

reparamavx512loop:
	Z512MASK(reparamavx512done)
	VMOVUPS.Z (DX), K1, Z1
	VMOVUPS.Z (BX), K1, Z2
	VMOVUPS.Z (SI), K1, Z3
	VMULPS Z2, Z1, Z1
	VADDPS Z3, Z1, Z1
	VMOVUPS Z1, K1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, BX
	SUBQ $16, CX
	JMP  reparamavx512loop

reparamavx512done:
	VZEROUPPER
	RET

// Z512TANH(x, a, sg, q, q2, p, n, nf, X, A, SG, Q, Q2, P, N, NF) computes
// tanh32 of the 16 floats in x into p and of those in X into P, the two
// vectors interleaved instruction by instruction for more parallelism, with
// the constants of vaddTanhAVX512 and the other registers as scratch. The
// VFMSUB213PS computes nf·ln2hi − y, which is exact (as in tanh32).
#define Z512TANH(x, a, sg, q, q2, p, n, nf, X, A, SG, Q, Q2, P, N, NF) \
	VPANDD      Z10, x, a \
	VPANDD      Z10, X, A \
	VPANDD      Z11, x, sg \
	VPANDD      Z11, X, SG \
	VMINPS      a, Z13, a \
	VMINPS      A, Z13, A \
	VADDPS      a, a, a \
	VADDPS      A, A, A \
	VMOVAPS     Z15, q \
	VMOVAPS     Z15, Q \
	VFMADD231PS Z14, a, q \
	VFMADD231PS Z14, A, Q \
	VCVTTPS2DQ  q, n \
	VCVTTPS2DQ  Q, N \
	VCVTDQ2PS   n, nf \
	VCVTDQ2PS   N, NF \
	VMOVAPS     nf, q \
	VMOVAPS     NF, Q \
	VFMSUB213PS a, Z16, q \
	VFMSUB213PS A, Z16, Q \
	VFMADD231PS Z17, nf, q \
	VFMADD231PS Z17, NF, Q \
	VMULPS      q, q, q2 \
	VMULPS      Q, Q, Q2 \
	VMOVAPS     Z28, p \
	VMOVAPS     Z28, P \
	VFMADD213PS Z27, q, p \
	VFMADD213PS Z27, Q, P \
	VFMADD213PS Z26, q, p \
	VFMADD213PS Z26, Q, P \
	VFMADD213PS Z25, q, p \
	VFMADD213PS Z25, Q, P \
	VFMADD213PS Z24, q, p \
	VFMADD213PS Z24, Q, P \
	VFMADD213PS Z15, q, p \
	VFMADD213PS Z15, Q, P \
	VFMADD213PS q, q2, p \
	VFMADD213PS Q, Q2, P \
	VPSUBD      n, Z31, n \
	VPSUBD      N, Z31, N \
	VPSLLD      $23, n, n \
	VPSLLD      $23, N, N \
	VSUBPS      Z29, n, nf \
	VSUBPS      Z29, N, NF \
	VFMADD213PS nf, n, p \
	VFMADD213PS NF, N, P \
	VADDPS      Z30, p, n \
	VADDPS      Z30, P, N \
	VDIVPS      n, p, p \
	VDIVPS      N, P, P \
	VPANDD      Z10, p, p \
	VPANDD      Z10, P, P \
	VPORD       sg, p, p \
	VPORD       SG, P, P

// vaddTanhAVX512 keeps the tanh32 constants in Z10, Z11, Z13–Z17 and
// Z24–Z31 and computes with the others (Z512TANH), operation for operation
// as TANH8: two full vectors at a time, then masked single vectors (the
// second lane set of Z512TANH then repeats the first). It walks z row by row (R13: row
// start, R10: elements left, R12: the row length len(b)), so the constants
// are loaded once per matrix.
// func vaddTanhAVX512(z, b []float32)
TEXT ·vaddTanhAVX512(SB), NOSPLIT, $0-48
	MOVQ         z_base+0(FP), R13
	MOVQ         z_len+8(FP), R10
	MOVQ         b_base+24(FP), R11
	MOVQ         b_len+32(FP), R12
	TESTQ        R12, R12
	JZ           vaddtanhavx512done
	VBROADCASTSS tanhabs<>(SB), Z10
	VBROADCASTSS tanhsign<>(SB), Z11
	VBROADCASTSS tanhclamp<>(SB), Z13
	VBROADCASTSS tanhlog2e<>(SB), Z14
	VBROADCASTSS tanhhalf<>(SB), Z15
	VBROADCASTSS tanhln2hi<>(SB), Z16
	VBROADCASTSS tanhln2lo<>(SB), Z17
	VBROADCASTSS expc3<>(SB), Z24
	VBROADCASTSS expc4<>(SB), Z25
	VBROADCASTSS expc5<>(SB), Z26
	VBROADCASTSS expc6<>(SB), Z27
	VBROADCASTSS expc7<>(SB), Z28
	VBROADCASTSS tanhone<>(SB), Z29
	VBROADCASTSS tanhtwo<>(SB), Z30
	VBROADCASTSS tanhbias<>(SB), Z31

vaddtanhavx512row:
	CMPQ R10, R12
	JLT  vaddtanhavx512done
	SUBQ R12, R10
	MOVQ R13, DI
	MOVQ R11, SI
	MOVQ R12, CX
	LEAQ (R13)(R12*4), R13

vaddtanhavx512pair:
	CMPQ     CX, $32
	JLT      vaddtanhavx512loop
	VMOVUPS  (DI), Z0
	VMOVUPS  64(DI), Z18
	VADDPS   (SI), Z0, Z0
	VADDPS   64(SI), Z18, Z18
	Z512TANH(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z18, Z19, Z20, Z21, Z22, Z23, Z12, Z9)
	VMOVUPS  Z5, (DI)
	VMOVUPS  Z23, 64(DI)
	ADDQ     $128, SI
	ADDQ     $128, DI
	SUBQ     $32, CX
	JMP      vaddtanhavx512pair

vaddtanhavx512loop:
	Z512MASK(vaddtanhavx512row)
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z18
	VADDPS    Z18, Z0, Z0
	VMOVAPS   Z0, Z18
	Z512TANH(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z18, Z19, Z20, Z21, Z22, Z23, Z12, Z9)
	VMOVUPS   Z5, K1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       vaddtanhavx512loop

vaddtanhavx512done:
	VZEROUPPER
	RET


// Z512MSTOREBETA and Z512MSTORE are Z512STOREBETA and Z512STORE for a row
// whose columns are masked by K1 (first 16) and K2 (last 16).
#define Z512MSTOREBETA(acc0, acc1) \
	VMOVUPS.Z   (DI), K1, Z28 \
	VMOVUPS.Z   64(DI), K2, Z29 \
	VFMADD231PS Z28, Z31, acc0 \
	VFMADD231PS Z29, Z31, acc1 \
	VMOVUPS     acc0, K1, (DI) \
	VMOVUPS     acc1, K2, 64(DI) \
	ADDQ        R9, DI

#define Z512MSTORE(acc0, acc1) \
	VMOVUPS acc0, K1, (DI) \
	VMOVUPS acc1, K2, 64(DI) \
	ADDQ    R9, DI

// sgemmKern8x32MaskAVX512 is sgemmKern8x32AVX512 for the column strip at the
// right edge: bit j of mask says whether column j exists. Columns that do
// not are neither read from B nor read or written in C.
//
// func sgemmKern8x32MaskAVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mask uint32)
TEXT ·sgemmKern8x32MaskAVX512(SB), NOSPLIT, $0-76
	MOVL  mask+72(FP), AX
	KMOVW AX, K1
	SHRL  $16, AX
	KMOVW AX, K2
	MOVQ  k+0(FP), CX
	MOVQ  a+8(FP), SI
	MOVQ  rsa+16(FP), R8
	SHLQ  $2, R8
	MOVQ  csa+24(FP), R10
	SHLQ  $2, R10
	LEAQ  (R8)(R8*2), R11
	LEAQ  (SI)(R8*4), R12
	MOVQ  b+32(FP), DX
	MOVQ  ldb+40(FP), R9
	SHLQ  $2, R9
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15

z512mgemmloop:
	VMOVUPS.Z (DX), K1, Z16
	VMOVUPS.Z 64(DX), K2, Z17
	Z512ROW((SI), Z18, Z0, Z1)
	Z512ROW((SI)(R8*1), Z19, Z2, Z3)
	Z512ROW((SI)(R8*2), Z20, Z4, Z5)
	Z512ROW((SI)(R11*1), Z21, Z6, Z7)
	Z512ROW((R12), Z22, Z8, Z9)
	Z512ROW((R12)(R8*1), Z23, Z10, Z11)
	Z512ROW((R12)(R8*2), Z24, Z12, Z13)
	Z512ROW((R12)(R11*1), Z25, Z14, Z15)
	ADDQ    R10, SI
	ADDQ    R10, R12
	ADDQ    R9, DX
	DECQ    CX
	JNZ     z512mgemmloop

	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), R9
	SHLQ         $2, R9
	VBROADCASTSS alpha+64(FP), Z30
	VMULPS Z30, Z0, Z0
	VMULPS Z30, Z1, Z1
	VMULPS Z30, Z2, Z2
	VMULPS Z30, Z3, Z3
	VMULPS Z30, Z4, Z4
	VMULPS Z30, Z5, Z5
	VMULPS Z30, Z6, Z6
	VMULPS Z30, Z7, Z7
	VMULPS Z30, Z8, Z8
	VMULPS Z30, Z9, Z9
	VMULPS Z30, Z10, Z10
	VMULPS Z30, Z11, Z11
	VMULPS Z30, Z12, Z12
	VMULPS Z30, Z13, Z13
	VMULPS Z30, Z14, Z14
	VMULPS Z30, Z15, Z15
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           z512mgemmoverwrite
	VBROADCASTSS beta+68(FP), Z31
	Z512MSTOREBETA(Z0, Z1)
	Z512MSTOREBETA(Z2, Z3)
	Z512MSTOREBETA(Z4, Z5)
	Z512MSTOREBETA(Z6, Z7)
	Z512MSTOREBETA(Z8, Z9)
	Z512MSTOREBETA(Z10, Z11)
	Z512MSTOREBETA(Z12, Z13)
	Z512MSTOREBETA(Z14, Z15)
	VZEROUPPER
	RET

z512mgemmoverwrite:
	Z512MSTORE(Z0, Z1)
	Z512MSTORE(Z2, Z3)
	Z512MSTORE(Z4, Z5)
	Z512MSTORE(Z6, Z7)
	Z512MSTORE(Z8, Z9)
	Z512MSTORE(Z10, Z11)
	Z512MSTORE(Z12, Z13)
	Z512MSTORE(Z14, Z15)
	VZEROUPPER
	RET

// func sgemmKern6x32AVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·sgemmKern6x32AVX512(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rsa+16(FP), R8
	SHLQ $2, R8
	MOVQ csa+24(FP), R10
	SHLQ $2, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (SI)(R8*4), R12
	MOVQ b+32(FP), DX
	MOVQ ldb+40(FP), R9
	SHLQ $2, R9
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11

z512r6loop:
	VMOVUPS (DX), Z16
	VMOVUPS 64(DX), Z17
	Z512ROW((SI), Z18, Z0, Z1)
	Z512ROW((SI)(R8*1), Z19, Z2, Z3)
	Z512ROW((SI)(R8*2), Z20, Z4, Z5)
	Z512ROW((SI)(R11*1), Z21, Z6, Z7)
	Z512ROW((R12), Z22, Z8, Z9)
	Z512ROW((R12)(R8*1), Z23, Z10, Z11)
	ADDQ    R10, SI
	ADDQ    R10, R12
	ADDQ    R9, DX
	DECQ    CX
	JNZ     z512r6loop

	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), R9
	SHLQ         $2, R9
	VBROADCASTSS alpha+64(FP), Z30
	VMULPS Z30, Z0, Z0
	VMULPS Z30, Z1, Z1
	VMULPS Z30, Z2, Z2
	VMULPS Z30, Z3, Z3
	VMULPS Z30, Z4, Z4
	VMULPS Z30, Z5, Z5
	VMULPS Z30, Z6, Z6
	VMULPS Z30, Z7, Z7
	VMULPS Z30, Z8, Z8
	VMULPS Z30, Z9, Z9
	VMULPS Z30, Z10, Z10
	VMULPS Z30, Z11, Z11
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           z512r6overwrite
	VBROADCASTSS beta+68(FP), Z31
	Z512STOREBETA(Z0, Z1)
	Z512STOREBETA(Z2, Z3)
	Z512STOREBETA(Z4, Z5)
	Z512STOREBETA(Z6, Z7)
	Z512STOREBETA(Z8, Z9)
	Z512STOREBETA(Z10, Z11)
	VZEROUPPER
	RET

z512r6overwrite:
	Z512STORE(Z0, Z1)
	Z512STORE(Z2, Z3)
	Z512STORE(Z4, Z5)
	Z512STORE(Z6, Z7)
	Z512STORE(Z8, Z9)
	Z512STORE(Z10, Z11)
	VZEROUPPER
	RET

// func sgemmKern6x32MaskAVX512(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mask uint32)
TEXT ·sgemmKern6x32MaskAVX512(SB), NOSPLIT, $0-76
	MOVL  mask+72(FP), AX
	KMOVW AX, K1
	SHRL  $16, AX
	KMOVW AX, K2
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rsa+16(FP), R8
	SHLQ $2, R8
	MOVQ csa+24(FP), R10
	SHLQ $2, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (SI)(R8*4), R12
	MOVQ b+32(FP), DX
	MOVQ ldb+40(FP), R9
	SHLQ $2, R9
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11

z512r6mloop:
	VMOVUPS.Z (DX), K1, Z16
	VMOVUPS.Z 64(DX), K2, Z17
	Z512ROW((SI), Z18, Z0, Z1)
	Z512ROW((SI)(R8*1), Z19, Z2, Z3)
	Z512ROW((SI)(R8*2), Z20, Z4, Z5)
	Z512ROW((SI)(R11*1), Z21, Z6, Z7)
	Z512ROW((R12), Z22, Z8, Z9)
	Z512ROW((R12)(R8*1), Z23, Z10, Z11)
	ADDQ    R10, SI
	ADDQ    R10, R12
	ADDQ    R9, DX
	DECQ    CX
	JNZ     z512r6mloop

	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), R9
	SHLQ         $2, R9
	VBROADCASTSS alpha+64(FP), Z30
	VMULPS Z30, Z0, Z0
	VMULPS Z30, Z1, Z1
	VMULPS Z30, Z2, Z2
	VMULPS Z30, Z3, Z3
	VMULPS Z30, Z4, Z4
	VMULPS Z30, Z5, Z5
	VMULPS Z30, Z6, Z6
	VMULPS Z30, Z7, Z7
	VMULPS Z30, Z8, Z8
	VMULPS Z30, Z9, Z9
	VMULPS Z30, Z10, Z10
	VMULPS Z30, Z11, Z11
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           z512r6moverwrite
	VBROADCASTSS beta+68(FP), Z31
	Z512MSTOREBETA(Z0, Z1)
	Z512MSTOREBETA(Z2, Z3)
	Z512MSTOREBETA(Z4, Z5)
	Z512MSTOREBETA(Z6, Z7)
	Z512MSTOREBETA(Z8, Z9)
	Z512MSTOREBETA(Z10, Z11)
	VZEROUPPER
	RET

z512r6moverwrite:
	Z512MSTORE(Z0, Z1)
	Z512MSTORE(Z2, Z3)
	Z512MSTORE(Z4, Z5)
	Z512MSTORE(Z6, Z7)
	Z512MSTORE(Z8, Z9)
	Z512MSTORE(Z10, Z11)
	VZEROUPPER
	RET

// The Adam kernels load the eight adamCoeffs from k (R8) and update p, m
// and v in place, operation for operation as adamStepGeneric. A weight
// decay of ±0 selects the loop without the decay term.
//
// ADAMCORE(P, G, M, V, T, U, B1, C1, B2, C2, SS, IB, EP) computes the Adam
// update of one vector from p in P, g in G (decay already added), m in M
// and v in V, with β₁, 1−β₁, β₂, 1−β₂, the step size, 1/√(1−β₂ᵗ) and ε in
// the registers named, leaving the new p, m and v in P, M and V. It
// clobbers T and U.
#define ADAMCORE(P, G, M, V, T, U, B1, C1, B2, C2, SS, IB, EP) \
	VMULPS  B1, M, M \
	VMULPS  C1, G, T \
	VADDPS  T, M, M \
	VMULPS  B2, V, V \
	VMULPS  C2, G, T \
	VMULPS  G, T, T \
	VADDPS  T, V, V \
	VSQRTPS V, T \
	VMULPS  IB, T, T \
	VADDPS  EP, T, T \
	VMULPS  SS, M, U \
	VDIVPS  T, U, U \
	VSUBPS  U, P, P

#define ADAMCORE512 ADAMCORE(Z0, Z1, Z2, Z3, Z4, Z5, Z8, Z9, Z10, Z11, Z13, Z14, Z15)
#define ADAMCORE256 ADAMCORE(Y0, Y1, Y2, Y3, Y4, Y5, Y8, Y9, Y10, Y11, Y13, Y14, Y15)

// func adamStepAVX512(p, g, m, v []float32, k *adamCoeffs)
TEXT ·adamStepAVX512(SB), NOSPLIT, $0-104
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         m_base+48(FP), DX
	MOVQ         v_base+72(FP), BX
	MOVQ         k+96(FP), R8
	VBROADCASTSS 0(R8), Z8
	VBROADCASTSS 4(R8), Z9
	VBROADCASTSS 8(R8), Z10
	VBROADCASTSS 12(R8), Z11
	VBROADCASTSS 16(R8), Z12
	VBROADCASTSS 20(R8), Z13
	VBROADCASTSS 24(R8), Z14
	VBROADCASTSS 28(R8), Z15
	MOVL         16(R8), R9
	ANDL         $0x7fffffff, R9
	JZ           adam512nowd

adam512wd:
	Z512MASK(adam512done)
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z1
	VMOVUPS.Z (DX), K1, Z2
	VMOVUPS.Z (BX), K1, Z3
	VMULPS    Z12, Z0, Z4
	VADDPS    Z4, Z1, Z1
	ADAMCORE512
	VMOVUPS   Z2, K1, (DX)
	VMOVUPS   Z3, K1, (BX)
	VMOVUPS   Z0, K1, (DI)
	ADDQ      $64, DI
	ADDQ      $64, SI
	ADDQ      $64, DX
	ADDQ      $64, BX
	SUBQ      $16, CX
	JMP       adam512wd

adam512nowd:
	Z512MASK(adam512done)
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z1
	VMOVUPS.Z (DX), K1, Z2
	VMOVUPS.Z (BX), K1, Z3
	ADAMCORE512
	VMOVUPS   Z2, K1, (DX)
	VMOVUPS   Z3, K1, (BX)
	VMOVUPS   Z0, K1, (DI)
	ADDQ      $64, DI
	ADDQ      $64, SI
	ADDQ      $64, DX
	ADDQ      $64, BX
	SUBQ      $16, CX
	JMP       adam512nowd

adam512done:
	VZEROUPPER
	RET

// func adamStepAVX2(p, g, m, v []float32, k *adamCoeffs)
TEXT ·adamStepAVX2(SB), NOSPLIT, $0-104
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         m_base+48(FP), DX
	MOVQ         v_base+72(FP), BX
	MOVQ         k+96(FP), R8
	VBROADCASTSS 0(R8), Y8
	VBROADCASTSS 4(R8), Y9
	VBROADCASTSS 8(R8), Y10
	VBROADCASTSS 12(R8), Y11
	VBROADCASTSS 16(R8), Y12
	VBROADCASTSS 20(R8), Y13
	VBROADCASTSS 24(R8), Y14
	VBROADCASTSS 28(R8), Y15
	SHRQ         $3, CX
	JZ           adam256done
	MOVL         16(R8), R9
	ANDL         $0x7fffffff, R9
	JZ           adam256nowd

adam256wd:
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMOVUPS (DX), Y2
	VMOVUPS (BX), Y3
	VMULPS  Y12, Y0, Y4
	VADDPS  Y4, Y1, Y1
	ADAMCORE256
	VMOVUPS Y2, (DX)
	VMOVUPS Y3, (BX)
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, BX
	DECQ    CX
	JNZ     adam256wd
	JMP     adam256done

adam256nowd:
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMOVUPS (DX), Y2
	VMOVUPS (BX), Y3
	ADAMCORE256
	VMOVUPS Y2, (DX)
	VMOVUPS Y3, (BX)
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, BX
	DECQ    CX
	JNZ     adam256nowd

adam256done:
	VZEROUPPER
	RET

// func tanhGradMaskedAVX512(dz, y, mask []float32)
TEXT ·tanhGradMaskedAVX512(SB), NOSPLIT, $0-72
	MOVQ         dz_base+0(FP), DI
	MOVQ         dz_len+8(FP), CX
	MOVQ         y_base+24(FP), SI
	MOVQ         mask_base+48(FP), DX
	VBROADCASTSS tanhone<>(SB), Z0

tgmaskavx512loop:
	Z512MASK(tgmaskavx512done)
	VMOVUPS.Z (DI), K1, Z1
	VMOVUPS.Z (DX), K1, Z3
	VMOVUPS.Z (SI), K1, Z2
	VMULPS    Z3, Z1, Z1
	VMULPS    Z2, Z2, Z2
	VSUBPS    Z2, Z0, Z2
	VMULPS    Z2, Z1, Z1
	VMOVUPS   Z1, K1, (DI)
	ADDQ      $64, DI
	ADDQ      $64, SI
	ADDQ      $64, DX
	SUBQ      $16, CX
	JMP       tgmaskavx512loop

tgmaskavx512done:
	VZEROUPPER
	RET

// func tanhGradMaskedAVX2(dz, y, mask []float32)
TEXT ·tanhGradMaskedAVX2(SB), NOSPLIT, $0-72
	MOVQ    dz_base+0(FP), DI
	MOVQ    dz_len+8(FP), CX
	MOVQ    y_base+24(FP), SI
	MOVQ    mask_base+48(FP), DX
	VMOVUPS tanhone<>(SB), Y0
	SHRQ    $3, CX
	JZ      tgmaskavx2done

tgmaskavx2loop:
	VMOVUPS (DI), Y1
	VMULPS  (DX), Y1, Y1
	VMOVUPS (SI), Y2
	VMULPS  Y2, Y2, Y2
	VSUBPS  Y2, Y0, Y2
	VMULPS  Y2, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     tgmaskavx2loop

tgmaskavx2done:
	VZEROUPPER
	RET

// The dropout kernels read bits as consecutive little-endian uint32s (the
// low half of each uint64 first), compare them unsigned with thr and
// select scale or 0 as the multiplier.
//
// func dropoutKeepAVX512(h, mask, y []float32, bits []uint64, thr uint32, scale float32)
TEXT ·dropoutKeepAVX512(SB), NOSPLIT, $0-104
	MOVQ         h_base+0(FP), DI
	MOVQ         mask_base+24(FP), DX
	MOVQ         y_base+48(FP), SI
	MOVQ         y_len+56(FP), CX
	MOVQ         bits_base+72(FP), BX
	MOVL         thr+96(FP), AX
	VMOVD        AX, X1
	VPBROADCASTD X1, Z1
	VBROADCASTSS scale+100(FP), Z2

dropavx512loop:
	Z512MASK(dropavx512done)
	VMOVDQU32.Z (BX), K1, Z3
	VMOVUPS.Z   (SI), K1, Z4
	VPCMPUD     $5, Z1, Z3, K1, K2
	VMOVUPS.Z   Z2, K2, Z5
	VMULPS      Z5, Z4, Z4
	VMOVUPS     Z5, K1, (DX)
	VMOVUPS     Z4, K1, (DI)
	ADDQ        $64, DI
	ADDQ        $64, DX
	ADDQ        $64, SI
	ADDQ        $64, BX
	SUBQ        $16, CX
	JMP         dropavx512loop

dropavx512done:
	VZEROUPPER
	RET

// func dropoutKeepAVX2(h, mask, y []float32, bits []uint64, thr uint32, scale float32)
TEXT ·dropoutKeepAVX2(SB), NOSPLIT, $0-104
	MOVQ         h_base+0(FP), DI
	MOVQ         mask_base+24(FP), DX
	MOVQ         y_base+48(FP), SI
	MOVQ         y_len+56(FP), CX
	MOVQ         bits_base+72(FP), BX
	MOVL         thr+96(FP), AX
	VMOVD        AX, X1
	VPBROADCASTD X1, Y1
	VBROADCASTSS scale+100(FP), Y2
	SHRQ         $3, CX
	JZ           dropavx2done

dropavx2loop:
	VMOVDQU  (BX), Y3
	VPMAXUD  Y1, Y3, Y4
	VPCMPEQD Y4, Y3, Y4
	VANDPS   Y2, Y4, Y4
	VMULPS   (SI), Y4, Y5
	VMOVUPS  Y4, (DX)
	VMOVUPS  Y5, (DI)
	ADDQ     $32, DI
	ADDQ     $32, DX
	ADDQ     $32, SI
	ADDQ     $32, BX
	DECQ     CX
	JNZ      dropavx2loop

dropavx2done:
	VZEROUPPER
	RET

// colDotAVX512 keeps 64 columns of y in Z0–Z3 (masked by K1–K4 at the
// right edge) while DX walks a down the rows and BX walks x.
//
// func colDotAVX512(y, a, x []float32, cols int)
TEXT ·colDotAVX512(SB), NOSPLIT, $0-80
	MOVQ y_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ x_base+48(FP), R8
	MOVQ x_len+56(FP), R9
	MOVQ cols+72(FP), R10
	MOVQ R10, R11
	SHLQ $2, R11
	XORQ R12, R12

coldotchunk:
	MOVQ R10, CX
	SUBQ R12, CX
	JLE  coldotdone
	MOVQ $-1, AX
	CMPQ CX, $64
	JGE  coldotmask
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX

coldotmask:
	KMOVW  AX, K1
	SHRQ   $16, AX
	KMOVW  AX, K2
	SHRQ   $16, AX
	KMOVW  AX, K3
	SHRQ   $16, AX
	KMOVW  AX, K4
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	LEAQ   (SI)(R12*4), DX
	MOVQ   R8, BX
	MOVQ   R9, CX
	TESTQ  CX, CX
	JZ     coldotstore

coldotrow:
	VBROADCASTSS (BX), Z4
	VMOVUPS.Z    (DX), K1, Z5
	VMOVUPS.Z    64(DX), K2, Z6
	VMOVUPS.Z    128(DX), K3, Z7
	VMOVUPS.Z    192(DX), K4, Z8
	VMULPS       Z4, Z5, Z5
	VMULPS       Z4, Z6, Z6
	VMULPS       Z4, Z7, Z7
	VMULPS       Z4, Z8, Z8
	VADDPS       Z5, Z0, Z0
	VADDPS       Z6, Z1, Z1
	VADDPS       Z7, Z2, Z2
	VADDPS       Z8, Z3, Z3
	ADDQ         $4, BX
	ADDQ         R11, DX
	DECQ         CX
	JNZ          coldotrow

coldotstore:
	LEAQ    (DI)(R12*4), DX
	VMOVUPS Z0, K1, (DX)
	VMOVUPS Z1, K2, 64(DX)
	VMOVUPS Z2, K3, 128(DX)
	VMOVUPS Z3, K4, 192(DX)
	ADDQ    $64, R12
	JMP     coldotchunk

coldotdone:
	VZEROUPPER
	RET

// outerAVX512 writes row r of z (starting at R13) as x[r]·w.
//
// func outerAVX512(z, x, w []float32)
TEXT ·outerAVX512(SB), NOSPLIT, $0-72
	MOVQ  z_base+0(FP), R13
	MOVQ  x_base+24(FP), R8
	MOVQ  x_len+32(FP), R9
	MOVQ  w_base+48(FP), R11
	MOVQ  w_len+56(FP), R10
	TESTQ R9, R9
	JZ    outerdone

outerrow:
	VBROADCASTSS (R8), Z0
	MOVQ         R13, DI
	MOVQ         R11, SI
	MOVQ         R10, CX

outercol:
	Z512MASK(outernext)
	VMOVUPS.Z (SI), K1, Z1
	VMULPS    Z1, Z0, Z1
	VMOVUPS   Z1, K1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       outercol

outernext:
	ADDQ $4, R8
	LEAQ (R13)(R10*4), R13
	DECQ R9
	JNZ  outerrow

outerdone:
	VZEROUPPER
	RET


// func gaussZigAVX512(dst *float32, blocks int, s *uint64) int
//
// R11 holds the state, Z30 the offsets k·gaussInc (k = 1…8), R12 8·gaussInc.
// The 128-bit product x·y of each lane (x = state, y = x ^ gaussMix) is
// built from xl·yl, xl·yh, xh·yl and xh·yh (VPMULUDQ); hi ^ lo gives the
// 64 random bits, read as 16 dwords (the low half of output k in lane 2k).
// zigK and zigW come from one gather of zigKW per eight lanes, split into
// even and odd dwords (VPERMI2D with gausseven, gaussodd in Z23, Z22).
TEXT ·gaussZigAVX512(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         blocks+8(FP), CX
	MOVQ         s+16(FP), R10
	MOVQ         (R10), R11
	MOVQ         ·gaussSteps+56(SB), R12
	LEAQ         ·zigKW(SB), R8
	XORQ         AX, AX
	VMOVDQU32    gausseven<>(SB), Z23
	VMOVDQU32    gaussodd<>(SB), Z22
	VMOVDQU64    ·gaussSteps(SB), Z30
	VPBROADCASTQ gaussmix<>(SB), Z29
	VPBROADCASTQ gausslo32<>(SB), Z28
	VPBROADCASTD gaussbyte<>(SB), Z27
	VPBROADCASTD gaussmant<>(SB), Z26
	VPBROADCASTD gausssign<>(SB), Z25
	TESTQ        CX, CX
	JZ           gauss512done

gauss512loop:
	GAUSS512BLOCK
	KORTESTW     K3, K3
	JCC          gauss512slow
	ADDQ         R12, R11
	ADDQ         $64, DI
	ADDQ         $16, AX
	DECQ         CX
	JNZ          gauss512loop
	JMP          gauss512done

gauss512slow:
	KMOVW        K3, BX
	NOTL         BX
	BSFL         BX, BX
	SHRL         $1, BX
	LEAQ         (AX)(BX*2), AX
	IMULQ        ·gaussSteps(SB), BX
	ADDQ         BX, R11

gauss512done:
	MOVQ       R11, (R10)
	MOVQ       AX, ret+24(FP)
	VZEROUPPER
	RET

// func gaussZigAVX2(dst *float32, blocks int, s *uint64) int
//
// gaussZigAVX512 with four outputs (eight draws) a block; Y15 holds the
// offsets k·gaussInc (k = 1…4), R12 4·gaussInc. The layer test m < zigK[i]
// is a signed compare (both are below 2²³).
TEXT ·gaussZigAVX2(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         blocks+8(FP), CX
	MOVQ         s+16(FP), R10
	MOVQ         (R10), R11
	MOVQ         ·gaussSteps+24(SB), R12
	LEAQ         ·zigK(SB), R8
	LEAQ         ·zigW(SB), R9
	XORQ         AX, AX
	VMOVDQU      ·gaussSteps(SB), Y15
	VPBROADCASTQ gaussmix<>(SB), Y14
	VPBROADCASTQ gausslo32<>(SB), Y13
	TESTQ        CX, CX
	JZ           gauss2done

gauss2loop:
	MOVQ         R11, X12
	VPBROADCASTQ X12, Y12
	VPADDQ       Y15, Y12, Y0
	VPXOR        Y14, Y0, Y1
	VPSRLQ       $32, Y0, Y2
	VPSRLQ       $32, Y1, Y3
	VPMULUDQ     Y1, Y0, Y4
	VPMULUDQ     Y3, Y0, Y5
	VPMULUDQ     Y1, Y2, Y6
	VPMULUDQ     Y3, Y2, Y7
	VPSRLQ       $32, Y4, Y8
	VPAND        Y13, Y5, Y9
	VPADDQ       Y9, Y8, Y8
	VPAND        Y13, Y6, Y9
	VPADDQ       Y9, Y8, Y8
	VPSRLQ       $32, Y5, Y5
	VPSRLQ       $32, Y6, Y6
	VPADDQ       Y5, Y7, Y7
	VPADDQ       Y6, Y7, Y7
	VPSRLQ       $32, Y8, Y9
	VPADDQ       Y9, Y7, Y7
	VPSLLQ       $32, Y8, Y8
	VPAND        Y13, Y4, Y4
	VPOR         Y8, Y4, Y4
	VPXOR        Y7, Y4, Y0
	VPBROADCASTD gaussbyte<>(SB), Y1
	VPAND        Y1, Y0, Y1
	VPSRLD       $8, Y0, Y2
	VPBROADCASTD gaussmant<>(SB), Y3
	VPAND        Y3, Y2, Y2
	VPCMPEQD     Y5, Y5, Y5
	VPGATHERDD   Y5, (R8)(Y1*4), Y3
	VPCMPEQD     Y6, Y6, Y6
	VGATHERDPS   Y6, (R9)(Y1*4), Y4
	VPCMPGTD     Y2, Y3, Y5
	VCVTDQ2PS    Y2, Y2
	VMULPS       Y4, Y2, Y2
	VPBROADCASTD gausssign<>(SB), Y3
	VPAND        Y3, Y0, Y0
	VPOR         Y0, Y2, Y2
	VMOVUPS      Y2, (DI)
	VMOVMSKPS    Y5, BX
	CMPL         BX, $0xff
	JNE          gauss2slow
	ADDQ         R12, R11
	ADDQ         $32, DI
	ADDQ         $8, AX
	DECQ         CX
	JNZ          gauss2loop
	JMP          gauss2done

gauss2slow:
	NOTL         BX
	BSFL         BX, BX
	SHRL         $1, BX
	LEAQ         (AX)(BX*2), AX
	IMULQ        ·gaussSteps(SB), BX
	ADDQ         BX, R11

gauss2done:
	MOVQ       R11, (R10)
	MOVQ       AX, ret+24(FP)
	VZEROUPPER
	RET
