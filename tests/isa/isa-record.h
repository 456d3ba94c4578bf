/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the differential ISA test program writes for each case, and the
 * layouts it shares with tests/isa/cpu-runner.c (which plays the kernel's
 * part on mvm). Both sides are 64-bit little-endian.
 */
#ifndef ISA_RECORD_H
#define ISA_RECORD_H

#include <stdint.h>

/* The window of memory every case may store to; recorded after each case. */
#define ISA_SCRATCH		0x110000000ul
#define ISA_SCRATCH_SIZE	256
/* Value the driver puts in UserLocal (set_thread_area) for rdhwr $29. */
#define ISA_USERLOCAL		0x7766554433221100l
/* Per case: gpr[0..31] (gpr[0] unused), hi, lo. */
#define ISA_TABLE_WORDS		34
#define ISA_RECORD_MAGIC	0x3252444345524153ull	/* "SAERCDR2" */
/* siginfo_t on MIPS: signo, code, errno, then the union at 16 (si_addr). */
#define ISA_SIGINFO_ADDR	16

struct isa_record {
	uint64_t magic;
	uint64_t index;
	uint64_t signo;		/* signal that ended the case */
	uint64_t pc;		/* sc_pc: the trapping instruction (branch if in a delay slot) */
	uint64_t addr;		/* si_addr of SIGBUS and SIGSEGV (BadVAddr), else 0 */
	uint64_t gpr[32];
	uint64_t hi, lo;
	uint8_t mem[ISA_SCRATCH_SIZE];
};

/* struct sigcontext of the n64 ABI */
struct isa_sigcontext {
	uint64_t regs[32];
	uint64_t fpregs[32];
	uint64_t mdhi, hi1, hi2, hi3;
	uint64_t mdlo, lo1, lo2, lo3;
	uint64_t pc;
	uint32_t fpc_csr, used_math, dsp, reserved;
};

/* struct ucontext of MIPS Linux */
struct isa_ucontext {
	uint64_t flags;
	uint64_t link;
	uint64_t ss_sp, ss_size;
	int32_t ss_flags, pad;
	struct isa_sigcontext mcontext;
	uint64_t sigmask[2];
};

#endif
