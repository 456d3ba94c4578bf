// SPDX-License-Identifier: GPL-2.0
/*
 * CP0 register semantics: which bits exist, which are writable, and what a
 * write sets in motion. The identity (PRId, Config0-4) is what the stock
 * Debian mips64r2el kernel accepts; see Documentation/design.md.
 */
#include "cpu_internal.h"

#define PRID_MIPS_GENERIC	0x00010000ull
/* M, AT = MIPS64 with all segments, AR = Release 2, MT = TLB, K0 = cacheable */
#define CONFIG0_RESET		0x80004483ull
#define CONFIG0_K0		0x7ull
/* 64 TLB entries; I and D: 128 sets x 32-byte lines x 4 ways = 16 KiB, 4 KiB a way */
#define CONFIG1_VALUE		((1ull << 31) | (63ull << 25) | \
				 (1ull << 22) | (4ull << 19) | (3ull << 16) | \
				 (1ull << 13) | (4ull << 10) | (3ull << 7))
#define CONFIG2_VALUE		(1ull << 31)
/* M (Config4 follows), ULRI: UserLocal for the TLS rdhwr $29 */
#define CONFIG3_VALUE		((1ull << 31) | (1ull << 13))
#define CONFIG3_CMGCR		(1ull << 29)
/* KScratch registers at select 2 and 3 */
#define CONFIG4_VALUE		(0x0cull << 16)

#define STATUS_WRITABLE		(ST_CU0 | (1ull << 27) | (1ull << 25) | ST_BEV | \
				 ST_SR | ST_NMI | ST_IM | ST_KX | ST_SX | ST_UX | \
				 ST_KSU | ST_ERL | ST_EXL | ST_IE)
#define CAUSE_WRITABLE		(CAUSE_IV | (1ull << 22) | (3ull << 8))
#define PAGEMASK_WRITABLE	0x1fffe000ull
#define ENTRYLO_WRITABLE	0x3fffffffull
#define CONTEXT_WRITABLE	(~0ull << 23)
#define XCONTEXT_WRITABLE	(~0ull << (CPU_SEGBITS - 7))
#define HWRENA_WRITABLE		(0xfull | (1ull << 29))
#define INTCTL_IPTI		(7ull << 29)
#define EBASE_WRITABLE		0x3ffff000ull

void cpu__set_cm_gcr_base(struct cpu *cpu, uint64_t gcr_pa)
{
	cpu->cm_gcr_pa = gcr_pa;
	cpu->cp0.cmgcrbase = gcr_pa >> 4;
	if (gcr_pa)
		cpu->cp0.config[3] |= CONFIG3_CMGCR;
	else
		cpu->cp0.config[3] &= ~CONFIG3_CMGCR;
}

void cpu__share_count(struct cpu *cpu, const struct cpu *leader)
{
	cpu->count_shared = true;
	cpu->shared_count_offset = leader->cp0.count_offset;
	cpu->cp0.count_offset = cpu->shared_count_offset;
	cpu->timer_last = cpu__count(cpu);
}

void cp0__reset(struct cpu *cpu)
{
	struct cp0 *c = &cpu->cp0;
	struct cp0 fresh = { 0 };

	*c = fresh;
	c->prid = PRID_MIPS_GENERIC;
	c->config[0] = CONFIG0_RESET;
	c->config[1] = CONFIG1_VALUE;
	c->config[2] = CONFIG2_VALUE;
	c->config[3] = CONFIG3_VALUE;
	c->config[4] = CONFIG4_VALUE;
	c->status = ST_BEV | ST_ERL;
	c->intctl = INTCTL_IPTI;
	c->ebase = 0xffffffff80000000ull | (uint64_t)(cpu->id & 0x3ff);
	c->wired = 0;
	c->random_seed = 0x12345678u + (uint64_t)cpu->id;
	c->count_offset = cpu->count_shared ? cpu->shared_count_offset :
					      -cpu__host_count(cpu);
	cpu__set_cm_gcr_base(cpu, cpu->cm_gcr_pa);
}

static uint64_t cp0__random(struct cpu *cpu)
{
	uint64_t wired = cpu->cp0.wired, span;

	if (wired >= CPU_TLB_ENTRIES)
		return CPU_TLB_ENTRIES - 1;
	/* A xorshift step: the guest only needs values in [Wired, 63]. */
	cpu->cp0.random_seed ^= cpu->cp0.random_seed << 13;
	cpu->cp0.random_seed ^= cpu->cp0.random_seed >> 7;
	cpu->cp0.random_seed ^= cpu->cp0.random_seed << 17;
	span = CPU_TLB_ENTRIES - wired;
	return wired + cpu->cp0.random_seed % span;
}

