// SPDX-License-Identifier: GPL-2.0
/*
 * MVM_CAP_GUEST_MMU: guest virtual addresses go through the guest's own TLB
 * (MVM_SET_TLB, ASID in CP0 EntryHi), shadowed into the host TLB by mvm.ko;
 * the guest's TLB faults come back as exceptions. The start of issue #4's
 * shadow TLB, testable with a user-mode guest today.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define LO_G		1ull
#define LO_V		2ull
#define LO_D		4ull
#define LO(gpa, flags)	((((gpa) >> 12) << 6) | (3 << 3) | (flags))

#define CODE_GVA	0x400000ull
#define CODE_GPA	(GUEST_RAM_GPA + 0x2000)
#define DATA_GPA	(GUEST_RAM_GPA + 0x3000)
#define OTHER_GPA	(GUEST_RAM_GPA + 0x4000)

#define THIRD_GPA	(GUEST_RAM_GPA + 0x5000)

/* v0 = *(a0); *(a0 + 8) = a1; syscall (the guest kernel's business). */
GUEST_CODE(guest_rw,
	"	ld	$2, 0($4)\n"
	"	sd	$5, 8($4)\n"
	"	syscall\n");

/* v0 = *(a0); syscall. */
GUEST_CODE(guest_load,
	"	ld	$2, 0($4)\n"
	"	syscall\n");

FIXTURE(mmu) {
	struct mvm_test_vm t;
};

static int set_asid(struct mvm_test_vm *t, uint64_t asid)
{
	struct mvm_one_reg r = { MVM_REG_CP0(10, 0), (uintptr_t)&asid };

	return ioctl(t->vcpu_fd, MVM_SET_ONE_REG, &r) ? -errno : 0;
}

static int guest_mmu(struct mvm_test_vm *t, int on)
{
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_MMU, .args = { on } };

	return ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap) ? -errno : 0;
}

/* A counter of the vCPU (MVM_REG_STAT_*). */
static uint64_t stat(struct mvm_test_vm *t, uint64_t id)
{
	uint64_t val = ~0ull;
	struct mvm_one_reg r = { id, (uintptr_t)&val };

	return ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r) ? ~0ull : val;
}

static uint64_t *host(struct mvm_test_vm *t, uint64_t gpa)
{
	return mvm_gpa_ptr(t, gpa);
}

FIXTURE_SETUP(mmu)
{
	struct mvm_test_vm *t = &self->t;
	int ret = mvm_vm_create(t);

	if (ret == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(1, ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_MMU));
	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_rw_start,
				   GUEST_CODE_LEN(guest_rw)));
	*host(t, DATA_GPA) = 0x1111;
	*host(t, OTHER_GPA) = 0x2222;
	*host(t, THIRD_GPA) = 0x3333;
	ASSERT_EQ(0, guest_mmu(t, 1));
	ASSERT_EQ(0, set_asid(t, 5));
	/* Entry 0: code (even page) and data (odd page) at CODE_GVA, ASID 5. */
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
				 LO(DATA_GPA, LO_V | LO_D), 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, CODE_GVA + 0x1000));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0xabcd));
}

FIXTURE_TEARDOWN(mmu)
{
	mvm_vm_destroy(&self->t);
}

/* Runs guest_rw to its syscall, which must find v0 loaded. */
static void expect_syscall(struct __test_metadata *_metadata,
			   struct mvm_test_vm *t, uint64_t v0)
{
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	ASSERT_EQ(MVM_EXC_SYS, t->run->ex.exc_code)
		TH_LOG("exc %u pc 0x%llx badvaddr 0x%llx", t->run->ex.exc_code,
		       (unsigned long long)t->run->pc,
		       (unsigned long long)t->run->ex.badvaddr);
	EXPECT_EQ(CODE_GVA + 8, t->run->pc);
	EXPECT_EQ(v0, mvm_reg(t, R_V0));
}

