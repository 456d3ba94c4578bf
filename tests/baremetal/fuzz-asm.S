/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_user(pc): run user code that may clobber any register; any
 * exception (exc_user_abort) or its syscall comes back here, and the
 * kernel's callee-saved registers are restored from fuzz_save.
 */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.text

#define LA(r, sym) lui r, %hi(sym); addiu r, r, %lo(sym)

	.globl	fuzz_user
fuzz_user:
	LA(t0, fuzz_save)
	sd	$16, 0(t0)
	sd	$17, 8(t0)
	sd	$18, 16(t0)
	sd	$19, 24(t0)
	sd	$20, 32(t0)
	sd	$21, 40(t0)
	sd	$22, 48(t0)
	sd	$23, 56(t0)
	sd	$28, 64(t0)
	sd	$29, 72(t0)
	sd	$30, 80(t0)
	sd	$31, 88(t0)
	LA(t1, 1f)
	LA(t2, exc_user_return)
	sd	t1, 0(t2)
	dmtc0	a0, $14
	mfc0	t0, $12
	ori	t0, t0, ST_EXL | ST_KSU_USER
	mtc0	t0, $12
	ehb
	eret
	nop
1:	LA(t0, fuzz_save)
	ld	$16, 0(t0)
	ld	$17, 8(t0)
	ld	$18, 16(t0)
	ld	$19, 24(t0)
	ld	$20, 32(t0)
	ld	$21, 40(t0)
	ld	$22, 48(t0)
	ld	$23, 56(t0)
	ld	$28, 64(t0)
	ld	$29, 72(t0)
	ld	$30, 80(t0)
	ld	$31, 88(t0)
	jr	ra
	nop

	.bss
	.balign	8
fuzz_save:
	.space	96
