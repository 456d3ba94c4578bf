/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio over MMIO (version 2, "modern" only) and split virtqueues.
 *
 * The split follows kvmtool: the transport (virtio_mmio.c) decodes the
 * registers, keeps the device status, features and queue addresses, and
 * calls a device model (virtio_blk.c, virtio_net.c, ...) through a small
 * ops table when the driver notifies a queue. virtio_queue.c walks the rings
 * and validates everything the guest wrote there before any byte of guest
 * memory is touched on its behalf.
 *
 * Locking: one mutex per device (struct virtio_dev.lock) serialises register
 * accesses from vCPU threads with device threads (the net RX thread, the
 * console input thread). Device callbacks run with it held.
 */
#ifndef MVM_VIRTIO_H
#define MVM_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "device.h"

struct board;
struct bus;
struct vm_config;

#define VIRTIO_MMIO_SLOT_SIZE	0x200
#define VIRTIO_MMIO_VENDOR	0x204d564d	/* "MVM " */
#define VIRTIO_MAX_QUEUES	4
#define VIRTIO_QUEUE_MAX_SIZE	256
/* Longest chain (direct plus indirect descriptors) a device accepts. */
#define VIRTQ_MAX_SEGS		260

/* One split virtqueue as the driver set it up (all addresses checked). */
struct virtq {
	uint16_t num;			/* queue size, a power of two */
	bool ready;
	uint64_t desc_addr, avail_addr, used_addr;
	uint16_t last_avail;		/* next avail entry the device reads */
	uint16_t used_idx;		/* shadow of used->idx */
	uint16_t signalled_used;	/* used_idx at the last interrupt */
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	struct virtio_dev *vdev;
};

/* A descriptor chain, split into what the device reads and what it writes. */
struct virtq_chain {
	uint16_t head;
	unsigned int nr_out, nr_in;	/* iov[0..nr_out) readable, then writable */
	size_t out_len, in_len;
	struct iovec iov[VIRTQ_MAX_SEGS];
};

struct virtio_dev;

/* What a device model provides to the transport. */
struct virtio_device_ops {
	const char *name;
	uint32_t device_id;		/* VIRTIO_ID_* */
	unsigned int num_queues;
	uint16_t queue_size;		/* QueueNumMax for every queue */
	/* The driver notified queue q (DRIVER_OK, queue ready, lock held). */
	void (*notify)(struct virtio_dev *vdev, unsigned int q);
	/* The driver wrote config space bytes [offset, offset + len). */
	void (*config_written)(struct virtio_dev *vdev, unsigned int offset,
			       unsigned int len);
	/* Status went to DRIVER_OK: features are final (lock held). */
	void (*driver_ok)(struct virtio_dev *vdev);
	/* The device was reset by the driver or the board (lock held). */
	void (*reset)(struct virtio_dev *vdev);
	/* Stop threads, release host resources, free vdev->priv (no lock). */
	void (*destroy)(struct virtio_dev *vdev);
};

struct virtio_dev {
	struct device *dev;
	const struct virtio_device_ops *ops;
	void *priv;			/* the device model's state */
	uint8_t *ram;			/* guest RAM, physical 0 */
	struct bus *bus;		/* DMA writes drop translated code there */
	uint64_t ram_size;
	pthread_mutex_t lock;

	uint64_t device_features;	/* offered, transport bits included */
	uint64_t driver_features;	/* accepted by the driver */
	uint32_t device_features_sel, driver_features_sel, queue_sel;
	uint32_t status;
	uint32_t interrupt_status;
	uint32_t config_generation;
	bool broken;			/* DEVICE_NEEDS_RESET was raised */
	bool warned_access;		/* one log line for bad register accesses */

	uint8_t *config;		/* device-specific config space */
	unsigned int config_size;
	struct virtq vqs[VIRTIO_MAX_QUEUES];
};

/*
 * Transport (virtio_mmio.c)
 */
