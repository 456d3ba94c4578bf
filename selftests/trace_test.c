// SPDX-License-Identifier: GPL-2.0
/* mvm's tracepoints: enabled through tracefs, each one fires. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define TRACEFS	"/sys/kernel/tracing"

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -EIO;
}

static char *read_trace(void)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap + 1);
	int fd = open(TRACEFS "/trace", O_RDONLY);
	ssize_t n;

	if (!buf || fd < 0)
		return NULL;
	while (len < cap && (n = read(fd, buf + len, cap - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return buf;
}

/* A refill (code and data), an MMIO store, host interrupts, a hypercall. */
GUEST_CODE(guest_traced,
	"	sd	$5, 0($6)\n"
	"	sw	$5, 0($4)\n"
	"	move	$2, $0\n"
	"1:	daddiu	$2, $2, 1\n"
	"	bne	$2, $7, 1b\n"
	"	 nop\n"
	".word 0x42000028\n");

TEST(tracepoints_fire)
{
	struct mvm_test_vm t;
	char *trace;
	int ret;

	if (access(TRACEFS "/events/mvm", F_OK))
		SKIP(return, "no " TRACEFS "/events/mvm (tracefs or mvm.ko missing)");
	ret = mvm_vm_create(&t);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	ASSERT_EQ(0, write_file(TRACEFS "/events/mvm/enable", "1"));
	ASSERT_EQ(0, load_guest(&t, guest_traced));
	ASSERT_EQ(0, mvm_set_reg(&t, R_A0, GUEST_MMIO_GPA));
	ASSERT_EQ(0, mvm_set_reg(&t, R_A1, 0x1234));
	ASSERT_EQ(0, mvm_set_reg(&t, R_A2, GUEST_DATA_GPA));
	ASSERT_EQ(0, mvm_set_reg(&t, R_A3, 100000000));
	ASSERT_EQ(0, mvm_run(&t));
	ASSERT_EQ(MVM_EXIT_MMIO, t.run->exit_reason);
	ASSERT_EQ(0, mvm_run(&t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t.run->exit_reason);
	ASSERT_EQ(0, write_file(TRACEFS "/events/mvm/enable", "0"));
	trace = read_trace();
	ASSERT_NE(NULL, trace);
	EXPECT_NE(NULL, strstr(trace, "mvm_enter: vcpu 0 pc 0x10000"));
	EXPECT_NE(NULL, strstr(trace, "mvm_tlb_refill: vcpu 0 gva 0x10000 gpa 0x10000"));
	EXPECT_NE(NULL, strstr(trace, "mvm_tlb_refill: vcpu 0 gva 0x18000 gpa 0x18000"));
	EXPECT_NE(NULL, strstr(trace, "mvm_mmio: vcpu 0 write gpa 0x40000000 len 4 val 0x1234"));
	EXPECT_NE(NULL, strstr(trace, "mvm_exit: vcpu 0 reason 6 vector"));
	EXPECT_NE(NULL, strstr(trace, "mvm_exit: vcpu 0 reason 3 vector"));
	/* Host timer interrupts, handled without leaving the kernel. */
	/* (0x200 with Cause.IV, or 0x180 with ExcCode 0 without it) */
	EXPECT_TRUE(strstr(trace, "reason 0 vector 5") ||
		    strstr(trace, "reason 0 vector 4 pc 0x1001") != NULL);
	if (!_metadata->passed)
		TH_LOG("trace:\n%.2000s", trace);
	free(trace);
	mvm_vm_destroy(&t);
}

/* Patched kernel code's tlbp (MVM_GK_CALL_TLBP), then an exit. */
GUEST_CODE(gk_tlbp_traced,
	"	syscall	1\n"
	"	syscall\n");

TEST(gk_tlb_call_fires)
{
	struct mvm_enable_cap mmu = { .cap = MVM_CAP_GUEST_MMU, .args = { 1 } };
	struct mvm_enable_cap gk = { .cap = MVM_CAP_GUEST_KERNEL };
	size_t len = GUEST_CODE_LEN(gk_tlbp_traced);
	struct mvm_test_vm t;
	char *comm, *code, *trace;

	if (access(TRACEFS "/events/mvm", F_OK))
		SKIP(return, "no " TRACEFS "/events/mvm (tracefs or mvm.ko missing)");
	ASSERT_EQ(0, mvm_vm_create(&t));
	if (ioctl(t.dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TLB) != 1) {
		mvm_vm_destroy(&t);
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_TLB");
	}
	comm = mmap(NULL, MVM_GK_COMM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, comm);
	ASSERT_NE(MAP_FAILED, code);
	memcpy(code, gk_tlbp_traced_start, len);
	__builtin___clear_cache(code, code + len);
	gk.args[0] = (uintptr_t)comm;
	gk.args[1] = (uintptr_t)code;
	gk.args[2] = 4096;
	ASSERT_EQ(0, ioctl(t.vcpu_fd, MVM_ENABLE_CAP, &mmu));
	ASSERT_EQ(0, ioctl(t.vcpu_fd, MVM_ENABLE_CAP, &gk));
	ASSERT_EQ(0, mvm_set_reg(&t, 32, MVM_GK_CODE_BASE));
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	ASSERT_EQ(0, write_file(TRACEFS "/events/mvm/enable", "1"));
	t.run->kernel_mode = 1;
	ASSERT_EQ(0, mvm_run(&t));
	ASSERT_EQ(0, write_file(TRACEFS "/events/mvm/enable", "0"));
	EXPECT_EQ(MVM_EXIT_EXCEPTION, t.run->exit_reason);
	EXPECT_EQ(MVM_GK_CODE_BASE + 4, t.run->pc);
	trace = read_trace();
	ASSERT_NE(NULL, trace);
	/* EntryHi 0 matches the first all-zero entry, as in the hardware. */
	EXPECT_NE(NULL, strstr(trace, "mvm_gk_tlb: vcpu 0 tlbp index 0 entryhi 0x0"));
	if (!_metadata->passed)
		TH_LOG("trace:\n%.2000s", trace);
	free(trace);
	mvm_vm_destroy(&t);
	munmap(comm, MVM_GK_COMM_SIZE);
	munmap(code, 4096);
}

TEST_HARNESS_MAIN
