// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE	/* memmem */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <lzma.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cpu.h"
#include "loader.h"
#include "log.h"

/* Candidate payload streams tried per format before giving up. */
#define MAX_PAYLOAD_TRIES 16

struct file_map {
	const char *path;
	const uint8_t *data;
	size_t size;
};

static int file_map__open(struct file_map *f, const char *path,
			  const char *what)
{
	struct stat st;
	void *p;
	int fd;

	f->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pr_err("%s %s: not a regular file", what, path);
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		pr_err("%s %s: file is empty", what, path);
		close(fd);
		return -1;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		pr_err("%s %s: cannot map: %s", what, path, strerror(errno));
		return -1;
	}
	f->data = p;
	f->size = st.st_size;
	return 0;
}

static void file_map__close(struct file_map *f)
{
	munmap((void *)f->data, f->size);
}

int loader__virt_to_phys(uint64_t va, uint64_t *pa)
{
	const uint64_t pa_mask = (1ULL << CPU_PABITS) - 1;

	if (va >= 0xffffffff80000000ULL && va < 0xffffffffc0000000ULL) {
		/* ckseg0 (cached) and ckseg1 (uncached): the low 512 MiB */
		*pa = va & 0x1fffffffULL;
		return 0;
	}
	if (va >= 0x8000000000000000ULL && va < 0xc000000000000000ULL) {
		/* xkphys: bits 61..59 are the cache attribute */
		if ((va & ~(7ULL << 59) & ~(3ULL << 62)) > pa_mask)
			return -1;
		*pa = va & pa_mask;
		return 0;
	}
	return -1;
}

/*
 * Is [pa, pa + len) guest RAM? 64-bit lengths: ELF sizes come from the
 * file and must not be truncated on their way to bus__is_ram().
 */
static bool ram_holds(struct bus *bus, uint64_t pa, uint64_t len)
{
	uint64_t end = pa + len;

	if (end < pa || end > bus->ram_size)
		return false;
	if (end <= BUS_MMIO_START || pa >= BUS_MMIO_END)
		return true;
	return false;	/* touches the MMIO window */
}

static uint64_t ram_below_window(struct bus *bus)
{
	return bus->ram_size < BUS_MMIO_START ? bus->ram_size : BUS_MMIO_START;
}

static int elf__check_header(const struct file_map *f)
{
	const Elf64_Ehdr *eh = (const void *)f->data;

	if (f->size < EI_NIDENT || memcmp(f->data, ELFMAG, SELFMAG)) {
		pr_err("kernel %s: not an ELF file", f->path);
		return -1;
	}
	if (f->data[EI_CLASS] == ELFCLASS32) {
		pr_err("kernel %s: 32-bit ELF; mvm boots 64-bit (ELF64) MIPS kernels",
		       f->path);
		return -1;
	}
	if (f->data[EI_CLASS] != ELFCLASS64) {
		pr_err("kernel %s: unknown ELF class %u", f->path,
		       f->data[EI_CLASS]);
		return -1;
	}
	if (f->data[EI_DATA] == ELFDATA2MSB) {
		pr_err("kernel %s: big-endian ELF; mvm boots little-endian (mips64el) kernels",
		       f->path);
		return -1;
	}
	if (f->data[EI_DATA] != ELFDATA2LSB) {
		pr_err("kernel %s: unknown ELF byte order %u", f->path,
		       f->data[EI_DATA]);
		return -1;
	}
	if (f->size < sizeof(*eh)) {
		pr_err("kernel %s: truncated ELF header (%zu bytes)", f->path,
		       f->size);
		return -1;
	}
	if (eh->e_machine != EM_MIPS) {
		pr_err("kernel %s: not a MIPS ELF (e_machine %u)", f->path,
		       eh->e_machine);
		return -1;
	}
	if (eh->e_type != ET_EXEC) {
		pr_err("kernel %s: not an executable ELF (e_type %u)", f->path,
		       eh->e_type);
		return -1;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phoff > f->size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > f->size - eh->e_phoff) {
		pr_err("kernel %s: truncated or corrupt ELF program headers",
		       f->path);
		return -1;
	}
	return 0;
}

/* A copy: e_phoff comes from the file and need not be aligned. */
static Elf64_Phdr elf__phdr(const struct file_map *f, int i)
{
	const Elf64_Ehdr *eh = (const void *)f->data;
	Elf64_Phdr ph;

	memcpy(&ph, f->data + eh->e_phoff + i * sizeof(ph), sizeof(ph));
	return ph;
}

