/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry, exception vectors and the common exception path of the bare-metal
 * test runtime. Everything runs in ckseg0 and is built with -msym32, so a
 * symbol address is a lui/addiu pair.
 */
#include "regdef.h"

	.set	noreorder
	.set	noat

	.section .text.start, "ax"
	.globl	_start
_start:
	/* Kernel mode, EXL/ERL/BEV clear, interrupts off, 64-bit segments on. */
	li	t0, ST_KX | ST_SX | ST_UX
	mtc0	t0, $12
	ehb
	mtc0	zero, $13		/* Cause: IV = 0, software IPs clear */
	/* Clear .bss (the loader should have, but do not rely on it). */
	lui	t0, %hi(__bss_start)
	addiu	t0, t0, %lo(__bss_start)
	lui	t1, %hi(__bss_end)
	addiu	t1, t1, %lo(__bss_end)
1:	beq	t0, t1, 2f
	nop
	sd	zero, 0(t0)
	b	1b
	daddiu	t0, t0, 8
2:	lui	sp, %hi(__stack_top)
	addiu	sp, sp, %lo(__stack_top)
	lui	t0, %hi(vectors_a)
	addiu	t0, t0, %lo(vectors_a)
	mtc0	t0, $15, 1		/* EBase */
	ehb
	jal	bm_entry		/* a0, a1: the boot arguments, as given */
	nop
3:	b	3b
	nop

/* One vector stub: k1 = vector id, then the common path. */
#define VECTOR(id)				\
	lui	k0, %hi(exc_common);		\
	addiu	k0, k0, %lo(exc_common);	\
	jr	k0;				\
	ori	k1, zero, (id)

	.section .vectors, "ax"
	.balign	4096
	.globl	vectors_a
vectors_a:
	.org	vectors_a + 0x000
	VECTOR(VEC_TABLE_A + 0x000)
	.org	vectors_a + 0x080
	VECTOR(VEC_TABLE_A + 0x080)
	.org	vectors_a + 0x100
	VECTOR(VEC_TABLE_A + 0x100)
	.org	vectors_a + 0x180
	VECTOR(VEC_TABLE_A + 0x180)
	.org	vectors_a + 0x200
	VECTOR(VEC_TABLE_A + 0x200)
	.org	vectors_a + 0x220
	VECTOR(VEC_TABLE_A + 0x220)
	.org	vectors_a + 0x240
	VECTOR(VEC_TABLE_A + 0x240)
	.org	vectors_a + 0x260
	VECTOR(VEC_TABLE_A + 0x260)
	.org	vectors_a + 0x280
	VECTOR(VEC_TABLE_A + 0x280)
	.org	vectors_a + 0x2a0
	VECTOR(VEC_TABLE_A + 0x2a0)
	.org	vectors_a + 0x2c0
	VECTOR(VEC_TABLE_A + 0x2c0)
	.org	vectors_a + 0x2e0
	VECTOR(VEC_TABLE_A + 0x2e0)
	.org	vectors_a + 0x300
	VECTOR(VEC_TABLE_A + 0x300)
	.org	vectors_a + 0x380
	VECTOR(VEC_TABLE_A + 0x380)

	.balign	4096
	.globl	vectors_b
vectors_b:
	.org	vectors_b + 0x000
	VECTOR(VEC_TABLE_B + 0x000)
	.org	vectors_b + 0x080
	VECTOR(VEC_TABLE_B + 0x080)
	.org	vectors_b + 0x100
	VECTOR(VEC_TABLE_B + 0x100)
	.org	vectors_b + 0x180
	VECTOR(VEC_TABLE_B + 0x180)
	.org	vectors_b + 0x200
	VECTOR(VEC_TABLE_B + 0x200)
	.org	vectors_b + 0x280
	VECTOR(VEC_TABLE_B + 0x280)

	.balign	4096
	/* A stub that can be copied to the BEV area: 4 instructions, id in the last one. */
	.globl	bev_stub
bev_stub:
	VECTOR(VEC_BEV)

	.text
/*
 * Common exception path: save every GPR but k0/k1 in exc_frame, call
 * exc_dispatch(frame) on the exception stack, restore (EPC from the frame,
 * which the handler may have changed) and eret.
 */
