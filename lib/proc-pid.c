/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* When another process started and what it runs, from /proc (see proc-pid.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "proc-pid.h"

#define NSEC_PER_SEC 1000000000LL

/* Read a small /proc file into buf (NUL-terminated). Bytes read, or negative errno. */
static ssize_t read_proc(const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	size_t len = 0;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

int proc_stat_start_ticks(const char *stat_line, unsigned long long *ret_ticks)
{
	const char *p = strrchr(stat_line, ')');
	if (!p)
		return -EINVAL;
	p++;
	/* After ')' come field 3 (state) onwards; starttime is field 22, the 20th of them. */
	for (int field = 3; field < 22; field++) {
		if (*p != ' ')
			return -EINVAL;
		p++;
		size_t n = strcspn(p, " \n");
		if (n == 0)
			return -EINVAL;
		p += n;
	}
	if (*p != ' ' || p[1] < '0' || p[1] > '9')
		return -EINVAL;
	char *end;
	errno = 0;
	unsigned long long ticks = strtoull(p + 1, &end, 10);
	if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return -EINVAL;
	*ret_ticks = ticks;
	return 0;
}

/* Time since boot, counting suspend, in ns: the clock /proc/<pid>/stat's starttime uses. */
static int boot_time_now(int64_t *ret_ns)
{
	struct timespec ts;
	/* CLOCK_BOOTTIME needs 2.6.39; 2.6.32 answers EINVAL and /proc/uptime has the same. */
	if (clock_gettime(CLOCK_BOOTTIME, &ts) == 0) {
		*ret_ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
		return 0;
	}
	char buf[128];
	ssize_t n = read_proc("/proc/uptime", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	char *end;
	unsigned long long sec = strtoull(buf, &end, 10);
	int64_t ns = (int64_t)sec * NSEC_PER_SEC;
	if (*end == '.') {
		long long scale = NSEC_PER_SEC / 10;
		for (const char *d = end + 1; *d >= '0' && *d <= '9' && scale; d++, scale /= 10)
			ns += (*d - '0') * scale;
	} else if (end == buf) {
		return -EINVAL;
	}
	*ret_ns = ns;
	return 0;
}

int proc_pid_started_after(pid_t pid, const struct timespec *t, int slack_sec)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ssize_t n = read_proc(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	unsigned long long ticks;
	if (proc_stat_start_ticks(buf, &ticks) < 0)
		return -EINVAL;
	long hz = sysconf(_SC_CLK_TCK);
	if (hz <= 0)
		return -EINVAL;

	int64_t boot_now = 0;
	struct timespec real;
	int r = boot_time_now(&boot_now);
	if (r < 0)
		return r;
	clock_gettime(CLOCK_REALTIME, &real);
	int64_t started_boot = (int64_t)(ticks / (unsigned long long)hz) * NSEC_PER_SEC +
			       (int64_t)(ticks % (unsigned long long)hz) * (NSEC_PER_SEC / hz);
	int64_t age = boot_now - started_boot;
	int64_t started_real = real.tv_sec * NSEC_PER_SEC + real.tv_nsec - age;
	int64_t limit = (t->tv_sec + slack_sec) * NSEC_PER_SEC + t->tv_nsec;
	return started_real > limit;
}

bool proc_pid_writer_gone(pid_t pid, const struct timespec *written)
{
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	return proc_pid_started_after(pid, written, PID_REUSE_SLACK_SEC) == 1;
}

void proc_pid_cmdline(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	ssize_t n = read_proc(path, buf, size);
	if (n < 0) {
		if (size)
			buf[0] = '\0';
		return;
	}
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0' || (unsigned char)buf[i] < 0x20)
			buf[i] = ' ';
	buf[n] = '\0';
}
