//go:build !purego

#include "textflag.h"

// The fused forward pass of a 1-64-64-1 tanh network (bbb_fused.go) with
// AVX-512F. It performs the operations of the layer-by-layer AVX-512 path in
// the same order, so the outputs agree bit for bit: layer 1 as outerAVX512
// and vaddTanhAVX512, layer 2 as the 8×32 GEMM micro-kernels (one fused
// multiply-add chain per output from p = 0, then the bias and tanh32), layer 3
// as sdotAVX2 (its four 8-lane accumulators and reduction tree) and the
// scalar bias. The activations of a 6-row tile live in registers and in the
// scratch s: layer 1's in one of two 6×64 buffers (bytes 0 and 1536, by the
// parity of the tiles left), layer 2's pre-activations in a third (byte
// 3072). Each tile runs layer 2, then layer 1 of the next tile (independent
// of it, so the CPU overlaps the two), then its own layer 3; nothing else is
// written but the outputs.

// Constants of tanh32 (kernels_generic.go), one float each, broadcast on load.
DATA fusedk<>+0(SB)/4, $0x7fffffff  // abs mask
DATA fusedk<>+4(SB)/4, $0x80000000  // sign mask
DATA fusedk<>+8(SB)/4, $0x41200000  // clamp 10
DATA fusedk<>+12(SB)/4, $0x3fb8aa3b // log2 e
DATA fusedk<>+16(SB)/4, $0x3f000000 // 1/2
DATA fusedk<>+20(SB)/4, $0x3f317200 // ln2 hi
DATA fusedk<>+24(SB)/4, $0x35bfbe8e // ln2 lo
DATA fusedk<>+28(SB)/4, $0x3e2aaaab // 1/6
DATA fusedk<>+32(SB)/4, $0x3d2aaaab // 1/24
DATA fusedk<>+36(SB)/4, $0x3c088889 // 1/120
DATA fusedk<>+40(SB)/4, $0x3ab60b61 // 1/720
DATA fusedk<>+44(SB)/4, $0x39500d01 // 1/5040
DATA fusedk<>+48(SB)/4, $0x3f800000 // 1
DATA fusedk<>+52(SB)/4, $0x40000000 // 2
DATA fusedk<>+56(SB)/4, $0x0000007f // exponent bias (unused)
DATA fusedk<>+60(SB)/4, $0xbf317200 // −ln2 hi
DATA fusedk<>+64(SB)/4, $0xb5bfbe8e // −ln2 lo
GLOBL fusedk<>(SB), RODATA|NOPTR, $68

// FUSEDCONSTS loads the tanh32 constants that FUSEDTANH4 keeps in registers.
#define FUSEDCONSTS \
	VBROADCASTSS fusedk<>+0(SB), Z24 \
	VBROADCASTSS fusedk<>+44(SB), Z25 \
	VBROADCASTSS fusedk<>+16(SB), Z26 \
	VBROADCASTSS fusedk<>+48(SB), Z27 \
	VBROADCASTSS fusedk<>+8(SB), Z28 \
	VBROADCASTSS fusedk<>+12(SB), Z29 \
	VBROADCASTSS fusedk<>+60(SB), Z30 \
	VBROADCASTSS fusedk<>+52(SB), Z31

