// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues: the device side of the descriptor table, the available
 * ring and the used ring (virtio 1.1, section 2.6).
 *
 * Everything here reads memory the guest can change at any moment, from
 * another vCPU. So each descriptor is copied out once and only the copy is
 * checked and used; every guest address range is checked against RAM before
 * it becomes a host pointer; a chain can visit at most as many descriptors
 * as its table has (so loops end), and a ring index that cannot be right
 * breaks the device instead of being trusted.
 */
#include <endian.h>
#include <stdatomic.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "cpu.h"
#include "virtio.h"

/* The guest-visible layout of a split ring, little-endian (VERSION_1). */
struct vring_desc_le {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static bool virtq__in_ram(const struct virtq *vq, uint64_t addr, uint64_t len)
{
	uint64_t ram_size = vq->vdev->ram_size;

	return addr <= ram_size && len <= ram_size - addr;
}

static void *virtq__host(const struct virtq *vq, uint64_t addr)
{
	return vq->vdev->ram + addr;
}

static uint16_t *virtq__avail_field(const struct virtq *vq, unsigned int i)
{
	/* flags, idx, ring[num], used_event: all 16 bits */
	return (uint16_t *)virtq__host(vq, vq->avail_addr) + i;
}

static uint16_t virtq__load16(uint16_t *p, memory_order order)
{
	return le16toh(atomic_load_explicit((_Atomic uint16_t *)p, order));
}

static void virtq__store16(uint16_t *p, uint16_t v, memory_order order)
{
	atomic_store_explicit((_Atomic uint16_t *)p, htole16(v), order);
}

bool virtq__validate_layout(struct virtq *vq)
{
	uint64_t num = vq->num;

	if (num == 0 || (num & (num - 1)) ||
	    num > vq->vdev->ops->queue_size) {
		virtio__set_broken(vq->vdev, "queue size %u is not a power of two up to %u",
				   vq->num, vq->vdev->ops->queue_size);
		return false;
	}
	if ((vq->desc_addr & 15) || (vq->avail_addr & 1) || (vq->used_addr & 3)) {
		virtio__set_broken(vq->vdev, "misaligned ring (desc %#llx avail %#llx used %#llx)",
				   (unsigned long long)vq->desc_addr,
				   (unsigned long long)vq->avail_addr,
				   (unsigned long long)vq->used_addr);
		return false;
	}
	if (!virtq__in_ram(vq, vq->desc_addr, 16 * num) ||
	    !virtq__in_ram(vq, vq->avail_addr, 6 + 2 * num) ||
	    !virtq__in_ram(vq, vq->used_addr, 6 + 8 * num)) {
		virtio__set_broken(vq->vdev, "ring outside guest RAM (desc %#llx avail %#llx used %#llx)",
				   (unsigned long long)vq->desc_addr,
				   (unsigned long long)vq->avail_addr,
				   (unsigned long long)vq->used_addr);
		return false;
	}
	return true;
}

static void virtq__read_desc(const struct virtq *vq, uint64_t table,
			     unsigned int i, struct vring_desc_le *d)
{
	/* One snapshot: only this copy is checked and used, never re-read. */
	memcpy(d, virtq__host(vq, table + 16ull * i), sizeof(*d));
	d->addr = le64toh(d->addr);
	d->len = le32toh(d->len);
	d->flags = le16toh(d->flags);
	d->next = le16toh(d->next);
}

/* State of one walk down a chain: which table, and how far we may go. */
struct chain_walk {
	uint64_t table;
	unsigned int table_len;
	unsigned int visited;
	bool indirect;
};

static int virtq__bad(struct virtq *vq, const char *why, unsigned int v)
{
	virtio__set_broken(vq->vdev, "queue %ld: %s (%u)",
			   (long)(vq - vq->vdev->vqs), why, v);
	return -1;
}

/* Switch the walk to the indirect table that descriptor d describes. */
static int virtq__enter_indirect(struct virtq *vq, struct chain_walk *w,
				 const struct vring_desc_le *d)
{
	if (!virtio__has_feature(vq->vdev, VIRTIO_RING_F_INDIRECT_DESC))
		return virtq__bad(vq, "indirect descriptor not negotiated", d->flags);
	if (w->indirect || w->visited != 1)
		return virtq__bad(vq, "indirect descriptor inside a chain", w->visited);
	if (d->flags & VRING_DESC_F_NEXT)
		return virtq__bad(vq, "indirect descriptor with NEXT", d->flags);
	if (d->len == 0 || d->len % 16 || d->len / 16 > VIRTQ_MAX_SEGS)
		return virtq__bad(vq, "bad indirect table length", d->len);
	if (!virtq__in_ram(vq, d->addr, d->len))
		return virtq__bad(vq, "indirect table outside guest RAM", d->len);
	w->table = d->addr;
	w->table_len = d->len / 16;
	w->visited = 0;
	w->indirect = true;
	return 0;
}

static int virtq__add_buffer(struct virtq *vq, struct virtq_chain *chain,
			     const struct vring_desc_le *d)
{
	struct iovec *iov;

	if (!virtq__in_ram(vq, d->addr, d->len))
		return virtq__bad(vq, "buffer outside guest RAM", d->len);
	if (chain->nr_out + chain->nr_in >= VIRTQ_MAX_SEGS)
		return virtq__bad(vq, "chain too long", VIRTQ_MAX_SEGS);
	iov = &chain->iov[chain->nr_out + chain->nr_in];
	iov->iov_base = virtq__host(vq, d->addr);
	iov->iov_len = d->len;
	if (d->flags & VRING_DESC_F_WRITE) {
		/* the device writes guest RAM: code translated from it is stale */
		code_cache__invalidate(vq->vdev->bus, d->addr, d->len);
		chain->nr_in++;
		chain->in_len += d->len;
	} else {
		if (chain->nr_in)
			return virtq__bad(vq, "readable buffer after a writable one",
					  chain->nr_out + chain->nr_in);
		chain->nr_out++;
		chain->out_len += d->len;
	}
	return 0;
}

static int virtq__walk(struct virtq *vq, struct virtq_chain *chain, uint16_t head)
{
	struct chain_walk w = { vq->desc_addr, vq->num, 0, false };
	struct vring_desc_le d;
	unsigned int i = head;

	chain->head = head;
	chain->nr_out = chain->nr_in = 0;
	chain->out_len = chain->in_len = 0;
	for (;;) {
		if (i >= w.table_len)
			return virtq__bad(vq, "descriptor index out of range", i);
		/* A chain longer than its table must have gone round a loop. */
		if (++w.visited > w.table_len)
			return virtq__bad(vq, "descriptor chain loops", w.visited);
		virtq__read_desc(vq, w.table, i, &d);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if (virtq__enter_indirect(vq, &w, &d))
				return -1;
			i = 0;
			continue;
		}
		if (virtq__add_buffer(vq, chain, &d))
			return -1;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 1;
		i = d.next;
	}
}

