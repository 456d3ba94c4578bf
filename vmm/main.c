// SPDX-License-Identifier: GPL-2.0
/* mvm: runs a MIPS64 guest on the virt board. See mvm --help. */
#include <signal.h>
#include <string.h>

#include "backend.h"
#include "board.h"
#include "cli.h"
#include "console.h"
#include "gdbstub.h"
#include "log.h"

/* The running machine; kept until exit (see the end of vm__run). */
static struct board *running_board;

static int exit_status(enum board_state state)
{
	switch (state) {
	case BOARD_POWEROFF:
		return MVM_EXIT_POWEROFF;
	case BOARD_REBOOT:
		return MVM_EXIT_REBOOT;
	case BOARD_HALT:
		return MVM_EXIT_HALT;
	case BOARD_QUIT:
		return MVM_EXIT_QUIT;
	default:
		return MVM_EXIT_ERROR;
	}
}

static int vm__run(struct vm_config *cfg)
{
	const struct backend *backend = backend__select(cfg->backend);
	enum board_state state;
	struct board *board;

	if (!backend || (backend->configure && backend->configure(cfg)))
		return MVM_EXIT_ERROR;
	board = board__create(cfg);
	if (!board)
		return MVM_EXIT_ERROR;
	if (board__load_guest(board, cfg)) {
		board__destroy(board);
		return MVM_EXIT_ERROR;
	}
	if (cfg->dtb_dump) {
		board__destroy(board);	/* dumped; the guest does not run */
		return MVM_EXIT_POWEROFF;
	}
	pr_info("backend %s, %d vCPU(s), %llu MiB of RAM", backend->name,
		board->nr_cpus, (unsigned long long)(board->mem_size >> 20));
	running_board = board;
	if (cfg->gdb && strcmp(backend->name, "emu")) {
		pr_err("--gdb needs the emu backend (--backend emu)");
		return MVM_EXIT_ERROR;
	}
	if (backend->init(board, cfg) || console__start(board, board->uart) ||
	    (cfg->gdb && gdbstub__start(board, cfg->gdb, cfg->gdb_wait))) {
		console__restore();
		return MVM_EXIT_ERROR;
	}
	state = backend->run(board);
	gdbstub__stop(exit_status(state));
	if (backend->exit)
		backend->exit(board);
	console__restore();
	/*
	 * The board stays allocated: the console thread may still be blocked
	 * in read() and hand the UART one more byte. Exiting frees it all.
	 */
	return exit_status(state);
}

int main(int argc, char **argv)
{
	struct vm_config cfg;
	int status = cli__parse(argc, argv, &cfg);

	if (status >= 0)
		return status;
	/* A reader that goes away must not kill the guest with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return vm__run(&cfg);
}
