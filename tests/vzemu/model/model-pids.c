/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: process identity and liveness — "is (pid, start time) still that process?".
 *
 * The model names processes by pid and start time (field 22 of /proc/<pid>/stat), the way the
 * kernel's task references survive pid reuse. Model calls ask this about VE inits, their
 * supervisors, VE members and beancounter holders: with 100 VEs some 300 processes, so the
 * answers come from a cache, refreshed once per model_lock (m_pids_poll):
 *
 *   - the first time a process is seen alive a pidfd is opened for it (and the start time
 *     read again after the open, so the pidfd is known to be that process);
 *   - m_pids_poll asks all cached pidfds at once (one poll(2)): a pidfd polls readable once
 *     the thread group has exited, i.e. from the zombie state on, which /proc shows as Z/X.
 *     Such an entry is kept as "dead" (its pidfd closed): (pid, start) never lives again;
 *   - between two polls a cached process counts as alive: every answer of one locked model
 *     call is as of its model_lock, as if the call ran at that instant.
 *
 * A forked child inherits the cache with copies of the pidfds, which name the same processes:
 * it stays valid there.
 *
 * m_pids_poll returns an epoch that changes whenever an answer may have changed since the
 * previous poll (a cached process died, or a process was answered alive without a pidfd —
 * cache full, pidfd_open failed — so only /proc can tell when it dies). model-lock.c reaps
 * dead VEs and beancounter holders only when the epoch or the state changed. Past the
 * cache's bound the answers come from /proc: never wrong, only slower.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model-internal.h"

#define PID_CACHE_MAX 4096
#define PID_HASH      1024 /* buckets, a power of two */

struct pid_ent {
	pid_t pid;
	uint64_t start;
	int next; /* next entry of the same bucket, -1 ends */
};

/* ent[i] and pfd[i] describe one process; pfd[i].fd < 0: it exited (poll skips it) */
static struct pid_ent *ent;
static struct pollfd *pfd;
static int nent, cap, ndead;
static int bucket[PID_HASH];
static bool hashed;
static uint64_t epoch;

ssize_t proc_read(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = 0;
	return n;
}

/* /proc/<pid>/stat: the state letter (field 3) and the start time (field 22); -1 if gone */
static int stat_state_start(pid_t pid, char *state, unsigned long long *start)
{
	char buf[1024], *p;
	int field;

	if (pid <= 0 || proc_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
	if (!p || p[1] != ' ' || !p[2])
		return -1;
	*state = p[2];
	/* after ")" comes field 3 (state); step to the space before field 22 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p && sscanf(p + 1, "%llu", start) == 1 ? 0 : -1;
}

unsigned long long proc_starttime(pid_t pid)
{
	unsigned long long st;
	char state;

	return stat_state_start(pid, &state, &st) == 0 ? st : 0;
}

/* proc_starttime, but 0 for a zombie too: a zombie's init is dead for the VE's purposes */
static uint64_t proc_start(pid_t pid)
{
	unsigned long long st;
	char state;

	if (stat_state_start(pid, &state, &st) < 0 || state == 'Z' || state == 'X')
		return 0;
	return st;
}

static unsigned int hash_of(pid_t pid)
{
	return ((unsigned int)pid * 2654435761u) >> 22 & (PID_HASH - 1);
}

static void rehash(void)
{
	memset(bucket, 0xff, sizeof(bucket));
	for (int i = 0; i < nent; i++) {
		unsigned int h = hash_of(ent[i].pid);

		ent[i].next = bucket[h];
		bucket[h] = i;
	}
	hashed = true;
}

/* Drop the dead entries (they are only a shortcut for "not alive") */
static void compact(void)
{
	int j = 0;

	for (int i = 0; i < nent; i++)
		if (pfd[i].fd >= 0) {
			ent[j] = ent[i];
			pfd[j++] = pfd[i];
		}
	nent = j;
	ndead = 0;
	rehash();
}

static void mark_dead(int i)
{
	close(pfd[i].fd);
	pfd[i].fd = -1;
	pfd[i].revents = 0;
	ndead++;
	epoch++;
}

uint64_t m_pids_poll(void)
{
	int n;

	if (nent == 0)
		return epoch;
	n = poll(pfd, (nfds_t)nent, 0);
	for (int i = 0; n > 0 && i < nent; i++) {
		if (pfd[i].fd < 0 || !pfd[i].revents)
			continue;
		mark_dead(i); /* readable (exited) or an error: not alive */
		n--;
	}
	if (ndead > 64 && ndead > nent / 2)
		compact();
	return epoch;
}

/* The cached entry for `pid` that is alive (start 0) or that is (pid, start), or -1 */
static int lookup(pid_t pid, uint64_t start)
{
	if (!hashed)
		rehash();
	for (int i = bucket[hash_of(pid)]; i >= 0; i = ent[i].next) {
		if (ent[i].pid != pid)
			continue;
		if (start ? ent[i].start == start : pfd[i].fd >= 0)
			return i;
	}
	return -1;
}

static bool grow(void)
{
	int ncap = cap ? cap * 2 : 256;

	if (nent < cap)
		return true;
	if (ndead)
		compact();
	if (nent < cap)
		return true;
	if (ncap > PID_CACHE_MAX)
		return false;
	ent = realloc(ent, (size_t)ncap * sizeof(*ent));
	pfd = realloc(pfd, (size_t)ncap * sizeof(*pfd));
	if (!ent || !pfd)
		abort();
	cap = ncap;
	return true;
}

static void remember(pid_t pid, uint64_t start)
{
	unsigned int h = hash_of(pid);
	int fd;

	if (!grow()) {
		epoch++; /* alive without a pidfd: look again at the next poll */
		return;
	}
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0) {
		epoch++;
		return;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || proc_start(pid) != start) {
		close(fd); /* died (and maybe reused) between the two looks */
		epoch++;
		return;
	}
	if (!hashed)
		rehash();
	ent[nent] = (struct pid_ent){ pid, start, bucket[h] };
	pfd[nent] = (struct pollfd){ fd, POLLIN, 0 };
	bucket[h] = nent++;
}

uint64_t m_pid_start(pid_t pid)
{
	uint64_t st;
	int i;

	if (pid <= 0)
		return 0;
	i = lookup(pid, 0);
	if (i >= 0)
		return ent[i].start;
	st = proc_start(pid);
	if (st)
		remember(pid, st);
	return st;
}

bool m_pid_alive(pid_t pid, uint64_t start)
{
	int i;

	if (start == 0 || pid <= 0)
		return false;
	i = lookup(pid, start);
	if (i >= 0)
		return pfd[i].fd >= 0; /* a dead entry: that process exited */
	return m_pid_start(pid) == start;
}

void model_ve_init_moved(struct emu_model *m, unsigned int veid, pid_t pid)
{
	struct m_ve *ve = ve_find(m, veid);

	if (!ve || veid == 0)
		return;
	ve->init_pid = pid;
	ve->init_start = m_pid_start(pid);
	m->changed = true;
}
