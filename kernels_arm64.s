//go:build !purego

#include "textflag.h"

// Float32 kernels for arm64 Advanced SIMD (NEON). The Go declarations and the
// equivalent Go loops are in kernels_arm64.go. Go's arm64 assembler has no
// vector floating-point arithmetic besides VFMLA/VFMLS, so the instructions
// below that it lacks are encoded with WORD by these macros (m, n, d are
// V-register numbers; all operate on four single-precision lanes, .4S):
//
//	FADD4(m, n, d)   FADD   Vd.4S, Vn.4S, Vm.4S   d = n + m
//	FSUB4(m, n, d)   FSUB   Vd.4S, Vn.4S, Vm.4S   d = n − m
//	FMUL4(m, n, d)   FMUL   Vd.4S, Vn.4S, Vm.4S   d = n · m
//	FDIV4(m, n, d)   FDIV   Vd.4S, Vn.4S, Vm.4S   d = n / m
//	FMIN4(m, n, d)   FMIN   Vd.4S, Vn.4S, Vm.4S   d = min(n, m), NaN if either is NaN
//	FADDP4(m, n, d)  FADDP  Vd.4S, Vn.4S, Vm.4S   pairwise sums
//	CMHS4(m, n, d)   CMHS   Vd.4S, Vn.4S, Vm.4S   d = n ≥ m (unsigned) ? all ones : 0
//	FABS4(n, d)      FABS   Vd.4S, Vn.4S
//	FSQRT4(n, d)     FSQRT  Vd.4S, Vn.4S          correctly rounded
//	FCVTZS4(n, d)    FCVTZS Vd.4S, Vn.4S          float → int32, toward zero (NaN → 0)
//	SCVTF4(n, d)     SCVTF  Vd.4S, Vn.4S          int32 → float
#define FADD4(m, n, d) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FSUB4(m, n, d) WORD $(0x4EA0D400 | ((m)<<16) | ((n)<<5) | (d))
#define FMUL4(m, n, d) WORD $(0x6E20DC00 | ((m)<<16) | ((n)<<5) | (d))
#define FDIV4(m, n, d) WORD $(0x6E20FC00 | ((m)<<16) | ((n)<<5) | (d))
#define FMIN4(m, n, d) WORD $(0x4EA0F400 | ((m)<<16) | ((n)<<5) | (d))
#define FADDP4(m, n, d) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define CMHS4(m, n, d) WORD $(0x6EA03C00 | ((m)<<16) | ((n)<<5) | (d))
#define FABS4(n, d) WORD $(0x4EA0F800 | ((n)<<5) | (d))
#define FSQRT4(n, d) WORD $(0x6EA1F800 | ((n)<<5) | (d))
#define FCVTZS4(n, d) WORD $(0x4EA1B800 | ((n)<<5) | (d))
#define SCVTF4(n, d) WORD $(0x4E21D800 | ((n)<<5) | (d))

// func sgemmKern8x8NEON(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·sgemmKern8x8NEON(SB), NOSPLIT, $0-72
	MOVD k+0(FP), R0
	MOVD a+8(FP), R6
	MOVD rsa+16(FP), R2
	LSL  $2, R2
	MOVD csa+24(FP), R3
	LSL  $2, R3
	MOVD b+32(FP), R4
	MOVD ldb+40(FP), R5
	LSL  $2, R5
	ADD  R2, R6, R7
	ADD  R2, R7, R8
	ADD  R2, R8, R9
	ADD  R2, R9, R10
	ADD  R2, R10, R11
	ADD  R2, R11, R12
	ADD  R2, R12, R13
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16

