// SPDX-License-Identifier: GPL-2.0
/*
 * The TLB: tlbwi/tlbwr/tlbp/tlbr round trips, page sizes 4K..256M, G bit,
 * ASID match and mismatch, V/D (invalid and modified exceptions and the
 * registers they set), the C field, Wired and Random; mapped segments.
 */
#include "asm.h"

const char *bm_name = "tlb";

static int sb, ntlb;
#define TEST_PA		0x01000000ULL	/* 16 MiB: free RAM with --mem 64M */
#define TEST_PA2	0x02000000ULL
#define VA_BASE		(XKSEG + 0x40000000ULL)	/* 1 GiB aligned */

static void set_status(u32 clear, u32 set)
{
	MTC0(C0_STATUS, ((u32)MFC0(C0_STATUS) & ~clear) | set);
}

static u64 segmask(void)
{
	return 0xc000000000000000ULL | ((1ULL << sb) - 1);
}

static void test_roundtrip(void)
{
	u64 eh, lo0, lo1, pm;
	u64 w_eh = (XKSEG + 0x12345000ULL * 2) & segmask() & ~0x1fffULL;
	long idx;

	w_eh |= 0x5a;
	tlb_write(7, w_eh, ELO(TEST_PA, ELO_C(3) | ELO_D | ELO_V),
		  ELO(TEST_PA2, ELO_C(2) | ELO_V), 0);
	DMTC0(C0_ENTRYHI, 0);
	DMTC0(C0_ENTRYLO0, 0);
	DMTC0(C0_ENTRYLO1, 0);
	tlb_read(7, &eh, &lo0, &lo1, &pm);
	check_eq(eh, w_eh, "tlbr: EntryHi (R, VPN2, ASID) as written by tlbwi");
	check_eq(lo0, ELO(TEST_PA, ELO_C(3) | ELO_D | ELO_V), "tlbr: EntryLo0 PFN, C = 3, D, V");
	check_eq(lo1, ELO(TEST_PA2, ELO_C(2) | ELO_V), "tlbr: EntryLo1 PFN, C = 2, V");
	check_eq(pm, 0, "tlbr: PageMask 4K");

	/* G is the AND of both G bits and reads back in both */
	tlb_write(8, w_eh + 0x2000, ELO(TEST_PA, ELO_G | ELO_V), ELO(TEST_PA2, ELO_V), 0);
	tlb_read(8, &eh, &lo0, &lo1, &pm);
	check_eq((lo0 & ELO_G) | ((lo1 & ELO_G) << 1), 0, "tlbr: G set in EntryLo0 only -> not global");
	tlb_write(8, w_eh + 0x2000, ELO(TEST_PA, ELO_G | ELO_V), ELO(TEST_PA2, ELO_G), 0);
	tlb_read(8, &eh, &lo0, &lo1, &pm);
	check_eq((lo0 & ELO_G) | ((lo1 & ELO_G) << 1), 3, "tlbr: G set in both -> global in both");

	/* every C value round-trips */
	for (int c = 0; c < 8; c++) {
		tlb_write(9, w_eh + 0x4000, ELO(TEST_PA, ELO_C(c) | ELO_V), ELO(TEST_PA, ELO_C(7 - c)), 0);
		tlb_read(9, &eh, &lo0, &lo1, &pm);
		if (((lo0 >> 3) & 7) != (u64)c || ((lo1 >> 3) & 7) != (u64)(7 - c)) {
			check_eq(((lo0 >> 3) & 7) << 4 | ((lo1 >> 3) & 7), (u64)c << 4 | (7 - c),
				 "tlbr: EntryLo C field round trip");
			break;
		}
		if (c == 7)
			check_true(true, "tlbr: EntryLo C field round trip, C = 0..7");
	}

	DMTC0(C0_ENTRYLO0, ~0ULL);
	check_eq(DMFC0(C0_ENTRYLO0) >> 30, 0, "EntryLo0: fill bits 63:30 read 0");
	DMTC0(C0_ENTRYLO1, ~0ULL);
	check_eq(DMFC0(C0_ENTRYLO1) & 0x3f, 0x3f, "EntryLo1: C, D, V, G writable");

	/* tlbp */
	idx = tlb_probe(w_eh);
	check_eq((u64)idx, 7, "tlbp hit: Index = 7");
	idx = tlb_probe((w_eh & ~0xffULL) | 0x5b);
	check_eq(((u64)idx >> 31) & 1, 1, "tlbp with another ASID (entry not global): Index.P = 1");
	idx = tlb_probe((w_eh & ~0xffULL) + 0x2000 + 0x77);
	check_eq((u64)idx, 8, "tlbp of a global entry with any ASID: hit");
	idx = tlb_probe(XKSEG + 0x7770000000ULL);
	check_eq(((u64)idx >> 31) & 1, 1, "tlbp miss: Index.P = 1");
	idx = tlb_probe(w_eh | 0x1000);
	check_eq((u64)idx, 7, "tlbp ignores VA bit 12 (the even/odd select)");
	tlb_invalidate(7);
	tlb_invalidate(8);
	tlb_invalidate(9);
	idx = tlb_probe(w_eh);
	check_eq(((u64)idx >> 31) & 1, 1, "tlbp after the entry is overwritten: Index.P = 1");
	DMTC0(C0_ENTRYHI, 0);
}

