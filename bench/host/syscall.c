/*
 * System-call benchmark for bench-host (mk/host-bench.mk): N getppid()
 * calls, timed, natively on the QEMU MIPS64 host and inside a guest under
 * mvm.ko. Each call is a real syscall instruction (no vDSO for getppid).
 *   syscall [N]
 * Prints: "syscall: N getppid in S.SSSSSS s, U.UUU us/call"
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	long ppid = getppid(), bad = 0;
	double t0, t1;

	t0 = now();
	for (long i = 0; i < n; i++)
		bad += syscall(SYS_getppid) != ppid;
	t1 = now();
	printf("syscall: %ld getppid in %.6f s, %.3f us/call%s\n", n, t1 - t0,
	       (t1 - t0) * 1e6 / (n ? n : 1), bad ? " (WRONG RESULTS)" : "");
	return bad != 0;
}
