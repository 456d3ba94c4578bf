/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPU context shared by the C code and the guest-entry assembly.
 *
 * It lives in an unmapped (CKSEG0) page right after the page holding the
 * vectors, so the vectors find it from EBase alone (EBase + MVM_CTX_PAGE)
 * without touching mapped memory. Offsets are fixed here because entry.S
 * cannot use asm-offsets from out of tree; ctx.c checks them at build time.
 */
#ifndef MVM_CTX_H
#define MVM_CTX_H

#define MVM_CTX_PAGE		0x1000	/* offset of the context from EBase */

#define MVM_CTX_GPR(n)		((n) * 8)
#define MVM_CTX_HI		256
#define MVM_CTX_LO		264
#define MVM_CTX_PC		272
#define MVM_CTX_CAUSE		280	/* saved by the vectors */
#define MVM_CTX_BADVADDR	288
#define MVM_CTX_VECTOR		296	/* which vector fired: MVM_VEC_* */
#define MVM_CTX_GUEST_STATUS	304	/* Status to eret with (EXL=1, KSU=user) */
#define MVM_CTX_GUEST_ENTRYHI	312	/* the guest ASID */
#define MVM_CTX_HOST_STATUS	320
#define MVM_CTX_HOST_ENTRYHI	328
#define MVM_CTX_HOST_EBASE	336
#define MVM_CTX_HOST_S(n)	(344 + (n) * 8)	/* s0..s7, s8 */
#define MVM_CTX_HOST_SP		416
#define MVM_CTX_HOST_GP		424
#define MVM_CTX_HOST_RA		432
#define MVM_CTX_SIZE		440

/* Vector ids stored at MVM_CTX_VECTOR. */
#define MVM_VEC_TLB_REFILL	1	/* EBase + 0x000 (32-bit refill) */
#define MVM_VEC_XTLB_REFILL	2	/* EBase + 0x080 */
#define MVM_VEC_CACHE_ERR	3	/* EBase + 0x100 */
#define MVM_VEC_GENERAL		4	/* EBase + 0x180 */
#define MVM_VEC_INTERRUPT	5	/* EBase + 0x200 (Cause.IV=1) */

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct mvm_ctx {
	u64 gpr[32];
	u64 hi, lo, pc;
	u64 cause, badvaddr, vector;
	u64 guest_status, guest_entryhi;
	u64 host_status, host_entryhi, host_ebase;
	u64 host_s[9];
	u64 host_sp, host_gp, host_ra;
};

/* The blob entry.S assembles: copied into the vector page, never run in place. */
extern const char mvm_vectors_start[], mvm_vectors_end[];
extern const char mvm_enter_guest[];
extern const char mvm_tlb_invalidate[];
extern const char mvm_tlb_write[];
extern const char mvm_pagemask_probe[];
#endif

#endif /* MVM_CTX_H */
