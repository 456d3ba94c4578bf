/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debugging support of the CPU core, for the gdb stub (vmm/gdbstub.c):
 * breakpoints and watchpoints checked by the run loop instead of patched
 * into guest memory, single steps, and register and memory access as the
 * guest sees them.
 *
 * A vCPU checks nothing while cpu->debug is NULL. The debugger sets
 * cpu->debug, and changes what it points to, only while the vCPU is out of
 * cpu__run() (stopped); cpu__run() then returns CPU_EXIT_DEBUG whenever a
 * check fires, with the reason in cpu->debug.
 */
#ifndef MVM_CPU_DEBUG_H
#define MVM_CPU_DEBUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"

#define CPU_DEBUG_MAX_BREAKPOINTS	1024
#define CPU_DEBUG_MAX_WATCHPOINTS	32

enum cpu_watch_kind { WATCH_WRITE = 1, WATCH_READ = 2, WATCH_ACCESS = 3 };

struct cpu_watchpoint {
	uint64_t addr, len;
	enum cpu_watch_kind kind;
};

/* Breakpoints (guest virtual PCs, sorted) and watchpoints; shared by all vCPUs. */
struct cpu_debug_points {
	unsigned int nr_breakpoints;
	uint64_t breakpoints[CPU_DEBUG_MAX_BREAKPOINTS];
	unsigned int nr_watchpoints;
	struct cpu_watchpoint watchpoints[CPU_DEBUG_MAX_WATCHPOINTS];
};

enum cpu_debug_reason {
	DEBUG_STOP_NONE,
	DEBUG_STOP_STEP,	/* a single step finished */
	DEBUG_STOP_BREAKPOINT,	/* pc is at a breakpoint, not executed yet */
	DEBUG_STOP_WATCH,	/* the instruction at pc (or its delay slot) would
				 * access a watchpoint: it has not run yet */
};

struct cpu_debug {
	/* Set by the debugger while the vCPU is stopped. */
	const struct cpu_debug_points *points;
	bool step;		/* run one instruction (a branch with its delay slot) */
	/* Set by the vCPU when cpu__run() returns CPU_EXIT_DEBUG. */
	enum cpu_debug_reason reason;
	uint64_t watch_addr;	/* DEBUG_STOP_WATCH: the watchpoint's address */
	enum cpu_watch_kind watch_kind;
};

/* What cpu__run() does next when cpu->debug is set (see cpu.c). */
enum cpu_debug_action {
	CPU_DEBUG_RUN,		/* run one translated block (or take an interrupt) */
	CPU_DEBUG_STEP,		/* take an interrupt or run one instruction */
	CPU_DEBUG_STOP,		/* return CPU_EXIT_DEBUG */
};

/* The vCPU's thread, from cpu__run(). */
enum cpu_debug_action cpu_debug__check(struct cpu *cpu);

/*
 * Registers in gdb's numbering for mips64 without a target description:
 * 0-31 GPRs, 32 Status, 33 lo, 34 hi, 35 BadVAddr, 36 Cause, 37 pc,
 * 38-69 FPRs, 70 FCSR, 71 FIR. False for a register this CPU does not have
 * (no FPU: 38-71) or cannot write. Only while the vCPU is stopped.
 */
#define CPU_DEBUG_NR_REGS	72
bool cpu_debug__read_reg(struct cpu *cpu, int n, uint64_t *value);
bool cpu_debug__write_reg(struct cpu *cpu, int n, uint64_t value);

/*
 * The machine was stopped for the given number of Count ticks: take them
 * back, so that the guest's clock (Count) and timer see no time pass while
 * a debugger holds it, as on QEMU. Same shift on every vCPU: a shared Count
 * stays shared. Only while the vCPU is stopped.
 */
void cpu_debug__pause_count(struct cpu *cpu, uint64_t ticks);
/* The host clock that Count follows, in Count ticks. */
uint64_t cpu_debug__host_count(struct cpu *cpu);

/*
 * Reads or writes guest virtual memory [va, va + len) as the vCPU would in
 * its current mode (kernel mode when that mode may not see the address).
 * Only RAM: MMIO is refused so that a debugger has no side effects on
 * devices. Returns the number of bytes done (less than len at the first
 * address that does not translate to RAM). Written code is invalidated.
 */
size_t cpu_debug__access(struct cpu *cpu, uint64_t va, void *buf, size_t len,
			 bool write);

#endif
