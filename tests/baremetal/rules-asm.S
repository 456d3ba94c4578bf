/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One kernel-mode body per patch rule (Documentation/patching.md), for
 * rules.c. Each body starts with every GPR but sp loaded from rule_in[]
 * (HI/LO from rule_in[32..33]) and sp = rule_out, runs the sensitive
 * instructions among ordinary ones, and ends by storing every GPR, HI and
 * LO into rule_out[] before returning to C: the whole register file after
 * the rule, whatever the backend that ran it.
 */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.set	mips64r2

#define LA(r, sym) lui r, %hi(sym); addiu r, r, %lo(sym)
#define RULE(name) .globl name; .balign 8; name: RULE_BEGIN

/* op (sd or ld) the registers C expects kept, at rule_ctx ($1) */
	.macro	C_CONTEXT op
	.set	ctx_off, 0
	.irp	r, 16, 17, 18, 19, 20, 21, 22, 23, 28, 29, 30, 31
	\op	$\r, ctx_off($1)
	.set	ctx_off, ctx_off + 8
	.endr
	.endm

	.macro	RULE_BEGIN
	LA($1, rule_ctx)
	C_CONTEXT sd
	LA($29, rule_out)
	LA($3, rule_in)
	ld	$1, 256($3)
	mthi	$1
	ld	$1, 264($3)
	mtlo	$1
	ld	$1, 8($3)
	ld	$2, 16($3)
	.irp	r, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31
	ld	$\r, (\r * 8)($3)
	.endr
	ld	$3, 24($3)
	.endm

	.macro	RULE_END
	.irp	r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	$\r, (\r * 8)($29)
	.endr
	mfhi	$1
	sd	$1, 256($29)
	mflo	$1
	sd	$1, 264($29)
	LA($1, rule_ctx)
	C_CONTEXT ld
	jr	$31
	nop
	.endm

	.section .rules.data, "aw"
	.balign	8192
	.globl	rule_data, rule_in, rule_out, rule_ctx
rule_data:	.space	8192
rule_in:	.space	34 * 8
rule_out:	.space	34 * 8
rule_ctx:	.space	12 * 8
jump_table:
	.dword	rule_jump_6, rule_jump_7, rule_jump_6

	.section .rules.text, "ax"
/* Copied unchanged: ALU, shifts and rotates, multiply/divide, HI/LO. */
RULE(rule_copy)
	daddu	$2, $4, $5
	dsubu	$6, $7, $8
	dsll32	$9, $10, 3
	dsra	$11, $12, 7
	rotr	$13, $14, 5
	drotr32	$15, $16, 9
	dmult	$17, $18
	mflo	$19
	mfhi	$20
	ddivu	$0, $21, $22
	movz	$23, $24, $0
	movn	$25, $2, $0
	dclz	$26, $27
	seh	$28, $30
	wsbh	$30, $31
	dsbh	$4, $5
	dext	$5, $6, 3, 17
	dins	$7, $8, 5, 9
	addu	$8, $9, $10
	sltu	$10, $11, $12
	mtlo	$13
	dmultu	$14, $15
	RULE_END

/* Loads and stores through ckseg0, with odd base registers. */
RULE(rule_mem_ckseg0)
	LA($1, rule_data)
	ld	$2, 0($1)
	sd	$2, 8($1)
	move	$26, $1
	lw	$3, 16($26)
	sw	$3, 24($26)
	lbu	$4, 33($26)
	sb	$4, 40($26)
	move	$27, $1
	lh	$5, 50($27)
	sh	$5, 56($27)
	lwu	$6, 60($27)
	move	$25, $1
	lb	$7, 71($25)
	ld	$8, 80($25)
	sd	$7, 88($25)
	move	$31, $1
	lhu	$9, 98($31)
	sw	$9, 100($31)
	move	$28, $1
	ld	$10, 104($28)
	sd	$10, 112($28)
	move	$30, $1
	lw	$11, 120($30)
	sd	$11, 128($30)
	move	$29, $1
	ld	$12, 136($29)
	sd	$12, 144($29)
	LA($29, rule_out)
	move	$13, $1
	ld	$13, 152($13)		/* destination = base */
	daddiu	$14, $1, 4096
	ld	$15, -8($14)
	sd	$15, -16($14)
	sd	$14, 160($1)
	RULE_END

