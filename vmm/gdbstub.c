// SPDX-License-Identifier: GPL-2.0
/*
 * The gdb remote stub: gdb's remote serial protocol over one TCP
 * connection at a time, in all-stop mode, each vCPU a thread (id = CPU
 * number + 1). Registers use gdb's mips64 numbering without a target
 * description (see cpu_debug.h); the FPU's registers read as unavailable.
 * Breakpoints and watchpoints are kept by the CPU core, not patched into
 * guest memory, so that the guest never sees them.
 *
 * Threads: the stub's own thread reads packets and answers them while the
 * machine is stopped. Stopping means: every vCPU thread that runs guest
 * code waits in gdbstub__vcpu_sync() (parked); the stub kicks the vCPUs
 * out of cpu__run() and waits until they are all parked before it touches
 * their state. A vCPU whose check fires (breakpoint, step, watchpoint)
 * stops the machine itself and wakes the stub through a pipe. A client
 * that sends garbage gets errors; one that goes away detaches.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "cpu_debug.h"
#include "gdbstub.h"
#include "log.h"

#define GDB_PACKET_SIZE	0x4000		/* PacketSize: largest packet we take */
#define GDB_RBUF_SIZE	(2 * GDB_PACKET_SIZE)
#define GDB_POLL_MS	100

struct gdbstub {
	struct board *board;
	int nr_cpus;
	int listen_fd;
	int fd;				/* the client, or -1 */
	int wake[2];			/* vCPU stop events and shutdown */
	pthread_t thread;
	bool thread_started;

	pthread_mutex_t lock;		/* protects the fields up to the next blank line */
	pthread_cond_t cond;
	bool stop_all;			/* every vCPU must park */
	bool may_run[BOARD_MAX_CPUS];	/* this resume's actions: who runs */
	bool use_debug[BOARD_MAX_CPUS];	/* its cpu->debug is set when it runs */
	bool online[BOARD_MAX_CPUS];	/* its thread runs guest code */
	bool parked[BOARD_MAX_CPUS];
	int nr_online, nr_parked;
	int stop_cpu;			/* whose check stopped the machine; -1: none */
	bool quit;			/* gdbstub__stop(): leave */
	int exit_status;

	/* The stub thread's own state; the vCPUs read debug[] while running. */
	struct cpu_debug debug[BOARD_MAX_CPUS];
	struct cpu_debug_points points;
	int g_cpu, c_cpu;		/* Hg and Hc: CPU index */
	uint64_t stopped_at;		/* host Count ticks when the machine stopped */
	int last_signal, last_cpu;	/* for '?' */
	bool no_ack, client_swbreak;
	char rbuf[GDB_RBUF_SIZE];
	size_t rpos, rlen;
	char pkt[GDB_PACKET_SIZE + 1];
	char out[2 * GDB_PACKET_SIZE + 16];
	char last_out[2 * GDB_PACKET_SIZE + 16];
	size_t last_out_len;
};

static struct gdbstub *stub;

static const char hexdigits[] = "0123456789abcdef";

/* ---- the vCPU side ------------------------------------------------------ */

static void stub_lock(struct gdbstub *s)
{
	pthread_mutex_lock(&s->lock);
}

static void stub_unlock(struct gdbstub *s)
{
	pthread_mutex_unlock(&s->lock);
}

static void timed_wait(struct gdbstub *s, int ms)
{
	struct timespec ts;
	long ns;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = ts.tv_nsec + (long)ms * 1000000L;
	ts.tv_sec += ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	pthread_cond_timedwait(&s->cond, &s->lock, &ts);
}

static void unpark(struct gdbstub *s, int id)
{
	if (s->parked[id]) {
		s->parked[id] = false;
		s->nr_parked--;
	}
}

bool gdbstub__vcpu_sync(struct cpu *cpu)
{
	struct gdbstub *s = stub;
	int id = cpu->id;

	if (!s)
		return true;
	stub_lock(s);
	if (!s->online[id]) {
		s->online[id] = true;
		s->nr_online++;
	}
	while ((s->stop_all || !s->may_run[id]) && !s->quit) {
		if (!s->parked[id]) {
			s->parked[id] = true;
			s->nr_parked++;
			pthread_cond_broadcast(&s->cond);
		}
		timed_wait(s, GDB_POLL_MS);
		stub_unlock(s);
		if (board__state(s->board) != BOARD_RUNNING) {
			stub_lock(s);
			unpark(s, id);
			stub_unlock(s);
			return false;
		}
		stub_lock(s);
	}
	unpark(s, id);
	cpu->debug = s->use_debug[id] ? &s->debug[id] : NULL;
	stub_unlock(s);
	return true;
}

static void kick_all(struct gdbstub *s, int except)
{
	for (int i = 0; i < s->nr_cpus; i++)
		if (i != except)
			cpu__kick(s->board->cpus[i]);
}

