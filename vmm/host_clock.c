// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <time.h>

#include "cpu.h"
#include "host_clock.h"
#include "log.h"

/* Long enough that clock-read jitter under QEMU stays below 0.01 %. */
#define RATE_SAMPLE_NS		100000000ull
/* The rate the guest is told, rounded: the measurement's noise is larger. */
#define RATE_ROUND_HZ		1000ull

static struct {
	bool installed;
	uint64_t hz;
	/* host Count minus Count as estimated from CLOCK_MONOTONIC */
	uint64_t base;
} host_clock;

uint32_t host_clock__count(void)
{
#if defined(__mips__)
	uint32_t cc;

	__asm__ volatile(".set push\n\t.set mips32r2\n\trdhwr %0, $2\n\t.set pop" : "=r"(cc));
	return cc;
#else
	return 0;
#endif
}

uint64_t host_clock__mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#if defined(__mips__)
static uint64_t mono_ticks(uint64_t hz)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * hz + (uint64_t)ts.tv_nsec * hz / 1000000000ull;
}

/*
 * The 32-bit Count widened to 64 bits: the value with its low word that
 * lies nearest to the monotonic clock's estimate. The estimate drifts by
 * the measured rate's error (1e-4 is 2^31 ticks in a day and a half): it is
 * re-anchored long before its error nears the 2^31 ticks that would matter.
 */
static uint64_t host_clock_ticks(void)
{
	uint64_t base = __atomic_load_n(&host_clock.base, __ATOMIC_RELAXED);
	uint64_t estimate = mono_ticks(host_clock.hz) + base;
	uint32_t cc = host_clock__count();
	int32_t error = (int32_t)(cc - (uint32_t)estimate);

	if (error > (1 << 28) || error < -(1 << 28))
		__atomic_store_n(&host_clock.base, base + (uint64_t)(int64_t)error,
				 __ATOMIC_RELAXED);
	return estimate + (uint64_t)(int64_t)error;
}

bool host_clock__install(void)
{
	struct timespec pause = { 0, RATE_SAMPLE_NS };
	struct cpu_clock clock = { 0, host_clock_ticks };
	uint64_t ns0, ns1, hz;
	uint32_t cc0, cc1;

	ns0 = host_clock__mono_ns();
	cc0 = host_clock__count();
	nanosleep(&pause, NULL);
	cc1 = host_clock__count();
	ns1 = host_clock__mono_ns();
	hz = (uint64_t)(uint32_t)(cc1 - cc0) * 1000000000ull / (ns1 - ns0 ? ns1 - ns0 : 1);
	hz = (hz + RATE_ROUND_HZ / 2) / RATE_ROUND_HZ * RATE_ROUND_HZ;
	/* the DTB's CPU clock (2 x Count) is a 32-bit cell */
	if (hz < 1000000 || hz > 2000000000) {
		pr_info("host Count at %llu Hz: not usable as the guest's clock",
			(unsigned long long)hz);
		return false;
	}
	host_clock.hz = hz;
	host_clock.base = (uint64_t)host_clock__count() - mono_ticks(hz);
	host_clock.installed = true;
	clock.hz = hz;
	cpu__set_clock(&clock);
	pr_info("guest Count: the host's, at %llu Hz", (unsigned long long)hz);
	return true;
}
#else
bool host_clock__install(void)
{
	return false;
}
#endif

bool host_clock__installed(void)
{
	return host_clock.installed;
}
