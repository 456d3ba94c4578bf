// SPDX-License-Identifier: GPL-2.0
/*
 * The MIPS GIC (see mips_gic.h). Register layout of the 128 KiB block:
 *   0x00000 shared section: CONFIG, COUNTER, per-interrupt bitmaps (POL,
 *           TRIG, DUAL, RMASK/SMASK/MASK, PEND), WEDGE, MAP_PIN, MAP_VP
 *   0x08000 VP-local section of the accessing VP
 *   0x0c000 VP-other section: the local section of the VP that the
 *           accessing VP selected with its VP_OTHER register
 *   0x10000 user section (counter for user mode; reads as zero here)
 * Registers are 32 bits; 64-bit accesses are split in two, narrower writes
 * are ignored (with a log line), narrower reads return their bytes.
 *
 * All state sits under one lock; a change recomputes every VP's pins and
 * raises or lowers the CPU lines that changed. The lock is only taken on
 * GIC MMIO and on device interrupt changes, never on the vCPU hot path.
 */
#include <pthread.h>
#include <stdlib.h>

#include "cpu.h"
#include "device.h"
#include "dtb.h"
#include "host_clock.h"
#include "log.h"
#include "mips_gic.h"

#define GIC_LOCAL_OFS		0x08000
#define GIC_OTHER_OFS		0x0c000
#define GIC_USER_OFS		0x10000
#define GIC_SECTION_SIZE	0x04000

/* shared section */
#define GIC_SH_CONFIG		0x000
#define  GIC_CONFIG_COUNTSTOP	(1u << 28)
#define  GIC_CONFIG_COUNTBITS	(8u << 24)	/* (64 - 32) / 4: a 64-bit counter */
#define GIC_SH_COUNTER_LO	0x010
#define GIC_SH_COUNTER_HI	0x014
#define GIC_SH_POL		0x100
#define GIC_SH_TRIG		0x180
#define GIC_SH_DUAL		0x200
#define GIC_SH_WEDGE		0x280
#define  GIC_WEDGE_RW		(1u << 31)
#define GIC_SH_RMASK		0x300
#define GIC_SH_SMASK		0x380
#define GIC_SH_MASK		0x400
#define GIC_SH_PEND		0x480
#define GIC_SH_MAP_PIN		0x500	/* + 4 * intr */
#define  GIC_MAP_TO_PIN		(1u << 31)
#define  GIC_MAP_TO_NMI		(1u << 30)
#define  GIC_MAP_PIN_MASK	0x3fu
#define GIC_SH_MAP_VP		0x2000	/* + 0x20 * intr + 4 * word */

/* VP-local section */
#define GIC_VX_CTL		0x000
#define GIC_VX_PEND		0x004
#define GIC_VX_MASK		0x008
#define GIC_VX_RMASK		0x00c
#define GIC_VX_SMASK		0x010
#define GIC_VX_MAP		0x040	/* + 4 * n, n < GIC_NR_LOCAL_MAPS */
#define GIC_VX_OTHER		0x080
#define GIC_VX_IDENT		0x088
#define GIC_VX_COMPARE_LO	0x0a0
#define GIC_VX_COMPARE_HI	0x0a4

#define GIC_NR_LOCAL_INTRS	7
#define GIC_NR_LOCAL_MAPS	7
#define GIC_LOCAL_MASK		((1u << GIC_NR_LOCAL_INTRS) - 1)
#define GIC_COUNTER_HZ		CPU_COUNT_HZ

/* Pins 0..4 reach IP2..IP6; pin 5 (IP7) belongs to the CP0 timer here. */
#define GIC_NR_PINS		5

struct gic_vp {
	uint32_t local_mask;
	uint32_t local_map[GIC_NR_LOCAL_MAPS];
	uint32_t other;		/* VP_OTHER: whose local block 0xc000 shows */
	uint64_t compare;
	uint32_t lines;		/* Cause.IP bits this GIC drives now */
};

