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

struct device;

struct bus {
	uint8_t *ram;		/* host mapping of guest physical [0, ram_size) */
	uint64_t ram_size;
	struct device *devices[BUS_MAX_DEVICES];
	int nr_devices;
};

int bus__init(struct bus *bus, uint64_t ram_size);
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
	return pa < bus->ram_size && size <= bus->ram_size - pa;
}

#endif
