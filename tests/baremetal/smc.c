// SPDX-License-Identifier: GPL-2.0
/*
 * The block cache under self-modifying code: instructions written over
 * code that already ran (same page, another page, a delay slot, a branch,
 * a hot loop; through ckseg0, ckseg1 and xkphys; with synci or cache ops)
 * run in their new form after synci/cache + jr.hb. Code reached through
 * the TLB follows remapping and ASID switches.
 */
#include "asm.h"

const char *bm_name = "smc";

u64 smc_same(u32 word);
extern char smc_t1[], smc_t2[], smc_t3[], smc_t4[], smc_t5[], smc_t6[], smc_t7[], smc_end2[];

#define LI_V0(n)	(0x24020000u | (n))	/* addiu v0, zero, n */
#define NOP		0u
#define ADDIU_V0_V0(n)	(0x24420000u | (n))	/* addiu v0, v0, n */
#define CODE_PA		0x01400000ULL		/* free RAM for copied code */
#define ADDR(p)		((u64)(uintptr_t)(p))

static void synci(u64 va)
{
	asm volatile(".set push; .set mips64r2; synci 0(%0); sync; .set pop" :: "r"(va) : "memory");
}

static void cache_sync(u64 va)
{
	asm volatile("cache 0x15, 0(%0)\n\tsync\n\tcache 0x10, 0(%0)\n\tsync"
		     :: "r"(va) : "memory");	/* Hit_Writeback_Inv_D, Hit_Invalidate_I */
}

static u64 call(u64 fn)
{
	return call_hb(fn);
}

static void test_patch(void)
{
	int i;

	check_eq(smc_same(0), 1, "same page: original code runs");
	check_eq(smc_same(LI_V0(2)), 2, "same page: patched by a store on the page it runs from");
	check_eq(smc_same(LI_V0(3)), 3, "same page: patched again");

	check_eq(call(ADDR(smc_t1)), 1, "other page: original code runs");
	wr32(ADDR(smc_t1), LI_V0(4));
	synci(ADDR(smc_t1));
	check_eq(call(ADDR(smc_t1)), 4, "other page: ckseg0 store + synci + jalr.hb runs the new code");

	call(ADDR(smc_t2));
	wr32(ADDR(smc_t2), LI_V0(5));
	cache_sync(ADDR(smc_t2));
	check_eq(call(ADDR(smc_t2)), 5, "other page: store + cache Hit_Inv ops runs the new code");

	call(ADDR(smc_t3));
	wr32(KSEG1(PHYS(smc_t3)), LI_V0(6));
	synci(ADDR(smc_t3));
	check_eq(call(ADDR(smc_t3)), 6, "store through the ckseg1 alias is seen by ckseg0 code");

	call(ADDR(smc_t4));
	wr32(XKPHYS_CCA(2, PHYS(smc_t4)), LI_V0(7));
	synci(ADDR(smc_t4));
	check_eq(call(ADDR(smc_t4)), 7, "store through xkphys is seen by ckseg0 code");
	check_eq(call(KSEG1(PHYS(smc_t4))), 7, "the same code runs through ckseg1");
	wr32(ADDR(smc_t4), LI_V0(8));
	synci(ADDR(smc_t4));
	check_eq(call(KSEG1(PHYS(smc_t4))), 8, "ckseg1 execution sees a ckseg0 store");
	check_eq(call(XKPHYS_CCA(2, PHYS(smc_t4))), 8, "the same code runs through xkphys");

	call(ADDR(smc_t5));
	wr32(ADDR(smc_t5) + 4, LI_V0(9));
	synci(ADDR(smc_t5) + 4);
	check_eq(call(ADDR(smc_t5)), 9, "patched delay slot runs");

	check_eq(call(ADDR(smc_t6)), 1, "branch: original target");
	wr32(ADDR(smc_t6), NOP);
	synci(ADDR(smc_t6));
	check_eq(call(ADDR(smc_t6)), 2, "branch replaced by a nop: falls through");

	for (i = 0; i < 1000; i++)
		call(ADDR(smc_t7));
	check_eq(call(ADDR(smc_t7)), 100, "hot loop: original");
	wr32(ADDR(smc_t7) + 8, ADDIU_V0_V0(3));
	synci(ADDR(smc_t7) + 8);
	check_eq(call(ADDR(smc_t7)), 300, "hot loop: patched loop body runs after 1000 runs");
}

static void copy_code(u64 dst_pa, const char *src, u64 len)
{
	u64 i;

	for (i = 0; i < len; i += 4)
		wr32(KSEG0(dst_pa + i), rd32(ADDR(src) + i));
	for (i = 0; i < len; i += 32)
		synci(KSEG0(dst_pa + i));
}

