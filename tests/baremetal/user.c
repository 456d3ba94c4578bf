// SPDX-License-Identifier: GPL-2.0
/*
 * User mode: CP0 and privileged instructions raise CpU (CE = 0), COP1 CpU
 * (CE = 1), kernel and 64-bit addresses raise address errors depending on
 * UX, refills go to 0x000/0x080, rdhwr obeys HWREna.
 */
#include "asm.h"

const char *bm_name = "user";

extern char __user_text[], __user_data[];
#define USER_VA		0x400000ULL
#define UVA(sym)	(USER_VA + ((u64)(uintptr_t)(sym) - (u64)(uintptr_t)__user_text))

#define USNIP(name) extern char name[], name##_at[];
USNIP(u_plain) USNIP(u_data) USNIP(u_mfc0) USNIP(u_mtc0) USNIP(u_di) USNIP(u_eret)
USNIP(u_tlbwi) USNIP(u_cache) USNIP(u_wait) USNIP(u_cop1) USNIP(u_load) USNIP(u_store)
USNIP(u_fetch) USNIP(u_rdhwr0) USNIP(u_rdhwr1) USNIP(u_rdhwr2) USNIP(u_rdhwr3)
USNIP(u_rdhwr29) USNIP(u_break) USNIP(u_syscall) USNIP(u_load32) USNIP(u_count) USNIP(u_synci)

static void set_status(u32 clear, u32 set)
{
	MTC0(C0_STATUS, ((u32)MFC0(C0_STATUS) & ~clear) | set);
}

static void map_user(void)
{
	tlb_write(0, USER_VA, ELO(PHYS(__user_text), ELO_C(3) | ELO_V),
		  ELO(PHYS(__user_data), ELO_C(3) | ELO_V | ELO_D), 0);
	DMTC0(C0_ENTRYHI, 0);
}

static u64 run_user(const char *code, u64 a1, u64 a2)
{
	exc_reset();
	return go_user(UVA(code), a1, a2);
}

/* The last exception was the closing syscall, from user mode. */
static bool ended_by_syscall(const char *name, int idx)
{
	const struct exc_rec *r = &exc_log[idx];

	if (exc_n != idx + 1 || CA_EXC(r->cause) != 8 || (r->status & ST_KSU_MASK) != ST_KSU_USER)
		return check_true(false, "%s: ends with its user-mode syscall (%d exceptions, last code %d)",
				  name, exc_n, (int)CA_EXC(r->cause));
	return true;
}

/* user code `code` faults once with `exc` at vector `vec`, then reaches its syscall */
static void user_fault(const char *name, const char *code, const char *at, u64 a1, u64 a2,
		       int vec, int exc, int ce, bool badv)
{
	u64 v0 = run_user(code, a1, a2);

	if (!check_exc(0, vec, exc, name))
		return;
	check_eq(exc_log[0].epc, UVA(at), "%s: EPC = user address of the instruction", name);
	check_eq(exc_log[0].status & (ST_KSU_MASK | ST_EXL), ST_KSU_USER | ST_EXL,
		 "%s: Status.KSU = user, EXL = 1 in the handler", name);
	if (exc == 11)
		check_eq((exc_log[0].cause >> CA_CE_SHIFT) & 3, (u64)ce, "%s: Cause.CE = %d", name, ce);
	if (badv)
		check_eq(exc_log[0].badvaddr, a1, "%s: BadVAddr", name);
	if (ended_by_syscall(name, 1) && code != u_store)
		check_eq(v0, 0x1234, "%s: destination register not written", name);
}

static void test_basic(void)
{
	u64 v0 = run_user(u_plain, 0, 0);

	check_eq(v0, 7, "user code runs at useg 0x400000 and returns v0 through syscall");
	if (ended_by_syscall("user syscall", 0)) {
		check_eq(exc_log[0].vec, 0x180, "user syscall: vector 0x180");
		check_eq(exc_log[0].epc, UVA(u_plain) + 4, "user syscall: EPC");
		check_eq(exc_log[0].status & (ST_KSU_MASK | ST_EXL), ST_KSU_USER | ST_EXL,
			 "user syscall: Status.KSU = user, EXL = 1");
	}
	check_eq(MFC0(C0_STATUS) & (ST_KSU_MASK | ST_EXL), 0, "back in kernel mode");
	wr64((u64)(uintptr_t)__user_data, 41);
	v0 = run_user(u_data, 0, 0);
	check_eq(v0, 42, "user load from the data page (0x401000)");
	check_eq(rd64((u64)(uintptr_t)__user_data + 8), 42, "user store to the data page");
}

