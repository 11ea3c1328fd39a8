#include "textflag.h"

// func dot4x2AVX(n int, a0, a1, a2, a3, b0, b1 *float64, s *[8]float64)
// n is a multiple of 4; s[2i+j] = sum over lanes of FMA(ai, bj), lanes added (l0+l2)+(l1+l3).
TEXT ·dot4x2AVX(SB), NOSPLIT, $0-64
	MOVQ n+0(FP), CX
	MOVQ a0+8(FP), R8
	MOVQ a1+16(FP), R9
	MOVQ a2+24(FP), R10
	MOVQ a3+32(FP), R11
	MOVQ b0+40(FP), R12
	MOVQ b1+48(FP), R13
	MOVQ s+56(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (R12)(AX*8), Y8
	VMOVUPD (R13)(AX*8), Y9
	VMOVUPD (R8)(AX*8), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VMOVUPD (R9)(AX*8), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VMOVUPD (R10)(AX*8), Y12
	VFMADD231PD Y8, Y12, Y4
	VFMADD231PD Y9, Y12, Y5
	VMOVUPD (R11)(AX*8), Y13
	VFMADD231PD Y8, Y13, Y6
	VFMADD231PD Y9, Y13, Y7
	ADDQ $4, AX
	JMP  loop

done:
#define HSUM(Y, X, off) \
	VEXTRACTF128 $1, Y, X14; \
	VADDPD X, X14, X14; \
	VUNPCKHPD X14, X14, X15; \
	VADDSD X15, X14, X14; \
	VMOVSD X14, off(DI)

	HSUM(Y0, X0, 0)
	HSUM(Y1, X1, 8)
	HSUM(Y2, X2, 16)
	HSUM(Y3, X3, 24)
	HSUM(Y4, X4, 32)
	HSUM(Y5, X5, 40)
	HSUM(Y6, X6, 48)
	HSUM(Y7, X7, 56)
	VZEROUPPER
	RET

// func dotAxpyAVX(n int, row, x, y *float64, alpha float64) float64
// n is a multiple of 8: returns the sum of FMA(row, x) in eight lanes (two registers, added
// lane by lane, then (l0+l2)+(l1+l3)), and sets y = FMA(row, alpha, y).
TEXT ·dotAxpyAVX(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ row+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ y+24(FP), DI
	VBROADCASTSD alpha+32(FP), Y15
	VXORPD Y0, Y0, Y0
	VXORPD Y3, Y3, Y3
	XORQ AX, AX

dloop:
	CMPQ AX, CX
	JGE  ddone
	VMOVUPD (SI)(AX*8), Y1
	VMOVUPD 32(SI)(AX*8), Y4
	VFMADD231PD (DX)(AX*8), Y1, Y0
	VFMADD231PD 32(DX)(AX*8), Y4, Y3
	VMOVUPD (DI)(AX*8), Y2
	VMOVUPD 32(DI)(AX*8), Y5
	VFMADD231PD Y15, Y1, Y2
	VFMADD231PD Y15, Y4, Y5
	VMOVUPD Y2, (DI)(AX*8)
	VMOVUPD Y5, 32(DI)(AX*8)
	ADDQ $8, AX
	JMP  dloop

ddone:
	VADDPD Y3, Y0, Y0
	VEXTRACTF128 $1, Y0, X14
	VADDPD X0, X14, X14
	VUNPCKHPD X14, X14, X15
	VADDSD X15, X14, X14
	VMOVSD X14, ret+40(FP)
	VZEROUPPER
	RET

// func syr2RowAVX(n int, row, x, y *float64, nxr, nyr float64)
// n is a multiple of 4: row = FMA(nyr, x, FMA(nxr, y, row)).
TEXT ·syr2RowAVX(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ row+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ y+24(FP), DI
	VBROADCASTSD nxr+32(FP), Y14
	VBROADCASTSD nyr+40(FP), Y15
	XORQ AX, AX

sloop:
	CMPQ AX, CX
	JGE  sdone
	VMOVUPD (SI)(AX*8), Y0
	VFMADD231PD (DI)(AX*8), Y14, Y0
	VFMADD231PD (DX)(AX*8), Y15, Y0
	VMOVUPD Y0, (SI)(AX*8)
	ADDQ $4, AX
	JMP  sloop

sdone:
	VZEROUPPER
	RET

// func updateDotAxpyAVX(n int, row, vp, wp, x, y *float64, nvr, nwr, alpha float64) float64
// n is a multiple of 8: syr2RowAVX's update of row by vp and wp (nvr, nwr the negated
// scalars), then dotAxpyAVX of the updated row with x, y and alpha, in one pass.
TEXT ·updateDotAxpyAVX(SB), NOSPLIT, $0-80
	MOVQ n+0(FP), CX
	MOVQ row+8(FP), SI
	MOVQ vp+16(FP), R8
	MOVQ wp+24(FP), R9
	MOVQ x+32(FP), DX
	MOVQ y+40(FP), DI
	VBROADCASTSD nvr+48(FP), Y13
	VBROADCASTSD nwr+56(FP), Y14
	VBROADCASTSD alpha+64(FP), Y15
	VXORPD Y0, Y0, Y0
	VXORPD Y3, Y3, Y3
	XORQ AX, AX

uloop:
	CMPQ AX, CX
	JGE  udone
	VMOVUPD (SI)(AX*8), Y1
	VMOVUPD 32(SI)(AX*8), Y4
	VFMADD231PD (R9)(AX*8), Y13, Y1
	VFMADD231PD 32(R9)(AX*8), Y13, Y4
	VFMADD231PD (R8)(AX*8), Y14, Y1
	VFMADD231PD 32(R8)(AX*8), Y14, Y4
	VMOVUPD Y1, (SI)(AX*8)
	VMOVUPD Y4, 32(SI)(AX*8)
	VFMADD231PD (DX)(AX*8), Y1, Y0
	VFMADD231PD 32(DX)(AX*8), Y4, Y3
	VMOVUPD (DI)(AX*8), Y2
	VMOVUPD 32(DI)(AX*8), Y5
	VFMADD231PD Y15, Y1, Y2
	VFMADD231PD Y15, Y4, Y5
	VMOVUPD Y2, (DI)(AX*8)
	VMOVUPD Y5, 32(DI)(AX*8)
	ADDQ $8, AX
	JMP  uloop

udone:
	VADDPD Y3, Y0, Y0
	VEXTRACTF128 $1, Y0, X14
	VADDPD X0, X14, X14
	VUNPCKHPD X14, X14, X15
	VADDSD X15, X14, X14
	VMOVSD X14, ret+72(FP)
	VZEROUPPER
	RET

// func dotAVX(n int, a, b *float64) float64
// n is a multiple of 8: the sum of FMA(a, b) in eight lanes, as dotAxpyAVX.
TEXT ·dotAVX(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	VXORPD Y0, Y0, Y0
	VXORPD Y3, Y3, Y3
	XORQ AX, AX

tloop:
	CMPQ AX, CX
	JGE  tdone
	VMOVUPD (SI)(AX*8), Y1
	VMOVUPD 32(SI)(AX*8), Y4
	VFMADD231PD (DX)(AX*8), Y1, Y0
	VFMADD231PD 32(DX)(AX*8), Y4, Y3
	ADDQ $8, AX
	JMP  tloop

tdone:
	VADDPD Y3, Y0, Y0
	VEXTRACTF128 $1, Y0, X14
	VADDPD X0, X14, X14
	VUNPCKHPD X14, X14, X15
	VADDSD X15, X14, X14
	VMOVSD X14, ret+24(FP)
	VZEROUPPER
	RET
