/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-mode code shaped like what trips up a dynamic code patcher (see
 * patch.c): loads/stores of every width through odd base registers, link
 * registers, delay slots that change their branch's sources, branch-likely
 * slots, faults in delay slots, blocks using 30 GPRs (28 with a fault), code
 * reading itself, jump tables, recursion through jalr, CP0 round trips, CP0
 * writes and interrupts in mid-block, di/ei, a hot loop, a long straight-line
 * block and self-modifying code (in .smc, placed to the page).
 */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.set	mips64r2

#define LA(r, sym) lui r, %hi(sym); addiu r, r, %lo(sym)
#define FN(name) .globl name; .balign 8; name:
#define L(name) .globl name; name:

	.text
/* phb_call(fn, x, y): fn(x, y) through jalr.hb (after code was patched) */
FN(phb_call)
	daddiu	sp, sp, -16
	sd	ra, 0(sp)
	move	t9, a0
	move	a0, a1
	jalr.hb	t9
	move	a1, a2
	ld	ra, 0(sp)
	jr	ra
	daddiu	sp, sp, 16

/*
 * LSSEQ b: with b = window + 64, a1 = out[25], a2 = store value, a3 = preset
 * for the partial loads: 24 loads (incl. ll/sc, lld/scd) then 16 stores.
 * Temporaries: t0-t3 only (b is never one of them, nor t8).
 */
	.macro	LSSEQ b
	lb	t0, -61(\b)
	sd	t0, 0(a1)
	lbu	t0, -61(\b)
	sd	t0, 8(a1)
	lb	t0, 13(\b)
	sd	t0, 16(a1)
	lbu	t0, 13(\b)
	sd	t0, 24(a1)
	lh	t0, -62(\b)
	sd	t0, 32(a1)
	lhu	t0, -62(\b)
	sd	t0, 40(a1)
	lh	t0, 22(\b)
	sd	t0, 48(a1)
	lhu	t0, 22(\b)
	sd	t0, 56(a1)
	lw	t0, -60(\b)
	sd	t0, 64(a1)
	lwu	t0, -60(\b)
	sd	t0, 72(a1)
	lw	t0, 20(\b)
	sd	t0, 80(a1)
	lwu	t0, 20(\b)
	sd	t0, 88(a1)
	ld	t0, -56(\b)
	sd	t0, 96(a1)
	ld	t0, 24(\b)
	sd	t0, 104(a1)
	move	t0, a3			/* unaligned word at -51: lwr + lwl */
	lwr	t0, -51(\b)
	lwl	t0, -48(\b)
	sd	t0, 112(a1)
	move	t0, a3			/* unaligned dword at 33: ldr + ldl */
	ldr	t0, 33(\b)
	ldl	t0, 40(\b)
	sd	t0, 120(a1)
	move	t0, a3			/* partial loads merge into the preset */
	lwl	t0, -47(\b)
	sd	t0, 128(a1)
	move	t0, a3
	lwr	t0, 30(\b)
	sd	t0, 136(a1)
	move	t0, a3
	ldl	t0, -38(\b)
	sd	t0, 144(a1)
	move	t0, a3
	ldr	t0, 45(\b)
	sd	t0, 152(a1)
	/*
	 * ll/sc and lld/scd with nothing in between; SC may still fail if
	 * something (an exception) clears LLbit, so up to 8 tries each,
	 * the failures counted in t2 -> out[24].
	 */
	li	t2, 0
1:	ll	t0, -44(\b)
	addu	t1, t0, a2
	sc	t1, -44(\b)
	bnez	t1, 2f
	sltiu	t3, t2, 7
	bnez	t3, 1b
	addiu	t2, t2, 1
2:	sd	t0, 160(a1)
	sd	t1, 168(a1)
3:	lld	t0, -32(\b)
	daddu	t1, t0, a2
	scd	t1, -32(\b)
	bnez	t1, 4f
	sltiu	t3, t2, 15
	bnez	t3, 3b
	addiu	t2, t2, 1
4:	sd	t0, 176(a1)
	sd	t1, 184(a1)
	sd	t2, 192(a1)
	sb	a2, -63(\b)
	sh	a2, -58(\b)
	sw	a2, -52(\b)
	sd	a2, -24(\b)
	sb	a2, 3(\b)
	sh	a2, 10(\b)
	sw	a2, 16(\b)
	sd	a2, 48(\b)
	swl	a3, -39(\b)
	swr	a3, 5(\b)
	sdl	a3, -13(\b)
	sdr	a3, 58(\b)
	swr	a3, 29(\b)		/* unaligned word store at 29 */
	swl	a3, 32(\b)
	sdr	a3, -7(\b)		/* unaligned dword store at -7 */
	sdl	a3, 0(\b)
	.endm

/* ls_<reg>(window + 64, out, store value, preset): LSSEQ with <reg> as the base */
	.macro	LSV name, reg
FN(ls_\name)
	daddiu	sp, sp, -32
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	s8, 16(sp)
	move	t8, sp
	move	\reg, a0
	LSSEQ	\reg
	move	sp, t8
	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	s8, 16(sp)
	jr	ra
	daddiu	sp, sp, 32
	.endm

	LSV	A0, a0			/* (names in capitals: regdef.h defines a0 etc.) */
	LSV	SP, sp
	LSV	GP, gp
	LSV	AT, $1
	LSV	K0, k0
	LSV	K1, k1
	LSV	T9, t9
	LSV	RA, ra
	LSV	S8, s8

