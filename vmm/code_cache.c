// SPDX-License-Identifier: GPL-2.0
/*
 * Which guest RAM pages hold translated code. A page's generation number is
 * part of every translated block's identity: bumping it makes every block of
 * the page stale at once, without searching for them. Stores to code pages
 * take the interpreter's slow path, which lands here.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "cpu_internal.h"

struct code_cache *code_cache__get(struct bus *bus)
{
	struct code_cache *cc = bus->code;

	if (cc)
		return cc;
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	cc->nr_pages = (bus->ram_size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	cc->generation = calloc(cc->nr_pages, sizeof(*cc->generation));
	cc->is_code = calloc(cc->nr_pages, sizeof(*cc->is_code));
	if (!cc->generation || !cc->is_code) {
		free((void *)cc->generation);
		free((void *)cc->is_code);
		free(cc);
		return NULL;
	}
	bus->code = cc;
	return cc;
}

void code_cache__free(struct bus *bus)
{
	struct code_cache *cc = bus->code;

	if (!cc)
		return;
	free((void *)cc->generation);
	free((void *)cc->is_code);
	free(cc);
	bus->code = NULL;
}

bool code_cache__mark(struct code_cache *cc, uint64_t pa)
{
	if (atomic_exchange(&cc->is_code[pa >> PAGE_SHIFT], 1) != 0)
		return false;
	atomic_fetch_add(&cc->epoch, 1);
	return true;
}

bool code_cache__is_code(struct code_cache *cc, uint64_t pa)
{
	return atomic_load_explicit(&cc->is_code[pa >> PAGE_SHIFT],
				    memory_order_relaxed);
}

void code_cache__invalidate(struct bus *bus, uint64_t pa, uint64_t len)
{
	struct code_cache *cc = bus->code;
	uint64_t page, last;

	if (!cc || len == 0 || pa >= bus->ram_size)
		return;
	if (len > bus->ram_size - pa)
		len = bus->ram_size - pa;
	last = (pa + len - 1) >> PAGE_SHIFT;
	for (page = pa >> PAGE_SHIFT; page <= last; page++) {
		if (!atomic_load_explicit(&cc->is_code[page], memory_order_relaxed))
			continue;
		atomic_store(&cc->is_code[page], 0);
		atomic_fetch_add(&cc->generation[page], 1);
		atomic_fetch_add(&cc->invalidations, 1);
	}
}
