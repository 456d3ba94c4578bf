// SPDX-License-Identifier: GPL-2.0
/*
 * The CM 2.5 GCR block (see mips_cm.h). Registers are 32 bits; the 64-bit
 * ones of CM 2.5 are read as two halves (the kernel does exactly that when
 * GCR_REV < CM 3), and 8-byte accesses are split in two. Layout:
 *   0x0000 global control block      0x2000 core-local block
 *   0x4000 core-other block          0x6000 global debug block (zeros)
 *   0x8000 L2-only sync region (writes are accepted and ignored)
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "device.h"
#include "log.h"
#include "mips_cm.h"

/* global control block */
#define GCR_CONFIG		0x000
#define GCR_BASE		0x008
#define  GCR_BASE_CMDEFTGT	0x3u
#define GCR_ACCESS		0x020
#define GCR_REV			0x030
#define GCR_REG_FIRST		0x090	/* REGn_BASE/MASK, n = 0..3 */
#define GCR_REG_LAST		0x0cc
#define GCR_L2_ONLY_SYNC_BASE	0x070
#define  GCR_L2SYNC_EN		1u
#define GCR_GIC_BASE		0x080
#define  GCR_GIC_EN		1u
#define GCR_CPC_BASE		0x088
#define GCR_GIC_STATUS		0x0d0
#define  GCR_GIC_STATUS_EX	1u
#define GCR_CPC_STATUS		0x0f0

/* core-local / core-other blocks */
#define GCR_CL_OFS		0x2000
#define GCR_CO_OFS		0x4000
#define GCR_DEBUG_OFS		0x6000
#define GCR_CX_RESET_RELEASE	0x00
#define GCR_CX_COHERENCE	0x08
#define GCR_CX_CONFIG		0x10
#define GCR_CX_OTHER		0x18
#define  GCR_CX_OTHER_CORENUM_SHIFT 16
#define GCR_CX_RESET_BASE	0x20
#define  GCR_CX_RESET_BASE_MASK	0xfffff002u	/* BEVEXCBASE | MODE */
#define GCR_CX_ID		0x28
#define GCR_CX_RESET_EXT_BASE	0x30

#define RESET_BASE_DEFAULT	0xbfc00000u	/* the boot ROM in KSEG1 */

struct cm_core {
	uint32_t reset_release;	/* 1 = held in reset */
	uint32_t coherence;
	uint32_t other;
	uint32_t reset_base;
	uint32_t reset_ext_base;
};

struct mips_cm {
	pthread_mutex_t lock;
	uint64_t base, gic_base;
	int nr_cores;
	uint32_t base_deftgt;
	uint32_t access;
	bool gic_enabled;
	uint32_t regions[(GCR_REG_LAST - GCR_REG_FIRST) / 4 + 1];
	struct cm_core core[MIPS_CM_MAX_CORES];
	mips_cm_release_fn release;
	void *opaque;
	bool warned_narrow, warned_move;
};

static int cm__self(const struct mips_cm *cm)
{
	int self = device__current_cpu();

	return self >= 0 && self < cm->nr_cores ? self : 0;
}

/* The core a core-local or core-other access is about, or -1 for none. */
static int cm__block_core(struct mips_cm *cm, uint64_t off)
{
	int self = cm__self(cm), other;

	if (off < GCR_CO_OFS)
		return self;
	other = (int)(cm->core[self].other >> GCR_CX_OTHER_CORENUM_SHIFT);
	return other < cm->nr_cores ? other : -1;
}

