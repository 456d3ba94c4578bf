// SPDX-License-Identifier: GPL-2.0
/*
 * The code patcher (see patch.h and Documentation/patching.md).
 *
 * A block is the guest kernel code from one PC to its first branch (with
 * the delay slot), to an instruction only the core may execute, to the end
 * of the guest page, or to PATCH_MAX_INSNS. Its host form:
 *
 *   prologue   sd s, SPILL+8n($zero) for the (up to 3) scratch registers
 *              the block never names, so the guest keeps all 32 GPRs
 *   body       each guest instruction copied, or rewritten (1:1, 1:N)
 *   branch     the condition, then one path per outcome, each with its own
 *              copy of the delay slot and the link write, ending in an exit
 *   exits      restore the scratches, then `syscall` (back to the VMM,
 *              which later replaces it by `j` to the next block: chaining)
 *
 * Every host word carries the guest PC to resume from if the run stops
 * there, and whether the scratches are on the commpage then: a guest
 * instruction's sequence writes its guest-visible result last, so stopping
 * anywhere in it means "not executed yet" and the core can redo it (and
 * raise its exception with guest addresses) from that PC. A stop in a delay
 * slot resumes at its branch, which the core executes again with its slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu_internal.h"
#include "decode.h"
#include "log.h"
#include "patch.h"

#define PATCH_MAX_INSNS		48
/*
 * A block of fewer instructions that ends before one the core must execute
 * runs in the core when entered from the VMM: on the QEMU host an entry and
 * exit (~0.3 ms) cost more than the core stepping that many.
 */
#define CORE_RUN_MAX		32
#define PATCH_MAX_WORDS		1024	/* a block's host words, at most */
#define PATCH_HASH_SIZE		4096
#define PATCH_PAGE_HASH		1024
#define PATCH_NR_SCRATCH	3
#define RESUME_PROLOGUE		0x7f	/* start of the block, nothing spilled */
#define RESUME_INDIRECT		0x7e	/* the target on the commpage */
#define META_SPILLED		0x80
#define META_INDEX		0x7f

/* Host windows (uapi/linux/mvm.h, MVM_GK_*). */
#define GK_PHYS_BASE		(1ull << 40)
#define GK_XKSEG_BASE		(1ull << 41)
#define GK_CKSEG_BASE		((1ull << 41) | (1ull << 40))
#define GK_INVALID_BASE		0x3f010000000ull	/* nothing mapped */
#define CKSEG_LOW40		0xff80000000ull	/* 0xffffffff80000000 mod 2^40 */

/* Encodings of what the patcher emits. */
#define OP_SHIFT		26
#define I_TYPE(op, rs, rt, imm)	(((uint32_t)(op) << 26) | ((uint32_t)(rs) << 21) | \
				 ((uint32_t)(rt) << 16) | ((uint32_t)(imm) & 0xffff))
#define R_TYPE(rs, rt, rd, sa, fn) (((uint32_t)(rs) << 21) | ((uint32_t)(rt) << 16) | \
				 ((uint32_t)(rd) << 11) | ((uint32_t)(sa) << 6) | (fn))
#define H_LD(rt, off, base)	I_TYPE(0x37, base, rt, off)
#define H_SD(rt, off, base)	I_TYPE(0x3f, base, rt, off)
#define H_LW(rt, off, base)	I_TYPE(0x23, base, rt, off)
#define H_SW(rt, off, base)	I_TYPE(0x2b, base, rt, off)
#define H_DADDIU(rt, rs, imm)	I_TYPE(0x19, rs, rt, imm)
#define H_ORI(rt, rs, imm)	I_TYPE(0x0d, rs, rt, imm)
#define H_XORI(rt, rs, imm)	I_TYPE(0x0e, rs, rt, imm)
#define H_ANDI(rt, rs, imm)	I_TYPE(0x0c, rs, rt, imm)
#define H_LUI(rt, imm)		I_TYPE(0x0f, 0, rt, imm)
#define H_BEQ(rs, rt, off)	I_TYPE(0x04, rs, rt, off)
#define H_BNE(rs, rt, off)	I_TYPE(0x05, rs, rt, off)
#define H_DSLL(rd, rt, sa)	R_TYPE(0, rt, rd, sa, 0x38)
#define H_DSRL(rd, rt, sa)	R_TYPE(0, rt, rd, sa, 0x3a)
#define H_DSRL32(rd, rt, sa)	R_TYPE(0, rt, rd, sa, 0x3e)
#define H_DSLL32(rd, rt, sa)	R_TYPE(0, rt, rd, sa, 0x3c)
#define H_SLTIU(rt, rs, imm)	I_TYPE(0x0b, rs, rt, imm)
#define H_DSRA(rd, rt, sa)	R_TYPE(0, rt, rd, sa, 0x3b)
#define H_ADDU(rd, rs, rt)	R_TYPE(rs, rt, rd, 0, 0x21)
#define H_RDHWR(rt, hwr)	((0x1fu << 26) | ((uint32_t)(rt) << 16) | ((uint32_t)(hwr) << 11) | 0x3b)
#define H_LBU(rt, off, base)	I_TYPE(0x24, base, rt, off)
#define H_LL(rt, off, base)	I_TYPE(0x30, base, rt, off)
#define H_SC(rt, off, base)	I_TYPE(0x38, base, rt, off)
#define H_SRLV(rd, rt, rs)	R_TYPE(rs, rt, rd, 0, 0x06)
#define H_SLL(rd, rt, sa)	R_TYPE(0, rt, rd, sa, 0x00)
#define H_DADDU(rd, rs, rt)	R_TYPE(rs, rt, rd, 0, 0x2d)
#define H_AND(rd, rs, rt)	R_TYPE(rs, rt, rd, 0, 0x24)
#define H_OR(rd, rs, rt)	R_TYPE(rs, rt, rd, 0, 0x25)
#define H_NOR(rd, rs, rt)	R_TYPE(rs, rt, rd, 0, 0x27)
#define H_XOR(rd, rs, rt)	R_TYPE(rs, rt, rd, 0, 0x26)
#define H_JR(rs)		R_TYPE(rs, 0, 0, 0, 0x08)
#define H_SYSCALL		0x0000000cu
#define H_NOP			0x00000000u
#define H_J(target)		((2u << 26) | (uint32_t)(((target) >> 2) & 0x03ffffff))

#define RA			31

/* How the patcher treats one guest instruction. */
enum patch_class {
	PC_STEP,		/* the core executes it: the block ends before it */
	PC_COPY,		/* runs unchanged */
	PC_DROP,		/* no effect on the host: pref, D-cache ops */
	PC_MEM,			/* a load or store: redirected into a window */
	PC_CP0_READ,		/* mfc0/dmfc0 from the commpage */
	PC_CP0_WRITE,		/* mtc0/dmtc0 to the commpage */
	PC_INDEX_WRITE,		/* mtc0 Index: to the commpage, P kept */
	PC_DI, PC_EI,
	PC_ICACHE_HIT,		/* cache Hit_*_I, synci: a no-op unless on code */
	PC_ICACHE_INDEX,	/* cache Index_*_I: a no-op right after a flush */
	PC_COUNT,		/* mfc0 Count: the host's Count plus an offset */
	PC_COMPARE_ACK,		/* mtc0 Compare: natively when it only acks */
	PC_STATUS_WRITE,	/* mtc0 Status: natively unless it leaves kernel mode */
	PC_BRANCH,		/* conditional, PC-relative */
	PC_JUMP,		/* j, jal */
	PC_JUMP_REG,		/* jr, jalr */
	PC_ERET,		/* natively when it returns to kernel mode */
	PC_TLB,			/* tlbp/tlbr/tlbwi/tlbwr: a call mvm.ko answers */
	PC_ENTRYHI_WRITE,	/* mtc0 EntryHi: natively unless the ASID changes */
	PC_WAIT,		/* wait: a call mvm.ko sleeps in; ends the block */
};

struct patch_stub {
	uint32_t word;		/* the stub's syscall, relative to the block */
	bool chainable;		/* false: it must always reach the VMM */
	bool step;		/* the core must execute the instruction there */
};

/* Side exits (ei, ll/sc alignment) in one block, and their stubs. */
#define PATCH_MAX_SIDE		6

struct patch_block {
	uint64_t guest_pc, guest_pa;
	uint32_t start;		/* first host word (index into the code buffer) */
	uint32_t nwords;
	uint8_t scratch[PATCH_NR_SCRATCH];
	uint8_t nscratch;
	bool unmapped;		/* ckseg0/1 or xkphys: its VA always means its PA */
	uint8_t *meta;		/* per host word: META_SPILLED | resume index */
	uint64_t *resume;	/* guest PCs the resume indexes name */
	uint32_t nresume;
	struct patch_stub stubs[2 + PATCH_MAX_SIDE];
	uint32_t nstubs;
	struct patch_block *next;	/* hash chain */
	struct patch_block *page_next;	/* blocks of the same guest page */
	bool dead;		/* invalidated: its first word now leaves */
	bool straddles;		/* its delay slot is on the next guest page */
	/* short and ending in a step: the core runs these instructions instead */
	uint8_t core_run;
};

/*
 * MVM_PATCH_PROFILE=N: every N exits and steps, the guest PCs that caused
 * most of them on stderr. A developer's tool for finding what still
 * leaves patched code (a step, a block exit that never chained).
 */
#define PROFILE_SLOTS		4096
#define PROFILE_PCS		(1u << 20)	/* guest PCs a block began at */
struct exit_profile {
	uint64_t every, seen;
	struct { uint64_t pc, count; uint32_t insn; char kind; } slot[PROFILE_SLOTS];
	/* Each block's guest PC, and the flush count when it was translated. */
	struct { uint64_t pc, flushes; } *pcs;
	/* translations of a PC: the first, again after a flush, again without */
	uint64_t first, after_flush, again;
};

/* Why every translation was dropped, for the profile. */
enum flush_why {
	FLUSH_FULL,		/* the translation cache filled up */
	FLUSH_WRITTEN,		/* the core, DMA or the loader wrote a code page */
	FLUSH_INDEX_OP,		/* an Index I-cache op (the whole cache) */
	FLUSH_UNMAPPED_OP,	/* a Hit op on an address the TLB does not map */
	FLUSH_MODE,		/* the patcher's rules changed */
	FLUSH_WHY_COUNT
};

static const char *const flush_why_names[FLUSH_WHY_COUNT] = {
	"cache full", "code written", "Index op", "unmapped Hit op", "rules",
};

struct patcher {
	struct cpu *cpu;
	struct exit_profile *profile;
	uint8_t *comm;
	uint32_t *code;
	uint32_t used;		/* words of code in use */
	struct patch_block *hash[PATCH_HASH_SIZE];
	struct patch_block *pages[PATCH_PAGE_HASH];	/* by guest page */
	/* Blocks whose last delay slot is on the next page, also its code. */
	struct patch_block **straddlers;
	uint32_t nstraddlers, cap_straddlers;
	struct patch_block **blocks;	/* in host order, for host PC lookups */
	uint32_t nblocks, cap_blocks;
	uint64_t invalidations_seen;
	bool native_wrote;	/* patched code ran since the last index op */
	bool index_flushed;	/* an index op flushed since the last entry */
	uint64_t status_in, cause_in;	/* as sync_in put them on the commpage */
	bool host_count;	/* guest Count = host Count + PATCH_COMM_COUNT */
	bool host_r1;		/* the host CPU is MIPS64 Release 1 */
	bool tlb_calls;		/* mvm.ko does the TLB instructions */
	bool asid_calls;	/* and EntryHi writes with a new ASID */
	bool eret_calls;	/* and erets to user mode */
	bool timer_calls;	/* and mtc0 Compare */
	bool wait_calls;	/* and wait */
	uint64_t tlb_written;	/* guest TLB entries mvm.ko wrote, not yet taken */
	uint64_t stat_blocks, stat_flushes, stat_chains, stat_steps, stat_kills;
	uint64_t stat_flush_why[FLUSH_WHY_COUNT];
	uint64_t stat_core_runs;
	uint32_t core_run;	/* what patcher__enter left to the core */
};

