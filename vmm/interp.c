// SPDX-License-Identifier: GPL-2.0
/*
 * The interpreter: guest code is decoded once per basic block into an
 * array of pre-decoded instructions, kept in a direct-mapped cache keyed by
 * physical address, and validated against the page's code generation (see
 * code_cache.c) before each use. Loads and stores go through a soft TLB
 * that maps a guest virtual page straight to host memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "decode.h"

#define BLOCK_CACHE_BITS	16
#define BLOCK_CACHE_SIZE	(1u << BLOCK_CACHE_BITS)
#define BLOCK_MAX_INSNS		64
#define JUMP_CACHE_BITS		12
#define JUMP_CACHE_SIZE		(1u << JUMP_CACHE_BITS)
#define MAX_RETIRED_BLOCKS	4096

struct block {
	uint64_t pa;
	uint32_t generation;
	uint32_t n;
	struct block *next_retired;
	struct insn insns[];
};

/*
 * key = virtual PC + mode + 1: never 0, so a zeroed entry matches nothing.
 * The entry carries the code generation it saw, so that validating a hit
 * costs one load that does not depend on the block.
 */
struct jump_entry {
	uint64_t key;
	struct block *block;
	_Atomic uint32_t *generation_ptr;
	uint32_t generation;
	uint32_t tlb_generation;	/* 0: the PC is in an unmapped segment */
};

void interp__init(struct cpu *cpu)
{
	cpu->blocks = calloc(BLOCK_CACHE_SIZE, sizeof(*cpu->blocks));
	cpu->jump_cache = calloc(JUMP_CACHE_SIZE, sizeof(*cpu->jump_cache));
	if (!cpu->jump_cache) {
		free(cpu->blocks);
		cpu->blocks = NULL;
	}
}

static void interp__free_retired(struct cpu *cpu)
{
	while (cpu->retired) {
		struct block *b = cpu->retired;

		cpu->retired = b->next_retired;
		free(b);
	}
	cpu->nr_retired = 0;
}

void interp__flush_jump_cache(struct cpu *cpu)
{
	if (cpu->jump_cache)
		memset(cpu->jump_cache, 0, JUMP_CACHE_SIZE * sizeof(*cpu->jump_cache));
	interp__free_retired(cpu);
}

void interp__exit(struct cpu *cpu)
{
	if (!cpu->blocks)
		return;
	interp__free_retired(cpu);
	for (unsigned int i = 0; i < BLOCK_CACHE_SIZE; i++)
		free(cpu->blocks[i]);
	free(cpu->blocks);
	free(cpu->jump_cache);
	cpu->blocks = NULL;
	cpu->jump_cache = NULL;
}

/* ---- memory access ---------------------------------------------------- */

static inline struct soft_tlb_entry *stlb_entry(struct cpu *cpu, int access, uint64_t va)
{
	return &cpu->stlb[cpu->mode][access][(va >> PAGE_SHIFT) & (SOFT_TLB_SIZE - 1)];
}

static void stlb_fill(struct cpu *cpu, int access, uint64_t va, uint64_t pa)
{
	struct soft_tlb_entry *e = stlb_entry(cpu, access, va);

	e->tag = va & PAGE_MASK;
	e->addend = (uintptr_t)cpu->bus->ram + (pa & PAGE_MASK) - (va & PAGE_MASK);
}

static inline uint64_t host_read(const void *p, unsigned int size)
{
	switch (size) {
	case 1: return *(const uint8_t *)p;
	case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
	case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
	default: { uint64_t v; memcpy(&v, p, 8); return v; }
	}
}

static inline void host_write(void *p, unsigned int size, uint64_t v)
{
	switch (size) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
	default: memcpy(p, &v, 8); break;
	}
}

static bool mem__load_slow(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t *val)
{
	uint64_t pa;
	bool soft_ok;

	if (!tlb__translate_or_raise(cpu, va, ACCESS_LOAD, &pa, &soft_ok))
		return false;
	if (bus__is_ram(cpu->bus, pa, size)) {
		if (soft_ok)
			stlb_fill(cpu, ACCESS_LOAD, va, pa);
		*val = host_read(cpu->bus->ram + pa, size);
		return true;
	}
	if (bus__mmio_read(cpu->bus, pa, size, val))
		return true;
	cpu__exception(cpu, EXC_DBE);
	return false;
}

