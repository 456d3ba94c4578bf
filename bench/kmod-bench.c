// SPDX-License-Identifier: GPL-2.0
/*
 * mvm.ko benchmarks, run on the MIPS64 host (make host-check runs them):
 *  1. a CPU-bound loop in the guest vs the same instructions run natively
 *     in this process (ratio native/guest time; the target is >= 0.95);
 *  2. an exit handled in the kernel (hypcall MVM_HYPCALL_CODE_NOP) vs one
 *     that returns to userspace (hypcall 0, re-run at once);
 *  3. split mode's guest user mode (MVM_CAP_GUEST_MMU): an MVM_RUN of a
 *     guest touching 8 pages, alone, after a guest ASID switch, after a
 *     guest TLB write (MVM_SET_TLB) of an entry it does not use; and the
 *     MVM_SET_TLB ioctl alone. Only ABI of the first mvm.ko, so the same
 *     program measures older modules.
 * Usage: kmod-bench [loop-iterations [exit-iterations]]
 */
#include <errno.h>
#include <sys/ioctl.h>
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

/* Loads from 8 pages at a0, a0 + 4 KiB, ...; syscall. */
GUEST_CODE(guest_touch8,
	"	li	$8, 8\n"
	"1:	ld	$2, 0($4)\n"
	"	daddiu	$8, $8, -1\n"
	"	bnez	$8, 1b\n"
	"	 daddiu	$4, $4, 0x1000\n"
	"	syscall\n");

#define MMU_CODE_GVA	0x400000ull
#define MMU_DATA_GVA	0x800000ull
#define MMU_CODE_GPA	(GUEST_RAM_GPA + 0x2000)
#define MMU_DATA_GPA	(GUEST_RAM_GPA + 0x8000)
#define LO(gpa)		((((gpa) >> 12) << 6) | (3 << 3) | 2)	/* V */

static int set_tlb(struct mvm_test_vm *t, uint32_t i, uint64_t hi,
		   uint64_t lo0, uint64_t lo1)
{
	struct mvm_tlb_entry e = { .index = i, .entryhi = hi,
				   .entrylo0 = lo0, .entrylo1 = lo1 };

	return ioctl(t->vcpu_fd, MVM_SET_TLB, &e);
}

static int set_asid(struct mvm_test_vm *t, uint64_t asid)
{
	struct mvm_one_reg r = { MVM_REG_CP0(10, 0), (uintptr_t)&asid };

	return ioctl(t->vcpu_fd, MVM_SET_ONE_REG, &r);
}

/* Guest ASIDs 5 and 6 each map the code and 8 data pages (4 entries). */
static int mmu_setup(struct mvm_test_vm *t)
{
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_MMU, .args = { 1 } };
	uint32_t i, asid;

	if (mvm_load_code(t, MMU_CODE_GPA, guest_touch8_start,
			  GUEST_CODE_LEN(guest_touch8)) ||
	    ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap))
		return -1;
	for (asid = 5; asid <= 6; asid++) {
		uint32_t base = (asid - 5) * 8;

		if (set_tlb(t, base, MMU_CODE_GVA | asid, LO(MMU_CODE_GPA), 0))
			return -1;
		for (i = 0; i < 4; i++)
			if (set_tlb(t, base + 1 + i,
				    (MMU_DATA_GVA + i * 0x2000) | asid,
				    LO(MMU_DATA_GPA + i * 0x2000),
				    LO(MMU_DATA_GPA + i * 0x2000 + 0x1000)))
				return -1;
	}
	return 0;
}

/* One run of guest_touch8, which must end in its syscall. */
static int mmu_run(struct mvm_test_vm *t)
{
	struct mvm_regs r;

	memset(&r, 0, sizeof(r));
	r.pc = MMU_CODE_GVA;
	r.gpr[4] = MMU_DATA_GVA;
	if (ioctl(t->vcpu_fd, MVM_SET_REGS, &r) || mvm_run(t) ||
	    t->run->exit_reason != MVM_EXIT_EXCEPTION ||
	    t->run->ex.exc_code != MVM_EXC_SYS)
		return -1;
	return 0;
}

static double now(void);

/*
 * Per iteration, best of REPEATS: 0 = run only, 1 = ASID switch + run,
 * 2 = TLB write (an unused entry) + run, 3 = TLB write alone, 4 = TLB
 * write of an entry the guest uses (its halves swapped) + run.
 */
static double mmu_bench(struct mvm_test_vm *t, int kind, uint64_t n)
{
	double best = 1e9, t0, d;
	uint64_t i;
	int r;

	for (r = 0; r < REPEATS; r++) {
		if (set_asid(t, 5) || mmu_run(t))
			return -1;
		t0 = now();
		for (i = 0; i < n; i++) {
			if (kind == 1 && set_asid(t, 5 + (i & 1)))
				return -1;
			if ((kind == 2 || kind == 3) &&
			    set_tlb(t, 20, 0x900000 | 5,
				    LO(MMU_DATA_GPA + (i & 1) * 0x1000), 0))
				return -1;
			if (kind == 4 &&
			    set_tlb(t, 4, (MMU_DATA_GVA + 0x6000) | 5,
				    LO(MMU_DATA_GPA + 0x6000 + (i & 1) * 0x1000),
				    LO(MMU_DATA_GPA + 0x7000 - (i & 1) * 0x1000)))
				return -1;
			if (kind != 3 && mmu_run(t))
				return -1;
		}
		d = (now() - t0) / n;
		best = d < best ? d : best;
	}
	return best;
}

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

	ret = mvm_vm_create(&t);
	if (ret)
		return die("creating a VM", -ret);
	if (mmu_setup(&t))
		return die("guest MMU set-up", errno ? errno : EIO);
	{
		double run = mmu_bench(&t, 0, exits / 5);
		double sw = mmu_bench(&t, 1, exits / 5);
		double wr = mmu_bench(&t, 2, exits / 5);
		double ioc = mmu_bench(&t, 3, exits);
		double used = mmu_bench(&t, 4, exits / 5);

		if (run < 0 || sw < 0 || wr < 0 || ioc < 0 || used < 0)
			return die("guest MMU runs", EIO);
		printf("guest MMU, MVM_RUN touching 8 pages: %.2f us; after a guest ASID switch %.2f us; after a guest TLB write %.2f us (MVM_SET_TLB alone %.2f us); after rewriting a used entry %.2f us\n",
		       run * 1e6, sw * 1e6, wr * 1e6, ioc * 1e6, used * 1e6);
	}
	mvm_vm_destroy(&t);
	return 0;
}
