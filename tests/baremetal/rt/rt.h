/* SPDX-License-Identifier: GPL-2.0 */
/* The bare-metal test runtime: CP0 access, UART output, checks, exceptions, TLB. */
#ifndef BM_RT_H
#define BM_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regdef.h"

typedef uint64_t u64;
typedef uint32_t u32;
typedef int64_t s64;

#define CKSEG0		0xffffffff80000000ULL
#define CKSEG1		0xffffffffa0000000ULL
#define CKSSEG		0xffffffffc0000000ULL
#define CKSEG3		0xffffffffe0000000ULL
#define XKSSEG		0x4000000000000000ULL
#define XKPHYS		0x8000000000000000ULL
#define XKSEG		0xc000000000000000ULL
#define XKPHYS_CCA(cca, pa)	(XKPHYS | ((u64)(cca) << 59) | (pa))

#define PHYS(p)		((u64)(uintptr_t)(p) & 0x1fffffffULL)
#define KSEG0(pa)	(CKSEG0 | (pa))
#define KSEG1(pa)	(CKSEG1 | (pa))

#define STR(x) #x
#define XSTR(x) STR(x)

/* 32-bit CP0 registers (mfc0 sign-extends) and 64-bit ones. */
#define mfc0(reg, sel) ({ long __v;					\
	asm volatile("mfc0 %0, $" XSTR(reg) ", " XSTR(sel) : "=r"(__v)); __v; })
#define dmfc0(reg, sel) ({ u64 __v;					\
	asm volatile("dmfc0 %0, $" XSTR(reg) ", " XSTR(sel) : "=r"(__v)); __v; })
#define mtc0(reg, sel, v) asm volatile("mtc0 %z0, $" XSTR(reg) ", " XSTR(sel) "\n\tehb" \
	:: "Jr"((u32)(v)) : "memory")
#define dmtc0(reg, sel, v) asm volatile("dmtc0 %z0, $" XSTR(reg) ", " XSTR(sel) "\n\tehb" \
	:: "Jr"((u64)(v)) : "memory")

#define C0_INDEX	0, 0
#define C0_RANDOM	1, 0
#define C0_ENTRYLO0	2, 0
#define C0_ENTRYLO1	3, 0
#define C0_CONTEXT	4, 0
#define C0_USERLOCAL	4, 2
#define C0_PAGEMASK	5, 0
#define C0_PAGEGRAIN	5, 1
#define C0_WIRED	6, 0
#define C0_HWRENA	7, 0
#define C0_BADVADDR	8, 0
#define C0_COUNT	9, 0
#define C0_ENTRYHI	10, 0
#define C0_COMPARE	11, 0
#define C0_STATUS	12, 0
#define C0_INTCTL	12, 1
#define C0_SRSCTL	12, 2
#define C0_CAUSE	13, 0
#define C0_EPC		14, 0
#define C0_PRID		15, 0
#define C0_EBASE	15, 1
#define C0_CONFIG0	16, 0
#define C0_CONFIG1	16, 1
#define C0_CONFIG2	16, 2
#define C0_CONFIG3	16, 3
#define C0_CONFIG4	16, 4
#define C0_CONFIG7	16, 7
#define C0_LLADDR	17, 0
#define C0_XCONTEXT	20, 0
#define C0_ERROREPC	30, 0
#define C0_KSCRATCH1	31, 2
#define C0_KSCRATCH2	31, 3

#define MFC0(r) mfc0(r)
#define DMFC0(r) dmfc0(r)
#define MTC0(r, v) mtc0(r, v)
#define DMTC0(r, v) dmtc0(r, v)

static inline u32 rd32(u64 addr) { return *(volatile u32 *)(uintptr_t)addr; }
static inline u64 rd64(u64 addr) { return *(volatile u64 *)(uintptr_t)addr; }
static inline void wr32(u64 addr, u32 v) { *(volatile u32 *)(uintptr_t)addr = v; }
static inline void wr64(u64 addr, u64 v) { *(volatile u64 *)(uintptr_t)addr = v; }
/* Count's rate from the DTB's cpu-clock (half its frequency), 100 MHz without one. */
extern u64 count_hz;
static inline u32 count_now(void) { return (u32)MFC0(C0_COUNT); }

/* Output */
void putch(char c);
void puts_(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void bm_poweroff(void) __attribute__((noreturn));

/*
 * TAP-like results: each check prints `ok N - name` or
 * `not ok N - name: expected X got Y`. Names are printf formats.
 */
bool check_eq(u64 got, u64 expected, const char *name, ...);
bool check_true(bool cond, const char *name, ...);
void skip(const char *reason, const char *name, ...);
/* Marks a check as a known CPU bug: reported as ok + SKIP with the reason. */
void known_bug(const char *desc, const char *name, ...);

/* Exceptions */
struct frame {
	u64 regs[32];		/* regs[26]/[27] hold hi/lo */
	u64 epc;
	u64 vec;
};

struct exc_rec {
	u64 vec, cause, status, epc, badvaddr, context, xcontext, entryhi;
	u64 regs[32];		/* GPRs at the exception */
};

#define EXC_LOG_MAX 16
extern volatile int exc_n;			/* exceptions taken since exc_reset() */
extern struct exc_rec exc_log[EXC_LOG_MAX];
/* If nonzero: the next (non-interrupt) exception resumes here, in kernel mode. */
extern volatile u64 exc_resume;
extern volatile u64 exc_user_return;
/* Any exception from user mode (not just syscall) returns from go_user. */
extern volatile bool exc_user_abort;
/* Called for interrupts with the Cause value; must clear the source. */
extern void (*volatile irq_hook)(u64 cause);
/* Called first for every exception; returning true resumes at f->epc. */
extern bool (*volatile exc_hook)(struct frame *f, u64 cause);

void exc_reset(void);
/* Runs user code at pc until its syscall; returns the user's v0. */
u64 go_user(u64 pc, u64 a1, u64 a2);
/* The same in supervisor mode (KSU = 1). */
u64 go_super(u64 pc, u64 a1, u64 a2);
extern char vectors_a[], vectors_b[], bev_stub[];

/* Checks on the last recorded exception */
bool check_exc(int idx, int vec, int code, const char *name);

/* TLB */
int tlb_entries(void);
void tlb_init(void);		/* every entry invalid with a unique ckseg0 VPN2 */
void tlb_write(int index, u64 entryhi, u64 lo0, u64 lo1, u64 pagemask);
void tlb_read(int index, u64 *entryhi, u64 *lo0, u64 *lo1, u64 *pagemask);
long tlb_probe(u64 entryhi);	/* returns Index as read (sign-extended) */
void tlb_invalidate(int index);
int segbits(void);

#define ELO_G	1ULL
#define ELO_V	2ULL
#define ELO_D	4ULL
#define ELO_C(c)	((u64)(c) << 3)
#define ELO(pa, flags)	((((pa) >> 12) << 6) | (flags))

/* Each program defines this; the runtime prints the plan-free TAP lines. */
void bm_main(void);
extern const char *bm_name;

#endif
