// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "backend_kmod.h"
#include "cpu.h"
#include "log.h"

/* Backends this VMM has, in the order `auto` prefers them. */
static const struct backend *const backends[] = {
	&backend_kmod,
	&backend_emu,
};

static const struct backend *backend__by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

/* One line saying why a backend named on the command line cannot run. */
static void backend__explain_unavailable(const char *name)
{
	if (strcmp(name, "kmod"))
		pr_err("--backend %s cannot run on this host", name);
	else if (access(MVM_DEVICE, F_OK))
		pr_err("--backend kmod: %s does not exist (load mvm.ko on a MIPS64 host, or use --backend emu)",
		       MVM_DEVICE);
	else
		pr_err("--backend kmod: cannot open %s or its API version differs from this mvm's",
		       MVM_DEVICE);
}

const struct backend *backend__select(const char *name)
{
	const struct backend *b;
	size_t i;

	if (!strcmp(name, "auto")) {
		for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
			if (backends[i]->available())
				return backends[i];
		pr_err("no backend can run on this host");
		return NULL;
	}
	b = backend__by_name(name);
	if (!b) {
		pr_err("unknown backend '%s'", name);
		return NULL;
	}
	if (!b->available()) {
		backend__explain_unavailable(name);
		return NULL;
	}
	return b;
}

void backend__vcpu_stuck(struct board *board, struct cpu *cpu)
{
	pr_err("vCPU %d is stuck in a fatal state at pc 0x%llx", cpu->id,
	       (unsigned long long)cpu->pc);
	cpu__dump(cpu);
	board__request(board, BOARD_HALT);
}
