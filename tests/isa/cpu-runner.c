// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the differential ISA test program (a static mips64el Linux binary)
 * on mvm's CPU core in user mode, playing the part qemu-user plays for the
 * oracle: it maps the program with wired TLB entries, emulates the handful
 * of system calls the program makes and delivers signals for exceptions.
 * The program's own output (one record per case) goes to stdout.
 *
 * Every exception vector holds a WAIT: with Status.IM = 0 that makes
 * cpu__run() return CPU_EXIT_POWEROFF, and the runner inspects Cause/EPC,
 * handles the event and resumes the guest through an ERET.
 *
 * usage: cpu-runner PROGRAM.elf > records
 */
#include <elf.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "cpu.h"
#include "isa-record.h"

#define RAM_SIZE		(128ull << 20)
#define KSEG0			0xffffffff80000000ull
#define STUB_PA			0x1000ull	/* TLB set-up and the ERET */
#define SETUP_TABLE_PA		0x2000ull	/* values the stub loads */
#define ERET_PA			0x1f00ull	/* where the runner resumes the guest */

/* Status: user mode, 64-bit user segment, interrupts masked. */
#define ST_EXL			(1ull << 1)
#define ST_KSU_USER		(2ull << 3)
#define ST_UX			(1ull << 5)

#define PAGE_16M		0x1000000ull
#define PAGEMASK_16M		0x1ffe000ull

/* n64 system calls and MIPS signal numbers the program uses */
#define NR_WRITE		5001
#define NR_RT_SIGACTION		5013
#define NR_EXIT			5058
#define NR_SIGALTSTACK		5129
#define NR_EXIT_GROUP		5205
#define NR_SET_THREAD_AREA	5242
#define SIG_ILL			4
#define SIG_TRAP		5
#define SIG_FPE			8
#define SIG_BUS			10
#define SIG_SEGV		11
#define SIG_ALRM		14
#define SIG_MAX			32
#define MIPS_SA_SIGINFO		0x00000008u

/* A case that makes no progress for this long is cut off with SIGALRM. */
#define CASE_TIMEOUT_SEC	5

/*
 * The program's virtual memory: two ranges, each mapped by wired TLB entries
 * of 16 MiB page pairs onto contiguous physical memory. They cover the
 * scratch window (and the ELF header page below it) and text/data/bss.
 */
struct region {
	uint64_t va, pa, size;
};

static const struct region regions[] = {
	{ 0x10e000000ull, 0x3000000ull, 0x4000000ull },
	{ 0x120000000ull, 0x1000000ull, 0x2000000ull },
};

