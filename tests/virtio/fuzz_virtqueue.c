// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over the virtqueue parser and the devices' request
 * decoding. The input becomes guest RAM: descriptor tables, rings, request
 * headers and buffers are all fuzzer bytes. A short prologue picks the
 * device (blk on an in-memory image, rng, net over a socket pair, console),
 * the ring features and queue size; the harness then brings the device up
 * through its registers, as a driver would, and notifies its queues.
 *
 * Input: [device] [features] [log2 queue size] [notify rounds] [RAM...]
 * With bit 7 of [notify rounds] set, the last 64 bytes are also replayed
 * as eight raw register accesses (offset, width, value) after the set-up:
 * resets, queue changes and feature writes at any moment.
 * Layout in RAM: queue q's descriptor table at q * 0x2000, its available
 * ring at + 0x1000, its used ring at + 0x1800.
 *
 * Built by `make virtio-fuzz`; seeds come from tests/virtio/make-seeds.py.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "bus.h"
#include "device.h"
#include "log.h"
#include "virtio.h"

#define FUZZ_RAM_SIZE	(64 * 1024)
#define FUZZ_IMAGE_SIZE	(64 * 1024)
#define FUZZ_QUEUE_BASE(q)	((uint64_t)(q) * 0x2000)

enum { DEV_BLK, DEV_RNG, DEV_NET, DEV_CONSOLE, NR_DEVS };

static struct bus bus;
static struct device devs[NR_DEVS];
static unsigned int nr_queues[NR_DEVS] = { 1, 1, 2, 2 };
static int net_peer = -1;

static void fuzz__setup(void)
{
	char path[64];
	int image, sv[2];

	log_level = LOG_ERROR - 1;	/* silence even errors: they are expected */
	bus.ram = calloc(1, FUZZ_RAM_SIZE);
	bus.ram_size = FUZZ_RAM_SIZE;
	image = memfd_create("fuzz-image", 0);
	if (!bus.ram || image < 0 || ftruncate(image, FUZZ_IMAGE_SIZE))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", image);
	for (int i = 0; i < NR_DEVS; i++)
		devs[i] = (struct device){ .base = 0x1e010000 + i * 0x1000, .irq = 4 };
	if (virtio_blk__init(&devs[DEV_BLK], &bus, path, false) ||
	    virtio_rng__init(&devs[DEV_RNG], &bus) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) ||
	    virtio_net__init_fd(&devs[DEV_NET], &bus, sv[0]) ||
	    virtio_console__init(&devs[DEV_CONSOLE], &bus, -1,
				 open("/dev/null", O_WRONLY | O_CLOEXEC)))
		abort();
	close(image);
	net_peer = sv[1];
	fcntl(net_peer, F_SETFL, O_NONBLOCK);
}

static void wr(struct device *dev, uint64_t off, uint32_t v)
{
	dev->ops->write(dev, off, v, 4);
}

static void fuzz__start(struct device *dev, unsigned int nq, uint8_t feature_bits,
			unsigned int qsize)
{
	uint32_t low;

	wr(dev, VIRTIO_MMIO_STATUS, 0);
	wr(dev, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	wr(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	low = dev->ops->read(dev, VIRTIO_MMIO_DEVICE_FEATURES, 4);
	if (!(feature_bits & 1))
		low &= ~(1u << VIRTIO_RING_F_INDIRECT_DESC);
	if (!(feature_bits & 2))
		low &= ~(1u << VIRTIO_RING_F_EVENT_IDX);
	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, low);
	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, 1);	/* VERSION_1 */
	wr(dev, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	   VIRTIO_CONFIG_S_FEATURES_OK);
	for (unsigned int q = 0; q < nq; q++) {
		wr(dev, VIRTIO_MMIO_QUEUE_SEL, q);
		wr(dev, VIRTIO_MMIO_QUEUE_NUM, qsize);
		wr(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, FUZZ_QUEUE_BASE(q));
		wr(dev, VIRTIO_MMIO_QUEUE_AVAIL_LOW, FUZZ_QUEUE_BASE(q) + 0x1000);
		wr(dev, VIRTIO_MMIO_QUEUE_USED_LOW, FUZZ_QUEUE_BASE(q) + 0x1800);
		wr(dev, VIRTIO_MMIO_QUEUE_READY, 1);
	}
	wr(dev, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	   VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

/* Eight accesses of 8 bytes: offset (2), width selector, kind, value (4). */
static void fuzz__raw_accesses(struct device *dev, const uint8_t *p)
{
	static const unsigned int widths[4] = { 1, 2, 4, 8 };

	for (int i = 0; i < 8; i++, p += 8) {
		uint64_t off = (p[0] | p[1] << 8) % 0x200;
		unsigned int size = widths[p[2] % 4];
		uint32_t value = p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24;

		if (p[3] & 1)
			dev->ops->write(dev, off, value, size);
		else
			dev->ops->read(dev, off, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct device *dev;
	unsigned int which, nq, qsize, rounds;
	uint8_t drain[2048];

	if (!bus.ram)
		fuzz__setup();
	if (size < 4)
		return 0;
	which = data[0] % NR_DEVS;
	dev = &devs[which];
	nq = nr_queues[which];
	qsize = 1u << (data[2] % 8);	/* 1..128; above a device's maximum is refused */
	rounds = 1 + (data[3] & 0x7f) % 4;
	memset(bus.ram, 0, FUZZ_RAM_SIZE);
	memcpy(bus.ram, data + 4, size - 4 < FUZZ_RAM_SIZE ? size - 4 : FUZZ_RAM_SIZE);

	fuzz__start(dev, nq, data[1], qsize);
	if ((data[3] & 0x80) && size >= 4 + 64)
		fuzz__raw_accesses(dev, data + size - 64);
	for (unsigned int r = 0; r < rounds; r++)
		for (unsigned int q = 0; q < nq; q++)
			wr(dev, VIRTIO_MMIO_QUEUE_NOTIFY, q);
	/* Read back what a driver reads, including all of config space. */
	for (unsigned int off = 0; off < 0x140; off += 4)
		dev->ops->read(dev, off, 4);
	wr(dev, VIRTIO_MMIO_INTERRUPT_ACK, 3);
	while (recv(net_peer, drain, sizeof(drain), MSG_DONTWAIT) > 0)
		;
	dev->ops->reset(dev);
	return 0;
}
