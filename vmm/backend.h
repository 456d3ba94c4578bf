/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A backend runs the board's vCPUs: the emulator interprets them on any
 * host; the kmod backend runs them in /dev/mvm on a MIPS64 host. Both take
 * a board whose CPUs have been reset to the kernel entry.
 */
#ifndef MVM_BACKEND_H
#define MVM_BACKEND_H

#include <stdbool.h>

#include "board.h"
#include "cli.h"

struct backend {
	const char *name;
	/* Can it run on this host? (e.g. /dev/mvm present) */
	bool (*available)(void);
	/* Optional, before the board exists: 0 or -1 after an error message. */
	int (*configure)(struct vm_config *cfg);
	/* 0 or -1 after an error message. */
	int (*init)(struct board *board, const struct vm_config *cfg);
	/* Runs the guest until the board stops; returns why. */
	enum board_state (*run)(struct board *board);
	void (*exit)(struct board *board);	/* optional */
};

extern const struct backend backend_emu;
extern const struct backend backend_kmod;	/* vmm/backend_kmod.c */

/*
 * "emu", "kmod" or "auto" (the first available in the table in backend.c,
 * where a new backend adds itself). NULL after an error message.
 */
const struct backend *backend__select(const char *name);

struct cpu;
/* CPU_EXIT_HALT: say where the vCPU is stuck, dump it, halt the board. */
void backend__vcpu_stuck(struct board *board, struct cpu *cpu);

#endif
