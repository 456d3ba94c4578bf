// SPDX-License-Identifier: GPL-2.0
/*
 * CPU identity and plain CP0 registers: PRId, Config0-4 as the Debian
 * kernel needs them, K0 writable, KScratch, ErrorEPC/EPC/DESAVE round trips,
 * read-only BadVAddr, writable Cause bits, SRSCtl.
 */
#include "asm.h"

const char *bm_name = "misc";

#define FIELD(v, lo, bits)	(((u64)(v) >> (lo)) & ((1ULL << (bits)) - 1))

static u64 kscratch_rw(int sel, u64 v)
{
	u64 r = 0;

#define KS(n) case n: asm volatile("dmtc0 %1, $31, " #n "\n\tehb\n\tdmfc0 %0, $31, " #n \
				   : "=r"(r) : "r"(v)); break;
	switch (sel) {
	KS(2) KS(3) KS(4) KS(5) KS(6) KS(7)
	}
#undef KS
	return r;
}

static void test_identity(void)
{
	u64 c0 = (u32)MFC0(C0_CONFIG0), c1 = (u32)MFC0(C0_CONFIG1);
	u64 c2 = (u32)MFC0(C0_CONFIG2), c3 = (u32)MFC0(C0_CONFIG3), c4 = (u32)MFC0(C0_CONFIG4);
	u64 isz, dsz, dway;

	check_eq((u32)MFC0(C0_PRID), 0x00010000, "PRId = 0x00010000 (MIPS GENERIC QEMU)");
	check_eq(FIELD(c0, 31, 1), 1, "Config0.M = 1");
	check_eq(FIELD(c0, 15, 1), 0, "Config0.BE = 0 (little-endian)");
	check_eq(FIELD(c0, 13, 2), 2, "Config0.AT = 2 (MIPS64, all segments)");
	check_eq(FIELD(c0, 10, 3), 1, "Config0.AR = 1 (Release 2)");
	check_eq(FIELD(c0, 7, 3), 1, "Config0.MT = 1 (standard TLB)");
	check_eq(FIELD(c0, 0, 3), 3, "Config0.K0 = 3 (cacheable) at reset");
	MTC0(C0_CONFIG0, (c0 & ~7ULL) | 5);
	check_eq(FIELD(MFC0(C0_CONFIG0), 0, 3), 5, "Config0.K0 is writable (5)");
	MTC0(C0_CONFIG0, c0);
	check_eq((u32)MFC0(C0_CONFIG0), c0, "Config0 restored");

	check_eq(FIELD(c1, 31, 1), 1, "Config1.M = 1");
	check_eq(FIELD(c1, 25, 6), 63, "Config1.MMUSize = 63 (64 entries)");
	check_eq(FIELD(c1, 0, 1), 0, "Config1.FP = 0 (no FPU)");
	isz = FIELD(c1, 19, 3) ? (64ULL << FIELD(c1, 22, 3)) * (2ULL << FIELD(c1, 19, 3)) *
				 (FIELD(c1, 16, 3) + 1) : 0;
	dway = FIELD(c1, 10, 3) ? (64ULL << FIELD(c1, 13, 3)) * (2ULL << FIELD(c1, 10, 3)) : 0;
	dsz = dway * (FIELD(c1, 7, 3) + 1);
	check_eq(isz, 16384, "Config1: 16 KiB I-cache");
	check_eq(dsz, 16384, "Config1: 16 KiB D-cache");
	check_eq(FIELD(c1, 7, 3) + 1, 4, "Config1: D-cache 4-way");
	check_true(dway <= 4096, "Config1: D-cache way <= 4 KiB, no aliasing (way %lu)", dway);
	check_eq(FIELD(c2, 31, 1), 1, "Config2.M = 1 (Config3 present)");
	check_eq(FIELD(c3, 31, 1), 1, "Config3.M = 1 (Config4 present)");
	check_eq(FIELD(c3, 13, 1), 1, "Config3.ULRI = 1");
	check_eq(FIELD(c4, 28, 1), 0, "Config4.AE = 0 (8-bit ASIDs)");
	check_true(FIELD(c4, 16, 8) != 0, "Config4.KScrExist != 0 (0x%lx)", FIELD(c4, 16, 8));
	{
		int sel, bad = 0, n = 0;

		for (sel = 2; sel < 8; sel++) {
			u64 v = 0x0123456789abcdefULL ^ ((u64)sel << 56);

			if (!FIELD(c4, 16 + sel, 1))
				continue;
			n++;
			if (kscratch_rw(sel, v) != v)
				bad = sel;
		}
		check_eq(bad, 0, "KScratch: %d registers hold 64-bit values (0 = none bad)", n);
	}
	check_eq((u64)MFC0(C0_EBASE) & 0x3ff, 0, "EBase.CPUNum = 0");
	check_eq((u32)MFC0(C0_SRSCTL) >> 26 & 0xf, 0, "SRSCtl.HSS = 0 (no shadow sets)");
	/* the SEGBITS probe the kernel does */
	check_true(segbits() >= 40, "SEGBITS >= 40 through EntryHi (%d)", segbits());
	DMTC0(C0_ENTRYHI, 0);
	{
		u64 pm;

		MTC0(C0_PAGEMASK, 0xffffffff);
		pm = (u32)MFC0(C0_PAGEMASK);
		MTC0(C0_PAGEMASK, 0);
		check_eq(pm, 0x1fffe000, "PageMask: writable bits are 28:13 (4K..256M)");
	}
}

