//go:build !purego

#include "textflag.h"
#include "gauss_amd64.h"

// gaussZigPosAVX512 (rng_side_amd64.go): gaussZigAVX512's blocks of 16
// draws without the stop at a slow-path lane; each block's slow lanes (the
// complement of the core test in K3) are compressed from the lane positions
// in Z21 and stored, all 16 lanes, at R9, which then advances past them.

// Lane positions of gaussZigPosAVX512 (the shared constants are in gauss_amd64.h).
DATA gsidelane<>+0(SB)/4, $0
DATA gsidelane<>+4(SB)/4, $1
DATA gsidelane<>+8(SB)/4, $2
DATA gsidelane<>+12(SB)/4, $3
DATA gsidelane<>+16(SB)/4, $4
DATA gsidelane<>+20(SB)/4, $5
DATA gsidelane<>+24(SB)/4, $6
DATA gsidelane<>+28(SB)/4, $7
DATA gsidelane<>+32(SB)/4, $8
DATA gsidelane<>+36(SB)/4, $9
DATA gsidelane<>+40(SB)/4, $10
DATA gsidelane<>+44(SB)/4, $11
DATA gsidelane<>+48(SB)/4, $12
DATA gsidelane<>+52(SB)/4, $13
DATA gsidelane<>+56(SB)/4, $14
DATA gsidelane<>+60(SB)/4, $15
GLOBL gsidelane<>(SB), RODATA|NOPTR, $64
DATA gsidesixteen<>+0(SB)/4, $16
GLOBL gsidesixteen<>(SB), RODATA|NOPTR, $4

// func gaussZigPosAVX512(dst *float32, blocks int, s *uint64, pos *int32) int
//
// The registers are those of gaussZigAVX512; R9 walks pos, Z21 holds the
// positions of the block's lanes and Z20 sixteen in every lane.
TEXT ·gaussZigPosAVX512(SB), NOSPLIT, $0-40
	MOVQ         dst+0(FP), DI
	MOVQ         blocks+8(FP), CX
	MOVQ         s+16(FP), R10
	MOVQ         (R10), R11
	MOVQ         ·gaussSteps+56(SB), R12
	LEAQ         ·zigKW(SB), R8
	MOVQ         pos+24(FP), R9
	MOVQ         R9, R13
	VMOVDQU32    gsidelane<>(SB), Z21
	VPBROADCASTD gsidesixteen<>(SB), Z20
	VMOVDQU32    gausseven<>(SB), Z23
	VMOVDQU32    gaussodd<>(SB), Z22
	VMOVDQU64    ·gaussSteps(SB), Z30
	VPBROADCASTQ gaussmix<>(SB), Z29
	VPBROADCASTQ gausslo32<>(SB), Z28
	VPBROADCASTD gaussbyte<>(SB), Z27
	VPBROADCASTD gaussmant<>(SB), Z26
	VPBROADCASTD gausssign<>(SB), Z25
	TESTQ        CX, CX
	JZ           gsidedone

gsideloop:
	GAUSS512BLOCK
	KNOTW        K3, K4
	VPCOMPRESSD  Z21, K4, Z10
	VMOVDQU32    Z10, (R9)
	KMOVW        K4, BX
	POPCNTL      BX, BX
	LEAQ         (R9)(BX*4), R9
	VPADDD       Z20, Z21, Z21
	ADDQ         R12, R11
	ADDQ         $64, DI
	DECQ         CX
	JNZ          gsideloop

gsidedone:
	MOVQ       R11, (R10)
	SUBQ       R13, R9
	SHRQ       $2, R9
	MOVQ       R9, ret+32(FP)
	VZEROUPPER
	RET

