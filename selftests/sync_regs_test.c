// SPDX-License-Identifier: GPL-2.0
/*
 * MVM_CAP_SYNC_REGS: the registers come back in run->s.regs at every
 * return of MVM_RUN (sync_valid) and go in from it before the next
 * (sync_dirty), so a VMM needs no MVM_GET_REGS/MVM_SET_REGS per exit. In
 * flat mode, with the guest MMU (user mode) and in guest kernel mode; bad
 * bits; a hostile VMM scribbling over the run page during MVM_RUN.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define HYPCALL		".word 0x42000028\n"	/* hypcall 0 */
#define LO_V		2ull
#define LO_D		4ull
#define LO(gpa, flags)	((((gpa) >> 12) << 6) | (3 << 3) | (flags))

/* The layout is ABI: old fields where they were, no implicit padding. */
_Static_assert(offsetof(struct mvm_run, exit_reason) == 8, "layout");
_Static_assert(offsetof(struct mvm_run, pc) == 16, "layout");
_Static_assert(offsetof(struct mvm_run, mmio) == 24, "layout");
_Static_assert(offsetof(struct mvm_run, sync_valid) == 280, "layout");
_Static_assert(offsetof(struct mvm_run, sync_dirty) == 288, "layout");
_Static_assert(offsetof(struct mvm_run, s) == 296, "layout");
_Static_assert(offsetof(struct mvm_run, s.regs.pc) == 296 + 272, "layout");
_Static_assert(sizeof(struct mvm_run) == 2344, "layout");
_Static_assert(sizeof(struct mvm_run) <= 4096, "layout");

static void on_alarm(int sig)
{
	(void)sig;
}

FIXTURE(sync) {
	struct mvm_test_vm t;
};

FIXTURE_SETUP(sync)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int ret = mvm_vm_create(&self->t);

	if (ret == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_EQ(0, ret) TH_LOG("mvm_vm_create: %s", strerror(-ret));
	ASSERT_EQ(MVM_SYNC_REGS, ioctl(self->t.dev_fd, MVM_CHECK_EXTENSION,
				       MVM_CAP_SYNC_REGS));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));	/* no SA_RESTART */
}

FIXTURE_TEARDOWN(sync)
{
	mvm_vm_destroy(&self->t);
}

/* run->s.regs holds exactly what MVM_GET_REGS returns. */
static void expect_synced(struct __test_metadata *_metadata,
			  struct mvm_test_vm *t)
{
	struct mvm_regs r;
	int i;

	ASSERT_EQ(0, mvm_get_regs(t, &r));
	for (i = 0; i < 32; i++)
		EXPECT_EQ(r.gpr[i], t->run->s.regs.gpr[i]) TH_LOG("gpr %d", i);
	EXPECT_EQ(r.hi, t->run->s.regs.hi);
	EXPECT_EQ(r.lo, t->run->s.regs.lo);
	EXPECT_EQ(r.pc, t->run->s.regs.pc);
}

/* Fills s.regs with a pattern no exit writes. */
static void poison(struct mvm_test_vm *t)
{
	memset(&t->run->s, 0xa5, sizeof(t->run->s));
}

static void set_all_regs(struct mvm_regs *r, uint64_t pc)
{
	int i;

	for (i = 0; i < 32; i++)
		r->gpr[i] = 0x0101010101010101ull * i + 0x1000 * i + 3;
	r->hi = 0xfedcba9876543210ull;
	r->lo = 0x0123456789abcdefull;
	r->pc = pc;
}

TEST_F(sync, extension_and_layout)
{
	struct mvm_test_vm *t = &self->t;

	EXPECT_EQ(MVM_SYNC_REGS, ioctl(t->vm_fd, MVM_CHECK_EXTENSION,
				       MVM_CAP_SYNC_REGS));
	EXPECT_LE(sizeof(struct mvm_run),
		  ioctl(t->dev_fd, MVM_GET_VCPU_MMAP_SIZE, 0));
	/* A fresh vCPU syncs nothing: old userspace sees no change. */
	EXPECT_EQ(0, t->run->sync_valid);
	EXPECT_EQ(0, t->run->sync_dirty);
}

/* Without sync_valid nothing is written into s (old VMMs). */
GUEST_CODE(guest_hyp_seven, "li $2, 7\n" HYPCALL);

TEST_F(sync, nothing_synced_without_sync_valid)
{
	struct mvm_test_vm *t = &self->t;
	const unsigned char *p = (const unsigned char *)&t->run->s;
	size_t i;

	ASSERT_EQ(0, load_guest(t, guest_hyp_seven));
	poison(t);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	for (i = 0; i < sizeof(t->run->s); i++)
		ASSERT_EQ(0xa5, p[i]) TH_LOG("byte %zu", i);
}

GUEST_CODE(guest_hypercalls,
	"	li	$2, 7\n"
	"	li	$4, 11\n"
	"	li	$5, 12\n"
	"	li	$6, 13\n"
	"	li	$7, 14\n"
	"	mthi	$4\n"
	"	mtlo	$5\n"
	HYPCALL
	"	daddiu	$2, $2, 1\n"
	HYPCALL);

TEST_F(sync, hypercall_exit)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, load_guest(t, guest_hypercalls));
	poison(t);
	t->run->sync_valid = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	expect_synced(_metadata, t);
	EXPECT_EQ(7, t->run->s.regs.gpr[R_V0]);
	EXPECT_EQ(14, t->run->s.regs.gpr[R_A3]);
	EXPECT_EQ(11, t->run->s.regs.hi);
	EXPECT_EQ(12, t->run->s.regs.lo);
	EXPECT_EQ(0, t->run->s.regs.gpr[0]);
	/* The PC to resume at: past the hypcall run->pc reports. */
	EXPECT_EQ(GUEST_CODE_GPA + 28, t->run->pc);
	EXPECT_EQ(GUEST_CODE_GPA + 32, t->run->s.regs.pc);
	/* The result still goes in through hypercall.ret. */
	t->run->hypercall.ret = 41;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(42, t->run->hypercall.nr);
	EXPECT_EQ(42, t->run->s.regs.gpr[R_V0]);
	expect_synced(_metadata, t);
}

/* An MMIO load completes through mmio.data with sync on (REGS not dirty). */
GUEST_CODE(guest_mmio,
	"	sw	$5, 0($4)\n"
	"	ld	$2, 8($4)\n"
	"	lh	$3, 16($4)\n"
	HYPCALL);

TEST_F(sync, mmio_exits_and_load_completion)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t val = 0x1122334455667788ull, h = 0x8001;

	ASSERT_EQ(0, load_guest(t, guest_mmio));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_MMIO_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0xcafef00d));
	t->run->sync_valid = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason);
	EXPECT_EQ(1, t->run->mmio.is_write);
	expect_synced(_metadata, t);
	EXPECT_EQ(GUEST_MMIO_GPA, t->run->s.regs.gpr[R_A0]);
	EXPECT_EQ(GUEST_CODE_GPA + 4, t->run->s.regs.pc);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason);
	EXPECT_EQ(0, t->run->mmio.is_write);
	EXPECT_EQ(GUEST_MMIO_GPA + 8, t->run->mmio.phys_addr);
	expect_synced(_metadata, t);
	memcpy(t->run->mmio.data, &val, 8);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason);
	EXPECT_EQ(GUEST_MMIO_GPA + 16, t->run->mmio.phys_addr);
	EXPECT_EQ(val, t->run->s.regs.gpr[R_V0]);
	expect_synced(_metadata, t);
	memcpy(t->run->mmio.data, &h, 8);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(0xffffffffffff8001ull, t->run->s.regs.gpr[R_V1]);
	EXPECT_EQ(val, t->run->s.regs.gpr[R_V0]);
	expect_synced(_metadata, t);
}

/* Marking REGS dirty is MVM_SET_REGS: the pending MMIO load is dropped. */
TEST_F(sync, dirty_regs_drop_a_pending_mmio_load)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t val = 0x99;

	ASSERT_EQ(0, load_guest(t, guest_mmio));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_MMIO_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, 32, GUEST_CODE_GPA + 4));
	t->run->sync_valid = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason);
	ASSERT_EQ(0, t->run->mmio.is_write);
	memcpy(t->run->mmio.data, &val, 8);
	t->run->s.regs.gpr[R_V0] = 0x55;
	t->run->s.regs.gpr[R_A0] = GUEST_RAM_GPA;	/* the lh reads RAM */
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(0x55, t->run->s.regs.gpr[R_V0]);
	EXPECT_EQ(0, t->run->sync_dirty);
	expect_synced(_metadata, t);
}

/* Dirty REGS: all of them (not $zero) and the PC, before anything else. */
GUEST_CODE(guest_two_entries,
	"	li	$2, 1\n"
	HYPCALL
	"	daddu	$2, $4, $5\n"
	"	mfhi	$6\n"
	"	mflo	$7\n"
	"	move	$3, $31\n"
	HYPCALL);

TEST_F(sync, dirty_regs_are_loaded)
{
	struct mvm_test_vm *t = &self->t;
	struct mvm_regs in;
	int i;

	ASSERT_EQ(0, load_guest(t, guest_two_entries));
	t->run->sync_valid = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(1, t->run->hypercall.nr);
	EXPECT_EQ(GUEST_CODE_GPA + 8, t->run->s.regs.pc);
	set_all_regs(&in, GUEST_CODE_GPA + 8);
	in.gpr[R_A0] = 40;
	in.gpr[R_A1] = 2;
	memcpy(&t->run->s.regs, &in, sizeof(in));	/* gpr[0] too: ignored */
	t->run->hypercall.ret = 1234;			/* dropped as well */
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(0, t->run->sync_dirty);
	EXPECT_EQ(42, t->run->hypercall.nr);
	EXPECT_EQ(GUEST_CODE_GPA + 24, t->run->pc);
	EXPECT_EQ(GUEST_CODE_GPA + 28, t->run->s.regs.pc);
	EXPECT_EQ(in.hi, t->run->s.regs.gpr[R_A2]);
	EXPECT_EQ(in.lo, t->run->s.regs.gpr[R_A3]);
	EXPECT_EQ(in.gpr[31], t->run->s.regs.gpr[R_V1]);
	EXPECT_EQ(0, t->run->s.regs.gpr[0]);
	for (i = 8; i < 32; i++) {
		EXPECT_EQ(in.gpr[i], t->run->s.regs.gpr[i]) TH_LOG("gpr %d", i);
	}
	expect_synced(_metadata, t);
}

/* Dirty without valid: loaded, and s is left alone at the exit. */
TEST_F(sync, dirty_without_valid)
{
	struct mvm_test_vm *t = &self->t;
	struct mvm_regs in;

	ASSERT_EQ(0, load_guest(t, guest_two_entries));
	set_all_regs(&in, GUEST_CODE_GPA + 8);
	in.gpr[R_A0] = 100;
	in.gpr[R_A1] = 23;
	memcpy(&t->run->s.regs, &in, sizeof(in));
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(123, t->run->hypercall.nr);
	EXPECT_EQ(0, t->run->sync_dirty);
	EXPECT_EQ(0, memcmp(&in, &t->run->s.regs, sizeof(in)));
	EXPECT_EQ(123, mvm_reg(t, R_V0));
	EXPECT_EQ(in.hi, mvm_reg(t, R_A2));
}

static uint64_t exits(struct mvm_test_vm *t)
{
	uint64_t val = ~0ull;
	struct mvm_one_reg r = { MVM_REG_STAT_EXITS, (uintptr_t)&val };

	return ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r) ? ~0ull : val;
}

/* Unknown bits: EINVAL, and nothing read, run or written. */
TEST_F(sync, unknown_bits_are_einval)
{
	static const uint64_t bad[][2] = {
		{ 1ull << 1, 0 }, { 0, 1ull << 1 }, { 1ull << 63, 0 },
		{ 0, 1ull << 63 }, { MVM_SYNC_REGS, MVM_SYNC_REGS | 4 },
		{ MVM_SYNC_REGS | 8, MVM_SYNC_REGS }, { ~0ull, ~0ull },
	};
	struct mvm_test_vm *t = &self->t;
	struct mvm_regs before, after, in;
	unsigned int i;
	uint64_t n;

	ASSERT_EQ(0, load_guest(t, guest_hyp_seven));
	ASSERT_EQ(0, mvm_get_regs(t, &before));
	n = exits(t);
	set_all_regs(&in, GUEST_CODE_GPA + 4);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(&t->run->s.regs, &in, sizeof(in));
		t->run->exit_reason = 0xabcd;
		t->run->sync_valid = bad[i][0];
		t->run->sync_dirty = bad[i][1];
		EXPECT_EQ(-EINVAL, mvm_run(t)) TH_LOG("case %u", i);
		EXPECT_EQ(bad[i][1], t->run->sync_dirty);
		EXPECT_EQ(0xabcd, t->run->exit_reason);
		EXPECT_EQ(0, memcmp(&in, &t->run->s.regs, sizeof(in)));
		ASSERT_EQ(0, mvm_get_regs(t, &after));
		EXPECT_EQ(0, memcmp(&before, &after, sizeof(after)));
	}
	EXPECT_EQ(n, exits(t));
	/* Fixed, the vCPU runs as before. */
	t->run->sync_valid = MVM_SYNC_REGS;
	t->run->sync_dirty = 0;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(7, t->run->s.regs.gpr[R_V0]);
}

/* INTR exits: immediate_exit and a signal. */
GUEST_CODE(guest_spin, "1: b 1b\n nop\n");

TEST_F(sync, intr_exits)
{
	struct mvm_test_vm *t = &self->t;
	struct itimerval it = { .it_value = { .tv_usec = 100000 } };
	struct mvm_regs in;

	ASSERT_EQ(0, load_guest(t, guest_spin));
	set_all_regs(&in, GUEST_CODE_GPA);
	ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_REGS, &in));
	poison(t);
	t->run->sync_valid = MVM_SYNC_REGS;
	t->run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, mvm_run(t));
	EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
	in.gpr[0] = 0;
	EXPECT_EQ(0, memcmp(&in, &t->run->s.regs, sizeof(in)));
	expect_synced(_metadata, t);
	/* Dirty and immediate_exit: loaded, then handed back. */
	t->run->s.regs.gpr[R_S0] = 0x5050;
	t->run->sync_dirty = MVM_SYNC_REGS;
	EXPECT_EQ(-EINTR, mvm_run(t));
	EXPECT_EQ(0, t->run->sync_dirty);
	EXPECT_EQ(0x5050, mvm_reg(t, R_S0));
	expect_synced(_metadata, t);
	t->run->immediate_exit = 0;
	poison(t);
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, mvm_run(t));
	EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
	expect_synced(_metadata, t);
	EXPECT_EQ(0x5050, t->run->s.regs.gpr[R_S0]);
	EXPECT_LE(GUEST_CODE_GPA, t->run->s.regs.pc);
	EXPECT_GE(GUEST_CODE_GPA + 4, t->run->s.regs.pc);
}

/* Exceptions, internal errors and a misaligned PC set through s. */
GUEST_CODE(guest_break, "li $3, 3\n break 7\n");
GUEST_CODE(guest_mmio_lwl, "nop\n lwl $2, 1($4)\n");	/* mvm cannot emulate it */

TEST_F(sync, exception_and_internal_error_exits)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, load_guest(t, guest_break));
	t->run->sync_valid = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_BP, t->run->ex.exc_code);
	EXPECT_EQ(3, t->run->s.regs.gpr[R_V1]);
	EXPECT_EQ(GUEST_CODE_GPA + 4, t->run->s.regs.pc);
	expect_synced(_metadata, t);
	/* A misaligned PC from s: an AdEL exit without entering the guest. */
	t->run->s.regs.pc = GUEST_CODE_GPA + 2;
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_ADEL, t->run->ex.exc_code);
	EXPECT_EQ(GUEST_CODE_GPA + 2, t->run->s.regs.pc);
	expect_synced(_metadata, t);

	ASSERT_EQ(0, load_guest(t, guest_mmio_lwl));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_MMIO_GPA));
	poison(t);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_INTERNAL_ERROR, t->run->exit_reason);
	EXPECT_EQ(MVM_INTERNAL_ERROR_EMULATION, t->run->internal.suberror);
	EXPECT_EQ(GUEST_MMIO_GPA, t->run->s.regs.gpr[R_A0]);
	EXPECT_EQ(GUEST_CODE_GPA + 4, t->run->s.regs.pc);
	expect_synced(_metadata, t);
}

/* The guest MMU (guest user mode): the same registers. */
#define MMU_CODE_GVA	0x400000ull
#define MMU_CODE_GPA	(GUEST_RAM_GPA + 0x2000)
#define MMU_DATA_GPA	(GUEST_RAM_GPA + 0x3000)

GUEST_CODE(guest_rw,
	"	ld	$2, 0($4)\n"
	"	sd	$5, 8($4)\n"
	"	syscall\n");