/* The block being built. */
struct emitter {
	struct patcher *p;
	struct patch_block *b;
	uint32_t *w;		/* the block's first word */
	uint32_t n;		/* words so far */
	uint8_t meta[PATCH_MAX_WORDS];
	uint64_t resume[META_INDEX];
	uint32_t nresume;
	uint8_t cur;		/* meta of the words emitted now */
	bool overflow;
	/* Branches to side exits, emitted after the block's own exits. */
	struct {
		uint32_t branch;
		uint64_t target;
		bool step;
		uint32_t call;	/* the stub's syscall word */
	} side[PATCH_MAX_SIDE];
	unsigned int nside;
	uint64_t pc_now;	/* the guest instruction being emitted */
};

/* CP0 registers the commpage serves: (reg << 3 | sel), and what writes keep. */
struct cp0_slot {
	uint8_t regsel;
	bool writable;
	uint64_t mask;		/* of a writable one: the bits a write sets */
};

static const struct cp0_slot cp0_slots[] = {
	{ CP0_INDEX << 3, false, 0 },
	{ CP0_ENTRYLO0 << 3, true, 0x3fffffffull },
	{ CP0_ENTRYLO1 << 3, true, 0x3fffffffull },
	{ CP0_CONTEXT << 3, false, 0 },
	{ CP0_CONTEXT << 3 | 2, true, ~0ull },		/* UserLocal */
	{ CP0_PAGEMASK << 3, true, 0x1fffe000ull },
	{ CP0_WIRED << 3, false, 0 },
	{ CP0_HWRENA << 3, false, 0 },
	{ CP0_BADVADDR << 3, false, 0 },
	{ CP0_ENTRYHI << 3, true, 0 },			/* emit_entryhi_write */
	{ CP0_COMPARE << 3, false, 0 },
	{ CP0_STATUS << 3, false, 0 },			/* di/ei write it */
	{ CP0_STATUS << 3 | 1, false, 0 },
	{ CP0_STATUS << 3 | 2, false, 0 },
	{ CP0_CAUSE << 3, false, 0 },
	{ CP0_EPC << 3, true, ~0ull },
	{ CP0_PRID << 3, false, 0 },
	{ CP0_PRID << 3 | 1, false, 0 },
	{ CP0_PRID << 3 | 3, false, 0 },
	{ CP0_CONFIG << 3 | 0, false, 0 }, { CP0_CONFIG << 3 | 1, false, 0 },
	{ CP0_CONFIG << 3 | 2, false, 0 }, { CP0_CONFIG << 3 | 3, false, 0 },
	{ CP0_CONFIG << 3 | 4, false, 0 }, { CP0_CONFIG << 3 | 5, false, 0 },
	{ CP0_CONFIG << 3 | 6, false, 0 }, { CP0_CONFIG << 3 | 7, false, 0 },
	{ CP0_XCONTEXT << 3, false, 0 },
	{ CP0_ERROREPC << 3, true, ~0ull },
	{ CP0_DESAVE << 3, true, ~0ull },
	{ CP0_DESAVE << 3 | 2, true, ~0ull }, { CP0_DESAVE << 3 | 3, true, ~0ull },
	{ CP0_DESAVE << 3 | 4, true, ~0ull }, { CP0_DESAVE << 3 | 5, true, ~0ull },
	{ CP0_DESAVE << 3 | 6, true, ~0ull }, { CP0_DESAVE << 3 | 7, true, ~0ull },
};

static void sync_out(struct patcher *p);
static void patch_branch(struct emitter *e, uint32_t at, uint32_t to);

static const struct cp0_slot *cp0_slot(unsigned int reg, unsigned int sel)
{
	for (size_t i = 0; i < sizeof(cp0_slots) / sizeof(cp0_slots[0]); i++)
		if (cp0_slots[i].regsel == (reg << 3 | sel))
			return &cp0_slots[i];
	return NULL;
}

static int16_t cp0_offset(unsigned int reg, unsigned int sel)
{
	return (int16_t)(PATCH_COMM_CP0 + (reg * 8 + sel) * 8);
}

static _Atomic uint8_t *codemap(struct patcher *p)
{
	return (_Atomic uint8_t *)(p->comm + PATCH_COMM_CODEMAP);
}

static uint64_t *comm64(struct patcher *p, uint32_t off)
{
	return (uint64_t *)(void *)(p->comm + off);
}

/* --- classification ---------------------------------------------------- */

static bool is_icache_op(uint32_t raw)
{
	return ((raw >> 16) & 3) == 0;	/* CACHE op bits 17..16: 0 = I-cache */
}

static enum patch_class classify(const struct patcher *p, const struct insn *in)
{
	switch (in->op) {
	case OP_ROTR: case OP_ROTRV: case OP_DROTR: case OP_DROTR32: case OP_DROTRV:
		/* A Release 1 CPU runs these as plain right shifts, no trap. */
		return p->host_r1 ? PC_STEP : PC_COPY;
	case OP_NOP: case OP_SLL: case OP_SRL: case OP_SRA:
	case OP_SLLV: case OP_SRLV: case OP_SRAV:
	case OP_MOVZ: case OP_MOVN: case OP_SYNC:
	case OP_MFHI: case OP_MTHI: case OP_MFLO: case OP_MTLO:
	case OP_DSLLV: case OP_DSRLV: case OP_DSRAV:
	case OP_MULT: case OP_MULTU: case OP_DIV: case OP_DIVU:
	case OP_DMULT: case OP_DMULTU: case OP_DDIV: case OP_DDIVU:
	case OP_ADD: case OP_ADDU: case OP_SUB: case OP_SUBU: case OP_AND:
	case OP_OR: case OP_XOR: case OP_NOR: case OP_SLT: case OP_SLTU:
	case OP_DADD: case OP_DADDU: case OP_DSUB: case OP_DSUBU:
	case OP_TGE: case OP_TGEU: case OP_TLT: case OP_TLTU: case OP_TEQ: case OP_TNE:
	case OP_DSLL: case OP_DSRL: case OP_DSRA:
	case OP_DSLL32: case OP_DSRL32: case OP_DSRA32:
	case OP_TGEI: case OP_TGEIU: case OP_TLTI: case OP_TLTIU: case OP_TEQI: case OP_TNEI:
	case OP_ADDI: case OP_ADDIU: case OP_SLTI: case OP_SLTIU:
	case OP_ANDI: case OP_ORI: case OP_XORI: case OP_LUI:
	case OP_DADDI: case OP_DADDIU:
	case OP_MADD: case OP_MADDU: case OP_MUL: case OP_MSUB: case OP_MSUBU:
	case OP_CLZ: case OP_CLO: case OP_DCLZ: case OP_DCLO:
	case OP_EXT: case OP_DEXTM: case OP_DEXTU: case OP_DEXT:
	case OP_INS: case OP_DINSM: case OP_DINSU: case OP_DINS:
	case OP_WSBH: case OP_SEB: case OP_SEH: case OP_DSBH: case OP_DSHD:
		/* Traps and overflows fault natively; the core then redoes them. */
		return PC_COPY;
	case OP_PREF:
		return PC_DROP;
	case OP_CACHE:
		if (!is_icache_op(in->raw))
			return PC_DROP;
		return ((in->raw >> 18) & 7) >= 4 ? PC_ICACHE_HIT : PC_ICACHE_INDEX;
	case OP_SYNCI:
		return PC_ICACHE_HIT;
	case OP_LDL: case OP_LDR: case OP_LB: case OP_LH: case OP_LWL: case OP_LW:
	case OP_LBU: case OP_LHU: case OP_LWR: case OP_LWU: case OP_SB: case OP_SH:
	case OP_SWL: case OP_SW: case OP_SDL: case OP_SDR: case OP_SWR:
	case OP_LL: case OP_LLD: case OP_LD: case OP_SC: case OP_SCD: case OP_SD:
		return PC_MEM;
	case OP_MFC0: case OP_DMFC0:
		if (in->rd == CP0_COUNT && (in->raw & 7) == 0 && p->host_count)
			return PC_COUNT;
		return cp0_slot(in->rd, in->raw & 7) ? PC_CP0_READ : PC_STEP;
	case OP_MTC0: case OP_DMTC0: {
		const struct cp0_slot *s = cp0_slot(in->rd, in->raw & 7);

		if (in->op == OP_MTC0 && in->rd == CP0_COMPARE && (in->raw & 7) == 0)
			return PC_COMPARE_ACK;
		if (in->op == OP_MTC0 && in->rd == CP0_STATUS && (in->raw & 7) == 0)
			return PC_STATUS_WRITE;
		if (in->rd == CP0_ENTRYHI && (in->raw & 7) == 0)
			return PC_ENTRYHI_WRITE;
		/* mvm.ko's TLB calls take Index from the commpage, P included */
		if (in->rd == CP0_INDEX && (in->raw & 7) == 0 && p->tlb_calls)
			return PC_INDEX_WRITE;
		return s && s->writable ? PC_CP0_WRITE : PC_STEP;
	}
	case OP_DI:
		return PC_DI;
	case OP_EI:
		return PC_EI;
	case OP_BEQ: case OP_BNE: case OP_BLEZ: case OP_BGTZ:
	case OP_BEQL: case OP_BNEL: case OP_BLEZL: case OP_BGTZL:
	case OP_BLTZ: case OP_BGEZ: case OP_BLTZL: case OP_BGEZL:
	case OP_BLTZAL: case OP_BGEZAL: case OP_BLTZALL: case OP_BGEZALL:
		return PC_BRANCH;
	case OP_J: case OP_JAL:
		return PC_JUMP;
	case OP_JR: case OP_JALR:
		return PC_JUMP_REG;
	case OP_ERET:
		return PC_ERET;
	case OP_TLBP: case OP_TLBR: case OP_TLBWI: case OP_TLBWR:
		return p->tlb_calls ? PC_TLB : PC_STEP;
	case OP_WAIT:
		return p->wait_calls ? PC_WAIT : PC_STEP;
	default:
		/*
		 * syscall, break, sdbbp, deret, rdhwr, rdpgpr/wrpgpr,
		 * FPU and COP2, reserved.
		 */
		return PC_STEP;
	}
}

/* Registers an instruction may name (conservatively: all three fields). */
static uint32_t regs_named(const struct insn *in, enum patch_class c)
{
	uint32_t m = (1u << ((in->raw >> 21) & 31)) | (1u << ((in->raw >> 16) & 31)) |
		     (1u << ((in->raw >> 11) & 31));

	if (c == PC_BRANCH || c == PC_JUMP || c == PC_JUMP_REG)
		m |= 1u << RA;
	return m;
}

static bool may_be_delay_slot(enum patch_class c)
{
	return c == PC_COPY || c == PC_DROP || c == PC_MEM || c == PC_CP0_READ ||
	       c == PC_CP0_WRITE || c == PC_INDEX_WRITE || c == PC_DI || c == PC_COUNT;
}

static bool is_unmapped_pc(uint64_t va)
{
	return tlb__va_is_unmapped(va);
}

/* --- emitting ------------------------------------------------------------ */

static void emit(struct emitter *e, uint32_t word)
{
	if (e->n >= PATCH_MAX_WORDS) {
		e->overflow = true;
		return;
	}
	e->meta[e->n] = e->cur;
	e->w[e->n++] = word;
}

