/* SPDX-License-Identifier: GPL-2.0 */
/* eret and LL/SC snippets for irq.c. */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.set	mips64r2
	.text

#define LA(r, sym) lui r, %hi(sym); addiu r, r, %lo(sym)

/* eret with EXL = 1 goes to EPC: v0 = 1 there, v1 = Status after it */
	.globl	e_eret_exl
e_eret_exl:
	li	v0, 0
	LA(t0, 1f)
	dmtc0	t0, $14
	mfc0	t1, $12
	ori	t1, t1, ST_EXL
	mtc0	t1, $12
	ehb
	eret
	li	v0, 3		/* never runs: eret has no delay slot */
1:	mfc0	v1, $12
	jr	ra
	addiu	v0, v0, 1

/* eret with ERL = 1 (a0 = extra Status bits, e.g. EXL) goes to ErrorEPC: v0 = 1, EPC would give 2 */
	.globl	e_eret_erl
e_eret_erl:
	li	v0, 0
	LA(t0, 1f)
	dmtc0	t0, $30
	LA(t0, 2f)
	dmtc0	t0, $14
	mfc0	t1, $12
	ori	t1, t1, ST_ERL
	or	t1, t1, a0
	mtc0	t1, $12
	ehb
	eret
	li	v0, 3
1:	mfc0	v1, $12
	jr	ra
	addiu	v0, v0, 1
2:	mfc0	v1, $12
	jr	ra
	addiu	v0, v0, 2

/* ll; sc: v0 = sc's result */
	.globl	e_llsc
e_llsc:
	ll	t0, 0(a0)
	addiu	t0, t0, 1
	sc	t0, 0(a0)
	jr	ra
	move	v0, t0

/* ll; syscall (the handler erets); sc: must fail */
	.globl	e_llsc_syscall
e_llsc_syscall:
	ll	t0, 0(a0)
	syscall
	addiu	t0, t0, 1
	sc	t0, 0(a0)
	jr	ra
	move	v0, t0

/* lld; eret (EXL set by hand); scd: must fail */
	.globl	e_llsc_eret
e_llsc_eret:
	lld	t0, 0(a0)
	LA(t1, 1f)
	dmtc0	t1, $14
	mfc0	t1, $12
	ori	t1, t1, ST_EXL
	mtc0	t1, $12
	ehb
	eret
1:	daddiu	t0, t0, 1
	scd	t0, 0(a0)
	jr	ra
	move	v0, t0


/* eret (EXL = 1, IE = 1) to e_eret_irq_at with an interrupt pending: taken there */
	.globl	e_eret_irq, e_eret_irq_at
e_eret_irq:
	LA(t0, e_eret_irq_at)
	dmtc0	t0, $14
	mfc0	t1, $12
	ori	t1, t1, ST_EXL | ST_IE
	mtc0	t1, $12
	ehb
	eret
e_eret_irq_at:
	jr	ra
	nop
