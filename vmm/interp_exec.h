/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The body of the interpreter: one pre-decoded instruction. Included once,
 * by interp.c, so that exec_one() inlines into the block loop.
 */
#ifndef MVM_INTERP_EXEC_H
#define MVM_INTERP_EXEC_H

#define R(n)		(cpu->gpr[n])
#define RS		R(in->rs)
#define RT		R(in->rt)
#define SEXT32(x)	((uint64_t)(int64_t)(int32_t)(uint32_t)(x))
#define NEED64()	do { if (unlikely(!cpu->ops64)) return reserved(cpu); } while (0)

/*
 * SYNC orders this vCPU's guest memory accesses against other vCPUs'.
 * ThreadSanitizer does not model fences, so its build uses an atomic
 * read-modify-write, which orders the same way and which it understands.
 */
static inline void guest_sync_barrier(void)
{
#ifdef __SANITIZE_THREAD__
	static _Atomic int sync_word;

	atomic_fetch_add_explicit(&sync_word, 0, memory_order_seq_cst);
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

static enum exec_result raise(struct cpu *cpu, enum exc_code code)
{
	cpu__exception(cpu, code);
	return EX_STOP;
}

static enum exec_result reserved(struct cpu *cpu)
{
	return raise(cpu, EXC_RI);
}

static bool cp0_usable(struct cpu *cpu)
{
	return cpu->mode == MODE_KERNEL || (cpu->cp0.status & ST_CU0);
}

static enum exec_result branch(struct cpu *cpu, bool taken, uint64_t target,
			       uint64_t pc, bool likely)
{
	if (taken) {
		cpu->branch_target = target;
		return EX_BRANCH;
	}
	if (likely)
		return EX_SKIP;
	cpu->branch_target = pc + 8;
	return EX_BRANCH;
}

/* A store hit translated code: the rest of this block may be stale. */
static enum exec_result stop_if_code_written(struct cpu *cpu)
{
	if (likely(!cpu->code_written))
		return EX_NEXT;
	cpu->pc += 4;
	return EX_STOP;
}

static enum exec_result trap_if(struct cpu *cpu, bool cond)
{
	return cond ? raise(cpu, EXC_TR) : EX_NEXT;
}

/* Little-endian partial-word loads and stores (LWL/LWR/LDL/LDR/...). */
static enum exec_result load_left_right(struct cpu *cpu, const struct insn *in,
					unsigned int size, bool left)
{
	uint64_t va = RS + (uint64_t)in->imm;
	unsigned int off = va & (size - 1), shift;
	uint64_t word, mask = size == 8 ? ~0ull : 0xffffffffull, v;

	if (!load(cpu, va & ~(uint64_t)(size - 1), size, &word))
		return EX_STOP;
	if (left) {
		/* The addressed byte and those below it fill the register's top. */
		shift = 8 * (size - 1 - off);
		v = ((word << shift) & mask) | (RT & ((1ull << shift) - 1));
	} else {
		shift = 8 * off;
		v = (word >> shift) | (RT & mask & ~(mask >> shift));
	}
	R(in->rt) = size == 4 ? SEXT32(v) : v;
	return EX_NEXT;
}

static enum exec_result store_left_right(struct cpu *cpu, const struct insn *in,
					 unsigned int size, bool left)
{
	uint64_t va = RS + (uint64_t)in->imm;
	uint64_t aligned = va & ~(uint64_t)(size - 1);
	unsigned int off = va & (size - 1), shift;
	uint64_t word, mask = size == 8 ? ~0ull : 0xffffffffull, v;

	if (!load(cpu, aligned, size, &word)) {
		/* Report the fault as a store, as the hardware would. */
		if (cpu->exception && ((cpu->cp0.cause >> 2) & 31) == EXC_TLBL)
			cpu->cp0.cause = (cpu->cp0.cause & ~CAUSE_EXC) | (EXC_TLBS << 2);
		else if (cpu->exception && ((cpu->cp0.cause >> 2) & 31) == EXC_ADEL)
			cpu->cp0.cause = (cpu->cp0.cause & ~CAUSE_EXC) | (EXC_ADES << 2);
		return EX_STOP;
	}
	if (left) {
		shift = 8 * (size - 1 - off);
		v = (word & ~(mask >> shift)) | ((RT & mask) >> shift);
	} else {
		shift = 8 * off;
		v = (word & ~((mask << shift) & mask)) | ((RT << shift) & mask);
	}
	if (!store(cpu, aligned, size, v))
		return EX_STOP;
	return stop_if_code_written(cpu);
}

static inline __attribute__((always_inline)) enum exec_result load_op(struct cpu *cpu, const struct insn *in,
				unsigned int size, bool sign)
{
	uint64_t v;

	if (!load(cpu, RS + (uint64_t)in->imm, size, &v))
		return EX_STOP;
	if (sign) {
		switch (size) {
		case 1: v = (uint64_t)(int64_t)(int8_t)v; break;
		case 2: v = (uint64_t)(int64_t)(int16_t)v; break;
		case 4: v = SEXT32(v); break;
		}
	}
	R(in->rt) = v;
	return EX_NEXT;
}

static inline __attribute__((always_inline)) enum exec_result store_op(struct cpu *cpu, const struct insn *in, unsigned int size)
{
	if (!store(cpu, RS + (uint64_t)in->imm, size, RT))
		return EX_STOP;
	return stop_if_code_written(cpu);
}

/* LL/LLD: remember the physical address and the value for SC's CAS. */
static enum exec_result load_linked(struct cpu *cpu, const struct insn *in, unsigned int size)
{
	uint64_t va = RS + (uint64_t)in->imm, pa, v;
	bool soft_ok;

	if (va & (size - 1)) {
		cpu__address_error(cpu, va, false);
		return EX_STOP;
	}
	if (!tlb__translate_or_raise(cpu, va, ACCESS_LOAD, &pa, &soft_ok))
		return EX_STOP;
	if (!load(cpu, va, size, &v))
		return EX_STOP;
	cpu->llbit = true;
	cpu->ll_pa = pa;
	cpu->ll_value = v;
	R(in->rt) = size == 4 ? SEXT32(v) : v;
	return EX_NEXT;
}

static enum exec_result store_conditional(struct cpu *cpu, const struct insn *in,
					  unsigned int size)
{
	uint64_t va = RS + (uint64_t)in->imm, pa;
	bool soft_ok, ok = false;

	if (va & (size - 1)) {
		cpu__address_error(cpu, va, true);
		return EX_STOP;
	}
	if (!tlb__translate_or_raise(cpu, va, ACCESS_STORE, &pa, &soft_ok))
		return EX_STOP;
	if (cpu->llbit && pa == cpu->ll_pa && bus__is_ram(cpu->bus, pa, size)) {
		void *host = cpu->bus->ram + pa;

		if (code_cache__is_code(cpu->bus->code, pa)) {
			code_cache__invalidate(cpu->bus, pa, size);
			cpu->code_written = true;
		}
		if (size == 4) {
			uint32_t expected = (uint32_t)cpu->ll_value;

			ok = __atomic_compare_exchange_n((uint32_t *)host, &expected,
							 (uint32_t)RT, false,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		} else {
			uint64_t expected = cpu->ll_value;

			ok = __atomic_compare_exchange_n((uint64_t *)host, &expected, RT,
							 false, __ATOMIC_SEQ_CST,
							 __ATOMIC_SEQ_CST);
		}
	} else if (cpu->llbit && pa == cpu->ll_pa) {
		ok = bus__mmio_write(cpu->bus, pa, size, RT);
	}
	cpu->llbit = false;
	R(in->rt) = ok;
	return stop_if_code_written(cpu);
}

static enum exec_result mul_div(struct cpu *cpu, const struct insn *in)
{
	uint64_t s = RS, t = RT;

	switch (in->op) {
	case OP_MULT: {
		int64_t p = (int64_t)(int32_t)s * (int64_t)(int32_t)t;

		cpu->lo = SEXT32(p);
		cpu->hi = SEXT32((uint64_t)p >> 32);
		break;
	}
	case OP_MULTU: {
		uint64_t p = (uint64_t)(uint32_t)s * (uint32_t)t;

		cpu->lo = SEXT32(p);
		cpu->hi = SEXT32(p >> 32);
		break;
	}
	case OP_DIV:
		if ((int32_t)t == 0)
			break;
		if ((int32_t)s == INT32_MIN && (int32_t)t == -1) {
			cpu->lo = SEXT32(INT32_MIN);
			cpu->hi = 0;
			break;
		}
		cpu->lo = SEXT32((int32_t)s / (int32_t)t);
		cpu->hi = SEXT32((int32_t)s % (int32_t)t);
		break;
	case OP_DIVU:
		if ((uint32_t)t == 0)
			break;
		cpu->lo = SEXT32((uint32_t)s / (uint32_t)t);
		cpu->hi = SEXT32((uint32_t)s % (uint32_t)t);
		break;
	case OP_DMULT: {
		__int128 p = (__int128)(int64_t)s * (int64_t)t;

		cpu->lo = (uint64_t)p;
		cpu->hi = (uint64_t)(p >> 64);
		break;
	}
	case OP_DMULTU: {
		unsigned __int128 p = (unsigned __int128)s * t;

		cpu->lo = (uint64_t)p;
		cpu->hi = (uint64_t)(p >> 64);
		break;
	}
	case OP_DDIV:
		if (t == 0)
			break;
		if ((int64_t)s == INT64_MIN && (int64_t)t == -1) {
			cpu->lo = s;
			cpu->hi = 0;
			break;
		}
		cpu->lo = (uint64_t)((int64_t)s / (int64_t)t);
		cpu->hi = (uint64_t)((int64_t)s % (int64_t)t);
		break;
	case OP_DDIVU:
		if (t == 0)
			break;
		cpu->lo = s / t;
		cpu->hi = s % t;
		break;
	default:
		break;
	}
	return EX_NEXT;
}

static enum exec_result mul_acc(struct cpu *cpu, const struct insn *in)
{
	uint64_t acc = ((uint64_t)(uint32_t)cpu->hi << 32) | (uint32_t)cpu->lo;
	uint64_t p;

	switch (in->op) {
	case OP_MADD:
		acc += (uint64_t)((int64_t)(int32_t)RS * (int64_t)(int32_t)RT);
		break;
	case OP_MADDU:
		acc += (uint64_t)(uint32_t)RS * (uint32_t)RT;
		break;
	case OP_MSUB:
		acc -= (uint64_t)((int64_t)(int32_t)RS * (int64_t)(int32_t)RT);
		break;
	case OP_MSUBU:
		acc -= (uint64_t)(uint32_t)RS * (uint32_t)RT;
		break;
	default: /* MUL */
		p = (uint64_t)((int64_t)(int32_t)RS * (int64_t)(int32_t)RT);
		R(in->rd) = SEXT32(p);
		return EX_NEXT;
	}
	cpu->lo = SEXT32(acc);
	cpu->hi = SEXT32(acc >> 32);
	return EX_NEXT;
}

static enum exec_result bitfield(struct cpu *cpu, const struct insn *in)
{
	uint64_t mask = (uint64_t)in->imm;
	unsigned int pos = in->sa;

	switch (in->op) {
	case OP_EXT:
		R(in->rt) = SEXT32((RS >> pos) & mask);
		break;
	case OP_DEXT: case OP_DEXTM: case OP_DEXTU:
		NEED64();
		R(in->rt) = (RS >> pos) & mask;
		break;
	case OP_INS:
		R(in->rt) = SEXT32((RT & ~(mask << pos)) | ((RS & mask) << pos));
		break;
	default: /* DINS, DINSM, DINSU */
		NEED64();
		R(in->rt) = (RT & ~(mask << pos)) | ((RS & mask) << pos);
		break;
	}
	return EX_NEXT;
}

static uint64_t swap_bytes_in_halves(uint64_t v)
{
	return ((v & 0x00ff00ff00ff00ffull) << 8) | ((v >> 8) & 0x00ff00ff00ff00ffull);
}

static enum exec_result rdhwr(struct cpu *cpu, const struct insn *in)
{
	unsigned int reg = in->rd;

	if (cpu->mode != MODE_KERNEL && !(cpu->cp0.status & ST_CU0) &&
	    !(cpu->cp0.hwrena & (1ull << reg)))
		return reserved(cpu);
	switch (reg) {
	case 0: R(in->rt) = (uint64_t)(cpu->id & 0x3ff); break;
	case 1: R(in->rt) = 32; break;
	case 2: R(in->rt) = SEXT32(cpu__count(cpu)); break;
	case 3: R(in->rt) = 2; break;
	case 29:
		if (!(cpu->cp0.config[3] & (1ull << 13)))
			return reserved(cpu);
		R(in->rt) = cpu->cp0.userlocal;
		break;
	default:
		return reserved(cpu);
	}
	return EX_NEXT;
}

static enum exec_result eret(struct cpu *cpu)
{
	if (cpu->cp0.status & ST_ERL) {
		cpu->pc = cpu->cp0.errorepc;
		cpu->cp0.status &= ~ST_ERL;
	} else {
		cpu->pc = cpu->cp0.epc;
		cpu->cp0.status &= ~ST_EXL;
	}
	cpu->llbit = false;
	cpu__update_mode(cpu);
	return EX_STOP;
}

static enum exec_result cop0(struct cpu *cpu, const struct insn *in, uint64_t pc)
{
	if (!cp0_usable(cpu)) {
		cpu__cop_unusable(cpu, 0);
		return EX_STOP;
	}
	switch (in->op) {
	case OP_MFC0:
		R(in->rt) = SEXT32(cp0__read(cpu, in->rd, in->sa));
		return EX_NEXT;
	case OP_DMFC0:
		NEED64();
		R(in->rt) = cp0__read(cpu, in->rd, in->sa);
		return EX_NEXT;
	case OP_MTC0:
	case OP_DMTC0:
		if (in->op == OP_DMTC0)
			NEED64();
		cp0__write(cpu, in->rd, in->sa, in->op == OP_MTC0 ? SEXT32(RT) : RT);
		break;
	case OP_DI:
	case OP_EI:
		R(in->rt) = SEXT32(cpu->cp0.status);
		if (in->op == OP_EI)
			cpu->cp0.status |= ST_IE;
		else
			cpu->cp0.status &= ~ST_IE;
		break;
	case OP_RDPGPR: R(in->rd) = RT; return EX_NEXT;
	case OP_WRPGPR: R(in->rd) = RT; return EX_NEXT;
	case OP_TLBR: tlb__read(cpu); break;
	case OP_TLBWI: tlb__write(cpu, (int)(cpu->cp0.index & (CPU_TLB_ENTRIES - 1))); break;
	case OP_TLBWR: tlb__write_random(cpu); break;
	case OP_TLBP: tlb__probe(cpu); return EX_NEXT;
	case OP_ERET: return eret(cpu);
	case OP_WAIT: cpu->in_wait = true; break;
	default: return reserved(cpu);
	}
	cpu->pc = pc + 4;
	return EX_STOP;
}

static inline __attribute__((always_inline)) enum exec_result exec_one(struct cpu *cpu, const struct insn *in, uint64_t pc)
{
	uint64_t s, t;
	int32_t w;
	int64_t d;

#define CASE(op) case op:
#define FINISH(expr) return (expr)
#define NEED64_BODY() NEED64()
	switch (in->op) {
#include "interp_body.h"
	default:
		__builtin_unreachable();
	}
#undef CASE
#undef FINISH
#undef NEED64_BODY
}

#endif
