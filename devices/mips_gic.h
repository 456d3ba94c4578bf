/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MIPS Global Interrupt Controller (GIC) of a Coherent Processing
 * System: shared interrupts from devices (and IPIs, triggered by writing
 * WEDGE) are masked, latched and routed through MAP_PIN/MAP_VP to one pin of
 * one VP (= vCPU); pin n drives the CPU's Cause.IP(n + 2). Each VP also has
 * a local block (control, local masks, map registers, VP_OTHER/IDENT).
 * Only the non-EIC mode exists, and no local interrupt is routable: the CP0
 * timer stays on IP7 and the kernel treats it as such.
 */
#ifndef MVM_MIPS_GIC_H
#define MVM_MIPS_GIC_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;
struct device;

#define MIPS_GIC_SIZE		0x20000
#define MIPS_GIC_SHARED_INTRS	64	/* devices below, 2 IPIs per CPU on top */
#define MIPS_GIC_MAX_VPS	32	/* one word of MAP_VP */

/*
 * A GIC at base for nr_vps VPs; cpus[v] receives VP v's pins. The array
 * must outlive the device. NULL when out of memory.
 */
struct device *mips_gic__create(uint64_t base, int nr_vps, struct cpu **cpus);

/* Any thread: the level of shared interrupt intr's input (a device line). */
void mips_gic__set_irq(struct device *gic, unsigned int intr, bool level);

#endif
