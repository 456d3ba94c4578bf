/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bare-metal program for the virt board that runs the same under the
 * emulator (kernel mode, kseg0) and under mvm.ko's flat mode (user mode at
 * the physical alias): it only uses PC-relative addressing for its data,
 * reaches the UART and syscon through KSEG1, sums a table in RAM, prints,
 * and powers off. selftests/vmm_test.sh runs it through `mvm --backend kmod`.
 */
#define UART_THR	0xffffffffbe000000	/* BOARD_UART_BASE via KSEG1 */
#define SYSCON		0xffffffffbe001000	/* BOARD_SYSCON_BASE via KSEG1 */

	.set	noreorder
	.text
	.globl	_start
_start:
	bal	1f
	 nop
1:	daddiu	$16, $31, msg - 1b	/* s0 = the message, wherever we run */
	daddiu	$17, $31, table - 1b	/* s1 = the table */
	daddiu	$19, $31, sum_digits - 1b
	dli	$18, UART_THR
	/* Sum the table: 1 + 2 + ... + 10 = 55. */
	move	$2, $0
	li	$3, 10
2:	lw	$4, 0($17)
	daddu	$2, $2, $4
	daddiu	$3, $3, -1
	bnez	$3, 2b
	 daddiu	$17, $17, 4
	/* Patch the digits of the sum into the message: "sum=55". */
	li	$4, 10
	divu	$0, $2, $4
	mflo	$5
	mfhi	$6
	daddiu	$5, $5, '0'
	daddiu	$6, $6, '0'
	sb	$5, 0($19)
	sb	$6, 1($19)
3:	lbu	$4, 0($16)
	beqz	$4, 4f
	 nop
	sb	$4, 0($18)
	b	3b
	 daddiu	$16, $16, 1
4:	dli	$4, SYSCON
	li	$5, 2			/* SYSCON_POWEROFF */
	sw	$5, 0($4)
5:	b	5b
	 nop

	/* Data beside the code: PC-relative addressing needs one section. */
msg:	.ascii	"hello from a flat guest, sum="
sum_digits:
	.asciz	"??\n"
	.balign	4
table:	.word	1, 2, 3, 4, 5, 6, 7, 8, 9, 10
