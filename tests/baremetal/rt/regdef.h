/* SPDX-License-Identifier: GPL-2.0 */
/* Register names and CP0 numbers for the bare-metal test runtime (assembly and C). */
#ifndef BM_REGDEF_H
#define BM_REGDEF_H

/* Status bits */
#define ST_IE		0x00000001
#define ST_EXL		0x00000002
#define ST_ERL		0x00000004
#define ST_KSU_USER	0x00000010
#define ST_KSU_MASK	0x00000018
#define ST_UX		0x00000020
#define ST_SX		0x00000040
#define ST_KX		0x00000080
#define ST_IM(n)	(0x100 << (n))
#define ST_IM_ALL	0x0000ff00
#define ST_BEV		0x00400000
#define ST_CU0		0x10000000
#define ST_CU1		0x20000000

/* Cause bits */
#define CA_BD		0x80000000
#define CA_TI		0x40000000
#define CA_CE_SHIFT	28
#define CA_IV		0x00800000
#define CA_IP(n)	(0x100 << (n))
#define CA_EXC(c)	(((c) >> 2) & 0x1f)

/* Vector ids recorded by the handler: table * 0x1000 + offset. */
#define VEC_TABLE_A	0x0000
#define VEC_TABLE_B	0x1000
#define VEC_BEV		0x2000

/* Offsets in struct frame (rt.h) */
#define FR_REG(n)	((n) * 8)
#define FR_EPC		(32 * 8)
#define FR_VEC		(33 * 8)
#define FR_SIZE		(34 * 8)

#ifdef __ASSEMBLER__
/* n64 register names */
#define zero	$0
#define v0	$2
#define v1	$3
#define a0	$4
#define a1	$5
#define a2	$6
#define a3	$7
#define t0	$12
#define t1	$13
#define t2	$14
#define t3	$15
#define s0	$16
#define s1	$17
#define t8	$24
#define t9	$25
#define k0	$26
#define k1	$27
#define gp	$28
#define sp	$29
#define s8	$30
#define ra	$31
#endif

#endif
