// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-call overhead of vzemu (not a test). Run it under the emulator:
 *
 *   vzemu --state /dev/shm/bench-state --reset -- vzemu-overhead [N]   (state on tmpfs)
 *   vzemu --state /var/tmp/bench-state --reset -- vzemu-overhead [N]   (state on a disk)
 *
 * and, for the bare cost of the passthrough calls, without it (getluid then reports ENOSYS).
 * Times N calls of each kind one by one (CLOCK_MONOTONIC around each call) and prints the
 * median and 90th percentile in microseconds:
 *   getppid             not intercepted: BPF filter only
 *   getluid             OpenVZ call: user notification, answered by the model (flock, a
 *                       cached state: nothing read or written unless another run wrote)
 *   open+close /dev/null  open is a user notification that CONTINUEs (path not the model's)
 *   open+close /dev/vzctl open answered with an injected descriptor
 *   read /proc/vz/veinfo, read /proc/user_beancounters
 *                       open + read to EOF + close of a /proc file rendered by the model
 *                       (N/10 times: run it under bench/vzemu-proc.c for a model with VEs)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "openvz.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

enum kind { K_GETPPID, K_GETLUID, K_OPEN_NULL, K_OPEN_VZCTL, K_VEINFO, K_UBC };

/* open, read to EOF, close: what `cat` of the file costs a program */
static int read_all(const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
	}
	close(fd);
	return n < 0 ? -errno : 0;
}

static int one(enum kind k)
{
	int fd;

	switch (k) {
	case K_GETPPID:
		return syscall(SYS_getppid) < 0 ? -errno : 0;
	case K_GETLUID:
		return syscall(__NR_getluid) < 0 ? -errno : 0;
	case K_OPEN_NULL:
	case K_OPEN_VZCTL:
		fd = open(k == K_OPEN_NULL ? "/dev/null" : OVZ_DEV_VZCTL, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		close(fd);
		return 0;
	case K_VEINFO:
		return read_all("/proc/vz/veinfo");
	case K_UBC:
		return read_all("/proc/user_beancounters");
	}
	return -EINVAL;
}

static void measure(const char *name, enum kind k, int n)
{
	double *t = calloc((size_t)n, sizeof(*t));
	int err = 0;

	if (!t)
		exit(1);
	for (int i = 0; i < 10; i++)
		one(k); /* warm up */
	for (int i = 0; i < n; i++) {
		double a = now_us();
		int r = one(k);

		t[i] = now_us() - a;
		if (r < 0)
			err = -r;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%-24s n=%d median %8.2f us  p90 %8.2f us%s%s\n", name, n, t[n / 2], t[(n * 9) / 10],
	       err ? "  (error: " : "", err ? strerrorname_np(err) : "");
	if (err)
		printf(")\n");
	free(t);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;

	if (n <= 0)
		n = 10000;
	measure("getppid (passthrough)", K_GETPPID, n);
	measure("getluid (model)", K_GETLUID, n);
	measure("open+close /dev/null", K_OPEN_NULL, n);
	measure("open+close /dev/vzctl", K_OPEN_VZCTL, n);
	measure("read /proc/vz/veinfo", K_VEINFO, n / 10 > 0 ? n / 10 : 1);
	measure("read /proc/user_beancounters", K_UBC, n / 10 > 0 ? n / 10 : 1);
	return 0;
}
