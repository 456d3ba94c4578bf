// SPDX-License-Identifier: GPL-2.0
/*
 * MVM_CAP_GUEST_KERNEL: host code in the VMM's translation cache runs with
 * struct mvm_run.kernel_mode = 1 in a guest-kernel address space of its
 * own: the commpage at 0x1000 ($zero-relative), guest user addresses, and
 * windows onto guest physical memory, xkseg and ckseg (uapi/linux/mvm.h).
 * The code below is what the VMM's code patcher would write into the cache.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define LO_G		1ull
#define LO_V		2ull
#define LO_D		4ull
#define LO(gpa, flags)	((((gpa) >> 12) << 6) | (3 << 3) | (flags))

#define CODE_SIZE	0x4000ull	/* the translation cache: 4 pages */
#define CODE_GVA	0x400000ull	/* guest user code (user-mode runs) */
#define CODE_GPA	(GUEST_RAM_GPA + 0x2000)
#define DATA_GPA	(GUEST_RAM_GPA + 0x3000)
#define OTHER_GPA	(GUEST_RAM_GPA + 0x4000)
#define THIRD_GPA	(GUEST_RAM_GPA + 0x5000)
#define CKSEG1		0x20000000ull	/* ckseg1's offset in the CKSEG window */
#define CKSEG2		0x40000000ull	/* ckseg2's */
#define MMIO_LOW_GPA	0x1f000000ull	/* no RAM, reachable through ckseg1 */
#define SYSCALL_INSN	0x0000000cu

/* v0 = *(a0); *(a0 + 8) = a1; syscall. */
GUEST_CODE(gk_rw,
	"	ld	$2, 0($4)\n"
	"	sd	$5, 8($4)\n"
	"	syscall\n");

/* The commpage through $zero: first and last doubleword, and a store. */
GUEST_CODE(gk_comm,
	"	ld	$2, 0x1000($0)\n"
	"	sd	$5, 0x1008($0)\n"
	"	ld	$3, 0x7ff8($0)\n"
	"	syscall\n");

/* An MMIO load and a 32-bit MMIO store. */
GUEST_CODE(gk_mmio,
	"	ld	$2, 0x10($4)\n"
	"	sw	$5, 0x20($4)\n"
	"	syscall\n");

/* An access in a delay slot: the patcher never emits one. */
GUEST_CODE(gk_mmio_delay,
	"	b	1f\n"
	"	 ld	$2, 0($4)\n"
	"1:	syscall\n");

GUEST_CODE(gk_li1,
	"	li	$2, 1\n"
	"	syscall\n");

/* v0, v1 = two reads of the host's Count; syscall. */
GUEST_CODE(gk_count,
	"	.set	push\n"
	"	.set	mips64r2\n"
	"	rdhwr	$2, $2\n"
	"	rdhwr	$3, $2\n"
	"	.set	pop\n"
	"	syscall\n");

GUEST_CODE(gk_li2,
	"	li	$2, 2\n"
	"	syscall\n");

/* Guest user code (kernel_mode = 0): v0 = *(a0); syscall. */
GUEST_CODE(guest_load,
	"	ld	$2, 0($4)\n"
	"	syscall\n");

/* Eight loads from a0, a0 + a1, ... a0 + 7 * a1; syscall. */
GUEST_CODE(gk_load8,
	"	.rept	7\n"
	"	ld	$2, 0($4)\n"
	"	daddu	$4, $4, $5\n"
	"	.endr\n"
	"	ld	$2, 0($4)\n"
	"	syscall\n");

/* The guest TLB instructions as the patcher emits them (MVM_GK_CALL_*). */
#define GK_TLBP		"	syscall	1\n"
#define GK_TLBR		"	syscall	2\n"
#define GK_TLBWI	"	syscall	3\n"
#define GK_TLBWR	"	syscall	4\n"

/* tlbwi, then v0 = *(a0); syscall. */
GUEST_CODE(gk_tlbwi_load,
	GK_TLBWI
	"	ld	$2, 0($4)\n"
	"	syscall\n");

GUEST_CODE(gk_tlbp, GK_TLBP "	syscall\n");

/* mtc0 EntryHi with a new ASID as the patcher emits it, then v0 = *(a0). */
#define GK_ENTRYHI	"	syscall	7\n"
GUEST_CODE(gk_entryhi_load,
	GK_ENTRYHI
	"	ld	$2, 0($4)\n"
	"	syscall\n");
GUEST_CODE(gk_entryhi_delay,
	"	b	1f\n"
	GK_ENTRYHI
	"1:	syscall\n");
GUEST_CODE(gk_tlbr, GK_TLBR "	syscall\n");
GUEST_CODE(gk_tlbwr, GK_TLBWR "	syscall\n");
GUEST_CODE(gk_eret, "	syscall	5\n");

/* Guest user code: a syscall in a delay slot. */
GUEST_CODE(user_syscall_in_slot,
	"	b	1f\n"
	"	 syscall\n"
	"1:	syscall\n");

/* The patcher never puts a call in a delay slot: not one there. */
GUEST_CODE(gk_tlbwi_delay,
	"	b	1f\n"
	GK_TLBWI
	"1:	syscall\n");

FIXTURE(gk) {
	struct mvm_test_vm t;
	uint64_t *comm;		/* the commpage, host VA 0x1000 in kernel mode */
	uint32_t *code;		/* the translation cache */
};

static uint64_t get_cp0(struct mvm_test_vm *t, int reg)
{
	uint64_t val = ~0ull;
	struct mvm_one_reg r = { MVM_REG_CP0(reg, 0), (uintptr_t)&val };

	return ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r) ? ~0ull : val;
}

static int guest_mmu(struct mvm_test_vm *t, int on)
{
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_MMU, .args = { on } };

	return ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap) ? -errno : 0;
}

static int gk_enable(struct mvm_test_vm *t, uint64_t comm, uint64_t code,
		     uint64_t size, uint64_t a3, uint32_t flags)
{
	struct mvm_enable_cap cap = {
		.cap = MVM_CAP_GUEST_KERNEL, .flags = flags,
		.args = { comm, code, size, a3 },
	};

	return ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap) ? -errno : 0;
}

static uint64_t *host(struct mvm_test_vm *t, uint64_t gpa)
{
	return mvm_gpa_ptr(t, gpa);
}

static void *map_rw(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

FIXTURE_SETUP(gk)
{
	struct mvm_test_vm *t = &self->t;
	int ret = mvm_vm_create(t);

	if (ret == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_EQ(0, ret);
	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL (host pages not 4 KiB?)");
	self->comm = map_rw(MVM_GK_COMM_SIZE);
	self->code = map_rw(CODE_SIZE);
	ASSERT_NE(NULL, self->comm);
	ASSERT_NE(NULL, self->code);
	*host(t, DATA_GPA) = 0x1111;
	*host(t, OTHER_GPA) = 0x2222;
	*host(t, THIRD_GPA) = 0x3333;
	ASSERT_EQ(0, guest_mmu(t, 1));
	ASSERT_EQ(0, mvm_set_cp0(t, 10, 0, 5));	/* guest ASID 5 */
	ASSERT_EQ(0, gk_enable(t, (uintptr_t)self->comm, (uintptr_t)self->code,
			       CODE_SIZE, 0, 0));
}

FIXTURE_TEARDOWN(gk)
{
	mvm_vm_destroy(&self->t);
	if (self->comm)
		munmap(self->comm, MVM_GK_COMM_SIZE);
	if (self->code)
		munmap(self->code, CODE_SIZE);
}

/*
 * Writes host code into the cache at @off (as the patcher would, with the
 * I-cache sync real hardware needs) and points the PC at it; the other
 * registers are 0.
 */
static void gk_load_at(struct __test_metadata *_metadata, FIXTURE_DATA(gk) *self,
		       const char *start, size_t len, uint64_t off)
{
	struct mvm_regs r;
	char *dst = (char *)self->code + off;

	ASSERT_GE(CODE_SIZE, off + len);
	memcpy(dst, start, len);
	__builtin___clear_cache(dst, dst + len);
	memset(&r, 0, sizeof(r));
	r.pc = MVM_GK_CODE_BASE + off;
	ASSERT_EQ(0, ioctl(self->t.vcpu_fd, MVM_SET_REGS, &r));
}

#define gk_load(name, off) \
	gk_load_at(_metadata, self, name##_start, GUEST_CODE_LEN(name), off)

static int run_kernel(struct mvm_test_vm *t)
{
	t->run->kernel_mode = 1;
	return mvm_run(t);
}

static int run_user(struct mvm_test_vm *t)
{
	t->run->kernel_mode = 0;
	return mvm_run(t);
}

/* Runs kernel mode to an exception exit with @exc at host PC @pc. */
static void expect_exc(struct __test_metadata *_metadata, struct mvm_test_vm *t,
		       uint32_t exc, uint64_t pc)
{
	ASSERT_EQ(0, run_kernel(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	ASSERT_EQ(exc, t->run->ex.exc_code)
		TH_LOG("exc %u pc 0x%llx badvaddr 0x%llx",
		       t->run->ex.exc_code, (unsigned long long)t->run->pc,
		       (unsigned long long)t->run->ex.badvaddr);
	EXPECT_EQ(pc, t->run->pc);
	EXPECT_EQ(pc, t->run->ex.epc);
}

/* gk_rw at cache offset 0 with a0 = @a0, to its syscall: v0 = @v0. */
static void rw_through(struct __test_metadata *_metadata, FIXTURE_DATA(gk) *self,
		       uint64_t a0, uint64_t a1, uint64_t v0)
{
	struct mvm_test_vm *t = &self->t;

	gk_load(gk_rw, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, a0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, a1));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
	EXPECT_EQ(v0, mvm_reg(t, R_V0)) TH_LOG("a0 0x%llx",
					       (unsigned long long)a0);
}

TEST_F(gk, extension_is_announced)
{
	EXPECT_EQ(1, ioctl(self->t.dev_fd, MVM_CHECK_EXTENSION,
			   MVM_CAP_GUEST_KERNEL));
	/* A VM fd answers too, as KVM's do. */
	EXPECT_EQ(1, ioctl(self->t.vm_fd, MVM_CHECK_EXTENSION,
			   MVM_CAP_GUEST_KERNEL));
	EXPECT_EQ(MVM_MAX_MEMSLOTS, ioctl(self->t.vm_fd, MVM_CHECK_EXTENSION,
					  MVM_CAP_NR_MEMSLOTS));
	EXPECT_EQ(0, ioctl(self->t.vm_fd, MVM_CHECK_EXTENSION, 12345));
}

/*
 * MVM_CAP_GUEST_KERNEL_COUNT: kernel_mode runs read the host's Count with
 * rdhwr $2 (no exit); user mode still gets a reserved instruction.
 */
TEST_F(gk, host_count_in_kernel_mode_only)
{
	struct mvm_test_vm *t = &self->t;
	long cap = ioctl(self->t.vm_fd, MVM_CHECK_EXTENSION,
			 MVM_CAP_GUEST_KERNEL_COUNT);

	ASSERT_LE(0, cap);
	if (!cap)
		SKIP(return, "host is not MIPS64 Release 2");
	gk_load(gk_count, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
	/* Count moves on (QEMU: 100 MHz), and not by seconds in between. */
	EXPECT_NE(mvm_reg(t, R_V0), mvm_reg(t, R_V1));
	EXPECT_GT(10000000u, (uint32_t)(mvm_reg(t, R_V1) - mvm_reg(t, R_V0)));
	/* The same code in user mode: no Count for the guest's user mode. */
	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, gk_count_start,
				   GUEST_CODE_LEN(gk_count)));
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V), 0, 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, run_user(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_RI, t->run->ex.exc_code);
}

TEST_F(gk, commpage_through_zero_offsets)
{
	struct mvm_test_vm *t = &self->t;

	self->comm[0] = 0x1111;
	self->comm[(0x7ff8 - MVM_GK_COMM_BASE) / 8] = 0x7777;
	gk_load(gk_comm, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0xabcd));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 12);
	EXPECT_EQ(0x1111, mvm_reg(t, R_V0));
	EXPECT_EQ(0x7777, mvm_reg(t, R_V1));
	EXPECT_EQ(0xabcd, self->comm[1]);
}