exc_common:
	lui	k0, %hi(exc_frame)
	addiu	k0, k0, %lo(exc_frame)
	sd	$1, FR_REG(1)(k0)
	sd	$2, FR_REG(2)(k0)
	sd	$3, FR_REG(3)(k0)
	sd	$4, FR_REG(4)(k0)
	sd	$5, FR_REG(5)(k0)
	sd	$6, FR_REG(6)(k0)
	sd	$7, FR_REG(7)(k0)
	sd	$8, FR_REG(8)(k0)
	sd	$9, FR_REG(9)(k0)
	sd	$10, FR_REG(10)(k0)
	sd	$11, FR_REG(11)(k0)
	sd	$12, FR_REG(12)(k0)
	sd	$13, FR_REG(13)(k0)
	sd	$14, FR_REG(14)(k0)
	sd	$15, FR_REG(15)(k0)
	sd	$16, FR_REG(16)(k0)
	sd	$17, FR_REG(17)(k0)
	sd	$18, FR_REG(18)(k0)
	sd	$19, FR_REG(19)(k0)
	sd	$20, FR_REG(20)(k0)
	sd	$21, FR_REG(21)(k0)
	sd	$22, FR_REG(22)(k0)
	sd	$23, FR_REG(23)(k0)
	sd	$24, FR_REG(24)(k0)
	sd	$25, FR_REG(25)(k0)
	sd	$28, FR_REG(28)(k0)
	sd	$29, FR_REG(29)(k0)
	sd	$30, FR_REG(30)(k0)
	sd	$31, FR_REG(31)(k0)
	mfhi	t0
	sd	t0, FR_REG(26)(k0)	/* hi/lo kept in the k0/k1 slots */
	mflo	t0
	sd	t0, FR_REG(27)(k0)
	sd	k1, FR_VEC(k0)
	dmfc0	t0, $14
	sd	t0, FR_EPC(k0)
	lui	sp, %hi(exc_stack + 8192)
	addiu	sp, sp, %lo(exc_stack + 8192)
	jal	exc_dispatch
	move	a0, k0
	lui	k0, %hi(exc_frame)
	addiu	k0, k0, %lo(exc_frame)
	ld	t0, FR_EPC(k0)
	dmtc0	t0, $14
	ld	t0, FR_REG(26)(k0)
	mthi	t0
	ld	t0, FR_REG(27)(k0)
	mtlo	t0
	ld	$1, FR_REG(1)(k0)
	ld	$2, FR_REG(2)(k0)
	ld	$3, FR_REG(3)(k0)
	ld	$4, FR_REG(4)(k0)
	ld	$5, FR_REG(5)(k0)
	ld	$6, FR_REG(6)(k0)
	ld	$7, FR_REG(7)(k0)
	ld	$8, FR_REG(8)(k0)
	ld	$9, FR_REG(9)(k0)
	ld	$10, FR_REG(10)(k0)
	ld	$11, FR_REG(11)(k0)
	ld	$12, FR_REG(12)(k0)
	ld	$13, FR_REG(13)(k0)
	ld	$14, FR_REG(14)(k0)
	ld	$15, FR_REG(15)(k0)
	ld	$16, FR_REG(16)(k0)
	ld	$17, FR_REG(17)(k0)
	ld	$18, FR_REG(18)(k0)
	ld	$19, FR_REG(19)(k0)
	ld	$20, FR_REG(20)(k0)
	ld	$21, FR_REG(21)(k0)
	ld	$22, FR_REG(22)(k0)
	ld	$23, FR_REG(23)(k0)
	ld	$24, FR_REG(24)(k0)
	ld	$25, FR_REG(25)(k0)
	ld	$28, FR_REG(28)(k0)
	ld	$29, FR_REG(29)(k0)
	ld	$30, FR_REG(30)(k0)
	ld	$31, FR_REG(31)(k0)
	eret
	nop

/*
 * go_user(pc, a1, a2): enter user mode at pc (Status.KSU = user, EXL set, eret).
 * The user code ends with `syscall`; the handler then resumes here in kernel
 * mode with the registers the user code left (v0/v1 carry results).
 * The user code must not touch s0-s8, sp, gp or ra.
 */
	.globl	go_user, go_super
go_super:
	b	2f
	li	t3, 0x08		/* KSU = supervisor */
go_user:
	li	t3, ST_KSU_USER
2:	lui	t1, %hi(1f)
	addiu	t1, t1, %lo(1f)
	lui	t2, %hi(exc_user_return)
	sd	t1, %lo(exc_user_return)(t2)
	dmtc0	a0, $14
	mfc0	t0, $12
	ori	t0, t0, ST_EXL
	or	t0, t0, t3
	mtc0	t0, $12
	ehb
	eret
	nop
1:	jr	ra
	nop

/* bm_poweroff: interrupts off, every IM clear, wait: the VMM exits 0. */
	.globl	bm_poweroff
bm_poweroff:
	mfc0	t0, $12
	li	t1, ~(ST_IE | ST_IM_ALL)
	and	t0, t0, t1
	mtc0	t0, $12
	ehb
1:	wait
	b	1b
	nop
