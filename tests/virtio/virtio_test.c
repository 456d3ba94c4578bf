// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the virtio transport, the split-virtqueue parser and the
 * devices, driven through their MMIO registers the way the Linux drivers
 * drive them, against real image files, socket pairs and pipes. Hostile
 * rings must break the device (DEVICE_NEEDS_RESET), never the process: run
 * this under ASan/UBSan too (make SANITIZE=1 virtio-test).
 *
 * Output is TAP; argument: a test name (substring) to run only those.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "driver.h"
#include "log.h"

static int test_failures;
static char tmpdir[] = "/tmp/mvm-virtio-XXXXXX";

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		test_failures++;					\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		printf("# %s:%d: %s == %lld, expected %s == %lld\n",	\
		       __FILE__, __LINE__, #a, _a, #b, _b);		\
		test_failures++;					\
	}								\
} while (0)

#define WANT_ALL	(~0ull)
#define SECTOR		512u
#define IMAGE_SECTORS	8192u	/* 4 MiB */

/* FNV-1a: a checksum to compare what went through the device. */
static uint64_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (len--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static void fill_pattern(void *p, size_t len, uint32_t seed)
{
	uint8_t *b = p;

	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		b[i] = seed >> 16;
	}
}

static char *temp_path(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

/* A 4 MiB image whose sector s is filled from seed s. */
static char *make_image(const char *name)
{
	char *path = temp_path(name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	uint8_t sector[SECTOR];

	for (unsigned int s = 0; s < IMAGE_SECTORS; s++) {
		fill_pattern(sector, SECTOR, s);
		if (pwrite(fd, sector, SECTOR, (off_t)s * SECTOR) != SECTOR)
			abort();
	}
	close(fd);
	return path;
}

static void read_image(const char *path, uint64_t off, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0 || pread(fd, buf, len, off) != (ssize_t)len)
		abort();
	close(fd);
}

/*
 * virtio-blk helpers: a request is header, data, status, each in guest
 * memory from the driver's heap.
 */
struct blk_req {
	uint64_t hdr, data, status;
	uint32_t len;
};

static void blk_req__init(struct drv *d, struct blk_req *r, uint32_t type,
			  uint64_t sector, uint32_t len)
{
	struct virtio_blk_outhdr *h;

	r->hdr = drv__alloc(d, sizeof(*h));
	r->data = drv__alloc(d, len ? len : 1);
	r->status = drv__alloc(d, 1);
	r->len = len;
	h = drv__host(d, r->hdr);
	h->type = type;
	h->ioprio = 0;
	h->sector = sector;
	*(uint8_t *)drv__host(d, r->status) = 0xff;
}

static uint8_t blk_status(struct drv *d, struct blk_req *r)
{
	return *(uint8_t *)drv__host(d, r->status);
}

/* Submit r as header | data (in `pieces` descriptors) | status. */
static void blk_submit(struct drv *d, struct blk_req *r, bool data_written,
		       unsigned int pieces)
{
	struct drv_buf b[16];
	unsigned int n = 0;
	uint32_t piece = r->len / pieces;

	b[n++] = (struct drv_buf){ r->hdr, sizeof(struct virtio_blk_outhdr), false };
	for (unsigned int i = 0; r->len && i < pieces; i++) {
		uint32_t len = i + 1 < pieces ? piece : r->len - piece * i;

		b[n++] = (struct drv_buf){ r->data + piece * i, len, data_written };
	}
	b[n++] = (struct drv_buf){ r->status, 1, true };
	drv__submit(d, 0, b, n);
}

static bool blk_start(struct drv *d, const char *path, bool ro)
{
	drv__init(d, DRV_RAM_SIZE);
	if (virtio_blk__init(&d->dev, &d->bus, path, ro))
		return false;
	return drv__start(d, WANT_ALL, 1);
}

static void test_transport_identity(void)
{
	struct drv d;

	CHECK(blk_start(&d, make_image("id.img"), false));
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_VERSION), 2);
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	CHECK(d.features & (1ull << VIRTIO_F_VERSION_1));
	CHECK(d.features & (1ull << VIRTIO_BLK_F_FLUSH));
	CHECK(!(d.features & (1ull << VIRTIO_BLK_F_RO)));
	CHECK_EQ(drv__config_read(&d, 0, 8), IMAGE_SECTORS);
	/* Linux reads 64-bit fields as two 32-bit halves. */
	CHECK_EQ(drv__config_read(&d, 0, 4), IMAGE_SECTORS);
	CHECK_EQ(drv__config_read(&d, 4, 4), 0);
	CHECK_EQ(drv__config_read(&d, 20, 4), SECTOR);		/* blk_size */
	CHECK_EQ(drv__config_read(&d, 4096, 4), 0);		/* outside: ignored */
	CHECK_EQ(d.dev.ops->read(&d.dev, VIRTIO_MMIO_STATUS, 1), 0);	/* bad width */
	CHECK_EQ(d.dev.ops->read(&d.dev, VIRTIO_MMIO_STATUS + 2, 4), 0);	/* unaligned */
	d.dev.ops->write(&d.dev, VIRTIO_MMIO_STATUS, 0, 2);	/* ignored, no reset */
	CHECK(drv__read(&d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_DRIVER_OK);
	drv__write(&d, VIRTIO_MMIO_QUEUE_SEL, 3);		/* no such queue */
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffff);
	drv__exit(&d);
}

