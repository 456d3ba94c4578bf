/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: `mvm run [options]`, `mvm --help`, `mvm --version`.
 * Options live in one table (cli.c) whose help text is `mvm --help`.
 */
#ifndef MVM_CLI_H
#define MVM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses of mvm; documented in --help and the user manual. */
enum mvm_exit {
	MVM_EXIT_POWEROFF = 0,	/* the guest powered off (or --help etc.) */
	MVM_EXIT_ERROR = 1,	/* the VMM failed or an input file is bad */
	MVM_EXIT_USAGE = 2,	/* bad command line */
	MVM_EXIT_REBOOT = 3,	/* the guest asked for a reboot */
	MVM_EXIT_HALT = 4,	/* the guest is stuck in a fatal state */
	MVM_EXIT_QUIT = 5,	/* the user quit with Ctrl-a x */
};

#define CLI_DEFAULT_MEM		(256ULL << 20)
#define CLI_MAX_DISKS		8
#define CLI_DEFAULT_APPEND	"console=ttyS0 earlycon coherentio"
#define CLI_MAX_CMDLINE		4096	/* MIPS COMMAND_LINE_SIZE, with the NUL */

struct vm_config {
	const char *kernel;
	const char *initrd;
	const char *append;	/* added after CLI_DEFAULT_APPEND */
	const char *dtb_dump;
	const char *backend;	/* "emu", "kmod" or "auto" */
	bool kmod_flat;		/* --kmod-mode flat: bare-metal programs */
	bool kmod_patch;	/* --kmod-mode patch: guest kernel code patched */
	bool kmod_mode_set;	/* else the kmod backend picks patch or split */
	uint64_t mem_size;
	int nr_cpus;
	/*
	 * Devices given on the command line (--disk, --net, ...) add their
	 * fields here and their parser to the option table in cli.c.
	 */
	const char *disks[CLI_MAX_DISKS];	/* "FILE[,ro]", virtio-blk */
	int nr_disks;
	const char *net;			/* "tap[,OPTS]", virtio-net */
	const char *gdb;			/* "tcp::PORT": the gdb stub (gdbstub.c) */
	bool gdb_wait;				/* stop before the first instruction */
};

/*
 * Parses argv into cfg. Returns -1 when the VMM should run; otherwise the
 * status to exit with (after --help/--version or a usage error, which has
 * been reported on stderr).
 */
int cli__parse(int argc, char **argv, struct vm_config *cfg);
void cli__print_help(FILE *out);

/* "256M", "1G", "1048576K", "512" (MiB): 0 on success. */
int cli__parse_size(const char *text, uint64_t *bytes);

#endif
