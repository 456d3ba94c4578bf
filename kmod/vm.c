// SPDX-License-Identifier: GPL-2.0
/*
 * A VM: its memslots, the guest pages pinned behind them, its vCPUs and
 * its interrupt lines.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "mvm.h"

#define MVM_GPA_LIMIT	BIT_ULL(MVM_FLAT_WINDOW_BITS)

static void unpin_range(struct mvm_vm *vm, u64 gpa, u64 size)
{
	unsigned long first = gpa >> PAGE_SHIFT;
	unsigned long last = (gpa + size - 1) >> PAGE_SHIFT;
	unsigned long gfn;
	struct page *page;
	void *decision;	/* a value entry: huge or not */

	xa_for_each_range(&vm->huge, gfn, decision, first / MVM_HUGE_PAGES,
			  last / MVM_HUGE_PAGES)
		xa_erase(&vm->huge, gfn);
	xa_for_each_range(&vm->pins, gfn, page, first, last) {
		xa_erase(&vm->pins, gfn);
		/* Guest stores may have dirtied it through the TLB. */
		unpin_user_pages_dirty_lock(&page, 1, true);
		atomic_long_dec(&mvm_pinned_pages);
	}
}

static void mvm_vm_release(struct kref *ref)
{
	struct mvm_vm *vm = container_of(ref, struct mvm_vm, ref);

	unpin_range(vm, 0, MVM_GPA_LIMIT);
	xa_destroy(&vm->pins);
	xa_destroy(&vm->huge);
	mmdrop(vm->mm);
	kfree(vm);
}

void mvm_vm_put(struct mvm_vm *vm)
{
	kref_put(&vm->ref, mvm_vm_release);
}

static struct mvm_memslot *slot_of_gpa(struct mvm_vm *vm, u64 gpa)
{
	int i;

