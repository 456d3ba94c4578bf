/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-mode snippets for user.c, in the .user page that user.c maps at
 * useg 0x400000 (data page at 0x401000). Each one ends in `syscall`, which
 * returns to go_user's caller; results in v0. Arguments in a1, a2.
 */
#include "regdef.h"
	.set	noreorder
	.set	noat
	.set	mips64r2
	.section .user, "ax"

#define U(name)	.globl name, name##_at; name:
#define AT(name) name##_at:

U(u_plain)
	li	v0, 7
	syscall
U(u_data)
	lui	t0, 0x40
	ld	v0, 0x1000(t0)		/* the data page at 0x401000 */
	daddiu	v0, v0, 1
	sd	v0, 0x1008(t0)
	syscall
U(u_mfc0)
	li	v0, 0x1234
AT(u_mfc0)
	mfc0	v0, $12
	syscall
U(u_mtc0)
	li	v0, 0x1234
AT(u_mtc0)
	mtc0	zero, $12
	syscall
U(u_di)
	li	v0, 0x1234
AT(u_di)
	di	v0
	syscall
U(u_eret)
	li	v0, 0x1234
AT(u_eret)
	eret
	syscall
U(u_tlbwi)
	li	v0, 0x1234
AT(u_tlbwi)
	tlbwi
	syscall
U(u_cache)
	li	v0, 0x1234
AT(u_cache)
	cache	0x15, 0(a1)
	syscall
U(u_wait)
	li	v0, 0x1234
AT(u_wait)
	wait
	syscall
U(u_cop1)
	li	v0, 0x1234
AT(u_cop1)
	.word	0x44020000		/* mfc1 v0, $f0 */
	syscall
U(u_load)
	li	v0, 0x1234
AT(u_load)
	ld	v0, 0(a1)
	syscall
U(u_load32)
	li	v0, 0x1234
AT(u_load32)
	lw	v0, 0(a1)
	syscall
U(u_store)
AT(u_store)
	sw	a2, 0(a1)
	syscall
U(u_fetch)
AT(u_fetch)
	jr	a1
	nop
	syscall
U(u_rdhwr0)
	li	v0, 0x1234
AT(u_rdhwr0)
	rdhwr	v0, $0
	syscall
U(u_rdhwr1)
	li	v0, 0x1234
AT(u_rdhwr1)
	rdhwr	v0, $1
	syscall
U(u_rdhwr2)
	li	v0, 0x1234
AT(u_rdhwr2)
	rdhwr	v0, $2
	syscall
U(u_rdhwr3)
	li	v0, 0x1234
AT(u_rdhwr3)
	rdhwr	v0, $3
	syscall
U(u_rdhwr29)
	li	v0, 0x1234
AT(u_rdhwr29)
	rdhwr	v0, $29
	syscall
U(u_break)
	li	v0, 0x1234
AT(u_break)
	break
	syscall
U(u_syscall)
AT(u_syscall)
	syscall
/* a1 iterations of a loop whose counter increments in a delay slot: v0 = a1 */
U(u_count)
	li	v0, 0
	move	t0, a1
1:	addiu	t0, t0, -1
	bnez	t0, 1b
	addiu	v0, v0, 1
	syscall
U(u_synci)
	li	v0, 0x1234
AT(u_synci)
	synci	0(a1)
	li	v0, 5
	syscall
