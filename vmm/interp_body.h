/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction handlers, written once and included twice: as the cases
 * of exec_one()'s switch (delay slots, single steps) and as the labels of
 * the threaded block loop in interp.c. CASE names a handler; FINISH ends it
 * with an exec_result; pc is the instruction's address, in the instruction.
 * Every operation of decode.h must have a handler here.
 */
	CASE(OP_NOP) FINISH(EX_NEXT);
	CASE(OP_SLL) R(in->rd) = SEXT32((uint32_t)RT << in->sa); FINISH(EX_NEXT);
	CASE(OP_SRL) R(in->rd) = SEXT32((uint32_t)RT >> in->sa); FINISH(EX_NEXT);
	CASE(OP_ROTR) t = (uint32_t)RT;
		R(in->rd) = SEXT32((t >> in->sa) | (t << ((32 - in->sa) & 31)));
		FINISH(EX_NEXT);
	CASE(OP_SRA) R(in->rd) = SEXT32((int32_t)RT >> in->sa); FINISH(EX_NEXT);
	CASE(OP_SLLV) R(in->rd) = SEXT32((uint32_t)RT << (RS & 31)); FINISH(EX_NEXT);
	CASE(OP_SRLV) R(in->rd) = SEXT32((uint32_t)RT >> (RS & 31)); FINISH(EX_NEXT);
	CASE(OP_ROTRV) t = (uint32_t)RT; s = RS & 31;
		R(in->rd) = SEXT32((t >> s) | (t << ((32 - s) & 31)));
		FINISH(EX_NEXT);
	CASE(OP_SRAV) R(in->rd) = SEXT32((int32_t)RT >> (RS & 31)); FINISH(EX_NEXT);
	CASE(OP_JR) FINISH(branch(cpu, true, RS, pc, false));
	CASE(OP_JALR) t = RS; R(in->rd) = pc + 8; FINISH(branch(cpu, true, t, pc, false));
	CASE(OP_MOVZ) if (RT == 0) R(in->rd) = RS; FINISH(EX_NEXT);
	CASE(OP_MOVN) if (RT != 0) R(in->rd) = RS; FINISH(EX_NEXT);
	CASE(OP_SYSCALL) FINISH(raise(cpu, EXC_SYS));
	CASE(OP_BREAK) FINISH(raise(cpu, EXC_BP));
	CASE(OP_SYNC) guest_sync_barrier(); FINISH(EX_NEXT);
	CASE(OP_MFHI) R(in->rd) = cpu->hi; FINISH(EX_NEXT);
	CASE(OP_MTHI) cpu->hi = RS; FINISH(EX_NEXT);
	CASE(OP_MFLO) R(in->rd) = cpu->lo; FINISH(EX_NEXT);
	CASE(OP_MTLO) cpu->lo = RS; FINISH(EX_NEXT);
	CASE(OP_DSLLV) NEED64_BODY(); R(in->rd) = RT << (RS & 63); FINISH(EX_NEXT);
	CASE(OP_DSRLV) NEED64_BODY(); R(in->rd) = RT >> (RS & 63); FINISH(EX_NEXT);
	CASE(OP_DROTRV) NEED64_BODY(); s = RS & 63;
		R(in->rd) = (RT >> s) | (RT << ((64 - s) & 63));
		FINISH(EX_NEXT);
	CASE(OP_DSRAV) NEED64_BODY(); R(in->rd) = (uint64_t)((int64_t)RT >> (RS & 63)); FINISH(EX_NEXT);
	CASE(OP_MULT)
		d = (int64_t)(int32_t)RS * (int64_t)(int32_t)RT;
		cpu->lo = SEXT32(d);
		cpu->hi = SEXT32((uint64_t)d >> 32);
		FINISH(EX_NEXT);
	CASE(OP_MULTU)
		t = (uint64_t)(uint32_t)RS * (uint32_t)RT;
		cpu->lo = SEXT32(t);
		cpu->hi = SEXT32(t >> 32);
		FINISH(EX_NEXT);
	CASE(OP_DIV) CASE(OP_DIVU)
		FINISH(mul_div(cpu, in));
	CASE(OP_DMULT)
		NEED64_BODY();
		{
			__int128 p = (__int128)(int64_t)RS * (int64_t)RT;

			cpu->lo = (uint64_t)p;
			cpu->hi = (uint64_t)(p >> 64);
		}
		FINISH(EX_NEXT);
	CASE(OP_DMULTU)
		NEED64_BODY();
		{
			unsigned __int128 p = (unsigned __int128)RS * RT;

			cpu->lo = (uint64_t)p;
			cpu->hi = (uint64_t)(p >> 64);
		}
		FINISH(EX_NEXT);
	CASE(OP_DDIV) CASE(OP_DDIVU)
		NEED64_BODY();
		FINISH(mul_div(cpu, in));
	CASE(OP_ADD)
		if (__builtin_add_overflow((int32_t)RS, (int32_t)RT, &w))
			FINISH(raise(cpu, EXC_OV));
		R(in->rd) = SEXT32(w);
		FINISH(EX_NEXT);
	CASE(OP_ADDU) R(in->rd) = SEXT32(RS + RT); FINISH(EX_NEXT);
	CASE(OP_SUB)
		if (__builtin_sub_overflow((int32_t)RS, (int32_t)RT, &w))
			FINISH(raise(cpu, EXC_OV));
		R(in->rd) = SEXT32(w);
		FINISH(EX_NEXT);
	CASE(OP_SUBU) R(in->rd) = SEXT32(RS - RT); FINISH(EX_NEXT);
	CASE(OP_AND) R(in->rd) = RS & RT; FINISH(EX_NEXT);
	CASE(OP_OR) R(in->rd) = RS | RT; FINISH(EX_NEXT);
	CASE(OP_XOR) R(in->rd) = RS ^ RT; FINISH(EX_NEXT);
	CASE(OP_NOR) R(in->rd) = ~(RS | RT); FINISH(EX_NEXT);
	CASE(OP_SLT) R(in->rd) = (int64_t)RS < (int64_t)RT; FINISH(EX_NEXT);
	CASE(OP_SLTU) R(in->rd) = RS < RT; FINISH(EX_NEXT);
	CASE(OP_DADD) NEED64_BODY();
		if (__builtin_add_overflow((int64_t)RS, (int64_t)RT, &d))
			FINISH(raise(cpu, EXC_OV));
		R(in->rd) = (uint64_t)d;
		FINISH(EX_NEXT);
	CASE(OP_DADDU) NEED64_BODY(); R(in->rd) = RS + RT; FINISH(EX_NEXT);
	CASE(OP_DSUB) NEED64_BODY();
		if (__builtin_sub_overflow((int64_t)RS, (int64_t)RT, &d))
			FINISH(raise(cpu, EXC_OV));
		R(in->rd) = (uint64_t)d;
		FINISH(EX_NEXT);
	CASE(OP_DSUBU) NEED64_BODY(); R(in->rd) = RS - RT; FINISH(EX_NEXT);
	CASE(OP_TGE) FINISH(trap_if(cpu, (int64_t)RS >= (int64_t)RT));
	CASE(OP_TGEU) FINISH(trap_if(cpu, RS >= RT));
	CASE(OP_TLT) FINISH(trap_if(cpu, (int64_t)RS < (int64_t)RT));
	CASE(OP_TLTU) FINISH(trap_if(cpu, RS < RT));
	CASE(OP_TEQ) FINISH(trap_if(cpu, RS == RT));
	CASE(OP_TNE) FINISH(trap_if(cpu, RS != RT));
	CASE(OP_DSLL) NEED64_BODY(); R(in->rd) = RT << in->sa; FINISH(EX_NEXT);
	CASE(OP_DSRL) NEED64_BODY(); R(in->rd) = RT >> in->sa; FINISH(EX_NEXT);
	CASE(OP_DROTR) NEED64_BODY();
		R(in->rd) = (RT >> in->sa) | (RT << ((64 - in->sa) & 63));
		FINISH(EX_NEXT);
	CASE(OP_DSRA) NEED64_BODY(); R(in->rd) = (uint64_t)((int64_t)RT >> in->sa); FINISH(EX_NEXT);
	CASE(OP_DSLL32) NEED64_BODY(); R(in->rd) = RT << (in->sa + 32); FINISH(EX_NEXT);
	CASE(OP_DSRL32) NEED64_BODY(); R(in->rd) = RT >> (in->sa + 32); FINISH(EX_NEXT);
	CASE(OP_DROTR32) NEED64_BODY(); s = in->sa + 32;
		R(in->rd) = (RT >> s) | (RT << (64 - s));
		FINISH(EX_NEXT);
	CASE(OP_DSRA32) NEED64_BODY(); R(in->rd) = (uint64_t)((int64_t)RT >> (in->sa + 32)); FINISH(EX_NEXT);

	CASE(OP_BLTZ) FINISH(branch(cpu, (int64_t)RS < 0, pc + 4 + in->imm, pc, false));
	CASE(OP_BGEZ) FINISH(branch(cpu, (int64_t)RS >= 0, pc + 4 + in->imm, pc, false));
	CASE(OP_BLTZL) FINISH(branch(cpu, (int64_t)RS < 0, pc + 4 + in->imm, pc, true));
	CASE(OP_BGEZL) FINISH(branch(cpu, (int64_t)RS >= 0, pc + 4 + in->imm, pc, true));
	CASE(OP_BLTZAL) s = RS; R(31) = pc + 8;
		FINISH(branch(cpu, (int64_t)s < 0, pc + 4 + in->imm, pc, false));
	CASE(OP_BGEZAL) s = RS; R(31) = pc + 8;
		FINISH(branch(cpu, (int64_t)s >= 0, pc + 4 + in->imm, pc, false));
	CASE(OP_BLTZALL) s = RS; R(31) = pc + 8;
		FINISH(branch(cpu, (int64_t)s < 0, pc + 4 + in->imm, pc, true));
	CASE(OP_BGEZALL) s = RS; R(31) = pc + 8;
		FINISH(branch(cpu, (int64_t)s >= 0, pc + 4 + in->imm, pc, true));
	CASE(OP_TGEI) FINISH(trap_if(cpu, (int64_t)RS >= in->imm));
	CASE(OP_TGEIU) FINISH(trap_if(cpu, RS >= (uint64_t)in->imm));
	CASE(OP_TLTI) FINISH(trap_if(cpu, (int64_t)RS < in->imm));
	CASE(OP_TLTIU) FINISH(trap_if(cpu, RS < (uint64_t)in->imm));
	CASE(OP_TEQI) FINISH(trap_if(cpu, (int64_t)RS == in->imm));
	CASE(OP_TNEI) FINISH(trap_if(cpu, (int64_t)RS != in->imm));
	CASE(OP_SYNCI) cpu->pc = pc + 4; FINISH(EX_STOP);

	CASE(OP_J) FINISH(branch(cpu, true, ((pc + 4) & ~0x0fffffffull) | (uint64_t)in->imm, pc, false));
	CASE(OP_JAL) R(31) = pc + 8;
		FINISH(branch(cpu, true, ((pc + 4) & ~0x0fffffffull) | (uint64_t)in->imm, pc, false));
	CASE(OP_BEQ) FINISH(branch(cpu, RS == RT, pc + 4 + in->imm, pc, false));
	CASE(OP_BNE) FINISH(branch(cpu, RS != RT, pc + 4 + in->imm, pc, false));
	CASE(OP_BLEZ) FINISH(branch(cpu, (int64_t)RS <= 0, pc + 4 + in->imm, pc, false));
	CASE(OP_BGTZ) FINISH(branch(cpu, (int64_t)RS > 0, pc + 4 + in->imm, pc, false));
	CASE(OP_BEQL) FINISH(branch(cpu, RS == RT, pc + 4 + in->imm, pc, true));
	CASE(OP_BNEL) FINISH(branch(cpu, RS != RT, pc + 4 + in->imm, pc, true));
	CASE(OP_BLEZL) FINISH(branch(cpu, (int64_t)RS <= 0, pc + 4 + in->imm, pc, true));
	CASE(OP_BGTZL) FINISH(branch(cpu, (int64_t)RS > 0, pc + 4 + in->imm, pc, true));
	CASE(OP_ADDI)
		if (__builtin_add_overflow((int32_t)RS, (int32_t)in->imm, &w))
			FINISH(raise(cpu, EXC_OV));
		R(in->rt) = SEXT32(w);
		FINISH(EX_NEXT);
	CASE(OP_ADDIU) R(in->rt) = SEXT32(RS + (uint64_t)in->imm); FINISH(EX_NEXT);
	CASE(OP_SLTI) R(in->rt) = (int64_t)RS < in->imm; FINISH(EX_NEXT);
	CASE(OP_SLTIU) R(in->rt) = RS < (uint64_t)in->imm; FINISH(EX_NEXT);
	CASE(OP_ANDI) R(in->rt) = RS & (uint64_t)in->imm; FINISH(EX_NEXT);
	CASE(OP_ORI) R(in->rt) = RS | (uint64_t)in->imm; FINISH(EX_NEXT);
	CASE(OP_XORI) R(in->rt) = RS ^ (uint64_t)in->imm; FINISH(EX_NEXT);
	CASE(OP_LUI) R(in->rt) = (uint64_t)in->imm; FINISH(EX_NEXT);
	CASE(OP_DADDI) NEED64_BODY();
		if (__builtin_add_overflow((int64_t)RS, in->imm, &d))
			FINISH(raise(cpu, EXC_OV));
		R(in->rt) = (uint64_t)d;
		FINISH(EX_NEXT);
	CASE(OP_DADDIU) NEED64_BODY(); R(in->rt) = RS + (uint64_t)in->imm; FINISH(EX_NEXT);

	CASE(OP_LB) FINISH(load_op(cpu, in, 1, true));
	CASE(OP_LBU) FINISH(load_op(cpu, in, 1, false));
	CASE(OP_LH) FINISH(load_op(cpu, in, 2, true));
	CASE(OP_LHU) FINISH(load_op(cpu, in, 2, false));
	CASE(OP_LW) FINISH(load_op(cpu, in, 4, true));
	CASE(OP_LWU) NEED64_BODY(); FINISH(load_op(cpu, in, 4, false));
	CASE(OP_LD) NEED64_BODY(); FINISH(load_op(cpu, in, 8, false));
	CASE(OP_SB) FINISH(store_op(cpu, in, 1));
	CASE(OP_SH) FINISH(store_op(cpu, in, 2));
	CASE(OP_SW) FINISH(store_op(cpu, in, 4));
	CASE(OP_SD) NEED64_BODY(); FINISH(store_op(cpu, in, 8));
	CASE(OP_LWL) FINISH(load_left_right(cpu, in, 4, true));
	CASE(OP_LWR) FINISH(load_left_right(cpu, in, 4, false));
	CASE(OP_LDL) NEED64_BODY(); FINISH(load_left_right(cpu, in, 8, true));
	CASE(OP_LDR) NEED64_BODY(); FINISH(load_left_right(cpu, in, 8, false));
	CASE(OP_SWL) FINISH(store_left_right(cpu, in, 4, true));
	CASE(OP_SWR) FINISH(store_left_right(cpu, in, 4, false));
	CASE(OP_SDL) NEED64_BODY(); FINISH(store_left_right(cpu, in, 8, true));
	CASE(OP_SDR) NEED64_BODY(); FINISH(store_left_right(cpu, in, 8, false));
	CASE(OP_LL) FINISH(load_linked(cpu, in, 4));
	CASE(OP_LLD) NEED64_BODY(); FINISH(load_linked(cpu, in, 8));
	CASE(OP_SC) FINISH(store_conditional(cpu, in, 4));
	CASE(OP_SCD) NEED64_BODY(); FINISH(store_conditional(cpu, in, 8));
	CASE(OP_PREF) FINISH(EX_NEXT);
	CASE(OP_CACHE)
		if (!cp0_usable(cpu)) {
			cpu__cop_unusable(cpu, 0);
			FINISH(EX_STOP);
		}
		cpu->pc = pc + 4;
		FINISH(EX_STOP);

	CASE(OP_MFC0) CASE(OP_DMFC0) CASE(OP_MTC0) CASE(OP_DMTC0) CASE(OP_DI) CASE(OP_EI)
	CASE(OP_RDPGPR) CASE(OP_WRPGPR) CASE(OP_TLBR) CASE(OP_TLBWI) CASE(OP_TLBWR)
	CASE(OP_TLBP) CASE(OP_ERET) CASE(OP_WAIT)
		FINISH(cop0(cpu, in, pc));
	CASE(OP_DERET) CASE(OP_SDBBP) FINISH(reserved(cpu));

	CASE(OP_MADD) CASE(OP_MADDU) CASE(OP_MUL) CASE(OP_MSUB) CASE(OP_MSUBU)
		FINISH(mul_acc(cpu, in));
	CASE(OP_CLZ) t = (uint32_t)RS; R(in->rd) = t ? (uint64_t)__builtin_clz((uint32_t)t) : 32; FINISH(EX_NEXT);
	CASE(OP_CLO) t = (uint32_t)~RS; R(in->rd) = t ? (uint64_t)__builtin_clz((uint32_t)t) : 32; FINISH(EX_NEXT);
	CASE(OP_DCLZ) NEED64_BODY(); R(in->rd) = RS ? (uint64_t)__builtin_clzll(RS) : 64; FINISH(EX_NEXT);
	CASE(OP_DCLO) NEED64_BODY(); R(in->rd) = ~RS ? (uint64_t)__builtin_clzll(~RS) : 64; FINISH(EX_NEXT);
	CASE(OP_EXT) CASE(OP_DEXTM) CASE(OP_DEXTU) CASE(OP_DEXT)
	CASE(OP_INS) CASE(OP_DINSM) CASE(OP_DINSU) CASE(OP_DINS)
		FINISH(bitfield(cpu, in));
	CASE(OP_WSBH) R(in->rd) = SEXT32(swap_bytes_in_halves((uint32_t)RT)); FINISH(EX_NEXT);
	CASE(OP_SEB) R(in->rd) = (uint64_t)(int64_t)(int8_t)RT; FINISH(EX_NEXT);
	CASE(OP_SEH) R(in->rd) = (uint64_t)(int64_t)(int16_t)RT; FINISH(EX_NEXT);
	CASE(OP_DSBH) NEED64_BODY(); R(in->rd) = swap_bytes_in_halves(RT); FINISH(EX_NEXT);
	CASE(OP_DSHD) NEED64_BODY(); t = RT;
		R(in->rd) = (t << 48) | ((t & 0xffff0000ull) << 16) |
			    ((t >> 16) & 0xffff0000ull) | (t >> 48);
		FINISH(EX_NEXT);
	CASE(OP_RDHWR) FINISH(rdhwr(cpu, in));
	CASE(OP_COP1) cpu__cop_unusable(cpu, 1); FINISH(EX_STOP);
	CASE(OP_COP2) cpu__cop_unusable(cpu, 2); FINISH(EX_STOP);
	CASE(OP_RESERVED)
		FINISH(reserved(cpu));
