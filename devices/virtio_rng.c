// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng (virtio 1.1, section 5.4): fills every writable buffer the
 * driver offers with bytes from the host's getrandom(). A request is capped
 * so a guest offering huge buffers cannot keep a vCPU thread busy for long.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#include <linux/virtio_ids.h>

#include "bus.h"
#include "log.h"
#include "virtio.h"

#define RNG_QUEUE_SIZE		64
#define RNG_MAX_REQUEST		4096

struct rng_dev {
	struct virtq_chain chain;
};

/* Fill up to RNG_MAX_REQUEST bytes of the writable buffers; returns bytes. */
static size_t rng__fill(struct virtq_chain *c)
{
	size_t done = 0;

	for (unsigned int i = c->nr_out; i < c->nr_out + c->nr_in; i++) {
		size_t want = c->iov[i].iov_len;
		ssize_t n;

		if (want > RNG_MAX_REQUEST - done)
			want = RNG_MAX_REQUEST - done;
		if (!want)
			break;
		n = getrandom(c->iov[i].iov_base, want, 0);
		if (n < 0 && errno == EINTR)
			n = getrandom(c->iov[i].iov_base, want, 0);
		if (n <= 0)
			break;
		done += n;
		if ((size_t)n < want)
			break;
	}
	return done;
}

static void rng__notify(struct virtio_dev *vdev, unsigned int q)
{
	struct rng_dev *rng = vdev->priv;
	struct virtq *vq = &vdev->vqs[q];
	bool pushed = false;

	while (virtq__pop(vq, &rng->chain) > 0) {
		virtq__push(vq, rng->chain.head, rng__fill(&rng->chain));
		pushed = true;
	}
	if (pushed)
		virtio__signal_used(vdev, vq);
}

static void rng__destroy(struct virtio_dev *vdev)
{
	free(vdev->priv);
}

static const struct virtio_device_ops rng_ops = {
	.name = "rng",
	.device_id = VIRTIO_ID_RNG,
	.num_queues = 1,
	.queue_size = RNG_QUEUE_SIZE,
	.notify = rng__notify,
	.destroy = rng__destroy,
};

int virtio_rng__init(struct device *dev, struct bus *bus)
{
	struct rng_dev *rng = calloc(1, sizeof(*rng));

	if (!rng) {
		pr_err("virtio-rng: out of memory");
		return -1;
	}
	if (!virtio_mmio__init(dev, bus, &rng_ops, 0, NULL, 0, rng)) {
		free(rng);
		return -1;
	}
	return 0;
}
