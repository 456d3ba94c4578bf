// SPDX-License-Identifier: GPL-2.0
/*
 * Register-level tests of the GIC and the CM GCRs (devices/mips_gic.c,
 * devices/mips_cm.c) against real vCPUs: which Cause.IP lines a GIC
 * configuration raises on which CPU, IPIs through WEDGE, masks, polarity,
 * the VP-local/VP-other blocks, and the CM's description of the system and
 * its core release. Built and run by tests/smp/run; prints TAP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "bus.h"
#include "cpu.h"
#include "device.h"
#include "mips_cm.h"
#include "mips_gic.h"

#define NR_CPUS		3
#define GIC_BASE	0x1e100000ULL
#define CM_BASE		0x1e180000ULL

static int test_nr, failures;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++test_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		failures++;
}

static struct cpu *cpus[NR_CPUS];
static struct device *gic, *cm;

static uint32_t rd(struct device *d, uint64_t off)
{
	return (uint32_t)d->ops->read(d, off, 4);
}

static void wr(struct device *d, uint64_t off, uint32_t v)
{
	d->ops->write(d, off, v, 4);
}

/* Cause.IP lines (bits 2..6) the GIC drives on cpu c. */
static uint32_t lines(int c)
{
	return atomic_load(&cpus[c]->irq_lines) & 0x7c;
}

static void gic_route(unsigned int intr, int vp, int pin)
{
	wr(gic, 0x500 + 4 * intr, (1u << 31) | (uint32_t)pin);
	wr(gic, 0x2000 + 0x20 * intr, 1u << vp);
}