static void test_transport_needs_version_1(void)
{
	struct drv d;

	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_blk__init(&d.dev, &d.bus, make_image("legacy.img"), false), 0);
	/* A legacy driver (no VERSION_1) must have FEATURES_OK refused. */
	CHECK(!drv__start(&d, ~(1ull << VIRTIO_F_VERSION_1), 1));
	/* So must a driver that accepts a feature nobody offered. */
	drv__reset(&d);
	drv__write(&d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	drv__write(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	drv__write(&d, VIRTIO_MMIO_DRIVER_FEATURES, 1 | 1u << 30);
	drv__write(&d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
		   VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
	CHECK(!(drv__read(&d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK));
	/* Queue notifications before DRIVER_OK do nothing. */
	drv__notify(&d, 0);
	CHECK(!drv__needs_reset(&d));
	drv__exit(&d);
}

static void test_transport_reset(void)
{
	struct drv d;

	CHECK(blk_start(&d, make_image("reset.img"), false));
	drv__reset(&d);
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_STATUS), 0);
	drv__write(&d, VIRTIO_MMIO_QUEUE_SEL, 0);
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_QUEUE_READY), 0);
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	CHECK_EQ(stub__irq_level(&d.dev), 0);
	CHECK(drv__start(&d, WANT_ALL, 1));	/* and it comes back */
	drv__exit(&d);
}

static void test_blk_read(void)
{
	uint8_t expect[16 * SECTOR];
	struct blk_req r;
	struct drv d;
	uint32_t id, len;
	char *path = make_image("read.img");

	CHECK(blk_start(&d, path, false));
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 100, sizeof(expect));
	blk_submit(&d, &r, true, 3);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(len, sizeof(expect) + 1);
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_OK);
	read_image(path, 100 * SECTOR, expect, sizeof(expect));
	CHECK_EQ(checksum(drv__host(&d, r.data), sizeof(expect)),
		 checksum(expect, sizeof(expect)));
	/* The used-buffer interrupt is up until acknowledged. */
	CHECK(drv__read(&d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_VRING);
	CHECK_EQ(stub__irq_level(&d.dev), 1);
	drv__write(&d, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	CHECK_EQ(stub__irq_level(&d.dev), 0);
	drv__exit(&d);
}

static void test_blk_write_flush_persist(void)
{
	static uint8_t data[64 * 1024], back[64 * 1024];
	struct blk_req w, f, rd;
	struct drv d;
	uint32_t id, len;
	char *path = make_image("write.img");

	fill_pattern(data, sizeof(data), 4242);
	CHECK(blk_start(&d, path, false));
	blk_req__init(&d, &w, VIRTIO_BLK_T_OUT, 2000, sizeof(data));
	memcpy(drv__host(&d, w.data), data, sizeof(data));
	blk_submit(&d, &w, false, 5);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(len, 1);
	CHECK_EQ(blk_status(&d, &w), VIRTIO_BLK_S_OK);
	blk_req__init(&d, &f, VIRTIO_BLK_T_FLUSH, 0, 0);
	blk_submit(&d, &f, false, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &f), VIRTIO_BLK_S_OK);
	read_image(path, 2000 * SECTOR, back, sizeof(back));
	CHECK_EQ(checksum(back, sizeof(back)), checksum(data, sizeof(data)));
	drv__exit(&d);

	/* A new device on the same image (a VMM restart) reads it back. */
	CHECK(blk_start(&d, path, false));
	blk_req__init(&d, &rd, VIRTIO_BLK_T_IN, 2000, sizeof(data));
	blk_submit(&d, &rd, true, 2);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &rd), VIRTIO_BLK_S_OK);
	CHECK_EQ(checksum(drv__host(&d, rd.data), sizeof(data)), checksum(data, sizeof(data)));
	drv__exit(&d);
}

/* The header split across descriptors, data and status in one buffer. */
static void test_blk_odd_layout(void)
{
	uint8_t expect[SECTOR];
	struct virtio_blk_outhdr *h;
	struct drv d;
	uint64_t hdr, io;
	uint32_t id, len;
	char *path = make_image("layout.img");

	CHECK(blk_start(&d, path, false));
	hdr = drv__alloc(&d, 16);
	io = drv__alloc(&d, SECTOR + 1);
	h = drv__host(&d, hdr);
	h->type = VIRTIO_BLK_T_IN;
	h->sector = 7;
	drv__submit(&d, 0, (struct drv_buf[]){ { hdr, 5, false }, { hdr + 5, 11, false },
					       { io, SECTOR + 1, true } }, 3);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(len, SECTOR + 1);
	CHECK_EQ(*(uint8_t *)drv__host(&d, io + SECTOR), VIRTIO_BLK_S_OK);
	read_image(path, 7 * SECTOR, expect, SECTOR);
	CHECK(!memcmp(drv__host(&d, io), expect, SECTOR));
	drv__exit(&d);
}

