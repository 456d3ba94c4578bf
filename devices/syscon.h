/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MVM_SYSCON_H
#define MVM_SYSCON_H

#include <stdint.h>

/*
 * The board control register (32-bit, offset 0): writing SYSCON_REBOOT asks
 * for a reboot (Linux's syscon-reboot driver does this), SYSCON_POWEROFF for
 * a power-off (for bare-metal programs; Linux has no driver for it).
 */
#define SYSCON_REBOOT	1
#define SYSCON_POWEROFF	2

struct device *syscon__create(uint64_t base);

#endif
