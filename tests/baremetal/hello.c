// SPDX-License-Identifier: GPL-2.0
/* The smallest program: prints, checks the UHI hand-off registers are not needed, powers off. */
#include "rt.h"

const char *bm_name = "hello";

void bm_main(void)
{
	check_true(true, "bare-metal program runs and prints over the UART");
	check_eq(MFC0(C0_STATUS) & (ST_EXL | ST_ERL | ST_BEV | ST_KSU_MASK), 0,
		 "runtime set Status: kernel mode, EXL = ERL = BEV = 0");
}
