// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (virtio 1.1, section 5.3), one port and no multiport: the
 * guest's hvc0. Output is written to out_fd as the guest transmits; input is
 * read from in_fd by a thread of its own and handed to the guest as receive
 * buffers come, keeping what does not fit for the next buffer.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>

#include "bus.h"
#include "log.h"
#include "virtio.h"

#define CONSOLE_QUEUE_SIZE	64
#define CONSOLE_RXQ		0
#define CONSOLE_TXQ		1
#define CONSOLE_INPUT_MAX	256

struct console_config {
	uint16_t cols, rows;
	uint32_t max_nr_ports;
	uint32_t emerg_wr;
} __attribute__((packed));

struct console_dev {
	int in_fd, out_fd;
	int wake_fd;			/* eventfd: buffers posted, reset, stop */
	pthread_t in_thread;
	bool in_thread_started;
	atomic_bool stop;
	struct console_config config;
	struct virtq_chain tx_chain;	/* under the device lock */
	struct virtq_chain rx_chain;	/* input thread, under the lock */
	uint8_t input[CONSOLE_INPUT_MAX];
	size_t input_len;		/* input thread only */
};

static void console__wake(struct console_dev *con)
{
	uint64_t one = 1;

	if (write(con->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		pr_debug("virtio-console: eventfd: %s", strerror(errno));
}

static void console__write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* output gone: the guest's text is lost, not the VMM */
		p += n;
		len -= n;
	}
}

static void console__transmit(struct virtio_dev *vdev, struct console_dev *con)
{
	struct virtq *vq = &vdev->vqs[CONSOLE_TXQ];
	struct virtq_chain *c = &con->tx_chain;
	bool pushed = false;

	while (virtq__pop(vq, c) > 0) {
		for (unsigned int i = 0; i < c->nr_out; i++)
			console__write_all(con->out_fd, c->iov[i].iov_base, c->iov[i].iov_len);
		virtq__push(vq, c->head, 0);
		pushed = true;
	}
	if (pushed)
		virtio__signal_used(vdev, vq);
}

static void console__notify(struct virtio_dev *vdev, unsigned int q)
{
	struct console_dev *con = vdev->priv;

	if (q == CONSOLE_TXQ)
		console__transmit(vdev, con);
	else
		console__wake(con);
}

/* Give pending input to the guest (lock held); false when it has no buffer. */
static bool console__deliver(struct virtio_dev *vdev, struct console_dev *con)
{
	struct virtq *vq = &vdev->vqs[CONSOLE_RXQ];
	struct virtq_chain *c = &con->rx_chain;
	size_t n;
	int r;

	if (!virtio__is_live(vdev) || !vq->ready) {
		con->input_len = 0;	/* nobody listens yet: typed-ahead keys are lost */
		return true;
	}
	r = virtq__pop(vq, c);
	if (r == 0) {
		virtq__enable_notify(vq);
		r = virtq__pop(vq, c);
	}
	if (r <= 0)
		return r < 0;
	n = iov__copy_to(c->iov + c->nr_out, c->nr_in, 0, con->input, con->input_len);
	memmove(con->input, con->input + n, con->input_len - n);
	con->input_len -= n;
	virtq__push(vq, c->head, n);
	virtio__signal_used(vdev, vq);
	return true;
}

/* Sleep until woken or, with for_input, until input is readable (true). */
static bool console__wait(struct console_dev *con, bool for_input)
{
	struct pollfd fds[2] = {
		{ .fd = con->wake_fd, .events = POLLIN },
		{ .fd = con->in_fd, .events = POLLIN },
	};
	uint64_t count;

	if (poll(fds, for_input ? 2 : 1, -1) < 0 && errno != EINTR)
		pr_warn("virtio-console: poll: %s", strerror(errno));
	if (fds[0].revents & POLLIN && read(con->wake_fd, &count, sizeof(count)) < 0)
		pr_debug("virtio-console: eventfd: %s", strerror(errno));
	if (!for_input)
		return false;
	if (fds[1].revents & POLLIN)
		return true;
	if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL))
		con->in_fd = -1;	/* input closed: poll() ignores it from now on */
	return false;
}

static void console__read_input(struct console_dev *con)
{
	ssize_t n = read(con->in_fd, con->input, sizeof(con->input));

	if (n > 0)
		con->input_len = n;
	else if (n == 0)
		con->in_fd = -1;	/* end of input */
	else if (errno != EAGAIN && errno != EINTR)
		con->in_fd = -1;
}

static void *console__input_thread(void *arg)
{
	struct virtio_dev *vdev = arg;
	struct console_dev *con = vdev->priv;
	bool delivered;

	while (!atomic_load(&con->stop)) {
		if (!con->input_len) {
			if (console__wait(con, true) && !atomic_load(&con->stop))
				console__read_input(con);
			continue;
		}
		pthread_mutex_lock(&vdev->lock);
		delivered = console__deliver(vdev, con);
		pthread_mutex_unlock(&vdev->lock);
		if (!delivered)
			console__wait(con, false);
	}
	return NULL;
}

static void console__reset(struct virtio_dev *vdev)
{
	console__wake(vdev->priv);
}

static void console__destroy(struct virtio_dev *vdev)
{
	struct console_dev *con = vdev->priv;

	atomic_store(&con->stop, true);
	console__wake(con);
	if (con->in_thread_started)
		pthread_join(con->in_thread, NULL);
	close(con->wake_fd);
	free(con);
}

static const struct virtio_device_ops console_ops = {
	.name = "console",
	.device_id = VIRTIO_ID_CONSOLE,
	.num_queues = 2,
	.queue_size = CONSOLE_QUEUE_SIZE,
	.notify = console__notify,
	.driver_ok = console__reset,
	.reset = console__reset,
	.destroy = console__destroy,
};

int virtio_console__init(struct device *dev, struct bus *bus, int in_fd,
			 int out_fd)
{
	struct console_dev *con = calloc(1, sizeof(*con));
	struct virtio_dev *vdev;
	int err;

	if (!con) {
		pr_err("virtio-console: out of memory");
		return -1;
	}
	con->in_fd = in_fd;
	con->out_fd = out_fd;
	con->config.max_nr_ports = htole32(1);
	con->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con->wake_fd < 0) {
		pr_err("virtio-console: eventfd: %s", strerror(errno));
		free(con);
		return -1;
	}
	vdev = virtio_mmio__init(dev, bus, &console_ops, 0, &con->config,
				 sizeof(con->config), con);
	if (!vdev) {
		close(con->wake_fd);
		free(con);
		return -1;
	}
	if (in_fd < 0)
		return 0;
	err = pthread_create(&con->in_thread, NULL, console__input_thread, vdev);
	if (err) {
		pr_err("virtio-console: input thread: %s", strerror(err));
		dev->ops->destroy(dev);
		return -1;
	}
	con->in_thread_started = true;
	return 0;
}