/*
 * Link registers. link_run(out) is position independent but for jal (which
 * stays in the 256 MiB region it runs in), so it runs through ckseg0, ckseg1
 * and xkphys; every link must be the address in the alias it runs from.
 */
FN(lk_leaf)
	jr	ra
	move	v0, ra
FN(lk_leaf_t3)
	jr	t3
	move	v0, t3

FN(link_run)
	move	t8, ra
	jal	lk_leaf
	nop
L(lk_jal_ret)
	sd	v0, 0(a0)
	bal	lk_leaf
	nop
L(lk_bal_ret)
	sd	v0, 8(a0)
	bal	1f			/* the PC, to find lk_leaf in this alias */
	nop
1:	daddiu	t9, ra, lk_leaf - 1b
	jalr	t9
	nop
L(lk_jalr_ret)
	sd	v0, 16(a0)
	daddiu	t9, t9, lk_leaf_t3 - lk_leaf
	jalr	t3, t9
	nop
L(lk_jalr_rd_ret)
	sd	v0, 24(a0)
	li	t0, -1
	bltzal	t0, lk_leaf
	nop
L(lk_bltzal_ret)
	sd	v0, 32(a0)
	li	t1, 5
	bgezal	t1, lk_leaf
	nop
L(lk_bgezal_ret)
	sd	v0, 40(a0)
	bltzal	t1, lk_leaf		/* not taken: ra is written all the same */
	nop
L(lk_bltzal_nt)
	sd	ra, 48(a0)
	bgezall	t1, lk_leaf
	nop
L(lk_bgezall_ret)
	sd	v0, 56(a0)
	li	v1, 7
	bltzall	t1, lk_leaf		/* not taken: slot annulled, ra written */
	li	v1, 9
L(lk_bltzall_nt)
	sd	ra, 64(a0)
	sd	v1, 72(a0)
	jal	lk_leaf
	move	v1, ra			/* the slot sees the new ra */
L(lk_jal2_ret)
	sd	v1, 80(a0)
	jalr	t3, t9
	move	v1, t3			/* the slot sees the new rd */
L(lk_jalr2_ret)
	sd	v1, 88(a0)
	sd	v0, 96(a0)
	daddiu	t9, t9, lk_leaf - lk_leaf_t3
	jalr.hb	t9
	nop
L(lk_jalr_hb_ret)
	sd	v0, 104(a0)
	jr	t8
	nop

/* zb_run(out, v): loads and stores with base zero (ckseg3's last 8 KiB, mapped) */
FN(zb_run)
	ld	v0, -8192(zero)
	sd	v0, 0(a0)
	sd	a1, -8184(zero)
	lw	v1, -4092(zero)
	sd	v1, 8(a0)
	lbu	v1, -1(zero)
	jr	ra
	sd	v1, 16(a0)

/* same_run(p, out): loads whose destination is their base, a store of its base, lw zero */
FN(same_run)
	sd	a0, 8(a0)		/* p[1] = p */
	ld	a0, 0(a0)		/* a0 = p[0] = &p[2] */
	sw	a0, 4(a0)
	lwu	v0, 4(a0)
	ld	v1, -8(a0)
	sd	v0, 0(a1)
	sd	v1, 8(a1)
	lw	zero, 0(a0)		/* loads nothing into zero */
	daddu	v0, zero, zero
	sd	v0, 16(a1)
	move	t0, a0
	ldr	t0, 1(t0)		/* merges into its own base */
	sd	t0, 24(a1)
	lwl	a0, 3(a0)
	jr	ra
	sd	a0, 32(a1)

/* slot_tgt(a0): the slot of a taken beq is also the target of bnez (a0 != 0) */
FN(slot_tgt)
	li	v0, 0
	bnez	a0, 1f
	nop
	beq	zero, zero, 2f
1:	addiu	v0, v0, 5
	addiu	v0, v0, 100
2:	jr	ra
	nop
/* self_slot(): a branch whose target is its own delay slot: the slot runs twice */
FN(self_slot)
	li	v0, 0
	beq	zero, zero, 1f
1:	addiu	v0, v0, 1
	jr	ra
	nop

/*
 * Delay slots that change the branch's own sources: the branch uses the
 * old values. Each returns 0x100 (taken) or 0x200 (not) + a0 after the slot.
 */
FN(ds_beq)
	beq	a0, a1, 1f
	daddiu	a0, a0, 1
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
FN(ds_beq_v0)				/* beq v0, zero with move v0, a0 in the slot */
	move	v0, a1
	beq	v0, zero, 1f
	move	v0, a0
	jr	ra
	daddiu	v0, v0, 0x200
1:	jr	ra
	daddiu	v0, v0, 0x100
FN(ds_bne)
	bne	a0, a1, 1f
	move	a1, a0
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
FN(ds_blez)
	blez	a0, 1f
	dsubu	a0, zero, a0
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
FN(ds_bgtz)
	bgtz	a0, 1f
	dsubu	a0, zero, a0
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
FN(ds_bltz)
	bltz	a0, 1f
	dsubu	a0, zero, a0
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
FN(ds_bgez)
	bgez	a0, 1f
	dsubu	a0, zero, a0
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
FN(ds_beql)				/* taken: the slot runs; not taken: annulled */
	beql	a0, a1, 1f
	daddiu	a0, a0, 1
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
FN(ds_bltzl)
	bltzl	a0, 1f
	dsubu	a0, zero, a0
	jr	ra
	daddiu	v0, a0, 0x200
1:	jr	ra
	daddiu	v0, a0, 0x100
/* jr a0 / jalr a0 with a0 replaced in the slot: the old a0 is the target */
FN(ds_jr)
	jr	a0
	move	a0, a1
FN(ds_jr_ld)				/* the slot reloads the target register */
	jr	a0
	ld	a0, 0(a1)
FN(ds_jalr)
	move	t8, ra
	jalr	a0
	move	a0, a1
	jr	t8
	nop
FN(ds_jalr_rd)				/* jalr v1, a0: the pad returns through v1 */
	move	t8, ra
	jalr	v1, a0
	move	a0, a1
	jr	t8
	nop
FN(ds_jr_ra)				/* jr ra with ra restored in the slot */
	move	t8, ra
	li	v0, 2
	bal	2f
	nop
2:	daddiu	ra, ra, 1f - 2b
	jr	ra
	move	ra, t8
	jr	ra			/* not reached */
	li	v0, 3
1:	jr	ra
	li	v0, 1
/* landing pads: return 1 / 2 through ra, or through v1 (for jalr v1) */
FN(ds_pad1)
	jr	ra
	li	v0, 1
FN(ds_pad2)
	jr	ra
	li	v0, 2
FN(ds_pad1_v1)
	jr	v1
	li	v0, 1
FN(ds_pad2_v1)
	jr	v1
	li	v0, 2

/*
 * Branch-likely slots with side effects: bl_<op>(a0, a1 = word, a2 = value).
 * The first slot stores a2 to the word, the second increments v1.
 * Returns 1 if both taken (slots ran), 6 if neither (slots annulled).
 */
	.macro	BLT name, br, args:vararg
FN(bl_\name)
	move	t8, ra
	li	v1, 0
	li	v0, 0
	\br	\args, 1f
	sw	a2, 0(a1)
	ori	v0, v0, 2
1:	\br	\args, 2f
	daddiu	v1, v1, 1
	ori	v0, v0, 4
2:	move	ra, t8
	jr	ra
	daddu	v0, v0, v1
	.endm
	BLT	beql, beql, a0, zero
	BLT	bnel, bnel, a0, zero
	BLT	blezl, blezl, a0
	BLT	bgtzl, bgtzl, a0
	BLT	bltzl, bltzl, a0
	BLT	bgezl, bgezl, a0
	BLT	bltzall, bltzall, a0
	BLT	bgezall, bgezall, a0

/*
 * Loads/stores in delay slots that take an XTLB refill (a1 = unmapped page,
 * a2 = out): the handler maps the page and returns to EPC = the branch, which
 * runs again. out[0] = link or path, out[1] = the loaded value.
 */
FN(fd_jal)
	move	t8, ra
	li	v1, 0
L(fd_jal_at)
	jal	lk_leaf
	ld	v1, 0(a1)
L(fd_jal_ret)
	sd	v0, 0(a2)
	sd	v1, 8(a2)
	jr	t8
	nop
FN(fd_self)				/* the load in the slot overwrites its own base */
	move	t8, ra
L(fd_self_at)
	jal	lk_leaf
	ld	a1, 0(a1)
L(fd_self_ret)
	sd	v0, 0(a2)
	sd	a1, 8(a2)
	jr	t8
	nop
FN(fd_beql)				/* a store in a taken beql's slot (TLBS) */
	li	v0, 2
L(fd_beql_at)
	beql	a0, a0, 1f
	sd	a3, 8(a1)
	li	v0, 3
1:	sd	v0, 0(a2)
	jr	ra
	sd	zero, 8(a2)
FN(fd_jalr_rd)
	move	t8, ra
	li	v1, 0
	LA(	t9, lk_leaf_t3)
L(fd_jalr_rd_at)
	jalr	t3, t9
	lw	v1, 16(a1)
L(fd_jalr_rd_ret)
	sd	v0, 0(a2)
	sd	v1, 8(a2)
	jr	t8
	nop
FN(fd_bne_nt)				/* not taken (a0 == t0; not `bne a0, a0`: QEMU drops that) */
	li	v0, 1
	li	v1, 0
	move	t0, a0
L(fd_bne_nt_at)
	bne	a0, t0, 1f
	lwu	v1, 4(a1)
	li	v0, 2
1:	sd	v0, 0(a2)
	jr	ra
	sd	v1, 8(a2)
FN(fd_bne_same)				/* bne a0, a0: never taken, still a branch */
	li	v0, 1
	li	v1, 0
L(fd_bne_same_at)
	bne	a0, a0, 1f
	lwu	v1, 4(a1)
	li	v0, 2
1:	sd	v0, 0(a2)
	jr	ra
	sd	v1, 8(a2)
FN(fd_jr)				/* jr t9 (taken: v0 = 2) */
	move	t8, ra
	li	v1, 0
	li	v0, 2
	LA(	t9, 1f)
L(fd_jr_at)
	jr	t9
	lh	v1, 2(a1)
	li	v0, 3
1:	sd	v0, 0(a2)
	sd	v1, 8(a2)
	jr	t8
	nop

/*
 * gpr30(in[32], out[32]): one basic block that loads 30 GPRs (every one but
 * zero and a0, the base), chases a pointer through sp and gp, combines all of
 * them (k0, k1, at, gp, sp, ra included) and stores 31 through k1 (in[27] = out + 256).
 */
	.data
	.balign	8
gpr_save:
	.space	12 * 8
	.text
