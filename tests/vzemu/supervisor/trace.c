// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The trace: one line per intercepted call, written with a single write(2) to a file opened
 * O_APPEND, so that several supervisors sharing one trace file never interleave inside a line.
 * Format (tests/vzemu/README.md):  <pid> <call> = <result>[ (<note>)]
 * where <result> is the return value, or "-1 ENAME" for an error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vzemu.h"

static int trace_fd = -1;

int trace_open(const char *path)
{
	if (!path || !*path)
		return 0;
	trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	return trace_fd < 0 ? -errno : 0;
}

static void put(const char *buf, size_t n)
{
	if (trace_fd < 0)
		return;
	if (n > 0 && write(trace_fd, buf, n) < 0)
		return;
}

void trace_raw(const char *fmt, ...)
{
	char buf[VZEMU_TRACE_MAX + 256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	if (buf[n - 1] != '\n')
		buf[n++] = '\n';
	put(buf, (size_t)n);
}

void trace_line(pid_t pid, const char *call, long ret, const char *note)
{
	char res[64];

	if (!note && faults_fired)
		note = "injected";
	faults_fired = false;
	if (ret < 0)
		snprintf(res, sizeof(res), "-1 %s", errno_name((int)-ret));
	else
		snprintf(res, sizeof(res), "%ld", ret);
	if (note && *note)
		trace_raw("%d %s = %s (%s)", (int)pid, call, res, note);
	else
		trace_raw("%d %s = %s", (int)pid, call, res);
}

const char *errno_name(int e)
{
	static __thread char buf[16];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* "EPERM", "eperm" or "1" */
int errno_parse(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	if (!*end)
		return v > 0 && v < 4096 ? (int)v : -1;
	for (int e = 1; e < 200; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcasecmp(n, s))
			return e;
	}
	return -1;
}
