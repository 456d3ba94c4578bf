// SPDX-License-Identifier: GPL-2.0
/*
 * Two CPUs (run with --cpus 2): the coherence manager found through
 * CMGCRBase releases core 1 at its reset base; it sees CPUNum 1 and the
 * same Count; ll/sc increments from both CPUs lose nothing; code patched
 * by CPU 0 is seen by CPU 1.
 */
#include "asm.h"

const char *bm_name = "smp";

#define GCR_CONFIG		0x000
#define GCR_CL_OTHER		0x2018
#define GCR_CO_RESET_RELEASE	0x4000
#define GCR_CO_RESET_BASE	0x4020
#define N_INC			200000

extern char sec_entry[];
u64 sec_stack[1024] __attribute__((aligned(16)));

static volatile u64 sec_started, sec_ebase, sec_cpunum, sec_count, sec_go, sec_done;
static volatile u64 sec_seen_new, sec_calls;
static volatile u64 ipi_armed, ipi_seen, ipi_cleared, gic_base;

#define GIC_SH_TRIG	0x180
#define GIC_SH_WEDGE	0x280
#define GIC_SH_RMASK	0x300
#define GIC_SH_SMASK	0x380
#define GIC_SH_MAP_PIN	0x500
#define GIC_SH_MAP_VP	0x2000
#define IPI		60	/* a shared interrupt no device uses */
static volatile u32 counter __attribute__((aligned(64)));

/* A function CPU 0 rewrites while CPU 1 keeps calling it. */
__attribute__((section(".smc2"), noinline, aligned(64))) u64 shared_fn(void)
{
	u64 v;

	asm volatile("li %0, 1" : "=r"(v));
	return v;
}

static void atomic_inc(volatile u32 *p)
{
	u32 tmp;

	asm volatile("1: ll %0, 0(%1)\n\taddiu %0, %0, 1\n\tsc %0, 0(%1)\n\tbeqz %0, 1b\n\tnop"
		     : "=&r"(tmp) : "r"(p) : "memory");
}

void secondary_main(void);
void secondary_main(void)
{
	u64 v;
	int i;

	sec_ebase = (u64)MFC0(C0_EBASE);
	asm volatile(".set push; .set mips64r2; rdhwr %0, $0; .set pop" : "=r"(v));
	sec_cpunum = v;
	sec_count = count_now();
	asm volatile("sync" ::: "memory");
	sec_started = 1;
	while (!sec_go)
		;
	for (i = 0; i < N_INC; i++)
		atomic_inc(&counter);
	asm volatile("sync" ::: "memory");
	sec_done = 1;
	/* call shared_fn until CPU 0's patch shows */
	for (;;) {
		asm volatile("synci 0(%0); sync" :: "r"(shared_fn) : "memory");
		v = call_hb((u64)(uintptr_t)shared_fn);
		sec_calls++;
		if (v != 1) {
			sec_seen_new = v;
			break;
		}
	}
	/* an IPI through the GIC: poll Cause.IP2 (interrupts stay off), then ack it */
	while (!ipi_armed)
		;
	while (!(MFC0(C0_CAUSE) & CA_IP(2)))
		;
	ipi_seen = 1;
	wr32(gic_base + GIC_SH_WEDGE, IPI);		/* clear the edge */
	while (MFC0(C0_CAUSE) & CA_IP(2))
		;
	ipi_cleared = 1;
	for (;;)
		;
}

static bool wait_flag(volatile u64 *flag, u32 ticks)
{
	u32 c0 = count_now();

	while (!*flag && count_now() - c0 < ticks)
		;
	return *flag != 0;
}