static uint32_t cm__global_read(struct mips_cm *cm, uint64_t off)
{
	uint64_t l2sync = cm->base + MIPS_CM_GCR_SIZE;

	switch (off) {
	case GCR_CONFIG:
		return (uint32_t)(cm->nr_cores - 1);	/* PCORES; no IOCU */
	case GCR_BASE:
		return (uint32_t)cm->base | cm->base_deftgt;
	case GCR_BASE + 4:
		return (uint32_t)(cm->base >> 32);
	case GCR_ACCESS:
		return cm->access;
	case GCR_REV:
		return MIPS_CM_REV_2_5;
	case GCR_L2_ONLY_SYNC_BASE:
		/* Enabled from the start, at a fixed place: Linux keeps it. */
		return (uint32_t)l2sync | GCR_L2SYNC_EN;
	case GCR_GIC_BASE:
		return (uint32_t)cm->gic_base | (cm->gic_enabled ? GCR_GIC_EN : 0);
	case GCR_GIC_BASE + 4:
		return (uint32_t)(cm->gic_base >> 32);
	case GCR_GIC_STATUS:
		return GCR_GIC_STATUS_EX;
	case GCR_CPC_BASE:
	case GCR_CPC_STATUS:
		return 0;	/* no CPC: cores are released through the GCRs */
	}
	if (off >= GCR_REG_FIRST && off <= GCR_REG_LAST)
		return cm->regions[(off - GCR_REG_FIRST) / 4];
	return 0;	/* error registers, debug block, reserved */
}

static void cm__warn_move(struct mips_cm *cm, const char *what, uint32_t val)
{
	if (!cm->warned_move)
		pr_warn("cm: the guest moved %s to 0x%x; it stays where the board put it",
			what, val);
	cm->warned_move = true;
}

static void cm__global_write(struct mips_cm *cm, uint64_t off, uint32_t val)
{
	switch (off) {
	case GCR_BASE:
		if ((val & ~GCR_BASE_CMDEFTGT) != (uint32_t)cm->base)
			cm__warn_move(cm, "the GCRs", val);
		cm->base_deftgt = val & GCR_BASE_CMDEFTGT;
		return;
	case GCR_ACCESS:
		cm->access = val & 0xff;
		return;
	case GCR_L2_ONLY_SYNC_BASE:
		if ((val & ~GCR_L2SYNC_EN) !=
		    (uint32_t)(cm->base + MIPS_CM_GCR_SIZE))
			cm__warn_move(cm, "the L2-only sync region", val);
		return;
	case GCR_GIC_BASE:
		if ((val & ~GCR_GIC_EN) != (uint32_t)cm->gic_base)
			cm__warn_move(cm, "the GIC", val);
		cm->gic_enabled = (val & GCR_GIC_EN) != 0;
		return;
	}
	if (off >= GCR_REG_FIRST && off <= GCR_REG_LAST)
		cm->regions[(off - GCR_REG_FIRST) / 4] = val;
}

static uint32_t cm__core_read(struct mips_cm *cm, int n, uint64_t reg)
{
	struct cm_core *c = &cm->core[n];

	switch (reg) {
	case GCR_CX_RESET_RELEASE: return c->reset_release;
	case GCR_CX_COHERENCE: return c->coherence;
	case GCR_CX_CONFIG: return 0;		/* one VP(E) per core */
	case GCR_CX_OTHER: return c->other;
	case GCR_CX_RESET_BASE: return c->reset_base;
	case GCR_CX_ID: return (uint32_t)n;	/* cluster 0 */
	case GCR_CX_RESET_EXT_BASE: return c->reset_ext_base;
	}
	return 0;
}

/* Returns true when the write released core n (*pc: where it starts). */
static bool cm__core_write(struct mips_cm *cm, int n, uint64_t reg,
			   uint32_t val, uint64_t *pc)
{
	struct cm_core *c = &cm->core[n];

	switch (reg) {
	case GCR_CX_RESET_RELEASE:
		/*
		 * 0 releases a held core. Holding a running core again would
		 * reset it; Linux never does that without a CPC, so the value
		 * is only recorded.
		 */
		if (c->reset_release && !(val & 1)) {
			c->reset_release = 0;
			*pc = (uint64_t)(int64_t)(int32_t)(c->reset_base & 0xfffff000u);
			return true;
		}
		c->reset_release = val & 1;
		break;
	case GCR_CX_COHERENCE: c->coherence = val & 0xff; break;
	case GCR_CX_OTHER: c->other = val & 0xffff0000u; break;
	case GCR_CX_RESET_BASE: c->reset_base = val & GCR_CX_RESET_BASE_MASK; break;
	case GCR_CX_RESET_EXT_BASE: c->reset_ext_base = val; break;
	}
	return false;
}

