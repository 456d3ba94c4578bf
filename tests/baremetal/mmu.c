// SPDX-License-Identifier: GPL-2.0
/*
 * MMU behaviour a kernel relies on: a refill handler that fills the TLB
 * with tlbwr and retries; instruction fetch TLB exceptions, including a
 * branch whose delay slot is on the next, unmapped page; kernel mode while
 * EXL or ERL is set whatever KSU says; useg unmapped while ERL = 1.
 */
#include "asm.h"

const char *bm_name = "mmu";

u64 m_load_with_status(u64 addr, u64 bits);
extern char m_load_with_status_res[];

#define PA_EVEN		0x01000000ULL
#define PA_ODD		0x01001000ULL
#define CODE_PA		0x01400000ULL
#define ADDR(p)		((u64)(uintptr_t)(p))

static volatile int refills;

static bool refill_hook(struct frame *f, u64 cause)
{
	u64 vec = f->vec & 0xfff;

	(void)cause;
	if (vec != 0x080 && vec != 0x000)
		return false;
	refills++;
	/* EntryHi already holds VPN2 and ASID of the miss */
	DMTC0(C0_ENTRYLO0, ELO(PA_EVEN, ELO_C(3) | ELO_V | ELO_D));
	DMTC0(C0_ENTRYLO1, ELO(PA_ODD, ELO_C(3) | ELO_V | ELO_D));
	MTC0(C0_PAGEMASK, 0);
	asm volatile("tlbwr\n\tehb" ::: "memory");
	return true;
}

static void test_refill_handler(void)
{
	u64 base = XKSEG + 0x300000000ULL;
	int i, bad = -1;

	wr64(KSEG1(PA_EVEN + 0x18), 0xe0e0e0e0);
	wr64(KSEG1(PA_ODD + 0x18), 0x0d0d0d0d);
	exc_reset();
	refills = 0;
	exc_hook = refill_hook;
	for (i = 0; i < 400; i++) {
		u64 v = rd64(base + ((u64)i << 12) + 0x18);

		if (v != ((i & 1) ? 0x0d0d0d0dULL : 0xe0e0e0e0ULL)) {
			bad = i;
			break;
		}
	}
	exc_hook = NULL;
	check_eq((u64)bad, (u64)-1, "refill handler (tlbwr, retry): 400 pages read through it");
	check_true(refills >= 200, "... with one refill per missing pair (%d refills)", refills);
	/* the same with stores */
	exc_reset();
	exc_hook = refill_hook;
	tlb_init();
	for (i = 0; i < 64; i++)
		wr64(base + ((u64)i << 13) + 0x20, (u64)i);
	exc_hook = NULL;
	check_eq(rd64(KSEG1(PA_EVEN + 0x20)), 63, "refill handler: stores retried after the refill");
	tlb_init();
}

static void fetch_fault(const char *name, u64 entry, int vec, int code, u64 epc, bool bd, u64 badv)
{
	exc_reset();
	exc_resume = ADDR(f_jump_res);	/* jr ra: back into call_hb */
	call_hb(entry);
	if (!check_exc(0, vec, code, name))
		return;
	check_eq(exc_log[0].epc, epc, "%s: EPC", name);
	check_eq(exc_log[0].cause & CA_BD, bd ? CA_BD : 0, "%s: Cause.BD", name);
	check_eq(exc_log[0].badvaddr, badv, "%s: BadVAddr", name);
	check_eq(exc_n, 1, "%s: one exception", name);
}

static void test_fetch(void)
{
	u64 va = XKSEG + 0x60000000ULL;

	fetch_fault("fetch from unmapped xkseg -> XTLB refill (TLBL)", va + 0x40, 0x080, 2,
		    va + 0x40, false, va + 0x40);
	/* a page of code whose odd neighbour is invalid */
	wr32(KSEG0(CODE_PA + 0xff8), 0);		/* nop */
	wr32(KSEG0(CODE_PA + 0xffc), 0x10000010);	/* b +0x44: the delay slot is on the next page */
	wr32(KSEG0(CODE_PA + 0x1000), 0);
	wr32(KSEG0(CODE_PA + 0x10), 0x03e00008);	/* jr ra */
	wr32(KSEG0(CODE_PA + 0x14), 0x24020033);	/* li v0, 0x33 */
	tlb_write(1, va, ELO(CODE_PA, ELO_C(3) | ELO_V | ELO_G), ELO(CODE_PA + 0x1000, ELO_G), 0);
	check_eq(call_hb(va + 0x10), 0x33, "mapped code page runs");
	fetch_fault("delay slot on an invalid page -> TLBL", va + 0xff8, 0x180, 2,
		    va + 0xffc, true, va + 0x1000);
	fetch_fault("fetch from an invalid page -> TLBL at 0x180", va + 0x1000, 0x180, 2,
		    va + 0x1000, false, va + 0x1000);
	wr32(KSEG0(CODE_PA + 0xffc), 0);		/* nop: straight into the next page */
	fetch_fault("straight-line code running into an invalid page -> TLBL", va + 0xff8, 0x180,
		    2, va + 0x1000, false, va + 0x1000);
	wr32(KSEG0(CODE_PA + 0xffc), 0x10000010);
	/* the same with the next page not in the TLB at all */
	tlb_write(1, va + 0x2000, ELO_G, ELO(CODE_PA, ELO_C(3) | ELO_V | ELO_G), 0);
	fetch_fault("delay slot on an unmapped page -> XTLB refill", va + 0x3ff8, 0x080, 2,
		    va + 0x3ffc, true, va + 0x4000);
	tlb_invalidate(1);
}

