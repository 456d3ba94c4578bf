// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-mmio transport, version 2 (virtio 1.1, section 4.2.2): register
 * decode, feature negotiation, device status, queue set-up, interrupts and
 * reset. Device models plug in through struct virtio_device_ops.
 *
 * Every register access comes from a guest: a bad width, an offset outside
 * the registers, a write at the wrong time is logged once and ignored, never
 * fatal.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "bus.h"
#include "dtb.h"
#include "log.h"
#include "virtio.h"

#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */
/* A guest that keeps breaking its device must not flood the host's log. */
#define VIRTIO_MAX_BROKEN_LOGS	8

static struct virtio_dev *virtio_mmio__vdev(struct device *dev)
{
	return dev->priv;
}

bool virtio__has_feature(const struct virtio_dev *vdev, unsigned int bit)
{
	return vdev->driver_features & (1ull << bit);
}

bool virtio__is_live(const struct virtio_dev *vdev)
{
	return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vdev->broken;
}

static void virtio__update_irq(struct virtio_dev *vdev)
{
	device__set_irq(vdev->dev, vdev->interrupt_status != 0);
}

void virtio__signal_used(struct virtio_dev *vdev, struct virtq *vq)
{
	if (!virtq__should_notify(vq))
		return;
	vdev->interrupt_status |= VIRTIO_MMIO_INT_VRING;
	virtio__update_irq(vdev);
}

void virtio__signal_config(struct virtio_dev *vdev)
{
	vdev->config_generation++;
	if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK))
		return;
	vdev->interrupt_status |= VIRTIO_MMIO_INT_CONFIG;
	virtio__update_irq(vdev);
}

void virtio__set_broken(struct virtio_dev *vdev, const char *fmt, ...)
{
	static _Atomic unsigned int logged;
	char why[256];
	va_list ap;

	if (vdev->broken)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (logged++ < VIRTIO_MAX_BROKEN_LOGS)
		pr_warn("virtio-%s at %#llx: %s: device needs reset%s",
			vdev->ops->name, (unsigned long long)vdev->dev->base, why,
			logged == VIRTIO_MAX_BROKEN_LOGS ? " (further reports suppressed)" : "");
	vdev->broken = true;
	vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	virtio__signal_config(vdev);
}

static void virtio__bad_access(struct virtio_dev *vdev, const char *what,
			       uint64_t offset, unsigned int size)
{
	if (vdev->warned_access)
		return;
	vdev->warned_access = true;
	pr_warn("virtio-%s at %#llx: guest %s of %u bytes at offset %#llx ignored",
		vdev->ops->name, (unsigned long long)vdev->dev->base, what, size,
		(unsigned long long)offset);
}

static void virtio__reset(struct virtio_dev *vdev)
{
	vdev->status = 0;
	vdev->driver_features = 0;
	vdev->device_features_sel = 0;
	vdev->driver_features_sel = 0;
	vdev->queue_sel = 0;
	vdev->broken = false;
	for (unsigned int i = 0; i < VIRTIO_MAX_QUEUES; i++)
		vdev->vqs[i] = (struct virtq){ .vdev = vdev };
	if (vdev->ops->reset)
		vdev->ops->reset(vdev);
	vdev->interrupt_status = 0;
	virtio__update_irq(vdev);
}

static struct virtq *virtio__selected_queue(struct virtio_dev *vdev)
{
	if (vdev->queue_sel >= vdev->ops->num_queues)
		return NULL;
	return &vdev->vqs[vdev->queue_sel];
}

static uint64_t virtio__config_read(struct virtio_dev *vdev, uint64_t offset,
				    unsigned int size)
{
	uint64_t v = 0;

	if (offset > vdev->config_size || size > vdev->config_size - offset) {
		virtio__bad_access(vdev, "config read", offset, size);
		return 0;
	}
	memcpy(&v, vdev->config + offset, size);
	return le64toh(v);
}

static void virtio__config_write(struct virtio_dev *vdev, uint64_t offset,
				 uint64_t value, unsigned int size)
{
	uint64_t v = htole64(value);

	if (!vdev->ops->config_written || offset > vdev->config_size ||
	    size > vdev->config_size - offset) {
		virtio__bad_access(vdev, "config write", offset, size);
		return;
	}
	memcpy(vdev->config + offset, &v, size);
	vdev->ops->config_written(vdev, offset, size);
}