/* The same words through ckseg1 (uncached). */
RULE(rule_mem_ckseg1)
	LA($1, rule_data)
	lui	$2, 0x2000
	xor	$1, $1, $2
	ld	$2, 0($1)
	sd	$2, 168($1)
	lw	$3, 12($1)
	sh	$3, 178($1)
	lb	$4, 7($1)
	sb	$4, 181($1)
	move	$26, $1
	ld	$5, 184($26)
	sd	$5, 192($26)
	RULE_END

/* Through xkphys, cacheable (CCA 3) and uncached (CCA 2). */
RULE(rule_mem_xkphys)
	LA($1, rule_data)
	lui	$2, 0x1fff
	ori	$2, $2, 0xffff
	and	$1, $1, $2		/* physical address */
	lui	$3, 0x9800
	dsll32	$3, $3, 0
	or	$4, $1, $3		/* xkphys, CCA 3 */
	lui	$3, 0x9000
	dsll32	$3, $3, 0
	or	$5, $1, $3		/* xkphys, CCA 2 */
	ld	$6, 200($4)
	sd	$6, 208($5)
	lw	$7, 216($5)
	sw	$7, 220($4)
	move	$27, $4
	lhu	$8, 226($27)
	sd	$8, 232($27)
	RULE_END

/* Unaligned halves: lwl/lwr, ldl/ldr, swl/swr, sdl/sdr. */
RULE(rule_mem_unaligned)
	LA($1, rule_data)
	lwr	$2, 241($1)
	lwl	$2, 244($1)
	ldr	$3, 251($1)
	ldl	$3, 258($1)
	lwl	$4, 263($1)
	ldr	$5, 270($1)
	swr	$6, 277($1)
	swl	$6, 280($1)
	sdr	$7, 285($1)
	sdl	$7, 292($1)
	swl	$8, 301($1)
	sdr	$9, 307($1)
	RULE_END

/*
 * ll/sc and lld/scd pairs that succeed, and an sc after eret that fails.
 * Each pair retries until its sc succeeds, as all code using them does:
 * any exception between ll and sc may fail the sc, and under mvm.ko the
 * host takes its interrupts and TLB refills there (measured once in a
 * clean check: the third scd failed).
 */
RULE(rule_llsc)
	LA($1, rule_data)
1:	ll	$2, 320($1)
	addiu	$2, $2, 3
	sc	$2, 320($1)
	beqz	$2, 1b
	 nop
2:	lld	$3, 328($1)
	daddiu	$3, $3, 5
	scd	$3, 328($1)
	beqz	$3, 2b
	 nop
3:	lld	$4, 336($1)
	dsll	$4, $4, 1
	move	$26, $1
	scd	$4, 336($26)
	beqz	$4, 3b
	 nop
	RULE_END

/* CP0 reads and writes the commpage serves. */
RULE(rule_cp0)
	dmtc0	$4, $2, 0		/* EntryLo0 */
	dmtc0	$6, $3, 0		/* EntryLo1 */
	dmtc0	$8, $10, 0		/* EntryHi */
	dmtc0	$12, $4, 0		/* Context */
	dmtc0	$14, $14, 0		/* EPC */
	dmtc0	$16, $30, 0		/* ErrorEPC */
	dmtc0	$18, $8, 0		/* BadVAddr: read-only */
	dmtc0	$20, $20, 0		/* XContext */
	dmtc0	$22, $31, 2		/* KScratch1 */
	dmtc0	$26, $4, 2		/* UserLocal */
	lui	$24, 0x1f
	ori	$24, $24, 0xe000
	mtc0	$24, $5, 0		/* PageMask: 1 MiB pages */
	ehb
	dmfc0	$5, $2, 0
	dmfc0	$7, $3, 0
	dmfc0	$9, $10, 0
	dmfc0	$13, $4, 0
	dmfc0	$15, $14, 0
	dmfc0	$17, $30, 0
	dmfc0	$19, $8, 0
	dmfc0	$21, $20, 0
	dmfc0	$23, $31, 2
	dmfc0	$27, $4, 2
	mfc0	$25, $5, 0
	mfc0	$2, $14, 0		/* mfc0 of a 64-bit register: sign-extends */
	mfc0	$3, $15, 0		/* PRId */
	mfc0	$28, $16, 0		/* Config */
	mfc0	$30, $16, 1
	mfc0	$31, $16, 3
	mtc0	$10, $2, 0		/* mtc0 to a 64-bit register */
	ehb
	dmfc0	$11, $2, 0
	mtc0	$0, $10, 0		/* ASID 0 again */
	ehb
	RULE_END

