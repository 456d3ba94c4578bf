// SPDX-License-Identifier: GPL-2.0
/* The syscon-reboot register (0x1e001000, value 1) ends mvm with status 3 (`run` checks it). */
#include "rt.h"

const char *bm_name = "reboot";

void bm_main(void)
{
	check_true(true, "about to write 1 to the syscon reboot register");
	printf("# end %s\n", bm_name);
	wr32(KSEG1(0x1e001000ULL), 1);
	/* not reached when the board resets: the suite sees no exit status 3 */
	check_true(false, "the syscon write resets the board");
}
