// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU core's side of debugging (see cpu_debug.h). Breakpoints are not
 * written into guest memory: while any are set, the run loop runs one
 * translated block at a time and looks at the PC before each, and steps
 * instruction by instruction through a page that holds a breakpoint ahead
 * of the PC (a block never leaves its page, so it cannot run past one).
 * Watchpoints decode the next instruction and stop before it accesses a
 * watched byte, as a MIPS watch exception would; they make the vCPU run
 * one instruction at a time.
 */
#include <string.h>

#include "cpu_debug.h"
#include "cpu_internal.h"
#include "decode.h"

/* Index of the first breakpoint >= pc. */
static unsigned int bp_lower_bound(const struct cpu_debug_points *p, uint64_t pc)
{
	unsigned int lo = 0, hi = p->nr_breakpoints;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (p->breakpoints[mid] < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Reads the instruction at va without side effects; false if it cannot. */
static bool peek_insn(struct cpu *cpu, uint64_t va, struct insn *in)
{
	uint64_t pa;
	uint32_t raw;
	bool soft_ok;

	if ((va & 3) || tlb__translate(cpu, va, ACCESS_FETCH, &pa, &soft_ok) != TR_OK ||
	    !bus__is_ram(cpu->bus, pa, 4))
		return false;
	memcpy(&raw, cpu->bus->ram + pa, 4);
	decode(raw, in);
	return true;
}

/* The bytes a load or store touches and whether it writes; false if none. */
static bool mem_operand(const struct insn *in, uint64_t base, uint64_t *va,
			unsigned int *size, bool *write)
{
	uint64_t a = base + (uint64_t)in->imm;

	*write = false;
	switch (in->op) {
	case OP_SB: *write = true; /* fall through */
	case OP_LB: case OP_LBU: *size = 1; break;
	case OP_SH: *write = true; /* fall through */
	case OP_LH: case OP_LHU: *size = 2; break;
	case OP_SW: case OP_SC: *write = true; /* fall through */
	case OP_LW: case OP_LWU: case OP_LL: *size = 4; break;
	case OP_SD: case OP_SCD: *write = true; /* fall through */
	case OP_LD: case OP_LLD: *size = 8; break;
	case OP_SWL: case OP_SWR: *write = true; /* fall through */
	case OP_LWL: case OP_LWR: *size = 4; a &= ~3ull; break;
	case OP_SDL: case OP_SDR: *write = true; /* fall through */
	case OP_LDL: case OP_LDR: *size = 8; a &= ~7ull; break;
	default:
		return false;
	}
	*va = a;
	return true;
}

/* The register a branch links into (its delay slot sees the new value), or 0. */
static int link_register(const struct insn *in)
{
	switch (in->op) {
	case OP_JAL: case OP_BLTZAL: case OP_BGEZAL: case OP_BLTZALL: case OP_BGEZALL:
		return 31;
	case OP_JALR:
		return in->rd;
	default:
		return 0;
	}
}

static bool watch_match(struct cpu_debug *d, const struct cpu_debug_points *p,
			const struct insn *in, uint64_t base)
{
	unsigned int size;
	uint64_t va;
	bool write;

	if (!mem_operand(in, base, &va, &size, &write))
		return false;
	for (unsigned int i = 0; i < p->nr_watchpoints; i++) {
		const struct cpu_watchpoint *w = &p->watchpoints[i];

		if (!(w->kind & (write ? WATCH_WRITE : WATCH_READ)))
			continue;
		if (va - w->addr < w->len || w->addr - va < size) {
			d->watch_addr = w->addr;
			d->watch_kind = w->kind;
			return true;
		}
	}
	return false;
}

/* Would the next instruction (a branch: its delay slot) access a watchpoint? */
static bool watch_hit(struct cpu *cpu, struct cpu_debug *d, const struct cpu_debug_points *p)
{
	struct insn in, slot;
	uint64_t base;
	int link;

	if (cpu->pending_branch)	/* pc is the delay slot of a branch that ran */
		return peek_insn(cpu, cpu->pc, &slot) &&
		       watch_match(d, p, &slot, cpu->gpr[slot.rs]);
	if (!peek_insn(cpu, cpu->pc, &in))
		return false;
	if (!(in.flags & INSN_BRANCH))
		return watch_match(d, p, &in, cpu->gpr[in.rs]);
	if (!peek_insn(cpu, cpu->pc + 4, &slot))
		return false;
	link = link_register(&in);
	base = link && slot.rs == link ? cpu->pc + 8 : cpu->gpr[slot.rs];
	return watch_match(d, p, &slot, base);
}

enum cpu_debug_action cpu_debug__check(struct cpu *cpu)
{
	struct cpu_debug *d = cpu->debug;
	const struct cpu_debug_points *p = d->points;
	bool watching = p && p->nr_watchpoints;

	if (watching && watch_hit(cpu, d, p)) {
		d->step = false;
		d->reason = DEBUG_STOP_WATCH;
		return CPU_DEBUG_STOP;
	}
	if (d->step) {
		/* As QEMU's gdb stub does by default: no interrupt is taken. */
		d->step = false;
		interp__step(cpu);
		d->reason = DEBUG_STOP_STEP;
		return CPU_DEBUG_STOP;
	}
	if (p && p->nr_breakpoints && !cpu->pending_branch) {
		uint64_t pc = cpu->pc;
		unsigned int i = bp_lower_bound(p, pc);

		if (i < p->nr_breakpoints && p->breakpoints[i] == pc) {
			d->reason = DEBUG_STOP_BREAKPOINT;
			return CPU_DEBUG_STOP;
		}
		/* A block could run past a breakpoint further on this page. */
		if (i < p->nr_breakpoints && (p->breakpoints[i] & PAGE_MASK) == (pc & PAGE_MASK))
			return CPU_DEBUG_STEP;
	}
	if (watching)
		return CPU_DEBUG_STEP;
	/*
	 * One block at a time, so that the next one's PC is looked at too:
	 * cpu__run() counts its entry to interp__run() as one poll step, the
	 * block's chaining the next, and 0 makes it return to cpu__run().
	 */
	cpu->poll_countdown = 2;
	return CPU_DEBUG_RUN;
}

bool cpu_debug__read_reg(struct cpu *cpu, int n, uint64_t *value)
{
	if (n >= 0 && n < 32) {
		*value = cpu->gpr[n];
		return true;
	}
	switch (n) {
	case 32: *value = cpu->cp0.status; return true;
	case 33: *value = cpu->lo; return true;
	case 34: *value = cpu->hi; return true;
	case 35: *value = cpu->cp0.badvaddr; return true;
	case 36: *value = cpu->cp0.cause; return true;
	case 37: *value = cpu->pc; return true;
	default: return false;	/* no FPU */
	}
}

bool cpu_debug__write_reg(struct cpu *cpu, int n, uint64_t value)
{
	if (n == 0)
		return true;		/* $zero stays zero, as a write would */
	if (n > 0 && n < 32) {
		cpu->gpr[n] = value;
		return true;
	}
	switch (n) {
	case 32: cp0__write(cpu, CP0_STATUS, 0, value); return true;
	case 33: cpu->lo = value; return true;
	case 34: cpu->hi = value; return true;
	case 35: cpu->cp0.badvaddr = value; return true;
	case 36: cp0__write(cpu, CP0_CAUSE, 0, value); return true;
	case 37:
		/* A new PC leaves any branch in progress and any WAIT. */
		if (value == cpu->pc)
			return true;	/* e.g. a G packet that writes back what g read */
		cpu->pc = value;
		cpu->pending_branch = false;
		cpu->in_delay_slot = false;
		cpu->in_wait = false;
		return true;
	default:
		return false;
	}
}

uint64_t cpu_debug__host_count(struct cpu *cpu)
{
	return cpu__host_count(cpu);
}

void cpu_debug__pause_count(struct cpu *cpu, uint64_t ticks)
{
	cpu->cp0.count_offset -= ticks;
	cpu->shared_count_offset -= ticks;
}

/* The physical address of va for the debugger: no exception, no TLB refill. */
static bool debug_translate(struct cpu *cpu, uint64_t va, uint64_t *pa)
{
	enum translate_result r;
	bool soft_ok;
	int mode = cpu->mode;

	/* Loads: a debugger may write pages the guest keeps clean. */
	r = tlb__translate(cpu, va, ACCESS_LOAD, pa, &soft_ok);
	if (r == TR_ADDRESS_ERROR && mode != MODE_KERNEL) {
		/* Stopped in user mode, the kernel's addresses are still of interest. */
		cpu->mode = MODE_KERNEL;
		r = tlb__translate(cpu, va, ACCESS_LOAD, pa, &soft_ok);
		cpu->mode = mode;
	}
	return r == TR_OK;
}

size_t cpu_debug__access(struct cpu *cpu, uint64_t va, void *buf, size_t len,
			 bool write)
{
	uint8_t *p = buf;
	size_t done = 0;

	while (done < len) {
		uint64_t a = va + done, pa;
		size_t chunk = PAGE_SIZE - (a & (PAGE_SIZE - 1));

		if (chunk > len - done)
			chunk = len - done;
		if (!debug_translate(cpu, a, &pa) ||
		    !bus__is_ram(cpu->bus, pa, (unsigned int)chunk))
			break;
		if (write) {
			memcpy(cpu->bus->ram + pa, p + done, chunk);
			code_cache__invalidate(cpu->bus, pa, chunk);
		} else {
			memcpy(p + done, cpu->bus->ram + pa, chunk);
		}
		done += chunk;
	}
	return done;
}
