// SPDX-License-Identifier: GPL-2.0
/*
 * The two board services the virtio code calls, for programs that run the
 * devices without a board: the unit tests and the fuzzer. The interrupt
 * line is recorded so tests can check it; no device tree is built here.
 */
#include <stdatomic.h>

#include "device.h"
#include "dtb.h"

static _Atomic int irq_level[16];

void device__set_irq(struct device *dev, int level)
{
	if (dev->irq >= 0 && dev->irq < 16)
		atomic_store(&irq_level[dev->irq], level);
}

int stub__irq_level(const struct device *dev);
int stub__irq_level(const struct device *dev)
{
	return atomic_load(&irq_level[dev->irq]);
}

int dtb__begin_device_node(void *fdt, struct device *dev, const char *name,
			   const char *compatible)
{
	(void)fdt;
	(void)dev;
	(void)name;
	(void)compatible;
	return -1;
}

/* No CPU here, so no translated code to drop when a device writes RAM. */
void code_cache__invalidate(struct bus *bus, uint64_t pa, uint64_t len)
{
	(void)bus;
	(void)pa;
	(void)len;
}