neongemmloop:
	VLD1.P (R4)(R5), [V16.S4, V17.S4]
	VLD1R.P (R6)(R3), [V18.S4]
	VLD1R.P (R7)(R3), [V19.S4]
	VLD1R.P (R8)(R3), [V20.S4]
	VLD1R.P (R9)(R3), [V21.S4]
	VLD1R.P (R10)(R3), [V22.S4]
	VLD1R.P (R11)(R3), [V23.S4]
	VLD1R.P (R12)(R3), [V24.S4]
	VLD1R.P (R13)(R3), [V25.S4]
	VFMLA V16.S4, V18.S4, V0.S4
	VFMLA V17.S4, V18.S4, V1.S4
	VFMLA V16.S4, V19.S4, V2.S4
	VFMLA V17.S4, V19.S4, V3.S4
	VFMLA V16.S4, V20.S4, V4.S4
	VFMLA V17.S4, V20.S4, V5.S4
	VFMLA V16.S4, V21.S4, V6.S4
	VFMLA V17.S4, V21.S4, V7.S4
	VFMLA V16.S4, V22.S4, V8.S4
	VFMLA V17.S4, V22.S4, V9.S4
	VFMLA V16.S4, V23.S4, V10.S4
	VFMLA V17.S4, V23.S4, V11.S4
	VFMLA V16.S4, V24.S4, V12.S4
	VFMLA V17.S4, V24.S4, V13.S4
	VFMLA V16.S4, V25.S4, V14.S4
	VFMLA V17.S4, V25.S4, V15.S4
	SUBS $1, R0, R0
	BNE  neongemmloop

	MOVD  c+48(FP), R1
	MOVD  ldc+56(FP), R2
	LSL   $2, R2
	FMOVS alpha+64(FP), F26
	VDUP  V26.S[0], V26.S4
	MOVWU beta+68(FP), R3
	ANDW  $0x7fffffff, R3, R4
	CBZW  R4, neongemmoverwrite
	FMOVS beta+68(FP), F27
	VDUP  V27.S[0], V27.S4
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V0.S4, V26.S4, V30.S4
	VFMLA V1.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V2.S4, V26.S4, V30.S4
	VFMLA V3.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V4.S4, V26.S4, V30.S4
	VFMLA V5.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V6.S4, V26.S4, V30.S4
	VFMLA V7.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V8.S4, V26.S4, V30.S4
	VFMLA V9.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V10.S4, V26.S4, V30.S4
	VFMLA V11.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V12.S4, V26.S4, V30.S4
	VFMLA V13.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VLD1  (R1), [V28.S4, V29.S4]
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V14.S4, V26.S4, V30.S4
	VFMLA V15.S4, V26.S4, V31.S4
	VFMLA V28.S4, V27.S4, V30.S4
	VFMLA V29.S4, V27.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	RET

neongemmoverwrite:
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V0.S4, V26.S4, V30.S4
	VFMLA V1.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V2.S4, V26.S4, V30.S4
	VFMLA V3.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V4.S4, V26.S4, V30.S4
	VFMLA V5.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V6.S4, V26.S4, V30.S4
	VFMLA V7.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V8.S4, V26.S4, V30.S4
	VFMLA V9.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V10.S4, V26.S4, V30.S4
	VFMLA V11.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V12.S4, V26.S4, V30.S4
	VFMLA V13.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	VFMLA V14.S4, V26.S4, V30.S4
	VFMLA V15.S4, V26.S4, V31.S4
	VST1  [V30.S4, V31.S4], (R1)
	ADD   R2, R1, R1
	RET

// func fmaPeakNEON(n int)
TEXT ·fmaPeakNEON(SB), NOSPLIT, $0-8
	MOVD n+0(FP), R0
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16

neonpeakloop:
	VFMLA V30.S4, V31.S4, V0.S4
	VFMLA V30.S4, V31.S4, V1.S4
	VFMLA V30.S4, V31.S4, V2.S4
	VFMLA V30.S4, V31.S4, V3.S4
	VFMLA V30.S4, V31.S4, V4.S4
	VFMLA V30.S4, V31.S4, V5.S4
	VFMLA V30.S4, V31.S4, V6.S4
	VFMLA V30.S4, V31.S4, V7.S4
	VFMLA V30.S4, V31.S4, V8.S4
	VFMLA V30.S4, V31.S4, V9.S4
	VFMLA V30.S4, V31.S4, V10.S4
	VFMLA V30.S4, V31.S4, V11.S4
	VFMLA V30.S4, V31.S4, V12.S4
	VFMLA V30.S4, V31.S4, V13.S4
	VFMLA V30.S4, V31.S4, V14.S4
	VFMLA V30.S4, V31.S4, V15.S4
	SUBS $1, R0, R0
	BNE  neonpeakloop
	RET

// func sdotNEON(x, y []float32) float32
TEXT ·sdotNEON(SB), NOSPLIT, $0-52
	MOVD x_base+0(FP), R0
	MOVD x_len+8(FP), R2
	MOVD y_base+24(FP), R1
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16

neondot16:
	CMP   $16, R2
	BLT   neondot4
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA V0.S4, V4.S4, V16.S4
	VFMLA V1.S4, V5.S4, V17.S4
	VFMLA V2.S4, V6.S4, V18.S4
	VFMLA V3.S4, V7.S4, V19.S4
	SUB   $16, R2, R2
	B     neondot16

neondot4:
	CBZ   R2, neondotreduce
	VLD1.P 16(R0), [V0.S4]
	VLD1.P 16(R1), [V4.S4]
	VFMLA V0.S4, V4.S4, V16.S4
	SUB   $4, R2, R2
	B     neondot4

neondotreduce:
	FADD4(17, 16, 16)
	FADD4(19, 18, 18)
	FADD4(18, 16, 16)
	FADDP4(16, 16, 16)
	FADDP4(16, 16, 16)
	FMOVS F16, ret+48(FP)
	RET

// func saxpyNEON(alpha float32, x, y []float32)
TEXT ·saxpyNEON(SB), NOSPLIT, $0-56
	FMOVS alpha+0(FP), F16
	VDUP  V16.S[0], V16.S4
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	MOVD  y_base+32(FP), R1
	CBZ   R2, neonaxpydone

neonaxpyloop:
	VLD1.P 16(R0), [V0.S4]
	VLD1   (R1), [V1.S4]
	VFMLA  V0.S4, V16.S4, V1.S4
	VST1.P [V1.S4], 16(R1)
	SUBS   $4, R2, R2
	BNE    neonaxpyloop

neonaxpydone:
	RET

// func sscalNEON(alpha float32, x []float32)
TEXT ·sscalNEON(SB), NOSPLIT, $0-32
	FMOVS alpha+0(FP), F16
	VDUP  V16.S[0], V16.S4
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	CBZ   R2, neonscaldone

neonscalloop:
	VLD1   (R0), [V0.S4]
	FMUL4(16, 0, 0)
	VST1.P [V0.S4], 16(R0)
	SUBS   $4, R2, R2
	BNE    neonscalloop

neonscaldone:
	RET

// func vaddNEON(z, b []float32)
TEXT ·vaddNEON(SB), NOSPLIT, $0-48
	MOVD z_base+0(FP), R0
	MOVD z_len+8(FP), R2
	MOVD b_base+24(FP), R1
	CBZ  R2, neonvadddone

neonvaddloop:
	VLD1   (R0), [V0.S4]
	VLD1.P 16(R1), [V1.S4]
	FADD4(1, 0, 0)
	VST1.P [V0.S4], 16(R0)
	SUBS   $4, R2, R2
	BNE    neonvaddloop

neonvadddone:
	RET

// func tanhGradNEON(dz, y []float32)
TEXT ·tanhGradNEON(SB), NOSPLIT, $0-48
	MOVD  dz_base+0(FP), R0
	MOVD  dz_len+8(FP), R2
	MOVD  y_base+24(FP), R1
	FMOVS $1.0, F16
	VDUP  V16.S[0], V16.S4
	CBZ   R2, neontgraddone

neontgradloop:
	VLD1   (R0), [V0.S4]
	VLD1.P 16(R1), [V1.S4]
	VMOV   V16.B16, V2.B16
	VFMLS  V1.S4, V1.S4, V2.S4
	FMUL4(2, 0, 0)
	VST1.P [V0.S4], 16(R0)
	SUBS   $4, R2, R2
	BNE    neontgradloop

neontgraddone:
	RET

// func reparamNEON(w, mu, sigma, eps []float32)
TEXT ·reparamNEON(SB), NOSPLIT, $0-96
	MOVD w_base+0(FP), R0
	MOVD w_len+8(FP), R4
	MOVD mu_base+24(FP), R1
	MOVD sigma_base+48(FP), R2
	MOVD eps_base+72(FP), R3
	CBZ  R4, neonreparamdone

neonreparamloop:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V1.S4]
	VLD1.P 16(R3), [V2.S4]
	VFMLA  V1.S4, V2.S4, V0.S4
	VST1.P [V0.S4], 16(R0)
	SUBS   $4, R4, R4
	BNE    neonreparamloop

neonreparamdone:
	RET

