// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART with reg-shift 0. Transmission is instantaneous: the
 * transmitter is always empty again after a write, so THRE stays set and
 * the THRE interrupt re-arms at once. Reception is fed byte by byte from
 * the console thread, which waits while the 16-byte FIFO is full: no input
 * is lost when a script types faster than the guest reads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device.h"
#include "dtb.h"
#include "uart_8250.h"

enum {
	REG_RBR_THR_DLL = 0, REG_IER_DLM = 1, REG_IIR_FCR = 2, REG_LCR = 3,
	REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
};

#define IER_RDI		0x01	/* received data available */
#define IER_THRI	0x02	/* transmitter holding register empty */
#define IER_RLSI	0x04	/* receiver line status */
#define IER_MSI		0x08	/* modem status */
#define IER_MASK	0x0f

#define IIR_NO_INT	0x01
#define IIR_MSI		0x00
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO_ON	0xc0

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02

#define LCR_DLAB	0x80

#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define MCR_MASK	0x1f

#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define MSR_DELTA_MASK	0x0f
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

#define FIFO_SIZE	16

struct uart {
	pthread_mutex_t lock;
	pthread_cond_t room;		/* signalled when the RX FIFO drains */
	int out_fd;

	uint8_t rx[FIFO_SIZE];
	unsigned int rx_head, rx_count;

	uint8_t ier, fcr, lcr, mcr, msr, scr, dll, dlm;
	bool thr_pending;		/* THRE interrupt armed */
};

static struct uart *uart_of(struct device *dev)
{
	return dev->priv;
}

static unsigned int uart__rx_capacity(struct uart *u)
{
	return (u->fcr & FCR_ENABLE) ? FIFO_SIZE : 1;
}

static uint8_t uart__iir(struct uart *u)
{
	uint8_t fifo = (u->fcr & FCR_ENABLE) ? IIR_FIFO_ON : 0;

	if ((u->ier & IER_RDI) && u->rx_count)
		return fifo | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thr_pending)
		return fifo | IIR_THRI;
	if ((u->ier & IER_MSI) && (u->msr & MSR_DELTA_MASK))
		return fifo | IIR_MSI;
	return fifo | IIR_NO_INT;
}

/* Call with the lock held whenever something that feeds the IIR changed. */
static void uart__update_irq(struct device *dev)
{
	device__set_irq(dev, !(uart__iir(uart_of(dev)) & IIR_NO_INT));
}

static void uart__rx_push(struct uart *u, uint8_t byte)
{
	u->rx[(u->rx_head + u->rx_count) % FIFO_SIZE] = byte;
	u->rx_count++;
}

static uint8_t uart__rx_pop(struct uart *u)
{
	uint8_t byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
	u->rx_count--;
	pthread_cond_broadcast(&u->room);
	return byte;
}

static void uart__rx_clear(struct uart *u)
{
	u->rx_head = u->rx_count = 0;
	pthread_cond_broadcast(&u->room);
}

/* The modem inputs: wired to our own outputs in loopback, else "connected". */
static void uart__update_msr(struct uart *u)
{
	uint8_t lines = MSR_DCD | MSR_DSR | MSR_CTS, old = u->msr & ~MSR_DELTA_MASK;
	uint8_t changed;

	if (u->mcr & MCR_LOOP) {
		lines = 0;
		if (u->mcr & MCR_RTS)
			lines |= MSR_CTS;
		if (u->mcr & MCR_DTR)
			lines |= MSR_DSR;
		if (u->mcr & MCR_OUT1)
			lines |= MSR_RI;
		if (u->mcr & MCR_OUT2)
			lines |= MSR_DCD;
	}
	changed = old ^ lines;
	/* delta bits: CTS, DSR, trailing edge of RI, DCD */
	u->msr = (u->msr & MSR_DELTA_MASK) | lines;
	if (changed & MSR_CTS)
		u->msr |= 0x01;
	if (changed & MSR_DSR)
		u->msr |= 0x02;
	if ((changed & MSR_RI) && !(lines & MSR_RI))
		u->msr |= 0x04;
	if (changed & MSR_DCD)
		u->msr |= 0x08;
}

static void uart__transmit(struct uart *u, uint8_t byte)
{
	ssize_t n;

	if (u->mcr & MCR_LOOP) {
		if (u->rx_count < uart__rx_capacity(u))
			uart__rx_push(u, byte);
		return;
	}
	/* A closed or full stdout must not stop the guest: drop the byte. */
	do
		n = write(u->out_fd, &byte, 1);
	while (n < 0 && errno == EINTR);
}