/* syscall: host EPC and the instruction; the guest's CP0 is untouched. */
TEST_F(gk, syscall_exit_has_the_host_pc_and_insn)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_cp0(t, 13, 0, 0x24));
	ASSERT_EQ(0, mvm_set_cp0(t, 14, 0, 0xffffffff80001234ull));
	ASSERT_EQ(0, mvm_set_cp0(t, 8, 0, 0xffffffff80005678ull));
	gk_load(gk_li1, 0x1ffc);	/* the syscall on the next page */
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 0x2000);
	EXPECT_EQ(SYSCALL_INSN, t->run->ex.insn);
	EXPECT_EQ(0, t->run->ex.flags);
	EXPECT_EQ(1, mvm_reg(t, R_V0));
	EXPECT_EQ(0x24, get_cp0(t, 13) & 0x7c);
	EXPECT_EQ(0xffffffff80001234ull, get_cp0(t, 14));
	EXPECT_EQ(0xffffffff80005678ull, get_cp0(t, 8));
}

TEST_F(gk, phys_window_reaches_guest_ram)
{
	rw_through(_metadata, self, MVM_GK_PHYS_BASE + DATA_GPA, 0xabcd, 0x1111);
	EXPECT_EQ(0xabcd, *host(&self->t, DATA_GPA + 8));
}

TEST_F(gk, ckseg0_and_ckseg1_are_unmapped_guest_ram)
{
	rw_through(_metadata, self, MVM_GK_CKSEG_BASE + DATA_GPA, 0xc0, 0x1111);
	EXPECT_EQ(0xc0, *host(&self->t, DATA_GPA + 8));
	rw_through(_metadata, self, MVM_GK_CKSEG_BASE + CKSEG1 + OTHER_GPA,
		   0xc1, 0x2222);
	EXPECT_EQ(0xc1, *host(&self->t, OTHER_GPA + 8));
}

TEST_F(gk, xkseg_through_the_guest_tlb)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0xc000000000400000ull | 5,
				 LO(DATA_GPA, LO_V | LO_D),
				 LO(OTHER_GPA, LO_V | LO_D), 0));
	rw_through(_metadata, self, MVM_GK_XKSEG_BASE + 0x400000, 1, 0x1111);
	rw_through(_metadata, self, MVM_GK_XKSEG_BASE + 0x401000, 2, 0x2222);
	EXPECT_EQ(1, *host(t, DATA_GPA + 8));
	EXPECT_EQ(2, *host(t, OTHER_GPA + 8));
}

/* EntryHi as Linux writes it (sign-extended) or with zero fill bits. */
TEST_F(gk, ckseg2_through_the_guest_tlb)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0xffffffffc0000000ull | 5,
				 LO(DATA_GPA, LO_V | LO_D), 0, 0));
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0xc00000ffc0002000ull | 5,
				 LO(OTHER_GPA, LO_V | LO_D), 0, 0));
	rw_through(_metadata, self, MVM_GK_CKSEG_BASE + CKSEG2, 3, 0x1111);
	rw_through(_metadata, self, MVM_GK_CKSEG_BASE + CKSEG2 + 0x2000, 4,
		   0x2222);
	EXPECT_EQ(3, *host(t, DATA_GPA + 8));
	EXPECT_EQ(4, *host(t, OTHER_GPA + 8));
}

TEST_F(gk, useg_through_the_guest_tlb_under_its_asid_only)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0x800000 | 5, LO(DATA_GPA, LO_V | LO_D),
				 0, 0));
	rw_through(_metadata, self, 0x800000, 5, 0x1111);
	EXPECT_EQ(5, *host(t, DATA_GPA + 8));
	/* ASID 6: no entry, a guest refill with host addresses. */
	ASSERT_EQ(0, mvm_set_cp0(t, 10, 0, 6));
	gk_load(gk_rw, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	expect_exc(_metadata, t, MVM_EXC_TLBL, MVM_GK_CODE_BASE);
	EXPECT_EQ(MVM_EX_TLB_REFILL, t->run->ex.flags);
	EXPECT_EQ(0x800000, t->run->ex.badvaddr);
	ASSERT_EQ(0, mvm_set_cp0(t, 10, 0, 5));
	rw_through(_metadata, self, 0x800000, 6, 0x1111);
}

/* MMIO through xkphys and ckseg1: a load completed into v0, a store. */
TEST_F(gk, mmio_through_phys_and_ckseg1)
{
	static const uint64_t val = 0x1122334455667788ull;
	struct mvm_test_vm *t = &self->t;
	uint64_t gpas[2] = { GUEST_MMIO_GPA, MMIO_LOW_GPA };
	uint64_t bases[2] = { MVM_GK_PHYS_BASE + GUEST_MMIO_GPA,
			      MVM_GK_CKSEG_BASE + CKSEG1 + MMIO_LOW_GPA };
	uint32_t low;
	int i;

	for (i = 0; i < 2; i++) {
		gk_load(gk_mmio, 0);
		ASSERT_EQ(0, mvm_set_reg(t, R_A0, bases[i]));
		ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0xdeadbeefcafef00dull));
		ASSERT_EQ(0, run_kernel(t));
		ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason)
			TH_LOG("exit %s exc %u", mvm_exit_name(t->run->exit_reason),
			       t->run->ex.exc_code);
		EXPECT_EQ(gpas[i] + 0x10, t->run->mmio.phys_addr);
		EXPECT_EQ(8, t->run->mmio.len);
		EXPECT_EQ(0, t->run->mmio.is_write);
		EXPECT_EQ(MVM_GK_CODE_BASE, t->run->pc);
		memcpy(t->run->mmio.data, &val, 8);
		ASSERT_EQ(0, run_kernel(t));
		ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason);
		EXPECT_EQ(gpas[i] + 0x20, t->run->mmio.phys_addr);
		EXPECT_EQ(4, t->run->mmio.len);
		EXPECT_EQ(1, t->run->mmio.is_write);
		EXPECT_EQ(MVM_GK_CODE_BASE + 4, t->run->pc);
		memcpy(&low, t->run->mmio.data, 4);
		EXPECT_EQ(0xcafef00du, low);
		expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
		EXPECT_EQ(val, mvm_reg(t, R_V0));
	}
}

TEST_F(gk, mmio_in_a_delay_slot_is_an_internal_error)
{
	struct mvm_test_vm *t = &self->t;

	gk_load(gk_mmio_delay, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, MVM_GK_PHYS_BASE + GUEST_MMIO_GPA));
	ASSERT_EQ(0, run_kernel(t));
	ASSERT_EQ(MVM_EXIT_INTERNAL_ERROR, t->run->exit_reason);
	EXPECT_EQ(MVM_INTERNAL_ERROR_DELAY_SLOT, t->run->internal.suberror);
	EXPECT_EQ(MVM_GK_CODE_BASE, mvm_reg(t, 32));
}

/* Guest TLB faults in the xkseg window: host BadVAddr and EPC. */
TEST_F(gk, xkseg_faults_are_exceptions_with_host_addresses)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t a0 = MVM_GK_XKSEG_BASE + 0x800000;

	ASSERT_EQ(0, mvm_set_cp0(t, 8, 0, 0x5678));
	gk_load(gk_rw, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, a0));
	expect_exc(_metadata, t, MVM_EXC_TLBL, MVM_GK_CODE_BASE);
	EXPECT_EQ(MVM_EX_TLB_REFILL, t->run->ex.flags);
	EXPECT_EQ(a0, t->run->ex.badvaddr);
	EXPECT_EQ(0x5678, get_cp0(t, 8));
	/* Invalid entry: no refill flag. */
	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0xc000000000800000ull | 5, 0, 0, 0));
	expect_exc(_metadata, t, MVM_EXC_TLBL, MVM_GK_CODE_BASE);
	EXPECT_EQ(0, t->run->ex.flags);
	EXPECT_EQ(a0, t->run->ex.badvaddr);
	/* Clean page: the load works, the store is a Mod. */
	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0xc000000000800000ull | 5,
				 LO(DATA_GPA, LO_V), 0, 0));
	expect_exc(_metadata, t, MVM_EXC_MOD, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(a0 + 8, t->run->ex.badvaddr);
	EXPECT_EQ(0x1111, mvm_reg(t, R_V0));
	EXPECT_EQ(0, *host(t, DATA_GPA + 8));
	EXPECT_EQ(0x5678, get_cp0(t, 8));
}

/* Outside every window, and stores to the translation cache. */
TEST_F(gk, other_addresses_and_code_stores_are_exceptions)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t none[] = {
		MVM_GK_CODE_BASE + CODE_SIZE, MVM_GK_CODE_BASE - 0x1000,
		MVM_GK_CKSEG_BASE + (1ull << 31),
	};
	unsigned int i;

	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		gk_load(gk_rw, 0);
		ASSERT_EQ(0, mvm_set_reg(t, R_A0, none[i]));
		expect_exc(_metadata, t, MVM_EXC_TLBL, MVM_GK_CODE_BASE);
		EXPECT_EQ(none[i], t->run->ex.badvaddr);
		EXPECT_EQ(0, t->run->ex.flags);
	}
	/* Beyond the host's user segment: an address error. */
	gk_load(gk_rw, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 1ull << 42));
	expect_exc(_metadata, t, MVM_EXC_ADEL, MVM_GK_CODE_BASE);
	/* The cache reads, but is not writable. */
	gk_load(gk_rw, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, MVM_GK_CODE_BASE));
	expect_exc(_metadata, t, MVM_EXC_MOD, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(MVM_GK_CODE_BASE + 8, t->run->ex.badvaddr);
	EXPECT_EQ(*(uint64_t *)self->code, mvm_reg(t, R_V0));
}

