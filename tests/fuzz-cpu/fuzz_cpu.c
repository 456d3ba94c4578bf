// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over the whole CPU core: the input is a machine state
 * (CP0 registers, GPRs, TLB entries) and a few hundred bytes of guest code,
 * which run on a reset vCPU for a bounded budget; then the harness checks
 * the core's invariants (see check_state()). ASan/UBSan and the guard
 * regions around guest RAM catch any host access outside guest memory.
 *
 * Input (little-endian, struct fuzz_input; missing bytes are zero), then
 * kwords kernel code words, uwords user code words, hwords handler words.
 *
 * Guest physical memory (1 MiB, or 516 MiB reaching over the MMIO window;
 * the first MiB is BREAKs but for what follows, the rest zeroes):
 *   0x00000  exception vectors (also at EBase when it is elsewhere in RAM):
 *            each counts down an exception budget at 0x3000 and stops the
 *            run (Status = 0; WAIT) when it is spent, otherwise runs the
 *            input's handler words or "EPC += 4; ERET"
 *   0x10000  kernel code, entered at KSEG0 + 0x10000, then "Status = 0;
 *            WAIT" (the run ends when the code falls off its end)
 *   0x20000  user code: TLB entry 0 maps user_va's page pair to 0x20000
 *            and 0x21000 (unless flag NO_USER_MAP); entered at user_va
 *   0x40000  data the registers point at
 * Kept in sync with tests/fuzz-cpu/make-seeds.py.
 */
#include <string.h>

#include "common.h"
#include "cpu_debug.h"
#include "decode.h"

#define RAM_SMALL	(1ull << 20)
#define RAM_BIG		(BUS_MMIO_START + (4ull << 20))
#define KCODE_PA	0x10000ull
#define UCODE_PA	0x20000ull
#define DATA_PA		0x40000ull
#define EXC_BUDGET_PA	0x3000ull
#define EXC_BUDGET	400
#define INSN_BUDGET	30000
#define MAX_CODE_WORDS	255
#define MAX_HANDLER_WORDS 20

enum {
	F_USER_START = 1 << 0,	/* start at user_va instead of the kernel code */
	F_BIG_RAM = 1 << 1,	/* RAM above the MMIO window too */
	F_HANDLERS = 1 << 2,	/* the vectors run the input's handler words */
	F_RAW_EBASE = 1 << 3,	/* EBase as given, else folded into RAM */
	F_NO_USER_MAP = 1 << 4,	/* no harness mapping of the user code */
	F_RAW_PFN = 1 << 5,	/* TLB entries' PFNs as given, else folded into RAM */
	F_TIMER_SOON = 1 << 6,	/* Compare = Count + compare % 8192: within budget */
	F_BEV = 1 << 7,		/* keep Status.BEV: its vectors are not RAM, so any
				 * exception becomes a (slow) exception storm */
};

struct fuzz_tlb {
	uint64_t entryhi;
	uint32_t pagemask, lo0, lo1, index;
} __attribute__((packed));

struct fuzz_input {
	uint8_t flags, kwords, uwords, hwords;
	uint32_t status, ebase, pagemask, hwrena, compare, cause, wired_index;
	uint64_t entryhi, epc, errorepc, user_va, context;
	uint64_t regs[8];
	struct fuzz_tlb tlb[4];
} __attribute__((packed));

_Static_assert(sizeof(struct fuzz_input) == 232, "make-seeds.py knows this layout");

static const uint64_t vector_offsets[] = { 0x000, 0x080, 0x100, 0x180, 0x200 };

/*
 * One vector: count down the exception budget, stop when it is spent,
 * else the handler. 32 words at most (vectors are 0x80 apart).
 */
static void write_vector(uint8_t *p, const uint32_t *handler, unsigned int hwords)
{
	uint32_t w[32];
	unsigned int n = 0;

	memset(w, 0, sizeof(w));
	w[n++] = ENC_LUI(26, 0x8000);			/* k0 = KSEG0 */
	w[n++] = ENC_LD(27, 26, EXC_BUDGET_PA);
	w[n++] = ENC_DADDIU(27, 27, 0xffff);		/* k1 -= 1 */
	w[n++] = ENC_SD(27, 26, EXC_BUDGET_PA);
	w[n++] = ENC_BLTZ(27, 28 - 5);			/* spent: to word 28 */
	w[n++] = ENC_NOP;
	if (handler) {
		for (unsigned int i = 0; i < hwords && n < 28; i++)
			w[n++] = handler[i];
	} else {
		w[n++] = ENC_DMFC0(26, 14);		/* EPC */
		w[n++] = ENC_DADDIU(26, 26, 4);
		w[n++] = ENC_DMTC0(26, 14);
		w[n++] = ENC_EHB;
		w[n++] = ENC_ERET;
	}
	w[28] = ENC_MTC0(0, 12);			/* Status = 0: IM = 0 */
	w[29] = ENC_EHB;
	w[30] = ENC_WAIT;				/* CPU_EXIT_POWEROFF */
	w[31] = ENC_BEQ(0, 0, 0xffff);			/* not reached */
	memcpy(p, w, sizeof(w));
}

static void write_vectors(struct bus *bus, uint64_t base_pa, const uint32_t *handler,
			  unsigned int hwords)
{
	for (size_t i = 0; i < sizeof(vector_offsets) / sizeof(vector_offsets[0]); i++) {
		uint64_t pa = base_pa + vector_offsets[i];

		if (bus__is_ram(bus, pa, 128))
			write_vector(bus->ram + pa, handler, hwords);
	}
}

/* What a TLBWI of these values would do, through the CPU's own CP0 writes. */
static void set_tlb(struct cpu *cpu, unsigned int index, uint64_t hi, uint64_t mask,
		    uint64_t lo0, uint64_t lo1)
{
	cp0__write(cpu, CP0_PAGEMASK, 0, mask);
	cp0__write(cpu, CP0_ENTRYHI, 0, hi);
	cp0__write(cpu, CP0_ENTRYLO0, 0, lo0);
	cp0__write(cpu, CP0_ENTRYLO1, 0, lo1);
	tlb__write(cpu, (int)(index & (CPU_TLB_ENTRIES - 1)));
}

static uint64_t fold_pfn(uint64_t lo, uint64_t ram_size)
{
	uint64_t pfn = (lo >> 6) & ((ram_size >> 12) - 1);

	return (lo & 0x3f) | pfn << 6;
}

static uint64_t vector_base(const struct cpu *cpu)
{
	if (cpu->cp0.status & ST_BEV)
		return 0xffffffffbfc00200ull;
	return cpu->cp0.ebase & ~0xfffull;
}

/* ---- invariants ---------------------------------------------------------- */

#define ENTRYHI_OK_BITS	((3ull << 62) | (((1ull << CPU_SEGBITS) - 1) & ~0x1fffull) | 0xffull)

static void check_soft_tlb(struct cpu *cpu)
{
	struct bus *bus = cpu->bus;
	int saved_mode = cpu->mode;

	for (int m = 0; m < MODE_KINDS; m++) {
		cpu->mode = m;
		for (int a = 0; a < ACCESS_KINDS; a++) {
			for (unsigned int i = 0; i < SOFT_TLB_SIZE; i++) {
				const struct soft_tlb_entry *e = &cpu->stlb[m][a][i];
				uintptr_t host;
				uint64_t pa, va = e->tag;
				bool soft_ok;
				enum translate_result r;

				if (va & 1)
					continue;	/* empty */
				host = (uintptr_t)(va + e->addend);
				fuzz_check((va & 0xfff) == 0 &&
					   ((va >> PAGE_SHIFT) & (SOFT_TLB_SIZE - 1)) == i,
					   "soft TLB [%d][%d][%u] tag %#llx", m, a, i,
					   (unsigned long long)va);
				fuzz_check(host >= (uintptr_t)bus->ram &&
					   host - (uintptr_t)bus->ram < bus->ram_size &&
					   bus__is_ram(bus, host - (uintptr_t)bus->ram, PAGE_SIZE),
					   "soft TLB [%d][%d] maps va %#llx outside guest RAM",
					   m, a, (unsigned long long)va);
				r = tlb__translate(cpu, va, a, &pa, &soft_ok);
				fuzz_check(r == TR_OK && soft_ok &&
					   pa == host - (uintptr_t)bus->ram,
					   "stale soft TLB: mode %d access %d va %#llx -> pa %#llx, "
					   "but the TLB says %d / pa %#llx (status %#llx entryhi %#llx)",
					   m, a, (unsigned long long)va,
					   (unsigned long long)(host - (uintptr_t)bus->ram), r,
					   (unsigned long long)(r == TR_OK ? pa : 0),
					   (unsigned long long)cpu->cp0.status,
					   (unsigned long long)cpu->cp0.entryhi);
				if (a == ACCESS_STORE)
					fuzz_check(!code_cache__is_code(bus->code, pa),
						   "soft TLB store entry for va %#llx bypasses "
						   "the code page at pa %#llx",
						   (unsigned long long)va, (unsigned long long)pa);
			}
		}
	}
	cpu->mode = saved_mode;
}

static bool tlb_holds_entryhi(const struct cpu *cpu, uint64_t hi)
{
	for (int i = 0; i < CPU_TLB_ENTRIES; i++)
		if (cpu->tlb[i].entryhi == hi)
			return true;
	return false;
}

static void check_state(struct cpu *cpu, enum cpu_exit why)
{
	const struct cp0 *c = &cpu->cp0;
	uint64_t st = c->status;
	int mode;

	fuzz_check(cpu->gpr[0] == 0, "$0 = %#llx", (unsigned long long)cpu->gpr[0]);
	fuzz_check(why == CPU_EXIT_KICK || why == CPU_EXIT_POWEROFF || why == CPU_EXIT_HALT,
		   "cpu__run returned %d", why);
	if (why == CPU_EXIT_POWEROFF)
		fuzz_check(cpu->in_wait && !(st & ST_IM), "POWEROFF without WAIT and IM = 0");
	if (why == CPU_EXIT_HALT)
		fuzz_check(cpu->halted && cpu->halt_reason, "HALT without a reason");

	/* The cached mode is what Status says. */
	if (st & (ST_EXL | ST_ERL))
		mode = MODE_KERNEL;
	else
		mode = ((st & ST_KSU) >> ST_KSU_SHIFT) == 0 ? MODE_KERNEL :
		       ((st & ST_KSU) >> ST_KSU_SHIFT) == 1 ? MODE_SUPERVISOR : MODE_USER;
	fuzz_check(cpu->mode == mode, "mode %d but Status %#llx", cpu->mode,
		   (unsigned long long)st);
	fuzz_check(cpu->ops64 == (mode == MODE_KERNEL ||
				  (mode == MODE_SUPERVISOR && (st & ST_SX)) ||
				  (mode == MODE_USER && (st & ST_UX))),
		   "ops64 %d but Status %#llx", cpu->ops64, (unsigned long long)st);

	/* CP0 registers hold only bits that exist. */
	fuzz_check(c->wired < CPU_TLB_ENTRIES, "Wired %llu", (unsigned long long)c->wired);
	fuzz_check((c->index & ~(0x80000000ull | (CPU_TLB_ENTRIES - 1))) == 0,
		   "Index %#llx", (unsigned long long)c->index);
	fuzz_check((c->pagemask & ~0x1fffe000ull) == 0, "PageMask %#llx",
		   (unsigned long long)c->pagemask);
	/* (TLBR of a never-written entry reads back its KSEG0 placeholder) */
	fuzz_check((c->entryhi & ~ENTRYHI_OK_BITS) == 0 || tlb_holds_entryhi(cpu, c->entryhi),
		   "EntryHi %#llx", (unsigned long long)c->entryhi);
	fuzz_check((c->ebase & 0xffffffffc0000000ull) == 0xffffffff80000000ull,
		   "EBase %#llx", (unsigned long long)c->ebase);
	fuzz_check((c->entrylo[0] | c->entrylo[1]) >> 30 == 0, "EntryLo %#llx %#llx",
		   (unsigned long long)c->entrylo[0], (unsigned long long)c->entrylo[1]);

	/* TLB entries are what TLBWI makes of these registers. */
	for (int i = 0; i < CPU_TLB_ENTRIES; i++) {
		struct tlb_entry e = cpu->tlb[i];

		fuzz_check((e.entryhi & e.pagemask) == 0 && (e.pagemask & ~0x1fffe000ull) == 0,
			   "TLB %d: entryhi %#llx pagemask %#llx", i,
			   (unsigned long long)e.entryhi, (unsigned long long)e.pagemask);
		tlb__recompute(&e);
		fuzz_check(e.cmp_mask == cpu->tlb[i].cmp_mask && e.global == cpu->tlb[i].global,
			   "TLB %d: stale cmp_mask/global", i);
	}

	/* An exception just taken leaves the PC at a vector. */
	if (why != CPU_EXIT_POWEROFF && cpu->exception && !cpu->halted) {
		uint64_t off = cpu->pc - vector_base(cpu);

		fuzz_check(off == 0x000 || off == 0x080 || off == 0x180 || off == 0x200,
			   "exception left pc at %#llx (vector base %#llx)",
			   (unsigned long long)cpu->pc, (unsigned long long)vector_base(cpu));
	}
	check_soft_tlb(cpu);
}

