// SPDX-License-Identifier: GPL-2.0
/*
 * The emulation backend: one host thread per vCPU runs the interpreter.
 * A vCPU leaves cpu__run() when kicked (the board changed state), when the
 * guest powers off (WAIT with no way to wake) or when it is stuck; each
 * exit becomes a board state, which main() turns into the exit status.
 */
#include <pthread.h>
#include <stdlib.h>

#include "backend.h"
#include "cpu.h"
#include "device.h"
#include "gdbstub.h"
#include "log.h"

struct emu_vcpu {
	struct board *board;
	struct cpu *cpu;
	pthread_t thread;
	bool started;
};

static struct emu_vcpu emu_vcpus[BOARD_MAX_CPUS];

static bool emu__available(void)
{
	return true;	/* the interpreter runs anywhere */
}

static void *emu__vcpu_thread(void *arg)
{
	struct emu_vcpu *v = arg;

	device__set_current_cpu(v->cpu->id);
	/* A secondary CPU sleeps until the guest releases it from reset. */
	if (!board__wait_cpu_release(v->board, v->cpu->id))
		return NULL;
	while (board__state(v->board) == BOARD_RUNNING) {
		if (!gdbstub__vcpu_sync(v->cpu))	/* the debugger's stops */
			break;
		switch (cpu__run(v->cpu)) {
		case CPU_EXIT_KICK:
		case CPU_EXIT_USER:	/* native_user is the kmod backend's */
		case CPU_EXIT_KERNEL:	/* and so is native_kernel */
			break;	/* the loop condition looks at the board */
		case CPU_EXIT_DEBUG:
			gdbstub__vcpu_stopped(v->cpu);
			break;
		case CPU_EXIT_POWEROFF:
			board__request(v->board, BOARD_POWEROFF);
			break;
		case CPU_EXIT_HALT:
			backend__vcpu_stuck(v->board, v->cpu);
			break;
		}
	}
	return NULL;
}

static int emu__init(struct board *board, const struct vm_config *cfg)
{
	(void)cfg;
	int i;

	for (i = 0; i < board->nr_cpus; i++) {
		emu_vcpus[i].board = board;
		emu_vcpus[i].cpu = board->cpus[i];
		emu_vcpus[i].started = false;
	}
	return 0;
}

static enum board_state emu__run(struct board *board)
{
	enum board_state state;
	int i;

	/* One thread per vCPU; secondaries wait for the guest to release them. */
	for (i = 0; i < board->nr_cpus; i++) {
		if (pthread_create(&emu_vcpus[i].thread, NULL, emu__vcpu_thread,
				   &emu_vcpus[i])) {
			pr_err("cannot start the thread of vCPU %d", i);
			board__request(board, BOARD_ERROR);
			break;
		}
		emu_vcpus[i].started = true;
	}
	state = board__wait(board);
	for (i = 0; i < board->nr_cpus; i++) {
		if (!emu_vcpus[i].started)
			continue;
		cpu__kick(emu_vcpus[i].cpu);
		pthread_join(emu_vcpus[i].thread, NULL);
		emu_vcpus[i].started = false;
	}
	return state;
}

const struct backend backend_emu = {
	.name = "emu",
	.available = emu__available,
	.init = emu__init,
	.run = emu__run,
};