/* From now on, words resume at guest pc (spilled: scratches on the commpage). */
static void resume_at(struct emitter *e, uint64_t pc, bool spilled)
{
	uint32_t i;

	for (i = 0; i < e->nresume; i++)
		if (e->resume[i] == pc)
			break;
	if (i == e->nresume) {
		if (e->nresume >= RESUME_INDIRECT) {
			e->overflow = true;
			return;
		}
		e->resume[e->nresume++] = pc;
	}
	e->cur = (uint8_t)i | (spilled ? META_SPILLED : 0);
}

static void resume_indirect(struct emitter *e)
{
	e->cur = RESUME_INDIRECT | META_SPILLED;
}

/* rt = value, for a guest address (link registers). */
static void emit_li64(struct emitter *e, unsigned int rt, uint64_t v)
{
	if ((int64_t)v == (int32_t)v) {
		emit(e, H_LUI(rt, (v >> 16) & 0xffff));
		emit(e, H_ORI(rt, rt, v & 0xffff));
		return;
	}
	emit(e, H_LUI(rt, (v >> 48) & 0xffff));
	emit(e, H_ORI(rt, rt, (v >> 32) & 0xffff));
	emit(e, H_DSLL(rt, rt, 16));
	emit(e, H_ORI(rt, rt, (v >> 16) & 0xffff));
	emit(e, H_DSLL(rt, rt, 16));
	emit(e, H_ORI(rt, rt, v & 0xffff));
}

static void emit_restore(struct emitter *e)
{
	for (unsigned int i = 0; i < e->b->nscratch; i++)
		emit(e, H_LD(e->b->scratch[i], PATCH_COMM_SPILL + 8 * i, 0));
}

/*
 * Leave the block for guest pc (chainable: may become a jump later; step:
 * the core executes the instruction there before anything else) with
 * the syscall word call: a plain syscall, or one of mvm.ko's calls that
 * may go on without leaving.
 */
static void emit_exit_call(struct emitter *e, uint64_t target, bool chainable, bool step,
			   uint32_t call)
{
	struct patch_block *b = e->b;

	resume_at(e, target, true);
	emit_restore(e);
	if (b->nstubs == sizeof(b->stubs) / sizeof(b->stubs[0])) {
		e->overflow = true;
		return;
	}
	b->stubs[b->nstubs].word = e->n;
	b->stubs[b->nstubs].chainable = chainable;
	b->stubs[b->nstubs].step = step;
	b->nstubs++;
	emit(e, call);
	emit(e, H_NOP);
}

static void emit_exit_to(struct emitter *e, uint64_t target, bool chainable, bool step)
{
	emit_exit_call(e, target, chainable, step, H_SYSCALL);
}

static void emit_exit(struct emitter *e, uint64_t target)
{
	emit_exit_to(e, target, true, false);
}

/* The conditional branch at word branch goes to a side exit for target. */
static void side_exit_at(struct emitter *e, uint32_t branch, uint64_t target, bool step)
{
	if (e->nside == PATCH_MAX_SIDE) {
		e->overflow = true;
		return;
	}
	e->side[e->nside].branch = branch;
	e->side[e->nside].target = target;
	e->side[e->nside].step = step;
	e->side[e->nside].call = H_SYSCALL;
	e->nside++;
}

/* A conditional branch (just emitted) to a side exit for target. */
static void side_exit(struct emitter *e, uint64_t target, bool step)
{
	side_exit_at(e, e->n - 1, target, step);
}

/* A branch that always leaves to a side exit (its slot a nop). */
static void emit_side_exit(struct emitter *e, uint64_t target, bool step)
{
	emit(e, H_BEQ(0, 0, 0));
	side_exit(e, target, step);
	emit(e, H_NOP);
}

/*
 * The guest address base + imm into s, then redirected into its window:
 * s = (va mod 2^40) + segment_base[va >> 59], t a second scratch. Guest
 * xuseg addresses below the commpage's end would land on the commpage:
 * they go 2^42 further, beyond the host's user space, so they fault and
 * the core gives the guest what the architecture says (a NULL pointer's
 * TLB exception) instead of this vCPU's spilled registers.
 */
static void emit_address(struct emitter *e, unsigned int base, int16_t imm,
			 unsigned int s, unsigned int t)
{
	emit(e, H_DADDIU(s, base, (uint16_t)imm));
	emit(e, H_DSRL32(t, s, 27));
	emit(e, H_DSLL(t, t, 3));
	emit(e, H_LD(t, PATCH_COMM_SEGMENTS, t));
	emit(e, H_DSLL(s, s, 24));
	emit(e, H_DSRL(s, s, 24));
	emit(e, H_DADDU(s, s, t));
	emit(e, H_SLTIU(t, s, PATCH_COMM_SIZE - 1));	/* a 16-bit immediate; 0x7fff is unused */
	emit(e, H_DSLL32(t, t, 10));
	emit(e, H_DADDU(s, s, t));
}

static bool is_linked(const struct insn *in)
{
	return in->op == OP_LL || in->op == OP_LLD || in->op == OP_SC || in->op == OP_SCD;
}

static void emit_mem(struct emitter *e, const struct insn *in)
{
	unsigned int s = e->b->scratch[0], t = e->b->scratch[1];
	unsigned int base = (in->raw >> 21) & 31;

	emit_address(e, base, (int16_t)(in->raw & 0xffff), s, t);
	if (is_linked(in)) {
		/*
		 * QEMU's sc fails quietly on a misaligned address instead of
		 * raising AdES: the core executes misaligned ones.
		 */
		emit(e, H_ANDI(t, s, in->op == OP_LL || in->op == OP_SC ? 3 : 7));
		emit(e, H_BNE(t, 0, 0));
		side_exit(e, e->pc_now, true);
		emit(e, H_NOP);
	}
	/* The access itself, last: it is the only guest-visible effect. */
	emit(e, (in->raw & 0xfc1f0000u) | ((uint32_t)s << 21));
}

static void emit_cp0_read(struct emitter *e, const struct insn *in)
{
	unsigned int rt = (in->raw >> 16) & 31;
	int16_t off = cp0_offset(in->rd, in->raw & 7);

	if (!rt)
		return;
	emit(e, in->op == OP_DMFC0 ? H_LD(rt, off, 0) : H_LW(rt, off, 0));
}

static void emit_cp0_write(struct emitter *e, const struct insn *in)
{
	const struct cp0_slot *slot = cp0_slot(in->rd, in->raw & 7);
	unsigned int rt = (in->raw >> 16) & 31, s = e->b->scratch[0];
	unsigned int t = e->b->scratch[1];
	int16_t off = cp0_offset(in->rd, in->raw & 7);

	/* mtc0 writes the sign-extended low word. */
	if (in->op == OP_MTC0)
		emit(e, H_SLL(s, rt, 0));
	else
		emit(e, H_OR(s, rt, 0));
	if (slot->mask != ~0ull) {
		/* Both masks fit in 31 bits: lui + ori build them. */
		emit(e, H_LUI(t, (slot->mask >> 16) & 0xffff));
		emit(e, H_ORI(t, t, slot->mask & 0xffff));
		emit(e, H_AND(s, s, t));
	}
	emit(e, H_SD(s, off, 0));
}

/*
 * mtc0/dmtc0 rt, Index: the index field written, P (bit 31, set by tlbp)
 * kept, as the core does; with mvm.ko's TLB calls, which read and report
 * Index on the commpage (Linux writes Index before each tlbwi of a TLB
 * flush: 64 of them for local_flush_tlb_all).
 */
static void emit_index_write(struct emitter *e, const struct insn *in)
{
	unsigned int rt = (in->raw >> 16) & 31, s = e->b->scratch[0];
	unsigned int t = e->b->scratch[1];
	int16_t off = cp0_offset(CP0_INDEX, 0);

	emit(e, H_ANDI(s, rt, CPU_TLB_ENTRIES - 1));
	emit(e, H_LD(t, off, 0));
	emit(e, H_DSRL(t, t, 31));
	emit(e, H_DSLL(t, t, 31));
	emit(e, H_OR(s, s, t));
	emit(e, H_SD(s, off, 0));
}

/*
 * cache Hit_*_I / synci: guest code on that line must not run stale, so
 * the core executes (and the translations of its page go) when the line
 * is in ckseg0/1 or xkphys on a page the code map marks, or anywhere else.
 * On any other page it changes nothing the guest can see: skipped here,
 * without an exit (Linux invalidates every line of each page it maps
 * executable).
 */
static void emit_icache_hit(struct emitter *e, const struct insn *in)
{
	unsigned int s = e->b->scratch[0], t = e->b->scratch[1];
	unsigned int base = (in->raw >> 21) & 31;
	uint32_t to_xkphys, have_pa, out[4], skip;
	unsigned int nout = 0;

	emit(e, H_DADDIU(s, base, in->raw & 0xffff));
	/* ckseg0/1: va >> 29 is -4 or -3; pa = va & 0x1fffffff */
	emit(e, H_DSRA(t, s, 29));
	emit(e, H_DADDIU(t, t, 4));
	emit(e, H_SLTIU(t, t, 2));
	to_xkphys = e->n;
	emit(e, H_BEQ(t, 0, 0));
	emit(e, H_NOP);
	emit(e, H_DSLL32(s, s, 3));
	emit(e, H_DSRL32(s, s, 3));
	have_pa = e->n;
	emit(e, H_BEQ(0, 0, 0));
	emit(e, H_NOP);
	/* xkphys: va >> 62 is 2; pa = va & (2^59 - 1) */
	patch_branch(e, to_xkphys, e->n);
	emit(e, H_DSRL32(t, s, 30));
	emit(e, H_XORI(t, t, 2));
	out[nout++] = e->n;
	emit(e, H_BNE(t, 0, 0));
	emit(e, H_NOP);
	emit(e, H_DSLL(s, s, 5));
	emit(e, H_DSRL(s, s, 5));
	patch_branch(e, have_pa, e->n);
	/* beyond the map: the core decides */
	emit(e, H_DSRL(t, s, 29));
	out[nout++] = e->n;
	emit(e, H_BNE(t, 0, 0));
	emit(e, H_NOP);
	emit(e, H_DSRL(t, s, 15));
	emit(e, H_LBU(t, PATCH_COMM_CODEMAP, t));
	emit(e, H_DSRL(s, s, 12));
	emit(e, H_ANDI(s, s, 7));
	emit(e, H_SRLV(t, t, s));
	emit(e, H_ANDI(t, t, 1));
	out[nout++] = e->n;
	emit(e, H_BNE(t, 0, 0));
	emit(e, H_NOP);
	skip = e->n;
	emit(e, H_BEQ(0, 0, 0));
	emit(e, H_NOP);
	/* one side exit for all three: the core executes the instruction */
	for (unsigned int i = 0; i < nout; i++)
		patch_branch(e, out[i], e->n);
	emit_side_exit(e, e->pc_now, true);
	patch_branch(e, skip, e->n);
}

/*
 * cache Index_*_I names no address: the guest invalidates the whole
 * I-cache, a line at a time. The first op of such a blast leaves the block
 * and every translation goes (patcher__step); until the next exit the
 * commpage says nothing has been translated from memory older than that
 * flush, and the rest of the blast runs as native no-ops.
 */
static void emit_icache_index(struct emitter *e)
{
	unsigned int s = e->b->scratch[0];
	uint32_t skip;

	emit(e, H_LW(s, PATCH_COMM_FLUSHED, 0));
	skip = e->n;
	emit(e, H_BNE(s, 0, 0));
	emit(e, H_NOP);
	emit_side_exit(e, e->pc_now, true);
	patch_branch(e, skip, e->n);
}