static void test_pagesizes(void)
{
	static const u64 masks[] = {
		0x0, 0x6000, 0x1e000, 0x7e000, 0x1fe000, 0x7fe000, 0x1ffe000, 0x7ffe000, 0x1fffe000,
	};
	static const char *const names[] = {
		"4K", "16K", "64K", "256K", "1M", "4M", "16M", "64M", "256M",
	};
	unsigned int i;

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		u64 size = (masks[i] + 0x2000) / 2, eh, lo0, lo1, pm;
		u64 even = size <= 0x1000000 ? TEST_PA : 0;
		u64 odd = size <= 0x1000000 ? TEST_PA2 : 0;
		u64 off = size >= 0x4000000 ? 0x1800000 : size / 2 + 8;
		u64 magic = 0x1234567800000000ULL | i;
		bool odd_ok = size <= 0x1000000;

		wr64(KSEG1(even + off), magic);
		if (odd_ok)
			wr64(KSEG1(odd + 16), ~magic);
		tlb_write(3, VA_BASE, ELO(even, ELO_C(3) | ELO_D | ELO_V),
			  odd_ok ? ELO(odd, ELO_C(3) | ELO_D | ELO_V) : 0, masks[i]);
		tlb_read(3, &eh, &lo0, &lo1, &pm);
		check_eq(pm, masks[i], "PageMask %s round trip", names[i]);
		exc_reset();
		check_eq(rd64(VA_BASE + off), magic, "%s page: load through the mapping", names[i]);
		wr64(VA_BASE + off + 8, magic + 1);
		check_eq(rd64(KSEG1(even + off + 8)), magic + 1, "%s page: store through the mapping",
			 names[i]);
		if (odd_ok)
			check_eq(rd64(VA_BASE + size + 16), ~magic, "%s page: odd page of the pair",
				 names[i]);
		check_eq((u64)tlb_probe((VA_BASE + off) & ~0x1fffULL), 3, "%s page: tlbp inside the page",
			 names[i]);
		check_eq(exc_n, 0, "%s page: no exception", names[i]);
	}
	tlb_invalidate(3);
	MTC0(C0_PAGEMASK, 0);
}

/*
 * Translations of a large page cached at many offsets must all go when the
 * entry is replaced (tlbwi or tlbwr) or, for a non-global entry, when the
 * ASID changes; global entries survive an ASID change.
 */
