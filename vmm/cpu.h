/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MIPS64 Release 2 CPU core: architectural state, CP0, TLB and the
 * interpreter. One core serves every backend; the emulation backend runs
 * it, the kmod backend uses its decoder and state layout.
 */
#ifndef MVM_CPU_H
#define MVM_CPU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

#define CPU_TLB_ENTRIES		64
#define CPU_SEGBITS		40
#define CPU_PABITS		36
/*
 * Count runs at CPU_COUNT_HZ from host time unless a backend gives the
 * guest another clock (cpu__set_clock); the DTB advertises a CPU clock of
 * twice the Count rate, as the kernel expects.
 */
#define CPU_COUNT_HZ		100000000ULL

/* Cause.ExcCode values */
enum exc_code {
	EXC_INT = 0, EXC_MOD = 1, EXC_TLBL = 2, EXC_TLBS = 3, EXC_ADEL = 4,
	EXC_ADES = 5, EXC_IBE = 6, EXC_DBE = 7, EXC_SYS = 8, EXC_BP = 9,
	EXC_RI = 10, EXC_CPU = 11, EXC_OV = 12, EXC_TR = 13, EXC_FPE = 15,
	EXC_WATCH = 23, EXC_MCHECK = 24,
};

/* Why cpu__run() returned to its caller. */
enum cpu_exit {
	CPU_EXIT_KICK,		/* cpu__kick(): the VMM wants attention */
	CPU_EXIT_POWEROFF,	/* WAIT with interrupts disabled: the guest is done */
	CPU_EXIT_HALT,		/* a fatal state the guest cannot leave */
	CPU_EXIT_DEBUG,		/* a debugger's breakpoint, watchpoint or step: see cpu_debug.h */
	CPU_EXIT_USER,		/* the guest entered user mode and native_user is set */
	CPU_EXIT_KERNEL,	/* kernel mode that native_kernel lets the backend run */
};

struct tlb_entry {
	uint64_t pagemask;
	uint64_t entryhi;	/* R | VPN2 | ASID as written */
	uint64_t entrylo[2];
	uint64_t cmp_mask;	/* virtual address bits compared, from pagemask */
	bool global;
};

struct cp0 {
	uint64_t index, random_seed, entrylo[2], context, pagemask, wired;
	uint64_t hwrena, badvaddr, entryhi, compare, status, intctl, srsctl;
	uint64_t cause, epc, prid, ebase, config[8], lladdr, xcontext;
	uint64_t errorepc, desave, userlocal, kscratch[8];
	uint64_t count_offset;	/* Count = host time based count + offset */
	uint64_t cmgcrbase;	/* CMGCRBase ($15 sel 3): GCR physical base >> 4 */
};

/* A decoded instruction of a translated block. */
struct insn {
	uint32_t raw;
	uint16_t op;
	uint8_t rs, rt, rd, sa;
	uint8_t flags;
	int64_t imm;
};

struct block;
struct cpu_debug;

struct soft_tlb_entry {
	uint64_t tag;		/* virtual page | 1 when valid */
	uintptr_t addend;	/* host address = guest virtual + addend */
};

#define SOFT_TLB_BITS	8
#define SOFT_TLB_SIZE	(1u << SOFT_TLB_BITS)
enum { ACCESS_LOAD, ACCESS_STORE, ACCESS_FETCH, ACCESS_KINDS };
enum { MODE_KERNEL, MODE_SUPERVISOR, MODE_USER, MODE_KINDS };

struct cpu {
	uint64_t gpr[32];
	uint64_t pc;
	uint64_t hi, lo;
	struct cp0 cp0;
	struct tlb_entry tlb[CPU_TLB_ENTRIES];

	int id;
	struct bus *bus;
	uint64_t cm_gcr_pa;	/* survives reset: it is wiring, not state */
	bool count_shared;	/* wiring too: see cpu__share_count() */
	uint64_t shared_count_offset;
	int mode;		/* MODE_*, derived from Status */

	/* LL/SC: a pending link and the value LL saw (SC does a host CAS). */
	bool llbit;
	uint64_t ll_pa;
	uint64_t ll_value;

	/* Interrupt lines IP2..IP7 raised by devices from any thread. */
	_Atomic uint32_t irq_lines;
	_Atomic bool kick;
	_Atomic bool kick_irq;	/* an interrupt line changed */
	pthread_mutex_t wait_lock;
	pthread_cond_t wait_cond;