FN(gpr30)
	lui	$1, %hi(gpr_save)
	addiu	$1, $1, %lo(gpr_save)
	sd	sp, 0($1)
	sd	ra, 8($1)
	sd	gp, 16($1)
	sd	s8, 24($1)
	sd	$16, 32($1)
	sd	$17, 40($1)
	sd	$18, 48($1)
	sd	$19, 56($1)
	sd	$20, 64($1)
	sd	$21, 72($1)
	sd	$22, 80($1)
	sd	$23, 88($1)
	/* loads: every GPR but zero and a0 (the base): 30 */
	ld	$1, 8($4)
	ld	$2, 16($4)
	ld	$3, 24($4)
	ld	$5, 40($4)
	ld	$6, 48($4)
	ld	$7, 56($4)
	ld	$8, 64($4)
	ld	$9, 72($4)
	ld	$10, 80($4)
	ld	$11, 88($4)
	ld	$12, 96($4)
	ld	$13, 104($4)
	ld	$14, 112($4)
	ld	$15, 120($4)
	ld	$16, 128($4)
	ld	$17, 136($4)
	ld	$18, 144($4)
	ld	$19, 152($4)
	ld	$20, 160($4)
	ld	$21, 168($4)
	ld	$22, 176($4)
	ld	$23, 184($4)
	ld	$24, 192($4)
	ld	$25, 200($4)
	ld	$26, 208($4)
	ld	$27, 216($4)
	ld	$28, 224($4)
	ld	$29, 232($4)
	ld	$30, 240($4)
	ld	$31, 248($4)
	/* a pointer chase through sp and gp as base registers */
	ld	$28, 0($29)
	ld	$1, 0($28)
	ld	$26, 8($28)
	/* combine: 4 passes over 30 registers, no free register left */
	daddu	$1, $1, $2
	daddu	$2, $2, $3
	daddu	$3, $3, $5
	daddu	$5, $5, $6
	daddu	$6, $6, $7
	daddu	$7, $7, $8
	daddu	$8, $8, $9
	daddu	$9, $9, $10
	daddu	$10, $10, $11
	daddu	$11, $11, $12
	daddu	$12, $12, $13
	daddu	$13, $13, $14
	daddu	$14, $14, $15
	daddu	$15, $15, $16
	daddu	$16, $16, $17
	daddu	$17, $17, $18
	daddu	$18, $18, $19
	daddu	$19, $19, $20
	daddu	$20, $20, $21
	daddu	$21, $21, $22
	daddu	$22, $22, $23
	daddu	$23, $23, $24
	daddu	$24, $24, $25
	daddu	$25, $25, $26
	daddu	$26, $26, $28
	daddu	$28, $28, $29
	daddu	$29, $29, $30
	daddu	$30, $30, $31
	daddu	$31, $31, $4
	daddu	$4, $4, $1
	xor	$1, $1, $4
	xor	$2, $2, $1
	xor	$3, $3, $2
	xor	$5, $5, $3
	xor	$6, $6, $5
	xor	$7, $7, $6
	xor	$8, $8, $7
	xor	$9, $9, $8
	xor	$10, $10, $9
	xor	$11, $11, $10
	xor	$12, $12, $11
	xor	$13, $13, $12
	xor	$14, $14, $13
	xor	$15, $15, $14
	xor	$16, $16, $15
	xor	$17, $17, $16
	xor	$18, $18, $17
	xor	$19, $19, $18
	xor	$20, $20, $19
	xor	$21, $21, $20
	xor	$22, $22, $21
	xor	$23, $23, $22
	xor	$24, $24, $23
	xor	$25, $25, $24
	xor	$26, $26, $25
	xor	$28, $28, $26
	xor	$29, $29, $28
	xor	$30, $30, $29
	xor	$31, $31, $30
	xor	$4, $4, $31
	drotr	$1, $1, 1
	drotr	$2, $2, 2
	drotr	$3, $3, 3
	drotr	$5, $5, 4
	drotr	$6, $6, 5
	drotr	$7, $7, 6
	drotr	$8, $8, 7
	drotr	$9, $9, 8
	drotr	$10, $10, 9
	drotr	$11, $11, 10
	drotr	$12, $12, 11
	drotr	$13, $13, 12
	drotr	$14, $14, 13
	drotr	$15, $15, 14
	drotr	$16, $16, 15
	drotr	$17, $17, 16
	drotr	$18, $18, 17
	drotr	$19, $19, 18
	drotr	$20, $20, 19
	drotr	$21, $21, 20
	drotr	$22, $22, 21
	drotr	$23, $23, 22
	drotr	$24, $24, 23
	drotr	$25, $25, 24
	drotr	$26, $26, 25
	drotr	$28, $28, 26
	drotr	$29, $29, 27
	drotr	$30, $30, 28
	drotr	$31, $31, 29
	drotr	$4, $4, 30
	dsubu	$1, $1, $27
	dsubu	$2, $2, $27
	dsubu	$3, $3, $27
	dsubu	$5, $5, $27
	dsubu	$6, $6, $27
	dsubu	$7, $7, $27
	dsubu	$8, $8, $27
	dsubu	$9, $9, $27
	dsubu	$10, $10, $27
	dsubu	$11, $11, $27
	dsubu	$12, $12, $27
	dsubu	$13, $13, $27
	dsubu	$14, $14, $27
	dsubu	$15, $15, $27
	dsubu	$16, $16, $27
	dsubu	$17, $17, $27
	dsubu	$18, $18, $27
	dsubu	$19, $19, $27
	dsubu	$20, $20, $27
	dsubu	$21, $21, $27
	dsubu	$22, $22, $27
	dsubu	$23, $23, $27
	dsubu	$24, $24, $27
	dsubu	$25, $25, $27
	dsubu	$26, $26, $27
	dsubu	$28, $28, $27
	dsubu	$29, $29, $27
	dsubu	$30, $30, $27
	dsubu	$31, $31, $27
	dsubu	$4, $4, $27
	/* stores through k1 with negative offsets */
	sd	$1, -248($27)
	sd	$2, -240($27)
	sd	$3, -232($27)
	sd	$4, -224($27)
	sd	$5, -216($27)
	sd	$6, -208($27)
	sd	$7, -200($27)
	sd	$8, -192($27)
	sd	$9, -184($27)
	sd	$10, -176($27)
	sd	$11, -168($27)
	sd	$12, -160($27)
	sd	$13, -152($27)
	sd	$14, -144($27)
	sd	$15, -136($27)
	sd	$16, -128($27)
	sd	$17, -120($27)
	sd	$18, -112($27)
	sd	$19, -104($27)
	sd	$20, -96($27)
	sd	$21, -88($27)
	sd	$22, -80($27)
	sd	$23, -72($27)
	sd	$24, -64($27)
	sd	$25, -56($27)
	sd	$26, -48($27)
	sd	$27, -40($27)
	sd	$28, -32($27)
	sd	$29, -24($27)
	sd	$30, -16($27)
	sd	$31, -8($27)
	lui	$1, %hi(gpr_save)
	addiu	$1, $1, %lo(gpr_save)
	ld	sp, 0($1)
	ld	ra, 8($1)
	ld	gp, 16($1)
	ld	s8, 24($1)
	ld	$16, 32($1)
	ld	$17, 40($1)
	ld	$18, 48($1)
	ld	$19, 56($1)
	ld	$20, 64($1)
	ld	$21, 72($1)
	ld	$22, 80($1)
	jr	ra
	ld	$23, 88($1)

