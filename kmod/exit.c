// SPDX-License-Identifier: GPL-2.0
/*
 * What to do after the guest took an exception: handle it here and re-enter
 * (TLB refills for guest RAM, host interrupts), or describe it in struct
 * mvm_run for userspace (MMIO, hypercalls, every other guest exception).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/pgtable.h>
#include "mvm.h"
#include "trace.h"

#define MVM_GVA_LIMIT		BIT_ULL(MVM_FLAT_WINDOW_BITS)
#define CAUSE_BD		BIT_ULL(31)
#define CAUSE_EXCCODE(c)	(((c) >> 2) & 0x1f)

#define INSN_OP(i)		((i) >> 26)
#define INSN_RS(i)		(((i) >> 21) & 31)
#define INSN_RT(i)		(((i) >> 16) & 31)
#define INSN_RD(i)		(((i) >> 11) & 31)
#define INSN_SIMM(i)		((s64)(s16)((i) & 0xffff))
#define INSN_HYPCALL_MASK	0xfe00003fu
#define INSN_HYPCALL		0x42000028u
#define INSN_RDHWR_RT_MASK	0xffe0ffffu	/* all but rt */
#define INSN_RDHWR_ULR		0x7c00e83bu	/* rdhwr rt, $29 */
#define INSN_SYSCALL_MASK	0xfc00003fu
#define INSN_SYSCALL		0x0000000cu
#define INSN_SYSCALL_CODE(i)	(((i) >> 6) & 0xfffff)

/* EntryLo (MIPS64): the PFN starts at bit 6. */
#define MVM_ENTRYLO_PFN_SHIFT	6

enum { EXIT_TO_USER = 0, REENTER = 1 };

enum xlate {
	XLATE_OK,
	XLATE_OUTSIDE,		/* beyond the window */
	XLATE_MISS,		/* guest TLB: no entry matches */
	XLATE_INVALID,		/* guest TLB: the page's V bit is clear */
};

/*
 * The guest TLB entry mapping @gva under the guest's current ASID. Guest
 * kernel segments (R = 3: xkseg, ckseg2/3) compare R and VPN2 only, as the
 * hardware does (SEGBITS 40): EntryHi's fill bits are ignored, whether the
 * VMM passes them sign-extended or as zeros.
 */
static const struct mvm_tlb_entry *guest_tlb_lookup(struct mvm_vcpu *v,
						     u64 gva)
{
	u64 asid = v->cp0[10][0] & 0xff, cmp = GENMASK_ULL(63, 13);
	int i;

	if (v->kmode && gva >> 62 == 3)
		cmp = GENMASK_ULL(63, 62) |
		      GENMASK_ULL(MVM_FLAT_WINDOW_BITS - 1, 13);
	for (i = 0; i < MVM_GUEST_TLB_SIZE; i++) {
		const struct mvm_tlb_entry *e = &v->guest_tlb[i];
		u64 mask = e->pagemask | 0x1fff;
		bool global = mvm_tlb_entry_global(e);

		if (((gva ^ e->entryhi) & ~mask & cmp) == 0 &&
		    (global || (e->entryhi & 0xff) == asid))
			return e;
	}
	return NULL;
}

/*
 * GVA -> GPA: the identity inside the flat window, or through the guest's
 * TLB with MVM_CAP_GUEST_MMU. @dirty: the guest allows stores. @entry: the
 * guest TLB entry used (-1: none).
 */
