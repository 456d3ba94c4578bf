// SPDX-License-Identifier: GPL-2.0
/*
 * Count/Compare and interrupts: Count runs in real time, a Compare match
 * sets Cause.TI/IP7 and interrupts through IM7/IE, writing Compare clears
 * it; software interrupts; vectors 0x180 (IV = 0) and 0x200 (IV = 1);
 * masking by IE/EXL/ERL; wait; di/ei; eret with EXL and ERL; eret clears LL.
 */
#include "asm.h"

const char *bm_name = "irq";

u64 e_eret_exl(void);
u64 e_eret_erl(u64 extra_status);
u64 e_llsc(u64 addr);
u64 e_llsc_syscall(u64 addr);
u64 e_llsc_eret(u64 addr);
void e_eret_irq(void);
extern char e_eret_irq_at[];

#define RTC		0xffffffffbe002000ULL	/* goldfish RTC at 0x1e002000 */

static volatile int irqs;
static volatile u64 irq_cause;

static void set_status(u32 clear, u32 set)
{
	MTC0(C0_STATUS, ((u32)MFC0(C0_STATUS) & ~clear) | set);
}

static void timer_hook(u64 cause)
{
	irqs++;
	irq_cause = cause;
	MTC0(C0_COMPARE, count_now() - 1);	/* acknowledge; next match in ~43 s */
}

static void soft_hook(u64 cause)
{
	irqs++;
	irq_cause = cause;
	MTC0(C0_CAUSE, (u32)MFC0(C0_CAUSE) & ~(u32)(CA_IP(0) | CA_IP(1)));
}

/* Spins until an interrupt arrives or `ticks` of Count pass. */
static bool wait_irq(u32 ticks)
{
	u32 c0 = count_now();

	while (!irqs && count_now() - c0 < ticks)
		;
	return irqs != 0;
}

static u64 rtc_ns(void)
{
	u64 lo = rd32(RTC + 0x00);	/* reading TIME_LOW latches TIME_HIGH */

	return lo | ((u64)rd32(RTC + 0x04) << 32);
}

static void test_count(void)
{
	u32 c0 = count_now(), c1;
	u64 t0, t1;
	volatile int i;

	for (i = 0; i < 100000; i++)
		;
	c1 = count_now();
	check_true(c1 != c0, "Count advances (0x%x -> 0x%x)", c0, c1);
	MTC0(C0_COUNT, 0x12345678);
	c0 = count_now();
	check_true(c0 - 0x12345678u < 0x1000000u, "Count is writable (wrote 0x12345678, read 0x%x)", c0);

	/* against the wall clock of the board's goldfish RTC, when there is one */
	exc_reset();
#ifndef BM_QEMU_MALTA
	f_lw(RTC, 0);
#else
	exc_n = 1;
#endif
	if (exc_n) {
		skip("no goldfish RTC at 0x1e002000 to time Count against",
		     "Count rate against the RTC");
		return;
	}
	t0 = rtc_ns();
	c0 = count_now();
	do
		t1 = rtc_ns();
	while (t1 - t0 < 200000000ULL && count_now() - c0 < count_hz * 4);	/* 200 ms */
	c1 = count_now();
	t1 = rtc_ns();
	if (!check_true(t1 - t0 >= 200000000ULL, "RTC advances by 200 ms within 4 s of Count"))
		return;
	{
		u64 hz = (u64)(c1 - c0) * 1000000000ULL / (t1 - t0 ? t1 - t0 : 1);

		check_true(hz > count_hz * 9 / 10 && hz < count_hz * 11 / 10,
			   "Count runs at the DTB's %lu Hz in real time (measured %lu Hz against the RTC)",
			   count_hz, hz);
	}
}

/*
 * Compare = Count + ticks, doubled until at least half of the margin is
 * left after the write: on a slow host (the VMM under QEMU, a patched
 * guest whose CP0 accesses each leave native code) a fixed margin can pass
 * before the write lands or before the next check, and a match before the
 * write is no match.
 */
static u32 arm_compare_cause(u32 ticks, u32 *cause)
{
	u32 cmp, c;

	for (;;) {
		cmp = count_now() + ticks;
		MTC0(C0_COMPARE, cmp);
		c = MFC0(C0_CAUSE);
		/* Count still short of Compare after Cause was read: c is valid. */
		if ((int32_t)(count_now() - cmp) < -(int32_t)(ticks / 2)) {
			if (cause)
				*cause = c;
			return cmp;
		}
		ticks *= 2;
	}
}