static void expect_guest_fault(struct __test_metadata *_metadata,
			       struct mvm_test_vm *t, uint32_t exc,
			       uint32_t flags, uint64_t pc, uint64_t badvaddr)
{
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(exc, t->run->ex.exc_code);
	EXPECT_EQ(flags, t->run->ex.flags);
	EXPECT_EQ(pc, t->run->ex.epc);
	EXPECT_EQ(badvaddr, t->run->ex.badvaddr);
}

TEST_F(mmu, code_and_data_through_the_guest_tlb)
{
	struct mvm_test_vm *t = &self->t;

	expect_syscall(_metadata, t, 0x1111);
	EXPECT_EQ(0xabcd, *host(t, DATA_GPA + 8));
}

TEST_F(mmu, miss_is_a_guest_refill)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, MVM_EX_TLB_REFILL,
			   CODE_GVA, 0x800000);
	/* The guest's handler would now write an entry and retry. */
	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0x800000 | 5, LO(OTHER_GPA, LO_V | LO_D), 0, 0));
	expect_syscall(_metadata, t, 0x2222);
	EXPECT_EQ(0xabcd, *host(t, OTHER_GPA + 8));
}

TEST_F(mmu, invalid_and_clean_pages_fault)
{
	struct mvm_test_vm *t = &self->t;

	/* Even page valid but clean, odd page invalid. */
	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0x800000 | 5, LO(OTHER_GPA, LO_V), 0, 0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	expect_guest_fault(_metadata, t, MVM_EXC_MOD, 0, CODE_GVA + 4, 0x800008);
	EXPECT_EQ(0x2222, mvm_reg(t, R_V0));	/* the load went through */
	EXPECT_EQ(0, *host(t, OTHER_GPA + 8));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x801000));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, 0, CODE_GVA, 0x801000);
}

TEST_F(mmu, asid_selects_entries)
{
	struct mvm_test_vm *t = &self->t;

	expect_syscall(_metadata, t, 0x1111);
	/* Another ASID: the code's entry no longer matches, even cached. */
	ASSERT_EQ(0, set_asid(t, 6));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, MVM_EX_TLB_REFILL,
			   CODE_GVA, CODE_GVA);
	/* A global entry matches every ASID. */
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V | LO_G),
				 LO(DATA_GPA, LO_V | LO_D | LO_G), 0));
	expect_syscall(_metadata, t, 0x1111);
}

TEST_F(mmu, remap_is_seen_at_once)
{
	struct mvm_test_vm *t = &self->t;

	expect_syscall(_metadata, t, 0x1111);
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
				 LO(OTHER_GPA, LO_V | LO_D), 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	expect_syscall(_metadata, t, 0x2222);
	EXPECT_EQ(0xabcd, *host(t, OTHER_GPA + 8));
}

TEST_F(mmu, large_pages)
{
	struct mvm_test_vm *t = &self->t;

	/* 16 KiB pages: GVA 0x1000000 + 0x2000 lies in the even page. */
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0x1000000 | 5,
				 LO(GUEST_RAM_GPA, LO_V | LO_D), 0, 0x6000));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x1000000 + (DATA_GPA - GUEST_RAM_GPA)));
	expect_syscall(_metadata, t, 0x1111);
	/* The odd 16 KiB page is invalid. */
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x1004000));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, 0, CODE_GVA, 0x1004000);
}

TEST_F(mmu, guest_pages_without_ram_are_mmio)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 3, 0x2000000 | 5,
				 LO(GUEST_MMIO_GPA, LO_V | LO_D), 0, 0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x2000010));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason);
	EXPECT_EQ(GUEST_MMIO_GPA + 0x10, t->run->mmio.phys_addr);
	EXPECT_EQ(0, t->run->mmio.is_write);
}

TEST_F(mmu, back_to_flat_mode)
{
	struct mvm_test_vm *t = &self->t;
	struct mvm_enable_cap bad = { .cap = MVM_CAP_GUEST_MMU, .args = { 2 } };

	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad.args[0] = 1;
	bad.flags = 1;
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad.cap = MVM_CAP_USER_MEMORY;
	bad.flags = 0;
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &bad));
	EXPECT_EQ(EINVAL, errno);
	expect_syscall(_metadata, t, 0x1111);
	ASSERT_EQ(0, guest_mmu(t, 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, OTHER_GPA));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GPA + 8, t->run->pc);
	EXPECT_EQ(0x2222, mvm_reg(t, R_V0));
}

/* hypcall 0, the in-kernel NOP code, syscall. */
GUEST_CODE(guest_hypcalls,
	"	.word	0x42000028\n"
	"	.word	0x42000028 | (0x3ff << 11)\n"
	"	syscall\n");

/*
 * With the guest MMU the guest is an OS's user mode: hypcall, even the
 * in-kernel NOP code, is the exception the CPU raised (CpU, or RI), for
 * the guest kernel to handle; PC and v0 stay. Flat mode keeps hypercalls.
 */
TEST_F(mmu, hypcall_is_an_exception_with_the_guest_mmu)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t pc;

	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_hypcalls_start,
				   GUEST_CODE_LEN(guest_hypcalls)));
	for (pc = CODE_GVA; pc <= CODE_GVA + 4; pc += 4) {
		ASSERT_EQ(0, mvm_set_reg(t, 32, pc));
		ASSERT_EQ(0, mvm_set_reg(t, R_V0, 0x77));
		ASSERT_EQ(0, mvm_run(t));
		ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
			TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
		EXPECT_TRUE(t->run->ex.exc_code == MVM_EXC_CPU ||
			    t->run->ex.exc_code == MVM_EXC_RI)
			TH_LOG("exc %u", t->run->ex.exc_code);
		EXPECT_EQ(pc, t->run->ex.epc);
		EXPECT_EQ(pc, mvm_reg(t, 32));
		EXPECT_EQ(0x77, mvm_reg(t, R_V0));
		EXPECT_EQ(pc == CODE_GVA ? 0x42000028 :
			  0x42000028 | (0x3ff << 11), t->run->ex.insn);
	}
	/* Flat mode: the code at its GPA, a hypercall again. */
	ASSERT_EQ(0, guest_mmu(t, 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GPA));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(CODE_GPA, t->run->pc);
	EXPECT_EQ(0, t->run->hypercall.code);
	/* The NOP code is answered in the kernel: v0 = 0, then the end. */
	ASSERT_EQ(0, mvm_set_reg(t, R_V0, 0x77));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GPA + 8, t->run->pc);
	EXPECT_EQ(0, mvm_reg(t, R_V0));
}

/* Runs guest_rw from CODE_GVA under @asid with a1 = @a1. */
static void run_asid(struct __test_metadata *_metadata, struct mvm_test_vm *t,
		     uint64_t asid, uint64_t a1, uint64_t v0)
{
	ASSERT_EQ(0, set_asid(t, asid));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, a1));
	expect_syscall(_metadata, t, v0);
}

/*
 * Switching guest ASIDs keeps each one's host TLB entries (its own host
 * ASID): switching back finds them, no refill. The host may evict some
 * between two runs (the VMM runs in between), hence a bound, not zero;
 * flushing on every switch would cost two refills (code, data) per run.
 */
