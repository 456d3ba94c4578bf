/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mvm: the ioctl ABI of mvm.ko, a trap-and-emulate hypervisor for MIPS64.
 *
 * Shaped like KVM's: /dev/mvm hands out VM file descriptors, a VM fd hands
 * out vCPU file descriptors, and a vCPU fd is run with MVM_RUN and reports
 * why it stopped in a shared struct mvm_run (mmap of the vCPU fd at offset 0).
 * Documentation/uapi.md describes every call; selftests/ exercises them.
 *
 * Versioning: MVM_GET_API_VERSION returns MVM_API_VERSION. Incompatible
 * changes bump it; additions are announced through MVM_CHECK_EXTENSION.
 */
#ifndef _UAPI_LINUX_MVM_H
#define _UAPI_LINUX_MVM_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MVM_API_VERSION		1

/* Extensions reported by MVM_CHECK_EXTENSION (0 = absent). */
#define MVM_CAP_USER_MEMORY	1	/* MVM_SET_USER_MEMORY_REGION */
#define MVM_CAP_READONLY_MEM	2	/* MVM_MEM_READONLY slots */
#define MVM_CAP_NR_MEMSLOTS	3	/* returns the number of slots */
#define MVM_CAP_NR_VCPUS	4	/* returns the vCPUs per VM */
#define MVM_CAP_ONE_REG		5	/* MVM_GET/SET_ONE_REG */
#define MVM_CAP_GUEST_TLB	6	/* returns the guest TLB size */
#define MVM_CAP_IRQ_LINE	7	/* returns the number of lines */
#define MVM_CAP_FLAT_WINDOW	8	/* returns log2 of the flat GVA window */
#define MVM_CAP_HYPERCALL	9	/* hypcall exits (flat mode only) */
#define MVM_CAP_GUEST_MMU	10	/* MVM_ENABLE_CAP: translate through the guest TLB */
#define MVM_CAP_USERLOCAL	11	/* rdhwr $29 runs natively (host has ULRI) */
#define MVM_CAP_GUEST_KERNEL	12	/* MVM_ENABLE_CAP: patched guest kernel code */
#define MVM_CAP_SYNC_REGS	13	/* returns the MVM_SYNC_* sets of run->s */
#define MVM_CAP_GUEST_KERNEL_COUNT 14	/* kernel_mode runs may rdhwr $2 (host Count) */
#define MVM_CAP_GUEST_KERNEL_TLB 15	/* kernel_mode: `syscall MVM_GK_CALL_TLB*` in mvm.ko */
#define MVM_CAP_GUEST_KERNEL_ERET 16	/* kernel_mode: `syscall MVM_GK_CALL_ERET` */
#define MVM_CAP_GUEST_KERNEL_DELIVER 17	/* MVM_ENABLE_CAP: user exceptions to patched code */
#define MVM_CAP_GUEST_KERNEL_TIMER 18	/* MVM_ENABLE_CAP: the guest's Compare in mvm.ko */
#define MVM_CAP_GUEST_KERNEL_ASID 19	/* kernel_mode: `syscall MVM_GK_CALL_ENTRYHI` */
#define MVM_CAP_GUEST_KERNEL_WAIT 20	/* kernel_mode: `syscall MVM_GK_CALL_WAIT` */

/* Limits. */
#define MVM_MAX_MEMSLOTS	32
#define MVM_MAX_VCPUS		8
#define MVM_GUEST_TLB_SIZE	64
#define MVM_NR_IRQ_LINES	6	/* Cause.IP2 .. Cause.IP7 */
/* Flat mode: guest virtual addresses [0, 2^40) are guest physical ones. */
#define MVM_FLAT_WINDOW_BITS	40

#define MVMIO			0xAE

/* /dev/mvm */
#define MVM_GET_API_VERSION	_IO(MVMIO, 0x00)
#define MVM_CREATE_VM		_IO(MVMIO, 0x01)	/* arg: type, must be 0 */
#define MVM_CHECK_EXTENSION	_IO(MVMIO, 0x03)	/* arg: MVM_CAP_* */
#define MVM_GET_VCPU_MMAP_SIZE	_IO(MVMIO, 0x04)

/* VM fd */
#define MVM_MEM_READONLY	(1u << 1)