// FUSEDTANH4 computes tanh32 of Z0, Z6, Z12 and Z18 into Z3, Z9, Z15 and
// Z21: four independent chains (chain k in Z6k…Z6k+5: x, then a, y and q,
// then q², p, 2^−n, −n), interleaved instruction by instruction. Each has the
// roundings of Z512TANH in kernels_amd64.s (the same constants, eight in
// Z24–Z31, the others broadcast from memory) in 22 instructions instead of
// 27, with only exact rewrites: it computes −t = −(y·log₂e + ½) (negation is
// exact and commutes with rounding), truncates it to −n in float
// (VRNDSCALEPS), which is −float(int(t)); q = (−n)(−ln2hi) − y in place of y
// and q + (−n)(−ln2lo), the same products; 2^−n = scalef(1, −n) (VSCALEFPS,
// exact: n ≤ 29) where Z512TANH builds the exponent bits; and one bitwise
// select (VPTERNLOGD) takes the sign from x and the rest from −tanh|x|
// where Z512TANH masks and ors. It clobbers Z1–Z5, Z7–Z11, Z13–Z17 and
// Z19–Z23.
#define FUSEDTANH4 \
	VPANDD Z24, Z0, Z1 \
	VPANDD Z24, Z6, Z7 \
	VPANDD Z24, Z12, Z13 \
	VPANDD Z24, Z18, Z19 \
	VMINPS Z1, Z28, Z1 \
	VMINPS Z7, Z28, Z7 \
	VMINPS Z13, Z28, Z13 \
	VMINPS Z19, Z28, Z19 \
	VADDPS Z1, Z1, Z1 \
	VADDPS Z7, Z7, Z7 \
	VADDPS Z13, Z13, Z13 \
	VADDPS Z19, Z19, Z19 \
	VMOVAPS Z26, Z2 \
	VMOVAPS Z26, Z8 \
	VMOVAPS Z26, Z14 \
	VMOVAPS Z26, Z20 \
	VFNMSUB231PS Z29, Z1, Z2 \
	VFNMSUB231PS Z29, Z7, Z8 \
	VFNMSUB231PS Z29, Z13, Z14 \
	VFNMSUB231PS Z29, Z19, Z20 \
	VRNDSCALEPS $11, Z2, Z5 \
	VRNDSCALEPS $11, Z8, Z11 \
	VRNDSCALEPS $11, Z14, Z17 \
	VRNDSCALEPS $11, Z20, Z23 \
	VFMSUB231PS Z30, Z5, Z1 \
	VFMSUB231PS Z30, Z11, Z7 \
	VFMSUB231PS Z30, Z17, Z13 \
	VFMSUB231PS Z30, Z23, Z19 \
	VFMADD231PS.BCST fusedk<>+64(SB), Z5, Z1 \
	VFMADD231PS.BCST fusedk<>+64(SB), Z11, Z7 \
	VFMADD231PS.BCST fusedk<>+64(SB), Z17, Z13 \
	VFMADD231PS.BCST fusedk<>+64(SB), Z23, Z19 \
	VMULPS Z1, Z1, Z2 \
	VMULPS Z7, Z7, Z8 \
	VMULPS Z13, Z13, Z14 \
	VMULPS Z19, Z19, Z20 \
	VMOVAPS Z25, Z3 \
	VMOVAPS Z25, Z9 \
	VMOVAPS Z25, Z15 \
	VMOVAPS Z25, Z21 \
	VFMADD213PS.BCST fusedk<>+40(SB), Z1, Z3 \
	VFMADD213PS.BCST fusedk<>+40(SB), Z7, Z9 \
	VFMADD213PS.BCST fusedk<>+40(SB), Z13, Z15 \
	VFMADD213PS.BCST fusedk<>+40(SB), Z19, Z21 \
	VFMADD213PS.BCST fusedk<>+36(SB), Z1, Z3 \
	VFMADD213PS.BCST fusedk<>+36(SB), Z7, Z9 \
	VFMADD213PS.BCST fusedk<>+36(SB), Z13, Z15 \
	VFMADD213PS.BCST fusedk<>+36(SB), Z19, Z21 \
	VFMADD213PS.BCST fusedk<>+32(SB), Z1, Z3 \
	VFMADD213PS.BCST fusedk<>+32(SB), Z7, Z9 \
	VFMADD213PS.BCST fusedk<>+32(SB), Z13, Z15 \
	VFMADD213PS.BCST fusedk<>+32(SB), Z19, Z21 \
	VFMADD213PS.BCST fusedk<>+28(SB), Z1, Z3 \
	VFMADD213PS.BCST fusedk<>+28(SB), Z7, Z9 \
	VFMADD213PS.BCST fusedk<>+28(SB), Z13, Z15 \
	VFMADD213PS.BCST fusedk<>+28(SB), Z19, Z21 \
	VFMADD213PS Z26, Z1, Z3 \
	VFMADD213PS Z26, Z7, Z9 \
	VFMADD213PS Z26, Z13, Z15 \
	VFMADD213PS Z26, Z19, Z21 \
	VFMADD213PS Z1, Z2, Z3 \
	VFMADD213PS Z7, Z8, Z9 \
	VFMADD213PS Z13, Z14, Z15 \
	VFMADD213PS Z19, Z20, Z21 \
	VSCALEFPS Z5, Z27, Z4 \
	VSCALEFPS Z11, Z27, Z10 \
	VSCALEFPS Z17, Z27, Z16 \
	VSCALEFPS Z23, Z27, Z22 \
	VSUBPS Z27, Z4, Z5 \
	VSUBPS Z27, Z10, Z11 \
	VSUBPS Z27, Z16, Z17 \
	VSUBPS Z27, Z22, Z23 \
	VFMADD213PS Z5, Z4, Z3 \
	VFMADD213PS Z11, Z10, Z9 \
	VFMADD213PS Z17, Z16, Z15 \
	VFMADD213PS Z23, Z22, Z21 \
	VADDPS Z31, Z3, Z4 \
	VADDPS Z31, Z9, Z10 \
	VADDPS Z31, Z15, Z16 \
	VADDPS Z31, Z21, Z22 \
	VDIVPS Z4, Z3, Z3 \
	VDIVPS Z10, Z9, Z9 \
	VDIVPS Z16, Z15, Z15 \
	VDIVPS Z22, Z21, Z21 \
	VPTERNLOGD $0xe4, Z24, Z0, Z3 \
	VPTERNLOGD $0xe4, Z24, Z6, Z9 \
	VPTERNLOGD $0xe4, Z24, Z12, Z15 \
	VPTERNLOGD $0xe4, Z24, Z18, Z21