struct runner {
	struct bus bus;
	struct cpu *cpu;
	uint64_t handler[SIG_MAX];
	uint64_t altstack_sp, altstack_size;
	_Atomic uint64_t progress;	/* events handled, for the watchdog */
	int exit_status;
	bool exited;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("cpu-runner: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* Host pointer for guest virtual [va, va + len), or NULL if not mapped. */
static uint8_t *runner__host(struct runner *r, uint64_t va, uint64_t len)
{
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		const struct region *reg = &regions[i];

		if (va >= reg->va && len <= reg->size &&
		    va - reg->va <= reg->size - len)
			return r->bus.ram + reg->pa + (va - reg->va);
	}
	return NULL;
}

static void runner__load_elf(struct runner *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fread(&eh, sizeof(eh), 1, f) != 1 ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_MIPS ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		die("%s: not a 64-bit little-endian MIPS ELF", path);
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint8_t *dst;

		if (fseek(f, (long)(eh.e_phoff + i * sizeof(ph)), SEEK_SET) ||
		    fread(&ph, sizeof(ph), 1, f) != 1)
			die("%s: truncated program headers", path);
		if (ph.p_type != PT_LOAD)
			continue;
		dst = runner__host(r, ph.p_vaddr, ph.p_memsz);
		if (!dst || ph.p_filesz > ph.p_memsz)
			die("%s: segment at %#llx does not fit the runner's map",
			    path, (unsigned long long)ph.p_vaddr);
		if (fseek(f, (long)ph.p_offset, SEEK_SET) ||
		    fread(dst, 1, ph.p_filesz, f) != ph.p_filesz)
			die("%s: truncated segment", path);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
	fclose(f);
	r->cpu->pc = eh.e_entry;	/* where the stub's ERET goes */
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Cacheable (C = 3), dirty, valid, global. */
static uint64_t entrylo(uint64_t pa)
{
	return (pa >> 12) << 6 | 3ull << 3 | 7ull;
}

/* Instruction encodings used by the kernel-mode stub. */
static uint32_t enc_ld(int rt, int base, int off)
{
	return 0xdc000000u | base << 21 | rt << 16 | (off & 0xffff);
}

static uint32_t enc_dmtc0(int rt, int rd, int sel)
{
	return 0x40a00000u | rt << 16 | rd << 11 | sel;
}

#define INSN_TLBWI	0x42000002u
#define INSN_ERET	0x42000018u
#define INSN_WAIT	0x42000020u
#define INSN_EHB	0x000000c0u

/*
 * Fills the exception vectors with WAIT and writes the kernel-mode stub:
 * it loads CP0 values from a table (a0 points to it) with the CPU's own
 * MTC0/TLBWI, so the runner relies on nothing but the architecture, then
 * ERETs into the program's entry point.
 */
static void runner__write_stub(struct runner *r, uint64_t entry)
{
	static const uint64_t vectors[] = { 0x000, 0x080, 0x100, 0x180, 0x200 };
	uint8_t *ram = r->bus.ram;
	uint8_t *code = ram + STUB_PA, *table = ram + SETUP_TABLE_PA;
	int n = 0, t = 0, index = 0;

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		put32(ram + vectors[i], INSN_WAIT);
		put32(ram + vectors[i] + 4, 0);
	}
#define EMIT(insn)	put32(code + 4 * n++, (insn))
#define LOAD_MTC0(value, rd, sel) do {					\
		put64(table + 8 * t, (value));				\
		EMIT(enc_ld(8, 4, 8 * t++));				\
		EMIT(enc_dmtc0(8, (rd), (sel)));			\
	} while (0)
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		const struct region *reg = &regions[i];

		for (uint64_t off = 0; off < reg->size; off += 2 * PAGE_16M) {
			uint64_t pa = reg->pa + off;

			LOAD_MTC0(index++, 0, 0);		/* Index */
			LOAD_MTC0(PAGEMASK_16M, 5, 0);		/* PageMask */
			LOAD_MTC0(reg->va + off, 10, 0);	/* EntryHi, ASID 0 */
			LOAD_MTC0(entrylo(pa), 2, 0);		/* EntryLo0 */
			LOAD_MTC0(entrylo(pa + PAGE_16M), 3, 0);	/* EntryLo1 */
			EMIT(INSN_EHB);
			EMIT(INSN_TLBWI);
		}
	}
	LOAD_MTC0(index, 6, 0);					/* Wired */
	LOAD_MTC0(0, 5, 0);					/* PageMask */
	LOAD_MTC0(0, 10, 0);					/* EntryHi */
	LOAD_MTC0((1ull << 29) | 0xf, 7, 0);			/* HWREna */
	LOAD_MTC0(entry, 14, 0);				/* EPC */
	LOAD_MTC0(ST_KSU_USER | ST_UX | ST_EXL, 12, 0);		/* Status */
	EMIT(INSN_EHB);
	EMIT(INSN_ERET);
	if (STUB_PA + 4 * n > ERET_PA || 8 * t > 0x1000)
		die("set-up stub too large");
#undef LOAD_MTC0
#undef EMIT
	r->cpu->gpr[4] = KSEG0 + SETUP_TABLE_PA;
	r->cpu->pc = KSEG0 + STUB_PA;
}

