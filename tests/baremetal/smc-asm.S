/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code patched by smc.c. smc_same patches its own page (the block that
 * stores runs on the page it modifies); smc_t* live on another page.
 * Every target is position independent so it can also be copied.
 */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.set	mips64r2

#define LA(r, sym) lui r, %hi(sym); addiu r, r, %lo(sym)

	.section .smc, "ax"
/* smc_same(word): store word over the `li v0` at 2f, synci, jr.hb to it */
	.globl	smc_same
smc_same:
	LA(t0, 2f)
	beqz	a0, 1f
	nop
	sw	a0, 0(t0)
	synci	0(t0)
	sync
1:	jr.hb	t0
	nop
2:	li	v0, 1
	jr	ra
	nop

	.section .smc2, "ax"
	.globl	smc_t1, smc_t2, smc_t3, smc_t4, smc_t5, smc_t6, smc_t7
	.balign	64
smc_t1:	li	v0, 1
	jr	ra
	nop
	.balign	64
smc_t2:	li	v0, 1
	jr	ra
	nop
	.balign	64
smc_t3:	li	v0, 1
	jr	ra
	nop
	.balign	64
smc_t4:	li	v0, 1
	jr	ra
	nop
	.balign	64
/* the patched instruction sits in a delay slot */
smc_t5:	jr	ra
	li	v0, 1
	.balign	64
/* patching the branch changes the control flow */
smc_t6:	b	1f
	nop
	li	v0, 2
	jr	ra
	nop
1:	li	v0, 1
	jr	ra
	nop
	.balign	64
/* a loop: the patched add runs many times in a hot block */
smc_t7:	li	v0, 0
	li	t0, 100
1:	addiu	v0, v0, 1
	addiu	t0, t0, -1
	bnez	t0, 1b
	nop
	jr	ra
	nop
	.globl	smc_end2
smc_end2:
