// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU: its file descriptor, its registers, and MVM_RUN, which enters the
 * guest on this CPU and loops until an exit needs userspace.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>
#include <asm/mmu_context.h>
#include <asm/pgtable.h>
#include <asm/tlb.h>
#include <asm/hazards.h>
#include "mvm.h"
#include "trace.h"

/* IntCtl.VS: the spacing of vectored interrupts. */
#define INTCTLF_VS		(0x1f << 5)

/* The vector page and the context page must be reachable through CKSEG0. */
#define MVM_CKSEG0_LIMIT	0x20000000ul

static unsigned long alloc_vector_pages(void)
{
	static const gfp_t tries[] = { GFP_KERNEL, GFP_KERNEL | GFP_DMA };
	struct page *page;
	int i;

	for (i = 0; i < ARRAY_SIZE(tries); i++) {
		page = alloc_pages(tries[i] | __GFP_ZERO, 1);
		if (!page)
			continue;
		if (page_to_phys(page) + 2 * PAGE_SIZE <= MVM_CKSEG0_LIMIT)
			return CKSEG0 | page_to_phys(page);
		__free_pages(page, 1);
	}
	return 0;
}

static void free_vector_pages(unsigned long kseg0)
{
	__free_pages(pfn_to_page(CPHYSADDR(kseg0) >> PAGE_SHIFT), 1);
}

/* Copies the entry/vector blob (entry.S) into the vCPU's vector page. */
static void install_vectors(struct mvm_vcpu *v)
{
	size_t len = mvm_vectors_end - mvm_vectors_start;

	BUILD_BUG_ON(MVM_CTX_PAGE != PAGE_SIZE);
	memcpy((void *)v->vec_page, mvm_vectors_start, len);
	flush_icache_range(v->vec_page, v->vec_page + len);
}

/*
 * Host Status with user mode, UX and interrupts on, and no coprocessor or
 * DSP access: the guest must not see or change the real CP0, nor the VMM
 * thread's FPU/MSA/DSP state.
 */
static u64 guest_status(void)
{
	u32 st = read_c0_status();

	st &= ~(ST0_CU | ST0_MX | ST0_KSU | ST0_ERL | ST0_BEV | ST0_IE |
		ST0_EXL);
	return st | KSU_USER | ST0_EXL | ST0_IE | ST0_UX;
}

/* Interrupts off; through the vector page (entry.S: why it is unmapped code). */
static void write_pending_tlb(struct mvm_vcpu *v, unsigned long asid)
{
	void (*write)(unsigned long entryhi, unsigned long lo0,
		      unsigned long lo1, unsigned long pagemask);

	write = (void *)(v->vec_page + (mvm_tlb_write - mvm_vectors_start));
	write(v->tlb.entryhi | asid, v->tlb.entrylo[0], v->tlb.entrylo[1],
	      v->tlb.pagemask);
	v->tlb.valid = false;
}

/* Drops every host ASID of @mm: its TLB entries become unreachable. */
static void drop_mm(struct mm_struct *mm)
{
	int c;

	if (!mm)
		return;
	for_each_possible_cpu(c)
		set_cpu_context(c, mm, 0);
}

/* Drops the host ASIDs of guest ASIDs [first, last]. */
static void drop_mms(struct mvm_vcpu *v, unsigned int first, unsigned int last)
{
	unsigned int i;

	for (i = first; i <= last; i++)
		drop_mm(v->asid_mms[i]);
}

/* Beyond this many host page pairs per guest entry, a whole ASID goes. */
#define MVM_INV_MAX_PAIRS	16

/*
 * Host TLB entries made from guest translations in [base, base + size)
 * under guest ASID @asid must die. On this CPU each host pair of the range
 * is probed and invalidated under that ASID's host ASID (in the vector
 * page: unmapped code); on the other CPUs, where this vCPU may have run,
 * the dummy mm loses its ASID. Large or odd ranges drop the whole ASID.
 */