/* MVM_SET_TLB drops what kernel mode mapped through the old entry. */
TEST_F(gk, set_tlb_invalidates_kernel_mode_entries)
{
	struct mvm_test_vm *t = &self->t;
	static const struct { uint64_t hi, a0; } cases[] = {
		{ 0xc000000000400000ull, MVM_GK_XKSEG_BASE + 0x400000 },
		{ 0xffffffffc0004000ull, MVM_GK_CKSEG_BASE + CKSEG2 + 0x4000 },
		{ 0xc00000ffc0008000ull, MVM_GK_CKSEG_BASE + CKSEG2 + 0x8000 },
		{ 0x800000ull, 0x800000 },
	};
	unsigned int i;
	int k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 4; k++) {
			uint64_t gpa = k % 2 ? OTHER_GPA : DATA_GPA;

			ASSERT_EQ(0, mvm_set_tlb(t, 3, cases[i].hi | 5,
						 LO(gpa, LO_V | LO_D), 0, 0));
			rw_through(_metadata, self, cases[i].a0, k,
				   *host(t, gpa));
		}
		/* A global entry reaches every ASID's kernel mode. */
		ASSERT_EQ(0, mvm_set_tlb(t, 3, cases[i].hi,
					 LO(THIRD_GPA, LO_V | LO_D | LO_G),
					 LO(0, LO_G), 0));
		rw_through(_metadata, self, cases[i].a0, 9, 0x3333);
		ASSERT_EQ(0, mvm_set_tlb(t, 3, cases[i].hi,
					 LO(DATA_GPA, LO_V | LO_D | LO_G),
					 LO(0, LO_G), 0));
		rw_through(_metadata, self, cases[i].a0, 9, 0x1111);
		ASSERT_EQ(0, mvm_set_tlb(t, 3, 0, 0, 0, 0));
	}
}

/* Stat counter (MVM_REG_STAT_*). */
static uint64_t stat(struct mvm_test_vm *t, uint64_t id)
{
	uint64_t val = ~0ull;
	struct mvm_one_reg r = { id, (uintptr_t)&val };

	return ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r) ? ~0ull : val;
}

/*
 * Rewriting kernel-segment entries (xkseg, per-ASID and global) that
 * kernel mode used leaves guest user mode's host entries alone: user mode
 * never matches them. The host may evict some between runs, hence a bound.
 */
TEST_F(gk, kernel_entry_rewrites_keep_user_entries)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t before, refills = 0;
	int i, runs = 20;

	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_load_start,
				   GUEST_CODE_LEN(guest_load)));
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
				 LO(DATA_GPA, LO_V), 0));
	for (i = 0; i < runs; i++) {
		uint64_t gpa = i % 2 ? OTHER_GPA : THIRD_GPA;

		ASSERT_EQ(0, mvm_set_tlb(t, 1, 0xc000000000400000ull | 5,
					 LO(gpa, LO_V | LO_D), 0, 0));
		ASSERT_EQ(0, mvm_set_tlb(t, 2, 0xc000000000800000ull,
					 LO(gpa, LO_V | LO_D | LO_G), LO(0, LO_G),
					 0));
		rw_through(_metadata, self, MVM_GK_XKSEG_BASE + 0x400000, 0,
			   *host(t, gpa));
		rw_through(_metadata, self, MVM_GK_XKSEG_BASE + 0x800000, 0,
			   *host(t, gpa));
		ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_load_start,
					   GUEST_CODE_LEN(guest_load)));
		ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
		ASSERT_EQ(0, mvm_set_reg(t, R_A0, CODE_GVA + 0x1000));
		before = stat(t, MVM_REG_STAT_REFILLS);
		ASSERT_EQ(0, run_user(t));
		ASSERT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
		EXPECT_EQ(0x1111, mvm_reg(t, R_V0));
		if (i)
			refills += stat(t, MVM_REG_STAT_REFILLS) - before;
	}
	TH_LOG("%d kernel-entry rewrites: %llu user-mode refills", runs,
	       (unsigned long long)refills);
	EXPECT_LT(refills, runs / 2);
}

/* Code the VMM writes into the cache after the enable is what runs. */
#define HUGE_SIZE	(2ull << 20)
#define HUGE_GPA	0x4000000ull	/* a 2 MiB-aligned slot of its own */

/* Whether the mapping at @p is backed by transparent huge pages (smaps). */
static bool anon_huge(void *p)
{
	char line[256], want[32];
	bool in = false, huge = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return false;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') > strchr(line, '-'))
			in = !strncmp(line, want, strlen(want));
		else if (in && !strncmp(line, "AnonHugePages:", 14))
			huge = strtoul(line + 14, NULL, 10) >= HUGE_SIZE >> 10;
	}
	fclose(f);
	return huge;
}

/*
 * Guest RAM backed by a huge page is mapped with one 2 MiB host entry: after
 * the first load, seven more 128 KiB apart (each on a page pair of its own)
 * refill nothing.
 */
TEST_F(gk, huge_page_backed_ram_takes_one_refill)
{
	struct mvm_test_vm *t = &self->t;
	uint8_t *map = map_rw(2 * HUGE_SIZE), *ram;
	uint64_t before;

	ASSERT_NE(NULL, map);
	ram = (uint8_t *)(((uintptr_t)map + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1));
	madvise(ram, HUGE_SIZE, MADV_HUGEPAGE);
	memset(ram, 0x5a, HUGE_SIZE);
	if (!anon_huge(ram)) {
		munmap(map, 2 * HUGE_SIZE);
		SKIP(return, "no transparent huge page (/sys/kernel/mm/transparent_hugepage)");
	}
	ASSERT_EQ(0, mvm_set_region(t->vm_fd, 1, 0, HUGE_GPA, HUGE_SIZE, ram));
	gk_load(gk_load8, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, MVM_GK_PHYS_BASE + HUGE_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 15 * 4);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aull, mvm_reg(t, R_V0));
	before = stat(t, MVM_REG_STAT_REFILLS);
	gk_load(gk_load8, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, MVM_GK_PHYS_BASE + HUGE_GPA + 0x20000));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0x20000));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 15 * 4);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aull, mvm_reg(t, R_V0));
	/* 4 KiB entries would take 7; the code's page may have gone meanwhile */
	EXPECT_GE(1, stat(t, MVM_REG_STAT_REFILLS) - before);
	/* the whole 2 MiB stays pinned with the slot, and goes with it */
	ASSERT_EQ(0, mvm_set_region(t->vm_fd, 1, 0, HUGE_GPA, 0, ram));
	munmap(map, 2 * HUGE_SIZE);
}

TEST_F(gk, new_code_in_the_cache_is_run)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t off;

	for (off = 0; off < CODE_SIZE; off += 0x1000) {
		gk_load(gk_li1, off);
		expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + off + 4);
		EXPECT_EQ(1, mvm_reg(t, R_V0));
		gk_load(gk_li2, off);
		expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + off + 4);
		EXPECT_EQ(2, mvm_reg(t, R_V0));
	}
}

/*
 * Guest user mode (kernel_mode = 0) sees none of it, even right after
 * kernel mode mapped it: the same addresses are guest user addresses.
 */
TEST_F(gk, user_mode_cannot_reach_the_kernel_windows)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t addrs[] = {
		0x1000, 0x7ff8, MVM_GK_PHYS_BASE + DATA_GPA,
		MVM_GK_XKSEG_BASE + 0x400000, MVM_GK_CKSEG_BASE + DATA_GPA,
		MVM_GK_CODE_BASE,
	};
	unsigned int i;

	self->comm[0] = 0xc0c0;
	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0xc000000000400000ull | 5,
				 LO(DATA_GPA, LO_V | LO_D), 0, 0));
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		/* Kernel mode maps it (a load of the address)... */
		gk_load(gk_rw, 0);
		ASSERT_EQ(0, mvm_set_reg(t, R_A0, addrs[i]));
		ASSERT_EQ(0, run_kernel(t));
		ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
		/* ... user mode takes a guest refill there. */
		ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_load_start,
					   GUEST_CODE_LEN(guest_load)));
		ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
					 0, 0));
		ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
		ASSERT_EQ(0, mvm_set_reg(t, R_A0, addrs[i]));
		ASSERT_EQ(0, run_user(t));
		ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
		EXPECT_EQ(MVM_EXC_TLBL, t->run->ex.exc_code)
			TH_LOG("0x%llx: exc %u", (unsigned long long)addrs[i],
			       t->run->ex.exc_code);
		EXPECT_EQ(MVM_EX_TLB_REFILL, t->run->ex.flags);
		EXPECT_EQ(addrs[i], t->run->ex.badvaddr);
		EXPECT_EQ(CODE_GVA, t->run->pc);
	}
	/* A guest page at 0x1000 is RAM in user mode, the commpage in kernel. */
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0 | 5, LO(THIRD_GPA, LO_V | LO_D),
				 LO(OTHER_GPA, LO_V), 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x1000));
	ASSERT_EQ(0, run_user(t));
	ASSERT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(0x2222, mvm_reg(t, R_V0));
	rw_through(_metadata, self, 0x1000, 0, 0xc0c0);
	/* And the page below it stays guest user memory in kernel mode. */
	rw_through(_metadata, self, 0x0, 0, 0x3333);
}

TEST_F(gk, enable_cap_arguments)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t comm = (uintptr_t)self->comm, code = (uintptr_t)self->code;
	void *ro = mmap(NULL, CODE_SIZE, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = map_rw(0x2000);	/* a mapped page, then a hole */
	struct {
		uint64_t a0, a1, a2, a3;
		uint32_t flags;
		int err;
	} bad[] = {
		{ comm + 8, code, CODE_SIZE, 0, 0, EINVAL },
		{ comm, code + 4, CODE_SIZE, 0, 0, EINVAL },
		{ comm, code, 0, 0, 0, EINVAL },
		{ comm, code, 0x1800, 0, 0, EINVAL },
		{ comm, code, MVM_GK_CODE_MAX + 0x1000, 0, 0, EINVAL },
		{ comm, code, CODE_SIZE, 1, 0, EINVAL },
		{ comm, code, CODE_SIZE, 0, 1, EINVAL },
		{ 0, code, CODE_SIZE, 0, 0, EINVAL },
		{ comm, 0, CODE_SIZE, 0, 0, EINVAL },
		{ 0xffffffff80000000ull, code, CODE_SIZE, 0, 0, EINVAL },
		{ comm, 0xffffffff80000000ull, CODE_SIZE, 0, 0, EINVAL },
		{ comm, -4096ull, CODE_SIZE, 0, 0, EINVAL },
		{ 0, 0, 0, 0, 1, EINVAL },
		{ 0, 0, 0, 1, 0, EINVAL },
		/* Unmapped or read-only memory cannot be pinned. */
		{ 0x10000000, code, CODE_SIZE, 0, 0, EFAULT },
		{ comm, (uintptr_t)hole, 0x2000, 0, 0, EFAULT },
		{ (uintptr_t)ro, code, CODE_SIZE, 0, 0, EFAULT },
		{ comm, (uintptr_t)ro, CODE_SIZE, 0, 0, EFAULT },
	};
	long pins = mvm_pinned_pages();
	unsigned int i;

	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(0, munmap(hole + 0x1000, 0x1000));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-bad[i].err, gk_enable(t, bad[i].a0, bad[i].a1,
						 bad[i].a2, bad[i].a3,
						 bad[i].flags))
			TH_LOG("case %u", i);
		EXPECT_EQ(pins, mvm_pinned_pages()) TH_LOG("case %u", i);
	}
	/* A failed enable leaves the previous one in place. */
	rw_through(_metadata, self, MVM_GK_PHYS_BASE + DATA_GPA, 0, 0x1111);
	/* kernel_mode is 0 or 1, and 1 needs the capability. */
	t->run->kernel_mode = 2;
	EXPECT_EQ(-EINVAL, mvm_run(t));
	ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	EXPECT_EQ(-EINVAL, run_kernel(t));
	/* It needs the guest MMU. */
	ASSERT_EQ(0, guest_mmu(t, 0));
	EXPECT_EQ(-EINVAL, gk_enable(t, comm, code, CODE_SIZE, 0, 0));
	ASSERT_EQ(0, guest_mmu(t, 1));
	ASSERT_EQ(0, gk_enable(t, comm, code, CODE_SIZE, 0, 0));
	ASSERT_EQ(0, guest_mmu(t, 0));
	EXPECT_EQ(-EINVAL, run_kernel(t));
	ASSERT_EQ(0, guest_mmu(t, 1));
	rw_through(_metadata, self, MVM_GK_PHYS_BASE + DATA_GPA, 0, 0x1111);
	/* Even the vCPU's own run page can be pinned as the cache, and let go. */
	pins = mvm_pinned_pages() - (MVM_GK_COMM_SIZE + CODE_SIZE) / 4096;
	ASSERT_EQ(0, gk_enable(t, comm, (uintptr_t)t->run, 4096, 0, 0));
	EXPECT_EQ(pins + MVM_GK_COMM_SIZE / 4096 + 1, mvm_pinned_pages());
	ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	EXPECT_EQ(pins, mvm_pinned_pages());
	munmap(ro, CODE_SIZE);
	munmap(hole, 0x1000);
}

