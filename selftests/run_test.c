// SPDX-License-Identifier: GPL-2.0
/*
 * Running guest code under mvm.ko: computation, every exit kind with its
 * exact PC and cause, MMIO round trips, isolation, signals.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "mvm_util.h"

#define HYPCALL		".word 0x42000028\n"	/* hypcall 0 */

FIXTURE(vm) {
	struct mvm_test_vm t;
};

FIXTURE_SETUP(vm)
{
	int ret = mvm_vm_create(&self->t);

	if (ret == -ENOENT)
		SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
	ASSERT_EQ(0, ret) TH_LOG("mvm_vm_create: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(vm)
{
	mvm_vm_destroy(&self->t);
}

/* Sums a1 doublewords at a0 into v1, stores it at a2, hypercall 1. */
GUEST_CODE(guest_sum,
	"	move	$3, $0\n"
	"1:	beqz	$5, 2f\n"
	"	 nop\n"
	"	ld	$12, 0($4)\n"
	"	daddu	$3, $3, $12\n"
	"	daddiu	$4, $4, 8\n"
	"	b	1b\n"
	"	 daddiu	$5, $5, -1\n"
	"2:	sd	$3, 0($6)\n"
	"	li	$2, 1\n"
	HYPCALL);

TEST_F(vm, guest_sums_memory)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t *data = mvm_gpa_ptr(t, GUEST_DATA_GPA);
	uint64_t *result = mvm_gpa_ptr(t, GUEST_DATA_GPA + 0x1000);
	uint64_t sum = 0;
	int i, n = 300;	/* spans two pages of data */

	for (i = 0; i < n; i++) {
		data[i] = 0x100000001ull * i + 7;
		sum += data[i];
	}
	ASSERT_EQ(0, load_guest(t, guest_sum));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_DATA_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, n));
	ASSERT_EQ(0, mvm_set_reg(t, R_A2, GUEST_DATA_GPA + 0x1000));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(1, t->run->hypercall.nr);
	EXPECT_EQ(sum, mvm_reg(t, R_V1));
	EXPECT_EQ(sum, *result);
	EXPECT_EQ(0, mvm_reg(t, R_A1));
	EXPECT_EQ(GUEST_CODE_GPA + GUEST_CODE_LEN(guest_sum) - 4,
		  t->run->pc);
}


/* Runs the loaded guest to its first exit, which must be an exception. */
static void expect_exception(struct __test_metadata *_metadata,
			     struct mvm_test_vm *t, uint32_t exc, uint64_t pc)
{
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	EXPECT_EQ(exc, t->run->ex.exc_code);
	EXPECT_EQ(exc, (t->run->ex.cause >> 2) & 0x1f);
	EXPECT_EQ(pc, t->run->ex.epc);
	EXPECT_EQ(pc, t->run->pc);
	EXPECT_EQ(pc, mvm_reg(t, 32));
}

GUEST_CODE(guest_syscall, "nop\n syscall\n");
GUEST_CODE(guest_break, "nop\n nop\n break 7\n");
GUEST_CODE(guest_trap, "teq $0, $0\n");
GUEST_CODE(guest_reserved, "nop\n .word 0xec000000\n");
GUEST_CODE(guest_rdhwr_userlocal, "nop\n rdhwr $3, $29\n");
GUEST_CODE(guest_rdhwr_cycles, "rdhwr $3, $2\n");
GUEST_CODE(guest_mfc0, "mfc0 $2, $12\n");
GUEST_CODE(guest_fpu, "nop\n mtc1 $0, $f0\n");
GUEST_CODE(guest_load_a0, "ld $2, 0($4)\n");
GUEST_CODE(guest_store_a0, "nop\n sd $2, 0($4)\n");
GUEST_CODE(guest_break_in_delay_slot,
	"nop\n beq $0, $0, 1f\n break\n nop\n 1: nop\n");

TEST_F(vm, exit_syscall)
{
	ASSERT_EQ(0, load_guest(&self->t, guest_syscall));
	expect_exception(_metadata, &self->t, MVM_EXC_SYS, GUEST_CODE_GPA + 4);
	EXPECT_EQ(0x0000000c, self->t.run->ex.insn);
	EXPECT_EQ(0, self->t.run->ex.cause & (1ull << 31));
}

