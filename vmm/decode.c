// SPDX-License-Identifier: GPL-2.0
/* MIPS64 Release 2 integer ISA decoding (FPU instructions decode to COP1). */
#include "decode.h"

#define OP_NAME(name) #name,
static const char *const op_names[OP_COUNT] = { OPS(OP_NAME) };
#undef OP_NAME

const char *decode__op_name(enum insn_op op)
{
	return op < OP_COUNT ? op_names[op] : "?";
}

static uint64_t field_mask(unsigned int bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

static enum insn_op decode_special(uint32_t raw, struct insn *in)
{
	static const enum insn_op ops[64] = {
		[0x00] = OP_SLL, [0x02] = OP_SRL, [0x03] = OP_SRA, [0x04] = OP_SLLV,
		[0x06] = OP_SRLV, [0x07] = OP_SRAV, [0x08] = OP_JR, [0x09] = OP_JALR,
		[0x0a] = OP_MOVZ, [0x0b] = OP_MOVN, [0x0c] = OP_SYSCALL,
		[0x0d] = OP_BREAK, [0x0f] = OP_SYNC, [0x10] = OP_MFHI, [0x11] = OP_MTHI,
		[0x12] = OP_MFLO, [0x13] = OP_MTLO, [0x14] = OP_DSLLV, [0x16] = OP_DSRLV,
		[0x17] = OP_DSRAV, [0x18] = OP_MULT, [0x19] = OP_MULTU, [0x1a] = OP_DIV,
		[0x1b] = OP_DIVU, [0x1c] = OP_DMULT, [0x1d] = OP_DMULTU, [0x1e] = OP_DDIV,
		[0x1f] = OP_DDIVU, [0x20] = OP_ADD, [0x21] = OP_ADDU, [0x22] = OP_SUB,
		[0x23] = OP_SUBU, [0x24] = OP_AND, [0x25] = OP_OR, [0x26] = OP_XOR,
		[0x27] = OP_NOR, [0x2a] = OP_SLT, [0x2b] = OP_SLTU, [0x2c] = OP_DADD,
		[0x2d] = OP_DADDU, [0x2e] = OP_DSUB, [0x2f] = OP_DSUBU, [0x30] = OP_TGE,
		[0x31] = OP_TGEU, [0x32] = OP_TLT, [0x33] = OP_TLTU, [0x34] = OP_TEQ,
		[0x36] = OP_TNE, [0x38] = OP_DSLL, [0x3a] = OP_DSRL, [0x3b] = OP_DSRA,
		[0x3c] = OP_DSLL32, [0x3e] = OP_DSRL32, [0x3f] = OP_DSRA32,
	};
	unsigned int funct = raw & 63;
	enum insn_op op = ops[funct];

	if (funct == 0x01)	/* MOVCI: tests FPU condition codes */
		return OP_COP1;
	if (op == OP_RESERVED && funct != 0)
		return OP_RESERVED;
	switch (op) {
	case OP_SRL: return (in->rs & 1) ? OP_ROTR : OP_SRL;
	case OP_SRLV: return (in->sa & 1) ? OP_ROTRV : OP_SRLV;
	case OP_DSRL: return (in->rs & 1) ? OP_DROTR : OP_DSRL;
	case OP_DSRL32: return (in->rs & 1) ? OP_DROTR32 : OP_DSRL32;
	case OP_DSRLV: return (in->sa & 1) ? OP_DROTRV : OP_DSRLV;
	case OP_SLL: return raw == 0 ? OP_NOP : OP_SLL;
	default: return op;
	}
}

static enum insn_op decode_regimm(struct insn *in)
{
	static const enum insn_op ops[32] = {
		[0x00] = OP_BLTZ, [0x01] = OP_BGEZ, [0x02] = OP_BLTZL, [0x03] = OP_BGEZL,
		[0x08] = OP_TGEI, [0x09] = OP_TGEIU, [0x0a] = OP_TLTI, [0x0b] = OP_TLTIU,
		[0x0c] = OP_TEQI, [0x0e] = OP_TNEI, [0x10] = OP_BLTZAL,
		[0x11] = OP_BGEZAL, [0x12] = OP_BLTZALL, [0x13] = OP_BGEZALL,
		[0x1f] = OP_SYNCI,
	};
	return ops[in->rt];
}

static enum insn_op decode_cop0(uint32_t raw, struct insn *in)
{
	if (in->rs & 0x10) {
		switch (raw & 63) {
		case 0x01: return OP_TLBR;
		case 0x02: return OP_TLBWI;
		case 0x06: return OP_TLBWR;
		case 0x08: return OP_TLBP;
		case 0x18: return OP_ERET;
		case 0x1f: return OP_DERET;
		case 0x20: return OP_WAIT;
		default: return OP_RESERVED;
		}
	}
	in->sa = raw & 7;	/* select */
	switch (in->rs) {
	case 0x00: return OP_MFC0;
	case 0x01: return OP_DMFC0;
	case 0x04: return OP_MTC0;
	case 0x05: return OP_DMTC0;
	case 0x0a: return OP_RDPGPR;
	case 0x0b: return (raw & 0x20) ? OP_EI : OP_DI;
	case 0x0e: return OP_WRPGPR;
	default: return OP_RESERVED;
	}
}

static enum insn_op decode_special2(uint32_t raw)
{
	switch (raw & 63) {
	case 0x00: return OP_MADD;
	case 0x01: return OP_MADDU;
	case 0x02: return OP_MUL;
	case 0x04: return OP_MSUB;
	case 0x05: return OP_MSUBU;
	case 0x20: return OP_CLZ;
	case 0x21: return OP_CLO;
	case 0x24: return OP_DCLZ;
	case 0x25: return OP_DCLO;
	case 0x3f: return OP_SDBBP;
	default: return OP_RESERVED;
	}
}

/* Bit-field instructions keep the position in sa and the field mask in imm. */
static enum insn_op decode_bitfield(struct insn *in, enum insn_op op)
{
	unsigned int pos = in->sa, msb = in->rd;

	switch (op) {
	case OP_EXT: in->imm = (int64_t)field_mask(msb + 1); break;
	case OP_DEXT: in->imm = (int64_t)field_mask(msb + 1); break;
	case OP_DEXTM: in->imm = (int64_t)field_mask(msb + 33); break;
	case OP_DEXTU: pos += 32; in->imm = (int64_t)field_mask(msb + 1); break;
	case OP_INS:
	case OP_DINS:
		if (msb < pos)
			return OP_RESERVED;
		in->imm = (int64_t)field_mask(msb - pos + 1);
		break;
	case OP_DINSM: in->imm = (int64_t)field_mask(msb + 32 - pos + 1); break;
	case OP_DINSU:
		pos += 32;
		msb += 32;
		if (msb < pos)
			return OP_RESERVED;
		in->imm = (int64_t)field_mask(msb - pos + 1);
		break;
	default: break;
	}
	in->sa = (uint8_t)pos;
	return op;
}

static enum insn_op decode_special3(uint32_t raw, struct insn *in)
{
	switch (raw & 63) {
	case 0x00: return decode_bitfield(in, OP_EXT);
	case 0x01: return decode_bitfield(in, OP_DEXTM);
	case 0x02: return decode_bitfield(in, OP_DEXTU);
	case 0x03: return decode_bitfield(in, OP_DEXT);
	case 0x04: return decode_bitfield(in, OP_INS);
	case 0x05: return decode_bitfield(in, OP_DINSM);
	case 0x06: return decode_bitfield(in, OP_DINSU);
	case 0x07: return decode_bitfield(in, OP_DINS);
	case 0x20:
		switch (in->sa) {
		case 0x02: return OP_WSBH;
		case 0x10: return OP_SEB;
		case 0x18: return OP_SEH;
		default: return OP_RESERVED;
		}
	case 0x24:
		switch (in->sa) {
		case 0x02: return OP_DSBH;
		case 0x05: return OP_DSHD;
		default: return OP_RESERVED;
		}
	case 0x3b: return OP_RDHWR;
	default: return OP_RESERVED;
	}
}

static enum insn_op decode_major(uint32_t raw, struct insn *in)
{
	static const enum insn_op ops[64] = {
		[0x02] = OP_J, [0x03] = OP_JAL, [0x04] = OP_BEQ, [0x05] = OP_BNE,
		[0x06] = OP_BLEZ, [0x07] = OP_BGTZ, [0x08] = OP_ADDI, [0x09] = OP_ADDIU,
		[0x0a] = OP_SLTI, [0x0b] = OP_SLTIU, [0x0c] = OP_ANDI, [0x0d] = OP_ORI,
		[0x0e] = OP_XORI, [0x0f] = OP_LUI, [0x11] = OP_COP1, [0x12] = OP_COP2,
		[0x13] = OP_COP1, [0x14] = OP_BEQL, [0x15] = OP_BNEL, [0x16] = OP_BLEZL,
		[0x17] = OP_BGTZL, [0x18] = OP_DADDI, [0x19] = OP_DADDIU, [0x1a] = OP_LDL,
		[0x1b] = OP_LDR, [0x20] = OP_LB, [0x21] = OP_LH, [0x22] = OP_LWL,
		[0x23] = OP_LW, [0x24] = OP_LBU, [0x25] = OP_LHU, [0x26] = OP_LWR,
		[0x27] = OP_LWU, [0x28] = OP_SB, [0x29] = OP_SH, [0x2a] = OP_SWL,
		[0x2b] = OP_SW, [0x2c] = OP_SDL, [0x2d] = OP_SDR, [0x2e] = OP_SWR,
		[0x2f] = OP_CACHE, [0x30] = OP_LL, [0x31] = OP_COP1, [0x32] = OP_COP2,
		[0x33] = OP_PREF, [0x34] = OP_LLD, [0x35] = OP_COP1, [0x36] = OP_COP2,
		[0x37] = OP_LD, [0x38] = OP_SC, [0x39] = OP_COP1, [0x3a] = OP_COP2,
		[0x3c] = OP_SCD, [0x3d] = OP_COP1, [0x3e] = OP_COP2, [0x3f] = OP_SD,
	};
	unsigned int major = raw >> 26;

	switch (major) {
	case 0x00: return decode_special(raw, in);
	case 0x01: return decode_regimm(in);
	case 0x10: return decode_cop0(raw, in);
	case 0x1c: return decode_special2(raw);
	case 0x1f: return decode_special3(raw, in);
	default: return ops[major];
	}
}

static uint8_t op_flags(enum insn_op op)
{
	switch (op) {
	case OP_J: case OP_JAL: case OP_JR: case OP_JALR:
	case OP_BEQ: case OP_BNE: case OP_BLEZ: case OP_BGTZ:
	case OP_BEQL: case OP_BNEL: case OP_BLEZL: case OP_BGTZL:
	case OP_BLTZ: case OP_BGEZ: case OP_BLTZL: case OP_BGEZL:
	case OP_BLTZAL: case OP_BGEZAL: case OP_BLTZALL: case OP_BGEZALL:
		return INSN_BRANCH;
	case OP_SYSCALL: case OP_BREAK: case OP_ERET: case OP_DERET: case OP_WAIT:
	case OP_MTC0: case OP_DMTC0: case OP_DI: case OP_EI: case OP_TLBWI:
	case OP_TLBWR: case OP_TLBR: case OP_CACHE: case OP_SYNCI: case OP_SDBBP:
	case OP_RESERVED: case OP_COP1: case OP_COP2:
		return INSN_ENDS_BLOCK;
	default:
		return 0;
	}
}

static int64_t op_immediate(enum insn_op op, uint32_t raw, int64_t imm16)
{
	switch (op) {
	case OP_ANDI: case OP_ORI: case OP_XORI:
		return raw & 0xffff;
	case OP_LUI:
		return (int64_t)(int32_t)((raw & 0xffff) << 16);
	case OP_J: case OP_JAL:
		return (int64_t)((raw & 0x3ffffff) << 2);
	case OP_BEQ: case OP_BNE: case OP_BLEZ: case OP_BGTZ:
	case OP_BEQL: case OP_BNEL: case OP_BLEZL: case OP_BGTZL:
	case OP_BLTZ: case OP_BGEZ: case OP_BLTZL: case OP_BGEZL:
	case OP_BLTZAL: case OP_BGEZAL: case OP_BLTZALL: case OP_BGEZALL:
		return imm16 * 4;
	default:
		return imm16;
	}
}

void decode(uint32_t raw, struct insn *in)
{
	enum insn_op op;

	in->raw = raw;
	in->rs = (raw >> 21) & 31;
	in->rt = (raw >> 16) & 31;
	in->rd = (raw >> 11) & 31;
	in->sa = (raw >> 6) & 31;
	in->imm = (int16_t)(raw & 0xffff);
	op = decode_major(raw, in);
	if (op != OP_EXT && op != OP_DEXT && op != OP_DEXTM && op != OP_DEXTU &&
	    op != OP_INS && op != OP_DINS && op != OP_DINSM && op != OP_DINSU)
		in->imm = op_immediate(op, raw, (int16_t)(raw & 0xffff));
	in->op = (uint16_t)op;
	in->flags = op_flags(op);
}