/* Pins: taken at enable, replaced, dropped at disable and at vCPU close. */
TEST_F(gk, enable_disable_and_close_leak_no_pins)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t comm = (uintptr_t)self->comm, code = (uintptr_t)self->code;
	long on, pages = (MVM_GK_COMM_SIZE + CODE_SIZE) / 4096;
	uint32_t *big = map_rw(2 * CODE_SIZE);
	int i;

	ASSERT_NE(NULL, big);
	/* Guest RAM's pins first: those stay with the VM. */
	rw_through(_metadata, self, MVM_GK_PHYS_BASE + DATA_GPA, 0, 0x1111);
	on = mvm_pinned_pages();
	ASSERT_LE(pages, on);
	ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	EXPECT_EQ(on - pages, mvm_pinned_pages());
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, gk_enable(t, comm, code, CODE_SIZE, 0, 0));
		if (i % 50 == 0)
			rw_through(_metadata, self, MVM_GK_PHYS_BASE + DATA_GPA,
				   i, 0x1111);
		/* Replacing: the new buffers' pins only. */
		ASSERT_EQ(0, gk_enable(t, comm, (uintptr_t)big, 2 * CODE_SIZE,
				       0, 0));
		EXPECT_EQ(on + CODE_SIZE / 4096, mvm_pinned_pages());
		ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	}
	EXPECT_EQ(on - pages, mvm_pinned_pages());
	ASSERT_EQ(0, gk_enable(t, comm, code, CODE_SIZE, 0, 0));
	rw_through(_metadata, self, MVM_GK_PHYS_BASE + DATA_GPA, 0, 0x1111);
	/* The VMM unmapping its buffers: the pinned pages stay until off. */
	ASSERT_EQ(0, munmap(self->code, CODE_SIZE));
	ASSERT_EQ(0, munmap(self->comm, MVM_GK_COMM_SIZE));
	self->code = NULL;
	self->comm = NULL;
	ASSERT_EQ(0, mvm_set_reg(t, 32, MVM_GK_CODE_BASE));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
	mvm_vm_destroy(t);
	EXPECT_EQ(0, mvm_pinned_pages());
	munmap(big, 2 * CODE_SIZE);
}

/*
 * A PC that is not word-aligned is an AdEL exit without entering, in both
 * modes (QEMU would take EPC bit 0 as a MIPS16 mode bit and abort).
 */
TEST_F(gk, misaligned_pc_is_an_address_error)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t pc;

	for (pc = MVM_GK_CODE_BASE + 1; pc < MVM_GK_CODE_BASE + 4; pc++) {
		gk_load(gk_li1, 0);
		ASSERT_EQ(0, mvm_set_reg(t, 32, pc));
		expect_exc(_metadata, t, MVM_EXC_ADEL, pc);
		EXPECT_EQ(pc, t->run->ex.badvaddr);
		EXPECT_EQ(0, mvm_reg(t, R_V0));
	}
	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_load_start,
				   GUEST_CODE_LEN(guest_load)));
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V), 0, 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA | 1));
	ASSERT_EQ(0, run_user(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_ADEL, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GVA | 1, t->run->ex.badvaddr);
	EXPECT_EQ(CODE_GVA | 1, t->run->pc);
}

/* --- the guest's TLB instructions in mvm.ko (MVM_CAP_GUEST_KERNEL_TLB) --- */

#define XKSEG_GVA	0xc000000000400000ull
#define CP0_INDEX	0
#define CP0_ENTRYLO0	2
#define CP0_ENTRYLO1	3
#define CP0_PAGEMASK	5
#define CP0_WIRED	6
#define CP0_ENTRYHI	10

/* The commpage's copy of a guest CP0 register (select 0). */
static uint64_t *comm_cp0(FIXTURE_DATA(gk) *self, int reg)
{
	return &self->comm[(MVM_GK_COMM_CP0(reg, 0) - MVM_GK_COMM_BASE) / 8];
}

static uint64_t *comm_at(FIXTURE_DATA(gk) *self, uint64_t hva)
{
	return &self->comm[(hva - MVM_GK_COMM_BASE) / 8];
}

static void comm_entry(FIXTURE_DATA(gk) *self, uint64_t index, uint64_t hi,
		       uint64_t lo0, uint64_t lo1, uint64_t pagemask)
{
	*comm_cp0(self, CP0_INDEX) = index;
	*comm_cp0(self, CP0_ENTRYHI) = hi;
	*comm_cp0(self, CP0_ENTRYLO0) = lo0;
	*comm_cp0(self, CP0_ENTRYLO1) = lo1;
	*comm_cp0(self, CP0_PAGEMASK) = pagemask;
}

static struct mvm_tlb_entry get_tlb(struct mvm_test_vm *t, uint32_t index)
{
	struct mvm_tlb_entry e = { .index = index };

	if (ioctl(t->vcpu_fd, MVM_GET_TLB, &e))
		memset(&e, 0xff, sizeof(e));
	return e;
}

TEST_F(gk, tlb_calls_are_announced)
{
	EXPECT_EQ(1, ioctl(self->t.dev_fd, MVM_CHECK_EXTENSION,
			   MVM_CAP_GUEST_KERNEL_TLB));
}

/*
 * tlbwi from the commpage's registers: the entry is in the guest TLB (an
 * access through it works right away), on the commpage for the VMM, its
 * bit set in the written mask, and the run went on after the call.
 */
TEST_F(gk, tlbwi_call_writes_the_entry_and_reports_it)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t *mirror = comm_at(self, MVM_GK_COMM_TLB(7));
	struct mvm_tlb_entry e;

	comm_entry(self, 7, XKSEG_GVA | 5, LO(DATA_GPA, LO_V | LO_D),
		   LO(OTHER_GPA, LO_V), 0);
	*comm_at(self, MVM_GK_COMM_TLB_WRITTEN) = 1;	/* the VMM's to clear */
	gk_load(gk_tlbwi_load, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, MVM_GK_XKSEG_BASE + 0x401000));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
	EXPECT_EQ(0x2222, mvm_reg(t, R_V0));	/* the odd page */
	e = get_tlb(t, 7);
	EXPECT_EQ(XKSEG_GVA | 5, e.entryhi);
	EXPECT_EQ(LO(DATA_GPA, LO_V | LO_D), e.entrylo0);
	EXPECT_EQ(LO(OTHER_GPA, LO_V), e.entrylo1);
	EXPECT_EQ(0, e.pagemask);
	EXPECT_EQ(1 | 1ull << 7, *comm_at(self, MVM_GK_COMM_TLB_WRITTEN));
	EXPECT_EQ(e.entryhi, mirror[0]);
	EXPECT_EQ(e.entrylo0, mirror[1]);
	EXPECT_EQ(e.entrylo1, mirror[2]);
	EXPECT_EQ(e.pagemask, mirror[3]);
}

/* A tlbwi over an entry a host entry came from: the next access sees the new one. */
TEST_F(gk, tlbwi_call_replaces_an_entry_in_use)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 3, XKSEG_GVA | 5, LO(DATA_GPA, LO_V | LO_D),
				 0, 0));
	rw_through(_metadata, self, MVM_GK_XKSEG_BASE + 0x400000, 0, 0x1111);
	comm_entry(self, 3, XKSEG_GVA | 5, LO(OTHER_GPA, LO_V), 0, 0);
	gk_load(gk_tlbwi_load, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, MVM_GK_XKSEG_BASE + 0x400000));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
	EXPECT_EQ(0x2222, mvm_reg(t, R_V0));
}

/* 16 KiB pages: VPN2 loses the bits PageMask covers, as the hardware's. */
TEST_F(gk, tlbwi_call_with_larger_pages)
{
	struct mvm_test_vm *t = &self->t;

	comm_entry(self, 9, XKSEG_GVA | 0x6000 | 5, LO(DATA_GPA & ~0x3fffull, LO_V),
		   LO(0, 0), 0x6000);
	gk_load(gk_tlbwi_load, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, MVM_GK_XKSEG_BASE + 0x400000 +
					  (DATA_GPA & 0x3fff)));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
	EXPECT_EQ(0x1111, mvm_reg(t, R_V0));
	EXPECT_EQ(XKSEG_GVA | 5, get_tlb(t, 9).entryhi);
	EXPECT_EQ(0x6000, get_tlb(t, 9).pagemask);
}

/* An unusable PageMask: the VMM's to execute, nothing written. */
TEST_F(gk, tlbw_calls_with_a_bad_pagemask_exit)
{
	struct mvm_test_vm *t = &self->t;

	comm_entry(self, 7, XKSEG_GVA | 5, LO(DATA_GPA, LO_V), 0, 0x2000);
	gk_load(gk_tlbwi_load, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE);
	EXPECT_EQ(0, get_tlb(t, 7).entryhi);
	gk_load(gk_tlbwr, 0);
	*comm_at(self, MVM_GK_COMM_RANDOM) = 12345;
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE);
	EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_TLB_WRITTEN));
	EXPECT_EQ(12345, *comm_at(self, MVM_GK_COMM_RANDOM));
}

/* tlbp: the index of a match under the ASID or global, else P. */
TEST_F(gk, tlbp_call_finds_entries_and_sets_p_on_a_miss)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 9, XKSEG_GVA | 5, LO(DATA_GPA, LO_V), 0, 0));
	ASSERT_EQ(0, mvm_set_tlb(t, 11, XKSEG_GVA | 0x2000,
				 LO(DATA_GPA, LO_G), LO(0, LO_G), 0));
	gk_load(gk_tlbp, 0);
	*comm_cp0(self, CP0_ENTRYHI) = XKSEG_GVA | 0x1000 | 5;
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(9, *comm_cp0(self, CP0_INDEX));
	gk_load(gk_tlbp, 0);
	*comm_cp0(self, CP0_ENTRYHI) = XKSEG_GVA | 0x2000 | 77;
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(11, *comm_cp0(self, CP0_INDEX));
	gk_load(gk_tlbp, 0);
	*comm_cp0(self, CP0_ENTRYHI) = XKSEG_GVA | 6;	/* another ASID */
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(11 | 1ull << 31, *comm_cp0(self, CP0_INDEX));
}