static void wake_stub(struct gdbstub *s)
{
	char c = 1;
	ssize_t r;

	do
		r = write(s->wake[1], &c, 1);
	while (r < 0 && errno == EINTR);
}

void gdbstub__vcpu_stopped(struct cpu *cpu)
{
	struct gdbstub *s = stub;
	bool first = false;

	if (!s)
		return;
	stub_lock(s);
	if (!s->stop_all) {
		s->stop_all = true;
		s->stop_cpu = cpu->id;
		first = true;
	}
	stub_unlock(s);
	if (first) {
		kick_all(s, cpu->id);
		wake_stub(s);
	}
}

/* ---- stopping and resuming the machine ---------------------------------- */

/* Waits until no vCPU runs guest code; false if the board stopped instead. */
static bool wait_parked(struct gdbstub *s)
{
	for (;;) {
		bool done;

		stub_lock(s);
		done = s->nr_parked == s->nr_online;
		if (!done)
			timed_wait(s, GDB_POLL_MS);
		done = s->nr_parked == s->nr_online;
		stub_unlock(s);
		if (done) {
			s->stopped_at = cpu_debug__host_count(s->board->cpus[0]);
			return true;
		}
		if (board__state(s->board) != BOARD_RUNNING)
			return false;
		kick_all(s, -1);
	}
}

/* Stops the machine (Ctrl-C, a new client); false if the board stopped. */
static bool stop_machine(struct gdbstub *s)
{
	stub_lock(s);
	if (!s->stop_all) {
		s->stop_all = true;
		s->stop_cpu = -1;
	}
	stub_unlock(s);
	kick_all(s, -1);
	return wait_parked(s);
}

enum { ACT_NONE, ACT_CONTINUE, ACT_STEP };

static void resume(struct gdbstub *s, const int *actions)
{
	bool points = s->points.nr_breakpoints || s->points.nr_watchpoints;
	uint64_t paused = cpu_debug__host_count(s->board->cpus[0]) - s->stopped_at;

	/* The guest's clock stood still while it was stopped. */
	for (int i = 0; i < s->nr_cpus; i++)
		cpu_debug__pause_count(s->board->cpus[i], paused);
	stub_lock(s);
	for (int i = 0; i < s->nr_cpus; i++) {
		struct cpu_debug *d = &s->debug[i];

		d->points = &s->points;
		d->step = actions[i] == ACT_STEP;
		d->reason = DEBUG_STOP_NONE;
		s->may_run[i] = actions[i] != ACT_NONE;
		s->use_debug[i] = points || d->step;
	}
	s->stop_cpu = -1;
	s->stop_all = false;
	pthread_cond_broadcast(&s->cond);
	stub_unlock(s);
}

static void resume_all_free(struct gdbstub *s)
{
	int actions[BOARD_MAX_CPUS];

	s->points.nr_breakpoints = 0;
	s->points.nr_watchpoints = 0;
	for (int i = 0; i < s->nr_cpus; i++)
		actions[i] = ACT_CONTINUE;
	resume(s, actions);
}

/* ---- the connection ----------------------------------------------------- */

static void close_client(struct gdbstub *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->rpos = s->rlen = 0;
	s->no_ack = false;
	s->client_swbreak = false;
}

static bool quitting(struct gdbstub *s)
{
	bool q;

	stub_lock(s);
	q = s->quit;
	stub_unlock(s);
	return q;
}

static void drain_wake(struct gdbstub *s)
{
	char buf[64];

	while (read(s->wake[0], buf, sizeof(buf)) > 0)
		;
}

/*
 * Reads what the client sent into rbuf (dropping it when rbuf is full).
 * Returns 1 with data, 0 on a wake-up or timeout, -1 when the client left.
 */
static int fill(struct gdbstub *s, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = s->fd, .events = POLLIN },
		{ .fd = s->wake[0], .events = POLLIN },
	};
	char scratch[512];
	ssize_t r;

	if (s->fd < 0)
		return -1;
	if (poll(p, 2, timeout_ms) < 0)
		return errno == EINTR ? 0 : -1;
	if (p[1].revents)
		drain_wake(s);
	if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	if (s->rpos > 0) {
		memmove(s->rbuf, s->rbuf + s->rpos, s->rlen - s->rpos);
		s->rlen -= s->rpos;
		s->rpos = 0;
	}
	if (s->rlen < sizeof(s->rbuf))
		r = read(s->fd, s->rbuf + s->rlen, sizeof(s->rbuf) - s->rlen);
	else
		r = read(s->fd, scratch, sizeof(scratch));	/* a flood: drop it */
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (r <= 0)
		return -1;
	if (s->rlen < sizeof(s->rbuf))
		s->rlen += (size_t)r;
	return 1;
}