static void shadow_invalidate(struct mvm_vcpu *v, struct mm_struct *mm,
			      u64 base, u64 size)
{
	void (*inv)(unsigned long va, unsigned long npairs, unsigned long shift,
		    unsigned long asid);
	u64 pair = 2 * PAGE_SIZE, end, ctx;
	unsigned long flags;
	int cpu, c;

	if (!mm)
		return;
	end = ALIGN(base + size, pair);
	base &= ~(pair - 1);
	if (base + size < base || end > BIT_ULL(cpu_vmbits) ||
	    (end - base) / pair > MVM_INV_MAX_PAIRS) {
		drop_mm(mm);
		return;
	}
	inv = (void *)(v->vec_page + (mvm_tlb_invalidate - mvm_vectors_start));
	local_irq_save(flags);
	cpu = smp_processor_id();
	for_each_possible_cpu(c)
		if (c != cpu)
			set_cpu_context(c, mm, 0);
	ctx = cpu_context(cpu, mm);
	/* An ASID of an older generation has no entries left. */
	if (ctx && !((ctx ^ asid_cache(cpu)) & asid_version_mask(cpu))) {
		htw_stop();
		inv(base, (end - base) / pair, PAGE_SHIFT + 1,
		    cpu_asid(cpu, mm));
		htw_start();
	}
	local_irq_restore(flags);
}

/* Guest kernel segments: xkseg from 0xc000..., ckseg at 0xffffffff80000000. */
#define MVM_GK_SEG_BITS		MVM_FLAT_WINDOW_BITS
#define MVM_GK_CKSEG_LOW	(BIT_ULL(MVM_GK_SEG_BITS) - BIT_ULL(31))

/*
 * The host entries of guest ASID @asid's kernel-mode address space that
 * guest translations of [base, base + size) may have made: the same
 * address for xuseg, the xkseg window for an R = 3 entry, and the ckseg
 * window when it lies in the top 2 GiB (ckseg2/3 alias those, as the TLB
 * compares only R and VPN2, not the fill bits).
 */
static void gk_shadow_invalidate(struct mvm_vcpu *v, u64 base, u64 size,
				 unsigned int asid)
{
	struct mm_struct *mm = v->asid_mms[MVM_GK_MM(asid)];
	u64 low = base & (BIT_ULL(MVM_GK_SEG_BITS) - 1), start;

	if (!mm)
		return;
	if (size > BIT_ULL(31)) {
		drop_mm(mm);
		return;
	}
	switch (base >> 62) {
	case 0:
		if (base < BIT_ULL(MVM_GK_SEG_BITS))
			shadow_invalidate(v, mm, base, size);
		break;
	case 3:
		shadow_invalidate(v, mm, MVM_GK_XKSEG_BASE + low, size);
		if (low + size > MVM_GK_CKSEG_LOW) {
			start = max(low, MVM_GK_CKSEG_LOW);
			shadow_invalidate(v, mm, MVM_GK_CKSEG_BASE +
					  (start - MVM_GK_CKSEG_LOW),
					  low + size - start);
		}
		break;
	}
}

/* Drops the host entries translations through guest entry @e may have made. */
static void shadow_drop_entry(struct mvm_vcpu *v, const struct mvm_tlb_entry *e)
{
	u64 mask = e->pagemask | 0x1fff;
	unsigned int asid = e->entryhi & 0xff;

	/*
	 * Guest user mode (host addresses below 2^SEGBITS) only ever matches
	 * entries with R = 0: a kernel segment's (R = 3) host entries live in
	 * the guest-kernel address spaces alone.
	 */
	if (mvm_tlb_entry_global(e) && !(e->entryhi >> 62)) {
		drop_mms(v, 0, 255);
		drop_mms(v, MVM_GK_MM(0), MVM_GK_MM(255));
		v->shadowed = 0;	/* all of them are unreachable now */
	} else if (mvm_tlb_entry_global(e)) {
		for (asid = 0; asid < 256; asid++)
			gk_shadow_invalidate(v, e->entryhi & ~mask, mask + 1,
					     asid);
	} else {
		if (!(e->entryhi >> 62))
			shadow_invalidate(v, v->asid_mms[asid],
					  e->entryhi & ~mask, mask + 1);
		gk_shadow_invalidate(v, e->entryhi & ~mask, mask + 1, asid);
	}
}

/*
 * Does guest entry @idx hide (lookups take the first match) an entry after
 * it which host entries came from?
 */
