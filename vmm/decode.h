/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MIPS64R2 decoder: one raw instruction word to a struct insn with an
 * operation number, register fields and a pre-computed immediate. Shared by
 * the interpreter and, later, by the code patcher and MMIO decoding.
 */
#ifndef MVM_DECODE_H
#define MVM_DECODE_H

#include "cpu.h"

#define INSN_BRANCH	0x01	/* has a delay slot */
#define INSN_ENDS_BLOCK	0x02	/* may change mode, PC or translation */

#define OPS(X) \
	X(RESERVED) X(NOP) \
	X(SLL) X(SRL) X(ROTR) X(SRA) X(SLLV) X(SRLV) X(ROTRV) X(SRAV) \
	X(JR) X(JALR) X(MOVZ) X(MOVN) X(SYSCALL) X(BREAK) X(SYNC) \
	X(MFHI) X(MTHI) X(MFLO) X(MTLO) X(DSLLV) X(DSRLV) X(DROTRV) X(DSRAV) \
	X(MULT) X(MULTU) X(DIV) X(DIVU) X(DMULT) X(DMULTU) X(DDIV) X(DDIVU) \
	X(ADD) X(ADDU) X(SUB) X(SUBU) X(AND) X(OR) X(XOR) X(NOR) X(SLT) X(SLTU) \
	X(DADD) X(DADDU) X(DSUB) X(DSUBU) X(TGE) X(TGEU) X(TLT) X(TLTU) X(TEQ) X(TNE) \
	X(DSLL) X(DSRL) X(DROTR) X(DSRA) X(DSLL32) X(DSRL32) X(DROTR32) X(DSRA32) \
	X(BLTZ) X(BGEZ) X(BLTZL) X(BGEZL) X(TGEI) X(TGEIU) X(TLTI) X(TLTIU) \
	X(TEQI) X(TNEI) X(BLTZAL) X(BGEZAL) X(BLTZALL) X(BGEZALL) X(SYNCI) \
	X(J) X(JAL) X(BEQ) X(BNE) X(BLEZ) X(BGTZ) X(ADDI) X(ADDIU) X(SLTI) X(SLTIU) \
	X(ANDI) X(ORI) X(XORI) X(LUI) X(BEQL) X(BNEL) X(BLEZL) X(BGTZL) \
	X(DADDI) X(DADDIU) X(LDL) X(LDR) X(LB) X(LH) X(LWL) X(LW) X(LBU) X(LHU) \
	X(LWR) X(LWU) X(SB) X(SH) X(SWL) X(SW) X(SDL) X(SDR) X(SWR) X(CACHE) \
	X(LL) X(PREF) X(LLD) X(LD) X(SC) X(SCD) X(SD) \
	X(MFC0) X(DMFC0) X(MTC0) X(DMTC0) X(DI) X(EI) X(RDPGPR) X(WRPGPR) \
	X(TLBR) X(TLBWI) X(TLBWR) X(TLBP) X(ERET) X(DERET) X(WAIT) \
	X(MADD) X(MADDU) X(MUL) X(MSUB) X(MSUBU) X(CLZ) X(CLO) X(DCLZ) X(DCLO) \
	X(SDBBP) X(EXT) X(DEXTM) X(DEXTU) X(DEXT) X(INS) X(DINSM) X(DINSU) X(DINS) \
	X(WSBH) X(SEB) X(SEH) X(DSBH) X(DSHD) X(RDHWR) \
	X(COP1) X(COP2)

#define OP_ENUM(name) OP_##name,
/* OP_END: never decoded, it ends a translated block. */
enum insn_op { OPS(OP_ENUM) OP_COUNT, OP_END = OP_COUNT };
#undef OP_ENUM

void decode(uint32_t raw, struct insn *in);
const char *decode__op_name(enum insn_op op);

#endif