static uint32_t virtio__queue_read(struct virtio_dev *vdev, uint64_t offset)
{
	struct virtq *vq = virtio__selected_queue(vdev);

	if (!vq)
		return 0;
	switch (offset) {
	case VIRTIO_MMIO_QUEUE_NUM_MAX:	return vdev->ops->queue_size;
	case VIRTIO_MMIO_QUEUE_READY:		return vq->ready;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:	return vq->desc_addr;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:	return vq->desc_addr >> 32;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:	return vq->avail_addr;
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:	return vq->avail_addr >> 32;
	case VIRTIO_MMIO_QUEUE_USED_LOW:	return vq->used_addr;
	case VIRTIO_MMIO_QUEUE_USED_HIGH:	return vq->used_addr >> 32;
	}
	return 0;
}

static uint32_t virtio__reg_read(struct virtio_dev *vdev, uint64_t offset)
{
	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE:		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:		return 2;
	case VIRTIO_MMIO_DEVICE_ID:		return vdev->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID:		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (vdev->device_features_sel > 1)
			return 0;
		return vdev->device_features >> (32 * vdev->device_features_sel);
	case VIRTIO_MMIO_INTERRUPT_STATUS:	return vdev->interrupt_status;
	case VIRTIO_MMIO_STATUS:		return vdev->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:	return vdev->config_generation;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
		return 0xffffffff;	/* no shared memory regions */
	}
	return virtio__queue_read(vdev, offset);
}

static uint64_t virtio_mmio__read(struct device *dev, uint64_t offset,
				  unsigned int size)
{
	struct virtio_dev *vdev = virtio_mmio__vdev(dev);
	uint64_t v = 0;

	pthread_mutex_lock(&vdev->lock);
	if (offset >= VIRTIO_MMIO_CONFIG)
		v = virtio__config_read(vdev, offset - VIRTIO_MMIO_CONFIG, size);
	else if (size == 4 && !(offset & 3))
		v = virtio__reg_read(vdev, offset);
	else
		virtio__bad_access(vdev, "register read", offset, size);
	pthread_mutex_unlock(&vdev->lock);
	return v;
}

static void virtio__write_driver_features(struct virtio_dev *vdev, uint32_t v)
{
	unsigned int shift = 32 * vdev->driver_features_sel;

	if (vdev->driver_features_sel > 1 ||
	    !(vdev->status & VIRTIO_CONFIG_S_DRIVER) ||
	    (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK))
		return;
	vdev->driver_features &= ~(0xffffffffull << shift);
	vdev->driver_features |= (uint64_t)v << shift;
}

static void virtio__queue_set_ready(struct virtio_dev *vdev, struct virtq *vq,
				   uint32_t v)
{
	if (!v) {
		vq->ready = false;
		return;
	}
	if (vq->ready)
		return;
	vq->event_idx = virtio__has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);
	vq->last_avail = vq->used_idx = vq->signalled_used = 0;
	vq->ready = virtq__validate_layout(vq);
}

static void virtio__set_addr(uint64_t *addr, bool high, uint32_t v)
{
	if (high)
		*addr = (*addr & 0xffffffffull) | (uint64_t)v << 32;
	else
		*addr = (*addr & ~0xffffffffull) | v;
}

static void virtio__queue_write(struct virtio_dev *vdev, uint64_t offset,
				uint32_t v)
{
	struct virtq *vq = virtio__selected_queue(vdev);

	if (!vq)
		return;
	if (offset == VIRTIO_MMIO_QUEUE_READY) {
		virtio__queue_set_ready(vdev, vq, v);
		return;
	}
	if (vq->ready)	/* the layout is fixed while the queue runs */
		return;
	switch (offset) {
	case VIRTIO_MMIO_QUEUE_NUM:	vq->num = v > 0xffff ? 0 : v; break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		virtio__set_addr(&vq->desc_addr, offset & 4, v);
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		virtio__set_addr(&vq->avail_addr, offset & 4, v);
		break;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		virtio__set_addr(&vq->used_addr, offset & 4, v);
		break;
	}
}

static bool virtio__features_acceptable(struct virtio_dev *vdev)
{
	uint64_t extra = vdev->driver_features & ~vdev->device_features;

	if (extra) {
		if (!vdev->warned_access)
			pr_warn("virtio-%s at %#llx: driver accepted unoffered features %#llx",
				vdev->ops->name, (unsigned long long)vdev->dev->base,
				(unsigned long long)extra);
		vdev->warned_access = true;	/* once: a guest may retry forever */
		return false;
	}
	/* Modern only: a legacy driver gets FEATURES_OK refused. */
	return virtio__has_feature(vdev, VIRTIO_F_VERSION_1);
}

