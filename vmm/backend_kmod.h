/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kmod backend's internals, shared by its two execution modes:
 * backend_kmod.c (the VM, its threads, flat mode) and kmod_split.c (split
 * mode: guest user mode natively under mvm.ko, kernel mode in the core).
 */
#ifndef MVM_BACKEND_KMOD_H
#define MVM_BACKEND_KMOD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <linux/mvm.h>

#include "board.h"
#include "cpu.h"

#define MVM_DEVICE	"/dev/mvm"

struct kmod_vcpu {
	struct board *board;
	struct cpu *cpu;
	int id;
	int vm_fd, vcpu_fd;
	struct mvm_run *run;
	pthread_t thread;
	bool started;
	atomic_bool stopping;
	uint32_t irq_lines_sent;

	/* Split mode: what the module holds of the guest's state. */
	struct mvm_tlb_entry tlb_sent[MVM_GUEST_TLB_SIZE];
	uint32_t tlb_generation_sent;
	bool synced;			/* tlb_sent & co. describe the module */
	uint64_t entryhi_sent, userlocal_sent, hwrena_sent;
	atomic_bool native;		/* inside MVM_RUN: a kick must signal */
	bool called_off;		/* the last run: the VMM did not enter (MVM_EXIT_INTR) */
	bool sync_regs;			/* MVM_CAP_SYNC_REGS: registers in run->s */
	timer_t timer;			/* the guest's Compare, as a signal */
	bool timer_ok, timer_armed;
	uint64_t timer_compare, timer_status;
	uint64_t stat_entries, stat_steps;

	/* Patch mode: guest kernel code as patched code (vmm/patch.c). */
	bool patch;
	bool deliver;			/* MVM_CAP_GUEST_KERNEL_DELIVER is on */
	bool module_timer;		/* MVM_CAP_GUEST_KERNEL_TIMER is on */
	struct patcher *patcher;
	uint8_t *comm;			/* the commpage: host [0, 0x8000) */
	uint32_t *code;			/* the translation cache */
	void *comm_map, *code_map;	/* their mappings */
	size_t comm_map_len, code_map_len;
	uint64_t stat_kernel_entries;
	uint64_t stat_exits[MVM_EXIT_EXCEPTION + 1];
	/* MVM_PATCH_PROFILE: where the time goes, reported every few seconds */
	bool report;
	uint64_t report_at, native_ns[2];	/* [kernel_mode] */
	uint64_t report_refills, report_entries;
};

/* Set by a split-mode vCPU thread: its SIGUSR1 sets immediate_exit there. */
extern __thread struct mvm_run *kmod__thread_run;

/* An MMIO exit: the access on the board's bus (data filled for a load). */
void kmod__mmio_exit(struct kmod_vcpu *k);

/* kmod_split.c */
int kmod_split__configure(struct vm_config *cfg);
int kmod_split__init_vcpu(struct kmod_vcpu *k);
void *kmod_split__vcpu_thread(void *arg);
void kmod_split__exit_vcpu(struct kmod_vcpu *k);

#endif