static bool shadows_another(struct mvm_vcpu *v, unsigned int idx)
{
	const struct mvm_tlb_entry *e = &v->guest_tlb[idx];
	u64 me = e->pagemask | 0x1fff;
	unsigned int k;

	for (k = idx + 1; k < MVM_GUEST_TLB_SIZE; k++) {
		const struct mvm_tlb_entry *o = &v->guest_tlb[k];
		u64 mo = o->pagemask | 0x1fff;

		if (!(v->shadowed & BIT_ULL(k)))
			continue;
		if (!mvm_tlb_entry_global(e) && !mvm_tlb_entry_global(o) &&
		    (e->entryhi & 0xff) != (o->entryhi & 0xff))
			continue;
		if (!((e->entryhi ^ o->entryhi) & ~(me | mo) &
		      GENMASK_ULL(63, 13)))
			return true;
	}
	return false;
}

/*
 * The vector page has one interrupt vector, at 0x200: with vectored or EIC
 * interrupts, spacing (IntCtl.VS) 0 sends them all there. Returns the
 * IntCtl to restore, 0 when nothing changed.
 */
static u32 vectored_interrupts_off(void)
{
	u32 intctl;

	if (!cpu_has_vint && !cpu_has_veic)
		return 0;
	intctl = read_c0_intctl();
	if (!(intctl & INTCTLF_VS))
		return 0;
	write_c0_intctl(intctl & ~INTCTLF_VS);
	back_to_back_c0_hazard();
	return intctl;
}

/*
 * One trip into the guest, interrupts off from the ASID check to the
 * exit, so the ASID, the TLB entry and EBase all belong to this CPU.
 */
static void enter_guest(struct mvm_vcpu *v)
{
	void (*enter)(struct mvm_ctx *ctx);
	unsigned long flags, asid, host_ul = 0;
	bool ulri = cpu_has_userlocal;
	u32 intctl, hwrena, guest_hwrena;
	int cpu;

	enter = (void *)(v->vec_page + (mvm_enter_guest - mvm_vectors_start));
	local_irq_save(flags);
	cpu = smp_processor_id();
	if (v->seen_mmu_gen != v->vm->mmu_gen) {
		/* Memslots changed: every host entry of the vCPU goes. */
		drop_mms(v, 0, MVM_NR_ASID_MMS - 1);
		v->shadowed = 0;
		v->seen_mmu_gen = v->vm->mmu_gen;
		v->tlb.valid = false;
	}
	check_mmu_context(v->cur_mm);
	/*
	 * If that rolled the ASID generation over (and flushed the TLB), the
	 * VMM's own ASID is stale: take a fresh one before entry.S saves
	 * EntryHi, as a context switch would.
	 */
	check_switch_mmu_context(current->mm);
	asid = cpu_asid(cpu, v->cur_mm);
	/* A refill resolved for another mode's address space never goes in. */
	if (v->tlb.valid && v->tlb.mm == v->cur_mm)
		write_pending_tlb(v, asid);
	v->tlb.valid = false;
	v->ctx->guest_status = guest_status();
	v->ctx->guest_entryhi = asid;
	trace_mvm_enter(v->id, v->ctx->pc);
	/*
	 * A hardware page-table walker would resolve guest misses through
	 * the VMM's page tables (PWBase is the current mm's): off in guest mode.
	 */
	htw_stop();
	intctl = vectored_interrupts_off();
	/*
	 * The host's HWREna would let the guest read the VMM thread's
	 * UserLocal (a host address) and host counters. In guest mode only
	 * UserLocal may be enabled, by the guest's own HWREna, and it then
	 * holds the guest's UserLocal: `rdhwr $29` (TLS) runs natively.
	 * Patched kernel code may also read the host's Count (`rdhwr $2`,
	 * MVM_CAP_GUEST_KERNEL_COUNT): the patcher derives the guest's Count
	 * from it; the guest's own rdhwr never runs natively there. Every
	 * other rdhwr is a reserved instruction, an exit the VMM emulates.
	 * Interrupts stay off until the host's are back.
	 */
	hwrena = read_c0_hwrena();
	guest_hwrena = v->kmode && mvm_gk_count_supported() ? MIPS_HWRENA_CC : 0;
	if (ulri) {
		host_ul = read_c0_userlocal();
		write_c0_userlocal(v->cp0[4][2]);
		guest_hwrena |= v->cp0[7][0] & MIPS_HWRENA_ULR;
	}
	write_c0_hwrena(guest_hwrena);
	enter(v->ctx);
	if (ulri)
		write_c0_userlocal(host_ul);
	write_c0_hwrena(hwrena);
	if (intctl)
		write_c0_intctl(intctl);
	htw_start();
	local_irq_restore(flags);
}

/*
 * The dummy mm of the current guest ASID in the current mode (or flat
 * mode's), allocated once.
 */
