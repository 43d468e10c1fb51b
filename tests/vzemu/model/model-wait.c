/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: waiting for a VE to be running or gone (`vzemu --wait-ve VEID=running|gone`),
 * for tests and scripts, without polling.
 *
 * Every change of the state is committed under the lock by incrementing the generation
 * counter in <state_dir>/lock (model-lock.c), so an inotify IN_MODIFY watch on that file
 * wakes the waiter at every change; it then looks under the lock, as any run does. A VE
 * whose init and supervisor both die without a last word (SIGKILL) leaves the list at the
 * next look (model-lock.c: reap_dead_ves), so the waiter also wakes when the init or the
 * supervisor of the VE it waits for exits (a pidfd of each).
 *
 * The inotify descriptor is kept for the next call (one per process, re-aimed when the state
 * directory changes): closing it waits for an SRCU grace period of fsnotify (~15 ms here),
 * which would otherwise delay every return by that much after the condition was seen.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "model-internal.h"

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int pidfd_of(pid_t pid, uint64_t start)
{
	int fd;

	if (pid <= 0 || !start)
		return -1;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd >= 0 && !m_pid_alive(pid, start)) {
		close(fd); /* not that process any more: nothing to wait for */
		return -1;
	}
	return fd;
}

/*
 * Is the condition met? Fills the pidfds to watch (init and supervisor of the VE, -1 if
 * none). kernel/ve/vecalls.c: a VE is on the list from do_env_create to env_cleanup, and
 * running while its init lives (kernel/exit.c: do_initproc_exit).
 */
static int look(struct emu_model *m, unsigned int veid, bool running, int pfd[2])
{
	struct m_ve *ve;
	int r = model_lock(m);

	if (r < 0)
		return r;
	ve = ve_find(m, veid);
	if (running)
		r = model_ve_running(m, veid);
	else
		r = ve == NULL;
	if (!r && ve) {
		pfd[0] = pidfd_of(ve->init_pid, ve->init_start);
		pfd[1] = pidfd_of(ve->owner_pid, ve->owner_start);
	}
	model_unlock(m);
	return r;
}

/* The inotify descriptor watching `path` (IN_MODIFY), kept open between calls */
static int watch_lock(const char *path)
{
	static int in = -1, wd = -1;
	static char watched[4096];

	if (in >= 0 && wd >= 0 && !strcmp(watched, path))
		return in;
	if (in < 0)
		in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (in < 0)
		return -1;
	if (wd >= 0)
		inotify_rm_watch(in, wd);
	wd = inotify_add_watch(in, path, IN_MODIFY);
	if (wd < 0)
		return -1;
	snprintf(watched, sizeof(watched), "%s", path);
	return in;
}

int model_wait_ve(const char *state_dir, unsigned int veid, bool running, long timeout_ms)
{
	struct emu_model *m;
	char path[4096], ev[4096];
	long deadline = timeout_ms >= 0 ? mono_ms() + timeout_ms : -1;
	int in, fd, r;

	if (veid == 0)
		return running ? 0 : -EINVAL; /* VE 0, the host, always runs */
	r = model_open(&m, state_dir);
	if (r < 0)
		return r;
	/* the lock file must exist before it can be watched: the watch before the first look */
	snprintf(path, sizeof(path), "%s/lock", state_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	in = fd < 0 ? -1 : watch_lock(path);
	if (fd < 0 || in < 0) {
		r = -errno;
		goto out;
	}
	for (;;) {
		int pfd[2] = { -1, -1 }, wait_ms = -1;
		struct pollfd p[3] = { { in, POLLIN, 0 }, { -1, POLLIN, 0 }, { -1, POLLIN, 0 } };

		r = look(m, veid, running, pfd);
		if (r != 0)
			break; /* reached (1) or an error */
		if (deadline >= 0) {
			long left = deadline - mono_ms();

			if (left <= 0) {
				r = -ETIMEDOUT;
				break;
			}
			wait_ms = (int)left;
		}
		p[1].fd = pfd[0];
		p[2].fd = pfd[1];
		r = poll(p, 3, wait_ms);
		for (int i = 0; i < 2; i++)
			if (pfd[i] >= 0)
				close(pfd[i]);
		if (r < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		while (read(in, ev, sizeof(ev)) > 0) {
		}
	}
	if (r > 0)
		r = 0;
out:
	if (fd >= 0)
		close(fd);
	model_close(m);
	return r;
}
