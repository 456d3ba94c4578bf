// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "cli.h"
#include "cpu.h"
#include "device.h"
#include "dtb.h"
#include "goldfish_rtc.h"
#include "loader.h"
#include "log.h"
#include "mips_gic.h"
#include "syscon.h"
#include "uart_8250.h"
#include "virtio.h"

uint64_t board__low_ram_end(const struct board *board)
{
	return board->bus.ram_size < BUS_MMIO_START ? board->bus.ram_size :
						      BUS_MMIO_START;
}

static int board__irq_source(struct board *board, struct device *dev)
{
	int i;

	for (i = 0; i < board->nr_irq_sources; i++)
		if (board->irq_sources[i] == dev)
			return i;
	return -1;
}

int board__add_device(struct board *board, struct device *dev)
{
	if (dev->irq >= 0 && (dev->irq < 2 || dev->irq > 6)) {
		pr_err("device %s: interrupt line IP%d is not a hardware line",
		       dev->ops->name, dev->irq);
		return -1;
	}
	if (bus__add_device(&board->bus, dev)) {
		pr_err("device %s: cannot place it at 0x%llx", dev->ops->name,
		       (unsigned long long)dev->base);
		return -1;
	}
	dev->board = board;
	if (dev->irq >= 0)
		board->irq_sources[board->nr_irq_sources++] = dev;
	return 0;
}

int board__add_virtio(struct board *board, struct device *dev)
{
	int n = board->nr_virtio;
	int nr_lines = BOARD_VIRTIO_LAST_IRQ - BOARD_VIRTIO_FIRST_IRQ + 1;

	if (n == BOARD_VIRTIO_SLOTS) {
		pr_err("no free virtio-mmio slot (the board has %d)",
		       BOARD_VIRTIO_SLOTS);
		return -1;
	}
	dev->base = BOARD_VIRTIO_BASE + n * BOARD_VIRTIO_STRIDE;
	dev->size = BOARD_VIRTIO_SIZE;
	dev->irq = BOARD_VIRTIO_FIRST_IRQ + n % nr_lines;
	if (board__add_device(board, dev))
		return -1;
	board->nr_virtio++;
	return 0;
}

void board__set_irq(struct board *board, struct device *dev, bool level)
{
	int src, line = dev->irq;
	bool was, now;

	pthread_mutex_lock(&board->irq_lock);
	src = board__irq_source(board, dev);
	if (src >= 0) {
		was = board->irq_raised[line] != 0;
		if (level)
			board->irq_raised[line] |= 1ULL << src;
		else
			board->irq_raised[line] &= ~(1ULL << src);
		now = board->irq_raised[line] != 0;
		/* Without a GIC, every line goes to CPU 0. */
		if (was != now && board->gic)
			mips_gic__set_irq(board->gic, line, now);
		else if (was != now)
			cpu__set_irq(board->cpus[0], line, now);
	}
	pthread_mutex_unlock(&board->irq_lock);
}

void board__request(struct board *board, enum board_state state)
{
	int i;

	pthread_mutex_lock(&board->state_lock);
	if (board->state == BOARD_RUNNING) {
		board->state = state;
		pthread_cond_broadcast(&board->state_cond);
	}
	pthread_mutex_unlock(&board->state_lock);
	for (i = 0; i < board->nr_cpus; i++)
		cpu__kick(board->cpus[i]);
}

enum board_state board__state(struct board *board)
{
	enum board_state state;

	pthread_mutex_lock(&board->state_lock);
	state = board->state;
	pthread_mutex_unlock(&board->state_lock);
	return state;
}

enum board_state board__wait(struct board *board)
{
	enum board_state state;

	pthread_mutex_lock(&board->state_lock);
	while (board->state == BOARD_RUNNING)
		pthread_cond_wait(&board->state_cond, &board->state_lock);
	state = board->state;
	pthread_mutex_unlock(&board->state_lock);
	return state;
}

static int board__add_new(struct board *board, struct device *dev,
			  const char *what)
{
	if (!dev) {
		pr_err("cannot create the %s", what);
		return -1;
	}
	if (board__add_device(board, dev)) {
		if (dev->ops->destroy)
			dev->ops->destroy(dev);
		free(dev);
		return -1;
	}
	return 0;
}

static int board__add_devices(struct board *board)
{
	board->uart = uart_8250__create(BOARD_UART_BASE, BOARD_UART_IRQ,
					STDOUT_FILENO);
	if (board__add_new(board, board->uart, "UART"))
		return -1;
	if (board__add_new(board, syscon__create(BOARD_SYSCON_BASE), "syscon"))
		return -1;
	return board__add_new(board,
			      goldfish_rtc__create(BOARD_RTC_BASE, BOARD_RTC_IRQ),
			      "RTC");
}

struct board *board__create(const struct vm_config *cfg)
{
	struct board *board = calloc(1, sizeof(*board));
	int i;

