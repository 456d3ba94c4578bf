/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry and the exception vectors used while a guest runs.
 *
 * This is a position-independent blob: mvm copies it into a page it owns
 * below 512 MB physical and runs it through CKSEG0, because module text is
 * TLB-mapped and a TLB refill taken while EBase points here would otherwise
 * land in our own refill vector. The page after the blob's page holds the
 * struct mvm_ctx (ctx.h); every vector finds it from EBase. Only relative
 * branches are used, and nothing here touches mapped memory.
 *
 * Layout (offsets from EBase): 0x000 TLB refill, 0x080 XTLB refill,
 * 0x100 cache error, 0x180 general exception, 0x200 interrupt (Cause.IV),
 * then the common exit path and mvm_enter_guest.
 */
#include <asm/asm.h>
#include <asm/mipsregs.h>
#include <asm/regdef.h>
#include "ctx.h"

#define ST0_BEV_HI	0x40		/* ST0_BEV >> 16 */

	.text
	.set	noreorder
	.set	noat
	.set	mips64r2

/*
 * Each vector parks the guest's k0 in ErrorEPC (no KScratch on these CPUs),
 * rebuilds the context address from EBase into k0, saves the guest's k1
 * and branches to the common path with the vector id in k1.
 */
#define VECTOR(id)					\
	dmtc0	k0, CP0_ERROREPC;			\
	mfc0	k0, CP0_EBASE;				\
	ori	k0, k0, 0xfff;				\
	xori	k0, k0, 0xfff;				\
	daddiu	k0, k0, MVM_CTX_PAGE;			\
	sd	k1, MVM_CTX_GPR(27)(k0);		\
	b	mvm_exit_common;			\
	 li	k1, id

	.globl	mvm_vectors_start
mvm_vectors_start:
	VECTOR(MVM_VEC_TLB_REFILL)
	.org	0x080
	VECTOR(MVM_VEC_XTLB_REFILL)
	.org	0x100
	VECTOR(MVM_VEC_CACHE_ERR)
	.org	0x180
	VECTOR(MVM_VEC_GENERAL)
	.org	0x200
	VECTOR(MVM_VEC_INTERRUPT)
	.org	0x280

/* k0 = context, k1 = vector id; every other guest register is live. */
mvm_exit_common:
	sd	k1, MVM_CTX_VECTOR(k0)
	dmfc0	k1, CP0_ERROREPC
	sd	k1, MVM_CTX_GPR(26)(k0)
	sd	$1, MVM_CTX_GPR(1)(k0)
	sd	$2, MVM_CTX_GPR(2)(k0)
	sd	$3, MVM_CTX_GPR(3)(k0)
	sd	$4, MVM_CTX_GPR(4)(k0)
	sd	$5, MVM_CTX_GPR(5)(k0)
	sd	$6, MVM_CTX_GPR(6)(k0)
	sd	$7, MVM_CTX_GPR(7)(k0)
	sd	$8, MVM_CTX_GPR(8)(k0)
	sd	$9, MVM_CTX_GPR(9)(k0)
	sd	$10, MVM_CTX_GPR(10)(k0)
	sd	$11, MVM_CTX_GPR(11)(k0)
	sd	$12, MVM_CTX_GPR(12)(k0)
	sd	$13, MVM_CTX_GPR(13)(k0)
	sd	$14, MVM_CTX_GPR(14)(k0)
	sd	$15, MVM_CTX_GPR(15)(k0)
	sd	$16, MVM_CTX_GPR(16)(k0)
	sd	$17, MVM_CTX_GPR(17)(k0)
	sd	$18, MVM_CTX_GPR(18)(k0)
	sd	$19, MVM_CTX_GPR(19)(k0)
	sd	$20, MVM_CTX_GPR(20)(k0)
	sd	$21, MVM_CTX_GPR(21)(k0)
	sd	$22, MVM_CTX_GPR(22)(k0)
	sd	$23, MVM_CTX_GPR(23)(k0)
	sd	$24, MVM_CTX_GPR(24)(k0)
	sd	$25, MVM_CTX_GPR(25)(k0)
	sd	$28, MVM_CTX_GPR(28)(k0)
	sd	$29, MVM_CTX_GPR(29)(k0)
	sd	$30, MVM_CTX_GPR(30)(k0)
	sd	$31, MVM_CTX_GPR(31)(k0)
	mfhi	$1
	sd	$1, MVM_CTX_HI(k0)
	mflo	$1
	sd	$1, MVM_CTX_LO(k0)
	dmfc0	$1, CP0_EPC
	sd	$1, MVM_CTX_PC(k0)
	mfc0	$1, CP0_CAUSE
	sd	$1, MVM_CTX_CAUSE(k0)
	dmfc0	$1, CP0_BADVADDR
	sd	$1, MVM_CTX_BADVADDR(k0)

	/* Host ASID first (the code and data here are unmapped). */
	ld	$1, MVM_CTX_HOST_ENTRYHI(k0)
	dmtc0	$1, CP0_ENTRYHI
	ehb
	/* Linux's EBase back, with BEV set around the write. */
	mfc0	$1, CP0_STATUS
	lui	$2, ST0_BEV_HI
	or	$1, $1, $2
	mtc0	$1, CP0_STATUS
	ehb
	ld	$2, MVM_CTX_HOST_EBASE(k0)
	mtc0	$2, CP0_EBASE
	ehb
	/* Return to the caller of mvm_enter_guest through eret. */
	ld	$16, MVM_CTX_HOST_S(0)(k0)
	ld	$17, MVM_CTX_HOST_S(1)(k0)
	ld	$18, MVM_CTX_HOST_S(2)(k0)
	ld	$19, MVM_CTX_HOST_S(3)(k0)
	ld	$20, MVM_CTX_HOST_S(4)(k0)
	ld	$21, MVM_CTX_HOST_S(5)(k0)
	ld	$22, MVM_CTX_HOST_S(6)(k0)
	ld	$23, MVM_CTX_HOST_S(7)(k0)
	ld	$30, MVM_CTX_HOST_S(8)(k0)
	ld	sp, MVM_CTX_HOST_SP(k0)
	ld	gp, MVM_CTX_HOST_GP(k0)
	ld	ra, MVM_CTX_HOST_RA(k0)
	dmtc0	ra, CP0_EPC
	ld	$1, MVM_CTX_HOST_STATUS(k0)
	ori	$1, $1, ST0_EXL
	mtc0	$1, CP0_STATUS
	ehb
	eret
	 nop

