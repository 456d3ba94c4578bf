/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest console on the VMM's stdin/stdout. On a terminal, stdin goes to
 * raw mode (restored on every exit path); on pipes, bytes pass through
 * unchanged so scripts can drive the guest. Either way Ctrl-a starts an
 * escape as in QEMU: Ctrl-a x quits, Ctrl-a h prints help, Ctrl-a Ctrl-a
 * sends one Ctrl-a. End of input on a pipe leaves the guest running.
 */
#ifndef MVM_CONSOLE_H
#define MVM_CONSOLE_H

struct board;
struct device;

/* Starts the input thread feeding uart; 0 or -1 (after an error message). */
int console__start(struct board *board, struct device *uart);
/* Puts the terminal back as it was; safe to call more than once. */
void console__restore(void);

#endif
