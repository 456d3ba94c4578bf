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
	uint64_t s, t, r;

	switch (in->op) {
	case OP_NOP: return EX_NEXT;
	case OP_SLL: R(in->rd) = SEXT32((uint32_t)RT << in->sa); return EX_NEXT;
	case OP_SRL: R(in->rd) = SEXT32((uint32_t)RT >> in->sa); return EX_NEXT;
	case OP_ROTR: t = (uint32_t)RT;
		R(in->rd) = SEXT32((t >> in->sa) | (t << ((32 - in->sa) & 31)));
		return EX_NEXT;
	case OP_SRA: R(in->rd) = SEXT32((int32_t)RT >> in->sa); return EX_NEXT;
	case OP_SLLV: R(in->rd) = SEXT32((uint32_t)RT << (RS & 31)); return EX_NEXT;
	case OP_SRLV: R(in->rd) = SEXT32((uint32_t)RT >> (RS & 31)); return EX_NEXT;
	case OP_ROTRV: t = (uint32_t)RT; s = RS & 31;
		R(in->rd) = SEXT32((t >> s) | (t << ((32 - s) & 31)));
		return EX_NEXT;
	case OP_SRAV: R(in->rd) = SEXT32((int32_t)RT >> (RS & 31)); return EX_NEXT;
	case OP_JR: return branch(cpu, true, RS, pc, false);
	case OP_JALR: t = RS; R(in->rd) = pc + 8; return branch(cpu, true, t, pc, false);
	case OP_MOVZ: if (RT == 0) R(in->rd) = RS; return EX_NEXT;
	case OP_MOVN: if (RT != 0) R(in->rd) = RS; return EX_NEXT;
	case OP_SYSCALL: return raise(cpu, EXC_SYS);
	case OP_BREAK: return raise(cpu, EXC_BP);
	case OP_SYNC: __atomic_thread_fence(__ATOMIC_SEQ_CST); return EX_NEXT;
	case OP_MFHI: R(in->rd) = cpu->hi; return EX_NEXT;
	case OP_MTHI: cpu->hi = RS; return EX_NEXT;
	case OP_MFLO: R(in->rd) = cpu->lo; return EX_NEXT;
	case OP_MTLO: cpu->lo = RS; return EX_NEXT;
	case OP_DSLLV: NEED64(); R(in->rd) = RT << (RS & 63); return EX_NEXT;
	case OP_DSRLV: NEED64(); R(in->rd) = RT >> (RS & 63); return EX_NEXT;
	case OP_DROTRV: NEED64(); s = RS & 63;
		R(in->rd) = (RT >> s) | (RT << ((64 - s) & 63));
		return EX_NEXT;
	case OP_DSRAV: NEED64(); R(in->rd) = (uint64_t)((int64_t)RT >> (RS & 63)); return EX_NEXT;
	case OP_MULT: case OP_MULTU: case OP_DIV: case OP_DIVU:
		return mul_div(cpu, in);
	case OP_DMULT: case OP_DMULTU: case OP_DDIV: case OP_DDIVU:
		NEED64();
		return mul_div(cpu, in);
	case OP_ADD:
		if (__builtin_add_overflow((int32_t)RS, (int32_t)RT, (int32_t *)&r))
			return raise(cpu, EXC_OV);
		R(in->rd) = SEXT32(r);
		return EX_NEXT;
	case OP_ADDU: R(in->rd) = SEXT32(RS + RT); return EX_NEXT;
	case OP_SUB:
		if (__builtin_sub_overflow((int32_t)RS, (int32_t)RT, (int32_t *)&r))
			return raise(cpu, EXC_OV);
		R(in->rd) = SEXT32(r);
		return EX_NEXT;
	case OP_SUBU: R(in->rd) = SEXT32(RS - RT); return EX_NEXT;
	case OP_AND: R(in->rd) = RS & RT; return EX_NEXT;
	case OP_OR: R(in->rd) = RS | RT; return EX_NEXT;
	case OP_XOR: R(in->rd) = RS ^ RT; return EX_NEXT;
	case OP_NOR: R(in->rd) = ~(RS | RT); return EX_NEXT;
	case OP_SLT: R(in->rd) = (int64_t)RS < (int64_t)RT; return EX_NEXT;
	case OP_SLTU: R(in->rd) = RS < RT; return EX_NEXT;
	case OP_DADD: NEED64();
		if (__builtin_add_overflow((int64_t)RS, (int64_t)RT, (int64_t *)&r))
			return raise(cpu, EXC_OV);
		R(in->rd) = r;
		return EX_NEXT;
	case OP_DADDU: NEED64(); R(in->rd) = RS + RT; return EX_NEXT;
	case OP_DSUB: NEED64();
		if (__builtin_sub_overflow((int64_t)RS, (int64_t)RT, (int64_t *)&r))
			return raise(cpu, EXC_OV);
		R(in->rd) = r;
		return EX_NEXT;
	case OP_DSUBU: NEED64(); R(in->rd) = RS - RT; return EX_NEXT;
	case OP_TGE: return trap_if(cpu, (int64_t)RS >= (int64_t)RT);
	case OP_TGEU: return trap_if(cpu, RS >= RT);
	case OP_TLT: return trap_if(cpu, (int64_t)RS < (int64_t)RT);
	case OP_TLTU: return trap_if(cpu, RS < RT);
	case OP_TEQ: return trap_if(cpu, RS == RT);
	case OP_TNE: return trap_if(cpu, RS != RT);
	case OP_DSLL: NEED64(); R(in->rd) = RT << in->sa; return EX_NEXT;
	case OP_DSRL: NEED64(); R(in->rd) = RT >> in->sa; return EX_NEXT;
	case OP_DROTR: NEED64();
		R(in->rd) = (RT >> in->sa) | (RT << ((64 - in->sa) & 63));
		return EX_NEXT;
	case OP_DSRA: NEED64(); R(in->rd) = (uint64_t)((int64_t)RT >> in->sa); return EX_NEXT;
	case OP_DSLL32: NEED64(); R(in->rd) = RT << (in->sa + 32); return EX_NEXT;
	case OP_DSRL32: NEED64(); R(in->rd) = RT >> (in->sa + 32); return EX_NEXT;
	case OP_DROTR32: NEED64(); s = in->sa + 32;
		R(in->rd) = (RT >> s) | (RT << (64 - s));
		return EX_NEXT;
	case OP_DSRA32: NEED64(); R(in->rd) = (uint64_t)((int64_t)RT >> (in->sa + 32)); return EX_NEXT;

	case OP_BLTZ: return branch(cpu, (int64_t)RS < 0, pc + 4 + in->imm, pc, false);
	case OP_BGEZ: return branch(cpu, (int64_t)RS >= 0, pc + 4 + in->imm, pc, false);
	case OP_BLTZL: return branch(cpu, (int64_t)RS < 0, pc + 4 + in->imm, pc, true);
	case OP_BGEZL: return branch(cpu, (int64_t)RS >= 0, pc + 4 + in->imm, pc, true);
	case OP_BLTZAL: s = RS; R(31) = pc + 8;
		return branch(cpu, (int64_t)s < 0, pc + 4 + in->imm, pc, false);
	case OP_BGEZAL: s = RS; R(31) = pc + 8;
		return branch(cpu, (int64_t)s >= 0, pc + 4 + in->imm, pc, false);
	case OP_BLTZALL: s = RS; R(31) = pc + 8;
		return branch(cpu, (int64_t)s < 0, pc + 4 + in->imm, pc, true);
	case OP_BGEZALL: s = RS; R(31) = pc + 8;
		return branch(cpu, (int64_t)s >= 0, pc + 4 + in->imm, pc, true);
	case OP_TGEI: return trap_if(cpu, (int64_t)RS >= in->imm);
	case OP_TGEIU: return trap_if(cpu, RS >= (uint64_t)in->imm);
	case OP_TLTI: return trap_if(cpu, (int64_t)RS < in->imm);
	case OP_TLTIU: return trap_if(cpu, RS < (uint64_t)in->imm);
	case OP_TEQI: return trap_if(cpu, (int64_t)RS == in->imm);
	case OP_TNEI: return trap_if(cpu, (int64_t)RS != in->imm);
	case OP_SYNCI: cpu->pc = pc + 4; return EX_STOP;

	case OP_J: return branch(cpu, true, ((pc + 4) & ~0x0fffffffull) | (uint64_t)in->imm, pc, false);
	case OP_JAL: R(31) = pc + 8;
		return branch(cpu, true, ((pc + 4) & ~0x0fffffffull) | (uint64_t)in->imm, pc, false);
	case OP_BEQ: return branch(cpu, RS == RT, pc + 4 + in->imm, pc, false);
	case OP_BNE: return branch(cpu, RS != RT, pc + 4 + in->imm, pc, false);
	case OP_BLEZ: return branch(cpu, (int64_t)RS <= 0, pc + 4 + in->imm, pc, false);
	case OP_BGTZ: return branch(cpu, (int64_t)RS > 0, pc + 4 + in->imm, pc, false);
	case OP_BEQL: return branch(cpu, RS == RT, pc + 4 + in->imm, pc, true);
	case OP_BNEL: return branch(cpu, RS != RT, pc + 4 + in->imm, pc, true);
	case OP_BLEZL: return branch(cpu, (int64_t)RS <= 0, pc + 4 + in->imm, pc, true);
	case OP_BGTZL: return branch(cpu, (int64_t)RS > 0, pc + 4 + in->imm, pc, true);
	case OP_ADDI:
		if (__builtin_add_overflow((int32_t)RS, (int32_t)in->imm, (int32_t *)&r))
			return raise(cpu, EXC_OV);
		R(in->rt) = SEXT32(r);
		return EX_NEXT;
	case OP_ADDIU: R(in->rt) = SEXT32(RS + (uint64_t)in->imm); return EX_NEXT;
	case OP_SLTI: R(in->rt) = (int64_t)RS < in->imm; return EX_NEXT;
	case OP_SLTIU: R(in->rt) = RS < (uint64_t)in->imm; return EX_NEXT;
	case OP_ANDI: R(in->rt) = RS & (uint64_t)in->imm; return EX_NEXT;
	case OP_ORI: R(in->rt) = RS | (uint64_t)in->imm; return EX_NEXT;
	case OP_XORI: R(in->rt) = RS ^ (uint64_t)in->imm; return EX_NEXT;
	case OP_LUI: R(in->rt) = (uint64_t)in->imm; return EX_NEXT;
	case OP_DADDI: NEED64();
		if (__builtin_add_overflow((int64_t)RS, in->imm, (int64_t *)&r))
			return raise(cpu, EXC_OV);
		R(in->rt) = r;
		return EX_NEXT;
	case OP_DADDIU: NEED64(); R(in->rt) = RS + (uint64_t)in->imm; return EX_NEXT;

	case OP_LB: return load_op(cpu, in, 1, true);
	case OP_LBU: return load_op(cpu, in, 1, false);
	case OP_LH: return load_op(cpu, in, 2, true);
	case OP_LHU: return load_op(cpu, in, 2, false);
	case OP_LW: return load_op(cpu, in, 4, true);
	case OP_LWU: NEED64(); return load_op(cpu, in, 4, false);
	case OP_LD: NEED64(); return load_op(cpu, in, 8, false);
	case OP_SB: return store_op(cpu, in, 1);
	case OP_SH: return store_op(cpu, in, 2);
	case OP_SW: return store_op(cpu, in, 4);
	case OP_SD: NEED64(); return store_op(cpu, in, 8);
	case OP_LWL: return load_left_right(cpu, in, 4, true);
	case OP_LWR: return load_left_right(cpu, in, 4, false);
	case OP_LDL: NEED64(); return load_left_right(cpu, in, 8, true);
	case OP_LDR: NEED64(); return load_left_right(cpu, in, 8, false);
	case OP_SWL: return store_left_right(cpu, in, 4, true);
	case OP_SWR: return store_left_right(cpu, in, 4, false);
	case OP_SDL: NEED64(); return store_left_right(cpu, in, 8, true);
	case OP_SDR: NEED64(); return store_left_right(cpu, in, 8, false);
	case OP_LL: return load_linked(cpu, in, 4);
	case OP_LLD: NEED64(); return load_linked(cpu, in, 8);
	case OP_SC: return store_conditional(cpu, in, 4);
	case OP_SCD: NEED64(); return store_conditional(cpu, in, 8);
	case OP_PREF: return EX_NEXT;
	case OP_CACHE:
		if (!cp0_usable(cpu)) {
			cpu__cop_unusable(cpu, 0);
			return EX_STOP;
		}
		cpu->pc = pc + 4;
		return EX_STOP;

	case OP_MFC0: case OP_DMFC0: case OP_MTC0: case OP_DMTC0: case OP_DI: case OP_EI:
	case OP_RDPGPR: case OP_WRPGPR: case OP_TLBR: case OP_TLBWI: case OP_TLBWR:
	case OP_TLBP: case OP_ERET: case OP_WAIT:
		return cop0(cpu, in, pc);
	case OP_DERET: case OP_SDBBP: return reserved(cpu);

	case OP_MADD: case OP_MADDU: case OP_MUL: case OP_MSUB: case OP_MSUBU:
		return mul_acc(cpu, in);
	case OP_CLZ: t = (uint32_t)RS; R(in->rd) = t ? (uint64_t)__builtin_clz((uint32_t)t) : 32; return EX_NEXT;
	case OP_CLO: t = (uint32_t)~RS; R(in->rd) = t ? (uint64_t)__builtin_clz((uint32_t)t) : 32; return EX_NEXT;
	case OP_DCLZ: NEED64(); R(in->rd) = RS ? (uint64_t)__builtin_clzll(RS) : 64; return EX_NEXT;
	case OP_DCLO: NEED64(); R(in->rd) = ~RS ? (uint64_t)__builtin_clzll(~RS) : 64; return EX_NEXT;
	case OP_EXT: case OP_DEXTM: case OP_DEXTU: case OP_DEXT:
	case OP_INS: case OP_DINSM: case OP_DINSU: case OP_DINS:
		return bitfield(cpu, in);
	case OP_WSBH: R(in->rd) = SEXT32(swap_bytes_in_halves((uint32_t)RT)); return EX_NEXT;
	case OP_SEB: R(in->rd) = (uint64_t)(int64_t)(int8_t)RT; return EX_NEXT;
	case OP_SEH: R(in->rd) = (uint64_t)(int64_t)(int16_t)RT; return EX_NEXT;
	case OP_DSBH: NEED64(); R(in->rd) = swap_bytes_in_halves(RT); return EX_NEXT;
	case OP_DSHD: NEED64(); t = RT;
		R(in->rd) = (t << 48) | ((t & 0xffff0000ull) << 16) |
			    ((t >> 16) & 0xffff0000ull) | (t >> 48);
		return EX_NEXT;
	case OP_RDHWR: return rdhwr(cpu, in);
	case OP_COP1: cpu__cop_unusable(cpu, 1); return EX_STOP;
	case OP_COP2: cpu__cop_unusable(cpu, 2); return EX_STOP;
	case OP_RESERVED:
		return reserved(cpu);
	default:
		__builtin_unreachable();
	}
}

#endif
