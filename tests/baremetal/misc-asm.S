/* SPDX-License-Identifier: GPL-2.0 */
/* dmfc0 of every CP0 register and select into a0[32 * 8] (unimplemented ones read anything). */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.text
	.globl	read_all_cp0
read_all_cp0:
	.irp	reg, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.irp	sel, 0,1,2,3,4,5,6,7
	dmfc0	t0, $\reg, \sel
	sd	t0, ((\reg * 8 + \sel) * 8)(a0)
	.endr
	.endr
	jr	ra
	nop

/* mtc0 zero to registers Linux writes during cache/error setup but mvm may not model */
	.globl	write_misc_cp0
write_misc_cp0:
	mtc0	zero, $26, 0		/* ErrCtl */
	mtc0	zero, $28, 0		/* TagLo */
	mtc0	zero, $29, 0		/* TagHi */
	mtc0	zero, $28, 2		/* DTagLo */
	mtc0	zero, $22, 0		/* unassigned */
	mtc0	zero, $21, 0		/* unassigned */
	ehb
	jr	ra
	nop