static void test_gic(void)
{
	uint32_t cfg = rd(gic, 0x000);

	ok((cfg & 0x7f) == NR_CPUS - 1 && ((cfg >> 16) & 0xff) == 64 / 8 - 1,
	   "gic: CONFIG describes %d VPs and 64 shared interrupts (0x%x)", NR_CPUS, cfg);

	/* Linux's set-up: level, active high, masked. */
	for (unsigned int w = 0; w < 2; w++) {
		wr(gic, 0x100 + 4 * w, ~0u);	/* POL: active high */
		wr(gic, 0x180 + 4 * w, 0);	/* TRIG: level */
		wr(gic, 0x300 + 4 * w, ~0u);	/* RMASK: all masked */
	}
	gic_route(3, 1, 0);
	mips_gic__set_irq(gic, 3, true);
	ok(lines(1) == 0 && (rd(gic, 0x480) & (1u << 3)),
	   "gic: a masked interrupt is pending but raises no line");
	wr(gic, 0x380, 1u << 3);		/* SMASK */
	ok(lines(1) == (1u << 2) && lines(0) == 0 && lines(2) == 0,
	   "gic: unmasked, shared interrupt 3 (pin 0, VP 1) raises IP2 on CPU 1 only");
	gic_route(3, 2, 2);
	ok(lines(1) == 0 && lines(2) == (1u << 4),
	   "gic: re-routing it to VP 2 pin 2 moves it to IP4 of CPU 2");
	mips_gic__set_irq(gic, 3, false);
	ok(lines(2) == 0 && !(rd(gic, 0x480) & (1u << 3)),
	   "gic: the level interrupt goes away with its input");
	wr(gic, 0x100, ~0u & ~(1u << 3));	/* active low */
	ok(lines(2) == (1u << 4), "gic: an active-low interrupt is pending with its input low");
	wr(gic, 0x100, ~0u);
	ok(lines(2) == 0, "gic: back to active high, it is not");

	/* An IPI: edge-triggered, set and cleared through WEDGE. */
	wr(gic, 0x180 + 4, 1u << (60 - 32));	/* TRIG: edge */
	gic_route(60, 0, 0);
	wr(gic, 0x380 + 4, 1u << (60 - 32));
	ok(lines(0) == 0, "gic: an edge interrupt starts idle");
	wr(gic, 0x280, (1u << 31) | 60);
	ok(lines(0) == (1u << 2) && (rd(gic, 0x484) & (1u << (60 - 32))),
	   "gic: WEDGE with RW set raises the IPI on CPU 0");
	wr(gic, 0x280, 60);
	ok(lines(0) == 0 && !(rd(gic, 0x484) & (1u << (60 - 32))),
	   "gic: WEDGE with RW clear acknowledges it");
	mips_gic__set_irq(gic, 60, true);
	mips_gic__set_irq(gic, 60, false);
	ok(lines(0) == (1u << 2), "gic: a rising edge on the input latches it");
	wr(gic, 0x280, 60);
	wr(gic, 0x280, (1u << 31) | 200);	/* out of range: ignored */
	ok(lines(0) == 0, "gic: an out-of-range WEDGE changes nothing");

	/* Two sources on one pin: the line stays up while either is pending. */
	gic_route(4, 1, 1);
	gic_route(5, 1, 1);
	wr(gic, 0x380, (1u << 4) | (1u << 5));
	mips_gic__set_irq(gic, 4, true);
	mips_gic__set_irq(gic, 5, true);
	mips_gic__set_irq(gic, 4, false);
	ok(lines(1) == (1u << 3), "gic: a pin stays up while any interrupt on it is pending");
	mips_gic__set_irq(gic, 5, false);
	ok(lines(1) == 0, "gic: and drops with the last one");

	/* VP-local and VP-other blocks depend on the accessing vCPU. */
	device__set_current_cpu(2);
	ok(rd(gic, 0x8088) == 2, "gic: VP_IDENT in the local block is the accessing VP");
	wr(gic, 0x8010, 0x7f);			/* local SMASK */
	wr(gic, 0x8080, 1);			/* VP_OTHER = 1 */
	ok(rd(gic, 0xc088) == 1 && rd(gic, 0xc008) == 0 && rd(gic, 0x8008) == 0x7f,
	   "gic: VP_OTHER selects VP 1's block at 0xc000, with its own mask");
	ok(rd(gic, 0x8000) == 0, "gic: VP_CTL: no EIC, no routable local interrupt (timer stays on IP7)");
	device__set_current_cpu(0);
	ok(rd(gic, 0x8088) == 0 && rd(gic, 0x8008) == 0, "gic: CPU 0 sees its own local block");
	wr(gic, 0x8080, 9);			/* a VP that does not exist */
	ok(rd(gic, 0xc088) == 0, "gic: VP_OTHER naming a missing VP reads zero");

	/* Access widths. */
	gic->ops->write(gic, 0x500 + 4 * 8, 0xffffffff, 1);
	ok(rd(gic, 0x500 + 4 * 8) == 0, "gic: a narrow write is ignored");
	gic->ops->write(gic, 0x500 + 4 * 8, ((uint64_t)((1u << 31) | 2) << 32) | (1u << 31) | 1, 8);
	ok(rd(gic, 0x500 + 4 * 8) == ((1u << 31) | 1) && rd(gic, 0x500 + 4 * 9) == ((1u << 31) | 2),
	   "gic: a 64-bit write sets two 32-bit registers");
	ok(gic->ops->read(gic, 0x500 + 4 * 8, 8) ==
	   (((uint64_t)((1u << 31) | 2) << 32) | (1u << 31) | 1),
	   "gic: a 64-bit read joins them");
	ok(rd(gic, 0x1fffc) == 0, "gic: the user section reads zero");
}

static int released_core = -1, releases;
static uint64_t released_pc;

static void on_release(void *opaque, int core, uint64_t pc)
{
	(void)opaque;
	released_core = core;
	released_pc = pc;
	releases++;
}