struct mvm_userspace_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes; 0 deletes the slot */
	__u64 userspace_addr;	/* start of the backing user memory */
};

struct mvm_irq_level {
	__u32 irq;		/* 0 .. MVM_NR_IRQ_LINES-1 = Cause.IP2 .. IP7 */
	__u32 level;		/* 1 raised, 0 lowered */
};

#define MVM_CREATE_VCPU		_IO(MVMIO, 0x41)	/* arg: vCPU id */
#define MVM_SET_USER_MEMORY_REGION _IOW(MVMIO, 0x46, \
					struct mvm_userspace_memory_region)
#define MVM_IRQ_LINE		_IOW(MVMIO, 0x61, struct mvm_irq_level)

/* vCPU fd */
struct mvm_regs {
	__u64 gpr[32];
	__u64 hi;
	__u64 lo;
	__u64 pc;
};

/*
 * One register by id. Ids: MVM_REG_CP0(reg, sel) for the guest's CP0 state
 * (64-bit values; 32-bit registers are sign-extended). mvm.ko stores all of
 * them; these it also honours:
 *   CP0(10, 0) EntryHi: its ASID selects guest TLB entries (MVM_CAP_GUEST_MMU)
 *   CP0(4, 2)  UserLocal: what `rdhwr $29` reads in the guest, and
 *   CP0(7, 0)  HWREna: only bit 29 (UserLocal) counts; with it set and
 *              MVM_CAP_USERLOCAL, `rdhwr $29` runs without an exit. Any
 *              other rdhwr, or without them, is an RI exception exit.
 *   CP0(13, 0) Cause, CP0(14, 0) EPC, CP0(8, 0) BadVAddr: set by exception
 *              exits; Cause.IP2..IP7 read back MVM_IRQ_LINE.
 */
struct mvm_one_reg {
	__u64 id;
	__u64 addr;		/* user pointer to a __u64 */
};

#define MVM_REG_CP0_BASE	0x1000ull
#define MVM_REG_CP0(reg, sel)	(MVM_REG_CP0_BASE | ((reg) << 3) | (sel))

/*
 * Read-only counters of the vCPU (MVM_SET_ONE_REG on them: EINVAL), for
 * tests and measurements: exits from guest mode, whether handled in the
 * kernel or not (host interrupts included), and host TLB entries written
 * for the guest (refills).
 */
#define MVM_REG_STAT_BASE	0x2000ull
#define MVM_REG_STAT_EXITS	(MVM_REG_STAT_BASE | 0)
#define MVM_REG_STAT_REFILLS	(MVM_REG_STAT_BASE | 1)

/* One entry of the guest's TLB (MIPS64 layout, as tlbr/tlbwi see it). */
struct mvm_tlb_entry {
	__u32 index;		/* 0 .. MVM_GUEST_TLB_SIZE-1 */
	__u32 pad;
	__u64 entryhi;
	__u64 entrylo0;
	__u64 entrylo1;
	__u64 pagemask;
};

/*
 * MVM_ENABLE_CAP on a vCPU. MVM_CAP_GUEST_MMU, args[0] = 1: guest virtual
 * addresses translate through the guest's TLB (MVM_SET_TLB, ASID from CP0
 * EntryHi) instead of the flat window; a guest TLB miss, invalid entry or
 * store to a clean page is an MVM_EXIT_EXCEPTION for the guest to handle.
 * args[0] = 0 goes back to flat mode.
 */
struct mvm_enable_cap {
	__u32 cap;
	__u32 flags;		/* must be 0 */
	__u64 args[4];
};

