/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Freestanding driver of the differential ISA test program (MIPS64 n64, no
 * libc). For every generated case it fills the scratch window, loads all
 * registers from the case's table, runs the case and writes one record of
 * the state at the trap that ends it. The signal handler is the only place
 * that records state, so a normal end (the case's final `teq $0,$0`) and an
 * exception inside the case are recorded the same way.
 */
#include "isa-record.h"

#define NR_WRITE		5001
#define NR_RT_SIGACTION		5013
#define NR_SIGALTSTACK		5129
#define NR_EXIT_GROUP		5205
#define NR_SET_THREAD_AREA	5242

#define MIPS_SA_SIGINFO		0x00000008u
#define MIPS_SA_ONSTACK		0x08000000u
#define MIPS_SA_NODEFER		0x40000000u

/* The kernel's struct sigaction on MIPS: flags first, no restorer. */
struct kernel_sigaction {
	unsigned int flags;
	void (*handler)(int, void *, void *);
	unsigned long mask[2];
};

struct kernel_stack {
	void *sp;
	unsigned long size;
	int flags;
};

/* Generated: tests/isa/gen.py */
extern const unsigned long isa_case_count;
extern const unsigned long isa_case_regs[][ISA_TABLE_WORDS];
extern void (*const isa_case_entry[])(void);

void run_case(const unsigned long *regs, void (*entry)(void));
void case_recover(void) __attribute__((noreturn));
long driver_main(void);

static struct isa_record record;
static unsigned long altstack[8192] __attribute__((aligned(16)));
static unsigned long current_case;

static long syscall4(long nr, long a0, long a1, long a2, long a3)
{
	register long v0 __asm__("$2") = nr;
	register long r4 __asm__("$4") = a0;
	register long r5 __asm__("$5") = a1;
	register long r6 __asm__("$6") = a2;
	register long r7 __asm__("$7") = a3;

	__asm__ volatile("syscall"
			 : "+r"(v0), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
			 :
			 : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13",
			   "$14", "$15", "$24", "$25", "hi", "lo", "memory");
	return r7 ? -v0 : v0;
}

static long syscall3(long nr, long a0, long a1, long a2)
{
	return syscall4(nr, a0, a1, a2, 0);
}

static void write_all(const void *buf, unsigned long len)
{
	const char *p = buf;

	while (len) {
		long n = syscall3(NR_WRITE, 1, (long)p, (long)len);

		if (n <= 0)
			syscall3(NR_EXIT_GROUP, 2, 0, 0);
		p += n;
		len -= n;
	}
}

static void copy_bytes(void *dst, const volatile void *src, unsigned long n)
{
	char *d = dst;
	const volatile char *s = src;

	while (n--)
		*d++ = *s++;
}

/* Each case starts from its own deterministic memory contents. */
static void fill_scratch(unsigned long seed)
{
	volatile unsigned long *w = (volatile unsigned long *)ISA_SCRATCH;
	unsigned long x = seed * 0x9e3779b97f4a7c15ul + 0x0123456789abcdeful;

	for (unsigned int i = 0; i < ISA_SCRATCH_SIZE / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w[i] = x;
	}
}

static void on_signal(int sig, void *info, void *ucv)
{
	const struct isa_ucontext *uc = ucv;

	record.magic = ISA_RECORD_MAGIC;
	record.index = current_case;
	record.signo = sig;
	record.pc = uc->mcontext.pc;
	record.addr = 0;
	if (sig == 10 || sig == 11)	/* SIGBUS, SIGSEGV */
		copy_bytes(&record.addr, (const char *)info + ISA_SIGINFO_ADDR, 8);
	copy_bytes(record.gpr, uc->mcontext.regs, sizeof(record.gpr));
	record.hi = uc->mcontext.mdhi;
	record.lo = uc->mcontext.mdlo;
	copy_bytes(record.mem, (const volatile void *)ISA_SCRATCH,
		   sizeof(record.mem));
	write_all(&record, sizeof(record));
	case_recover();
}

static void install_handlers(void)
{
	static const int signals[] = { 4, 5, 8, 10, 11 };	/* ILL TRAP FPE BUS SEGV */
	struct kernel_stack ss = { altstack, sizeof(altstack), 0 };
	struct kernel_sigaction sa = {
		.flags = MIPS_SA_SIGINFO | MIPS_SA_ONSTACK | MIPS_SA_NODEFER,
		.handler = on_signal,
	};

	if (syscall3(NR_SIGALTSTACK, (long)&ss, 0, 0) < 0)
		syscall3(NR_EXIT_GROUP, 3, 0, 0);
	for (unsigned int i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (syscall4(NR_RT_SIGACTION, signals[i], (long)&sa, 0, 16) < 0)
			syscall3(NR_EXIT_GROUP, 4, 0, 0);
}

long driver_main(void)
{
	install_handlers();
	syscall3(NR_SET_THREAD_AREA, ISA_USERLOCAL, 0, 0);
	for (current_case = 0; current_case < isa_case_count; current_case++) {
		fill_scratch(current_case);
		run_case(isa_case_regs[current_case],
			 isa_case_entry[current_case]);
	}
	return 0;
}
