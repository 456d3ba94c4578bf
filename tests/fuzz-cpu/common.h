/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two CPU fuzzers (fuzz_cpu.c: whole programs, fuzz_decode.c: one
 * instruction) share: guest RAM fenced by inaccessible guard regions, a
 * virtual clock that makes runs deterministic and bounds them, a wall-clock
 * watchdog as the last resort, a small MMIO device and instruction encoders.
 */
#ifndef FUZZ_CPU_COMMON_H
#define FUZZ_CPU_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bus.h"
#include "cpu.h"
#include "cpu_internal.h"

#define KSEG0		0xffffffff80000000ull
#define KSEG1		0xffffffffa0000000ull
#define XKPHYS_CACHED	0x9800000000000000ull
#define FUZZ_MMIO_BASE	0x1f000000ull	/* the fake device, in the MMIO window */
#define FUZZ_MMIO_SIZE	0x1000ull

/* Reports a broken invariant and aborts, so libFuzzer keeps the input. */
#define fuzz_fail(...) do {						\
		fprintf(stderr, "fuzz-cpu: invariant broken: " __VA_ARGS__);	\
		fputc('\n', stderr);					\
		abort();						\
	} while (0)
#define fuzz_check(cond, ...) do { if (!(cond)) fuzz_fail(__VA_ARGS__); } while (0)

/*
 * Guest RAM of mem_size bytes (bus__init's rule for the MMIO window) at
 * bus->ram, fresh zeroes every call; 64 GiB on either side are PROT_NONE,
 * so a host access computed from a wrong guest physical address faults.
 * Also adds the fake MMIO device. Two buses (slot 0, 1) may exist at once.
 */
void fuzz_bus_init(struct bus *bus, uint64_t mem_size, int slot);
void fuzz_bus_exit(struct bus *bus);

/*
 * A vCPU, reset to start at pc, on a bus made by fuzz_bus_init(mem_size)
 * whose RAM holds the word fill all over its first MiB and zeroes above.
 * Valid until the next call.
 */
struct cpu *fuzz_vcpu_get(uint64_t mem_size, uint64_t pc, uint32_t fill);

/*
 * The run's budget. The core reads time only through clock_gettime, which
 * the fuzz build redirects here (-Dclock_gettime=fuzz_clock_gettime): Count
 * then advances with the instructions retired (deterministic), WAIT sleeps
 * are virtual, and once the budget is spent the CPU is kicked. The watchdog
 * thread kicks a run that never reaches the clock (see fuzz_run()).
 */
struct fuzz_budget {
	uint64_t insns;		/* instructions retired */
	uint64_t exceptions;	/* exceptions taken */
	unsigned int sleeps;	/* WAIT sleeps */
	unsigned int clock_calls;
};
/* Runs cpu until it returns with the budget spent (or POWEROFF/HALT). */
enum cpu_exit fuzz_run(struct cpu *cpu, const struct fuzz_budget *budget);
/* How many runs only ended through the wall-clock watchdog. */
extern unsigned long fuzz_watchdog_kicks;
/* How far the virtual clock moves per clock read and per instruction. */
extern unsigned int fuzz_clock_ns_per_call, fuzz_clock_ns_per_insn;

/* The fake device's invariant: every access the bus passes is in range. */
extern unsigned long fuzz_mmio_accesses;

/* Instruction encoders. */
static inline uint32_t enc_i(unsigned int op, unsigned int rs, unsigned int rt, uint32_t imm)
{
	return op << 26 | (rs & 31) << 21 | (rt & 31) << 16 | (imm & 0xffff);
}
static inline uint32_t enc_r(unsigned int rs, unsigned int rt, unsigned int rd,
			     unsigned int sa, unsigned int funct)
{
	return (rs & 31) << 21 | (rt & 31) << 16 | (rd & 31) << 11 | (sa & 31) << 6 | funct;
}
#define ENC_NOP			0u
#define ENC_ERET		0x42000018u
#define ENC_WAIT		0x42000020u
#define ENC_SYSCALL		0x0000000cu
#define ENC_BREAK		0x0000000du
#define ENC_EHB			0x000000c0u
#define ENC_LUI(rt, imm)	enc_i(0x0f, 0, rt, imm)
#define ENC_LD(rt, base, off)	enc_i(0x37, base, rt, off)
#define ENC_SD(rt, base, off)	enc_i(0x3f, base, rt, off)
#define ENC_DADDIU(rt, rs, imm)	enc_i(0x19, rs, rt, imm)
#define ENC_BLTZ(rs, off)	enc_i(0x01, rs, 0, off)
#define ENC_BEQ(rs, rt, off)	enc_i(0x04, rs, rt, off)
#define ENC_MTC0(rt, rd)	(0x40800000u | (rt) << 16 | (rd) << 11)
#define ENC_DMFC0(rt, rd)	(0x40200000u | (rt) << 16 | (rd) << 11)
#define ENC_DMTC0(rt, rd)	(0x40a00000u | (rt) << 16 | (rd) << 11)

static inline void put32(uint8_t *p, uint32_t v)
{
	__builtin_memcpy(p, &v, 4);
}

#endif
