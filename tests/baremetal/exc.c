// SPDX-License-Identifier: GPL-2.0
/*
 * Exception kinds and vectors in kernel mode: syscall, break, RI, CpU (CE),
 * overflow, trap, address errors, TLB refill vs XTLB refill and the
 * registers they set, faults in delay slots, refill with EXL = 1, EBase.
 */
#include "asm.h"

const char *bm_name = "exc";


static u64 buf[8] __attribute__((aligned(64)));
static int sb;

static void set_status(u32 clear, u32 set)
{
	MTC0(C0_STATUS, ((u32)MFC0(C0_STATUS) & ~clear) | set);
}

/* Runs fn(a0, a1) and checks it raised exactly one exception `code` at vec. */
static bool expect(const char *name, snippet_fn fn, const char *at, u64 a0, u64 a1,
		   int vec, int code, bool check_badv, u64 badv)
{
	exc_reset();
	fn(a0, a1);
	if (!check_exc(0, vec, code, name))
		return false;
	check_eq(exc_log[0].epc | (exc_log[0].cause & CA_BD), (u64)(uintptr_t)at,
		 "%s: EPC = faulting instruction, Cause.BD = 0", name);
	if (check_badv)
		check_eq(exc_log[0].badvaddr, badv, "%s: BadVAddr", name);
	return check_eq(exc_n, 1, "%s: exactly one exception", name);
}

static void expect_none(const char *name, snippet_fn fn, u64 a0, u64 a1)
{
	exc_reset();
	fn(a0, a1);
	check_eq(exc_n, 0, "%s: no exception", name);
}

