/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages from the VMM to the user, on stderr, one line each, prefixed with
 * "mvm: " so they stand out from the guest console that shares the terminal.
 */
#ifndef MVM_LOG_H
#define MVM_LOG_H

#include <stdbool.h>
#include <stdnoreturn.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level log_level;

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print the error and exit with status 1 (VMM error). Only for setup and
 * host failures: never on something a guest can trigger.
 */
noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The console put the terminal in raw mode (true) or restored it. */
void log__set_raw_terminal(bool raw);

/* Called by die() before exiting, e.g. to restore the terminal. */
void log__set_exit_hook(void (*hook)(void));

#endif
