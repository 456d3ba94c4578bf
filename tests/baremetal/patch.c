// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-mode code that a dynamic code patcher (guest blocks translated into
 * host code) gets wrong easily: every load/store width through every segment
 * and odd base registers (sp, gp, at, k0, k1, t9, ra, s8), link values (also
 * run through ckseg1/xkphys), delay slots that change their branch's sources,
 * branch-likely slots with side effects, TLB faults in delay slots (EPC, BD,
 * the branch run again), a block using 30 GPRs and one with 28 and a fault,
 * code reading its own words, jump tables, recursion through jalr, CP0 round
 * trips, ASID/tlbwi changes and interrupts in mid-block, di/ei, a hot loop, a
 * long straight-line block, and code patched in mid-block, in delay slots, at
 * branch targets, at a return point and across a page boundary, flushed with
 * synci, Hit or Index cache ops. Every check is computed, none timed.
 */
#include "asm.h"

const char *bm_name = "patch";

#define ADDR(p)		((u64)(uintptr_t)(p))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

typedef uint8_t u8;

static int sb;

static u64 sx(u64 v, int bits)
{
	return (u64)((s64)(v << (64 - bits)) >> (64 - bits));
}

static u64 ror64(u64 v, int s)
{
	return (v >> s) | (v << (64 - s));
}

u64 phb_call(u64 fn, u64 x, u64 y);

/* ---- loads and stores: every width, every segment, odd base registers ---- */

#define LSN	24
#define WIN	256

typedef void (*ls_fn)(u64 b, u64 *out, u64 s, u64 p);
void ls_A0(u64, u64 *, u64, u64); void ls_SP(u64, u64 *, u64, u64);
void ls_GP(u64, u64 *, u64, u64); void ls_AT(u64, u64 *, u64, u64);
void ls_K0(u64, u64 *, u64, u64); void ls_K1(u64, u64 *, u64, u64);
void ls_T9(u64, u64 *, u64, u64); void ls_RA(u64, u64 *, u64, u64);
void ls_S8(u64, u64 *, u64, u64);

static const struct {
	const char *name;
	ls_fn fn;
} ls_bases[] = {
	{ "a0", ls_A0 }, { "sp", ls_SP }, { "gp", ls_GP }, { "at", ls_AT }, { "k0", ls_K0 },
	{ "k1", ls_K1 }, { "t9", ls_T9 }, { "ra", ls_RA }, { "s8", ls_S8 },
};

static const char *const ls_names[LSN] = {
	"lb -61", "lbu -61", "lb 13", "lbu 13", "lh -62", "lhu -62", "lh 22", "lhu 22",
	"lw -60", "lwu -60", "lw 20", "lwu 20", "ld -56", "ld 24", "lwr/lwl at -51",
	"ldr/ldl at 33", "lwl -47", "lwr 30", "ldl -38", "ldr 45", "ll -44", "sc -44",
	"lld -32", "scd -32",
};

static u8 lsbuf[4096] __attribute__((aligned(4096)));

static u64 getn(const u8 *m, int a, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | m[a + n];
	return v;
}

static void putn(u8 *m, int a, int n, u64 v)
{
	int i;

	for (i = 0; i < n; i++)
		m[a + i] = (u8)(v >> (8 * i));
}

/* little-endian lwl/ldl (w = 4/8): bytes from the aligned unit's start up to a */
static u64 ld_left(const u8 *m, int a, int w, u64 r)
{
	int al = a & ~(w - 1), b = a & (w - 1), i;

	for (i = 0; i <= b; i++) {
		int sh = 8 * (w - 1 - b + i);

		r = (r & ~(0xffULL << sh)) | ((u64)m[al + i] << sh);
	}
	return w == 4 ? sx(r, 32) : r;
}

/* lwr/ldr: bytes from a to the unit's end (lwr with a & 3 != 0: bits 63:32 as in r) */
static u64 ld_right(const u8 *m, int a, int w, u64 r)
{
	int b = a & (w - 1), i;

	for (i = 0; i < w - b; i++)
		r = (r & ~(0xffULL << (8 * i))) | ((u64)m[a + i] << (8 * i));
	return w == 4 && b == 0 ? sx(r, 32) : r;
}

static void st_left(u8 *m, int a, int w, u64 r)
{
	int al = a & ~(w - 1), b = a & (w - 1), i;

	for (i = 0; i <= b; i++)
		m[al + i] = (u8)(r >> (8 * (w - 1 - b + i)));
}

static void st_right(u8 *m, int a, int w, u64 r)
{
	int b = a & (w - 1), i;

	for (i = 0; i < w - b; i++)
		m[a + i] = (u8)(r >> (8 * i));
}

/* What LSSEQ (patch-asm.S) does, on m[] with the base at m + 64. */
static void ls_model(u8 *m, u64 s, u64 p, u64 *o)
{
	const int b = 64;

	o[0] = sx(m[b - 61], 8);
	o[1] = m[b - 61];
	o[2] = sx(m[b + 13], 8);
	o[3] = m[b + 13];
	o[4] = sx(getn(m, b - 62, 2), 16);
	o[5] = getn(m, b - 62, 2);
	o[6] = sx(getn(m, b + 22, 2), 16);
	o[7] = getn(m, b + 22, 2);
	o[8] = sx(getn(m, b - 60, 4), 32);
	o[9] = getn(m, b - 60, 4);
	o[10] = sx(getn(m, b + 20, 4), 32);
	o[11] = getn(m, b + 20, 4);
	o[12] = getn(m, b - 56, 8);
	o[13] = getn(m, b + 24, 8);
	o[14] = ld_left(m, b - 48, 4, ld_right(m, b - 51, 4, p));
	o[15] = ld_left(m, b + 40, 8, ld_right(m, b + 33, 8, p));
	o[16] = ld_left(m, b - 47, 4, p);
	o[17] = ld_right(m, b + 30, 4, p);
	o[18] = ld_left(m, b - 38, 8, p);
	o[19] = ld_right(m, b + 45, 8, p);
	o[20] = sx(getn(m, b - 44, 4), 32);
	o[21] = 1;
	putn(m, b - 44, 4, o[20] + s);
	o[22] = getn(m, b - 32, 8);
	o[23] = 1;
	putn(m, b - 32, 8, o[22] + s);
	putn(m, b - 63, 1, s);
	putn(m, b - 58, 2, s);
	putn(m, b - 52, 4, s);
	putn(m, b - 24, 8, s);
	putn(m, b + 3, 1, s);
	putn(m, b + 10, 2, s);
	putn(m, b + 16, 4, s);
	putn(m, b + 48, 8, s);
	st_left(m, b - 39, 4, p);
	st_right(m, b + 5, 4, p);
	st_left(m, b - 13, 8, p);
	st_right(m, b + 58, 8, p);
	st_right(m, b + 29, 4, p);
	st_left(m, b + 32, 4, p);
	st_right(m, b - 7, 8, p);
	st_left(m, b + 0, 8, p);
}

