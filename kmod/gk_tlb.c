// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's TLB instructions in patched kernel code (tlbp, tlbr, tlbwi,
 * tlbwr), done here on the guest TLB the module keeps anyway, instead of
 * an exit for the VMM to execute each: Linux runs one or two per page
 * fault and per TLB refill. The operands are the guest's CP0 registers on
 * the commpage (MVM_GK_COMM_*, uapi/linux/mvm.h); the results must be what
 * the VMM's core would have made of the same instruction, bit for bit, as
 * the two are compared.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include "mvm.h"
#include "trace.h"

#define DECLINE			(-1)
#define GK_TLB_INDEX_P		BIT_ULL(31)	/* Index: tlbp found nothing */
#define GK_ENTRYLO_G		1ull
#define GK_ENTRYHI_ASID		0xffull
#define GK_REGION_MASK		GENMASK_ULL(63, 62)
#define GK_VPN2_MASK		GENMASK_ULL(MVM_FLAT_WINDOW_BITS - 1, 13)

enum {
	CP0_INDEX = 0, CP0_ENTRYLO0 = 2, CP0_ENTRYLO1 = 3, CP0_PAGEMASK = 5,
	CP0_WIRED = 6, CP0_ENTRYHI = 10,
};

static u64 comm_get(struct mvm_vcpu *v, u64 hva)
{
	return READ_ONCE(*mvm_gk_comm(v, hva));
}

static void comm_set(struct mvm_vcpu *v, u64 hva, u64 val)
{
	WRITE_ONCE(*mvm_gk_comm(v, hva), val);
}

static u64 cp0_get(struct mvm_vcpu *v, unsigned int reg)
{
	return comm_get(v, MVM_GK_COMM_CP0(reg, 0));
}

static void cp0_set(struct mvm_vcpu *v, unsigned int reg, u64 val)
{
	comm_set(v, MVM_GK_COMM_CP0(reg, 0), val);
}

static bool entry_is_global(const struct mvm_tlb_entry *e)
{
	return e->entrylo0 & e->entrylo1 & GK_ENTRYLO_G;
}

/* tlbp: the first entry matching EntryHi's VPN2, R and ASID (or global). */
static int gk_tlbp(struct mvm_vcpu *v)
{
	u64 hi = cp0_get(v, CP0_ENTRYHI);
	int i;

	for (i = 0; i < MVM_GUEST_TLB_SIZE; i++) {
		const struct mvm_tlb_entry *e = &v->guest_tlb[i];
		u64 cmp = GK_REGION_MASK | (GK_VPN2_MASK & ~e->pagemask);

		if (!((hi ^ e->entryhi) & cmp) &&
		    (entry_is_global(e) ||
		     !((hi ^ e->entryhi) & GK_ENTRYHI_ASID))) {
			cp0_set(v, CP0_INDEX, i);
			return i;
		}
	}
	/* As the core does: the old index stays below the P bit. */
	cp0_set(v, CP0_INDEX, cp0_get(v, CP0_INDEX) | GK_TLB_INDEX_P);
	return MVM_GUEST_TLB_SIZE;
}

/*
 * tlbr. A read that changes EntryHi's ASID changes the guest kernel's
 * address space (which host ASID this vCPU runs under): the VMM's.
 */
static int gk_tlbr(struct mvm_vcpu *v)
{
	unsigned int i = cp0_get(v, CP0_INDEX) & (MVM_GUEST_TLB_SIZE - 1);
	const struct mvm_tlb_entry *e = &v->guest_tlb[i];
	u64 g = entry_is_global(e) ? GK_ENTRYLO_G : 0;

	if ((e->entryhi ^ cp0_get(v, CP0_ENTRYHI)) & GK_ENTRYHI_ASID)
		return DECLINE;
	cp0_set(v, CP0_PAGEMASK, e->pagemask);
	cp0_set(v, CP0_ENTRYHI, e->entryhi);
	cp0_set(v, CP0_ENTRYLO0, (e->entrylo0 & ~GK_ENTRYLO_G) | g);
	cp0_set(v, CP0_ENTRYLO1, (e->entrylo1 & ~GK_ENTRYLO_G) | g);
	return i;
}

/* tlbwr's index: the VMM core's xorshift64 on the seed they share. */
static unsigned int gk_random_index(struct mvm_vcpu *v)
{
	u64 wired = cp0_get(v, CP0_WIRED), seed;

	if (wired >= MVM_GUEST_TLB_SIZE)
		return MVM_GUEST_TLB_SIZE - 1;
	seed = comm_get(v, MVM_GK_COMM_RANDOM);
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	comm_set(v, MVM_GK_COMM_RANDOM, seed);
	return wired + seed % (MVM_GUEST_TLB_SIZE - wired);
}

/* tlbwi, tlbwr: the entry goes in here and to the VMM through the commpage. */
static int gk_tlbw(struct mvm_vcpu *v, bool random)
{
	struct mvm_tlb_entry e = { 0 };
	u64 base;

	e.pagemask = cp0_get(v, CP0_PAGEMASK);
	if (!mvm_valid_pagemask(e.pagemask))
		return DECLINE;		/* the core has its own idea of those */
	e.index = random ? gk_random_index(v) :
		  cp0_get(v, CP0_INDEX) & (MVM_GUEST_TLB_SIZE - 1);
	e.entryhi = cp0_get(v, CP0_ENTRYHI) & ~e.pagemask;
	e.entrylo0 = cp0_get(v, CP0_ENTRYLO0);
	e.entrylo1 = cp0_get(v, CP0_ENTRYLO1);
	mvm_guest_tlb_write(v, &e);
	base = MVM_GK_COMM_TLB(e.index);
	comm_set(v, base, e.entryhi);
	comm_set(v, base + 8, e.entrylo0);
	comm_set(v, base + 16, e.entrylo1);
	comm_set(v, base + 24, e.pagemask);
	comm_set(v, MVM_GK_COMM_TLB_WRITTEN,
		 comm_get(v, MVM_GK_COMM_TLB_WRITTEN) | BIT_ULL(e.index));
	return e.index;
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
	default:
		return 0;
	}
	trace_mvm_gk_tlb(v->id, code, index, cp0_get(v, CP0_ENTRYHI));
	return index != DECLINE;
}