TEST_F(vm, exit_break)
{
	ASSERT_EQ(0, load_guest(&self->t, guest_break));
	expect_exception(_metadata, &self->t, MVM_EXC_BP, GUEST_CODE_GPA + 8);
	EXPECT_EQ(0x0000000d | (7 << 16), self->t.run->ex.insn);
}

TEST_F(vm, exit_trap)
{
	ASSERT_EQ(0, load_guest(&self->t, guest_trap));
	expect_exception(_metadata, &self->t, MVM_EXC_TR, GUEST_CODE_GPA);
}

TEST_F(vm, exit_reserved_instruction)
{
	ASSERT_EQ(0, load_guest(&self->t, guest_reserved));
	expect_exception(_metadata, &self->t, MVM_EXC_RI, GUEST_CODE_GPA + 4);
	EXPECT_EQ(0xec000000, self->t.run->ex.insn);
}

/* The host's HWREna must not let the guest read host state. */
TEST_F(vm, rdhwr_is_reserved_in_guest_mode)
{
	ASSERT_EQ(0, mvm_set_cp0(&self->t, 7, 0, 0));
	ASSERT_EQ(0, load_guest(&self->t, guest_rdhwr_userlocal));
	expect_exception(_metadata, &self->t, MVM_EXC_RI, GUEST_CODE_GPA + 4);
	EXPECT_EQ(0, mvm_reg(&self->t, 3));
}

TEST_F(vm, rdhwr_cycle_counter_is_reserved_in_guest_mode)
{
	ASSERT_EQ(0, load_guest(&self->t, guest_rdhwr_cycles));
	expect_exception(_metadata, &self->t, MVM_EXC_RI, GUEST_CODE_GPA);
}

static uint64_t exits(struct mvm_test_vm *t)
{
	uint64_t val = ~0ull;
	struct mvm_one_reg r = { MVM_REG_STAT_EXITS, (uintptr_t)&val };

	return ioctl(t->vcpu_fd, MVM_GET_ONE_REG, &r) ? ~0ull : val;
}

/* a0 times: v1 = UserLocal, v0 += v1 (the guest's TLS pointer); syscall. */
GUEST_CODE(guest_tls_loop,
	"	move	$2, $0\n"
	"1:	rdhwr	$3, $29\n"
	"	daddu	$2, $2, $3\n"
	"	daddiu	$4, $4, -1\n"
	"	bnez	$4, 1b\n"
	"	 nop\n"
	"	syscall\n");

static __thread int vmm_tls = 42;

/*
 * With the guest's HWREna.UL set, `rdhwr $29` reads the guest's UserLocal
 * (MVM_SET_ONE_REG of CP0 4.2) without an exit when the host CPU has
 * UserLocal (MVM_CAP_USERLOCAL); the VMM thread's own TLS stays intact.
 * Without ULRI the module answers the RI trap itself: never an exit to
 * userspace per TLS access.
 */
TEST_F(vm, rdhwr_userlocal_reads_the_guests_userlocal)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t ul = 0x7fff12345678, n = 10000, before;
	void *tp = __builtin_thread_pointer();
	int native = ioctl(t->dev_fd, MVM_CHECK_EXTENSION, MVM_CAP_USERLOCAL);

	ASSERT_LE(0, native);
	ASSERT_EQ(0, load_guest(t, guest_tls_loop));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, n));
	ASSERT_EQ(0, mvm_set_cp0(t, 4, 2, ul));
	ASSERT_EQ(0, mvm_set_cp0(t, 7, 0, 1u << 29));
	vmm_tls = 43;
	errno = 0;
	before = exits(t);
	ASSERT_NE(~0ull, before);
	ASSERT_EQ(0, mvm_run(t));
	/* The VMM thread's TLS is its own again. */
	EXPECT_EQ(tp, __builtin_thread_pointer());
	EXPECT_EQ(43, vmm_tls);
	EXPECT_EQ(0, errno);
	ASSERT_EQ(MVM_EXIT_EXCEPTION, t->run->exit_reason)
		TH_LOG("exit %s", mvm_exit_name(t->run->exit_reason));
	ASSERT_EQ(MVM_EXC_SYS, t->run->ex.exc_code)
		TH_LOG("exc %u at 0x%llx", t->run->ex.exc_code,
		       (unsigned long long)t->run->pc);
	EXPECT_EQ(ul, mvm_reg(t, R_V1));
	EXPECT_EQ(ul * n, mvm_reg(t, R_V0));
	/* Natively: a refill, the syscall and host ticks, not one exit per rdhwr. */
	TH_LOG("%llu rdhwr $29 (%s): %llu exits in the module", (unsigned long long)n,
	       native ? "native" : "emulated in the module",
	       (unsigned long long)(exits(t) - before));
	if (native)
		EXPECT_GT(n / 10, exits(t) - before);
	/* A failing syscall still sets this thread's errno (TLS). */
	EXPECT_EQ(-1, ioctl(t->vcpu_fd, 0));
	EXPECT_EQ(ENOTTY, errno);
}