/*
 * gpr_fault(in[64]): 28 live GPRs (all but zero, k0, k1) and a load in
 * mid-block that takes an XTLB refill: the handler must see every register
 * as it was at the load (patch.c compares exc_log), the retry must finish it.
 */
FN(gpr_fault)
	lui	$1, %hi(gpr_save)
	addiu	$1, $1, %lo(gpr_save)
	sd	$29, 0($1)
	sd	$31, 8($1)
	sd	$28, 16($1)
	sd	$30, 24($1)
	sd	$16, 32($1)
	sd	$17, 40($1)
	sd	$18, 48($1)
	sd	$19, 56($1)
	sd	$20, 64($1)
	sd	$21, 72($1)
	sd	$22, 80($1)
	sd	$23, 88($1)
	/* 27 loads: every GPR but zero, a0 (the base), k0 and k1 (the handler's) */
	ld	$1, 8($4)
	ld	$2, 16($4)
	ld	$3, 24($4)
	ld	$5, 40($4)
	ld	$6, 48($4)
	ld	$7, 56($4)
	ld	$8, 64($4)
	ld	$9, 72($4)
	ld	$10, 80($4)
	ld	$11, 88($4)
	ld	$12, 96($4)
	ld	$13, 104($4)
	ld	$14, 112($4)
	ld	$15, 120($4)
	ld	$16, 128($4)
	ld	$17, 136($4)
	ld	$18, 144($4)
	ld	$19, 152($4)
	ld	$20, 160($4)
	ld	$21, 168($4)
	ld	$22, 176($4)
	ld	$23, 184($4)
	ld	$24, 192($4)
	ld	$25, 200($4)
	ld	$28, 224($4)
	ld	$29, 232($4)
	ld	$30, 240($4)
	ld	$31, 248($4)
	/* combine all but v0 (the address of the load that faults) */
	daddu	$1, $1, $3
	daddu	$3, $3, $5
	daddu	$5, $5, $6
	daddu	$6, $6, $7
	daddu	$7, $7, $8
	daddu	$8, $8, $9
	daddu	$9, $9, $10
	daddu	$10, $10, $11
	daddu	$11, $11, $12
	daddu	$12, $12, $13
	daddu	$13, $13, $14
	daddu	$14, $14, $15
	daddu	$15, $15, $16
	daddu	$16, $16, $17
	daddu	$17, $17, $18
	daddu	$18, $18, $19
	daddu	$19, $19, $20
	daddu	$20, $20, $21
	daddu	$21, $21, $22
	daddu	$22, $22, $23
	daddu	$23, $23, $24
	daddu	$24, $24, $25
	daddu	$25, $25, $28
	daddu	$28, $28, $29
	daddu	$29, $29, $30
	daddu	$30, $30, $31
	daddu	$31, $31, $1
