// SPDX-License-Identifier: GPL-2.0
/*
 * Robustness: random guest code and random ioctls. Whatever the guest runs
 * and whatever userspace passes, every call returns (an exit or an errno)
 * and the host keeps going; host-check then checks dmesg.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define PROGRAMS	400
#define EXITS_PER_PROGRAM 20

/*
 * SDBBP raises a debug exception, which no EBase redirects: on QEMU's malta
 * it sends the CPU to the boot ROM and hangs the host, from any user
 * process as much as from a guest (measured). It stays out of the mix.
 */
static bool is_sdbbp(uint32_t insn)
{
	return (insn >> 26) == 0x1c && (insn & 0x3f) == 0x3f;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	return mvm_xorshift64(&rng_state);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A random register value: small, in RAM, in MMIO, kernel, or anything. */
static uint64_t random_reg(void)
{
	switch (rnd() % 5) {
	case 0: return rnd() % 64;
	case 1: return GUEST_RAM_GPA + rnd() % GUEST_RAM_SIZE;
	case 2: return GUEST_MMIO_GPA + rnd() % 0x1000;
	case 3: return 0xffffffff80000000ull + rnd() % 0x100000;
	default: return rnd();
	}
}

FIXTURE(fuzz) {
	struct mvm_test_vm t;
};

FIXTURE_SETUP(fuzz)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int ret = mvm_vm_create(&self->t);

	if (ret == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
}

FIXTURE_TEARDOWN(fuzz)
{
	mvm_vm_destroy(&self->t);
}

/*
 * Random instruction words: loads and stores anywhere, branches with
 * random delay slots, privileged and reserved encodings. A 5 ms timer
 * ends programs that loop.
 */
static void random_guest_tlb(struct __test_metadata *_metadata,
			     struct mvm_test_vm *t);

static void random_guest_code(struct __test_metadata *_metadata,
			      struct mvm_test_vm *t, bool guest_mmu)
{
	struct itimerval it = { .it_value = { .tv_usec = 5000 } };
	uint32_t *code = mvm_gpa_ptr(t, GUEST_CODE_GPA);
	unsigned int p, e, i, exits[64] = { 0 };
	struct mvm_regs regs;

	for (p = 0; p < PROGRAMS; p++) {
		if (guest_mmu)
			random_guest_tlb(_metadata, t);
		for (i = 0; i < 1024; i++)
			do
				code[i] = rnd();
			while (is_sdbbp(code[i]));
		memset(&regs, 0, sizeof(regs));
		for (i = 1; i < 32; i++)
			regs.gpr[i] = random_reg();
		regs.pc = GUEST_CODE_GPA + 4 * (rnd() % 1024);
		ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_REGS, &regs));
		for (e = 0; e < EXITS_PER_PROGRAM; e++) {
			int ret;

			setitimer(ITIMER_REAL, &it, NULL);
			ret = mvm_run(t);
			ASSERT_TRUE(ret == 0 || ret == -EINTR)
				TH_LOG("MVM_RUN: %s", strerror(-ret));
			exits[t->run->exit_reason & 63]++;
			if (ret == -EINTR)
				break;		/* a loop: next program */
			if (t->run->exit_reason == MVM_EXIT_MMIO)
				memcpy(t->run->mmio.data, &regs, 8);
			if (t->run->exit_reason == MVM_EXIT_EXCEPTION ||
			    t->run->exit_reason == MVM_EXIT_INTERNAL_ERROR) {
				/* Step over it, or jump somewhere new. */
				ASSERT_EQ(0, mvm_get_regs(t, &regs));
				regs.pc = GUEST_CODE_GPA + 4 * (rnd() % 1024);
				ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_REGS, &regs));
			}
		}
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	TH_LOG("%u programs: %u MMIO, %u hypercall, %u exception, %u internal error, %u intr exits",
	       PROGRAMS, exits[MVM_EXIT_MMIO], exits[MVM_EXIT_HYPERCALL],
	       exits[MVM_EXIT_EXCEPTION], exits[MVM_EXIT_INTERNAL_ERROR],
	       exits[MVM_EXIT_INTR]);
	if (guest_mmu) {
		struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_MMU };

		ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap));
	}
	/* The VM is still sound: a known program gives a known answer. */
	code[0] = 0x24020000 | 77;		/* li v0, 77 */
	code[1] = 0x42000028;			/* hypcall */
	memset(&regs, 0, sizeof(regs));
	regs.pc = GUEST_CODE_GPA;
	ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_REGS, &regs));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(77, t->run->hypercall.nr);
}

