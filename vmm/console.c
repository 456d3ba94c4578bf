// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "board.h"
#include "console.h"
#include "log.h"
#include "uart_8250.h"
#include "virtio.h"

#define ESCAPE_CHAR	0x01	/* Ctrl-a */

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

struct console {
	struct board *board;
	struct device *uart;
	bool escape;		/* the previous byte was Ctrl-a */
};

static struct console console;

void console__restore(void)
{
	if (termios_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
		termios_saved = 0;
		log__set_raw_terminal(false);
	}
}

/* Fatal signals: give the terminal back, then die of the same signal. */
static void console__on_signal(int sig)
{
	console__restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int console__raw_mode(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct termios raw;
	size_t i;

	if (tcgetattr(STDIN_FILENO, &saved_termios)) {
		pr_err("cannot read the terminal settings: %s", strerror(errno));
		return -1;
	}
	termios_saved = 1;
	atexit(console__restore);
	log__set_exit_hook(console__restore);
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		signal(signals[i], console__on_signal);
	raw = saved_termios;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw)) {
		pr_err("cannot put the terminal in raw mode: %s",
		       strerror(errno));
		return -1;
	}
	log__set_raw_terminal(true);
	return 0;
}

static void console__print_help(void)
{
	fprintf(stderr,
		"\r\nmvm console keys:\r\n"
		"  Ctrl-a x       quit mvm (exit status 5)\r\n"
		"  Ctrl-a h       this help\r\n"
		"  Ctrl-a Ctrl-a  send Ctrl-a to the guest\r\n");
}

/* Hands a byte to the guest, waiting while its FIFO is full. */
static void console__send(struct console *c, uint8_t byte)
{
	while (!(c->board->hvc ? virtio_console__receive(c->board->hvc, byte, 100) :
				 uart_8250__receive(c->uart, byte, 100)))
		if (board__state(c->board) != BOARD_RUNNING)
			return;
}

static void console__input(struct console *c, uint8_t byte)
{
	if (!c->escape) {
		if (byte == ESCAPE_CHAR)
			c->escape = true;
		else
			console__send(c, byte);
		return;
	}
	c->escape = false;
	switch (byte) {
	case 'x':
	case 'X':
		fprintf(stderr, "\r\nmvm: quit (Ctrl-a x)\r\n");
		board__request(c->board, BOARD_QUIT);
		break;
	case 'h':
	case 'H':
	case '?':
		console__print_help();
		break;
	case ESCAPE_CHAR:
		console__send(c, byte);
		break;
	default:
		break;	/* unknown escapes are swallowed, as in QEMU */
	}
}

static void *console__thread(void *arg)
{
	struct console *c = arg;
	uint8_t buf[256];
	ssize_t n, i;

	while (board__state(c->board) == BOARD_RUNNING) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* end of input: the guest keeps running */
		for (i = 0; i < n; i++)
			console__input(c, buf[i]);
	}
	return NULL;
}

int console__start(struct board *board, struct device *uart)
{
	pthread_t thread;

	console.board = board;
	console.uart = uart;
	if (isatty(STDIN_FILENO) && console__raw_mode())
		return -1;
	if (pthread_create(&thread, NULL, console__thread, &console)) {
		pr_err("cannot start the console thread");
		return -1;
	}
	pthread_detach(thread);
	return 0;
}
