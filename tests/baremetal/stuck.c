// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that can make no progress: every exception vector holds a
 * reserved instruction, so the first exception loops forever without
 * retiring anything. mvm must stop with status 4 (`run` checks it)
 * instead of spinning or crashing.
 */
#include "rt.h"

const char *bm_name = "stuck";

static u32 ri_page[1024] __attribute__((aligned(4096)));

void bm_main(void)
{
	int i;

	for (i = 0; i < 1024; i++)
		ri_page[i] = 0xec000000;	/* reserved opcode */
	asm volatile("sync" ::: "memory");
	check_true(true, "vectors full of reserved instructions set up");
	printf("# end %s\n", bm_name);
	MTC0(C0_EBASE, (u64)(uintptr_t)ri_page);
	asm volatile("syscall");
	check_true(false, "no return from the exception loop");
}