TEST_F(mmu, asid_switches_keep_host_entries)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t before, refills;
	int i, runs = 40;

	/* ASID 6: the same code page, another data page at the same GVA. */
	ASSERT_EQ(0, mvm_set_tlb(t, 1, CODE_GVA | 6, LO(CODE_GPA, LO_V),
				 LO(OTHER_GPA, LO_V | LO_D), 0));
	ASSERT_NE(~0ull, stat(t, MVM_REG_STAT_REFILLS));
	run_asid(_metadata, t, 5, 1, 0x1111);
	run_asid(_metadata, t, 6, 1, 0x2222);
	before = stat(t, MVM_REG_STAT_REFILLS);
	for (i = 0; i < runs; i++) {
		run_asid(_metadata, t, 5 + i % 2, i, i % 2 ? 0x2222 : 0x1111);
		EXPECT_EQ(i, *host(t, (i % 2 ? OTHER_GPA : DATA_GPA) + 8));
	}
	refills = stat(t, MVM_REG_STAT_REFILLS) - before;
	TH_LOG("%d runs alternating two guest ASIDs: %llu host refills",
	       runs, (unsigned long long)refills);
	EXPECT_LT(refills, runs / 2);
}

/*
 * Rewriting a guest entry drops the host entries made through it (at once)
 * and no others: another ASID's, or the same ASID's other pages, stay.
 */
TEST_F(mmu, rewriting_an_entry_keeps_the_others)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t before, refills = 0;
	int i, runs = 20;

	ASSERT_EQ(0, mvm_set_tlb(t, 1, CODE_GVA | 6, LO(CODE_GPA, LO_V),
				 LO(OTHER_GPA, LO_V | LO_D), 0));
	run_asid(_metadata, t, 5, 0, 0x1111);
	run_asid(_metadata, t, 6, 0, 0x2222);
	for (i = 0; i < runs; i++) {
		uint64_t gpa = i % 2 ? OTHER_GPA : THIRD_GPA;

		ASSERT_EQ(0, mvm_set_tlb(t, 1, CODE_GVA | 6, LO(CODE_GPA, LO_V),
					 LO(gpa, LO_V | LO_D), 0));
		run_asid(_metadata, t, 6, 0, *host(t, gpa));
		before = stat(t, MVM_REG_STAT_REFILLS);
		run_asid(_metadata, t, 5, 0, 0x1111);
		refills += stat(t, MVM_REG_STAT_REFILLS) - before;
	}
	TH_LOG("%d rewrites of ASID 6's entry: %llu refills under ASID 5",
	       runs, (unsigned long long)refills);
	EXPECT_LT(refills, runs);

	/* A data entry of its own, rewritten: the code's entry stays. */
	refills = 0;
	ASSERT_EQ(0, set_asid(t, 5));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	for (i = 0; i < runs; i++) {
		uint64_t gpa = i % 2 ? OTHER_GPA : THIRD_GPA;

		ASSERT_EQ(0, mvm_set_tlb(t, 2, 0x800000 | 5, LO(gpa, LO_V | LO_D),
					 0, 0));
		before = stat(t, MVM_REG_STAT_REFILLS);
		run_asid(_metadata, t, 5, 0, *host(t, gpa));
		refills += stat(t, MVM_REG_STAT_REFILLS) - before;
	}
	TH_LOG("%d rewrites of a data entry: %llu refills (one each: data)",
	       runs, (unsigned long long)refills);
	EXPECT_GE(refills, runs);
	EXPECT_LT(refills, runs * 3 / 2);
}

/* A global entry's host entries live under every guest ASID: all go. */
TEST_F(mmu, rewriting_a_global_entry_reaches_every_asid)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 1, CODE_GVA | 6, LO(CODE_GPA, LO_V),
				 LO(OTHER_GPA, LO_V | LO_D), 0));
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0x800000, LO(DATA_GPA, LO_V | LO_D | LO_G),
				 LO(0, LO_G), 0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	run_asid(_metadata, t, 5, 0, 0x1111);
	run_asid(_metadata, t, 6, 0, 0x1111);
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0x800000,
				 LO(THIRD_GPA, LO_V | LO_D | LO_G), LO(0, LO_G), 0));
	run_asid(_metadata, t, 5, 0, 0x3333);
	run_asid(_metadata, t, 6, 0, 0x3333);
	/* Global to per-ASID: ASID 6 loses it. */
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0x800000 | 5, LO(DATA_GPA, LO_V | LO_D),
				 LO(0, 0), 0));
	run_asid(_metadata, t, 5, 0, 0x1111);
	ASSERT_EQ(0, set_asid(t, 6));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, MVM_EX_TLB_REFILL,
			   CODE_GVA, 0x800000);
}

/* Lookups take the lowest matching index: a new entry there wins at once. */
TEST_F(mmu, new_entry_hiding_another_wins_at_once)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 10, 0x800000 | 5, LO(DATA_GPA, LO_V | LO_D),
				 0, 0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	run_asid(_metadata, t, 5, 0, 0x1111);
	ASSERT_EQ(0, mvm_set_tlb(t, 3, 0x800000 | 5, LO(OTHER_GPA, LO_V | LO_D),
				 0, 0));
	run_asid(_metadata, t, 5, 0, 0x2222);
	/* Even when the new one is invalid: a guest TLBL now. */
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0x800000 | 5, 0, 0, 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, 0, CODE_GVA, 0x800000);
	/* A global one hides it too. */
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0, 0, 0, 0));
	run_asid(_metadata, t, 5, 0, 0x2222);
	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0x800000,
				 LO(THIRD_GPA, LO_V | LO_D | LO_G), LO(0, LO_G), 0));
	run_asid(_metadata, t, 5, 0, 0x3333);
}

TEST_F(mmu, stats_are_read_only)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t val = 0;
	struct mvm_one_reg r = { MVM_REG_STAT_EXITS, (uintptr_t)&val };

	expect_syscall(_metadata, t, 0x1111);
	/* Code and data share a host page pair: one refill, the syscall. */
	EXPECT_LE(2, stat(t, MVM_REG_STAT_EXITS));
	EXPECT_LE(1, stat(t, MVM_REG_STAT_REFILLS));
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_SET_ONE_REG, &r));
	EXPECT_EQ(EINVAL, errno);
	r.id = MVM_REG_STAT_REFILLS;
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_SET_ONE_REG, &r));
	EXPECT_EQ(EINVAL, errno);
	r.id = MVM_REG_STAT_BASE | 0xff;
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * Random guest TLB writes and ASID switches against a model of the guest
 * TLB (first match wins, G, V, 4 KiB and 16 KiB pages): every load of the
 * guest must see exactly what the model says, whatever the host TLB kept.
 */
#define M_VA		0x800000ull	/* 64 KiB of guest virtual space */
#define M_DATA_GPA	(GUEST_RAM_GPA + 0x8000)	/* 8 data pages */
#define M_SLOTS		8

static uint64_t m_rng = 0x2545f4914f6cdd1dull;

static uint64_t m_rnd(void)
{
	return mvm_xorshift64(&m_rng);
}

/* The model: 0 = refill, 1 = invalid, 2 = mapped to *gpa. */
static int m_translate(const struct mvm_tlb_entry *tlb, uint64_t asid,
		       uint64_t gva, uint64_t *gpa)
{
	int i;

	for (i = 0; i < M_SLOTS; i++) {
		const struct mvm_tlb_entry *e = &tlb[i];
		uint64_t mask = e->pagemask | 0x1fff, page = (mask + 1) / 2, lo;
		int global = e->entrylo0 & e->entrylo1 & LO_G;

		if ((gva ^ e->entryhi) & ~mask)
			continue;
		if (!global && (e->entryhi & 0xff) != asid)
			continue;
		lo = gva & page ? e->entrylo1 : e->entrylo0;
		if (!(lo & LO_V))
			return 1;
		*gpa = (((lo >> 6) << 12) & ~(page - 1)) + (gva & (page - 1));
		return 2;
	}
	return 0;
}

