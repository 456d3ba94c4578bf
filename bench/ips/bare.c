/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bare-metal driver of bench/ips, booted as a kernel (linked at ckseg0
 * 0xffffffff80100000, entered in kernel mode): runs work_run(ips_passes),
 * prints "ips: <checksum>" on a 16550 and stops.
 *
 * Default build: mvm's virt board (`mvm run --kernel`): UART at physical
 * 0x1e000000 (reached through kseg1), and it powers off the way Linux does,
 * with WAIT and interrupts disabled.
 * With -DIPS_MALTA: QEMU's malta (bench/qemu-stub.S enters it): the CBUS UART
 * at 0x1f000900 with registers 8 bytes apart, then a write of 0x42 to the
 * FPGA's soft-reset register, which ends QEMU under -no-reboot.
 */
#include <stdint.h>

uint64_t work_run(uint64_t n, void (*tick)(void));
void ips_main(void) __attribute__((noreturn));

volatile uint64_t ips_passes = IPS_PASSES;
uint64_t ips_stack[2048] __attribute__((aligned(16)));

#ifdef IPS_MALTA
#define UART		((volatile uint8_t *)0xffffffffbf000900ULL)
#define UART_SHIFT	3
#define SOFTRES		((volatile uint32_t *)0xffffffffbf000500ULL)
#else
#define UART		((volatile uint8_t *)0xffffffffbe000000ULL)
#define UART_SHIFT	0
#endif
#define UART_THR	(0 << UART_SHIFT)
#define UART_LSR	(5 << UART_SHIFT)
#define LSR_THRE	0x20

/* Not inlined: bench/ips/run leaves its instructions (a polling loop whose
 * length depends on the UART model) out of the exact count. */
static void __attribute__((noinline)) put(char c)
{
	while (!(UART[UART_LSR] & LSR_THRE))
		;
	UART[UART_THR] = c;
}

static void tick(void)
{
}

void ips_main(void)
{
	uint64_t h = work_run(ips_passes, tick);
	const char *p = "ips: ";

	while (*p)
		put(*p++);
	for (int i = 0; i < 16; i++)
		put("0123456789abcdef"[(h >> (60 - 4 * i)) & 15]);
	put('\n');
#ifdef IPS_MALTA
	*SOFTRES = 0x42;
#endif
	for (;;)
		__asm__ volatile("mtc0 $0, $12\n\tehb\n\twait" ::: "memory");
}

__asm__(
"	.text\n"
"	.globl	__start\n"
"__start:\n"
"	mtc0	$0, $12\n"		/* Status: kernel mode, interrupts off */
"	ehb\n"
"	dla	$29, ips_stack + 16384\n"
"	jal	ips_main\n"
"	nop\n");
