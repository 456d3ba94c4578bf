/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two vCPUs of the virt board (mvm run --cpus 2), under either backend:
 * CPU 0 releases core 1 through the CM's GCRs (core-other block: RESET_BASE,
 * then RESET_RELEASE = 0), core 1 starts at its reset base and bumps a
 * shared counter with ll/sc, CPU 0 waits for it, prints and powers off.
 * Like hello.S it only uses PC-relative data and KSEG1 devices, so it runs
 * in kseg0 under the emulator and at its physical alias under mvm.ko.
 */
#define UART_THR	0xffffffffbe000000	/* BOARD_UART_BASE via KSEG1 */
#define SYSCON		0xffffffffbe001000	/* BOARD_SYSCON_BASE via KSEG1 */
#define GCR		0xffffffffbe180000	/* BOARD_CM_BASE via KSEG1 */
#define GCR_CL_OTHER	0x2018
#define GCR_CO_RESET_RELEASE	0x4000
#define GCR_CO_RESET_BASE	0x4020

	.set	noreorder
	.text
	.globl	_start
_start:
	bal	1f
	 nop
1:	daddiu	$16, $31, counter - 1b	/* s0 = the shared counter */
	daddiu	$17, $31, msg - 1b	/* s1 = the message */
	daddiu	$8, $31, secondary - 1b	/* t0 = core 1's entry, 4 KiB aligned */
	dli	$9, GCR
	lui	$10, 1			/* core 1 in GCR_CL_OTHER.CoreNum */
	sw	$10, GCR_CL_OTHER($9)
	sw	$8, GCR_CO_RESET_BASE($9)
	sw	$0, GCR_CO_RESET_RELEASE($9)
	/* Wait until core 1 has counted to 3. */
	li	$11, 3
2:	lw	$12, 0($16)
	bne	$12, $11, 2b
	 nop
	dli	$18, UART_THR
3:	lbu	$4, 0($17)
	beqz	$4, 4f
	 nop
	sb	$4, 0($18)
	b	3b
	 daddiu	$17, $17, 1
4:	dli	$4, SYSCON
	li	$5, 2			/* SYSCON_POWEROFF */
	sw	$5, 0($4)
5:	b	5b
	 nop

msg:	.asciz	"core 1 started and counted to 3\n"

	.balign	4096
secondary:
	bal	1f
	 nop
1:	daddiu	$16, $31, counter - 1b
	li	$3, 3
2:	ll	$2, 0($16)
	addiu	$2, $2, 1
	sc	$2, 0($16)
	beqz	$2, 2b
	 nop
	daddiu	$3, $3, -1
	bnez	$3, 2b
	 nop
3:	b	3b
	 nop

	.balign	8
counter:
	.word	0