int virtq__pop(struct virtq *vq, struct virtq_chain *chain)
{
	uint16_t avail_idx, pending, head;

	if (!vq->ready || vq->vdev->broken)
		return 0;
	/* Acquire: the ring entry and descriptors were written before idx. */
	avail_idx = virtq__load16(virtq__avail_field(vq, 1), memory_order_acquire);
	pending = avail_idx - vq->last_avail;
	if (pending == 0)
		return 0;
	if (pending > vq->num)
		return virtq__bad(vq, "available index too far ahead", pending);
	head = virtq__load16(virtq__avail_field(vq, 2 + vq->last_avail % vq->num),
			     memory_order_relaxed);
	vq->last_avail++;
	if (vq->event_idx)
		virtq__enable_notify(vq);
	return virtq__walk(vq, chain, head);
}

void virtq__push(struct virtq *vq, uint16_t head, uint32_t len)
{
	uint8_t *used = virtq__host(vq, vq->used_addr);
	uint32_t *elem = (uint32_t *)(used + 4 + 8 * (vq->used_idx % vq->num));

	elem[0] = htole32(head);
	elem[1] = htole32(len);
	vq->used_idx++;
	/* Release: the element must be visible before the index that covers it. */
	virtq__store16((uint16_t *)(used + 2), vq->used_idx, memory_order_release);
}