/* The next byte from the client; -1 when it left or the stub must quit. */
static int get_byte(struct gdbstub *s)
{
	while (s->rpos == s->rlen) {
		int r;

		s->rpos = s->rlen = 0;
		r = fill(s, GDB_POLL_MS);
		if (r < 0 || quitting(s) || board__state(s->board) != BOARD_RUNNING)
			return -1;
	}
	return (unsigned char)s->rbuf[s->rpos++];
}

static bool send_all(struct gdbstub *s, const char *buf, size_t len)
{
	while (len) {
		ssize_t r = send(s->fd, buf, len, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		buf += r;
		len -= (size_t)r;
	}
	return true;
}

static void put_packet(struct gdbstub *s, const char *data)
{
	size_t len = strlen(data), n = 0;
	unsigned int sum = 0;

	if (s->fd < 0 || len > sizeof(s->last_out) - 5)
		return;
	s->last_out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		sum += (unsigned char)data[i];
		s->last_out[n++] = data[i];
	}
	s->last_out[n++] = '#';
	s->last_out[n++] = hexdigits[(sum >> 4) & 0xf];
	s->last_out[n++] = hexdigits[sum & 0xf];
	s->last_out_len = n;
	if (!send_all(s, s->last_out, n))
		close_client(s);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Reads one packet's data into s->pkt (NUL-terminated; binary data may hold
 * NULs, hence *len). Acks it unless in no-ack mode. Returns false when the
 * client left. Bad checksums are refused with '-'; overlong packets are
 * answered with an error.
 */
static bool get_packet(struct gdbstub *s, size_t *len)
{
	for (;;) {
		unsigned int sum = 0;
		bool overflow = false;
		size_t n = 0;
		int c, h1, h2;

		c = get_byte(s);
		if (c < 0)
			return false;
		if (c == '-' && s->last_out_len) {	/* resend */
			if (!send_all(s, s->last_out, s->last_out_len))
				return false;
			continue;
		}
		if (c != '$')
			continue;	/* acks, Ctrl-C when stopped, noise */
		for (;;) {
			c = get_byte(s);
			if (c < 0)
				return false;
			if (c == '#')
				break;
			if (c == '$') {		/* a new packet starts: drop this one */
				n = 0;
				sum = 0;
				overflow = false;
				continue;
			}
			sum += (unsigned int)c;
			if (n < GDB_PACKET_SIZE)
				s->pkt[n++] = (char)c;
			else
				overflow = true;
		}
		if ((h1 = get_byte(s)) < 0 || (h2 = get_byte(s)) < 0)
			return false;
		if (hexval(h1) < 0 || hexval(h2) < 0 ||
		    (unsigned int)(hexval(h1) << 4 | hexval(h2)) != (sum & 0xff)) {
			if (!s->no_ack && !send_all(s, "-", 1))
				return false;
			continue;
		}
		if (!s->no_ack && !send_all(s, "+", 1))
			return false;
		if (overflow) {
			put_packet(s, "E01");
			continue;
		}
		s->pkt[n] = '\0';
		*len = n;
		return true;
	}
}

/* ---- parsing helpers ---------------------------------------------------- */

/* A hex number at *p (at most 16 digits); advances *p. */
static bool parse_hex(const char **p, uint64_t *v)
{
	const char *q = *p;
	uint64_t x = 0;
	int n = 0;

	while (hexval(*q) >= 0) {
		if (++n > 16)
			return false;
		x = x << 4 | (uint64_t)hexval(*q++);
	}
	if (n == 0)
		return false;
	*v = x;
	*p = q;
	return true;
}

/* A thread id: -1 (all), 0 (any) or 1..nr_cpus; *cpu = -1 for all/any. */
static bool parse_thread(struct gdbstub *s, const char **p, int *cpu)
{
	uint64_t v;

	if ((*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*cpu = -1;
		return true;
	}
	if (!parse_hex(p, &v) || v > (uint64_t)s->nr_cpus)
		return false;
	*cpu = (int)v - 1;
	return true;
}

static void put_hex64_le(char *out, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		out[2 * i] = hexdigits[(v >> (8 * i + 4)) & 0xf];
		out[2 * i + 1] = hexdigits[(v >> (8 * i)) & 0xf];
	}
}