/*
 * Make dev a virtio-mmio device driven by ops. dev->base, size and irq are
 * the board's; features are the device-specific feature bits (the transport
 * adds VERSION_1 and the ring features). Returns the new virtio_dev or NULL
 * (after logging why).
 */
struct virtio_dev *virtio_mmio__init(struct device *dev, struct bus *bus,
				     const struct virtio_device_ops *ops,
				     uint64_t features, void *config,
				     unsigned int config_size, void *priv);
bool virtio__has_feature(const struct virtio_dev *vdev, unsigned int bit);
/* Interrupt the driver: a used buffer (virtq__push) or a config change. */
void virtio__signal_used(struct virtio_dev *vdev, struct virtq *vq);
void virtio__signal_config(struct virtio_dev *vdev);
/*
 * The guest broke the protocol: log why, set DEVICE_NEEDS_RESET, tell the
 * driver, and ignore the device's queues until the next reset.
 */
void virtio__set_broken(struct virtio_dev *vdev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* True when the driver set DRIVER_OK and the device is not broken. */
bool virtio__is_live(const struct virtio_dev *vdev);

/*
 * Split virtqueues (virtio_queue.c); callers hold vdev->lock.
 */
/* Check the ring addresses the driver gave; false (and broken) if bad. */
bool virtq__validate_layout(struct virtq *vq);
/*
 * Take the next available chain. Returns 1 with *chain filled, 0 when the
 * ring is empty, -1 when the ring is malformed (the device is then broken).
 */
int virtq__pop(struct virtq *vq, struct virtq_chain *chain);
/* Give a chain back as used with len bytes written to its writable part. */
void virtq__push(struct virtq *vq, uint16_t head, uint32_t len);
/* Whether the driver wants an interrupt for what was pushed since the last one. */
bool virtq__should_notify(struct virtq *vq);
/* Whether there is nothing available (for devices waiting on buffers). */
bool virtq__empty(struct virtq *vq);
/* Tell the driver (with EVENT_IDX) to notify when anything arrives. */
void virtq__enable_notify(struct virtq *vq);

/* Copy between a flat buffer and an iovec array starting at byte offset. */
size_t iov__copy_from(const struct iovec *iov, unsigned int cnt, size_t offset,
		      void *buf, size_t len);
size_t iov__copy_to(const struct iovec *iov, unsigned int cnt, size_t offset,
		    const void *buf, size_t len);
/* Describe bytes [offset, offset + len) of iov in out[]; returns the count. */
unsigned int iov__slice(const struct iovec *iov, unsigned int cnt,
			size_t offset, size_t len, struct iovec *out,
			unsigned int out_max);

/*
 * Device models. Each sets up dev (base, size and irq already set by the
 * board) or logs a one-line reason and returns -1.
 */
int virtio_blk__init(struct device *dev, struct bus *bus, const char *path,
		     bool readonly);
int virtio_blk__init_spec(struct device *dev, struct bus *bus,
			  const char *spec);		/* "FILE[,ro]" */
int virtio_net__init_tap(struct device *dev, struct bus *bus,
			 const char *spec);		/* "tap[,ifname=NAME]" */
/*
 * fd carries one frame per read/write, each with a 12-byte virtio-net
 * header; the device owns fd from then on (closed on failure too).
 */
int virtio_net__init_fd(struct device *dev, struct bus *bus, int fd);
/* in_fd < 0: no input; the device does not close the fds. */
int virtio_console__init(struct device *dev, struct bus *bus, int in_fd,
			 int out_fd);
/*
 * Typed input for the guest's hvc0, as uart_8250__receive: false when no
 * room came within timeout_ms (the guest is not reading).
 */
bool virtio_console__receive(struct device *dev, uint8_t byte, int timeout_ms);
int virtio_rng__init(struct device *dev, struct bus *bus);

/*
 * The board's virtio devices from the configuration: every --disk, the
 * --net tap, an rng and a console. 0, or -1 after a one-line error.
 */
int virtio__add_devices(struct board *board, const struct vm_config *cfg);

#endif