/* ---- one run ------------------------------------------------------------- */

struct outcome {
	uint64_t gpr[32], pc, hi, lo, status, cause, epc, badvaddr, entryhi, insns, excs;
	enum cpu_exit why;
};

static void run_input(const uint8_t *data, size_t size, struct outcome *out,
		      const struct cpu_debug_points *points)
{
	struct cpu_debug debug = { .points = points };
	struct fuzz_input in;
	uint32_t words[MAX_CODE_WORDS * 2 + MAX_HANDLER_WORDS];
	size_t code_bytes = size > sizeof(in) ? size - sizeof(in) : 0;
	unsigned int kwords, uwords, hwords;
	const uint32_t *kcode = words, *ucode, *hcode;
	struct fuzz_budget budget = {
		.insns = INSN_BUDGET, .sleeps = 64, .clock_calls = 20000,
		/* an exception storm ends sooner, but with F_BEV in the core's way */
		.exceptions = (size && (data[0] & F_BEV)) ? ~0ull : 100000,
	};
	uint64_t user_va, ebase_pa, insns, excs;
	struct bus *bus;
	struct cpu *cpu;
	enum cpu_exit why;

	memset(&in, 0, sizeof(in));
	memcpy(&in, data, size < sizeof(in) ? size : sizeof(in));
	memset(words, 0, sizeof(words));
	if (code_bytes)
		memcpy(words, data + sizeof(in),
		       code_bytes < sizeof(words) ? code_bytes : sizeof(words));
	kwords = in.kwords;
	uwords = in.uwords;
	hwords = in.hwords % (MAX_HANDLER_WORDS + 1);
	ucode = kcode + kwords;
	hcode = ucode + uwords;

	cpu = fuzz_vcpu_get((in.flags & F_BIG_RAM) ? RAM_BIG : RAM_SMALL, KSEG0 + KCODE_PA,
			    ENC_BREAK);
	bus = cpu->bus;
	insns = cpu->insn_count;
	excs = cpu->exc_count;

	/*
	 * Memory. BREAKs all over the first MiB: a stray jump soon spends the
	 * exception budget instead of sliding through RAM; the kernel code
	 * ends the run when it falls off its end.
	 */
	memcpy(bus->ram + KCODE_PA, kcode, 4 * kwords);
	put32(bus->ram + KCODE_PA + 4 * kwords, ENC_MTC0(0, 12));
	put32(bus->ram + KCODE_PA + 4 * kwords + 4, ENC_EHB);
	put32(bus->ram + KCODE_PA + 4 * kwords + 8, ENC_WAIT);
	user_va = in.user_va & 0xfffffffffcull;
	memcpy(bus->ram + UCODE_PA + (user_va & 0x1ffc), ucode, 4 * uwords);
	for (unsigned int i = 0; i < 0x1000; i += 8)
		memcpy(bus->ram + DATA_PA + i, &in.regs[(i / 8) % 8], 8);
	{
		uint64_t budget_left = EXC_BUDGET;

		memcpy(bus->ram + EXC_BUDGET_PA, &budget_left, 8);
	}
	write_vectors(bus, 0, (in.flags & F_HANDLERS) ? hcode : NULL, hwords);

	/* The TLB: the user code's mapping, then the input's entries. */
	if (!(in.flags & F_NO_USER_MAP))
		set_tlb(cpu, 0, (user_va & ~0x1fffull) | (in.entryhi & 0xff), 0,
			(UCODE_PA >> 12) << 6 | 0x1f, ((UCODE_PA + 0x1000) >> 12) << 6 | 0x1f);
	for (int i = 0; i < 4; i++) {
		const struct fuzz_tlb *t = &in.tlb[i];
		uint64_t lo0 = t->lo0, lo1 = t->lo1;

		if (!(t->index & 0x100))
			continue;	/* entry not used */
		if (!(in.flags & F_RAW_PFN)) {
			lo0 = fold_pfn(lo0, bus->ram_size);
			lo1 = fold_pfn(lo1, bus->ram_size);
		}
		set_tlb(cpu, t->index, t->entryhi, t->pagemask, lo0, lo1);
	}

	/* CP0, through the CPU's own register writes (writable bits only). */
	cp0__write(cpu, CP0_WIRED, 0, in.wired_index & 0xff);
	cp0__write(cpu, CP0_INDEX, 0, (in.wired_index >> 8) & 0xff);
	cp0__write(cpu, CP0_PAGEMASK, 0, in.pagemask);
	cp0__write(cpu, CP0_ENTRYHI, 0, in.entryhi);
	cp0__write(cpu, CP0_HWRENA, 0, in.hwrena);
	cp0__write(cpu, CP0_CONTEXT, 0, in.context);
	cp0__write(cpu, CP0_XCONTEXT, 0, in.context);
	cp0__write(cpu, CP0_EPC, 0, in.epc);
	cp0__write(cpu, CP0_ERROREPC, 0, in.errorepc);
	cp0__write(cpu, CP0_CAUSE, 0, in.cause);
	if (in.flags & F_RAW_EBASE)
		cp0__write(cpu, CP0_PRID, 1, in.ebase);
	else
		cp0__write(cpu, CP0_PRID, 1, in.ebase & 0xff000);
	ebase_pa = cpu->cp0.ebase & 0x1ffff000ull;
	if (ebase_pa)
		write_vectors(bus, ebase_pa, (in.flags & F_HANDLERS) ? hcode : NULL, hwords);
	if (in.flags & F_TIMER_SOON)
		cp0__write(cpu, CP0_COMPARE, 0, cpu__count(cpu) + (in.compare & 0x1fff));
	else
		cp0__write(cpu, CP0_COMPARE, 0, in.compare);
	cp0__write(cpu, CP0_STATUS, 0, (in.flags & F_BEV) ? in.status : in.status & ~ST_BEV);

	/* Registers: the input's eight, and pointers to everything of interest. */
	for (int i = 1; i <= 8; i++)
		cpu->gpr[i] = in.regs[i - 1];
	cpu->gpr[9] = KSEG0 + DATA_PA;
	cpu->gpr[10] = KSEG0 + DATA_PA + 1;
	cpu->gpr[11] = user_va;
	cpu->gpr[12] = user_va + 0x1000;
	cpu->gpr[13] = KSEG1 + DATA_PA;
	cpu->gpr[14] = XKPHYS_CACHED + DATA_PA;
	cpu->gpr[15] = KSEG1 + FUZZ_MMIO_BASE;
	cpu->gpr[16] = KSEG0 + KCODE_PA;
	cpu->gpr[17] = KSEG0;
	cpu->gpr[18] = KSEG1 + 0x1fc00000ull;
	cpu->gpr[19] = 0xffffffffc0000000ull;		/* sseg */
	cpu->gpr[20] = 0x4000000000000000ull;		/* xsseg */
	cpu->gpr[21] = 0xc000000000000000ull;		/* xkseg */
	cpu->gpr[22] = KSEG0 + bus->ram_size - 8;	/* the end of RAM */
	cpu->gpr[23] = KSEG1 + BUS_MMIO_START - 4;
	cpu->gpr[24] = 0x7ffffffcull;
	cpu->gpr[25] = in.regs[0] ^ in.regs[1];
	cpu->gpr[26] = cpu->gpr[27] = 0;
	cpu->gpr[28] = DATA_PA + 0x800;			/* useg, unmapped under ERL */
	cpu->gpr[29] = KSEG0 + DATA_PA + 0xff0;
	cpu->gpr[30] = in.regs[2] + in.regs[3];
	cpu->gpr[31] = KSEG0 + KCODE_PA + 0x40;
	cpu->hi = in.regs[4];
	cpu->lo = in.regs[5];
	cpu->pc = (in.flags & F_USER_START) ? user_va : KSEG0 + KCODE_PA;
	code_cache__invalidate(bus, 0, bus->ram_size);
	/* Device interrupt lines IP2..IP6: Cause bits 14:10 of the input. */
	for (int ip = 2; ip <= 6; ip++)
		if (in.cause & (1u << (CAUSE_IP_SHIFT + ip)))
			cpu__set_irq(cpu, ip, true);

	cpu->debug = points ? &debug : NULL;
	why = fuzz_run(cpu, &budget);
	cpu->debug = NULL;
	if (getenv("FUZZ_CPU_VERBOSE"))
		fprintf(stderr, "fuzz-cpu: exit %d%s%s, %llu insns, %llu exceptions, pc %#llx, "
			"status %#llx, cause %#llx\n", why, cpu->halted ? ": " : "",
			cpu->halted ? cpu->halt_reason : "",
			(unsigned long long)(cpu->insn_count - insns),
			(unsigned long long)(cpu->exc_count - excs), (unsigned long long)cpu->pc,
			(unsigned long long)cpu->cp0.status, (unsigned long long)cpu->cp0.cause);
	check_state(cpu, why);

	memcpy(out->gpr, cpu->gpr, sizeof(out->gpr));
	out->pc = cpu->pc;
	out->hi = cpu->hi;
	out->lo = cpu->lo;
	out->status = cpu->cp0.status;
	out->cause = cpu->cp0.cause;
	out->epc = cpu->cp0.epc;
	out->badvaddr = cpu->cp0.badvaddr;
	out->entryhi = cpu->cp0.entryhi;
	out->insns = cpu->insn_count - insns;
	out->excs = cpu->exc_count - excs;
	out->why = why;
}