// FUSEDL1ROW(x, o0, o1, o2, o3) is layer 1 for one row: with x[r] at
// x(SI), w1 at (R8) and b1 at (R9), it stores tanh32(x[r]·w1 + b1), 64
// floats, at o0…o3(AX) (o0 + 64k).
#define FUSEDL1ROW(x, o0, o1, o2, o3) \
	VBROADCASTSS x(SI), Z1 \
	VMULPS 0(R8), Z1, Z0 \
	VADDPS 0(R9), Z0, Z0 \
	VMULPS 64(R8), Z1, Z6 \
	VADDPS 64(R9), Z6, Z6 \
	VMULPS 128(R8), Z1, Z12 \
	VADDPS 128(R9), Z12, Z12 \
	VMULPS 192(R8), Z1, Z18 \
	VADDPS 192(R9), Z18, Z18 \
	FUSEDTANH4 \
	VMOVUPS Z3, o0(AX) \
	VMOVUPS Z9, o1(AX) \
	VMOVUPS Z15, o2(AX) \
	VMOVUPS Z21, o3(AX)

// FUSEDL3ROW(s0, s1, s2, s3, out) is layer 3 for one row: tanh32 of the 64
// pre-activations at s0…s3(R14) (s0 + 64k), their dot with w3 at (R12) in
// sdotAVX2's order (its four 8-lane accumulators as the halves of Z0 and
// Z6, and its reduction tree), plus b3 at (R13), stored at out(DI).
#define FUSEDL3ROW(s0, s1, s2, s3, out) \
	VMOVUPS s0(R14), Z0 \
	VMOVUPS s1(R14), Z6 \
	VMOVUPS s2(R14), Z12 \
	VMOVUPS s3(R14), Z18 \
	FUSEDTANH4 \
	VPXORD Z0, Z0, Z0 \
	VFMADD231PS (R12), Z3, Z0 \
	VFMADD231PS 128(R12), Z15, Z0 \
	VPXORD Z6, Z6, Z6 \
	VFMADD231PS 64(R12), Z9, Z6 \
	VFMADD231PS 192(R12), Z21, Z6 \
	VEXTRACTF64X4 $1, Z0, Y1 \
	VADDPS Y1, Y0, Y0 \
	VEXTRACTF64X4 $1, Z6, Y7 \
	VADDPS Y7, Y6, Y6 \
	VADDPS Y6, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS X1, X0, X0 \
	VHADDPS X0, X0, X0 \
	VHADDPS X0, X0, X0 \
	VADDSS (R13), X0, X0 \
	VMOVSS X0, out(DI)