static bool vring_needs_event(uint16_t event, uint16_t new, uint16_t old)
{
	return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

bool virtq__should_notify(struct virtq *vq)
{
	uint16_t old = vq->signalled_used, new = vq->used_idx;

	/* Our used->idx store must be ordered before reading the driver's wish. */
	atomic_thread_fence(memory_order_seq_cst);
	vq->signalled_used = new;
	if (vq->event_idx) {
		uint16_t event = virtq__load16(virtq__avail_field(vq, 2 + vq->num),
					       memory_order_relaxed);
		return vring_needs_event(event, new, old);
	}
	return !(virtq__load16(virtq__avail_field(vq, 0), memory_order_relaxed) &
		 VRING_AVAIL_F_NO_INTERRUPT);
}

bool virtq__empty(struct virtq *vq)
{
	if (!vq->ready || vq->vdev->broken)
		return true;
	return virtq__load16(virtq__avail_field(vq, 1), memory_order_acquire) ==
	       vq->last_avail;
}

void virtq__enable_notify(struct virtq *vq)
{
	uint8_t *used = virtq__host(vq, vq->used_addr);

	if (!vq->event_idx)
		return;	/* we never set VRING_USED_F_NO_NOTIFY */
	/* avail_event sits right after used->ring[num]. */
	virtq__store16((uint16_t *)(used + 4 + 8 * vq->num), vq->last_avail,
		       memory_order_relaxed);
	/* Published before the caller looks at avail->idx again. */
	atomic_thread_fence(memory_order_seq_cst);
}

/* Copies between buf and the iovec bytes from offset on, either way. */
static size_t iov__copy(const struct iovec *iov, unsigned int cnt, size_t offset,
			uint8_t *buf, size_t len, bool to_iov)
{
	size_t done = 0;

	for (unsigned int i = 0; i < cnt && done < len; i++) {
		uint8_t *seg = (uint8_t *)iov[i].iov_base;
		size_t n;

		if (offset >= iov[i].iov_len) {
			offset -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - offset;
		if (n > len - done)
			n = len - done;
		if (to_iov)
			memcpy(seg + offset, buf + done, n);
		else
			memcpy(buf + done, seg + offset, n);
		done += n;
		offset = 0;
	}
	return done;
}

size_t iov__copy_from(const struct iovec *iov, unsigned int cnt, size_t offset,
		      void *buf, size_t len)
{
	return iov__copy(iov, cnt, offset, buf, len, false);
}

size_t iov__copy_to(const struct iovec *iov, unsigned int cnt, size_t offset,
		    const void *buf, size_t len)
{
	/* buf is only read on this path */
	return iov__copy(iov, cnt, offset, (uint8_t *)buf, len, true);
}

unsigned int iov__slice(const struct iovec *iov, unsigned int cnt,
			size_t offset, size_t len, struct iovec *out,
			unsigned int out_max)
{
	unsigned int nr = 0;

	for (unsigned int i = 0; i < cnt && len && nr < out_max; i++) {
		size_t n;

		if (offset >= iov[i].iov_len) {
			offset -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - offset;
		if (n > len)
			n = len;
		if (n) {
			out[nr].iov_base = (uint8_t *)iov[i].iov_base + offset;
			out[nr].iov_len = n;
			nr++;
		}
		len -= n;
		offset = 0;
	}
	return nr;
}