	/* interpreter state */
	struct soft_tlb_entry stlb[MODE_KINDS][ACCESS_KINDS][SOFT_TLB_SIZE];
	struct block **blocks;	/* direct-mapped by physical PC */
	/* Virtual PC (+ mode) -> block, flushed with the soft TLB. */
	struct jump_entry *jump_cache;
	struct block *retired;	/* replaced blocks the jump cache may still name */
	unsigned int nr_retired;
	uint64_t code_epoch;	/* the code_cache epoch this vCPU's soft TLB honours */
	uint32_t tlb_generation; /* bumped by TLB writes and ASID changes */
	struct profile_slot *profile;	/* MVM_PROFILE sampling, see cpu.c */
	uint64_t insn_count;	/* instructions retired, for statistics */
	uint64_t exc_count;
	bool exception;		/* set by cpu__exception() within an instruction */
	bool in_delay_slot;	/* executing the delay slot of the branch at pc - 4 */
	bool pending_branch;	/* a branch's delay slot sits on the next page */
	uint64_t branch_target;
	bool in_wait;
	uint32_t timer_last;	/* Count when the timer was last checked */
	unsigned int poll_countdown;
	uint64_t consecutive_exceptions;
	bool refill;		/* the pending TLB exception is a refill */
	bool xtlb_refill;	/* ... through the XTLB refill vector */
	bool ops64;		/* 64-bit operations enabled in the current mode */
	bool code_written;	/* a store hit translated code: end the block */
	bool halted;		/* a fatal state: cpu__run() returns CPU_EXIT_HALT */
	const char *halt_reason;
	/* Set while a debugger needs checks (vmm/cpu_debug.h); NULL: none, no cost. */
	struct cpu_debug *debug;

	/*
	 * Split execution (vmm/backend_kmod_split.c): cpu__run() returns
	 * CPU_EXIT_USER instead of interpreting guest user mode, which the
	 * backend runs natively. notify(notify_arg) is called from any thread
	 * after an interrupt line changed or a kick, so the backend can bring
	 * a vCPU back from native execution.
	 */
	bool native_user;
	/*
	 * Patched kernel mode (vmm/patch.c): cpu__run() returns
	 * CPU_EXIT_KERNEL in 64-bit kernel mode, which the backend runs as
	 * patched code or steps through cpu__step().
	 */
	bool native_kernel;
	void (*notify)(void *arg);
	void *notify_arg;
};

struct cpu *cpu__create(struct bus *bus, int id);
void cpu__destroy(struct cpu *cpu);
/* Architectural reset, then start at pc in kernel mode. */
void cpu__reset(struct cpu *cpu, uint64_t pc);
/* Run until something needs the VMM (see enum cpu_exit). Thread: the vCPU's. */
enum cpu_exit cpu__run(struct cpu *cpu);
/* Any thread: set hardware interrupt line ip (2..6) to level. */
void cpu__set_irq(struct cpu *cpu, int ip, bool level);
/* Any thread: make cpu__run() return CPU_EXIT_KICK soon, waking a WAIT. */
void cpu__kick(struct cpu *cpu);
/* Read the 64-bit Count register as the guest would see it. */
uint32_t cpu__count(struct cpu *cpu);

/*
 * The source of every vCPU's Count: ticks() at hz, monotonic, safe from any
 * thread. Set before the board exists (the DTB carries the rate), once.
 */
struct cpu_clock {
	uint64_t hz;
	uint64_t (*ticks)(void);
};
void cpu__set_clock(const struct cpu_clock *clock);
uint64_t cpu__count_hz(void);
/*
 * Split execution. cpu__native_user_ready(): may the guest's user mode run
 * natively now? It polls the timer and the interrupt lines first; false
 * when an interrupt is to be taken, a kick is pending, or the mode needs
 * the interpreter (CU0/CU1/RE set, UX clear). cpu__step(): interpret the
 * one instruction at pc (a branch with its delay slot), raising any guest
 * exception exactly: the native run's exits go through it.
 * cpu__ns_until_timer(): nanoseconds until Count reaches Compare.
 */
bool cpu__native_user_ready(struct cpu *cpu);
/* The same for patched kernel code (native_kernel). */
bool cpu__native_kernel_ready(struct cpu *cpu);
void cpu__step(struct cpu *cpu);
uint64_t cpu__ns_until_timer(struct cpu *cpu);
/* Dump registers to stderr, for fatal errors and debugging. */
void cpu__dump(struct cpu *cpu);

/*
 * Advertise a MIPS Coherence Manager: Config3.CMGCR and CMGCRBase point the
 * guest at the GCR block at physical gcr_pa (32 KiB aligned). Call before
 * the vCPU runs; 0 removes it.
 */
void cpu__set_cm_gcr_base(struct cpu *cpu, uint64_t gcr_pa);
/*
 * SMP boards: from now on cpu's Count is the same clock as leader's, on
 * every reset too, and guest writes to Count are ignored. Linux uses Count
 * as its clocksource on any CPU, so the vCPUs must never disagree about it
 * (one going backwards is a 43 s jump of a 32-bit counter); its count
 * synchronisation at CPU bring-up then finds them equal already.
 * Call before the vCPUs run.
 */
void cpu__share_count(struct cpu *cpu, const struct cpu *leader);
/* Any thread: drop stale translations after writing guest RAM [pa, pa + len). */
void code_cache__invalidate(struct bus *bus, uint64_t pa, uint64_t len);
/* The bus's code tracking goes with its RAM (bus__exit calls this). */
void code_cache__free(struct bus *bus);

#endif