/*
 * MVM_ENABLE_CAP on a vCPU, MVM_CAP_GUEST_KERNEL (needs MVM_CAP_GUEST_MMU
 * on): args[0] = the commpage, a page-aligned user buffer of
 * MVM_GK_COMM_SIZE bytes; args[1] = the translation cache, a page-aligned
 * user buffer; args[2] = its size (a multiple of the page size, at most
 * MVM_GK_CODE_MAX); args[3] must be 0. Both buffers stay pinned until the
 * capability is turned off (all args 0) or the vCPU goes. The VMM's code
 * patcher writes host MIPS code for guest kernel code into the cache; an
 * MVM_RUN with struct mvm_run.kernel_mode = 1 runs it, at the host address
 * in the PC, in the vCPU's guest-kernel address space (host user mode, a
 * host ASID of its own per guest ASID, never visible to guest user mode):
 *
 *   [MVM_GK_COMM_BASE, +MVM_GK_COMM_SIZE)  the commpage, read/write
 *   [0, 2^40) otherwise         guest user addresses through the guest TLB,
 *                               exactly as in user mode
 *   [MVM_GK_PHYS_BASE, +2^40)   guest physical address (offset): xkphys
 *   [MVM_GK_XKSEG_BASE, +2^40)  guest VA 0xc000000000000000 + offset,
 *                               through the guest TLB
 *   [MVM_GK_CKSEG_BASE, +2^31)  guest VA 0xffffffff80000000 + offset:
 *                               below 2^30 unmapped onto guest physical
 *                               (offset & 0x1fffffff: ckseg0/1), above
 *                               through the guest TLB (ckseg2/3)
 *   [MVM_GK_CODE_BASE, +args[2]) the translation cache, read + execute
 *
 * Guest physical addresses without RAM are MMIO exits (run->pc: the host
 * PC of the access) as in user mode; anything else that faults (a guest
 * TLB miss, an address outside these ranges) is an MVM_EXIT_EXCEPTION
 * whose epc and badvaddr are host addresses: the VMM maps them back.
 */
#define MVM_GK_COMM_BASE	0x1000ull
#define MVM_GK_COMM_SIZE	0x7000ull
#define MVM_GK_PHYS_BASE	(1ull << 40)
#define MVM_GK_XKSEG_BASE	(1ull << 41)
#define MVM_GK_CKSEG_BASE	((1ull << 41) | (1ull << 40))
#define MVM_GK_CODE_BASE	0x3f000000000ull
#define MVM_GK_CODE_MAX		(64ull << 20)

/*
 * The commpage's shared part (host addresses, as patched code reaches them
 * with $zero-relative loads and stores). The VMM keeps the guest's CP0
 * there while patched code runs; mvm.ko reads and writes it for the calls
 * below; the rest of the commpage is the VMM's own.
 *
 * MVM_CAP_GUEST_KERNEL_TLB: in a kernel_mode run, `syscall CODE` with CODE
 * (bits 25..6) one of MVM_GK_CALL_TLB* is the guest instruction of that
 * name, done by mvm.ko on the guest TLB (MVM_SET_TLB's) with the commpage's
 * CP0 as operands, and the run goes on at the next host instruction. An
 * entry tlbwi/tlbwr wrote is copied to MVM_GK_COMM_TLB(index) and its bit
 * set in the MVM_GK_COMM_TLB_WRITTEN mask, for the VMM to take in and
 * clear. tlbwr draws its index as a xorshift64 step of the seed at
 * MVM_GK_COMM_RANDOM: Wired + seed % (MVM_GUEST_TLB_SIZE - Wired), or the
 * last entry when Wired covers all. What mvm.ko does not do (an unusable
 * PageMask, a tlbr that would change the ASID) is the MVM_EXIT_EXCEPTION
 * (Sys) of that syscall, with nothing changed: the VMM executes the
 * instruction itself.
 */
#define MVM_GK_COMM_CP0(reg, sel)	(0x1000ull + ((reg) * 8 + (sel)) * 8)
#define MVM_GK_COMM_TLB_WRITTEN	0x1860ull	/* __u64 mask */
#define MVM_GK_COMM_RANDOM	0x1868ull	/* __u64 seed */
#define MVM_GK_COMM_TLB(i)	(0x6000ull + (i) * 32)	/* entryhi, lo0, lo1, pagemask */
#define MVM_GK_COMM_DELIVERED	0x1880ull	/* nonzero: mvm.ko delivered one */
#define MVM_GK_COMM_VEC_GENERAL	0x1888ull	/* host PC of EBase + 0x180, or 0 */
#define MVM_GK_COMM_VEC_REFILL	0x1890ull	/* host PC of EBase + 0x080, or 0 */
#define MVM_GK_COMM_COUNT_OFFSET 0x1848ull	/* guest Count - host Count (low 32 bits) */
#define MVM_GK_COMM_COMPARE_COUNT 0x1898ull	/* guest Count at mvm.ko's Compare write */
#define MVM_GK_COMM_COMPARE_WRITTEN 0x18a0ull	/* nonzero: mvm.ko wrote Compare */
#define MVM_GK_COMM_VEC_INTERRUPT 0x18a8ull	/* host PC of EBase + 0x200, or 0 */
#define MVM_GK_COMM_TIMER_RAISED 0x18b0ull	/* nonzero: mvm.ko raised Cause.TI */
#define MVM_GK_COMM_TIMER_COUNT	0x18b8ull	/* the guest Count it did it at */
#define MVM_GK_COMM_WAIT_PC	0x18c0ull	/* guest PC after a wait (its EPC) */