void bm_main(void)
{
	u64 gcr;
	u32 before, after, c0;
	int i;

	if (!((MFC0(C0_CONFIG3) >> 29) & 1)) {
		skip("Config3.CMGCR = 0: a one-CPU board (run with --cpus 2)", "SMP");
		return;
	}
	gcr = KSEG1(((u64)mfc0(15, 3) << 4) & 0xfffffffffULL);
	if ((rd32(gcr + GCR_CONFIG) & 0xff) < 1) {
		skip("GCR_CONFIG.PCORES = 0: one core (run with --cpus 2)", "SMP");
		return;
	}
	check_true(true, "CM GCR at 0x%lx, %d cores", PHYS(gcr) | 0x1e000000ULL,
		   (int)(rd32(gcr + GCR_CONFIG) & 0xff) + 1);
	check_eq((u64)MFC0(C0_EBASE) & 0x3ff, 0, "CPU 0: EBase.CPUNum = 0");
	wr32(gcr + GCR_CL_OTHER, 1u << 16);
	wr32(gcr + GCR_CO_RESET_BASE, (u32)KSEG1(PHYS(sec_entry)));
	before = count_now();
	wr32(gcr + GCR_CO_RESET_RELEASE, 0);
	if (!check_true(wait_flag(&sec_started, count_hz), "core 1 released from reset runs its entry"))
		return;
	after = count_now();
	check_eq(sec_cpunum, 1, "CPU 1: rdhwr $0 (CPUNum) = 1");
	check_eq(sec_ebase & 0x3ff, 1, "CPU 1: EBase.CPUNum = 1");
	check_true((u32)sec_count - before <= after - before,
		   "CPU 1's Count lies between CPU 0's reads around the release (one Count)");

	sec_go = 1;
	for (i = 0; i < N_INC; i++)
		atomic_inc(&counter);
	wait_flag(&sec_done, count_hz * 10);
	check_eq(counter, 2 * N_INC, "ll/sc increments from two CPUs: none lost");

	/* CPU 1 is calling shared_fn in a loop: patch it from CPU 0 */
	c0 = count_now();
	while (sec_calls < 10 && count_now() - c0 < count_hz)
		;
	wr32((u64)(uintptr_t)shared_fn, 0x24020042);	/* li v0, 0x42 */
	asm volatile("synci 0(%0); sync" :: "r"(shared_fn) : "memory");
	check_true(wait_flag(&sec_seen_new, count_hz * 2) && sec_seen_new == 0x42,
		   "code patched on CPU 0 runs on CPU 1 (after %lu calls of the old code)", sec_calls);

	/* IPI: GIC shared interrupt IPI, edge, pin 0 (IP2), routed to VP 1 only */
	wr32(gcr + 0x80, (rd32(gcr + 0x80) & ~0xffffu) | 1);	/* GIC_EN, as Linux does */
	if (!check_eq(rd32(gcr + 0x80) & 1, 1, "GCR_GIC_BASE: GIC enabled"))
		return;
	gic_base = KSEG1(rd32(gcr + 0x80) & ~0xffffULL);
	wr32(gic_base + GIC_SH_TRIG + 4 * (IPI / 32), 1u << (IPI % 32));
	wr32(gic_base + GIC_SH_MAP_PIN + 4 * IPI, 0x80000000u);		/* to pin 0 */
	wr32(gic_base + GIC_SH_MAP_VP + 0x20 * IPI, 1u << 1);		/* to VP 1 */
	wr32(gic_base + GIC_SH_SMASK + 4 * (IPI / 32), 1u << (IPI % 32));
	ipi_armed = 1;
	wr32(gic_base + GIC_SH_WEDGE, 0x80000000u | IPI);
	check_true(wait_flag(&ipi_seen, count_hz), "IPI via GIC WEDGE raises Cause.IP2 on CPU 1");
	check_eq(MFC0(C0_CAUSE) & CA_IP(2), 0, "... and not on CPU 0");
	check_true(wait_flag(&ipi_cleared, count_hz), "clearing the WEDGE drops CPU 1's IP2");
	wr32(gic_base + GIC_SH_RMASK + 4 * (IPI / 32), 1u << (IPI % 32));
}