static void test_blk_indirect(void)
{
	uint8_t expect[4 * SECTOR];
	struct blk_req r;
	struct drv d;
	uint32_t id, len;
	uint16_t head;
	char *path = make_image("indirect.img");

	CHECK(blk_start(&d, path, false));
	CHECK(d.features & (1ull << VIRTIO_RING_F_INDIRECT_DESC));
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 33, sizeof(expect));
	head = drv__write_indirect(&d, 0, (struct drv_buf[]){
		{ r.hdr, 16, false }, { r.data, SECTOR, true },
		{ r.data + SECTOR, 3 * SECTOR, true }, { r.status, 1, true } }, 4);
	drv__publish(&d, 0, head);
	drv__notify(&d, 0);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(id, head);
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_OK);
	read_image(path, 33 * SECTOR, expect, sizeof(expect));
	CHECK(!memcmp(drv__host(&d, r.data), expect, sizeof(expect)));
	CHECK(!drv__needs_reset(&d));
	drv__exit(&d);
}

static void test_blk_errors(void)
{
	struct blk_req r;
	struct drv d;
	uint32_t id, len;

	CHECK(blk_start(&d, make_image("errors.img"), false));
	/* Past the end, straddling the end, not whole sectors, unknown type. */
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, IMAGE_SECTORS, SECTOR);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_IOERR);
	blk_req__init(&d, &r, VIRTIO_BLK_T_OUT, IMAGE_SECTORS - 1, 2 * SECTOR);
	blk_submit(&d, &r, false, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_IOERR);
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, ~0ull, SECTOR);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_IOERR);
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 0, 100);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_IOERR);
	blk_req__init(&d, &r, 77, 0, SECTOR);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_UNSUPP);
	CHECK(!drv__needs_reset(&d));	/* bad requests are not bad rings */
	drv__exit(&d);
}

static void test_blk_get_id(void)
{
	struct blk_req r;
	struct drv d;
	uint32_t id, len;

	CHECK(blk_start(&d, make_image("serial.img"), false));
	blk_req__init(&d, &r, VIRTIO_BLK_T_GET_ID, 0, VIRTIO_BLK_ID_BYTES);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_OK);
	CHECK(!strncmp(drv__host(&d, r.data), "serial.img", VIRTIO_BLK_ID_BYTES));
	drv__exit(&d);
}

static void test_blk_readonly(void)
{
	uint8_t before[SECTOR], after[SECTOR];
	struct blk_req r;
	struct drv d;
	uint32_t id, len;
	char *path = make_image("ro.img");

	read_image(path, 0, before, SECTOR);
	CHECK(blk_start(&d, path, true));
	CHECK(d.features & (1ull << VIRTIO_BLK_F_RO));
	blk_req__init(&d, &r, VIRTIO_BLK_T_OUT, 0, SECTOR);
	blk_submit(&d, &r, false, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_IOERR);
	read_image(path, 0, after, SECTOR);
	CHECK(!memcmp(before, after, SECTOR));
	drv__exit(&d);
}

static void test_blk_discard_write_zeroes(void)
{
	static const uint8_t zero[8 * SECTOR];
	uint8_t back[8 * SECTOR], untouched[SECTOR], expect[SECTOR];
	struct virtio_blk_discard_write_zeroes *seg;
	struct blk_req r;
	struct drv d;
	uint32_t id, len, types[] = { VIRTIO_BLK_T_WRITE_ZEROES, VIRTIO_BLK_T_DISCARD };
	char *path = make_image("zero.img");

	CHECK(blk_start(&d, path, false));
	for (unsigned int t = 0; t < 2; t++) {
		blk_req__init(&d, &r, types[t], 0, sizeof(*seg));
		seg = drv__host(&d, r.data);
		seg->sector = 64 + 64 * t;
		seg->num_sectors = 8;
		seg->flags = 0;
		blk_submit(&d, &r, false, 1);
		CHECK(drv__get_used(&d, 0, &id, &len));
		CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_OK);
		read_image(path, (64 + 64 * t) * SECTOR, back, sizeof(back));
		CHECK(!memcmp(back, zero, sizeof(back)));
	}
	read_image(path, 72 * SECTOR, untouched, SECTOR);
	fill_pattern(expect, SECTOR, 72);
	CHECK(!memcmp(untouched, expect, SECTOR));
	drv__exit(&d);
}

/*
 * Hostile rings. Each case sets up a healthy device, breaks the ring in one
 * way, and expects NEEDS_RESET, a config interrupt, no used entry, and a
 * device that works again after a reset.
 */
typedef void (*sabotage_fn)(struct drv *d, struct blk_req *r);

static void publish_head(struct drv *d, uint16_t head)
{
	drv__publish(d, 0, head);
	drv__notify(d, 0);
}

static void sab_self_loop(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 5, r->hdr, 16, VRING_DESC_F_NEXT, 5);
	publish_head(d, 5);
}

static void sab_long_loop(struct drv *d, struct blk_req *r)
{
	for (uint16_t i = 0; i < DRV_QUEUE_SIZE; i++)
		drv__set_desc(d, 0, i, r->hdr, 16, VRING_DESC_F_NEXT,
			      (i + 1) % DRV_QUEUE_SIZE);
	publish_head(d, 17);
}

static void sab_head_out_of_range(struct drv *d, struct blk_req *r)
{
	(void)r;
	publish_head(d, DRV_QUEUE_SIZE);
}