#define MVM_GK_CALL_TLBP	1
#define MVM_GK_CALL_TLBR	2
#define MVM_GK_CALL_TLBWI	3
#define MVM_GK_CALL_TLBWR	4

/*
 * MVM_CAP_GUEST_KERNEL_ERET: `syscall MVM_GK_CALL_ERET` is the guest's eret
 * back to user mode, when the commpage's Status says so: EXL set; ERL,
 * CU0, CU1 and RE clear; KSU user; UX set; and no interrupt it lets in
 * (IE clear, or none of Status.IM in the commpage's Cause.IP or the lines
 * MVM_IRQ_LINE raised). mvm.ko then clears Status.EXL on the commpage, takes the
 * guest's UserLocal from it, and the run goes on in guest user mode at
 * EPC, under EntryHi's ASID; struct mvm_run.kernel_mode reads 0 at its
 * exit, which is a user-mode one. Any other Status: the syscall's Sys
 * exit, nothing changed.
 */
#define MVM_GK_CALL_ERET	5

/*
 * MVM_ENABLE_CAP on a vCPU, MVM_CAP_GUEST_KERNEL_TIMER (needs
 * MVM_CAP_GUEST_KERNEL on), args[0] = 1 (0: off), for a VMM whose guest
 * Count is the host's Count plus the offset it keeps at
 * MVM_GK_COMM_COUNT_OFFSET: at the start of every MVM_RUN mvm.ko arms a
 * timer for the guest's Compare on the commpage (once per value; a
 * deadline half the Count range or more away counts as passed) and ends
 * the run with MVM_EXIT_INTR when it is due, so the VMM needs no timer of
 * its own. In a kernel_mode run, `syscall MVM_GK_CALL_COMPARE` after
 * patched code stored a new value in the commpage's Compare is the guest's
 * mtc0 Compare: Cause.TI and IP7 cleared on the commpage, the timer armed
 * for the new value, the guest Count of the write at
 * MVM_GK_COMM_COMPARE_COUNT and MVM_GK_COMM_COMPARE_WRITTEN set for the
 * VMM to take and clear. Without the capability it is a Sys exit.
 * With MVM_CAP_GUEST_KERNEL_DELIVER on too, a timer due while the guest
 * runs in user mode with Status.IE and IM7 set (EXL, ERL clear) is taken
 * there instead of the exit: Cause.TI and IP7 raised on the commpage, the
 * interrupt delivered (ExcCode 0) to the host PC at MVM_GK_COMM_VEC_INTERRUPT
 * (Cause.IV set) or MVM_GK_COMM_VEC_GENERAL, and MVM_GK_COMM_TIMER_RAISED
 * set with the guest Count of that at MVM_GK_COMM_TIMER_COUNT.
 */
#define MVM_GK_CALL_COMPARE	6

/*
 * MVM_CAP_GUEST_KERNEL_ASID: in a kernel_mode run, `syscall
 * MVM_GK_CALL_ENTRYHI` after patched code stored EntryHi on the commpage
 * is the guest's mtc0 EntryHi with a new ASID: mvm.ko takes the value as
 * MVM_SET_ONE_REG of CP0 EntryHi would, so guest user addresses go through
 * the guest TLB under the new ASID, from kernel mode at once and from user
 * mode after the eret; the run goes on after the call. mvm.ko leaves the
 * commpage alone (the VMM takes EntryHi from it). In a delay slot it is
 * the syscall's Sys exit, nothing changed.
 */
#define MVM_GK_CALL_ENTRYHI	7

