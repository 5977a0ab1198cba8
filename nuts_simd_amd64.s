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
