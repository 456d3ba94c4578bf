// SPDX-License-Identifier: GPL-2.0
/* Shared by the CPU fuzzers: see common.h. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "cpu_debug.h"
#include "device.h"

#define GUARD_SIZE	(64ull << 30)	/* CPU_PABITS = 36: any pa fits in it */
#define MAX_RAM_SIZE	(1ull << 30)

unsigned long fuzz_watchdog_kicks;
unsigned long fuzz_mmio_accesses;
unsigned int fuzz_clock_ns_per_call = 10;
unsigned int fuzz_clock_ns_per_insn = 5;

/* ---- guest RAM between guard regions --------------------------------- */

static uint8_t *reservation[2];

static uint64_t mmio_read(struct device *dev, uint64_t offset, unsigned int size)
{
	fuzz_check(dev->size == FUZZ_MMIO_SIZE && (size == 1 || size == 2 || size == 4 ||
		   size == 8) && offset % size == 0 && offset + size <= dev->size,
		   "MMIO read of %u bytes at offset %#llx", size, (unsigned long long)offset);
	fuzz_mmio_accesses++;
	return (offset * 0x0101010101010101ull) ^ 0xa5a5a5a5a5a5a5a5ull;
}

static void mmio_write(struct device *dev, uint64_t offset, uint64_t value, unsigned int size)
{
	(void)value;
	fuzz_check(dev->size == FUZZ_MMIO_SIZE && (size == 1 || size == 2 || size == 4 ||
		   size == 8) && offset % size == 0 && offset + size <= dev->size,
		   "MMIO write of %u bytes at offset %#llx", size, (unsigned long long)offset);
	fuzz_mmio_accesses++;
}

static const struct device_ops mmio_ops = {
	.name = "fuzz-mmio", .read = mmio_read, .write = mmio_write,
};
static struct device mmio_dev = {
	.ops = &mmio_ops, .base = FUZZ_MMIO_BASE, .size = FUZZ_MMIO_SIZE, .irq = -1,
};

