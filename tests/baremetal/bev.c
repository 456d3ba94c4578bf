// SPDX-License-Identifier: GPL-2.0
/*
 * Status.BEV = 1 sends exceptions to 0xffffffffbfc00380. The virt board
 * has no memory there, so the fetch at the vector fails again and again:
 * mvm stops with status 4 and reports that pc, which `run` checks. (With
 * memory at 0x1fc00000, bus.c runs the full BEV vector test instead.)
 */
#include "rt.h"

const char *bm_name = "bev";

void bm_main(void)
{
	u32 st = (u32)MFC0(C0_STATUS);

	MTC0(C0_STATUS, st | ST_BEV);
	check_eq(MFC0(C0_STATUS) & ST_BEV, ST_BEV, "Status.BEV is writable");
	printf("# end %s\n", bm_name);
	asm volatile("syscall");
	MTC0(C0_STATUS, st);
	check_true(false, "syscall with BEV = 1 does not return");
}