static void test_big_page_flush(void)
{
	u64 va = XKSEG + 0x80000000ULL, size = 0x1000000;	/* 16M pages */
	u64 pm = 0x1ffe000, i, bad;

	for (i = 0; i < 8; i++)
		wr64(KSEG1(TEST_PA + i * (size / 8) + 0x40), 0xb16000 + i);
	for (int round = 0; round < 3; round++) {
		tlb_write(2, va | 7, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D),
			  ELO(TEST_PA2, ELO_C(3) | ELO_V | ELO_D), pm);
		DMTC0(C0_ENTRYHI, 7);
		exc_reset();
		for (i = 0, bad = 0; i < 8; i++)
			if (rd64(va + i * (size / 8) + 0x40) != 0xb16000 + i)
				bad++;
		check_eq(bad + (u64)exc_n, 0, "16M page: 8 offsets read through it (round %d)", round);
		if (round == 0) {
			tlb_write(2, va | 7, 0, 0, pm);		/* same VA, now invalid */
		} else if (round == 1) {
			/* index 2 now maps another VA */
			tlb_write(2, (va + 0x40000000ULL) | 7, 0, 0, 0);
		} else {
			DMTC0(C0_ENTRYHI, 8);			/* another ASID */
		}
		exc_reset();
		for (i = 0; i < 8; i++)
			f_ld(va + i * (size / 8) + 0x40, 0);
		check_eq(exc_n, 8, "%s: all 8 cached offsets fault", round == 0 ?
			 "16M entry made invalid by tlbwi" : round == 1 ?
			 "16M entry replaced by another VA" : "non-global 16M entry, ASID changed");
	}
	/* a global entry stays usable across an ASID change */
	tlb_write(2, va, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_G), ELO(TEST_PA2, ELO_C(3) | ELO_V | ELO_G),
		  pm);
	DMTC0(C0_ENTRYHI, 7);
	rd64(va + 0x40);
	DMTC0(C0_ENTRYHI, 9);
	exc_reset();
	check_eq(rd64(va + 0x40), 0xb16000, "global 16M entry: still mapped after an ASID change");
	check_eq(exc_n, 0, "... without exceptions");
	tlb_invalidate(2);
	MTC0(C0_PAGEMASK, 0);
	DMTC0(C0_ENTRYHI, 0);
}

static void test_asid(void)
{
	u64 va = XKSEG + 0x10000000ULL, magic = 0xa51d000000000001ULL;

	wr64(KSEG1(TEST_PA), magic);
	tlb_write(4, va | 5, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D), 0, 0);
	DMTC0(C0_ENTRYHI, 5);
	exc_reset();
	check_eq(f_ld(va, 0), magic, "ASID match (5): load hits");
	check_eq(exc_n, 0, "ASID match: no exception");
	DMTC0(C0_ENTRYHI, 6);
	exc_reset();
	f_ld(va, 0);
	if (check_exc(0, 0x080, 2, "ASID mismatch (6): XTLB refill"))
		check_eq(exc_log[0].entryhi, va | 6, "ASID mismatch: EntryHi = VPN2 | current ASID");
	/* global: any ASID */
	tlb_write(4, va | 5, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_G), ELO_G, 0);
	DMTC0(C0_ENTRYHI, 0x99);
	exc_reset();
	check_eq(f_ld(va, 0), magic, "global entry: load hits with ASID 0x99");
	check_eq(exc_n, 0, "global entry: no exception");
	/* the ASID change must be seen by a translation cached before it */
	tlb_write(4, va | 0x99, ELO(TEST_PA, ELO_C(3) | ELO_V), 0, 0);
	f_ld(va, 0);
	DMTC0(C0_ENTRYHI, 0x98);
	exc_reset();
	f_ld(va, 0);
	check_exc(0, 0x080, 2, "ASID switch after a hit: refill (no stale translation)");
	DMTC0(C0_ENTRYHI, 0);
	tlb_invalidate(4);
}

static void tlb_exc(const char *name, snippet_fn fn, const char *at, u64 va, int code)
{
	u64 eh = (va & segmask() & ~0x1fffULL) | 0x21;
	u64 ctx = 0xabc0000000000000ULL;

	DMTC0(C0_CONTEXT, ctx);
	DMTC0(C0_ENTRYHI, 0x21);
	exc_reset();
	fn(va, 0x77);
	if (!check_exc(0, 0x180, code, name))
		return;
	check_eq(exc_log[0].epc, (u64)(uintptr_t)at, "%s: EPC", name);
	check_eq(exc_log[0].badvaddr, va, "%s: BadVAddr", name);
	check_eq(exc_log[0].entryhi, eh, "%s: EntryHi = VPN2 | ASID", name);
	check_eq(exc_log[0].context, ctx | ((va >> 9) & 0x7ffff0), "%s: Context.BadVPN2", name);
	check_eq(exc_log[0].xcontext & ((1ULL << (sb - 7)) - 1),
		 ((va >> 62) << (sb - 9)) | (((va >> 13) & ((1ULL << (sb - 13)) - 1)) << 4),
		 "%s: XContext R and BadVPN2", name);
}