static void test_cpu(void)
{
	user_fault("user mfc0 -> CpU", u_mfc0, u_mfc0_at, 0, 0, 0x180, 11, 0, false);
	user_fault("user mtc0 -> CpU", u_mtc0, u_mtc0_at, 0, 0, 0x180, 11, 0, false);
	user_fault("user di -> CpU", u_di, u_di_at, 0, 0, 0x180, 11, 0, false);
	user_fault("user eret -> CpU", u_eret, u_eret_at, 0, 0, 0x180, 11, 0, false);
	user_fault("user tlbwi -> CpU", u_tlbwi, u_tlbwi_at, 0, 0, 0x180, 11, 0, false);
	user_fault("user cache -> CpU", u_cache, u_cache_at, USER_VA, 0, 0x180, 11, 0, false);
	user_fault("user wait -> CpU", u_wait, u_wait_at, 0, 0, 0x180, 11, 0, false);
	user_fault("user mfc1 -> CpU", u_cop1, u_cop1_at, 0, 0, 0x180, 11, 1, false);
	user_fault("user break -> Bp", u_break, u_break_at, 0, 0, 0x180, 9, 0, false);
	/* Status.CU0 = 1 gives user mode CP0 access */
	set_status(0, ST_CU0);
	exc_reset();
	check_eq(run_user(u_mfc0, 0, 0) & ST_KSU_MASK, ST_KSU_USER,
		 "user mfc0 Status with CU0 = 1 works and reads KSU = user");
	check_eq(exc_n, 1, "user mfc0 with CU0 = 1: no CpU");
	set_status(ST_CU0, 0);
}

static void test_addresses(void)
{
	user_fault("user load from ckseg0 -> AdEL", u_load, u_load_at, CKSEG0 + 0x100000, 0,
		   0x180, 4, 0, true);
	user_fault("user load from ckseg1 -> AdEL", u_load, u_load_at, CKSEG1 + 0x1000, 0,
		   0x180, 4, 0, true);
	user_fault("user load from kseg3 -> AdEL", u_load, u_load_at, CKSEG3 + 0x1000, 0,
		   0x180, 4, 0, true);
	user_fault("user load from xkphys -> AdEL", u_load, u_load_at, XKPHYS_CCA(3, 0x100000), 0,
		   0x180, 4, 0, true);
	user_fault("user load from xkseg -> AdEL", u_load, u_load_at, XKSEG + 0x1000, 0,
		   0x180, 4, 0, true);
	user_fault("user load from xsseg -> AdEL", u_load, u_load_at, XKSSEG + 0x1000, 0,
		   0x180, 4, 0, true);
	user_fault("user store to ckseg0 -> AdES", u_store, u_store_at, CKSEG0 + 0x100000, 1,
		   0x180, 5, 0, true);
	user_fault("user unaligned load -> AdEL", u_load, u_load_at, USER_VA + 0x1004, 0,
		   0x180, 4, 0, true);

	set_status(ST_UX, 0);
	user_fault("UX = 0: user ld (a 64-bit op) -> RI", u_load, u_load_at,
		   USER_VA + 0x1000, 0, 0x180, 10, 0, false);
	user_fault("UX = 0: user lw from 0x100000000 -> AdEL", u_load32, u_load32_at,
		   0x100000000ULL, 0, 0x180, 4, 0, true);
	user_fault("UX = 0: user lw from unmapped useg -> TLB refill at 0x000", u_load32, u_load32_at,
		   0x7000000ULL, 0, 0x000, 2, 0, true);
	user_fault("UX = 0: user store to unmapped useg -> TLB refill (TLBS) at 0x000", u_store,
		   u_store_at, 0x7000000ULL, 0, 0x000, 3, 0, true);
	set_status(0, ST_UX);
	user_fault("UX = 1: user load from 0x100000000 -> XTLB refill at 0x080", u_load, u_load_at,
		   0x100000000ULL, 0, 0x080, 2, 0, true);
	user_fault("UX = 1: user load from unmapped useg -> XTLB refill at 0x080", u_load,
		   u_load_at, 0x7000000ULL, 0, 0x080, 2, 0, true);

	/* fetch from a kernel address */
	exc_reset();
	exc_user_abort = true;
	go_user(UVA(u_fetch), CKSEG0 + 0x100000, 0);
	if (check_exc(0, 0x180, 4, "user jump to ckseg0 -> AdEL on fetch")) {
		check_eq(exc_log[0].epc, CKSEG0 + 0x100000, "user fetch AdEL: EPC = target");
		check_eq(exc_log[0].badvaddr, CKSEG0 + 0x100000, "user fetch AdEL: BadVAddr = target");
	}
	check_eq(MFC0(C0_STATUS) & ST_KSU_MASK, 0, "back in kernel mode after the abort");
}

