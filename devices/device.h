/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One small interface that every device model implements. The board owns
 * device instances, places them on the physical bus and routes their
 * interrupt line; a device never knows which backend runs the CPU.
 */
#ifndef MVM_DEVICE_H
#define MVM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct device;
struct board;

struct device_ops {
	const char *name;
	/* size is 1, 2, 4 or 8; offset is relative to the device's base. */
	uint64_t (*read)(struct device *dev, uint64_t offset, unsigned int size);
	void (*write)(struct device *dev, uint64_t offset, uint64_t value,
		      unsigned int size);
	void (*reset)(struct device *dev);	/* optional */
	void (*destroy)(struct device *dev);	/* optional: frees priv */
	/* optional: add the device's node under the root of the DTB */
	int (*fdt_node)(struct device *dev, void *fdt);
};

struct device {
	const struct device_ops *ops;
	uint64_t base;		/* guest physical address */
	uint64_t size;
	int irq;		/* board interrupt line, -1 for none */
	struct board *board;
	void *priv;
};

/* Raise (level = 1) or lower (level = 0) the device's interrupt line. */
void device__set_irq(struct device *dev, int level);

/*
 * Which vCPU is accessing a device: registers that exist once per CPU (the
 * GIC's VP-local block, the CM's core-local block) depend on it. A backend
 * calls device__set_current_cpu(id) in each vCPU thread before running it;
 * device__current_cpu() returns -1 in any other thread.
 */
void device__set_current_cpu(int id);
int device__current_cpu(void);

#endif
