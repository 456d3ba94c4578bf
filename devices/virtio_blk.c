// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk backed by a raw image file (virtio 1.1, section 5.2): read,
 * write, flush (fsync: what the guest flushed survives a VMM crash), get-id,
 * discard and write-zeroes (fallocate), read-only images.
 *
 * Requests run synchronously in the notifying vCPU's thread, under the
 * device lock. Every request is decoded from the chain without trusting its
 * layout: the header may span descriptors, the status byte is the last
 * writable byte wherever it lands, and every sector range is checked
 * against the image size.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/falloc.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>

#include "bus.h"
#include "log.h"
#include "virtio.h"

#define BLK_SECTOR_SHIFT	9
#define BLK_SECTOR_SIZE		(1u << BLK_SECTOR_SHIFT)
#define BLK_QUEUE_SIZE		128
/* Data segments per request: the chain less the header and status. */
#define BLK_SEG_MAX		(VIRTQ_MAX_SEGS - 2)
#define BLK_MAX_DISCARD_SEGS	16
/* Discard and write-zeroes ranges: 4 GiB - 512 per segment. */
#define BLK_MAX_RANGE_SECTORS	(UINT32_MAX >> BLK_SECTOR_SHIFT)

struct blk_config {
	uint64_t capacity;
	uint32_t size_max;
	uint32_t seg_max;
	uint16_t cylinders;
	uint8_t heads, sectors;
	uint32_t blk_size;
	uint8_t physical_block_exp, alignment_offset;
	uint16_t min_io_size;
	uint32_t opt_io_size;
	uint8_t writeback, unused0;
	uint16_t num_queues;
	uint32_t max_discard_sectors, max_discard_seg, discard_sector_alignment;
	uint32_t max_write_zeroes_sectors, max_write_zeroes_seg;
	uint8_t write_zeroes_may_unmap, unused1[3];
} __attribute__((packed));

struct blk_dev {
	int fd;
	bool readonly;
	uint64_t sectors;
	char serial[VIRTIO_BLK_ID_BYTES];
	struct blk_config config;
	struct virtq_chain chain;	/* too big for a vCPU thread's stack */
};

/* Everything a request needs once its chain has been decoded. */
struct blk_request {
	struct virtq_chain *chain;
	uint32_t type;
	uint64_t sector;
	size_t data_len;		/* bytes between the header and status */
	size_t written;			/* bytes of the writable part filled */
};

