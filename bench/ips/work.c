/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU-bound workload of bench/ips: integer code of the kind a kernel and
 * its userland run (pseudo-random fill with 64-bit multiplies, a heap sort
 * with data-dependent branches, a table-driven CRC-32 over bytes, a 64-bit
 * matrix multiply, divisions, a byte-wise string scan). Freestanding: no
 * libc, no system calls, so the same object links into the user-mode and the
 * bare-metal drivers unchanged.
 *
 * Every pass starts from the same seed and rebuilds its data, so each pass
 * executes exactly the same instruction sequence: the instruction count of
 * work_run(n) is A*n + B for constants A and B (bench/ips/run measures
 * them exactly for each driver and checks the linearity).
 */
#include <stdint.h>

#define SORT_N		1024
#define CRC_BYTES	4096
#define MAT_N		16
#define DIV_N		512

static uint32_t sort_buf[SORT_N];
static uint8_t bytes[CRC_BYTES];
static uint32_t crc_table[256];
static uint64_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

static uint64_t xorshift64s(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static void sift_down(uint32_t *a, long start, long end)
{
	long root = start;

	while (2 * root + 1 <= end) {
		long child = 2 * root + 1;

		if (child + 1 <= end && a[child] < a[child + 1])
			child++;
		if (a[root] >= a[child])
			return;
		uint32_t t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static uint64_t heap_sort(uint32_t *a, long n)
{
	for (long start = (n - 2) / 2; start >= 0; start--)
		sift_down(a, start, n - 1);
	for (long end = n - 1; end > 0; end--) {
		uint32_t t = a[end];
		a[end] = a[0];
		a[0] = t;
		sift_down(a, 0, end - 1);
	}
	uint64_t h = 0;
	for (long i = 0; i < n; i += 7)
		h = h * 31 + a[i];
	return h;
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, long n)
{
	uint32_t c = 0xffffffffu;

	for (long i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint64_t mat_mul(void)
{
	uint64_t h = 0;

	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			uint64_t s = 0;

			for (int k = 0; k < MAT_N; k++)
				s += mat_a[i][k] * mat_b[k][j];
			mat_c[i][j] = s;
			h ^= s + (h << 6) + (h >> 2);
		}
	return h;
}

static uint64_t divisions(uint64_t seed)
{
	uint64_t h = 0;

	for (uint64_t i = 1; i <= DIV_N; i++) {
		uint64_t x = seed ^ (i * 0x9e3779b97f4a7c15ULL);

		h += x / (i | 1) + (uint32_t)x % (uint32_t)(i + 3);
		h += (int64_t)x / -(int64_t)(i + 11);
	}
	return h;
}

static uint64_t scan(const uint8_t *p, long n)
{
	uint64_t words = 0, in_word = 0;

	for (long i = 0; i < n; i++) {
		int space = p[i] < 0x30;

		if (!space && !in_word)
			words++;
		in_word = !space;
	}
	return words;
}

static uint64_t work_pass(void)
{
	uint64_t s = 0x0123456789abcdefULL, h;

	for (int i = 0; i < SORT_N; i++)
		sort_buf[i] = (uint32_t)xorshift64s(&s);
	for (int i = 0; i < CRC_BYTES; i++)
		bytes[i] = (uint8_t)(xorshift64s(&s) >> 56);
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			mat_a[i][j] = xorshift64s(&s);
			mat_b[i][j] = xorshift64s(&s);
		}
	h = heap_sort(sort_buf, SORT_N);
	h ^= crc32(bytes, CRC_BYTES);
	h += mat_mul();
	h ^= divisions(s);
	h += scan(bytes, CRC_BYTES);
	return h;
}

/*
 * Runs n passes, calling tick() after each (the user-mode driver makes a
 * system call there, which tells a runner's watchdog the program is alive).
 * The result is a checksum that must not depend on the host.
 */
uint64_t work_run(uint64_t n, void (*tick)(void))
{
	uint64_t h = 0;

	crc_init();
	for (uint64_t i = 0; i < n; i++) {
		h = (h << 1 | h >> 63) ^ work_pass();
		tick();
	}
	return h;
}