/* di and ei: the old Status in rt, IE off and on (IM is 0: no interrupt). */
RULE(rule_di_ei)
	di	$2
	mfc0	$3, $12, 0
	ei	$4
	mfc0	$5, $12, 0
	di
	mfc0	$6, $12, 0
	ei
	mfc0	$7, $12, 0
	di	$0
	mfc0	$8, $12, 0
	RULE_END

/* mtc0 Status: IM, EXL and KSU while the CPU stays in kernel mode, and ERL. */
RULE(rule_status)
	di	$2
	ehb
	ori	$3, $2, 0xff00		/* every IM bit, IE still 0 */
	mtc0	$3, $12, 0
	ehb
	mfc0	$4, $12, 0
	ori	$3, $2, 0x2		/* EXL */
	mtc0	$3, $12, 0
	ehb
	mfc0	$5, $12, 0
	ori	$3, $2, 0x12		/* EXL + KSU = user: still kernel mode */
	mtc0	$3, $12, 0
	ehb
	mfc0	$6, $12, 0
	ori	$3, $2, 0x4		/* ERL */
	mtc0	$3, $12, 0
	ehb
	mfc0	$7, $12, 0
	xori	$3, $2, 0x20		/* UX flipped */
	mtc0	$3, $12, 0
	ehb
	mfc0	$8, $12, 0
	mtc0	$2, $12, 0
	ehb
	mfc0	$9, $12, 0
	RULE_END

/*
 * mfc0 Count: only what is the same everywhere is kept: it does not step
 * back, and it is sign-extended.
 */
RULE(rule_count)
	mfc0	$2, $9, 0
	mfc0	$3, $9, 0
	subu	$4, $3, $2
	slt	$5, $4, $0
	xori	$5, $5, 1		/* 1: the second read is not older */
	sll	$6, $2, 0
	xor	$6, $6, $2
	sltiu	$6, $6, 1		/* 1: sign-extended */
	move	$2, $0
	move	$3, $0
	move	$4, $0
	RULE_END

/*
 * mtc0 Compare: a deadline 0.8-1.3 s away (far enough for a slow exit
 * to write it before Count gets there), TI seen, then the same value
 * written again (the ack) clears TI. Interrupts are off (IM = 0).
 */
RULE(rule_compare)
	mfc0	$2, $9, 0
	lui	$3, 0x800		/* 2^27 counts: 0.8 s at 166 MHz */
	addu	$3, $2, $3
	mtc0	$3, $11, 0
	ehb
	lui	$7, 0x1000		/* bound: ~268 M polls */
	lui	$1, 0x4000
	ori	$1, $1, 0x8000		/* Cause.TI and IP7 */
1:	mfc0	$4, $13, 0
	and	$4, $4, $1
	bnez	$4, 2f
	addiu	$7, $7, -1
	bnez	$7, 1b
	nop
2:	sltu	$8, $0, $7		/* 1: TI came before the bound */
	mtc0	$3, $11, 0		/* the same Compare: the ack */
	ehb
	mfc0	$5, $13, 0
	and	$5, $5, $1
	mfc0	$6, $11, 0
	subu	$6, $6, $2		/* the deadline's distance, as written */
	move	$2, $0
	move	$3, $0
	move	$7, $0
	RULE_END

/* Cache ops, synci and pref: no architectural effect on registers. */
RULE(rule_cache)
	LA($2, rule_cache)
	LA($3, rule_data)
	cache	0x10, 0($2)		/* Hit_Invalidate_I */
	synci	32($2)
	pref	0, 64($3)
	cache	0x15, 0($3)		/* Hit_Writeback_Inv_D */
	cache	0x00, 0($2)		/* Index_Invalidate_I */
	sync
	daddiu	$4, $4, 1
	cache	0x01, 0($3)		/* Index_Writeback_Inv_D */
	cache	0x10, 0($2)
	daddu	$5, $4, $2
	RULE_END

