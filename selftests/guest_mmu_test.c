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

/* v0 = *(a0); *(a0 + 8) = a1; hypercall. */
GUEST_CODE(guest_rw,
	"	ld	$2, 0($4)\n"
	"	sd	$5, 8($4)\n"
	".word 0x42000028\n");

FIXTURE(mmu) {
	struct mvm_test_vm t;
};

static int set_tlb(struct mvm_test_vm *t, uint32_t index, uint64_t hi,
		   uint64_t lo0, uint64_t lo1, uint64_t pagemask)
{
	struct mvm_tlb_entry e = {
		.index = index, .entryhi = hi, .entrylo0 = lo0,
		.entrylo1 = lo1, .pagemask = pagemask,
	};

	return ioctl(t->vcpu_fd, MVM_SET_TLB, &e) ? -errno : 0;
}

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
	ASSERT_EQ(0, guest_mmu(t, 1));
	ASSERT_EQ(0, set_asid(t, 5));
	/* Entry 0: code (even page) and data (odd page) at CODE_GVA, ASID 5. */
	ASSERT_EQ(0, set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
			     LO(DATA_GPA, LO_V | LO_D), 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, CODE_GVA + 0x1000));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0xabcd));
}

FIXTURE_TEARDOWN(mmu)
{
	mvm_vm_destroy(&self->t);
}

static void expect_hypercall(struct __test_metadata *_metadata,
			     struct mvm_test_vm *t, uint64_t v0)
{
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason)
		TH_LOG("exit %s exc %u pc 0x%llx badvaddr 0x%llx",
		       mvm_exit_name(t->run->exit_reason), t->run->ex.exc_code,
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

	expect_hypercall(_metadata, t, 0x1111);
	EXPECT_EQ(0xabcd, *host(t, DATA_GPA + 8));
}

TEST_F(mmu, miss_is_a_guest_refill)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, MVM_EX_TLB_REFILL,
			   CODE_GVA, 0x800000);
	/* The guest's handler would now write an entry and retry. */
	ASSERT_EQ(0, set_tlb(t, 1, 0x800000 | 5, LO(OTHER_GPA, LO_V | LO_D), 0, 0));
	expect_hypercall(_metadata, t, 0x2222);
	EXPECT_EQ(0xabcd, *host(t, OTHER_GPA + 8));
}

TEST_F(mmu, invalid_and_clean_pages_fault)
{
	struct mvm_test_vm *t = &self->t;

	/* Even page valid but clean, odd page invalid. */
	ASSERT_EQ(0, set_tlb(t, 1, 0x800000 | 5, LO(OTHER_GPA, LO_V), 0, 0));
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

	expect_hypercall(_metadata, t, 0x1111);
	/* Another ASID: the code's entry no longer matches, even cached. */
	ASSERT_EQ(0, set_asid(t, 6));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, MVM_EX_TLB_REFILL,
			   CODE_GVA, CODE_GVA);
	/* A global entry matches every ASID. */
	ASSERT_EQ(0, set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V | LO_G),
			     LO(DATA_GPA, LO_V | LO_D | LO_G), 0));
	expect_hypercall(_metadata, t, 0x1111);
}

TEST_F(mmu, remap_is_seen_at_once)
{
	struct mvm_test_vm *t = &self->t;

	expect_hypercall(_metadata, t, 0x1111);
	ASSERT_EQ(0, set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
			     LO(OTHER_GPA, LO_V | LO_D), 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	expect_hypercall(_metadata, t, 0x2222);
	EXPECT_EQ(0xabcd, *host(t, OTHER_GPA + 8));
}

TEST_F(mmu, large_pages)
{
	struct mvm_test_vm *t = &self->t;

	/* 16 KiB pages: GVA 0x1000000 + 0x2000 lies in the even page. */
	ASSERT_EQ(0, set_tlb(t, 2, 0x1000000 | 5,
			     LO(GUEST_RAM_GPA, LO_V | LO_D), 0, 0x6000));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x1000000 + (DATA_GPA - GUEST_RAM_GPA)));
	expect_hypercall(_metadata, t, 0x1111);
	/* The odd 16 KiB page is invalid. */
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x1004000));
	expect_guest_fault(_metadata, t, MVM_EXC_TLBL, 0, CODE_GVA, 0x1004000);
}

TEST_F(mmu, guest_pages_without_ram_are_mmio)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, set_tlb(t, 3, 0x2000000 | 5,
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
	expect_hypercall(_metadata, t, 0x1111);
	ASSERT_EQ(0, guest_mmu(t, 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, OTHER_GPA));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(CODE_GPA + 8, t->run->pc);
	EXPECT_EQ(0x2222, mvm_reg(t, R_V0));
}

TEST_HARNESS_MAIN
