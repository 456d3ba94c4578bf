// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (virtio 1.1, section 5.3), one port and no multiport: the
 * guest's hvc0. Output is written to out_fd as the guest transmits. Input
 * comes either from the VMM's console front end (virtio_console__receive,
 * like the UART's) or from in_fd through a thread of its own; it waits in a
 * small FIFO until the guest posts receive buffers.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
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
#define CONSOLE_FIFO_SIZE	4096

struct console_config {
	uint16_t cols, rows;
	uint32_t max_nr_ports;
	uint32_t emerg_wr;
} __attribute__((packed));

struct console_dev {
	int in_fd, out_fd;
	int wake_fd;			/* eventfd: stop the input thread */
	pthread_t in_thread;
	bool in_thread_started;
	atomic_bool stop;
	struct console_config config;
	struct virtq_chain tx_chain;	/* under the device lock */
	struct virtq_chain rx_chain;	/* under the lock */
	/* Input not yet in a guest buffer, under the lock. */
	uint8_t fifo[CONSOLE_FIFO_SIZE];
	size_t fifo_head, fifo_len;
	pthread_cond_t room;		/* the FIFO drained, or reset/stop */
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

static bool console__input_live(struct virtio_dev *vdev)
{
	return virtio__is_live(vdev) && vdev->vqs[CONSOLE_RXQ].ready;
}

/* Move what the FIFO holds into the guest's receive buffers (lock held). */
static void console__deliver(struct virtio_dev *vdev, struct console_dev *con)
{
	struct virtq *vq = &vdev->vqs[CONSOLE_RXQ];
	struct virtq_chain *c = &con->rx_chain;
	bool pushed = false;
	int r;

	while (con->fifo_len && console__input_live(vdev)) {
		size_t n = 0, first;

		r = virtq__pop(vq, c);
		if (r == 0) {
			virtq__enable_notify(vq);	/* tell me when buffers come */
			r = virtq__pop(vq, c);
		}
		if (r <= 0)
			break;
		first = CONSOLE_FIFO_SIZE - con->fifo_head;
		if (first > con->fifo_len)
			first = con->fifo_len;
		n = iov__copy_to(c->iov + c->nr_out, c->nr_in, 0,
				 con->fifo + con->fifo_head, first);
		if (n == first)
			n += iov__copy_to(c->iov + c->nr_out, c->nr_in, n, con->fifo,
					  con->fifo_len - first);
		con->fifo_head = (con->fifo_head + n) % CONSOLE_FIFO_SIZE;
		con->fifo_len -= n;
		virtq__push(vq, c->head, n);
		pushed = true;
	}
	if (pushed) {
		virtio__signal_used(vdev, vq);
		pthread_cond_broadcast(&con->room);
	}
}

static void console__notify(struct virtio_dev *vdev, unsigned int q)
{
	struct console_dev *con = vdev->priv;

	if (q == CONSOLE_TXQ)
		console__transmit(vdev, con);
	else
		console__deliver(vdev, con);
}

/*
 * Queue input for the guest, waiting up to timeout_ms (< 0: until stopped)
 * for room. Returns how many bytes were taken; input for a device no driver
 * listens on is taken and dropped, like keys typed at a dead terminal.
 */
static size_t console__enqueue(struct virtio_dev *vdev, struct console_dev *con,
			       const uint8_t *buf, size_t len, int timeout_ms)
{
	struct timespec deadline;
	size_t done = 0;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms < 0 ? 0 : timeout_ms / 1000;
	deadline.tv_nsec += timeout_ms < 0 ? 100000000 : (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&vdev->lock);
	while (done < len && !atomic_load(&con->stop)) {
		if (!console__input_live(vdev)) {
			done = len;
			break;
		}
		if (con->fifo_len == CONSOLE_FIFO_SIZE) {
			if (pthread_cond_timedwait(&con->room, &vdev->lock, &deadline) &&
			    timeout_ms >= 0)
				break;
			continue;
		}
		con->fifo[(con->fifo_head + con->fifo_len) % CONSOLE_FIFO_SIZE] = buf[done++];
		con->fifo_len++;
		if (con->fifo_len == CONSOLE_FIFO_SIZE || done == len)
			console__deliver(vdev, con);
	}
	pthread_mutex_unlock(&vdev->lock);
	return done;
}

bool virtio_console__receive(struct device *dev, uint8_t byte, int timeout_ms)
{
	struct virtio_dev *vdev = dev->priv;

	return console__enqueue(vdev, vdev->priv, &byte, 1, timeout_ms) == 1;
}

/* Sleep until in_fd is readable (true) or the device is stopped. */
static bool console__wait_input(struct console_dev *con)
{
	struct pollfd fds[2] = {
		{ .fd = con->wake_fd, .events = POLLIN },
		{ .fd = con->in_fd, .events = POLLIN },
	};

	if (poll(fds, 2, -1) < 0 && errno != EINTR)
		pr_warn("virtio-console: poll: %s", strerror(errno));
	if (fds[1].revents & POLLIN)
		return true;
	if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL))
		con->in_fd = -1;	/* input closed: poll() ignores it from now on */
	return false;
}

static void *console__input_thread(void *arg)
{
	struct virtio_dev *vdev = arg;
	struct console_dev *con = vdev->priv;
	uint8_t buf[CONSOLE_INPUT_MAX];
	ssize_t n;

	while (!atomic_load(&con->stop)) {
		if (!console__wait_input(con))
			continue;
		n = read(con->in_fd, buf, sizeof(buf));
		if (n > 0)
			console__enqueue(vdev, con, buf, n, -1);
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			con->in_fd = -1;	/* end of input */
	}
	return NULL;
}

static void console__reset(struct virtio_dev *vdev)
{
	struct console_dev *con = vdev->priv;

	con->fifo_len = 0;	/* a new driver does not get the old one's input */
	pthread_cond_broadcast(&con->room);
}

static void console__driver_ok(struct virtio_dev *vdev)
{
	pthread_cond_broadcast(&((struct console_dev *)vdev->priv)->room);
}

static void console__destroy(struct virtio_dev *vdev)
{
	struct console_dev *con = vdev->priv;

	atomic_store(&con->stop, true);
	console__wake(con);
	if (con->in_thread_started)
		pthread_join(con->in_thread, NULL);
	close(con->wake_fd);
	pthread_cond_destroy(&con->room);
	free(con);
}

static const struct virtio_device_ops console_ops = {
	.name = "console",
	.device_id = VIRTIO_ID_CONSOLE,
	.num_queues = 2,
	.queue_size = CONSOLE_QUEUE_SIZE,
	.notify = console__notify,
	.driver_ok = console__driver_ok,
	.reset = console__reset,
	.destroy = console__destroy,
};

/* Timed waits use the monotonic clock: a host clock change cannot stall them. */
static int console__init_cond(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	int err;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	err = pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
	return err;
}

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
	if (con->wake_fd < 0 || console__init_cond(&con->room)) {
		pr_err("virtio-console: eventfd: %s", strerror(errno));
		if (con->wake_fd >= 0)
			close(con->wake_fd);
		free(con);
		return -1;
	}
	vdev = virtio_mmio__init(dev, bus, &console_ops, 0, &con->config,
				 sizeof(con->config), con);
	if (!vdev) {
		close(con->wake_fd);
		pthread_cond_destroy(&con->room);
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