L(gf_at)
	ld	$3, 8($2)		/* XTLB refill: the handler maps the page, retries */
	xor	$1, $1, $31
	xor	$2, $2, $1
	xor	$3, $3, $2
	xor	$5, $5, $3
	xor	$6, $6, $5
	xor	$7, $7, $6
	xor	$8, $8, $7
	xor	$9, $9, $8
	xor	$10, $10, $9
	xor	$11, $11, $10
	xor	$12, $12, $11
	xor	$13, $13, $12
	xor	$14, $14, $13
	xor	$15, $15, $14
	xor	$16, $16, $15
	xor	$17, $17, $16
	xor	$18, $18, $17
	xor	$19, $19, $18
	xor	$20, $20, $19
	xor	$21, $21, $20
	xor	$22, $22, $21
	xor	$23, $23, $22
	xor	$24, $24, $23
	xor	$25, $25, $24
	xor	$28, $28, $25
	xor	$29, $29, $28
	xor	$30, $30, $29
	xor	$31, $31, $30
	/* stores: out = in + 256 */
	sd	$1, 264($4)
	sd	$2, 272($4)
	sd	$3, 280($4)
	sd	$5, 296($4)
	sd	$6, 304($4)
	sd	$7, 312($4)
	sd	$8, 320($4)
	sd	$9, 328($4)
	sd	$10, 336($4)
	sd	$11, 344($4)
	sd	$12, 352($4)
	sd	$13, 360($4)
	sd	$14, 368($4)
	sd	$15, 376($4)
	sd	$16, 384($4)
	sd	$17, 392($4)
	sd	$18, 400($4)
	sd	$19, 408($4)
	sd	$20, 416($4)
	sd	$21, 424($4)
	sd	$22, 432($4)
	sd	$23, 440($4)
	sd	$24, 448($4)
	sd	$25, 456($4)
	sd	$28, 480($4)
	sd	$29, 488($4)
	sd	$30, 496($4)
	sd	$31, 504($4)
	sd	$4, 288($4)
	lui	$1, %hi(gpr_save)
	addiu	$1, $1, %lo(gpr_save)
	ld	$29, 0($1)
	ld	$31, 8($1)
	ld	$28, 16($1)
	ld	$30, 24($1)
	ld	$16, 32($1)
	ld	$17, 40($1)
	ld	$18, 48($1)
	ld	$19, 56($1)
	ld	$20, 64($1)
	ld	$21, 72($1)
	ld	$22, 80($1)
	jr	ra
	ld	$23, 88($1)


/* mid_asid(va, asid A, asid B, out): EntryHi's ASID changed between two loads of one block */
FN(mid_asid)
	dmtc0	a1, $10
	ehb
	ld	t0, 0(a0)
	dmtc0	a2, $10
	ehb
	ld	t1, 0(a0)
	sd	a2, 8(a0)
	dmtc0	zero, $10
	ehb
	sd	t0, 0(a3)
	jr	ra
	sd	t1, 8(a3)

/* mid_tlbwi(va, new EntryLo0, out): tlbwi (index 9) remaps va between two loads of one block */
FN(mid_tlbwi)
	ld	t0, 0(a0)
	li	t2, 9
	mtc0	t2, $0
	dmtc0	a0, $10
	dmtc0	a1, $2
	li	t3, 1
	dmtc0	t3, $3
	mtc0	zero, $5
	ehb
	tlbwi
	ehb
	ld	t1, 0(a0)
	sd	a1, 8(a0)
	dmtc0	zero, $10
	ehb
	sd	t0, 0(a2)
	jr	ra
	sd	t1, 8(a2)

/* wrap_run(out): 0xfffffffffffffff8 + 16 wraps to xuseg address 8 */
FN(wrap_run)
	li	t0, -8
	ld	t1, 16(t0)
	sd	t1, 0(a0)
	daddiu	t1, t1, 1
	jr	ra
	sd	t1, 24(t0)		/* address 16 */

/*
 * swi_run() with Status.IE = IM0 = 1: sets Cause.IP0 in mid-block; the
 * interrupt comes by the end of the ehb and the block resumes where it was.
 * ei_run() the same with IP0 pending and IE = 0: ei lets it in.
 */
FN(swi_run)
	li	v0, 0
	mfc0	t0, $13
	ori	t0, t0, 0x100
	addiu	v0, v0, 1
L(swi_mtc0)
	mtc0	t0, $13
	ehb
L(swi_after)
	addiu	v0, v0, 2
	addiu	v0, v0, 4
	addiu	v0, v0, 8
	jr	ra
	addiu	v0, v0, 16
FN(ei_run)
	li	v0, 0
	addiu	v0, v0, 1
L(ei_at)
	ei
	ehb
L(ei_after)
	addiu	v0, v0, 2
	addiu	v0, v0, 4
	addiu	v0, v0, 8
	jr	ra
	addiu	v0, v0, 16

/*
 * st_run(status) the same as ei_run with mtc0 Status: Linux's
 * arch_local_irq_restore on R2 (mfc0, ins IE, mtc0).
 */
FN(st_run)
	li	v0, 0
	addiu	v0, v0, 1
L(st_at)
	mtc0	a0, $12
	ehb
L(st_after)
	addiu	v0, v0, 2
	addiu	v0, v0, 4
	addiu	v0, v0, 8
	jr	ra
	addiu	v0, v0, 16

/*
 * cmp_ack(out): out[0] = Cause after Compare is rewritten with its own
 * value, out[1] = Compare, out[2] = Cause in a later block.
 */
FN(cmp_ack)
	mfc0	t0, $11
	mtc0	t0, $11
	ehb
	mfc0	t1, $13
	sd	t1, 0(a0)
	mfc0	t1, $11
	b	1f
	sd	t1, 8(a0)
1:	mfc0	t1, $13
	jr	ra
	sd	t1, 16(a0)

/* xseg_run(b1, b2, out): base in ckseg1 / ckseg2, the address in ckseg2 / ckseg3 */
FN(xseg_run)
	ld	t0, 8(a0)
	sd	t0, 24(a0)
	ld	t1, 16(a1)
	sd	t1, 32(a1)
	sd	t0, 0(a2)
	jr	ra
	sd	t1, 8(a2)

/*
 * Code that reads itself: data in the code stream found through bal, and
 * instruction words (a load reading its own word, the bal, a jal, a dmfc0).
 * out[] gets the values; patch.c knows the encodings.
 */
	.balign	8