/*
 * Bit 16 of wired_index: run the input again under a debugger that sets
 * breakpoints and watchpoints (from bits 20-31) and steps past each stop;
 * when both runs end by themselves (POWEROFF) without interrupts, whose
 * timing polls decide, the guest must not have noticed the debugger.
 */
static bool debug_points(const uint8_t *data, size_t size, struct cpu_debug_points *p)
{
	struct fuzz_input in;
	uint32_t sel;

	memset(&in, 0, sizeof(in));
	memcpy(&in, data, size < sizeof(in) ? size : sizeof(in));
	if (!(in.wired_index & (1u << 16)))
		return false;
	sel = in.wired_index >> 20;
	memset(p, 0, sizeof(*p));
	p->breakpoints[p->nr_breakpoints++] = KSEG0 + KCODE_PA + 4 * (sel & 0x3f);
	p->breakpoints[p->nr_breakpoints++] = KSEG0 + KCODE_PA + 4 * ((sel >> 6) & 0x3f) + 0x100;
	if (p->breakpoints[0] == p->breakpoints[1])
		p->nr_breakpoints = 1;
	p->watchpoints[p->nr_watchpoints++] = (struct cpu_watchpoint){
		.addr = KSEG0 + DATA_PA + 8 * (sel & 7), .len = 1 + (sel & 15),
		.kind = (enum cpu_watch_kind)(1 + ((sel >> 4) % 3)),
	};
	p->watchpoints[p->nr_watchpoints++] = (struct cpu_watchpoint){
		.addr = (in.user_va & 0xfffffffffcull) + 0x1000 + (sel & 0xff8), .len = 8,
		.kind = WATCH_ACCESS,
	};
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int twice = -1;
	static struct cpu_debug_points points;
	struct outcome a, b;
	bool debug;

	if (twice < 0)
		twice = getenv("FUZZ_CPU_TWICE") != NULL;
	debug = debug_points(data, size, &points);
	/*
	 * Count must not depend on how often the (debugged) run loop polls, nor
	 * on insn_count, which steps and blocks count differently.
	 */
	fuzz_clock_ns_per_call = debug ? 0 : 10;
	fuzz_clock_ns_per_insn = debug ? 0 : 5;
	memset(&a, 0, sizeof(a));
	run_input(data, size, &a, NULL);
	if (twice && fuzz_watchdog_kicks == 0) {
		/* The same input on a reset vCPU must end the same way. */
		memset(&b, 0, sizeof(b));
		run_input(data, size, &b, NULL);
		if (fuzz_watchdog_kicks == 0 && memcmp(&a, &b, sizeof(a)))
			fuzz_fail("two runs of the same input differ: pc %#llx/%#llx "
				  "insns %llu/%llu", (unsigned long long)a.pc,
				  (unsigned long long)b.pc, (unsigned long long)a.insns,
				  (unsigned long long)b.insns);
	}
	if (debug) {
		memset(&b, 0, sizeof(b));
		run_input(data, size, &b, &points);
		if (a.why == CPU_EXIT_POWEROFF && b.why == CPU_EXIT_POWEROFF &&
		    !((a.cause | b.cause) & (0xffull << 8))) {
			a.insns = b.insns = 0;	/* steps count differently */
			if (memcmp(&a, &b, sizeof(a)))
				fuzz_fail("the debugger changed the run: pc %#llx/%#llx "
					  "status %#llx/%#llx cause %#llx/%#llx, $2 %#llx/%#llx",
					  (unsigned long long)a.pc, (unsigned long long)b.pc,
					  (unsigned long long)a.status, (unsigned long long)b.status,
					  (unsigned long long)a.cause, (unsigned long long)b.cause,
					  (unsigned long long)a.gpr[2], (unsigned long long)b.gpr[2]);
		}
	}
	return 0;
}