static void test_cm(void)
{
	device__set_current_cpu(0);
	ok((rd(cm, 0x000) & 0xff) == NR_CPUS - 1 && rd(cm, 0x004) == 0,
	   "cm: GCR_CONFIG.PCORES = %d", NR_CPUS - 1);
	ok(rd(cm, 0x008) == CM_BASE, "cm: GCR_BASE reads back where the GCRs are");
	ok(rd(cm, 0x030) == 0x0700, "cm: GCR_REV says CM 2.5");
	ok(rd(cm, 0x0d0) == 1 && rd(cm, 0x0f0) == 0, "cm: a GIC, no CPC");
	wr(cm, 0x080, (uint32_t)GIC_BASE | 1);
	ok(rd(cm, 0x080) == ((uint32_t)GIC_BASE | 1), "cm: GCR_GIC_BASE names the GIC and keeps GICEN");
	ok(rd(cm, 0x070) == ((uint32_t)(CM_BASE + MIPS_CM_GCR_SIZE) | 1),
	   "cm: the L2-only sync region is enabled right after the GCRs");
	ok(cm->ops->read(cm, 0x000, 8) == NR_CPUS - 1, "cm: 64-bit reads of 64-bit registers");

	for (int c = 0; c < NR_CPUS; c++) {
		device__set_current_cpu(c);
		if (rd(cm, 0x2028) != (uint32_t)c)
			break;
		if (c == NR_CPUS - 1)
			ok(1, "cm: GCR_CL_ID is the accessing core's number");
	}
	device__set_current_cpu(0);
	ok(rd(cm, 0x2000) == 0, "cm: core 0 runs from power-up");
	wr(cm, 0x2018, 2u << 16);		/* GCR_CL_OTHER: core 2 */
	ok(rd(cm, 0x4028) == 2 && rd(cm, 0x4000) == 1,
	   "cm: GCR_CL_OTHER selects core 2 in the core-other block; it is held in reset");
	wr(cm, 0x4020, 0xa0345000u);		/* RESET_BASE: a KSEG1 address */
	wr(cm, 0x4008, 0);			/* COHERENCE */
	ok(releases == 0, "cm: nothing starts before the release");
	wr(cm, 0x4000, 0);			/* RESET_RELEASE */
	ok(releases == 1 && released_core == 2 && released_pc == 0xffffffffa0345000ull,
	   "cm: releasing core 2 starts it at its sign-extended RESET_BASE (core %d, pc 0x%llx)",
	   released_core, (unsigned long long)released_pc);
	wr(cm, 0x4000, 0);
	ok(releases == 1, "cm: releasing a running core again does nothing");
	device__set_current_cpu(2);
	ok(rd(cm, 0x2000) == 0 && rd(cm, 0x2020) == 0xa0345000u,
	   "cm: core 2 sees its own registers in the core-local block");
	wr(cm, 0x2008, 0xff);
	ok(rd(cm, 0x2008) == 0xff, "cm: GCR_CL_COHERENCE holds what the core wrote");
	device__set_current_cpu(0);
	ok(rd(cm, 0x2008) == 0, "cm: core 0's coherence is its own");
	wr(cm, 0x2018, 7u << 16);		/* a core that does not exist */
	wr(cm, 0x4000, 0);
	ok(rd(cm, 0x4028) == 0 && releases == 1, "cm: the core-other block of a missing core is inert");
}

int main(void)
{
	struct bus bus;
	int i;

	if (bus__init(&bus, 64 << 20, false))
		return 1;
	for (i = 0; i < NR_CPUS; i++) {
		cpus[i] = cpu__create(&bus, i);
		if (!cpus[i])
			return 1;
	}
	gic = mips_gic__create(GIC_BASE, NR_CPUS, cpus);
	cm = mips_cm__create(CM_BASE, NR_CPUS, GIC_BASE, on_release, NULL);
	if (!gic || !cm)
		return 1;
	test_gic();
	test_cm();
	printf("1..%d\n", test_nr);
	gic->ops->destroy(gic);
	cm->ops->destroy(cm);
	free(gic);
	free(cm);
	for (i = 0; i < NR_CPUS; i++)
		cpu__destroy(cpus[i]);
	bus__exit(&bus);
	return failures ? 1 : 0;
}
