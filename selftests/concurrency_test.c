// SPDX-License-Identifier: GPL-2.0
/*
 * Memslot changes while vCPUs run: once MVM_SET_USER_MEMORY_REGION returns,
 * no guest store reaches the memory of a deleted or moved slot, and no pin
 * is left behind. Two vCPUs of one VM run in their own threads meanwhile.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define SLOT_GPA	0x100000ull
#define ROUNDS		100

/* Stores an increasing counter at a0, forever. */
GUEST_CODE(guest_store_forever,
	"1:	sd	$5, 0($4)\n"
	"	b	1b\n"
	"	 daddiu	$5, $5, 1\n");

struct runner {
	int vcpu_fd;
	struct mvm_run *run;
	pthread_t thread;
	atomic_bool stop;
	atomic_long exits;
	int error;
};

static void on_kick(int sig)
{
	(void)sig;
}

static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	while (!atomic_load(&r->stop)) {
		if (ioctl(r->vcpu_fd, MVM_RUN, 0) && errno != EINTR) {
			r->error = errno;
			break;
		}
		if (r->run->exit_reason != MVM_EXIT_MMIO &&
		    r->run->exit_reason != MVM_EXIT_INTR) {
			r->error = 1000 + r->run->exit_reason;
			break;
		}
		atomic_fetch_add(&r->exits, 1);
	}
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

static int start_vcpu(struct mvm_test_vm *t, struct runner *r, int id)
{
	struct mvm_regs regs = { .pc = GUEST_CODE_GPA };

	memset(r, 0, sizeof(*r));
	r->vcpu_fd = id ? ioctl(t->vm_fd, MVM_CREATE_VCPU, id) : t->vcpu_fd;
	if (r->vcpu_fd < 0)
		return -errno;
	r->run = id ? mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
			   MAP_SHARED, r->vcpu_fd, 0) : t->run;
	if (r->run == MAP_FAILED)
		return -errno;
	/* vCPU n stores at SLOT_GPA + 8n, counting from n << 32. */
	regs.gpr[R_A0] = SLOT_GPA + 8 * id;
	regs.gpr[R_A1] = (uint64_t)id << 32;
	if (ioctl(r->vcpu_fd, MVM_SET_REGS, &regs))
		return -errno;
	return pthread_create(&r->thread, NULL, run_vcpu, r) ? -EAGAIN : 0;
}

static void stop_vcpu(struct runner *r)
{
	atomic_store(&r->stop, true);
	r->run->immediate_exit = 1;
	pthread_kill(r->thread, SIGUSR1);
	pthread_join(r->thread, NULL);
}

TEST(memslot_changes_under_running_vcpus)
{
	struct sigaction sa = { .sa_handler = on_kick };
	uint64_t *a, *b, seen[2];
	struct runner r[2];
	struct mvm_test_vm t;
	int i, ret;

	ret = mvm_vm_create(&t);
	if (ret == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	a = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	ASSERT_EQ(0, load_guest(&t, guest_store_forever));
	ASSERT_EQ(0, start_vcpu(&t, &r[0], 0));
	ASSERT_EQ(0, start_vcpu(&t, &r[1], 1));

	for (i = 0; i < ROUNDS; i++) {
		uint64_t *mem = i % 2 ? b : a;

		/* Map, let the guests write, then delete or move away. */
		ASSERT_EQ(0, mvm_set_region(t.vm_fd, 1, 0, SLOT_GPA, 4096, mem));
		sleep_ms(3);
		if (i % 3) {
			ASSERT_EQ(0, mvm_set_region(t.vm_fd, 1, 0, 0, 0, NULL));
		} else {
			ASSERT_EQ(0, mvm_set_region(t.vm_fd, 1, 0, 0x200000,
						    4096, mem));
		}
		seen[0] = mem[0];
		seen[1] = mem[1];
		sleep_ms(3);
		/* Frozen: no store lands after the call returned. */
		ASSERT_EQ(seen[0], mem[0]) TH_LOG("round %d", i);
		ASSERT_EQ(seen[1], mem[1]) TH_LOG("round %d", i);
		if (!(i % 3))
			ASSERT_EQ(0, mvm_set_region(t.vm_fd, 1, 0, 0, 0, NULL));
	}
	stop_vcpu(&r[0]);
	stop_vcpu(&r[1]);
	EXPECT_EQ(0, r[0].error);
	EXPECT_EQ(0, r[1].error);
	/* Both ran, and their stores reached memory while it was mapped. */
	EXPECT_NE(0, a[0] | b[0]);
	EXPECT_NE(0, (a[1] | b[1]) >> 32);
	TH_LOG("exits: vCPU0 %ld, vCPU1 %ld", atomic_load(&r[0].exits),
	       atomic_load(&r[1].exits));
	munmap(r[1].run, getpagesize());
	close(r[1].vcpu_fd);
	mvm_vm_destroy(&t);
	EXPECT_EQ(0, mvm_pinned_pages());
}

TEST_HARNESS_MAIN
