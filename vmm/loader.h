/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Puts the guest's kernel and initrd into RAM. Kernels are ELF64
 * little-endian MIPS files: a plain `vmlinux` (or a bare-metal test program)
 * is loaded by its PT_LOAD segments; a compressed `vmlinuz` (an ELF
 * decompressor carrying an XZ or gzip payload) has its payload decompressed
 * here, so the guest starts in the raw kernel instead of spending seconds in
 * its own decompressor.
 */
#ifndef MVM_LOADER_H
#define MVM_LOADER_H

#include <stdint.h>

#include "bus.h"

/* Where a MIPS raw kernel image (vmlinux.bin) is linked and entered. */
#define LOADER_RAW_KERNEL_VA	0xffffffff80100000ULL

struct kernel_image {
	uint64_t entry;		/* virtual address to start at */
	uint64_t phys_start;	/* guest physical range the image occupies */
	uint64_t phys_end;
	const char *format;	/* for messages: "ELF", "XZ payload", ... */
};

/* 0 on success; -1 after printing one line that names the file and problem. */
int loader__load_kernel(struct bus *bus, const char *path,
			struct kernel_image *image);

/*
 * Loads a file as high as possible, ending at or below `end` and starting
 * at or above `lowest`; page aligned. Returns the guest physical range.
 */
int loader__load_initrd(struct bus *bus, const char *path, uint64_t lowest,
			uint64_t end, uint64_t *start_out, uint64_t *end_out);

/* Guest physical address behind a directly mapped kernel virtual address. */
int loader__virt_to_phys(uint64_t va, uint64_t *pa);

#endif
