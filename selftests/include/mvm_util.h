/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for mvm.ko selftests: a VM with one vCPU and guest RAM, guest
 * code blobs, and running until a given exit. Helpers return errors; the
 * tests assert with the harness's own ASSERT_* so failures are reported.
 */
#ifndef MVM_UTIL_H
#define MVM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/mvm.h>

/* Guest RAM of the standard fixture: GPA 0x10000, 64 KiB. */
#define GUEST_RAM_GPA	0x10000ull
#define GUEST_RAM_SIZE	0x10000ull
#define GUEST_CODE_GPA	GUEST_RAM_GPA		/* code at the start ... */
#define GUEST_DATA_GPA	(GUEST_RAM_GPA + 0x8000)	/* ... data after */
/* A GPA with no memslot: accesses to it are MMIO. */
#define GUEST_MMIO_GPA	0x40000000ull

/* Register numbers (n64). */
enum { R_ZERO, R_AT, R_V0, R_V1, R_A0, R_A1, R_A2, R_A3, R_A4, R_A5, R_A6,
	R_A7, R_T0, R_T1, R_T2, R_T3, R_S0, R_S1, R_S2, R_S3, R_S4, R_S5,
	R_S6, R_S7, R_T8, R_T9, R_K0, R_K1, R_GP, R_SP, R_S8, R_RA };

/*
 * Guest code: assembled into the test binary between name_start and
 * name_end, position independent (relative branches only), copied into
 * guest RAM by vm_load_code(). noreorder: delay slots are written out.
 */
#define GUEST_CODE(name, body)						\
	extern const char name##_start[], name##_end[];			\
	asm(".pushsection .rodata.guest, \"a\"\n"			\
	    ".balign 4\n"						\
	    ".set push\n.set noreorder\n.set noat\n"			\
	    #name "_start:\n" body "\n" #name "_end:\n"			\
	    ".set pop\n.popsection\n")
#define GUEST_CODE_LEN(name)	((size_t)(name##_end - name##_start))

struct mvm_test_vm {
	int dev_fd, vm_fd, vcpu_fd;
	struct mvm_run *run;
	void *ram;		/* host view of guest RAM */
	uint64_t ram_gpa, ram_size;
};

/* xorshift64: the tests' deterministic random numbers (state never 0). */
static inline uint64_t mvm_xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

int mvm_open_dev(void);
/* VM + vCPU 0 + run mapping + RAM slot 0 at GUEST_RAM_GPA. 0 or -errno. */
int mvm_vm_create(struct mvm_test_vm *t);
void mvm_vm_destroy(struct mvm_test_vm *t);
int mvm_set_region(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa,
		   uint64_t size, void *uaddr);
/* Copies code to GPA and sets the PC to it; the other registers to 0. */
int mvm_load_code(struct mvm_test_vm *t, uint64_t gpa, const void *code,
		  size_t len);
int mvm_get_regs(struct mvm_test_vm *t, struct mvm_regs *r);
int mvm_set_reg(struct mvm_test_vm *t, int reg, uint64_t val);
uint64_t mvm_reg(struct mvm_test_vm *t, int reg);
/* MVM_SET_ONE_REG of CP0 (reg, sel): 0 or -errno. */
int mvm_set_cp0(struct mvm_test_vm *t, int reg, int sel, uint64_t val);
/* MVM_SET_TLB of one guest TLB entry: 0 or -errno. */
int mvm_set_tlb(struct mvm_test_vm *t, uint32_t index, uint64_t hi,
		uint64_t lo0, uint64_t lo1, uint64_t pagemask);
/* MVM_RUN: 0 or -errno. */
int mvm_run(struct mvm_test_vm *t);
/* Host pointer for a GPA inside the RAM slot. */
void *mvm_gpa_ptr(struct mvm_test_vm *t, uint64_t gpa);
const char *mvm_exit_name(uint32_t reason);
long mvm_pinned_pages(void);

#define load_guest(t, name) \
	mvm_load_code(t, GUEST_CODE_GPA, name##_start, GUEST_CODE_LEN(name))

#endif
