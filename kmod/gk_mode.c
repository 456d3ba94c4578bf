// SPDX-License-Identifier: GPL-2.0
/*
 * Guest mode switches without the VMM: patched kernel code's eret back to
 * guest user mode (MVM_GK_CALL_ERET), and a guest user-mode exception
 * handed to the guest kernel's vector in patched code
 * (MVM_CAP_GUEST_KERNEL_DELIVER). Both work on the guest's CP0 on the
 * commpage and leave the rest to the VMM at the next exit: a system call
 * or a guest TLB refill then makes no exit at all.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include "mvm.h"

#define GK_ST_IE	BIT_ULL(0)
#define GK_ST_EXL	BIT_ULL(1)
#define GK_ST_ERL	BIT_ULL(2)
#define GK_ST_KSU	(3ull << 3)
#define GK_ST_KSU_USER	(2ull << 3)
#define GK_ST_UX	BIT_ULL(5)
#define GK_ST_IM	0xff00ull
#define GK_ST_IM7	BIT_ULL(15)	/* the timer's */
#define GK_ST_RE	BIT_ULL(25)
#define GK_ST_CU0	BIT_ULL(28)
#define GK_ST_CU1	BIT_ULL(29)

#define GK_CAUSE_EXC	(0x1full << 2)
#define GK_CAUSE_IV	BIT_ULL(23)
#define GK_CAUSE_CE	(3ull << 28)
#define GK_CAUSE_BD	BIT_ULL(31)

/* Guest CP0 as the MIPS64 privileged architecture sets it on a TLB fault. */
#define GK_SEGBITS	MVM_FLAT_WINDOW_BITS

/* The vCPU's address space becomes the other mode's. */
static bool switch_mode(struct mvm_vcpu *v, bool kmode)
{
	v->kmode = kmode;
	if (!mvm_vcpu_select_mm(v))
		return true;
	v->kmode = !kmode;
	return false;
}

/*
 * Interrupts Status.IM lets through: the VMM's Cause (its timer on IP7)
 * and lines raised with MVM_IRQ_LINE since.
 */
static u64 pending_interrupts(struct mvm_vcpu *v, u64 st)
{
	u64 ip = mvm_gk_cp0(v, MVM_CP0_CAUSE) | (u64)READ_ONCE(v->vm->irq_lines) << 10;

	return ip & st & GK_ST_IM;
}

/*
 * MVM_GK_CALL_ERET: patched code's eret back to guest user mode, done here
 * when user mode is one mvm.ko runs natively (the VMM's core runs the
 * others: supervisor mode, 32-bit addressing, CP0 or the FPU usable) and
 * no interrupt is let in. True: the run goes on at EPC in user mode.
 */
bool mvm_gk_eret_to_user(struct mvm_vcpu *v)
{
	u64 st = mvm_gk_cp0(v, MVM_CP0_STATUS);

	if ((st & (GK_ST_EXL | GK_ST_ERL | GK_ST_KSU | GK_ST_UX | GK_ST_CU0 |
		   GK_ST_CU1 | GK_ST_RE)) != (GK_ST_EXL | GK_ST_KSU_USER | GK_ST_UX))
		return false;
	if (st & GK_ST_IE && pending_interrupts(v, st))
		return false;
	if (!switch_mode(v, false))
		return false;
	mvm_gk_set_cp0(v, MVM_CP0_STATUS, st & ~GK_ST_EXL);
	v->cp0[4][2] = mvm_gk_get(v, MVM_GK_COMM_CP0(4, 2));	/* UserLocal */
	v->ctx->pc = mvm_gk_cp0(v, MVM_CP0_EPC);
	WRITE_ONCE(v->run->kernel_mode, 0);
	return true;
}

/* BadVAddr, Context, XContext and EntryHi's VPN2 for a TLB fault at @va. */
static void tlb_fault_registers(struct mvm_vcpu *v, u64 va)
{
	u64 vpn2 = (va & MVM_GUEST_VPN2_MASK) >> 13;
	u64 context = mvm_gk_cp0(v, MVM_CP0_CONTEXT) & GENMASK_ULL(63, 23);
	u64 xcontext = mvm_gk_cp0(v, MVM_CP0_XCONTEXT) &
		       GENMASK_ULL(63, GK_SEGBITS - 7);
	u64 asid = mvm_gk_cp0(v, MVM_CP0_ENTRYHI) & 0xff;

	mvm_gk_set_cp0(v, MVM_CP0_BADVADDR, va);
	mvm_gk_set_cp0(v, MVM_CP0_CONTEXT,
		       context | (((va >> 13) & 0x7ffff) << 4));
	mvm_gk_set_cp0(v, MVM_CP0_XCONTEXT, xcontext |
		       ((va >> 62) << (GK_SEGBITS - 9)) | (vpn2 << 4));
	mvm_gk_set_cp0(v, MVM_CP0_ENTRYHI, asid |
		       (va & (MVM_GUEST_REGION_MASK | MVM_GUEST_VPN2_MASK)));
}

/* The patched code of the vector at commpage word @vec, or 0. */
static u64 vector_host_pc(struct mvm_vcpu *v, u64 vec)
{
	u64 host = mvm_gk_get(v, vec);

	if (host & 3 || host < MVM_GK_CODE_BASE ||
	    host - MVM_GK_CODE_BASE >= v->gk.code_size)
		return 0;
	return host;
}

/*
 * Guest exception @exc taken as the guest's CPU takes it in kernel mode,
 * with @raise added to Cause and EPC = @epc: the run goes on at @host.
 */