/*
 * mtc0 rt, Compare: rewriting the value it has acks the timer interrupt
 * (Linux's c0_compare_interrupt does just that): Cause.TI and IP7 cleared
 * on the commpage, and sync_out() has the core write Compare to match. A
 * new value moves the deadline the timer is armed for: with mvm.ko's
 * timer, the value goes on the commpage and its call re-arms it (and acks
 * too); otherwise, or if the module declines, the core executes it.
 */
static void emit_compare_ack(struct emitter *e, const struct insn *in)
{
	unsigned int rt = (in->raw >> 16) & 31;
	unsigned int s = e->b->scratch[0], t = e->b->scratch[1];
	uint32_t ack;

	emit(e, H_LW(s, cp0_offset(CP0_COMPARE, 0), 0));
	emit(e, H_SLL(t, rt, 0));
	ack = e->n;
	emit(e, H_BEQ(s, t, 0));
	emit(e, H_NOP);
	if (e->p->timer_calls) {
		emit(e, H_SD(t, cp0_offset(CP0_COMPARE, 0), 0));
		emit(e, H_SYSCALL | MVM_GK_CALL_COMPARE << 6);
	} else {
		emit_side_exit(e, e->pc_now, true);
	}
	patch_branch(e, ack, e->n);
	emit(e, H_LW(s, cp0_offset(CP0_CAUSE, 0), 0));
	emit(e, H_LUI(t, (uint16_t)(CAUSE_TI >> 16)));
	emit(e, H_ORI(t, t, 1u << (CAUSE_IP_SHIFT + 7)));
	emit(e, H_NOR(t, t, 0));
	emit(e, H_AND(s, s, t));
	emit(e, H_SW(s, cp0_offset(CP0_CAUSE, 0), 0));
}

/* mfc0 rt, Count: rdhwr $2 is the host's Count, at the guest's rate. */
static void emit_count(struct emitter *e, const struct insn *in)
{
	unsigned int rt = (in->raw >> 16) & 31, s = e->b->scratch[0];
	unsigned int t = e->b->scratch[1];

	if (!rt)
		return;
	emit(e, H_RDHWR(t, 2));
	emit(e, H_LW(s, PATCH_COMM_COUNT, 0));
	emit(e, H_ADDU(rt, t, s));	/* 32 bits, sign-extended, as mfc0 */
}

static int16_t status_offset(void)
{
	return cp0_offset(CP0_STATUS, 0);
}

/* di/ei: rt = Status, then IE cleared or set on the commpage. */
static void emit_status_ie(struct emitter *e, const struct insn *in, bool set)
{
	unsigned int rt = (in->raw >> 16) & 31, s = e->b->scratch[0];

	if (rt)
		emit(e, H_LW(rt, status_offset(), 0));
	emit(e, H_LW(s, status_offset(), 0));
	emit(e, H_ORI(s, s, 1));
	if (!set)
		emit(e, H_XORI(s, s, 1));
	emit(e, H_SW(s, status_offset(), 0));
}

/*
 * Whether the Status in s lets a pending interrupt in (Cause.IP &
 * Status.IM), checked when (s & bits) == want; t is clobbered. Returns
 * the word of the branch taken then, for the caller to point at an exit.
 */
static uint32_t emit_irq_check(struct emitter *e, unsigned int s, unsigned int t,
			       uint16_t bits, uint16_t want)
{
	uint32_t skip, exit_branch;

	emit(e, H_ANDI(t, s, bits));
	if (want)
		emit(e, H_XORI(t, t, want));
	skip = e->n;
	emit(e, H_BNE(t, 0, 0));
	emit(e, H_LW(t, cp0_offset(CP0_CAUSE, 0), 0));
	emit(e, H_AND(t, t, s));
	emit(e, H_ANDI(t, t, 0xff00));
	exit_branch = e->n;
	emit(e, H_BNE(t, 0, 0));
	emit(e, H_NOP);
	patch_branch(e, skip, e->n);
	return exit_branch;
}

/*
 * ei: if that unmasked a pending interrupt (EXL and ERL clear), leave the
 * block after it (unchained) so the core takes the interrupt.
 */
static void emit_ei(struct emitter *e, const struct insn *in, uint64_t pc)
{
	unsigned int s = e->b->scratch[0], t = e->b->scratch[1];

	emit_status_ie(e, in, true);
	resume_at(e, pc + 4, true);
	side_exit_at(e, emit_irq_check(e, s, t, 6, 0), pc + 4, false);
}

/*
 * mtc0 rt, Status: IE, EXL, KSU, IM and CU0 change on the commpage, and
 * sync_out() gives the core the new value; Linux writes Status to mask
 * and restore interrupts and around every exception. The core executes
 * a write that changes any other bit (ERL unmaps useg, for one), or that
 * would leave kernel mode (KSU not kernel with EXL clear). As for ei, a
 * write that unmasks a pending interrupt leaves the block right after it.
 */
#define STATUS_NATIVE_BITS	0xff1bu	/* IM, KSU, EXL, IE */
/* and CU0, which only user mode sees (Linux clears it on the way back there) */
#define STATUS_NATIVE_MASK	(STATUS_NATIVE_BITS | ST_CU0)

static void emit_status_write(struct emitter *e, const struct insn *in, uint64_t pc)
{
	unsigned int rt = (in->raw >> 16) & 31;
	unsigned int s = e->b->scratch[0], t = e->b->scratch[1];
	uint32_t kernel;

	emit(e, H_LW(s, status_offset(), 0));
	emit(e, H_XOR(t, s, rt));
	emit(e, H_LUI(s, ST_CU0 >> 16));
	emit(e, H_OR(t, t, s));
	emit(e, H_XOR(t, t, s));		/* CU0 ignored */
	emit(e, H_SLL(t, t, 0));
	emit(e, H_ORI(t, t, STATUS_NATIVE_BITS));
	emit(e, H_XORI(t, t, STATUS_NATIVE_BITS));
	emit(e, H_BNE(t, 0, 0));
	side_exit(e, pc, true);
	emit(e, H_ANDI(t, rt, 6));		/* EXL, ERL */
	kernel = e->n;
	emit(e, H_BNE(t, 0, 0));
	emit(e, H_ANDI(t, rt, 0x18));		/* KSU */
	emit(e, H_BNE(t, 0, 0));
	side_exit(e, pc, true);
	emit(e, H_NOP);
	patch_branch(e, kernel, e->n);
	emit(e, H_SW(rt, status_offset(), 0));
	resume_at(e, pc + 4, true);
	/* IE set, EXL and ERL clear, and Cause.IP & IM: the core takes it */
	side_exit_at(e, emit_irq_check(e, rt, t, 7, 1), pc + 4, false);
}

/*
 * mtc0/dmtc0 rt, EntryHi: the writable bits to the commpage, as long as
 * the ASID stays (Linux's TLB code writes VPN2 before each tlbp and
 * tlbwi). A new ASID is a new guest address space for mvm.ko: with its
 * call (a context switch), the value goes on the commpage and the module
 * takes it; otherwise, or if the module declines, the core executes the
 * write and the VMM hands the module the ASID. Only in unmapped code: the
 * rest of a mapped block might be other code under the new ASID.
 */
static void emit_entryhi_write(struct emitter *e, const struct insn *in, uint64_t pc)
{
	unsigned int rt = (in->raw >> 16) & 31;
	unsigned int s = e->b->scratch[0], t = e->b->scratch[1];
	int16_t off = cp0_offset(CP0_ENTRYHI, 0);
	uint32_t same;

	/* mtc0 writes the sign-extended low word. */
	emit(e, in->op == OP_MTC0 ? H_SLL(s, rt, 0) : H_OR(s, rt, 0));
	emit(e, H_LD(t, PATCH_COMM_ENTRYHI_MASK, 0));
	emit(e, H_AND(s, s, t));
	emit(e, H_LD(t, off, 0));
	emit(e, H_XOR(t, t, s));
	emit(e, H_ANDI(t, t, ENTRYHI_ASID));
	if (!e->p->asid_calls || !e->b->unmapped) {
		emit(e, H_BNE(t, 0, 0));
		side_exit(e, pc, true);
		emit(e, H_NOP);
		emit(e, H_SD(s, off, 0));
		return;
	}
	same = e->n;
	emit(e, H_BEQ(t, 0, 0));
	emit(e, H_SD(s, off, 0));
	/* declined, the syscall is a step of the write (patcher__resume) */
	emit(e, H_SYSCALL | MVM_GK_CALL_ENTRYHI << 6);
	patch_branch(e, same, e->n);
}

/*
 * wait: mvm.ko's call sleeps until the guest's timer, which it then takes
 * with EPC = the PC after the wait (put on the commpage first), or, with
 * interrupts off, goes on to the block's exit after it. Declined, it is a
 * step of the wait: the core's WAIT sleeps in the VMM as before.
 */
static void emit_wait(struct emitter *e, uint64_t pc)
{
	unsigned int s = e->b->scratch[0];

	emit_li64(e, s, pc + 4);
	emit(e, H_SD(s, MVM_GK_COMM_WAIT_PC, 0));
	emit_exit_call(e, pc, false, true, H_SYSCALL | MVM_GK_CALL_WAIT << 6);
}

/* MVM_GK_CALL_* for each TLB instruction: syscall's code field, bits 25..6. */
static uint32_t tlb_call(const struct insn *in)
{
	uint32_t code = in->op == OP_TLBP ? MVM_GK_CALL_TLBP :
			in->op == OP_TLBR ? MVM_GK_CALL_TLBR :
			in->op == OP_TLBWI ? MVM_GK_CALL_TLBWI : MVM_GK_CALL_TLBWR;

	return H_SYSCALL | code << 6;
}

static void patch_branch(struct emitter *e, uint32_t at, uint32_t to)
{
	if (!e->overflow)
		e->w[at] = (e->w[at] & 0xffff0000u) | ((to - at - 1) & 0xffff);
}

/* The instruction of a delay slot or the body, by class. */
static void emit_one(struct emitter *e, const struct insn *in, enum patch_class c)
{
	switch (c) {
	case PC_COPY:
		emit(e, in->raw);
		break;
	case PC_DROP:
		break;
	case PC_MEM:
		emit_mem(e, in);
		break;
	case PC_CP0_READ:
		emit_cp0_read(e, in);
		break;
	case PC_CP0_WRITE:
		emit_cp0_write(e, in);
		break;
	case PC_INDEX_WRITE:
		emit_index_write(e, in);
		break;
	case PC_DI:
		emit_status_ie(e, in, false);
		break;
	case PC_ICACHE_HIT:
		emit_icache_hit(e, in);
		break;
	case PC_ICACHE_INDEX:
		emit_icache_index(e);
		break;
	case PC_COMPARE_ACK:
		emit_compare_ack(e, in);
		break;
	case PC_COUNT:
		emit_count(e, in);
		break;
	default:
		e->overflow = true;	/* the caller never lets one through */
		break;
	}
}

/* The non-likely, non-linking host form of a conditional branch. */
static uint32_t plain_branch(const struct insn *in)
{
	uint32_t raw = in->raw & 0xffff0000u, op = raw >> OP_SHIFT;

	if (op >= 0x14 && op <= 0x17)		/* beql..bgtzl -> beq..bgtz */
		return raw - (0x10u << OP_SHIFT);
	if (op == 1)				/* REGIMM: keep bit 0 (ge/lt) */
		return (raw & ~(0x1fu << 16)) | (((raw >> 16) & 1) << 16);
	return raw;
}

static bool branch_links(const struct insn *in)
{
	return in->op == OP_BLTZAL || in->op == OP_BGEZAL ||
	       in->op == OP_BLTZALL || in->op == OP_BGEZALL;
}