static int elf__load_segment(struct bus *bus, const struct file_map *f,
			     const Elf64_Phdr *ph, struct kernel_image *image)
{
	uint64_t pa;

	if (ph->p_filesz > ph->p_memsz || ph->p_offset > f->size ||
	    ph->p_filesz > f->size - ph->p_offset) {
		pr_err("kernel %s: truncated ELF (segment at 0x%" PRIx64
		       " ends past the end of the file)", f->path, ph->p_vaddr);
		return -1;
	}
	if (loader__virt_to_phys(ph->p_vaddr, &pa)) {
		pr_err("kernel %s: segment at 0x%" PRIx64
		       " is not in kseg0/ckseg0 or xkphys", f->path, ph->p_vaddr);
		return -1;
	}
	if (!ram_holds(bus, pa, ph->p_memsz)) {
		pr_err("kernel %s: segment at physical 0x%" PRIx64 " (%" PRIu64
		       " KiB) does not fit in guest RAM", f->path, pa,
		       ph->p_memsz >> 10);
		return -1;
	}
	memcpy(bus->ram + pa, f->data + ph->p_offset, ph->p_filesz);
	memset(bus->ram + pa + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	if (pa < image->phys_start)
		image->phys_start = pa;
	if (pa + ph->p_memsz > image->phys_end)
		image->phys_end = pa + ph->p_memsz;
	return 0;
}

static int elf__load_segments(struct bus *bus, const struct file_map *f,
			      struct kernel_image *image)
{
	const Elf64_Ehdr *eh = (const void *)f->data;
	uint64_t entry_pa;
	int i, loaded = 0;

	image->phys_start = UINT64_MAX;
	image->phys_end = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = elf__phdr(f, i);

		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (elf__load_segment(bus, f, &ph, image))
			return -1;
		loaded++;
	}
	if (!loaded) {
		pr_err("kernel %s: ELF has no loadable segments", f->path);
		return -1;
	}
	if (loader__virt_to_phys(eh->e_entry, &entry_pa) ||
	    entry_pa < image->phys_start || entry_pa >= image->phys_end) {
		pr_err("kernel %s: entry point 0x%" PRIx64
		       " is outside the loaded image", f->path,
		       (uint64_t)eh->e_entry);
		return -1;
	}
	image->entry = eh->e_entry;
	image->format = "ELF";
	return 0;
}

/* Does some PT_LOAD segment cover virtual address va? */
static bool elf__covers(const struct file_map *f, uint64_t va)
{
	const Elf64_Ehdr *eh = (const void *)f->data;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = elf__phdr(f, i);

		if (ph.p_type == PT_LOAD && va >= ph.p_vaddr &&
		    va - ph.p_vaddr < ph.p_memsz)
			return true;
	}
	return false;
}

/*
 * Decoders: return the decoded length, 0 when the stream is not valid, or
 * DECODE_NO_ROOM when it was valid so far but filled the output.
 */
#define DECODE_NO_ROOM ((size_t)-1)

static size_t xz__decode(const uint8_t *in, size_t in_len, uint8_t *out,
			 size_t out_len)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret ret;
	size_t n;

	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return 0;
	s.next_in = in;
	s.avail_in = in_len;
	s.next_out = out;
	s.avail_out = out_len;
	ret = lzma_code(&s, LZMA_FINISH);
	n = out_len - s.avail_out;
	lzma_end(&s);
	if (ret == LZMA_BUF_ERROR && !s.avail_out)
		return DECODE_NO_ROOM;
	return ret == LZMA_STREAM_END ? n : 0;
}

static size_t gzip__decode(const uint8_t *in, size_t in_len, uint8_t *out,
			   size_t out_len)
{
	z_stream z;
	size_t n;
	int ret;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return 0;
	/* zlib counts in uInt; kernels are far below 4 GiB */
	z.next_in = (Bytef *)in;
	z.avail_in = in_len > UINT32_MAX ? UINT32_MAX : in_len;
	z.next_out = out;
	z.avail_out = out_len > UINT32_MAX ? UINT32_MAX : out_len;
	ret = inflate(&z, Z_FINISH);
	n = z.total_out;
	inflateEnd(&z);
	if (ret == Z_BUF_ERROR && !z.avail_out)
		return DECODE_NO_ROOM;
	return ret == Z_STREAM_END ? n : 0;
}