static void enter_vector(struct mvm_vcpu *v, u32 exc, u64 host, u64 raise,
			 u64 epc, u64 bd)
{
	u64 cause = mvm_gk_cp0(v, MVM_CP0_CAUSE) & ~(GK_CAUSE_BD | GK_CAUSE_EXC | GK_CAUSE_CE);

	mvm_gk_set_cp0(v, MVM_CP0_CAUSE, cause | raise | bd | exc << 2);
	mvm_gk_set_cp0(v, MVM_CP0_EPC, epc);
	mvm_gk_set_cp0(v, MVM_CP0_STATUS,
		       mvm_gk_cp0(v, MVM_CP0_STATUS) | GK_ST_EXL);
	mvm_gk_set(v, MVM_GK_COMM_DELIVERED, 1);
	v->ctx->pc = host;
}

/*
 * Guest exception @exc of guest user mode taken as the guest's CPU takes
 * it, with @raise added to Cause, the run going on at the patched code of
 * the vector the VMM names at commpage word @vec (0: not translated yet,
 * the VMM delivers).
 */
static bool deliver(struct mvm_vcpu *v, u32 exc, u64 vec, u64 raise, bool tlb,
		    u64 va)
{
	u64 st, host;

	if (!v->gk.deliver || v->kmode)
		return false;
	host = vector_host_pc(v, vec);
	st = mvm_gk_cp0(v, MVM_CP0_STATUS);
	/* User mode runs natively with EXL and ERL clear; anything else is stale. */
	if (st & (GK_ST_EXL | GK_ST_ERL) || !host || !switch_mode(v, true))
		return false;
	enter_vector(v, exc, host, raise, v->ctx->pc, v->ctx->cause & GK_CAUSE_BD);
	if (tlb)
		tlb_fault_registers(v, va);
	WRITE_ONCE(v->run->kernel_mode, 1);
	return true;
}

/*
 * MVM_CAP_GUEST_KERNEL_DELIVER: a syscall, a break, or a fault of the
 * guest TLB at @va when @tlb. @refill: the XTLB refill vector, else the
 * general one.
 */
bool mvm_gk_deliver(struct mvm_vcpu *v, u32 exc, bool refill, bool tlb,
		    u64 va)
{
	return deliver(v, exc, refill ? MVM_GK_COMM_VEC_REFILL :
		       MVM_GK_COMM_VEC_GENERAL, 0, tlb, va);
}

/* The interrupt vector for the commpage's Cause.IV. */
static u64 interrupt_vector(struct mvm_vcpu *v)
{
	return mvm_gk_cp0(v, MVM_CP0_CAUSE) & GK_CAUSE_IV ?
	       MVM_GK_COMM_VEC_INTERRUPT : MVM_GK_COMM_VEC_GENERAL;
}

/*
 * An interrupt with @raise (Cause bits) pending, for guest user mode that
 * the host interrupt which brought it just stopped (so EPC and BD are the
 * guest's): taken when Status lets it in, at EBase + 0x200 with Cause.IV,
 * else + 0x180.
 */
bool mvm_gk_deliver_interrupt(struct mvm_vcpu *v, u64 raise)
{
	u64 st = mvm_gk_cp0(v, MVM_CP0_STATUS), cause = mvm_gk_cp0(v, MVM_CP0_CAUSE) | raise;
	bool host_irq = v->ctx->vector == MVM_VEC_INTERRUPT ||
			(v->ctx->vector == MVM_VEC_GENERAL &&
			 !(v->ctx->cause & GK_CAUSE_EXC));

	if (v->kmode || !host_irq || !(st & GK_ST_IE) ||
	    !(cause & st & GK_ST_IM))
		return false;
	return deliver(v, 0, interrupt_vector(v), raise, false, 0);
}

/*
 * MVM_GK_CALL_WAIT: patched code's wait, slept here (mvm_gk_wait) when the
 * guest's timer is the one thing that can end it: the timer in mvm.ko,
 * IM7 let through, nothing pending before, and a vector to take the
 * interrupt at. The run goes on at the call until the timer wakes it.
 */
bool mvm_gk_wait_call(struct mvm_vcpu *v)
{
	u64 st = mvm_gk_cp0(v, MVM_CP0_STATUS);

	if (!v->gk.timer || !v->gk.deliver || !v->kmode ||
	    st & (GK_ST_EXL | GK_ST_ERL) || !(st & GK_ST_IM7) ||
	    pending_interrupts(v, st) || !vector_host_pc(v, interrupt_vector(v)))
		return false;
	v->gk_waiting = true;
	return true;
}

/*
 * The timer woke a wait call with @raise (Cause bits): with Status.IE set
 * the interrupt is taken at the guest PC after the wait, else the run
 * goes on after the call. False: the VMM's to take (the vector went).
 */
bool mvm_gk_wake(struct mvm_vcpu *v, u64 raise)
{
	u64 st = mvm_gk_cp0(v, MVM_CP0_STATUS), host;

	v->gk_waiting = false;
	if (!(st & GK_ST_IE)) {
		mvm_gk_set_cp0(v, MVM_CP0_CAUSE, mvm_gk_cp0(v, MVM_CP0_CAUSE) | raise);
		v->ctx->pc += 4;
		return true;
	}
	host = vector_host_pc(v, interrupt_vector(v));
	if (!host)
		return false;
	enter_vector(v, 0, host, raise, mvm_gk_get(v, MVM_GK_COMM_WAIT_PC), 0);
	return true;
}