struct mips_gic {
	pthread_mutex_t lock;
	int nr_vps;
	struct cpu **cpus;
	bool count_stopped;
	uint64_t count_offset;	/* counter = host ticks + offset, or frozen */
	uint64_t count_frozen;
	/* bit n = shared interrupt n */
	uint64_t pol, trig, dual, mask, input, edge;
	uint32_t map_pin[MIPS_GIC_SHARED_INTRS];
	uint32_t map_vp[MIPS_GIC_SHARED_INTRS];
	struct gic_vp vp[MIPS_GIC_MAX_VPS];
	bool warned_narrow, warned_pin;
};

static uint64_t gic__host_ticks(void)
{
	return host_clock__mono_ns() / (1000000000ull / GIC_COUNTER_HZ);
}

static uint64_t gic__counter(struct mips_gic *g)
{
	return g->count_stopped ? g->count_frozen :
				  gic__host_ticks() + g->count_offset;
}

static void gic__set_counter(struct mips_gic *g, uint64_t value)
{
	g->count_frozen = value;
	g->count_offset = value - gic__host_ticks();
}

/* Level interrupts are pending while the input matches the polarity. */
static uint64_t gic__pending(const struct mips_gic *g)
{
	return g->edge | (~g->trig & ~(g->input ^ g->pol));
}

/* With the lock held: drive every VP's pins from the current state. */
static void gic__update(struct mips_gic *g)
{
	uint64_t active = gic__pending(g) & g->mask;
	uint32_t lines[MIPS_GIC_MAX_VPS] = { 0 };
	int v, ip;

	for (unsigned int i = 0; active; i++, active >>= 1) {
		uint32_t pin = g->map_pin[i] & GIC_MAP_PIN_MASK;

		if (!(active & 1) || !(g->map_pin[i] & GIC_MAP_TO_PIN))
			continue;
		if (pin >= GIC_NR_PINS) {
			if (!g->warned_pin)
				pr_warn("gic: interrupt %u mapped to pin %u, which has no CPU line here",
					i, pin);
			g->warned_pin = true;
			continue;
		}
		for (v = 0; v < g->nr_vps; v++)
			if (g->map_vp[i] & (1u << v))
				lines[v] |= 1u << (pin + 2);
	}
	for (v = 0; v < g->nr_vps; v++) {
		uint32_t changed = lines[v] ^ g->vp[v].lines;

		for (ip = 2; ip < 2 + GIC_NR_PINS; ip++)
			if (changed & (1u << ip))
				cpu__set_irq(g->cpus[v], ip, lines[v] & (1u << ip));
		g->vp[v].lines = lines[v];
	}
}

void mips_gic__set_irq(struct device *dev, unsigned int intr, bool level)
{
	struct mips_gic *g = dev->priv;
	uint64_t bit = 1ull << intr;
	bool was;

	if (intr >= MIPS_GIC_SHARED_INTRS)
		return;
	pthread_mutex_lock(&g->lock);
	was = (g->input & bit) != 0;
	if (level)
		g->input |= bit;
	else
		g->input &= ~bit;
	/* An edge-triggered interrupt latches the edge it is set up for. */
	if ((g->trig & bit) && was != level &&
	    ((g->dual & bit) || level == ((g->pol & bit) != 0)))
		g->edge |= bit;
	gic__update(g);
	pthread_mutex_unlock(&g->lock);
}

/* A 32-bit word of a per-interrupt bitmap: word 0 = interrupts 0..31. */
static uint32_t bitmap_word(uint64_t map, uint64_t reg, uint64_t offset)
{
	unsigned int word = (unsigned int)(offset - reg) / 4;

	return (uint32_t)(map >> (32 * word));
}

static uint64_t word_bits(uint32_t value, uint64_t reg, uint64_t offset)
{
	unsigned int word = (unsigned int)(offset - reg) / 4;

	return (uint64_t)value << (32 * word);
}