struct payload_format {
	const char *name;
	const uint8_t *magic;
	size_t magic_len;
	size_t (*decode)(const uint8_t *in, size_t in_len, uint8_t *out,
			 size_t out_len);
};

static const uint8_t xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t gzip_magic[] = { 0x1f, 0x8b, 0x08 };

static const struct payload_format payload_formats[] = {
	{ "XZ payload", xz_magic, sizeof(xz_magic), xz__decode },
	{ "gzip payload", gzip_magic, sizeof(gzip_magic), gzip__decode },
};

/* A raw MIPS kernel starts with `j kernel_entry` (opcode 2). */
static bool looks_like_raw_kernel(const uint8_t *p, size_t len)
{
	uint32_t insn;

	if (len < 4096)
		return false;
	memcpy(&insn, p, sizeof(insn));
	return (insn >> 26) == 2;
}

/*
 * The magic may also occur as a constant inside the decompressor (it does
 * in Debian's vmlinuz), so try every occurrence until one decodes into
 * something that looks like a kernel.
 */
static int payload__extract(struct bus *bus, const struct file_map *f,
			    const struct payload_format *fmt,
			    struct kernel_image *image)
{
	uint64_t pa;
	uint8_t *out;
	size_t room, pos = 0, len;
	int tries = 0;

	loader__virt_to_phys(LOADER_RAW_KERNEL_VA, &pa);
	out = bus->ram + pa;
	room = ram_below_window(bus) - pa;
	while (tries < MAX_PAYLOAD_TRIES && pos < f->size) {
		const uint8_t *hit = memmem(f->data + pos, f->size - pos,
					    fmt->magic, fmt->magic_len);

		if (!hit)
			break;
		pos = hit - f->data;
		tries++;
		len = fmt->decode(hit, f->size - pos, out, room);
		if (len == DECODE_NO_ROOM && looks_like_raw_kernel(out, room)) {
			pr_err("kernel %s: the decompressed kernel does not fit in %" PRIu64
			       " MiB of guest RAM", f->path, (uint64_t)(room >> 20));
			return -1;
		}
		if (len && len != DECODE_NO_ROOM && looks_like_raw_kernel(out, len)) {
			image->entry = LOADER_RAW_KERNEL_VA;
			image->phys_start = pa;
			image->phys_end = pa + len;
			image->format = fmt->name;
			return 0;
		}
		pr_debug("kernel %s: %s candidate at offset %zu is not a kernel",
			 f->path, fmt->name, pos);
		pos++;
	}
	return 1;
}

int loader__load_kernel(struct bus *bus, const char *path,
			struct kernel_image *image)
{
	struct file_map f;
	size_t i;
	int ret;

	if (file_map__open(&f, path, "kernel"))
		return -1;
	ret = elf__check_header(&f);
	/*
	 * An ELF that is not itself linked where the raw kernel goes is a
	 * decompressor (vmlinuz): prefer its payload when one decodes.
	 */
	if (!ret && !elf__covers(&f, LOADER_RAW_KERNEL_VA)) {
		for (i = 0; i < sizeof(payload_formats) / sizeof(payload_formats[0]); i++) {
			ret = payload__extract(bus, &f, &payload_formats[i], image);
			if (ret <= 0)
				goto out;
		}
		ret = 0;
	}
	if (!ret)
		ret = elf__load_segments(bus, &f, image);
out:
	file_map__close(&f);
	if (!ret)
		pr_debug("kernel %s: %s at physical 0x%" PRIx64 "-0x%" PRIx64
			 ", entry 0x%" PRIx64, path, image->format,
			 image->phys_start, image->phys_end, image->entry);
	return ret;
}

int loader__load_initrd(struct bus *bus, const char *path, uint64_t lowest,
			uint64_t end, uint64_t *start_out, uint64_t *end_out)
{
	struct file_map f;
	uint64_t start;

	if (file_map__open(&f, path, "initrd"))
		return -1;
	start = (end - f.size) & ~0xfffULL;
	if (f.size > end || start < lowest || !ram_holds(bus, start, f.size)) {
		pr_err("initrd %s: %zu KiB does not fit in guest RAM between the kernel and the DTB (%" PRIu64
		       " KiB free); give the guest more memory with --mem",
		       path, f.size >> 10, end > lowest ? (end - lowest) >> 10 : 0);
		file_map__close(&f);
		return -1;
	}
	memcpy(bus->ram + start, f.data, f.size);
	*start_out = start;
	*end_out = start + f.size;
	file_map__close(&f);
	return 0;
}