static enum xlate translate_entry(struct mvm_vcpu *v, u64 gva, u64 *gpa,
				  bool *dirty, int *entry)
{
	const struct mvm_tlb_entry *e;
	u64 page, lo;

	*entry = -1;
	if (!v->guest_mmu) {
		if (gva >= MVM_GVA_LIMIT)
			return XLATE_OUTSIDE;
		*gpa = gva;
		*dirty = true;
		return XLATE_OK;
	}
	e = guest_tlb_lookup(v, gva);
	if (!e)
		return XLATE_MISS;
	*entry = e - v->guest_tlb;
	page = ((e->pagemask | 0x1fff) + 1) >> 1;
	lo = gva & page ? e->entrylo1 : e->entrylo0;
	if (!(lo & ENTRYLO_V))
		return XLATE_INVALID;
	*dirty = lo & ENTRYLO_D;
	/* As the hardware does, PFN bits below a large page's size are ignored. */
	*gpa = ((((lo >> MVM_ENTRYLO_PFN_SHIFT) & GENMASK_ULL(29, 0)) << 12) &
		~(page - 1)) + (gva & (page - 1));
	/* Beyond the window: no TLB fault, but nothing mvm.ko maps either. */
	return *gpa < MVM_GVA_LIMIT ? XLATE_OK : XLATE_OUTSIDE;
}

static enum xlate translate(struct mvm_vcpu *v, u64 gva, u64 *gpa, bool *dirty)
{
	int entry;

	return translate_entry(v, gva, gpa, dirty, &entry);
}

static bool gva_to_gpa(struct mvm_vcpu *v, u64 gva, u64 *gpa)
{
	bool dirty;

	return translate(v, gva, gpa, &dirty) == XLATE_OK;
}

static int internal_error(struct mvm_vcpu *v, u32 sub, u64 d0, u64 d1)
{
	struct mvm_run *run = v->run;

	run->exit_reason = MVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = sub;
	run->internal.ndata = 3;
	run->internal.data[0] = d0;
	run->internal.data[1] = d1;
	run->internal.data[2] = v->ctx->pc;
	return EXIT_TO_USER;
}

/* Guest kernel mode: the instruction at host address @pc of the cache. */
static int gk_fetch_insn(struct mvm_vcpu *v, u64 pc, u32 *insn)
{
	u64 off = pc - MVM_GK_CODE_BASE;
	const u32 *p;

	if (pc & 3 || pc < MVM_GK_CODE_BASE || off >= v->gk.code_size)
		return -EFAULT;
	/* Pinned: the very pages the VMM writes its code into. */
	p = page_address(v->gk.code[off >> PAGE_SHIFT]) + offset_in_page(off);
	*insn = READ_ONCE(*p);
	return 0;
}

static int fetch_insn(struct mvm_vcpu *v, u64 pc, u32 *insn)
{
	u64 gpa;

	if (v->kmode)
		return gk_fetch_insn(v, pc, insn);
	if (pc & 3 || !gva_to_gpa(v, pc, &gpa))
		return -EFAULT;
	return mvm_vm_read_guest(v->vm, gpa, insn, sizeof(*insn));
}

static u64 gpr(struct mvm_vcpu *v, unsigned int r)
{
	return r ? v->ctx->gpr[r] : 0;
}

/*
 * The PC after the branch at @pc whose delay slot faulted, and the register
 * its link writes (0: none; the value is pc + 8). The branch's inputs are
 * read before the delay-slot instruction is emulated, as the hardware did.
 */
static int branch_target(struct mvm_vcpu *v, u64 pc, u32 br, u64 *next,
			 unsigned int *link_reg)
{
	s64 rs = gpr(v, INSN_RS(br)), rt = gpr(v, INSN_RT(br));
	u64 taken = pc + 4 + (INSN_SIMM(br) << 2), fall = pc + 8;
	bool link = false, cond;

	switch (INSN_OP(br)) {
	case 0:				/* jr, jalr */
		if ((br & 0x3e) != 0x08)
			return -EINVAL;
		*next = rs;
		if ((br & 0x3f) == 0x09)
			*link_reg = INSN_RD(br);
		return 0;
	case 1:				/* bltz, bgez, bltzal, bgezal (+likely) */
		if (INSN_RT(br) & ~0x13u)
			return -EINVAL;
		cond = (INSN_RT(br) & 1) ? rs >= 0 : rs < 0;
		link = INSN_RT(br) & 0x10;
		break;
	case 2:				/* j, jal */
	case 3:
		*next = ((pc + 4) & ~0x0fffffffull) | ((br & 0x03ffffff) << 2);
		if (INSN_OP(br) == 3)
			*link_reg = 31;
		return 0;
	case 0x04:			/* beq, beql */
	case 0x14:
		cond = rs == rt;
		break;
	case 0x05:			/* bne, bnel */
	case 0x15:
		cond = rs != rt;
		break;
	case 0x06:			/* blez, blezl */
	case 0x16:
		cond = rs <= 0;
		break;
	case 0x07:			/* bgtz, bgtzl */
	case 0x17:
		cond = rs > 0;
		break;
	default:
		return -EINVAL;
	}
	if (link)
		*link_reg = 31;
	*next = cond ? taken : fall;
	return 0;
}