/* 16 hex digits of a little-endian 64-bit register; false if not hex. */
static bool get_hex64_le(const char *in, uint64_t *v)
{
	uint64_t x = 0;

	for (int i = 0; i < 8; i++) {
		int hi = hexval(in[2 * i]), lo = hexval(in[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		x |= (uint64_t)(hi << 4 | lo) << (8 * i);
	}
	*v = x;
	return true;
}

/* ---- commands ----------------------------------------------------------- */

static struct cpu *gcpu(struct gdbstub *s)
{
	return s->board->cpus[s->g_cpu];
}

static void reply_stop(struct gdbstub *s)
{
	char extra[64] = "";
	int cpu = s->last_cpu;

	if (s->last_signal == 5 && cpu >= 0) {
		const struct cpu_debug *d = &s->debug[cpu];

		if (d->reason == DEBUG_STOP_BREAKPOINT && s->client_swbreak)
			snprintf(extra, sizeof(extra), "swbreak:;");
		else if (d->reason == DEBUG_STOP_WATCH)
			snprintf(extra, sizeof(extra), "%s:%llx;",
				 d->watch_kind == WATCH_WRITE ? "watch" :
				 d->watch_kind == WATCH_READ ? "rwatch" : "awatch",
				 (unsigned long long)d->watch_addr);
	}
	if (cpu < 0)
		cpu = s->g_cpu;
	snprintf(s->out, sizeof(s->out), "T%02xthread:%x;%s", s->last_signal,
		 cpu + 1, extra);
	put_packet(s, s->out);
}

/* The machine stopped: remember why, focus on that vCPU, tell the client. */
static void stopped(struct gdbstub *s, int signal)
{
	int cpu;

	stub_lock(s);
	cpu = s->stop_cpu;
	stub_unlock(s);
	s->last_signal = cpu >= 0 ? 5 : signal;
	s->last_cpu = cpu;
	if (cpu >= 0)
		s->g_cpu = s->c_cpu = cpu;
	reply_stop(s);
}

/*
 * Waits for the running machine to stop (a vCPU's check, Ctrl-C) and
 * reports it. Returns false when the client left or the board stopped.
 */
static bool wait_stop(struct gdbstub *s)
{
	for (;;) {
		bool stop;
		int r;

		stub_lock(s);
		stop = s->stop_all;
		stub_unlock(s);
		if (stop) {
			if (!wait_parked(s))
				return false;
			stopped(s, 2);
			return true;
		}
		if (quitting(s) || board__state(s->board) != BOARD_RUNNING)
			return false;
		r = fill(s, GDB_POLL_MS);
		if (r < 0)
			return false;
		/* Ctrl-C; anything else waits in rbuf for the stop. */
		if (r > 0 && memchr(s->rbuf + s->rpos, 0x03, s->rlen - s->rpos)) {
			char *q = s->rbuf + s->rpos;
			size_t n = 0;

			for (size_t i = 0; i < s->rlen - s->rpos; i++)
				if (q[i] != 0x03)
					q[n++] = q[i];
			s->rlen = s->rpos + n;
			if (!stop_machine(s))
				return false;
			stopped(s, 2);
			return true;
		}
	}
}

static void cmd_read_regs(struct gdbstub *s)
{
	struct cpu *cpu = gcpu(s);
	char *o = s->out;

	for (int n = 0; n < CPU_DEBUG_NR_REGS; n++) {
		uint64_t v;

		if (cpu_debug__read_reg(cpu, n, &v))
			put_hex64_le(o, v);
		else
			memset(o, 'x', 16);
		o += 16;
	}
	*o = '\0';
	put_packet(s, s->out);
}

/* Raw register numbers gdb's mips64 has; those we lack read as unavailable. */
#define GDB_MIPS64_RAW_REGS	90

static void cmd_write_regs(struct gdbstub *s, const char *p, size_t len)
{
	struct cpu *cpu = gcpu(s);

	if (len % 16 || len / 16 > GDB_MIPS64_RAW_REGS) {
		put_packet(s, "E01");
		return;
	}
	for (size_t n = 0; n < len / 16; n++) {
		uint64_t v;

		if (p[16 * n] == 'x')
			continue;	/* unavailable: left alone */
		if (!get_hex64_le(p + 16 * n, &v)) {
			put_packet(s, "E01");
			return;
		}
		cpu_debug__write_reg(cpu, (int)n, v);	/* no FPU: ignored */
	}
	put_packet(s, "OK");
}

static void cmd_read_reg(struct gdbstub *s, const char *p)
{
	uint64_t n, v;

	if (!parse_hex(&p, &n) || *p || n >= GDB_MIPS64_RAW_REGS) {
		put_packet(s, "E01");
		return;
	}
	if (cpu_debug__read_reg(gcpu(s), (int)n, &v))
		put_hex64_le(s->out, v);
	else
		memset(s->out, 'x', 16);
	s->out[16] = '\0';
	put_packet(s, s->out);
}

static void cmd_write_reg(struct gdbstub *s, const char *p)
{
	uint64_t n, v;

	if (!parse_hex(&p, &n) || *p++ != '=' || strlen(p) != 16 ||
	    !get_hex64_le(p, &v) || n >= GDB_MIPS64_RAW_REGS ||
	    !cpu_debug__write_reg(gcpu(s), (int)n, v)) {
		put_packet(s, "E01");
		return;
	}
	put_packet(s, "OK");
}

/* "ADDR,LEN" then sep; LEN is clamped by the caller. */
static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len, char sep)
{
	if (!parse_hex(p, addr) || *(*p)++ != ',' || !parse_hex(p, len))
		return false;
	if (sep) {
		if (**p != sep)
			return false;
		(*p)++;
	} else if (**p) {
		return false;
	}
	return true;
}

#define GDB_MAX_MEM	((GDB_PACKET_SIZE - 16) / 2)

static void cmd_read_mem(struct gdbstub *s, const char *p)
{
	uint8_t buf[GDB_MAX_MEM];
	uint64_t addr, len;
	size_t done;

	if (!parse_addr_len(&p, &addr, &len, 0)) {
		put_packet(s, "E01");
		return;
	}
	if (len > GDB_MAX_MEM)
		len = GDB_MAX_MEM;	/* a short reply is allowed */
	if (len == 0) {
		put_packet(s, "");
		return;
	}
	done = cpu_debug__access(gcpu(s), addr, buf, (size_t)len, false);
	if (done == 0) {
		put_packet(s, "E14");
		return;
	}
	for (size_t i = 0; i < done; i++) {
		s->out[2 * i] = hexdigits[buf[i] >> 4];
		s->out[2 * i + 1] = hexdigits[buf[i] & 0xf];
	}
	s->out[2 * done] = '\0';
	put_packet(s, s->out);
}

static void write_mem(struct gdbstub *s, uint64_t addr, const uint8_t *buf, size_t len)
{
	if (len && cpu_debug__access(gcpu(s), addr, (void *)buf, len, true) != len)
		put_packet(s, "E14");
	else
		put_packet(s, "OK");
}

static void cmd_write_mem(struct gdbstub *s, const char *p)
{
	uint8_t buf[GDB_MAX_MEM];
	uint64_t addr, len;

	if (!parse_addr_len(&p, &addr, &len, ':') || len > GDB_MAX_MEM ||
	    strlen(p) != 2 * len) {
		put_packet(s, "E01");
		return;
	}
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(p[2 * i]), lo = hexval(p[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			put_packet(s, "E01");
			return;
		}
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	write_mem(s, addr, buf, (size_t)len);
}

/* X: binary data, '}' escapes the next byte (xor 0x20). */
static void cmd_write_mem_binary(struct gdbstub *s, const char *p, size_t plen)
{
	const char *end = s->pkt + plen;
	uint8_t buf[GDB_MAX_MEM];
	uint64_t addr, len;
	size_t n = 0;

	if (!parse_addr_len(&p, &addr, &len, ':') || len > GDB_MAX_MEM) {
		put_packet(s, "E01");
		return;
	}
	while (p < end && n < len) {
		uint8_t c = (uint8_t)*p++;

		if (c == '}') {
			if (p == end)
				break;
			c = (uint8_t)(*p++ ^ 0x20);
		}
		buf[n++] = c;
	}
	if (n != len || p != end) {
		put_packet(s, "E01");
		return;
	}
	write_mem(s, addr, buf, n);
}

static bool add_breakpoint(struct gdbstub *s, uint64_t addr)
{
	struct cpu_debug_points *pt = &s->points;
	unsigned int i = 0;

	if (pt->nr_breakpoints == CPU_DEBUG_MAX_BREAKPOINTS)
		return false;
	while (i < pt->nr_breakpoints && pt->breakpoints[i] < addr)
		i++;
	memmove(&pt->breakpoints[i + 1], &pt->breakpoints[i],
		(pt->nr_breakpoints - i) * sizeof(pt->breakpoints[0]));
	pt->breakpoints[i] = addr;
	pt->nr_breakpoints++;
	return true;
}

static bool remove_breakpoint(struct gdbstub *s, uint64_t addr)
{
	struct cpu_debug_points *pt = &s->points;

	for (unsigned int i = 0; i < pt->nr_breakpoints; i++)
		if (pt->breakpoints[i] == addr) {
			memmove(&pt->breakpoints[i], &pt->breakpoints[i + 1],
				(pt->nr_breakpoints - i - 1) * sizeof(pt->breakpoints[0]));
			pt->nr_breakpoints--;
			return true;
		}
	return false;
}

static bool add_watchpoint(struct gdbstub *s, uint64_t addr, uint64_t len,
			   enum cpu_watch_kind kind)
{
	struct cpu_debug_points *pt = &s->points;

	if (pt->nr_watchpoints == CPU_DEBUG_MAX_WATCHPOINTS || len == 0)
		return false;
	pt->watchpoints[pt->nr_watchpoints++] =
		(struct cpu_watchpoint){ .addr = addr, .len = len, .kind = kind };
	return true;
}

static bool remove_watchpoint(struct gdbstub *s, uint64_t addr, uint64_t len,
			      enum cpu_watch_kind kind)
{
	struct cpu_debug_points *pt = &s->points;

	for (unsigned int i = 0; i < pt->nr_watchpoints; i++) {
		struct cpu_watchpoint *w = &pt->watchpoints[i];

		if (w->addr == addr && w->len == len && w->kind == kind) {
			*w = pt->watchpoints[--pt->nr_watchpoints];
			return true;
		}
	}
	return false;
}

/* Z/z TYPE,ADDR,KIND: 0/1 breakpoints, 2 write, 3 read, 4 access watchpoints. */
static void cmd_point(struct gdbstub *s, const char *p, bool insert)
{
	static const enum cpu_watch_kind kinds[] = { 0, 0, WATCH_WRITE, WATCH_READ, WATCH_ACCESS };
	uint64_t type, addr, kind;
	bool ok;

	if (!parse_hex(&p, &type) || *p++ != ',' || !parse_addr_len(&p, &addr, &kind, ';')) {
		/* conditions after ';' are not supported; without them: */
		p = s->pkt + 1;
		if (!parse_hex(&p, &type) || *p++ != ',' ||
		    !parse_addr_len(&p, &addr, &kind, 0)) {
			put_packet(s, "E01");
			return;
		}
	}
	if (type > 4) {
		put_packet(s, "");	/* not supported */
		return;
	}
	if (type <= 1) {
		if (addr & 3) {
			put_packet(s, "E01");
			return;
		}
		ok = insert ? add_breakpoint(s, addr) : remove_breakpoint(s, addr);
	} else {
		ok = insert ? add_watchpoint(s, addr, kind, kinds[type])
			    : remove_watchpoint(s, addr, kind, kinds[type]);
	}
	put_packet(s, ok ? "OK" : "E01");
}

static void thread_info(struct gdbstub *s)
{
	size_t n = 0;

	s->out[n++] = 'm';
	for (int i = 0; i < s->nr_cpus; i++)
		n += (size_t)snprintf(s->out + n, sizeof(s->out) - n, "%s%x",
				      i ? "," : "", i + 1);
	put_packet(s, s->out);
}

static void thread_extra_info(struct gdbstub *s, const char *p)
{
	char text[64];
	bool online;
	int cpu;
	size_t n = 0;

	if (!parse_thread(s, &p, &cpu) || cpu < 0 || *p) {
		put_packet(s, "E01");
		return;
	}
	stub_lock(s);
	online = s->online[cpu];
	stub_unlock(s);
	snprintf(text, sizeof(text), "CPU#%d%s", cpu,
		 online ? "" : " [not started]");
	for (const char *t = text; *t; t++) {
		s->out[n++] = hexdigits[(unsigned char)*t >> 4];
		s->out[n++] = hexdigits[*t & 0xf];
	}
	s->out[n] = '\0';
	put_packet(s, s->out);
}

static void cmd_query(struct gdbstub *s, const char *p)
{
	if (!strncmp(p, "qSupported", 10)) {
		s->client_swbreak = strstr(p, "swbreak+") != NULL;
		snprintf(s->out, sizeof(s->out),
			 "PacketSize=%x;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+",
			 GDB_PACKET_SIZE);
		put_packet(s, s->out);
	} else if (!strcmp(p, "qAttached") || !strncmp(p, "qAttached:", 10)) {
		put_packet(s, "1");
	} else if (!strcmp(p, "qC")) {
		snprintf(s->out, sizeof(s->out), "QC%x", s->g_cpu + 1);
		put_packet(s, s->out);
	} else if (!strcmp(p, "qfThreadInfo")) {
		thread_info(s);
	} else if (!strcmp(p, "qsThreadInfo")) {
		put_packet(s, "l");
	} else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
		thread_extra_info(s, p + 17);
	} else if (!strncmp(p, "qSymbol:", 8)) {
		put_packet(s, "OK");
	} else {
		put_packet(s, "");
	}
}

/* vCont;ACTION[:THREAD];...: the leftmost action naming a vCPU applies. */
static bool cmd_vcont(struct gdbstub *s, const char *p, int *actions)
{
	bool any = false;

	for (int i = 0; i < s->nr_cpus; i++)
		actions[i] = ACT_NONE;
	while (*p == ';') {
		int act, cpu = -1;
		uint64_t sig;

		p++;
		switch (*p++) {
		case 'c': act = ACT_CONTINUE; break;
		case 's': act = ACT_STEP; break;
		case 'C': act = ACT_CONTINUE; if (!parse_hex(&p, &sig)) return false; break;
		case 'S': act = ACT_STEP; if (!parse_hex(&p, &sig)) return false; break;
		default: return false;
		}
		if (*p == ':') {
			p++;
			if (!parse_thread(s, &p, &cpu))
				return false;
		}
		for (int i = 0; i < s->nr_cpus; i++)
			if ((cpu < 0 || cpu == i) && actions[i] == ACT_NONE) {
				actions[i] = act;
				any = true;
			}
	}
	return *p == '\0' && any;
}

enum serve_result { SERVE_ON, SERVE_RESUMED, SERVE_DETACH, SERVE_KILL };

static enum serve_result handle_packet(struct gdbstub *s, size_t len, int *actions)
{
	const char *p = s->pkt;
	uint64_t addr;
	int cpu, step_cpu;

	switch (*p) {
	case '?':
		reply_stop(s);
		break;
	case 'q':
		cmd_query(s, p);
		break;
	case 'Q':
		if (!strcmp(p, "QStartNoAckMode")) {
			put_packet(s, "OK");
			s->no_ack = true;
		} else {
			put_packet(s, "");
		}
		break;
	case 'H':
		p++;
		if ((*p != 'g' && *p != 'c') || (p++, !parse_thread(s, &p, &cpu)) || *p) {
			put_packet(s, "E01");
			break;
		}
		if (s->pkt[1] == 'g')
			s->g_cpu = cpu < 0 ? 0 : cpu;
		else
			s->c_cpu = cpu;
		put_packet(s, "OK");
		break;
	case 'T':
		p++;
		put_packet(s, parse_thread(s, &p, &cpu) && cpu >= 0 && !*p ? "OK" : "E01");
		break;
	case 'g':
		cmd_read_regs(s);
		break;
	case 'G':
		cmd_write_regs(s, p + 1, len - 1);
		break;
	case 'p':
		cmd_read_reg(s, p + 1);
		break;
	case 'P':
		cmd_write_reg(s, p + 1);
		break;
	case 'm':
		cmd_read_mem(s, p + 1);
		break;
	case 'M':
		cmd_write_mem(s, p + 1);
		break;
	case 'X':
		cmd_write_mem_binary(s, p + 1, len);
		break;
	case 'Z':
	case 'z':
		cmd_point(s, p + 1, *p == 'Z');
		break;
	case 'c':
	case 's':
	case 'C':
	case 'S':
		/* c/s [ADDR], C/S SIG[;ADDR]: a signal cannot be delivered; ignored. */
		step_cpu = s->c_cpu >= 0 ? s->c_cpu : s->g_cpu;
		p++;
		if (s->pkt[0] == 'C' || s->pkt[0] == 'S') {
			if (!parse_hex(&p, &addr) || (*p && *p != ';') ||
			    (*p == ';' && !p[1])) {
				put_packet(s, "E01");
				break;
			}
			if (*p)
				p++;
		}
		if (*p) {
			if (!parse_hex(&p, &addr) || *p) {
				put_packet(s, "E01");
				break;
			}
			cpu_debug__write_reg(s->board->cpus[step_cpu], 37, addr);
		}
		for (int i = 0; i < s->nr_cpus; i++)
			actions[i] = ACT_CONTINUE;
		if (s->pkt[0] == 's' || s->pkt[0] == 'S')
			actions[step_cpu] = ACT_STEP;
		return SERVE_RESUMED;
	case 'v':
		if (!strcmp(p, "vCont?")) {
			put_packet(s, "vCont;c;C;s;S");
		} else if (!strncmp(p, "vCont;", 6) || !strcmp(p, "vCont")) {
			if (cmd_vcont(s, p + 5, actions))
				return SERVE_RESUMED;
			put_packet(s, "E01");
		} else if (!strncmp(p, "vKill", 5)) {
			put_packet(s, "OK");
			return SERVE_KILL;
		} else {
			put_packet(s, "");
		}
		break;
	case 'D':
		put_packet(s, "OK");
		return SERVE_DETACH;
	case 'k':
		return SERVE_KILL;
	default:
		put_packet(s, "");
		break;
	}
	return SERVE_ON;
}

/* Serves one client until it leaves, detaches or kills the machine. */
static void serve(struct gdbstub *s)
{
	int actions[BOARD_MAX_CPUS];

	s->g_cpu = 0;
	s->c_cpu = -1;
	s->last_out_len = 0;
	while (s->fd >= 0) {
		enum serve_result r;
		size_t len;

		if (!get_packet(s, &len))
			break;
		r = handle_packet(s, len, actions);
		if (r == SERVE_DETACH || r == SERVE_KILL) {
			if (r == SERVE_KILL)
				board__request(s->board, BOARD_QUIT);
			break;
		}
		if (r == SERVE_RESUMED) {
			resume(s, actions);
			if (!wait_stop(s))
				break;
		}
	}
	/* Whatever ended the session, the guest goes on without a debugger. */
	resume_all_free(s);
	/* The guest is done: once main() says with what status, tell the client. */
	if (board__state(s->board) != BOARD_RUNNING && s->fd >= 0) {
		stub_lock(s);
		for (int i = 0; i < 50 && !s->quit; i++)
			timed_wait(s, GDB_POLL_MS);
		stub_unlock(s);
	}
	if (quitting(s) && s->fd >= 0) {
		char w[8];

		snprintf(w, sizeof(w), "W%02x", s->exit_status & 0xff);
		put_packet(s, w);
	}
	close_client(s);
}

static void *gdbstub__thread(void *arg)
{
	struct gdbstub *s = arg;

	while (!quitting(s)) {
		struct pollfd p[2] = {
			{ .fd = s->listen_fd, .events = POLLIN },
			{ .fd = s->wake[0], .events = POLLIN },
		};
		struct timeval tv = { .tv_sec = 5 };
		int one = 1, fd;

		if (poll(p, 2, GDB_POLL_MS) <= 0)
			continue;
		if (p[1].revents)
			drain_wake(s);
		if (!(p[0].revents & POLLIN))
			continue;
		fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		/* A client that stops reading cannot hold the VMM for long. */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		s->fd = fd;
		pr_info("gdb: client connected");
		/* As QEMU does: a debugger that attaches finds the machine stopped. */
		if (!stop_machine(s)) {
			close_client(s);
			continue;
		}
		s->last_signal = 5;
		s->last_cpu = -1;
		serve(s);
		pr_info("gdb: client gone, the guest runs on");
	}
	return NULL;
}

/* "tcp::PORT", "tcp:HOST:PORT" (also without "tcp:"); HOST defaults to localhost. */
static int listen_on(const char *arg)
{
	const char *spec = arg;
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE };
	struct addrinfo *res, *ai;
	char host[256];
	const char *colon, *port;
	int fd = -1, err;

	if (!strncmp(spec, "tcp:", 4))
		spec += 4;
	colon = strrchr(spec, ':');
	if (!colon) {
		host[0] = '\0';
		port = spec;
	} else {
		size_t n = (size_t)(colon - spec);

		if (n >= sizeof(host)) {
			pr_err("--gdb %s: host name too long", arg);
			return -1;
		}
		memcpy(host, spec, n);
		host[n] = '\0';
		port = colon + 1;
	}
	if (!*port || strspn(port, "0123456789") != strlen(port) || atol(port) > 65535) {
		pr_err("--gdb %s: expected tcp::PORT or tcp:HOST:PORT", arg);
		return -1;
	}
	err = getaddrinfo(host[0] ? host : "127.0.0.1", port, &hints, &res);
	if (err) {
		pr_err("--gdb %s: %s", arg, gai_strerror(err));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		int one = 1;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, ai->ai_addr, ai->ai_addrlen) && !listen(fd, 1))
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		pr_err("--gdb %s: cannot listen: %s", arg, strerror(errno));
	return fd;
}