// func vaddTanhNEON(z, b []float32)
//
// The tanh32 constants live in V10–V30 (listed below); V0–V9 are scratch.
// Operation for operation as tanh32, with a VFMLA wherever it calls fma32
// (each into a copy of its addend).
TEXT ·vaddTanhNEON(SB), NOSPLIT, $0-48
	MOVW $0x80000000, R3 // sign
	VDUP R3, V10.S4
	MOVW $0x41200000, R3 // clamp
	VDUP R3, V12.S4
	MOVW $0x3fb8aa3b, R3 // log2e
	VDUP R3, V13.S4
	MOVW $0x3f000000, R3 // half
	VDUP R3, V14.S4
	MOVW $0x3f317200, R3 // ln2hi
	VDUP R3, V15.S4
	MOVW $0x35bfbe8e, R3 // ln2lo
	VDUP R3, V16.S4
	MOVW $0x3e2aaaab, R3 // e3
	VDUP R3, V23.S4
	MOVW $0x3d2aaaab, R3 // e4
	VDUP R3, V24.S4
	MOVW $0x3c088889, R3 // e5
	VDUP R3, V25.S4
	MOVW $0x3ab60b61, R3 // e6
	VDUP R3, V26.S4
	MOVW $0x39500d01, R3 // e7
	VDUP R3, V27.S4
	MOVW $0x3f800000, R3 // one
	VDUP R3, V28.S4
	MOVW $0x40000000, R3 // two
	VDUP R3, V29.S4
	MOVW $0x0000007f, R3 // bias
	VDUP R3, V30.S4
	MOVD z_base+0(FP), R0
	MOVD z_len+8(FP), R2
	MOVD b_base+24(FP), R1
	CBZ  R2, neontanhdone

neontanhloop:
	VLD1   (R0), [V0.S4]
	VLD1.P 16(R1), [V1.S4]
	FADD4(1, 0, 0)
	FABS4(0, 1)
	VAND   V10.B16, V0.B16, V2.B16
	FMIN4(12, 1, 1)
	FADD4(1, 1, 1)
	VORR   V14.B16, V14.B16, V7.B16
	VFMLA  V13.S4, V1.S4, V7.S4
	FCVTZS4(7, 6)
	SCVTF4(6, 7)
	FMUL4(15, 7, 3)
	FSUB4(1, 3, 3)
	VFMLA  V16.S4, V7.S4, V3.S4
	FMUL4(3, 3, 4)
	VORR   V26.B16, V26.B16, V5.B16
	VFMLA  V27.S4, V3.S4, V5.S4
	VORR   V25.B16, V25.B16, V8.B16
	VFMLA  V5.S4, V3.S4, V8.S4
	VORR   V24.B16, V24.B16, V5.B16
	VFMLA  V8.S4, V3.S4, V5.S4
	VORR   V23.B16, V23.B16, V8.B16
	VFMLA  V5.S4, V3.S4, V8.S4
	VORR   V14.B16, V14.B16, V5.B16
	VFMLA  V8.S4, V3.S4, V5.S4
	VORR   V3.B16, V3.B16, V8.B16
	VFMLA  V5.S4, V4.S4, V8.S4
	VSUB   V6.S4, V30.S4, V6.S4
	VSHL   $23, V6.S4, V6.S4
	FSUB4(28, 6, 9)
	VFMLA  V6.S4, V8.S4, V9.S4
	FADD4(29, 9, 5)
	FDIV4(5, 9, 5)
	FABS4(5, 5)
	VORR   V2.B16, V5.B16, V5.B16
	VST1.P [V5.S4], 16(R0)
	SUBS   $4, R2, R2
	BNE    neontanhloop

neontanhdone:
	RET

