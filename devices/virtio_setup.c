// SPDX-License-Identifier: GPL-2.0
/*
 * Puts the configured virtio devices into the board's virtio-mmio slots, in
 * a fixed order (disks as given, so the first --disk is vda; then the
 * network, the rng and the console).
 */
#include <stdlib.h>
#include <unistd.h>

#include "board.h"
#include "cli.h"
#include "log.h"
#include "virtio.h"

typedef int (*virtio_init_fn)(struct device *dev, struct bus *bus, const char *arg);

static int virtio__init_rng(struct device *dev, struct bus *bus, const char *arg)
{
	(void)arg;
	return virtio_rng__init(dev, bus);
}

/* Output only for now: the terminal's input goes to the UART (ttyS0). */
static int virtio__init_console(struct device *dev, struct bus *bus, const char *arg)
{
	(void)arg;
	return virtio_console__init(dev, bus, -1, STDOUT_FILENO);
}

static int virtio__add(struct board *board, virtio_init_fn init, const char *arg)
{
	struct device *dev = calloc(1, sizeof(*dev));

	if (!dev) {
		pr_err("out of memory for a virtio device");
		return -1;
	}
	dev->irq = -1;
	if (init(dev, &board->bus, arg)) {
		free(dev);
		return -1;
	}
	if (board__add_virtio(board, dev)) {
		dev->ops->destroy(dev);
		free(dev);
		return -1;
	}
	return 0;
}

int virtio__add_devices(struct board *board, const struct vm_config *cfg)
{
	for (int i = 0; i < cfg->nr_disks; i++)
		if (virtio__add(board, virtio_blk__init_spec, cfg->disks[i]))
			return -1;
	if (cfg->net && virtio__add(board, virtio_net__init_tap, cfg->net))
		return -1;
	if (virtio__add(board, virtio__init_rng, NULL))
		return -1;
	return virtio__add(board, virtio__init_console, NULL);
}