static int blk__rw(struct blk_dev *blk, struct blk_request *req)
{
	struct virtq_chain *c = req->chain;
	struct iovec iov[VIRTQ_MAX_SEGS];
	bool is_read = req->type == VIRTIO_BLK_T_IN;
	size_t nr_sectors = req->data_len >> BLK_SECTOR_SHIFT;
	unsigned int nr;
	ssize_t n;

	if (req->data_len % BLK_SECTOR_SIZE || req->sector > blk->sectors ||
	    nr_sectors > blk->sectors - req->sector)
		return VIRTIO_BLK_S_IOERR;
	if (!is_read && blk->readonly)
		return VIRTIO_BLK_S_IOERR;
	if (is_read)
		nr = iov__slice(c->iov + c->nr_out, c->nr_in, 0, req->data_len,
				iov, VIRTQ_MAX_SEGS);
	else
		nr = iov__slice(c->iov, c->nr_out, sizeof(struct virtio_blk_outhdr),
				req->data_len, iov, VIRTQ_MAX_SEGS);
	for (off_t pos = req->sector << BLK_SECTOR_SHIFT; nr; ) {
		n = is_read ? preadv(blk->fd, iov, nr, pos) : pwritev(blk->fd, iov, nr, pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return VIRTIO_BLK_S_IOERR;
		pos += n;
		if (is_read)
			req->written += n;
		/* Short transfer: drop what was done and go on with the rest. */
		while (nr && (size_t)n >= iov[0].iov_len) {
			n -= iov[0].iov_len;
			memmove(iov, iov + 1, --nr * sizeof(iov[0]));
		}
		if (nr) {
			iov[0].iov_base = (uint8_t *)iov[0].iov_base + n;
			iov[0].iov_len -= n;
		}
	}
	return VIRTIO_BLK_S_OK;
}

static int blk__flush(struct blk_dev *blk)
{
	if (blk->readonly)
		return VIRTIO_BLK_S_OK;
	return fsync(blk->fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

static int blk__get_id(struct blk_dev *blk, struct blk_request *req)
{
	struct virtq_chain *c = req->chain;
	size_t len = req->data_len < sizeof(blk->serial) ? req->data_len : sizeof(blk->serial);

	req->written += iov__copy_to(c->iov + c->nr_out, c->nr_in, 0, blk->serial, len);
	return VIRTIO_BLK_S_OK;
}

static int blk__zero_range(struct blk_dev *blk, uint32_t type, uint64_t sector,
			   uint32_t nr_sectors, uint32_t flags)
{
	off_t pos = sector << BLK_SECTOR_SHIFT, len = (off_t)nr_sectors << BLK_SECTOR_SHIFT;
	static const uint8_t zeroes[64 * 1024];
	int mode;

	if (sector > blk->sectors || nr_sectors > blk->sectors - sector)
		return VIRTIO_BLK_S_IOERR;
	if (flags & ~VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP)
		return VIRTIO_BLK_S_UNSUPP;
	if (type == VIRTIO_BLK_T_DISCARD || (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP))
		mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	else
		mode = FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
	if (!len || !fallocate(blk->fd, mode, pos, len))
		return VIRTIO_BLK_S_OK;
	/* Discard is only a hint; write-zeroes must zero, so do it by hand. */
	if (type == VIRTIO_BLK_T_DISCARD)
		return VIRTIO_BLK_S_OK;
	while (len > 0) {
		size_t chunk = len < (off_t)sizeof(zeroes) ? (size_t)len : sizeof(zeroes);
		ssize_t n = pwrite(blk->fd, zeroes, chunk, pos);

		if (n <= 0)
			return VIRTIO_BLK_S_IOERR;
		pos += n;
		len -= n;
	}
	return VIRTIO_BLK_S_OK;
}

static int blk__discard(struct blk_dev *blk, struct blk_request *req)
{
	struct virtq_chain *c = req->chain;
	struct virtio_blk_discard_write_zeroes seg;
	size_t nr_segs = req->data_len / sizeof(seg);
	int status = VIRTIO_BLK_S_OK;

	if (blk->readonly)
		return VIRTIO_BLK_S_IOERR;
	if (req->data_len % sizeof(seg) || nr_segs == 0 || nr_segs > BLK_MAX_DISCARD_SEGS)
		return VIRTIO_BLK_S_UNSUPP;
	for (size_t i = 0; i < nr_segs && status == VIRTIO_BLK_S_OK; i++) {
		iov__copy_from(c->iov, c->nr_out,
			       sizeof(struct virtio_blk_outhdr) + i * sizeof(seg),
			       &seg, sizeof(seg));
		status = blk__zero_range(blk, req->type, le64toh(seg.sector),
					 le32toh(seg.num_sectors), le32toh(seg.flags));
	}
	return status;
}

static int blk__execute(struct blk_dev *blk, struct blk_request *req)
{
	switch (req->type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:		return blk__rw(blk, req);
	case VIRTIO_BLK_T_FLUSH:	return blk__flush(blk);
	case VIRTIO_BLK_T_GET_ID:	return blk__get_id(blk, req);
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:	return blk__discard(blk, req);
	}
	return VIRTIO_BLK_S_UNSUPP;
}

/*
 * Decode and run one request. Returns the number of bytes written to the
 * chain's writable part, or -1 when the chain cannot be a request at all.
 */
static int blk__handle_chain(struct blk_dev *blk, struct virtq_chain *c)
{
	struct blk_request req = { .chain = c };
	struct virtio_blk_outhdr hdr;
	uint8_t status;
	bool data_in;

	if (c->out_len < sizeof(hdr) || c->in_len < 1)
		return -1;
	iov__copy_from(c->iov, c->nr_out, 0, &hdr, sizeof(hdr));
	req.type = le32toh(hdr.type);
	req.sector = le64toh(hdr.sector);
	data_in = req.type == VIRTIO_BLK_T_IN || req.type == VIRTIO_BLK_T_GET_ID;
	req.data_len = data_in ? c->in_len - 1 : c->out_len - sizeof(hdr);
	status = blk__execute(blk, &req);
	iov__copy_to(c->iov + c->nr_out, c->nr_in, c->in_len - 1, &status, 1);
	return req.written + 1;
}

static void blk__notify(struct virtio_dev *vdev, unsigned int q)
{
	struct blk_dev *blk = vdev->priv;
	struct virtq *vq = &vdev->vqs[q];
	struct virtq_chain *c = &blk->chain;
	bool pushed = false;
	int len;

	while (virtq__pop(vq, c) > 0) {
		len = blk__handle_chain(blk, c);
		if (len < 0) {
			virtio__set_broken(vdev, "request without header or status byte");
			break;
		}
		virtq__push(vq, c->head, len);
		pushed = true;
	}
	if (pushed)
		virtio__signal_used(vdev, vq);
}

static void blk__destroy(struct virtio_dev *vdev)
{
	struct blk_dev *blk = vdev->priv;

	fsync(blk->fd);
	close(blk->fd);
	free(blk);
}

static const struct virtio_device_ops blk_ops = {
	.name = "blk",
	.device_id = VIRTIO_ID_BLOCK,
	.num_queues = 1,
	.queue_size = BLK_QUEUE_SIZE,
	.notify = blk__notify,
	.destroy = blk__destroy,
};

static void blk__fill_config(struct blk_dev *blk)
{
	struct blk_config *cfg = &blk->config;

	cfg->capacity = htole64(blk->sectors);
	cfg->seg_max = htole32(BLK_SEG_MAX);
	cfg->blk_size = htole32(BLK_SECTOR_SIZE);
	cfg->num_queues = htole16(1);
	cfg->max_discard_sectors = htole32(BLK_MAX_RANGE_SECTORS);
	cfg->max_discard_seg = htole32(BLK_MAX_DISCARD_SEGS);
	cfg->discard_sector_alignment = htole32(1);
	cfg->max_write_zeroes_sectors = htole32(BLK_MAX_RANGE_SECTORS);
	cfg->max_write_zeroes_seg = htole32(BLK_MAX_DISCARD_SEGS);
	cfg->write_zeroes_may_unmap = 1;
}

static uint64_t blk__features(const struct blk_dev *blk)
{
	uint64_t f = 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE |
		     1ull << VIRTIO_BLK_F_FLUSH;

	if (blk->readonly)
		return f | 1ull << VIRTIO_BLK_F_RO;
	return f | 1ull << VIRTIO_BLK_F_DISCARD | 1ull << VIRTIO_BLK_F_WRITE_ZEROES;
}

/* Open and lock the image; logs and returns -1 on any problem. */
static int blk__open_image(struct blk_dev *blk, const char *path)
{
	struct stat st;

	blk->fd = open(path, (blk->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (blk->fd < 0) {
		pr_err("--disk %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(blk->fd, &st) || !S_ISREG(st.st_mode)) {
		pr_err("--disk %s: not a regular file (a raw disk image is needed)", path);
		goto fail;
	}
	/* Two writers on one image corrupt it: refuse a second VMM. */
	if (flock(blk->fd, (blk->readonly ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		pr_err("--disk %s: image is in use by another process", path);
		goto fail;
	}
	if (st.st_size < BLK_SECTOR_SIZE) {
		pr_err("--disk %s: image is smaller than one 512-byte sector", path);
		goto fail;
	}
	if (st.st_size % BLK_SECTOR_SIZE)
		pr_warn("--disk %s: size is not a multiple of 512; the tail is ignored", path);
	blk->sectors = st.st_size >> BLK_SECTOR_SHIFT;
	return 0;
fail:
	close(blk->fd);
	return -1;
}

static void blk__make_serial(struct blk_dev *blk, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	/* Up to 20 bytes, not NUL-terminated when full (the spec's format). */
	memcpy(blk->serial, base, len < sizeof(blk->serial) ? len : sizeof(blk->serial));
}

int virtio_blk__init(struct device *dev, struct bus *bus, const char *path,
		     bool readonly)
{
	struct blk_dev *blk = calloc(1, sizeof(*blk));

	if (!blk) {
		pr_err("--disk %s: out of memory", path);
		return -1;
	}
	blk->readonly = readonly;
	if (blk__open_image(blk, path)) {
		free(blk);
		return -1;
	}
	blk__make_serial(blk, path);
	blk__fill_config(blk);
	if (!virtio_mmio__init(dev, bus, &blk_ops, blk__features(blk), &blk->config,
			       sizeof(blk->config), blk)) {
		close(blk->fd);
		free(blk);
		return -1;
	}
	return 0;
}

int virtio_blk__init_spec(struct device *dev, struct bus *bus, const char *spec)
{
	char path[PATH_MAX];
	const char *comma = strrchr(spec, ',');
	bool readonly = false;
	size_t len = strlen(spec);

	if (comma && !strcmp(comma, ",ro")) {
		readonly = true;
		len = comma - spec;
	} else if (comma && !strchr(comma + 1, '/')) {
		pr_err("--disk %s: unknown option '%s' (expected FILE[,ro])", spec, comma + 1);
		return -1;
	}
	if (len == 0 || len >= sizeof(path)) {
		pr_err("--disk '%s': expected FILE[,ro]", spec);
		return -1;
	}
	memcpy(path, spec, len);
	path[len] = '\0';
	return virtio_blk__init(dev, bus, path, readonly);
}
