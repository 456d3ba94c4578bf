// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cli.h"
#include "log.h"

/* An option's parser: 0, or -1 after reporting the problem with usage_err. */
typedef int (*option_parser)(struct vm_config *cfg, const char *arg);

struct cli_option {
	const char *name;	/* without the leading "--" */
	const char *arg;	/* the value's name in --help; NULL: a flag */
	const char *help;
	option_parser parse;
};

static void usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void usage_err(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("%s (see mvm --help)", msg);
}

int cli__parse_size(const char *text, uint64_t *bytes)
{
	unsigned long long value;
	unsigned int shift = 20;	/* a bare number is MiB, as in QEMU */
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	case '\0': break;
	default: return -1;
	}
	if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
		end += strlen(end);
	if (*end || value > (UINT64_MAX >> shift))
		return -1;
	*bytes = (uint64_t)value << shift;
	return 0;
}

static int parse_kernel(struct vm_config *cfg, const char *arg)
{
	cfg->kernel = arg;
	return 0;
}

static int parse_initrd(struct vm_config *cfg, const char *arg)
{
	cfg->initrd = arg;
	return 0;
}

static int parse_append(struct vm_config *cfg, const char *arg)
{
	size_t len = strlen(CLI_DEFAULT_APPEND) + 1 + strlen(arg);

	/* The kernel would silently cut a longer one (COMMAND_LINE_SIZE). */
	if (len >= CLI_MAX_CMDLINE) {
		usage_err("--append: the command line would be %zu bytes; the kernel takes at most %d",
			  len, CLI_MAX_CMDLINE - 1);
		return -1;
	}
	cfg->append = arg;
	return 0;
}

static int parse_dtb_dump(struct vm_config *cfg, const char *arg)
{
	cfg->dtb_dump = arg;
	return 0;
}

static int parse_mem(struct vm_config *cfg, const char *arg)
{
	uint64_t size;

	if (cli__parse_size(arg, &size)) {
		usage_err("--mem %s: not a size (examples: 256M, 1G)", arg);
		return -1;
	}
	if (size < BOARD_MIN_MEM || size > BOARD_MAX_MEM) {
		usage_err("--mem %s: guest memory must be between %llu MiB and %llu GiB",
			  arg, BOARD_MIN_MEM >> 20, BOARD_MAX_MEM >> 30);
		return -1;
	}
	if (size & 0xfff) {
		usage_err("--mem %s: not a whole number of 4 KiB pages", arg);
		return -1;
	}
	cfg->mem_size = size;
	return 0;
}

static int parse_cpus(struct vm_config *cfg, const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || end == arg || *end || n < 1 || n > BOARD_MAX_CPUS) {
		usage_err("--cpus %s: the number of CPUs must be 1 to %d", arg,
			  BOARD_MAX_CPUS);
		return -1;
	}
	cfg->nr_cpus = n;
	return 0;
}

static int parse_backend(struct vm_config *cfg, const char *arg)
{
	if (strcmp(arg, "emu") && strcmp(arg, "kmod") && strcmp(arg, "auto")) {
		usage_err("--backend %s: choose emu, kmod or auto", arg);
		return -1;
	}
	cfg->backend = arg;
	return 0;
}

static int parse_kmod_mode(struct vm_config *cfg, const char *arg)
{
	if (strcmp(arg, "split") && strcmp(arg, "flat") && strcmp(arg, "patch")) {
		usage_err("--kmod-mode %s: choose split, patch or flat", arg);
		return -1;
	}
	cfg->kmod_flat = !strcmp(arg, "flat");
	cfg->kmod_patch = !strcmp(arg, "patch");
	cfg->kmod_mode_set = true;
	return 0;
}

static int parse_disk(struct vm_config *cfg, const char *arg)
{
	if (cfg->nr_disks == CLI_MAX_DISKS) {
		usage_err("--disk %s: at most %d disks", arg, CLI_MAX_DISKS);
		return -1;
	}
	cfg->disks[cfg->nr_disks++] = arg;	/* checked when the disk opens */
	return 0;
}