static void test_valid_dirty(void)
{
	u64 va = XKSEG + 0x20000000ULL, magic = 0xd1d1d1d1ULL;

	wr64(KSEG1(TEST_PA), magic);
	wr64(KSEG1(TEST_PA2), ~magic);
	/* even page valid but clean, odd page invalid */
	tlb_write(5, va | 0x21, ELO(TEST_PA, ELO_C(3) | ELO_V), ELO(TEST_PA2, ELO_C(3) | ELO_D), 0);
	DMTC0(C0_ENTRYHI, 0x21);
	exc_reset();
	check_eq(f_ld(va, 0), magic, "V = 1, D = 0: load works");
	tlb_exc("V = 1, D = 0: store -> Mod", f_sd, f_sd_at, va + 8, 1);
	check_eq(rd64(KSEG1(TEST_PA + 8)), 0, "Mod: the store did not happen");
	tlb_exc("V = 0: load -> TLBL (invalid) at 0x180", f_ld, f_ld_at, va + 0x1010, 2);
	tlb_exc("V = 0: store -> TLBS (invalid) at 0x180", f_sw, f_sw_at, va + 0x1ff0, 3);
	/* make it dirty: the store goes through */
	tlb_write(5, va | 0x21, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D), ELO(TEST_PA2, ELO_C(3) | ELO_D), 0);
	exc_reset();
	f_sd(va + 8, 0x55);
	check_eq(exc_n, 0, "after tlbwi with D = 1: store works");
	check_eq(rd64(KSEG1(TEST_PA + 8)), 0x55, "after tlbwi with D = 1: stored value in memory");
	/* and clean again: the new entry applies at once */
	tlb_write(5, va | 0x21, ELO(TEST_PA, ELO_C(3) | ELO_V), 0, 0);
	exc_reset();
	f_sd(va + 8, 0x66);
	check_exc(0, 0x180, 1, "after tlbwi with D = 0 again: Mod (no stale writable mapping)");
	/* invalid 32-bit compatible kseg3 */
	set_status(ST_KX, 0);
	tlb_write(5, 0xffffffffe0000000ULL & segmask(), ELO_G, ELO_G, 0);
	tlb_exc("kseg3, V = 0, KX = 0: load -> TLBL at 0x180", f_lw, f_lw_at, 0xffffffffe0000104ULL, 2);
	set_status(0, ST_KX);
	wr64(KSEG1(TEST_PA), 0);
	wr64(KSEG1(TEST_PA + 8), 0);
	tlb_invalidate(5);
	DMTC0(C0_ENTRYHI, 0);
}

static void test_wired_random(void)
{
	int wired = 10, i, distinct = 0, lo = ntlb, hi = -1;
	u64 eh, lo0, lo1, pm;
	bool seen[64] = { false };
	long r;

	check_eq(ntlb, 64, "Config1.MMUSize: 64 TLB entries");
	MTC0(C0_WIRED, wired);
	check_eq(MFC0(C0_WIRED), wired, "Wired round trip");
	for (i = 0; i < wired; i++)
		tlb_write(i, (XKSEG + 0x100000000ULL + ((u64)i << 13)) | 1, ELO(TEST_PA, ELO_V), 0, 0);
	for (i = 0; i < 200; i++) {
		r = MFC0(C0_RANDOM);
		if (r < lo)
			lo = (int)r;
		if (r > hi)
			hi = (int)r;
		DMTC0(C0_ENTRYHI, (XKSEG + 0x200000000ULL + ((u64)i << 13)) | 2);
		MTC0(C0_PAGEMASK, 0);
		DMTC0(C0_ENTRYLO0, ELO(TEST_PA, ELO_V));
		DMTC0(C0_ENTRYLO1, 0);
		asm volatile("tlbwr\n\tehb" ::: "memory");
		r = tlb_probe((XKSEG + 0x200000000ULL + ((u64)i << 13)) | 2);
		if (r < 0 || r >= ntlb)
			break;
		if (r < lo)
			lo = (int)r;
		if (r > hi)
			hi = (int)r;
		if (!seen[r & 63])
			distinct++, seen[r & 63] = true;
	}
	check_eq(i, 200, "tlbwr: every written entry is found by tlbp");
	check_true(lo >= wired && hi <= ntlb - 1, "Random and tlbwr stay in [Wired, N-1] (saw %d..%d)",
		   lo, hi);
	check_true(distinct >= 4, "tlbwr spreads over several entries (%d distinct)", distinct);
	for (i = 0; i < wired; i++) {
		tlb_read(i, &eh, &lo0, &lo1, &pm);
		if (eh != ((XKSEG + 0x100000000ULL + ((u64)i << 13)) | 1))
			break;
	}
	check_eq(i, wired, "wired entries survive 200 tlbwr");

	/* tlbwr replacing a translation in use: with Wired = N-1, Random = N-1 */
	{
		u64 va = XKSEG + 0x70000000ULL;

		wr64(KSEG1(TEST_PA + 0x80), 0xaaaa);
		wr64(KSEG1(TEST_PA2 + 0x80), 0xbbbb);
		MTC0(C0_WIRED, ntlb - 1);
		tlb_write(ntlb - 1, va, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_G), ELO_G, 0);
		check_eq(rd64(va + 0x80), 0xaaaa, "mapping at the last entry (tlbwi)");
		DMTC0(C0_ENTRYHI, va);
		DMTC0(C0_ENTRYLO0, ELO(TEST_PA2, ELO_C(3) | ELO_V | ELO_G));
		DMTC0(C0_ENTRYLO1, ELO_G);
		asm volatile("tlbwr\n\tehb" ::: "memory");
		check_eq(rd64(va + 0x80), 0xbbbb, "tlbwr over the translation in use: new page seen");
		DMTC0(C0_ENTRYLO0, ELO_G);
		asm volatile("tlbwr\n\tehb" ::: "memory");
		exc_reset();
		f_ld(va + 0x80, 0);
		check_exc(0, 0x180, 2, "tlbwr making it invalid: TLBL, no stale translation");
		DMTC0(C0_ENTRYHI, 0);
	}
	MTC0(C0_WIRED, 0);
	tlb_init();
}

