//go:build !purego

#include "textflag.h"

// func sumDot2AVX(out, a, b, x, y *float64, blocks int, acc *[8]float64)
//
// For blocks×4 elements: r = a + b (stored to out unless out is nil); lane j
// of acc[0:4] accumulates x[i+j]·r[i+j] and of acc[4:8] y[i+j]·r[i+j], with
// a separate multiply and add (no FMA), so each lane rounds exactly as the
// scalar partial sums of dotF64.
TEXT ·sumDot2AVX(SB), NOSPLIT, $0-56
	MOVQ   out+0(FP), DI
	MOVQ   a+8(FP), SI
	MOVQ   b+16(FP), DX
	MOVQ   x+24(FP), R8
	MOVQ   y+32(FP), R9
	MOVQ   blocks+40(FP), CX
	MOVQ   acc+48(FP), R10
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ   AX, AX
	TESTQ  CX, CX
	JZ     done
	TESTQ  DI, DI
	JZ     loopnostore

loopstore:
	VMOVUPD (SI)(AX*8), Y2
	VADDPD  (DX)(AX*8), Y2, Y2
	VMOVUPD Y2, (DI)(AX*8)
	VMULPD  (R8)(AX*8), Y2, Y3
	VADDPD  Y3, Y0, Y0
	VMULPD  (R9)(AX*8), Y2, Y4
	VADDPD  Y4, Y1, Y1
	ADDQ    $4, AX
	DECQ    CX
	JNZ     loopstore
	JMP     done

loopnostore:
	VMOVUPD (SI)(AX*8), Y2
	VADDPD  (DX)(AX*8), Y2, Y2
	VMULPD  (R8)(AX*8), Y2, Y3
	VADDPD  Y3, Y0, Y0
	VMULPD  (R9)(AX*8), Y2, Y4
	VADDPD  Y4, Y1, Y1
	ADDQ    $4, AX
	DECQ    CX
	JNZ     loopnostore

done:
	VMOVUPD Y0, (R10)
	VMOVUPD Y1, 32(R10)
	VZEROUPPER
	RET

// func leapfrogFirstAVX(p, v, q, sp, sg, sq, inv *float64, blocks int, half, eps float64)
//
// The first half of a diagonal-metric leapfrog step over blocks×4 elements:
// p = sp + half·sg, v = inv·p, q = sq + eps·v (each product rounded, no FMA).
TEXT ·leapfrogFirstAVX(SB), NOSPLIT, $0-80
	MOVQ         p+0(FP), DI
	MOVQ         v+8(FP), R11
	MOVQ         q+16(FP), R12
	MOVQ         sp+24(FP), SI
	MOVQ         sg+32(FP), DX
	MOVQ         sq+40(FP), R8
	MOVQ         inv+48(FP), R9
	MOVQ         blocks+56(FP), CX
	VBROADCASTSD half+64(FP), Y10
	VBROADCASTSD eps+72(FP), Y11
	XORQ         AX, AX
	TESTQ        CX, CX
	JZ           first_done

first_loop:
	VMULPD  (DX)(AX*8), Y10, Y0
	VADDPD  (SI)(AX*8), Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	VMULPD  (R9)(AX*8), Y0, Y1
	VMOVUPD Y1, (R11)(AX*8)
	VMULPD  Y1, Y11, Y2
	VADDPD  (R8)(AX*8), Y2, Y2
	VMOVUPD Y2, (R12)(AX*8)
	ADDQ    $4, AX
	DECQ    CX
	JNZ     first_loop

first_done:
	VZEROUPPER
	RET

// func leapfrogSecondAVX(p, v, grad, inv *float64, blocks int, half float64, kin *[4]float64)
//
// The second half over blocks×4 elements: p += half·g, v = inv·p, and lane j
// of kin accumulates p[i+j]·v[i+j] as dotF64's partial sums.
TEXT ·leapfrogSecondAVX(SB), NOSPLIT, $0-56
	MOVQ         p+0(FP), DI
	MOVQ         v+8(FP), R11
	MOVQ         grad+16(FP), DX
	MOVQ         inv+24(FP), R9
	MOVQ         blocks+32(FP), CX
	VBROADCASTSD half+40(FP), Y10
	MOVQ         kin+48(FP), R10
	VXORPD       Y3, Y3, Y3
	XORQ         AX, AX
	TESTQ        CX, CX
	JZ           second_done

second_loop:
	VMULPD  (DX)(AX*8), Y10, Y0
	VADDPD  (DI)(AX*8), Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	VMULPD  (R9)(AX*8), Y0, Y1
	VMOVUPD Y1, (R11)(AX*8)
	VMULPD  Y1, Y0, Y2
	VADDPD  Y2, Y3, Y3
	ADDQ    $4, AX
	DECQ    CX
	JNZ     second_loop

second_done:
	VMOVUPD Y3, (R10)
	VZEROUPPER
	RET
