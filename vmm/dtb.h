/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flattened device tree handed to the guest, built at run time with
 * libfdt's sequential-write API. The board writes the root, /cpus, /memory,
 * /chosen and the CPU interrupt controller; each device adds its own node
 * through device_ops.fdt_node, between fdt_begin_node and fdt_end_node.
 */
#ifndef MVM_DTB_H
#define MVM_DTB_H

#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

#include "board.h"

struct device;

/* Fixed phandles, so device nodes can refer to board nodes. */
#define DTB_PHANDLE_CPU_INTC	1
#define DTB_PHANDLE_CPU_CLOCK	2
#define DTB_PHANDLE_SYSCON	3
#define DTB_PHANDLE_GIC		4

/* The root node has #address-cells = #size-cells = 2. */
#define DTB_MAX_SIZE		(64 * 1024)

struct dtb_boot_params {
	const char *bootargs;
	uint64_t initrd_start, initrd_end;	/* guest physical; 0, 0: none */
};

/* Builds the DTB into buf; 0 or -1 (after an error message). */
int dtb__build(struct board *board, const struct dtb_boot_params *params,
	       void *buf, size_t size);

/*
 * For fdt_node callbacks: begins node "<name>@<base>" with compatible,
 * reg = <base size> and, when dev->irq >= 0, interrupts = <irq>. The
 * caller adds its own properties and ends the node. Returns a libfdt error.
 */
int dtb__begin_device_node(void *fdt, struct device *dev, const char *name,
			   const char *compatible);
/* reg = <addr size> in two-cell form. */
int dtb__property_reg(void *fdt, uint64_t addr, uint64_t size);

/* Writes the blob to a file: 0 or -1 (after an error message). */
int dtb__dump(const void *fdt, const char *path);

#endif