static bool mem__store_slow(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t val)
{
	struct code_cache *cc = cpu->bus->code;
	uint64_t pa;
	bool soft_ok;

	if (!tlb__translate_or_raise(cpu, va, ACCESS_STORE, &pa, &soft_ok))
		return false;
	if (bus__is_ram(cpu->bus, pa, size)) {
		if (code_cache__is_code(cc, pa)) {
			code_cache__invalidate(cpu->bus, pa, size);
			cpu->code_written = true;
		}
		if (soft_ok)
			stlb_fill(cpu, ACCESS_STORE, va, pa);
		host_write(cpu->bus->ram + pa, size, val);
		return true;
	}
	if (bus__mmio_write(cpu->bus, pa, size, val))
		return true;
	cpu__exception(cpu, EXC_DBE);
	return false;
}

static inline __attribute__((always_inline)) bool load(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t *val)
{
	const struct soft_tlb_entry *e = stlb_entry(cpu, ACCESS_LOAD, va);

	if (unlikely(va & (size - 1))) {
		cpu__address_error(cpu, va, false);
		return false;
	}
	if (likely(e->tag == (va & PAGE_MASK))) {
		*val = host_read((const void *)(uintptr_t)(va + e->addend), size);
		return true;
	}
	return mem__load_slow(cpu, va, size, val);
}

static inline __attribute__((always_inline)) bool store(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t val)
{
	const struct soft_tlb_entry *e = stlb_entry(cpu, ACCESS_STORE, va);

	if (unlikely(va & (size - 1))) {
		cpu__address_error(cpu, va, true);
		return false;
	}
	if (likely(e->tag == (va & PAGE_MASK))) {
		host_write((void *)(uintptr_t)(va + e->addend), size, val);
		return true;
	}
	return mem__store_slow(cpu, va, size, val);
}

bool mem__load(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t *val)
{
	return load(cpu, va, size, val);
}

bool mem__store(struct cpu *cpu, uint64_t va, unsigned int size, uint64_t val)
{
	return store(cpu, va, size, val);
}

/* ---- translated blocks -------------------------------------------------- */

static bool fetch_pa(struct cpu *cpu, uint64_t pc, uint64_t *pa, bool *cacheable)
{
	const struct soft_tlb_entry *e = stlb_entry(cpu, ACCESS_FETCH, pc);
	bool soft_ok = true;

	if (unlikely(pc & 3)) {
		cpu__address_error(cpu, pc, false);
		return false;
	}
	*cacheable = true;
	if (likely(e->tag == (pc & PAGE_MASK))) {
		*pa = pc + e->addend - (uintptr_t)cpu->bus->ram;
		return true;
	}
	if (!tlb__translate_or_raise(cpu, pc, ACCESS_FETCH, pa, &soft_ok))
		return false;
	if (!bus__is_ram(cpu->bus, *pa, 4)) {
		cpu__exception(cpu, EXC_IBE);
		return false;
	}
	if (soft_ok)
		stlb_fill(cpu, ACCESS_FETCH, pc, *pa);
	*cacheable = soft_ok;
	return true;
}

static struct block *block__translate(struct cpu *cpu, uint64_t pa, uint32_t generation)
{
	/* room for a delay slot after the last instruction, and the sentinel */
	struct insn insns[BLOCK_MAX_INSNS + 2];
	uint64_t page_end = (pa & PAGE_MASK) + PAGE_SIZE;
	uint32_t n = 0;
	struct block *b;

	while (n < BLOCK_MAX_INSNS && pa + 4 * n < page_end) {
		struct insn *in = &insns[n++];
		uint32_t raw;

		memcpy(&raw, cpu->bus->ram + pa + 4 * (n - 1), 4);
		decode(raw, in);
		if (in->flags & INSN_BRANCH) {
			/* The delay slot belongs to the block if it is on the page. */
			if (pa + 4 * n < page_end) {
				memcpy(&raw, cpu->bus->ram + pa + 4 * n, 4);
				decode(raw, &insns[n++]);
			}
			break;
		}
		if (in->flags & INSN_ENDS_BLOCK)
			break;
	}
	/* A sentinel ends the threaded dispatch of the block. */
	insns[n] = (struct insn){ .op = OP_END };
	b = malloc(sizeof(*b) + (n + 1) * sizeof(struct insn));
	if (!b)
		return NULL;
	b->pa = pa;
	b->generation = generation;
	b->n = n;
	memcpy(b->insns, insns, (n + 1) * sizeof(struct insn));
	return b;
}

static void block__retire(struct cpu *cpu, struct block *b)
{
	if (!b)
		return;
	b->next_retired = cpu->retired;
	cpu->retired = b;
	if (++cpu->nr_retired >= MAX_RETIRED_BLOCKS)
		interp__flush_jump_cache(cpu);
}

static struct block *block__lookup_physical(struct cpu *cpu, uint64_t pa)
{
	struct code_cache *cc = cpu->bus->code;
	struct block **slot = &cpu->blocks[(pa >> 2) & (BLOCK_CACHE_SIZE - 1)];
	struct block *b = *slot;
	uint32_t gen = code_cache__generation(cc, pa);

	if (likely(b && b->pa == pa && b->generation == gen))
		return b;
	if (code_cache__mark(cc, pa))
		tlb__flush_soft_store_page(cpu, pa);
	gen = code_cache__generation(cc, pa);
	block__retire(cpu, b);
	*slot = block__translate(cpu, pa, gen);
	if (!*slot) {
		cpu->halted = true;
		cpu->halt_reason = "out of memory translating guest code";
	}
	return *slot;
}

static inline struct block *block__lookup(struct cpu *cpu)
{
	uint64_t pc = cpu->pc, key = pc + (uint64_t)cpu->mode + 1, pa;
	struct jump_entry *je = &cpu->jump_cache[(pc >> 2) & (JUMP_CACHE_SIZE - 1)];
	struct block *b;
	bool cacheable;

	if (likely(je->key == key && (pc & 3) == 0 &&
		   (je->tlb_generation == 0 || je->tlb_generation == cpu->tlb_generation) &&
		   atomic_load_explicit(je->generation_ptr, memory_order_acquire) ==
		   je->generation))
		return je->block;
	if (!fetch_pa(cpu, pc, &pa, &cacheable))
		return NULL;
	b = block__lookup_physical(cpu, pa);
	if (b && cacheable) {
		je->key = key;
		je->block = b;
		je->generation_ptr = &cpu->bus->code->generation[pa >> PAGE_SHIFT];
		je->generation = b->generation;
		je->tlb_generation = tlb__va_is_unmapped(pc) ? 0 : cpu->tlb_generation;
	}
	return b;
}

/* ---- execution --------------------------------------------------------- */

enum exec_result {
	EX_NEXT,	/* continue with the next instruction */
	EX_STOP,	/* cpu->pc is set (exception or a change of state) */
	EX_BRANCH,	/* branch: cpu->branch_target set, delay slot follows */
	EX_SKIP,	/* branch-likely not taken: the delay slot is annulled */
};

#include "interp_exec.h"

/* Runs the delay slot and takes the branch; true when chaining may go on. */
static inline __attribute__((always_inline)) bool interp__finish_branch(
	struct cpu *cpu, const struct block *b, uint32_t i, uint64_t pc)
{
	uint64_t target = cpu->branch_target;
	enum exec_result r;

	if (i + 1 >= b->n) {
		/* The delay slot is on the next page: run it on its own. */
		cpu->pending_branch = true;
		cpu->pc = pc + 4;
		return false;
	}
	cpu->pc = pc + 4;
	cpu->in_delay_slot = true;
	r = exec_one(cpu, &b->insns[i + 1], pc + 4);
	cpu->gpr[0] = 0;
	cpu->in_delay_slot = false;
	if (r == EX_STOP && cpu->exception)
		return false;
	cpu->pc = target;
	return r != EX_STOP;
}

/* One instruction at pc, outside any block (single steps, delay slots). */
static bool fetch_decode(struct cpu *cpu, uint64_t pc, struct insn *in)
{
	bool cacheable;
	uint64_t pa;
	uint32_t raw;

	if (!fetch_pa(cpu, pc, &pa, &cacheable))
		return false;
	memcpy(&raw, cpu->bus->ram + pa, 4);
	decode(raw, in);
	return true;
}

static void interp__run_pending_delay_slot(struct cpu *cpu)
{
	uint64_t target = cpu->branch_target;
	struct insn in;

	cpu->pending_branch = false;
	cpu->in_delay_slot = true;
	if (!fetch_decode(cpu, cpu->pc, &in)) {
		cpu->in_delay_slot = false;
		return;
	}
	exec_one(cpu, &in, cpu->pc);
	cpu->gpr[0] = 0;
	cpu->in_delay_slot = false;
	cpu->insn_count++;
	if (!cpu->exception)
		cpu->pc = target;
}