/*
 * MVM_CAP_GUEST_KERNEL_WAIT: in a kernel_mode run with
 * MVM_CAP_GUEST_KERNEL_TIMER and MVM_CAP_GUEST_KERNEL_DELIVER on, `syscall
 * MVM_GK_CALL_WAIT` after patched code stored the guest PC that follows
 * the wait at MVM_GK_COMM_WAIT_PC is the guest's wait: when the
 * commpage's Status has IM7 set and EXL and ERL clear, and no interrupt
 * Status.IM lets through is pending yet (the commpage's Cause.IP or the
 * lines MVM_IRQ_LINE raised), mvm.ko sleeps until the guest's timer is due
 * and raises it as in user mode (Cause.TI and IP7, MVM_GK_COMM_TIMER_RAISED
 * and _COUNT). Then, with Status.IE set, the interrupt is taken in kernel
 * mode (ExcCode 0, BD clear, EPC = MVM_GK_COMM_WAIT_PC, Status.EXL,
 * MVM_GK_COMM_DELIVERED) at MVM_GK_COMM_VEC_INTERRUPT (Cause.IV set) or
 * MVM_GK_COMM_VEC_GENERAL; with IE clear the run goes on after the call.
 * A signal ends the sleep with MVM_EXIT_INTR at the call, nothing raised.
 * Anything else (a vector of 0 included) is the syscall's Sys exit,
 * nothing changed: the VMM executes the wait itself.
 */
#define MVM_GK_CALL_WAIT	8

/*
 * MVM_ENABLE_CAP on a vCPU, MVM_CAP_GUEST_KERNEL_DELIVER (needs
 * MVM_CAP_GUEST_KERNEL on), args[0] = 1 (0: off): in a user-mode run whose
 * commpage Status has EXL and ERL clear, a guest syscall, break, or fault of
 * the guest TLB (refill, invalid, Mod) is taken as the guest CPU takes it:
 * on the commpage EPC, Cause (ExcCode, BD; CE cleared), Status.EXL, and for
 * TLB faults BadVAddr, Context, XContext and EntryHi's VPN2 and R are set,
 * MVM_GK_COMM_DELIVERED becomes 1, and the run goes on in kernel mode at
 * the host PC the VMM put at MVM_GK_COMM_VEC_REFILL (a refill) or
 * MVM_GK_COMM_VEC_GENERAL (the rest); run->kernel_mode reads 1 after it.
 * A host PC of 0, or one outside the translation cache, leaves the
 * exception to the VMM as before.
 */

#define MVM_ENABLE_CAP		_IOW(MVMIO, 0xa3, struct mvm_enable_cap)
#define MVM_RUN			_IO(MVMIO, 0x80)
#define MVM_GET_REGS		_IOR(MVMIO, 0x81, struct mvm_regs)
#define MVM_SET_REGS		_IOW(MVMIO, 0x82, struct mvm_regs)
#define MVM_GET_ONE_REG		_IOW(MVMIO, 0xab, struct mvm_one_reg)
#define MVM_SET_ONE_REG		_IOW(MVMIO, 0xac, struct mvm_one_reg)
#define MVM_GET_TLB		_IOWR(MVMIO, 0xb0, struct mvm_tlb_entry)
#define MVM_SET_TLB		_IOW(MVMIO, 0xb1, struct mvm_tlb_entry)

/* Why MVM_RUN returned (struct mvm_run.exit_reason). */
#define MVM_EXIT_UNKNOWN	0
#define MVM_EXIT_MMIO		6
#define MVM_EXIT_HYPERCALL	3
#define MVM_EXIT_INTR		10
#define MVM_EXIT_INTERNAL_ERROR	17
#define MVM_EXIT_EXCEPTION	32

/*
 * `hypcall MVM_HYPCALL_CODE_NOP` is answered in the kernel (v0 = 0) without
 * an exit to userspace: the cheapest round trip, for measurements.
 * Hypercalls exist in flat mode only: with MVM_CAP_GUEST_MMU the guest is an
 * OS's user mode, and hypcall (any code) is an MVM_EXIT_EXCEPTION with the
 * exception the CPU raised (CpU, or RI), for the guest's kernel to handle.
 */
#define MVM_HYPCALL_CODE_NOP	0x3ff

