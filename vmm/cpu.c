// SPDX-License-Identifier: GPL-2.0
/*
 * CPU lifecycle, exception delivery, interrupts, the timer and the run loop
 * that strings translated blocks together.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu_debug.h"
#include "cpu_internal.h"
#include "host_clock.h"

#define POLL_INTERVAL_BLOCKS	256
/* Exceptions in a row without the guest retiring a block: a dead guest. */
#define EXCEPTION_STORM_LIMIT	1000000

static uint64_t host_time_ticks(void)
{
	return host_clock__mono_ns() / (1000000000ull / CPU_COUNT_HZ);
}

static struct cpu_clock guest_clock = { CPU_COUNT_HZ, host_time_ticks };

void cpu__set_clock(const struct cpu_clock *clock)
{
	guest_clock = *clock;
}

uint64_t cpu__count_hz(void)
{
	return guest_clock.hz;
}

uint64_t cpu__host_count(struct cpu *cpu)
{
	(void)cpu;
	return guest_clock.ticks();
}

uint32_t cpu__count(struct cpu *cpu)
{
	return (uint32_t)(cpu__host_count(cpu) + cpu->cp0.count_offset);
}

#define PROFILE_SLOTS	(1u << 16)

struct profile_slot {
	uint64_t pc;
	uint64_t count;
};

static void cpu__profile_write(struct cpu *cpu);

struct cpu *cpu__create(struct bus *bus, int id)
{
	/*
	 * Cache lines of its own: a vCPU thread writes its struct cpu all the
	 * time, and two of them sharing a line (the end of one, the registers
	 * of the next) cost two concurrently running vCPUs ~45% more CPU.
	 */
	size_t size = (sizeof(struct cpu) + 127) & ~(size_t)127;
	struct cpu *cpu = aligned_alloc(128, size);

	if (!cpu)
		return NULL;
	memset(cpu, 0, size);
	cpu->bus = bus;
	cpu->id = id;
	if (!code_cache__get(bus)) {
		free(cpu);
		return NULL;
	}
	pthread_mutex_init(&cpu->wait_lock, NULL);
	pthread_cond_init(&cpu->wait_cond, NULL);
	interp__init(cpu);
	if (!cpu->blocks) {
		free(cpu);
		return NULL;
	}
	if (getenv("MVM_PROFILE"))
		cpu->profile = calloc(PROFILE_SLOTS, sizeof(*cpu->profile));
	cpu__reset(cpu, 0xffffffffbfc00000ull);
	return cpu;
}

void cpu__destroy(struct cpu *cpu)
{
	if (!cpu)
		return;
	if (cpu->profile) {
		cpu__profile_write(cpu);
		free(cpu->profile);
	}
	interp__exit(cpu);
	pthread_mutex_destroy(&cpu->wait_lock);
	pthread_cond_destroy(&cpu->wait_cond);
	free(cpu);
}

void cpu__reset(struct cpu *cpu, uint64_t pc)
{
	memset(cpu->gpr, 0, sizeof(cpu->gpr));
	cpu->hi = cpu->lo = 0;
	cp0__reset(cpu);
	for (int i = 0; i < CPU_TLB_ENTRIES; i++) {
		struct tlb_entry *e = &cpu->tlb[i];

		/* Distinct unmatchable VPNs in kseg0 stand for "empty". */
		e->pagemask = 0;
		e->entryhi = 0xffffffff80000000ull + ((uint64_t)i << 13);
		e->entrylo[0] = e->entrylo[1] = 0;
		tlb__recompute(e);
	}
	cpu->llbit = false;
	cpu->exception = false;
	cpu->in_delay_slot = false;
	cpu->pending_branch = false;
	cpu->in_wait = false;
	cpu->halted = false;
	cpu->timer_last = cpu__count(cpu);
	cpu->poll_countdown = POLL_INTERVAL_BLOCKS;
	cpu->consecutive_exceptions = 0;
	cpu->pc = pc;
	cpu->tlb_generation = 1;
	cpu__update_mode(cpu);
	tlb__flush_soft(cpu);
}

void cpu__update_mode(struct cpu *cpu)
{
	uint64_t st = cpu->cp0.status;

	if (st & (ST_EXL | ST_ERL))
		cpu->mode = MODE_KERNEL;
	else
		switch ((st & ST_KSU) >> ST_KSU_SHIFT) {
		case 0: cpu->mode = MODE_KERNEL; break;
		case 1: cpu->mode = MODE_SUPERVISOR; break;
		default: cpu->mode = MODE_USER; break;
		}
	cpu->ops64 = cpu->mode == MODE_KERNEL ||
		     (cpu->mode == MODE_SUPERVISOR && (st & ST_SX)) ||
		     (cpu->mode == MODE_USER && (st & ST_UX));
}

