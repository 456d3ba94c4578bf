// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "mvm_util.h"

int mvm_open_dev(void)
{
	int fd = open("/dev/mvm", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int mvm_set_region(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa,
		   uint64_t size, void *uaddr)
{
	struct mvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)uaddr,
	};

	return ioctl(vm_fd, MVM_SET_USER_MEMORY_REGION, &r) ? -errno : 0;
}

int mvm_vm_create(struct mvm_test_vm *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->vm_fd = t->vcpu_fd = -1;
	t->dev_fd = mvm_open_dev();
	if (t->dev_fd < 0)
		return t->dev_fd;
	t->vm_fd = ioctl(t->dev_fd, MVM_CREATE_VM, 0);
	if (t->vm_fd < 0)
		return -errno;
	t->vcpu_fd = ioctl(t->vm_fd, MVM_CREATE_VCPU, 0);
	if (t->vcpu_fd < 0)
		return -errno;
	t->run = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		      t->vcpu_fd, 0);
	if (t->run == MAP_FAILED) {
		t->run = NULL;
		return -errno;
	}
	t->ram_gpa = GUEST_RAM_GPA;
	t->ram_size = GUEST_RAM_SIZE;
	t->ram = mmap(NULL, t->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->ram == MAP_FAILED) {
		t->ram = NULL;
		return -errno;
	}
	ret = mvm_set_region(t->vm_fd, 0, 0, t->ram_gpa, t->ram_size, t->ram);
	return ret;
}

void mvm_vm_destroy(struct mvm_test_vm *t)
{
	if (t->run)
		munmap(t->run, getpagesize());
	if (t->vcpu_fd >= 0)
		close(t->vcpu_fd);
	if (t->vm_fd >= 0)
		close(t->vm_fd);
	if (t->dev_fd >= 0)
		close(t->dev_fd);
	if (t->ram)
		munmap(t->ram, t->ram_size);
	memset(t, 0, sizeof(*t));
	t->dev_fd = t->vm_fd = t->vcpu_fd = -1;
}

void *mvm_gpa_ptr(struct mvm_test_vm *t, uint64_t gpa)
{
	if (gpa < t->ram_gpa || gpa >= t->ram_gpa + t->ram_size)
		return NULL;
	return (char *)t->ram + (gpa - t->ram_gpa);
}

int mvm_load_code(struct mvm_test_vm *t, uint64_t gpa, const void *code,
		  size_t len)
{
	struct mvm_regs r;
	void *dst = mvm_gpa_ptr(t, gpa);

	if (!dst || !mvm_gpa_ptr(t, gpa + len - 1))
		return -EINVAL;
	memcpy(dst, code, len);
	memset(&r, 0, sizeof(r));
	r.pc = gpa;
	return ioctl(t->vcpu_fd, MVM_SET_REGS, &r) ? -errno : 0;
}

int mvm_get_regs(struct mvm_test_vm *t, struct mvm_regs *r)
{
	return ioctl(t->vcpu_fd, MVM_GET_REGS, r) ? -errno : 0;
}

int mvm_set_cp0(struct mvm_test_vm *t, int reg, int sel, uint64_t val)
{
	struct mvm_one_reg r = { MVM_REG_CP0(reg, sel), (uintptr_t)&val };

	return ioctl(t->vcpu_fd, MVM_SET_ONE_REG, &r) ? -errno : 0;
}

int mvm_set_tlb(struct mvm_test_vm *t, uint32_t index, uint64_t hi,
		uint64_t lo0, uint64_t lo1, uint64_t pagemask)
{
	struct mvm_tlb_entry e = {
		.index = index, .entryhi = hi, .entrylo0 = lo0,
		.entrylo1 = lo1, .pagemask = pagemask,
	};

	return ioctl(t->vcpu_fd, MVM_SET_TLB, &e) ? -errno : 0;
}

int mvm_set_reg(struct mvm_test_vm *t, int reg, uint64_t val)
{
	struct mvm_regs r;
	int ret = mvm_get_regs(t, &r);

	if (ret)
		return ret;
	if (reg < 32)
		r.gpr[reg] = val;
	else
		r.pc = val;
	return ioctl(t->vcpu_fd, MVM_SET_REGS, &r) ? -errno : 0;
}

uint64_t mvm_reg(struct mvm_test_vm *t, int reg)
{
	struct mvm_regs r;

	if (mvm_get_regs(t, &r))
		return 0xdeadbeefdeadbeefull;
	return reg < 32 ? r.gpr[reg] : r.pc;
}

int mvm_run(struct mvm_test_vm *t)
{
	return ioctl(t->vcpu_fd, MVM_RUN, 0) ? -errno : 0;
}

const char *mvm_exit_name(uint32_t reason)
{
	switch (reason) {
	case MVM_EXIT_MMIO: return "MMIO";
	case MVM_EXIT_HYPERCALL: return "HYPERCALL";
	case MVM_EXIT_INTR: return "INTR";
	case MVM_EXIT_INTERNAL_ERROR: return "INTERNAL_ERROR";
	case MVM_EXIT_EXCEPTION: return "EXCEPTION";
	default: return "UNKNOWN";
	}
}

long mvm_pinned_pages(void)
{
	FILE *f = fopen("/sys/module/mvm/parameters/pinned_pages", "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}