static u32 arm_compare(u32 ticks)
{
	return arm_compare_cause(ticks, NULL);
}

static void test_compare(void)
{
	u32 c0, cmp, cause;

	exc_reset();
	set_status(ST_IE | ST_IM_ALL, 0);
	cmp = arm_compare_cause(20000, &cause);		/* 0.2 ms */
	check_eq(cause & (CA_TI | CA_IP(7)), 0, "Compare written: Cause.TI and IP7 clear");
	c0 = count_now();
	while (!(MFC0(C0_CAUSE) & CA_TI) && count_now() - c0 < count_hz)
		;
	check_eq(MFC0(C0_CAUSE) & (CA_TI | CA_IP(7)), CA_TI | CA_IP(7),
		 "Compare match sets Cause.TI and IP7");
	check_true((int32_t)(count_now() - cmp) >= 0, "... not before Count reaches Compare");
	check_eq(exc_n, 0, "no interrupt with IE = 0");
	MTC0(C0_COMPARE, count_now() - 1);
	check_eq(MFC0(C0_CAUSE) & (CA_TI | CA_IP(7)), 0, "writing Compare clears TI and IP7");
	check_eq(MFC0(C0_INTCTL) >> 29 & 7, 7, "IntCtl.IPTI = 7");
}

static void timer_irq(const char *name, bool iv, int vec)
{
	exc_reset();
	irqs = 0;
	irq_hook = timer_hook;
	MTC0(C0_CAUSE, iv ? CA_IV : 0);
	arm_compare(10000);
	set_status(0, ST_IM(7) | ST_IE);
	if (!check_true(wait_irq(count_hz), "%s: timer interrupt delivered", name)) {
		set_status(ST_IE | ST_IM_ALL, 0);
		return;
	}
	set_status(ST_IE | ST_IM_ALL, 0);
	check_exc(0, vec, 0, name);
	check_eq(irq_cause & (CA_TI | CA_IP(7)), CA_TI | CA_IP(7), "%s: Cause.TI and IP7 set", name);
	check_eq(irqs, 1, "%s: exactly one interrupt after acknowledging", name);
	MTC0(C0_CAUSE, 0);
}

static void test_timer_irq(void)
{
	u32 c0;

	timer_irq("timer interrupt, Cause.IV = 0 -> 0x180", false, 0x180);
	timer_irq("timer interrupt, Cause.IV = 1 -> 0x200", true, 0x200);

	/* masked by IM7, EXL, ERL; delivered as soon as unmasked */
	exc_reset();
	irqs = 0;
	irq_hook = timer_hook;
	arm_compare(1000);
	set_status(ST_IM(7), ST_IE);
	c0 = count_now();
	while (!(MFC0(C0_CAUSE) & CA_TI) && count_now() - c0 < count_hz)
		;
	check_eq(MFC0(C0_CAUSE) & CA_TI, CA_TI, "IE = 1, IM7 = 0: Cause.TI set");
	check_eq(irqs, 0, "IE = 1, IM7 = 0: no interrupt");
	set_status(0, ST_IM(7) | ST_EXL);
	check_eq(irqs, 0, "IE = 1, IM7 = 1, EXL = 1: no interrupt");
	set_status(ST_EXL, ST_ERL);
	check_eq(irqs, 0, "IE = 1, IM7 = 1, ERL = 1: no interrupt");
	set_status(ST_ERL, 0);
	c0 = count_now();
	while (!irqs && count_now() - c0 < 100000)
		;
	check_eq(irqs, 1, "pending timer interrupt taken once unmasked");
	set_status(ST_IE | ST_IM_ALL, 0);

	/* wait sleeps until the interrupt */
	exc_reset();
	irqs = 0;
	MTC0(C0_COMPARE, count_now() + count_hz / 100);	/* 10 ms */
	set_status(0, ST_IM(7) | ST_IE);
	c0 = count_now();
	asm volatile("wait" ::: "memory");
	check_eq(irqs, 1, "wait with IE = 1 returns after the timer interrupt");
	check_true(count_now() - c0 >= count_hz / 100 - 1000, "... and not before the match");
	set_status(ST_IE | ST_IM_ALL, 0);
	irq_hook = NULL;

	/*
	 * With Config7.WII = 1 Linux idles with `wait` and IE = 0: a pending
	 * interrupt masked only by IE must wake it. Without WII it is
	 * implementation-dependent, and Linux keeps IE = 1.
	 */
	if (!((u32)MFC0(C0_CONFIG7) >> 31)) {
		skip("Config7.WII = 0: Linux does not wait with IE = 0",
		     "wait with IE = 0, IM7 = 1 wakes on the timer");
		return;
	}
	exc_reset();
	irqs = 0;
	MTC0(C0_COMPARE, count_now() + count_hz / 100);	/* 10 ms */
	set_status(ST_IE, ST_IM(7));
	c0 = count_now();
	asm volatile("wait" ::: "memory");
	check_true(count_now() - c0 >= count_hz / 100 - 1000,
		   "wait with IE = 0, IM7 = 1 sleeps until the timer match");
	check_eq(MFC0(C0_CAUSE) & CA_TI, CA_TI, "... and returns with Cause.TI set");
	check_eq(exc_n, 0, "... without taking the interrupt");
	MTC0(C0_COMPARE, count_now() - 1);
	set_status(ST_IE | ST_IM_ALL, 0);
}

