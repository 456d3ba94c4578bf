/* SPDX-License-Identifier: GPL-2.0 */
/* The secondary CPU's entry (released by the CM at a 4 KiB aligned reset base). */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.set	mips64r2

	.section .smc, "ax"
	.balign	4096
	.globl	sec_entry
sec_entry:
	li	t0, ST_KX | ST_SX | ST_UX	/* kernel mode, BEV = ERL = 0, interrupts off */
	mtc0	t0, $12
	ehb
	lui	sp, %hi(sec_stack + 8192)
	addiu	sp, sp, %lo(sec_stack + 8192)
	lui	t0, %hi(secondary_main)
	addiu	t0, t0, %lo(secondary_main)
	jalr	t0
	nop
1:	b	1b
	nop