int mvm_vcpu_select_mm(struct mvm_vcpu *v)
{
	unsigned int i = v->guest_mmu ? v->cp0[10][0] & 0xff : MVM_FLAT_MM;

	if (v->kmode)
		i = MVM_GK_MM(i);

	if (!v->asid_mms[i]) {
		v->asid_mms[i] = kzalloc(sizeof(*v->asid_mms[i]),
					 GFP_KERNEL_ACCOUNT);
		if (!v->asid_mms[i])
			return -ENOMEM;
	}
	v->cur_mm = v->asid_mms[i];
	return 0;
}

static void get_regs(struct mvm_vcpu *v, struct mvm_regs *r)
{
	memcpy(r->gpr, v->ctx->gpr, sizeof(r->gpr));
	r->gpr[0] = 0;
	r->hi = v->ctx->hi;
	r->lo = v->ctx->lo;
	r->pc = v->ctx->pc;
}

static void set_regs(struct mvm_vcpu *v, const struct mvm_regs *r)
{
	memcpy(v->ctx->gpr, r->gpr, sizeof(r->gpr));
	v->ctx->gpr[0] = 0;
	v->ctx->hi = r->hi;
	v->ctx->lo = r->lo;
	v->ctx->pc = r->pc;
	/* New state: a pending MMIO load or hypercall result is dropped. */
	v->mmio.active = false;
	v->hypercall_pending = false;
}

/* MVM_RUN after its checks (and the sync_dirty registers) are done. */
static int run_loop(struct mvm_vcpu *v)
{
	struct mvm_run *run = v->run;
	int ret;

	ret = mvm_vcpu_select_mm(v);
	if (ret)
		return ret;
	mvm_complete_mmio(v);
	mvm_complete_hypercall(v);
	if (run->immediate_exit) {
		run->exit_reason = MVM_EXIT_INTR;
		run->pc = v->ctx->pc;
		return -EINTR;
	}
	if (v->gk.timer)
		mvm_gk_timer_arm(v);
	v->gk_waiting = false;	/* a wait a signal ended is redone from its call */
	for (;;) {
		if (signal_pending(current)) {
			run->exit_reason = MVM_EXIT_INTR;
			run->pc = v->ctx->pc;
			return -EINTR;
		}
		/* The guest's timer interrupt is due: here, or the VMM's. */
		if (READ_ONCE(v->gk_timer_due)) {
			WRITE_ONCE(v->gk_timer_due, false);
			if (!mvm_gk_timer_interrupt(v)) {
				run->exit_reason = MVM_EXIT_INTR;
				run->pc = v->ctx->pc;
				return 0;
			}
		}
		if (v->gk_waiting) {
			mvm_gk_wait(v);
			continue;
		}
		cond_resched();
		down_read(&v->vm->slots_sem);
		if (v->ctx->pc & 3) {
			ret = mvm_misaligned_pc_exit(v);
		} else {
			enter_guest(v);
			ret = mvm_handle_exit(v);
		}
		up_read(&v->vm->slots_sem);
		if (ret <= 0)
			return ret;
	}
}

/*
 * MVM_RUN. Every field of the run page is read once: userspace can change
 * it at any time. Nothing is touched until all of its inputs are checked;
 * from then on each return hands the registers back in run->s when the
 * VMM asked for them (MVM_CAP_SYNC_REGS), whatever the exit.
 */
static int vcpu_run(struct mvm_vcpu *v)
{
	struct mvm_run *run = v->run;
	struct mvm_regs regs;
	u64 valid, dirty;
	bool kmode;
	int ret;

	if (current->mm != v->vm->mm)
		return -EIO;
	valid = READ_ONCE(run->sync_valid);
	dirty = READ_ONCE(run->sync_dirty);
	if ((valid | dirty) & ~MVM_SYNC_SUPPORTED)
		return -EINVAL;
	if (READ_ONCE(run->request_interrupt_window))
		return -EINVAL;
	switch (READ_ONCE(run->kernel_mode)) {
	case 0:
		kmode = false;
		break;
	case 1:
		if (!v->gk.on || !v->guest_mmu)
			return -EINVAL;
		kmode = true;
		break;
	default:
		return -EINVAL;
	}
	v->kmode = kmode;
	if (dirty) {
		if (dirty & MVM_SYNC_REGS) {
			memcpy(&regs, &run->s.regs, sizeof(regs));
			set_regs(v, &regs);
		}
		WRITE_ONCE(run->sync_dirty, 0);
	}
	WRITE_ONCE(v->running, current);
	ret = run_loop(v);
	WRITE_ONCE(v->running, NULL);
	if (valid & MVM_SYNC_REGS)
		get_regs(v, &run->s.regs);
	return ret;
}