/* The faulting instruction, the PC that follows it, a delay slot's link. */
static int faulting_insn(struct mvm_vcpu *v, u32 *insn, u64 *next,
			 unsigned int *link_reg)
{
	u64 pc = v->ctx->pc;
	u32 br;

	*link_reg = 0;
	if (!(v->ctx->cause & CAUSE_BD)) {
		*next = pc + 4;
		return fetch_insn(v, pc, insn) ? -EFAULT : 0;
	}
	if (fetch_insn(v, pc, &br) || fetch_insn(v, pc + 4, insn))
		return -EFAULT;
	return branch_target(v, pc, br, next, link_reg) ? -EINVAL : 0;
}

static int exception_exit_flags(struct mvm_vcpu *v, u32 flags)
{
	struct mvm_ctx *ctx = v->ctx;
	struct mvm_run *run = v->run;
	u32 exc = CAUSE_EXCCODE(ctx->cause), insn = 0;

	fetch_insn(v, ctx->pc, &insn);
	run->exit_reason = MVM_EXIT_EXCEPTION;
	run->ex.cause = ctx->cause;
	run->ex.epc = ctx->pc;
	run->ex.exc_code = exc;
	run->ex.insn = insn;
	run->ex.flags = flags;
	run->ex.badvaddr = 0;
	if (exc == MVM_EXC_MOD || exc == MVM_EXC_TLBL || exc == MVM_EXC_TLBS ||
	    exc == MVM_EXC_ADEL || exc == MVM_EXC_ADES)
		run->ex.badvaddr = ctx->badvaddr;
	/* Kernel mode: host addresses, for the VMM to map back. */
	if (v->kmode)
		return EXIT_TO_USER;
	/* As if the guest's own CP0 had taken it: ready for issue #4. */
	v->cp0[13][0] = ctx->cause;
	v->cp0[14][0] = ctx->pc;
	v->cp0[8][0] = run->ex.badvaddr;
	return EXIT_TO_USER;
}

static int exception_exit(struct mvm_vcpu *v)
{
	return exception_exit_flags(v, 0);
}

/*
 * A guest TLB fault at gva (the host's exception code): to the guest
 * kernel's patched vector (MVM_CAP_GUEST_KERNEL_DELIVER), or to the VMM.
 */
static int guest_tlb_fault(struct mvm_vcpu *v, u64 gva, bool refill)
{
	if (mvm_gk_deliver(v, CAUSE_EXCCODE(v->ctx->cause), refill, true, gva))
		return REENTER;
	return exception_exit_flags(v, refill ? MVM_EX_TLB_REFILL : 0);
}

/*
 * The guest TLB's translation of gva; false, with *ret what became of its
 * fault (a refill or an invalid entry) or of an address beyond the window.
 */
static bool translate_or_exit(struct mvm_vcpu *v, u64 gva, u64 *gpa,
			      bool *dirty, int *ret)
{
	switch (translate(v, gva, gpa, dirty)) {
	case XLATE_OK:
		return true;
	case XLATE_MISS:
		*ret = guest_tlb_fault(v, gva, true);
		return false;
	case XLATE_INVALID:
		*ret = guest_tlb_fault(v, gva, false);
		return false;
	default:
		*ret = exception_exit(v);
		return false;
	}
}