static int enable(struct mvm_test_vm *t, uint32_t cap, uint64_t a0,
		  uint64_t a1, uint64_t a2)
{
	struct mvm_enable_cap c = { .cap = cap, .args = { a0, a1, a2 } };

	return ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &c) ? -errno : 0;
}

TEST_F(sync, guest_mmu_user_mode)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t *data = mvm_gpa_ptr(t, MMU_DATA_GPA);

	ASSERT_EQ(0, mvm_load_code(t, MMU_CODE_GPA, guest_rw_start,
				   GUEST_CODE_LEN(guest_rw)));
	*data = 0x1111;
	ASSERT_EQ(0, enable(t, MVM_CAP_GUEST_MMU, 1, 0, 0));
	ASSERT_EQ(0, mvm_set_cp0(t, 10, 0, 5));
	ASSERT_EQ(0, mvm_set_tlb(t, 0, MMU_CODE_GVA | 5, LO(MMU_CODE_GPA, LO_V),
				 LO(MMU_DATA_GPA, LO_V | LO_D), 0));
	t->run->s.regs.pc = MMU_CODE_GVA;
	t->run->s.regs.gpr[R_A0] = MMU_CODE_GVA + 0x1000;
	t->run->s.regs.gpr[R_A1] = 0xabcd;
	t->run->sync_dirty = MVM_SYNC_REGS;
	t->run->sync_valid = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	ASSERT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(MMU_CODE_GVA + 8, t->run->s.regs.pc);
	EXPECT_EQ(0x1111, t->run->s.regs.gpr[R_V0]);
	EXPECT_EQ(0xabcd, data[1]);
	EXPECT_EQ(0, t->run->sync_dirty);
	expect_synced(_metadata, t);
	/* A guest TLB refill exit: the same. */
	t->run->s.regs.pc = MMU_CODE_GVA;
	t->run->s.regs.gpr[R_A0] = 0x800000;
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	ASSERT_EQ(MVM_EXC_TLBL, t->run->ex.exc_code);
	EXPECT_EQ(MMU_CODE_GVA, t->run->s.regs.pc);
	EXPECT_EQ(0x800000, t->run->s.regs.gpr[R_A0]);
	expect_synced(_metadata, t);
}

/* MVM_CAP_GUEST_KERNEL: kernel_mode runs sync too (host PCs). */
#define GK_CODE_SIZE	0x4000ull

GUEST_CODE(gk_li1, "li $2, 1\n syscall\n");
GUEST_CODE(gk_li2, "daddiu $2, $4, 2\n syscall\n");
GUEST_CODE(gk_mmio, "ld $2, 0($4)\n syscall\n");
GUEST_CODE(gk_mmio_delay, "b 1f\n ld $2, 0($4)\n 1: syscall\n");