/* The guest's HWREna decides: UserLocal off, or any other register, is RI. */
TEST_F(vm, rdhwr_without_guest_hwrena_is_reserved)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, mvm_set_cp0(t, 4, 2, 0x1234));
	ASSERT_EQ(0, load_guest(t, guest_rdhwr_userlocal));
	ASSERT_EQ(0, mvm_set_cp0(t, 7, 0, ~(1ull << 29)));
	expect_exception(_metadata, t, MVM_EXC_RI, GUEST_CODE_GPA + 4);
	EXPECT_EQ(0, mvm_reg(t, 3));
	/* CPUNum, SYNCI_Step, CC, CCRes would read host values: never. */
	ASSERT_EQ(0, mvm_set_cp0(t, 7, 0, 0xffffffff));
	ASSERT_EQ(0, load_guest(t, guest_rdhwr_cycles));
	expect_exception(_metadata, t, MVM_EXC_RI, GUEST_CODE_GPA);
}

TEST_F(vm, exit_coprocessor_unusable)
{
	ASSERT_EQ(0, load_guest(&self->t, guest_mfc0));
	expect_exception(_metadata, &self->t, MVM_EXC_CPU, GUEST_CODE_GPA);
	EXPECT_EQ(0, (self->t.run->ex.cause >> 28) & 3);	/* CE = 0 */
	/* Guest CP0 is never the host's: nothing was read into v0. */
	EXPECT_EQ(0, mvm_reg(&self->t, R_V0));
	ASSERT_EQ(0, load_guest(&self->t, guest_fpu));
	expect_exception(_metadata, &self->t, MVM_EXC_CPU, GUEST_CODE_GPA + 4);
	EXPECT_EQ(1, (self->t.run->ex.cause >> 28) & 3);	/* CE = 1 */
}

TEST_F(vm, exit_address_error)
{
	struct mvm_test_vm *t = &self->t;

	/* A kernel address from guest user mode. */
	ASSERT_EQ(0, load_guest(t, guest_load_a0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0xffffffff80000000ull));
	expect_exception(_metadata, t, MVM_EXC_ADEL, GUEST_CODE_GPA);
	EXPECT_EQ(0xffffffff80000000ull, t->run->ex.badvaddr);
	ASSERT_EQ(0, load_guest(t, guest_store_a0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0xffffffff80001000ull));
	expect_exception(_metadata, t, MVM_EXC_ADES, GUEST_CODE_GPA + 4);
	EXPECT_EQ(0xffffffff80001000ull, t->run->ex.badvaddr);
	/* Misaligned, inside guest RAM. */
	ASSERT_EQ(0, load_guest(t, guest_load_a0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_DATA_GPA + 4));
	expect_exception(_metadata, t, MVM_EXC_ADEL, GUEST_CODE_GPA);
	EXPECT_EQ(GUEST_DATA_GPA + 4, t->run->ex.badvaddr);
}

TEST_F(vm, exit_in_delay_slot)
{
	ASSERT_EQ(0, load_guest(&self->t, guest_break_in_delay_slot));
	expect_exception(_metadata, &self->t, MVM_EXC_BP, GUEST_CODE_GPA + 4);
	EXPECT_NE(0, self->t.run->ex.cause & (1ull << 31));	/* Cause.BD */
}