static void test_segments(void)
{
	u64 magic = 0x5e65e65e65e65e6ULL;
	int cca;

	wr64(KSEG0(TEST_PA + 0x100), magic);
	check_eq(rd64(KSEG1(TEST_PA + 0x100)), magic, "ckseg0 store seen through ckseg1");
	for (cca = 0; cca < 8; cca++) {
		if (rd64(XKPHYS_CCA(cca, TEST_PA + 0x100)) != magic) {
			check_eq(rd64(XKPHYS_CCA(cca, TEST_PA + 0x100)), magic,
				 "xkphys CCA %d reaches physical memory", cca);
			break;
		}
	}
	if (cca == 8)
		check_true(true, "xkphys CCA 0..7 reach physical memory");
	wr64(XKPHYS_CCA(2, TEST_PA + 0x108), ~magic);
	check_eq(rd64(KSEG0(TEST_PA + 0x108)), ~magic, "xkphys uncached store seen through ckseg0");
	check_eq(rd32(XKPHYS_CCA(3, PHYS(test_segments))), rd32((u64)(uintptr_t)test_segments),
		 "xkphys CCA 3 sees the code at its physical address");

	/* mapped segments */
	tlb_write(6, 0xffffffffe0000000ULL & segmask(), ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G),
		  ELO_G, 0);
	set_status(ST_KX, 0);
	exc_reset();
	check_eq(rd64(0xffffffffe0000100ULL), magic, "kseg3 mapped (KX = 0)");
	set_status(0, ST_KX);
	check_eq(rd64(0xffffffffe0000100ULL), magic, "kseg3 mapped (KX = 1)");
	tlb_write(6, 0xffffffffc0000000ULL & segmask(), ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G),
		  ELO_G, 0);
	check_eq(rd64(0xffffffffc0000100ULL), magic, "ksseg mapped");
	tlb_write(6, XKSEG + 0x4000000000ULL, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	check_eq(rd64(XKSEG + 0x4000000100ULL), magic, "xkseg mapped");
	tlb_write(6, XKSSEG + 0x2000ULL, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	check_eq(rd64(XKSSEG + 0x2100ULL), magic, "xsseg mapped (kernel mode)");
	tlb_write(6, 0x8000000ULL, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	set_status(ST_UX, 0);
	check_eq(rd64(0x8000100ULL), magic, "useg mapped, UX = 0 (kernel mode)");
	set_status(0, ST_UX);
	tlb_write(6, 0x3000000000ULL, ELO(TEST_PA, ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	check_eq(rd64(0x3000000100ULL), magic, "xuseg mapped, UX = 1 (kernel mode)");
	check_eq(exc_n, 0, "mapped segments: no exception");
	/* a mapping of 64-bit xuseg does not match a sign-extended kseg address */
	tlb_invalidate(6);
}

void bm_main(void)
{
	sb = segbits();
	ntlb = tlb_entries();
	test_roundtrip();
	test_pagesizes();
	test_asid();
	test_big_page_flush();
	test_valid_dirty();
	test_wired_random();
	test_segments();
}
