// SPDX-License-Identifier: GPL-2.0
/*
 * mvm.ko: /dev/mvm, the entry point of the ioctl ABI (uapi/linux/mvm.h).
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <asm/addrspace.h>
#include <asm/cpu-features.h>
#include <asm/setup.h>
#include "mvm.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

atomic_long_t mvm_pinned_pages = ATOMIC_LONG_INIT(0);

/* Read-only view for the leak tests: pages pinned by all VMs right now. */
static int pinned_pages_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&mvm_pinned_pages));
}

static const struct kernel_param_ops pinned_pages_ops = {
	.get = pinned_pages_get,
};
module_param_cb(pinned_pages, &pinned_pages_ops, NULL, 0444);
MODULE_PARM_DESC(pinned_pages, "guest pages currently pinned by mvm");

long mvm_check_extension(unsigned long cap)
{
	switch (cap) {
	case MVM_CAP_USER_MEMORY:
	case MVM_CAP_READONLY_MEM:
	case MVM_CAP_ONE_REG:
	case MVM_CAP_HYPERCALL:
	case MVM_CAP_GUEST_MMU:
		return 1;
	case MVM_CAP_NR_MEMSLOTS:
		return MVM_MAX_MEMSLOTS;
	case MVM_CAP_NR_VCPUS:
		return MVM_MAX_VCPUS;
	case MVM_CAP_GUEST_TLB:
		return MVM_GUEST_TLB_SIZE;
	case MVM_CAP_IRQ_LINE:
		return MVM_NR_IRQ_LINES;
	case MVM_CAP_USERLOCAL:
		return cpu_has_userlocal;
	case MVM_CAP_GUEST_KERNEL:
		return mvm_gk_supported();
	case MVM_CAP_FLAT_WINDOW:
		return MVM_FLAT_WINDOW_BITS;
	case MVM_CAP_SYNC_REGS:
		return MVM_SYNC_SUPPORTED;
	case MVM_CAP_GUEST_KERNEL_COUNT:
		return mvm_gk_count_supported();
	case MVM_CAP_GUEST_KERNEL_TLB:
	case MVM_CAP_GUEST_KERNEL_ASID:
	case MVM_CAP_GUEST_KERNEL_ERET:
	case MVM_CAP_GUEST_KERNEL_DELIVER:
		return mvm_gk_supported();
	case MVM_CAP_GUEST_KERNEL_TIMER:
	case MVM_CAP_GUEST_KERNEL_WAIT:
		return mvm_gk_timer_supported();
	default:
		return 0;
	}
}

static long mvm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case MVM_GET_API_VERSION:
		return arg ? -EINVAL : MVM_API_VERSION;
	case MVM_CHECK_EXTENSION:
		return mvm_check_extension(arg);
	case MVM_CREATE_VM:
		return mvm_dev_create_vm(arg);
	case MVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mvm_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = mvm_dev_ioctl,
	.compat_ioctl = mvm_dev_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice mvm_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mvm",
	.fops = &mvm_dev_fops,
	.mode = 0666,
};

static int __init mvm_init(void)
{
	BUILD_BUG_ON(sizeof(struct mvm_run) > PAGE_SIZE);
	/*
	 * entry.S saves and restores EBase with 32-bit moves, which only
	 * round-trips a CKSEG0 address (where Linux puts it when the kernel
	 * sits below 512 MB, as on malta); refuse anything else.
	 */
	if (ebase < CKSEG0 || ebase >= CKSEG1) {
		pr_err("mvm: Linux's EBase 0x%lx is outside CKSEG0: unsupported\n",
		       ebase);
		return -ENODEV;
	}
	return misc_register(&mvm_dev);
}

static void __exit mvm_exit(void)
{
	misc_deregister(&mvm_dev);
}

module_init(mvm_init);
module_exit(mvm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mvm: trap-and-emulate hypervisor for MIPS64");
