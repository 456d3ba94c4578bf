// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "board.h"
#include "cpu.h"
#include "device.h"
#include "dtb.h"
#include "log.h"

int dtb__property_reg(void *fdt, uint64_t addr, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(addr), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

int dtb__begin_device_node(void *fdt, struct device *dev, const char *name,
			   const char *compatible)
{
	char node[64];
	int ret;

	snprintf(node, sizeof(node), "%s@%llx", name,
		 (unsigned long long)dev->base);
	ret = fdt_begin_node(fdt, node);
	ret = ret ?: fdt_property_string(fdt, "compatible", compatible);
	ret = ret ?: dtb__property_reg(fdt, dev->base, dev->size);
	if (!ret && dev->irq >= 0 && dev->board && dev->board->gic) {
		/* GIC shared interrupt dev->irq, level high */
		fdt32_t spec[3] = { cpu_to_fdt32(0), cpu_to_fdt32(dev->irq),
				    cpu_to_fdt32(4) };

		ret = fdt_property(fdt, "interrupts", spec, sizeof(spec));
	} else if (!ret && dev->irq >= 0) {
		ret = fdt_property_u32(fdt, "interrupts", dev->irq);
	}
	return ret;
}

static int dtb__cpus(void *fdt, struct board *board)
{
	int i, ret;

	ret = fdt_begin_node(fdt, "cpus");
	ret = ret ?: fdt_property_u32(fdt, "#address-cells", 1);
	ret = ret ?: fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; !ret && i < board->nr_cpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%d", i);
		ret = fdt_begin_node(fdt, name);
		ret = ret ?: fdt_property_string(fdt, "device_type", "cpu");
		ret = ret ?: fdt_property_string(fdt, "compatible", "mti,mips64r2");
		ret = ret ?: fdt_property_u32(fdt, "reg", i);
		/* The kernel derives the Count rate (clock / 2) from this. */
		ret = ret ?: fdt_property_u32(fdt, "clocks", DTB_PHANDLE_CPU_CLOCK);
		ret = ret ?: fdt_end_node(fdt);
	}
	return ret ?: fdt_end_node(fdt);
}

static int dtb__cpu_clock(void *fdt)
{
	int ret = fdt_begin_node(fdt, "cpu-clock");

	ret = ret ?: fdt_property_string(fdt, "compatible", "fixed-clock");
	ret = ret ?: fdt_property_u32(fdt, "#clock-cells", 0);
	ret = ret ?: fdt_property_u32(fdt, "clock-frequency",
					     (uint32_t)(2 * cpu__count_hz()));
	ret = ret ?: fdt_property_string(fdt, "clock-output-names", "cpu");
	ret = ret ?: fdt_property_u32(fdt, "phandle", DTB_PHANDLE_CPU_CLOCK);
	return ret ?: fdt_end_node(fdt);
}

/* Interrupt specifier = the Cause.IP bit: 2..6 for devices, 7 the timer. */
static int dtb__cpu_intc(void *fdt, struct board *board)
{
	int ret = fdt_begin_node(fdt, "interrupt-controller");

	/* Under a GIC root it names itself: the root controller, set up first. */
	if (!ret && board->gic)
		ret = fdt_property_u32(fdt, "interrupt-parent", DTB_PHANDLE_CPU_INTC);

	ret = ret ?: fdt_property_string(fdt, "compatible",
					 "mti,cpu-interrupt-controller");
	ret = ret ?: fdt_property(fdt, "interrupt-controller", NULL, 0);
	ret = ret ?: fdt_property_u32(fdt, "#interrupt-cells", 1);
	ret = ret ?: fdt_property_u32(fdt, "#address-cells", 0);
	ret = ret ?: fdt_property_u32(fdt, "phandle", DTB_PHANDLE_CPU_INTC);
	return ret ?: fdt_end_node(fdt);
}

