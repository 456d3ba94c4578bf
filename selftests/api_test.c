// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI without running guests: versions, extensions, object
 * lifetimes, memslot rules, the run mapping, and bad arguments everywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

/* An address userspace may not pass: the kernel's own. */
#define KERNEL_PTR	((void *)0xffffffff80100000ul)

static int open_dev_or_skip(struct __test_metadata *_metadata)
{
	int fd = mvm_open_dev();

	if (fd == -ENOENT)
		SKIP(return -1, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_LE(0, fd);
	return fd;
}

#define OPEN_DEV(fd) do {				\
	fd = open_dev_or_skip(_metadata);		\
	if (fd < 0)					\
		return;					\
} while (0)

TEST(api_version)
{
	int fd;

	OPEN_DEV(fd);
	EXPECT_EQ(MVM_API_VERSION, ioctl(fd, MVM_GET_API_VERSION, 0));
	EXPECT_EQ(-1, ioctl(fd, MVM_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(getpagesize(), ioctl(fd, MVM_GET_VCPU_MMAP_SIZE, 0));
	close(fd);
}

TEST(extensions)
{
	int fd;

	OPEN_DEV(fd);
	EXPECT_EQ(1, ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_USER_MEMORY));
	EXPECT_EQ(1, ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_READONLY_MEM));
	EXPECT_EQ(1, ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_ONE_REG));
	EXPECT_EQ(1, ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_HYPERCALL));
	EXPECT_EQ(MVM_MAX_MEMSLOTS,
		  ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_NR_MEMSLOTS));
	EXPECT_EQ(MVM_MAX_VCPUS, ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_NR_VCPUS));
	EXPECT_EQ(MVM_GUEST_TLB_SIZE,
		  ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_TLB));
	EXPECT_EQ(MVM_NR_IRQ_LINES,
		  ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_IRQ_LINE));
	EXPECT_EQ(MVM_FLAT_WINDOW_BITS,
		  ioctl(fd, MVM_CHECK_EXTENSION, MVM_CAP_FLAT_WINDOW));
	EXPECT_EQ(0, ioctl(fd, MVM_CHECK_EXTENSION, 0));
	EXPECT_EQ(0, ioctl(fd, MVM_CHECK_EXTENSION, 12345));
	EXPECT_EQ(0, ioctl(fd, MVM_CHECK_EXTENSION, -1ul));
	close(fd);
}

TEST(create_destroy_vm_and_vcpus)
{
	int fd, vm, vm2, vcpu[MVM_MAX_VCPUS], i;

	OPEN_DEV(fd);
	EXPECT_EQ(-1, ioctl(fd, MVM_CREATE_VM, 1));
	EXPECT_EQ(EINVAL, errno);
	vm = ioctl(fd, MVM_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	vm2 = ioctl(fd, MVM_CREATE_VM, 0);
	ASSERT_LE(0, vm2);
	for (i = 0; i < MVM_MAX_VCPUS; i++) {
		vcpu[i] = ioctl(vm, MVM_CREATE_VCPU, i);
		ASSERT_LE(0, vcpu[i]) TH_LOG("vcpu %d: %s", i, strerror(errno));
	}
	EXPECT_EQ(-1, ioctl(vm, MVM_CREATE_VCPU, 0));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, ioctl(vm, MVM_CREATE_VCPU, MVM_MAX_VCPUS));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vm, MVM_CREATE_VCPU, -1ul));
	EXPECT_EQ(EINVAL, errno);
	/* Ids are per VM. */
	i = ioctl(vm2, MVM_CREATE_VCPU, 0);
	EXPECT_LE(0, i);
	close(i);
	/* A closed vCPU's id can be used again. */
	close(vcpu[3]);
	vcpu[3] = ioctl(vm, MVM_CREATE_VCPU, 3);
	EXPECT_LE(0, vcpu[3]);
	/* The VM lives on while vCPUs hold it. */
	close(vm);
	close(vm2);
	EXPECT_EQ(0, ioctl(vcpu[1], MVM_GET_REGS, &(struct mvm_regs){ 0 }));
	for (i = 0; i < MVM_MAX_VCPUS; i++)
		close(vcpu[i]);
	close(fd);
}