#define EXPECT(name, f, a0, a1, vec, code) \
	expect(name, f, f##_at, a0, a1, vec, code, false, 0)
#define EXPECT_BADV(name, f, a0, a1, vec, code) \
	expect(name, f, f##_at, a0, a1, vec, code, true, a0)

static void test_simple(void)
{
	EXPECT("syscall -> Sys at 0x180", f_syscall, 0, 0, 0x180, 8);
	EXPECT("break -> Bp at 0x180", f_break, 0, 0, 0x180, 9);
	EXPECT("reserved opcode 0x3b -> RI", f_ri_op, 0, 0, 0x180, 10);
	EXPECT("reserved SPECIAL function 0x05 -> RI", f_ri_special, 0, 0, 0x180, 10);

	set_status(ST_CU1, 0);
	if (EXPECT("mfc1 with CU1 = 0 -> CpU", f_cop1, 0, 0, 0x180, 11))
		check_eq((exc_log[0].cause >> CA_CE_SHIFT) & 3, 1, "mfc1: Cause.CE = 1");
	{
		static const struct {
			const char *name;
			snippet_fn fn;
			const char *at;
		} fp[] = {
			{ "ldc1", f_ldc1, f_ldc1_at }, { "sdc1", f_sdc1, f_sdc1_at },
			{ "lwc1", f_lwc1, f_lwc1_at }, { "cfc1", f_cfc1, f_cfc1_at },
			{ "bc1f", f_bc1f, f_bc1f_at }, { "movf (MOVCI)", f_movf, f_movf_at },
			{ "ldxc1 (COP1X)", f_cop1x, f_cop1x_at },
		};
		unsigned int i;

		for (i = 0; i < sizeof(fp) / sizeof(fp[0]); i++) {
			exc_reset();
			fp[i].fn((u64)(uintptr_t)buf, 0);
			if (check_exc(0, 0x180, 11, fp[i].name)) {
				check_eq(exc_log[0].epc, (u64)(uintptr_t)fp[i].at, "%s: EPC", fp[i].name);
				check_eq((exc_log[0].cause >> CA_CE_SHIFT) & 3, 1,
					 "%s with CU1 = 0: CpU with Cause.CE = 1", fp[i].name);
			}
		}
	}
}

static void test_overflow(void)
{
	static const struct {
		const char *name;
		snippet_fn fn;
		const char *at;
		u64 a0, a1;
	} ov[] = {
		{ "add 0x7fffffff + 1", f_add, f_add_at, 0x7fffffff, 1 },
		{ "add -0x80000000 + -1", f_add, f_add_at, (u64)-0x80000000LL, (u64)-1 },
		{ "addi 0x7fffffff + 1", f_addi, f_addi_at, 0x7fffffff, 0 },
		{ "sub -0x80000000 - 1", f_sub, f_sub_at, (u64)-0x80000000LL, 1 },
		{ "dadd INT64_MAX + 1", f_dadd, f_dadd_at, 0x7fffffffffffffffULL, 1 },
		{ "daddi INT64_MAX + 1", f_daddi, f_daddi_at, 0x7fffffffffffffffULL, 0 },
		{ "dsub INT64_MIN - 1", f_dsub, f_dsub_at, 0x8000000000000000ULL, 1 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(ov) / sizeof(ov[0]); i++) {
		if (expect(ov[i].name, ov[i].fn, ov[i].at, ov[i].a0, ov[i].a1, 0x180, 12, false, 0))
			check_eq(exc_log[0].regs[2], 0x1234, "%s: destination not written", ov[i].name);
	}
	expect_none("addu 0x7fffffff + 1", f_addu, 0x7fffffff, 1);
	expect_none("add 0x7ffffffe + 1", f_add, 0x7ffffffe, 1);
	expect_none("dadd 0x7fffffff + 1 (no 64-bit overflow)", f_dadd, 0x7fffffff, 1);
}

static void test_trap(void)
{
	EXPECT("teq 7, 7 -> Tr", f_teq, 7, 7, 0x180, 13);
	expect_none("teq 7, 8", f_teq, 7, 8);
	EXPECT("tne 7, 8 -> Tr", f_tne, 7, 8, 0x180, 13);
	expect_none("tne 7, 7", f_tne, 7, 7);
	EXPECT("tge -1, -2 -> Tr", f_tge, (u64)-1, (u64)-2, 0x180, 13);
	expect_none("tge -2, -1", f_tge, (u64)-2, (u64)-1);
	EXPECT("tltu 1, -1 -> Tr", f_tltu, 1, (u64)-1, 0x180, 13);
	expect_none("tltu -1, 1", f_tltu, (u64)-1, 1);
	EXPECT("teqi 5, 5 -> Tr", f_teqi, 5, 0, 0x180, 13);
	EXPECT("tgei 0, -1 -> Tr", f_tgei, 0, 0, 0x180, 13);
	expect_none("tlti 0, -1", f_tlti, 0, 0);
	EXPECT("tnei 4, 5 -> Tr", f_tnei, 4, 0, 0x180, 13);
}

static void test_address_errors(void)
{
	u64 b = (u64)(uintptr_t)buf;

	EXPECT_BADV("lw unaligned -> AdEL", f_lw, b + 2, 0, 0x180, 4);
	EXPECT_BADV("lwu unaligned -> AdEL", f_lwu, b + 1, 0, 0x180, 4);
	EXPECT_BADV("lh unaligned -> AdEL", f_lh, b + 1, 0, 0x180, 4);
	EXPECT_BADV("lhu unaligned -> AdEL", f_lhu, b + 3, 0, 0x180, 4);
	EXPECT_BADV("ld unaligned (4) -> AdEL", f_ld, b + 4, 0, 0x180, 4);
	EXPECT_BADV("ll unaligned -> AdEL", f_ll, b + 2, 0, 0x180, 4);
	EXPECT_BADV("sw unaligned -> AdES", f_sw, b + 2, 0, 0x180, 5);
	EXPECT_BADV("sh unaligned -> AdES", f_sh, b + 1, 0, 0x180, 5);
	EXPECT_BADV("sd unaligned (4) -> AdES", f_sd, b + 4, 0, 0x180, 5);
	EXPECT_BADV("sc unaligned -> AdES", f_sc, b + 1, 0, 0x180, 5);
	expect_none("lb odd address", f_lb, b + 1, 0);
	expect_none("sb odd address", f_sb, b + 3, 0);
	check_eq(buf[0] != 0 || buf[1] != 0 ? 1 : 0, 0, "faulting stores wrote nothing");

	/* fetch from an unaligned PC: EPC = BadVAddr = the target */
	exc_reset();
	exc_resume = (u64)(uintptr_t)f_jump_res;
	f_jump((u64)(uintptr_t)f_jump_res + 2, 0);
	if (check_exc(0, 0x180, 4, "jump to PC+2 -> AdEL on fetch")) {
		check_eq(exc_log[0].epc, (u64)(uintptr_t)f_jump_res + 2, "fetch AdEL: EPC = target");
		check_eq(exc_log[0].badvaddr, (u64)(uintptr_t)f_jump_res + 2,
			 "fetch AdEL: BadVAddr = target");
		check_eq(exc_log[0].cause & CA_BD, 0, "fetch AdEL: Cause.BD = 0");
	}

	exc_reset();
	exc_resume = (u64)(uintptr_t)f_jump_res;
	f_jump((u64)(uintptr_t)f_jump_res + 1, 0);
	if (check_exc(0, 0x180, 4, "jump to an odd address (no MIPS16/microMIPS) -> AdEL"))
		check_eq(exc_log[0].badvaddr, (u64)(uintptr_t)f_jump_res + 1,
			 "odd jump: BadVAddr = target");

	/* clearing KX/UX must apply to translations used just before */
	exc_reset();
	f_lw(XKPHYS_CCA(3, PHYS(buf)), 0);
	f_lw(XKSEG + 0x1000, 0);	/* XTLB refill, resumed past */
	set_status(ST_KX, 0);
	EXPECT_BADV("KX = 1 -> 0: xkphys page used just before -> AdEL", f_lw,
		    XKPHYS_CCA(3, PHYS(buf)), 0, 0x180, 4);
	set_status(0, ST_KX);
	tlb_write(1, 0x0000002000000000ULL, ELO(PHYS(buf) & ~0xfffULL, ELO_V | ELO_G), ELO_G, 0);
	exc_reset();
	f_lw(0x0000002000000000ULL | (PHYS(buf) & 0xfff), 0);
	check_eq(exc_n, 0, "UX = 1: mapped xuseg page loads");
	set_status(ST_UX, 0);
	EXPECT_BADV("UX = 1 -> 0: xuseg page used just before -> AdEL", f_lw,
		    0x0000002000000000ULL | (PHYS(buf) & 0xfff), 0, 0x180, 4);
	set_status(0, ST_UX);
	tlb_invalidate(1);

	/* 64-bit segments disabled in kernel mode */
	set_status(ST_KX, 0);
	EXPECT_BADV("KX = 0: load from xkseg -> AdEL", f_lw, XKSEG + 0x1000, 0, 0x180, 4);
	EXPECT_BADV("KX = 0: load from xkphys -> AdEL", f_lw, XKPHYS_CCA(3, 0x100000), 0, 0x180, 4);
	set_status(0, ST_KX);
	set_status(ST_UX, 0);
	EXPECT_BADV("UX = 0: kernel load from xuseg 0x100000000 -> AdEL", f_lw,
		    0x100000000ULL, 0, 0x180, 4);
	EXPECT_BADV("UX = 0: kernel store to xuseg 0x100000000 -> AdES", f_sw,
		    0x100000000ULL, 0, 0x180, 5);
	set_status(0, ST_UX);
	EXPECT_BADV("UX = 1: load above 2^SEGBITS in xuseg -> AdEL", f_lw,
		    1ULL << sb, 0, 0x180, 4);
	EXPECT_BADV("KX = 1: load above 2^SEGBITS in xkseg -> AdEL", f_lw,
		    XKSEG | (1ULL << sb), 0, 0x180, 4);
	EXPECT_BADV("xkphys address above PABITS -> AdEL", f_lw,
		    XKPHYS_CCA(2, 1ULL << 58), 0, 0x180, 4);
}

/* A delay-slot fault: EPC = the branch, Cause.BD = 1. */
static void expect_bd_vec(const char *name, snippet_fn fn, const char *at, const char *res,
			  u64 a0, u64 a1, int vec, int code)
{
	exc_reset();
	exc_resume = (u64)(uintptr_t)res;
	fn(a0, a1);
	if (!check_exc(0, vec, code, name))
		return;
	check_eq(exc_log[0].epc, (u64)(uintptr_t)at, "%s: EPC = the branch", name);
	check_eq(exc_log[0].cause & CA_BD, CA_BD, "%s: Cause.BD = 1", name);
	if (code == 4 || code == 2)
		check_eq(exc_log[0].badvaddr, a0, "%s: BadVAddr", name);
}

static void expect_bd(const char *name, snippet_fn fn, const char *at, const char *res,
		      u64 a0, u64 a1, int code)
{
	expect_bd_vec(name, fn, at, res, a0, a1, 0x180, code);
}

static void test_delay_slots(void)
{
	u64 b = (u64)(uintptr_t)buf;

	expect_bd("lw AdEL in the delay slot of a taken beq", f_bd_taken, f_bd_taken_at,
		  f_bd_taken_res, b + 2, 0, 4);
	expect_bd("lw AdEL in the delay slot of a not-taken bne", f_bd_nottaken,
		  f_bd_nottaken_at, f_bd_nottaken_res, b + 1, 0, 4);
	expect_bd("lw AdEL in the delay slot of jr", f_bd_jr, f_bd_jr_at, f_bd_jr_res,
		  b + 3, (u64)(uintptr_t)f_bd_jr_res, 4);
	expect_bd("lw AdEL in the delay slot of a taken beql", f_bdl_taken, f_bdl_taken_at,
		  f_bdl_taken_res, b + 2, 0, 4);
	expect_bd("syscall in a delay slot", f_bd_syscall, f_bd_syscall_at,
		  f_bd_syscall_res, 0, 0, 8);
	expect_bd_vec("XTLB refill in the delay slot of a taken beq", f_bd_taken, f_bd_taken_at,
		      f_bd_taken_res, XKSEG + 0x7000, 0, 0x080, 2);
	expect_bd_vec("XTLB refill in the delay slot of jr", f_bd_jr, f_bd_jr_at, f_bd_jr_res,
		      XKSEG + 0x9000, (u64)(uintptr_t)f_bd_jr_res, 0x080, 2);
	expect_none("not-taken bnel nullifies a faulting delay slot", f_bdl_nottaken, b + 2, 0);
	EXPECT_BADV("fault at a taken beq's target: EPC = target, BD = 0", f_after_branch,
		    b + 1, 0, 0x180, 4);
	EXPECT_BADV("fault at a taken beql's target: EPC = target, BD = 0", f_after_bl,
		    b + 1, 0, 0x180, 4);
	/* a normal exception after a BD one must clear Cause.BD */
	EXPECT("syscall after a delay-slot exception", f_syscall, 0, 0, 0x180, 8);
	check_eq(exc_log[0].cause & CA_BD, 0, "Cause.BD cleared by the next exception");
}

/* TLB refill: vector, BadVAddr, Context, XContext, EntryHi. */
static void refill(const char *name, snippet_fn fn, const char *at, u64 va, int vec, int code)
{
	u64 ctx_pte = 0xfedcba9876543210ULL & ~0x7fffffULL;
	u64 xctx_pte = 0xa5a5a5a5a5a5a5a5ULL & ~((1ULL << (sb - 7)) - 1);
	u64 segmask = (1ULL << sb) - 1;
	u64 exp_eh = (va & 0xc000000000000000ULL) | (va & segmask & ~0x1fffULL) | 0x42;
	u64 exp_xctx = xctx_pte | ((va >> 62) << (sb - 9)) |
		       (((va >> 13) & ((1ULL << (sb - 13)) - 1)) << 4);
	const struct exc_rec *r = &exc_log[0];

	DMTC0(C0_CONTEXT, ctx_pte | 0x7ffff0);
	DMTC0(C0_XCONTEXT, xctx_pte | ((1ULL << (sb - 7)) - 16));
	DMTC0(C0_ENTRYHI, 0x42);
	if (!expect(name, fn, at, va, 0, vec, code, true, va))
		return;
	check_eq(r->context, ctx_pte | ((va >> 9) & 0x7ffff0),
		 "%s: Context = PTEBase | BadVPN2", name);
	check_eq(r->xcontext, exp_xctx, "%s: XContext = PTEBase | R | BadVPN2", name);
	check_eq(r->entryhi, exp_eh, "%s: EntryHi = R | VPN2 | ASID kept", name);
}

static void test_refill(void)
{
	u64 xctx_pte;

	tlb_init();
	DMTC0(C0_CONTEXT, 0xfedcba9876543210ULL);
	check_eq(DMFC0(C0_CONTEXT) & ~0x7fffffULL, 0xfedcba9876543210ULL & ~0x7fffffULL,
		 "Context: PTEBase writable");
	xctx_pte = 0xa5a5a5a5a5a5a5a5ULL & ~((1ULL << (sb - 7)) - 1);
	DMTC0(C0_XCONTEXT, xctx_pte);
	check_eq(DMFC0(C0_XCONTEXT) & ~((1ULL << (sb - 7)) - 1), xctx_pte,
		 "XContext: PTEBase writable");

	set_status(ST_UX, 0);
	refill("UX = 0: load from useg 0x1234 -> TLB refill at 0x000", f_lw, f_lw_at,
	       0x1234, 0x000, 2);
	refill("UX = 0: store to useg 0x7fff6008 -> TLB refill (TLBS) at 0x000", f_sw, f_sw_at,
	       0x7fff6008, 0x000, 3);
	set_status(0, ST_UX);
	refill("UX = 1: load from useg 0x5000 -> XTLB refill at 0x080", f_lw, f_lw_at,
	       0x5000, 0x080, 2);
	refill("UX = 1: load from xuseg 0x12345678000 -> XTLB refill at 0x080", f_ld, f_ld_at,
	       0x12345678000ULL & ((1ULL << sb) - 1), 0x080, 2);
	refill("UX = 1: store to xuseg -> XTLB refill (TLBS) at 0x080", f_sd, f_sd_at,
	       0x0000004000002000ULL & ((1ULL << sb) - 1), 0x080, 3);
	set_status(ST_KX, 0);
	refill("KX = 0: load from kseg3 -> TLB refill at 0x000", f_lw, f_lw_at,
	       0xffffffffe0004000ULL, 0x000, 2);
	refill("KX = 0: load from ksseg -> TLB refill at 0x000", f_lw, f_lw_at,
	       0xffffffffc0012344ULL, 0x000, 2);
	set_status(0, ST_KX);
	refill("KX = 1: load from kseg3 -> XTLB refill at 0x080", f_lw, f_lw_at,
	       0xffffffffe0006000ULL, 0x080, 2);
	refill("KX = 1: load from xkseg -> XTLB refill at 0x080", f_lw, f_lw_at,
	       XKSEG + 0x123456000ULL, 0x080, 2);
	refill("KX = 1: store to xkseg -> XTLB refill (TLBS) at 0x080", f_sw, f_sw_at,
	       XKSEG + 0xff0000ULL, 0x080, 3);
	refill("KX = 1: load from xsseg -> XTLB refill at 0x080", f_lw, f_lw_at,
	       XKSSEG + 0x8000ULL, 0x080, 2);

	/* With EXL = 1 a refill goes to the general vector and EPC is kept. */
	exc_reset();
	exc_resume = (u64)(uintptr_t)f_exl_refill_res;
	f_exl_refill(0x3000, 0xffffffff80abcdefULL & ~3ULL);
	if (check_exc(0, 0x180, 2, "refill with EXL = 1 -> general vector 0x180 (TLBL)")) {
		check_eq(exc_log[0].epc, 0xffffffff80abcdecULL, "refill with EXL = 1: EPC unchanged");
		check_eq(exc_log[0].badvaddr, 0x3000, "refill with EXL = 1: BadVAddr");
		check_eq(exc_n, 1, "refill with EXL = 1: one exception");
	}
	check_eq(MFC0(C0_STATUS) & ST_EXL, 0, "eret from it cleared EXL");
}

static void test_ebase(void)
{
	u64 a = (u64)(uintptr_t)vectors_a, b = (u64)(uintptr_t)vectors_b;

	check_eq((u64)MFC0(C0_EBASE) & ~0x3ffULL, a, "EBase reads back the vector base (table A)");
	MTC0(C0_EBASE, b);
	check_eq((u64)MFC0(C0_EBASE) & ~0x3ffULL, b, "EBase write moves the base (table B)");
	EXPECT("syscall with EBase = table B -> B + 0x180", f_syscall, 0, 0, VEC_TABLE_B + 0x180, 8);
	set_status(ST_UX, 0);
	EXPECT("refill with EBase = table B -> B + 0x000", f_lw, 0x4000, 0, VEC_TABLE_B + 0x000, 2);
	set_status(0, ST_UX);
	EXPECT("xrefill with EBase = table B -> B + 0x080", f_lw, 0x4000, 0, VEC_TABLE_B + 0x080, 2);
	MTC0(C0_EBASE, a);
	EXPECT("syscall with EBase = table A again", f_syscall, 0, 0, 0x180, 8);
	check_eq((u64)MFC0(C0_EBASE) & 0x3ff, 0, "EBase.CPUNum = 0 on the boot CPU");
}

void bm_main(void)
{
	sb = segbits();
	check_true(sb >= 40 && sb <= 48, "SEGBITS probed through EntryHi is 40..48 (got %d)", sb);
	test_simple();
	test_overflow();
	test_trap();
	test_address_errors();
	test_delay_slots();
	test_refill();
	test_ebase();
}