static bool branch_likely(const struct insn *in)
{
	return in->op == OP_BEQL || in->op == OP_BNEL || in->op == OP_BLEZL ||
	       in->op == OP_BGTZL || in->op == OP_BLTZL || in->op == OP_BGEZL ||
	       in->op == OP_BLTZALL || in->op == OP_BGEZALL;
}

/* One path after a branch: link, delay slot (unless annulled), exit. */
static void emit_path(struct emitter *e, uint64_t bpc, const struct insn *br,
		      const struct insn *ds, enum patch_class dsc, bool run_slot,
		      uint64_t target)
{
	resume_at(e, bpc, true);
	e->pc_now = bpc;	/* the slot's side exit: the core redoes both */
	if (branch_links(br))
		emit_li64(e, RA, bpc + 8);
	if (run_slot)
		emit_one(e, ds, dsc);
	emit_exit(e, target);
}

static void emit_branch(struct emitter *e, uint64_t bpc, const struct insn *br,
			const struct insn *ds, enum patch_class dsc)
{
	uint64_t taken = bpc + 4 + ((uint64_t)br->imm), fall = bpc + 8;
	uint32_t at;

	/*
	 * The condition first, on the registers before the slot; then each
	 * outcome with its own copy of the slot, so a slot that writes the
	 * branch's sources cannot change where it goes.
	 */
	resume_at(e, bpc, true);
	at = e->n;
	emit(e, plain_branch(br));
	emit(e, H_NOP);
	emit_path(e, bpc, br, ds, dsc, !branch_likely(br), fall);
	patch_branch(e, at, e->n);
	emit_path(e, bpc, br, ds, dsc, true, taken);
}

static void emit_jump(struct emitter *e, uint64_t bpc, const struct insn *br,
		      const struct insn *ds, enum patch_class dsc)
{
	uint64_t target = ((bpc + 4) & ~0x0fffffffull) | ((br->raw & 0x03ffffffu) << 2);

	resume_at(e, bpc, true);
	e->pc_now = bpc;
	if (br->op == OP_JAL)
		emit_li64(e, RA, bpc + 8);
	emit_one(e, ds, dsc);
	emit_exit(e, target);
}

/*
 * On to the guest target in scratch 2 (already at PATCH_COMM_TARGET):
 * the jump hash {guest pc -> host pc} after the code, the scratches back
 * before the jump; a miss leaves with the target on the commpage.
 * Returns the word of that exit.
 */
static uint32_t emit_jump_hash(struct emitter *e)
{
	unsigned int x = e->b->scratch[2], y = e->b->scratch[1], z = e->b->scratch[0];
	uint32_t miss, exit;

	emit(e, H_DSRL(y, x, 2));
	emit(e, H_ANDI(y, y, PATCH_JUMP_ENTRIES - 1));
	emit(e, H_DSLL(y, y, 4));
	/* z = PATCH_JUMPS_BASE: 0x3f001000000 = 0x03f00100 << 16 */
	emit(e, H_LUI(z, (PATCH_JUMPS_BASE >> 32) & 0xffff));
	emit(e, H_ORI(z, z, (PATCH_JUMPS_BASE >> 16) & 0xffff));
	emit(e, H_DSLL(z, z, 16));
	emit(e, H_DADDU(y, y, z));
	emit(e, H_LD(z, 0, y));
	miss = e->n;
	emit(e, H_BNE(z, x, 0));
	emit(e, H_LD(y, 8, y));
	emit(e, H_LD(x, PATCH_COMM_SPILL + 16, 0));
	emit(e, H_LD(z, PATCH_COMM_SPILL + 0, 0));
	emit(e, H_JR(y));
	emit(e, H_LD(y, PATCH_COMM_SPILL + 8, 0));
	patch_branch(e, miss, e->n);
	exit = e->n;
	emit(e, H_SYSCALL);
	emit(e, H_NOP);
	return exit;
}

/*
 * jr/jalr: the target into a scratch before the slot runs; then the
 * jump hash {guest pc -> host pc} after the code; a miss leaves with the
 * target on the commpage.
 */
static void emit_jump_reg(struct emitter *e, uint64_t bpc, const struct insn *br,
			  const struct insn *ds, enum patch_class dsc)
{
	unsigned int x = e->b->scratch[2];
	unsigned int rs = (br->raw >> 21) & 31, rd = (br->raw >> 11) & 31;

	resume_at(e, bpc, true);
	e->pc_now = bpc;
	emit(e, H_OR(x, rs, 0));
	emit(e, H_SD(x, PATCH_COMM_TARGET, 0));
	if (br->op == OP_JALR && rd)
		emit_li64(e, rd, bpc + 8);
	/*
	 * The slot may use any scratch but x (the memory rules use 0 and 1).
	 * Once it has run, a stop resumes at the target, never at the jump:
	 * the slot must not run twice.
	 */
	emit_one(e, ds, dsc);
	resume_indirect(e);
	emit_jump_hash(e);
}

/*
 * eret back to kernel mode (EXL set, ERL and KSU clear): EXL cleared on
 * the commpage, the LL bit cleared (an ll and an sc of a commpage word:
 * an sc elsewhere would leave the guest's link in place on QEMU), then on
 * to EPC through the jump hash as jr does. If the new Status lets a
 * pending interrupt in, the VMM goes on at EPC and takes it. Any other
 * eret (ERL set, or back to user or supervisor mode) goes to the core.
 */
static void emit_eret(struct emitter *e, uint64_t pc)
{
	unsigned int x = e->b->scratch[2], y = e->b->scratch[1], z = e->b->scratch[0];
	uint32_t irq;

	emit(e, H_LW(y, status_offset(), 0));
	emit(e, H_ANDI(z, y, 0x1e));		/* KSU, ERL, EXL */
	emit(e, H_XORI(z, z, 2));
	emit(e, H_BNE(z, 0, 0));
	side_exit(e, pc, true);
	/* to user mode, mvm.ko may take it from there */
	if (e->p->eret_calls)
		e->side[e->nside - 1].call = H_SYSCALL | MVM_GK_CALL_ERET << 6;
	emit(e, H_XORI(y, y, 2));		/* (slot) EXL cleared */
	emit(e, H_LD(x, cp0_offset(CP0_EPC, 0), 0));
	emit(e, H_SD(x, PATCH_COMM_TARGET, 0));
	/* the commit: a stop from here on resumes at EPC */
	emit(e, H_SW(y, status_offset(), 0));
	resume_indirect(e);
	emit(e, H_LL(z, PATCH_COMM_LLCLEAR, 0));
	emit(e, H_SC(z, PATCH_COMM_LLCLEAR, 0));
	/* with IE set, a pending interrupt: the VMM delivers it at EPC */
	irq = emit_irq_check(e, y, z, 1, 1);
	patch_branch(e, irq, emit_jump_hash(e));
}

/* --- profile ------------------------------------------------------------- */

static bool fetch_pa(struct patcher *p, uint64_t pc, uint64_t *pa);
static uint32_t guest_word(struct patcher *p, uint64_t pa);

/* A guest PC spread over n slots (Fibonacci hashing of the word index). */
static uint32_t pc_slot(uint64_t pc, uint32_t n)
{
	return (uint32_t)((pc >> 2) * 0x9e3779b1u) % n;
}

static int profile_cmp(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0;
}

static void profile_dump(struct patcher *p, struct exit_profile *pr, int cpu)
{
	uint64_t top[PROFILE_SLOTS][2], n = 0;

	for (unsigned int i = 0; i < PROFILE_SLOTS; i++)
		if (pr->slot[i].count) {
			top[n][0] = i;
			top[n++][1] = pr->slot[i].count;
		}
	qsort(top, n, sizeof(top[0]), profile_cmp);
	fprintf(stderr, "patch profile, vCPU %d, last %llu exits and steps: %llu blocks, %llu kills, %llu flushes:",
		cpu, (unsigned long long)pr->every, (unsigned long long)p->stat_blocks,
		(unsigned long long)p->stat_kills, (unsigned long long)p->stat_flushes);
	for (unsigned int i = 0; i < FLUSH_WHY_COUNT; i++)
		fprintf(stderr, " %s %llu", flush_why_names[i],
			(unsigned long long)p->stat_flush_why[i]);
	fprintf(stderr, " (so far); blocks: %llu first at their PC, %llu again after a flush, %llu again without one\n",
		(unsigned long long)pr->first, (unsigned long long)pr->after_flush,
		(unsigned long long)pr->again);
	for (uint64_t i = 0; i < n && i < 16; i++)
		fprintf(stderr, "  %8llu %c %016llx %08x\n", (unsigned long long)top[i][1],
			pr->slot[top[i][0]].kind, (unsigned long long)pr->slot[top[i][0]].pc,
			pr->slot[top[i][0]].insn);
	memset(pr->slot, 0, sizeof(pr->slot));
}

/*
 * kind: 's' stepped, 'x' block exit, 'e' exception, 'm' MMIO,
 * 'n' interrupted (a signal, the timer), 'o' an entry the VMM called off
 * (a kick, or an interrupt its core found pending),
 * 'i' indirect miss;
 * at a flush of every translation, 'f' the return address of the caller
 * of an Index I-cache op, 'w' the core's PC when it saw code written.
 */
static void profile_note(struct patcher *p, uint64_t pc, char kind)
{
	struct exit_profile *pr = p->profile;
	uint32_t h = pc_slot(pc, PROFILE_SLOTS);

	if (!pr)
		return;
	for (unsigned int i = 0; i < 8; i++, h = (h + 1) % PROFILE_SLOTS)
		if (pr->slot[h].count == 0 || (pr->slot[h].pc == pc && pr->slot[h].kind == kind)) {
			uint64_t pa;

			if (!pr->slot[h].count && fetch_pa(p, pc, &pa))
				pr->slot[h].insn = guest_word(p, pa);
			pr->slot[h].pc = pc;
			pr->slot[h].kind = kind;
			pr->slot[h].count++;
			break;
		}
	if (++pr->seen % pr->every == 0)
		profile_dump(p, pr, p->cpu->id);
}

/* Why the block at guest pc is translated: its first time, or again. */
static void profile_translation(struct patcher *p, uint64_t pc)
{
	struct exit_profile *pr = p->profile;
	uint32_t h = pc_slot(pc, PROFILE_PCS);

	if (!pr || !pr->pcs)
		return;
	for (unsigned int i = 0; i < 64; i++, h = (h + 1) % PROFILE_PCS) {
		if (pr->pcs[h].pc == pc) {
			if (pr->pcs[h].flushes != p->stat_flushes)
				pr->after_flush++;
			else
				pr->again++;
			pr->pcs[h].flushes = p->stat_flushes;
			return;
		}
		if (!pr->pcs[h].pc) {
			pr->pcs[h].pc = pc;
			pr->pcs[h].flushes = p->stat_flushes;
			pr->first++;
			return;
		}
	}
}

/* --- blocks -------------------------------------------------------------- */

static uint32_t hash_pc(uint64_t pc)
{
	return pc_slot(pc, PATCH_HASH_SIZE);
}

static void block_free(struct patch_block *b)
{
	free(b->meta);
	free(b->resume);
	free(b);
}

static uint64_t host_pc_of(uint32_t word)
{
	return PATCH_CODE_BASE + (uint64_t)word * 4;
}

static uint32_t jump_index(uint64_t pc)
{
	return (uint32_t)(pc >> 2) & (PATCH_JUMP_ENTRIES - 1);
}

/* Jump-hash entry j: {guest pc, host pc}. */
static uint64_t *jump_entry(struct patcher *p, uint32_t j)
{
	return (uint64_t *)(void *)(p->code + PATCH_CODE_SIZE / 4) + 2 * j;
}

