// SPDX-License-Identifier: GPL-2.0
/*
 * The bare-metal program tests/gdb/run debugs: a function to break on, a
 * branch to single-step through, a variable to watch, one gdb writes and a
 * loop that only a debugger ends (Ctrl-C, then `set var spin = 0`).
 */
#include "rt.h"

const char *bm_name = "gdb-target";

volatile u64 counter;
volatile u64 watched;
volatile u64 magic = 0x1122334455667788ULL;
volatile u64 poked;
volatile u64 spin = 1;

u64 step_branch(void);
asm(".text\n"
    ".set push\n.set noreorder\n"
    ".globl step_branch\n"
    "step_branch:\n"
    "	li	$2, 1\n"
    ".globl step_branch_beq\n"
    "step_branch_beq:\n"
    "	beq	$0, $0, 1f\n"
    "	addiu	$2, $2, 2\n"		/* delay slot: runs */
    "	addiu	$2, $2, 100\n"		/* skipped */
    ".globl step_branch_target\n"
    "step_branch_target:\n"
    "1:	jr	$31\n"
    "	addiu	$2, $2, 4\n"
    ".set pop\n");

void __attribute__((noinline)) bp_here(u64 x)
{
	counter += x;
}

void __attribute__((noinline)) set_watched(u64 v)
{
	watched = v;
}

void bm_main(void)
{
	for (u64 i = 1; i <= 3; i++)
		bp_here(i);
	printf("step_branch %llu\n", (unsigned long long)step_branch());
	set_watched(42);
	set_watched(43);
	printf("spinning\n");
	while (spin)
		counter++;
	printf("poked %llx\n", (unsigned long long)poked);
	printf("counter nonzero %d\n", counter > 6);
}