/* tlbr: the entry into the registers, G in both EntryLos when global. */
TEST_F(gk, tlbr_call_reads_an_entry)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 4, XKSEG_GVA | 0x2000 | 5,
				 LO(DATA_GPA, LO_V | LO_G), LO(OTHER_GPA, LO_G),
				 0x6000));
	comm_entry(self, 4, 5, 0, 0, 0);
	gk_load(gk_tlbr, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(XKSEG_GVA | 0x2000 | 5, *comm_cp0(self, CP0_ENTRYHI));
	EXPECT_EQ(LO(DATA_GPA, LO_V | LO_G), *comm_cp0(self, CP0_ENTRYLO0));
	EXPECT_EQ(LO(OTHER_GPA, LO_G), *comm_cp0(self, CP0_ENTRYLO1));
	EXPECT_EQ(0x6000, *comm_cp0(self, CP0_PAGEMASK));
	/* Not global: G reads 0 in both. */
	ASSERT_EQ(0, mvm_set_tlb(t, 4, XKSEG_GVA | 5, LO(DATA_GPA, LO_G),
				 LO(OTHER_GPA, 0), 0));
	gk_load(gk_tlbr, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(LO(DATA_GPA, 0), *comm_cp0(self, CP0_ENTRYLO0));
	EXPECT_EQ(LO(OTHER_GPA, 0), *comm_cp0(self, CP0_ENTRYLO1));
}

/* A tlbr that would change the ASID (the address space): left to the VMM. */
TEST_F(gk, tlbr_call_changing_the_asid_exits)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 4, XKSEG_GVA | 6, LO(DATA_GPA, LO_V), 0, 0));
	comm_entry(self, 4, 5, 0, 0, 0);
	gk_load(gk_tlbr, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE);
	EXPECT_EQ(5, *comm_cp0(self, CP0_ENTRYHI));
	EXPECT_EQ(0, *comm_cp0(self, CP0_ENTRYLO0));
}

/* tlbwr: Wired + a xorshift64 step of the seed, modulo the rest. */
TEST_F(gk, tlbwr_call_draws_its_index_from_the_seed)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t seed = 0x12345678, index;
	int i;

	*comm_at(self, MVM_GK_COMM_RANDOM) = seed;
	*comm_cp0(self, CP0_WIRED) = 60;
	for (i = 0; i < 8; i++) {
		index = 60 + mvm_xorshift64(&seed) % 4;
		comm_entry(self, 0, (XKSEG_GVA + i * 0x2000) | 5,
			   LO(DATA_GPA, LO_V), 0, 0);
		*comm_at(self, MVM_GK_COMM_TLB_WRITTEN) = 0;
		gk_load(gk_tlbwr, 0);
		expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
		EXPECT_EQ(seed, *comm_at(self, MVM_GK_COMM_RANDOM));
		EXPECT_EQ(1ull << index, *comm_at(self, MVM_GK_COMM_TLB_WRITTEN));
		EXPECT_EQ((XKSEG_GVA + i * 0x2000) | 5, get_tlb(t, index).entryhi);
	}
	/* Wired covering every entry: the last one, the seed unused. */
	*comm_cp0(self, CP0_WIRED) = 64;
	gk_load(gk_tlbwr, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
	EXPECT_EQ(seed, *comm_at(self, MVM_GK_COMM_RANDOM));
	EXPECT_EQ((XKSEG_GVA + 7 * 0x2000) | 5, get_tlb(t, 63).entryhi);
}

/* Only kernel_mode runs have calls; and never in a delay slot. */
TEST_F(gk, tlb_call_codes_elsewhere_are_syscalls)
{
	struct mvm_test_vm *t = &self->t;

	comm_entry(self, 7, XKSEG_GVA | 5, LO(DATA_GPA, LO_V), 0, 0);
	gk_load(gk_tlbwi_delay, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE);
	EXPECT_EQ(0, get_tlb(t, 7).entryhi);
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V), 0, 0));
	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, gk_tlbwr_start,
				   GUEST_CODE_LEN(gk_tlbwr)));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, run_user(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GVA, t->run->pc);
	EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_TLB_WRITTEN));
}

/* --- EntryHi with a new ASID in mvm.ko (MVM_CAP_GUEST_KERNEL_ASID) --- */

TEST_F(gk, asid_calls_are_announced)
{
	EXPECT_EQ(1, ioctl(self->t.dev_fd, MVM_CHECK_EXTENSION,
			   MVM_CAP_GUEST_KERNEL_ASID));
}

/* The call with @asid on the commpage, then a load from useg 0x800000. */
static void entryhi_load(struct __test_metadata *_metadata,
			 FIXTURE_DATA(gk) *self, uint64_t asid, uint64_t v0)
{
	struct mvm_test_vm *t = &self->t;

	*comm_cp0(self, CP0_ENTRYHI) = 0x800000 | asid;
	gk_load(gk_entryhi_load, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 8);
	EXPECT_EQ(v0, mvm_reg(t, R_V0)) TH_LOG("ASID %llu",
					       (unsigned long long)asid);
	EXPECT_EQ(0x800000 | asid, get_cp0(t, 10));
	EXPECT_EQ(0x800000 | asid, *comm_cp0(self, CP0_ENTRYHI));
}

/*
 * A context switch: after the call, useg goes through the guest TLB under
 * the new ASID at once, host entries of the old one loaded or not, and
 * back; the module's EntryHi is the commpage's.
 */
TEST_F(gk, entryhi_call_switches_the_user_address_space)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0x800000 | 5, LO(DATA_GPA, LO_V | LO_D),
				 0, 0));
	ASSERT_EQ(0, mvm_set_tlb(t, 2, 0x800000 | 6, LO(OTHER_GPA, LO_V), 0, 0));
	rw_through(_metadata, self, 0x800000, 0, 0x1111);
	entryhi_load(_metadata, self, 6, 0x2222);
	entryhi_load(_metadata, self, 5, 0x1111);
	entryhi_load(_metadata, self, 6, 0x2222);
	/* Same ASID, another VPN2: nothing to switch, the run goes on. */
	entryhi_load(_metadata, self, 6, 0x2222);
}

/* Guest user mode after the eret runs under the ASID the call took. */
TEST_F(gk, entryhi_call_reaches_user_mode)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_tlb(t, 1, 0x800000 | 6, LO(OTHER_GPA, LO_V), 0, 0));
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 6, LO(CODE_GPA, LO_V), 0, 0));
	ASSERT_EQ(0, mvm_load_code(t, CODE_GPA, guest_load_start,
				   GUEST_CODE_LEN(guest_load)));
	entryhi_load(_metadata, self, 6, 0x2222);
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x800000));
	ASSERT_EQ(0, run_user(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GVA + 4, t->run->pc);
	EXPECT_EQ(0x2222, mvm_reg(t, R_V0));
}

/* Never in a delay slot: the Sys exit, nothing taken. */
TEST_F(gk, entryhi_call_in_a_delay_slot_exits)
{
	struct mvm_test_vm *t = &self->t;

	*comm_cp0(self, CP0_ENTRYHI) = 6;
	gk_load(gk_entryhi_delay, 0);
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE);
	EXPECT_EQ(5, get_cp0(t, 10));
}

/* --- eret back to guest user mode in mvm.ko (MVM_CAP_GUEST_KERNEL_ERET) --- */

#define ST_IE		0x1ull
#define ST_EXL		0x2ull
#define ST_ERL		0x4ull
#define ST_USER		0x10ull
#define ST_UX		0x20ull
#define ST_IM(n)	(1ull << (8 + (n)))
#define ST_CU0		(1ull << 28)
#define ST_CU1		(1ull << 29)
#define ST_TO_USER	(ST_EXL | ST_USER | ST_UX | ST_IE)
#define CP0_USERLOCAL_SEL 2

/* Guest user code at CODE_GVA (guest_load: v0 = *(a0); syscall) under ASID 5. */
static void user_code_at_code_gva(struct __test_metadata *_metadata,
				  FIXTURE_DATA(gk) *self)
{
	struct mvm_test_vm *t = &self->t;

	memcpy(host(t, CODE_GPA), guest_load_start, GUEST_CODE_LEN(guest_load));
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
				 LO(DATA_GPA, LO_V), 0));
	*comm_cp0(self, 14) = CODE_GVA;			/* EPC */
	*comm_cp0(self, 13) = 0;			/* Cause */
	self->comm[(MVM_GK_COMM_CP0(4, CP0_USERLOCAL_SEL) - MVM_GK_COMM_BASE) / 8] =
		0x7777;
}

TEST_F(gk, eret_calls_are_announced)
{
	EXPECT_EQ(1, ioctl(self->t.dev_fd, MVM_CHECK_EXTENSION,
			   MVM_CAP_GUEST_KERNEL_ERET));
}

/*
 * The call with a user-mode Status: EXL cleared on the commpage, UserLocal
 * taken, and the run went on in user mode at EPC, up to the user's syscall.
 */
TEST_F(gk, eret_call_goes_on_in_user_mode)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t ul = 0;
	struct mvm_one_reg r = { MVM_REG_CP0(4, CP0_USERLOCAL_SEL), (uintptr_t)&ul };

	user_code_at_code_gva(_metadata, self);
	*comm_cp0(self, 12) = ST_TO_USER | ST_IM(7);
	gk_load(gk_eret, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, CODE_GVA + 0x1000));	/* DATA_GPA */
	ASSERT_EQ(0, run_kernel(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GVA + 4, t->run->pc);
	EXPECT_EQ(0, t->run->kernel_mode);
	EXPECT_EQ(0x1111, mvm_reg(t, R_V0));
	EXPECT_EQ(ST_USER | ST_UX | ST_IE | ST_IM(7), *comm_cp0(self, 12));
	ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r));
	EXPECT_EQ(0x7777, ul);
	/* User mode from then on: the same code runs as a user run. */
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, run_user(t));
	EXPECT_EQ(MVM_EXC_SYS, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GVA + 4, t->run->pc);
}

/* Any other Status, or an interrupt it would let in: the VMM's. */
TEST_F(gk, eret_call_declines_what_user_mode_cannot_run)
{
	struct mvm_test_vm *t = &self->t;
	static const struct { uint64_t status, cause; int line; } cases[] = {
		{ ST_TO_USER & ~ST_EXL, 0, -1 },
		{ ST_TO_USER | ST_ERL, 0, -1 },
		{ ST_TO_USER & ~ST_USER, 0, -1 },
		{ (ST_TO_USER & ~ST_USER) | 0x8, 0, -1 },	/* supervisor */
		{ ST_TO_USER & ~ST_UX, 0, -1 },
		{ ST_TO_USER | ST_CU0, 0, -1 },
		{ ST_TO_USER | ST_CU1, 0, -1 },
		{ ST_TO_USER | (1ull << 25), 0, -1 },		/* RE */
		{ ST_TO_USER | ST_IM(7), 1ull << 15, -1 },	/* timer pending */
		{ ST_TO_USER | ST_IM(2), 0, 0 },		/* line 0 raised */
	};
	struct mvm_irq_level irq = { 0, 0 };
	unsigned int i;

	user_code_at_code_gva(_metadata, self);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		irq.level = cases[i].line >= 0;
		ASSERT_EQ(0, ioctl(t->vm_fd, MVM_IRQ_LINE, &irq));
		*comm_cp0(self, 12) = cases[i].status;
		*comm_cp0(self, 13) = cases[i].cause;
		gk_load(gk_eret, 0);
		expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE);
		EXPECT_EQ(1, t->run->kernel_mode) TH_LOG("case %u", i);
		EXPECT_EQ(cases[i].status, *comm_cp0(self, 12)) TH_LOG("case %u", i);
	}
	/* The same interrupts masked (IE clear): back to user mode. */
	*comm_cp0(self, 12) = (ST_TO_USER & ~ST_IE) | ST_IM(2);
	gk_load(gk_eret, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, CODE_GVA + 0x1000));
	ASSERT_EQ(0, run_kernel(t));
	EXPECT_EQ(CODE_GVA + 4, t->run->pc);
	EXPECT_EQ(0, t->run->kernel_mode);
	irq.level = 0;
	ASSERT_EQ(0, ioctl(t->vm_fd, MVM_IRQ_LINE, &irq));
}