// func bbbForward64AVX512(tiles int, x, w1, b1, w2, b2, w3, b3, out, s *float32)
//
// Registers: CX tiles left, SI x, DI out, R8 w1, R9 b1, R10 w2, R11 b2,
// R12 w3, R13 b3, R14 s; in the GEMM, DX walks w2 by rows (256 bytes), BX
// walks s by columns (4 bytes) and AX counts the 64 steps.
TEXT ·bbbForward64AVX512(SB), NOSPLIT, $0-80
	MOVQ tiles+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ w1+16(FP), R8
	MOVQ b1+24(FP), R9
	MOVQ w2+32(FP), R10
	MOVQ b2+40(FP), R11
	MOVQ w3+48(FP), R12
	MOVQ b3+56(FP), R13
	MOVQ out+64(FP), DI
	MOVQ s+72(FP), R14
	TESTQ CX, CX
	JLE  fuseddone
	FUSEDCONSTS

	// Tile t reads s1 at s + 1536·(CX&1) bytes; tile t+1 writes the other.
	MOVQ CX, AX
	ANDQ $1, AX
	IMULQ $1536, AX
	ADDQ R14, AX
	// Layer 1: s1[r][j] = tanh32(x[r]·w1[j] + b1[j]), a row at a time.
	FUSEDL1ROW(0, 0, 64, 128, 192)
	FUSEDL1ROW(4, 256, 320, 384, 448)
	FUSEDL1ROW(8, 512, 576, 640, 704)
	FUSEDL1ROW(12, 768, 832, 896, 960)
	FUSEDL1ROW(16, 1024, 1088, 1152, 1216)
	FUSEDL1ROW(20, 1280, 1344, 1408, 1472)

fusedtile:
	MOVQ CX, BX
	ANDQ $1, BX
	IMULQ $1536, BX
	ADDQ R14, BX

	// Layer 2: acc[r][j] = Σ_p fma chain of s[r][p]·w2[p][j] (Z0–Z23).
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
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23
	MOVQ R10, DX
	MOVQ $64, AX

