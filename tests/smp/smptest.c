// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-side SMP checks, built as a static mips64el program and put into
 * the test initramfs by tests/smp/run.
 *
 *   smptest atomic THREADS ITERS
 *	THREADS threads, thread i pinned to CPU i % ncpus, each ITERS times:
 *	a 32-bit and a 64-bit atomic add (LL/SC and LLD/SCD loops), a
 *	hand-written LL/SC increment, a compare-and-swap spin lock around a
 *	plain counter and a pthread mutex around another. Prints the totals,
 *	which must all be THREADS * ITERS, and how many CPUs the threads ran on.
 *   smptest smc ITERS
 *	Cross-CPU code modification: a writer thread (pinned to the first
 *	CPU) rewrites a function in an executable page ITERS times, each
 *	time returning a new constant, flushes it (synci) and signals; a
 *	reader (pinned to the last CPU) calls it and checks the constant.
 *	Prints the number of calls and of stale results (must be 0).
 *   smptest work THREADS UNITS
 *	A parallel workload: UNITS independent hash chains handed out through
 *	an atomic counter to THREADS threads; prints a checksum of the results
 *	in unit order (the same on any number of CPUs) and, on a second line,
 *	the wall time it took.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS	64

static long iters;
static int nr_cpus;
static uint32_t count32;
static uint64_t count64;
static uint64_t count_llsc;
static volatile int spin;
static uint64_t count_spin;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static uint64_t count_mutex;
static uint64_t cpus_seen;	/* bit n: a thread ran on CPU n */

/* The classic MIPS loop, written out so it does not depend on the compiler. */
static void llsc_increment(uint64_t *p)
{
	uint64_t tmp;

	__asm__ __volatile__(
		"1:	lld	%0, %1\n"
		"	daddiu	%0, %0, 1\n"
		"	scd	%0, %1\n"
		"	beqz	%0, 1b\n"
		"	nop\n"
		: "=&r"(tmp), "+m"(*p)
		:
		: "memory");
}

static void spin_lock(void)
{
	int expected;

	do {
		expected = 0;
	} while (!__atomic_compare_exchange_n(&spin, &expected, 1, 0,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
}

static void spin_unlock(void)
{
	__atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
}

static void pin(long index)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(index % nr_cpus, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* best effort */
}

static void *atomic_thread(void *arg)
{
	long i;
	int cpu;

	pin((long)arg);
	for (i = 0; i < iters; i++) {
		__atomic_fetch_add(&count32, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&count64, 1, __ATOMIC_SEQ_CST);
		llsc_increment(&count_llsc);
		spin_lock();
		count_spin++;
		spin_unlock();
		pthread_mutex_lock(&mutex);
		count_mutex++;
		pthread_mutex_unlock(&mutex);
	}
	cpu = sched_getcpu();
	if (cpu >= 0 && cpu < 64)
		__atomic_fetch_or(&cpus_seen, 1ull << cpu, __ATOMIC_RELAXED);
	return NULL;
}

static uint32_t *smc_code;
static long smc_iters, smc_stale;
static int smc_stage;

static int smc_value(long k)
{
	return (int)(k % 30000) + 1;
}

static void *smc_writer(void *arg)
{
	(void)arg;
	pin(0);
	for (long k = 0; k < smc_iters; k++) {
		while (__atomic_load_n(&smc_stage, __ATOMIC_ACQUIRE) != 2 * k)
			;
		smc_code[0] = 0x24020000u | (uint32_t)smc_value(k);	/* addiu v0, zero, K */
		smc_code[1] = 0x03e00008u;				/* jr ra */
		smc_code[2] = 0;					/* nop */
		__builtin___clear_cache((char *)smc_code, (char *)(smc_code + 3));
		__atomic_store_n(&smc_stage, 2 * k + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void *smc_reader(void *arg)
{
	int (*fn)(void) = (int (*)(void))(uintptr_t)smc_code;

	(void)arg;
	pin(nr_cpus - 1);
	for (long k = 0; k < smc_iters; k++) {
		while (__atomic_load_n(&smc_stage, __ATOMIC_ACQUIRE) != 2 * k + 1)
			;
		if (fn() != smc_value(k))
			smc_stale++;
		__atomic_store_n(&smc_stage, 2 * k + 2, __ATOMIC_RELEASE);
	}
	return NULL;
}

static int run_smc(long iters)
{
	pthread_t w, r;

	smc_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (smc_code == MAP_FAILED) {
		perror("smptest: mmap");
		return 1;
	}
	smc_iters = iters;
	if (pthread_create(&w, NULL, smc_writer, NULL) ||
	    pthread_create(&r, NULL, smc_reader, NULL)) {
		fprintf(stderr, "smptest: pthread_create failed\n");
		return 1;
	}
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	printf("smc %ld calls %ld stale\n", iters, smc_stale);
	return 0;
}

static long units, next_unit;
static uint64_t *results;

static uint64_t unit_hash(uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		x += (uint64_t)i * 0x2545f4914f6cdd1dull;
	}
	return x;
}

static void *work_thread(void *arg)
{
	long u;

	pin((long)arg);
	while ((u = __atomic_fetch_add(&next_unit, 1, __ATOMIC_RELAXED)) < units)
		results[u] = unit_hash((uint64_t)u);
	return NULL;
}

static int run_threads(long nr, void *(*fn)(void *))
{
	pthread_t t[MAX_THREADS];
	long i;

	for (i = 0; i < nr; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)i)) {
			fprintf(stderr, "smptest: pthread_create failed\n");
			return -1;
		}
	for (i = 0; i < nr; i++)
		pthread_join(t[i], NULL);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long threads;

	nr_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nr_cpus < 1)
		nr_cpus = 1;
	if (argc == 3 && !strcmp(argv[1], "smc"))
		return run_smc(atol(argv[2]));
	if (argc != 4)
		goto usage;
	threads = atol(argv[2]);
	if (threads < 1 || threads > MAX_THREADS)
		goto usage;
	if (!strcmp(argv[1], "atomic")) {
		iters = atol(argv[3]);
		if (run_threads(threads, atomic_thread))
			return 1;
		printf("expected %ld count32 %u count64 %llu llsc %llu spin %llu mutex %llu cpus %d\n",
		       threads * iters, count32, (unsigned long long)count64,
		       (unsigned long long)count_llsc,
		       (unsigned long long)count_spin,
		       (unsigned long long)count_mutex,
		       __builtin_popcountll(cpus_seen));
		return 0;
	}
	if (!strcmp(argv[1], "work")) {
		uint64_t sum = 0;
		double start = now();

		units = atol(argv[3]);
		results = calloc(units > 0 ? units : 1, sizeof(*results));
		if (!results || run_threads(threads, work_thread))
			return 1;
		for (long u = 0; u < units; u++)
			sum = sum * 31 + results[u];
		printf("work %ld units checksum %016llx\n", units,
		       (unsigned long long)sum);
		printf("time %.3f s\n", now() - start);
		return 0;
	}
usage:
	fprintf(stderr, "usage: smptest atomic THREADS ITERS | smptest smc ITERS | smptest work THREADS UNITS\n");
	return 2;
}
