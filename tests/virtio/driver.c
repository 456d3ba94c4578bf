// SPDX-License-Identifier: GPL-2.0
/* The miniature virtio driver of driver.h. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "driver.h"

void drv__init(struct drv *d, uint64_t ram_size)
{
	memset(d, 0, sizeof(*d));
	d->bus.ram = calloc(1, ram_size);
	d->bus.ram_size = ram_size;
	d->dev.base = 0x1e010000;
	d->dev.irq = 4;
	d->heap = 0x1000;
}

void drv__exit(struct drv *d)
{
	if (d->dev.ops && d->dev.ops->destroy)
		d->dev.ops->destroy(&d->dev);
	free(d->bus.ram);
}

uint32_t drv__read(struct drv *d, uint64_t off)
{
	return d->dev.ops->read(&d->dev, off, 4);
}

void drv__write(struct drv *d, uint64_t off, uint32_t v)
{
	d->dev.ops->write(&d->dev, off, v, 4);
}

uint64_t drv__config_read(struct drv *d, unsigned int off, unsigned int size)
{
	return d->dev.ops->read(&d->dev, VIRTIO_MMIO_CONFIG + off, size);
}

void *drv__host(struct drv *d, uint64_t gpa)
{
	return d->bus.ram + gpa;
}

uint64_t drv__alloc(struct drv *d, uint64_t size)
{
	uint64_t a = (d->heap + 15) & ~15ull;

	d->heap = a + size;
	if (d->heap > d->bus.ram_size)
		abort();	/* a test asked for more RAM than it made */
	return a;
}

static void drv__setup_queue(struct drv *d, unsigned int q, uint16_t size)
{
	struct drv_queue *vq = &d->q[q];

	memset(vq, 0, sizeof(*vq));
	vq->size = size;
	vq->desc = drv__alloc(d, 16 * size);
	vq->avail = drv__alloc(d, 6 + 2 * size);
	vq->used = drv__alloc(d, 6 + 8 * size);
	drv__write(d, VIRTIO_MMIO_QUEUE_SEL, q);
	drv__write(d, VIRTIO_MMIO_QUEUE_NUM, size);
	drv__write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, vq->desc);
	drv__write(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, vq->desc >> 32);
	drv__write(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, vq->avail);
	drv__write(d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, vq->avail >> 32);
	drv__write(d, VIRTIO_MMIO_QUEUE_USED_LOW, vq->used);
	drv__write(d, VIRTIO_MMIO_QUEUE_USED_HIGH, vq->used >> 32);
	drv__write(d, VIRTIO_MMIO_QUEUE_READY, 1);
}

void drv__reset(struct drv *d)
{
	drv__write(d, VIRTIO_MMIO_STATUS, 0);
}

bool drv__start(struct drv *d, uint64_t wanted, unsigned int nr_queues)
{
	uint64_t offered;

	drv__reset(d);
	drv__write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	drv__write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	drv__write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	offered = (uint64_t)drv__read(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	drv__write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	offered |= drv__read(d, VIRTIO_MMIO_DEVICE_FEATURES);
	d->features = offered & wanted;
	drv__write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	drv__write(d, VIRTIO_MMIO_DRIVER_FEATURES, d->features >> 32);
	drv__write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	drv__write(d, VIRTIO_MMIO_DRIVER_FEATURES, d->features);
	drv__write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
		   VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(drv__read(d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK))
		return false;
	for (unsigned int q = 0; q < nr_queues; q++)
		drv__setup_queue(d, q, DRV_QUEUE_SIZE);
	drv__write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
		   VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
		   VIRTIO_CONFIG_S_DRIVER_OK);
	return !drv__needs_reset(d);
}

void drv__set_desc(struct drv *d, unsigned int q, uint16_t i, uint64_t addr,
		   uint32_t len, uint16_t flags, uint16_t next)
{
	struct vring_desc *desc = drv__host(d, d->q[q].desc);

	desc[i].addr = addr;
	desc[i].len = len;
	desc[i].flags = flags;
	desc[i].next = next;
}

static uint16_t drv__flags(const struct drv_buf *b, bool more)
{
	return (b->write ? VRING_DESC_F_WRITE : 0) | (more ? VRING_DESC_F_NEXT : 0);
}

uint16_t drv__write_chain(struct drv *d, unsigned int q, const struct drv_buf *b,
			  unsigned int n)
{
	struct drv_queue *vq = &d->q[q];
	uint16_t head = vq->next_desc % vq->size;

	for (unsigned int i = 0; i < n; i++) {
		uint16_t idx = (head + i) % vq->size;

		drv__set_desc(d, q, idx, b[i].addr, b[i].len, drv__flags(&b[i], i + 1 < n),
			      (idx + 1) % vq->size);
	}
	vq->next_desc = (head + n) % vq->size;
	return head;
}

uint16_t drv__write_indirect(struct drv *d, unsigned int q, const struct drv_buf *b,
			     unsigned int n)
{
	struct drv_queue *vq = &d->q[q];
	uint64_t table = drv__alloc(d, 16 * n);
	struct vring_desc *t = drv__host(d, table);
	uint16_t head = vq->next_desc % vq->size;

	for (unsigned int i = 0; i < n; i++) {
		t[i].addr = b[i].addr;
		t[i].len = b[i].len;
		t[i].flags = drv__flags(&b[i], i + 1 < n);
		t[i].next = i + 1;
	}
	drv__set_desc(d, q, head, table, 16 * n, VRING_DESC_F_INDIRECT, 0);
	vq->next_desc = (head + 1) % vq->size;
	return head;
}

void drv__publish(struct drv *d, unsigned int q, uint16_t head)
{
	struct drv_queue *vq = &d->q[q];
	uint16_t *avail = drv__host(d, vq->avail);

	avail[2 + vq->avail_idx % vq->size] = head;
	vq->avail_idx++;
	atomic_store_explicit((_Atomic uint16_t *)&avail[1], vq->avail_idx,
			      memory_order_release);
}

void drv__notify(struct drv *d, unsigned int q)
{
	drv__write(d, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

uint16_t drv__submit(struct drv *d, unsigned int q, const struct drv_buf *b,
		     unsigned int n)
{
	uint16_t head = drv__write_chain(d, q, b, n);

	drv__publish(d, q, head);
	drv__notify(d, q);
	return head;
}

bool drv__get_used(struct drv *d, unsigned int q, uint32_t *id, uint32_t *len)
{
	struct drv_queue *vq = &d->q[q];
	uint8_t *used = drv__host(d, vq->used);
	uint16_t idx = atomic_load_explicit((_Atomic uint16_t *)(used + 2),
					    memory_order_acquire);
	uint32_t *elem;

	if (idx == vq->used_seen)
		return false;
	elem = (uint32_t *)(used + 4 + 8 * (vq->used_seen % vq->size));
	*id = elem[0];
	*len = elem[1];
	vq->used_seen++;
	return true;
}

bool drv__wait_used(struct drv *d, unsigned int q, uint32_t *id, uint32_t *len,
		    int timeout_ms)
{
	struct timespec pause = { 0, 1000000 };

	for (int i = 0; i < timeout_ms; i++) {
		if (drv__get_used(d, q, id, len))
			return true;
		nanosleep(&pause, NULL);
	}
	return drv__get_used(d, q, id, len);
}

bool drv__needs_reset(struct drv *d)
{
	return drv__read(d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET;
}
