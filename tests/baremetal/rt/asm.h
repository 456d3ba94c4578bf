/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations of the snippets in <prog>-asm.S files. */
#ifndef BM_ASM_H
#define BM_ASM_H
#include "rt.h"
#define SNIPPET(name) u64 name(u64 a0, u64 a1); extern char name##_at[], name##_res[];
#endif
