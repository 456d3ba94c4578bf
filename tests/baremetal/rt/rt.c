// SPDX-License-Identifier: GPL-2.0
/* The bare-metal test runtime: UART, printf, checks, exception dispatch, TLB helpers. */
#include <stdarg.h>

#include "rt.h"

#ifndef UART_BASE
#define UART_BASE	0xffffffffbe000000ULL	/* ns16550 at physical 0x1e000000 via ckseg1 */
#endif
#ifndef UART_SHIFT
#define UART_SHIFT	0
#endif
#define UART_THR	(UART_BASE + (0 << UART_SHIFT))
#define UART_LSR	(UART_BASE + (5 << UART_SHIFT))
#define LSR_THRE	0x20

volatile int exc_n;
struct exc_rec exc_log[EXC_LOG_MAX];
volatile u64 exc_resume;
volatile u64 exc_user_return;
volatile bool exc_user_abort;
void (*volatile irq_hook)(u64 cause);
bool (*volatile exc_hook)(struct frame *f, u64 cause);
struct frame exc_frame;
u64 exc_stack[1024] __attribute__((aligned(16)));
static int test_no;
static bool in_handler;

void putch(char c)
{
	int spins = 0;

	if (c == '\n')
		putch('\r');
	while (!(*(volatile uint8_t *)(uintptr_t)UART_LSR & LSR_THRE) && spins < 1000000)
		spins++;
	*(volatile uint8_t *)(uintptr_t)UART_THR = (uint8_t)c;
}

void puts_(const char *s)
{
	while (*s)
		putch(*s++);
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static void put_num(u64 v, unsigned int base, int width, bool zero, bool neg)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (n < width)
		putch(zero ? '0' : ' '), width--;
	while (n)
		putch(buf[--n]);
}

static void vprintf_(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		bool zero = false;

		if (*fmt != '%') {
			putch(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			zero = true, fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			lng++, fmt++;
		switch (*fmt) {
		case 'd': {
			s64 v = lng ? va_arg(ap, s64) : va_arg(ap, int);

			put_num(v < 0 ? -(u64)v : (u64)v, 10, width, zero, v < 0);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, u64) : va_arg(ap, unsigned int), 10, width, zero, false);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, u64) : va_arg(ap, unsigned int), 16, width, zero, false);
			break;
		case 's':
			puts_(va_arg(ap, const char *));
			break;
		case 'c':
			putch((char)va_arg(ap, int));
			break;
		default:
			putch(*fmt);
		}
	}
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf_(fmt, ap);
	va_end(ap);
	return 0;
}

static void result(bool ok, const char *name, va_list ap)
{
	printf("%s %d - ", ok ? "ok" : "not ok", ++test_no);
	vprintf_(name, ap);
}

bool check_eq(u64 got, u64 expected, const char *name, ...)
{
	va_list ap;

	va_start(ap, name);
	result(got == expected, name, ap);
	va_end(ap);
	if (got != expected)
		printf(": expected 0x%lx got 0x%lx", expected, got);
	putch('\n');
	return got == expected;
}

bool check_true(bool cond, const char *name, ...)
{
	va_list ap;

	va_start(ap, name);
	result(cond, name, ap);
	va_end(ap);
	putch('\n');
	return cond;
}