static void sab_next_out_of_range(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 0, r->hdr, 16, VRING_DESC_F_NEXT, 0xffff);
	publish_head(d, 0);
}

static void sab_addr_outside_ram(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 0, r->hdr, 16, VRING_DESC_F_NEXT, 1);
	drv__set_desc(d, 0, 1, DRV_RAM_SIZE - 100, 512, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	drv__set_desc(d, 0, 2, r->status, 1, VRING_DESC_F_WRITE, 0);
	publish_head(d, 0);
}

static void sab_addr_wraps(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 0, r->hdr, 16, VRING_DESC_F_NEXT, 1);
	drv__set_desc(d, 0, 1, ~0ull - 10, 512, VRING_DESC_F_WRITE, 0);
	publish_head(d, 0);
}

static void sab_huge_len(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 0, r->hdr, 0xffffffff, VRING_DESC_F_NEXT, 1);
	drv__set_desc(d, 0, 1, r->status, 1, VRING_DESC_F_WRITE, 0);
	publish_head(d, 0);
}

static void sab_avail_idx_jump(struct drv *d, struct blk_req *r)
{
	uint16_t *avail = drv__host(d, d->q[0].avail);

	(void)r;
	avail[1] = DRV_QUEUE_SIZE + 5;	/* more entries than the ring holds */
	drv__notify(d, 0);
}

static void sab_read_after_write(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 0, r->status, 1, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	drv__set_desc(d, 0, 1, r->hdr, 16, 0, 0);
	publish_head(d, 0);
}

static void sab_nested_indirect(struct drv *d, struct blk_req *r)
{
	uint64_t table = drv__alloc(d, 32);
	struct vring_desc *t = drv__host(d, table);

	t[0] = (struct vring_desc){ table, 32, VRING_DESC_F_INDIRECT, 0 };
	(void)r;
	drv__set_desc(d, 0, 0, table, 32, VRING_DESC_F_INDIRECT, 0);
	publish_head(d, 0);
}

static void sab_indirect_bad_len(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 0, r->hdr, 24, VRING_DESC_F_INDIRECT, 0);
	publish_head(d, 0);
}

static void sab_indirect_outside_ram(struct drv *d, struct blk_req *r)
{
	(void)r;
	drv__set_desc(d, 0, 0, DRV_RAM_SIZE - 16, 64, VRING_DESC_F_INDIRECT, 0);
	publish_head(d, 0);
}

static void sab_indirect_loop(struct drv *d, struct blk_req *r)
{
	uint64_t table = drv__alloc(d, 64);
	struct vring_desc *t = drv__host(d, table);

	for (int i = 0; i < 4; i++)
		t[i] = (struct vring_desc){ r->hdr, 16, VRING_DESC_F_NEXT, (i + 1) % 4 };
	drv__set_desc(d, 0, 0, table, 64, VRING_DESC_F_INDIRECT, 0);
	publish_head(d, 0);
}

static void sab_indirect_too_long(struct drv *d, struct blk_req *r)
{
	unsigned int n = VIRTQ_MAX_SEGS + 1;
	uint64_t table = drv__alloc(d, 16 * n);
	struct vring_desc *t = drv__host(d, table);

	for (unsigned int i = 0; i < n; i++)
		t[i] = (struct vring_desc){ r->hdr, 16, VRING_DESC_F_NEXT, i + 1 };
	t[n - 1].flags = 0;
	drv__set_desc(d, 0, 0, table, 16 * n, VRING_DESC_F_INDIRECT, 0);
	publish_head(d, 0);
}