/* --- user-mode exceptions to patched code (MVM_CAP_GUEST_KERNEL_DELIVER) --- */

#define VEC_GENERAL_OFF	0x100		/* where the tests put the vectors */
#define VEC_REFILL_OFF	0x200
#define UNMAPPED_GVA	0x10000ull

static int deliver(struct mvm_test_vm *t, uint64_t on)
{
	struct mvm_enable_cap cap = {
		.cap = MVM_CAP_GUEST_KERNEL_DELIVER, .args = { on },
	};

	return ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap) ? -errno : 0;
}

/*
 * Delivery on; both vectors are a plain syscall in the cache; guest user
 * code @code at CODE_GVA (page pair: the code, DATA_GPA with @odd_flags)
 * under a user-mode Status, a0 = @a0.
 */
static void deliver_setup(struct __test_metadata *_metadata, FIXTURE_DATA(gk) *self,
			  const char *code, size_t len, uint64_t odd_flags, uint64_t a0)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, deliver(t, 1));
	gk_load(gk_li1, VEC_GENERAL_OFF);
	gk_load(gk_li2, VEC_REFILL_OFF);
	*comm_at(self, MVM_GK_COMM_VEC_GENERAL) = MVM_GK_CODE_BASE + VEC_GENERAL_OFF;
	*comm_at(self, MVM_GK_COMM_VEC_REFILL) = MVM_GK_CODE_BASE + VEC_REFILL_OFF;
	*comm_cp0(self, 12) = ST_USER | ST_UX | ST_IE | ST_IM(7);
	*comm_cp0(self, 13) = 1ull << 23;		/* IV: kept */
	*comm_cp0(self, CP0_ENTRYHI) = 5;
	*comm_cp0(self, 4) = 0xabc0000000000000ull;	/* Context's PTEBase */
	*comm_cp0(self, 20) = 0xfe00000000000000ull;	/* XContext's */
	memcpy(host(t, CODE_GPA), code, len);
	ASSERT_EQ(0, mvm_set_tlb(t, 0, CODE_GVA | 5, LO(CODE_GPA, LO_V),
				 LO(DATA_GPA, odd_flags), 0));
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, a0));
}

/* The run stopped at the vector's syscall, in kernel mode, v0 its mark. */
static void expect_vector(struct __test_metadata *_metadata, FIXTURE_DATA(gk) *self,
			  uint64_t off, uint64_t epc, uint64_t exc)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, run_user(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_GK_CODE_BASE + off + 4, t->run->pc);
	EXPECT_EQ(1, t->run->kernel_mode);
	EXPECT_EQ(off == VEC_GENERAL_OFF ? 1 : 2, mvm_reg(t, R_V0));
	EXPECT_EQ(epc, *comm_cp0(self, 14));
	EXPECT_EQ((1ull << 23) | exc << 2, *comm_cp0(self, 13) & ~(1ull << 31));
	EXPECT_EQ(ST_USER | ST_UX | ST_IE | ST_IM(7) | ST_EXL, *comm_cp0(self, 12));
	EXPECT_EQ(1, *comm_at(self, MVM_GK_COMM_DELIVERED));
}

/* TLB faults: BadVAddr, Context, XContext, EntryHi as the hardware sets them. */
static void expect_tlb_registers(struct __test_metadata *_metadata,
				 FIXTURE_DATA(gk) *self, uint64_t va)
{
	EXPECT_EQ(va, *comm_cp0(self, 8));
	EXPECT_EQ(0xabc0000000000000ull | ((va >> 13) & 0x7ffff) << 4,
		  *comm_cp0(self, 4));
	EXPECT_EQ(0xfe00000000000000ull | ((va & 0xffffffe000ull) >> 13) << 4,
		  *comm_cp0(self, 20));
	EXPECT_EQ((va & ~0x1fffull) | 5, *comm_cp0(self, CP0_ENTRYHI));
}

TEST_F(gk, delivery_is_announced_and_checked)
{
	struct mvm_test_vm *t = &self->t;
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_KERNEL_DELIVER, .args = { 2 } };

	EXPECT_EQ(1, ioctl(t->dev_fd, MVM_CHECK_EXTENSION,
			   MVM_CAP_GUEST_KERNEL_DELIVER));
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap));
	EXPECT_EQ(EINVAL, errno);
	cap.args[0] = 1;
	cap.flags = 1;
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap));
	EXPECT_EQ(0, deliver(t, 1));
	EXPECT_EQ(0, deliver(t, 0));
	/* Without the guest kernel on: nothing to deliver to. */
	ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	EXPECT_EQ(-EINVAL, deliver(t, 1));
}

TEST_F(gk, user_syscall_goes_to_the_general_vector)
{
	deliver_setup(_metadata, self, guest_load_start, GUEST_CODE_LEN(guest_load),
		      LO_V, CODE_GVA + 0x1000);
	expect_vector(_metadata, self, VEC_GENERAL_OFF, CODE_GVA + 4, MVM_EXC_SYS);
}

TEST_F(gk, user_syscall_in_a_delay_slot_sets_bd)
{
	deliver_setup(_metadata, self, user_syscall_in_slot_start,
		      GUEST_CODE_LEN(user_syscall_in_slot), LO_V, 0);
	expect_vector(_metadata, self, VEC_GENERAL_OFF, CODE_GVA, MVM_EXC_SYS);
	EXPECT_EQ(1ull << 31, *comm_cp0(self, 13) & (1ull << 31));
}

TEST_F(gk, user_tlb_refill_goes_to_the_refill_vector)
{
	deliver_setup(_metadata, self, guest_load_start, GUEST_CODE_LEN(guest_load),
		      LO_V, UNMAPPED_GVA + 0x18);
	expect_vector(_metadata, self, VEC_REFILL_OFF, CODE_GVA, MVM_EXC_TLBL);
	expect_tlb_registers(_metadata, self, UNMAPPED_GVA + 0x18);
}

TEST_F(gk, user_invalid_and_mod_go_to_the_general_vector)
{
	/* guest_load from the odd page, invalid */
	deliver_setup(_metadata, self, guest_load_start, GUEST_CODE_LEN(guest_load),
		      0, CODE_GVA + 0x1008);
	expect_vector(_metadata, self, VEC_GENERAL_OFF, CODE_GVA, MVM_EXC_TLBL);
	expect_tlb_registers(_metadata, self, CODE_GVA + 0x1008);
	/* gk_rw's store to the odd page, valid but clean */
	deliver_setup(_metadata, self, gk_rw_start, GUEST_CODE_LEN(gk_rw),
		      LO_V, CODE_GVA + 0x1000);
	*comm_at(self, MVM_GK_COMM_DELIVERED) = 0;
	expect_vector(_metadata, self, VEC_GENERAL_OFF, CODE_GVA + 4, MVM_EXC_MOD);
	expect_tlb_registers(_metadata, self, CODE_GVA + 0x1008);
}

/* No vector named, a stale Status, delivery off: the VMM's, as before. */
TEST_F(gk, user_exceptions_stay_exits_otherwise)
{
	struct mvm_test_vm *t = &self->t;
	int i;

	for (i = 0; i < 4; i++) {
		deliver_setup(_metadata, self, guest_load_start,
			      GUEST_CODE_LEN(guest_load), LO_V, UNMAPPED_GVA);
		if (i == 0)
			*comm_at(self, MVM_GK_COMM_VEC_REFILL) = 0;
		if (i == 1)
			*comm_at(self, MVM_GK_COMM_VEC_REFILL) = MVM_GK_CODE_BASE + CODE_SIZE;
		if (i == 2)
			*comm_cp0(self, 12) |= ST_EXL;
		if (i == 3)
			ASSERT_EQ(0, deliver(t, 0));
		*comm_at(self, MVM_GK_COMM_DELIVERED) = 0;
		ASSERT_EQ(0, run_user(t));
		ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason) TH_LOG("case %d", i);
		EXPECT_EQ(MVM_EXC_TLBL, t->run->ex.exc_code) TH_LOG("case %d", i);
		EXPECT_EQ(CODE_GVA, t->run->pc) TH_LOG("case %d", i);
		EXPECT_EQ(0, t->run->kernel_mode) TH_LOG("case %d", i);
		EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_DELIVERED)) TH_LOG("case %d", i);
	}
}

/* A syscall, the vector's eret back past it, a0 times in one MVM_RUN. */
GUEST_CODE(user_syscall_loop,
	"1:	syscall\n"
	"	daddiu	$4, $4, -1\n"
	"	bnez	$4, 1b\n"
	"	 nop\n"
	"	.word	0x7c00003b\n");		/* rdhwr $0, $0: RI, an exit */

/* The vector: EPC += 4, eret. */
GUEST_CODE(gk_skip_and_eret,
	"	ld	$3, 0x1000 + (14 * 8) * 8($0)\n"
	"	daddiu	$3, $3, 4\n"
	"	sd	$3, 0x1000 + (14 * 8) * 8($0)\n"
	"	syscall	5\n");

TEST_F(gk, syscalls_and_erets_stay_in_the_module)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t exits = 0;
	struct mvm_one_reg r = { MVM_REG_STAT_EXITS, (uintptr_t)&exits };

	deliver_setup(_metadata, self, user_syscall_loop_start,
		      GUEST_CODE_LEN(user_syscall_loop), LO_V, 1000);
	gk_load_at(_metadata, self, gk_skip_and_eret_start,
		   GUEST_CODE_LEN(gk_skip_and_eret), VEC_GENERAL_OFF);
	ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 1000));
	ASSERT_EQ(0, run_user(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason);
	EXPECT_EQ(MVM_EXC_RI, t->run->ex.exc_code);
	EXPECT_EQ(CODE_GVA + 16, t->run->pc);
	EXPECT_EQ(0, t->run->kernel_mode);
	EXPECT_EQ(0, mvm_reg(t, R_A0));
	EXPECT_EQ(ST_USER | ST_UX | ST_IE | ST_IM(7), *comm_cp0(self, 12));
	ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r));
	EXPECT_LE(2000, exits);		/* each syscall and eret, in mvm.ko */
}

/* --- the guest's Compare timer in mvm.ko (MVM_CAP_GUEST_KERNEL_TIMER) --- */

GUEST_CODE(gk_spin,
	"1:	b	1b\n"
	"	 nop\n");

