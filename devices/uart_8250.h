/* SPDX-License-Identifier: GPL-2.0 */
/* A National Semiconductor 16550A UART, as the Linux 8250 driver knows it. */
#ifndef MVM_UART_8250_H
#define MVM_UART_8250_H

#include <stdbool.h>
#include <stdint.h>

struct device;

/* Transmitted bytes go to out_fd as they are written. */
struct device *uart_8250__create(uint64_t base, int irq, int out_fd);

/*
 * Any thread: hand one received byte to the UART. Waits up to timeout_ms
 * for room in the receive FIFO (the guest drains it); false on time-out.
 */
bool uart_8250__receive(struct device *dev, uint8_t byte, int timeout_ms);

#endif