static void sab_indirect_with_next(struct drv *d, struct blk_req *r)
{
	uint64_t table = drv__alloc(d, 16);

	*(struct vring_desc *)drv__host(d, table) = (struct vring_desc){ r->hdr, 16, 0, 0 };
	drv__set_desc(d, 0, 0, table, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
	drv__set_desc(d, 0, 1, r->status, 1, VRING_DESC_F_WRITE, 0);
	publish_head(d, 0);
}

static void sab_no_header(struct drv *d, struct blk_req *r)
{
	drv__set_desc(d, 0, 0, r->hdr, 8, VRING_DESC_F_NEXT, 1);
	drv__set_desc(d, 0, 1, r->status, 1, VRING_DESC_F_WRITE, 0);
	publish_head(d, 0);
}

static void sab_ring_outside_ram(struct drv *d, struct blk_req *r)
{
	(void)r;
	drv__reset(d);
	drv__write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	drv__write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	drv__write(d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	drv__write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
		   VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
	drv__write(d, VIRTIO_MMIO_QUEUE_SEL, 0);
	drv__write(d, VIRTIO_MMIO_QUEUE_NUM, DRV_QUEUE_SIZE);
	drv__write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, DRV_RAM_SIZE - 16);
	drv__write(d, VIRTIO_MMIO_QUEUE_READY, 1);
	drv__write(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
		   VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
		   VIRTIO_CONFIG_S_DRIVER_OK);
	CHECK_EQ(drv__read(d, VIRTIO_MMIO_QUEUE_READY), 0);
}

static void sab_queue_size_not_pow2(struct drv *d, struct blk_req *r)
{
	(void)r;
	drv__write(d, VIRTIO_MMIO_QUEUE_SEL, 0);
	drv__write(d, VIRTIO_MMIO_QUEUE_READY, 0);
	drv__write(d, VIRTIO_MMIO_QUEUE_NUM, 48);
	drv__write(d, VIRTIO_MMIO_QUEUE_READY, 1);
	CHECK_EQ(drv__read(d, VIRTIO_MMIO_QUEUE_READY), 0);
}

static const struct {
	const char *name;
	sabotage_fn fn;
} sabotages[] = {
	{ "descriptor pointing at itself", sab_self_loop },
	{ "chain looping through the whole table", sab_long_loop },
	{ "head index beyond the queue", sab_head_out_of_range },
	{ "next index beyond the queue", sab_next_out_of_range },
	{ "buffer running past the end of RAM", sab_addr_outside_ram },
	{ "buffer address that wraps around", sab_addr_wraps },
	{ "4 GiB buffer length", sab_huge_len },
	{ "available index far ahead", sab_avail_idx_jump },
	{ "readable descriptor after a writable one", sab_read_after_write },
	{ "indirect table inside an indirect table", sab_nested_indirect },
	{ "indirect table length not a multiple of 16", sab_indirect_bad_len },
	{ "indirect table outside RAM", sab_indirect_outside_ram },
	{ "loop inside an indirect table", sab_indirect_loop },
	{ "indirect chain longer than the device allows", sab_indirect_too_long },
	{ "indirect descriptor with NEXT", sab_indirect_with_next },
	{ "request without a whole header", sab_no_header },
	{ "ring outside RAM", sab_ring_outside_ram },
	{ "queue size not a power of two", sab_queue_size_not_pow2 },
};

static void run_sabotage(sabotage_fn fn)
{
	uint8_t before[SECTOR], after[SECTOR];
	struct blk_req r;
	struct drv d;
	uint32_t id, len;
	char *path = make_image("hostile.img");

	read_image(path, 0, before, SECTOR);
	CHECK(blk_start(&d, path, false));
	blk_req__init(&d, &r, VIRTIO_BLK_T_OUT, 0, SECTOR);
	fn(&d, &r);
	CHECK(drv__needs_reset(&d));
	CHECK(drv__read(&d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET);
	CHECK(!drv__get_used(&d, 0, &id, &len));
	read_image(path, 0, after, SECTOR);
	CHECK(!memcmp(before, after, SECTOR));
	/* Further notifications are ignored until the driver resets. */
	drv__notify(&d, 0);
	CHECK(drv__needs_reset(&d));
	/* After a reset the device serves a good request again. */
	d.heap = 0x1000;
	CHECK(drv__start(&d, WANT_ALL, 1));
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 1, SECTOR);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(blk_status(&d, &r), VIRTIO_BLK_S_OK);
	drv__exit(&d);
}

static void test_hostile_config_interrupt(void)
{
	struct blk_req r;
	struct drv d;

	CHECK(blk_start(&d, make_image("cfgirq.img"), false));
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 0, SECTOR);
	sab_self_loop(&d, &r);
	CHECK(drv__read(&d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
	CHECK_EQ(stub__irq_level(&d.dev), 1);
	drv__exit(&d);
}

/* With EVENT_IDX the device interrupts only when the driver asked to. */
static void test_event_idx(void)
{
	struct blk_req r;
	struct drv d;
	uint16_t *used_event;
	uint32_t id, len;

	CHECK(blk_start(&d, make_image("event.img"), false));
	CHECK(d.features & (1ull << VIRTIO_RING_F_EVENT_IDX));
	used_event = (uint16_t *)drv__host(&d, d.q[0].avail) + 2 + DRV_QUEUE_SIZE;
	*used_event = 1;	/* interrupt once used->idx passes 1 */
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 0, SECTOR);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 0, SECTOR);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	/* The device publishes avail_event: notify me at the next entry. */
	CHECK_EQ(*(uint16_t *)((uint8_t *)drv__host(&d, d.q[0].used) + 4 + 8 * DRV_QUEUE_SIZE), 2);
	drv__exit(&d);
}

static void test_no_interrupt_flag(void)
{
	struct blk_req r;
	struct drv d;
	uint32_t id, len;

	CHECK(blk_start(&d, make_image("noint.img"), false));
	drv__reset(&d);
	d.heap = 0x1000;
	CHECK(drv__start(&d, ~(1ull << VIRTIO_RING_F_EVENT_IDX), 1));
	((uint16_t *)drv__host(&d, d.q[0].avail))[0] = VRING_AVAIL_F_NO_INTERRUPT;
	blk_req__init(&d, &r, VIRTIO_BLK_T_IN, 0, SECTOR);
	blk_submit(&d, &r, true, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	drv__exit(&d);
}

static void test_bad_disk_specs(void)
{
	struct drv d;
	char img[256], spec[300];

	snprintf(img, sizeof(img), "%s", make_image("spec.img"));

	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_blk__init_spec(&d.dev, &d.bus, temp_path("missing.img")), -1);
	CHECK_EQ(virtio_blk__init_spec(&d.dev, &d.bus, tmpdir), -1);	/* a directory */
	CHECK_EQ(virtio_blk__init_spec(&d.dev, &d.bus, ""), -1);
	CHECK_EQ(virtio_blk__init_spec(&d.dev, &d.bus, ",ro"), -1);
	snprintf(spec, sizeof(spec), "%s,rw", img);
	CHECK_EQ(virtio_blk__init_spec(&d.dev, &d.bus, spec), -1);
	close(open(temp_path("empty.img"), O_CREAT | O_WRONLY | O_TRUNC, 0644));
	CHECK_EQ(virtio_blk__init_spec(&d.dev, &d.bus, temp_path("empty.img")), -1);
	CHECK(d.dev.ops == NULL);
	snprintf(spec, sizeof(spec), "%s,ro", img);
	CHECK_EQ(virtio_blk__init_spec(&d.dev, &d.bus, spec), 0);
	drv__exit(&d);
}

