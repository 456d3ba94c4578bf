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
	pthread_mutex_init(&cc->mirrors_lock, NULL);
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
	pthread_mutex_destroy(&cc->mirrors_lock);
	free(cc);
	bus->code = NULL;
}

static void mirror_set(struct code_mirror *m, uint64_t page)
{
	if (m->bits && page < m->pages)
		atomic_fetch_or(&m->bits[page >> 3], (uint8_t)(1u << (page & 7)));
}

bool code_cache__mark(struct code_cache *cc, uint64_t pa)
{
	uint64_t page = pa >> PAGE_SHIFT;

	if (atomic_exchange(&cc->is_code[page], 1) != 0)
		return false;
	atomic_fetch_add(&cc->epoch, 1);
	pthread_mutex_lock(&cc->mirrors_lock);
	for (size_t i = 0; i < sizeof(cc->mirrors) / sizeof(cc->mirrors[0]); i++)
		mirror_set(&cc->mirrors[i], page);
	pthread_mutex_unlock(&cc->mirrors_lock);
	return true;
}

int code_cache__add_mirror(struct code_cache *cc, _Atomic uint8_t *bits, uint64_t pages)
{
	int ret = -1;

	pthread_mutex_lock(&cc->mirrors_lock);
	for (size_t i = 0; i < sizeof(cc->mirrors) / sizeof(cc->mirrors[0]); i++) {
		struct code_mirror *m = &cc->mirrors[i];

		if (m->bits)
			continue;
		m->bits = bits;
		m->pages = pages;
		for (uint64_t page = 0; page < cc->nr_pages; page++)
			if (atomic_load_explicit(&cc->is_code[page], memory_order_relaxed))
				mirror_set(m, page);
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&cc->mirrors_lock);
	return ret;
}

void code_cache__remove_mirror(struct code_cache *cc, _Atomic uint8_t *bits)
{
	pthread_mutex_lock(&cc->mirrors_lock);
	for (size_t i = 0; i < sizeof(cc->mirrors) / sizeof(cc->mirrors[0]); i++)
		if (cc->mirrors[i].bits == bits)
			cc->mirrors[i].bits = NULL;
	pthread_mutex_unlock(&cc->mirrors_lock);
}

/*
 * A page no longer holds translated code: its bit goes from the mirrors
 * too, unless a translation marked it again meanwhile (mark sets is_code
 * before it takes the lock), so patched I-cache Hit ops on the rest of the
 * page stay native.
 */
static void mirrors_clear(struct code_cache *cc, uint64_t page)
{
	pthread_mutex_lock(&cc->mirrors_lock);
	if (!atomic_load(&cc->is_code[page]))
		for (size_t i = 0; i < sizeof(cc->mirrors) / sizeof(cc->mirrors[0]); i++)
			if (cc->mirrors[i].bits && page < cc->mirrors[i].pages)
				atomic_fetch_and(&cc->mirrors[i].bits[page >> 3],
						 (uint8_t)~(1u << (page & 7)));
	pthread_mutex_unlock(&cc->mirrors_lock);
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
		mirrors_clear(cc, page);
	}
}
