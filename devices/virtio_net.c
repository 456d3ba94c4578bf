// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net (virtio 1.1, section 5.1) backed by a tap device.
 *
 * Frames cross the tap with the same 12-byte virtio-net header the guest
 * uses (IFF_VNET_HDR, TUNSETVNETHDRSZ 12), so transmit is one writev of the
 * guest's chain. Receive runs on its own thread: it reads a frame from the
 * tap into a bounce buffer, then takes the device lock only to copy it into
 * the next receive chain. When the guest has no buffer posted, the thread
 * keeps the frame and sleeps until the driver notifies the receive queue
 * (the kernel queues the rest on the tap meanwhile).
 *
 * The same device also runs over any descriptor that carries one frame per
 * read/write (a SOCK_SEQPACKET socket pair in the unit tests).
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

#include "bus.h"
#include "log.h"
#include "virtio.h"

#define NET_QUEUE_SIZE		256
#define NET_RX_BATCH		32	/* frames per lock and interrupt */
#define NET_RXQ			0
#define NET_TXQ			1
#define NET_HDR_LEN		sizeof(struct virtio_net_hdr_v1)
/* Largest frame either way: a 64 KiB GSO payload, its headers (with VLAN). */
#define NET_MAX_FRAME		(65536 + 18 + NET_HDR_LEN)
/*
 * Offloads: the guest may hand over frames with partial checksums and TSO
 * segments up to 64 KiB (the tap's kernel side finishes them), and takes
 * them the same way when it negotiated GUEST_*: under an emulated CPU,
 * checksumming and segmenting in the guest is what costs the most.
 */
#define NET_FEATURES	(1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS | \
			 1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_HOST_TSO4 | \
			 1ull << VIRTIO_NET_F_HOST_TSO6 | 1ull << VIRTIO_NET_F_HOST_ECN | \
			 1ull << VIRTIO_NET_F_GUEST_CSUM | 1ull << VIRTIO_NET_F_GUEST_TSO4 | \
			 1ull << VIRTIO_NET_F_GUEST_TSO6 | 1ull << VIRTIO_NET_F_GUEST_ECN)

struct net_config {
	uint8_t mac[6];
	uint16_t status;
	uint16_t max_virtqueue_pairs;
	uint16_t mtu;
} __attribute__((packed));

struct net_dev {
	struct virtio_dev *vdev;
	int fd;				/* tap (or test socket), non-blocking */
	int wake_fd;			/* eventfd: RX buffers posted, reset, stop */
	pthread_t rx_thread;
	bool rx_thread_started;
	bool is_tap;			/* offloads are set with TUNSETOFFLOAD */
	atomic_bool stop;
	struct net_config config;
	/* Only the RX thread touches these. */
	bool backend_gone;		/* read() failed for good: poll it no more */
	size_t rx_len;			/* bytes of rx_frame waiting, 0 = none */
	struct virtq_chain rx_chain;
	struct virtq_chain tx_chain;	/* under the device lock */
	uint8_t rx_frame[NET_MAX_FRAME];
};