bool cpu__ops64_enabled(const struct cpu *cpu)
{
	return cpu->ops64;
}

static uint64_t cpu__vector(struct cpu *cpu, enum exc_code code, bool was_exl)
{
	uint64_t offset = 0x180;
	uint64_t base;

	if (cpu->refill && !was_exl)
		offset = cpu->xtlb_refill ? 0x080 : 0x000;
	else if (code == EXC_INT && (cpu->cp0.cause & CAUSE_IV))
		offset = 0x200;
	if (cpu->cp0.status & ST_BEV)
		base = 0xffffffffbfc00200ull;
	else
		base = cpu->cp0.ebase & ~0xfffull;
	return base + offset;
}

void cpu__exception(struct cpu *cpu, enum exc_code code)
{
	struct cp0 *c = &cpu->cp0;
	bool was_exl = (c->status & ST_EXL) != 0;

	if (!was_exl) {
		if (cpu->in_delay_slot) {
			c->epc = cpu->pc - 4;
			c->cause |= CAUSE_BD;
		} else {
			c->epc = cpu->pc;
			c->cause &= ~CAUSE_BD;
		}
	}
	c->cause = (c->cause & ~(CAUSE_EXC | (code == EXC_CPU ? 0 : CAUSE_CE))) |
		   ((uint64_t)code << CAUSE_EXC_SHIFT);
	c->status |= ST_EXL;
	cpu->pc = cpu__vector(cpu, code, was_exl);
	cpu->refill = false;
	cpu->in_delay_slot = false;
	cpu->pending_branch = false;
	cpu->exception = true;
	cpu->exc_count++;
	cpu__update_mode(cpu);
	if (++cpu->consecutive_exceptions > EXCEPTION_STORM_LIMIT && !cpu->halted) {
		cpu->halted = true;
		cpu->halt_reason = "exception storm: the guest cannot make progress";
	}
}

void cpu__address_error(struct cpu *cpu, uint64_t va, bool store)
{
	cpu->cp0.badvaddr = va;
	cpu__exception(cpu, store ? EXC_ADES : EXC_ADEL);
}

void cpu__cop_unusable(struct cpu *cpu, int cop)
{
	cpu->cp0.cause = (cpu->cp0.cause & ~CAUSE_CE) |
			 ((uint64_t)cop << CAUSE_CE_SHIFT);
	cpu__exception(cpu, EXC_CPU);
}

/* Count passed Compare since the last check: raise the timer interrupt. */
void cpu__poll_timer(struct cpu *cpu)
{
	uint32_t now = cpu__count(cpu);
	uint32_t compare = (uint32_t)cpu->cp0.compare;

	if ((uint32_t)(compare - cpu->timer_last - 1) < (uint32_t)(now - cpu->timer_last))
		cpu->cp0.cause |= CAUSE_TIMER;
	cpu->timer_last = now;
}

void cpu__set_irq(struct cpu *cpu, int ip, bool level)
{
	uint32_t bit = 1u << ip;

	if (ip < 2 || ip > 6)
		return;
	if (level)
		atomic_fetch_or(&cpu->irq_lines, bit);
	else
		atomic_fetch_and(&cpu->irq_lines, ~bit);
	atomic_store(&cpu->kick_irq, true);
	pthread_mutex_lock(&cpu->wait_lock);
	pthread_cond_broadcast(&cpu->wait_cond);
	pthread_mutex_unlock(&cpu->wait_lock);
	if (cpu->notify)
		cpu->notify(cpu->notify_arg);
}

void cpu__kick(struct cpu *cpu)
{
	atomic_store(&cpu->kick, true);
	pthread_mutex_lock(&cpu->wait_lock);
	pthread_cond_broadcast(&cpu->wait_cond);
	pthread_mutex_unlock(&cpu->wait_lock);
	if (cpu->notify)
		cpu->notify(cpu->notify_arg);
}

static void cpu__sync_irq_lines(struct cpu *cpu)
{
	uint64_t lines = atomic_load(&cpu->irq_lines) & 0x7c;

	atomic_store(&cpu->kick_irq, false);
	cpu->cp0.cause = (cpu->cp0.cause & ~(0x7cull << CAUSE_IP_SHIFT)) |
			 (lines << CAUSE_IP_SHIFT);
}

