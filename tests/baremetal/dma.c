// SPDX-License-Identifier: GPL-2.0
/*
 * Code brought in by a device: a minimal virtio-blk (virtio-mmio v2) driver
 * reads a sector that holds instructions over code that already ran, then
 * the program flushes the range (synci, cache Hit_Invalidate_I) as Linux
 * does before executing a page read from disk, and runs it: the new code
 * must run. Needs `--disk` with the image `run` makes (sector 0 = code).
 */
#include "asm.h"

const char *bm_name = "dma";

#define VIRTIO_BASE	0xffffffffbe010000ULL	/* slot n at + n * 0x1000 */
#define VIRTIO_SLOTS	8
#define CODE_PA		0x01400000ULL
#define RING_PA		0x01500000ULL
#define REQ_PA		0x01502000ULL
#define QSIZE		8

enum {
	MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEV_FEATURES = 0x010,
	DEV_FEATURES_SEL = 0x014, DRV_FEATURES = 0x020, DRV_FEATURES_SEL = 0x024,
	QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_READY = 0x044,
	QUEUE_NOTIFY = 0x050, INT_STATUS = 0x060, INT_ACK = 0x064, STATUS = 0x070,
	QUEUE_DESC = 0x080, QUEUE_AVAIL = 0x090, QUEUE_USED = 0x0a0,
};

struct desc { u64 addr; u32 len; uint16_t flags, next; };

static u64 dev;

static u32 rd(u32 reg) { return rd32(dev + reg); }
static void wr(u32 reg, u32 v) { wr32(dev + reg, v); }
static void wr64x(u32 reg, u64 v) { wr(reg, (u32)v); wr(reg + 4, (u32)(v >> 32)); }

static bool blk_init(void)
{
	int i;

	for (i = 0; i < VIRTIO_SLOTS; i++) {
		u64 base = VIRTIO_BASE + (u64)i * 0x1000;

		exc_reset();
		if (f_lw(base + MAGIC, 0) == 0x74726976 && !exc_n &&
		    rd32(base + VERSION) == 2 && rd32(base + DEVICE_ID) == 2) {
			dev = base;
			break;
		}
	}
	exc_reset();
	if (!dev)
		return false;
	wr(STATUS, 0);
	wr(STATUS, 1 | 2);				/* ACKNOWLEDGE | DRIVER */
	wr(DRV_FEATURES_SEL, 1);
	wr(DRV_FEATURES, 1);				/* VIRTIO_F_VERSION_1 */
	wr(DRV_FEATURES_SEL, 0);
	wr(DRV_FEATURES, 0);
	wr(STATUS, 1 | 2 | 8);				/* FEATURES_OK */
	if (!(rd(STATUS) & 8))
		return false;
	memset((void *)(uintptr_t)KSEG0(RING_PA), 0, 0x2000);
	wr(QUEUE_SEL, 0);
	if (rd(QUEUE_NUM_MAX) < QSIZE)
		return false;
	wr(QUEUE_NUM, QSIZE);
	wr64x(QUEUE_DESC, RING_PA);
	wr64x(QUEUE_AVAIL, RING_PA + 0x1000);
	wr64x(QUEUE_USED, RING_PA + 0x1800);
	wr(QUEUE_READY, 1);
	wr(STATUS, 1 | 2 | 8 | 4);			/* DRIVER_OK */
	return true;
}

/* Reads sector 0 into physical `pa` (512 bytes); returns the status byte or -1. */
static int blk_read0(u64 pa)
{
	struct desc *d = (struct desc *)(uintptr_t)KSEG0(RING_PA);
	volatile uint16_t *avail = (volatile uint16_t *)(uintptr_t)KSEG0(RING_PA + 0x1000);
	volatile uint16_t *used = (volatile uint16_t *)(uintptr_t)KSEG0(RING_PA + 0x1800);
	volatile u32 *hdr = (volatile u32 *)(uintptr_t)KSEG0(REQ_PA);
	volatile uint8_t *status = (volatile uint8_t *)(uintptr_t)KSEG0(REQ_PA + 16);
	uint16_t idx = avail[1], seen = used[1];
	u32 c0;

	hdr[0] = 0;			/* VIRTIO_BLK_T_IN */
	hdr[1] = 0;
	hdr[2] = 0;			/* sector 0 */
	hdr[3] = 0;
	*status = 0xff;
	d[0] = (struct desc){ REQ_PA, 16, 1, 1 };		/* NEXT */
	d[1] = (struct desc){ pa, 512, 1 | 2, 2 };		/* NEXT | WRITE */
	d[2] = (struct desc){ REQ_PA + 16, 1, 2, 0 };		/* WRITE */
	avail[2 + idx % QSIZE] = 0;
	asm volatile("sync" ::: "memory");
	avail[1] = idx + 1;
	asm volatile("sync" ::: "memory");
	wr(QUEUE_NOTIFY, 0);
	c0 = count_now();
	while (used[1] == seen && count_now() - c0 < count_hz)
		;
	return used[1] == seen ? -1 : *status;
}

static u64 run_code(void)
{
	return call_hb(KSEG0(CODE_PA));
}

static void flush_icache(u64 va, u64 len)
{
	u64 a;

	for (a = va; a < va + len; a += 32)
		asm volatile(".set push; .set mips64r2; cache 0x15, 0(%0); sync; cache 0x10, 0(%0);"
			     " synci 0(%0); .set pop" :: "r"(a) : "memory");
	asm volatile("sync" ::: "memory");
}

void bm_main(void)
{
	int i;

	if (!blk_init()) {
		skip("no virtio-blk disk (run with --disk)", "virtio-blk DMA over executed code");
		return;
	}
	check_true(true, "virtio-blk device found and set up (slot at 0x%lx)", PHYS(dev) | 0x1e000000);
	/* code that runs, many times, before the device overwrites it */
	wr32(KSEG0(CODE_PA), 0x24020001);	/* li v0, 1 */
	wr32(KSEG0(CODE_PA + 4), 0x03e00008);	/* jr ra */
	wr32(KSEG0(CODE_PA + 8), 0);
	flush_icache(KSEG0(CODE_PA), 12);
	for (i = 0; i < 100; i++)
		run_code();
	check_eq(run_code(), 1, "original code runs");
	check_eq(blk_read0(CODE_PA), 0, "virtio-blk read of sector 0 over the code: status OK");
	{
		u32 lines = (u32)MFC0(C0_CAUSE) & (CA_IP(4) | CA_IP(5) | CA_IP(6)), c0 = count_now();

		check_eq(rd(INT_STATUS) & 1, 1, "InterruptStatus: used buffer notification");
		check_true(lines != 0, "completion raises a virtio line (Cause.IP4-6 = 0x%x)", lines >> 8);
		wr(INT_ACK, rd(INT_STATUS));
		while ((MFC0(C0_CAUSE) & lines) && count_now() - c0 < count_hz / 10)
			;
		check_eq(MFC0(C0_CAUSE) & lines, 0, "InterruptACK drops the line (level-triggered)");
	}
	check_eq(rd32(KSEG0(CODE_PA)), 0x24020077, "the sector (li v0, 0x77) is in memory");
	flush_icache(KSEG0(CODE_PA), 512);
	check_eq(run_code(), 0x77, "after synci/cache flush, the code read by DMA runs");
}
