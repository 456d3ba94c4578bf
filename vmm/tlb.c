// SPDX-License-Identifier: GPL-2.0
/*
 * Address translation: the 64-bit segments, the guest-visible TLB and the
 * interpreter's soft TLB that caches (virtual page -> host pointer) per mode
 * and access kind. Exceptions set BadVAddr, Context, XContext and EntryHi
 * as the MIPS64 privileged architecture prescribes.
 */
#include <string.h>

#include "cpu_internal.h"

#define SEG_MASK	((1ull << CPU_SEGBITS) - 1)
#define PA_MASK		((1ull << CPU_PABITS) - 1)
#define VPN2_MASK	(SEG_MASK & ~0x1fffull)
#define REGION_MASK	(3ull << 62)

void tlb__recompute(struct tlb_entry *e)
{
	e->cmp_mask = REGION_MASK | (VPN2_MASK & ~e->pagemask);
	e->global = (e->entrylo[0] & e->entrylo[1] & ENTRYLO_G) != 0;
}

void tlb__flush_soft(struct cpu *cpu)
{
	memset(cpu->stlb, 0xff, sizeof(cpu->stlb));
	interp__flush_jump_cache(cpu);
}

/* Translated code reached through the TLB is revalidated from now on. */
static void tlb__bump_generation(struct cpu *cpu)
{
	if (++cpu->tlb_generation == 0)
		cpu->tlb_generation = 1;
}

/*
 * The ASID changed: every translation that went through the TLB may differ
 * now, those of the unmapped segments (the kernel's own) stay valid.
 */
void tlb__flush_soft_mapped(struct cpu *cpu)
{
	struct soft_tlb_entry *e = &cpu->stlb[0][0][0];

	for (unsigned int i = 0; i < MODE_KINDS * ACCESS_KINDS * SOFT_TLB_SIZE; i++)
		if (!(e[i].tag & 1) && !tlb__va_is_unmapped(e[i].tag))
			e[i].tag = ~0ull;
	tlb__bump_generation(cpu);
}

/* Drops the soft TLB entries that TLB entry t can translate. */
static void tlb__flush_soft_entry(struct cpu *cpu, const struct tlb_entry *t)
{
	uint64_t pages = ((t->pagemask | 0x1fffull) + 1) >> PAGE_SHIFT;
	uint64_t first = (t->entryhi & t->cmp_mask) >> PAGE_SHIFT;
	uint64_t want = t->entryhi & t->cmp_mask;

	for (int m = 0; m < MODE_KINDS; m++) {
		for (int a = 0; a < ACCESS_KINDS; a++) {
			struct soft_tlb_entry *e = cpu->stlb[m][a];
			uint64_t n = pages < SOFT_TLB_SIZE ? pages : SOFT_TLB_SIZE;

			for (uint64_t p = 0; p < n; p++) {
				struct soft_tlb_entry *x =
					&e[pages < SOFT_TLB_SIZE ?
					   (first + p) & (SOFT_TLB_SIZE - 1) : p];

				if (!(x->tag & 1) && (x->tag & t->cmp_mask) == want)
					x->tag = ~0ull;
			}
		}
	}
}

/* A page became code: stores to it must take the slow path from now on. */
void tlb__flush_soft_store_page(struct cpu *cpu, uint64_t pa)
{
	uintptr_t host = (uintptr_t)cpu->bus->ram + (pa & PAGE_MASK);

	for (int m = 0; m < MODE_KINDS; m++) {
		struct soft_tlb_entry *e = cpu->stlb[m][ACCESS_STORE];

		for (unsigned int i = 0; i < SOFT_TLB_SIZE; i++)
			if ((e[i].tag & 1) == 0 && e[i].tag + e[i].addend == host)
				e[i].tag = ~0ull;
	}
}

