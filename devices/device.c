// SPDX-License-Identifier: GPL-2.0
#include "board.h"
#include "device.h"

void device__set_irq(struct device *dev, int level)
{
	if (dev->irq < 0 || !dev->board)
		return;
	board__set_irq(dev->board, dev, level != 0);
}

static __thread int device_current_cpu = -1;

void device__set_current_cpu(int id)
{
	device_current_cpu = id;
}

int device__current_cpu(void)
{
	return device_current_cpu;
}