static void net__wake_rx(struct net_dev *net)
{
	uint64_t one = 1;

	if (write(net->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		pr_warn("virtio-net: waking the receive thread: %s", strerror(errno));
}

static void net__transmit(struct virtio_dev *vdev, struct net_dev *net)
{
	struct virtq *vq = &vdev->vqs[NET_TXQ];
	struct virtq_chain *c = &net->tx_chain;
	bool pushed = false;

	while (virtq__pop(vq, c) > 0) {
		/* A frame too short or too long for any tap is dropped, as a NIC would. */
		if (c->out_len > NET_HDR_LEN && c->out_len <= NET_MAX_FRAME &&
		    writev(net->fd, c->iov, c->nr_out) < 0 && errno != EAGAIN &&
		    errno != ENOBUFS)
			pr_debug("virtio-net: tap write: %s", strerror(errno));
		virtq__push(vq, c->head, 0);
		pushed = true;
	}
	if (pushed)
		virtio__signal_used(vdev, vq);
}

static void net__notify(struct virtio_dev *vdev, unsigned int q)
{
	struct net_dev *net = vdev->priv;

	if (q == NET_TXQ)
		net__transmit(vdev, net);
	else
		net__wake_rx(net);
}

/* Pop a receive chain, arming the driver's notification when there is none. */
static int net__pop_rx(struct virtq *vq, struct virtq_chain *c)
{
	int r = virtq__pop(vq, c);

	if (r)
		return r;
	virtq__enable_notify(vq);
	return virtq__pop(vq, c);	/* posted while we armed it */
}

/*
 * Hand the pending frame to the guest (lock held); *pushed says a used
 * buffer awaits an interrupt. Returns false when the guest has no buffer
 * for it yet; the frame is then kept.
 */
static bool net__deliver(struct virtio_dev *vdev, struct net_dev *net,
			 bool *pushed)
{
	struct virtq *vq = &vdev->vqs[NET_RXQ];
	struct virtq_chain *c = &net->rx_chain;
	struct virtio_net_hdr_v1 *hdr = (void *)net->rx_frame;
	int r;

	if (!virtio__is_live(vdev) || !vq->ready)
		return true;	/* no driver: the frame is dropped */
	r = net__pop_rx(vq, c);
	if (r == 0)
		return false;
	if (r < 0)
		return true;
	/* The tap leaves num_buffers alone; without MRG_RXBUF it is always 1. */
	hdr->num_buffers = htole16(1);
	if (c->in_len < net->rx_len) {
		virtq__push(vq, c->head, 0);	/* too small: the driver drops it */
	} else {
		iov__copy_to(c->iov + c->nr_out, c->nr_in, 0, net->rx_frame, net->rx_len);
		virtq__push(vq, c->head, net->rx_len);
	}
	*pushed = true;
	return true;
}

static void net__wait(struct net_dev *net, bool for_frames)
{
	struct pollfd fds[2] = {
		{ .fd = net->wake_fd, .events = POLLIN },
		{ .fd = net->fd, .events = POLLIN },
	};
	uint64_t count;

	if (poll(fds, for_frames && !net->backend_gone ? 2 : 1, -1) < 0 && errno != EINTR)
		pr_warn("virtio-net: poll: %s", strerror(errno));
	if (fds[0].revents & POLLIN && read(net->wake_fd, &count, sizeof(count)) < 0)
		pr_debug("virtio-net: eventfd read: %s", strerror(errno));
}

/* Read the next frame from the backend; false when there is none now. */
static bool net__read_frame(struct net_dev *net)
{
	ssize_t n = read(net->fd, net->rx_frame, sizeof(net->rx_frame));

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		/* The tap went away: stop polling it rather than spin on it. */
		pr_warn("virtio-net: receive stopped: %s",
			n ? strerror(errno) : "end of file on the backend");
		net->backend_gone = true;
		return false;
	}
	if (n < 0)
		return false;
	if ((size_t)n <= NET_HDR_LEN)
		return true;	/* a runt is consumed and dropped */
	net->rx_len = n;
	return true;
}

/*
 * Deliver the pending frame and then whatever else the tap holds, up to
 * NET_RX_BATCH frames under one lock and one interrupt. Returns false when
 * a frame is left waiting for buffers.
 */
static bool net__deliver_batch(struct virtio_dev *vdev, struct net_dev *net)
{
	bool delivered, pushed = false;
	int n = 0;

	pthread_mutex_lock(&vdev->lock);
	do {
		delivered = net__deliver(vdev, net, &pushed);
		if (!delivered)
			break;
		net->rx_len = 0;
	} while (++n < NET_RX_BATCH && !net->backend_gone && net__read_frame(net) &&
		 net->rx_len);
	if (pushed)
		virtio__signal_used(vdev, &vdev->vqs[NET_RXQ]);
	pthread_mutex_unlock(&vdev->lock);
	return delivered;
}

static void *net__rx_thread(void *arg)
{
	struct net_dev *net = arg;

	while (!atomic_load(&net->stop)) {
		if (!net->rx_len) {
			if (net->backend_gone || !net__read_frame(net))
				net__wait(net, true);
			continue;
		}
		if (!net__deliver_batch(net->vdev, net))
			net__wait(net, false);	/* until the driver posts buffers */
	}
	return NULL;
}

/* What the tap may send us: only what the driver said it takes. */
static void net__set_tap_offload(struct virtio_dev *vdev, struct net_dev *net)
{
	unsigned int offload = 0;

	if (!net->is_tap)
		return;
	if (virtio__has_feature(vdev, VIRTIO_NET_F_GUEST_CSUM)) {
		offload |= TUN_F_CSUM;
		if (virtio__has_feature(vdev, VIRTIO_NET_F_GUEST_TSO4))
			offload |= TUN_F_TSO4;
		if (virtio__has_feature(vdev, VIRTIO_NET_F_GUEST_TSO6))
			offload |= TUN_F_TSO6;
		if ((offload & (TUN_F_TSO4 | TUN_F_TSO6)) &&
		    virtio__has_feature(vdev, VIRTIO_NET_F_GUEST_ECN))
			offload |= TUN_F_TSO_ECN;
	}
	if (ioctl(net->fd, TUNSETOFFLOAD, offload) < 0)
		pr_warn("virtio-net: tap offloads %#x: %s", offload, strerror(errno));
}

static void net__driver_ok(struct virtio_dev *vdev)
{
	net__set_tap_offload(vdev, vdev->priv);
	net__wake_rx(vdev->priv);
}

static void net__reset(struct virtio_dev *vdev)
{
	net__set_tap_offload(vdev, vdev->priv);	/* features are 0 again */
	net__wake_rx(vdev->priv);	/* a waiting frame is dropped now */
}

static void net__destroy(struct virtio_dev *vdev)
{
	struct net_dev *net = vdev->priv;

	atomic_store(&net->stop, true);
	net__wake_rx(net);
	if (net->rx_thread_started)
		pthread_join(net->rx_thread, NULL);
	close(net->wake_fd);
	close(net->fd);
	free(net);
}

static const struct virtio_device_ops net_ops = {
	.name = "net",
	.device_id = VIRTIO_ID_NET,
	.num_queues = 2,
	.queue_size = NET_QUEUE_SIZE,
	.notify = net__notify,
	.driver_ok = net__driver_ok,
	.reset = net__reset,
	.destroy = net__destroy,
};

static int net__start(struct device *dev, struct bus *bus, struct net_dev *net)
{
	int err;

	net->config.status = htole16(VIRTIO_NET_S_LINK_UP);
	net->config.max_virtqueue_pairs = htole16(1);
	net->vdev = virtio_mmio__init(dev, bus, &net_ops,
				      NET_FEATURES,
				      &net->config, sizeof(net->config), net);
	if (!net->vdev)
		return -1;
	err = pthread_create(&net->rx_thread, NULL, net__rx_thread, net);
	if (err) {
		pr_err("virtio-net: receive thread: %s", strerror(err));
		return -1;
	}
	net->rx_thread_started = true;
	return 0;
}

static struct net_dev *net__alloc(int fd, const uint8_t mac[6])
{
	struct net_dev *net = calloc(1, sizeof(*net));

	if (!net) {
		pr_err("virtio-net: out of memory");
		return NULL;
	}
	net->fd = fd;
	net->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (net->wake_fd < 0) {
		pr_err("virtio-net: eventfd: %s", strerror(errno));
		free(net);
		return NULL;
	}
	memcpy(net->config.mac, mac, 6);
	return net;
}

static int net__init(struct device *dev, struct bus *bus, int fd,
		     const uint8_t mac[6], bool is_tap)
{
	struct net_dev *net;

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		pr_err("virtio-net: %s", strerror(errno));
		close(fd);
		return -1;
	}
	net = net__alloc(fd, mac);
	if (!net) {
		close(fd);
		return -1;
	}
	net->is_tap = is_tap;
	if (net__start(dev, bus, net)) {
		/* Once the transport holds net, its destroy undoes everything. */
		if (dev->priv) {
			dev->ops->destroy(dev);
		} else {
			close(net->wake_fd);
			close(fd);
			free(net);
		}
		return -1;
	}
	return 0;
}