/*
 * The guest's EntryHi, from MVM_SET_ONE_REG or patched code's
 * MVM_GK_CALL_ENTRYHI. A new guest ASID selects other host entries (each
 * guest ASID keeps its own); only a refill not yet written is dropped.
 * True when the ASID changed.
 */
bool mvm_vcpu_set_entryhi(struct mvm_vcpu *v, u64 val)
{
	bool new_asid = (val ^ v->cp0[10][0]) & 0xff;

	if (new_asid)
		v->tlb.valid = false;
	v->cp0[10][0] = val;
	return new_asid;
}

static int one_reg(struct mvm_vcpu *v, const struct mvm_one_reg *r, bool set)
{
	u64 __user *uaddr = (u64 __user *)(unsigned long)r->addr;
	unsigned int reg, sel;
	u64 val;

	switch (r->id) {
	case MVM_REG_STAT_EXITS:
		return set ? -EINVAL : put_user(v->stat_exits, uaddr);
	case MVM_REG_STAT_REFILLS:
		return set ? -EINVAL : put_user(v->stat_refills, uaddr);
	}
	if ((r->id & ~0xffull) != MVM_REG_CP0_BASE)
		return -EINVAL;
	reg = (r->id >> 3) & 31;
	sel = r->id & 7;
	if (set) {
		if (get_user(val, uaddr))
			return -EFAULT;
		if (reg == 10 && sel == 0)
			mvm_vcpu_set_entryhi(v, val);
		else
			v->cp0[reg][sel] = val;
		return 0;
	}
	val = v->cp0[reg][sel];
	if (reg == 13 && sel == 0)	/* Cause.IP2..IP7 follow MVM_IRQ_LINE */
		val = (val & ~0xfc00ull) | ((u64)READ_ONCE(v->vm->irq_lines) << 10);
	return put_user(val, uaddr);
}

bool mvm_valid_pagemask(u64 pm)
{
	u64 m = pm >> 13;

	/* Masks cover bit pairs: 4K (0), 16K (0x6000), 64K (0x1e000), ... */
	return !(pm & 0x1fff) && !(m & (m + 1)) && !(hweight64(m) & 1) &&
	       pm < (1ull << 41);
}

static int tlb_entry(struct mvm_vcpu *v, void __user *uarg, bool set)
{
	struct mvm_tlb_entry e;

	if (copy_from_user(&e, uarg, sizeof(e)))
		return -EFAULT;
	if (e.index >= MVM_GUEST_TLB_SIZE || e.pad)
		return -EINVAL;
	if (set) {
		if (!mvm_valid_pagemask(e.pagemask))
			return -EINVAL;
		mvm_guest_tlb_write(v, &e);
		return 0;
	}
	e = v->guest_tlb[e.index];
	return copy_to_user(uarg, &e, sizeof(e)) ? -EFAULT : 0;
}

/* Guest TLB entry e->index becomes @e (its PageMask valid). */
void mvm_guest_tlb_write(struct mvm_vcpu *v, const struct mvm_tlb_entry *e)
{
	/*
	 * Host entries made through the old entry die (none unless a refill
	 * went through it since it was written),
	 */
	if (v->shadowed & BIT_ULL(e->index))
		shadow_drop_entry(v, &v->guest_tlb[e->index]);
	v->shadowed &= ~BIT_ULL(e->index);
	v->guest_tlb[e->index] = *e;
	/* and those of entries the new one now hides. */
	if (shadows_another(v, e->index))
		shadow_drop_entry(v, e);
	v->tlb.valid = false;
}

/*
 * MVM_CAP_GUEST_KERNEL needs 4 KiB pages (the commpage layout) and host
 * user addresses up to the translation cache's end.
 */
bool mvm_gk_supported(void)
{
	return PAGE_SIZE == 4096 &&
	       BIT_ULL(cpu_vmbits) >= MVM_GK_CODE_BASE + MVM_GK_CODE_MAX;
}