/* The refill's entry (v->tlb's EntryLo/PageMask set) goes in at re-entry. */
static int shadow_refill(struct mvm_vcpu *v, u64 entryhi, u64 gva, u64 gpa,
			 u64 entrylo)
{
	v->tlb.entryhi = entryhi;
	v->tlb.mm = v->cur_mm;
	v->tlb.valid = true;
	v->stat_refills++;
	trace_mvm_tlb_refill(v->id, gva, gpa, entrylo);
	return REENTER;
}

/* lb lh lw ld lbu lhu lwu, sb sh sw sd: length, direction, signedness. */
static int decode_access(u32 insn, u8 *len, bool *is_write, bool *sign)
{
	static const u8 width[8] = { 1, 2, 0, 4, 1, 2, 0, 4 };
	u32 op = INSN_OP(insn);

	*is_write = op >= 0x28 && op != 0x37;
	*sign = op < 0x24;
	if (op >= 0x20 && op <= 0x2b && op != 0x2a)
		*len = width[op & 7];	/* 0 for lwl/lwr: refused below */
	else if (op == 0x37 || op == 0x3f)
		*len = 8;		/* ld, sd: nothing to extend */
	else
		*len = 0;
	return *len ? 0 : -EINVAL;
}

/* Decodes a load/store to a GPA without RAM into an MMIO exit. */
static int mmio_exit(struct mvm_vcpu *v, u64 gpa)
{
	struct mvm_run *run = v->run;
	unsigned int link_reg;
	bool is_write, sign;
	u64 next, val;
	u32 insn;
	u8 len;

	/* The code patcher never puts an access in a delay slot. */
	if (v->kmode && v->ctx->cause & CAUSE_BD)
		return internal_error(v, MVM_INTERNAL_ERROR_DELAY_SLOT, 0, gpa);
	if (faulting_insn(v, &insn, &next, &link_reg))
		return internal_error(v, v->ctx->cause & CAUSE_BD ?
				      MVM_INTERNAL_ERROR_DELAY_SLOT :
				      MVM_INTERNAL_ERROR_FETCH, 0, gpa);
	if (decode_access(insn, &len, &is_write, &sign) || gpa & (len - 1))
		return internal_error(v, MVM_INTERNAL_ERROR_EMULATION, insn, gpa);
	/* Decoded: now the branch's link, which its delay slot sees. */
	if (link_reg)
		v->ctx->gpr[link_reg] = v->ctx->pc + 8;
	run->exit_reason = MVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = len;
	run->mmio.is_write = is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	val = gpr(v, INSN_RT(insn));
	if (is_write)
		memcpy(run->mmio.data, &val, len);	/* little-endian host */
	/* The PC moves on now; only a load's register write waits. */
	v->mmio.active = !is_write;
	v->mmio.reg = INSN_RT(insn);
	v->mmio.len = len;
	v->mmio.sign = sign;
	v->ctx->pc = next;
	trace_mvm_mmio(v->id, is_write, gpa, len, val);
	return EXIT_TO_USER;
}

/* Completes an MMIO load of the previous exit with run->mmio.data. */
void mvm_complete_mmio(struct mvm_vcpu *v)
{
	u64 val = 0;

	if (!v->mmio.active)
		return;
	v->mmio.active = false;
	if (v->mmio.reg) {
		memcpy(&val, v->run->mmio.data, v->mmio.len);
		if (v->mmio.sign && v->mmio.len < 8)
			val = sign_extend64(val, v->mmio.len * 8 - 1);
		v->ctx->gpr[v->mmio.reg] = val;
		trace_mvm_mmio(v->id, 0, v->run->mmio.phys_addr, v->mmio.len,
			       val);
	}
}

void mvm_complete_hypercall(struct mvm_vcpu *v)
{
	if (!v->hypercall_pending)
		return;
	v->hypercall_pending = false;
	v->ctx->gpr[2] = v->run->hypercall.ret;
}