/* The new Compare is on the commpage already; the call, then an exit. */
GUEST_CODE(gk_compare, "	syscall	6\n	syscall\n");

/* Compare = a0 on the commpage (as patched code does), the call, a spin. */
GUEST_CODE(gk_compare_spin,
	"	sd	$4, 0x1000 + (11 * 8) * 8($0)\n"
	"	syscall	6\n"
	"1:	b	1b\n"
	"	 nop\n");

static void on_timer_alarm(int sig)
{
	(void)sig;
}

/* The host's Count, as the guest's clock is built on it. */
static uint32_t host_count(void)
{
	uint64_t c;

	asm volatile(".set push\n.set mips64r2\nrdhwr %0, $2\n.set pop" : "=r"(c));
	return (uint32_t)c;
}

/* Count ticks per millisecond, measured over 20 ms. */
static uint32_t ticks_per_ms(void)
{
	uint32_t c0 = host_count();

	usleep(20000);
	return (host_count() - c0) / 20;
}

static int module_timer(struct mvm_test_vm *t, uint64_t on)
{
	struct mvm_enable_cap cap = { .cap = MVM_CAP_GUEST_KERNEL_TIMER, .args = { on } };

	return ioctl(t->vcpu_fd, MVM_ENABLE_CAP, &cap) ? -errno : 0;
}

/* A kernel-mode run under a 2 s alarm; its exit and how long it took (ms). */
static long timed_run(struct __test_metadata *_metadata, struct mvm_test_vm *t,
		      int *ret)
{
	struct sigaction sa = { .sa_handler = on_timer_alarm };
	struct itimerval it = { .it_value = { .tv_sec = 2 } }, off = { 0 };
	struct timespec a, b;

	EXPECT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	clock_gettime(CLOCK_MONOTONIC, &a);
	setitimer(ITIMER_REAL, &it, NULL);
	*ret = run_kernel(t);
	setitimer(ITIMER_REAL, &off, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

TEST_F(gk, timer_is_announced_and_checked)
{
	struct mvm_test_vm *t = &self->t;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TIMER) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_TIMER");
	EXPECT_EQ(-EINVAL, module_timer(t, 2));
	EXPECT_EQ(0, module_timer(t, 1));
	EXPECT_EQ(0, module_timer(t, 0));
	ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	EXPECT_EQ(-EINVAL, module_timer(t, 1));
}

/* The module's timer on, guest Count = host + @offset, Compare @ms away, a spin. */
static void spin_to_deadline(struct __test_metadata *_metadata, FIXTURE_DATA(gk) *self,
			     uint32_t offset, uint32_t ms)
{
	uint32_t per_ms = ticks_per_ms();

	ASSERT_LT(0, per_ms);
	ASSERT_EQ(0, module_timer(&self->t, 1));
	*comm_at(self, MVM_GK_COMM_COUNT_OFFSET) = offset;
	*comm_cp0(self, 11) = (uint32_t)(host_count() + offset + ms * per_ms);
	gk_load(gk_spin, 0);
}

/* A deadline 100 ms away ends a spinning run then, with MVM_EXIT_INTR. */
TEST_F(gk, timer_ends_the_run_at_the_deadline)
{
	struct mvm_test_vm *t = &self->t;
	long ms;
	int ret;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TIMER) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_TIMER");
	spin_to_deadline(_metadata, self, 12345, 100);
	ms = timed_run(_metadata, t, &ret);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
	EXPECT_LE(90, ms);
	EXPECT_GE(1000, ms);
	/* Once per value: the same Compare again does not end the next run. */
	ms = timed_run(_metadata, t, &ret);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_LE(1900, ms);
}

/*
 * The deadline comes with Cause.TI raised on the commpage already (the
 * VMM took it meanwhile): nothing new, so only the alarm ends the run.
 */
TEST_F(gk, timer_due_with_ti_raised_ends_nothing)
{
	struct mvm_test_vm *t = &self->t;
	int ret;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TIMER) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_TIMER");
	*comm_cp0(self, 13) = (1ull << 30) | (1ull << 15);
	spin_to_deadline(_metadata, self, 0, 100);
	EXPECT_LE(1900, timed_run(_metadata, t, &ret));
	EXPECT_EQ(-EINTR, ret);
	EXPECT_EQ((1ull << 30) | (1ull << 15), *comm_cp0(self, 13));
}

/* A deadline already passed, or the timer off: only the alarm ends the run. */
TEST_F(gk, timer_ignores_passed_deadlines_and_can_be_off)
{
	struct mvm_test_vm *t = &self->t;
	int ret;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TIMER) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_TIMER");
	ASSERT_EQ(0, module_timer(t, 1));
	*comm_at(self, MVM_GK_COMM_COUNT_OFFSET) = 0;
	*comm_cp0(self, 11) = (uint32_t)(host_count() - 1000);
	gk_load(gk_spin, 0);
	EXPECT_LE(1900, timed_run(_metadata, t, &ret));
	EXPECT_EQ(-EINTR, ret);
	ASSERT_EQ(0, module_timer(t, 0));
	*comm_cp0(self, 11) = (uint32_t)(host_count() + ticks_per_ms() * 50);
	EXPECT_LE(1900, timed_run(_metadata, t, &ret));
	EXPECT_EQ(-EINTR, ret);
}

/*
 * The call: Cause.TI and IP7 acked, the Count of the write reported, and
 * the new deadline armed, with no exit in between.
 */
TEST_F(gk, compare_call_acks_and_rearms)
{
	struct mvm_test_vm *t = &self->t;
	uint32_t per_ms, before, after, at;
	long ms;
	int ret;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TIMER) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_TIMER");
	per_ms = ticks_per_ms();
	ASSERT_EQ(0, module_timer(t, 1));
	*comm_at(self, MVM_GK_COMM_COUNT_OFFSET) = 0;
	*comm_cp0(self, 13) = (1ull << 30) | (1ull << 15) | (1ull << 10);
	*comm_cp0(self, 11) = 0;
	gk_load(gk_compare, 0);
	before = host_count();
	expect_exc(_metadata, t, MVM_EXC_SYS, MVM_GK_CODE_BASE + 4);
	after = host_count();
	EXPECT_EQ(1ull << 10, *comm_cp0(self, 13));
	EXPECT_EQ(1, *comm_at(self, MVM_GK_COMM_COMPARE_WRITTEN));
	at = *comm_at(self, MVM_GK_COMM_COMPARE_COUNT);
	EXPECT_LE(0, (int32_t)(at - before));
	EXPECT_LE(0, (int32_t)(after - at));
	/* Re-armed: the run starts armed 4 s away, the call makes it 100 ms. */
	*comm_cp0(self, 11) = (uint32_t)(host_count() + 4000 * per_ms);
	gk_load(gk_compare_spin, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, (uint32_t)(host_count() + 100 * per_ms)));
	ms = timed_run(_metadata, t, &ret);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
	EXPECT_LE(90, ms);
	EXPECT_GE(1000, ms);
}

/* A due timer in user mode: to the interrupt vector, or the VMM's exit. */
TEST_F(gk, timer_interrupt_in_user_mode_goes_to_the_vector)
{
	struct mvm_test_vm *t = &self->t;
	struct sigaction sa = { .sa_handler = on_timer_alarm };
	struct itimerval it = { .it_value = { .tv_sec = 2 } }, off = { 0 };
	uint32_t per_ms, before, at;
	int ie;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TIMER) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_TIMER");
	per_ms = ticks_per_ms();
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	for (ie = 1; ie >= 0; ie--) {
		deliver_setup(_metadata, self, gk_spin_start, GUEST_CODE_LEN(gk_spin),
			      LO_V, 0);
		gk_load_at(_metadata, self, gk_li1_start, GUEST_CODE_LEN(gk_li1), 0x300);
		ASSERT_EQ(0, mvm_set_reg(t, 32, CODE_GVA));
		*comm_at(self, MVM_GK_COMM_VEC_INTERRUPT) = MVM_GK_CODE_BASE + 0x300;
		*comm_at(self, MVM_GK_COMM_TIMER_RAISED) = 0;
		if (!ie)
			*comm_cp0(self, 12) &= ~ST_IE;
		ASSERT_EQ(0, module_timer(t, 1));
		*comm_at(self, MVM_GK_COMM_COUNT_OFFSET) = 0;
		before = host_count();
		*comm_cp0(self, 11) = (uint32_t)(before + 100 * per_ms);
		setitimer(ITIMER_REAL, &it, NULL);
		ASSERT_EQ(0, run_user(t));
		setitimer(ITIMER_REAL, &off, NULL);
		if (!ie) {
			/* masked: the VMM's, with nothing raised */
			EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
			EXPECT_EQ(0, t->run->kernel_mode);
			EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_TIMER_RAISED));
			break;
		}
		ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
			TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
		EXPECT_EQ(MVM_GK_CODE_BASE + 0x304, t->run->pc);
		EXPECT_EQ(1, t->run->kernel_mode);
		EXPECT_EQ(CODE_GVA, *comm_cp0(self, 14));	/* the loop's branch */
		EXPECT_EQ((1ull << 30) | (1ull << 23) | (1ull << 15),
			  *comm_cp0(self, 13) & ~(1ull << 31));
		EXPECT_EQ(1, *comm_at(self, MVM_GK_COMM_TIMER_RAISED));
		at = *comm_at(self, MVM_GK_COMM_TIMER_COUNT);
		EXPECT_LE(90 * per_ms, at - before);
		EXPECT_GE(1000 * per_ms, at - before);
		ASSERT_EQ(0, module_timer(t, 0));
	}
}

/* --- the guest's wait (MVM_CAP_GUEST_KERNEL_WAIT) ------------------------ */

#define WAIT_NEXT_PC	0xffffffff80123458ull	/* the guest PC after the wait */

/* As patched code: the PC after the wait on the commpage, the call, a mark. */
GUEST_CODE(gk_wait,
	"	sd	$4, 0x18c0($0)\n"
	"	syscall	8\n"
	"	li	$2, 3\n"
	"	syscall\n");

#define WAIT_CALL_PC	(MVM_GK_CODE_BASE + 4)

/*
 * Kernel mode, Status @st, Cause.IV, the interrupt vector (gk_li1) at
 * 0x300, the timer and delivery on, Compare @ms from now (0: 4 s).
 */
static void wait_setup(struct __test_metadata *_metadata, FIXTURE_DATA(gk) *self,
		       uint64_t st, uint32_t ms)
{
	struct mvm_test_vm *t = &self->t;
	uint32_t per_ms = ticks_per_ms();

	ASSERT_LT(0, per_ms);
	ASSERT_EQ(0, deliver(t, 1));
	ASSERT_EQ(0, module_timer(t, 1));
	gk_load_at(_metadata, self, gk_li1_start, GUEST_CODE_LEN(gk_li1), 0x300);
	gk_load(gk_wait, 0);
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, WAIT_NEXT_PC));
	*comm_at(self, MVM_GK_COMM_VEC_INTERRUPT) = MVM_GK_CODE_BASE + 0x300;
	*comm_at(self, MVM_GK_COMM_TIMER_RAISED) = 0;
	*comm_at(self, MVM_GK_COMM_DELIVERED) = 0;
	*comm_at(self, MVM_GK_COMM_COUNT_OFFSET) = 0;
	*comm_cp0(self, 12) = st;
	*comm_cp0(self, 13) = 1ull << 23;		/* IV */
	*comm_cp0(self, 14) = 0x1234;			/* EPC */
	*comm_cp0(self, 11) = (uint32_t)(host_count() + (ms ? ms : 4000) * per_ms);
}