/*
 * Empties jump-hash entry j: its tag hashes to the next entry, so no
 * target that looks here can equal it.
 */
static void jump_clear(struct patcher *p, uint32_t j)
{
	jump_entry(p, j)[0] = (uint64_t)((j + 1) & (PATCH_JUMP_ENTRIES - 1)) << 2;
	jump_entry(p, j)[1] = 0;
}

/*
 * Makes b what jr/jalr to its guest PC finds (unmapped code only: there a
 * guest PC always means the same code). Also done at every entry through
 * the VMM, so two hot targets sharing an entry take turns in it.
 */
static void jump_set(struct patcher *p, struct patch_block *b)
{
	uint32_t j = jump_index(b->guest_pc);

	if (!b->unmapped)
		return;
	jump_entry(p, j)[1] = host_pc_of(b->start);
	__atomic_store_n(&jump_entry(p, j)[0], b->guest_pc, __ATOMIC_RELEASE);
}

static void jump_hash_clear(struct patcher *p)
{
	for (uint32_t j = 0; j < PATCH_JUMP_ENTRIES; j++)
		jump_clear(p, j);
}

static void patcher__flush(struct patcher *p, enum flush_why why)
{
	p->stat_flush_why[why]++;
	for (uint32_t i = 0; i < p->nblocks; i++)
		block_free(p->blocks[i]);
	p->nblocks = 0;
	memset(p->hash, 0, sizeof(p->hash));
	memset(p->pages, 0, sizeof(p->pages));
	p->nstraddlers = 0;
	jump_hash_clear(p);
	p->used = 0;
	p->stat_flushes++;
}

static void flush_icache(struct patcher *p, uint32_t word, uint32_t n)
{
	__builtin___clear_cache((char *)(p->code + word), (char *)(p->code + word + n));
}

/* Fetch-translates pc as the core would; false: the core must run it. */
static bool fetch_pa(struct patcher *p, uint64_t pc, uint64_t *pa)
{
	bool soft_ok;

	if (pc & 3)
		return false;
	if (tlb__translate(p->cpu, pc, ACCESS_FETCH, pa, &soft_ok) != TR_OK)
		return false;
	return bus__is_ram(p->cpu->bus, *pa, 4);
}

static uint32_t guest_word(struct patcher *p, uint64_t pa)
{
	uint32_t w;

	memcpy(&w, p->cpu->bus->ram + pa, 4);
	return w;
}

/* Picks the scratch registers: ones no instruction of the block names. */
static bool pick_scratch(struct patch_block *b, uint32_t named)
{
	b->nscratch = 0;
	/* Prefer registers compilers rarely keep values in across blocks. */
	static const uint8_t order[] = { 1, 24, 25, 15, 14, 13, 12, 3, 2, 11, 10,
					 9, 8, 7, 6, 5, 4, 23, 22, 21, 20, 19,
					 18, 17, 16, 30, 28, 26, 27, 29, 31 };

	for (size_t i = 0; i < sizeof(order) && b->nscratch < PATCH_NR_SCRATCH; i++)
		if (!(named & (1u << order[i])))
			b->scratch[b->nscratch++] = order[i];
	return b->nscratch == PATCH_NR_SCRATCH;
}

/* Room for one more pointer in a growing array; false when out of memory. */
static bool reserve_one(struct patch_block ***array, uint32_t n, uint32_t *cap,
			uint32_t first)
{
	struct patch_block **grown;
	uint32_t c;

	if (n < *cap)
		return true;
	c = *cap ? 2 * *cap : first;
	grown = realloc(*array, c * sizeof(*grown));
	if (!grown)
		return false;
	*array = grown;
	*cap = c;
	return true;
}

static bool add_block(struct patcher *p, struct patch_block *b)
{
	/* Room first: a block half linked in when memory ran out would dangle. */
	if (!reserve_one(&p->blocks, p->nblocks, &p->cap_blocks, 1024) ||
	    (b->straddles &&
	     !reserve_one(&p->straddlers, p->nstraddlers, &p->cap_straddlers, 64)))
		return false;
	p->blocks[p->nblocks++] = b;
	b->next = p->hash[hash_pc(b->guest_pc)];
	p->hash[hash_pc(b->guest_pc)] = b;
	b->page_next = p->pages[(b->guest_pa >> PAGE_SHIFT) % PATCH_PAGE_HASH];
	p->pages[(b->guest_pa >> PAGE_SHIFT) % PATCH_PAGE_HASH] = b;
	if (b->straddles)
		p->straddlers[p->nstraddlers++] = b;
	jump_set(p, b);
	return true;
}

struct scan {
	struct insn in[PATCH_MAX_INSNS + 1];
	enum patch_class cls[PATCH_MAX_INSNS + 1];
	uint32_t n;		/* instructions in the block, a delay slot included */
	bool ends_in_branch;
	bool ends_in_step;	/* before an instruction the core must execute */
	bool ends_in_eret;	/* with an eret (PC_ERET) */
	bool unmapped;		/* in: the block's PC is in ckseg0/1 or xkphys */
	bool straddles;		/* out: its last delay slot is on the next page */
	uint32_t named;
};

/*
 * An ll whose sc comes after an instruction the core must execute would
 * never succeed natively: that exit clears the link every time (Linux's
 * TLB handlers run tlbp between lld and scd). Such an ll goes to the
 * core, which then runs everything up to its sc (cpu->llbit keeps patched
 * code out). Looks along the straight line only: a branch on the way
 * ends blocks that chain to each other without leaving, in unmapped code.
 * Mapped code (modules) never chains, so there the block's end is such an
 * exit too (jbd2's cmpxchg loop, lld; bne; scd, spun forever).
 */
static bool ll_needs_core(struct patcher *p, uint64_t pa, bool unmapped)
{
	uint64_t page_end = (pa | (PAGE_SIZE - 1)) + 1;
	struct insn in;

	for (pa += 4; pa < page_end; pa += 4) {
		decode(guest_word(p, pa), &in);
		if (in.op == OP_SC || in.op == OP_SCD)
			return false;
		if (in.flags & INSN_BRANCH) {
			if (unmapped || pa + 4 >= page_end)
				return !unmapped;
			decode(guest_word(p, pa + 4), &in);	/* in its delay slot */
			return in.op != OP_SC && in.op != OP_SCD;
		}
		/* mvm.ko's TLB calls go through its exception return */
		if (classify(p, &in) == PC_STEP || classify(p, &in) == PC_TLB)
			return true;
	}
	return !unmapped;
}

/* The side exits an instruction of the block's body emits. */
static unsigned int side_exits(const struct insn *in, enum patch_class c)
{
	if (c == PC_STATUS_WRITE)
		return 3;	/* a changed bit, user mode, an interrupt let in */
	return c == PC_EI || c == PC_ERET || c == PC_ICACHE_HIT || c == PC_ICACHE_INDEX ||
	       c == PC_COMPARE_ACK || c == PC_ENTRYHI_WRITE || is_linked(in);
}

/* Which instructions make the block, from pc (physical pa). */
static void scan_block(struct patcher *p, uint64_t pa, struct scan *s)
{
	uint64_t page_end = (pa | (PAGE_SIZE - 1)) + 1;
	unsigned int sides = 0;
	bool index_op = false;

	s->n = 0;
	s->ends_in_branch = false;
	s->ends_in_step = false;
	s->ends_in_eret = false;
	s->straddles = false;
	s->named = 1;		/* $zero is never a scratch */
	while (s->n < PATCH_MAX_INSNS && pa + 4 * s->n < page_end) {
		struct insn *in = &s->in[s->n];
		enum patch_class c;
		uint32_t named;

		decode(guest_word(p, pa + 4 * s->n), in);
		c = classify(p, in);
		if ((in->op == OP_LL || in->op == OP_LLD) &&
		    ll_needs_core(p, pa + 4 * s->n, s->unmapped))
			c = PC_STEP;
		/* past the block's first index op, the next ones change nothing */
		if (c == PC_ICACHE_INDEX && index_op)
			c = PC_DROP;
		index_op |= c == PC_ICACHE_INDEX;
		named = s->named | regs_named(in, c);
		if (c == PC_BRANCH || c == PC_JUMP || c == PC_JUMP_REG) {
			struct insn *ds = &s->in[s->n + 1];
			enum patch_class dc;

			/*
			 * A slot on the next page: in ckseg0/1 and xkphys that
			 * is the next physical word (the block then straddles).
			 */
			if (pa + 4 * s->n + 4 >= page_end &&
			    (!s->unmapped || !bus__is_ram(p->cpu->bus, pa + 4 * s->n + 4, 4)))
				return;
			s->straddles = pa + 4 * s->n + 4 >= page_end;
			decode(guest_word(p, pa + 4 * s->n + 4), ds);
			dc = classify(p, ds);
			if ((ds->op == OP_LL || ds->op == OP_LLD) &&
			    ll_needs_core(p, pa + 4 * s->n + 4, s->unmapped))
				return;
			named |= regs_named(ds, dc);
			if (!may_be_delay_slot(dc) || __builtin_popcount(~named) < PATCH_NR_SCRATCH ||
			    (is_linked(ds) && sides + 2 > PATCH_MAX_SIDE))
				return;
			s->cls[s->n] = c;
			s->cls[s->n + 1] = dc;
			s->n += 2;
			s->named = named;
			s->ends_in_branch = true;
			return;
		}
		if (c == PC_STEP) {
			s->ends_in_step = true;
			return;
		}
		if (__builtin_popcount(~named) < PATCH_NR_SCRATCH)
			return;
		if (c == PC_ERET) {
			if (sides + 1 > PATCH_MAX_SIDE)
				return;
			s->cls[s->n++] = c;
			s->named = named;
			s->ends_in_eret = true;
			return;
		}
		if (c == PC_WAIT) {	/* the block's exit follows it */
			s->cls[s->n++] = c;
			s->named = named;
			return;
		}
		/* side exits, two kept for an ll/sc in a last delay slot */
		sides += side_exits(in, c);
		if (sides > PATCH_MAX_SIDE - 2)
			return;
		s->cls[s->n++] = c;
		s->named = named;
	}
}

/*
 * A block that would straddle two host pages moves to the next one: a
 * host TLB refill between an ll and its sc makes the sc fail, and the
 * fewer pages a block touches, the fewer refills run through it.
 */
static void keep_on_one_page(struct patcher *p, struct patch_block *b)
{
	const uint32_t page_words = PAGE_SIZE / 4;
	uint32_t next = (b->start / page_words + 1) * page_words;

	if (b->start + b->nwords <= next || b->nwords > page_words ||
	    next + b->nwords > PATCH_CODE_SIZE / 4)
		return;
	memmove(p->code + next, p->code + b->start, b->nwords * 4);
	b->start = next;
	p->used = next;
}

static struct patch_block *translate(struct patcher *p, uint64_t pc, uint64_t pa)
{
	struct code_cache *cc = code_cache__get(p->cpu->bus);
	struct emitter *e;
	struct patch_block *b;
	struct scan s;

