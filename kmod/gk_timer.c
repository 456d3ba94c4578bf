// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's Compare timer in mvm.ko (MVM_CAP_GUEST_KERNEL_TIMER). In
 * patch mode the guest's Count is the host's plus an offset the VMM keeps
 * on the commpage, so one hrtimer per vCPU, armed for the guest's Compare,
 * ends the run when the guest's timer interrupt is due; and patched code's
 * `mtc0 Compare` with a new deadline (MVM_GK_CALL_COMPARE, every timer
 * tick of a Linux guest) re-arms it without an exit.
 */
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <asm/mipsregs.h>
#include <asm/time.h>
#include "mvm.h"

#define CAUSE_TI	BIT_ULL(30)
#define CAUSE_TI_IP7	(CAUSE_TI | BIT_ULL(15))

/* The guest's Count now: the host's plus the VMM's offset. */
static u32 guest_count(struct mvm_vcpu *v)
{
	return read_c0_count() + (u32)mvm_gk_get(v, MVM_GK_COMM_COUNT_OFFSET);
}

static enum hrtimer_restart gk_timer_fired(struct hrtimer *hrt)
{
	struct mvm_vcpu *v = container_of(hrt, struct mvm_vcpu, gk_timer);
	struct task_struct *task;

	WRITE_ONCE(v->gk_timer_due, true);
	wake_up(&v->gk_wake);	/* a wait call asleep in mvm_gk_wait() */
	/*
	 * A vCPU in guest mode on another CPU leaves it for the check in the
	 * run loop; on this one, the interrupt that ran us already did.
	 */
	rcu_read_lock();
	task = READ_ONCE(v->running);
	if (task)
		kick_process(task);
	rcu_read_unlock();
	return HRTIMER_NORESTART;
}

bool mvm_gk_timer_supported(void)
{
	return mvm_gk_supported() && mips_hpt_frequency;
}

void mvm_gk_timer_init(struct mvm_vcpu *v)
{
	hrtimer_init(&v->gk_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	v->gk_timer.function = gk_timer_fired;
	init_waitqueue_head(&v->gk_wake);
}

void mvm_gk_timer_stop(struct mvm_vcpu *v)
{
	hrtimer_cancel(&v->gk_timer);
	v->gk_timer_armed = false;
	WRITE_ONCE(v->gk_timer_due, false);
}

/*
 * Armed for the commpage's Compare, once per value as the VMM's own timer
 * was: a deadline already passed (half the Count range or more away) is
 * the VMM's to see, at its entry checks.
 */
void mvm_gk_timer_arm(struct mvm_vcpu *v)
{
	u32 compare = mvm_gk_cp0(v, MVM_CP0_COMPARE);
	u32 ticks = compare - guest_count(v);

	if (!v->gk.timer || !mips_hpt_frequency ||
	    (v->gk_timer_armed && compare == v->gk_timer_compare))
		return;
	v->gk_timer_armed = true;
	v->gk_timer_compare = compare;
	if (!ticks || ticks >= BIT(31)) {
		hrtimer_try_to_cancel(&v->gk_timer);
		return;
	}
	hrtimer_start(&v->gk_timer,
		      ns_to_ktime(div_u64((u64)ticks * NSEC_PER_SEC,
					  mips_hpt_frequency)),
		      HRTIMER_MODE_REL);
}

/*
 * The timer is due while the guest runs in user mode, or sleeps in a wait
 * call: with delivery on, its interrupt goes to the patched vector
 * (Cause.TI and IP7 raised, the guest Count of that reported as the VMM's
 * own timer check would), else the run ends for the VMM to raise it.
 * Cause.TI raised already (the VMM's core took this deadline while the
 * vCPU thread was out of MVM_RUN): nothing new, the run goes on.
 */
bool mvm_gk_timer_interrupt(struct mvm_vcpu *v)
{
	u32 now = guest_count(v);

	if (mvm_gk_cp0(v, MVM_CP0_CAUSE) & CAUSE_TI)
		return true;

	if (v->gk_waiting ? !mvm_gk_wake(v, CAUSE_TI_IP7) :
	    !mvm_gk_deliver_interrupt(v, CAUSE_TI_IP7))
		return false;
	mvm_gk_set(v, MVM_GK_COMM_TIMER_COUNT, now);
	mvm_gk_set(v, MVM_GK_COMM_TIMER_RAISED, 1);
	return true;
}

/*
 * MVM_GK_CALL_COMPARE: patched code stored the new Compare on the commpage.
 * As the guest's mtc0 Compare: the timer interrupt acknowledged (Cause.TI,
 * IP7), and its next deadline armed; the guest Count of the write goes to
 * the VMM with the value, for its model of the timer.
 */
bool mvm_gk_compare_call(struct mvm_vcpu *v)
{
	u64 cause;

	if (!v->gk.timer || !v->kmode)
		return false;
	cause = mvm_gk_cp0(v, MVM_CP0_CAUSE);
	mvm_gk_set_cp0(v, MVM_CP0_CAUSE, cause & ~CAUSE_TI_IP7);
	mvm_gk_set(v, MVM_GK_COMM_COMPARE_COUNT, guest_count(v));
	mvm_gk_set(v, MVM_GK_COMM_COMPARE_WRITTEN, 1);
	mvm_gk_timer_arm(v);
	return true;
}

/*
 * A wait call sleeps until the timer is due (the run loop takes it from
 * there) or a signal comes (the loop's MVM_EXIT_INTR, the call's PC kept
 * so that the guest's wait is redone). A deadline that passed or is not
 * armed leaves only the signal, as a wait with nothing to wake it would.
 */
void mvm_gk_wait(struct mvm_vcpu *v)
{
	wait_event_interruptible(v->gk_wake, READ_ONCE(v->gk_timer_due));
}
