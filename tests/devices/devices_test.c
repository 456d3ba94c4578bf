// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the virt board's own devices, driven through the bus as
 * the CPU would drive them: the 16550 UART (the register sequences the
 * Linux 8250 driver relies on), syscon, the goldfish RTC and its alarm,
 * level-triggered shared interrupt lines, and bus edge cases. TAP output.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "cli.h"
#include "device.h"
#include "loader.h"
#include "uart_8250.h"

static int test_nr, failures;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++test_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failures++;
}

static struct board *new_board(void)
{
	struct vm_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.mem_size = 64 << 20;
	cfg.nr_cpus = 1;
	cfg.backend = "emu";
	cfg.append = "";
	return board__create(&cfg);
}

static uint64_t rd(struct board *b, uint64_t pa, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	if (!bus__mmio_read(&b->bus, pa, size, &v))
		return ~0ULL;
	return v;
}

static void wr(struct board *b, uint64_t pa, unsigned int size, uint64_t v)
{
	bus__mmio_write(&b->bus, pa, size, v);
}

static bool line_up(struct board *b, int ip)
{
	return b->irq_raised[ip] != 0;
}

/* UART registers, reg-shift 0 */
#define U(reg)	(BOARD_UART_BASE + (reg))
enum { RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

static void test_uart_thre(struct board *b)
{
	check(rd(b, U(LSR), 1) == 0x60, "uart: after reset LSR = THRE | TEMT");
	check(rd(b, U(IIR), 1) == 0x01 && !line_up(b, BOARD_UART_IRQ),
	      "uart: after reset no interrupt pending");
	/* serial8250_do_startup's THRE test: enable, read IIR, disable, re-enable */
	wr(b, U(IER), 1, 0x02);
	check(line_up(b, BOARD_UART_IRQ), "uart: enabling THRI with an empty THR raises IP2");
	check(rd(b, U(IIR), 1) == 0x02, "uart: IIR reports THRE");
	check(rd(b, U(IIR), 1) == 0x01 && !line_up(b, BOARD_UART_IRQ),
	      "uart: reading IIR acknowledges THRE and lowers IP2");
	wr(b, U(IER), 1, 0x00);
	wr(b, U(IER), 1, 0x02);
	check(rd(b, U(IIR), 1) == 0x02, "uart: re-enabling THRI re-asserts THRE");
	wr(b, U(IER), 1, 0x00);
	check(!line_up(b, BOARD_UART_IRQ), "uart: IER = 0 lowers IP2");
}

static void test_uart_tx(struct board *b, int out_fd)
{
	char buf[8] = { 0 };

	wr(b, U(IER), 1, 0x02);
	rd(b, U(IIR), 1);
	wr(b, U(RBR), 1, 'q');
	check(read(out_fd, buf, sizeof(buf)) == 1 && buf[0] == 'q',
	      "uart: a THR write reaches the output at once");
	check(rd(b, U(IIR), 1) == 0x02 && (rd(b, U(LSR), 1) & 0x60) == 0x60,
	      "uart: THRE is pending again after the byte went out");
	wr(b, U(IER), 1, 0x00);
}

static void test_uart_dlab(struct board *b)
{
	wr(b, U(LCR), 1, 0x83);
	wr(b, U(RBR), 1, 0x01);
	wr(b, U(IER), 1, 0x00);
	check(rd(b, U(RBR), 1) == 0x01 && rd(b, U(IER), 1) == 0x00 &&
	      rd(b, U(LCR), 1) == 0x83, "uart: DLAB selects DLL/DLM (115200 baud divisor)");
	wr(b, U(LCR), 1, 0x03);
	check(rd(b, U(IER), 1) == 0x00 && rd(b, U(LCR), 1) == 0x03,
	      "uart: clearing DLAB brings back IER");
	wr(b, U(SCR), 1, 0x5a);
	check(rd(b, U(SCR), 1) == 0x5a, "uart: scratch register keeps its value");
}

static void test_uart_rx(struct board *b)
{
	int i;
	bool ok = true;

	wr(b, U(FCR), 1, 0x07);	/* enable and clear FIFOs */
	check((rd(b, U(IIR), 1) & 0xc0) == 0xc0, "uart: IIR shows the FIFOs enabled");
	wr(b, U(IER), 1, 0x01);
	check(uart_8250__receive(b->uart, 'a', 10) && uart_8250__receive(b->uart, 'b', 10),
	      "uart: the console hands over two bytes");
	check((rd(b, U(LSR), 1) & 0x01) && rd(b, U(IIR), 1) == 0xc4 && line_up(b, BOARD_UART_IRQ),
	      "uart: data ready sets LSR.DR, IIR = RX data, IP2 up");
	check(rd(b, U(RBR), 1) == 'a' && rd(b, U(RBR), 1) == 'b', "uart: bytes come out in order");
	check(!(rd(b, U(LSR), 1) & 0x01) && rd(b, U(IIR), 1) == 0xc1 && !line_up(b, BOARD_UART_IRQ),
	      "uart: an empty FIFO clears DR and lowers IP2");
	for (i = 0; i < 16; i++)
		ok &= uart_8250__receive(b->uart, 'A' + i, 10);
	check(ok && !uart_8250__receive(b->uart, '!', 20),
	      "uart: 16 bytes fill the FIFO; the 17th waits and times out");
	check(rd(b, U(RBR), 1) == 'A' && uart_8250__receive(b->uart, '!', 10),
	      "uart: reading one byte makes room for the next");
	wr(b, U(FCR), 1, 0x03);
	check(!(rd(b, U(LSR), 1) & 0x01), "uart: FCR clears the receive FIFO");
	wr(b, U(IER), 1, 0x00);
}

static void test_uart_loopback(struct board *b, int out_fd)
{
	char buf[4];

	/* the 8250 driver's autoconfig loopback check */
	wr(b, U(MCR), 1, 0x10 | 0x0a);
	check((rd(b, U(MSR), 1) & 0xf0) == 0x90, "uart: loopback MSR = CTS | DCD for RTS | OUT2");
	wr(b, U(RBR), 1, 'z');
	check(rd(b, U(RBR), 1) == 'z' && read(out_fd, buf, sizeof(buf)) < 0,
	      "uart: loopback returns THR bytes to RBR, nothing goes out");
	wr(b, U(MCR), 1, 0x0b);
	check((rd(b, U(MSR), 1) & 0xf0) == 0xb0, "uart: without loopback the modem lines are up");
	check(rd(b, U(0x20), 4) == 0, "uart: registers past 7 read as 0");
}

static void test_syscon(void)
{
	struct board *b = new_board();

	wr(b, BOARD_SYSCON_BASE, 4, 7);
	check(board__state(b) == BOARD_RUNNING, "syscon: other values are ignored");
	wr(b, BOARD_SYSCON_BASE, 4, 1);
	check(board__state(b) == BOARD_REBOOT, "syscon: 1 at offset 0 requests a reboot");
	wr(b, BOARD_SYSCON_BASE, 4, 2);
	check(board__state(b) == BOARD_REBOOT, "syscon: the first request wins");
	board__destroy(b);
	b = new_board();
	wr(b, BOARD_SYSCON_BASE, 4, 2);
	check(board__state(b) == BOARD_POWEROFF, "syscon: 2 requests power-off");
	board__destroy(b);
}

static uint64_t rtc_now(struct board *b)
{
	uint64_t lo = rd(b, BOARD_RTC_BASE + 0x00, 4);

	return rd(b, BOARD_RTC_BASE + 0x04, 4) << 32 | lo;
}

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void test_rtc(struct board *b)
{
	uint64_t t = rtc_now(b), then = 946684800ULL * 1000000000ULL; /* 2000-01-01 */
	int waited;

	check(t > host_ns() - 1000000000ULL && t <= host_ns(), "rtc: reads the host wall clock in ns");
	wr(b, BOARD_RTC_BASE + 0x04, 4, then >> 32);
	wr(b, BOARD_RTC_BASE + 0x00, 4, (uint32_t)then);
	t = rtc_now(b);
	check(t >= then && t < then + 1000000000ULL, "rtc: the guest can set the time (HIGH, then LOW)");

	t = rtc_now(b) + 50000000ULL;	/* in 50 ms */
	wr(b, BOARD_RTC_BASE + 0x10, 4, 1);
	wr(b, BOARD_RTC_BASE + 0x0c, 4, t >> 32);
	wr(b, BOARD_RTC_BASE + 0x08, 4, (uint32_t)t);
	check(rd(b, BOARD_RTC_BASE + 0x18, 4) == 1 && !line_up(b, BOARD_RTC_IRQ),
	      "rtc: an alarm is armed, not yet due");
	for (waited = 0; waited < 2000 && !line_up(b, BOARD_RTC_IRQ); waited += 5)
		usleep(5000);
	check(line_up(b, BOARD_RTC_IRQ) && waited >= 30, "rtc: the alarm raises IP3 when due (%d ms)", waited);
	check(rd(b, BOARD_RTC_BASE + 0x18, 4) == 0, "rtc: a fired alarm is no longer armed");
	wr(b, BOARD_RTC_BASE + 0x1c, 4, 1);
	check(!line_up(b, BOARD_RTC_IRQ), "rtc: CLEAR_INTERRUPT lowers IP3");

	t = rtc_now(b) + 30000000ULL;
	wr(b, BOARD_RTC_BASE + 0x0c, 4, t >> 32);
	wr(b, BOARD_RTC_BASE + 0x08, 4, (uint32_t)t);
	wr(b, BOARD_RTC_BASE + 0x14, 4, 1);
	usleep(100000);
	check(!line_up(b, BOARD_RTC_IRQ), "rtc: CLEAR_ALARM cancels a pending alarm");
}

static uint64_t fake_read(struct device *dev, uint64_t off, unsigned int size)
{
	(void)dev; (void)off; (void)size;
	return 0;
}

static const struct device_ops fake_ops = { .name = "fake", .read = fake_read };

static void test_shared_irq(struct board *b)
{
	static struct device d1 = { .ops = &fake_ops, .base = 0x1e0f0000, .size = 0x100, .irq = 5 };
	static struct device d2 = { .ops = &fake_ops, .base = 0x1e0f1000, .size = 0x100, .irq = 5 };
	static struct device d3 = { .ops = &fake_ops, .base = 0x1e0f1080, .size = 0x100, .irq = -1 };
	static struct device d4 = { .ops = &fake_ops, .base = 0x1e0f2000, .size = 0x100, .irq = 7 };
	static struct device d5 = { .ops = &fake_ops, .base = 0x0100000, .size = 0x100, .irq = -1 };

	check(!board__add_device(b, &d1) && !board__add_device(b, &d2), "board: two devices share IP5");
	device__set_irq(&d1, 1);
	device__set_irq(&d2, 1);
	device__set_irq(&d1, 0);
	check(line_up(b, BOARD_VIRTIO_FIRST_IRQ + 1), "board: a shared line stays up while one source holds it");
	device__set_irq(&d1, 0);
	device__set_irq(&d2, 0);
	check(!line_up(b, 5), "board: the line drops when every source let go");
	device__set_irq(&d1, 1);
	device__set_irq(&d1, 1);
	device__set_irq(&d1, 0);
	check(!line_up(b, 5), "board: raising twice is still one source");
	check(board__add_device(b, &d3) < 0, "board: overlapping devices are refused");
	check(board__add_device(b, &d4) < 0, "board: IP7 (the timer) is not a device line");
	check(board__add_device(b, &d5) < 0, "board: a device inside RAM is refused");
}

static void test_bus(struct board *b)
{
	uint64_t v;

	check(!bus__mmio_read(&b->bus, 0x1e00f000, 4, &v), "bus: nothing mapped reads as a bus error");
	check(!bus__mmio_read(&b->bus, BOARD_UART_BASE + BOARD_UART_SIZE - 2, 4, &v),
	      "bus: an access straddling a device's end is a bus error");
	check(bus__is_ram(&b->bus, 0, 4) && !bus__is_ram(&b->bus, (64 << 20) - 2, 4) &&
	      !bus__is_ram(&b->bus, 64 << 20, 1), "bus: RAM is [0, --mem)");
}

static void test_big_ram(void)
{
	struct vm_config cfg;
	struct board *b;

	memset(&cfg, 0, sizeof(cfg));
	cfg.mem_size = 1ULL << 30;
	cfg.nr_cpus = 1;
	b = board__create(&cfg);
	check(b && bus__is_ram(&b->bus, BUS_MMIO_START - 8, 8) &&
	      !bus__is_ram(&b->bus, BUS_MMIO_START - 4, 8) &&
	      !bus__is_ram(&b->bus, BUS_MMIO_START, 4) &&
	      bus__is_ram(&b->bus, BUS_MMIO_END, 4) &&
	      bus__is_ram(&b->bus, b->bus.ram_size - 4, 4) &&
	      b->bus.ram_size - (BUS_MMIO_END - BUS_MMIO_START) == cfg.mem_size,
	      "bus: 1 GiB of RAM skips the MMIO window and ends 32 MiB higher");
	board__destroy(b);
}

static void test_sizes(void)
{
	static const struct { const char *text; uint64_t bytes; } good[] = {
		{ "256M", 256ULL << 20 }, { "1G", 1ULL << 30 }, { "512", 512ULL << 20 },
		{ "65536K", 64ULL << 20 }, { "2GiB", 2ULL << 30 }, { "128mb", 128ULL << 20 },
	};
	static const char *const bad[] = { "", "M", "-1", "1.5G", "12Q", "99999999999999999999G", "1G1" };
	uint64_t v;
	size_t i;
	bool ok = true;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok &= !cli__parse_size(good[i].text, &v) && v == good[i].bytes;
	check(ok, "cli: sizes with suffixes parse");
	ok = true;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok &= cli__parse_size(bad[i], &v) != 0;
	check(ok, "cli: malformed sizes are refused");
}

static void test_virt_to_phys(void)
{
	uint64_t pa;

	check(!loader__virt_to_phys(0xffffffff80100000ULL, &pa) && pa == 0x100000 &&
	      !loader__virt_to_phys(0xffffffffbe000000ULL, &pa) && pa == 0x1e000000 &&
	      !loader__virt_to_phys(0x9800000020000000ULL, &pa) && pa == 0x20000000 &&
	      loader__virt_to_phys(0x0000000000400000ULL, &pa) &&
	      loader__virt_to_phys(0xc000000000000000ULL, &pa),
	      "loader: ckseg0/ckseg1/xkphys map to physical; useg and xkseg do not");
}

/* Guest-controlled traffic of any offset, size and value must not crash. */
static void test_random_traffic(struct board *b)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8, 3, 16 };
	uint64_t state = 0x9e3779b97f4a7c15ULL, v;
	int i;

	for (i = 0; i < 200000; i++) {
		uint64_t pa = 0x1e000000 + (state >> 20) % 0x3000;
		unsigned int size = sizes[(state >> 8) % 6];

		if (state & 1)
			bus__mmio_write(&b->bus, pa, size, state * 0x2545f4914f6cdd1dULL);
		else
			bus__mmio_read(&b->bus, pa, size, &v);
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
	}
	check(true, "devices: 200000 random accesses to UART, syscon and RTC survive");
}

/* Global so leak checkers see it: it holds static fake devices, never freed. */
static struct board *b;

int main(void)
{
	struct device *board_uart;
	int out[2];

	b = new_board();
	if (!b || pipe(out)) {
		printf("not ok 1 - cannot build a board\n");
		return 0;
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(out[1], F_SETFL, O_NONBLOCK);	/* random traffic must not fill it and block */
	/* a UART whose output we can read back, in place of the board's */
	board_uart = b->uart;
	board_uart->ops->destroy(board_uart);
	free(board_uart);
	b->bus.devices[0] = b->uart = uart_8250__create(BOARD_UART_BASE, BOARD_UART_IRQ, out[1]);
	b->irq_sources[0] = b->uart;
	b->uart->board = b;

	test_uart_thre(b);
	test_uart_tx(b, out[0]);
	test_uart_dlab(b);
	test_uart_rx(b);
	test_uart_loopback(b, out[0]);
	test_rtc(b);
	test_random_traffic(b);
	test_shared_irq(b);
	test_bus(b);
	test_syscon();
	test_big_ram();
	test_sizes();
	test_virt_to_phys();
	return 0;
}
