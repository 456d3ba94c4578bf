// SPDX-License-Identifier: GPL-2.0
/*
 * The goldfish RTC: a 64-bit nanosecond clock read as two 32-bit halves
 * (reading the low half latches the high half), plus one alarm with an
 * interrupt. Guest time is the host's wall clock plus an offset the guest
 * sets. The alarm is timed by a small thread that sleeps until it is due.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "board.h"
#include "device.h"
#include "dtb.h"
#include "goldfish_rtc.h"

enum {
	RTC_TIME_LOW = 0x00, RTC_TIME_HIGH = 0x04,
	RTC_ALARM_LOW = 0x08, RTC_ALARM_HIGH = 0x0c,
	RTC_IRQ_ENABLED = 0x10, RTC_CLEAR_ALARM = 0x14,
	RTC_ALARM_STATUS = 0x18, RTC_CLEAR_INTERRUPT = 0x1c,
};

struct rtc {
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* alarm set, cleared or shutting down */
	pthread_t alarm_thread;
	bool stop;

	int64_t offset_ns;		/* guest time - host time */
	uint32_t time_high_latch;
	uint32_t set_high;		/* TIME_HIGH written, committed by LOW */
	uint32_t alarm_high;
	uint64_t alarm_ns;		/* guest time */
	bool alarm_armed;
	bool irq_enabled;
	bool irq_pending;
};

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t rtc__now(struct rtc *r)
{
	return host_ns() + r->offset_ns;
}

static void rtc__update_irq(struct device *dev)
{
	struct rtc *r = dev->priv;

	device__set_irq(dev, r->irq_pending && r->irq_enabled);
}

/* With the lock held: the alarm is due; fire it. */
static void rtc__fire(struct device *dev)
{
	struct rtc *r = dev->priv;

	r->alarm_armed = false;
	r->irq_pending = true;
	rtc__update_irq(dev);
}

static void *rtc__alarm_thread(void *arg)
{
	struct device *dev = arg;
	struct rtc *r = dev->priv;

	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		uint64_t now = rtc__now(r), due;
		struct timespec ts;

		if (!r->alarm_armed) {
			pthread_cond_wait(&r->changed, &r->lock);
			continue;
		}
		if (r->alarm_ns <= now) {
			rtc__fire(dev);
			continue;
		}
		/* condvars time out on CLOCK_REALTIME: host time */
		due = r->alarm_ns - r->offset_ns;
		ts.tv_sec = due / 1000000000ULL;
		ts.tv_nsec = due % 1000000000ULL;
		pthread_cond_timedwait(&r->changed, &r->lock, &ts);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static uint64_t rtc__read(struct device *dev, uint64_t offset,
			  unsigned int size)
{
	struct rtc *r = dev->priv;
	uint64_t val = 0, now;

	(void)size;
	pthread_mutex_lock(&r->lock);
	switch (offset) {
	case RTC_TIME_LOW:
		now = rtc__now(r);
		r->time_high_latch = now >> 32;
		val = (uint32_t)now;
		break;
	case RTC_TIME_HIGH:
		val = r->time_high_latch;
		break;
	case RTC_ALARM_LOW:
		val = (uint32_t)r->alarm_ns;
		break;
	case RTC_ALARM_HIGH:
		val = r->alarm_ns >> 32;
		break;
	case RTC_IRQ_ENABLED:
		val = r->irq_enabled;
		break;
	case RTC_ALARM_STATUS:
		val = r->alarm_armed;
		break;
	}
	pthread_mutex_unlock(&r->lock);
	return val;
}

static void rtc__write(struct device *dev, uint64_t offset, uint64_t value,
		       unsigned int size)
{
	struct rtc *r = dev->priv;
	uint32_t v = value;

	(void)size;
	pthread_mutex_lock(&r->lock);
	switch (offset) {
	case RTC_TIME_LOW:
		r->offset_ns = (int64_t)(((uint64_t)r->set_high << 32 | v) -
					 host_ns());
		pthread_cond_signal(&r->changed);
		break;
	case RTC_TIME_HIGH:
		r->set_high = v;
		break;
	case RTC_ALARM_LOW:
		r->alarm_ns = (uint64_t)r->alarm_high << 32 | v;
		r->alarm_armed = true;
		pthread_cond_signal(&r->changed);
		break;
	case RTC_ALARM_HIGH:
		r->alarm_high = v;
		break;
	case RTC_IRQ_ENABLED:
		r->irq_enabled = v & 1;
		rtc__update_irq(dev);
		break;
	case RTC_CLEAR_ALARM:
		r->alarm_armed = false;
		pthread_cond_signal(&r->changed);
		break;
	case RTC_CLEAR_INTERRUPT:
		r->irq_pending = false;
		rtc__update_irq(dev);
		break;
	}
	pthread_mutex_unlock(&r->lock);
}

static int rtc__fdt_node(struct device *dev, void *fdt)
{
	int ret = dtb__begin_device_node(fdt, dev, "rtc", "google,goldfish-rtc");

	return ret ?: fdt_end_node(fdt);
}

static void rtc__destroy(struct device *dev)
{
	struct rtc *r = dev->priv;

	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->changed);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->alarm_thread, NULL);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->changed);
	free(r);
}

static const struct device_ops rtc_ops = {
	.name = "goldfish-rtc",
	.read = rtc__read,
	.write = rtc__write,
	.destroy = rtc__destroy,
	.fdt_node = rtc__fdt_node,
};

struct device *goldfish_rtc__create(uint64_t base, int irq)
{
	struct device *dev = calloc(1, sizeof(*dev));
	struct rtc *r = calloc(1, sizeof(*r));

	if (!dev || !r)
		goto fail;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->changed, NULL);
	dev->ops = &rtc_ops;
	dev->base = base;
	dev->size = BOARD_RTC_SIZE;
	dev->irq = irq;
	dev->priv = r;
	if (pthread_create(&r->alarm_thread, NULL, rtc__alarm_thread, dev))
		goto fail;
	return dev;
fail:
	free(dev);
	free(r);
	return NULL;
}
