/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A check of the instruction-counting method of bench/ips/run: a program
 * whose dynamic instruction count is known by construction,
 *   1 (li) + CALIB_LOOPS * 4 (daddiu, daddu, bnez, delay-slot nop)
 *   + 3 (li, li, syscall) = 4 * CALIB_LOOPS + 4.
 * QEMU's one-instruction-per-block exec trace must count exactly that.
 */
#define CALIB_LOOPS	1000
	.set	noreorder
	.text
	.globl	__start
__start:
	li	$8, CALIB_LOOPS
1:	daddiu	$8, $8, -1
	daddu	$9, $9, $8
	bnez	$8, 1b
	nop
	li	$4, 0
	li	$2, 5205	/* exit_group */
	syscall