static void set_word(uint64_t *map, uint32_t value, uint64_t reg,
		     uint64_t offset)
{
	uint64_t word_mask = word_bits(0xffffffffu, reg, offset);

	*map = (*map & ~word_mask) | word_bits(value, reg, offset);
}

#define IN_BITMAP(off, reg)	((off) >= (reg) && (off) < (reg) + MIPS_GIC_SHARED_INTRS / 8)

static uint32_t gic__shared_read(struct mips_gic *g, uint64_t off)
{
	if (off == GIC_SH_CONFIG)
		return (g->count_stopped ? GIC_CONFIG_COUNTSTOP : 0) |
		       GIC_CONFIG_COUNTBITS |
		       ((MIPS_GIC_SHARED_INTRS / 8 - 1) << 16) |
		       (uint32_t)(g->nr_vps - 1);
	if (off == GIC_SH_COUNTER_LO)
		return (uint32_t)gic__counter(g);
	if (off == GIC_SH_COUNTER_HI)
		return (uint32_t)(gic__counter(g) >> 32);
	if (IN_BITMAP(off, GIC_SH_POL))
		return bitmap_word(g->pol, GIC_SH_POL, off);
	if (IN_BITMAP(off, GIC_SH_TRIG))
		return bitmap_word(g->trig, GIC_SH_TRIG, off);
	if (IN_BITMAP(off, GIC_SH_DUAL))
		return bitmap_word(g->dual, GIC_SH_DUAL, off);
	if (IN_BITMAP(off, GIC_SH_MASK))
		return bitmap_word(g->mask, GIC_SH_MASK, off);
	if (IN_BITMAP(off, GIC_SH_PEND))
		return bitmap_word(gic__pending(g), GIC_SH_PEND, off);
	if (off >= GIC_SH_MAP_PIN && off < GIC_SH_MAP_PIN + 4 * MIPS_GIC_SHARED_INTRS)
		return g->map_pin[(off - GIC_SH_MAP_PIN) / 4];
	if (off >= GIC_SH_MAP_VP && off < GIC_SH_MAP_VP + 0x20 * MIPS_GIC_SHARED_INTRS)
		return (off & 0x1f) ? 0 : g->map_vp[(off - GIC_SH_MAP_VP) / 0x20];
	return 0;	/* RMASK, SMASK, WEDGE and reserved space read as zero */
}

static void gic__shared_write(struct mips_gic *g, uint64_t off, uint32_t val)
{
	if (off == GIC_SH_CONFIG) {
		bool stop = (val & GIC_CONFIG_COUNTSTOP) != 0;

		if (stop && !g->count_stopped)
			g->count_frozen = gic__counter(g);
		else if (!stop && g->count_stopped)
			gic__set_counter(g, g->count_frozen);
		g->count_stopped = stop;
	} else if (off == GIC_SH_COUNTER_LO || off == GIC_SH_COUNTER_HI) {
		uint64_t now = gic__counter(g);

		if (off == GIC_SH_COUNTER_LO)
			now = (now & ~0xffffffffull) | val;
		else
			now = (now & 0xffffffffull) | ((uint64_t)val << 32);
		gic__set_counter(g, now);
	} else if (IN_BITMAP(off, GIC_SH_POL)) {
		set_word(&g->pol, val, GIC_SH_POL, off);
	} else if (IN_BITMAP(off, GIC_SH_TRIG)) {
		set_word(&g->trig, val, GIC_SH_TRIG, off);
		g->edge &= g->trig;	/* a level interrupt has no latch */
	} else if (IN_BITMAP(off, GIC_SH_DUAL)) {
		set_word(&g->dual, val, GIC_SH_DUAL, off);
	} else if (off == GIC_SH_WEDGE) {
		unsigned int intr = val & 0xff;

		if (intr >= MIPS_GIC_SHARED_INTRS)
			return;
		if (val & GIC_WEDGE_RW)
			g->edge |= 1ull << intr;
		else
			g->edge &= ~(1ull << intr);
	} else if (IN_BITMAP(off, GIC_SH_RMASK)) {
		g->mask &= ~word_bits(val, GIC_SH_RMASK, off);
	} else if (IN_BITMAP(off, GIC_SH_SMASK)) {
		g->mask |= word_bits(val, GIC_SH_SMASK, off);
	} else if (off >= GIC_SH_MAP_PIN &&
		   off < GIC_SH_MAP_PIN + 4 * MIPS_GIC_SHARED_INTRS) {
		g->map_pin[(off - GIC_SH_MAP_PIN) / 4] =
			val & (GIC_MAP_TO_PIN | GIC_MAP_TO_NMI | GIC_MAP_PIN_MASK);
	} else if (off >= GIC_SH_MAP_VP &&
		   off < GIC_SH_MAP_VP + 0x20 * MIPS_GIC_SHARED_INTRS) {
		if (!(off & 0x1f))
			g->map_vp[(off - GIC_SH_MAP_VP) / 0x20] =
				val & (uint32_t)((1ull << g->nr_vps) - 1);
	} else {
		return;		/* read-only or reserved */
	}
	gic__update(g);
}