/* Release 2 has rdhwr and HWREna: patched code may read the host's Count. */
bool mvm_gk_count_supported(void)
{
	return mvm_gk_supported() && cpu_has_mips_r2_r6;
}

static void unpin_pages(struct page **pages, unsigned long n, bool dirty)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (!pages[i])
			continue;
		unpin_user_pages_dirty_lock(&pages[i], 1, dirty);
		pages[i] = NULL;
		atomic_long_dec(&mvm_pinned_pages);
	}
}

/*
 * Pins @n pages from @uaddr for good (FOLL_WRITE: the pages the VMM's
 * mapping has now, with no copy-on-write to come, so what it writes later
 * is what the guest-kernel address space maps).
 */
static int pin_pages(u64 uaddr, unsigned long n, struct page **pages)
{
	unsigned long done = 0;
	int ret;

	while (done < n) {
		ret = pin_user_pages_fast(uaddr + done * PAGE_SIZE,
					  min(n - done, 1024ul),
					  FOLL_WRITE | FOLL_LONGTERM,
					  pages + done);
		if (ret <= 0) {
			unpin_pages(pages, done, false);
			return ret < 0 ? ret : -EFAULT;
		}
		atomic_long_add(ret, &mvm_pinned_pages);
		done += ret;
	}
	return 0;
}

/*
 * Off: every host entry of the guest-kernel address spaces goes before
 * their pages are unpinned (the vCPU lock keeps MVM_RUN out).
 */
static void gk_off(struct mvm_vcpu *v)
{
	drop_mms(v, MVM_GK_MM(0), MVM_GK_MM(255));
	v->tlb.valid = false;
	if (!v->gk.on)
		return;
	mvm_gk_timer_stop(v);
	unpin_pages(v->gk.comm, MVM_GK_COMM_PAGES, true);
	unpin_pages(v->gk.code, v->gk.code_size >> PAGE_SHIFT, false);
	kvfree(v->gk.code);
	kfree(v->gk.code_huge);
	memset(&v->gk, 0, sizeof(v->gk));
}

/* Whether the TLB takes 1 MiB pages (PM_1M): for 2 MiB entries. */
static bool huge_tlb(struct mvm_vcpu *v)
{
	unsigned long (*probe)(unsigned long pagemask), flags, pm;

	probe = (void *)(v->vec_page + (mvm_pagemask_probe - mvm_vectors_start));
	local_irq_save(flags);
	pm = probe(PM_1M);
	local_irq_restore(flags);
	return pm == PM_1M;
}

static int enable_guest_kernel(struct mvm_vcpu *v,
			       const struct mvm_enable_cap *cap)
{
	u64 comm = cap->args[0], code = cap->args[1], size = cap->args[2];
	struct page *comm_pages[MVM_GK_COMM_SIZE / 4096] = { NULL };
	struct page **code_pages;
	unsigned long *code_huge, i;
	int ret;

	if (cap->flags || cap->args[3])
		return -EINVAL;
	if (!comm && !code && !size) {
		gk_off(v);
		return 0;
	}
	if (!mvm_gk_supported() || !v->guest_mmu)
		return -EINVAL;
	if (!comm || !code || (comm | code | size) & ~PAGE_MASK || !size ||
	    size > MVM_GK_CODE_MAX ||
	    !access_ok((void __user *)(unsigned long)comm, MVM_GK_COMM_SIZE) ||
	    !access_ok((void __user *)(unsigned long)code, size))
		return -EINVAL;
	if (current->mm != v->vm->mm)
		return -EIO;
	code_pages = kvcalloc(size >> PAGE_SHIFT, sizeof(*code_pages),
			      GFP_KERNEL_ACCOUNT);
	code_huge = kcalloc(size / MVM_HUGE_SIZE + 1, sizeof(*code_huge),
			    GFP_KERNEL_ACCOUNT);
	if (!code_pages || !code_huge) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = pin_pages(comm, MVM_GK_COMM_PAGES, comm_pages);
	if (ret)
		goto out_free;
	ret = pin_pages(code, size >> PAGE_SHIFT, code_pages);
	if (ret) {
		unpin_pages(comm_pages, MVM_GK_COMM_PAGES, false);
		goto out_free;
	}
	/* The new buffers replace the old ones, if any. */
	gk_off(v);
	v->gk.on = true;
	v->gk.comm_uaddr = comm;
	v->gk.code_uaddr = code;
	v->gk.code_size = size;
	memcpy(v->gk.comm, comm_pages, sizeof(comm_pages));
	v->gk.code = code_pages;
	v->gk.code_huge = code_huge;
	v->gk.huge_tlb = huge_tlb(v);
	for (i = 0; v->gk.huge_tlb && i < size / MVM_HUGE_SIZE; i++) {
		unsigned long first = mvm_pages_huge(code_pages + i * MVM_HUGE_PAGES);

		code_huge[i] = first ? first + 1 : 0;
	}
	return 0;
out_free:
	kvfree(code_pages);
	kfree(code_huge);
	return ret;
}