static u64 pfn_entrylo(unsigned long pfn, bool writable)
{
	u64 lo = ((u64)pfn << MVM_ENTRYLO_PFN_SHIFT) | ENTRYLO_V |
		 ((_page_cachable_default >> _CACHE_SHIFT) << ENTRYLO_C_SHIFT);

	if (writable)
		lo |= ENTRYLO_D;
	return lo;
}

/* The host half of a guest physical page: pinned RAM, or 0 (*ram false). */
static u64 gpa_entrylo(struct mvm_vcpu *v, u64 gpa, bool dirty, bool *ram)
{
	unsigned long pfn;
	bool writable;

	*ram = false;
	if (mvm_vm_pin_gpa(v->vm, gpa, false, &pfn, &writable))
		return 0;
	*ram = true;
	return pfn_entrylo(pfn, writable && dirty);
}

static u64 entrylo_of(struct mvm_vcpu *v, u64 gva, bool *ram)
{
	bool dirty;
	u64 gpa, lo;
	int entry;

	*ram = false;
	if (translate_entry(v, gva, &gpa, &dirty, &entry) != XLATE_OK)
		return 0;
	lo = gpa_entrylo(v, gpa, dirty, ram);
	/* A host entry will come from it: MVM_SET_TLB must invalidate. */
	if (*ram && entry >= 0)
		v->shadowed |= BIT_ULL(entry);
	return lo;
}

/*
 * Guest kernel mode (MVM_CAP_GUEST_KERNEL): what a host address of the
 * guest-kernel address space stands for (uapi/linux/mvm.h). *addr: a page
 * index of the commpage or the cache, a guest virtual or physical address.
 */
enum gk_kind { GK_NONE, GK_COMM, GK_CODE, GK_GVA, GK_GPA };

#define MVM_GK_XKSEG_GVA	0xc000000000000000ull
#define MVM_GK_CKSEG_GVA	0xffffffff80000000ull

static enum gk_kind gk_classify(struct mvm_vcpu *v, u64 hva, u64 *addr)
{
	u64 off;

	if (hva >= MVM_GK_COMM_BASE &&
	    hva < MVM_GK_COMM_BASE + MVM_GK_COMM_SIZE) {
		*addr = (hva - MVM_GK_COMM_BASE) >> PAGE_SHIFT;
		return GK_COMM;
	}
	if (hva < MVM_GK_PHYS_BASE) {
		*addr = hva;			/* xuseg, as guest user mode */
		return GK_GVA;
	}
	if (hva < MVM_GK_XKSEG_BASE) {
		*addr = hva - MVM_GK_PHYS_BASE;	/* xkphys */
		return GK_GPA;
	}
	if (hva < MVM_GK_CKSEG_BASE) {
		*addr = MVM_GK_XKSEG_GVA + (hva - MVM_GK_XKSEG_BASE);
		return GK_GVA;
	}
	off = hva - MVM_GK_CKSEG_BASE;
	if (off < BIT_ULL(30)) {
		*addr = off & 0x1fffffff;	/* ckseg0, ckseg1: unmapped */
		return GK_GPA;
	}
	if (off < BIT_ULL(31)) {
		*addr = MVM_GK_CKSEG_GVA + off;	/* ckseg2/3: mapped */
		return GK_GVA;
	}
	off = hva - MVM_GK_CODE_BASE;
	if (hva >= MVM_GK_CODE_BASE && off < v->gk.code_size) {
		*addr = off >> PAGE_SHIFT;
		return GK_CODE;
	}
	return GK_NONE;
}

/* The host half for one page of the guest-kernel address space. */
static u64 gk_entrylo(struct mvm_vcpu *v, u64 hva, bool *ok)
{
	u64 addr;

	*ok = true;
	switch (gk_classify(v, hva, &addr)) {
	case GK_COMM:
		return pfn_entrylo(page_to_pfn(v->gk.comm[addr]), true);
	case GK_CODE:
		return pfn_entrylo(page_to_pfn(v->gk.code[addr]), false);
	case GK_GVA:
		return entrylo_of(v, addr, ok);
	case GK_GPA:
		return gpa_entrylo(v, addr, true, ok);
	default:
		*ok = false;
		return 0;
	}
}