static u64 kernel_rdhwr29(void)
{
	u64 v;

	asm volatile(".set push; .set mips64r2; rdhwr %0, $29; .set pop" : "=r"(v));
	return v;
}

static void test_rdhwr(void)
{
	u32 c0, c1;
	u64 v;

	bool ulri = check_true((MFC0(C0_CONFIG3) >> 13) & 1, "Config3.ULRI = 1 (UserLocal implemented)");

	MTC0(C0_HWRENA, 0);
	user_fault("user rdhwr $29 with HWREna.29 = 0 -> RI", u_rdhwr29, u_rdhwr29_at, 0, 0,
		   0x180, 10, 0, false);
	user_fault("user rdhwr $2 (CC) with HWREna.2 = 0 -> RI", u_rdhwr2, u_rdhwr2_at, 0, 0,
		   0x180, 10, 0, false);
	user_fault("user rdhwr $0 with HWREna.0 = 0 -> RI", u_rdhwr0, u_rdhwr0_at, 0, 0,
		   0x180, 10, 0, false);
	MTC0(C0_HWRENA, 1u << 29);
	check_eq(MFC0(C0_HWRENA), 1u << 29, "HWREna round trip (bit 29)");
	if (ulri) {
		DMTC0(C0_USERLOCAL, 0x1122334455667788ULL);
		check_eq(DMFC0(C0_USERLOCAL), 0x1122334455667788ULL, "UserLocal 64-bit round trip");
		v = run_user(u_rdhwr29, 0, 0);
		check_eq(v, 0x1122334455667788ULL, "user rdhwr $29 with HWREna.29 = 1 reads UserLocal");
		check_eq(exc_n, 1, "user rdhwr $29: no exception");
		MTC0(C0_HWRENA, 0);
		check_eq(kernel_rdhwr29(), 0x1122334455667788ULL,
			 "kernel rdhwr $29 works with HWREna = 0");
		MTC0(C0_HWRENA, 1u << 29);
	}
	user_fault("user rdhwr $2 with only HWREna.29 -> RI", u_rdhwr2, u_rdhwr2_at, 0, 0,
		   0x180, 10, 0, false);
	MTC0(C0_HWRENA, 0xf | (1u << 29));
	c0 = count_now();
	v = run_user(u_rdhwr2, 0, 0);
	c1 = count_now();
	check_true((u32)v - c0 <= c1 - c0, "user rdhwr $2 reads Count (0x%x <= 0x%x <= 0x%x)",
		   c0, (u32)v, c1);
	check_eq(run_user(u_rdhwr0, 0, 0), 0, "user rdhwr $0 (CPUNum) = 0");
	v = run_user(u_rdhwr1, 0, 0);
	check_true(v >= 4 && v <= 256 && !(v & (v - 1)), "user rdhwr $1 (SYNCI_Step) = %d", (int)v);
	v = run_user(u_rdhwr3, 0, 0);
	check_true(v == 1 || v == 2, "user rdhwr $3 (CCRes) = %d", (int)v);
	MTC0(C0_HWRENA, 0);
}

#define CODE_PA		0x01400000ULL