static int enable_cap(struct mvm_vcpu *v, void __user *uarg)
{
	struct mvm_enable_cap cap;

	if (copy_from_user(&cap, uarg, sizeof(cap)))
		return -EFAULT;
	if (cap.cap == MVM_CAP_GUEST_KERNEL)
		return enable_guest_kernel(v, &cap);
	if (cap.cap == MVM_CAP_GUEST_KERNEL_DELIVER ||
	    cap.cap == MVM_CAP_GUEST_KERNEL_TIMER) {
		if (!v->gk.on || cap.flags || cap.args[0] > 1 || cap.args[1] ||
		    cap.args[2] || cap.args[3] ||
		    (cap.cap == MVM_CAP_GUEST_KERNEL_TIMER &&
		     !mvm_gk_timer_supported()))
			return -EINVAL;
		if (cap.cap == MVM_CAP_GUEST_KERNEL_DELIVER) {
			v->gk.deliver = cap.args[0];
			return 0;
		}
		mvm_gk_timer_stop(v);
		v->gk.timer = cap.args[0];
		return 0;
	}
	if (cap.cap != MVM_CAP_GUEST_MMU || cap.flags || cap.args[0] > 1 ||
	    cap.args[1] || cap.args[2] || cap.args[3])
		return -EINVAL;
	/* Flat mode and guest ASIDs have their own host ASIDs. */
	v->guest_mmu = cap.args[0];
	v->tlb.valid = false;
	return 0;
}

static long vcpu_ioctl_locked(struct mvm_vcpu *v, unsigned int cmd,
			      void __user *uarg)
{
	struct mvm_regs regs;
	struct mvm_one_reg reg;

	switch (cmd) {
	case MVM_RUN:
		return uarg ? -EINVAL : vcpu_run(v);
	case MVM_GET_REGS:
		get_regs(v, &regs);
		return copy_to_user(uarg, &regs, sizeof(regs)) ? -EFAULT : 0;
	case MVM_SET_REGS:
		if (copy_from_user(&regs, uarg, sizeof(regs)))
			return -EFAULT;
		set_regs(v, &regs);
		return 0;
	case MVM_GET_ONE_REG:
	case MVM_SET_ONE_REG:
		if (copy_from_user(&reg, uarg, sizeof(reg)))
			return -EFAULT;
		return one_reg(v, &reg, cmd == MVM_SET_ONE_REG);
	case MVM_GET_TLB:
	case MVM_SET_TLB:
		return tlb_entry(v, uarg, cmd == MVM_SET_TLB);
	case MVM_ENABLE_CAP:
		return enable_cap(v, uarg);
	default:
		return -ENOTTY;
	}
}

static long mvm_vcpu_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct mvm_vcpu *v = file->private_data;
	long ret;

	if (mutex_lock_interruptible(&v->lock))
		return -EINTR;
	ret = vcpu_ioctl_locked(v, cmd, (void __user *)arg);
	mutex_unlock(&v->lock);
	return ret;
}

static vm_fault_t run_page_fault(struct vm_fault *vmf)
{
	struct mvm_vcpu *v = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	page = virt_to_page(v->run);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct run_vm_ops = {
	.fault = run_page_fault,
};

static int mvm_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma_pages(vma) != 1)
		return -EINVAL;
	vma->vm_ops = &run_vm_ops;
	return 0;
}

static void vcpu_free(struct mvm_vcpu *v)
{
	int i;

	gk_off(v);
	if (v->vec_page)
		free_vector_pages(v->vec_page);
	free_page((unsigned long)v->run);
	for (i = 0; i < MVM_NR_ASID_MMS; i++)
		kfree(v->asid_mms[i]);
	kfree(v);
}