/* The UART's interrupt output reaches Cause.IP2 (level-triggered). */
static void test_uart_line(void)
{
#ifdef BM_QEMU_MALTA
	skip("malta's UART is not on IP2", "UART interrupt on Cause.IP2");
#else
	volatile uint8_t *ier = (volatile uint8_t *)(uintptr_t)0xffffffffbe000001ULL;
	u32 c0;

	set_status(ST_IE | ST_IM_ALL, 0);
	check_eq(MFC0(C0_CAUSE) & CA_IP(2), 0, "UART interrupts off: Cause.IP2 clear");
	*ier = 0x02;					/* THR empty interrupt */
	c0 = count_now();
	while (!(MFC0(C0_CAUSE) & CA_IP(2)) && count_now() - c0 < count_hz / 10)
		;
	check_eq(MFC0(C0_CAUSE) & CA_IP(2), CA_IP(2), "UART THRE interrupt enabled: Cause.IP2 set");
	exc_reset();
	irqs = 0;
	irq_hook = NULL;	/* the runtime's default: clear Status.IM in the handler */
	set_status(0, ST_IM(2) | ST_IE);
	check_exc(0, 0x180, 0, "UART interrupt delivered through IM2");
	check_eq(exc_log[0].cause & CA_IP(2), CA_IP(2), "UART interrupt: Cause.IP2 in the handler");
	set_status(ST_IE | ST_IM_ALL, 0);
	*ier = 0;
	c0 = count_now();
	while ((MFC0(C0_CAUSE) & CA_IP(2)) && count_now() - c0 < count_hz / 10)
		;
	check_eq(MFC0(C0_CAUSE) & CA_IP(2), 0, "UART interrupt disabled: Cause.IP2 drops (level)");
#endif
}