FIXTURE(slots) {
	int dev, vm;
	char *mem;
	size_t size;
};

FIXTURE_SETUP(slots)
{
	self->vm = -1;
	self->dev = open_dev_or_skip(_metadata);
	if (self->dev < 0)
		return;
	self->vm = ioctl(self->dev, MVM_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
	self->size = 64 * getpagesize();
	self->mem = mmap(NULL, self->size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
}

FIXTURE_TEARDOWN(slots)
{
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

#define SET(slot, flags, gpa, size, uaddr) \
	mvm_set_region(self->vm, slot, flags, gpa, size, uaddr)

TEST_F(slots, add_move_delete)
{
	size_t pg = getpagesize();

	EXPECT_EQ(0, SET(0, 0, 0x100000, 16 * pg, self->mem));
	/* Move: same size and memory, new address. */
	EXPECT_EQ(0, SET(0, 0, 0x200000, 16 * pg, self->mem));
	/* Neither the size nor the memory nor read-only may change. */
	EXPECT_EQ(-EINVAL, SET(0, 0, 0x200000, 8 * pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0, 0x200000, 16 * pg, self->mem + pg));
	EXPECT_EQ(-EINVAL, SET(0, MVM_MEM_READONLY, 0x200000, 16 * pg,
			       self->mem));
	EXPECT_EQ(0, SET(0, 0, 0x200000, 0, NULL));	/* delete */
	EXPECT_EQ(-EINVAL, SET(0, 0, 0x200000, 0, NULL)); /* already gone */
	EXPECT_EQ(0, SET(0, MVM_MEM_READONLY, 0x200000, 16 * pg, self->mem));
}

TEST_F(slots, overlap)
{
	size_t pg = getpagesize();

	ASSERT_EQ(0, SET(0, 0, 0x100000, 16 * pg, self->mem));
	EXPECT_EQ(-EEXIST, SET(1, 0, 0x100000, pg, self->mem + 16 * pg));
	EXPECT_EQ(-EEXIST, SET(1, 0, 0x100000 + 15 * pg, 2 * pg,
			       self->mem + 16 * pg));
	EXPECT_EQ(-EEXIST, SET(1, 0, 0x100000 - pg, 2 * pg,
			       self->mem + 16 * pg));
	EXPECT_EQ(-EEXIST, SET(1, 0, 0x0f0000, 64 * pg, self->mem));
	/* Adjacent on both sides is fine. */
	EXPECT_EQ(0, SET(1, 0, 0x100000 + 16 * pg, pg, self->mem + 16 * pg));
	EXPECT_EQ(0, SET(2, 0, 0x100000 - pg, pg, self->mem + 17 * pg));
	/* Moving onto a neighbour overlaps too. */
	EXPECT_EQ(-EEXIST, SET(1, 0, 0x100000, pg, self->mem + 16 * pg));
}

TEST_F(slots, alignment_and_size)
{
	size_t pg = getpagesize();

	EXPECT_EQ(-EINVAL, SET(0, 0, 0x100000 + 8, pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0, 0x100000, pg + 1, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0, 0x100000, pg, self->mem + 1));
	EXPECT_EQ(-EINVAL, SET(0, 0, 0x100000, 0, self->mem)); /* zero: delete */
	/* Beyond the guest physical window, or wrapping around. */
	EXPECT_EQ(-EINVAL, SET(0, 0, 1ull << MVM_FLAT_WINDOW_BITS, pg,
			       self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0, (1ull << MVM_FLAT_WINDOW_BITS) - pg,
			       2 * pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0, -pg, 2 * pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0, 0, -pg, self->mem));
}

TEST_F(slots, bad_slot_flags_and_pointers)
{
	size_t pg = getpagesize();

	EXPECT_EQ(-EINVAL, SET(MVM_MAX_MEMSLOTS, 0, 0, pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(-1u, 0, 0, pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 1, 0, pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0x80000000u, 0, pg, self->mem));
	EXPECT_EQ(-EINVAL, SET(0, 0, 0, pg, KERNEL_PTR));
	EXPECT_EQ(-EINVAL, SET(0, 0, 0, pg, (void *)-(long)pg));
	EXPECT_EQ(-1, ioctl(self->vm, MVM_SET_USER_MEMORY_REGION, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->vm, MVM_SET_USER_MEMORY_REGION, KERNEL_PTR));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(slots, too_many_slots)
{
	size_t pg = getpagesize();
	int i;

	for (i = 0; i < MVM_MAX_MEMSLOTS; i++)
		ASSERT_EQ(0, SET(i, 0, 0x100000 + i * pg, pg, self->mem))
			TH_LOG("slot %d", i);
	EXPECT_EQ(-EINVAL, SET(MVM_MAX_MEMSLOTS, 0, 0x800000, pg, self->mem));
	/* Freeing one makes room again. */
	EXPECT_EQ(0, SET(7, 0, 0, 0, NULL));
	EXPECT_EQ(0, SET(7, 0, 0x800000, pg, self->mem));
}

FIXTURE(vcpu) {
	int dev, vm, vcpu;
};

FIXTURE_SETUP(vcpu)
{
	self->vm = self->vcpu = -1;
	self->dev = open_dev_or_skip(_metadata);
	if (self->dev < 0)
		return;
	self->vm = ioctl(self->dev, MVM_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
	self->vcpu = ioctl(self->vm, MVM_CREATE_VCPU, 0);
	ASSERT_LE(0, self->vcpu);
}

FIXTURE_TEARDOWN(vcpu)
{
	if (self->vcpu >= 0)
		close(self->vcpu);
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

TEST_F(vcpu, mmap_run)
{
	size_t pg = getpagesize();
	struct mvm_run *run;
	void *p;

	run = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->vcpu, 0);
	ASSERT_NE(MAP_FAILED, run);
	EXPECT_EQ(0, run->exit_reason);
	run->immediate_exit = 1;
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_RUN, 0));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(MVM_EXIT_INTR, run->exit_reason);
	/* A second mapping sees the same page. */
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, self->vcpu, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(MVM_EXIT_INTR, ((struct mvm_run *)p)->exit_reason);
	munmap(p, pg);
	munmap(run, pg);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED,
				   self->vcpu, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pg, PROT_READ, MAP_SHARED,
				   self->vcpu, pg));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vcpu, regs_round_trip)
{
	struct mvm_regs in, out;
	int i;

	for (i = 0; i < 32; i++)
		in.gpr[i] = 0x0101010101010101ull * i;
	in.hi = 0x1234;
	in.lo = 0x5678;
	in.pc = 0x10000;
	ASSERT_EQ(0, ioctl(self->vcpu, MVM_SET_REGS, &in));
	ASSERT_EQ(0, ioctl(self->vcpu, MVM_GET_REGS, &out));
	in.gpr[0] = 0;
	EXPECT_EQ(0, memcmp(&in, &out, sizeof(in)));
}

TEST_F(vcpu, one_reg_cp0_and_irq_lines)
{
	uint64_t val = 0xabcdef, got = 0;
	struct mvm_one_reg r = { MVM_REG_CP0(12, 0), (uintptr_t)&val };
	struct mvm_irq_level irq = { 3, 1 };

	ASSERT_EQ(0, ioctl(self->vcpu, MVM_SET_ONE_REG, &r));
	r.addr = (uintptr_t)&got;
	ASSERT_EQ(0, ioctl(self->vcpu, MVM_GET_ONE_REG, &r));
	EXPECT_EQ(val, got);
	/* Cause.IP2..7 follow MVM_IRQ_LINE. */
	ASSERT_EQ(0, ioctl(self->vm, MVM_IRQ_LINE, &irq));
	r.id = MVM_REG_CP0(13, 0);
	ASSERT_EQ(0, ioctl(self->vcpu, MVM_GET_ONE_REG, &r));
	EXPECT_EQ(1u << (10 + 3), got & 0xfc00);
	irq.level = 0;
	ASSERT_EQ(0, ioctl(self->vm, MVM_IRQ_LINE, &irq));
	ASSERT_EQ(0, ioctl(self->vcpu, MVM_GET_ONE_REG, &r));
	EXPECT_EQ(0, got & 0xfc00);
	irq.irq = MVM_NR_IRQ_LINES;
	EXPECT_EQ(-1, ioctl(self->vm, MVM_IRQ_LINE, &irq));
	EXPECT_EQ(EINVAL, errno);
	irq.irq = 0;
	irq.level = 2;
	EXPECT_EQ(-1, ioctl(self->vm, MVM_IRQ_LINE, &irq));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vcpu, guest_tlb_round_trip)
{
	struct mvm_tlb_entry e = {
		.index = 5, .entryhi = 0x40000000 | 7, .entrylo0 = 0x1007,
		.entrylo1 = 0x1047, .pagemask = 0x6000,
	}, got = { .index = 5 };

	ASSERT_EQ(0, ioctl(self->vcpu, MVM_SET_TLB, &e));
	ASSERT_EQ(0, ioctl(self->vcpu, MVM_GET_TLB, &got));
	EXPECT_EQ(0, memcmp(&e, &got, sizeof(e)));
	e.pagemask = 0x2000;		/* not a valid page size */
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_SET_TLB, &e));
	EXPECT_EQ(EINVAL, errno);
	e.pagemask = 0;
	e.index = MVM_GUEST_TLB_SIZE;
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_SET_TLB, &e));
	EXPECT_EQ(EINVAL, errno);
	got.index = MVM_GUEST_TLB_SIZE;
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_GET_TLB, &got));
	EXPECT_EQ(EINVAL, errno);
}

