/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and case switching of the differential ISA test program. The same
 * static binary runs under qemu-mips64el-static (the oracle) and on mvm's
 * CPU core in user mode (tests/isa/cpu-runner.c).
 *
 * A case may clobber every register, including sp, and always ends in a
 * trap: the signal handler records the state and calls case_recover, which
 * returns from run_case with the driver's registers restored.
 */
	.set	noreorder
	.set	noat

	.text
	.globl	__start
	.ent	__start
__start:
	dla	$8, stack_top
	move	$29, $8
	jal	driver_main
	nop
	move	$4, $2
	li	$2, 5205	/* exit_group */
	syscall
	.end	__start

/* void run_case(const uint64_t *regs, void (*entry)(void)) */
	.globl	run_case
	.ent	run_case
run_case:
	dla	$8, saved
	sd	$16, 0($8)
	sd	$17, 8($8)
	sd	$18, 16($8)
	sd	$19, 24($8)
	sd	$20, 32($8)
	sd	$21, 40($8)
	sd	$22, 48($8)
	sd	$23, 56($8)
	sd	$28, 64($8)
	sd	$29, 72($8)
	sd	$30, 80($8)
	sd	$31, 88($8)
	jr	$5
	nop
	.end	run_case

/* void case_recover(void): longjmp back to run_case's caller */
	.globl	case_recover
	.ent	case_recover
case_recover:
	dla	$8, saved
	ld	$16, 0($8)
	ld	$17, 8($8)
	ld	$18, 16($8)
	ld	$19, 24($8)
	ld	$20, 32($8)
	ld	$21, 40($8)
	ld	$22, 48($8)
	ld	$23, 56($8)
	ld	$28, 64($8)
	ld	$29, 72($8)
	ld	$30, 80($8)
	ld	$31, 88($8)
	jr	$31
	nop
	.end	case_recover

	.bss
	.align	4
saved:
	.space	12 * 8
	.align	4
	.space	65536
stack_top:
