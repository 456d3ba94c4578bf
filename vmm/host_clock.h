/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MIPS host's own Count as the guest's clock. Patched guest kernel code
 * reads Count natively (rdhwr $2 plus an offset on the commpage) only if
 * the core's Count is the same counter at the same rate: then a read in
 * patched code and one in the core never disagree, and Count never steps
 * back across an exit.
 */
#ifndef MVM_HOST_CLOCK_H
#define MVM_HOST_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t host_clock__mono_ns(void);
/* The host's Count (rdhwr $2); 0 on a host that is not MIPS. */
uint32_t host_clock__count(void);
/*
 * Measures the host Count's rate and makes it every vCPU's Count source
 * (cpu__set_clock); before the board exists. False, after a message, on a
 * host without a readable Count.
 */
bool host_clock__install(void);
bool host_clock__installed(void);

#endif