/* Sub-codes of MVM_EXIT_INTERNAL_ERROR. */
#define MVM_INTERNAL_ERROR_EMULATION	1  /* an instruction mvm cannot emulate */
#define MVM_INTERNAL_ERROR_FETCH	2  /* the faulting instruction is unreadable */
#define MVM_INTERNAL_ERROR_PIN		3  /* the memslot's user memory is gone */
#define MVM_INTERNAL_ERROR_DELAY_SLOT	4  /* MMIO/hypercall in a delay slot */

struct mvm_run {
	/* in */
	__u8 request_interrupt_window;	/* reserved, must be 0 */
	__u8 immediate_exit;		/* return MVM_EXIT_INTR before entering */
	__u8 kernel_mode;		/* MVM_CAP_GUEST_KERNEL: run patched code; */
					/* out: 0 if it went to user mode */
	__u8 padding1[5];

	/* out */
	__u32 exit_reason;
	__u32 padding2;
	__u64 pc;			/* guest PC at the exit */

	union {
		/* MVM_EXIT_MMIO: for a load, fill data before the next MVM_RUN. */
		struct {
			__u64 phys_addr;
			__u8 data[8];	/* little-endian, len bytes */
			__u32 len;	/* 1, 2, 4 or 8 */
			__u8 is_write;
			__u8 pad[3];
		} mmio;
		/*
		 * MVM_EXIT_EXCEPTION: the guest took an exception mvm does not
		 * handle. pc (above) is the EPC: the branch when Cause.BD is set.
		 */
		struct {
			__u64 cause;
			__u64 epc;
			__u64 badvaddr;	/* valid for address/TLB exceptions */
			__u32 exc_code;	/* Cause.ExcCode */
			__u32 insn;	/* the instruction at EPC (0 if unreadable) */
			__u32 flags;	/* MVM_EX_* */
			__u32 pad;
		} ex;
		/*
		 * MVM_EXIT_HYPERCALL (flat mode): `hypcall code`; nr = v0,
		 * args = a0..a3.
		 */
		struct {
			__u64 nr;
			__u64 args[4];
			__u64 ret;	/* written to v0 on the next MVM_RUN */
			__u32 code;	/* the instruction's 10-bit code field */
			__u32 pad;
		} hypercall;
		/* MVM_EXIT_INTERNAL_ERROR */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 data[4];	/* suberror-specific: e.g. insn, pc, badvaddr */
		} internal;
		char padding[256];
	};

	/*
	 * MVM_CAP_SYNC_REGS: registers shared through this page instead of
	 * MVM_GET_REGS/MVM_SET_REGS. sync_valid (in): the MVM_SYNC_* sets
	 * MVM_RUN writes into s at each of its returns (any exit reason,
	 * errors included). sync_dirty (in): the sets the VMM changed in s;
	 * MVM_RUN loads them first, as the MVM_SET_* call would (a pending
	 * MMIO load or hypercall result is dropped), and clears sync_dirty.
	 * Unknown bits in either: MVM_RUN fails with EINVAL and does nothing.
	 * To complete an MMIO load (or a hypercall), fill run->mmio.data
	 * (run->hypercall.ret) and run again without marking MVM_SYNC_REGS
	 * dirty.
	 */
	__u64 sync_valid;
	__u64 sync_dirty;
	union {
		struct mvm_regs regs;	/* MVM_SYNC_REGS */
		char padding[2048];
	} s;
};

/* The register sets of struct mvm_run.s (MVM_CAP_SYNC_REGS). */
#define MVM_SYNC_REGS		(1ull << 0)	/* s.regs: struct mvm_regs */

/* ex.flags: no guest TLB entry matched (the guest's refill vector). */
#define MVM_EX_TLB_REFILL	(1u << 0)

/* Guest exception codes (Cause.ExcCode) that show up in ex.exc_code. */
#define MVM_EXC_INT	0
#define MVM_EXC_MOD	1
#define MVM_EXC_TLBL	2
#define MVM_EXC_TLBS	3
#define MVM_EXC_ADEL	4
#define MVM_EXC_ADES	5
#define MVM_EXC_SYS	8
#define MVM_EXC_BP	9
#define MVM_EXC_RI	10
#define MVM_EXC_CPU	11
#define MVM_EXC_OV	12
#define MVM_EXC_TR	13

#endif /* _UAPI_LINUX_MVM_H */
