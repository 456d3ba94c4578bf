/* SPDX-License-Identifier: GPL-2.0 */
/* mvm.ko internals: VMs, memslots, vCPUs. */
#ifndef MVM_INTERNAL_H
#define MVM_INTERNAL_H

#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/kref.h>
#include <linux/mvm.h>
#include "ctx.h"

struct mvm_memslot {
	u64 gpa;
	u64 size;		/* 0: slot unused */
	u64 uaddr;
	u32 flags;
};

struct mvm_vm {
	struct kref ref;	/* the VM fd and each vCPU fd */
	struct mm_struct *mm;	/* the creator's address space (mmgrab) */
	struct mutex lock;	/* vCPU creation, IRQ lines */
	/*
	 * Readers: a vCPU between entry and the end of its exit handling.
	 * Writer: a memslot change, which therefore never races a guest
	 * holding a TLB entry for a page it is about to unpin.
	 */
	struct rw_semaphore slots_sem;
	struct mvm_memslot slots[MVM_MAX_MEMSLOTS];
	struct xarray pins;	/* gfn -> pinned struct page */
	/* 2 MiB guest-physical region -> value: its first pfn + 1, or 0 */
	struct xarray huge;
	u64 mmu_gen;		/* bumped when guest TLB entries go stale */
	struct mvm_vcpu *vcpus[MVM_MAX_VCPUS];
	u32 irq_lines;		/* raised lines, bit n = Cause.IP(n+2) */
};

/* A guest TLB entry mvm resolved and will write before the next entry. */
struct mvm_pending_tlb {
	bool valid;
	struct mm_struct *mm;	/* the address space it was resolved for */
	u64 entryhi;		/* VPN2, ASID added at entry */
	u64 entrylo[2];
	u64 pagemask;
};

/*
 * Guest kernel mode maps 2 MiB of guest RAM or of the translation cache
 * with one host TLB entry (two 1 MiB pages) when one transparent huge page
 * backs it all.
 */
#define MVM_HUGE_SIZE		SZ_2M
#define MVM_HUGE_PAGES		(MVM_HUGE_SIZE >> PAGE_SHIFT)

/* Guest EntryHi/VA fields (SEGBITS = MVM_FLAT_WINDOW_BITS): R and VPN2. */
#define MVM_GUEST_REGION_MASK	GENMASK_ULL(63, 62)
#define MVM_GUEST_VPN2_MASK	GENMASK_ULL(MVM_FLAT_WINDOW_BITS - 1, 13)

/* An MMIO load waiting for its data (run->mmio.data) at the next MVM_RUN. */
struct mvm_mmio_pending {
	bool active;
	u8 reg;			/* destination GPR of a load */
	u8 len;
	bool sign;		/* sign-extend the loaded value */
};

/*
 * asid_mms[]: guest ASIDs 0..255 (guest user mode), flat mode's identity
 * window, then guest ASIDs 0..255 in guest kernel mode (MVM_CAP_GUEST_KERNEL).
 */
#define MVM_FLAT_MM		256
#define MVM_GK_MM(asid)		(257 + (asid))
#define MVM_NR_ASID_MMS		513

/* MVM_CAP_GUEST_KERNEL: the commpage and the translation cache, pinned. */
#define MVM_GK_COMM_PAGES	(MVM_GK_COMM_SIZE / PAGE_SIZE)

struct mvm_gk {
	bool on;
	u64 comm_uaddr, code_uaddr, code_size;
	struct page *comm[MVM_GK_COMM_SIZE / 4096];
	struct page **code;	/* code_size / PAGE_SIZE pages */
	/* per whole 2 MiB of the cache: its first pfn + 1 if one huge page, or 0 */
	unsigned long *code_huge;
	bool huge_tlb;		/* the TLB takes 1 MiB pages */
	bool deliver;		/* MVM_CAP_GUEST_KERNEL_DELIVER */
	bool timer;		/* MVM_CAP_GUEST_KERNEL_TIMER */
};

struct mvm_vcpu {
	struct mvm_vm *vm;
	u32 id;
	struct mutex lock;	/* one ioctl at a time */
	struct mvm_run *run;	/* the page shared with userspace */
	unsigned long vec_page;	/* CKSEG0: vectors; +MVM_CTX_PAGE: ctx */
	struct mvm_ctx *ctx;
	/*
	 * Dummy mms Linux hands host ASIDs to: one per guest ASID in use
	 * (allocated at the first MVM_RUN under it) and one for flat mode,
	 * so each keeps its host TLB entries across guest ASID switches.
	 */
	struct mm_struct *asid_mms[MVM_NR_ASID_MMS];
	struct mm_struct *cur_mm;	/* the one this MVM_RUN enters with */
	u64 seen_mmu_gen;
	bool guest_mmu;		/* translate through guest_tlb (MVM_CAP_GUEST_MMU) */
	bool kmode;		/* this MVM_RUN runs the translation cache */
	struct mvm_gk gk;
	struct mvm_pending_tlb tlb;
	struct mvm_mmio_pending mmio;
	bool hypercall_pending;
	u64 cp0[32][8];		/* the guest's CP0 (flat mode: storage) */
	struct mvm_tlb_entry guest_tlb[MVM_GUEST_TLB_SIZE];
	/* Bit n: a host entry was made through guest_tlb[n] since written. */
	u64 shadowed;
	u64 stat_exits, stat_refills;
	/* MVM_CAP_GUEST_KERNEL_TIMER: the guest's Compare deadline */
	struct hrtimer gk_timer;
	u32 gk_timer_compare;	/* the value it is armed for */
	bool gk_timer_armed;
	bool gk_timer_due;	/* fired: the run ends */
	bool gk_waiting;	/* MVM_GK_CALL_WAIT: asleep until it fires */
	wait_queue_head_t gk_wake;
	struct task_struct *running;	/* the task in MVM_RUN, or NULL */
};