static void test_registers(void)
{
	u64 b, before, ro = CA_BD | 0x7c | CA_IP(2) | CA_IP(3) | CA_IP(4) | CA_IP(5) | CA_IP(6);

	DMTC0(C0_ERROREPC, 0xffffffff80123458ULL);
	check_eq(DMFC0(C0_ERROREPC), 0xffffffff80123458ULL, "ErrorEPC 64-bit round trip");
	DMTC0(C0_EPC, 0x123456789abcULL);
	check_eq(DMFC0(C0_EPC), 0x123456789abcULL, "EPC 64-bit round trip");
	asm volatile("dmtc0 %0, $31, 0\n\tehb" :: "r"(0x5555aaaa5555aaaaULL));
	asm volatile("dmfc0 %0, $31, 0" : "=r"(b));
	check_eq(b, 0x5555aaaa5555aaaaULL, "DESAVE 64-bit round trip");
	b = DMFC0(C0_BADVADDR);
	DMTC0(C0_BADVADDR, ~b);
	check_eq(DMFC0(C0_BADVADDR), b, "BadVAddr is read-only");
	before = (u32)MFC0(C0_CAUSE);
	MTC0(C0_CAUSE, 0xffffffff & ~(u32)CA_IP(0) & ~(u32)CA_IP(1));
	b = (u32)MFC0(C0_CAUSE);
	MTC0(C0_CAUSE, 0);
	check_eq(b & ro, before & ro, "Cause: BD, ExcCode and IP2-6 are not writable");
	check_eq(b & CA_IV, CA_IV, "Cause.IV is writable");
	MTC0(C0_INDEX, 63);
	check_eq(MFC0(C0_INDEX), 63, "Index holds 63");
	MTC0(C0_WIRED, 63);
	check_eq(MFC0(C0_RANDOM), 63, "Random = 63 with Wired = 63");
	MTC0(C0_WIRED, 0);
}

void read_all_cp0(u64 *out);
void write_misc_cp0(void);

static void test_robust(void)
{
	static u64 regs[256];

	exc_reset();
	read_all_cp0(regs);
	/* unimplemented ones are UNDEFINED: values or RI, but the VMM must survive */
	check_true(exc_n <= 256, "dmfc0 of all 256 CP0 register/select numbers: VMM alive (%d RI)",
		   exc_n);
	check_eq(regs[15 * 8], 0x00010000, "... and the PRId read among them is right");
	check_eq(regs[12 * 8] & ST_KX, ST_KX, "... and so is Status");
	exc_reset();
	write_misc_cp0();
	check_eq(exc_n, 0, "mtc0 to ErrCtl, TagLo/TagHi and unassigned registers: no exception");
	DMTC0(C0_EPC, 0x0000000080001234ULL);
	check_eq((u64)MFC0(C0_EPC), 0xffffffff80001234ULL,
		 "mfc0 of a 64-bit register: low word sign-extended");
	exc_reset();
	asm volatile("cache 0x01, 0(%0)\n\tcache 0x00, 0(%0)\n\tcache 0x03, 0(%0)"
		     :: "r"(CKSEG0) : "memory");	/* Index_WB_Inv_D, Index_Inv_I, Index_WB_Inv_S */
	check_eq(exc_n, 0, "cache Index ops on ckseg0: no exception");
}

void bm_main(void)
{
	test_identity();
	test_registers();
	test_robust();
}