/*
 * One entry of two 1 MiB pages for the 2 MiB of guest RAM (xkphys,
 * ckseg0/1 windows) or of the translation cache around @addr, when one
 * huge page backs it all: the guest kernel's unmapped segments are
 * TLB-mapped here, and with 4 KiB pages a Linux guest refilled a 64-entry
 * TLB some 35,000 times a second.
 */
static bool gk_huge_entry(struct mvm_vcpu *v, enum gk_kind kind, u64 addr)
{
	bool writable = false;
	unsigned long pfn;

	if (!v->gk.huge_tlb)
		return false;
	switch (kind) {
	case GK_GPA:
		if (!mvm_vm_pin_huge(v->vm, addr, &pfn, &writable))
			return false;
		break;
	case GK_CODE:
		pfn = v->gk.code_huge[addr / MVM_HUGE_PAGES];
		if (!pfn--)
			return false;
		break;
	default:
		return false;
	}
	v->tlb.entrylo[0] = pfn_entrylo(pfn, writable);
	v->tlb.entrylo[1] = pfn_entrylo(pfn + MVM_HUGE_PAGES / 2, writable);
	v->tlb.pagemask = PM_1M;
	return true;
}

/*
 * A host TLB miss in guest kernel mode. Only the translation cache is
 * mapped for an instruction fetch; a miss the guest's TLB answers with a
 * refill or an invalid entry, and any address outside the windows, is an
 * exception exit with host addresses; guest physical addresses without
 * RAM are MMIO.
 */
static int gk_tlb_miss(struct mvm_vcpu *v)
{
	u64 hva = v->ctx->badvaddr, pc = v->ctx->pc, gpa = 0, addr;
	u64 pair = hva & ~(2 * PAGE_SIZE - 1);
	unsigned int half = (hva >> PAGE_SHIFT) & 1;
	enum gk_kind kind = gk_classify(v, hva, &addr);
	bool ok[2], dirty, fetch;
	int ret;

	fetch = hva == pc || (v->ctx->cause & CAUSE_BD && hva == pc + 4);
	switch (kind) {
	case GK_NONE:
		return exception_exit(v);
	case GK_GVA:
		if (!translate_or_exit(v, addr, &gpa, &dirty, &ret))
			return ret;
		break;
	case GK_GPA:
		gpa = addr;
		break;
	default:
		break;
	}
	if (fetch && kind != GK_CODE)
		return exception_exit(v);
	if (gk_huge_entry(v, kind, addr))
		return shadow_refill(v, hva & ~(u64)(MVM_HUGE_SIZE - 1), hva, gpa,
				     v->tlb.entrylo[0]);
	v->tlb.pagemask = PM_DEFAULT_MASK;
	v->tlb.entrylo[0] = gk_entrylo(v, pair, &ok[0]);
	v->tlb.entrylo[1] = gk_entrylo(v, pair + PAGE_SIZE, &ok[1]);
	if (ok[half])
		return shadow_refill(v, pair, hva, gpa, v->tlb.entrylo[half]);
	if (mvm_vm_gpa_is_ram(v->vm, gpa))	/* RAM whose pages are gone */
		return internal_error(v, MVM_INTERNAL_ERROR_PIN, hva, gpa);
	return mmio_exit(v, gpa);
}

/* A store to a clean host page in guest kernel mode. */
static int gk_tlb_mod(struct mvm_vcpu *v)
{
	bool dirty;
	u64 addr, gpa;

	switch (gk_classify(v, v->ctx->badvaddr, &addr)) {
	case GK_GVA:
		if (translate(v, addr, &gpa, &dirty) != XLATE_OK || !dirty)
			return exception_exit(v);
		break;
	case GK_GPA:
		gpa = addr;
		break;
	default:			/* the translation cache */
		return exception_exit(v);
	}
	return mmio_exit(v, gpa);	/* a read-only slot */
}