/* Past the flat window: a guest TLB fault, never host memory. */
TEST_F(vm, exit_outside_window)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, load_guest(t, guest_load_a0));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 1ull << MVM_FLAT_WINDOW_BITS));
	expect_exception(_metadata, t, MVM_EXC_TLBL, GUEST_CODE_GPA);
	EXPECT_EQ(1ull << MVM_FLAT_WINDOW_BITS, t->run->ex.badvaddr);
}

/* The exception exit reports the exact register file. */
TEST_F(vm, exact_state_at_exit)
{
	struct mvm_test_vm *t = &self->t;
	struct mvm_regs in, out;
	int i;

	ASSERT_EQ(0, load_guest(t, guest_break));
	for (i = 0; i < 32; i++)
		in.gpr[i] = 0x1111111111111111ull * (i % 15) + i;
	in.gpr[0] = 0;
	in.hi = 0xfedcba9876543210ull;
	in.lo = 0x0123456789abcdefull;
	in.pc = GUEST_CODE_GPA;
	ASSERT_EQ(0, ioctl(t->vcpu_fd, MVM_SET_REGS, &in));
	expect_exception(_metadata, t, MVM_EXC_BP, GUEST_CODE_GPA + 8);
	ASSERT_EQ(0, mvm_get_regs(t, &out));
	for (i = 0; i < 32; i++)
		EXPECT_EQ(in.gpr[i], out.gpr[i]) TH_LOG("gpr %d", i);
	EXPECT_EQ(in.hi, out.hi);
	EXPECT_EQ(in.lo, out.lo);
	/* Resuming after the break (PC + 4) reaches the end of RAM code. */
}

GUEST_CODE(guest_hypercalls,
	"	li	$2, 7\n"
	"	li	$4, 11\n"
	"	li	$5, 12\n"
	"	li	$6, 13\n"
	"	li	$7, 14\n"
	HYPCALL
	"	daddiu	$2, $2, 1\n"
	".word 0x42000028 | (5 << 11)\n");

TEST_F(vm, hypercall_args_and_return)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, load_guest(t, guest_hypercalls));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(7, t->run->hypercall.nr);
	EXPECT_EQ(11, t->run->hypercall.args[0]);
	EXPECT_EQ(14, t->run->hypercall.args[3]);
	EXPECT_EQ(0, t->run->hypercall.code);
	EXPECT_EQ(GUEST_CODE_GPA + 20, t->run->pc);
	t->run->hypercall.ret = 41;
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(42, t->run->hypercall.nr);
	EXPECT_EQ(5, t->run->hypercall.code);
	EXPECT_EQ(GUEST_CODE_GPA + 28, t->run->pc);
}

/* The null hypercall is answered in the kernel: one exit for the last. */
GUEST_CODE(guest_nop_hypercalls,
	"	li	$2, 9\n"
	".word 0x42000028 | (0x3ff << 11)\n"
	"	move	$3, $2\n"
	".word 0x42000028 | (0x3ff << 11)\n"
	HYPCALL);

TEST_F(vm, hypercall_nop_stays_in_kernel)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, load_guest(t, guest_nop_hypercalls));
	ASSERT_EQ(0, mvm_set_reg(t, R_V1, 5));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(GUEST_CODE_GPA + 16, t->run->pc);
	EXPECT_EQ(0, t->run->hypercall.nr);
	EXPECT_EQ(0, mvm_reg(t, R_V1));
}

/* MMIO: a store, then loads of each width whose data userspace supplies. */
GUEST_CODE(guest_mmio,
	"	sw	$5, 0($4)\n"
	"	lw	$2, 4($4)\n"
	"	lh	$3, 8($4)\n"
	"	lbu	$6, 9($4)\n"
	"	ld	$7, 16($4)\n"
	"	sb	$7, 3($4)\n"
	HYPCALL);

