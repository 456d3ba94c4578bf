// SPDX-License-Identifier: GPL-2.0
/*
 * Running guest code under mvm.ko: computation, every exit kind with its
 * exact PC and cause, MMIO round trips, isolation, signals.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define HYPCALL		".word 0x42000028\n"	/* hypcall 0 */

FIXTURE(vm) {
	struct mvm_test_vm t;
};

FIXTURE_SETUP(vm)
{
	int ret = mvm_vm_create(&self->t);

	if (ret == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_EQ(0, ret) TH_LOG("mvm_vm_create: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(vm)
{
	mvm_vm_destroy(&self->t);
}

/* Sums a1 doublewords at a0 into v1, stores it at a2, hypercall 1. */
GUEST_CODE(guest_sum,
	"	move	$3, $0\n"
	"1:	beqz	$5, 2f\n"
	"	 nop\n"
	"	ld	$12, 0($4)\n"
	"	daddu	$3, $3, $12\n"
	"	daddiu	$4, $4, 8\n"
	"	b	1b\n"
	"	 daddiu	$5, $5, -1\n"
	"2:	sd	$3, 0($6)\n"
	"	li	$2, 1\n"
	HYPCALL);

TEST_F(vm, guest_sums_memory)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t *data = mvm_gpa_ptr(t, GUEST_DATA_GPA);
	uint64_t *result = mvm_gpa_ptr(t, GUEST_DATA_GPA + 0x1000);
	uint64_t sum = 0;
	int i, n = 300;	/* spans two pages of data */

	for (i = 0; i < n; i++) {
		data[i] = 0x100000001ull * i + 7;
		sum += data[i];
	}
	ASSERT_EQ(0, load_guest(t, guest_sum));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_DATA_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, n));
	ASSERT_EQ(0, mvm_set_reg(t, R_A2, GUEST_DATA_GPA + 0x1000));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(1, t->run->hypercall.nr);
	EXPECT_EQ(sum, mvm_reg(t, R_V1));
	EXPECT_EQ(sum, *result);
	EXPECT_EQ(0, mvm_reg(t, R_A1));
	EXPECT_EQ(GUEST_CODE_GPA + GUEST_CODE_LEN(guest_sum) - 4,
		  t->run->pc);
}

TEST_HARNESS_MAIN