void skip(const char *reason, const char *name, ...)
{
	va_list ap;

	va_start(ap, name);
	result(true, name, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
}

void known_bug(const char *desc, const char *name, ...)
{
	va_list ap;

	va_start(ap, name);
	result(true, name, ap);
	va_end(ap);
	printf(" # SKIP known CPU bug: %s\n", desc);
}

static const char *const exc_names[32] = {
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE", "Sys", "Bp", "RI",
	"CpU", "Ov", "Tr", "?14", "FPE", "?16", "?17", "C2E", "?19", "?20", "?21",
	"MDMX", "WATCH", "MCheck", "Thread", "DSP", "?27", "?28", "?29", "CacheErr", "?31",
};

bool check_exc(int idx, int vec, int code, const char *name)
{
	const struct exc_rec *r = &exc_log[idx];

	if (exc_n <= idx) {
		printf("not ok %d - %s: expected exception %s at vector 0x%x, got none\n",
		       ++test_no, name, exc_names[code], vec);
		return false;
	}
	if ((int)r->vec != vec || (int)CA_EXC(r->cause) != code) {
		printf("not ok %d - %s: expected %s at vector 0x%x got %s at 0x%x (EPC 0x%lx)\n",
		       ++test_no, name, exc_names[code], vec,
		       exc_names[CA_EXC(r->cause)], (int)r->vec, r->epc);
		return false;
	}
	printf("ok %d - %s\n", ++test_no, name);
	return true;
}

void exc_reset(void)
{
	exc_n = 0;
	exc_resume = 0;
	exc_user_abort = false;
	memset(exc_log, 0, sizeof(exc_log));
}

/* Called from exc_common with EXL set; may change f->epc. */
void exc_dispatch(struct frame *f)
{
	u64 cause = (u64)MFC0(C0_CAUSE), status = (u64)MFC0(C0_STATUS);
	struct exc_rec *r;

	if (in_handler) {
		printf("Bail out! nested exception cause 0x%lx epc 0x%lx\n", cause, f->epc);
		bm_poweroff();
	}
	in_handler = true;
	r = &exc_log[exc_n < EXC_LOG_MAX ? exc_n : EXC_LOG_MAX - 1];
	r->vec = f->vec;
	r->cause = cause;
	r->status = status;
	r->epc = f->epc;
	r->badvaddr = DMFC0(C0_BADVADDR);
	r->context = DMFC0(C0_CONTEXT);
	r->xcontext = DMFC0(C0_XCONTEXT);
	r->entryhi = DMFC0(C0_ENTRYHI);
	memcpy(r->regs, f->regs, sizeof(r->regs));
	if (exc_n < 100000)
		exc_n++;
	if (exc_n > 200 && !exc_hook) {
		printf("Bail out! exception storm: cause 0x%lx epc 0x%lx badvaddr 0x%lx\n",
		       cause, f->epc, r->badvaddr);
		bm_poweroff();
	}

	if (exc_hook && exc_hook(f, cause)) {
		/* handled by the test: return to EPC as the hook left it */
	} else if (CA_EXC(cause) == 0) {
		if (irq_hook)
			irq_hook(cause);
		else
			MTC0(C0_STATUS, status & ~(u64)ST_IM_ALL);
	} else if ((status & ST_KSU_MASK) && exc_user_return &&
		   (CA_EXC(cause) == 8 || exc_user_abort)) {
		/* user syscall (or any user exception with exc_user_abort): back to go_user's caller */
		f->epc = exc_user_return;
		exc_user_return = 0;
		MTC0(C0_STATUS, status & ~(u64)ST_KSU_MASK);
	} else if (exc_resume) {
		f->epc = exc_resume;
		exc_resume = 0;
		MTC0(C0_STATUS, status & ~(u64)ST_KSU_MASK);
	} else {
		f->epc += (cause & CA_BD) ? 8 : 4;
	}
	in_handler = false;
}

/* TLB */
int tlb_entries(void)
{
	return (int)((MFC0(C0_CONFIG1) >> 25) & 0x3f) + 1;
}

void tlb_write(int index, u64 entryhi, u64 lo0, u64 lo1, u64 pagemask)
{
	MTC0(C0_INDEX, index);
	DMTC0(C0_ENTRYHI, entryhi);
	DMTC0(C0_ENTRYLO0, lo0);
	DMTC0(C0_ENTRYLO1, lo1);
	MTC0(C0_PAGEMASK, pagemask);
	asm volatile("tlbwi\n\tehb" ::: "memory");
}

void tlb_read(int index, u64 *entryhi, u64 *lo0, u64 *lo1, u64 *pagemask)
{
	MTC0(C0_INDEX, index);
	asm volatile("tlbr\n\tehb" ::: "memory");
	*entryhi = DMFC0(C0_ENTRYHI);
	*lo0 = DMFC0(C0_ENTRYLO0);
	*lo1 = DMFC0(C0_ENTRYLO1);
	*pagemask = (u64)MFC0(C0_PAGEMASK);
}

long tlb_probe(u64 entryhi)
{
	DMTC0(C0_ENTRYHI, entryhi);
	asm volatile("tlbp\n\tehb" ::: "memory");
	return MFC0(C0_INDEX);
}

void tlb_invalidate(int index)
{
	tlb_write(index, CKSEG0 + ((u64)index << 13), 0, 0, 0);
}

void tlb_init(void)
{
	int i, n = tlb_entries();

	for (i = 0; i < n; i++)
		tlb_invalidate(i);
	DMTC0(C0_ENTRYHI, 0);
	MTC0(C0_WIRED, 0);
}

int segbits(void)
{
	u64 old = DMFC0(C0_ENTRYHI), v;
	int n = 13;

	DMTC0(C0_ENTRYHI, 0x3fffffffffffe000ULL);
	v = DMFC0(C0_ENTRYHI);
	DMTC0(C0_ENTRYHI, old);
	while (n < 62 && (v >> n) & 1)
		n++;
	return n;
}


u64 count_hz = 100000000;

static u32 fdt32(const unsigned char *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static u32 str_size(const char *s)
{
	u32 n = 0;

	while (s[n])
		n++;
	return n + 1;
}

/*
 * The Count rate, as the kernel would derive it: half the clock-frequency
 * of the board's cpu-clock node in the DTB that UHI (a0 = -2) passes in a1.
 * The walk trusts the VMM's DTB; it keeps the 100 MHz default without one.
 */
static void read_count_hz(long uhi, u64 dtb)
{
	const unsigned char *fdt = (const unsigned char *)(uintptr_t)dtb, *p;
	const char *strings;
	int depth = 0, clock_depth = -1;

	if (uhi != -2 || fdt32(fdt) != 0xd00dfeed)
		return;
	p = fdt + fdt32(fdt + 8);
	strings = (const char *)fdt + fdt32(fdt + 12);
	for (;;) {
		u32 token = fdt32(p), len;

		p += 4;
		switch (token) {
		case 1:		/* FDT_BEGIN_NODE */
			depth++;
			if (str_eq((const char *)p, "cpu-clock"))
				clock_depth = depth;
			p += (str_size((const char *)p) + 3) & ~3u;
			break;
		case 2:		/* FDT_END_NODE */
			if (depth == clock_depth)
				return;
			depth--;
			break;
		case 3:		/* FDT_PROP */
			len = fdt32(p);
			if (depth == clock_depth && len == 4 &&
			    str_eq(strings + fdt32(p + 4), "clock-frequency")) {
				count_hz = fdt32(p + 8) / 2;
				return;
			}
			p += 8 + ((len + 3) & ~3u);
			break;
		case 4:		/* FDT_NOP */
			break;
		default:	/* FDT_END */
			return;
		}
	}
}

/* Called from _start with the boot arguments: run the program, mark its end (the suite checks it), power off. */
void bm_entry(long a0, u64 a1)
{
	read_count_hz(a0, a1);
	printf("# %s\n", bm_name);
	tlb_init();
	bm_main();
	printf("# end %s\n", bm_name);
	bm_poweroff();
}
