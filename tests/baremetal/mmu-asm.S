/* SPDX-License-Identifier: GPL-2.0 */
/* Snippets for mmu.c: kernel mode by EXL or ERL, whatever KSU says. */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.set	mips64r2
	.text

/* Status |= a1 (EXL or ERL, plus KSU = user); v0 = load from a0; v1 = Status; restore. */
	.globl	m_load_with_status, m_load_with_status_res
m_load_with_status:
	li	v0, 0x1234
	mfc0	t0, $12
	or	t1, t0, a1
	mtc0	t1, $12
	ehb
	ld	v0, 0(a0)
	mfc0	v1, $12
	mtc0	t0, $12
	ehb
	jr	ra
	nop
m_load_with_status_res:
	mtc0	t0, $12
	ehb
	jr	ra
	nop