/* Which physical address does TLB entry e give va, if it matches. */
static enum translate_result tlb__lookup(struct cpu *cpu, uint64_t va, int access,
					 uint64_t *pa)
{
	uint64_t asid = cpu->cp0.entryhi & ENTRYHI_ASID;

	for (int i = 0; i < CPU_TLB_ENTRIES; i++) {
		const struct tlb_entry *e = &cpu->tlb[i];
		uint64_t half, lo;

		if ((va & e->cmp_mask) != (e->entryhi & e->cmp_mask))
			continue;
		if (!e->global && (e->entryhi & ENTRYHI_ASID) != asid)
			continue;
		half = (e->pagemask | 0x1fffull) + 1;
		half >>= 1;
		lo = e->entrylo[(va & half) ? 1 : 0];
		if (!(lo & ENTRYLO_V))
			return TR_INVALID;
		if (access == ACCESS_STORE && !(lo & ENTRYLO_D))
			return TR_MODIFIED;
		*pa = ((((lo >> 6) << PAGE_SHIFT) & ~(half - 1)) | (va & (half - 1))) & PA_MASK;
		return TR_OK;
	}
	return TR_REFILL;
}

/*
 * Segment rules of MIPS64 with SEGBITS/PABITS as configured. soft_ok tells
 * the caller whether the translation may be cached in the soft TLB (it may
 * not when it depends on Status.ERL, which is not part of the cache key).
 */
enum translate_result tlb__translate(struct cpu *cpu, uint64_t va, int access,
				     uint64_t *pa, bool *soft_ok)
{
	uint64_t status = cpu->cp0.status;
	int mode = cpu->mode;

	*soft_ok = true;
	if ((int64_t)va == (int32_t)va) {
		uint32_t a = (uint32_t)va;

		if (a < 0x80000000u) {
			if ((status & ST_ERL) && mode == MODE_KERNEL) {
				*soft_ok = false;
				*pa = a;
				return TR_OK;
			}
			return tlb__lookup(cpu, va, access, pa);
		}
		if (a < 0xc0000000u) {		/* kseg0, kseg1 */
			if (mode != MODE_KERNEL)
				return TR_ADDRESS_ERROR;
			*pa = a & 0x1fffffffu;
			return TR_OK;
		}
		if (a < 0xe0000000u) {		/* sseg */
			if (mode == MODE_USER)
				return TR_ADDRESS_ERROR;
			return tlb__lookup(cpu, va, access, pa);
		}
		if (mode != MODE_KERNEL)	/* kseg3 */
			return TR_ADDRESS_ERROR;
		return tlb__lookup(cpu, va, access, pa);
	}

	switch (va >> 62) {
	case 0:		/* xuseg */
		if (!(status & ST_UX) || va > SEG_MASK)
			return TR_ADDRESS_ERROR;
		return tlb__lookup(cpu, va, access, pa);
	case 1:		/* xsseg */
		if (mode == MODE_USER || !(status & ST_SX) ||
		    (va & ~REGION_MASK) > SEG_MASK)
			return TR_ADDRESS_ERROR;
		return tlb__lookup(cpu, va, access, pa);
	case 2:		/* xkphys: bits 61:59 are the cache attribute */
		if (mode != MODE_KERNEL || !(status & ST_KX) ||
		    (va & 0x07ffffffffffffffull) > PA_MASK)
			return TR_ADDRESS_ERROR;
		*pa = va & PA_MASK;
		return TR_OK;
	default:	/* xkseg */
		if (mode != MODE_KERNEL || !(status & ST_KX) ||
		    (va & ~REGION_MASK) > SEG_MASK)
			return TR_ADDRESS_ERROR;
		return tlb__lookup(cpu, va, access, pa);
	}
}

static void tlb__set_fault_registers(struct cpu *cpu, uint64_t va)
{
	struct cp0 *c = &cpu->cp0;
	uint64_t vpn2 = (va & VPN2_MASK) >> 13;

	c->badvaddr = va;
	c->context = (c->context & (~0ull << 23)) | (((va >> 13) & 0x7ffff) << 4);
	c->xcontext = (c->xcontext & (~0ull << (CPU_SEGBITS - 7))) |
		      ((va >> 62) << (CPU_SEGBITS - 9)) | (vpn2 << 4);
	c->entryhi = (va & (REGION_MASK | VPN2_MASK)) | (c->entryhi & ENTRYHI_ASID);
}