static uint64_t cpu__pending_irqs(const struct cpu *cpu)
{
	return cpu->cp0.cause & cpu->cp0.status & ST_IM;
}

static bool cpu__take_interrupt(struct cpu *cpu)
{
	uint64_t st = cpu->cp0.status;

	if (!(st & ST_IE) || (st & (ST_EXL | ST_ERL)) || !cpu__pending_irqs(cpu))
		return false;
	cpu->in_delay_slot = false;
	cpu__exception(cpu, EXC_INT);
	cpu->consecutive_exceptions = 0;
	return true;
}

/* Nanoseconds until Count reaches Compare. */
uint64_t cpu__ns_until_timer(struct cpu *cpu)
{
	uint32_t ticks = (uint32_t)cpu->cp0.compare - cpu__count(cpu);

	return (uint64_t)ticks * 1000000000ull / guest_clock.hz;
}

/* WAIT: sleep until an interrupt that Status.IM lets through is pending. */
static void cpu__sleep(struct cpu *cpu)
{
	struct timespec ts;
	uint64_t deadline;

	pthread_mutex_lock(&cpu->wait_lock);
	if (!atomic_load(&cpu->kick) && !atomic_load(&cpu->kick_irq)) {
		uint64_t ns = cpu__ns_until_timer(cpu);

		if (!(cpu->cp0.status & (1ull << (ST_IM_SHIFT + 7))) || ns > 100000000ull)
			ns = 100000000ull;
		clock_gettime(CLOCK_REALTIME, &ts);
		deadline = (uint64_t)ts.tv_nsec + ns;
		ts.tv_sec += (time_t)(deadline / 1000000000ull);
		ts.tv_nsec = (long)(deadline % 1000000000ull);
		pthread_cond_timedwait(&cpu->wait_cond, &cpu->wait_lock, &ts);
	}
	pthread_mutex_unlock(&cpu->wait_lock);
}

/*
 * MVM_PROFILE=FILE: a sampling profile of guest PCs (one sample per poll),
 * written as "count pc" lines when the vCPU is destroyed. A developer's
 * tool for finding where guest time goes; boot with nokaslr and match the
 * PCs against the guest's /proc/kallsyms.
 */
static void cpu__profile_sample(struct cpu *cpu)
{
	uint64_t h = (cpu->pc >> 2) * 0x9e3779b97f4a7c15ull;

	for (unsigned int i = 0; i < PROFILE_SLOTS; i++) {
		struct profile_slot *s = &cpu->profile[(h + i) & (PROFILE_SLOTS - 1)];

		if (s->pc == cpu->pc || s->count == 0) {
			s->pc = cpu->pc;
			s->count++;
			return;
		}
	}
}

static void cpu__profile_write(struct cpu *cpu)
{
	const char *path = getenv("MVM_PROFILE");
	char name[4096];
	FILE *f;

	snprintf(name, sizeof(name), "%s.cpu%d", path, cpu->id);
	f = fopen(name, "w");
	if (!f)
		return;
	for (unsigned int i = 0; i < PROFILE_SLOTS; i++)
		if (cpu->profile[i].count)
			fprintf(f, "%llu %016llx\n",
				(unsigned long long)cpu->profile[i].count,
				(unsigned long long)cpu->profile[i].pc);
	fclose(f);
}

static void cpu__poll(struct cpu *cpu)
{
	cpu->poll_countdown = POLL_INTERVAL_BLOCKS;
	if (unlikely(cpu->profile != NULL))
		cpu__profile_sample(cpu);
	cpu__poll_timer(cpu);
	cpu__sync_irq_lines(cpu);
}

/*
 * User mode the host can run natively for us: the module's guest user mode
 * is 64-bit (UX), little-endian, without coprocessors, like Linux's own.
 */
static bool cpu__native_user_ok(const struct cpu *cpu)
{
	uint64_t st = cpu->cp0.status;

	return cpu->native_user && cpu->mode == MODE_USER && (st & ST_UX) &&
	       !(st & (ST_CU0 | ST_CU1 | ST_RE)) && !cpu->pending_branch &&
	       !cpu->in_wait && !cpu->halted && cpu->debug == NULL;
}

bool cpu__native_user_ready(struct cpu *cpu)
{
	cpu__poll(cpu);
	if (atomic_load(&cpu->kick) || !cpu__native_user_ok(cpu))
		return false;
	return !(cpu->cp0.status & ST_IE) || !cpu__pending_irqs(cpu);
}