static void expect_mmio(struct __test_metadata *_metadata,
			struct mvm_test_vm *t, int is_write, uint64_t gpa,
			uint32_t len, uint64_t pc)
{
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_MMIO, t->run->exit_reason)
		TH_LOG("exit %s at pc 0x%llx, expected MMIO to 0x%llx",
		       mvm_exit_name(t->run->exit_reason),
		       (unsigned long long)t->run->pc, (unsigned long long)gpa);
	EXPECT_EQ(is_write, t->run->mmio.is_write);
	EXPECT_EQ(gpa, t->run->mmio.phys_addr);
	EXPECT_EQ(len, t->run->mmio.len);
	EXPECT_EQ(pc, t->run->pc);
}

static void supply(struct mvm_test_vm *t, uint64_t val)
{
	memcpy(t->run->mmio.data, &val, sizeof(val));
}

TEST_F(vm, mmio_round_trip)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t base = GUEST_MMIO_GPA, pc = GUEST_CODE_GPA, data;

	ASSERT_EQ(0, load_guest(t, guest_mmio));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, base));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0xcafef00d12345678ull));
	expect_mmio(_metadata, t, 1, base, 4, pc);
	memcpy(&data, t->run->mmio.data, 8);
	EXPECT_EQ(0x12345678, data);
	expect_mmio(_metadata, t, 0, base + 4, 4, pc + 4);
	supply(t, 0x80000001);
	expect_mmio(_metadata, t, 0, base + 8, 2, pc + 8);
	EXPECT_EQ(0xffffffff80000001ull, mvm_reg(t, R_V0));	/* lw sign-extends */
	supply(t, 0x8001);
	expect_mmio(_metadata, t, 0, base + 9, 1, pc + 12);
	EXPECT_EQ(0xffffffffffff8001ull, mvm_reg(t, R_V1));
	supply(t, 0xfe);
	expect_mmio(_metadata, t, 0, base + 16, 8, pc + 16);
	EXPECT_EQ(0xfe, mvm_reg(t, R_A2));			/* lbu does not */
	supply(t, 0x1122334455667788ull);
	expect_mmio(_metadata, t, 1, base + 3, 1, pc + 20);
	EXPECT_EQ(0x1122334455667788ull, mvm_reg(t, R_A3));
	EXPECT_EQ(0x88, t->run->mmio.data[0]);
	ASSERT_EQ(0, mvm_run(t));
	EXPECT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(pc + 24, t->run->pc);
}

/* An MMIO load in a delay slot: the branch is taken after it completes. */
GUEST_CODE(guest_mmio_delay_slot,
	"	beq	$0, $0, 1f\n"
	"	 lw	$2, 0($4)\n"
	"	break\n"
	"1:	bnez	$2, 2f\n"
	"	 nop\n"
	"	break\n"
	"2:	" HYPCALL);

TEST_F(vm, mmio_in_delay_slot)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, load_guest(t, guest_mmio_delay_slot));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_MMIO_GPA));
	expect_mmio(_metadata, t, 0, GUEST_MMIO_GPA, 4, GUEST_CODE_GPA);
	supply(t, 5);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason)
		TH_LOG("exit %s pc %llx", mvm_exit_name(t->run->exit_reason),
		       (unsigned long long)t->run->pc);
	EXPECT_EQ(GUEST_CODE_GPA + 24, t->run->pc);
	EXPECT_EQ(5, mvm_reg(t, R_V0));
}

/* ... and in the delay slot of a call: the link register is set too. */
GUEST_CODE(guest_mmio_call_delay_slot,
	"	bal	1f\n"
	"	 lw	$2, 0($4)\n"
	"	break\n"
	"1:	" HYPCALL);

TEST_F(vm, mmio_in_call_delay_slot)
{
	struct mvm_test_vm *t = &self->t;

	ASSERT_EQ(0, load_guest(t, guest_mmio_call_delay_slot));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_MMIO_GPA + 0x40));
	expect_mmio(_metadata, t, 0, GUEST_MMIO_GPA + 0x40, 4, GUEST_CODE_GPA);
	supply(t, 0x77);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(GUEST_CODE_GPA + 12, t->run->pc);
	EXPECT_EQ(GUEST_CODE_GPA + 8, mvm_reg(t, R_RA));
	EXPECT_EQ(0x77, mvm_reg(t, R_V0));
}

