// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over the decoder and the instruction handlers: one
 * instruction word is decoded (and checked against an independent reading
 * of the MIPS64R2 opcode map), then executed four times from the same
 * machine state, through each of the interpreter's paths:
 *   A  first instruction of a block (the threaded dispatch),
 *   B  in a branch delay slot (exec_one()'s switch),
 *   C  in a delay slot on the next page (the pending-delay-slot path),
 *   D  single-stepped as a debugger does (interp__step()).
 * Their architectural outcomes must agree: registers, HI/LO, Status, the
 * data memory, and the exception if any (with EPC/BD as a delay slot
 * dictates). Branches, whose behaviour in a delay slot is UNPREDICTABLE,
 * and ERET/DERET are only run as A.
 *
 * Input: [word:4] [mode:1] [register selectors:31] [value:8]
 */
#include <string.h>

#include "common.h"
#include "cpu_debug.h"
#include "decode.h"

#define RAM_SIZE	(1ull << 20)
#define CODE_VA		0x10000ull	/* useg: TLB-mapped, or unmapped under ERL */
#define CODE_PA		0x10000ull
#define DATA_PA		0x40000ull
#define DATA_VA		0x10000000ull	/* useg alias of DATA_PA */
#define DATA_SIZE	0x2000ull

struct outcome {
	uint64_t gpr[32], hi, lo, status, exccode, badvaddr, epc, pc, data_hash;
	uint64_t cp0_hash;	/* TLB, LL state and the CP0 registers an instruction may set */
	uint64_t after;		/* the exception code at the instruction after */
	bool exception, bd;
	enum cpu_exit why;
};

/* Branches and jumps, read from the opcode map independently of decode.c. */
static bool is_branch(uint32_t raw)
{
	unsigned int major = raw >> 26, rt = (raw >> 16) & 31, funct = raw & 63;

	switch (major) {
	case 0x00: return funct == 0x08 || funct == 0x09;		/* JR, JALR */
	case 0x01: return rt <= 3 || (rt >= 0x10 && rt <= 0x13);	/* REGIMM */
	case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: case 0x07:
	case 0x14: case 0x15: case 0x16: case 0x17:
		return true;
	default:
		return false;
	}
}

/* Encodings MIPS64R2 reserves (Reserved Instruction exception). */
static bool is_reserved(uint32_t raw)
{
	unsigned int major = raw >> 26, funct = raw & 63, rt = (raw >> 16) & 31;

	switch (major) {
	case 0x1d: case 0x1e: case 0x3b:
		return true;
	case 0x00:
		return funct == 0x05 || funct == 0x0e || funct == 0x15 || funct == 0x28 ||
		       funct == 0x29 || funct == 0x35 || funct == 0x37 ||
		       funct == 0x39 || funct == 0x3d;
	case 0x01:
		return rt == 0x04 || rt == 0x05 || rt == 0x06 || rt == 0x07 ||
		       rt == 0x0d || rt == 0x0f || (rt >= 0x14 && rt <= 0x1e);
	default:
		return false;
	}
}

static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

enum path { PATH_BLOCK, PATH_DELAY_SLOT, PATH_NEXT_PAGE, PATH_STEP };

static void run(enum path path, uint32_t raw, const uint8_t *data, struct outcome *out)
{
	static const uint64_t vectors[] = { 0x000, 0x080, 0x100, 0x180, 0x200 };
	struct fuzz_budget budget = {
		.insns = 2000, .exceptions = 1000, .sleeps = 4, .clock_calls = 200,
	};
	uint8_t mode = data[4];
	uint64_t value, pc, table[16], excs;
	struct bus *bus;
	struct cpu *cpu;
	uint8_t *code;

	memcpy(&value, data + 36, 8);
	cpu = fuzz_vcpu_get(RAM_SIZE, CODE_VA, 0);
	bus = cpu->bus;
	excs = cpu->exc_count;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		put32(bus->ram + vectors[i], ENC_WAIT);
	for (unsigned int i = 0; i < DATA_SIZE; i++)
		bus->ram[DATA_PA + i] = (uint8_t)(i * 7 + (i >> 8));

	code = bus->ram + CODE_PA;
	switch (path) {
	case PATH_BLOCK:
	case PATH_STEP:
		pc = CODE_VA;
		put32(code, raw);
		put32(code + 4, ENC_SYSCALL);
		break;
	case PATH_DELAY_SLOT:
		pc = CODE_VA;
		put32(code, ENC_BEQ(0, 0, 2));		/* to CODE_VA + 0xc */
		put32(code + 4, raw);
		put32(code + 8, ENC_SYSCALL);
		put32(code + 12, ENC_SYSCALL);
		break;
	default:
		pc = CODE_VA + 0xffc;
		put32(code + 0xffc, ENC_BEQ(0, 0, 1));	/* to CODE_VA + 0x1004 */
		put32(code + 0x1000, raw);
		put32(code + 0x1004, ENC_SYSCALL);
		put32(code + 0x1008, ENC_SYSCALL);
		break;
	}
	/* ERET's targets */
	put32(code + 0x800, ENC_WAIT);
	put32(code + 0x900, ENC_WAIT);

	/* The code and data pages in useg; ERL unmaps useg onto the same pa. */
	cp0__write(cpu, CP0_PAGEMASK, 0, 0);
	cp0__write(cpu, CP0_ENTRYHI, 0, CODE_VA);
	cp0__write(cpu, CP0_ENTRYLO0, 0, (CODE_PA >> 12) << 6 | 0x1f);
	cp0__write(cpu, CP0_ENTRYLO1, 0, ((CODE_PA + 0x1000) >> 12) << 6 | 0x1f);
	tlb__write(cpu, 0);
	cp0__write(cpu, CP0_ENTRYHI, 0, DATA_VA);
	cp0__write(cpu, CP0_ENTRYLO0, 0, (DATA_PA >> 12) << 6 | 0x1f);
	cp0__write(cpu, CP0_ENTRYLO1, 0, ((DATA_PA + 0x1000) >> 12) << 6 | 0x1b); /* clean */
	tlb__write(cpu, 1);
	cp0__write(cpu, CP0_ENTRYHI, 0, 0x20);			/* ASID 0x20 */
	cp0__write(cpu, CP0_WIRED, 0, 2);
	cp0__write(cpu, CP0_EPC, 0, KSEG0 + CODE_PA + 0x800);
	cp0__write(cpu, CP0_ERROREPC, 0, KSEG0 + CODE_PA + 0x900);
	cp0__write(cpu, CP0_HWRENA, 0, (mode & 0x80) ? 0x2000000f : 0);
	cp0__write(cpu, CP0_STATUS, 0,
		   (uint64_t)(mode & 3) << 3 |		/* KSU */
		   (uint64_t)((mode >> 2) & 7) << 5 |	/* UX, SX, KX */
		   ((mode & 0x20) ? ST_ERL : 0) | ((mode & 0x40) ? ST_CU0 : 0));

	table[0] = 0;
	table[1] = KSEG0 + DATA_PA;
	table[2] = KSEG0 + DATA_PA + 1;
	table[3] = KSEG0 + DATA_PA + 2;
	table[4] = KSEG0 + DATA_PA + 4;
	table[5] = DATA_VA;
	table[6] = DATA_VA + 0x1000;
	table[7] = KSEG1 + DATA_PA;
	table[8] = XKPHYS_CACHED + DATA_PA;
	table[9] = KSEG1 + FUZZ_MMIO_BASE;
	table[10] = ~0ull;
	table[11] = 0x7fffffffull;
	table[12] = 0x80000000ull;
	table[13] = 0x8000000000000000ull;
	table[14] = value;
	table[15] = DATA_PA;
	for (int i = 1; i < 32; i++) {
		uint8_t sel = data[4 + i];

		cpu->gpr[i] = table[sel & 15] + (uint64_t)(sel >> 4) * 8;
	}
	cpu->hi = value;
	cpu->lo = ~value;
	cpu->pc = pc;
	code_cache__invalidate(bus, 0, bus->ram_size);

	if (path == PATH_STEP) {
		/* A debugger's single step (interp__step()), then run on. */
		struct cpu_debug debug = { .step = true };
		enum cpu_exit why;

		cpu->debug = &debug;
		why = cpu__run(cpu);
		cpu->debug = NULL;
		fuzz_check(why == CPU_EXIT_DEBUG && debug.reason == DEBUG_STOP_STEP,
			   "%08x: a single step returned %d, reason %d", raw, why, debug.reason);
	}
	out->why = fuzz_run(cpu, &budget);
	fuzz_check(cpu->gpr[0] == 0, "$0 = %#llx", (unsigned long long)cpu->gpr[0]);
	memcpy(out->gpr, cpu->gpr, sizeof(out->gpr));
	out->hi = cpu->hi;
	out->lo = cpu->lo;
	out->status = cpu->cp0.status;
	out->exception = cpu->exc_count != excs;
	out->exccode = (cpu->cp0.cause >> 2) & 31;
	out->bd = (cpu->cp0.cause >> 31) & 1;
	out->badvaddr = cpu->cp0.badvaddr;
	out->epc = cpu->cp0.epc;
	out->pc = cpu->pc;
	/*
	 * An exception with EPC elsewhere came after the instruction (normally
	 * its SYSCALL, or a fetch fault when the instruction unmapped the
	 * code; EPC stays as it was when the instruction set EXL): the
	 * instruction itself completed.
	 */
	if (out->exception && out->epc != (path == PATH_NEXT_PAGE ? pc : CODE_VA)) {
		out->exception = false;
		out->after = out->exccode;
	}
	out->data_hash = hash(bus->ram + DATA_PA, DATA_SIZE);
	{
		const struct cp0 *c = &cpu->cp0;
		uint64_t v[] = {
			c->index, c->entrylo[0], c->entrylo[1], c->context, c->pagemask,
			c->wired, c->hwrena, c->entryhi, c->compare, c->ebase, c->config[0],
			c->xcontext, c->errorepc, c->userlocal, c->kscratch[2], c->random_seed,
			cpu->llbit, cpu->llbit ? cpu->ll_pa : 0,
		};

		out->cp0_hash = hash((const uint8_t *)v, sizeof(v)) ^
				hash((const uint8_t *)cpu->tlb, sizeof(cpu->tlb));
	}
}

static void compare(uint32_t raw, const char *what, const struct outcome *a,
		    const struct outcome *b, uint64_t epc_a, uint64_t epc_b, bool bd)
{
	const char *name = "?";
	struct insn in;

	decode(raw, &in);
	name = decode__op_name(in.op);
#define SAME(field) fuzz_check(a->field == b->field, "%08x (%s): " #field \
			       " differs %s: %#llx vs %#llx", raw, name, what, \
			       (unsigned long long)a->field, (unsigned long long)b->field)
	SAME(exception);
	SAME(after);
	for (int i = 0; i < 32; i++)
		fuzz_check(a->gpr[i] == b->gpr[i], "%08x (%s): $%d differs %s: %#llx vs %#llx",
			   raw, name, i, what, (unsigned long long)a->gpr[i],
			   (unsigned long long)b->gpr[i]);
	SAME(hi);
	SAME(lo);
	SAME(data_hash);
	SAME(cp0_hash);
	if (a->exception) {
		SAME(exccode);
		if (a->exccode >= EXC_MOD && a->exccode <= EXC_ADES)
			SAME(badvaddr);
		fuzz_check(a->epc - epc_a == b->epc - epc_b && !a->bd && b->bd == bd,
			   "%08x (%s): EPC %#llx/%#llx BD %d/%d %s", raw, name,
			   (unsigned long long)a->epc, (unsigned long long)b->epc,
			   a->bd, b->bd, what);
	} else {
		SAME(status);
	}
#undef SAME
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[44];
	struct insn x, y;
	struct outcome a, b, c, d;
	uint32_t raw;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, data, size < sizeof(buf) ? size : sizeof(buf));
	memcpy(&raw, buf, 4);
	/* Time stands still: Count reads agree whatever the path. */
	fuzz_clock_ns_per_call = 0;
	fuzz_clock_ns_per_insn = 0;

	/* Decoding: total, deterministic, and the opcode map's reading. */
	memset(&x, 0x55, sizeof(x));
	memset(&y, 0xaa, sizeof(y));
	decode(raw, &x);
	decode(raw, &y);
	fuzz_check(x.raw == raw && x.op == y.op && x.rs == y.rs && x.rt == y.rt &&
		   x.rd == y.rd && x.sa == y.sa && x.flags == y.flags && x.imm == y.imm,
		   "%08x decodes differently into dirty structs", raw);
	fuzz_check(x.op < OP_COUNT && strcmp(decode__op_name(x.op), "?"),
		   "%08x: op %u", raw, x.op);
	fuzz_check(x.rs < 32 && x.rt < 32 && x.rd < 32 && x.sa < 64, "%08x: fields", raw);
	fuzz_check(!!(x.flags & INSN_BRANCH) == is_branch(raw),
		   "%08x (%s): branch flag %d", raw, decode__op_name(x.op),
		   !!(x.flags & INSN_BRANCH));
	if (is_reserved(raw))
		fuzz_check(x.op == OP_RESERVED, "%08x decodes to %s, MIPS64R2 reserves it",
			   raw, decode__op_name(x.op));

	memset(&a, 0, sizeof(a));
	run(PATH_BLOCK, raw, buf, &a);
	if (x.op == OP_RESERVED)
		fuzz_check(a.exception && a.exccode == EXC_RI && a.epc == CODE_VA,
			   "%08x: reserved, but exception %d code %llu at %#llx", raw,
			   a.exception, (unsigned long long)a.exccode,
			   (unsigned long long)a.epc);
	if (x.flags & INSN_BRANCH || x.op == OP_ERET || x.op == OP_DERET)
		return 0;
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	memset(&d, 0, sizeof(d));
	run(PATH_DELAY_SLOT, raw, buf, &b);
	run(PATH_NEXT_PAGE, raw, buf, &c);
	run(PATH_STEP, raw, buf, &d);
	compare(raw, "in a delay slot", &a, &b, CODE_VA, CODE_VA, true);
	compare(raw, "in a delay slot on the next page", &a, &c, CODE_VA, CODE_VA + 0xffc, true);
	compare(raw, "single-stepped", &a, &d, CODE_VA, CODE_VA, false);
	return 0;
}