static uint64_t uart__read(struct device *dev, uint64_t offset,
			   unsigned int size)
{
	struct uart *u = uart_of(dev);
	uint8_t val = 0;

	(void)size;
	pthread_mutex_lock(&u->lock);
	switch (offset) {
	case REG_RBR_THR_DLL:
		val = (u->lcr & LCR_DLAB) ? u->dll : uart__rx_pop(u);
		break;
	case REG_IER_DLM:
		val = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case REG_IIR_FCR:
		val = uart__iir(u);
		/* Reading an IIR that reports THRE acknowledges it. */
		if ((val & 0x0f) == IIR_THRI)
			u->thr_pending = false;
		break;
	case REG_LCR:
		val = u->lcr;
		break;
	case REG_MCR:
		val = u->mcr;
		break;
	case REG_LSR:
		val = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
		break;
	case REG_MSR:
		val = u->msr;
		u->msr &= ~MSR_DELTA_MASK;
		break;
	case REG_SCR:
		val = u->scr;
		break;
	}
	uart__update_irq(dev);
	pthread_mutex_unlock(&u->lock);
	return val;
}

static void uart__write_ier(struct uart *u, uint8_t val)
{
	uint8_t old = u->ier;

	u->ier = val & IER_MASK;
	/* Enabling THRI with an empty transmitter raises it (Linux tests this). */
	if ((u->ier & IER_THRI) && !(old & IER_THRI))
		u->thr_pending = true;
}

static void uart__write_fcr(struct uart *u, uint8_t val)
{
	if ((val ^ u->fcr) & FCR_ENABLE)
		uart__rx_clear(u);	/* switching FIFO mode empties it */
	if (val & FCR_CLEAR_RX)
		uart__rx_clear(u);
	u->fcr = val & 0xc9;	/* enable, DMA mode and trigger level stick */
}

static void uart__write(struct device *dev, uint64_t offset, uint64_t value,
			unsigned int size)
{
	struct uart *u = uart_of(dev);
	uint8_t val = value;

	(void)size;
	pthread_mutex_lock(&u->lock);
	switch (offset) {
	case REG_RBR_THR_DLL:
		if (u->lcr & LCR_DLAB) {
			u->dll = val;
			break;
		}
		uart__transmit(u, val);
		u->thr_pending = true;	/* sent at once: empty again */
		break;
	case REG_IER_DLM:
		if (u->lcr & LCR_DLAB)
			u->dlm = val;
		else
			uart__write_ier(u, val);
		break;
	case REG_IIR_FCR:
		uart__write_fcr(u, val);
		break;
	case REG_LCR:
		u->lcr = val;
		break;
	case REG_MCR:
		u->mcr = val & MCR_MASK;
		uart__update_msr(u);
		break;
	case REG_SCR:
		u->scr = val;
		break;
	}
	uart__update_irq(dev);
	pthread_mutex_unlock(&u->lock);
}

static void uart__reset(struct device *dev)
{
	struct uart *u = uart_of(dev);

	pthread_mutex_lock(&u->lock);
	u->ier = u->fcr = u->lcr = u->mcr = u->scr = u->dlm = 0;
	u->dll = 12;	/* 9600 baud at 1.8432 MHz */
	u->msr = 0;
	u->thr_pending = false;
	uart__rx_clear(u);
	uart__update_msr(u);
	u->msr &= ~MSR_DELTA_MASK;
	uart__update_irq(dev);
	pthread_mutex_unlock(&u->lock);
}

bool uart_8250__receive(struct device *dev, uint8_t byte, int timeout_ms)
{
	struct uart *u = uart_of(dev);
	struct timespec deadline;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&u->lock);
	while (u->rx_count >= uart__rx_capacity(u) && ok)
		ok = pthread_cond_timedwait(&u->room, &u->lock, &deadline) == 0;
	if (u->rx_count < uart__rx_capacity(u)) {
		uart__rx_push(u, byte);
		uart__update_irq(dev);
		ok = true;
	}
	pthread_mutex_unlock(&u->lock);
	return ok;
}

static int uart__fdt_node(struct device *dev, void *fdt)
{
	int ret = dtb__begin_device_node(fdt, dev, "serial", "ns16550a");

	ret = ret ?: fdt_property_u32(fdt, "clock-frequency", BOARD_UART_CLOCK_HZ);
	ret = ret ?: fdt_property_u32(fdt, "reg-shift", 0);
	ret = ret ?: fdt_property_u32(fdt, "reg-io-width", 1);
	ret = ret ?: fdt_property_u32(fdt, "fifo-size", FIFO_SIZE);
	return ret ?: fdt_end_node(fdt);
}

static void uart__destroy(struct device *dev)
{
	struct uart *u = uart_of(dev);

	pthread_mutex_destroy(&u->lock);
	pthread_cond_destroy(&u->room);
	free(u);
}

static const struct device_ops uart_ops = {
	.name = "uart-8250",
	.read = uart__read,
	.write = uart__write,
	.reset = uart__reset,
	.destroy = uart__destroy,
	.fdt_node = uart__fdt_node,
};

struct device *uart_8250__create(uint64_t base, int irq, int out_fd)
{
	struct device *dev = calloc(1, sizeof(*dev));
	struct uart *u = calloc(1, sizeof(*u));

	if (!dev || !u) {
		free(dev);
		free(u);
		return NULL;
	}
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->room, NULL);
	u->out_fd = out_fd;
	dev->ops = &uart_ops;
	dev->base = base;
	dev->size = BOARD_UART_SIZE;
	dev->irq = irq;
	dev->priv = u;
	uart__reset(dev);
	return dev;
}
