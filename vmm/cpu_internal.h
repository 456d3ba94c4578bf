/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the CPU core's files; nothing outside vmm/cpu*.c,
 * cp0.c, tlb.c, interp.c and code_cache.c should include this. */
#ifndef MVM_CPU_INTERNAL_H
#define MVM_CPU_INTERNAL_H

#include "cpu.h"

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Status bits */
#define ST_IE		(1ull << 0)
#define ST_EXL		(1ull << 1)
#define ST_ERL		(1ull << 2)
#define ST_KSU_SHIFT	3
#define ST_KSU		(3ull << 3)
#define ST_UX		(1ull << 5)
#define ST_SX		(1ull << 6)
#define ST_KX		(1ull << 7)
#define ST_IM_SHIFT	8
#define ST_IM		(0xffull << 8)
#define ST_NMI		(1ull << 19)
#define ST_SR		(1ull << 20)
#define ST_BEV		(1ull << 22)
#define ST_RE		(1ull << 25)
#define ST_CU0		(1ull << 28)
#define ST_CU1		(1ull << 29)

/* Cause bits */
#define CAUSE_EXC_SHIFT	2
#define CAUSE_EXC	(0x1full << 2)
#define CAUSE_IP_SHIFT	8
#define CAUSE_IP	(0xffull << 8)
#define CAUSE_IV	(1ull << 23)
#define CAUSE_CE_SHIFT	28
#define CAUSE_CE	(3ull << 28)
#define CAUSE_TI	(1ull << 30)
#define CAUSE_TIMER	(CAUSE_TI | (1ull << (CAUSE_IP_SHIFT + 7)))	/* TI and IP7 */
#define CAUSE_BD	(1ull << 31)

#define ENTRYHI_ASID	0xffull
#define ENTRYHI_WRITABLE	((3ull << 62) | \
				 (((1ull << CPU_SEGBITS) - 1) & ~0x1fffull) | ENTRYHI_ASID)
#define ENTRYLO_G	1ull
#define ENTRYLO_V	2ull
#define ENTRYLO_D	4ull

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ull << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* CP0 register numbers */
enum {
	CP0_INDEX = 0, CP0_RANDOM = 1, CP0_ENTRYLO0 = 2, CP0_ENTRYLO1 = 3,
	CP0_CONTEXT = 4, CP0_PAGEMASK = 5, CP0_WIRED = 6, CP0_HWRENA = 7,
	CP0_BADVADDR = 8, CP0_COUNT = 9, CP0_ENTRYHI = 10, CP0_COMPARE = 11,
	CP0_STATUS = 12, CP0_CAUSE = 13, CP0_EPC = 14, CP0_PRID = 15,
	CP0_CONFIG = 16, CP0_LLADDR = 17, CP0_XCONTEXT = 20, CP0_DEBUG = 23,
	CP0_ERROREPC = 30, CP0_DESAVE = 31,
};

/* exception.c / cpu.c */
void cpu__exception(struct cpu *cpu, enum exc_code code);
void cpu__address_error(struct cpu *cpu, uint64_t va, bool store);
void cpu__cop_unusable(struct cpu *cpu, int cop);
void cpu__update_mode(struct cpu *cpu);
bool cpu__ops64_enabled(const struct cpu *cpu);
uint64_t cpu__host_count(struct cpu *cpu);
void cpu__poll_timer(struct cpu *cpu);

/* cp0.c */
void cp0__reset(struct cpu *cpu);
uint64_t cp0__read(struct cpu *cpu, int reg, int sel);
/* Returns true when the write may change translation, mode or interrupts. */
bool cp0__write(struct cpu *cpu, int reg, int sel, uint64_t value);
/* mtc0 Compare made when Count read @count: the ack, the new deadline. */
void cp0__write_compare_at(struct cpu *cpu, uint64_t value, uint32_t count);

/* tlb.c */
enum translate_result { TR_OK, TR_ADDRESS_ERROR, TR_REFILL, TR_INVALID, TR_MODIFIED };
enum translate_result tlb__translate(struct cpu *cpu, uint64_t va, int access,
				     uint64_t *pa, bool *cacheable_ram_ok);
/* Translate or raise the matching exception; false when one was raised. */
bool tlb__translate_or_raise(struct cpu *cpu, uint64_t va, int access, uint64_t *pa,
			     bool *soft_tlb_ok);
void tlb__probe(struct cpu *cpu);
void tlb__read(struct cpu *cpu);
void tlb__write(struct cpu *cpu, int index);
/* What tlbwi does with these as EntryHi, EntryLo0/1 and PageMask. */
void tlb__write_entry(struct cpu *cpu, unsigned int index, uint64_t entryhi,
		     uint64_t entrylo0, uint64_t entrylo1, uint64_t pagemask);
void tlb__write_random(struct cpu *cpu);
void tlb__flush_soft(struct cpu *cpu);
void tlb__flush_soft_mapped(struct cpu *cpu);

/* Segments whose translation never involves the TLB (kseg0/1, xkphys). */
static inline bool tlb__va_is_unmapped(uint64_t va)
{
	if ((int64_t)va == (int32_t)va) {
		uint32_t a = (uint32_t)va;

		return a >= 0x80000000u && a < 0xc0000000u;
	}
	return (va >> 62) == 2;
}
void tlb__flush_soft_store_page(struct cpu *cpu, uint64_t pa);
void tlb__recompute(struct tlb_entry *e);

/* code_cache.c */
struct code_cache {
	/* Bumped whenever a page becomes code: vCPUs then drop the soft TLB
	 * store entries that could bypass the code check. */
	_Atomic uint64_t epoch;
	/* Bumped when any code page's generation moves (the code patcher's cue). */
	_Atomic uint64_t invalidations;
	uint64_t nr_pages;
	_Atomic uint32_t *generation;
	_Atomic uint8_t *is_code;
	/*
	 * Bitmaps (bit n: page n holds code) that other parts keep of is_code,
	 * e.g. the code patcher's, where patched code looks before it skips
	 * an I-cache op. Set with is_code, never cleared here.
	 */
	pthread_mutex_t mirrors_lock;
	struct code_mirror {
		_Atomic uint8_t *bits;
		uint64_t pages;
	} mirrors[8];
};

struct code_cache *code_cache__get(struct bus *bus);
void code_cache__free(struct bus *bus);

static inline uint32_t code_cache__generation(struct code_cache *cc, uint64_t pa)
{
	return atomic_load_explicit(&cc->generation[pa >> PAGE_SHIFT],
				    memory_order_acquire);
}

/* Marks pa's page as holding code; returns true if it did not before. */
bool code_cache__mark(struct code_cache *cc, uint64_t pa);
/* Keep bits[] (pages bits) in step with is_code: 0, or -1 when full. */
int code_cache__add_mirror(struct code_cache *cc, _Atomic uint8_t *bits, uint64_t pages);
void code_cache__remove_mirror(struct code_cache *cc, _Atomic uint8_t *bits);
bool code_cache__is_code(struct code_cache *cc, uint64_t pa);
void code_cache__invalidate(struct bus *bus, uint64_t pa, uint64_t len);

/* interp.c */
void interp__init(struct cpu *cpu);
void interp__flush_jump_cache(struct cpu *cpu);
void interp__exit(struct cpu *cpu);
/* Run blocks from cpu->pc until the run loop must look (see interp.c). */
void interp__run(struct cpu *cpu);
/* One instruction, or a branch and its delay slot; no interrupt (cpu_debug.c). */
void interp__step(struct cpu *cpu);

/* Memory access helpers shared by the interpreter (interp.c) */
bool mem__load(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t *val);
bool mem__store(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t val);

#endif