	if (!cc)
		return NULL;
	s.unmapped = is_unmapped_pc(pc);
	scan_block(p, pa, &s);
	if (s.n == 0)
		return NULL;
	if (p->used + PATCH_MAX_WORDS > PATCH_CODE_SIZE / 4)
		patcher__flush(p, FLUSH_FULL);
	b = calloc(1, sizeof(*b));
	e = calloc(1, sizeof(*e));
	if (!b || !e) {
		free(b);
		free(e);
		return NULL;
	}
	code_cache__mark(cc, pa);
	/* Its delay slot's page holds its code too (a Hit op there kills it). */
	if (s.straddles)
		code_cache__mark(cc, (pa | (PAGE_SIZE - 1)) + 1);
	b->guest_pc = pc;
	b->guest_pa = pa;
	b->start = p->used;
	b->unmapped = s.unmapped;
	b->straddles = s.straddles;
	if (s.ends_in_step && s.n < CORE_RUN_MAX)
		b->core_run = (uint8_t)(s.n + 1);
	/*
	 * Entered from the VMM, a short return path runs in the core too: an
	 * eret to user mode would leave patched code right away anyway.
	 */
	if (s.ends_in_eret && s.n <= CORE_RUN_MAX && !p->eret_calls)
		b->core_run = (uint8_t)s.n;
	pick_scratch(b, s.named);
	e->p = p;
	e->b = b;
	e->w = p->code + p->used;

	e->cur = RESUME_PROLOGUE;
	for (unsigned int i = 0; i < b->nscratch; i++)
		emit(e, H_SD(b->scratch[i], PATCH_COMM_SPILL + 8 * i, 0));
	for (uint32_t i = 0; i < s.n; i++) {
		uint64_t ipc = pc + 4 * i;

		resume_at(e, ipc, true);
		e->pc_now = ipc;
		switch (s.cls[i]) {
		case PC_BRANCH:
			emit_branch(e, ipc, &s.in[i], &s.in[i + 1], s.cls[i + 1]);
			i = s.n;
			break;
		case PC_JUMP:
			emit_jump(e, ipc, &s.in[i], &s.in[i + 1], s.cls[i + 1]);
			i = s.n;
			break;
		case PC_JUMP_REG:
			emit_jump_reg(e, ipc, &s.in[i], &s.in[i + 1], s.cls[i + 1]);
			i = s.n;
			break;
		case PC_EI:
			emit_ei(e, &s.in[i], ipc);
			break;
		case PC_STATUS_WRITE:
			emit_status_write(e, &s.in[i], ipc);
			break;
		case PC_ERET:
			emit_eret(e, ipc);
			break;
		case PC_ENTRYHI_WRITE:
			emit_entryhi_write(e, &s.in[i], ipc);
			break;
		case PC_TLB:
			/* declined, the syscall is a step (patcher__resume) */
			emit(e, tlb_call(&s.in[i]));
			break;
		case PC_WAIT:
			emit_wait(e, ipc);
			break;
		default:
			emit_one(e, &s.in[i], s.cls[i]);
			break;
		}
	}
	if (!s.ends_in_branch && !s.ends_in_eret)
		emit_exit(e, pc + 4 * s.n);
	/* An interrupt ei let through: always back to the VMM, which takes it. */
	for (unsigned int i = 0; i < e->nside; i++) {
		patch_branch(e, e->side[i].branch, e->n);
		emit_exit_call(e, e->side[i].target, false, e->side[i].step, e->side[i].call);
	}
	if (e->overflow) {
		free(e);
		free(b);
		return NULL;
	}
	b->nwords = e->n;
	b->nresume = e->nresume;
	keep_on_one_page(p, b);
	b->meta = malloc(e->n);
	b->resume = malloc(sizeof(uint64_t) * (e->nresume ? e->nresume : 1));
	if (!b->meta || !b->resume || !add_block(p, b)) {
		block_free(b);
		free(e);
		return NULL;
	}
	memcpy(b->meta, e->meta, e->n);
	memcpy(b->resume, e->resume, sizeof(uint64_t) * e->nresume);
	p->used += e->n;
	flush_icache(p, b->start, b->nwords);
	p->stat_blocks++;
	profile_translation(p, pc);
	free(e);
	return b;
}

static struct patch_block *lookup(struct patcher *p, uint64_t pc, uint64_t pa)
{
	for (struct patch_block *b = p->hash[hash_pc(pc)]; b; b = b->next)
		if (b->guest_pc == pc && b->guest_pa == pa)
			return b;
	return NULL;
}

/*
 * Drops b: nothing finds it any more, and its first word becomes an exit,
 * so jumps already chained to it leave for the VMM, which translates the
 * code afresh. Its words stay until the next flush.
 */
static void block_kill(struct patcher *p, struct patch_block *b)
{
	struct patch_block **pp = &p->hash[hash_pc(b->guest_pc)];
	uint32_t j = jump_index(b->guest_pc);

	while (*pp && *pp != b)
		pp = &(*pp)->next;
	if (*pp)
		*pp = b->next;
	if (jump_entry(p, j)[1] == host_pc_of(b->start))
		jump_clear(p, j);
	p->code[b->start] = H_SYSCALL;
	flush_icache(p, b->start, 1);
	b->dead = true;
	p->stat_kills++;
}

/* The translations of guest page pa: the guest says its code changed. */
static void invalidate_page(struct patcher *p, uint64_t pa)
{
	struct patch_block **pp = &p->pages[(pa >> PAGE_SHIFT) % PATCH_PAGE_HASH];

	/* Blocks whose delay slot is on this page (they stay in their page's chain). */
	for (uint32_t i = 0; i < p->nstraddlers; i++) {
		struct patch_block *b = p->straddlers[i];

		if (((b->guest_pa >> PAGE_SHIFT) + 1) == (pa >> PAGE_SHIFT) && !b->dead)
			block_kill(p, b);
	}

	while (*pp) {
		struct patch_block *b = *pp;

		if ((b->guest_pa >> PAGE_SHIFT) == (pa >> PAGE_SHIFT)) {
			*pp = b->page_next;
			if (!b->dead)
				block_kill(p, b);
		} else {
			pp = &b->page_next;
		}
	}
}

/* Code changed since the last look (a store the core saw, DMA): start over. */
static void check_invalidations(struct patcher *p)
{
	struct code_cache *cc = p->cpu->bus->code;
	uint64_t now;

	if (!cc)
		return;
	now = atomic_load(&cc->invalidations);
	if (now != p->invalidations_seen) {
		p->invalidations_seen = now;
		if (p->nblocks) {
			/* Near the store that did it, when the core made it. */
			profile_note(p, p->cpu->pc, 'w');
			patcher__flush(p, FLUSH_WRITTEN);
		}
	}
}

uint64_t patcher__enter(struct patcher *p)
{
	uint64_t pc = p->cpu->pc, pa;
	struct patch_block *b;

	check_invalidations(p);
	p->core_run = 1;
	if (!fetch_pa(p, pc, &pa))
		return 0;
	b = lookup(p, pc, pa);
	if (!b)
		b = translate(p, pc, pa);
	if (!b)
		return 0;
	jump_set(p, b);
	if (b->core_run) {
		p->core_run = b->core_run;
		p->stat_core_runs++;
		return 0;
	}
	return host_pc_of(b->start);
}

void patcher__run_core(struct patcher *p)
{
	struct cpu *cpu = p->cpu;
	uint32_t n = p->core_run;
	uint64_t next = cpu->pc;

	do {
		patcher__step(p);
		next += 4;
	} while (--n && cpu->pc == next && cpu__native_kernel_ready(cpu));
}

/* The block holding host word w (blocks are in host order). */
static struct patch_block *block_at(struct patcher *p, uint32_t w)
{
	uint32_t lo = 0, hi = p->nblocks;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		struct patch_block *b = p->blocks[mid];

		if (w < b->start)
			hi = mid;
		else if (w >= b->start + b->nwords)
			lo = mid + 1;
		else
			return b;
	}
	return NULL;
}

/* A block exit at stub: link it straight to the target's block when safe. */
static void chain(struct patcher *p, struct patch_block *b, uint32_t word, uint64_t target)
{
	struct patch_block *t;
	uint64_t pa;

	if (!b->unmapped || !is_unmapped_pc(target) || !fetch_pa(p, target, &pa))
		return;
	t = lookup(p, target, pa);
	if (!t) {
		uint64_t flushes = p->stat_flushes;

		t = translate(p, target, pa);
		/* translate() may have flushed everything, b included. */
		if (p->stat_flushes != flushes)
			return;
	}
	if (!t)
		return;
	p->code[b->start + word] = H_J(host_pc_of(t->start));
	flush_icache(p, b->start + word, 1);
	p->stat_chains++;
}

bool patcher__resume(struct patcher *p, uint64_t host_pc, bool syscall,
		     char why, uint64_t gpr[32], struct patch_resume *r)
{
	struct patch_block *b;
	bool chainable = false, step = false;
	uint32_t w, word;
	uint8_t meta;

	p->native_wrote = true;
	if (host_pc < PATCH_CODE_BASE || host_pc & 3 ||
	    host_pc >= PATCH_CODE_BASE + (uint64_t)p->used * 4)
		return false;
	w = (uint32_t)((host_pc - PATCH_CODE_BASE) / 4);
	b = block_at(p, w);
	if (!b)
		return false;
	word = w - b->start;
	meta = b->meta[word];
	r->exit_stub = false;
	r->step = false;
	if (b->dead && word == 0) {
		/* An invalidated block's entry: translate the code again. */
		r->pc = b->guest_pc;
		r->exit_stub = syscall;
		sync_out(p);
		return true;
	}
	if ((meta & META_INDEX) == RESUME_PROLOGUE) {
		r->pc = b->guest_pc;
	} else if ((meta & META_INDEX) == RESUME_INDIRECT) {
		r->pc = *comm64(p, PATCH_COMM_TARGET);
		r->exit_stub = syscall;
	} else {
		r->pc = b->resume[meta & META_INDEX];
		for (uint32_t i = 0; i < b->nstubs; i++)
			if (b->stubs[i].word == word && syscall) {
				r->exit_stub = true;
				chainable = b->stubs[i].chainable;
				step = b->stubs[i].step;
			}
	}
	if (meta & META_SPILLED)
		for (unsigned int i = 0; i < b->nscratch; i++)
			gpr[b->scratch[i]] = *comm64(p, PATCH_COMM_SPILL + 8 * i);
	gpr[0] = 0;
	sync_out(p);
	profile_note(p, r->pc, (meta & META_INDEX) == RESUME_INDIRECT ? 'i' :
			       r->exit_stub ? 'x' : why);
	/* A syscall that is not an exit stub is not ours: the core decides. */
	r->step = (syscall && !r->exit_stub) || step;
	if (chainable)
		chain(p, b, word, r->pc);
	return true;
}

void patcher__host_is_r1(struct patcher *p)
{
	p->host_r1 = true;
}

void patcher__use_tlb_calls(struct patcher *p)
{
	p->tlb_calls = true;
}

void patcher__stop_tlb_calls(struct patcher *p)
{
	if (!p->tlb_calls)
		return;
	p->tlb_calls = false;
	if (p->nblocks)
		patcher__flush(p, FLUSH_MODE);
}

void patcher__use_asid_calls(struct patcher *p)
{
	p->asid_calls = true;
}

void patcher__use_eret_calls(struct patcher *p)
{
	p->eret_calls = true;
}

void patcher__use_timer_calls(struct patcher *p)
{
	p->timer_calls = true;
}

void patcher__use_wait_calls(struct patcher *p)
{
	p->wait_calls = true;
}

void patcher__user_exit(struct patcher *p)
{
	p->native_wrote = true;
	sync_out(p);
}

uint64_t patcher__take_tlb_written(struct patcher *p)
{
	uint64_t written = p->tlb_written;

	p->tlb_written = 0;
	return written;
}

void patcher__use_host_count(struct patcher *p)
{
	p->host_count = true;
}

/*
 * The host PC of the translated exception vector at EBase + offset, for
 * mvm.ko to deliver guest user-mode exceptions to; 0 while it has no
 * translation or the boot vectors (BEV) are in use. Looked up only:
 * translating here could flush the block the caller is about to enter.
 */