fusedgemm:
	VMOVUPS 0(DX), Z24
	VMOVUPS 64(DX), Z25
	VMOVUPS 128(DX), Z26
	VMOVUPS 192(DX), Z27
	VBROADCASTSS 0(BX), Z28
	VFMADD231PS Z24, Z28, Z0
	VFMADD231PS Z25, Z28, Z1
	VFMADD231PS Z26, Z28, Z2
	VFMADD231PS Z27, Z28, Z3
	VBROADCASTSS 256(BX), Z29
	VFMADD231PS Z24, Z29, Z4
	VFMADD231PS Z25, Z29, Z5
	VFMADD231PS Z26, Z29, Z6
	VFMADD231PS Z27, Z29, Z7
	VBROADCASTSS 512(BX), Z28
	VFMADD231PS Z24, Z28, Z8
	VFMADD231PS Z25, Z28, Z9
	VFMADD231PS Z26, Z28, Z10
	VFMADD231PS Z27, Z28, Z11
	VBROADCASTSS 768(BX), Z29
	VFMADD231PS Z24, Z29, Z12
	VFMADD231PS Z25, Z29, Z13
	VFMADD231PS Z26, Z29, Z14
	VFMADD231PS Z27, Z29, Z15
	VBROADCASTSS 1024(BX), Z28
	VFMADD231PS Z24, Z28, Z16
	VFMADD231PS Z25, Z28, Z17
	VFMADD231PS Z26, Z28, Z18
	VFMADD231PS Z27, Z28, Z19
	VBROADCASTSS 1280(BX), Z29
	VFMADD231PS Z24, Z29, Z20
	VFMADD231PS Z25, Z29, Z21
	VFMADD231PS Z26, Z29, Z22
	VFMADD231PS Z27, Z29, Z23
	ADDQ $256, DX
	ADDQ $4, BX
	DECQ AX
	JNZ fusedgemm

	// s[r][j] = acc[r][j] + b2[j] (the tanh32 argument).
	VADDPS 0(R11), Z0, Z0
	VMOVUPS Z0, 3072(R14)
	VADDPS 64(R11), Z1, Z1
	VMOVUPS Z1, 3136(R14)
	VADDPS 128(R11), Z2, Z2
	VMOVUPS Z2, 3200(R14)
	VADDPS 192(R11), Z3, Z3
	VMOVUPS Z3, 3264(R14)
	VADDPS 0(R11), Z4, Z4
	VMOVUPS Z4, 3328(R14)
	VADDPS 64(R11), Z5, Z5
	VMOVUPS Z5, 3392(R14)
	VADDPS 128(R11), Z6, Z6
	VMOVUPS Z6, 3456(R14)
	VADDPS 192(R11), Z7, Z7
	VMOVUPS Z7, 3520(R14)
	VADDPS 0(R11), Z8, Z8
	VMOVUPS Z8, 3584(R14)
	VADDPS 64(R11), Z9, Z9
	VMOVUPS Z9, 3648(R14)
	VADDPS 128(R11), Z10, Z10
	VMOVUPS Z10, 3712(R14)
	VADDPS 192(R11), Z11, Z11
	VMOVUPS Z11, 3776(R14)
	VADDPS 0(R11), Z12, Z12
	VMOVUPS Z12, 3840(R14)
	VADDPS 64(R11), Z13, Z13
	VMOVUPS Z13, 3904(R14)
	VADDPS 128(R11), Z14, Z14
	VMOVUPS Z14, 3968(R14)
	VADDPS 192(R11), Z15, Z15
	VMOVUPS Z15, 4032(R14)
	VADDPS 0(R11), Z16, Z16
	VMOVUPS Z16, 4096(R14)
	VADDPS 64(R11), Z17, Z17
	VMOVUPS Z17, 4160(R14)
	VADDPS 128(R11), Z18, Z18
	VMOVUPS Z18, 4224(R14)
	VADDPS 192(R11), Z19, Z19
	VMOVUPS Z19, 4288(R14)
	VADDPS 0(R11), Z20, Z20
	VMOVUPS Z20, 4352(R14)
	VADDPS 64(R11), Z21, Z21
	VMOVUPS Z21, 4416(R14)
	VADDPS 128(R11), Z22, Z22
	VMOVUPS Z22, 4480(R14)
	VADDPS 192(R11), Z23, Z23
	VMOVUPS Z23, 4544(R14)
	FUSEDCONSTS

	// Layer 1 of the next tile, independent of this tile's layer 2.
	CMPQ CX, $1
	JEQ fusedlast
	MOVQ CX, AX
	NOTQ AX
	ANDQ $1, AX
	IMULQ $1536, AX
	ADDQ R14, AX
	// Layer 1: s1[r][j] = tanh32(x[r]·w1[j] + b1[j]), a row at a time.
	FUSEDL1ROW(24, 0, 64, 128, 192)
	FUSEDL1ROW(28, 256, 320, 384, 448)
	FUSEDL1ROW(32, 512, 576, 640, 704)
	FUSEDL1ROW(36, 768, 832, 896, 960)
	FUSEDL1ROW(40, 1024, 1088, 1152, 1216)
	FUSEDL1ROW(44, 1280, 1344, 1408, 1472)

fusedlast:
	// Layer 3: out[r] = sdot(tanh32(s[r]), w3) + b3, with sdotAVX2's
	// accumulators as the halves of Z0 (elements 0–15 and 32–47) and Z6
	// (16–31 and 48–63) and its reduction tree.
	FUSEDL3ROW(3072, 3136, 3200, 3264, 0)
	FUSEDL3ROW(3328, 3392, 3456, 3520, 4)
	FUSEDL3ROW(3584, 3648, 3712, 3776, 8)
	FUSEDL3ROW(3840, 3904, 3968, 4032, 12)
	FUSEDL3ROW(4096, 4160, 4224, 4288, 16)
	FUSEDL3ROW(4352, 4416, 4480, 4544, 20)

	ADDQ $24, SI
	ADDQ $24, DI
	DECQ CX
	JNZ  fusedtile

fuseddone:
	VZEROUPPER
	RET