/* The run->s register sets MVM_RUN knows (MVM_CAP_SYNC_REGS). */
#define MVM_SYNC_SUPPORTED	MVM_SYNC_REGS

extern atomic_long_t mvm_pinned_pages;

/* main.c */
long mvm_check_extension(unsigned long cap);

/* vm.c */
long mvm_dev_create_vm(unsigned long type);
void mvm_vm_put(struct mvm_vm *vm);
int mvm_vm_pin_gpa(struct mvm_vm *vm, u64 gpa, bool write, unsigned long *pfn,
		   bool *writable);
bool mvm_vm_pin_huge(struct mvm_vm *vm, u64 gpa, unsigned long *pfn,
		     bool *writable);
unsigned long mvm_pages_huge(struct page **pages);
bool mvm_vm_gpa_is_ram(struct mvm_vm *vm, u64 gpa);
int mvm_vm_read_guest(struct mvm_vm *vm, u64 gpa, void *buf, size_t len);

/* vcpu.c */
int mvm_vcpu_create(struct mvm_vm *vm, u32 id);
bool mvm_gk_supported(void);
bool mvm_gk_count_supported(void);
bool mvm_valid_pagemask(u64 pm);
void mvm_guest_tlb_write(struct mvm_vcpu *v, const struct mvm_tlb_entry *e);
int mvm_vcpu_select_mm(struct mvm_vcpu *v);
bool mvm_vcpu_set_entryhi(struct mvm_vcpu *v, u64 val);

/* gk_timer.c */
bool mvm_gk_timer_supported(void);
void mvm_gk_timer_init(struct mvm_vcpu *v);
void mvm_gk_timer_stop(struct mvm_vcpu *v);
void mvm_gk_timer_arm(struct mvm_vcpu *v);
bool mvm_gk_compare_call(struct mvm_vcpu *v);
bool mvm_gk_timer_interrupt(struct mvm_vcpu *v);
bool mvm_gk_wait_call(struct mvm_vcpu *v);
void mvm_gk_wait(struct mvm_vcpu *v);

/* gk_mode.c */
bool mvm_gk_eret_to_user(struct mvm_vcpu *v);
bool mvm_gk_deliver(struct mvm_vcpu *v, u32 exc, bool refill, bool tlb,
		    u64 va);
bool mvm_gk_deliver_interrupt(struct mvm_vcpu *v, u64 raise);
bool mvm_gk_wake(struct mvm_vcpu *v, u64 raise);

/* gk_tlb.c */
int mvm_gk_tlb_call(struct mvm_vcpu *v, u32 code);

/* exit.c */
int mvm_handle_exit(struct mvm_vcpu *vcpu);
int mvm_misaligned_pc_exit(struct mvm_vcpu *vcpu);
void mvm_complete_mmio(struct mvm_vcpu *vcpu);
void mvm_complete_hypercall(struct mvm_vcpu *vcpu);

/* A word of the commpage (MVM_GK_COMM_*): the VMM's pinned pages. */
static inline u64 *mvm_gk_comm(struct mvm_vcpu *v, u64 hva)
{
	u64 off = hva - MVM_GK_COMM_BASE;

	return page_address(v->gk.comm[off >> PAGE_SHIFT]) +
	       offset_in_page(off);
}

/* The VMM may write the commpage at any time: each word is read once. */
static inline u64 mvm_gk_get(struct mvm_vcpu *v, u64 hva)
{
	return READ_ONCE(*mvm_gk_comm(v, hva));
}

static inline void mvm_gk_set(struct mvm_vcpu *v, u64 hva, u64 val)
{
	WRITE_ONCE(*mvm_gk_comm(v, hva), val);
}

/* Guest CP0 register numbers the commpage calls use (select 0). */
enum mvm_cp0_reg {
	MVM_CP0_INDEX = 0, MVM_CP0_ENTRYLO0 = 2, MVM_CP0_ENTRYLO1 = 3,
	MVM_CP0_CONTEXT = 4, MVM_CP0_PAGEMASK = 5, MVM_CP0_WIRED = 6,
	MVM_CP0_BADVADDR = 8, MVM_CP0_ENTRYHI = 10, MVM_CP0_COMPARE = 11,
	MVM_CP0_STATUS = 12, MVM_CP0_CAUSE = 13, MVM_CP0_EPC = 14,
	MVM_CP0_XCONTEXT = 20,
};

/* The guest's CP0 register (reg, select 0) on the commpage. */
static inline u64 mvm_gk_cp0(struct mvm_vcpu *v, unsigned int reg)
{
	return mvm_gk_get(v, MVM_GK_COMM_CP0(reg, 0));
}

static inline void mvm_gk_set_cp0(struct mvm_vcpu *v, unsigned int reg, u64 val)
{
	mvm_gk_set(v, MVM_GK_COMM_CP0(reg, 0), val);
}

/* A guest TLB entry is global when both EntryLos have G (bit 0). */
static inline bool mvm_tlb_entry_global(const struct mvm_tlb_entry *e)
{
	return e->entrylo0 & e->entrylo1 & 1;
}

#endif