static void test_loads_stores(void)
{
	u64 pa = PHYS(lsbuf);
	const struct {
		const char *name;
		u64 va;
		int tlb;	/* TLB index to map it, 0 = unmapped segment */
		u64 asid;	/* nonzero: a non-global entry of this ASID */
	} segs[] = {
		{ "ckseg0", ADDR(lsbuf), 0, 0 },
		{ "ckseg1", KSEG1(pa), 0, 0 },
		{ "xkphys cached (0x98..)", XKPHYS_CCA(3, pa), 0, 0 },
		{ "xkphys uncached (0x90..)", XKPHYS_CCA(2, pa), 0, 0 },
		{ "xkseg (mapped)", XKSEG + 0x10000000ULL, 1, 0 },
		{ "ckseg2 (mapped)", 0xffffffffc0020000ULL, 2, 0 },
		{ "ckseg3 (mapped)", 0xffffffffe0040000ULL, 3, 0 },
		{ "xuseg (mapped, ASID 0x5a)", 0x0000001000000000ULL, 4, 0x5a },
	};
	u64 segmask = 0xc000000000000000ULL | ((1ULL << sb) - 1);
	unsigned int s, b;

	for (s = 0; s < ARRAY_SIZE(segs); s++) {
		if (segs[s].asid)
			tlb_write(segs[s].tlb, (segs[s].va & segmask) | segs[s].asid,
				  ELO(pa, ELO_C(3) | ELO_V | ELO_D), 0, 0);
		else if (segs[s].tlb)
			tlb_write(segs[s].tlb, segs[s].va & segmask,
				  ELO(pa, ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	}
	DMTC0(C0_ENTRYHI, 0);
	for (s = 0; s < ARRAY_SIZE(segs); s++) {
		for (b = 0; b < ARRAY_SIZE(ls_bases); b++) {
			unsigned int combo = s * 16 + b, i, bad = 0, badmem = 0;
			u64 sv = 0x8877665544332211ULL ^ (combo * 0x0101010101010101ULL);
			u64 pv = 0xa1b2c3d4e5f60718ULL + combo * 0x1111ULL;
			static u8 exp_mem[WIN];
			u64 exp[LSN], out[LSN + 1];
			volatile u8 *m = lsbuf;

			for (i = 0; i < WIN; i++)
				exp_mem[i] = m[i] = (u8)(i * 73 + combo * 29 + 0x85);
			ls_model(exp_mem, sv, pv, exp);
			for (i = 0; i <= LSN; i++)
				out[i] = 0xeeeeeeeeeeeeeeeeULL;
			exc_reset();
			if (segs[s].asid)
				DMTC0(C0_ENTRYHI, segs[s].asid);
			ls_bases[b].fn(segs[s].va + 64, out, sv, pv);
			DMTC0(C0_ENTRYHI, 0);
			/*
			 * lwr not loading bit 31: bits 63:32 are implementation
			 * dependent, either unchanged or copies of bit 31.
			 */
			if ((u32)out[17] == (u32)exp[17] &&
			    (out[17] >> 32 == pv >> 32 || out[17] == sx(out[17], 32)))
				out[17] = exp[17];
			for (i = 0; i < LSN && !bad; i++)
				if (out[i] != exp[i])
					bad = i + 1;
			for (i = 0; i < WIN && !badmem; i++)
				if (m[i] != exp_mem[i])
					badmem = i + 1;
			check_true(!bad && !badmem && exc_n == 0,
				   "%s, base %s: 24 loads (lwl/lwr/ldl/ldr, ll/sc, lld/scd) and 16 stores",
				   segs[s].name, ls_bases[b].name);
			if (bad)
				printf("#   %s: expected 0x%lx got 0x%lx\n", ls_names[bad - 1],
				       exp[bad - 1], out[bad - 1]);
			if (badmem)
				printf("#   memory byte %u: expected 0x%x got 0x%x\n", badmem - 1,
				       exp_mem[badmem - 1], m[badmem - 1]);
			if (exc_n)
				printf("#   %d exceptions, the first cause 0x%lx at 0x%lx\n", exc_n,
				       exc_log[0].cause, exc_log[0].epc);
			if (out[LSN])	/* allowed, but worth seeing */
				printf("#   %s, base %s: sc/scd failed %lu times, retried\n",
				       segs[s].name, ls_bases[b].name, out[LSN]);
		}
	}
	for (s = 0; s < ARRAY_SIZE(segs); s++)
		if (segs[s].tlb)
			tlb_invalidate(segs[s].tlb);
}

/* ---- link registers ---- */

extern char link_run[], lk_jal_ret[], lk_bal_ret[], lk_jalr_ret[], lk_jalr_rd_ret[],
	lk_bltzal_ret[], lk_bgezal_ret[], lk_bltzal_nt[], lk_bgezall_ret[], lk_bltzall_nt[],
	lk_jal2_ret[], lk_jalr2_ret[], lk_jalr_hb_ret[];

/* xkseg + 1 GiB: a 2 x 16 MiB TLB mapping of physical 0..32 MiB (mapped kernel code) */
#define XKMAP		(XKSEG + 0x40000000ULL)
#define XKMAP_TLB	6

static void map_xkmap(void)
{
	tlb_write(XKMAP_TLB, XKMAP, ELO(0, ELO_C(3) | ELO_V | ELO_D | ELO_G),
		  ELO(0x1000000ULL, ELO_C(3) | ELO_V | ELO_D | ELO_G), 0x01ffe000);
}

static void test_links(void)
{
	const struct {
		const char *name;
		u64 fn;
	} alias[] = {
		{ "ckseg0", ADDR(link_run) },
		{ "ckseg1", KSEG1(PHYS(link_run)) },
		{ "xkphys", XKPHYS_CCA(3, PHYS(link_run)) },
		{ "xkseg (mapped)", XKMAP + PHYS(link_run) },
	};
	unsigned int a;

	map_xkmap();
	for (a = 0; a < ARRAY_SIZE(alias); a++) {
		u64 out[14], d = alias[a].fn - ADDR(link_run);
		const char *n = alias[a].name;

		memset(out, 0, sizeof(out));
		((void (*)(u64 *))(uintptr_t)alias[a].fn)(out);
		check_eq(out[0], ADDR(lk_jal_ret) + d, "%s: jal links the address after its slot", n);
		check_eq(out[1], ADDR(lk_bal_ret) + d, "%s: bal link", n);
		check_eq(out[2], ADDR(lk_jalr_ret) + d, "%s: jalr t9 link (target found through bal)", n);
		check_eq(out[3], ADDR(lk_jalr_rd_ret) + d, "%s: jalr t3, t9 links t3", n);
		check_eq(out[4], ADDR(lk_bltzal_ret) + d, "%s: bltzal taken: link", n);
		check_eq(out[5], ADDR(lk_bgezal_ret) + d, "%s: bgezal taken: link", n);
		check_eq(out[6], ADDR(lk_bltzal_nt) + d, "%s: bltzal not taken: ra written anyway", n);
		check_eq(out[7], ADDR(lk_bgezall_ret) + d, "%s: bgezall taken: link", n);
		check_eq(out[8], ADDR(lk_bltzall_nt) + d, "%s: bltzall not taken: ra written anyway", n);
		check_eq(out[9], 7, "%s: bltzall not taken: its slot annulled", n);
		check_eq(out[10], ADDR(lk_jal2_ret) + d, "%s: jal's delay slot reads the new ra", n);
		check_eq(out[11], ADDR(lk_jalr2_ret) + d, "%s: jalr t3's delay slot reads the new t3", n);
		check_eq(out[12], ADDR(lk_jalr2_ret) + d, "%s: ... and the callee returns through it", n);
		check_eq(out[13], ADDR(lk_jalr_hb_ret) + d, "%s: jalr.hb link", n);
	}
	tlb_invalidate(XKMAP_TLB);
}

/*
 * A jal in the last word below a 256 MiB boundary: its target's upper bits
 * come from the delay slot's address (the next region), not the jal's.
 * Code written to CODE_PA, run through xkseg just below/above 0x10000000.
 */
#define CODE_PA		0x01800000ULL

static void test_jal_region(void)
{
	u64 va_a = XKSEG + 0x0ffff000ULL, va_b = XKSEG + 0x10000000ULL, fn = va_a + 0xff0, r;
	u64 pa_a = CODE_PA, pa_b = CODE_PA + 0x1000, pa_c = CODE_PA + 0x2000;
	u64 i;

	wr32(KSEG0(pa_a + 0xff0), 0x03e0c025);		/* move t8, ra */
	wr32(KSEG0(pa_a + 0xff4), 0);
	wr32(KSEG0(pa_a + 0xff8), 0);
	wr32(KSEG0(pa_a + 0xffc), 0x0c000000 | (0x1000 >> 2));	/* jal <region> + 0x1000 */
	wr32(KSEG0(pa_b + 0x000), 0x24030007);		/* slot: li v1, 7 */
	wr32(KSEG0(pa_b + 0x004), 0x03000008);		/* jr t8 */
	wr32(KSEG0(pa_b + 0x008), 0);
	wr32(KSEG0(pa_c + 0x000), 0x03e00008);		/* jr ra */
	wr32(KSEG0(pa_c + 0x004), 0x03e0102d);		/* daddu v0, ra, zero */
	for (i = 0; i < 3; i++)
		asm volatile("synci 0(%0)\n\tsynci 0x7e0(%0)\n\tsynci 0xfe0(%0)\n\tsync"
			     :: "r"(KSEG0(CODE_PA + i * 0x1000)) : "memory");
	/* VPN2 pairs: ...0fffe000 (odd page = A), ...10000000 (even = B, odd = C) */
	tlb_write(7, va_a - 0x1000, 0, ELO(pa_a, ELO_C(3) | ELO_V | ELO_G), 0);
	tlb_write(8, va_b, ELO(pa_b, ELO_C(3) | ELO_V | ELO_G), ELO(pa_c, ELO_C(3) | ELO_V | ELO_G), 0);
	exc_reset();
	r = phb_call(fn, 0, 0);
	check_eq(r, va_b + 4, "jal at xkseg+0x0ffffffc: target in the slot's 256 MiB region, link");
	check_eq(exc_n, 0, "jal across a 256 MiB boundary: no exception");
	tlb_invalidate(7);
	tlb_invalidate(8);
}

/* ---- odd addressing: base zero, destination = base, pref ---- */

void zb_run(u64 *out, u64 v);
void same_run(u64 *p, u64 *out);

static void test_addressing(void)
{
	static u64 p[3];
	u64 out[5], x = 0x8899aabbccddeeffULL, v = 0x0123456789abcdefULL, segmask;
	volatile u64 *w = (volatile u64 *)lsbuf;

	segmask = 0xc000000000000000ULL | ((1ULL << sb) - 1);
	w[0] = x;
	w[1] = 0;
	lsbuf[4095] = 0xa7;
	tlb_write(4, 0xffffffffffffe000ULL & segmask, ELO(PHYS(lsbuf), ELO_C(3) | ELO_V | ELO_D | ELO_G),
		  ELO(PHYS(lsbuf), ELO_C(3) | ELO_V | ELO_D | ELO_G), 0);
	zb_run(out, v);
	tlb_invalidate(4);
	check_eq(out[0], x, "ld -8192(zero): base zero reaches ckseg3's last pages");
	check_eq(w[1], v, "sd -8184(zero)");
	check_eq(out[1], sx(x >> 32, 32), "lw -4092(zero) (odd page)");
	check_eq(out[2], 0xa7, "lbu -1(zero): the very last byte of the address space");

	p[0] = ADDR(&p[2]);
	p[1] = 0;
	p[2] = 0x8877665544332211ULL;
	same_run(p, out);
	check_eq(p[1], ADDR(p), "sd a0, 8(a0): stores its own base");
	check_eq(out[0], (u32)ADDR(&p[2]), "ld a0, 0(a0) then sw/lwu through the loaded a0");
	check_eq(out[1], ADDR(p), "ld v1, -8(a0) after a0 was reloaded");
	check_eq(out[2], 0, "lw zero, 0(a0): zero stays 0");
	check_eq(out[3], ((((u64)(u32)ADDR(&p[2]) << 32) | 0x44332211) >> 8) | (ADDR(&p[2]) & 0xff00000000000000ULL),
		 "ldr t0, 1(t0): merges into its own base");
	check_eq(out[4], 0x44332211, "lwl a0, 3(a0): loads over its own base");

	exc_reset();
	asm volatile("pref 0, 0(%0)\n\tpref 1, 64(%0)\n\tpref 0, 0(%1)\n\tpref 0, 0(%2)"
		     :: "r"(XKSEG + 0x30000000ULL), "r"(0x0000002000000000ULL), "r"(1ULL << sb)
		     : "memory");
	check_eq(exc_n, 0, "pref to unmapped xkseg/xuseg and past SEGBITS: no exception");
}

/* ---- CP0 writes that change the translation in mid-block ---- */

void mid_asid(u64 va, u64 a, u64 b, u64 *out);
void mid_tlbwi(u64 va, u64 lo0, u64 *out);
void xseg_run(u64 b1, u64 b2, u64 *out);
void wrap_run(u64 *out);
u64 swi_run(void);
u64 ei_run(void);
u64 st_run(u64 status);
void cmp_ack(u64 *out);
extern char swi_mtc0[], swi_after[], ei_at[], ei_after[], st_at[], st_after[];

static void clear_swi(u64 cause)
{
	(void)cause;
	MTC0(C0_CAUSE, (u32)MFC0(C0_CAUSE) & ~(u32)CA_IP(0));
}

static u64 pgx[512] __attribute__((aligned(4096)));
static u64 pgy[512] __attribute__((aligned(4096)));

static void test_mid_block_mmu(void)
{
	u64 va = 0x0000003000000000ULL, kva = XKSEG + 0x30000000ULL, out[2], segmask;

	segmask = 0xc000000000000000ULL | ((1ULL << sb) - 1);
	pgx[0] = 0x1111111111111111ULL;
	pgx[1] = 0x1212121212121212ULL;
	pgy[0] = 0x2222222222222222ULL;
	pgy[1] = 0x2323232323232323ULL;
	tlb_write(9, va | 0x31, ELO(PHYS(pgx), ELO_C(3) | ELO_V | ELO_D), 0, 0);
	tlb_write(10, va | 0x32, ELO(PHYS(pgy), ELO_C(3) | ELO_V | ELO_D), 0, 0);
	DMTC0(C0_ENTRYHI, 0);
	mid_asid(va, 0x31, 0x32, out);
	check_eq(out[0], pgx[0], "ASID 0x31 set in the block: xuseg load from its page");
	check_eq(out[1], pgy[0], "ASID 0x32 set later in the same block: the other page");
	check_eq(pgy[1] * 2 + pgx[1], 0x32 * 2 + 0x1212121212121212ULL,
		 "... and a store after it went to the ASID 0x32 page only");

	tlb_write(9, kva, ELO(PHYS(pgx), ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	tlb_invalidate(10);
	pgy[1] = 0;
	mid_tlbwi(kva, ELO(PHYS(pgy), ELO_C(3) | ELO_V | ELO_D | ELO_G), out);
	check_eq(out[0], pgx[0], "tlbwi in mid-block: the load before it uses the old page");
	check_eq(out[1], pgy[0], "tlbwi in mid-block: the load after it uses the new page");
	check_eq(pgy[1], ELO(PHYS(pgy), ELO_C(3) | ELO_V | ELO_D | ELO_G),
		 "tlbwi in mid-block: the store after it too");
	tlb_invalidate(9);

	tlb_write(9, 0xffffffffc0000000ULL & segmask, ELO(PHYS(pgx), ELO_C(3) | ELO_V | ELO_D | ELO_G),
		  ELO_G, 0);
	tlb_write(10, 0xffffffffe0000000ULL & segmask, ELO(PHYS(pgy), ELO_C(3) | ELO_V | ELO_D | ELO_G),
		  ELO_G, 0);
	xseg_run(0xffffffffbffffff8ULL, 0xffffffffdffffff8ULL, out);
	check_eq(out[0], pgx[0], "base in ckseg1, address in ckseg2 (mapped): ld");
	check_eq(pgx[2], pgx[0], "base in ckseg1, address in ckseg2: sd");
	check_eq(out[1], pgy[1], "base in ckseg2, address in ckseg3: ld");
	check_eq(pgy[3], pgy[1], "base in ckseg2, address in ckseg3: sd");
	tlb_write(9, 0, ELO(PHYS(pgx), ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
	wrap_run(out);
	check_eq(out[0], pgx[1], "ld 16(-8): the address wraps to xuseg 8");
	check_eq(pgx[2], pgx[1] + 1, "sd 24(-8): the address wraps to xuseg 16");
	tlb_invalidate(9);
	tlb_invalidate(10);
}

/* ---- interrupts raised in mid-block ---- */

static u64 ei_run_any(u64 unused)
{
	(void)unused;
	return ei_run();
}

/*
 * From Status @before with Cause.IP0 pending, @run(@arg) lets the interrupt
 * in by the end of the ehb after the instruction at @at.
 */
static void unmask_in_mid_block(const char *what, u32 before, u64 (*run)(u64), u64 arg,
				const char *at, const char *after)
{
	u32 st = (u32)MFC0(C0_STATUS);
	u64 v;

	MTC0(C0_STATUS, before);
	MTC0(C0_CAUSE, CA_IP(0));
	exc_reset();
	v = run(arg);
	MTC0(C0_STATUS, st);
	check_eq(v, 31, "%s with IP0 pending: every instruction ran once", what);
	if (check_exc(0, 0x180, 0, "... interrupt"))
		check_true(exc_log[0].epc > ADDR(at) && exc_log[0].epc <= ADDR(after),
			   "... taken by the end of the ehb (EPC 0x%lx)", exc_log[0].epc);
	check_eq(exc_n, 1, "%s: one interrupt", what);
}

static void test_mid_block_irq(void)
{
	u32 st = (u32)MFC0(C0_STATUS);
	u64 v;

	irq_hook = clear_swi;
	MTC0(C0_CAUSE, 0);
	MTC0(C0_STATUS, (st & ~(u32)ST_IM_ALL) | ST_IM(0) | ST_IE);
	exc_reset();
	v = swi_run();
	MTC0(C0_STATUS, st);
	check_eq(v, 31, "Cause.IP0 set in mid-block: every instruction ran once");
	if (check_exc(0, 0x180, 0, "Cause.IP0 set in mid-block: interrupt"))
		check_true(exc_log[0].epc > ADDR(swi_mtc0) && exc_log[0].epc <= ADDR(swi_after),
			   "... taken by the end of the ehb (EPC 0x%lx)", exc_log[0].epc);
	check_eq(exc_n, 1, "Cause.IP0 set in mid-block: one interrupt");

	unmask_in_mid_block("ei in mid-block", (st & ~(u32)(ST_IM_ALL | ST_IE)) | ST_IM(0),
			    ei_run_any, 0, ei_at, ei_after);
	unmask_in_mid_block("mtc0 Status setting IE in mid-block",
			    (st & ~(u32)(ST_IM_ALL | ST_IE)) | ST_IM(0), st_run,
			    (st & ~(u32)ST_IM_ALL) | ST_IM(0) | ST_IE, st_at, st_after);
	/* Status.IM unmasking IP0 (IE already set) lets it in just the same */
	unmask_in_mid_block("mtc0 Status setting IM0 in mid-block", (st & ~(u32)ST_IM_ALL) | ST_IE,
			    st_run, (st & ~(u32)ST_IM_ALL) | ST_IM(0) | ST_IE, st_at, st_after);

	/* masked, and EXL set and cleared again: no interrupt, nothing lost */
	MTC0(C0_STATUS, (st & ~(u32)(ST_IM_ALL | ST_IE)) | ST_IM(0));
	MTC0(C0_CAUSE, CA_IP(0));
	exc_reset();
	v = st_run((st & ~(u32)(ST_IM_ALL | ST_IE)) | ST_IM(0) | ST_EXL);
	check_eq(v, 31, "mtc0 Status sets EXL (IE = 0): every instruction ran once");
	check_eq((u32)MFC0(C0_STATUS) & (ST_EXL | ST_IE), ST_EXL, "... Status.EXL = 1 afterwards");
	MTC0(C0_STATUS, st & ~(u32)(ST_IM_ALL | ST_IE));
	check_eq(exc_n, 0, "mtc0 Status with interrupts masked: no interrupt");
	MTC0(C0_STATUS, st);
	irq_hook = NULL;
	MTC0(C0_CAUSE, 0);
}

/* Rewriting Compare with its own value acks the timer interrupt. */
static void test_compare_ack(void)
{
	u32 st = (u32)MFC0(C0_STATUS);
	u64 out[3], c0 = count_now();

	/* 2 ms ahead: a match that passes before the write is lost */
	MTC0(C0_STATUS, st & ~(u32)ST_IE);
	MTC0(C0_COMPARE, c0 + (u32)(count_hz / 500));
	while (!(MFC0(C0_CAUSE) & CA_TI) && count_now() - c0 < count_hz)
		;
	if (!check_true(MFC0(C0_CAUSE) & CA_TI, "Compare passed: Cause.TI set"))
		return;
	cmp_ack(out);
	check_eq(out[0] & (CA_TI | CA_IP(7)), 0, "Compare rewritten with its value: Cause.TI and IP7 clear");
	check_eq(out[1], (u64)(long)(int)(c0 + (u32)(count_hz / 500)), "... Compare unchanged");
	check_eq(out[2] & (CA_TI | CA_IP(7)), 0, "... and clear in a later block");
	check_eq((u32)MFC0(C0_CAUSE) & (CA_TI | CA_IP(7)), 0, "... and after the run");
	MTC0(C0_COMPARE, count_now() - 1);
	MTC0(C0_STATUS, st);
}

/* ---- jumping into delay slots ---- */

u64 slot_tgt(u64 a0);
u64 self_slot(void);

static void test_slot_targets(void)
{
	int i, bad = 0;

	for (i = 0; i < 200; i++)
		if (slot_tgt(i % 3 == 0) != (i % 3 == 0 ? 105 : 5))
			bad++;
	check_eq(bad, 0, "a taken beq's slot is also a bnez target: both paths, 200 runs");
	check_eq(self_slot(), 2, "a branch to its own delay slot runs the slot twice");
}

/* ---- delay slots that change their branch's sources ---- */

u64 ds_beq(u64, u64); u64 ds_beq_v0(u64, u64); u64 ds_bne(u64, u64);
u64 ds_blez(u64, u64); u64 ds_bgtz(u64, u64); u64 ds_bltz(u64, u64); u64 ds_bgez(u64, u64);
u64 ds_beql(u64, u64); u64 ds_bltzl(u64, u64);
u64 ds_jr(u64, u64); u64 ds_jr_ld(u64, u64); u64 ds_jalr(u64, u64); u64 ds_jalr_rd(u64, u64);
u64 ds_jr_ra(void);
extern char ds_pad1[], ds_pad2[], ds_pad1_v1[], ds_pad2_v1[];

static void test_delay_slot_sources(void)
{
	static u64 wrong;
	const struct {
		const char *name;
		u64 (*fn)(u64, u64);
		s64 a0, a1;
		u64 want;
	} c[] = {
		{ "beq a0, a1 / a0++: taken", ds_beq, 5, 5, 0x106 },
		{ "beq a0, a1 / a0++: not taken", ds_beq, 4, 5, 0x205 },
		{ "beq v0, zero / move v0, a0: taken", ds_beq_v0, 7, 0, 0x107 },
		{ "beq v0, zero / move v0, a0: not taken", ds_beq_v0, 0, 3, 0x200 },
		{ "bne a0, a1 / move a1, a0: taken", ds_bne, 1, 2, 0x101 },
		{ "bne a0, a1 / move a1, a0: not taken", ds_bne, 3, 3, 0x203 },
		{ "blez a0 / a0 = -a0: taken", ds_blez, -3, 0, 0x103 },
		{ "blez a0 / a0 = -a0: not taken", ds_blez, 4, 0, 0x1fc },
		{ "bgtz a0 / a0 = -a0: taken", ds_bgtz, 5, 0, 0xfb },
		{ "bgtz a0 / a0 = -a0: not taken", ds_bgtz, -2, 0, 0x202 },
		{ "bltz a0 / a0 = -a0: taken", ds_bltz, -1, 0, 0x101 },
		{ "bltz a0 / a0 = -a0: not taken", ds_bltz, 6, 0, 0x1fa },
		{ "bgez a0 / a0 = -a0: taken", ds_bgez, 2, 0, 0xfe },
		{ "bgez a0 / a0 = -a0: not taken", ds_bgez, -9, 0, 0x209 },
		{ "beql a0, a1 / a0++: taken (slot ran)", ds_beql, 5, 5, 0x106 },
		{ "beql a0, a1 / a0++: not taken (slot annulled)", ds_beql, 4, 5, 0x204 },
		{ "bltzl a0 / a0 = -a0: taken (slot ran)", ds_bltzl, -7, 0, 0x107 },
		{ "bltzl a0 / a0 = -a0: not taken (slot annulled)", ds_bltzl, 7, 0, 0x207 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		check_eq(c[i].fn((u64)c[i].a0, (u64)c[i].a1), c[i].want,
			 "delay slot changes the source: %s", c[i].name);
	wrong = ADDR(ds_pad2);
	check_eq(ds_jr(ADDR(ds_pad1), ADDR(ds_pad2)), 1, "jr a0 / move a0, a1: jumps to the old a0");
	check_eq(ds_jr_ld(ADDR(ds_pad1), ADDR(&wrong)), 1,
		 "jr a0 / ld a0, 0(a1): jumps to the old a0");
	check_eq(ds_jalr(ADDR(ds_pad1), ADDR(ds_pad2)), 1,
		 "jalr a0 / move a0, a1: calls the old a0");
	check_eq(ds_jalr_rd(ADDR(ds_pad1_v1), ADDR(ds_pad2_v1)), 1,
		 "jalr v1, a0 / move a0, a1: calls the old a0, returns through v1");
	check_eq(ds_jr_ra(), 1, "jr ra / move ra, t8: jumps to the old ra");
}

/* ---- branch-likely slots with side effects ---- */

typedef u64 (*bl_fn)(u64 a0, volatile u32 *w, u64 v);
u64 bl_beql(u64, volatile u32 *, u64); u64 bl_bnel(u64, volatile u32 *, u64);
u64 bl_blezl(u64, volatile u32 *, u64); u64 bl_bgtzl(u64, volatile u32 *, u64);
u64 bl_bltzl(u64, volatile u32 *, u64); u64 bl_bgezl(u64, volatile u32 *, u64);
u64 bl_bltzall(u64, volatile u32 *, u64); u64 bl_bgezall(u64, volatile u32 *, u64);

static void test_branch_likely(void)
{
	static volatile u32 word;
	const struct {
		const char *name;
		bl_fn fn;
		s64 taken, not_taken;
	} c[] = {
		{ "beql a0, zero", bl_beql, 0, 3 }, { "bnel a0, zero", bl_bnel, 3, 0 },
		{ "blezl", bl_blezl, -1, 1 }, { "bgtzl", bl_bgtzl, 1, 0 },
		{ "bltzl", bl_bltzl, -5, 0 }, { "bgezl", bl_bgezl, 0, -1 },
		{ "bltzall", bl_bltzall, -1, 0 }, { "bgezall", bl_bgezall, 0, -1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u64 r;

		word = 0;
		r = c[i].fn((u64)c[i].taken, &word, 0x5a5a0000 + i);
		check_eq(r | (u64)word << 32, 1 | (u64)(0x5a5a0000 + i) << 32,
			 "%s taken: its slots ran (a store, an add)", c[i].name);
		word = 0;
		r = c[i].fn((u64)c[i].not_taken, &word, 0x5a5a0000 + i);
		check_eq(r | (u64)word << 32, 6, "%s not taken: its slots annulled (no store, no add)",
			 c[i].name);
	}
}

/* ---- TLB faults in delay slots: EPC = the branch, BD, and the branch runs again ---- */

typedef void (*fd_fn)(u64 a0, u64 va, u64 *out, u64 v);
void fd_jal(u64, u64, u64 *, u64); void fd_beql(u64, u64, u64 *, u64);
void fd_jalr_rd(u64, u64, u64 *, u64); void fd_bne_nt(u64, u64, u64 *, u64);
void fd_jr(u64, u64, u64 *, u64); void fd_page(u64, u64, u64 *, u64);
void fd_self(u64, u64, u64 *, u64); void fd_bne_same(u64, u64, u64 *, u64);
extern char fd_self_at[], fd_self_ret[], fd_bne_same_at[];
extern char fd_jal_at[], fd_jal_ret[], fd_beql_at[], fd_jalr_rd_at[], fd_jalr_rd_ret[],
	fd_bne_nt_at[], fd_jr_at[], fd_page_at[], fd_page_ret[];

static u64 fpage[512] __attribute__((aligned(4096)));
static u64 fault_va;

static bool map_hook(struct frame *f, u64 cause)
{
	u64 bv = DMFC0(C0_BADVADDR);

	(void)f;
	if ((CA_EXC(cause) == 2 || CA_EXC(cause) == 3) && (bv & ~0xfffULL) == fault_va) {
		tlb_write(5, fault_va, ELO(PHYS(fpage), ELO_C(3) | ELO_V | ELO_D | ELO_G), ELO_G, 0);
		return true;	/* back to EPC: the branch */
	}
	return false;
}

static void test_delay_slot_faults(void)
{
	const u64 val = 0x1122334455667788ULL;
	const struct {
		const char *name;
		fd_fn fn;
		const char *at;
		int code;
		u64 off;
		u64 want0, want1;
		const char *what0;
	} c[] = {
		{ "ld in jal's slot", fd_jal, fd_jal_at, 2, 0, ADDR(fd_jal_ret),
		  0x9bdf1357ace02468ULL, "link" },
		{ "ld a1, 0(a1) in jal's slot (overwrites its base)", fd_self, fd_self_at, 2, 0,
		  ADDR(fd_self_ret), 0x9bdf1357ace02468ULL, "link" },
		{ "sd in a taken beql's slot", fd_beql, fd_beql_at, 3, 8, 2, 0, "taken" },
		{ "lw in jalr t3's slot", fd_jalr_rd, fd_jalr_rd_at, 2, 16, ADDR(fd_jalr_rd_ret),
		  0xfffffffffedcba98ULL, "link in t3" },
		{ "lwu in a not-taken bne's slot", fd_bne_nt, fd_bne_nt_at, 2, 4, 2, 0x9bdf1357,
		  "not taken" },
		{ "lwu in the slot of bne a0, a0 (never taken)", fd_bne_same, fd_bne_same_at, 2, 4, 2,
		  0x9bdf1357, "not taken" },
		{ "lh in jr's slot", fd_jr, fd_jr_at, 2, 2, 2, 0xfffffffffffface0ULL, "jumped" },
		{ "ld in jal's slot, first word of the next page", fd_page, fd_page_at, 2, 0,
		  ADDR(fd_page_ret), 0x9bdf1357ace02468ULL, "link on the next page" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u64 out[2] = { 0xdead, 0xdead };
		const struct exc_rec *r = &exc_log[0];

#ifdef BM_QEMU_MALTA
		if (c[i].fn == fd_bne_same) {	/* QEMU translates bne rx, rx as a NOP */
			skip("QEMU drops bne rx, rx and its delay slot's BD", "%s", c[i].name);
			continue;
		}
#endif
		fpage[0] = 0x9bdf1357ace02468ULL;
		fpage[1] = 0;
		fpage[2] = 0x00000000fedcba98ULL;
		fault_va = XKSEG + 0x20000000ULL + i * 0x2000ULL;
		tlb_invalidate(5);
		exc_reset();
		exc_hook = map_hook;
		c[i].fn(0x77, fault_va, out, val);
		exc_hook = NULL;
		if (check_exc(0, 0x080, c[i].code, c[i].name)) {
			check_eq(r->epc, ADDR(c[i].at), "%s: EPC = the branch", c[i].name);
			check_eq(r->cause & CA_BD, CA_BD, "%s: Cause.BD = 1", c[i].name);
			check_eq(r->badvaddr, fault_va + c[i].off, "%s: BadVAddr", c[i].name);
		}
		check_eq(exc_n, 1, "%s: one exception, then the branch ran again", c[i].name);
		check_eq(out[0], c[i].want0, "%s: %s", c[i].name, c[i].what0);
		check_eq(out[1], c[i].want1, "%s: the value loaded", c[i].name);
		if (c[i].code == 3)
			check_eq(fpage[1], val, "%s: the value stored", c[i].name);
		tlb_invalidate(5);
	}
}

/* ---- one block using 30 GPRs ---- */

void gpr_fault(u64 *in);
extern char gf_at[];

/* 28 live GPRs and a TLB refill in mid-block: the registers at the fault, then the result */
static void test_gpr_fault(void)
{
	static u64 in[64];
	u64 r[32], at[32];
	int i, j, bad = 0, np1 = 0, n2 = 0, p1[32], r2[32];

	for (i = 1; i < 32; i++) {
		if (i == 4 || i == 26 || i == 27)
			continue;
		r2[n2++] = i;
		if (i != 2)
			p1[np1++] = i;
	}
	for (i = 0; i < 64; i++)
		in[i] = 0xc6a4a7935bd1e995ULL * (u64)(i + 7) + ((u64)i << 40);
	fault_va = XKSEG + 0x21000000ULL;
	in[2] = fault_va;
	fpage[1] = 0x5555666677778888ULL;
	for (i = 0; i < 32; i++)
		r[i] = in[i];
	r[0] = 0;
	r[4] = ADDR(in);
	for (j = 0; j < np1; j++)
		r[p1[j]] += r[p1[(j + 1) % np1]];
	memcpy(at, r, sizeof(at));
	r[3] = fpage[1];
	for (j = 0; j < n2; j++)
		r[r2[j]] ^= r[r2[(j + n2 - 1) % n2]];

	tlb_invalidate(5);
	exc_reset();
	exc_hook = map_hook;
	gpr_fault(in);
	exc_hook = NULL;
	if (check_exc(0, 0x080, 2, "28 live GPRs, a load in mid-block: XTLB refill")) {
		check_eq(exc_log[0].epc | (exc_log[0].cause & CA_BD), ADDR(gf_at),
			 "28 live GPRs: EPC = the load, BD = 0");
		for (i = 1; i < 32 && !bad; i++)
			if (i != 26 && i != 27 && exc_log[0].regs[i] != at[i])
				bad = i;
		check_true(!bad, "28 live GPRs: the handler sees every register as at the load");
		if (bad)
			printf("#   $%d: expected 0x%lx got 0x%lx\n", bad, at[bad], exc_log[0].regs[bad]);
	}
	check_eq(exc_n, 1, "28 live GPRs: one exception");
	for (i = 1, bad = 0; i < 32 && !bad; i++)
		if (i != 26 && i != 27 && in[32 + i] != r[i])
			bad = i;
	check_true(!bad, "28 live GPRs: the block finished right after the retry");
	if (bad)
		printf("#   $%d: expected 0x%lx got 0x%lx\n", bad, r[bad], in[32 + bad]);
	tlb_invalidate(5);
}

void gpr30(u64 *in, u64 *out);

static void test_gpr30(void)
{
	static const int order[30] = { 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
				       18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 4 };
	static u64 in[32], out[32], aux[4];
	int round;

	for (round = 0; round < 2; round++) {
		u64 r[32];
		int i, j, n = 30, bad = 0;

		for (i = 0; i < 32; i++) {
			in[i] = (0x9e3779b97f4a7c15ULL * (u64)(i + 1 + round * 32)) ^ ((u64)i << 56);
			out[i] = 0;
		}
		in[27] = ADDR(out) + 256;
		in[29] = ADDR(aux);
		aux[0] = ADDR(&aux[2]);
		aux[2] = 0x0badc0de12345678ULL + (u64)round;
		aux[3] = 0xfeedfacecafebeefULL - (u64)round;
		for (i = 0; i < 32; i++)
			r[i] = in[i];
		r[0] = 0;
		r[4] = ADDR(in);
		r[28] = aux[0];
		r[1] = aux[2];
		r[26] = aux[3];
		for (j = 0; j < n; j++)
			r[order[j]] += r[order[(j + 1) % n]];
		for (j = 0; j < n; j++)
			r[order[j]] ^= r[order[(j + n - 1) % n]];
		for (j = 0; j < n; j++)
			r[order[j]] = ror64(r[order[j]], j % 31 + 1);
		for (j = 0; j < n; j++)
			r[order[j]] -= r[27];
		gpr30(in, out);
		for (i = 1; i < 32 && !bad; i++)
			if (out[i] != r[i])
				bad = i;
		check_true(!bad, "one block with 30 GPRs live (k0, k1, at, gp, sp, ra too), round %d",
			   round + 1);
		if (bad)
			printf("#   $%d: expected 0x%lx got 0x%lx\n", bad, r[bad], out[bad]);
	}
}

/* ---- code reading its own words ---- */

void oc_read(u64 *out);
extern char lk_leaf[];

static void test_own_code(void)
{
	const struct {
		const char *name;
		u64 fn;
	} alias[] = {
		{ "ckseg0", ADDR(oc_read) },
		{ "ckseg1", KSEG1(PHYS(oc_read)) },
	};
	u64 jal = 0x0c000000 | ((ADDR(lk_leaf) >> 2) & 0x03ffffff);
	unsigned int a;

	for (a = 0; a < ARRAY_SIZE(alias); a++) {
		u64 o[10];
		const char *n = alias[a].name;

		memset(o, 0, sizeof(o));
		((void (*)(u64 *))(uintptr_t)alias[a].fn)(o);
		check_eq(o[0], 0x0123456789abcdefULL, "%s: ld of a dword in the code stream (bal)", n);
		check_eq(o[1], 0xffffffffdeadbeefULL, "%s: lw of a word in the code stream", n);
		check_eq(o[2], 0xdeadbeef, "%s: lwu of it", n);
		check_eq(o[3], 0x7fff, "%s: lh of a halfword in the code stream", n);
		check_eq(o[4], 0xffffffffffff8001ULL, "%s: lh, negative", n);
		check_eq(o[5], sx(0xdfe20000, 32), "%s: reads the word of a load that ran (ld v0, 0(ra))",
			 n);
		check_eq(o[6], sx(0x8fe20000, 32), "%s: a load reads its own word (lw v0, 0(ra))", n);
		check_eq(o[7], 0x04110001, "%s: reads the bal that ran", n);
		check_eq(o[8], jal, "%s: reads a jal word", n);
		check_eq(o[9], 0x40227000, "%s: reads a dmfc0 word", n);
	}
}

/* ---- jump tables ---- */

u64 jt64(u64 i);
u64 jt32(u64 i);

static void test_jump_tables(void)
{
	static const u64 e64[4] = { 11, 10, 100, 3 * 4096 + 1000 };
	static const u64 e32[4] = { 1000, 100, 10, 11 };
	u64 sum = 0, want = 0;
	int i;

	for (i = 0; i < 4; i++)
		check_eq(jt64(i), e64[i], "jump table of .dwords, case %d", i);
	for (i = 0; i < 4; i++)
		check_eq(jt32(i), e32[i], "jump table of .words in the code stream, case %d", i);
	for (i = 0; i < 2000; i++) {
		sum += jt64(i & 3) * 3 + jt32((i >> 1) & 3);
		want += e64[i & 3] * 3 + e32[(i >> 1) & 3];
	}
	check_eq(sum, want, "2000 rounds through both tables");
}

/* ---- recursion through jalr ---- */

u64 rec(u64 n);
u64 rec_rd(u64 n);

static void test_recursion(void)
{
	u64 f = 1;
	int i;

	for (i = 1; i <= 50; i++)
		f = f * 3 + (u64)i;
	check_eq(rec(50), f, "recursion through jalr t9, depth 50");
	check_eq(rec_rd(50), f, "recursion through jalr t3, t9 / jr t3, depth 50");
	for (i = 0; i < 20; i++)
		if (rec(50) != f)
			break;
	check_eq(i, 20, "recursion depth 50, 20 more times");
}

/* ---- CP0 round trips, di/ei ---- */

void cp0_rt(const u64 *in, u64 *out);
void diei(u64 *out);
#define KS_DECL(n) void ks_rt##n(u64 v, u64 *out);
KS_DECL(2) KS_DECL(3) KS_DECL(4) KS_DECL(5) KS_DECL(6) KS_DECL(7)

static void test_cp0(void)
{
	static const char *const names[10] = {
		"EPC", "ErrorEPC", "EntryLo0", "EntryLo1", "PageMask", "Context (PTEBase)",
		"XContext (PTEBase)", "DESAVE", "EntryHi", "mfc0 EPC (low word sign-extended)",
	};
	u64 segmask = 0xc000000000000000ULL | ((1ULL << sb) - 1);
	u64 xmask = ~((1ULL << (sb - 7)) - 1);
	u64 in[9] = {
		0x98000000a2345678ULL, 0xc000000000fedcb8ULL,
		ELO(0x0123f000ULL, ELO_C(3) | ELO_D | ELO_V | ELO_G), ELO(0x00456000ULL, ELO_C(2) | ELO_V),
		0x1fe000, 0xfedcba9876800000ULL, 0xa5a5a5a5a5a5a5a5ULL & xmask, 0x5a5a1234,
		((XKSEG + 0x12346000ULL) & segmask) | 0x5a,
	};
	u64 mask[10] = { ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0x7fffffULL, xmask, ~0ULL, ~0ULL, ~0ULL };
	u64 out[20], c3, ks = 0, st, o[6];
	int i, sel;

	cp0_rt(in, out);
	DMTC0(C0_ENTRYHI, 0);
	MTC0(C0_PAGEMASK, 0);
	for (i = 0; i < 10; i++) {
		u64 want = i == 9 ? sx(in[0], 32) : in[i];

		check_eq(out[i] & mask[i], want & mask[i], "dmtc0 + dmfc0 in one block: %s", names[i]);
		check_eq(out[10 + i] & mask[i], want & mask[i], "dmfc0 in a later block: %s", names[i]);
	}

	c3 = (u32)MFC0(C0_CONFIG3);
	if (c3 >> 31)
		ks = ((u32)MFC0(C0_CONFIG4) >> 16) & 0xfc;
	if (!ks)
		skip("no KScratch (Config4.KScrExist = 0)", "KScratch round trips");
	for (sel = 2; sel < 8; sel++) {
		u64 v = 0x0123456789abcdefULL ^ ((u64)sel << 60), ko[2] = { 0, 0 };
		static void (*const fns[8])(u64, u64 *) = {
			NULL, NULL, ks_rt2, ks_rt3, ks_rt4, ks_rt5, ks_rt6, ks_rt7,
		};

		if (!((ks >> sel) & 1))
			continue;
		fns[sel](v, ko);
		check_eq(ko[0], v, "KScratch%d: dmtc0 + dmfc0 in one block", sel - 1);
		check_eq(ko[1], v, "KScratch%d: dmfc0 in a later block", sel - 1);
	}

	/* di/ei with Status.IM = 0 (ei cannot let anything in) */
	st = (u32)MFC0(C0_STATUS);
	MTC0(C0_STATUS, st & ~(u64)(ST_IE | ST_IM_ALL));
	{
		u64 s0 = (u64)MFC0(C0_STATUS);

		diei(o);
		check_eq(o[0], s0, "IE = 0: di returns the old Status");
		check_eq(o[1], s0, "IE = 0: Status after di (same block)");
		check_eq(o[2], s0, "IE = 0: ei returns the old Status");
		check_eq(o[3], s0 | ST_IE, "IE = 0: Status after ei has IE");
		check_eq(o[4], s0, "IE = 0: Status after di (rt = zero)");
		check_eq(o[5], s0, "IE = 0: Status in a later block");
		MTC0(C0_STATUS, s0 | ST_IE);
		diei(o);
		check_eq(o[0], s0 | ST_IE, "IE = 1: di returns the old Status");
		check_eq(o[1], s0, "IE = 1: di cleared IE");
		check_eq(o[2], s0, "IE = 1: ei returns Status without IE");
		check_eq(o[3], s0 | ST_IE, "IE = 1: Status after ei");
		check_eq(o[5], s0, "IE = 1: Status in a later block");
	}
	MTC0(C0_STATUS, st);
}

/* ---- a hot loop, a long block ---- */

u64 hot(u64 n, u64 *buf);
u64 long_block(u64 *buf);

static void test_hot_long(void)
{
	static u64 buf[2], lb[2];
	u64 v0 = 0, t0 = 0xffffffff9e3779b9ULL, t1, t2, m[2];
	int i;

	buf[0] = m[0] = 0x243f6a8885a308d3ULL;
	t1 = m[0];
	for (i = 0; i < 100000; i++) {
		v0 += t1;
		v0 ^= v0 << 13;
		v0 ^= v0 >> 7;
		m[1] = v0;
		t1 = m[1] >> 32;
		t1 += t0;
		t1 += 3;
	}
	check_eq(hot(100000, buf), v0, "hot loop, 100000 iterations branching into its block");
	check_eq(buf[1], m[1], "hot loop: its last store");

	lb[0] = 0x13198a2e03707344ULL;
	v0 = 0;
	t1 = lb[0];
	for (i = 0; i < 200; i++) {
		v0 += 7;
		v0 ^= t1;
		t1 = ror64(v0, 11);
		t2 = (u32)v0;
		v0 += t2;
		t1 -= t2;
	}
	check_eq(long_block(lb), v0, "1400 instructions without a branch, across a page");
}

/* ---- self-modifying code ---- */

extern char sm_ret[], sm_ret_p[];
extern char sm_mid[], sm_mid_p[], sm_bl[], sm_bl_p[], sm_jal[], sm_jal_p[], sm_jal_ret[],
	sm_tgt_loop[], sm_tgt_br[], sm_tgt[], sm_tgt2[], pc_fn[], pc_br[], pc_slot[], pc_jal[],
	pc_jal_slot[], pc_jal_ret[];

static void synci(u64 va)
{
	asm volatile(".set push; .set mips64r2; synci 0(%0); sync; .set pop" :: "r"(va) : "memory");
}

/* Hit_Writeback_Inv_D, Hit_Invalidate_I at va (any cached alias of the code) */
static void cache_sync(u64 va)
{
	asm volatile("cache 0x15, 0(%0)\n\tsync\n\tcache 0x10, 0(%0)\n\tsync"
		     :: "r"(va) : "memory");
}

static void patch(const char *at, u32 word, int how)
{
	wr32(ADDR(at), word);
	if (how == 0)
		synci(ADDR(at));
	else if (how == 1)
		cache_sync(ADDR(at));
	else
		cache_sync(XKPHYS_CCA(3, PHYS(at)));
}

static u64 run(const char *fn, u64 x)
{
	return phb_call(ADDR(fn), x, 0);
}

/* What Linux's r4k flush_icache_all does: Index_Writeback_Inv_D and Index_Invalidate_I over the caches */
static void index_flush(void)
{
	u64 c1 = (u32)MFC0(C0_CONFIG1), a;
	u64 il = (c1 >> 19) & 7, dl = (c1 >> 10) & 7;
	u64 isize = il ? (64ULL << ((c1 >> 22) & 7)) * (2ULL << il) * (((c1 >> 16) & 7) + 1) : 0;
	u64 dsize = dl ? (64ULL << ((c1 >> 13) & 7)) * (2ULL << dl) * (((c1 >> 7) & 7) + 1) : 0;

	for (a = 0; a < dsize; a += 2ULL << dl)
		asm volatile("cache 0x01, 0(%0)" :: "r"(CKSEG0 + a) : "memory");
	asm volatile("sync" ::: "memory");
	for (a = 0; a < isize; a += 2ULL << il)
		asm volatile("cache 0x00, 0(%0)" :: "r"(CKSEG0 + a) : "memory");
	asm volatile("sync" ::: "memory");
}

static void test_smc(void)
{
	static u64 d[2] = { 0x00000000c0de8765ULL, 0x0fedcba987654321ULL };
	u32 orig, bw;
	u64 br_tgt2;
	int i, n;

	/* an instruction in the middle of a block that ran 200 times */
	for (i = 0, n = 0; i < 200; i++)
		n += run(sm_mid, ADDR(d)) == 3 + sx(0xc0de8765, 32);
	check_eq(n, 200, "mid-block load: 200 runs");
	orig = rd32(ADDR(sm_mid_p));
	patch(sm_mid_p, 0x84830002, 0);		/* lh v1, 2(a0) */
	check_eq(run(sm_mid, ADDR(d)), 3 + sx(0xc0de, 16), "mid-block lw -> lh v1, 2(a0), synci");
	patch(sm_mid_p, 0x2403004d, 1);		/* li v1, 77 */
	check_eq(run(sm_mid, ADDR(d)), 80, "mid-block lh -> li (no memory access), cache ops");
	patch(sm_mid_p, 0xdc830008, 2);		/* ld v1, 8(a0) */
	check_eq(run(sm_mid, ADDR(d)), 3 + d[1], "mid-block li -> ld, cache ops through xkphys");
	DMTC0(C0_EPC, 0x1000);
	patch(sm_mid_p, 0x40237000, 0);		/* dmfc0 v1, $14 */
	check_eq(run(sm_mid, ADDR(d)), 3 + 0x1000, "mid-block ld -> dmfc0 EPC");
	patch(sm_mid_p, orig, 1);
	check_eq(run(sm_mid, ADDR(d)), 3 + sx(0xc0de8765, 32), "mid-block: original lw back");
	wr32(ADDR(sm_mid_p), 0x24030009);	/* li v1, 9 */
	index_flush();
	check_eq(run(sm_mid, ADDR(d)), 12, "mid-block patched, Index_Invalidate_I over the whole I-cache");
	wr32(ADDR(sm_mid_p), orig);
	index_flush();
	check_eq(run(sm_mid, ADDR(d)), 3 + sx(0xc0de8765, 32), "... and back, Index ops again");

	/* the callee patches its caller's return point, then jr.hb ra */
	for (i = 0, n = 0; i < 50; i++)
		n += run(sm_ret, 0) == 2;
	check_eq(n, 50, "return point: original (addiu v0, v0, 1), 50 runs");
	orig = rd32(ADDR(sm_ret_p));
	check_eq(run(sm_ret, 0x24420032), 51, "callee patched the caller's return point (synci, jr.hb)");
	check_eq(run(sm_ret, 0), 51, "... the patch stays");
	patch(sm_ret_p, orig, 0);
	check_eq(run(sm_ret, 0), 2, "return point restored");

	/* delay slots */
	for (i = 0; i < 50; i++)
		run(sm_bl, ADDR(d));
	check_eq(run(sm_bl, ADDR(d)), 5, "beql slot: original (addiu v0, v0, 5)");
	orig = rd32(ADDR(sm_bl_p));
	patch(sm_bl_p, 0x24420009, 0);		/* addiu v0, v0, 9 */
	check_eq(run(sm_bl, ADDR(d)), 9, "beql slot patched (addiu 9), synci");
	patch(sm_bl_p, 0x8c820000, 1);		/* lw v0, 0(a0) */
	check_eq(run(sm_bl, ADDR(d)), sx(0xc0de8765, 32), "beql slot patched into a load, cache ops");
	patch(sm_bl_p, orig, 0);
	for (i = 0; i < 50; i++)
		run(sm_jal, 0);
	check_eq(run(sm_jal, 0), 0, "jal slot: original (move v1, zero)");
	orig = rd32(ADDR(sm_jal_p));
	patch(sm_jal_p, 0x03e0182d, 0);		/* daddu v1, ra, zero */
	check_eq(run(sm_jal, 0), ADDR(sm_jal_ret), "jal slot patched to read ra: sees the link");
	patch(sm_jal_p, orig, 1);
	check_eq(run(sm_jal, 0), 0, "jal slot: original back");

	/* a branch target reached 1000 times by a direct branch, then the branch itself */
	check_eq(run(sm_tgt_loop, 1000), 1000, "branch target: original (1000 x addiu 1)");
	orig = rd32(ADDR(sm_tgt));
	patch(sm_tgt, 0x24420007, 0);		/* addiu v0, v0, 7 */
	check_eq(run(sm_tgt_loop, 1000), 7000, "branch target's first instruction patched, synci");
	bw = rd32(ADDR(sm_tgt_br));
	br_tgt2 = (ADDR(sm_tgt2) - ADDR(sm_tgt_br) - 4) >> 2;
	patch(sm_tgt_br, 0x10000000 | (u32)(br_tgt2 & 0xffff), 1);
	check_eq(run(sm_tgt_loop, 1000), 100000, "branch offset patched to another target, cache ops");
	patch(sm_tgt_br, bw, 2);
	check_eq(run(sm_tgt_loop, 1000), 7000, "branch restored (cache ops through xkphys)");
	patch(sm_tgt, orig, 0);
	check_eq(run(sm_tgt_loop, 10), 10, "branch target restored");

	/* a branch in the last word of a page, its delay slot the first of the next */
	for (i = 0; i < 100; i++)
		run(pc_fn, i & 1);
	check_eq(run(pc_fn, 0), 3, "branch at a page end, slot on the next page: taken");
	check_eq(run(pc_fn, 1), 7, "branch at a page end, slot on the next page: not taken");
	orig = rd32(ADDR(pc_slot));
	patch(pc_slot, 0x24420008, 0);		/* addiu v0, v0, 8 */
	check_eq(run(pc_fn, 0), 9, "slot on the next page patched (synci of that page): taken");
	check_eq(run(pc_fn, 1), 13, "slot on the next page patched: not taken");
	bw = rd32(ADDR(pc_br));
	patch(pc_br, (bw & 0x03ffffff) | 0x14000000, 1);	/* beq -> bne */
	check_eq(run(pc_fn, 0), 13, "branch at the page end patched (beq -> bne): a0 = 0");
	check_eq(run(pc_fn, 1), 9, "branch at the page end patched (beq -> bne): a0 = 1");
	patch(pc_br, bw, 0);
	patch(pc_slot, orig, 1);
	check_eq(run(pc_fn, 0) * 16 + run(pc_fn, 1), 3 * 16 + 7, "page-end branch and slot restored");

	for (i = 0; i < 100; i++)
		run(pc_jal, 0);
	check_eq(run(pc_jal, 0), ADDR(pc_jal_ret) + 1, "jal at a page end: link on the next page");
	orig = rd32(ADDR(pc_jal_slot));
	patch(pc_jal_slot, 0x24030040, 0);	/* li v1, 0x40 */
	check_eq(run(pc_jal, 0), ADDR(pc_jal_ret) + 0x40, "jal at a page end: its slot patched");
	patch(pc_jal_slot, orig, 0);
}

/* Runs one group; any exception it did not expect is a failure. */
static void group(const char *name, void (*fn)(void), bool faults)
{
	exc_reset();
	fn();
	if (!faults)
		check_eq(exc_n, 0, "%s: no exception", name);
}

void bm_main(void)
{
	sb = segbits();
	group("loads/stores", test_loads_stores, true);
	group("links", test_links, false);
	group("jal across 256 MiB", test_jal_region, false);
	group("addressing", test_addressing, false);
	group("jumps into delay slots", test_slot_targets, false);
	group("delay slots changing sources", test_delay_slot_sources, false);
	group("branch-likely", test_branch_likely, false);
	group("delay-slot faults", test_delay_slot_faults, true);
	group("30 GPRs", test_gpr30, false);
	group("28 GPRs and a fault", test_gpr_fault, true);
	group("CP0 in mid-block", test_mid_block_mmu, false);
	group("interrupts in mid-block", test_mid_block_irq, true);
	group("own code", test_own_code, false);
	group("jump tables", test_jump_tables, false);
	group("recursion", test_recursion, false);
	group("CP0", test_cp0, false);
	group("hot loop, long block", test_hot_long, false);
	group("self-modifying code", test_smc, false);
	group("Compare ack", test_compare_ack, false);
}