uint64_t cp0__read(struct cpu *cpu, int reg, int sel)
{
	struct cp0 *c = &cpu->cp0;

	switch (reg * 8 + sel) {
	case CP0_INDEX * 8: return c->index;
	case CP0_RANDOM * 8: return cp0__random(cpu);
	case CP0_ENTRYLO0 * 8: return c->entrylo[0];
	case CP0_ENTRYLO1 * 8: return c->entrylo[1];
	case CP0_CONTEXT * 8: return c->context;
	case CP0_CONTEXT * 8 + 2: return c->userlocal;
	case CP0_PAGEMASK * 8: return c->pagemask;
	case CP0_WIRED * 8: return c->wired;
	case CP0_HWRENA * 8: return c->hwrena;
	case CP0_BADVADDR * 8: return c->badvaddr;
	case CP0_COUNT * 8: return (uint64_t)(int64_t)(int32_t)cpu__count(cpu);
	case CP0_ENTRYHI * 8: return c->entryhi;
	case CP0_COMPARE * 8: return (uint64_t)(int64_t)(int32_t)c->compare;
	case CP0_STATUS * 8: return c->status;
	case CP0_STATUS * 8 + 1: return c->intctl;
	case CP0_STATUS * 8 + 2: return c->srsctl;
	case CP0_CAUSE * 8:
		cpu__poll_timer(cpu);
		return c->cause;
	case CP0_EPC * 8: return c->epc;
	case CP0_PRID * 8: return c->prid;
	case CP0_PRID * 8 + 1: return c->ebase;
	case CP0_PRID * 8 + 3: return c->cmgcrbase;
	case CP0_CONFIG * 8 ... CP0_CONFIG * 8 + 7: return c->config[sel];
	case CP0_LLADDR * 8: return cpu->ll_pa >> 4;
	case CP0_XCONTEXT * 8: return c->xcontext;
	case CP0_ERROREPC * 8: return c->errorepc;
	case CP0_DESAVE * 8: return c->desave;
	case CP0_DESAVE * 8 + 2 ... CP0_DESAVE * 8 + 7: return c->kscratch[sel];
	default:
		/* Unimplemented registers read as zero, as on QEMU's generic CPU. */
		return 0;
	}
}

static void cp0__write_count(struct cpu *cpu, uint64_t value)
{
	/* A match before the write still counts; the jump itself is no match. */
	cpu__poll_timer(cpu);
	if (!cpu->count_shared)
		cpu->cp0.count_offset = (uint32_t)value - cpu__host_count(cpu);
	cpu->timer_last = cpu__count(cpu);
}

void cp0__write_compare_at(struct cpu *cpu, uint64_t value, uint32_t count)
{
	cpu->cp0.compare = (uint32_t)value;
	cpu->cp0.cause &= ~CAUSE_TIMER;
	cpu->timer_last = count;
}

bool cp0__write(struct cpu *cpu, int reg, int sel, uint64_t v)
{
	struct cp0 *c = &cpu->cp0;

	switch (reg * 8 + sel) {
	case CP0_INDEX * 8:
		c->index = (c->index & (1ull << 31)) | (v & (CPU_TLB_ENTRIES - 1));
		return false;
	case CP0_ENTRYLO0 * 8: c->entrylo[0] = v & ENTRYLO_WRITABLE; return false;
	case CP0_ENTRYLO1 * 8: c->entrylo[1] = v & ENTRYLO_WRITABLE; return false;
	case CP0_CONTEXT * 8:
		c->context = (c->context & ~CONTEXT_WRITABLE) | (v & CONTEXT_WRITABLE);
		return false;
	case CP0_CONTEXT * 8 + 2: c->userlocal = v; return false;
	case CP0_PAGEMASK * 8: c->pagemask = v & PAGEMASK_WRITABLE; return false;
	case CP0_WIRED * 8: c->wired = v & (CPU_TLB_ENTRIES - 1); return false;
	case CP0_HWRENA * 8: c->hwrena = v & HWRENA_WRITABLE; return false;
	case CP0_COUNT * 8: cp0__write_count(cpu, v); return true;
	case CP0_ENTRYHI * 8:
		v &= ENTRYHI_WRITABLE;
		if ((v ^ c->entryhi) & ENTRYHI_ASID)
			tlb__flush_soft_mapped(cpu);
		c->entryhi = v;
		return true;
	case CP0_COMPARE * 8: cp0__write_compare_at(cpu, v, cpu__count(cpu)); return true;
	case CP0_STATUS * 8: {
		uint64_t old = c->status;

		c->status = (c->status & ~STATUS_WRITABLE) | (v & STATUS_WRITABLE);
		/*
		 * UX/SX/KX decide which segments exist and ERL unmaps useg:
		 * translations cached under the old values must go.
		 */
		if ((old ^ c->status) & (ST_UX | ST_SX | ST_KX | ST_ERL))
			tlb__flush_soft(cpu);
		cpu__update_mode(cpu);
		return true;
	}
	case CP0_STATUS * 8 + 1:
		c->intctl = INTCTL_IPTI | (v & (0x1full << 5));
		return false;
	case CP0_CAUSE * 8:
		c->cause = (c->cause & ~CAUSE_WRITABLE) | (v & CAUSE_WRITABLE);
		return true;
	case CP0_EPC * 8: c->epc = v; return false;
	case CP0_PRID * 8 + 1:
		c->ebase = 0xffffffff80000000ull | (v & EBASE_WRITABLE) |
			   (uint64_t)(cpu->id & 0x3ff);
		return false;
	case CP0_CONFIG * 8:
		c->config[0] = (c->config[0] & ~CONFIG0_K0) | (v & CONFIG0_K0);
		return false;
	case CP0_XCONTEXT * 8:
		c->xcontext = (c->xcontext & ~XCONTEXT_WRITABLE) | (v & XCONTEXT_WRITABLE);
		return false;
	case CP0_ERROREPC * 8: c->errorepc = v; return false;
	case CP0_DESAVE * 8: c->desave = v; return false;
	case CP0_DESAVE * 8 + 2 ... CP0_DESAVE * 8 + 7: c->kscratch[sel] = v; return false;
	default:
		/* Read-only and unimplemented registers ignore writes. */
		return false;
	}
}