TEST_F(mmu, random_tlb_writes_and_asid_switches_match_a_model)
{
	struct mvm_test_vm *t = &self->t;
	struct mvm_tlb_entry tlb[M_SLOTS];
	uint64_t asid = 5, gva, gpa, *p;
	int step, faults = 0, loads = 0;

	/* Every doubleword of the data pages holds its own GPA. */
	for (p = host(t, M_DATA_GPA); p < (uint64_t *)host(t, M_DATA_GPA) +
	     0x8000 / 8; p++)
		*p = M_DATA_GPA + ((char *)p - (char *)host(t, M_DATA_GPA));
	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_load_start,
				   GUEST_CODE_LEN(guest_load)));
	/* The code: global, in the last guest entry. */
	ASSERT_EQ(0, mvm_set_tlb(t, 0, 0, 0, 0, 0));
	ASSERT_EQ(0, mvm_set_tlb(t, MVM_GUEST_TLB_SIZE - 1, CODE_GVA,
				 LO(CODE_GPA, LO_V | LO_G), LO(0, LO_G), 0));
	memset(tlb, 0, sizeof(tlb));
	for (step = 0; step < 600; step++) {
		unsigned int what = m_rnd() % 8, slot = m_rnd() % M_SLOTS;

		if (what < 4) {
			struct mvm_tlb_entry *e = &tlb[slot];
			int big = m_rnd() % 4 == 0;
			uint64_t g = m_rnd() % 6 == 0 ? LO_G : 0;

			e->index = slot;
			e->pagemask = big ? 0x6000 : 0;
			e->entryhi = M_VA + (big ? (m_rnd() % 2) * 0x8000 :
					     (m_rnd() % 8) * 0x2000);
			e->entryhi |= 5 + m_rnd() % 3;
			e->entrylo0 = LO(M_DATA_GPA + (m_rnd() % 8) * 0x1000,
					 g | (m_rnd() % 4 ? LO_V : 0));
			e->entrylo1 = LO(M_DATA_GPA + (m_rnd() % 8) * 0x1000,
					 g | (m_rnd() % 4 ? LO_V : 0));
			ASSERT_EQ(0, mvm_set_tlb(t, slot, e->entryhi, e->entrylo0,
						 e->entrylo1, e->pagemask));
		} else if (what < 6) {
			asid = 5 + m_rnd() % 3;
			ASSERT_EQ(0, set_asid(t, asid));
		}
		gva = M_VA + (m_rnd() % 0x10000 & ~7ull);
		ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
		ASSERT_EQ(0, mvm_set_reg(t, R_A0, gva));
		ASSERT_EQ(0, mvm_run(t));
		ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
			TH_LOG("step %d: exit %s", step,
			       mvm_exit_name(t->run->exit_reason));
		switch (m_translate(tlb, asid, gva, &gpa)) {
		case 0:
		case 1:
			ASSERT_EQ(MVM_EXC_TLBL, t->run->ex.exc_code)
				TH_LOG("step %d: gva 0x%llx asid %llu", step,
				       (unsigned long long)gva,
				       (unsigned long long)asid);
			EXPECT_EQ(m_translate(tlb, asid, gva, &gpa) ?
				  0 : MVM_EX_TLB_REFILL, t->run->ex.flags);
			EXPECT_EQ(gva, t->run->ex.badvaddr);
			faults++;
			break;
		default:
			ASSERT_EQ(MVM_EXC_SYS, t->run->ex.exc_code)
				TH_LOG("step %d: gva 0x%llx asid %llu exc %u",
				       step, (unsigned long long)gva,
				       (unsigned long long)asid,
				       t->run->ex.exc_code);
			ASSERT_EQ(gpa, mvm_reg(t, R_V0))
				TH_LOG("step %d: gva 0x%llx asid %llu", step,
				       (unsigned long long)gva,
				       (unsigned long long)asid);
			loads++;
		}
	}
	TH_LOG("600 steps: %d loads, %d guest TLB faults", loads, faults);
	EXPECT_LT(100, loads);
}

TEST_HARNESS_MAIN