static void test_soft_irq(void)
{
	int ip;

	for (ip = 0; ip < 2; ip++) {
		exc_reset();
		irqs = 0;
		irq_hook = soft_hook;
		set_status(ST_IE | ST_IM_ALL, 0);
		MTC0(C0_CAUSE, CA_IP(ip));
		check_eq(MFC0(C0_CAUSE) & CA_IP(ip), CA_IP(ip), "Cause.IP%d is writable", ip);
		check_eq(irqs, 0, "IP%d pending but masked: no interrupt", ip);
		set_status(0, ST_IM(ip) | ST_IE);
		if (check_eq(irqs, 1, "software interrupt IP%d taken when IM%d and IE are set", ip, ip)) {
			check_exc(0, 0x180, 0, "software interrupt: Int at 0x180");
			check_eq(irq_cause & (CA_IP(0) | CA_IP(1)), CA_IP(ip), "Cause.IP%d in the handler",
				 ip);
		}
		set_status(ST_IE | ST_IM_ALL, 0);
	}
	/* IntCtl.VS only matters with vectored interrupts (Config3.VInt) */
	{
		bool vint = (MFC0(C0_CONFIG3) >> 5) & 1;

		exc_reset();
		irqs = 0;
		irq_hook = soft_hook;
		MTC0(C0_INTCTL, (u32)MFC0(C0_INTCTL) | (1u << 5));	/* VS = 0x20 spacing */
		MTC0(C0_CAUSE, CA_IV | CA_IP(1));
		set_status(0, ST_IM(1) | ST_IE);
		set_status(ST_IE | ST_IM_ALL, 0);
		if (vint)
			check_exc(0, 0x220, 0, "VInt, IV = 1, VS = 0x20: IP1 -> vector 0x220");
		else
			check_exc(0, 0x200, 0, "no VInt: IV = 1 with IntCtl.VS != 0 still -> 0x200");
		MTC0(C0_INTCTL, (u32)MFC0(C0_INTCTL) & ~(0x1fu << 5));
		MTC0(C0_CAUSE, 0);
	}
	/* eret that unmasks a pending interrupt: taken before the first instruction */
	exc_reset();
	irqs = 0;
	irq_hook = soft_hook;
	set_status(ST_IE | ST_IM_ALL, ST_IM(0));
	MTC0(C0_CAUSE, CA_IP(0));
	e_eret_irq();
	set_status(ST_IE | ST_IM_ALL, 0);
	if (check_exc(0, 0x180, 0, "eret into a pending interrupt: taken"))
		check_eq(exc_log[0].epc, (u64)(uintptr_t)e_eret_irq_at,
			 "... with EPC = the eret target (nothing ran there before it)");
	/* ei with a pending software interrupt: taken right away */
	{
		u64 old, after_di;

		exc_reset();
		irqs = 0;
		set_status(0, ST_IE);
		asm volatile(".set push; .set mips64r2; di %0; ehb; .set pop" : "=r"(old) :: "memory");
		after_di = (u64)MFC0(C0_STATUS);
		check_eq(old & ST_IE, ST_IE, "di returns the old Status (IE = 1)");
		check_eq(after_di & ST_IE, 0, "di clears Status.IE");
		MTC0(C0_CAUSE, CA_IP(1));
		set_status(0, ST_IM(1));
		check_eq(irqs, 0, "pending IP1 with IE = 0 after di: no interrupt");
		asm volatile(".set push; .set mips64r2; ei; ehb; .set pop" ::: "memory");
		check_eq(irqs, 1, "ei: pending software interrupt taken");
		check_eq(MFC0(C0_STATUS) & ST_IE, ST_IE, "ei sets Status.IE");
		set_status(ST_IE | ST_IM_ALL, 0);
	}
	irq_hook = NULL;
	MTC0(C0_CAUSE, 0);
}

static void test_eret(void)
{
	static u64 word __attribute__((aligned(8)));
	u64 v0, v1;

	v0 = e_eret_exl();
	asm volatile("move %0, $3" : "=r"(v1));
	check_eq(v0, 1, "eret with EXL = 1 returns to EPC");
	check_eq(MFC0(C0_STATUS) & (ST_EXL | ST_ERL), 0, "eret clears EXL");
	v0 = e_eret_erl(0);
	check_eq(v0, 1, "eret with ERL = 1 returns to ErrorEPC");
	check_eq(MFC0(C0_STATUS) & (ST_EXL | ST_ERL), 0, "eret clears ERL");
	v0 = e_eret_erl(ST_EXL);
	check_eq(v0, 1, "eret with ERL = EXL = 1 returns to ErrorEPC");
	check_eq(MFC0(C0_STATUS) & (ST_EXL | ST_ERL), ST_EXL, "... and clears only ERL");
	set_status(ST_EXL, 0);
	(void)v1;

	word = 5;
	check_eq(e_llsc((u64)(uintptr_t)&word), 1, "ll; sc succeeds");
	check_eq(word, 6, "ll; sc stored");
	exc_reset();
	check_eq(e_llsc_syscall((u64)(uintptr_t)&word), 0, "ll; syscall (eret); sc fails");
	check_eq(word, 6, "... and stores nothing");
	check_eq(e_llsc_eret((u64)(uintptr_t)&word), 0, "lld; eret; scd fails");
	check_eq(word, 6, "... and stores nothing");
}

void bm_main(void)
{
	test_count();
	test_compare();
	test_timer_irq();
	test_soft_irq();
	test_uart_line();
	test_eret();
}