static int parse_net(struct vm_config *cfg, const char *arg)
{
	if (cfg->net) {
		usage_err("--net %s: only one network device is supported", arg);
		return -1;
	}
	cfg->net = arg;				/* checked when the tap opens */
	return 0;
}

static int parse_gdb(struct vm_config *cfg, const char *arg)
{
	cfg->gdb = arg;				/* checked when the stub listens */
	return 0;
}

static int parse_gdb_wait(struct vm_config *cfg, const char *arg)
{
	(void)arg;
	cfg->gdb_wait = true;
	return 0;
}

static int parse_verbose(struct vm_config *cfg, const char *arg)
{
	(void)cfg;
	(void)arg;
	if (log_level < LOG_DEBUG)
		log_level++;
	return 0;
}

static const struct cli_option run_options[] = {
	{ "kernel", "FILE", "guest kernel: ELF64 mips64el vmlinux, or a vmlinuz "
	  "with an XZ/gzip payload (required)", parse_kernel },
	{ "initrd", "FILE", "initial ramdisk (e.g. a cpio.gz)", parse_initrd },
	{ "append", "CMDLINE", "kernel command line, added after the default \""
	  CLI_DEFAULT_APPEND "\"", parse_append },
	{ "mem", "SIZE", "guest RAM; suffixes K, M, G; a bare number is MiB "
	  "(default 256M)", parse_mem },
	{ "cpus", "N", "number of vCPUs, 1 to 16 (default 1)", parse_cpus },
	{ "backend", "NAME", "emu (interpreter, any host), kmod (/dev/mvm) or "
	  "auto: kmod when /dev/mvm exists, else emu (default auto)",
	  parse_backend },
	{ "kmod-mode", "MODE", "kmod backend: patch (guest user mode runs "
	  "natively, kernel mode too, as code patched by the VMM: "
	  "Documentation/patching.md; the default when mvm.ko can run it), "
	  "split (user mode natively, kernel mode in the VMM's CPU core; the "
	  "default otherwise) or flat (a bare-metal program runs natively with "
	  "virtual = physical addresses)",
	  parse_kmod_mode },
	{ "disk", "FILE[,ro]", "virtio-blk disk backed by a raw image file; "
	  "repeat for more disks (vda, vdb, ...)", parse_disk },
	{ "net", "tap[,OPTS]", "virtio-net on a tap device (needs CAP_NET_ADMIN); "
	  "OPTS: ifname=NAME (made if missing), mac=MAC", parse_net },
	{ "gdb", "tcp::PORT", "wait for gdb's remote protocol on PORT "
	  "(tcp:HOST:PORT: on HOST's address; default localhost); emu backend",
	  parse_gdb },
	{ "gdb-wait", NULL, "with --gdb: stop before the first instruction until "
	  "gdb continues (QEMU's -S)", parse_gdb_wait },
	{ "dtb-dump", "FILE", "write the guest's device tree blob to FILE and "
	  "exit without running the guest", parse_dtb_dump },
	{ "verbose", NULL, "more messages from the VMM (twice: debug)",
	  parse_verbose },
};

#define NR_RUN_OPTIONS (sizeof(run_options) / sizeof(run_options[0]))

#define HELP_INDENT	21
#define HELP_WIDTH	79

/* Prints text word-wrapped, continuation lines indented to HELP_INDENT. */
static void print_wrapped(FILE *out, const char *text, int column)
{
	while (*text) {
		int len = strcspn(text, " ");

		if (column > HELP_INDENT && column + 1 + len > HELP_WIDTH) {
			fprintf(out, "\n%*s", HELP_INDENT, "");
			column = HELP_INDENT;
		} else if (column > HELP_INDENT) {
			fputc(' ', out);
			column++;
		}
		fprintf(out, "%.*s", len, text);
		column += len;
		text += len;
		text += strspn(text, " ");
	}
	fputc('\n', out);
}

