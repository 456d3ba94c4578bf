// SPDX-License-Identifier: GPL-2.0
/*
 * Puts the configured virtio devices into the board's virtio-mmio slots, in
 * a fixed order (disks as given, so the first --disk is vda; then the
 * network, the rng and the console).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
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

/* Input comes from the console front end (vmm/console.c), not an fd. */
static int virtio__init_console(struct device *dev, struct bus *bus, const char *arg)
{
	(void)arg;
	return virtio_console__init(dev, bus, -1, STDOUT_FILENO);
}

/* Linux's /dev/console is the last console= of its command line. */
static bool virtio__hvc_is_console(const struct vm_config *cfg)
{
	const char *last = NULL, *p;

	for (p = CLI_DEFAULT_APPEND; (p = strstr(p, "console=")); p++)
		last = p;
	for (p = cfg->append; p && (p = strstr(p, "console=")); p++)
		last = p;
	return last && !strncmp(last, "console=hvc0", 12) &&
	       (last[12] == '\0' || last[12] == ' ' || last[12] == ',');
}

static struct device *virtio__add(struct board *board, virtio_init_fn init,
				  const char *arg)
{
	struct device *dev = calloc(1, sizeof(*dev));

	if (!dev) {
		pr_err("out of memory for a virtio device");
		return NULL;
	}
	dev->irq = -1;
	if (init(dev, &board->bus, arg)) {
		free(dev);
		return NULL;
	}
	if (board__add_virtio(board, dev)) {
		dev->ops->destroy(dev);
		free(dev);
		return NULL;
	}
	return dev;
}

int virtio__add_devices(struct board *board, const struct vm_config *cfg)
{
	struct device *hvc;

	for (int i = 0; i < cfg->nr_disks; i++)
		if (!virtio__add(board, virtio_blk__init_spec, cfg->disks[i]))
			return -1;
	if (cfg->net && !virtio__add(board, virtio_net__init_tap, cfg->net))
		return -1;
	if (!virtio__add(board, virtio__init_rng, NULL))
		return -1;
	hvc = virtio__add(board, virtio__init_console, NULL);
	if (!hvc)
		return -1;
	if (virtio__hvc_is_console(cfg))
		board->hvc = hvc;
	return 0;
}