/* Conditional branches: taken or not, likely, linking, slots changing sources. */
RULE(rule_branch)
	move	$2, $0
	beq	$4, $4, 1f
	daddiu	$2, $2, 1
	daddiu	$2, $2, 0x100
1:	bne	$4, $4, 2f
	daddiu	$2, $2, 2
	daddiu	$2, $2, 4
2:	bltzal	$5, 3f			/* links either way */
	move	$6, $31
3:	bgezal	$0, 4f
	move	$7, $31			/* the slot sees the new link */
	daddiu	$2, $2, 0x200
4:	beql	$4, $5, 5f
	daddiu	$2, $2, 8		/* annulled */
	bnel	$4, $5, 5f
	daddiu	$2, $2, 16
	daddiu	$2, $2, 0x400
5:	blez	$8, 6f
	daddiu	$8, $8, 1
	daddiu	$2, $2, 32
6:	bgtz	$9, 7f
	daddiu	$9, $0, 0		/* the slot changes the source */
	daddiu	$2, $2, 64
7:	beq	$10, $10, 8f
	daddiu	$10, $10, 1
8:	bgezall	$0, 9f
	move	$11, $31
	daddiu	$2, $2, 0x800
9:	bltzall	$0, 10f			/* not taken: annulled, still links */
	daddiu	$2, $2, 0x1000
	move	$12, $31
10:	blezl	$13, 11f
	daddiu	$2, $2, 128
11:	bgtzl	$14, 12f
	daddiu	$2, $2, 256
12:	b	13f
	daddiu	$2, $2, 512
	daddiu	$2, $2, 0x2000
13:	bal	14f
	nop
14:	move	$15, $31
	RULE_END

/* Jumps: j, jal, jr, jalr with an odd link register, jalr.hb, a jump table. */
RULE(rule_jump)
	jal	1f
	daddiu	$2, $2, 1
1:	move	$3, $31
	LA($4, 2f)
	jr	$4
	daddiu	$5, $5, 1
	daddiu	$5, $5, 0x100
2:	LA($6, 3f)
	jalr	$7, $6
	move	$8, $7			/* the slot sees the new link */
3:	LA($9, 4f)
	jalr.hb	$9
	nop
4:	move	$10, $31
	j	5f
	daddiu	$11, $11, 1
	daddiu	$11, $11, 0x100
5:	LA($12, jump_table)
	ld	$13, 8($12)
	jr	$13
	nop
rule_jump_6:
	daddiu	$14, $14, 0x100
rule_jump_7:
	move	$15, $13
	RULE_END

/* k0 and k1 as ordinary registers (the host kernel clobbers its own). */
RULE(rule_k0k1)
	daddu	$26, $26, $27
	dsll	$27, $26, 7
	xor	$2, $26, $27
	move	$3, $26
	LA($27, rule_data)
	sd	$26, 400($27)
	ld	$26, 408($27)
	dmtc0	$26, $31, 3		/* KScratch2 */
	ehb
	dmfc0	$27, $31, 3
	daddiu	$26, $27, -5
	RULE_END

/* rdhwr in kernel mode: CPUNum, SYNCI_Step, CC (only its order), CCRes, ULR. */
RULE(rule_rdhwr)
	rdhwr	$2, $0
	rdhwr	$3, $1
	rdhwr	$4, $3
	rdhwr	$5, $2
	rdhwr	$6, $2
	subu	$7, $6, $5
	slt	$7, $7, $0
	xori	$7, $7, 1		/* 1: CC does not step back */
	move	$5, $0
	move	$6, $0
	mfc0	$8, $16, 3
	andi	$8, $8, 0x2000		/* Config3.ULRI */
	beqz	$8, 1f
	nop
	dmtc0	$9, $4, 2
	ehb
	rdhwr	$10, $29
1:	RULE_END

/* eret with EXL and with ERL, in kernel mode; it clears the LL bit. */
RULE(rule_eret)
	di	$2
	ehb
	LA($1, rule_data)
	ll	$11, 440($1)
	ori	$3, $2, 0x2		/* EXL */
	mtc0	$3, $12, 0
	ehb
	LA($4, 1f)
	dmtc0	$4, $14, 0		/* EPC */
	ehb
	eret
	daddiu	$5, $5, 1		/* no delay slot: never runs */