/* A store of the link register in a call's delay slot sees the new link. */
GUEST_CODE(guest_store_link_in_delay_slot,
	"	bal	1f\n"
	"	 sd	$31, 0($4)\n"
	"1:	" HYPCALL);

TEST_F(vm, store_of_link_in_delay_slot)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t data;

	ASSERT_EQ(0, load_guest(t, guest_store_link_in_delay_slot));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, GUEST_MMIO_GPA));
	expect_mmio(_metadata, t, 1, GUEST_MMIO_GPA, 8, GUEST_CODE_GPA);
	memcpy(&data, t->run->mmio.data, 8);
	EXPECT_EQ(GUEST_CODE_GPA + 8, data);
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(GUEST_CODE_GPA + 8, t->run->pc);
	EXPECT_EQ(GUEST_CODE_GPA + 8, mvm_reg(t, R_RA));
}

/* Reads of a read-only slot hit memory; writes become MMIO exits. */
GUEST_CODE(guest_rom,
	"	ld	$2, 0($4)\n"
	"	sd	$2, 8($4)\n"
	HYPCALL);

TEST_F(vm, readonly_slot)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t *rom = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, rom);
	rom[0] = 0x5a5a5a5a00c0ffeeull;
	ASSERT_EQ(0, mvm_set_region(t->vm_fd, 1, MVM_MEM_READONLY, 0x100000,
				    4096, rom));
	ASSERT_EQ(0, load_guest(t, guest_rom));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x100000));
	expect_mmio(_metadata, t, 1, 0x100008, 8, GUEST_CODE_GPA + 4);
	EXPECT_EQ(rom[0], mvm_reg(t, R_V0));
	EXPECT_EQ(0, rom[1]);
	ASSERT_EQ(0, mvm_run(t));
	EXPECT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(0, rom[1]);
}

/*
 * No guest access outside its memslots reaches host memory: not page 0,
 * not the page after RAM, not a slot that was deleted or moved away.
 */
GUEST_CODE(guest_store_loop,	/* stores a1 to a0 and hypercalls, forever */
	"1:	sd	$5, 0($4)\n"
	HYPCALL
	"	b	1b\n"
	"	 nop\n");

TEST_F(vm, no_access_outside_memslots)
{
	struct mvm_test_vm *t = &self->t;
	uint64_t *other = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static const uint64_t holes[] = {
		0, 0x1000, GUEST_RAM_GPA - 8, GUEST_RAM_GPA + GUEST_RAM_SIZE,
		0x100000, (1ull << MVM_FLAT_WINDOW_BITS) - 8,
	};
	unsigned int i;

	ASSERT_NE(MAP_FAILED, other);
	ASSERT_EQ(0, load_guest(t, guest_store_loop));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0x4242));
	for (i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		ASSERT_EQ(0, mvm_set_reg(t, 32, GUEST_CODE_GPA));
		ASSERT_EQ(0, mvm_set_reg(t, R_A0, holes[i]));
		expect_mmio(_metadata, t, 1, holes[i], 8, GUEST_CODE_GPA);
	}
	/* Map a slot, let the guest write it, then delete it. */
	ASSERT_EQ(0, mvm_set_region(t->vm_fd, 2, 0, 0x100000, 4096, other));
	ASSERT_EQ(0, mvm_set_reg(t, 32, GUEST_CODE_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x100000));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(0x4242, other[0]);
	ASSERT_EQ(0, mvm_set_region(t->vm_fd, 2, 0, 0, 0, NULL));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0x9999));
	expect_mmio(_metadata, t, 1, 0x100000, 8, GUEST_CODE_GPA);
	EXPECT_EQ(0x4242, other[0]);
	/* Moved: the old address is a hole, the new one is the memory. */
	ASSERT_EQ(0, mvm_set_region(t->vm_fd, 2, 0, 0x100000, 4096, other));
	ASSERT_EQ(0, mvm_set_reg(t, 32, GUEST_CODE_GPA));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(0x9999, other[0]);
	ASSERT_EQ(0, mvm_set_region(t->vm_fd, 2, 0, 0x200000, 4096, other));
	ASSERT_EQ(0, mvm_set_reg(t, R_A1, 0x7777));
	ASSERT_EQ(0, mvm_set_reg(t, 32, GUEST_CODE_GPA));
	expect_mmio(_metadata, t, 1, 0x100000, 8, GUEST_CODE_GPA);
	EXPECT_EQ(0x9999, other[0]);
	ASSERT_EQ(0, mvm_set_reg(t, 32, GUEST_CODE_GPA));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 0x200000));
	ASSERT_EQ(0, mvm_run(t));
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(0x7777, other[0]);
}