static void test_disk_in_use(void)
{
	struct drv a, b;
	char *img = make_image("locked.img");

	drv__init(&a, DRV_RAM_SIZE);
	drv__init(&b, DRV_RAM_SIZE);
	CHECK_EQ(virtio_blk__init(&a.dev, &a.bus, img, false), 0);
	CHECK_EQ(virtio_blk__init(&b.dev, &b.bus, img, false), -1);
	drv__exit(&a);
	drv__exit(&b);
}

static void test_bad_net_specs(void)
{
	struct drv d;

	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_net__init_tap(&d.dev, &d.bus, "user"), -1);
	CHECK_EQ(virtio_net__init_tap(&d.dev, &d.bus, ""), -1);
	CHECK_EQ(virtio_net__init_tap(&d.dev, &d.bus, "tap,ifname="), -1);
	CHECK_EQ(virtio_net__init_tap(&d.dev, &d.bus, "tap,ifname=waytoolonginterfacename"), -1);
	CHECK_EQ(virtio_net__init_tap(&d.dev, &d.bus, "tap,speed=10"), -1);
	CHECK_EQ(virtio_net__init_tap(&d.dev, &d.bus, "tap,mac=01:00:00:00:00:01"), -1);
	CHECK_EQ(virtio_net__init_tap(&d.dev, &d.bus, "tap,mac=52:54:00:zz:00:01"), -1);
	CHECK(d.dev.ops == NULL);
	drv__exit(&d);
}

static void test_rng(void)
{
	struct drv d;
	uint64_t buf;
	uint32_t id, len;
	static const uint8_t zero[64];

	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_rng__init(&d.dev, &d.bus), 0);
	CHECK(drv__start(&d, WANT_ALL, 1));
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_RNG);
	buf = drv__alloc(&d, 64);
	drv__submit(&d, 0, (struct drv_buf[]){ { buf, 64, true } }, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(len, 64);
	CHECK(memcmp(drv__host(&d, buf), zero, 64));
	/* A huge request is served in part, not all at once. */
	buf = drv__alloc(&d, 1 << 20);
	drv__submit(&d, 0, (struct drv_buf[]){ { buf, 1 << 20, true } }, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK(len > 0 && len <= 4096);
	drv__exit(&d);
}

/* Net over a SOCK_SEQPACKET pair: one frame per message, like a tap. */
static void test_net_tx_rx(void)
{
	uint8_t frame[12 + 1000], got[2048];
	struct virtio_net_hdr_v1 *hdr;
	struct drv d;
	uint64_t tx, rx;
	uint32_t id, len;
	int sv[2];

	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_net__init_fd(&d.dev, &d.bus, sv[0]), 0);
	CHECK(drv__start(&d, WANT_ALL, 2));
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_NET);
	CHECK_EQ(drv__config_read(&d, 0, 1), 0x52);	/* the MAC */
	CHECK_EQ(drv__config_read(&d, 6, 2), VIRTIO_NET_S_LINK_UP);

	/* Guest to host: header and frame in two descriptors. */
	tx = drv__alloc(&d, sizeof(frame));
	fill_pattern(drv__host(&d, tx), sizeof(frame), 7);
	memset(drv__host(&d, tx), 0, 12);
	drv__submit(&d, 1, (struct drv_buf[]){ { tx, 12, false }, { tx + 12, 1000, false } }, 2);
	CHECK(drv__get_used(&d, 1, &id, &len));
	CHECK_EQ(recv(sv[1], got, sizeof(got), MSG_DONTWAIT), sizeof(frame));
	CHECK(!memcmp(got, drv__host(&d, tx), sizeof(frame)));

	/* Host to guest, sent before the guest posted a buffer: it waits. */
	fill_pattern(frame, sizeof(frame), 9);
	memset(frame, 0, 12);
	CHECK_EQ(send(sv[1], frame, sizeof(frame), 0), sizeof(frame));
	usleep(20000);
	CHECK(!drv__get_used(&d, 0, &id, &len));
	rx = drv__alloc(&d, 1526);
	drv__submit(&d, 0, (struct drv_buf[]){ { rx, 1526, true } }, 1);
	CHECK(drv__wait_used(&d, 0, &id, &len, 2000));
	CHECK_EQ(len, sizeof(frame));
	hdr = drv__host(&d, rx);
	CHECK_EQ(hdr->num_buffers, 1);
	CHECK(!memcmp((uint8_t *)drv__host(&d, rx) + 12, frame + 12, 1000));
	drv__exit(&d);
	close(sv[1]);
}