static void runner__resume(struct runner *r, uint64_t pc)
{
	r->cpu->cp0.epc = pc;
	r->cpu->pc = KSEG0 + ERET_PA;
	r->cpu->in_wait = false;
}

/* Still in user mode (not at a vector): continue at pc directly. */
static void runner__redirect(struct runner *r, uint64_t pc)
{
	r->cpu->pc = pc;
	r->cpu->in_wait = false;
}

static void runner__syscall(struct runner *r)
{
	struct cpu *cpu = r->cpu;
	uint64_t *a = &cpu->gpr[4], ret = 0;
	const uint8_t *p;

	switch (cpu->gpr[2]) {
	case NR_WRITE:
		p = runner__host(r, a[1], a[2]);
		if (a[0] != 1 || !p)
			die("write(%llu, %#llx, %llu): bad arguments",
			    (unsigned long long)a[0], (unsigned long long)a[1],
			    (unsigned long long)a[2]);
		if (fwrite(p, 1, a[2], stdout) != a[2])
			die("write to stdout: %s", strerror(errno));
		ret = a[2];
		break;
	case NR_RT_SIGACTION:
		p = runner__host(r, a[1], 16);
		if (a[0] >= SIG_MAX || !p || !(p[0] & MIPS_SA_SIGINFO))
			die("rt_sigaction(%llu): unsupported", (unsigned long long)a[0]);
		r->handler[a[0]] = get64(p + 8);
		break;
	case NR_SIGALTSTACK:
		p = runner__host(r, a[0], 24);
		if (!p)
			die("sigaltstack: bad pointer");
		r->altstack_sp = get64(p);
		r->altstack_size = get64(p + 8);
		if (!runner__host(r, r->altstack_sp, r->altstack_size) ||
		    r->altstack_size < 4096)
			die("sigaltstack: stack not mapped");
		break;
	case NR_SET_THREAD_AREA:
		cpu->cp0.userlocal = a[0];
		break;
	case NR_EXIT:
	case NR_EXIT_GROUP:
		r->exited = true;
		r->exit_status = (int)a[0];
		return;
	default:
		die("unexpected system call %llu at %#llx",
		    (unsigned long long)cpu->gpr[2], (unsigned long long)cpu->cp0.epc);
	}
	cpu->gpr[2] = ret;
	cpu->gpr[7] = 0;
	runner__resume(r, cpu->cp0.epc + 4);
}

/*
 * What Linux does for a signal with SA_SIGINFO on the alternate stack, as
 * far as the program looks: a ucontext holding the interrupted state, and
 * the handler called with (sig, info, ucontext).
 */
static void runner__deliver(struct runner *r, int sig, uint64_t pc,
			    uint64_t fault_addr)
{
	struct cpu *cpu = r->cpu;
	struct isa_ucontext uc;
	uint64_t frame, info;
	uint8_t *p;

	if (sig >= SIG_MAX || !r->handler[sig == SIG_ALRM ? SIG_SEGV : sig])
		die("signal %d at %#llx with no handler", sig, (unsigned long long)pc);
	frame = (r->altstack_sp + r->altstack_size - sizeof(uc) - 128) & ~15ull;
	info = frame + sizeof(uc);
	memset(&uc, 0, sizeof(uc));
	memcpy(uc.mcontext.regs, cpu->gpr, sizeof(uc.mcontext.regs));
	uc.mcontext.regs[0] = 0;
	uc.mcontext.mdhi = cpu->hi;
	uc.mcontext.mdlo = cpu->lo;
	uc.mcontext.pc = pc;
	p = runner__host(r, frame, sizeof(uc) + 128);
	if (!p)
		die("signal frame not mapped");
	memcpy(p, &uc, sizeof(uc));
	memset(p + sizeof(uc), 0, 128);
	put32(p + sizeof(uc), (uint32_t)sig);
	put64(p + sizeof(uc) + ISA_SIGINFO_ADDR, fault_addr);
	cpu->gpr[4] = (uint64_t)sig;
	cpu->gpr[5] = info;
	cpu->gpr[6] = frame;
	cpu->gpr[29] = frame - 32;
	cpu->gpr[25] = r->handler[sig == SIG_ALRM ? SIG_SEGV : sig];
	cpu->gpr[31] = 0;
}