static const uint8_t net_default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

int virtio_net__init_fd(struct device *dev, struct bus *bus, int fd)
{
	return net__init(dev, bus, fd, net_default_mac, false);
}

static int net__open_tap(const char *ifname, const char *spec)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int hdr_len = NET_HDR_LEN;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		pr_err("--net %s: /dev/net/tun: %s", spec, strerror(errno));
		return -1;
	}
	if (ifname)
		strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		pr_err("--net %s: cannot attach tap%s%s: %s%s", spec, ifname ? " " : "",
		       ifname ? ifname : "", strerror(errno),
		       errno == EPERM ? " (needs CAP_NET_ADMIN)" : "");
		goto fail;
	}
	/* The guest's header is 12 bytes (VERSION_1); offloads once negotiated. */
	if (ioctl(fd, TUNSETVNETHDRSZ, &hdr_len) < 0 || ioctl(fd, TUNSETOFFLOAD, 0) < 0) {
		pr_err("--net %s: tap set-up: %s", spec, strerror(errno));
		goto fail;
	}
	pr_info("virtio-net: attached to tap %s", ifr.ifr_name);
	return fd;
fail:
	close(fd);
	return -1;
}

static int net__parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char end;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6 || (b[0] & 1))
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

/* One option of "tap,ifname=NAME,mac=XX:XX:XX:XX:XX:XX". */
static int net__parse_option(const char *opt, const char *spec,
			     const char **ifname, uint8_t mac[6])
{
	if (!strncmp(opt, "ifname=", 7)) {
		*ifname = opt + 7;
		if (!**ifname || strlen(*ifname) >= IFNAMSIZ) {
			pr_err("--net %s: interface name must be 1 to %d characters",
			       spec, IFNAMSIZ - 1);
			return -1;
		}
		return 0;
	}
	if (!strncmp(opt, "mac=", 4)) {
		if (net__parse_mac(opt + 4, mac)) {
			pr_err("--net %s: bad unicast MAC address '%s'", spec, opt + 4);
			return -1;
		}
		return 0;
	}
	pr_err("--net %s: unknown option '%s' (expected tap[,ifname=NAME][,mac=MAC])",
	       spec, opt);
	return -1;
}

int virtio_net__init_tap(struct device *dev, struct bus *bus, const char *spec)
{
	char buf[128], *opt, *save = NULL;
	const char *ifname = NULL;
	uint8_t mac[6];
	int fd;

	memcpy(mac, net_default_mac, 6);
	if (strlen(spec) >= sizeof(buf)) {
		pr_err("--net: argument too long");
		return -1;
	}
	strcpy(buf, spec);
	opt = strtok_r(buf, ",", &save);
	if (!opt || strcmp(opt, "tap")) {
		pr_err("--net %s: unknown backend '%s' (only 'tap' is supported)",
		       spec, opt ? opt : "");
		return -1;
	}
	while ((opt = strtok_r(NULL, ",", &save)))
		if (net__parse_option(opt, spec, &ifname, mac))
			return -1;
	fd = net__open_tap(ifname, spec);
	if (fd < 0)
		return -1;
	return net__init(dev, bus, fd, mac, true);
}