static int mvm_vcpu_release(struct inode *inode, struct file *file)
{
	struct mvm_vcpu *v = file->private_data;
	struct mvm_vm *vm = v->vm;

	mutex_lock(&vm->lock);
	vm->vcpus[v->id] = NULL;
	mutex_unlock(&vm->lock);
	vcpu_free(v);
	mvm_vm_put(vm);
	return 0;
}

static const struct file_operations mvm_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = mvm_vcpu_release,
	.unlocked_ioctl = mvm_vcpu_ioctl,
	.compat_ioctl = mvm_vcpu_ioctl,
	.mmap = mvm_vcpu_mmap,
	.llseek = noop_llseek,
};

static struct mvm_vcpu *vcpu_alloc(struct mvm_vm *vm, u32 id)
{
	struct mvm_vcpu *v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);

	if (!v)
		return NULL;
	v->vm = vm;
	v->id = id;
	mutex_init(&v->lock);
	v->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	/* Flat mode's mm now, so a flat guest's MVM_RUN never allocates. */
	v->asid_mms[MVM_FLAT_MM] = kzalloc(sizeof(*v->asid_mms[0]),
					   GFP_KERNEL_ACCOUNT);
	v->vec_page = alloc_vector_pages();
	if (!v->run || !v->asid_mms[MVM_FLAT_MM] || !v->vec_page) {
		vcpu_free(v);
		return NULL;
	}
	install_vectors(v);
	mvm_gk_timer_init(v);
	v->ctx = (struct mvm_ctx *)(v->vec_page + MVM_CTX_PAGE);
	v->seen_mmu_gen = vm->mmu_gen;
	return v;
}

int mvm_vcpu_create(struct mvm_vm *vm, u32 id)
{
	struct mvm_vcpu *v;
	int fd;

	if (id >= MVM_MAX_VCPUS)
		return -EINVAL;
	v = vcpu_alloc(vm, id);
	if (!v)
		return -ENOMEM;
	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		mutex_unlock(&vm->lock);
		vcpu_free(v);
		return -EEXIST;
	}
	vm->vcpus[id] = v;
	kref_get(&vm->ref);
	mutex_unlock(&vm->lock);
	fd = anon_inode_getfd("mvm-vcpu", &mvm_vcpu_fops, v, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		mutex_lock(&vm->lock);
		vm->vcpus[id] = NULL;
		mutex_unlock(&vm->lock);
		vcpu_free(v);
		mvm_vm_put(vm);
	}
	return fd;
}

/* The context layout entry.S relies on. */
static_assert(offsetof(struct mvm_ctx, hi) == MVM_CTX_HI);
static_assert(offsetof(struct mvm_ctx, pc) == MVM_CTX_PC);
static_assert(offsetof(struct mvm_ctx, cause) == MVM_CTX_CAUSE);
static_assert(offsetof(struct mvm_ctx, vector) == MVM_CTX_VECTOR);
static_assert(offsetof(struct mvm_ctx, guest_status) == MVM_CTX_GUEST_STATUS);
static_assert(offsetof(struct mvm_ctx, host_status) == MVM_CTX_HOST_STATUS);
static_assert(offsetof(struct mvm_ctx, host_ebase) == MVM_CTX_HOST_EBASE);
static_assert(offsetof(struct mvm_ctx, host_s) == MVM_CTX_HOST_S(0));
static_assert(offsetof(struct mvm_ctx, host_sp) == MVM_CTX_HOST_SP);
static_assert(offsetof(struct mvm_ctx, host_ra) == MVM_CTX_HOST_RA);
static_assert(sizeof(struct mvm_ctx) == MVM_CTX_SIZE);

/*
 * The run page's layout (uapi): the same for 64-bit userspace as here, with
 * no implicit padding, MVM_CAP_SYNC_REGS's fields after the old ones, and
 * all of it inside the page MVM_GET_VCPU_MMAP_SIZE announces.
 */
static_assert(offsetof(struct mvm_run, exit_reason) == 8);
static_assert(offsetof(struct mvm_run, pc) == 16);
static_assert(offsetof(struct mvm_run, mmio) == 24);
static_assert(offsetof(struct mvm_run, sync_valid) == 280);
static_assert(offsetof(struct mvm_run, sync_dirty) == 288);
static_assert(offsetof(struct mvm_run, s) == 296);
static_assert(sizeof(struct mvm_regs) == 280);
static_assert(sizeof(struct mvm_run) == 2344);
static_assert(sizeof(struct mvm_run) <= PAGE_SIZE);