/* Many frames each way, in order, none lost while buffers are posted. */
static void test_net_stream(void)
{
	enum { FRAMES = 200, LEN = 12 + 600 };
	uint8_t frame[LEN];
	struct drv d;
	uint64_t rx[DRV_QUEUE_SIZE];
	uint32_t id, len;
	int sv[2], received = 0, in_order = 1;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_net__init_fd(&d.dev, &d.bus, sv[0]), 0);
	CHECK(drv__start(&d, WANT_ALL, 2));
	for (int i = 0; i < DRV_QUEUE_SIZE; i++) {
		rx[i] = drv__alloc(&d, 1526);
		drv__submit(&d, 0, (struct drv_buf[]){ { rx[i], 1526, true } }, 1);
	}
	for (int i = 0; i < FRAMES; i++) {
		memset(frame, 0, 12);
		memset(frame + 12, i & 0xff, LEN - 12);
		CHECK_EQ(send(sv[1], frame, LEN, 0), LEN);
		while (drv__wait_used(&d, 0, &id, &len, i + 1 - received > 32 ? 2000 : 0)) {
			uint8_t *p = drv__host(&d, rx[id]);

			in_order &= len == LEN && p[12] == (received & 0xff) && p[LEN - 1] == p[12];
			received++;
			/* Repost the same buffer at the descriptor it came from. */
			drv__publish(&d, 0, id);
			drv__notify(&d, 0);
		}
	}
	while (received < FRAMES && drv__wait_used(&d, 0, &id, &len, 2000)) {
		uint8_t *p = drv__host(&d, rx[id]);

		in_order &= len == LEN && p[12] == (received & 0xff);
		received++;
		drv__publish(&d, 0, id);
		drv__notify(&d, 0);
	}
	CHECK_EQ(received, FRAMES);
	CHECK(in_order);
	drv__exit(&d);
	close(sv[1]);
}

/* Receive into a header/data chain, and into a buffer too small. */
static void test_net_rx_layouts(void)
{
	uint8_t frame[12 + 300];
	struct drv d;
	uint64_t hdr, data, tiny;
	uint32_t id, len;
	int sv[2];

	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_net__init_fd(&d.dev, &d.bus, sv[0]), 0);
	CHECK(drv__start(&d, WANT_ALL, 2));
	hdr = drv__alloc(&d, 12);
	data = drv__alloc(&d, 1514);
	drv__submit(&d, 0, (struct drv_buf[]){ { hdr, 12, true }, { data, 1514, true } }, 2);
	fill_pattern(frame, sizeof(frame), 3);
	CHECK_EQ(send(sv[1], frame, sizeof(frame), 0), sizeof(frame));
	CHECK(drv__wait_used(&d, 0, &id, &len, 2000));
	CHECK_EQ(len, sizeof(frame));
	CHECK(!memcmp(drv__host(&d, data), frame + 12, 300));
	/* 100 bytes cannot hold 312: the buffer comes back empty, frame dropped. */
	tiny = drv__alloc(&d, 100);
	drv__submit(&d, 0, (struct drv_buf[]){ { tiny, 100, true } }, 1);
	CHECK_EQ(send(sv[1], frame, sizeof(frame), 0), sizeof(frame));
	CHECK(drv__wait_used(&d, 0, &id, &len, 2000));
	CHECK_EQ(len, 0);
	CHECK(!drv__needs_reset(&d));
	drv__exit(&d);
	close(sv[1]);
}

/* The backend going away stops receive without spinning or crashing. */
static void test_net_backend_gone(void)
{
	struct rusage before, after;
	struct drv d;
	uint64_t tx;
	uint32_t id, len;
	int sv[2];
	long cpu_us;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_net__init_fd(&d.dev, &d.bus, sv[0]), 0);
	CHECK(drv__start(&d, WANT_ALL, 2));
	close(sv[1]);
	getrusage(RUSAGE_SELF, &before);
	usleep(200000);
	getrusage(RUSAGE_SELF, &after);
	cpu_us = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1000000L +
		 (after.ru_utime.tv_usec - before.ru_utime.tv_usec) +
		 (after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1000000L +
		 (after.ru_stime.tv_usec - before.ru_stime.tv_usec);
	CHECK(cpu_us < 50000);	/* idle, not spinning on the dead socket */
	tx = drv__alloc(&d, 64);
	drv__submit(&d, 1, (struct drv_buf[]){ { tx, 64, false } }, 1);
	CHECK(drv__get_used(&d, 1, &id, &len));	/* transmit still completes */
	CHECK(!drv__needs_reset(&d));
	drv__exit(&d);
}

