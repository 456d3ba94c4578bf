/*
 * User-mode compute benchmark for bench-host (mk/host-bench.mk): the same
 * static mips64el binary runs natively on the QEMU MIPS64 host and inside a
 * guest under mvm.ko, and the two times are compared. No system call between
 * the two clock reads; the checksum must be the same in both places.
 *   compute [ROUNDS [KIB]]   each round: a sieve over KIB KiB (default and
 *                            at most 1024) and a CRC-32 of 64 KiB
 * Prints: "compute: ROUNDS rounds of KIB KiB in S.SSSSSS s, checksum 0xXXXXXXXX"
 * The working set decides how much the guest's TLB matters: 1 MiB needs
 * 256 pages (more than a 64-entry TLB maps), 16 KiB stays resident.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIEVE (1u << 20)
#define CRCBUF (64u << 10)

static unsigned char sieve[SIEVE];
static unsigned char buf[CRCBUF];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t crc32(const unsigned char *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static uint32_t round_once(uint32_t seed, uint32_t size)
{
	uint32_t primes = 0;

	memset(sieve, 1, size);
	for (uint32_t i = 2; i < size; i++) {
		if (!sieve[i])
			continue;
		primes++;
		for (uint64_t j = (uint64_t)i * i; j < size; j += i)
			sieve[j] = 0;
	}
	for (uint32_t i = 0; i < CRCBUF; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		buf[i] = seed;
	}
	return crc32(buf, CRCBUF, primes);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10;
	int kib = argc > 2 ? atoi(argv[2]) : 1024;
	uint32_t sum = 0;
	double t0, t1;

	if (kib < 1 || kib > (int)(SIEVE >> 10))
		kib = SIEVE >> 10;
	t0 = now();
	for (int r = 0; r < rounds; r++)
		sum = round_once(sum + 0x9e3779b9u * (r + 1), kib << 10) ^ (sum << 1);
	t1 = now();
	printf("compute: %d rounds of %d KiB in %.6f s, checksum 0x%08x\n", rounds, kib,
	       t1 - t0, sum);
	return 0;
}
