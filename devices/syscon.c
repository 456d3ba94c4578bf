// SPDX-License-Identifier: GPL-2.0
/*
 * A syscon block with one control register. Linux drives it through the
 * generic syscon-reboot driver, described by a node beside the syscon one.
 */
#include <stdlib.h>

#include "board.h"
#include "device.h"
#include "dtb.h"
#include "log.h"
#include "syscon.h"

static uint64_t syscon__read(struct device *dev, uint64_t offset,
			     unsigned int size)
{
	(void)dev;
	(void)offset;
	(void)size;
	return 0;	/* syscon-reboot reads before it writes: nothing set */
}

static void syscon__write(struct device *dev, uint64_t offset, uint64_t value,
			  unsigned int size)
{
	(void)size;
	if (offset != 0)
		return;
	if (value == SYSCON_REBOOT)
		board__request(dev->board, BOARD_REBOOT);
	else if (value == SYSCON_POWEROFF)
		board__request(dev->board, BOARD_POWEROFF);
	else
		pr_debug("syscon: ignored write of 0x%llx",
			 (unsigned long long)value);
}

static int syscon__fdt_node(struct device *dev, void *fdt)
{
	int ret = dtb__begin_device_node(fdt, dev, "syscon", "syscon");

	ret = ret ?: fdt_property_u32(fdt, "reg-io-width", 4);
	ret = ret ?: fdt_property_u32(fdt, "phandle", DTB_PHANDLE_SYSCON);
	ret = ret ?: fdt_end_node(fdt);

	ret = ret ?: fdt_begin_node(fdt, "reboot");
	ret = ret ?: fdt_property_string(fdt, "compatible", "syscon-reboot");
	ret = ret ?: fdt_property_u32(fdt, "regmap", DTB_PHANDLE_SYSCON);
	ret = ret ?: fdt_property_u32(fdt, "offset", 0);
	ret = ret ?: fdt_property_u32(fdt, "value", SYSCON_REBOOT);
	return ret ?: fdt_end_node(fdt);
}

static const struct device_ops syscon_ops = {
	.name = "syscon",
	.read = syscon__read,
	.write = syscon__write,
	.fdt_node = syscon__fdt_node,
};

struct device *syscon__create(uint64_t base)
{
	struct device *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return NULL;
	dev->ops = &syscon_ops;
	dev->base = base;
	dev->size = BOARD_SYSCON_SIZE;
	dev->irq = -1;
	return dev;
}
