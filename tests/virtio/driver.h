/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio driver in miniature, for tests: it owns a block of "guest RAM",
 * drives a device purely through its MMIO registers (device_ops read and
 * write) and lays out split rings and descriptor chains there as Linux
 * would, or as a hostile guest would when a test pokes the rings directly.
 */
#ifndef MVM_TEST_VIRTIO_DRIVER_H
#define MVM_TEST_VIRTIO_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "device.h"
#include "virtio.h"

#define DRV_RAM_SIZE	(8u << 20)
#define DRV_QUEUE_SIZE	64

struct drv_queue {
	uint16_t size;
	uint64_t desc, avail, used;
	uint16_t next_desc;	/* where the next chain starts (no free list) */
	uint16_t avail_idx;
	uint16_t used_seen;
};

struct drv {
	struct bus bus;
	struct device dev;
	uint64_t heap;		/* bump allocator inside RAM */
	uint64_t features;	/* negotiated */
	struct drv_queue q[VIRTIO_MAX_QUEUES];
};

/* One buffer of a chain: guest address, length, device-writable or not. */
struct drv_buf {
	uint64_t addr;
	uint32_t len;
	bool write;
};

void drv__init(struct drv *d, uint64_t ram_size);
void drv__exit(struct drv *d);		/* destroys the device too */
uint32_t drv__read(struct drv *d, uint64_t off);
void drv__write(struct drv *d, uint64_t off, uint32_t v);
uint64_t drv__config_read(struct drv *d, unsigned int off, unsigned int size);
/* Negotiates wanted & offered, sets up nr_queues queues; false on failure. */
bool drv__start(struct drv *d, uint64_t wanted, unsigned int nr_queues);
void drv__reset(struct drv *d);
uint64_t drv__alloc(struct drv *d, uint64_t size);
void *drv__host(struct drv *d, uint64_t gpa);

/* Write a chain into the descriptor table; returns its head. */
uint16_t drv__write_chain(struct drv *d, unsigned int q, const struct drv_buf *b,
			  unsigned int n);
/* Write one descriptor pointing at an indirect table holding the chain. */
uint16_t drv__write_indirect(struct drv *d, unsigned int q, const struct drv_buf *b,
			     unsigned int n);
/* Raw descriptor write, for hostile rings. */
void drv__set_desc(struct drv *d, unsigned int q, uint16_t i, uint64_t addr,
		   uint32_t len, uint16_t flags, uint16_t next);
/* Publish head in the avail ring (without notifying). */
void drv__publish(struct drv *d, unsigned int q, uint16_t head);
void drv__notify(struct drv *d, unsigned int q);
/* Chain + publish + notify. */
uint16_t drv__submit(struct drv *d, unsigned int q, const struct drv_buf *b,
		     unsigned int n);
/* Next used element, if any. */
bool drv__get_used(struct drv *d, unsigned int q, uint32_t *id, uint32_t *len);
/* Wait up to timeout_ms for a used element (for device threads). */
bool drv__wait_used(struct drv *d, unsigned int q, uint32_t *id, uint32_t *len,
		    int timeout_ms);
bool drv__needs_reset(struct drv *d);

/* The interrupt line as the device last set it (tests/virtio/stubs.c). */
int stub__irq_level(const struct device *dev);

#endif