static int dtb__memory(void *fdt, struct board *board)
{
	uint64_t low = board__low_ram_end(board);
	fdt64_t reg[4] = { cpu_to_fdt64(0), cpu_to_fdt64(low) };
	int nr = 2, ret;

	if (board->bus.ram_size > BUS_MMIO_END) {
		reg[2] = cpu_to_fdt64(BUS_MMIO_END);
		reg[3] = cpu_to_fdt64(board->bus.ram_size - BUS_MMIO_END);
		nr = 4;
	}
	ret = fdt_begin_node(fdt, "memory@0");
	ret = ret ?: fdt_property_string(fdt, "device_type", "memory");
	ret = ret ?: fdt_property(fdt, "reg", reg, nr * sizeof(reg[0]));
	return ret ?: fdt_end_node(fdt);
}

static int dtb__chosen(void *fdt, struct board *board,
		       const struct dtb_boot_params *params)
{
	char stdout_path[64];
	uint64_t seed;
	int ret;

	snprintf(stdout_path, sizeof(stdout_path), "/serial@%llx:115200n8",
		 (unsigned long long)board->uart->base);
	ret = fdt_begin_node(fdt, "chosen");
	ret = ret ?: fdt_property_string(fdt, "bootargs", params->bootargs);
	ret = ret ?: fdt_property_string(fdt, "stdout-path", stdout_path);
	/* Entropy for KASLR: the kernel mixes it into its choice of offset. */
	if (!ret && getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		ret = fdt_property_u64(fdt, "kaslr-seed", seed);
	if (!ret && params->initrd_end > params->initrd_start) {
		ret = fdt_property_u64(fdt, "linux,initrd-start",
				       params->initrd_start);
		ret = ret ?: fdt_property_u64(fdt, "linux,initrd-end",
					      params->initrd_end);
	}
	return ret ?: fdt_end_node(fdt);
}

static int dtb__aliases(void *fdt, struct board *board)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/serial@%llx",
		 (unsigned long long)board->uart->base);
	ret = fdt_begin_node(fdt, "aliases");
	ret = ret ?: fdt_property_string(fdt, "serial0", path);
	return ret ?: fdt_end_node(fdt);
}

static int dtb__devices(void *fdt, struct board *board)
{
	int i, ret = 0;

	for (i = 0; !ret && i < board->bus.nr_devices; i++) {
		struct device *dev = board->bus.devices[i];

		if (dev->ops->fdt_node)
			ret = dev->ops->fdt_node(dev, fdt);
	}
	return ret;
}

int dtb__build(struct board *board, const struct dtb_boot_params *params,
	       void *buf, size_t size)
{
	int ret;

	ret = fdt_create(buf, size);
	ret = ret ?: fdt_finish_reservemap(buf);
	ret = ret ?: fdt_begin_node(buf, "");
	ret = ret ?: fdt_property_string(buf, "compatible", "mvm,virt");
	ret = ret ?: fdt_property_string(buf, "model", "mvm virt board");
	ret = ret ?: fdt_property_u32(buf, "#address-cells", 2);
	ret = ret ?: fdt_property_u32(buf, "#size-cells", 2);
	ret = ret ?: fdt_property_u32(buf, "interrupt-parent",
				      board->gic ? DTB_PHANDLE_GIC :
						   DTB_PHANDLE_CPU_INTC);
	ret = ret ?: dtb__cpus(buf, board);
	ret = ret ?: dtb__cpu_clock(buf);
	ret = ret ?: dtb__cpu_intc(buf, board);
	ret = ret ?: dtb__memory(buf, board);
	ret = ret ?: dtb__aliases(buf, board);
	ret = ret ?: dtb__chosen(buf, board, params);
	ret = ret ?: dtb__devices(buf, board);
	ret = ret ?: fdt_end_node(buf);
	ret = ret ?: fdt_finish(buf);
	if (ret) {
		pr_err("cannot build the device tree: %s", fdt_strerror(ret));
		return -1;
	}
	return 0;
}

int dtb__dump(const void *fdt, const char *path)
{
	FILE *f = fopen(path, "wb");
	size_t size = fdt_totalsize(fdt);
	bool ok;

	if (!f) {
		pr_err("--dtb-dump %s: %s", path, strerror(errno));
		return -1;
	}
	ok = fwrite(fdt, 1, size, f) == size;
	if (fclose(f))
		ok = false;
	if (!ok) {
		pr_err("--dtb-dump %s: write failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
