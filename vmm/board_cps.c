// SPDX-License-Identifier: GPL-2.0
/*
 * SMP on the virt board. The stock MIPS kernel brings up secondary CPUs
 * only through a Coherent Processing System, so a board with more than one
 * CPU gets its parts: the Coherence Manager's GCR block (found through CP0
 * CMGCRBase, it describes N cores and releases them from reset) and the GIC
 * (device lines and IPIs, routed to any CPU). Secondary vCPU threads wait
 * here until the guest releases their core. See Documentation/smp.md.
 */
#include <stdlib.h>

#include "board.h"
#include "cpu.h"
#include "device.h"
#include "log.h"
#include "mips_cm.h"
#include "mips_gic.h"

static void board__cm_release(void *opaque, int core, uint64_t pc)
{
	board__release_cpu(opaque, core, pc);
}

static int board__add_owned(struct board *board, struct device *dev,
			    const char *what)
{
	if (!dev) {
		pr_err("cannot create the %s", what);
		return -1;
	}
	if (board__add_device(board, dev)) {
		dev->ops->destroy(dev);
		free(dev);
		return -1;
	}
	return 0;
}

int board__add_cps(struct board *board)
{
	struct device *gic, *cm;
	int i;

	gic = mips_gic__create(BOARD_GIC_BASE, board->nr_cpus, board->cpus);
	if (board__add_owned(board, gic, "GIC"))
		return -1;
	board->gic = gic;
	cm = mips_cm__create(BOARD_CM_BASE, board->nr_cpus, BOARD_GIC_BASE,
			     board__cm_release, board);
	if (board__add_owned(board, cm, "coherence manager"))
		return -1;
	board->cm = cm;
	for (i = 0; i < board->nr_cpus; i++) {
		cpu__set_cm_gcr_base(board->cpus[i], BOARD_CM_BASE);
		/* One Count for all: Linux's clocksource reads it on any CPU. */
		cpu__share_count(board->cpus[i], board->cpus[0]);
	}
	return 0;
}

void board__release_cpu(struct board *board, int n, uint64_t pc)
{
	if (n <= 0 || n >= board->nr_cpus)
		return;
	pthread_mutex_lock(&board->state_lock);
	if (!(board->cpus_released & (1u << n))) {
		board->cpus_released |= 1u << n;
		board->cpu_start_pc[n] = pc;
		pthread_cond_broadcast(&board->state_cond);
	}
	pthread_mutex_unlock(&board->state_lock);
}

bool board__wait_cpu_release(struct board *board, int n)
{
	uint64_t pc = 0;
	bool released;

	if (n == 0)
		return true;
	pthread_mutex_lock(&board->state_lock);
	while (board->state == BOARD_RUNNING &&
	       !(board->cpus_released & (1u << n)))
		pthread_cond_wait(&board->state_cond, &board->state_lock);
	released = board->state == BOARD_RUNNING;
	if (released)
		pc = board->cpu_start_pc[n];
	pthread_mutex_unlock(&board->state_lock);
	if (released) {
		/* This thread owns the vCPU: reset it here, not in the releaser's. */
		cpu__reset(board->cpus[n], pc);
		pr_debug("cpu%d: released at 0x%llx", n, (unsigned long long)pc);
	}
	return released;
}
