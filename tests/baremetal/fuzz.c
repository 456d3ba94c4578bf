// SPDX-License-Identifier: GPL-2.0
/*
 * A guest must not be able to crash the VMM: random instruction words in
 * user mode, random values written to CP0 registers followed by TLB
 * operations in kernel mode. Afterwards the machine must still work.
 * Deterministic (fixed seeds).
 */
#include "asm.h"

const char *bm_name = "fuzz";

void fuzz_user(u64 pc);

extern char __user_text[], __user_data[];
#define USER_VA		0x400000ULL
#define CODE_PA		0x01400000ULL

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void synci_range(u64 va, u64 len)
{
	u64 a;

	for (a = va; a < va + len; a += 32)
		asm volatile(".set push; .set mips64r2; synci 0(%0); .set pop" :: "r"(a) : "memory");
	asm volatile("sync" ::: "memory");
}

/*
 * A random instruction word, never sdbbp: under mvm.ko user words run on the
 * host CPU, and on QEMU's MIPS host sdbbp from any user process enters the
 * board's EJTAG debug vector and takes the host down (mvm or not).
 */
static u32 random_word(void)
{
	u32 w = (u32)rnd();

	if ((w >> 26) == 0x1c && (w & 0x3f) == 0x3f)	/* SPECIAL2 sdbbp */
		w ^= 0x3f ^ 0x0d;			/* -> a reserved SPECIAL2 word */
	return w;
}

/* User code page (physical CODE_PA at useg USER_VA): 8 random words, then syscall. */
static void test_user_words(void)
{
	int i, j, n = 4000;
	u32 *code = (u32 *)(uintptr_t)KSEG0(CODE_PA);

	tlb_write(0, USER_VA, ELO(CODE_PA, ELO_C(3) | ELO_V),
		  ELO(CODE_PA + 0x1000, ELO_C(3) | ELO_V | ELO_D), 0);
	DMTC0(C0_ENTRYHI, 0);
	MTC0(C0_HWRENA, 0xf | (1u << 29));
	for (i = 0; i < n; i++) {
		for (j = 0; j < 8; j++)
			code[j] = random_word();
		code[8] = 0;		/* a delay slot for a last branch */
		code[9] = 0x0000000c;	/* syscall */
		synci_range(KSEG0(CODE_PA), 64);
		exc_reset();
		exc_user_abort = true;
		fuzz_user(USER_VA);
		if ((u32)MFC0(C0_STATUS) & (ST_KSU_MASK | ST_EXL))
			break;
	}
	MTC0(C0_HWRENA, 0);
	check_eq(i, n, "%d blocks of 8 random words ran in user mode, each back in kernel mode", n);
	/* the machine still works: a known user program runs */
	code[0] = 0x24020007;	/* li v0, 7 */
	code[1] = 0x0000000c;	/* syscall */
	synci_range(KSEG0(CODE_PA), 8);
	exc_reset();
	check_eq(go_user(USER_VA, 0, 0), 7, "after the fuzzing a user program still runs");
}

/* dmtc0 v to (reg, sel) through generated code */
static void cp0_write(u32 reg, u32 sel, u64 v)
{
	u32 *code = (u32 *)(uintptr_t)KSEG0(CODE_PA + 0x2000);

	code[0] = 0x40a50000 | (reg << 11) | sel;	/* dmtc0 a1, reg, sel */
	code[1] = 0x000000c0;				/* ehb */
	code[2] = 0x03e00008;				/* jr ra */
	code[3] = 0;
	synci_range(KSEG0(CODE_PA + 0x2000), 16);
	call_hb2(KSEG0(CODE_PA + 0x2000), v);
}

/* Random dmtc0/dmfc0 to every CP0 number the runtime can live without, and TLB ops. */
static void test_cp0_writes(void)
{
	u32 *code = (u32 *)(uintptr_t)KSEG0(CODE_PA + 0x2000);
	u64 fn = KSEG0(CODE_PA + 0x2000);
	int i, n = 3000, skipped = 0;

	for (i = 0; i < n; i++) {
		u32 reg = (u32)rnd() % 32, sel = (u32)rnd() % 8, op = (u32)rnd() % 8;
		u64 v = rnd();

		/* Status, IntCtl, Cause, EBase, Config0, SRSCtl/SRSMap, Debug/DEPC, CMGCRBase */
		if ((reg == 12) || (reg == 13 && sel == 0) || (reg == 15 && sel != 0) ||
		    (reg == 16 && sel == 0) || reg == 23 || reg == 24) {
			skipped++;
			continue;
		}
		switch (op) {
		case 0: case 1: case 2:
			code[0] = 0x40a50000 | (reg << 11) | sel;	/* dmtc0 a1, reg, sel */
			break;
		case 3:
			code[0] = 0x40250000 | (reg << 11) | sel;	/* dmfc0 a1, reg, sel */
			break;
		case 4: code[0] = 0x42000002; break;			/* tlbwi */
		case 5: code[0] = 0x42000006; break;			/* tlbwr */
		case 6: code[0] = 0x42000008; break;			/* tlbp */
		default: code[0] = 0x42000001; break;			/* tlbr */
		}
		code[1] = 0x000000c0;					/* ehb */
		code[2] = 0x03e00008;					/* jr ra */
		code[3] = 0;
		synci_range(fn, 16);
		exc_reset();
		call_hb2(fn, v);
	}
	check_true(true, "%d random CP0 writes/reads and TLB operations (%d skipped): VMM alive",
		   n - skipped, skipped);
	/* back to a sane state; mapped memory must work again */
	for (i = 0; i < 8; i++) {
		cp0_write(18, i, 0);	/* WatchLo */
		cp0_write(19, i, 0);	/* WatchHi */
		cp0_write(25, i, 0);	/* PerfCtl/PerfCnt */
	}
	tlb_init();
	MTC0(C0_PAGEMASK, 0);
	MTC0(C0_WIRED, 0);
	MTC0(C0_HWRENA, 0);
	DMTC0(C0_ENTRYHI, 0);
	MTC0(C0_COMPARE, count_now() - 1);
	wr64(KSEG1(CODE_PA + 0x3000), 0x600dULL);
	tlb_write(5, XKSEG + 0x10000000ULL, ELO(CODE_PA + 0x3000, ELO_C(3) | ELO_V | ELO_G), ELO_G, 0);
	exc_reset();
	check_eq(rd64(XKSEG + 0x10000000ULL), 0x600d, "after the CP0 fuzzing the TLB maps again");
	if (!check_eq(exc_n, 0, "... without exceptions"))
		printf("# first: cause 0x%lx epc 0x%lx badvaddr 0x%lx\n", exc_log[0].cause,
		       exc_log[0].epc, exc_log[0].badvaddr);
}

void bm_main(void)
{
	printf("# seed 0x%lx\n", rng);
	test_user_words();
	test_cp0_writes();
}
