// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vzemu-stop-latency: the time from a VE's init exiting to the VE leaving /proc/vz/veinfo
 * under vzemu. Not a test: it prints figures.
 *
 *   vzemu-stop-latency VZEMU ABI_CLIENT [N]      (as root, not under vzemu)
 *
 * N times (default 20) for each of two VEs — an init alone, and an init with one more process
 * (a child that would stay) — it starts the VE with `VZEMU -- ABI_CLIENT create VEID -- <this
 * program> --init DIR`, lets the init go through a FIFO, and waits for the VE to leave the
 * list as `vzemu --wait-ve VEID=gone` does (model_wait_ve: woken by every committed state
 * change, no polling). The init writes CLOCK_MONOTONIC into DIR/t0 right before _exit; the
 * latency is the time model_wait_ve returned minus t0. Prints the median, p90 and maximum, and
 * the cost of model_wait_ve on an already-gone VE (what the measurement itself adds).
 *
 * VZEMU_BENCH_STATE=DIR: use that state directory as it is (no reset), e.g. with 100 VEs in
 * it: `vzemu-proc DIR 100 -- env VZEMU_BENCH_STATE=DIR vzemu-stop-latency VZEMU ABI_CLIENT`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model.h"

#define VEID  4199
#define MAX_N 1000

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Inside the VE: (fork a child that stays,) wait for the go, note the time, exit */
static int run_init(const char *dir, bool with_child)
{
	char p[4200], buf[32], b;
	int fd, n;

	if (with_child && fork() == 0) {
		for (;;)
			pause();
	}
	snprintf(p, sizeof(p), "%s/go", dir);
	fd = open(p, O_RDONLY);
	if (fd < 0 || read(fd, &b, 1) != 1)
		_exit(1);
	snprintf(p, sizeof(p), "%s/t0", dir);
	n = snprintf(buf, sizeof(buf), "%lld\n", now_ns());
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		_exit(1);
	_exit(0); /* t0 is the moment before this */
}

static int run(char **argv)
{
	int st;
	pid_t c = fork();

	if (c == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, long long *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	printf("%-34s n=%d median %7.3f ms  p90 %7.3f ms  max %7.3f ms\n", what, n, v[n / 2] / 1e6,
	       v[(n * 9) / 10] / 1e6, v[n - 1] / 1e6);
}

/* One start and stop; returns the latency in ns or -1 */
static long long once(const char *vzemu, const char *client, const char *self, const char *state,
		      const char *dir, bool with_child)
{
	char veid[16], go[4200], t0p[4200], buf[64];
	char *argv[] = { (char *)vzemu, "--state",      (char *)state,
			 "--",          (char *)client, "create",
			 veid,          "--",           (char *)self,
			 "--init",      (char *)dir,    with_child ? "--child" : NULL,
			 NULL };
	long long t0, t1;
	FILE *f;
	int fd;

	snprintf(veid, sizeof(veid), "%d", VEID);
	snprintf(go, sizeof(go), "%s/go", dir);
	snprintf(t0p, sizeof(t0p), "%s/t0", dir);
	unlink(t0p);
	if (run(argv) != 0) {
		fprintf(stderr, "vzemu-stop-latency: starting the VE failed\n");
		return -1;
	}
	fd = open(go, O_WRONLY); /* blocks until the init opened it */
	if (fd < 0 || write(fd, "g", 1) != 1)
		return -1;
	close(fd);
	if (model_wait_ve(state, VEID, false, 5000) < 0) {
		fprintf(stderr, "vzemu-stop-latency: the VE did not go\n");
		return -1;
	}
	t1 = now_ns();
	f = fopen(t0p, "re");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	t0 = atoll(buf);
	return t1 - t0;
}

int main(int argc, char **argv)
{
	static long long lat[MAX_N], idle[MAX_N];
	char dir[] = "/dev/shm/vzemu-stop-latency.XXXXXX", state[4200], go[4200], self[4096];
	int n = argc > 3 ? atoi(argv[3]) : 20;
	ssize_t l;

	if (argc > 2 && !strcmp(argv[1], "--init"))
		return run_init(argv[2], argc > 3 && !strcmp(argv[3], "--child"));
	if (argc < 3 || n < 1 || n > MAX_N) {
		fprintf(stderr, "usage: vzemu-stop-latency VZEMU ABI_CLIENT [N <= %d]\n", MAX_N);
		return 2;
	}
	l = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (l < 0 || !mkdtemp(dir))
		return perror("vzemu-stop-latency"), 1;
	self[l] = 0;
	if (getenv("VZEMU_BENCH_STATE"))
		snprintf(state, sizeof(state), "%s", getenv("VZEMU_BENCH_STATE"));
	else
		snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(go, sizeof(go), "%s/go", dir);
	if (mkfifo(go, 0600) < 0)
		return perror("mkfifo"), 1;
	{
		char *r[] = { argv[1], "--state", state, "--reset", "--", "true", NULL };

		if (getenv("VZEMU_BENCH_STATE")) /* keep its VEs: drop --reset */
			memmove(&r[3], &r[4], 3 * sizeof(*r));

		if (run(r) != 0)
			return fprintf(stderr, "vzemu-stop-latency: vzemu does not run here\n"), 1;
	}
	for (int child = 0; child < 2; child++) {
		for (int i = 0; i < n; i++) {
			long long t;

			lat[i] = once(argv[1], argv[2], self, state, dir, child);
			if (lat[i] < 0)
				return 1;
			t = now_ns();
			model_wait_ve(state, VEID, false, 5000);
			idle[i] = now_ns() - t;
		}
		report(child ? "init + 1 process: exit -> gone" : "init alone: exit -> gone", lat,
		       n);
	}
	report("(model_wait_ve on a gone VE)", idle, n);
	{
		char cmd[8400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return 0;
}