/* The signal qemu-user raises for each exception of a user program. */
static int signal_for(enum exc_code code)
{
	switch (code) {
	case EXC_OV:
		return SIG_FPE;
	case EXC_TR:
	case EXC_BP:
		return SIG_TRAP;
	case EXC_ADEL:
	case EXC_ADES:
	case EXC_IBE:
	case EXC_DBE:
		return SIG_BUS;
	case EXC_TLBL:
	case EXC_TLBS:
	case EXC_MOD:
		return SIG_SEGV;
	case EXC_RI:
	case EXC_CPU:
		return SIG_ILL;
	default:
		return 0;
	}
}

/* cpu__run() returned POWEROFF: the guest reached an exception vector. */
static void runner__exception(struct runner *r)
{
	struct cpu *cpu = r->cpu;
	enum exc_code code = (enum exc_code)((cpu->cp0.cause >> 2) & 0x1f);
	int sig;

	if (!(cpu->cp0.status & ST_EXL)) {
		/* WAIT outside a vector: the program itself ran WAIT. */
		runner__deliver(r, SIG_ILL, cpu->pc, 0);
		runner__redirect(r, cpu->gpr[25]);
		return;
	}
	if (code == EXC_SYS) {
		runner__syscall(r);
		return;
	}
	sig = signal_for(code);
	if (!sig) {
		cpu__dump(cpu);
		die("unexpected exception %d", code);
	}
	runner__deliver(r, sig, cpu->cp0.epc,
			sig == SIG_BUS || sig == SIG_SEGV ? cpu->cp0.badvaddr : 0);
	runner__resume(r, cpu->gpr[25]);
}

/* Cuts off a case that loops forever, so the others still run. */
static void *runner__watchdog(void *arg)
{
	struct runner *r = arg;
	uint64_t last = (uint64_t)-1;
	int idle = 0;

	for (;;) {
		uint64_t now = atomic_load(&r->progress);

		sleep(1);
		idle = now == last ? idle + 1 : 0;
		last = now;
		if (idle >= CASE_TIMEOUT_SEC) {
			cpu__kick(r->cpu);
			idle = 0;
		}
	}
	return NULL;
}

/* The kick interrupted a user-mode loop: end that case with SIGALRM. */
static void runner__timeout(struct runner *r)
{
	struct cpu *cpu = r->cpu;

	fprintf(stderr, "cpu-runner: no progress at pc %#llx: case cut off\n",
		(unsigned long long)cpu->pc);
	runner__deliver(r, SIG_ALRM, cpu->pc, 0);
	runner__redirect(r, cpu->gpr[25]);
}

int main(int argc, char **argv)
{
	static struct runner r;
	pthread_t watchdog;

	if (argc != 2)
		die("usage: cpu-runner PROGRAM.elf > records");
	if (bus__init(&r.bus, RAM_SIZE, false))
		die("cannot create the guest's memory");
	r.cpu = cpu__create(&r.bus, 0);
	if (!r.cpu)
		die("cannot create the CPU");
	runner__load_elf(&r, argv[1]);
	runner__write_stub(&r, r.cpu->pc);
	put32(r.bus.ram + ERET_PA, INSN_ERET);
	if (pthread_create(&watchdog, NULL, runner__watchdog, &r))
		die("cannot start the watchdog");
	while (!r.exited) {
		enum cpu_exit why = cpu__run(r.cpu);

		atomic_fetch_add(&r.progress, 1);
		if (why == CPU_EXIT_KICK)
			runner__timeout(&r);
		else if (why == CPU_EXIT_POWEROFF)
			runner__exception(&r);
		else {
			cpu__dump(r.cpu);
			die("the CPU halted");
		}
	}
	fflush(stdout);
	return r.exit_status;
}
