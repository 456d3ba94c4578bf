/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations of the snippets in rt/snippets.S. */
#ifndef BM_ASM_H
#define BM_ASM_H
#include "rt.h"
#define SNIPPET(name) u64 name(u64 a0, u64 a1); extern char name##_at[], name##_res[];
SNIPPET(f_lw) SNIPPET(f_lwu) SNIPPET(f_lh) SNIPPET(f_lhu) SNIPPET(f_ld) SNIPPET(f_lb)
SNIPPET(f_sw) SNIPPET(f_sh) SNIPPET(f_sd) SNIPPET(f_sb) SNIPPET(f_ll) SNIPPET(f_sc)
SNIPPET(f_syscall) SNIPPET(f_break) SNIPPET(f_ri_op) SNIPPET(f_ri_special)
SNIPPET(f_cop1) SNIPPET(f_ldc1) SNIPPET(f_sdc1) SNIPPET(f_lwc1) SNIPPET(f_cfc1)
SNIPPET(f_bc1f) SNIPPET(f_movf) SNIPPET(f_cop1x)
SNIPPET(f_add) SNIPPET(f_addi) SNIPPET(f_sub) SNIPPET(f_dadd) SNIPPET(f_daddi)
SNIPPET(f_dsub) SNIPPET(f_addu)
SNIPPET(f_teq) SNIPPET(f_tne) SNIPPET(f_tge) SNIPPET(f_tltu) SNIPPET(f_teqi)
SNIPPET(f_tgei) SNIPPET(f_tlti) SNIPPET(f_tnei)
SNIPPET(f_bd_taken) SNIPPET(f_bd_nottaken) SNIPPET(f_bdl_nottaken) SNIPPET(f_bd_jr)
SNIPPET(f_bd_syscall) SNIPPET(f_jump) SNIPPET(f_exl_refill) SNIPPET(f_bdl_taken)
SNIPPET(f_after_branch) SNIPPET(f_after_bl) SNIPPET(f_count)

typedef u64 (*snippet_fn)(u64, u64);
u64 call_hb(u64 fn);
u64 call_hb2(u64 fn, u64 arg);

#endif