/* Every ioctl, fed bad numbers, sizes and pointers, returns an errno. */
TEST_F(vcpu, bad_arguments)
{
	struct mvm_one_reg r = { MVM_REG_CP0(12, 0), 0 };
	static const unsigned long bad_ptrs[] = {
		0, 1, (unsigned long)KERNEL_PTR, -1ul,
	};
	unsigned int i;

	/* Unknown ioctls and wrong sizes on each kind of fd. */
	EXPECT_EQ(-1, ioctl(self->dev, _IO(MVMIO, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vm, _IO(MVMIO, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vcpu, _IO(MVMIO, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vm, _IOW(MVMIO, 0x46, uint32_t), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vcpu, _IOR(MVMIO, 0x81, uint64_t), 0));
	EXPECT_EQ(ENOTTY, errno);
	/* vCPU ioctls on the VM fd and the reverse. */
	EXPECT_EQ(-1, ioctl(self->vm, MVM_RUN, 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_CREATE_VCPU, 1));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->dev, MVM_RUN, 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_RUN, 1));
	EXPECT_EQ(EINVAL, errno);

	for (i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
		unsigned long p = bad_ptrs[i];

		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_GET_REGS, p));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_SET_REGS, p));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_GET_ONE_REG, p));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_SET_ONE_REG, p));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_GET_TLB, p));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_SET_TLB, p));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vm, MVM_IRQ_LINE, p));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vm, MVM_SET_USER_MEMORY_REGION, p));
		EXPECT_EQ(EFAULT, errno);
		/* ONE_REG's value pointer. */
		r.addr = p;
		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_GET_ONE_REG, &r));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(self->vcpu, MVM_SET_ONE_REG, &r));
		EXPECT_EQ(EFAULT, errno);
	}
	/* ONE_REG ids outside CP0. */
	r.addr = (uintptr_t)&i;
	r.id = 0;
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_GET_ONE_REG, &r));
	EXPECT_EQ(EINVAL, errno);
	r.id = MVM_REG_CP0_BASE + 0x100;
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_SET_ONE_REG, &r));
	EXPECT_EQ(EINVAL, errno);
	r.id = -1ull;
	EXPECT_EQ(-1, ioctl(self->vcpu, MVM_GET_ONE_REG, &r));
	EXPECT_EQ(EINVAL, errno);
}

/* A VM fd used from another process (another mm) is refused. */
TEST_F(vcpu, other_process)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mvm_regs regs;
		int ok = ioctl(self->vm, MVM_CREATE_VCPU, 1) == -1 &&
			 errno == EIO &&
			 ioctl(self->vcpu, MVM_GET_REGS, &regs) == 0 &&
			 ioctl(self->vcpu, MVM_RUN, 0) == -1 && errno == EIO;
		_exit(ok ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_HARNESS_MAIN