/* v0 = *(a0), hypercall; forever. */
GUEST_CODE(guest_read_loop,
	"1:	ld	$2, 0($4)\n"
	HYPCALL
	"	b	1b\n"
	"	 nop\n");

/*
 * Two VMs and this very process use the same virtual address with different
 * memory behind it: each sees its own (distinct ASIDs, no stale entries).
 */
TEST(address_spaces_are_isolated)
{
	struct mvm_test_vm vm[2];
	volatile uint64_t *mine;
	int i, round;

	for (i = 0; i < 2; i++) {
		int ret = mvm_vm_create(&vm[i]);

		if (ret == -ENOENT)
			SKIP(return, "/dev/mvm missing: mvm.ko not loaded");
		ASSERT_EQ(0, ret);
		*(uint64_t *)mvm_gpa_ptr(&vm[i], GUEST_DATA_GPA) = 0xa0 + i;
		ASSERT_EQ(0, load_guest(&vm[i], guest_read_loop));
		ASSERT_EQ(0, mvm_set_reg(&vm[i], R_A0, GUEST_DATA_GPA));
	}
	/* The host process maps the same address for itself. */
	mine = mmap((void *)GUEST_DATA_GPA, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_EQ((void *)GUEST_DATA_GPA, (void *)mine);
	for (round = 0; round < 500; round++) {
		*mine = 0xb0 + round;
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, mvm_run(&vm[i]));
			ASSERT_EQ(MVM_EXIT_HYPERCALL, vm[i].run->exit_reason);
			ASSERT_EQ(0xa0 + i, vm[i].run->hypercall.nr)
				TH_LOG("round %d, VM %d", round, i);
		}
		ASSERT_EQ(0xb0 + round, *mine);
	}
	munmap((void *)mine, 4096);
	mvm_vm_destroy(&vm[0]);
	mvm_vm_destroy(&vm[1]);
}

GUEST_CODE(guest_spin, "1: b 1b\n nop\n");

static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F(vm, signal_interrupts_run)
{
	struct mvm_test_vm *t = &self->t;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));	/* no SA_RESTART */
	ASSERT_EQ(0, load_guest(t, guest_spin));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, mvm_run(t));
	EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
	EXPECT_LE(GUEST_CODE_GPA, t->run->pc);
	EXPECT_GE(GUEST_CODE_GPA + 4, t->run->pc);
	/* And again: the vCPU is still usable. */
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, mvm_run(t));
	EXPECT_EQ(MVM_EXIT_INTR, t->run->exit_reason);
}

/* A long loop crosses many host timer interrupts and still counts right. */
GUEST_CODE(guest_count,
	"	move	$2, $0\n"
	"1:	daddiu	$2, $2, 1\n"
	"	bne	$2, $4, 1b\n"
	"	 nop\n"
	HYPCALL);

TEST_F(vm, host_interrupts_are_transparent)
{
	struct mvm_test_vm *t = &self->t;
	struct timespec a, b;
	double secs;

	ASSERT_EQ(0, load_guest(t, guest_count));
	ASSERT_EQ(0, mvm_set_reg(t, R_A0, 200000000));
	clock_gettime(CLOCK_MONOTONIC, &a);
	ASSERT_EQ(0, mvm_run(t));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ASSERT_EQ(MVM_EXIT_HYPERCALL, t->run->exit_reason);
	EXPECT_EQ(200000000, mvm_reg(t, R_V0));
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	TH_LOG("200M iterations in %.3f s (host ticks at 250 Hz)", secs);
}

TEST_HARNESS_MAIN