	for (i = 0; i < MVM_MAX_MEMSLOTS; i++) {
		struct mvm_memslot *s = &vm->slots[i];

		if (s->size && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

bool mvm_vm_gpa_is_ram(struct mvm_vm *vm, u64 gpa)
{
	return slot_of_gpa(vm, gpa);
}

/*
 * Pins the host page behind @gpa (caller holds slots_sem for reading) and
 * returns its pfn. The pin is kept in vm->pins until the slot goes away or
 * the VM dies, so a guest TLB entry never outlives its page.
 */
int mvm_vm_pin_gpa(struct mvm_vm *vm, u64 gpa, bool write, unsigned long *pfn,
		   bool *writable)
{
	struct mvm_memslot *s = slot_of_gpa(vm, gpa);
	unsigned long gfn = gpa >> PAGE_SHIFT;
	unsigned int flags = FOLL_LONGTERM;
	struct page *page;
	int ret;

	if (!s)
		return -ENOENT;
	*writable = !(s->flags & MVM_MEM_READONLY);
	page = xa_load(&vm->pins, gfn);
	if (page) {
		*pfn = page_to_pfn(page);
		return 0;
	}
	if (current->mm != vm->mm)
		return -EFAULT;
	if (*writable)
		flags |= FOLL_WRITE;
	ret = pin_user_pages_fast(s->uaddr + (gpa & PAGE_MASK) - s->gpa, 1,
				  flags, &page);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;
	ret = xa_insert(&vm->pins, gfn, page, GFP_KERNEL);
	if (ret) {
		/* -EBUSY: another vCPU pinned it first; use that pin. */
		unpin_user_page(page);
		if (ret != -EBUSY)
			return ret;
		page = xa_load(&vm->pins, gfn);
		if (!page)
			return -EAGAIN;
		*pfn = page_to_pfn(page);
		return 0;
	}
	atomic_long_inc(&mvm_pinned_pages);
	*pfn = page_to_pfn(page);
	return 0;
}

/*
 * @pages: MVM_HUGE_PAGES pinned pages. Their first pfn if they are
 * consecutive frames from a 2 MiB boundary (each half a 1 MiB TLB page),
 * else 0.
 */
unsigned long mvm_pages_huge(struct page **pages)
{
	unsigned long first = page_to_pfn(pages[0]), i;

	if (!first || first & (MVM_HUGE_PAGES - 1))
		return 0;
	for (i = 1; i < MVM_HUGE_PAGES; i++)
		if (page_to_pfn(pages[i]) != first + i)
			return 0;
	return first;
}

/* Pins all of the 2 MiB region at @base; its first pfn if one huge page backs it. */
static unsigned long pin_region(struct mvm_vm *vm, u64 base)
{
	unsigned long first = 0, pfn, i;
	struct page **pages;
	bool writable;

	pages = kmalloc_array(MVM_HUGE_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return 0;
	for (i = 0; i < MVM_HUGE_PAGES; i++) {
		if (mvm_vm_pin_gpa(vm, base + i * PAGE_SIZE, false, &pfn,
				   &writable))
			break;
		pages[i] = pfn_to_page(pfn);
	}
	if (i == MVM_HUGE_PAGES)
		first = mvm_pages_huge(pages);
	kfree(pages);
	return first;
}

/*
 * Like mvm_vm_pin_gpa, for the whole 2 MiB region around @gpa: true, with
 * the region's first pfn, when one slot covers it and one huge page backs
 * it. The answer is kept with the pins, so a region is mapped one way only.
 */
bool mvm_vm_pin_huge(struct mvm_vm *vm, u64 gpa, unsigned long *pfn,
		     bool *writable)
{
	u64 base = gpa & ~(u64)(MVM_HUGE_SIZE - 1);
	unsigned long index = base / MVM_HUGE_SIZE, first;
	struct mvm_memslot *s = slot_of_gpa(vm, base);
	void *known;

	if (!s || base + MVM_HUGE_SIZE - s->gpa > s->size ||
	    ((s->uaddr - s->gpa) & (MVM_HUGE_SIZE - 1)))
		return false;
	*writable = !(s->flags & MVM_MEM_READONLY);
	known = xa_load(&vm->huge, index);
	if (!known) {
		if (current->mm != vm->mm)
			return false;
		first = pin_region(vm, base);
		known = xa_mk_value(first ? first + 1 : 0);
		if (xa_insert(&vm->huge, index, known, GFP_KERNEL) == -EBUSY)
			known = xa_load(&vm->huge, index);
		if (!known)
			return false;
	}
	if (!xa_to_value(known))
		return false;
	*pfn = xa_to_value(known) - 1;
	return true;
}

/* Copies guest memory (e.g. an instruction to decode) from its memslot. */
int mvm_vm_read_guest(struct mvm_vm *vm, u64 gpa, void *buf, size_t len)
{
	struct mvm_memslot *s = slot_of_gpa(vm, gpa);

	if (!s || gpa + len - s->gpa > s->size)
		return -EFAULT;
	if (copy_from_user(buf, (void __user *)(s->uaddr + gpa - s->gpa), len))
		return -EFAULT;
	return 0;
}

static bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static int check_region(struct mvm_vm *vm,
			const struct mvm_userspace_memory_region *r)
{
	int i;

	if (r->slot >= MVM_MAX_MEMSLOTS)
		return -EINVAL;
	if (r->flags & ~MVM_MEM_READONLY)
		return -EINVAL;
	if (!r->memory_size)
		return 0;
	if ((r->memory_size | r->guest_phys_addr | r->userspace_addr) &
	    ~PAGE_MASK)
		return -EINVAL;
	if (r->guest_phys_addr >= MVM_GPA_LIMIT ||
	    r->memory_size > MVM_GPA_LIMIT - r->guest_phys_addr)
		return -EINVAL;
	if (r->userspace_addr + r->memory_size < r->userspace_addr ||
	    !access_ok((void __user *)(unsigned long)r->userspace_addr,
		       r->memory_size))
		return -EINVAL;
	for (i = 0; i < MVM_MAX_MEMSLOTS; i++) {
		const struct mvm_memslot *s = &vm->slots[i];

		if (i != r->slot && s->size &&
		    ranges_overlap(s->gpa, s->size, r->guest_phys_addr,
				   r->memory_size))
			return -EEXIST;
	}
	return 0;
}

/* Add, move (new guest_phys_addr), change flags of, or delete (size 0) a slot. */
static int set_memory_region(struct mvm_vm *vm,
			     const struct mvm_userspace_memory_region *r)
{
	struct mvm_memslot *s;
	int ret;

	down_write(&vm->slots_sem);
	ret = check_region(vm, r);
	if (ret)
		goto out;
	s = &vm->slots[r->slot];
	if (!r->memory_size)
		ret = s->size ? 0 : -EINVAL;	/* deleting a free slot */
	else if (s->size && (r->memory_size != s->size ||
			     r->userspace_addr != s->uaddr ||
			     ((r->flags ^ s->flags) & MVM_MEM_READONLY)))
		ret = -EINVAL;	/* like KVM: only the address may change */
	if (ret)
		goto out;
	if (s->size) {
		unpin_range(vm, s->gpa, s->size);
		vm->mmu_gen++;
	}
	s->gpa = r->guest_phys_addr;
	s->size = r->memory_size;
	s->uaddr = r->userspace_addr;
	s->flags = r->flags;
out:
	up_write(&vm->slots_sem);
	return ret;
}

static int irq_line(struct mvm_vm *vm, const struct mvm_irq_level *l)
{
	if (l->irq >= MVM_NR_IRQ_LINES || l->level > 1)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (l->level)
		vm->irq_lines |= 1u << l->irq;
	else
		vm->irq_lines &= ~(1u << l->irq);
	mutex_unlock(&vm->lock);
	return 0;
}

static long mvm_vm_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct mvm_vm *vm = file->private_data;
	void __user *uarg = (void __user *)arg;

	/* As KVM's: the same answers on a VM fd as on /dev/mvm. */
	if (cmd == MVM_CHECK_EXTENSION)
		return mvm_check_extension(arg);
	if (current->mm != vm->mm)
		return -EIO;
	switch (cmd) {
	case MVM_SET_USER_MEMORY_REGION: {
		struct mvm_userspace_memory_region r;

		if (copy_from_user(&r, uarg, sizeof(r)))
			return -EFAULT;
		return set_memory_region(vm, &r);
	}
	case MVM_CREATE_VCPU:
		return mvm_vcpu_create(vm, arg);
	case MVM_IRQ_LINE: {
		struct mvm_irq_level l;

		if (copy_from_user(&l, uarg, sizeof(l)))
			return -EFAULT;
		return irq_line(vm, &l);
	}
	default:
		return -ENOTTY;
	}
}

static int mvm_vm_file_release(struct inode *inode, struct file *file)
{
	mvm_vm_put(file->private_data);
	return 0;
}

static const struct file_operations mvm_vm_fops = {
	.owner = THIS_MODULE,
	.release = mvm_vm_file_release,
	.unlocked_ioctl = mvm_vm_ioctl,
	.compat_ioctl = mvm_vm_ioctl,
	.llseek = noop_llseek,
};

long mvm_dev_create_vm(unsigned long type)
{
	struct mvm_vm *vm;
	int fd;

	if (type)
		return -EINVAL;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	init_rwsem(&vm->slots_sem);
	xa_init(&vm->pins);
	xa_init(&vm->huge);
	vm->mm = current->mm;
	mmgrab(vm->mm);
	fd = anon_inode_getfd("mvm-vm", &mvm_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		mvm_vm_put(vm);
	return fd;
}
