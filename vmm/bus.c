// SPDX-License-Identifier: GPL-2.0
/*
 * The guest physical address space. RAM is one anonymous mapping; MMIO
 * devices sit in a small sorted table. The table is filled while the board
 * is built, before any vCPU runs, and only read afterwards, so lookups need
 * no lock.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "bus.h"
#include "cpu.h"
#include "device.h"
#include "log.h"

/* Guest RAM starts on a 2 MiB boundary, where a huge page can back it. */
#define RAM_ALIGN	(2ull << 20)

int bus__init(struct bus *bus, uint64_t mem_size, bool huge)
{
	uint64_t ram_size = mem_size, head;
	uint8_t *map, *ram;

	if (mem_size > BUS_MMIO_START)
		ram_size += BUS_MMIO_END - BUS_MMIO_START;
	memset(bus, 0, sizeof(*bus));
	/* NORESERVE: the guest touches what it uses, the host commits that. */
	map = mmap(NULL, ram_size + RAM_ALIGN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED) {
		pr_err("cannot map %llu MiB of guest RAM: %s",
		       (unsigned long long)(mem_size >> 20), strerror(errno));
		return -1;
	}
	ram = (uint8_t *)(((uintptr_t)map + RAM_ALIGN - 1) & ~(uintptr_t)(RAM_ALIGN - 1));
	head = (uint64_t)(ram - map);
	if (head)
		munmap(map, head);
	if (RAM_ALIGN - head)
		munmap(ram + ram_size, RAM_ALIGN - head);
	if (huge)
		madvise(ram, ram_size, MADV_HUGEPAGE);	/* a hint: THP may be off */
	bus->ram = ram;
	bus->ram_size = ram_size;
	return 0;
}

void bus__exit(struct bus *bus)
{
	code_cache__free(bus);
	if (bus->ram)
		munmap(bus->ram, bus->ram_size);
	bus->ram = NULL;
	bus->ram_size = 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool bus__overlaps_ram(struct bus *bus, uint64_t base, uint64_t size)
{
	uint64_t low_end = bus->ram_size < BUS_MMIO_START ? bus->ram_size :
			   BUS_MMIO_START;

	if (ranges_overlap(base, size, 0, low_end))
		return true;
	return bus->ram_size > BUS_MMIO_END &&
	       ranges_overlap(base, size, BUS_MMIO_END,
			      bus->ram_size - BUS_MMIO_END);
}

int bus__add_device(struct bus *bus, struct device *dev)
{
	int i, pos;

	if (!dev->size || dev->base + dev->size < dev->base ||
	    bus__overlaps_ram(bus, dev->base, dev->size) ||
	    bus->nr_devices == BUS_MAX_DEVICES)
		return -1;
	for (i = 0; i < bus->nr_devices; i++) {
		struct device *d = bus->devices[i];

		if (ranges_overlap(dev->base, dev->size, d->base, d->size))
			return -1;
	}
	/* Keep the table sorted by base for the binary search. */
	for (pos = bus->nr_devices; pos > 0; pos--) {
		if (bus->devices[pos - 1]->base < dev->base)
			break;
		bus->devices[pos] = bus->devices[pos - 1];
	}
	bus->devices[pos] = dev;
	bus->nr_devices++;
	return 0;
}

struct device *bus__find_device(struct bus *bus, uint64_t pa)
{
	int lo = 0, hi = bus->nr_devices - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		struct device *d = bus->devices[mid];

		if (pa < d->base)
			hi = mid - 1;
		else if (pa - d->base >= d->size)
			lo = mid + 1;
		else
			return d;
	}
	return NULL;
}

/* The device whose range holds all of [pa, pa + size), or NULL. */
static struct device *bus__device_for(struct bus *bus, uint64_t pa,
				      unsigned int size)
{
	struct device *d = bus__find_device(bus, pa);

	if (!d || size > d->size - (pa - d->base))
		return NULL;
	return d;
}

bool bus__mmio_read(struct bus *bus, uint64_t pa, unsigned int size,
		    uint64_t *value)
{
	struct device *d = bus__device_for(bus, pa, size);

	if (!d)
		return false;
	*value = d->ops->read ? d->ops->read(d, pa - d->base, size) : 0;
	return true;
}

bool bus__mmio_write(struct bus *bus, uint64_t pa, unsigned int size,
		     uint64_t value)
{
	struct device *d = bus__device_for(bus, pa, size);

	if (!d)
		return false;
	if (d->ops->write)
		d->ops->write(d, pa - d->base, value, size);
	return true;
}