static uint32_t gic__local_read(struct mips_gic *g, int v, uint64_t off)
{
	struct gic_vp *vp = &g->vp[v];

	switch (off) {
	case GIC_VX_CTL:
		return 0;	/* no EIC, no routable local interrupt */
	case GIC_VX_PEND:
		return 0;	/* local sources stay on their CP0 lines */
	case GIC_VX_MASK:
		return vp->local_mask;
	case GIC_VX_OTHER:
		return vp->other;
	case GIC_VX_IDENT:
		return (uint32_t)v;
	case GIC_VX_COMPARE_LO:
		return (uint32_t)vp->compare;
	case GIC_VX_COMPARE_HI:
		return (uint32_t)(vp->compare >> 32);
	}
	if (off >= GIC_VX_MAP && off < GIC_VX_MAP + 4 * GIC_NR_LOCAL_MAPS)
		return vp->local_map[(off - GIC_VX_MAP) / 4];
	return 0;
}

static void gic__local_write(struct mips_gic *g, int v, uint64_t off,
			     uint32_t val)
{
	struct gic_vp *vp = &g->vp[v];

	switch (off) {
	case GIC_VX_RMASK:
		vp->local_mask &= ~val;
		return;
	case GIC_VX_SMASK:
		vp->local_mask |= val & GIC_LOCAL_MASK;
		return;
	case GIC_VX_OTHER:
		vp->other = val & 0x3f;
		return;
	case GIC_VX_COMPARE_LO:
		vp->compare = (vp->compare & ~0xffffffffull) | val;
		return;
	case GIC_VX_COMPARE_HI:
		vp->compare = (vp->compare & 0xffffffffull) | ((uint64_t)val << 32);
		return;
	}
	if (off >= GIC_VX_MAP && off < GIC_VX_MAP + 4 * GIC_NR_LOCAL_MAPS)
		vp->local_map[(off - GIC_VX_MAP) / 4] =
			val & (GIC_MAP_TO_PIN | GIC_MAP_TO_NMI | GIC_MAP_PIN_MASK);
	/* CTL (EIC cannot be enabled), PEND, MASK, IDENT are read-only here. */
}

/* The VP whose local block off (in the local or other section) names, or -1. */
static int gic__block_vp(struct mips_gic *g, uint64_t off)
{
	int self = device__current_cpu();
	int v;

	if (self < 0 || self >= g->nr_vps)
		self = 0;	/* a VMM thread: act as VP 0 */
	if (off < GIC_OTHER_OFS)
		return self;
	v = (int)g->vp[self].other;
	return v < g->nr_vps ? v : -1;
}