static uint32_t cm__read32(struct mips_cm *cm, uint64_t off)
{
	int n;

	if (off < GCR_CL_OFS)
		return cm__global_read(cm, off);
	if (off < GCR_DEBUG_OFS) {
		n = cm__block_core(cm, off);
		return n < 0 ? 0 : cm__core_read(cm, n, off % 0x2000);
	}
	return 0;
}

/* Returns the core the write released, or -1. */
static int cm__write32(struct mips_cm *cm, uint64_t off, uint32_t val,
		       uint64_t *pc)
{
	int n;

	if (off < GCR_CL_OFS) {
		cm__global_write(cm, off, val);
	} else if (off < GCR_DEBUG_OFS) {
		n = cm__block_core(cm, off);
		if (n >= 0 && cm__core_write(cm, n, off % 0x2000, val, pc))
			return n;
	}
	return -1;
}

static uint64_t cm__read(struct device *dev, uint64_t offset,
			 unsigned int size)
{
	struct mips_cm *cm = dev->priv;
	uint64_t value;

	pthread_mutex_lock(&cm->lock);
	if (size == 8 && !(offset & 7))
		value = cm__read32(cm, offset) |
			((uint64_t)cm__read32(cm, offset + 4) << 32);
	else
		value = cm__read32(cm, offset & ~3ull) >> (8 * (offset & 3));
	pthread_mutex_unlock(&cm->lock);
	return size == 8 ? value : value & ((1ull << (8 * size)) - 1);
}

static void cm__write(struct device *dev, uint64_t offset, uint64_t value,
		      unsigned int size)
{
	struct mips_cm *cm = dev->priv;
	int released[2] = { -1, -1 };
	uint64_t pc[2] = { 0, 0 };

	pthread_mutex_lock(&cm->lock);
	if (size == 4 && !(offset & 3)) {
		released[0] = cm__write32(cm, offset, (uint32_t)value, &pc[0]);
	} else if (size == 8 && !(offset & 7)) {
		released[0] = cm__write32(cm, offset, (uint32_t)value, &pc[0]);
		released[1] = cm__write32(cm, offset + 4, (uint32_t)(value >> 32),
					  &pc[1]);
	} else if (!cm->warned_narrow) {
		cm->warned_narrow = true;
		pr_warn("cm: ignored %u-byte write at offset 0x%llx (registers are 32-bit)",
			size, (unsigned long long)offset);
	}
	pthread_mutex_unlock(&cm->lock);
	for (int i = 0; i < 2; i++)
		if (released[i] >= 0 && cm->release)
			cm->release(cm->opaque, released[i], pc[i]);
}

static void cm__destroy(struct device *dev)
{
	struct mips_cm *cm = dev->priv;

	pthread_mutex_destroy(&cm->lock);
	free(cm);
}

static const struct device_ops cm_ops = {
	.name = "cm",
	.read = cm__read,
	.write = cm__write,
	.destroy = cm__destroy,
};

struct device *mips_cm__create(uint64_t base, int nr_cores, uint64_t gic_base,
			       mips_cm_release_fn release, void *opaque)
{
	struct device *dev;
	struct mips_cm *cm;

	if (nr_cores < 1 || nr_cores > MIPS_CM_MAX_CORES ||
	    (base & (MIPS_CM_GCR_SIZE - 1)) || base >> 32 || gic_base >> 32)
		return NULL;
	dev = calloc(1, sizeof(*dev));
	cm = calloc(1, sizeof(*cm));
	if (!dev || !cm) {
		free(dev);
		free(cm);
		return NULL;
	}
	pthread_mutex_init(&cm->lock, NULL);
	cm->base = base;
	cm->gic_base = gic_base;
	cm->nr_cores = nr_cores;
	cm->release = release;
	cm->opaque = opaque;
	for (int i = 0; i < nr_cores; i++) {
		cm->core[i].reset_release = i ? 1 : 0;
		cm->core[i].reset_base = RESET_BASE_DEFAULT;
	}
	dev->ops = &cm_ops;
	dev->base = base;
	dev->size = MIPS_CM_SIZE;
	dev->irq = -1;
	dev->priv = cm;
	return dev;
}