TEST_F(sync, guest_kernel_mode)
{
	struct mvm_test_vm *t = &self->t;
	void *comm, *code;
	uint64_t val = 0x7766554433221100ull;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL");
	comm = mmap(NULL, MVM_GK_COMM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	code = mmap(NULL, GK_CODE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, comm);
	ASSERT_NE(MAP_FAILED, code);
	memcpy(code, gk_li1_start, GUEST_CODE_LEN(gk_li1));
	memcpy((char *)code + 0x100, gk_li2_start, GUEST_CODE_LEN(gk_li2));
	memcpy((char *)code + 0x200, gk_mmio_start, GUEST_CODE_LEN(gk_mmio));
	memcpy((char *)code + 0x300, gk_mmio_delay_start,
	       GUEST_CODE_LEN(gk_mmio_delay));
	__builtin___clear_cache((char *)code, (char *)code + 0x400);
	ASSERT_EQ(0, enable(t, MVM_CAP_GUEST_MMU, 1, 0, 0));
	ASSERT_EQ(0, mvm_set_cp0(t, 10, 0, 5));
	ASSERT_EQ(0, enable(t, MVM_CAP_GUEST_KERNEL, (uintptr_t)comm,
			    (uintptr_t)code, GK_CODE_SIZE));
	memset(&t->run->s.regs, 0, sizeof(t->run->s.regs));
	t->run->s.regs.pc = MVM_GK_CODE_BASE;
	t->run->sync_dirty = MVM_SYNC_REGS;
	t->run->sync_valid = MVM_SYNC_REGS;
	t->run->kernel_mode = 1;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	ASSERT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(1, t->run->s.regs.gpr[R_V0]);
	EXPECT_EQ(MVM_GK_CODE_BASE + 4, t->run->s.regs.pc);
	expect_synced(_metadata, t);
	/* Another entry point and argument through s. */
	t->run->s.regs.pc = MVM_GK_CODE_BASE + 0x100;
	t->run->s.regs.gpr[R_A0] = 40;
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(42, t->run->s.regs.gpr[R_V0]);
	EXPECT_EQ(MVM_GK_CODE_BASE + 0x104, t->run->s.regs.pc);
	expect_synced(_metadata, t);
	/* An MMIO load through the physical window, completed. */
	t->run->s.regs.pc = MVM_GK_CODE_BASE + 0x200;
	t->run->s.regs.gpr[R_A0] = MVM_GK_PHYS_BASE + GUEST_MMIO_GPA;
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason);
	EXPECT_EQ(MVM_GK_CODE_BASE + 0x204, t->run->s.regs.pc);
	expect_synced(_metadata, t);
	memcpy(t->run->mmio.data, &val, 8);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(val, t->run->s.regs.gpr[R_V0]);
	expect_synced(_metadata, t);
	/* An internal error (MMIO in a delay slot). */
	t->run->s.regs.pc = MVM_GK_CODE_BASE + 0x300;
	t->run->s.regs.gpr[R_V0] = 0x1234;
	t->run->sync_dirty = MVM_SYNC_REGS;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_INTERNAL_ERROR, t->run->exit_reason);
	EXPECT_EQ(MVM_INTERNAL_ERROR_DELAY_SLOT, t->run->internal.suberror);
	EXPECT_EQ(MVM_GK_CODE_BASE + 0x300, t->run->s.regs.pc);
	EXPECT_EQ(0x1234, t->run->s.regs.gpr[R_V0]);
	expect_synced(_metadata, t);
	/* Back in user mode the same vCPU syncs as well. */
	t->run->kernel_mode = 0;
	t->run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, mvm_run(t));
	expect_synced(_metadata, t);
	t->run->immediate_exit = 0;
	ASSERT_EQ(0, enable(t, MVM_CAP_GUEST_KERNEL, 0, 0, 0));
	munmap(comm, MVM_GK_COMM_SIZE);
	munmap(code, GK_CODE_SIZE);
}

/*
 * A hostile VMM: random sync_valid/sync_dirty/s.regs (valid bits mostly)
 * over random guest code, while a second thread scribbles over the run
 * page during MVM_RUN. Every call returns an exit or an errno; host-check
 * then checks dmesg.
 */
static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	return mvm_xorshift64(&rng);
}

static uint64_t random_val(uint64_t *state)
{
	switch (mvm_xorshift64(state) % 5) {
	case 0: return mvm_xorshift64(state) % 64;
	case 1: return GUEST_RAM_GPA + mvm_xorshift64(state) % GUEST_RAM_SIZE;
	case 2: return GUEST_MMIO_GPA + mvm_xorshift64(state) % 0x100;
	case 3: return 0xffffffff80000000ull + mvm_xorshift64(state) % 0x1000;
	default: return mvm_xorshift64(state);
	}
}

static volatile int scribbling;
static volatile unsigned long scribbles;

static void *scribbler(void *arg)
{
	struct mvm_run *run = arg;
	uint64_t state = 0x9e3779b97f4a7c15ull, *w = (uint64_t *)&run->s;

	while (scribbling) {
		uint64_t r = mvm_xorshift64(&state);

		switch (r % 4) {
		case 0:
			run->sync_valid = r & 0x100 ? r >> 32 : MVM_SYNC_REGS;
			break;
		case 1:
			run->sync_dirty = r & 0x100 ? r >> 32 :
					  (r >> 9) & MVM_SYNC_REGS;
			break;
		default:
			/* s.regs only, PC word-aligned mostly. */
			w[(r >> 8) % 35] = random_val(&state) &
					   (r & 0x200 ? ~0ull : ~3ull);
			break;
		}
		scribbles++;
	}
	return NULL;
}