FN(oc_read)
	move	t8, ra
	nop				/* the bal at 8 mod 8: ra = the .dword */
	bal	1f
	nop
	.dword	0x0123456789abcdef
	.word	0xdeadbeef
	.word	0x7fff8001
1:	ld	v0, 0(ra)
	sd	v0, 0(a0)
	lw	v0, 8(ra)
	sd	v0, 8(a0)
	lwu	v0, 8(ra)
	sd	v0, 16(a0)
	lh	v0, 14(ra)
	sd	v0, 24(a0)
	lh	v0, 12(ra)
	sd	v0, 32(a0)
	lw	v0, 16(ra)		/* the word of `ld v0, 0(ra)` above */
	sd	v0, 40(a0)
L(oc_bal)
	bal	2f
	nop
2:	lw	v0, 0(ra)		/* reads itself: lw v0, 0(ra) */
	sd	v0, 48(a0)
	lw	v0, -8(ra)		/* the bal */
	sd	v0, 56(a0)
	lw	v0, 40(ra)		/* the jal below (3f - 2b) */
	sd	v0, 64(a0)
	lw	v0, 48(ra)		/* the dmfc0 below (4f - 2b) */
	sd	v0, 72(a0)
	b	5f
	nop
3:	jal	lk_leaf			/* never run */
	nop
4:	dmfc0	v0, $14			/* never run */
5:	jr	t8
	nop

/*
 * Jump tables: jt64(i) through a .dword table in .rodata, jt32(i) through a
 * .word table placed in the code stream and found through bal. Case 0 falls
 * into case 1 (a jump into the middle of a block).
 */
FN(jt64)
	LA(	t0, jt64_tab)
	dsll	t1, a0, 3
	daddu	t0, t0, t1
	ld	t9, 0(t0)
	jr	t9
	li	v0, 0
jt_c0:	daddiu	v0, v0, 1
jt_c1:	daddiu	v0, v0, 10
	jr	ra
	nop
jt_c2:	jr	ra
	daddiu	v0, v0, 100
jt_c3:	dsll	v0, a0, 12
	jr	ra
	daddiu	v0, v0, 1000
	.section .rodata
	.balign	8
jt64_tab:
	.dword	jt_c0, jt_c1, jt_c2, jt_c3
	.text
FN(jt32)
	move	t8, ra
	bal	1f
	dsll	t1, a0, 2
	.word	jt_c3, jt_c2, jt_c1, jt_c0
1:	daddu	t0, ra, t1
	lw	t9, 0(t0)		/* sign-extends a ckseg0 address */
	move	ra, t8
	jr	t9
	li	v0, 0

/* rec(n): f(0) = 1, f(n) = 3 f(n-1) + n, through jalr t9 with ra; depth n */
FN(rec)
	bnez	a0, 1f
	nop
	jr	ra
	li	v0, 1
1:	daddiu	sp, sp, -16
	sd	ra, 0(sp)
	sd	a0, 8(sp)
	LA(	t9, rec)
	jalr	t9
	daddiu	a0, a0, -1
	ld	a0, 8(sp)
	ld	ra, 0(sp)
	dsll	t0, v0, 1
	daddu	v0, v0, t0
	daddu	v0, v0, a0
	jr	ra
	daddiu	sp, sp, 16
/* rec_t3(n): the same through jalr t3, t9 and jr t3 (returns with n; C calls it via rec_rd) */
FN(rec_t3)
	bnez	a0, 1f
	nop
	jr	t3
	li	v0, 1
1:	daddiu	sp, sp, -16
	sd	t3, 0(sp)
	sd	a0, 8(sp)
	LA(	t9, rec_t3)
	jalr	t3, t9
	daddiu	a0, a0, -1
	ld	a0, 8(sp)
	ld	t3, 0(sp)
	dsll	t0, v0, 1
	daddu	v0, v0, t0
	daddu	v0, v0, a0
	jr	t3
	daddiu	sp, sp, 16
FN(rec_rd)
	move	t8, ra
	LA(	t9, rec_t3)
	jalr	t3, t9
	nop
	jr	t8
	nop

/*
 * cp0_rt(in[9], out[20]): dmtc0 then dmfc0 of the same register in one block
 * (EPC, ErrorEPC, EntryLo0, EntryLo1, PageMask, Context, XContext, DESAVE,
 * EntryHi), then 32-bit mfc0 of EPC, then all read again after a branch.
 */
	.macro	RT n, reg, sel=0
	ld	t0, (\n * 8)(a0)
	dmtc0	t0, $\reg, \sel
	ehb
	dmfc0	t1, $\reg, \sel
	sd	t1, (\n * 8)(a1)
	.endm
	.macro	RD n, reg, sel=0
	dmfc0	t1, $\reg, \sel
	sd	t1, (\n * 8)(a1)
	.endm
FN(cp0_rt)
	RT	0, 14
	RT	1, 30
	RT	2, 2
	RT	3, 3
	ld	t0, 32(a0)		/* PageMask is 32-bit: mtc0/mfc0 */
	mtc0	t0, $5
	ehb
	mfc0	t1, $5
	sd	t1, 32(a1)
	RT	5, 4
	RT	6, 20
	RT	7, 31
	RT	8, 10
	mfc0	t1, $14
	sd	t1, 72(a1)
	b	1f
	nop
1:	RD	10, 14
	RD	11, 30
	RD	12, 2
	RD	13, 3
	mfc0	t1, $5
	sd	t1, 112(a1)
	RD	15, 4
	RD	16, 20
	RD	17, 31
	RD	18, 10
	mfc0	t1, $14
	jr	ra
	sd	t1, 152(a1)

