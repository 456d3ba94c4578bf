/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A gdb remote stub (`mvm run --gdb tcp::PORT [--gdb-wait]`), as QEMU's
 * -gdb and -S: gdb's remote serial protocol over TCP, all-stop, each vCPU a
 * thread. Runs in a thread of its own; vCPU threads of the emulation
 * backend stop in gdbstub__vcpu_sync() while the debugger holds the machine.
 */
#ifndef MVM_GDBSTUB_H
#define MVM_GDBSTUB_H

#include <stdbool.h>

#include "board.h"

struct cpu;

/*
 * Listens on spec ("tcp::PORT", "tcp:HOST:PORT"; PORT 0 picks a free one,
 * reported on stderr). wait: the vCPUs stop before their first instruction
 * until a debugger resumes them. Call before the backend runs the board.
 * 0, or -1 after an error message.
 */
int gdbstub__start(struct board *board, const char *spec, bool wait);
/*
 * The board stopped and its vCPU threads are gone: tell the debugger the
 * guest exited with mvm's exit_status (a W packet), close. No-op without a stub.
 */
void gdbstub__stop(int exit_status);

/*
 * A vCPU thread, before each cpu__run(): waits while the machine is stopped
 * for the debugger. False when the board stopped meanwhile: do not run.
 * Returns at once without a stub.
 */
bool gdbstub__vcpu_sync(struct cpu *cpu);
/* A vCPU thread: cpu__run() returned CPU_EXIT_DEBUG; stops the machine. */
void gdbstub__vcpu_stopped(struct cpu *cpu);

#endif