/* After a handler returned something other than EX_NEXT at instruction i. */
static inline __attribute__((always_inline)) bool interp__block_exit(
	struct cpu *cpu, const struct block *b, uint32_t i, uint64_t pc,
	enum exec_result r)
{
	if (r == EX_BRANCH) {
		bool chain = interp__finish_branch(cpu, b, i, pc);

		/* a delay slot on the next page is counted when it runs */
		cpu->insn_count += i + (cpu->pending_branch ? 1 : 2);
		if (chain)
			cpu->consecutive_exceptions = 0;
		return chain;
	}
	if (r == EX_SKIP) {
		cpu->pc = pc + 8;
		cpu->insn_count += i + 1;
		cpu->consecutive_exceptions = 0;
		return true;
	}
	cpu->insn_count += i + 1;
	if (!cpu->exception)
		cpu->consecutive_exceptions = 0;
	return false;
}

/* Another vCPU turned a page into code: our store shortcuts may skip it. */
static inline void interp__honour_code_epoch(struct cpu *cpu)
{
	uint64_t epoch = atomic_load_explicit(&cpu->bus->code->epoch,
					      memory_order_acquire);

	if (likely(epoch == cpu->code_epoch))
		return;
	cpu->code_epoch = epoch;
	for (int m = 0; m < MODE_KINDS; m++)
		memset(cpu->stlb[m][ACCESS_STORE], 0xff, sizeof(cpu->stlb[m][ACCESS_STORE]));
}

/*
 * One instruction at cpu->pc, or a branch and its delay slot, decoded anew:
 * the debugger's single step (vmm/cpu_debug.c). Interrupts are the caller's.
 */
void interp__step(struct cpu *cpu)
{
	uint64_t pc = cpu->pc;
	enum exec_result r;
	struct insn in;

	interp__honour_code_epoch(cpu);
	cpu->exception = false;
	cpu->code_written = false;
	if (cpu->poll_countdown)	/* cpu__run() polls at 0 */
		cpu->poll_countdown--;
	if (cpu->pending_branch) {
		interp__run_pending_delay_slot(cpu);
		return;
	}
	if (!fetch_decode(cpu, pc, &in))
		return;
	r = exec_one(cpu, &in, pc);
	cpu->gpr[0] = 0;
	cpu->insn_count++;
	if (r == EX_NEXT)
		cpu->pc = pc + 4;
	else if (r == EX_SKIP)
		cpu->pc = pc + 8;
	else if (r == EX_BRANCH) {
		cpu->pending_branch = true;
		cpu->pc = pc + 4;
		interp__run_pending_delay_slot(cpu);
	}
	if (!cpu->exception)
		cpu->consecutive_exceptions = 0;
}

/*
 * Chains blocks until something may need the run loop's attention: a state
 * change or exception, an interrupt line, a kick, or the polling budget.
 * Within a block, dispatch is threaded: every handler jumps straight to the
 * next instruction's handler.
 */
void interp__run(struct cpu *cpu)
{
#define LABEL(name) [OP_##name] = &&L_OP_##name,
	static const void *const labels[OP_END + 1] = { OPS(LABEL) [OP_END] = &&L_OP_END };
#undef LABEL
	const struct block *b;
	const struct insn *in;
	enum exec_result res;
	uint64_t pc, s, t;
	int32_t w;
	int64_t d;

next_block:
	interp__honour_code_epoch(cpu);
	cpu->exception = false;
	cpu->code_written = false;
	if (unlikely(cpu->pending_branch)) {
		interp__run_pending_delay_slot(cpu);
		return;
	}
	b = block__lookup(cpu);
	if (!b)
		return;
	pc = cpu->pc;
	in = b->insns;
	goto *labels[in->op];

#define CASE(op) L_##op:
#define FINISH(expr) do {						\
		res = (expr);						\
		if (likely(res == EX_NEXT)) {				\
			cpu->gpr[0] = 0;				\
			in++;						\
			pc += 4;					\
			cpu->pc = pc;					\
			goto *labels[in->op];				\
		}							\
		goto out;						\
	} while (0)
#define NEED64_BODY() do { if (unlikely(!cpu->ops64)) FINISH(reserved(cpu)); } while (0)
#include "interp_body.h"
#undef CASE
#undef FINISH
#undef NEED64_BODY

L_OP_END:
	cpu->insn_count += b->n;
	cpu->consecutive_exceptions = 0;
	goto chain;
out:
	cpu->gpr[0] = 0;
	if (!interp__block_exit(cpu, b, (uint32_t)(in - b->insns), pc, res))
		return;
chain:
	if (unlikely(atomic_load_explicit(&cpu->kick_irq, memory_order_relaxed) ||
		     atomic_load_explicit(&cpu->kick, memory_order_relaxed)))
		return;
	if (likely(--cpu->poll_countdown != 0))
		goto next_block;
}