TEST_F(gk, wait_call_is_announced)
{
	struct mvm_test_vm *t = &self->t;

	EXPECT_EQ(ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_TIMER),
		  ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_WAIT));
}

/* Asleep until the timer, then its interrupt at the vector, EPC after the wait. */
TEST_F(gk, wait_call_sleeps_until_the_timer_and_takes_it)
{
	struct mvm_test_vm *t = &self->t;
	long ms;
	int ret;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_WAIT) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_WAIT");
	wait_setup(_metadata, self, ST_IE | ST_IM(7) | ST_IM(2), 100);
	ms = timed_run(_metadata, t, &ret);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(MVM_GK_CODE_BASE + 0x304, t->run->pc);
	EXPECT_EQ(1, mvm_reg(t, R_V0));
	EXPECT_EQ(1, t->run->kernel_mode);
	EXPECT_LE(90, ms);
	EXPECT_GE(1000, ms);
	EXPECT_EQ(WAIT_NEXT_PC, *comm_cp0(self, 14));
	EXPECT_EQ((1ull << 30) | (1ull << 23) | (1ull << 15), *comm_cp0(self, 13));
	EXPECT_EQ(ST_IE | ST_IM(7) | ST_IM(2) | ST_EXL, *comm_cp0(self, 12));
	EXPECT_EQ(1, *comm_at(self, MVM_GK_COMM_DELIVERED));
	EXPECT_EQ(1, *comm_at(self, MVM_GK_COMM_TIMER_RAISED));
}

/* With interrupts off the wait ends at the timer and the run goes on after it. */
TEST_F(gk, wait_call_with_interrupts_off_goes_on_after_it)
{
	struct mvm_test_vm *t = &self->t;
	long ms;
	int ret;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_WAIT) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_WAIT");
	wait_setup(_metadata, self, ST_IM(7), 100);
	ms = timed_run(_metadata, t, &ret);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(MVM_GK_CODE_BASE + 12, t->run->pc);
	EXPECT_EQ(3, mvm_reg(t, R_V0));
	EXPECT_LE(90, ms);
	EXPECT_GE(1000, ms);
	EXPECT_EQ(0x1234, *comm_cp0(self, 14));
	EXPECT_EQ((1ull << 30) | (1ull << 23) | (1ull << 15), *comm_cp0(self, 13));
	EXPECT_EQ(ST_IM(7), *comm_cp0(self, 12));
	EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_DELIVERED));
	EXPECT_EQ(1, *comm_at(self, MVM_GK_COMM_TIMER_RAISED));
}

/* A signal ends the sleep at the call, nothing raised; the next run sleeps again. */
TEST_F(gk, wait_call_ends_at_a_signal)
{
	struct mvm_test_vm *t = &self->t;
	struct sigaction sa = { .sa_handler = on_timer_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 200000 } }, off = { 0 };
	int ret;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_WAIT) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_WAIT");
	wait_setup(_metadata, self, ST_IE | ST_IM(7), 0);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	setitimer(ITIMER_REAL, &it, NULL);
	ret = run_kernel(t);
	setitimer(ITIMER_REAL, &off, NULL);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
	EXPECT_EQ(WAIT_CALL_PC, t->run->pc);
	EXPECT_EQ(1ull << 23, *comm_cp0(self, 13));
	EXPECT_EQ(ST_IE | ST_IM(7), *comm_cp0(self, 12));
	EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_DELIVERED));
	EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_TIMER_RAISED));
	/* From the call again, with the deadline 100 ms away: the vector. */
	*comm_cp0(self, 11) = (uint32_t)(host_count() + 100 * ticks_per_ms());
	ASSERT_EQ(0, mvm_set_reg(t, 32, WAIT_CALL_PC));
	ASSERT_EQ(0, run_kernel(t));
	EXPECT_EQ(MVM_GK_CODE_BASE + 0x304, t->run->pc);
	EXPECT_EQ(WAIT_NEXT_PC, *comm_cp0(self, 14));
}

/* What the timer cannot end, or the guest cannot take there: the VMM's wait. */
TEST_F(gk, wait_call_declines_what_is_not_its_own)
{
	struct mvm_test_vm *t = &self->t;
	struct mvm_irq_level line = { .irq = 0, .level = 1 };
	int i;

	if (ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_GUEST_KERNEL_WAIT) != 1)
		SKIP(return, "no MVM_CAP_GUEST_KERNEL_WAIT");
	for (i = 0; i < 6; i++) {
		wait_setup(_metadata, self, ST_IE | ST_IM(7) | ST_IM(2), 100);
		switch (i) {
		case 0:		/* the timer masked */
			*comm_cp0(self, 12) &= ~ST_IM(7);
			break;
		case 1:		/* an interrupt pending already */
			*comm_cp0(self, 13) |= 1ull << 10;
			break;
		case 2:		/* EXL set */
			*comm_cp0(self, 12) |= ST_EXL;
			break;
		case 3:		/* no vector to take it at */
			*comm_at(self, MVM_GK_COMM_VEC_INTERRUPT) = 0;
			break;
		case 4:		/* the VMM's timer */
			ASSERT_EQ(0, module_timer(t, 0));
			break;
		case 5:		/* a line raised with MVM_IRQ_LINE */
			ASSERT_EQ(0, ioctl(t->vm_fd, MVM_IRQ_LINE, &line));
			break;
		}
		expect_exc(_metadata, t, MVM_EXC_SYS, WAIT_CALL_PC);
		EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_DELIVERED));
		EXPECT_EQ(0, *comm_at(self, MVM_GK_COMM_TIMER_RAISED));
	}
}

static uint64_t rng = 0x6a09e667f3bcc909ull;

static uint64_t rnd(void)
{
	return mvm_xorshift64(&rng);
}

/* An address in one of the windows, or anything. */
static uint64_t random_addr(void)
{
	switch (rnd() % 8) {
	case 0: return MVM_GK_COMM_BASE + rnd() % MVM_GK_COMM_SIZE;
	case 1: return MVM_GK_PHYS_BASE + GUEST_RAM_GPA + rnd() % GUEST_RAM_SIZE;
	case 2: return MVM_GK_PHYS_BASE + GUEST_MMIO_GPA + rnd() % 0x100;
	case 3: return MVM_GK_XKSEG_BASE + rnd() % 0x1000000;
	case 4: return MVM_GK_CKSEG_BASE + rnd() % (1ull << 31);
	case 5: return MVM_GK_CODE_BASE + rnd() % (2 * CODE_SIZE);
	case 6: return rnd() % 0x1000000;
	default: return rnd();
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Hostile arguments: whatever they are, an errno or a working enable. */
TEST_F_TIMEOUT(gk, random_enable_arguments, 120)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t cands[] = {
		0, (uintptr_t)self->comm, (uintptr_t)self->code, 0x1000,
		0xffffffff80000000ull, 1ull << 42, -4096ull, 0x3f000000000ull,
	};
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 5000 } };
	long pins;
	int i, ok = 0;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	pins = mvm_pinned_pages();
	for (i = 0; i < 3000; i++) {
		uint64_t a[4];
		uint32_t flags = rnd() % 16 ? 0 : rnd();
		int k, ret;

		for (k = 0; k < 4; k++) {
			a[k] = rnd() % 3 ? cands[rnd() % 8] : rnd();
			if (rnd() % 4 == 0)
				a[k] += (rnd() % 8) * 0x800;
		}
		if (rnd() % 2)
			a[2] = (rnd() % 8) * 0x1000;
		if (rnd() % 2)
			a[3] = 0;
		ret = gk_enable(t, a[0], a[1], a[2], a[3], flags);
		ASSERT_TRUE(ret == 0 || ret == -EINVAL || ret == -EFAULT ||
			    ret == -ENOMEM)
			TH_LOG("ret %d", ret);
		if (ret == 0) {
			ok++;
			if (rnd() % 4 == 0) {
				ASSERT_EQ(0, mvm_set_reg(t, 32, random_addr()));
				setitimer(ITIMER_REAL, &it, NULL);
				ret = run_kernel(t);
				ASSERT_TRUE(ret == 0 || ret == -EINTR);
			}
		}
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	TH_LOG("3000 random enables: %d succeeded", ok);
	ASSERT_EQ(0, gk_enable(t, 0, 0, 0, 0, 0));
	EXPECT_EQ(pins, mvm_pinned_pages());
}

static bool is_sdbbp(uint32_t insn)
{
	return (insn >> 26) == 0x1c && (insn & 0x3f) == 0x3f;
}

/* Random host code in the cache with registers pointing into the windows. */
TEST_F_TIMEOUT(gk, random_kernel_code, 300)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 5000 } };
	struct mvm_test_vm *t = &self->t;
	unsigned int p, e, i, exits[64] = { 0 };
	struct mvm_regs regs;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, mvm_set_tlb(t, i, (rnd() % 2 ? 0xc000000000000000ull :
					       0xffffffffc0000000ull) |
					 ((rnd() % 0x800) << 13) | rnd() % 8,
					 LO(GUEST_RAM_GPA + rnd() % GUEST_RAM_SIZE,
					    rnd() & 7),
					 LO(GUEST_MMIO_GPA, rnd() & 7), 0));
	for (p = 0; p < 200; p++) {
		for (i = 0; i < CODE_SIZE / 4; i++)
			do
				self->code[i] = rnd();
			while (is_sdbbp(self->code[i]));
		__builtin___clear_cache((char *)self->code,
					(char *)self->code + CODE_SIZE);
		memset(&regs, 0, sizeof(regs));
		for (i = 1; i < 32; i++)
			regs.gpr[i] = random_addr();
		regs.pc = MVM_GK_CODE_BASE + 4 * (rnd() % (CODE_SIZE / 4));
		ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_REGS, &regs));
		for (e = 0; e < 20; e++) {
			int ret;

			setitimer(ITIMER_REAL, &it, NULL);
			ret = run_kernel(t);
			ASSERT_TRUE(ret == 0 || ret == -EINTR)
				TH_LOG("MVM_RUN: %s", strerror(-ret));
			exits[t->run->exit_reason & 63]++;
			if (ret == -EINTR)
				break;
			if (t->run->exit_reason == MVM_EXIT_EXCEPTION ||
			    t->run->exit_reason == MVM_EXIT_INTERNAL_ERROR) {
				ASSERT_EQ(0, mvm_get_regs(t, &regs));
				regs.pc = MVM_GK_CODE_BASE +
					  4 * (rnd() % (CODE_SIZE / 4));
				ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_REGS,
						   &regs));
			}
		}
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	TH_LOG("200 programs: %u MMIO, %u exception, %u internal error, %u intr exits",
	       exits[MVM_EXIT_MMIO], exits[MVM_EXIT_EXCEPTION],
	       exits[MVM_EXIT_INTERNAL_ERROR], exits[MVM_EXIT_INTR]);
	/* Still sound. */
	*host(t, DATA_GPA) = 0x1111;
	rw_through(_metadata, self, MVM_GK_PHYS_BASE + DATA_GPA, 0, 0x1111);
}

TEST_HARNESS_MAIN