static void test_kernel_by_exl(void)
{
	static u64 word = 0xfeedf00d;

	exc_reset();
	exc_resume = ADDR(m_load_with_status_res);
	check_eq(m_load_with_status(ADDR(&word), ST_EXL | ST_KSU_USER), 0xfeedf00d,
		 "KSU = user with EXL = 1 is kernel mode: ckseg0 load works");
	check_eq(exc_n, 0, "KSU = user with EXL = 1: no exception");
	exc_reset();
	exc_resume = ADDR(m_load_with_status_res);
	check_eq(m_load_with_status(ADDR(&word), ST_ERL | ST_KSU_USER), 0xfeedf00d,
		 "KSU = user with ERL = 1 is kernel mode: ckseg0 load works");
	check_eq(exc_n, 0, "KSU = user with ERL = 1: no exception");

	/* ERL = 1: the low 2 GiB of useg are unmapped and uncached */
	wr64(KSEG1(PA_EVEN + 0x40), 0xabad1dea);
	exc_reset();
	exc_resume = ADDR(m_load_with_status_res);
	check_eq(m_load_with_status(PA_EVEN + 0x40, ST_ERL), 0xabad1dea,
		 "ERL = 1: useg address = physical address, no TLB");
	check_eq(exc_n, 0, "ERL = 1 useg load: no exception");
}

/* A block cached for useg VA 0x400000 (mapped) must not run when ERL = 1 makes it physical. */
static void test_erl_fetch(void)
{
	u64 va = 0x400000ULL, v;
	u32 st = (u32)MFC0(C0_STATUS);

	wr32(KSEG0(CODE_PA + 0x100), 0x24020011);	/* li v0, 0x11 */
	wr32(KSEG0(CODE_PA + 0x104), 0x03e00008);	/* jr ra */
	wr32(KSEG0(CODE_PA + 0x108), 0);
	wr32(KSEG0(va + 0x100), 0x24020022);		/* at physical 0x400100: li v0, 0x22 */
	wr32(KSEG0(va + 0x104), 0x03e00008);
	wr32(KSEG0(va + 0x108), 0);
	asm volatile("synci 0(%0); synci 0(%1); sync" :: "r"(KSEG0(CODE_PA + 0x100)),
		     "r"(KSEG0(va + 0x100)) : "memory");
	tlb_write(1, va, ELO(CODE_PA, ELO_C(3) | ELO_V | ELO_G), ELO_G, 0);
	check_eq(call_hb(va + 0x100), 0x11, "kernel runs mapped useg code at 0x400100");
	MTC0(C0_STATUS, st | ST_ERL);
	v = call_hb(va + 0x100);
	MTC0(C0_STATUS, st);
	check_eq(v, 0x22, "ERL = 1: the same VA runs physical 0x400100 instead");
	check_eq(call_hb(va + 0x100), 0x11, "ERL = 0 again: mapped code");
	/* the same for data */
	check_eq(rd64(va + 0x100), rd64(KSEG0(CODE_PA + 0x100)), "mapped useg load");
	exc_reset();
	exc_resume = ADDR(m_load_with_status_res);
	check_eq(m_load_with_status(va + 0x100, ST_ERL), rd64(KSEG0(va + 0x100)),
		 "ERL = 1: a load from the same VA reads physical 0x400100");
	tlb_invalidate(1);
}

void bm_main(void)
{
	test_refill_handler();
	test_fetch();
	test_kernel_by_exl();
	test_erl_fetch();
}
