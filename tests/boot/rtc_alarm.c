/* Sets an RTC alarm 2 s ahead and waits for its interrupt on /dev/rtc0. */
#include <linux/rtc.h>
#include <asm/unistd.h>
#include <fcntl.h>
#include <linux/time.h>

static long sys3(long n, long a, long b, long c)
{
	register long v0 asm("$2") = n;
	register long a0 asm("$4") = a;
	register long a1 asm("$5") = b;
	register long a2 asm("$6") = c;
	register long a3 asm("$7");

	asm volatile("syscall"
		     : "+r"(v0), "=r"(a3)
		     : "r"(a0), "r"(a1), "r"(a2)
		     : "memory", "$1", "$3", "$8", "$9", "$10", "$11", "$12",
		       "$13", "$14", "$15", "$24", "$25", "hi", "lo");
	return a3 ? -v0 : v0;
}

static void say(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys3(__NR_write, 1, (long)s, n);
}

static void quit(int code)
{
	sys3(__NR_exit_group, code, 0, 0);
}

static void read_time(long fd, struct rtc_time *tm)
{
	if (fd < 0 || sys3(__NR_ioctl, fd, RTC_RD_TIME, (long)tm) < 0) {
		say("rtc-alarm: cannot read the RTC\n");
		quit(1);
	}
}

void __start(void)
{
	struct rtc_wkalrm alarm = { 0 };
	struct timespec pause = { 6, 0 };
	unsigned long data;
	long fd = sys3(__NR_openat, AT_FDCWD, (long)"/dev/rtc0", O_RDONLY);

	read_time(fd, &alarm.time);
	/* Keep "now + 2 s" inside this minute: no carry into minutes and hours. */
	if (alarm.time.tm_sec >= 55) {
		sys3(__NR_nanosleep, (long)&pause, 0, 0);
		read_time(fd, &alarm.time);
	}
	alarm.time.tm_sec += 2;
	alarm.enabled = 1;
	if (sys3(__NR_ioctl, fd, RTC_WKALM_SET, (long)&alarm) < 0) {
		say("rtc-alarm: cannot set the alarm\n");
		quit(1);
	}
	if (sys3(__NR_read, fd, (long)&data, sizeof(data)) != sizeof(data) ||
	    !(data & RTC_AF)) {
		say("rtc-alarm: no alarm interrupt\n");
		quit(1);
	}
	say("rtc-alarm: fired\n");
	quit(0);
}
