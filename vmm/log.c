// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

enum log_level log_level = LOG_WARN;
static void (*exit_hook)(void);
static volatile bool raw_terminal;

void log__set_raw_terminal(bool raw)
{
	raw_terminal = raw;
}

/*
 * In raw mode "\n" does not return the carriage: end lines with "\r\n"
 * there so messages start at column 0; otherwise plain lines.
 */
static void log__vprint(const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "mvm: %s%s%s\n", prefix, line,
		raw_terminal ? "\r" : "");
}

#define LOG_FUNCTION(fn, level, prefix)			\
void fn(const char *fmt, ...)					\
{								\
	va_list ap;						\
	if (log_level < (level))				\
		return;						\
	va_start(ap, fmt);					\
	log__vprint(prefix, fmt, ap);				\
	va_end(ap);						\
}

LOG_FUNCTION(pr_err, LOG_ERROR, "error: ")
LOG_FUNCTION(pr_warn, LOG_WARN, "warning: ")
LOG_FUNCTION(pr_info, LOG_INFO, "")
LOG_FUNCTION(pr_debug, LOG_DEBUG, "debug: ")

void log__set_exit_hook(void (*hook)(void))
{
	exit_hook = hook;
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log__vprint("error: ", fmt, ap);
	va_end(ap);
	if (exit_hook)
		exit_hook();
	exit(1);
}
