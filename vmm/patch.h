/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The code patcher: guest kernel code, a basic block at a time, turned into
 * host user-mode MIPS code that mvm.ko runs in a vCPU's guest-kernel address
 * space (MVM_CAP_GUEST_KERNEL, uapi/linux/mvm.h). Documentation/patching.md
 * has every rule and the address-space layout; this is its one
 * implementation. The patcher only writes code and maps host PCs back to
 * guest state: running it is the kmod backend's business.
 */
#ifndef MVM_PATCH_H
#define MVM_PATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mvm.h>

#include "cpu.h"

/*
 * Commpage layout: offsets are host addresses, reached as off($zero).
 * What mvm.ko reads and writes too is uapi (MVM_GK_COMM_*).
 */
#define PATCH_COMM_CP0		MVM_GK_COMM_CP0(0, 0)	/* + (reg * 8 + sel) * 8 */
#define PATCH_COMM_SPILL	0x1800	/* + n * 8: a block's scratch registers */
#define PATCH_COMM_TARGET	0x1840	/* an indirect jump's guest target */
#define PATCH_COMM_COUNT	MVM_GK_COMM_COUNT_OFFSET	/* guest - host Count */
#define PATCH_COMM_FLUSHED	0x1850	/* nonzero: an index op flushed everything */
#define PATCH_COMM_LLCLEAR	0x1858	/* ll + sc here: eret clears the LL bit */
/* 0x1860, 0x1868: MVM_GK_COMM_TLB_WRITTEN, MVM_GK_COMM_RANDOM */
#define PATCH_COMM_ENTRYHI_MASK	0x1870	/* EntryHi's writable bits, a constant */
#define PATCH_COMM_SEGMENTS	0x1900	/* 32 window bases, by VA bits 63..59 */
#define PATCH_COMM_CODEMAP	0x2000	/* bit n: guest physical page n has code */
#define PATCH_CODEMAP_BYTES	0x4000	/* so pages of the first 512 MiB */
/* 0x6000: MVM_GK_COMM_TLB(0..63) */
#define PATCH_COMM_SIZE		0x8000	/* the commpage buffer covers [0, 0x8000) */

/*
 * The translation cache (at MVM_GK_CODE_BASE in the guest-kernel address
 * space): PATCH_CODE_SIZE bytes of code, then the jr/jalr hash, entries of
 * {guest pc, host pc}, read-only for patched code like the code itself.
 */
#define PATCH_CODE_BASE		0x3f000000000ull
#define PATCH_CODE_SIZE		(16u << 20)
#define PATCH_JUMP_ENTRIES	65536
#define PATCH_JUMPS_BASE	(PATCH_CODE_BASE + PATCH_CODE_SIZE)
/* whole 2 MiB: mvm.ko maps each with one TLB entry when a huge page backs it */
#define PATCH_CODE_BUF_SIZE	((PATCH_CODE_SIZE + PATCH_JUMP_ENTRIES * 16 + (2u << 20) - 1) & \
				 ~((2u << 20) - 1))

struct patcher;

/* What an exit from patched code means for the guest. */
struct patch_resume {
	uint64_t pc;		/* the guest PC to go on from */
	bool exit_stub;		/* a block's exit (not an exception) */
	bool step;		/* the core must execute pc (unsupported there) */
};

/*
 * comm: the commpage buffer (PATCH_COMM_SIZE bytes, its first page unused);
 * code: PATCH_CODE_BUF_SIZE bytes, both page-aligned and shared with mvm.ko.
 */
struct patcher *patcher__create(struct cpu *cpu, uint8_t *comm, uint32_t *code);
/*
 * The module lets patched code read the host's Count (rdhwr $2) and the
 * host's Count is the guest's clock (host_clock.h): guest Count reads run
 * natively, as rdhwr $2 plus an offset.
 */
void patcher__use_host_count(struct patcher *p);
/*
 * The host CPU is MIPS64 Release 1: Release 2 rotates (which it would run
 * as plain shifts) go to the core; every other R2 instruction traps there
 * and goes to the core anyway.
 */
void patcher__host_is_r1(struct patcher *p);
/*
 * mvm.ko does the guest's tlbp/tlbr/tlbwi/tlbwr (MVM_CAP_GUEST_KERNEL_TLB)
 * on the guest TLB it holds: from now on they stay in patched code.
 */
void patcher__use_tlb_calls(struct patcher *p);
/*
 * The guest TLB in mvm.ko stopped matching the core's (an entry it
 * refused): TLB instructions go back to the core, translations made with
 * them go.
 */
void patcher__stop_tlb_calls(struct patcher *p);
/*
 * mvm.ko does erets back to guest user mode (MVM_CAP_GUEST_KERNEL_ERET):
 * the eret's exit stub asks for it.
 */
void patcher__use_eret_calls(struct patcher *p);
/*
 * mvm.ko takes EntryHi writes with a new ASID (MVM_CAP_GUEST_KERNEL_ASID):
 * a context switch stays in patched code.
 */
void patcher__use_asid_calls(struct patcher *p);
/*
 * mvm.ko keeps the guest's Compare timer (MVM_CAP_GUEST_KERNEL_TIMER): a
 * new deadline stays in patched code.
 */
void patcher__use_timer_calls(struct patcher *p);
/*
 * mvm.ko sleeps in the guest's wait until its timer and takes the
 * interrupt (MVM_CAP_GUEST_KERNEL_WAIT): an idle guest wakes without an
 * exit.
 */
void patcher__use_wait_calls(struct patcher *p);
/*
 * A native run ended in guest user mode after patched code may have run:
 * mvm.ko took an eret to user mode, or (MVM_CAP_GUEST_KERNEL_DELIVER, where
 * user-mode runs start with patcher__sync_in() too) handed guest
 * exceptions to the patched vectors on the way. The commpage's CP0 goes to
 * the core.
 */
void patcher__user_exit(struct patcher *p);
/* The guest TLB entries mvm.ko wrote since the last call (bit n: entry n). */
uint64_t patcher__take_tlb_written(struct patcher *p);
void patcher__destroy(struct patcher *p);
/*
 * The host address to enter for the guest kernel code at cpu->pc,
 * translating it now if needed; 0 when the core must execute it
 * (patcher__run_core).
 */
uint64_t patcher__enter(struct patcher *p);
/*
 * Runs in the core what patcher__enter returned 0 for: one instruction, or
 * a short block that ends in a step, while the PC runs straight on.
 */
void patcher__run_core(struct patcher *p);
/* The core's CP0 -> the commpage, before a native run. */
void patcher__sync_in(struct patcher *p);
/*
 * After a native run that stopped at host_pc: gpr[] holds the host
 * registers and becomes the guest's; the commpage's CP0 goes to the core.
 * syscall: the run ended with a syscall exception there. why, for the
 * profile: 'e' another exception, 'm' MMIO, 'n' interrupted. Returns false
 * if host_pc is not patched code (a bug: the caller stops the VM).
 */
bool patcher__resume(struct patcher *p, uint64_t host_pc, bool syscall,
		     char why, uint64_t gpr[32], struct patch_resume *r);
/*
 * The core executes the instruction at cpu->pc (cpu__step), and an I-cache
 * op or synci among it drops the translations the native code may have
 * made stale by writing code behind the core's back.
 */
void patcher__step(struct patcher *p);
/* Translations, chained exits, entries and exits: for the exit report. */
void patcher__stats(const struct patcher *p, char *buf, size_t len);

#endif