static void test_console(void)
{
	struct drv d;
	uint64_t out, in;
	uint32_t id, len;
	int to_guest[2], from_guest[2];
	char buf[64] = "";

	CHECK_EQ(pipe(to_guest), 0);
	CHECK_EQ(pipe(from_guest), 0);
	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_console__init(&d.dev, &d.bus, to_guest[0], from_guest[1]), 0);
	CHECK(drv__start(&d, WANT_ALL, 2));
	CHECK_EQ(drv__read(&d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
	out = drv__alloc(&d, 16);
	memcpy(drv__host(&d, out), "hello, hvc0\n", 12);
	drv__submit(&d, 1, (struct drv_buf[]){ { out, 12, false } }, 1);
	CHECK(drv__get_used(&d, 1, &id, &len));
	CHECK_EQ(read(from_guest[0], buf, sizeof(buf)), 12);
	CHECK(!memcmp(buf, "hello, hvc0\n", 12));

	in = drv__alloc(&d, 4);
	drv__submit(&d, 0, (struct drv_buf[]){ { in, 4, true } }, 1);
	CHECK_EQ(write(to_guest[1], "ls -l\n", 6), 6);
	CHECK(drv__wait_used(&d, 0, &id, &len, 2000));
	CHECK_EQ(len, 4);
	CHECK(!memcmp(drv__host(&d, in), "ls -", 4));
	/* The rest waits for the next buffer. */
	drv__submit(&d, 0, (struct drv_buf[]){ { in, 4, true } }, 1);
	CHECK(drv__wait_used(&d, 0, &id, &len, 2000));
	CHECK_EQ(len, 2);
	CHECK(!memcmp(drv__host(&d, in), "l\n", 2));
	drv__exit(&d);
	for (int i = 0; i < 2; i++) {
		close(to_guest[i]);
		close(from_guest[i]);
	}
}

/* Input pushed by the VMM's console front end, as into the UART. */
static void test_console_receive(void)
{
	struct drv d;
	uint64_t in;
	uint32_t id, len;
	int n = 0;

	drv__init(&d, DRV_RAM_SIZE);
	CHECK_EQ(virtio_console__init(&d.dev, &d.bus, -1, STDOUT_FILENO), 0);
	CHECK(virtio_console__receive(&d.dev, 'z', 10));	/* no driver: dropped */
	CHECK(drv__start(&d, WANT_ALL, 2));
	in = drv__alloc(&d, 8);
	drv__submit(&d, 0, (struct drv_buf[]){ { in, 8, true } }, 1);
	CHECK(virtio_console__receive(&d.dev, 'a', 10));
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(len, 1);
	CHECK_EQ(*(char *)drv__host(&d, in), 'a');
	/* No buffers: the FIFO fills, then receive times out. */
	while (n < 10000 && virtio_console__receive(&d.dev, 'b', 10))
		n++;
	CHECK_EQ(n, 4096);
	drv__submit(&d, 0, (struct drv_buf[]){ { in, 8, true } }, 1);
	CHECK(drv__get_used(&d, 0, &id, &len));
	CHECK_EQ(len, 8);
	CHECK(virtio_console__receive(&d.dev, 'c', 10));	/* room again */
	drv__exit(&d);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "transport: identity, config space, bad accesses", test_transport_identity },
	{ "transport: legacy driver and unoffered features refused", test_transport_needs_version_1 },
	{ "transport: reset", test_transport_reset },
	{ "transport: config interrupt on a broken ring", test_hostile_config_interrupt },
	{ "transport: EVENT_IDX interrupt suppression", test_event_idx },
	{ "transport: VRING_AVAIL_F_NO_INTERRUPT", test_no_interrupt_flag },
	{ "blk: read 16 sectors in 3 buffers", test_blk_read },
	{ "blk: write, flush, read back after restart", test_blk_write_flush_persist },
	{ "blk: split header, status beside data", test_blk_odd_layout },
	{ "blk: indirect descriptors", test_blk_indirect },
	{ "blk: bad requests get error status", test_blk_errors },
	{ "blk: get-id", test_blk_get_id },
	{ "blk: read-only image", test_blk_readonly },
	{ "blk: discard and write-zeroes", test_blk_discard_write_zeroes },
	{ "blk: bad --disk arguments", test_bad_disk_specs },
	{ "blk: image locked against a second VMM", test_disk_in_use },
	{ "net: bad --net arguments", test_bad_net_specs },
	{ "net: transmit and receive", test_net_tx_rx },
	{ "net: 200 frames in order", test_net_stream },
	{ "net: receive into split and too-small buffers", test_net_rx_layouts },
	{ "net: backend closed", test_net_backend_gone },
	{ "rng: random bytes", test_rng },
	{ "console: output and input", test_console },
	{ "console: input from the console front end", test_console_receive },
};

static int run(int n, const char *name, void (*fn)(void))
{
	test_failures = 0;
	fn();
	printf("%sok %d - %s\n", test_failures ? "not " : "", n, name);
	fflush(stdout);
	return test_failures != 0;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	size_t nr_tests = sizeof(tests) / sizeof(tests[0]);
	size_t nr_sab = sizeof(sabotages) / sizeof(sabotages[0]);
	int n = 0, failed = 0;
	char name[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	log_level = getenv("VIRTIO_TEST_VERBOSE") ? LOG_DEBUG : LOG_ERROR;
	for (size_t i = 0; i < nr_tests; i++)
		if (!only || strstr(tests[i].name, only))
			failed += run(++n, tests[i].name, tests[i].fn);
	for (size_t i = 0; i < nr_sab; i++) {
		snprintf(name, sizeof(name), "hostile ring: %s", sabotages[i].name);
		if (only && !strstr(name, only))
			continue;
		test_failures = 0;
		run_sabotage(sabotages[i].fn);
		printf("%sok %d - %s\n", test_failures ? "not " : "", ++n, name);
		failed += test_failures != 0;
	}
	printf("1..%d\n", n);
	if (!getenv("VIRTIO_TEST_KEEP")) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return failed ? 1 : 0;
}