/*
 * A TLB miss (refill, or a present-but-invalid entry) at BadVAddr: map the
 * even/odd host page pair if it is guest RAM, else it is MMIO, or a fault
 * of the guest's own TLB for the guest to handle.
 */
static int tlb_miss(struct mvm_vcpu *v)
{
	u64 gva = v->ctx->badvaddr, gpa, pair = gva & ~(2 * PAGE_SIZE - 1);
	unsigned int half = (gva >> PAGE_SHIFT) & 1;
	bool ram[2], dirty;
	int ret;

	if (v->kmode)
		return gk_tlb_miss(v);
	if (!translate_or_exit(v, gva, &gpa, &dirty, &ret))
		return ret;
	v->tlb.pagemask = PM_DEFAULT_MASK;
	v->tlb.entrylo[0] = entrylo_of(v, pair, &ram[0]);
	v->tlb.entrylo[1] = entrylo_of(v, pair + PAGE_SIZE, &ram[1]);
	if (ram[half])
		return shadow_refill(v, pair, gva, gpa, v->tlb.entrylo[half]);
	if (mvm_vm_gpa_is_ram(v->vm, gpa))	/* RAM whose pages are gone */
		return internal_error(v, MVM_INTERNAL_ERROR_PIN, gva, gpa);
	if (gva == v->ctx->pc)		/* executing from MMIO: a guest fault */
		return exception_exit(v);
	return mmio_exit(v, gpa);
}

/* A store to a page mapped clean: the guest's own Mod, or a read-only slot. */
static int tlb_mod(struct mvm_vcpu *v)
{
	bool dirty;
	u64 gpa;

	if (v->kmode)
		return gk_tlb_mod(v);
	if (translate(v, v->ctx->badvaddr, &gpa, &dirty) != XLATE_OK)
		return exception_exit(v);
	if (!dirty)
		return guest_tlb_fault(v, v->ctx->badvaddr, false);
	return mmio_exit(v, gpa);
}

static int hypercall_exit(struct mvm_vcpu *v, u32 insn)
{
	struct mvm_run *run = v->run;
	int i;

	if (v->ctx->cause & CAUSE_BD)
		return internal_error(v, MVM_INTERNAL_ERROR_DELAY_SLOT, insn, 0);
	if (((insn >> 11) & 0x3ff) == MVM_HYPCALL_CODE_NOP) {
		v->ctx->gpr[2] = 0;
		v->ctx->pc += 4;
		return REENTER;
	}
	run->exit_reason = MVM_EXIT_HYPERCALL;
	run->hypercall.code = (insn >> 11) & 0x3ff;
	run->hypercall.nr = v->ctx->gpr[2];
	for (i = 0; i < 4; i++)
		run->hypercall.args[i] = v->ctx->gpr[4 + i];
	run->hypercall.ret = 0;
	v->hypercall_pending = true;
	v->ctx->pc += 4;
	return EXIT_TO_USER;
}

/*
 * `rdhwr rt, $29` (the guest's TLS pointer) that the host CPU refused: it
 * has no UserLocal, or is MIPS64 R1. When the guest's HWREna allows the
 * read, answer it from the guest's UserLocal here, as a host with ULRI
 * does natively, instead of an exit to the VMM per TLS access.
 */
static bool rdhwr_userlocal(struct mvm_vcpu *v)
{
	unsigned int link_reg;
	u64 next;
	u32 insn;

	if (!(v->cp0[7][0] & MIPS_HWRENA_ULR) ||
	    faulting_insn(v, &insn, &next, &link_reg) ||
	    (insn & INSN_RDHWR_RT_MASK) != INSN_RDHWR_ULR)
		return false;
	/* A branch's link first, then its delay slot's destination. */
	if (link_reg)
		v->ctx->gpr[link_reg] = v->ctx->pc + 8;
	if (INSN_RT(insn))
		v->ctx->gpr[INSN_RT(insn)] = v->cp0[4][2];
	v->ctx->pc = next;
	return true;
}