/* KScratch<sel> round trip in one block and after a jump: out[0], out[1] */
	.macro	KSRT sel
FN(ks_rt\sel)
	dmtc0	a0, $31, \sel
	ehb
	dmfc0	t1, $31, \sel
	sd	t1, 0(a1)
	b	1f
	nop
1:	dmfc0	t1, $31, \sel
	jr	ra
	sd	t1, 8(a1)
	.endm
	KSRT	2
	KSRT	3
	KSRT	4
	KSRT	5
	KSRT	6
	KSRT	7

/* diei(out[6]): di/ei return the old Status; read back in and after the block */
FN(diei)
	di	v0
	ehb
	mfc0	t0, $12
	ei	v1
	ehb
	mfc0	t1, $12
	di
	ehb
	mfc0	t2, $12
	sd	v0, 0(a0)
	sd	t0, 8(a0)
	sd	v1, 16(a0)
	sd	t1, 24(a0)
	sd	t2, 32(a0)
	b	1f
	nop
1:	mfc0	t3, $12
	jr	ra
	sd	t3, 40(a0)

/* hot(n, buf): n iterations of a loop that branches back into its block's middle */
FN(hot)
	li	v0, 0
	lui	t0, 0x9e37
	ori	t0, t0, 0x79b9
	ld	t1, 0(a1)
1:	daddu	v0, v0, t1
	dsll	t2, v0, 13
	xor	v0, v0, t2
	dsrl	t2, v0, 7
	xor	v0, v0, t2
	sd	v0, 8(a1)
	lwu	t1, 12(a1)
	daddu	t1, t1, t0
	addiu	a0, a0, -1
	bnez	a0, 1b
	daddiu	t1, t1, 3
	jr	ra
	nop

/* long_block(buf): 1400 instructions without a branch (crosses a page) */
FN(long_block)
	li	v0, 0
	ld	t1, 0(a0)
	.rept	200
	daddiu	v0, v0, 7
	xor	v0, v0, t1
	drotr	t1, v0, 11
	sd	v0, 8(a0)
	lwu	t2, 8(a0)
	daddu	v0, v0, t2
	dsubu	t1, t1, t2
	.endr
	jr	ra
	nop

/*
 * Self-modifying code, on pages of its own (.smc starts page-aligned).
 * patch.c patches the sm_*_p words and the page-crossing branches.
 */
	.section .smc, "ax"
	.balign	4096
L(smc_page0)
/* sm_mid(ptr): v0 = 3 + v1, v1 from the patched word in mid-block (a load at first) */
FN(sm_mid)
	li	v0, 1
	li	v1, 0
	daddiu	v0, v0, 2
L(sm_mid_p)
	lw	v1, 0(a0)
	daddu	v0, v0, v1
	jr	ra
	nop
/* sm_bl(): the patched slot of a taken beql */
FN(sm_bl)
	li	v0, 0
	beql	zero, zero, 1f
L(sm_bl_p)
	addiu	v0, v0, 5
	li	v0, 99
1:	jr	ra
	nop
FN(sm_jal)				/* returns the slot's v1 (0 at first) */
	move	t8, ra
	li	v1, 0
	jal	lk_leaf
L(sm_jal_p)
	move	v1, zero
L(sm_jal_ret)
	jr	t8
	move	v0, v1
/* sm_tgt_loop(n): n direct branches to sm_tgt and back; sum of sm_tgt's adds */
FN(sm_tgt_loop)
	li	v0, 0
1:
L(sm_tgt_br)
	b	sm_tgt
	nop
L(sm_back)
	addiu	a0, a0, -1
	bnez	a0, 1b
	nop
	jr	ra
	nop
L(sm_tgt)
	addiu	v0, v0, 1
	b	sm_back
	nop
L(sm_tgt2)
	addiu	v0, v0, 100
	b	sm_back
	nop

/* sm_ret(word): the callee patches the caller's return point, then jr.hb ra */
FN(sm_ret)
	move	t8, ra
	li	v0, 1
	bal	sm_ret_patch
	nop
L(sm_ret_p)
	addiu	v0, v0, 1
	jr	t8
	nop
sm_ret_patch:
	beqz	a0, 1f
	nop
	sw	a0, 0(ra)
	synci	0(ra)
	sync
1:	jr.hb	ra
	nop

/* a conditional branch in the last word of the page, its slot in the next */
	.org	smc_page0 + 0xff8
L(pc_fn)				/* pc_fn(a0): 1 + slot (2) + 4 if not taken */
	li	v0, 1
L(pc_br)
	beq	a0, zero, 1f
L(pc_slot)
	addiu	v0, v0, 2
	addiu	v0, v0, 4
1:	jr	ra
	nop

/* a jal in the last word of a page: the link is on the next page */
	.org	smc_page0 + 0x1ff8
L(pc_jal)
	move	t8, ra
L(pc_jal_at)
	jal	lk_leaf
L(pc_jal_slot)
	li	v1, 1
L(pc_jal_ret)
	jr	t8
	daddu	v0, v0, v1

/* fd_page(-, va, out): a jal at the end of a page, its slot on the next page faults */
	.org	smc_page0 + 0x2ff4
L(fd_page)
	move	t8, ra
	li	v1, 0
L(fd_page_at)
	jal	lk_leaf
	ld	v1, 0(a1)
L(fd_page_ret)
	sd	v0, 0(a2)
	sd	v1, 8(a2)
	jr	t8
	nop