	if (!board) {
		pr_err("out of memory");
		return NULL;
	}
	pthread_mutex_init(&board->irq_lock, NULL);
	pthread_mutex_init(&board->state_lock, NULL);
	pthread_cond_init(&board->state_cond, NULL);
	board->state = BOARD_RUNNING;
	board->mem_size = cfg->mem_size;
	if (bus__init(&board->bus, cfg->mem_size, cfg->kmod_patch))
		goto fail;
	for (i = 0; i < cfg->nr_cpus; i++) {
		board->cpus[i] = cpu__create(&board->bus, i);
		if (!board->cpus[i]) {
			pr_err("cannot create vCPU %d", i);
			goto fail;
		}
		board->nr_cpus++;
	}
	if (board->nr_cpus > 1 && board__add_cps(board))
		goto fail;
	if (board__add_devices(board) || virtio__add_devices(board, cfg))
		goto fail;
	return board;
fail:
	board__destroy(board);
	return NULL;
}

void board__destroy(struct board *board)
{
	int i;

	for (i = 0; i < board->bus.nr_devices; i++) {
		struct device *dev = board->bus.devices[i];

		if (dev->ops->destroy)
			dev->ops->destroy(dev);
		free(dev);
	}
	for (i = 0; i < board->nr_cpus; i++)
		cpu__destroy(board->cpus[i]);
	bus__exit(&board->bus);
	pthread_mutex_destroy(&board->irq_lock);
	pthread_mutex_destroy(&board->state_lock);
	pthread_cond_destroy(&board->state_cond);
	free(board);
}

#define MIB (1ULL << 20)
/* The DTB sits this far below the top of low RAM, the initrd under it. */
#define DTB_FROM_TOP	MIB

/*
 * With KASLR, Linux copies itself up by less than 16 MiB, or by that plus
 * its own length (text to end of bss) when the offset would overlap the
 * original. Nothing we place may sit in that range. The raw image lacks
 * the bss: allow a quarter of the image for it.
 */
static uint64_t kernel_relocation_end(const struct kernel_image *image)
{
	uint64_t len = image->phys_end - image->phys_start;
	uint64_t span = len + len / 4 + MIB;
	uint64_t shift = 2 * span > 16 * MIB ? 2 * span : 16 * MIB;

	return image->phys_start + span + shift;
}

static void board__reset_cpus(struct board *board, uint64_t entry,
			      uint64_t dtb_pa)
{
	struct cpu *cpu = board->cpus[0];

	cpu__reset(cpu, entry);
	/* UHI: a0 = -2, a1 = the DTB's ckseg0 address, a2 = a3 = 0 */
	cpu->gpr[4] = (uint64_t)-2;
	cpu->gpr[5] = 0xffffffff80000000ULL + dtb_pa;
	cpu->gpr[6] = 0;
	cpu->gpr[7] = 0;
}

static char *board__bootargs(const struct vm_config *cfg)
{
	size_t len = strlen(CLI_DEFAULT_APPEND) + strlen(cfg->append) + 2;
	char *args = malloc(len);

	if (args)
		snprintf(args, len, "%s%s%s", CLI_DEFAULT_APPEND,
			 cfg->append[0] ? " " : "", cfg->append);
	return args;
}

static int board__place_dtb(struct board *board, const struct vm_config *cfg,
			    struct dtb_boot_params *params, uint64_t dtb_pa)
{
	uint8_t *fdt = malloc(DTB_MAX_SIZE);
	int ret = -1;

	if (!fdt) {
		pr_err("out of memory");
		return -1;
	}
	if (dtb__build(board, params, fdt, DTB_MAX_SIZE))
		goto out;
	memcpy(board->bus.ram + dtb_pa, fdt, fdt_totalsize(fdt));
	ret = cfg->dtb_dump ? dtb__dump(fdt, cfg->dtb_dump) : 0;
out:
	free(fdt);
	return ret;
}

int board__load_guest(struct board *board, const struct vm_config *cfg)
{
	struct dtb_boot_params params = { 0 };
	struct kernel_image image;
	uint64_t dtb_pa, lowest;
	char *bootargs;
	int ret;

	if (loader__load_kernel(&board->bus, cfg->kernel, &image))
		return -1;
	dtb_pa = board__low_ram_end(board) - DTB_FROM_TOP;
	lowest = kernel_relocation_end(&image);
	if (dtb_pa < lowest) {
		pr_err("--mem %llu MiB is too small for kernel %s: it needs at least %llu MiB",
		       (unsigned long long)(board->mem_size >> 20), cfg->kernel,
		       (unsigned long long)((lowest + DTB_FROM_TOP) >> 20) + 1);
		return -1;
	}
	if (cfg->initrd &&
	    loader__load_initrd(&board->bus, cfg->initrd, lowest, dtb_pa,
				&params.initrd_start, &params.initrd_end))
		return -1;
	bootargs = board__bootargs(cfg);
	if (!bootargs) {
		pr_err("out of memory");
		return -1;
	}
	params.bootargs = bootargs;
	ret = board__place_dtb(board, cfg, &params, dtb_pa);
	free(bootargs);
	if (!ret)
		board__reset_cpus(board, image.entry, dtb_pa);
	return ret;
}