/* Supervisor mode: suseg, sseg and xsseg (with SX) only. */
static void super_load(const char *name, u64 addr, int vec, int code, u64 expect)
{
	u64 v;

	exc_reset();
	v = go_super(UVA(u_load), addr, 0);
	if (code < 0) {
		if (check_eq(exc_n, 1, "%s: no fault", name))
			check_eq(v, expect, "%s: value", name);
		check_eq(exc_log[0].status & ST_KSU_MASK, 0x08, "%s: ran with KSU = supervisor", name);
		return;
	}
	if (check_exc(0, vec, code, name))
		check_eq(exc_log[0].status & ST_KSU_MASK, 0x08, "%s: Status.KSU = supervisor", name);
}

static void test_supervisor(void)
{
	u64 magic = 0x5005005005ULL;

	wr64((u64)(uintptr_t)__user_data + 0x30, magic);
	tlb_write(2, 0xffffffffc0000000ULL & (0xc000000000000000ULL | ((1ULL << segbits()) - 1)), ELO_G,
		  ELO(PHYS(__user_data), ELO_C(3) | ELO_V | ELO_G), 0);
	tlb_write(3, XKSSEG, ELO_G, ELO(PHYS(__user_data), ELO_C(3) | ELO_V | ELO_G), 0);
	super_load("supervisor load from useg", USER_VA + 0x1030, 0, -1, magic);
	super_load("supervisor load from sseg (mapped)", 0xffffffffc0001030ULL, 0, -1, magic);
	super_load("supervisor load from xsseg with SX = 1", XKSSEG + 0x1030, 0, -1, magic);
	super_load("supervisor load from ckseg0 -> AdEL", CKSEG0 + 0x100000, 0x180, 4, 0);
	super_load("supervisor load from xkseg -> AdEL", XKSEG + 0x1000, 0x180, 4, 0);
	exc_reset();
	go_super(UVA(u_mfc0), 0, 0);
	check_exc(0, 0x180, 11, "supervisor mfc0 -> CpU");
	set_status(ST_SX, 0);
	super_load("SX = 0: supervisor ld (a 64-bit op) -> RI", USER_VA + 0x1030, 0x180, 10, 0);
	exc_reset();
	go_super(UVA(u_load32), XKSSEG + 0x1030, 0);
	check_exc(0, 0x180, 4, "SX = 0: supervisor lw from xsseg -> AdEL");
	set_status(0, ST_SX);
	tlb_invalidate(2);
	tlb_invalidate(3);
}
#define COUNT_TICKS	20000		/* timer period: 200 us at 100 MHz */

static volatile int ticks, user_ticks;

/*
 * Compare = Count + period, with a longer period until at least half of it
 * lies ahead once written, and kept for the next ticks: on a slow host (the
 * interpreter inside the QEMU MIPS host, patched code whose CP0 accesses
 * leave it) a match that passes before the write is lost, as on any CPU,
 * and a period shorter than the handler leaves no time for the loop.
 */
static u32 period = COUNT_TICKS;

static void timer_rearm(void)
{
	u32 cmp;

	for (;;) {
		cmp = count_now() + period;
		MTC0(C0_COMPARE, cmp);
		if ((int)(count_now() - cmp) < -(int)(period / 2))
			return;
		period *= 2;
	}
}

static bool tick_hook(struct frame *f, u64 cause)
{
	u32 c0 = count_now();

	(void)f;
	if (CA_EXC(cause) != 0)
		return false;
	ticks++;
	if ((u32)MFC0(C0_STATUS) & ST_KSU_MASK)
		user_ticks++;
	timer_rearm();
	/*
	 * A period within 4x of the handler's own time leaves the loop none
	 * (and a handler slower than the period never returns to it); the
	 * loops below repeat until a tick lands in them, however long it is.
	 */
	if ((u32)(count_now() - c0) > period / 4 && period < (1u << 30))
		period *= 2;
	return true;
}

#define LOOP_ROUNDS_MAX	64

