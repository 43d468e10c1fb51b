/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: process identity and liveness — "is (pid, start time) still that process?".
 *
 * The model names processes by pid and start time (field 22 of /proc/<pid>/stat), the way the
 * kernel's task references survive pid reuse. Every model call asks this about VE inits,
 * their supervisors and processes with a recorded exec beancounter, so it is cached: the first
 * time a process is seen alive a pidfd is opened for it (and the start time read again after
 * the open, so the pidfd is known to be that process). From then on:
 *   - alive  = the pidfd is not readable (a pidfd polls readable once the thread group has
 *              exited, i.e. from the zombie state on, which /proc shows as Z/X),
 *   - start  = the cached value while the pidfd says alive (a live process keeps its pid).
 * One poll(2) instead of an open/read/parse of /proc. The cache is bounded; past the bound
 * the answers come from /proc as before, so it is never wrong, only slower.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model-internal.h"

#define PID_CACHE_MAX 256

struct pid_ent {
	pid_t pid;
	uint64_t start;
	int pidfd;
};

static struct pid_ent cache[PID_CACHE_MAX];
static int ncache;

/* field 22 of /proc/<pid>/stat: start time in clock ticks since boot; 0 if gone or zombie */
static uint64_t proc_start(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long st = 0;
	ssize_t n;
	int fd, field;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');	/* comm may hold spaces and parentheses */
	if (!p)
		return 0;
	if (p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
		return 0;	/* a zombie's init is dead for the VE's purposes */
	/* after ")" comes field 3 (state); step to the space before field 22 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &st) != 1)
		return 0;
	return st;
}

static bool pidfd_exited(int fd)
{
	struct pollfd pf = { fd, POLLIN, 0 };

	return poll(&pf, 1, 0) != 0;	/* readable (exited) or an error: not alive */
}

static void drop(int i)
{
	close(cache[i].pidfd);
	cache[i] = cache[--ncache];
}

/* The live cached entry for `pid`, dropping a dead one */
static struct pid_ent *lookup(pid_t pid)
{
	for (int i = 0; i < ncache; i++) {
		if (cache[i].pid != pid)
			continue;
		if (pidfd_exited(cache[i].pidfd)) {
			drop(i);
			return NULL;
		}
		return &cache[i];
	}
	return NULL;
}

static void remember(pid_t pid, uint64_t start)
{
	int fd;

	if (ncache == PID_CACHE_MAX) {
		for (int i = 0; i < ncache; i++)
			if (pidfd_exited(cache[i].pidfd))
				drop(i--);
		if (ncache == PID_CACHE_MAX)
			return;
	}
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || proc_start(pid) != start) {
		close(fd);	/* died (and maybe reused) between the two looks */
		return;
	}
	cache[ncache++] = (struct pid_ent){ pid, start, fd };
}

uint64_t m_pid_start(pid_t pid)
{
	struct pid_ent *e;
	uint64_t st;

	if (pid <= 0)
		return 0;
	e = lookup(pid);
	if (e)
		return e->start;
	st = proc_start(pid);
	if (st)
		remember(pid, st);
	return st;
}

bool m_pid_alive(pid_t pid, uint64_t start)
{
	return start != 0 && m_pid_start(pid) == start;
}

void model_ve_init_moved(struct emu_model *m, unsigned int veid, pid_t pid)
{
	struct m_ve *ve = ve_find(m, veid);

	if (!ve || veid == 0)
		return;
	ve->init_pid = pid;
	ve->init_start = m_pid_start(pid);
}