static uint64_t vector_host_pc(struct patcher *p, uint64_t offset)
{
	uint64_t pc = (p->cpu->cp0.ebase & ~0xfffull) + offset, pa;
	struct patch_block *b;

	if (p->cpu->cp0.status & ST_BEV || !fetch_pa(p, pc, &pa))
		return 0;
	b = lookup(p, pc, pa);
	return b ? host_pc_of(b->start) : 0;
}

void patcher__sync_in(struct patcher *p)
{
	struct cpu *cpu = p->cpu;

	/*
	 * Count = the host's + count_offset exactly: an offset taken from two
	 * reads a few ticks apart would let Count step back across an entry.
	 */
	if (p->host_count)
		*comm64(p, PATCH_COMM_COUNT) = (uint32_t)cpu->cp0.count_offset;
	*comm64(p, PATCH_COMM_FLUSHED) = p->index_flushed;
	p->index_flushed = false;
	p->status_in = cpu->cp0.status;
	p->cause_in = cpu->cp0.cause;
	*comm64(p, PATCH_COMM_ENTRYHI_MASK) = ENTRYHI_WRITABLE;
	*comm64(p, MVM_GK_COMM_RANDOM) = cpu->cp0.random_seed;
	*comm64(p, MVM_GK_COMM_VEC_GENERAL) = vector_host_pc(p, 0x180);
	*comm64(p, MVM_GK_COMM_VEC_REFILL) = vector_host_pc(p, 0x080);
	*comm64(p, MVM_GK_COMM_VEC_INTERRUPT) = vector_host_pc(p, 0x200);

	for (size_t i = 0; i < sizeof(cp0_slots) / sizeof(cp0_slots[0]); i++) {
		unsigned int reg = cp0_slots[i].regsel >> 3, sel = cp0_slots[i].regsel & 7;

		*comm64(p, (uint32_t)cp0_offset(reg, sel)) = cp0__read(cpu, (int)reg, (int)sel);
	}
}

/*
 * What mvm.ko's tlbp/tlbr/tlbwi/tlbwr changed (emitted as PC_TLB): Index,
 * tlbwr's seed and the entries written; tlbr's registers are writable
 * slots, taken with the others.
 */
static void take_tlb_calls(struct patcher *p)
{
	struct cpu *cpu = p->cpu;
	uint64_t written = *comm64(p, MVM_GK_COMM_TLB_WRITTEN);

	cpu->cp0.index = *comm64(p, (uint32_t)cp0_offset(CP0_INDEX, 0)) &
			 ((1ull << 31) | (CPU_TLB_ENTRIES - 1));
	cpu->cp0.random_seed = *comm64(p, MVM_GK_COMM_RANDOM);
	for (uint64_t w = written; w; w &= w - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(w);
		const uint64_t *t = comm64(p, (uint32_t)MVM_GK_COMM_TLB(i));

		tlb__write_entry(cpu, i, t[0], t[1], t[2], t[3]);
	}
	p->tlb_written |= written;
	*comm64(p, MVM_GK_COMM_TLB_WRITTEN) = 0;
}

/*
 * mvm.ko took a guest user-mode exception into patched code
 * (MVM_CAP_GUEST_KERNEL_DELIVER): the registers it set that are no
 * writable slots. EPC, EntryHi and Status.EXL come with the others.
 */
static void take_delivery(struct patcher *p)
{
	struct cp0 *c = &p->cpu->cp0;
	uint64_t cause = *comm64(p, (uint32_t)cp0_offset(CP0_CAUSE, 0));
	const uint64_t set = CAUSE_EXC | CAUSE_BD | CAUSE_CE;

	c->cause = (c->cause & ~set) | (cause & set);
	c->badvaddr = *comm64(p, (uint32_t)cp0_offset(CP0_BADVADDR, 0));
	c->context = *comm64(p, (uint32_t)cp0_offset(CP0_CONTEXT, 0));
	c->xcontext = *comm64(p, (uint32_t)cp0_offset(CP0_XCONTEXT, 0));
	p->cpu->exc_count++;
	*comm64(p, MVM_GK_COMM_DELIVERED) = 0;
}

/*
 * mvm.ko took a new Compare (MVM_GK_CALL_COMPARE): the value, the ack, and
 * the Count it was written at, from which the core's timer counts.
 */
static void take_compare(struct patcher *p)
{
	cp0__write_compare_at(p->cpu, *comm64(p, (uint32_t)cp0_offset(CP0_COMPARE, 0)),
			      (uint32_t)*comm64(p, MVM_GK_COMM_COMPARE_COUNT));
	*comm64(p, MVM_GK_COMM_COMPARE_WRITTEN) = 0;
}

/* The commpage's CP0 -> the core: what di/ei and 1:1 writes changed. */
static void sync_out(struct patcher *p)
{
	struct cpu *cpu = p->cpu;
	uint64_t st = *comm64(p, (uint32_t)status_offset());
	uint64_t changed = (st ^ p->status_in) & STATUS_NATIVE_MASK;
	bool raised = *comm64(p, MVM_GK_COMM_TIMER_RAISED);

	/*
	 * What patched code changed since sync_in, and only that: the core
	 * may have raised Cause.TI since (cpu__poll before the run).
	 */
	if (changed)	/* di, ei, mtc0 Status (emit_status_write) */
		cp0__write(cpu, CP0_STATUS, 0, (cpu->cp0.status & ~changed) | (st & changed));
	/*
	 * mvm.ko raised the timer interrupt (and delivered it), as the core's
	 * check would have at that Count.
	 */
	if (raised) {
		cpu->cp0.cause |= CAUSE_TIMER;
		cpu->timer_last = (uint32_t)*comm64(p, MVM_GK_COMM_TIMER_COUNT);
		*comm64(p, MVM_GK_COMM_TIMER_RAISED) = 0;
	}
	/* Compare rewritten with its value (emit_compare_ack): the core's too */
	if (((p->cause_in & CAUSE_TI) || raised) &&
	    !(*comm64(p, (uint32_t)cp0_offset(CP0_CAUSE, 0)) & CAUSE_TI))
		cp0__write(cpu, CP0_COMPARE, 0, cpu->cp0.compare);
	for (size_t i = 0; i < sizeof(cp0_slots) / sizeof(cp0_slots[0]); i++) {
		unsigned int reg = cp0_slots[i].regsel >> 3, sel = cp0_slots[i].regsel & 7;
		uint64_t v = *comm64(p, (uint32_t)cp0_offset(reg, sel));

		if (cp0_slots[i].writable && v != cp0__read(cpu, (int)reg, (int)sel))
			cp0__write(cpu, (int)reg, (int)sel, v);
	}
	if (p->tlb_calls)
		take_tlb_calls(p);
	if (*comm64(p, MVM_GK_COMM_DELIVERED))
		take_delivery(p);
	if (*comm64(p, MVM_GK_COMM_COMPARE_WRITTEN))
		take_compare(p);
}

/* cache with an I-cache op, or synci: the guest says code changed. */
static bool is_code_op(const struct insn *in)
{
	return (in->op == OP_CACHE && is_icache_op(in->raw)) || in->op == OP_SYNCI;
}

/* An index op names no address: everything written natively may be code. */
static bool is_index_op(const struct insn *in)
{
	return in->op == OP_CACHE && ((in->raw >> 18) & 7) < 4;
}

void patcher__step(struct patcher *p)
{
	struct cpu *cpu = p->cpu;
	struct insn in = { 0 }, ds;
	uint64_t pa, va = 0;
	bool code_op = false, soft_ok;

	if (fetch_pa(p, cpu->pc, &pa)) {
		decode(guest_word(p, pa), &in);
		if (!is_code_op(&in) && (in.flags & INSN_BRANCH) &&
		    fetch_pa(p, cpu->pc + 4, &pa)) {
			decode(guest_word(p, pa), &ds);
			in = ds;
		}
		code_op = is_code_op(&in);
		va = cpu->gpr[in.rs] + (uint64_t)in.imm;
	}
	p->stat_steps++;
	profile_note(p, cpu->pc, 's');
	cpu__step(cpu);
	if (!code_op)
		return;
	/* The core's own translations of code written natively go too. */
	if (is_index_op(&in)) {
		if (p->nblocks) {
			profile_note(p, cpu->gpr[31], 'f');	/* who blasts */
			patcher__flush(p, FLUSH_INDEX_OP);
		}
		p->index_flushed = true;
		if (p->native_wrote)
			code_cache__invalidate(cpu->bus, 0, cpu->bus->ram_size);
		p->native_wrote = false;
	} else if (tlb__translate(cpu, va, ACCESS_LOAD, &pa, &soft_ok) == TR_OK) {
		struct code_cache *cc = cpu->bus->code;
		uint64_t before = cc ? atomic_load(&cc->invalidations) : 0;

		invalidate_page(p, pa);
		code_cache__invalidate(cpu->bus, pa & ~63ull, 64);
		/* Our own invalidation needs no flush at the next entry. */
		if (cc && p->invalidations_seen == before)
			p->invalidations_seen = atomic_load(&cc->invalidations);
	} else if (p->nblocks) {
		patcher__flush(p, FLUSH_UNMAPPED_OP);
	}
}

static void segments_init(struct patcher *p)
{
	for (unsigned int sel = 0; sel < 32; sel++) {
		uint64_t base = GK_INVALID_BASE;

		if (sel == 0)
			base = 0;				/* xuseg */
		else if (sel >= 16 && sel <= 23)
			base = GK_PHYS_BASE;			/* xkphys, any CCA */
		else if (sel == 24)
			base = GK_XKSEG_BASE;			/* xkseg */
		else if (sel == 31)
			base = GK_CKSEG_BASE - CKSEG_LOW40;	/* ckseg0..3 */
		*comm64(p, PATCH_COMM_SEGMENTS + 8 * sel) = base;
	}
}

struct patcher *patcher__create(struct cpu *cpu, uint8_t *comm, uint32_t *code)
{
	struct patcher *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->cpu = cpu;
	p->comm = comm;
	p->code = code;
	if (getenv("MVM_PATCH_PROFILE")) {
		p->profile = calloc(1, sizeof(*p->profile));
		if (p->profile) {
			p->profile->every = strtoull(getenv("MVM_PATCH_PROFILE"), NULL, 0) ?: 100000;
			p->profile->pcs = calloc(PROFILE_PCS, sizeof(*p->profile->pcs));
		}
	}
	segments_init(p);
	jump_hash_clear(p);
	/* The code map patched I-cache ops look at: the core's code pages. */
	if (!code_cache__get(cpu->bus) ||
	    code_cache__add_mirror(cpu->bus->code, codemap(p), PATCH_CODEMAP_BYTES * 8ull)) {
		if (p->profile)
			free(p->profile->pcs);
		free(p->profile);
		free(p);
		return NULL;
	}
	if (cpu->bus->code)
		p->invalidations_seen = atomic_load(&cpu->bus->code->invalidations);
	return p;
}

void patcher__destroy(struct patcher *p)
{
	if (!p)
		return;
	code_cache__remove_mirror(p->cpu->bus->code, codemap(p));
	for (uint32_t i = 0; i < p->nblocks; i++)
		block_free(p->blocks[i]);
	free(p->blocks);
	free(p->straddlers);
	if (p->profile)
		free(p->profile->pcs);
	free(p->profile);
	free(p);
}

void patcher__stats(const struct patcher *p, char *buf, size_t len)
{
	snprintf(buf, len, "%llu blocks translated, %llu chained exits, %llu flushes, %llu steps, %llu short blocks run by the core",
		 (unsigned long long)p->stat_blocks, (unsigned long long)p->stat_chains,
		 (unsigned long long)p->stat_flushes, (unsigned long long)p->stat_steps,
		 (unsigned long long)p->stat_core_runs);
}
