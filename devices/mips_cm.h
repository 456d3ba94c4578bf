/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MIPS Coherence Manager's Global Configuration Registers (GCR), as a
 * CM 2.5 presents them: the global block describes the system (number of
 * cores, where the GIC is, no CPC), and the core-local (0x2000) and
 * core-other (0x4000) blocks let a core see its own registers and those of
 * the core it selected with GCR_CL_OTHER. Releasing a core from reset
 * (GCR_Co_RESET_RELEASE = 0) asks the board to start that vCPU at its
 * GCR_Co_RESET_BASE. The L2-only sync region (4 KiB) follows the GCRs.
 * The guest finds the block through CP0 CMGCRBase (cpu__set_cm_gcr_base).
 */
#ifndef MVM_MIPS_CM_H
#define MVM_MIPS_CM_H

#include <stdint.h>

struct device;

#define MIPS_CM_GCR_SIZE	0x8000	/* base must be aligned to this */
#define MIPS_CM_L2SYNC_SIZE	0x1000
#define MIPS_CM_SIZE		(MIPS_CM_GCR_SIZE + MIPS_CM_L2SYNC_SIZE)
#define MIPS_CM_MAX_CORES	32
#define MIPS_CM_REV_2_5		0x0700

/* Called (without CM locks held) when the guest releases core `core`. */
typedef void (*mips_cm_release_fn)(void *opaque, int core, uint64_t pc);

/*
 * A CM with nr_cores cores (core 0 runs from power-up, the others are held
 * in reset) whose GCR_GIC_BASE names gic_base. NULL when out of memory or
 * when the arguments make no sense.
 */
struct device *mips_cm__create(uint64_t base, int nr_cores, uint64_t gic_base,
			       mips_cm_release_fn release, void *opaque);

#endif