/*
 * void mvm_enter_guest(struct mvm_ctx *ctx)   (ctx: CKSEG0 address)
 * Called with interrupts off, on the CPU whose TLB holds the guest's
 * entries. Returns when the guest takes any exception.
 */
	.globl	mvm_enter_guest
mvm_enter_guest:
	sd	$16, MVM_CTX_HOST_S(0)(a0)
	sd	$17, MVM_CTX_HOST_S(1)(a0)
	sd	$18, MVM_CTX_HOST_S(2)(a0)
	sd	$19, MVM_CTX_HOST_S(3)(a0)
	sd	$20, MVM_CTX_HOST_S(4)(a0)
	sd	$21, MVM_CTX_HOST_S(5)(a0)
	sd	$22, MVM_CTX_HOST_S(6)(a0)
	sd	$23, MVM_CTX_HOST_S(7)(a0)
	sd	$30, MVM_CTX_HOST_S(8)(a0)
	sd	sp, MVM_CTX_HOST_SP(a0)
	sd	gp, MVM_CTX_HOST_GP(a0)
	sd	ra, MVM_CTX_HOST_RA(a0)
	mfc0	$12, CP0_STATUS
	sd	$12, MVM_CTX_HOST_STATUS(a0)
	dmfc0	$13, CP0_ENTRYHI
	sd	$13, MVM_CTX_HOST_ENTRYHI(a0)
	mfc0	$13, CP0_EBASE
	sd	$13, MVM_CTX_HOST_EBASE(a0)

	/* Our EBase: the vector page just below the context. */
	lui	$14, ST0_BEV_HI
	or	$14, $12, $14
	mtc0	$14, CP0_STATUS
	ehb
	daddiu	$15, a0, -MVM_CTX_PAGE
	mtc0	$15, CP0_EBASE
	ehb
	/* User mode, EXL=1 until eret; then the guest ASID. */
	ld	$14, MVM_CTX_GUEST_STATUS(a0)
	mtc0	$14, CP0_STATUS
	ehb
	ld	$14, MVM_CTX_GUEST_ENTRYHI(a0)
	dmtc0	$14, CP0_ENTRYHI
	ld	$14, MVM_CTX_PC(a0)
	dmtc0	$14, CP0_EPC
	ld	$14, MVM_CTX_HI(a0)
	mthi	$14
	ld	$14, MVM_CTX_LO(a0)
	mtlo	$14
	ehb

	move	k0, a0
	ld	$1, MVM_CTX_GPR(1)(k0)
	ld	$2, MVM_CTX_GPR(2)(k0)
	ld	$3, MVM_CTX_GPR(3)(k0)
	ld	$4, MVM_CTX_GPR(4)(k0)
	ld	$5, MVM_CTX_GPR(5)(k0)
	ld	$6, MVM_CTX_GPR(6)(k0)
	ld	$7, MVM_CTX_GPR(7)(k0)
	ld	$8, MVM_CTX_GPR(8)(k0)
	ld	$9, MVM_CTX_GPR(9)(k0)
	ld	$10, MVM_CTX_GPR(10)(k0)
	ld	$11, MVM_CTX_GPR(11)(k0)
	ld	$12, MVM_CTX_GPR(12)(k0)
	ld	$13, MVM_CTX_GPR(13)(k0)
	ld	$14, MVM_CTX_GPR(14)(k0)
	ld	$15, MVM_CTX_GPR(15)(k0)
	ld	$16, MVM_CTX_GPR(16)(k0)
	ld	$17, MVM_CTX_GPR(17)(k0)
	ld	$18, MVM_CTX_GPR(18)(k0)
	ld	$19, MVM_CTX_GPR(19)(k0)
	ld	$20, MVM_CTX_GPR(20)(k0)
	ld	$21, MVM_CTX_GPR(21)(k0)
	ld	$22, MVM_CTX_GPR(22)(k0)
	ld	$23, MVM_CTX_GPR(23)(k0)
	ld	$24, MVM_CTX_GPR(24)(k0)
	ld	$25, MVM_CTX_GPR(25)(k0)
	ld	$27, MVM_CTX_GPR(27)(k0)
	ld	$28, MVM_CTX_GPR(28)(k0)
	ld	$29, MVM_CTX_GPR(29)(k0)
	ld	$30, MVM_CTX_GPR(30)(k0)
	ld	$31, MVM_CTX_GPR(31)(k0)
	ld	k0, MVM_CTX_GPR(26)(k0)
	eret
	 nop