static uint32_t gic__read32(struct mips_gic *g, uint64_t off)
{
	int v;

	if (off < GIC_LOCAL_OFS)
		return gic__shared_read(g, off);
	if (off < GIC_USER_OFS) {
		v = gic__block_vp(g, off);
		return v < 0 ? 0 : gic__local_read(g, v, off % GIC_SECTION_SIZE);
	}
	return 0;
}

static void gic__write32(struct mips_gic *g, uint64_t off, uint32_t val)
{
	int v;

	if (off < GIC_LOCAL_OFS) {
		gic__shared_write(g, off, val);
	} else if (off < GIC_USER_OFS) {
		v = gic__block_vp(g, off);
		if (v >= 0)
			gic__local_write(g, v, off % GIC_SECTION_SIZE, val);
	}
}

static uint64_t gic__read(struct device *dev, uint64_t offset,
			  unsigned int size)
{
	struct mips_gic *g = dev->priv;
	uint64_t word = offset & ~3ull, value;

	pthread_mutex_lock(&g->lock);
	if (size == 8 && !(offset & 7))
		value = gic__read32(g, offset) |
			((uint64_t)gic__read32(g, offset + 4) << 32);
	else
		value = gic__read32(g, word) >> (8 * (offset & 3));
	pthread_mutex_unlock(&g->lock);
	return size == 8 ? value : value & ((1ull << (8 * size)) - 1);
}

static void gic__write(struct device *dev, uint64_t offset, uint64_t value,
		       unsigned int size)
{
	struct mips_gic *g = dev->priv;

	pthread_mutex_lock(&g->lock);
	if (size == 4 && !(offset & 3)) {
		gic__write32(g, offset, (uint32_t)value);
	} else if (size == 8 && !(offset & 7)) {
		gic__write32(g, offset, (uint32_t)value);
		gic__write32(g, offset + 4, (uint32_t)(value >> 32));
	} else if (!g->warned_narrow) {
		g->warned_narrow = true;
		pr_warn("gic: ignored %u-byte write at offset 0x%llx (registers are 32-bit)",
			size, (unsigned long long)offset);
	}
	pthread_mutex_unlock(&g->lock);
}

static int gic__fdt_node(struct device *dev, void *fdt)
{
	int ret = dtb__begin_device_node(fdt, dev, "interrupt-controller",
					 "mti,gic");

	ret = ret ?: fdt_property(fdt, "interrupt-controller", NULL, 0);
	ret = ret ?: fdt_property_u32(fdt, "#interrupt-cells", 3);
	ret = ret ?: fdt_property_u32(fdt, "#address-cells", 0);
	/* Set up after the CPU interrupt controller that its pins feed. */
	ret = ret ?: fdt_property_u32(fdt, "interrupt-parent", DTB_PHANDLE_CPU_INTC);
	ret = ret ?: fdt_property_u32(fdt, "phandle", DTB_PHANDLE_GIC);
	return ret ?: fdt_end_node(fdt);
}

static void gic__destroy(struct device *dev)
{
	struct mips_gic *g = dev->priv;

	pthread_mutex_destroy(&g->lock);
	free(g);
}

static const struct device_ops gic_ops = {
	.name = "gic",
	.read = gic__read,
	.write = gic__write,
	.destroy = gic__destroy,
	.fdt_node = gic__fdt_node,
};

struct device *mips_gic__create(uint64_t base, int nr_vps, struct cpu **cpus)
{
	struct device *dev;
	struct mips_gic *g;

	if (nr_vps < 1 || nr_vps > MIPS_GIC_MAX_VPS)
		return NULL;
	dev = calloc(1, sizeof(*dev));
	g = calloc(1, sizeof(*g));
	if (!dev || !g) {
		free(dev);
		free(g);
		return NULL;
	}
	pthread_mutex_init(&g->lock, NULL);
	g->nr_vps = nr_vps;
	g->cpus = cpus;
	gic__set_counter(g, 0);
	dev->ops = &gic_ops;
	dev->base = base;
	dev->size = MIPS_GIC_SIZE;
	dev->irq = -1;
	dev->priv = g;
	return dev;
}
