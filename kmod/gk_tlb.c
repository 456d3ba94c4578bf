// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's TLB instructions in patched kernel code (tlbp, tlbr, tlbwi,
 * tlbwr) and its EntryHi writes with a new ASID, done here on the guest
 * TLB the module keeps anyway, instead of an exit for the VMM to execute
 * each: Linux runs one or two per page fault and per TLB refill, and
 * switches the ASID at every context switch. The operands are the guest's
 * CP0 registers on the commpage (MVM_GK_COMM_*, uapi/linux/mvm.h); the
 * results must be what the VMM's core would have made of the same
 * instruction, bit for bit, as the two are compared.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include "mvm.h"
#include "trace.h"

#define DECLINE			(-1)
#define GK_TLB_INDEX_P		BIT_ULL(31)	/* Index: tlbp found nothing */
#define GK_ENTRYLO_G		1ull
#define GK_ENTRYHI_ASID		0xffull

/* tlbp: the first entry matching EntryHi's VPN2, R and ASID (or global). */
static int gk_tlbp(struct mvm_vcpu *v)
{
	u64 hi = mvm_gk_cp0(v, MVM_CP0_ENTRYHI);
	int i;

	for (i = 0; i < MVM_GUEST_TLB_SIZE; i++) {
		const struct mvm_tlb_entry *e = &v->guest_tlb[i];
		u64 cmp = MVM_GUEST_REGION_MASK | (MVM_GUEST_VPN2_MASK & ~e->pagemask);

		if (!((hi ^ e->entryhi) & cmp) &&
		    (mvm_tlb_entry_global(e) ||
		     !((hi ^ e->entryhi) & GK_ENTRYHI_ASID))) {
			mvm_gk_set_cp0(v, MVM_CP0_INDEX, i);
			return i;
		}
	}
	/* As the core does: the old index stays below the P bit. */
	mvm_gk_set_cp0(v, MVM_CP0_INDEX, mvm_gk_cp0(v, MVM_CP0_INDEX) | GK_TLB_INDEX_P);
	return MVM_GUEST_TLB_SIZE;
}

/*
 * tlbr. A read that changes EntryHi's ASID changes the guest kernel's
 * address space (which host ASID this vCPU runs under): the VMM's.
 */
static int gk_tlbr(struct mvm_vcpu *v)
{
	unsigned int i = mvm_gk_cp0(v, MVM_CP0_INDEX) & (MVM_GUEST_TLB_SIZE - 1);
	const struct mvm_tlb_entry *e = &v->guest_tlb[i];
	u64 g = mvm_tlb_entry_global(e) ? GK_ENTRYLO_G : 0;

	if ((e->entryhi ^ mvm_gk_cp0(v, MVM_CP0_ENTRYHI)) & GK_ENTRYHI_ASID)
		return DECLINE;
	mvm_gk_set_cp0(v, MVM_CP0_PAGEMASK, e->pagemask);
	mvm_gk_set_cp0(v, MVM_CP0_ENTRYHI, e->entryhi);
	mvm_gk_set_cp0(v, MVM_CP0_ENTRYLO0, (e->entrylo0 & ~GK_ENTRYLO_G) | g);
	mvm_gk_set_cp0(v, MVM_CP0_ENTRYLO1, (e->entrylo1 & ~GK_ENTRYLO_G) | g);
	return i;
}

/* tlbwr's index: the VMM core's xorshift64 on the seed they share. */
static unsigned int gk_random_index(struct mvm_vcpu *v)
{
	u64 wired = mvm_gk_cp0(v, MVM_CP0_WIRED), seed;

	if (wired >= MVM_GUEST_TLB_SIZE)
		return MVM_GUEST_TLB_SIZE - 1;
	seed = mvm_gk_get(v, MVM_GK_COMM_RANDOM);
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	mvm_gk_set(v, MVM_GK_COMM_RANDOM, seed);
	return wired + seed % (MVM_GUEST_TLB_SIZE - wired);
}

/* tlbwi, tlbwr: the entry goes in here and to the VMM through the commpage. */
static int gk_tlbw(struct mvm_vcpu *v, bool random)
{
	struct mvm_tlb_entry e = { 0 };
	u64 base;

	e.pagemask = mvm_gk_cp0(v, MVM_CP0_PAGEMASK);
	if (!mvm_valid_pagemask(e.pagemask))
		return DECLINE;		/* the core has its own idea of those */
	e.index = random ? gk_random_index(v) :
		  mvm_gk_cp0(v, MVM_CP0_INDEX) & (MVM_GUEST_TLB_SIZE - 1);
	e.entryhi = mvm_gk_cp0(v, MVM_CP0_ENTRYHI) & ~e.pagemask;
	e.entrylo0 = mvm_gk_cp0(v, MVM_CP0_ENTRYLO0);
	e.entrylo1 = mvm_gk_cp0(v, MVM_CP0_ENTRYLO1);
	mvm_guest_tlb_write(v, &e);
	base = MVM_GK_COMM_TLB(e.index);
	mvm_gk_set(v, base, e.entryhi);
	mvm_gk_set(v, base + 8, e.entrylo0);
	mvm_gk_set(v, base + 16, e.entrylo1);
	mvm_gk_set(v, base + 24, e.pagemask);
	mvm_gk_set(v, MVM_GK_COMM_TLB_WRITTEN,
		 mvm_gk_get(v, MVM_GK_COMM_TLB_WRITTEN) | BIT_ULL(e.index));
	return e.index;
}

/*
 * mtc0 EntryHi with a new ASID, the value on the commpage: a context
 * switch of the guest. Its user addresses take the new ASID's host
 * entries, as after MVM_SET_ONE_REG of EntryHi.
 */
static int gk_entryhi(struct mvm_vcpu *v)
{
	u64 old = v->cp0[10][0];

	if (!mvm_vcpu_set_entryhi(v, mvm_gk_cp0(v, MVM_CP0_ENTRYHI)))
		return 0;
	if (mvm_vcpu_select_mm(v)) {
		v->cp0[10][0] = old;
		return DECLINE;
	}
	return 0;
}

/*
 * `syscall MVM_GK_CALL_*` at the PC of a kernel_mode run: 1 when done (the
 * run goes on after it), 0 when the VMM must execute the instruction.
 */
int mvm_gk_tlb_call(struct mvm_vcpu *v, u32 code)
{
	int index;

	switch (code) {
	case MVM_GK_CALL_TLBP:
		index = gk_tlbp(v);
		break;
	case MVM_GK_CALL_TLBR:
		index = gk_tlbr(v);
		break;
	case MVM_GK_CALL_TLBWI:
		index = gk_tlbw(v, false);
		break;
	case MVM_GK_CALL_TLBWR:
		index = gk_tlbw(v, true);
		break;
	case MVM_GK_CALL_ENTRYHI:
		index = gk_entryhi(v);
		break;
	default:
		return 0;
	}
	trace_mvm_gk_tlb(v->id, code, index, mvm_gk_cp0(v, MVM_CP0_ENTRYHI));
	return index != DECLINE;
}