void cli__print_help(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: mvm run --kernel FILE [options]\n"
		"       mvm --help | --version\n\n"
		"Runs a MIPS64 (mips64el) Linux guest on the virt board. The guest\n"
		"console is this terminal; press Ctrl-a x to quit, Ctrl-a h for help.\n\n"
		"Options of run (--opt VALUE or --opt=VALUE):\n");
	for (i = 0; i < NR_RUN_OPTIONS; i++) {
		const struct cli_option *o = &run_options[i];
		char left[40];

		snprintf(left, sizeof(left), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-*s", HELP_INDENT - 3, left);
		if (strlen(left) > HELP_INDENT - 3)
			fprintf(out, "\n%*s", HELP_INDENT, "");
		else
			fputc(' ', out);
		print_wrapped(out, o->help, HELP_INDENT);
	}
	fprintf(out,
		"\nExit status:\n"
		"  0  the guest powered off (also after --help, --version, --dtb-dump)\n"
		"  1  VMM error or unusable input file (kernel, initrd)\n"
		"  2  bad command line\n"
		"  3  the guest asked for a reboot\n"
		"  4  the guest is stuck in a fatal state (registers on stderr)\n"
		"  5  the user quit with Ctrl-a x\n");
}

static const struct cli_option *find_option(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NR_RUN_OPTIONS; i++)
		if (strlen(run_options[i].name) == len &&
		    !strncmp(run_options[i].name, name, len))
			return &run_options[i];
	return NULL;
}

/* Parses argv[*i] (and maybe its value in argv[*i + 1]). */
static int parse_one(int argc, char **argv, int *i, struct vm_config *cfg)
{
	const char *word = argv[*i], *name, *eq, *value = NULL;
	const struct cli_option *o;

	if (strncmp(word, "--", 2) || !word[2]) {
		usage_err("unexpected argument '%s'", word);
		return -1;
	}
	name = word + 2;
	eq = strchr(name, '=');
	o = find_option(name, eq ? (size_t)(eq - name) : strlen(name));
	if (!o) {
		usage_err("unknown option '%s'", word);
		return -1;
	}
	if (!o->arg) {
		if (eq) {
			usage_err("option '--%s' takes no value", o->name);
			return -1;
		}
		return o->parse(cfg, NULL);
	}
	if (eq) {
		value = eq + 1;
	} else {
		if (*i + 1 >= argc) {
			usage_err("option '--%s' needs a value (%s)", o->name,
				  o->arg);
			return -1;
		}
		value = argv[++*i];
	}
	return o->parse(cfg, value);
}

static void config_defaults(struct vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = CLI_DEFAULT_MEM;
	cfg->nr_cpus = 1;
	cfg->backend = "auto";
	cfg->append = "";
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "help");
}

int cli__parse(int argc, char **argv, struct vm_config *cfg)
{
	int i;

	config_defaults(cfg);
	if (argc < 2) {
		cli__print_help(stderr);
		return MVM_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		cli__print_help(stdout);
		return MVM_EXIT_POWEROFF;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("mvm %s\n", MVM_VERSION);
		return MVM_EXIT_POWEROFF;
	}
	if (strcmp(argv[1], "run")) {
		usage_err("unknown command '%s'", argv[1]);
		return MVM_EXIT_USAGE;
	}
	for (i = 2; i < argc; i++) {
		if (is_help(argv[i])) {
			cli__print_help(stdout);
			return MVM_EXIT_POWEROFF;
		}
		if (parse_one(argc, argv, &i, cfg))
			return MVM_EXIT_USAGE;
	}
	if (!cfg->kernel) {
		usage_err("run needs --kernel FILE");
		return MVM_EXIT_USAGE;
	}
	if (cfg->gdb_wait && !cfg->gdb) {
		usage_err("--gdb-wait needs --gdb tcp::PORT");
		return MVM_EXIT_USAGE;
	}
	return -1;
}
