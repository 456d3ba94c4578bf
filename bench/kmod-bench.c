// SPDX-License-Identifier: GPL-2.0
/*
 * mvm.ko benchmarks, run on the MIPS64 host (make host-check runs them):
 *  1. a CPU-bound loop in the guest vs the same instructions run natively
 *     in this process (ratio native/guest time; the target is >= 0.95);
 *  2. an exit handled in the kernel (hypcall MVM_HYPCALL_CODE_NOP) vs one
 *     that returns to userspace (hypcall 0, re-run at once).
 * Usage: kmod-bench [loop-iterations [exit-iterations]]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mvm_util.h"

#define REPEATS	9

GUEST_CODE(guest_loop,
	"	move	$2, $0\n"
	"1:	daddiu	$2, $2, 1\n"
	"	bne	$2, $4, 1b\n"
	"	 nop\n"
	".word 0x42000028\n");

/* a0 iterations of the in-kernel null hypercall, then an exit. */
GUEST_CODE(guest_kernel_exits,
	"1:	.word 0x42000028 | (0x3ff << 11)\n"
	"	daddiu	$4, $4, -1\n"
	"	bnez	$4, 1b\n"
	"	 nop\n"
	".word 0x42000028\n");

/* Exits to userspace forever: hypcall 0, loop. */
GUEST_CODE(guest_user_exits,
	"1:	.word 0x42000028\n"
	"	b	1b\n"
	"	 nop\n");

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t native_loop(uint64_t n)
{
	uint64_t v;

	asm volatile(".set push\n.set noreorder\n"
		     "	move	%0, $0\n"
		     "1:	daddiu	%0, %0, 1\n"
		     "	bne	%0, %1, 1b\n"
		     "	 nop\n"
		     ".set pop\n" : "=&r"(v) : "r"(n));
	return v;
}

static int die(const char *what, int err)
{
	printf("kmod-bench: %s: %s\n", what, strerror(err));
	return 1;
}

static double guest_loop_secs(struct mvm_test_vm *t, uint64_t n)
{
	double t0;

	if (load_guest(t, guest_loop) || mvm_set_reg(t, R_A0, n))
		return -1;
	t0 = now();
	if (mvm_run(t) || t->run->exit_reason != MVM_EXIT_HYPERCALL ||
	    mvm_reg(t, R_V0) != n)
		return -1;
	return now() - t0;
}

int main(int argc, char **argv)
{
	uint64_t loops = argc > 1 ? strtoull(argv[1], NULL, 0) : 50000000;
	uint64_t exits = argc > 2 ? strtoull(argv[2], NULL, 0) : 5000;
	struct mvm_test_vm t;
	double native, guest, kern, user, t0;
	uint64_t i;
	int ret, r;

	ret = mvm_vm_create(&t);
	if (ret)
		return die("creating a VM", -ret);
	guest_loop_secs(&t, 1000);	/* warm: pins and TLB */

	/* The QEMU host is noisy: alternate the two, keep each one's best. */
	native = guest = 1e9;
	for (i = 0; i < REPEATS; i++) {
		double g;

		t0 = now();
		if (native_loop(loops) != loops)
			return die("native loop", EIO);
		if (now() - t0 < native)
			native = now() - t0;
		g = guest_loop_secs(&t, loops);
		if (g < 0)
			return die("guest loop", EIO);
		if (g < guest)
			guest = g;
	}
	printf("cpu loop, %llu iterations, best of %d: native %.3f s, guest %.3f s, ratio %.3f\n",
	       (unsigned long long)loops, REPEATS, native, guest, native / guest);

	kern = user = 1e9;
	for (r = 0; r < REPEATS; r++) {
		double k, u;

		if (load_guest(&t, guest_kernel_exits) ||
		    mvm_set_reg(&t, R_A0, exits))
			return die("loading", EIO);
		t0 = now();
		if (mvm_run(&t) || t.run->exit_reason != MVM_EXIT_HYPERCALL)
			return die("in-kernel exits", EIO);
		k = (now() - t0) / exits;
		if (load_guest(&t, guest_user_exits))
			return die("loading", EIO);
		t0 = now();
		for (i = 0; i < exits; i++)
			if (mvm_run(&t) ||
			    t.run->exit_reason != MVM_EXIT_HYPERCALL)
				return die("userspace exits", EIO);
		u = (now() - t0) / exits;
		kern = k < kern ? k : kern;
		user = u < user ? u : user;
	}
	printf("exit round trip: in kernel %.2f us, to userspace %.2f us, ratio %.2f\n",
	       kern * 1e6, user * 1e6, user / kern);
	mvm_vm_destroy(&t);
	return 0;
}