void fuzz_bus_init(struct bus *bus, uint64_t mem_size, int slot)
{
	uint64_t ram_size = mem_size;

	if (mem_size > BUS_MMIO_START)
		ram_size += BUS_MMIO_END - BUS_MMIO_START;
	if (ram_size > MAX_RAM_SIZE)
		abort();
	if (!reservation[slot]) {
		reservation[slot] = mmap(NULL, 2 * GUARD_SIZE + MAX_RAM_SIZE, PROT_NONE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (reservation[slot] == MAP_FAILED) {
			perror("fuzz-cpu: reserving guest RAM and guards");
			abort();
		}
	}
	memset(bus, 0, sizeof(*bus));
	bus->ram = mmap(reservation[slot] + GUARD_SIZE, ram_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	if (bus->ram == MAP_FAILED) {
		perror("fuzz-cpu: mapping guest RAM");
		abort();
	}
	bus->ram_size = ram_size;
	if (bus__add_device(bus, &mmio_dev) && mem_size <= BUS_MMIO_START)
		abort();
}

void fuzz_bus_exit(struct bus *bus)
{
	/* Back to PROT_NONE: a stale pointer into old RAM faults as well. */
	if (mmap(bus->ram, bus->ram_size, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED)
		abort();
	code_cache__free(bus);
	memset(bus, 0, sizeof(*bus));
}

/* ---- the vCPU ------------------------------------------------------------ */

/*
 * Creating a vCPU costs milliseconds under ASan (the block cache), far more
 * than a run: inputs share one per RAM size, reset like a guest reset, on
 * rewritten RAM and with every translation invalidated. FUZZ_CPU_FRESH=1
 * makes a new one per input instead (to rule out state carried over).
 */
#define FILL_SIZE	(1u << 20)

static struct {
	struct bus bus;
	struct cpu *cpu;
	uint64_t mem_size;
} vcpus[2];
static uint32_t fill_template[FILL_SIZE / 4], fill_word;

struct cpu *fuzz_vcpu_get(uint64_t mem_size, uint64_t pc, uint32_t fill)
{
	static int fresh = -1;
	int slot = mem_size > FILL_SIZE;
	struct bus *bus = &vcpus[slot].bus;
	struct cpu *cpu = vcpus[slot].cpu;

	if (fresh < 0)
		fresh = getenv("FUZZ_CPU_FRESH") != NULL;
	if (cpu && (fresh || mem_size != vcpus[slot].mem_size)) {
		cpu__destroy(cpu);
		fuzz_bus_exit(bus);
		cpu = NULL;
	}
	if (!cpu) {
		fuzz_bus_init(bus, mem_size, slot);
		cpu = cpu__create(bus, 0);
		if (!cpu)
			abort();
		vcpus[slot].cpu = cpu;
		vcpus[slot].mem_size = mem_size;
	} else {
		/* The first MiB is rewritten below; zero pages for the rest. */
		if (bus->ram_size > FILL_SIZE &&
		    madvise(bus->ram + FILL_SIZE, bus->ram_size - FILL_SIZE, MADV_DONTNEED))
			abort();
		atomic_store(&cpu->kick, false);
		atomic_store(&cpu->kick_irq, false);
		atomic_store(&cpu->irq_lines, 0);
	}
	if (fill != fill_word) {
		for (size_t i = 0; i < FILL_SIZE / 4; i++)
			fill_template[i] = fill;
		fill_word = fill;
	}
	memcpy(bus->ram, fill_template, bus->ram_size < FILL_SIZE ? bus->ram_size : FILL_SIZE);
	code_cache__invalidate(bus, 0, bus->ram_size);
	cpu__reset(cpu, pc);
	return cpu;
}

/* ---- the virtual clock ------------------------------------------------- */

static struct cpu *clock_cpu;
static uint64_t clock_insn_base;	/* cpu->insn_count when the run began */
static uint64_t clock_exc_base;		/* cpu->exc_count when the run began */
static struct fuzz_budget clock_budget, clock_used;
static uint64_t clock_skip_ns;	/* time passed in virtual WAIT sleeps */

static void clock_check_budget(void)
{
	struct cpu *cpu = clock_cpu;

	if (!cpu)
		return;
	clock_used.insns = cpu->insn_count - clock_insn_base;
	clock_used.exceptions = cpu->exc_count - clock_exc_base;
	if (clock_used.insns >= clock_budget.insns ||
	    clock_used.exceptions >= clock_budget.exceptions ||
	    clock_used.sleeps >= clock_budget.sleeps ||
	    clock_used.clock_calls >= clock_budget.clock_calls)
		atomic_store(&cpu->kick, true);	/* not cpu__kick(): we may hold wait_lock */
}

static uint64_t clock_now_ns(void)
{
	/* Before and after a run (cpu__create, cpu__reset): a fixed time. */
	if (!clock_cpu)
		return 1000000000ull;
	return 1000000000ull + clock_skip_ns + (clock_cpu->insn_count - clock_insn_base) * fuzz_clock_ns_per_insn +
	       (uint64_t)clock_used.clock_calls * fuzz_clock_ns_per_call;
}

/* The core's clock_gettime (see mk/fuzz-cpu.mk). */
int fuzz_clock_gettime(clockid_t clk, struct timespec *ts);
int fuzz_clock_gettime(clockid_t clk, struct timespec *ts)
{
	uint64_t ns;

	if (clk == CLOCK_REALTIME) {
		/*
		 * Only WAIT's sleep asks, for a pthread_cond_timedwait()
		 * deadline: the epoch makes that deadline past, so the sleep
		 * returns at once, and virtual time jumps to the timer
		 * interrupt (at most 100 ms), as if it had slept.
		 */
		ts->tv_sec = 0;
		ts->tv_nsec = 0;
		if (clock_cpu) {
			struct cpu *cpu = clock_cpu;
			uint32_t ticks = (uint32_t)cpu->cp0.compare - cpu__count(cpu);
			uint64_t skip = ((uint64_t)ticks + 1) * (1000000000ull / CPU_COUNT_HZ);

			clock_skip_ns += skip < 100000000ull ? skip : 100000000ull;
			clock_used.sleeps++;
			clock_check_budget();
		}
		return 0;
	}
	if (clock_cpu)
		clock_used.clock_calls++;
	ns = clock_now_ns();
	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
	clock_check_budget();
	return 0;
}

/* ---- the watchdog ------------------------------------------------------ */

#define WATCHDOG_MS	5000

static pthread_mutex_t watchdog_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cpu *watchdog_cpu;
static struct timespec watchdog_start;
static bool watchdog_fired;

static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec now;

		usleep(20000);
		clock_gettime(CLOCK_MONOTONIC, &now);
		pthread_mutex_lock(&watchdog_lock);
		if (watchdog_cpu &&
		    (now.tv_sec - watchdog_start.tv_sec) * 1000 +
		    (now.tv_nsec - watchdog_start.tv_nsec) / 1000000 > WATCHDOG_MS) {
			watchdog_fired = true;
			cpu__kick(watchdog_cpu);
		}
		pthread_mutex_unlock(&watchdog_lock);
	}
	return NULL;
}

enum cpu_exit fuzz_run(struct cpu *cpu, const struct fuzz_budget *budget)
{
	static bool started;
	enum cpu_exit why;
	pthread_t thread;

	if (!started) {
		if (pthread_create(&thread, NULL, watchdog, NULL))
			abort();
		started = true;
	}
	clock_budget = *budget;
	memset(&clock_used, 0, sizeof(clock_used));
	clock_skip_ns = 0;
	clock_insn_base = cpu->insn_count;
	clock_exc_base = cpu->exc_count;
	clock_cpu = cpu;
	pthread_mutex_lock(&watchdog_lock);
	watchdog_fired = false;
	clock_gettime(CLOCK_MONOTONIC, &watchdog_start);
	watchdog_cpu = cpu;
	pthread_mutex_unlock(&watchdog_lock);
	for (;;) {
		why = cpu__run(cpu);
		if (why == CPU_EXIT_DEBUG && cpu->debug) {
			/*
			 * A debugger that goes on, as gdb does: step past the
			 * breakpoint or watchpoint with the points removed.
			 */
			struct cpu_debug *d = cpu->debug;
			const struct cpu_debug_points *points = d->points;

			d->points = NULL;
			d->step = true;
			why = cpu__run(cpu);
			d->points = points;
			if (why == CPU_EXIT_DEBUG)
				why = CPU_EXIT_KICK;
		}
		if (why != CPU_EXIT_KICK)
			break;
		clock_used.insns = cpu->insn_count - clock_insn_base;
		clock_used.exceptions = cpu->exc_count - clock_exc_base;
		if (watchdog_fired || clock_used.insns >= budget->insns ||
		    clock_used.exceptions >= budget->exceptions ||
		    clock_used.sleeps >= budget->sleeps ||
		    clock_used.clock_calls >= budget->clock_calls)
			break;
	}
	pthread_mutex_lock(&watchdog_lock);
	watchdog_cpu = NULL;
	if (watchdog_fired) {
		fuzz_watchdog_kicks++;
		if (getenv("FUZZ_CPU_STRICT"))
			fuzz_fail("the run ended only through the wall-clock watchdog "
				  "(pc %#llx, %llu insns, %llu exceptions)",
				  (unsigned long long)cpu->pc,
				  (unsigned long long)cpu->insn_count,
				  (unsigned long long)cpu->exc_count);
	}
	pthread_mutex_unlock(&watchdog_lock);
	clock_cpu = NULL;
	return why;
}