/*
 * void mvm_tlb_invalidate(unsigned long va, unsigned long npairs,
 *			   unsigned long shift, unsigned long asid)
 * Called through CKSEG0 with interrupts off. For each of @npairs host page
 * pairs from @va (a pair is 1 << @shift bytes, @shift = PAGE_SHIFT + 1): if
 * a TLB entry matches it under @asid, the entry gets a unique EntryHi in
 * CKSEG0 (index << @shift, as Linux's UNIQUE_ENTRYHI, with @asid so that
 * EntryHi's ASID changes only twice) and invalid halves. Unmapped code, so
 * no TLB refill can move EntryHi between the probe and the write.
 */
	.globl	mvm_tlb_invalidate
mvm_tlb_invalidate:
	dmfc0	t0, CP0_ENTRYHI
	li	t3, 1
	dsllv	t3, t3, a2		/* pair size */
	lui	t2, 0x8000		/* CKSEG0, sign-extended */
	or	t2, t2, a3
2:	or	t1, a0, a3
	dmtc0	t1, CP0_ENTRYHI
	ehb
	tlbp
	ehb
	mfc0	t1, CP0_INDEX
	bltz	t1, 1f
	 dsllv	t1, t1, a2
	daddu	t1, t1, t2
	dmtc0	t1, CP0_ENTRYHI
	dmtc0	zero, CP0_ENTRYLO0
	dmtc0	zero, CP0_ENTRYLO1
	ehb
	tlbwi
	ehb
1:	daddiu	a1, a1, -1
	bnez	a1, 2b
	 daddu	a0, a0, t3
	dmtc0	t0, CP0_ENTRYHI
	ehb
	jr	ra
	 nop

/*
 * void mvm_tlb_write(unsigned long entryhi, unsigned long lo0,
 *		      unsigned long lo1, unsigned long pagemask)
 * Called through CKSEG0 with interrupts off: writes the entry over the one
 * that matches @entryhi, else over a random one. Unmapped code: a TLB
 * refill between setting PageMask and restoring it (the write may evict the
 * entry of the code running it) would give a kernel page @pagemask's size.
 */
	.globl	mvm_tlb_write
mvm_tlb_write:
	dmfc0	t0, CP0_ENTRYHI
	mfc0	t1, CP0_PAGEMASK
	dmtc0	a0, CP0_ENTRYHI
	ehb
	tlbp
	ehb
	mfc0	t2, CP0_INDEX
	dmtc0	a1, CP0_ENTRYLO0
	dmtc0	a2, CP0_ENTRYLO1
	mtc0	a3, CP0_PAGEMASK
	ehb
	bltz	t2, 1f
	 nop
	tlbwi
	b	2f
	 nop
1:	tlbwr
2:	ehb
	dmtc0	t0, CP0_ENTRYHI
	mtc0	t1, CP0_PAGEMASK
	ehb
	jr	ra
	 nop

/*
 * unsigned long mvm_pagemask_probe(unsigned long pagemask)
 * Called through CKSEG0 with interrupts off: what PageMask reads back after
 * @pagemask is written (a page size the TLB lacks reads back otherwise).
 * Unmapped code, for the reason above.
 */
	.globl	mvm_pagemask_probe
mvm_pagemask_probe:
	mfc0	t0, CP0_PAGEMASK
	mtc0	a0, CP0_PAGEMASK
	ehb
	mfc0	v0, CP0_PAGEMASK
	mtc0	t0, CP0_PAGEMASK
	ehb
	jr	ra
	 nop

	.globl	mvm_vectors_end
mvm_vectors_end:
