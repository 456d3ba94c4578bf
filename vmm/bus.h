/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest physical address space: RAM at physical 0 plus MMIO devices.
 * Shared by every backend: the emulator's CPU calls it on loads and stores
 * that miss RAM, the kmod backend on MMIO exits.
 */
#ifndef MVM_BUS_H
#define MVM_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define BUS_MAX_DEVICES 64

/*
 * Devices live in [BUS_MMIO_START, BUS_MMIO_END). Guests with more RAM than
 * fits below it get the rest above it: the host mapping stays one piece
 * (guest physical pa is at ram + pa) and its pages inside the window are
 * simply never used, so RAM is everything below ram_size but the window.
 */
#define BUS_MMIO_START	0x1e000000ULL
#define BUS_MMIO_END	0x20000000ULL

struct device;

struct bus {
	uint8_t *ram;		/* host mapping of guest physical [0, ram_size) */
	uint64_t ram_size;
	struct device *devices[BUS_MAX_DEVICES];
	int nr_devices;
	/*
	 * Which RAM pages hold translated guest code, shared by all vCPUs and
	 * owned by the CPU core (vmm/code_cache.c). Anything that writes guest
	 * RAM behind the CPU's back (device DMA, the loader) must call
	 * code_cache__invalidate() so stale translations are dropped.
	 */
	struct code_cache *code;
};

/*
 * Maps guest RAM: mem_size bytes of memory for the guest, so ram_size is
 * mem_size plus the MMIO window when mem_size reaches into it.
 */
/*
 * huge: ask for transparent huge pages (patch mode, where mvm.ko then maps
 * guest RAM with 2 MiB TLB entries: on the QEMU host a Linux boot reached
 * its shell in 195 s with them, and had not after 4 minutes, at 50,000
 * refills a second, without). Not otherwise: under QEMU TCG a host huge
 * page makes every host TLB write inside its (growing) range flush QEMU's
 * whole software TLB, and split mode's boot took 680 s to /init instead
 * of 121 s to the shell.
 */
int bus__init(struct bus *bus, uint64_t mem_size, bool huge);
void bus__exit(struct bus *bus);
/* Returns 0, or -1 when the range overlaps RAM or another device. */
int bus__add_device(struct bus *bus, struct device *dev);
struct device *bus__find_device(struct bus *bus, uint64_t pa);
/*
 * MMIO accesses (not RAM). Return false when nothing is mapped at pa: the
 * CPU turns that into a bus error exception for the guest.
 */
bool bus__mmio_read(struct bus *bus, uint64_t pa, unsigned int size,
		    uint64_t *value);
bool bus__mmio_write(struct bus *bus, uint64_t pa, unsigned int size,
		     uint64_t value);

static inline bool bus__is_ram(const struct bus *bus, uint64_t pa,
			       unsigned int size)
{
	return pa < bus->ram_size && size <= bus->ram_size - pa &&
	       (pa + size <= BUS_MMIO_START || pa >= BUS_MMIO_END);
}

#endif