1:	mfc0	$6, $12, 0
	sc	$11, 440($1)		/* fails: eret cleared the LL bit */
	ori	$3, $2, 0x4		/* ERL */
	mtc0	$3, $12, 0
	ehb
	LA($7, 2f)
	dmtc0	$7, $30, 0		/* ErrorEPC */
	ehb
	eret
	daddiu	$8, $8, 1
2:	mfc0	$9, $12, 0
	dmfc0	$10, $14, 0
	RULE_END

/*
 * The guest TLB: tlbwi, tlbp (hit and miss), tlbr, and tlbwr with Wired =
 * 63 so that Random is 63; then a load through the new mapping (xkseg,
 * ASID 5) of rule_data's page.
 */
RULE(rule_tlb)
	LA($1, rule_data)
	lui	$2, 0x1fff
	ori	$2, $2, 0xffff
	and	$1, $1, $2		/* physical address */
	dsrl	$2, $1, 12
	dsll	$2, $2, 6
	ori	$2, $2, 0x1e		/* C = 3, D, V, not global */
	daddiu	$3, $2, 0x40		/* the next page */
	daddiu	$4, $0, 0xc		/* xkseg */
	dsll	$4, $4, 60
	lui	$5, 0x10
	or	$4, $4, $5
	ori	$4, $4, 5		/* VPN2 0x100000, ASID 5 */
	dmtc0	$2, $2, 0
	dmtc0	$3, $3, 0
	dmtc0	$4, $10, 0
	mtc0	$0, $5, 0
	ori	$5, $0, 10
	mtc0	$5, $0, 0
	ehb
	tlbwi
	ehb
	mtc0	$0, $0, 0
	ehb
	tlbp
	ehb
	mfc0	$6, $0, 0		/* 10 */
	daddiu	$7, $4, 0x2000
	dmtc0	$7, $10, 0
	ehb
	tlbp
	ehb
	mfc0	$7, $0, 0
	srl	$7, $7, 31		/* P: no match (the index is unpredictable) */
	dmtc0	$0, $2, 0
	dmtc0	$0, $3, 0
	dmtc0	$0, $10, 0
	mtc0	$5, $0, 0
	ehb
	tlbr
	ehb
	dmfc0	$8, $2, 0
	dmfc0	$9, $3, 0
	dmfc0	$10, $10, 0
	mfc0	$11, $5, 0
	ori	$12, $0, 63
	mtc0	$12, $6, 0		/* Wired */
	daddiu	$12, $4, 0x4000
	dmtc0	$12, $10, 0
	dmtc0	$2, $2, 0
	dmtc0	$3, $3, 0
	ehb
	tlbwr
	ehb
	mfc0	$13, $1, 0		/* Random = 63 */
	ori	$14, $0, 63
	mtc0	$14, $0, 0
	dmtc0	$0, $10, 0
	ehb
	tlbr
	ehb
	dmfc0	$14, $10, 0
	dmtc0	$4, $10, 0		/* ASID 5 again */
	ehb
	lui	$15, 0x10
	daddiu	$16, $0, 0xc
	dsll	$16, $16, 60
	or	$15, $15, $16
	andi	$16, $1, 0xfff
	or	$15, $15, $16		/* rule_data through the mapping */
	ld	$16, 448($15)
	sd	$16, 456($15)
	ld	$17, 4096($15)		/* the odd page */
	mtc0	$0, $6, 0		/* Wired = 0 */
	mtc0	$0, $10, 0		/* ASID 0 */
	ehb
	RULE_END

/*
 * Code written by the rule: smc_slot runs, is rewritten and synced, and
 * runs again.
 */
RULE(rule_smc)
	LA($3, smc_slot)
	jalr	$3
	nop
	move	$4, $2
	lw	$5, 0($3)
	addiu	$6, $5, 6		/* daddiu v0, v0, 7 */
	sw	$6, 0($3)
	synci	0($3)
	sync
	jalr.hb	$3
	nop
	sw	$5, 0($3)		/* put the original back */
	synci	0($3)
	sync
	RULE_END

	.balign	64
smc_slot:
	daddiu	$2, $2, 1
	jr.hb	$31
	nop
