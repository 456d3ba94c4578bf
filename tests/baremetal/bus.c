// SPDX-License-Identifier: GPL-2.0
/*
 * Bus errors and boot-time vectors: loads/stores where nothing is mapped
 * raise DBE, fetches IBE (the VMM keeps running); with Status.BEV = 1 the
 * vectors are at 0xffffffffbfc00200/0x280/0x380/0x400, tested when the
 * board has writable memory at physical 0x1fc00000.
 */
#include "asm.h"

const char *bm_name = "bus";

#define HOLE_PA		0x1f000000ULL	/* inside the MMIO window, no device */
#define BEYOND_RAM	0x08000000ULL	/* 128 MiB, with --mem 64M */
#define BEV_BASE	0xffffffffbfc00000ULL
#define ADDR(p)		((u64)(uintptr_t)(p))

static void set_status(u32 clear, u32 set)
{
	MTC0(C0_STATUS, ((u32)MFC0(C0_STATUS) & ~clear) | set);
}

static void expect(const char *name, snippet_fn fn, const char *at, u64 a0, int code)
{
	exc_reset();
	fn(a0, 0);
	if (!check_exc(0, 0x180, code, name))
		return;
	check_eq(exc_log[0].epc, ADDR(at), "%s: EPC", name);
	check_eq(exc_n, 1, "%s: one exception", name);
}

static void test_bus_errors(void)
{
#ifdef BM_QEMU_MALTA
	skip("malta maps other things there", "bus errors");
	return;
#endif
	expect("load from an MMIO hole -> DBE", f_lw, f_lw_at, KSEG1(HOLE_PA), 7);
	expect("store to an MMIO hole -> DBE", f_sw, f_sw_at, KSEG1(HOLE_PA), 7);
	expect("load beyond RAM -> DBE", f_ld, f_ld_at, XKPHYS_CCA(2, BEYOND_RAM), 7);
	expect("store beyond RAM through xkphys -> DBE", f_sd, f_sd_at, XKPHYS_CCA(3, BEYOND_RAM), 7);
	exc_reset();
	exc_resume = ADDR(f_jump_res);
	f_jump(KSEG1(HOLE_PA), 0);
	if (check_exc(0, 0x180, 6, "fetch from an MMIO hole -> IBE"))
		check_eq(exc_log[0].epc, KSEG1(HOLE_PA), "IBE: EPC = the fetch address");
	exc_reset();
	exc_resume = ADDR(f_jump_res);
	f_jump(XKPHYS_CCA(3, BEYOND_RAM), 0);
	if (check_exc(0, 0x180, 6, "fetch beyond RAM -> IBE"))
		check_eq(exc_log[0].epc, XKPHYS_CCA(3, BEYOND_RAM), "IBE: EPC = the fetch address");
	/* odd accesses to a device: a value or a bus error, never a dead VMM */
	exc_reset();
	f_ld(KSEG1(0x1e000000ULL), 0);
	f_sd(KSEG1(0x1e000008ULL), 0);
	f_lw(KSEG1(0x1e002000ULL + 0x7f8), 0);
	check_true(exc_n <= 3 && (exc_n == 0 || CA_EXC(exc_log[0].cause) == 7),
		   "64-bit UART accesses and out-of-range RTC reads: value or DBE (%d DBE)", exc_n);
}

static void install_bev(u64 off)
{
	u32 *src = (u32 *)(void *)bev_stub;
	int i;

	for (i = 0; i < 4; i++)
		wr32(BEV_BASE + off + 4 * i, src[i]);
	/* the last word is `ori k1, zero, VEC_BEV`: make the id say which vector */
	wr32(BEV_BASE + off + 12, (src[3] & 0xffff0000u) | (u32)(VEC_BEV + off));
}

static void test_bev(void)
{
	exc_reset();
	f_lw(BEV_BASE + 0x380, 0);
	if (exc_n) {
		skip("no memory at physical 0x1fc00000 on this board",
		     "Status.BEV = 1 vectors at 0xffffffffbfc00200/0x380");
		return;
	}
	wr32(BEV_BASE + 0x380, 0x12345678);
	if (rd32(BEV_BASE + 0x380) != 0x12345678) {
		skip("the boot ROM at 0x1fc00000 is not writable",
		     "Status.BEV = 1 vectors at 0xffffffffbfc00200/0x380");
		return;
	}
	install_bev(0x200);
	install_bev(0x280);
	install_bev(0x380);
	install_bev(0x400);
	set_status(0, ST_BEV);
	check_eq(MFC0(C0_STATUS) & ST_BEV, ST_BEV, "Status.BEV is writable");
	exc_reset();
	f_syscall(0, 0);
	check_exc(0, VEC_BEV + 0x380, 8, "BEV = 1: syscall -> 0xffffffffbfc00380");
	set_status(ST_UX, 0);
	exc_reset();
	f_lw(0x5000, 0);
	check_exc(0, VEC_BEV + 0x200, 2, "BEV = 1: TLB refill -> 0xffffffffbfc00200");
	set_status(0, ST_UX);
	exc_reset();
	f_lw(0x5000, 0);
	check_exc(0, VEC_BEV + 0x280, 2, "BEV = 1: XTLB refill -> 0xffffffffbfc00280");
	exc_reset();
	MTC0(C0_CAUSE, CA_IV | CA_IP(0));
	set_status(0, ST_IM(0) | ST_IE);
	set_status(ST_IE | ST_IM_ALL, 0);
	MTC0(C0_CAUSE, 0);
	check_exc(0, VEC_BEV + 0x400, 0, "BEV = 1, IV = 1: interrupt -> 0xffffffffbfc00400");
	set_status(ST_BEV, 0);
	exc_reset();
	f_syscall(0, 0);
	check_exc(0, 0x180, 8, "BEV = 0 again: syscall -> EBase + 0x180");
}

void bm_main(void)
{
	test_bus_errors();
	test_bev();
}
