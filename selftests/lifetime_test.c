// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetimes: 10,000 create/run/destroy cycles leave no pinned page, no
 * file descriptor and no memory behind.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define CYCLES	10000

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) &&
		    sscanf(line + strlen(key), " %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Touches two data pages (two pins besides the code page), then stops. */
GUEST_CODE(guest_touch,
	"	sd	$4, 0($4)\n"
	"	sd	$4, 0x1000($4)\n"
	".word 0x42000028\n");

FIXTURE(lifetime) {
	int unused;
};

FIXTURE_SETUP(lifetime)
{
	int fd = mvm_open_dev();

	if (fd == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(lifetime)
{
}

static void one_cycle(struct __test_metadata *_metadata, bool check_pins)
{
	struct mvm_test_vm t;

	ASSERT_EQ(0, mvm_vm_create(&t));
	ASSERT_EQ(0, load_guest(&t, guest_touch));
	ASSERT_EQ(0, mvm_set_reg(&t, R_A0, GUEST_DATA_GPA));
	ASSERT_EQ(0, mvm_run(&t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t.run->exit_reason);
	if (check_pins)
		EXPECT_LE(3, mvm_pinned_pages());
	mvm_vm_destroy(&t);
}

TEST_F_TIMEOUT(lifetime, create_run_destroy_10000_times, 600)
{
	long avail, slab, pins = mvm_pinned_pages();
	int fds = count_fds(), i;

	ASSERT_EQ(0, pins) TH_LOG("another VM holds pins");
	/* Warm up caches and slabs before taking the baseline. */
	for (i = 0; i < 100; i++)
		one_cycle(_metadata, i == 0);
	avail = meminfo_kb("MemAvailable:");
	slab = meminfo_kb("Slab:");
	for (i = 0; i < CYCLES; i++) {
		one_cycle(_metadata, false);
		if (_metadata->passed == 0)
			break;
	}
	EXPECT_EQ(0, mvm_pinned_pages());
	EXPECT_EQ(fds, count_fds());
	TH_LOG("after %d cycles: MemAvailable %+ld kB, Slab %+ld kB", i,
	       meminfo_kb("MemAvailable:") - avail, meminfo_kb("Slab:") - slab);
	/* A leak of one page per cycle would be 40 MB. */
	EXPECT_GT(2048, avail - meminfo_kb("MemAvailable:"));
	EXPECT_GT(1024, meminfo_kb("Slab:") - slab);
}

/* A vCPU fd outliving its VM fd and the process's other fds. */
TEST_F(lifetime, vcpu_outlives_vm_fd)
{
	struct mvm_test_vm t;

	ASSERT_EQ(0, mvm_vm_create(&t));
	ASSERT_EQ(0, load_guest(&t, guest_touch));
	ASSERT_EQ(0, mvm_set_reg(&t, R_A0, GUEST_DATA_GPA));
	close(t.vm_fd);
	t.vm_fd = -1;
	close(t.dev_fd);
	t.dev_fd = -1;
	ASSERT_EQ(0, mvm_run(&t));
	EXPECT_EQ(MVM_EXIT_HYPERCALL, t.run->exit_reason);
	EXPECT_EQ(GUEST_DATA_GPA, *(uint64_t *)mvm_gpa_ptr(&t, GUEST_DATA_GPA));
	mvm_vm_destroy(&t);
	EXPECT_EQ(0, mvm_pinned_pages());
}

/* Guest RAM unmapped by the VMM behind the VM's back: an error, no oops. */
TEST_F(lifetime, ram_unmapped_under_the_vm)
{
	struct mvm_test_vm t;

	ASSERT_EQ(0, mvm_vm_create(&t));
	ASSERT_EQ(0, load_guest(&t, guest_touch));
	ASSERT_EQ(0, mvm_set_reg(&t, R_A0, GUEST_DATA_GPA));
	ASSERT_EQ(0, munmap(t.ram, t.ram_size));
	t.ram = NULL;
	ASSERT_EQ(0, mvm_run(&t));
	EXPECT_EQ(MVM_EXIT_INTERNAL_ERROR, t.run->exit_reason);
	EXPECT_EQ(MVM_INTERNAL_ERROR_PIN, t.run->internal.suberror);
	mvm_vm_destroy(&t);
	EXPECT_EQ(0, mvm_pinned_pages());
}

TEST_HARNESS_MAIN
