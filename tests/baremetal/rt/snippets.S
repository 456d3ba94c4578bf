/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Faulting snippets for the test programs. Each `NAME` is a function whose faulting
 * instruction is at `NAME_at`; NAME_res is a label past it where a test can
 * resume (exc_resume) when EPC+4 is not the way back.
 */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.text

#define FN(name)	.globl name, name##_at, name##_res; .balign 8; name:
#define AT(name)	name##_at:
#define RES(name)	name##_res: jr ra; nop

/* v0 preset to 0x1234 so a test can see that a faulting op did not write it */
#define ONE(name, insn...) FN(name) li v0, 0x1234; AT(name) insn; RES(name)

ONE(f_lw, lw v0, 0(a0))
ONE(f_lwu, lwu v0, 0(a0))
ONE(f_lh, lh v0, 0(a0))
ONE(f_lhu, lhu v0, 0(a0))
ONE(f_ld, ld v0, 0(a0))
ONE(f_lb, lb v0, 0(a0))
ONE(f_sw, sw a1, 0(a0))
ONE(f_sh, sh a1, 0(a0))
ONE(f_sd, sd a1, 0(a0))
ONE(f_sb, sb a1, 0(a0))
ONE(f_ll, ll v0, 0(a0))
ONE(f_sc, sc a1, 0(a0))
ONE(f_syscall, syscall)
ONE(f_break, break)
ONE(f_ri_op, .word 0xec000000)		/* major opcode 0x3b: reserved in MIPS64R2 */
ONE(f_ri_special, .word 0x00000028)	/* SPECIAL function 0x28: reserved */
ONE(f_cop1, .word 0x44020000)		/* mfc1 v0, $f0 */
ONE(f_ldc1, .word 0xd4800000)		/* ldc1 $f0, 0(a0) */
ONE(f_sdc1, .word 0xf4800000)		/* sdc1 $f0, 0(a0) */
ONE(f_lwc1, .word 0xc4800000)		/* lwc1 $f0, 0(a0) */
ONE(f_cfc1, .word 0x4442f800)		/* cfc1 v0, $31 */
FN(f_bc1f) li v0, 0x1234; AT(f_bc1f) .word 0x45000001; nop; nop; RES(f_bc1f)	/* bc1f .+8 */
ONE(f_movf, .word 0x00801001)		/* movf v0, a0, $fcc0 */
ONE(f_cop1x, .word 0x4c800001)		/* ldxc1 $f0, zero(a0) */
ONE(f_add, add v0, a0, a1)
ONE(f_addi, addi v0, a0, 1)
ONE(f_sub, sub v0, a0, a1)
ONE(f_dadd, dadd v0, a0, a1)
ONE(f_daddi, daddi v0, a0, 1)
ONE(f_dsub, dsub v0, a0, a1)
ONE(f_addu, addu v0, a0, a1)
ONE(f_teq, teq a0, a1)
ONE(f_tne, tne a0, a1)
ONE(f_tge, tge a0, a1)
ONE(f_tltu, tltu a0, a1)
ONE(f_teqi, teqi a0, 5)
ONE(f_tgei, tgei a0, -1)
ONE(f_tlti, tlti a0, -1)
ONE(f_tnei, tnei a0, 5)

/* A load in the delay slot of a taken branch: EPC = the branch, BD = 1. */
FN(f_bd_taken)
	li	v0, 0x1234
AT(f_bd_taken)
	beq	zero, zero, 1f
	lw	v0, 0(a0)
1:
RES(f_bd_taken)

/* ... of a branch that is not taken (a1 = 0): still in a delay slot. */
FN(f_bd_nottaken)
	li	v0, 0x1234
AT(f_bd_nottaken)
	bne	a1, zero, 1f
	lw	v0, 0(a0)
1:
RES(f_bd_nottaken)

/* (a1 = 0) A not-taken branch-likely nullifies its delay slot: no exception. */
FN(f_bdl_nottaken)
	li	v0, 0x1234
AT(f_bdl_nottaken)
	bnel	a1, zero, 1f
	lw	v0, 0(a0)
1:
RES(f_bdl_nottaken)

/* In the delay slot of jr (a1 = target = f_bd_jr_res). */
FN(f_bd_jr)
	li	v0, 0x1234
AT(f_bd_jr)
	jr	a1
	lw	v0, 0(a0)
RES(f_bd_jr)

/* syscall in a delay slot */
FN(f_bd_syscall)
	li	v0, 0x1234
AT(f_bd_syscall)
	beq	zero, zero, 1f
	syscall
1:
RES(f_bd_syscall)

/* Jump to a0 (an unaligned address): AdEL on the fetch, EPC = BadVAddr = a0. */
FN(f_jump)
AT(f_jump)
	jr	a0
	nop
RES(f_jump)

/*
 * With Status.EXL = 1 and EPC = a1, load from a0 (unmapped): the refill goes
 * to the general vector and EPC keeps a1. Resumes at f_exl_refill_res.
 */
FN(f_exl_refill)
	mfc0	t0, $12
	ori	t0, t0, ST_EXL
	dmtc0	a1, $14
	mtc0	t0, $12
	ehb
AT(f_exl_refill)
	lw	v0, 0(a0)
	nop
RES(f_exl_refill)

/* A load in the delay slot of a taken branch-likely: EPC = the branch, BD = 1. */
FN(f_bdl_taken)
	li	v0, 0x1234
AT(f_bdl_taken)
	beql	zero, zero, 1f
	lw	v0, 0(a0)
1:
RES(f_bdl_taken)

/* call_hb(fn): call fn with jalr.hb (clears the instruction hazard); returns its v0 */
	.globl	call_hb, call_hb2
call_hb:
call_hb2:			/* call_hb2(fn, arg): fn sees arg in a1 */
	daddiu	sp, sp, -16
	sd	ra, 0(sp)
	jalr.hb	a0
	nop
	ld	ra, 0(sp)
	jr	ra
	daddiu	sp, sp, 16


/* The first instruction at a taken branch's target faults: EPC = it, BD = 0. */
FN(f_after_branch)
	li	v0, 0x1234
	beq	zero, zero, 1f
	nop
	nop
AT(f_after_branch)
1:	lw	v0, 0(a0)
RES(f_after_branch)

/* ... and at a taken branch-likely's target */
FN(f_after_bl)
	li	v0, 0x1234
	beql	zero, zero, 1f
	nop
	nop
AT(f_after_bl)
1:	lw	v0, 0(a0)
RES(f_after_bl)

/* kernel version of u_count */
FN(f_count)
	li	v0, 0
	move	t0, a0
AT(f_count)
1:	addiu	t0, t0, -1
	bnez	t0, 1b
	addiu	v0, v0, 1
RES(f_count)