static void test_fresh_and_mapped(void)
{
	u64 va = XKSEG + 0x50000000ULL;
	int i;

	/* code written to memory that never held code (like loading a module) */
	wr32(KSEG0(CODE_PA), LI_V0(11));
	wr32(KSEG0(CODE_PA + 4), 0x03e00008);	/* jr ra */
	wr32(KSEG0(CODE_PA + 8), NOP);
	synci(KSEG0(CODE_PA));
	check_eq(call(KSEG0(CODE_PA)), 11, "freshly written code runs");
	for (i = 0; i < 100; i++) {
		wr32(KSEG0(CODE_PA), LI_V0(i));
		synci(KSEG0(CODE_PA));
		if (call(KSEG0(CODE_PA)) != (u64)i)
			break;
	}
	check_eq(i, 100, "code rewritten 100 times: each version runs");

	/*
	 * Alternate stores through aliases whose translations are already
	 * cached with runs of the code: each store must reach the next run.
	 */
	{
		static const char *const alias_names[] = { "ckseg1", "xkphys", "a TLB mapping" };
		u64 alias[3] = { KSEG1(CODE_PA), XKPHYS_CCA(3, CODE_PA), XKSEG + 0x58000000ULL };
		int a;

		tlb_write(3, alias[2], ELO(CODE_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
		for (a = 0; a < 3; a++) {
			for (i = 0; i < 50; i++) {
				wr32(alias[a], LI_V0(i + a));
				synci(KSEG0(CODE_PA));
				if (call(KSEG0(CODE_PA)) != (u64)(i + a))
					break;
			}
			check_eq(i, 50, "50 rewrites through %s, each run from ckseg0", alias_names[a]);
		}
		tlb_invalidate(3);
	}

	/* straight-line code across a page boundary: patch the second page */
	wr32(KSEG0(CODE_PA + 0x1ff8), LI_V0(1));
	wr32(KSEG0(CODE_PA + 0x1ffc), NOP);
	wr32(KSEG0(CODE_PA + 0x2000), ADDIU_V0_V0(1));
	wr32(KSEG0(CODE_PA + 0x2004), 0x03e00008);	/* jr ra */
	wr32(KSEG0(CODE_PA + 0x2008), NOP);
	synci(KSEG0(CODE_PA + 0x1ff8));
	synci(KSEG0(CODE_PA + 0x2000));
	for (i = 0; i < 10; i++)
		call(KSEG0(CODE_PA + 0x1ff8));
	check_eq(call(KSEG0(CODE_PA + 0x1ff8)), 2, "code running across a page boundary");
	wr32(KSEG0(CODE_PA + 0x2000), ADDIU_V0_V0(5));
	synci(KSEG0(CODE_PA + 0x2000));
	check_eq(call(KSEG0(CODE_PA + 0x1ff8)), 6, "... second page patched: new code runs");
	wr32(KSEG0(CODE_PA + 0x1ff8), LI_V0(10));
	synci(KSEG0(CODE_PA + 0x1ff8));
	check_eq(call(KSEG0(CODE_PA + 0x1ff8)), 15, "... first page patched: new code runs");

	/* through the TLB: patch through ckseg0, run through xkseg */
	copy_code(CODE_PA, smc_t1, 12);
	wr32(KSEG0(CODE_PA), LI_V0(21));
	copy_code(CODE_PA + 0x1000, smc_t1, 12);
	wr32(KSEG0(CODE_PA + 0x1000), LI_V0(22));
	synci(KSEG0(CODE_PA));
	synci(KSEG0(CODE_PA + 0x1000));
	tlb_write(1, va, ELO(CODE_PA, ELO_C(3) | ELO_V | ELO_G), ELO_G, 0);
	check_eq(call(va), 21, "mapped code runs (xkseg -> page A)");
	wr32(KSEG0(CODE_PA), LI_V0(23));
	synci(va);
	check_eq(call(va), 23, "mapped code patched through ckseg0");
	tlb_write(1, va, ELO(CODE_PA + 0x1000, ELO_C(3) | ELO_V | ELO_G), ELO_G, 0);
	check_eq(call(va), 22, "TLB remapped to page B: page B's code runs");

	/* same VA, two ASIDs, two pages */
	tlb_write(1, va | 1, ELO(CODE_PA, ELO_C(3) | ELO_V), 0, 0);
	tlb_write(2, va | 2, ELO(CODE_PA + 0x1000, ELO_C(3) | ELO_V), 0, 0);
	DMTC0(C0_ENTRYHI, 1);
	check_eq(call(va), 23, "ASID 1: its page's code runs");
	DMTC0(C0_ENTRYHI, 2);
	check_eq(call(va), 22, "ASID 2: same VA, other page's code runs");
	DMTC0(C0_ENTRYHI, 1);
	check_eq(call(va), 23, "ASID 1 again");
	DMTC0(C0_ENTRYHI, 0);
	tlb_invalidate(1);
	tlb_invalidate(2);
}

/* Index_Invalidate_I over a few lines: Linux's blast of the whole I-cache. */
static void icache_blast(void)
{
	u64 line;

	for (line = 0; line < 0x200; line += 32)
		asm volatile("cache 0x00, 0(%0)" :: "r"(KSEG0(line)) : "memory");
	asm volatile("sync" ::: "memory");
}

/*
 * Code rewritten through each alias, then only an Index blast (no Hit op,
 * no synci, as Linux's flush_icache_range over a large range): each
 * version runs. A blast after stores to data only changes nothing.
 */
static void test_index_ops(void)
{
	static const char *const names[] = { "ckseg0", "ckseg1", "xkphys", "a TLB mapping" };
	u64 alias[4] = { KSEG0(CODE_PA), KSEG1(CODE_PA), XKPHYS_CCA(3, CODE_PA),
			 XKSEG + 0x58000000ULL };
	int a, i;

	copy_code(CODE_PA, smc_t1, 12);
	tlb_write(3, alias[3], ELO(CODE_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	for (a = 0; a < 4; a++) {
		for (i = 0; i < 20; i++) {
			wr32(alias[a], LI_V0(i + 30 + a));
			icache_blast();
			if (call(KSEG0(CODE_PA)) != (u64)(i + 30 + a))
				break;
		}
		check_eq(i, 20, "20 rewrites through %s, each followed by an Index blast only", names[a]);
	}
	tlb_invalidate(3);
	wr32(KSEG0(CODE_PA + 0x8000), 0x1234);
	icache_blast();
	check_eq(call(KSEG0(CODE_PA)), 52, "a blast after a data store: the code as it was");
	check_eq(rd32(KSEG0(CODE_PA + 0x8000)), 0x1234, "... and the data store done");
}

void bm_main(void)
{
	test_patch();
	test_fresh_and_mapped();
	test_index_ops();
}