static void virtio__write_status(struct virtio_dev *vdev, uint32_t v)
{
	uint32_t old = vdev->status;

	if (v == 0) {
		virtio__reset(vdev);
		return;
	}
	v &= 0xff;
	if ((v & VIRTIO_CONFIG_S_FEATURES_OK) && !(old & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !virtio__features_acceptable(vdev))
		v &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	if (vdev->broken)
		v |= VIRTIO_CONFIG_S_NEEDS_RESET;
	vdev->status = v;
	if ((v & VIRTIO_CONFIG_S_DRIVER_OK) && !(old & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    vdev->ops->driver_ok)
		vdev->ops->driver_ok(vdev);
}

static void virtio__notify(struct virtio_dev *vdev, uint32_t q)
{
	if (q >= vdev->ops->num_queues || !vdev->vqs[q].ready ||
	    !virtio__is_live(vdev))
		return;
	vdev->ops->notify(vdev, q);
}

static void virtio__reg_write(struct virtio_dev *vdev, uint64_t offset,
			      uint32_t v)
{
	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:	vdev->device_features_sel = v; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:	vdev->driver_features_sel = v; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:	virtio__write_driver_features(vdev, v); break;
	case VIRTIO_MMIO_QUEUE_SEL:		vdev->queue_sel = v; break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:		virtio__notify(vdev, v); break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		vdev->interrupt_status &= ~v;
		virtio__update_irq(vdev);
		break;
	case VIRTIO_MMIO_STATUS:		virtio__write_status(vdev, v); break;
	default:				virtio__queue_write(vdev, offset, v); break;
	}
}

static void virtio_mmio__write(struct device *dev, uint64_t offset,
			       uint64_t value, unsigned int size)
{
	struct virtio_dev *vdev = virtio_mmio__vdev(dev);

	pthread_mutex_lock(&vdev->lock);
	if (offset >= VIRTIO_MMIO_CONFIG)
		virtio__config_write(vdev, offset - VIRTIO_MMIO_CONFIG, value, size);
	else if (size == 4 && !(offset & 3))
		virtio__reg_write(vdev, offset, value);
	else
		virtio__bad_access(vdev, "register write", offset, size);
	pthread_mutex_unlock(&vdev->lock);
}

static void virtio_mmio__board_reset(struct device *dev)
{
	struct virtio_dev *vdev = virtio_mmio__vdev(dev);

	pthread_mutex_lock(&vdev->lock);
	virtio__reset(vdev);
	pthread_mutex_unlock(&vdev->lock);
}

static void virtio_mmio__destroy(struct device *dev)
{
	struct virtio_dev *vdev = virtio_mmio__vdev(dev);

	if (!vdev)
		return;
	if (vdev->ops->destroy)
		vdev->ops->destroy(vdev);
	pthread_mutex_destroy(&vdev->lock);
	free(vdev);
	dev->priv = NULL;
}

/* Coherent DMA: without it the kernel maps our rings uncached (see notes). */
static int virtio_mmio__fdt_node(struct device *dev, void *fdt)
{
	int ret = dtb__begin_device_node(fdt, dev, "virtio", "virtio,mmio");

	ret = ret ?: fdt_property(fdt, "dma-coherent", NULL, 0);
	return ret ?: fdt_end_node(fdt);
}

static const struct device_ops virtio_mmio_ops = {
	.name = "virtio-mmio",
	.read = virtio_mmio__read,
	.write = virtio_mmio__write,
	.reset = virtio_mmio__board_reset,
	.destroy = virtio_mmio__destroy,
	.fdt_node = virtio_mmio__fdt_node,
};

struct virtio_dev *virtio_mmio__init(struct device *dev, struct bus *bus,
				     const struct virtio_device_ops *ops,
				     uint64_t features, void *config,
				     unsigned int config_size, void *priv)
{
	struct virtio_dev *vdev = calloc(1, sizeof(*vdev));
	int err;

	if (!vdev) {
		pr_err("virtio-%s: out of memory", ops->name);
		return NULL;
	}
	err = pthread_mutex_init(&vdev->lock, NULL);
	if (err) {
		pr_err("virtio-%s: mutex: %s", ops->name, strerror(err));
		free(vdev);
		return NULL;
	}
	vdev->dev = dev;
	vdev->ops = ops;
	vdev->priv = priv;
	vdev->ram = bus->ram;
	vdev->bus = bus;
	vdev->ram_size = bus->ram_size;
	vdev->device_features = features | 1ull << VIRTIO_F_VERSION_1 |
				1ull << VIRTIO_RING_F_INDIRECT_DESC |
				1ull << VIRTIO_RING_F_EVENT_IDX;
	vdev->config = config;
	vdev->config_size = config_size;
	for (unsigned int i = 0; i < VIRTIO_MAX_QUEUES; i++)
		vdev->vqs[i].vdev = vdev;
	dev->ops = &virtio_mmio_ops;
	dev->priv = vdev;
	if (!dev->size)
		dev->size = VIRTIO_MMIO_SLOT_SIZE;
	return vdev;
}
