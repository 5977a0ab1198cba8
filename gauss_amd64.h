// Shared by the AVX-512 ziggurat kernels gaussZigAVX512 (kernels_amd64.s)
// and gaussZigPosAVX512 (rng_side_amd64.s): the constants (file-local, so
// each including file gets its own copy of the same bytes) and one block of
// 16 draws.

// Constants of gaussZigAVX512/AVX2 (rng.go) and gaussZigPosAVX512.
DATA gausslo32<>+0(SB)/8, $0x00000000ffffffff
GLOBL gausslo32<>(SB), RODATA|NOPTR, $8
DATA gaussmix<>+0(SB)/8, $0xe7037ed1a0b428db
GLOBL gaussmix<>(SB), RODATA|NOPTR, $8
DATA gaussbyte<>+0(SB)/4, $0x000000ff
GLOBL gaussbyte<>(SB), RODATA|NOPTR, $4
DATA gaussmant<>+0(SB)/4, $0x007fffff
GLOBL gaussmant<>(SB), RODATA|NOPTR, $4
DATA gausssign<>+0(SB)/4, $0x80000000
GLOBL gausssign<>(SB), RODATA|NOPTR, $4

DATA gausseven<>+0(SB)/4, $0
DATA gausseven<>+4(SB)/4, $2
DATA gausseven<>+8(SB)/4, $4
DATA gausseven<>+12(SB)/4, $6
DATA gausseven<>+16(SB)/4, $8
DATA gausseven<>+20(SB)/4, $10
DATA gausseven<>+24(SB)/4, $12
DATA gausseven<>+28(SB)/4, $14
DATA gausseven<>+32(SB)/4, $16
DATA gausseven<>+36(SB)/4, $18
DATA gausseven<>+40(SB)/4, $20
DATA gausseven<>+44(SB)/4, $22
DATA gausseven<>+48(SB)/4, $24
DATA gausseven<>+52(SB)/4, $26
DATA gausseven<>+56(SB)/4, $28
DATA gausseven<>+60(SB)/4, $30
GLOBL gausseven<>(SB), RODATA|NOPTR, $64
DATA gaussodd<>+0(SB)/4, $1
DATA gaussodd<>+4(SB)/4, $3
DATA gaussodd<>+8(SB)/4, $5
DATA gaussodd<>+12(SB)/4, $7
DATA gaussodd<>+16(SB)/4, $9
DATA gaussodd<>+20(SB)/4, $11
DATA gaussodd<>+24(SB)/4, $13
DATA gaussodd<>+28(SB)/4, $15
DATA gaussodd<>+32(SB)/4, $17
DATA gaussodd<>+36(SB)/4, $19
DATA gaussodd<>+40(SB)/4, $21
DATA gaussodd<>+44(SB)/4, $23
DATA gaussodd<>+48(SB)/4, $25
DATA gaussodd<>+52(SB)/4, $27
DATA gaussodd<>+56(SB)/4, $29
DATA gaussodd<>+60(SB)/4, $31
GLOBL gaussodd<>(SB), RODATA|NOPTR, $64

// GAUSS512BLOCK draws the 16 float32 outputs of the block at state R11 into
// (DI) and leaves the core test's lanes (m < zigK) in K3 and the raw bits in
// Z0. Registers: R8 = &zigKW, Z30 the offsets k·gaussInc, Z29 gaussmix, Z28
// gausslo32, Z27 gaussbyte, Z26 gaussmant, Z25 gausssign, Z23 gausseven,
// Z22 gaussodd; it clobbers Z0–Z9, Z24, K1–K3. The 128-bit product x·y of
// each lane (x = state, y = x ^ gaussMix) is built from xl·yl, xl·yh, xh·yl
// and xh·yh (VPMULUDQ); hi ^ lo gives the 64 random bits, read as 16 dwords.
#define GAUSS512BLOCK \
	VPBROADCASTQ R11, Z24 \
	VPADDQ       Z30, Z24, Z0 \
	VPXORQ       Z29, Z0, Z1 \
	VPSRLQ       $32, Z0, Z2 \
	VPSRLQ       $32, Z1, Z3 \
	VPMULUDQ     Z1, Z0, Z4 \
	VPMULUDQ     Z3, Z0, Z5 \
	VPMULUDQ     Z1, Z2, Z6 \
	VPMULUDQ     Z3, Z2, Z7 \
	VPSRLQ       $32, Z4, Z8 \
	VPANDQ       Z28, Z5, Z9 \
	VPADDQ       Z9, Z8, Z8 \
	VPANDQ       Z28, Z6, Z9 \
	VPADDQ       Z9, Z8, Z8 \
	VPSRLQ       $32, Z5, Z5 \
	VPSRLQ       $32, Z6, Z6 \
	VPADDQ       Z5, Z7, Z7 \
	VPADDQ       Z6, Z7, Z7 \
	VPSRLQ       $32, Z8, Z9 \
	VPADDQ       Z9, Z7, Z7 \
	VPSLLQ       $32, Z8, Z8 \
	VPANDQ       Z28, Z4, Z4 \
	VPORQ        Z8, Z4, Z4 \
	VPXORQ       Z7, Z4, Z0 \
	VPANDD       Z27, Z0, Z1 \
	VPSRLD       $8, Z0, Z2 \
	VPANDD       Z26, Z2, Z2 \
	VEXTRACTI64X4 $1, Z1, Y5 \
	KXNORW       K0, K0, K1 \
	VPGATHERDQ   (R8)(Y1*8), K1, Z6 \
	KXNORW       K0, K0, K2 \
	VPGATHERDQ   (R8)(Y5*8), K2, Z7 \
	VMOVDQA32    Z23, Z3 \
	VPERMI2D     Z7, Z6, Z3 \
	VMOVDQA32    Z22, Z4 \
	VPERMI2D     Z7, Z6, Z4 \
	VPCMPUD      $1, Z3, Z2, K3 \
	VCVTDQ2PS    Z2, Z2 \
	VMULPS       Z4, Z2, Z2 \
	VPANDD       Z25, Z0, Z0 \
	VPORD        Z0, Z2, Z2 \
	VMOVUPS      Z2, (DI)