TEST_F_TIMEOUT(fuzz, random_guest_code, 300)
{
	random_guest_code(_metadata, &self->t, false);
}

/* Random guest TLB contents and ASIDs, translated by mvm.ko. */
static void random_guest_tlb(struct __test_metadata *_metadata,
			     struct mvm_test_vm *t)
{
	static const uint64_t masks[] = { 0, 0x6000, 0x1e000, 0x7e000 };
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_MMU, .args = { 1 } };
	uint64_t asid = rnd() % 4;
	struct mvm_one_reg r = { MVM_REG_CP0(10, 0), (uintptr_t)&asid };
	struct mvm_tlb_entry e;
	unsigned int i;

	ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap));
	ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_ONE_REG, &r));
	for (i = 0; i < MVM_GUEST_TLB_SIZE; i++) {
		e.index = i;
		e.pad = 0;
		e.pagemask = masks[rnd() % 4];
		/* Half of them over the code, so programs get going. */
		e.entryhi = (rnd() % 2 ? GUEST_CODE_GPA : random_reg()) &
			    ~0x1fffull & ((1ull << 40) - 1);
		e.entryhi |= rnd() % 4;
		e.entrylo0 = ((random_reg() >> 12) << 6) | (rnd() & 0x3f);
		e.entrylo1 = ((random_reg() >> 12) << 6) | (rnd() & 0x3f);
		ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_TLB, &e));
	}
}

TEST_F_TIMEOUT(fuzz, random_guest_code_through_random_guest_tlb, 300)
{
	random_guest_code(_metadata, &self->t, true);
}

/* Random ioctl numbers and arguments on every kind of fd. */
TEST_F_TIMEOUT(fuzz, random_ioctls, 120)
{
	struct mvm_test_vm *t = &self->t;
	int fds[3] = { t->dev_fd, t->vm_fd, t->vcpu_fd };
	char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int i, ok = 0;

	ASSERT_NE(MAP_FAILED, buf);
	for (i = 0; i < 20000; i++) {
		unsigned long cmd, arg;
		unsigned int nr = rnd() % 0xc0;
		int ret;

		/* Keep MVM_RUN and VM/vCPU creation out: they are tested. */
		if (nr == 0x80 || nr == 0x01 || nr == 0x41)
			continue;
		switch (rnd() % 4) {
		case 0: cmd = _IO(MVMIO, nr); break;
		case 1: cmd = _IOW(MVMIO, nr, char[1 + rnd() % 64]); break;
		case 2: cmd = _IOR(MVMIO, nr, char[1 + rnd() % 64]); break;
		default: cmd = _IOWR(MVMIO, nr, char[1 + rnd() % 64]); break;
		}
		if (rnd() % 2) {
			for (int j = 0; j < 64; j++)
				buf[j] = rnd();
			arg = (unsigned long)buf;
		} else {
			arg = random_reg();
		}
		ret = ioctl(fds[rnd() % 3], cmd, arg);
		if (ret >= 0) {
			ok++;
			/* A new fd from a creating ioctl would leak: none here. */
		}
	}
	TH_LOG("20000 random ioctls, %u succeeded", ok);
	/* Still usable. */
	EXPECT_EQ(MVM_API_VERSION, ioctl(t->dev_fd, MVM_GET_API_VERSION, 0));
}

TEST_HARNESS_MAIN
