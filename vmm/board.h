/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The `virt` board: RAM at physical 0, a 16550 UART, syscon (reboot), a
 * goldfish RTC and virtio-mmio slots, all wired to the CPU interrupt lines.
 * The board also holds the machine's run state, which any thread may change
 * (a device asks for a reboot, the console for a quit, a vCPU reports
 * power-off) and the backend waits on.
 */
#ifndef MVM_BOARD_H
#define MVM_BOARD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

struct cpu;
struct device;
struct vm_config;

#define BOARD_MAX_CPUS		16	/* the guest kernel's NR_CPUS */
#define BOARD_MIN_MEM		(64ULL << 20)
#define BOARD_MAX_MEM		(16ULL << 30)

#define BOARD_UART_BASE		0x1e000000ULL
#define BOARD_UART_SIZE		0x100
#define BOARD_UART_IRQ		2
#define BOARD_UART_CLOCK_HZ	1843200
#define BOARD_SYSCON_BASE	0x1e001000ULL
#define BOARD_SYSCON_SIZE	0x100
#define BOARD_RTC_BASE		0x1e002000ULL
#define BOARD_RTC_SIZE		0x1000
#define BOARD_RTC_IRQ		3
#define BOARD_VIRTIO_BASE	0x1e010000ULL
#define BOARD_VIRTIO_STRIDE	0x1000
#define BOARD_VIRTIO_SIZE	0x200
#define BOARD_VIRTIO_SLOTS	16
#define BOARD_VIRTIO_FIRST_IRQ	4	/* slots share IP4..IP6 round-robin */
#define BOARD_VIRTIO_LAST_IRQ	6
/* With more than one CPU (board_cps.c): the CPS parts SMP Linux needs. */
#define BOARD_GIC_BASE		0x1e100000ULL	/* 128 KiB aligned */
#define BOARD_CM_BASE		0x1e180000ULL	/* 32 KiB aligned; L2 sync follows */

/* Why the machine stopped; the first reason reported wins. */
enum board_state {
	BOARD_RUNNING,
	BOARD_POWEROFF,		/* the guest powered off */
	BOARD_REBOOT,		/* the guest asked for a reboot */
	BOARD_HALT,		/* a vCPU is stuck in a fatal state */
	BOARD_QUIT,		/* the user pressed Ctrl-a x */
	BOARD_ERROR,		/* the VMM failed */
};

struct board {
	struct bus bus;
	uint64_t mem_size;	/* RAM the guest was given (without the hole) */
	int nr_cpus;
	struct cpu *cpus[BOARD_MAX_CPUS];
	struct device *uart;
	/* virtio-console, set when the guest's console is hvc0: typed input goes there */
	struct device *hvc;
	int nr_virtio;

	/* Level-triggered lines: a line is up while any source holds it. */
	pthread_mutex_t irq_lock;
	struct device *irq_sources[BUS_MAX_DEVICES];
	uint64_t irq_raised[8];	/* per CPU line: bit n = irq_sources[n] */
	int nr_irq_sources;

	pthread_mutex_t state_lock;
	pthread_cond_t state_cond;
	enum board_state state;

	/* SMP: the coherence manager and GIC, NULL with one CPU. */
	struct device *cm, *gic;
	/* Under state_lock: CPUs the guest released (bit n), where they start. */
	uint32_t cpus_released;
	uint64_t cpu_start_pc[BOARD_MAX_CPUS];
};

/* Builds the machine from the configuration: RAM, CPUs, devices. */
struct board *board__create(const struct vm_config *cfg);
void board__destroy(struct board *board);

/* Places dev on the bus at dev->base; dev->irq (a CPU line 2..6) or -1. */
int board__add_device(struct board *board, struct device *dev);
/* Puts dev in the next free virtio-mmio slot: sets its base, size and irq. */
int board__add_virtio(struct board *board, struct device *dev);

/* Routes a device's interrupt to CPU 0; level-triggered, shared lines OR. */
void board__set_irq(struct board *board, struct device *dev, bool level);

/*
 * Any thread: stop the machine for `state` (the first request wins) and
 * kick every vCPU out of cpu__run() so the backend notices.
 */
void board__request(struct board *board, enum board_state state);
enum board_state board__state(struct board *board);
/* Blocks until the board is no longer running; returns why. */
enum board_state board__wait(struct board *board);

/*
 * SMP (board_cps.c). board__add_cps adds the CM and the GIC, through which
 * device lines then go; every CPU learns where the GCRs are. 0 or -1.
 */
int board__add_cps(struct board *board);
/* Any thread: the guest released CPU n from reset; it is to start at pc. */
void board__release_cpu(struct board *board, int n, uint64_t pc);
/*
 * CPU n's thread, before it runs: CPU 0 goes at once; another waits until
 * the guest releases it (true, after cpu__reset at its start address) or
 * the board stops (false).
 */
bool board__wait_cpu_release(struct board *board, int n);

/* Top of the RAM below the MMIO window: where the DTB and initrd go. */
uint64_t board__low_ram_end(const struct board *board);

/*
 * Loads kernel and initrd, builds the DTB (and writes it to --dtb-dump's
 * file) and resets CPU 0 to the kernel entry with the UHI arguments.
 * 0 or -1 after an error message.
 */
int board__load_guest(struct board *board, const struct vm_config *cfg);

#endif