static void fuzz(struct __test_metadata *_metadata, struct mvm_test_vm *t,
		 unsigned int rounds, bool threaded)
{
	struct itimerval it = { .it_value = { .tv_usec = 3000 } };
	uint32_t *code = mvm_gpa_ptr(t, GUEST_CODE_GPA);
	unsigned int i, r, counts[4] = { 0 };
	pthread_t thr;
	int ret;

	for (i = 0; i < 1024; i++) {
		code[i] = rnd();
		/* No SDBBP (hangs QEMU's malta): see fuzz_test.c. */
		if ((code[i] >> 26) == 0x1c && (code[i] & 0x3f) == 0x3f)
			code[i] = 0;
	}
	if (threaded) {
		scribbling = 1;
		ASSERT_EQ(0, pthread_create(&thr, NULL, scribbler, t->run));
	}
	for (r = 0; r < rounds; r++) {
		uint64_t valid = MVM_SYNC_REGS, dirty = 0;
		bool bad = false;

		switch (rnd() % 8) {
		case 0: valid = rnd(); break;
		case 1: dirty = rnd(); break;
		case 2: valid = 0; break;
		default: dirty = rnd() % 2 ? MVM_SYNC_REGS : 0; break;
		}
		bad = (valid | dirty) & ~(uint64_t)MVM_SYNC_REGS;
		if (dirty & MVM_SYNC_REGS) {
			for (i = 0; i < 32; i++)
				t->run->s.regs.gpr[i] = random_val(&rng);
			t->run->s.regs.hi = rnd();
			t->run->s.regs.lo = rnd();
			t->run->s.regs.pc = rnd() % 8 ? GUEST_CODE_GPA +
				4 * (rnd() % 1024) : random_val(&rng);
		}
		t->run->sync_valid = valid;
		t->run->sync_dirty = dirty;
		t->run->immediate_exit = rnd() % 16 == 0;
		if (t->run->exit_reason == MVM_EXIT_MMIO)
			memcpy(t->run->mmio.data, &t->run->s.regs.lo, 8);
		setitimer(ITIMER_REAL, &it, NULL);
		ret = mvm_run(t);
		if (!threaded) {
			if (bad) {
				ASSERT_EQ(-EINVAL, ret);
			} else {
				ASSERT_TRUE(ret == 0 || ret == -EINTR)
					TH_LOG("MVM_RUN: %s", strerror(-ret));
				ASSERT_EQ(0, t->run->sync_dirty);
				if (valid & MVM_SYNC_REGS)
					expect_synced(_metadata, t);
			}
		} else {
			ASSERT_TRUE(ret == 0 || ret == -EINTR ||
				    ret == -EINVAL)
				TH_LOG("MVM_RUN: %s", strerror(-ret));
		}
		counts[ret == 0 ? 0 : ret == -EINTR ? 1 : ret == -EINVAL ? 2 : 3]++;
		/* Exceptions: somewhere new in the code next time. */
		if (ret == 0 && t->run->exit_reason != MVM_EXIT_MMIO &&
		    t->run->exit_reason != MVM_EXIT_HYPERCALL)
			ASSERT_EQ(0, mvm_set_reg(t, 32, GUEST_CODE_GPA +
						 4 * (rnd() % 1024)));
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	if (threaded) {
		scribbling = 0;
		pthread_join(thr, NULL);
		TH_LOG("the other thread rewrote the run page %lu times",
		       scribbles);
		EXPECT_LT(0, scribbles);
	}
	TH_LOG("%u runs: %u exits, %u EINTR, %u EINVAL", rounds, counts[0],
	       counts[1], counts[2]);
	/* Still sound. */
	code[0] = 0x24020000 | 77;		/* li v0, 77 */
	code[1] = 0x42000028;			/* hypcall */
	__builtin___clear_cache((char *)code, (char *)code + 8);
	t->run->immediate_exit = 0;
	t->run->sync_valid = MVM_SYNC_REGS;
	t->run->sync_dirty = MVM_SYNC_REGS;
	memset(&t->run->s.regs, 0, sizeof(t->run->s.regs));
	t->run->s.regs.pc = GUEST_CODE_GPA;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(77, t->run->hypercall.nr);
	EXPECT_EQ(77, t->run->s.regs.gpr[R_V0]);
}

TEST_F_TIMEOUT(sync, fuzz_sync_fields, 300)
{
	fuzz(_metadata, &self->t, 3000, false);
}

TEST_F_TIMEOUT(sync, fuzz_with_a_hostile_thread, 300)
{
	fuzz(_metadata, &self->t, 3000, true);
}

TEST_HARNESS_MAIN