// func adamStepNEON(p, g, m, v []float32, k *adamCoeffs)
//
// The eight adamCoeffs are broadcast into V20–V27 (β₁, 1−β₁, β₂, 1−β₂,
// weight decay, step size, 1/√(1−β₂ᵗ), ε); V0–V5 hold p, g, m, v and two
// temporaries. Operation for operation as adamStepGeneric (no FMLA).
TEXT ·adamStepNEON(SB), NOSPLIT, $0-104
	MOVD  p_base+0(FP), R0
	MOVD  p_len+8(FP), R4
	MOVD  g_base+24(FP), R1
	MOVD  m_base+48(FP), R2
	MOVD  v_base+72(FP), R3
	MOVD  k+96(FP), R5
	FMOVS 0(R5), F20
	VDUP  V20.S[0], V20.S4
	FMOVS 4(R5), F21
	VDUP  V21.S[0], V21.S4
	FMOVS 8(R5), F22
	VDUP  V22.S[0], V22.S4
	FMOVS 12(R5), F23
	VDUP  V23.S[0], V23.S4
	FMOVS 16(R5), F24
	VDUP  V24.S[0], V24.S4
	FMOVS 20(R5), F25
	VDUP  V25.S[0], V25.S4
	FMOVS 24(R5), F26
	VDUP  V26.S[0], V26.S4
	FMOVS 28(R5), F27
	VDUP  V27.S[0], V27.S4
	CBZ   R4, neonadamdone
	MOVWU 16(R5), R6
	ANDW  $0x7fffffff, R6
	CBZW  R6, neonadamnowd

neonadamwd:
	VLD1   (R0), [V0.S4]
	VLD1.P 16(R1), [V1.S4]
	FMUL4(24, 0, 4)
	FADD4(4, 1, 1)
	B      neonadamcore

neonadamnowd:
	VLD1   (R0), [V0.S4]
	VLD1.P 16(R1), [V1.S4]

neonadamcore:
	VLD1   (R2), [V2.S4]
	VLD1   (R3), [V3.S4]
	FMUL4(20, 2, 2)
	FMUL4(21, 1, 4)
	FADD4(4, 2, 2)
	FMUL4(22, 3, 3)
	FMUL4(23, 1, 4)
	FMUL4(1, 4, 4)
	FADD4(4, 3, 3)
	FSQRT4(3, 4)
	FMUL4(26, 4, 4)
	FADD4(27, 4, 4)
	FMUL4(25, 2, 5)
	FDIV4(4, 5, 5)
	FSUB4(5, 0, 0)
	VST1.P [V2.S4], 16(R2)
	VST1.P [V3.S4], 16(R3)
	VST1.P [V0.S4], 16(R0)
	SUBS   $4, R4, R4
	BEQ    neonadamdone
	CBZW   R6, neonadamnowd
	B      neonadamwd

neonadamdone:
	RET

// func tanhGradMaskedNEON(dz, y, mask []float32)
TEXT ·tanhGradMaskedNEON(SB), NOSPLIT, $0-72
	MOVD  dz_base+0(FP), R0
	MOVD  dz_len+8(FP), R3
	MOVD  y_base+24(FP), R1
	MOVD  mask_base+48(FP), R2
	FMOVS $1.0, F16
	VDUP  V16.S[0], V16.S4
	CBZ   R3, neontgmaskdone

neontgmaskloop:
	VLD1   (R0), [V0.S4]
	VLD1.P 16(R1), [V1.S4]
	VLD1.P 16(R2), [V2.S4]
	FMUL4(2, 0, 0)
	FMUL4(1, 1, 1)
	FSUB4(1, 16, 1)
	FMUL4(1, 0, 0)
	VST1.P [V0.S4], 16(R0)
	SUBS   $4, R3, R3
	BNE    neontgmaskloop

neontgmaskdone:
	RET

// func dropoutKeepNEON(h, mask, y []float32, bits []uint64, thr uint32, scale float32)
TEXT ·dropoutKeepNEON(SB), NOSPLIT, $0-104
	MOVD  h_base+0(FP), R0
	MOVD  mask_base+24(FP), R1
	MOVD  y_base+48(FP), R2
	MOVD  y_len+56(FP), R4
	MOVD  bits_base+72(FP), R3
	MOVWU thr+96(FP), R5
	VDUP  R5, V16.S4
	FMOVS scale+100(FP), F17
	VDUP  V17.S[0], V17.S4
	CBZ   R4, neondropdone

neondroploop:
	VLD1.P 16(R3), [V0.S4]
	VLD1.P 16(R2), [V1.S4]
	CMHS4(16, 0, 2)
	VAND   V17.B16, V2.B16, V2.B16
	FMUL4(2, 1, 1)
	VST1.P [V2.S4], 16(R1)
	VST1.P [V1.S4], 16(R0)
	SUBS   $4, R4, R4
	BNE    neondroploop

neondropdone:
	RET