/*
 * Kernel mode the patcher can serve: 64-bit addressing of the kernel and
 * user segments (KX, UX, as Linux runs), useg mapped (ERL clear),
 * little-endian, nothing pending in the core.
 */
static bool cpu__native_kernel_ok(const struct cpu *cpu)
{
	uint64_t st = cpu->cp0.status;

	return cpu->native_kernel && cpu->mode == MODE_KERNEL &&
	       (st & (ST_KX | ST_UX)) == (ST_KX | ST_UX) &&
	       !(st & (ST_ERL | ST_RE)) && !cpu->pending_branch &&
	       !cpu->in_wait && !cpu->halted && cpu->debug == NULL &&
	       !cpu->llbit;	/* an ll the core ran: its sc must be the core's too */
}

bool cpu__native_kernel_ready(struct cpu *cpu)
{
	cpu__poll(cpu);
	if (atomic_load(&cpu->kick) || !cpu__native_kernel_ok(cpu))
		return false;
	return !(cpu->cp0.status & ST_IE) || (cpu->cp0.status & ST_EXL) ||
	       !cpu__pending_irqs(cpu);
}

void cpu__step(struct cpu *cpu)
{
	interp__step(cpu);
}

enum cpu_exit cpu__run(struct cpu *cpu)
{
	for (;;) {
		if (unlikely(atomic_load_explicit(&cpu->kick_irq, memory_order_relaxed)) ||
		    unlikely(cpu->poll_countdown == 0))
			cpu__poll(cpu);
		if (unlikely(atomic_load_explicit(&cpu->kick, memory_order_relaxed))) {
			atomic_store(&cpu->kick, false);
			return CPU_EXIT_KICK;
		}
		if (unlikely(cpu->halted))
			return CPU_EXIT_HALT;
		if (unlikely(cpu->in_wait)) {
			if (!(cpu->cp0.status & ST_IM)) {
				if (cpu->profile)
					cpu__profile_write(cpu);
				return CPU_EXIT_POWEROFF;
			}
			cpu__poll(cpu);
			if (!cpu__pending_irqs(cpu)) {
				cpu__sleep(cpu);
				continue;
			}
			cpu->in_wait = false;
		}
		if (unlikely(cpu->debug != NULL)) {
			enum cpu_debug_action a = cpu_debug__check(cpu);

			if (a == CPU_DEBUG_STOP)
				return CPU_EXIT_DEBUG;
			if (a == CPU_DEBUG_STEP) {
				if (cpu->pending_branch || !cpu__take_interrupt(cpu))
					interp__step(cpu);
				continue;
			}
		}
		if (!cpu->pending_branch && cpu__take_interrupt(cpu))
			continue;
		if (unlikely(cpu->native_user) && cpu__native_user_ok(cpu))
			return CPU_EXIT_USER;
		if (unlikely(cpu->native_kernel) && cpu__native_kernel_ok(cpu))
			return CPU_EXIT_KERNEL;
		/*
		 * Entering counts as a block: a loop that never chains (ERET,
		 * exceptions, a delay slot on the next page) must poll too,
		 * or its timer interrupt never comes. Never 0 in interp__run().
		 */
		if (unlikely(--cpu->poll_countdown == 0))
			continue;
		interp__run(cpu);
	}
}

void cpu__dump(struct cpu *cpu)
{
	static const char *const names[32] = {
		"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
		"a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3",
		"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
		"t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra",
	};

	fprintf(stderr, "cpu%d: pc %016llx hi %016llx lo %016llx\n", cpu->id,
		(unsigned long long)cpu->pc, (unsigned long long)cpu->hi,
		(unsigned long long)cpu->lo);
	for (int i = 0; i < 32; i++)
		fprintf(stderr, "%4s %016llx%s", names[i],
			(unsigned long long)cpu->gpr[i], (i % 4 == 3) ? "\n" : " ");
	fprintf(stderr, "status %016llx cause %016llx epc %016llx badvaddr %016llx\n",
		(unsigned long long)cpu->cp0.status, (unsigned long long)cpu->cp0.cause,
		(unsigned long long)cpu->cp0.epc, (unsigned long long)cpu->cp0.badvaddr);
	fprintf(stderr, "entryhi %016llx errorepc %016llx insns %llu exceptions %llu\n",
		(unsigned long long)cpu->cp0.entryhi, (unsigned long long)cpu->cp0.errorepc,
		(unsigned long long)cpu->insn_count, (unsigned long long)cpu->exc_count);
}