/*
 * A syscall of patched kernel code that names a guest instruction
 * (MVM_GK_CALL_*): done here and the run goes on, after it or, for eret,
 * in user mode. The patcher never puts one in a delay slot.
 */
static bool gk_call(struct mvm_vcpu *v)
{
	u32 insn, code;

	if (!v->kmode || v->ctx->cause & CAUSE_BD ||
	    gk_fetch_insn(v, v->ctx->pc, &insn) ||
	    (insn & INSN_SYSCALL_MASK) != INSN_SYSCALL)
		return false;
	code = INSN_SYSCALL_CODE(insn);
	if (code == MVM_GK_CALL_ERET)
		return mvm_gk_eret_to_user(v);
	/* The run goes on at the call, asleep, until the timer wakes it. */
	if (code == MVM_GK_CALL_WAIT)
		return mvm_gk_wait_call(v);
	if (code == MVM_GK_CALL_COMPARE ? !mvm_gk_compare_call(v) :
	    !mvm_gk_tlb_call(v, code))
		return false;
	v->ctx->pc += 4;
	return true;
}

static int general_exception(struct mvm_vcpu *v)
{
	u32 exc = CAUSE_EXCCODE(v->ctx->cause), insn;

	switch (exc) {
	case MVM_EXC_INT:
		return REENTER;		/* Linux takes it when IRQs are back on */
	case MVM_EXC_TLBL:
	case MVM_EXC_TLBS:
		return tlb_miss(v);
	case MVM_EXC_MOD:
		return tlb_mod(v);
	case MVM_EXC_RI:
		return rdhwr_userlocal(v) ? REENTER : exception_exit(v);
	case MVM_EXC_SYS:
	case MVM_EXC_BP:
		if (gk_call(v) || mvm_gk_deliver(v, exc, false, false, 0))
			return REENTER;
		return exception_exit(v);
	case MVM_EXC_CPU:
		/*
		 * With the guest MMU the guest is an OS's user mode, where
		 * hypcall means nothing special: its kernel decides.
		 */
		if (!v->guest_mmu && !fetch_insn(v, v->ctx->pc, &insn) &&
		    (insn & INSN_HYPCALL_MASK) == INSN_HYPCALL)
			return hypercall_exit(v, insn);
		return exception_exit(v);
	default:
		return exception_exit(v);
	}
}

/*
 * A PC that is not word-aligned is never entered: it is the AdEL the
 * instruction fetch would raise, reported without a trip into the guest.
 * QEMU (7.2) takes bit 0 of EPC at eret as the MIPS16/microMIPS mode bit
 * even on CPUs without either and then aborts translating (an assertion
 * that kills the whole host), so a hostile MVM_SET_REGS must not get there.
 */
int mvm_misaligned_pc_exit(struct mvm_vcpu *v)
{
	v->ctx->cause = MVM_EXC_ADEL << 2;
	v->ctx->badvaddr = v->ctx->pc;
	v->run->pc = v->ctx->pc;
	return exception_exit(v);
}

int mvm_handle_exit(struct mvm_vcpu *v)
{
	struct mvm_ctx *ctx = v->ctx;
	int ret;

	v->stat_exits++;
	v->run->pc = ctx->pc;
	switch (ctx->vector) {
	case MVM_VEC_TLB_REFILL:
	case MVM_VEC_XTLB_REFILL:
		ret = tlb_miss(v);
		break;
	case MVM_VEC_INTERRUPT:
		ret = REENTER;
		break;
	case MVM_VEC_GENERAL:
		ret = general_exception(v);
		break;
	default:
		ret = internal_error(v, MVM_INTERNAL_ERROR_EMULATION,
				     ctx->vector, ctx->cause);
		break;
	}
	trace_mvm_exit(v->id, ret == REENTER ? 0 : v->run->exit_reason,
		       ctx->vector, ctx->pc, ctx->cause);
	return ret;
}
