//go:build !purego

#include "textflag.h"

// gaussZigPosAVX512 (rng_side_amd64.go): gaussZigAVX512's blocks of 16
// draws without the stop at a slow-path lane; each block's slow lanes (the
// complement of the core test in K3) are compressed from the lane positions
// in Z21 and stored, all 16 lanes, at R9, which then advances past them.

// Constants of gaussZigPosAVX512, as those of gaussZigAVX512 in kernels_amd64.s.
DATA gsidelo32<>+0(SB)/8, $0x00000000ffffffff
GLOBL gsidelo32<>(SB), RODATA|NOPTR, $8
DATA gsidemix<>+0(SB)/8, $0xe7037ed1a0b428db
GLOBL gsidemix<>(SB), RODATA|NOPTR, $8
DATA gsidebyte<>+0(SB)/4, $0x000000ff
GLOBL gsidebyte<>(SB), RODATA|NOPTR, $4
DATA gsidemant<>+0(SB)/4, $0x007fffff
GLOBL gsidemant<>(SB), RODATA|NOPTR, $4
DATA gsidesign<>+0(SB)/4, $0x80000000
GLOBL gsidesign<>(SB), RODATA|NOPTR, $4

DATA gsideeven<>+0(SB)/4, $0
DATA gsideeven<>+4(SB)/4, $2
DATA gsideeven<>+8(SB)/4, $4
DATA gsideeven<>+12(SB)/4, $6
DATA gsideeven<>+16(SB)/4, $8
DATA gsideeven<>+20(SB)/4, $10
DATA gsideeven<>+24(SB)/4, $12
DATA gsideeven<>+28(SB)/4, $14
DATA gsideeven<>+32(SB)/4, $16
DATA gsideeven<>+36(SB)/4, $18
DATA gsideeven<>+40(SB)/4, $20
DATA gsideeven<>+44(SB)/4, $22
DATA gsideeven<>+48(SB)/4, $24
DATA gsideeven<>+52(SB)/4, $26
DATA gsideeven<>+56(SB)/4, $28
DATA gsideeven<>+60(SB)/4, $30
GLOBL gsideeven<>(SB), RODATA|NOPTR, $64
DATA gsideodd<>+0(SB)/4, $1
DATA gsideodd<>+4(SB)/4, $3
DATA gsideodd<>+8(SB)/4, $5
DATA gsideodd<>+12(SB)/4, $7
DATA gsideodd<>+16(SB)/4, $9
DATA gsideodd<>+20(SB)/4, $11
DATA gsideodd<>+24(SB)/4, $13
DATA gsideodd<>+28(SB)/4, $15
DATA gsideodd<>+32(SB)/4, $17
DATA gsideodd<>+36(SB)/4, $19
DATA gsideodd<>+40(SB)/4, $21
DATA gsideodd<>+44(SB)/4, $23
DATA gsideodd<>+48(SB)/4, $25
DATA gsideodd<>+52(SB)/4, $27
DATA gsideodd<>+56(SB)/4, $29
DATA gsideodd<>+60(SB)/4, $31
GLOBL gsideodd<>(SB), RODATA|NOPTR, $64
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
	VMOVDQU32    gsideeven<>(SB), Z23
	VMOVDQU32    gsideodd<>(SB), Z22
	VMOVDQU64    ·gaussSteps(SB), Z30
	VPBROADCASTQ gsidemix<>(SB), Z29
	VPBROADCASTQ gsidelo32<>(SB), Z28
	VPBROADCASTD gsidebyte<>(SB), Z27
	VPBROADCASTD gsidemant<>(SB), Z26
	VPBROADCASTD gsidesign<>(SB), Z25
	TESTQ        CX, CX
	JZ           gsidedone

gsideloop:
	VPBROADCASTQ R11, Z24
	VPADDQ       Z30, Z24, Z0
	VPXORQ       Z29, Z0, Z1
	VPSRLQ       $32, Z0, Z2
	VPSRLQ       $32, Z1, Z3
	VPMULUDQ     Z1, Z0, Z4
	VPMULUDQ     Z3, Z0, Z5
	VPMULUDQ     Z1, Z2, Z6
	VPMULUDQ     Z3, Z2, Z7
	VPSRLQ       $32, Z4, Z8
	VPANDQ       Z28, Z5, Z9
	VPADDQ       Z9, Z8, Z8
	VPANDQ       Z28, Z6, Z9
	VPADDQ       Z9, Z8, Z8
	VPSRLQ       $32, Z5, Z5
	VPSRLQ       $32, Z6, Z6
	VPADDQ       Z5, Z7, Z7
	VPADDQ       Z6, Z7, Z7
	VPSRLQ       $32, Z8, Z9
	VPADDQ       Z9, Z7, Z7
	VPSLLQ       $32, Z8, Z8
	VPANDQ       Z28, Z4, Z4
	VPORQ        Z8, Z4, Z4
	VPXORQ       Z7, Z4, Z0
	VPANDD       Z27, Z0, Z1
	VPSRLD       $8, Z0, Z2
	VPANDD       Z26, Z2, Z2
	VEXTRACTI64X4 $1, Z1, Y5
	KXNORW       K0, K0, K1
	VPGATHERDQ   (R8)(Y1*8), K1, Z6
	KXNORW       K0, K0, K2
	VPGATHERDQ   (R8)(Y5*8), K2, Z7
	VMOVDQA32    Z23, Z3
	VPERMI2D     Z7, Z6, Z3
	VMOVDQA32    Z22, Z4
	VPERMI2D     Z7, Z6, Z4
	VPCMPUD      $1, Z3, Z2, K3
	VCVTDQ2PS    Z2, Z2
	VMULPS       Z4, Z2, Z2
	VPANDD       Z25, Z0, Z0
	VPORD        Z0, Z2, Z2
	VMOVUPS      Z2, (DI)
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