/* Timer interrupts every 200 us must not disturb a loop with work in its delay slot. */
static void test_interrupted(void)
{
	u64 n = 3000000, v;
	int round, bad = -1;

	exc_reset();
	ticks = user_ticks = 0;
	exc_hook = tick_hook;
	timer_rearm();
	MTC0(C0_STATUS, ((u32)MFC0(C0_STATUS) & ~ST_IM_ALL) | ST_IM(7) | ST_IE);
	/* the period adapts to the host: repeat until ticks land in the loop */
	for (round = 0; round < LOOP_ROUNDS_MAX && (!ticks || !round); round++)
		if ((v = f_count(n, 0)) != n && bad < 0)
			bad = round;
	check_eq((u64)bad, (u64)-1, "kernel loop under timer interrupts: result exact");
	check_true(ticks > 0, "kernel loop: %d interrupts taken in %d rounds", ticks, round);
	ticks = 0;
	bad = -1;
	for (round = 0; round < LOOP_ROUNDS_MAX && (!user_ticks || !round); round++)
		if ((v = go_user(UVA(u_count), n, 0)) != n && bad < 0)
			bad = round;
	check_eq((u64)bad, (u64)-1, "user loop under timer interrupts: result exact");
	check_true(user_ticks > 0, "user loop: %d interrupts taken in user mode in %d rounds",
		   user_ticks, round);
	MTC0(C0_STATUS, (u32)MFC0(C0_STATUS) & ~(ST_IM_ALL | ST_IE));
	MTC0(C0_COMPARE, count_now() - 1);
	exc_hook = NULL;
}

/* Two address spaces: the same user VA holds different code under two ASIDs. */
static void test_asids(void)
{
	u64 i, off = UVA(u_plain) - USER_VA;
	int bad = -1;

	for (i = 0; i < 4096; i += 4)
		wr32(KSEG0(CODE_PA + i), rd32((u64)(uintptr_t)__user_text + i));
	wr32(KSEG0(CODE_PA + off), 0x24020008);		/* li v0, 8 instead of 7 */
	asm volatile("synci 0(%0); sync" :: "r"(KSEG0(CODE_PA + off)) : "memory");
	tlb_write(0, USER_VA | 1, ELO(PHYS(__user_text), ELO_C(3) | ELO_V),
		  ELO(PHYS(__user_data), ELO_C(3) | ELO_V | ELO_D), 0);
	tlb_write(1, USER_VA | 2, ELO(CODE_PA, ELO_C(3) | ELO_V),
		  ELO(PHYS(__user_data), ELO_C(3) | ELO_V | ELO_D), 0);
	for (i = 0; i < 40; i++) {
		u64 asid = 1 + (i & 1);

		DMTC0(C0_ENTRYHI, asid);
		if (run_user(u_plain, 0, 0) != 6 + asid) {
			bad = (int)i;
			break;
		}
	}
	check_eq((u64)bad, (u64)-1, "same user VA, ASID 1 and 2 alternating: each runs its own code");
	/* replace ASID 1's page under the same VA and ASID (like exec) */
	DMTC0(C0_ENTRYHI, 1);
	run_user(u_plain, 0, 0);
	tlb_write(0, USER_VA | 1, ELO(CODE_PA, ELO_C(3) | ELO_V),
		  ELO(PHYS(__user_data), ELO_C(3) | ELO_V | ELO_D), 0);
	DMTC0(C0_ENTRYHI, 1);
	check_eq(run_user(u_plain, 0, 0), 8, "tlbwi replaces the user code page: new code runs");
	/* unmapped: the user fetch faults instead of running stale code */
	tlb_invalidate(0);
	tlb_invalidate(1);
	DMTC0(C0_ENTRYHI, 1);
	exc_reset();
	exc_user_abort = true;
	go_user(UVA(u_plain), 0, 0);
	check_exc(0, 0x080, 2, "user code page unmapped: fetch raises XTLB refill");
	DMTC0(C0_ENTRYHI, 0);
	map_user();
}

void bm_main(void)
{
	map_user();
	test_basic();
	test_cpu();
	test_addresses();
	test_rdhwr();
	test_interrupted();
	test_asids();
	test_supervisor();
	check_eq(run_user(u_synci, USER_VA, 0), 5, "user synci on its own code page works");
	check_eq(exc_n, 1, "user synci: no exception");
}