static int bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

int gdbstub__start(struct board *board, const char *spec, bool wait)
{
	struct gdbstub *s = calloc(1, sizeof(*s));

	if (!s) {
		pr_err("gdb: out of memory");
		return -1;
	}
	s->board = board;
	s->nr_cpus = board->nr_cpus;
	s->fd = -1;
	s->stop_cpu = -1;
	s->listen_fd = listen_on(spec);
	if (s->listen_fd < 0) {
		free(s);
		return -1;
	}
	if (pipe(s->wake) || fcntl(s->wake[0], F_SETFL, O_NONBLOCK) ||
	    fcntl(s->wake[1], F_SETFL, O_NONBLOCK)) {
		pr_err("gdb: pipe: %s", strerror(errno));
		close(s->listen_fd);
		free(s);
		return -1;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	for (int i = 0; i < s->nr_cpus; i++) {
		s->may_run[i] = true;
		s->debug[i].points = &s->points;
	}
	s->stop_all = wait;
	s->stopped_at = cpu_debug__host_count(board->cpus[0]);
	fprintf(stderr, "mvm: gdb: listening on tcp::%d%s\n", bound_port(s->listen_fd),
		wait ? ", the guest waits for a debugger" : "");
	stub = s;
	if (pthread_create(&s->thread, NULL, gdbstub__thread, s)) {
		pr_err("gdb: cannot start the stub's thread");
		stub = NULL;
		return -1;
	}
	s->thread_started = true;
	return 0;
}

void gdbstub__stop(int exit_status)
{
	struct gdbstub *s = stub;

	if (!s)
		return;
	stub_lock(s);
	s->quit = true;
	s->exit_status = exit_status;
	pthread_cond_broadcast(&s->cond);
	stub_unlock(s);
	wake_stub(s);
	if (s->thread_started)
		pthread_join(s->thread, NULL);
	/* The vCPU threads have been joined: nobody uses the stub any more. */
	stub = NULL;
	close(s->listen_fd);
	close(s->wake[0]);
	close(s->wake[1]);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}