/* The vector for a refill depends on the faulting address's segment. */
static bool tlb__is_xtlb_refill(struct cpu *cpu, uint64_t va)
{
	uint64_t status = cpu->cp0.status;
	unsigned int region = va >> 62;

	return (region != 0 || (status & ST_UX)) && (region != 3 || (status & ST_KX));
}

bool tlb__translate_or_raise(struct cpu *cpu, uint64_t va, int access, uint64_t *pa,
			     bool *soft_ok)
{
	enum translate_result r = tlb__translate(cpu, va, access, pa, soft_ok);
	enum exc_code code = access == ACCESS_STORE ? EXC_TLBS : EXC_TLBL;

	switch (r) {
	case TR_OK:
		return true;
	case TR_ADDRESS_ERROR:
		cpu__address_error(cpu, va, access == ACCESS_STORE);
		return false;
	case TR_REFILL:
		tlb__set_fault_registers(cpu, va);
		cpu->refill = true;
		cpu->xtlb_refill = tlb__is_xtlb_refill(cpu, va);
		cpu__exception(cpu, code);
		return false;
	case TR_INVALID:
		tlb__set_fault_registers(cpu, va);
		cpu__exception(cpu, code);
		return false;
	case TR_MODIFIED:
		tlb__set_fault_registers(cpu, va);
		cpu__exception(cpu, EXC_MOD);
		return false;
	}
	return false;
}

void tlb__probe(struct cpu *cpu)
{
	uint64_t hi = cpu->cp0.entryhi;
	uint64_t asid = hi & ENTRYHI_ASID;

	for (int i = 0; i < CPU_TLB_ENTRIES; i++) {
		const struct tlb_entry *e = &cpu->tlb[i];

		if ((hi & e->cmp_mask) == (e->entryhi & e->cmp_mask) &&
		    (e->global || (e->entryhi & ENTRYHI_ASID) == asid)) {
			cpu->cp0.index = (uint64_t)i;
			return;
		}
	}
	cpu->cp0.index |= 1ull << 31;
}

void tlb__read(struct cpu *cpu)
{
	const struct tlb_entry *e = &cpu->tlb[cpu->cp0.index & (CPU_TLB_ENTRIES - 1)];
	uint64_t g = e->global ? ENTRYLO_G : 0;

	if ((e->entryhi ^ cpu->cp0.entryhi) & ENTRYHI_ASID)
		tlb__flush_soft_mapped(cpu);
	cpu->cp0.pagemask = e->pagemask;
	cpu->cp0.entryhi = e->entryhi;
	cpu->cp0.entrylo[0] = (e->entrylo[0] & ~ENTRYLO_G) | g;
	cpu->cp0.entrylo[1] = (e->entrylo[1] & ~ENTRYLO_G) | g;
}

void tlb__write_entry(struct cpu *cpu, unsigned int index, uint64_t entryhi,
		     uint64_t entrylo0, uint64_t entrylo1, uint64_t pagemask)
{
	struct tlb_entry *e = &cpu->tlb[index & (CPU_TLB_ENTRIES - 1)];

	tlb__flush_soft_entry(cpu, e);
	e->pagemask = pagemask;
	e->entryhi = entryhi & ~pagemask;
	e->entrylo[0] = entrylo0;
	e->entrylo[1] = entrylo1;
	tlb__recompute(e);
	tlb__flush_soft_entry(cpu, e);
	tlb__bump_generation(cpu);
}

void tlb__write(struct cpu *cpu, int index)
{
	tlb__write_entry(cpu, (unsigned int)index, cpu->cp0.entryhi, cpu->cp0.entrylo[0],
			 cpu->cp0.entrylo[1], cpu->cp0.pagemask);
}

void tlb__write_random(struct cpu *cpu)
{
	tlb__write(cpu, (int)cp0__read(cpu, CP0_RANDOM, 0));
}
