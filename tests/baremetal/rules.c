// SPDX-License-Identifier: GPL-2.0
/*
 * The whole architectural state after each patch rule. Every body in
 * rules-asm.S starts from the same pseudo-random register file and data
 * page and uses one kind of sensitive instruction the code patcher rewrites
 * (Documentation/patching.md); this program prints every GPR, HI/LO, the
 * CP0 registers a rule can change, the TLB entries it writes and a CRC of
 * its data pages as `# state` lines. Those lines are the test: tests/
 * baremetal/run compares them with rules.state (the emulator's, checked
 * against QEMU malta), scripts/host/baremetal-split.sh compares mvm.ko's
 * split and patch modes with the emulator line by line. Values that depend
 * on time (Count, CC) are reduced in the bodies to what must hold anyway.
 */
#include "rt.h"

const char *bm_name = "rules";

extern u64 rule_in[34], rule_out[34], rule_data[1024];

#define RULES(X)							\
	X(copy) X(mem_ckseg0) X(mem_ckseg1) X(mem_xkphys)		\
	X(mem_unaligned) X(llsc) X(cp0) X(di_ei) X(status) X(count)	\
	X(compare) X(cache) X(branch) X(jump) X(k0k1) X(rdhwr) X(eret)	\
	X(tlb) X(smc)

#define DECLARE(name) void rule_##name(void);
RULES(DECLARE)
#undef DECLARE

struct rule {
	const char *name;
	void (*body)(void);
};

#define ENTRY(name) { #name, rule_##name },
static const struct rule rules[] = { RULES(ENTRY) };
#undef ENTRY

static u64 mix_state;

/* splitmix64: the same inputs on every backend */
static u64 mix_next(void)
{
	u64 z = (mix_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	u32 crc = ~0u;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void print_values(const char *rule, const char *what, const u64 *v, int n)
{
	printf("# state %s %s:", rule, what);
	for (int i = 0; i < n; i++)
		printf(" %016llx", (unsigned long long)v[i]);
	printf("\n");
}

/* Cause without the lines that follow devices and time (IP2..IP7, TI). */
#define CAUSE_STABLE	(~(u64)0x4000fc00)

static void print_cp0(const char *rule)
{
	u64 cp0[] = {
		(u32)MFC0(C0_STATUS), (u32)MFC0(C0_CAUSE) & CAUSE_STABLE,
		DMFC0(C0_EPC), DMFC0(C0_ERROREPC), DMFC0(C0_ENTRYHI),
		DMFC0(C0_ENTRYLO0), DMFC0(C0_ENTRYLO1), (u32)MFC0(C0_PAGEMASK),
		(u32)MFC0(C0_INDEX), DMFC0(C0_CONTEXT), DMFC0(C0_XCONTEXT),
		DMFC0(C0_BADVADDR), (u32)MFC0(C0_WIRED),
		DMFC0(C0_USERLOCAL), DMFC0(C0_KSCRATCH1), DMFC0(C0_KSCRATCH2),
	};

	print_values(rule, "cp0", cp0, 9);
	print_values(rule, "cp0+", cp0 + 9, (int)(sizeof(cp0) / sizeof(cp0[0])) - 9);
	/* a line of its own: patch mode leaves it alone (patch-deviations) */
	printf("# state %s lladdr: %016llx\n", rule, (unsigned long long)DMFC0(C0_LLADDR));
}

/* The entries rule_tlb writes, read back with tlbr. */
static void print_tlb(const char *rule)
{
	static const int idx[] = { 10, 63 };

	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		u64 e[4];

		tlb_read(idx[i], &e[0], &e[1], &e[2], &e[3]);
		print_values(rule, idx[i] == 10 ? "tlb10" : "tlb63", e, 4);
	}
}

static void run_rule(int n, const struct rule *r)
{
	mix_state = 0x6d766d0000000000ULL + (u64)n;
	for (int i = 0; i < 34; i++)
		rule_in[i] = mix_next();
	for (int i = 0; i < 1024; i++)
		rule_data[i] = mix_next();
	memset(rule_out, 0, sizeof(u64) * 34);
	exc_reset();

	r->body();

	check_eq(exc_n, 0, "rule %s ran without an exception", r->name);
	print_values(r->name, "r1-r8", rule_out + 1, 8);
	print_values(r->name, "r9-r16", rule_out + 9, 8);
	print_values(r->name, "r17-r24", rule_out + 17, 8);
	print_values(r->name, "r25-r31", rule_out + 25, 7);
	print_values(r->name, "hi-lo", rule_out + 32, 2);
	print_cp0(r->name);
	print_tlb(r->name);
	printf("# state %s data: %08x\n", r->name, crc32(rule_data, sizeof(u64) * 1024));
	tlb_init();
	MTC0(C0_PAGEMASK, 0);
}

void bm_main(void)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		run_rule((int)i, &rules[i]);
}
