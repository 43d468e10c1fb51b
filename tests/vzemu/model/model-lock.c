/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzemu model: open/close, the lock, and the state cache shared by concurrent vzemu runs.
 *
 * Every vzemu run on one state directory is a user of the same "kernel"; model_lock and
 * model_unlock bracket each call with an exclusive flock on <state_dir>/lock. Reading and
 * writing the state file on every call made a call cost 0.3–1 ms (more on a disk), so the
 * parsed state stays in memory between calls and the file is touched only when needed:
 *
 *   - the lock file holds a generation counter (a native uint64_t at offset 0) that every
 *     writer increments under the lock. model_lock reloads the state only when the counter
 *     or the identity of the state file (device, inode, size, mtime: catches a state file
 *     replaced by hand or by an older vzemu) differs from what this process last loaded or
 *     wrote. The counter is written before the rename of the new state file: a writer dying
 *     in between makes the others reload an unchanged file, never miss a change.
 *   - model_unlock writes the state back only when the call changed it, found by comparing
 *     the state with a deep copy taken when it was loaded/written. That compare reads the
 *     whole state (~0.5 MB with 100 VEs), so it runs only when `changed` says the call may
 *     have changed something: every entry point sets it (model.c, model-pids.c) except the
 *     read-only ones (getluid, /proc renders, model_ve_running), whose only change, a first
 *     exec-bc record, sets it in luid_set. A spurious `changed` costs a compare, never a
 *     wrong state.
 *   - the time-dependent transitions: the ubstat timer is checked at every model_lock; dead
 *     VEs and beancounter holders are looked for (sweep) after one poll of all cached pidfds
 *     (model-pids.c), and only when that poll saw an exit, the state was reloaded, or the
 *     last call changed it: otherwise the last sweep's answer still holds (a (pid, start)
 *     that was dead stays dead; one that was alive without a pidfd changes the epoch).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model-internal.h"

struct m_snap {
	uint64_t seq, epoch_s;
	int64_t ubs_start, ubs_end, ubs_expires, ubs_min_interval;
	int nve, nbc, nnode, nip, nquota, nluid;
	struct m_ve *ve;
	struct m_bc *bc;
	struct m_node *node;
	struct m_ip *ip;
	struct m_quota *quota;
	struct m_luid *luid;
};

static void *dup_arr(const void *a, int n, size_t elem)
{
	void *p;

	if (n <= 0)
		return NULL;
	p = malloc((size_t)n * elem);
	if (!p)
		abort();
	memcpy(p, a, (size_t)n * elem);
	return p;
}

static void snap_free(struct emu_model *m)
{
	struct m_snap *s = m->snap;

	if (!s)
		return;
	for (int i = 0; i < s->nquota; i++)
		free(s->quota[i].ugid);
	free(s->ve);
	free(s->bc);
	free(s->node);
	free(s->ip);
	free(s->quota);
	free(s->luid);
	free(s);
	m->snap = NULL;
}

static void snap_take(struct emu_model *m)
{
	struct m_snap *s;

	snap_free(m);
	s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->seq = m->seq;
	s->epoch_s = m->epoch_s;
	s->ubs_start = m->ubs_start;
	s->ubs_end = m->ubs_end;
	s->ubs_expires = m->ubs_expires;
	s->ubs_min_interval = m->ubs_min_interval;
	s->nve = m->nve;
	s->nbc = m->nbc;
	s->nnode = m->nnode;
	s->nip = m->nip;
	s->nquota = m->nquota;
	s->nluid = m->nluid;
	s->ve = dup_arr(m->ve, m->nve, sizeof(*m->ve));
	s->bc = dup_arr(m->bc, m->nbc, sizeof(*m->bc));
	s->node = dup_arr(m->node, m->nnode, sizeof(*m->node));
	s->ip = dup_arr(m->ip, m->nip, sizeof(*m->ip));
	s->luid = dup_arr(m->luid, m->nluid, sizeof(*m->luid));
	s->quota = dup_arr(m->quota, m->nquota, sizeof(*m->quota));
	for (int i = 0; i < m->nquota; i++)
		s->quota[i].ugid = dup_arr(m->quota[i].ugid, m->quota[i].nugid,
					   sizeof(*m->quota[i].ugid));
	m->snap = s;
}

static bool same_arr(const void *a, const void *b, int n, size_t elem)
{
	return n <= 0 || memcmp(a, b, (size_t)n * elem) == 0;
}

/* Does the state differ from the copy? Byte-wise: a false "changed" only costs a write. */
static bool snap_differs(const struct emu_model *m)
{
	const struct m_snap *s = m->snap;

	if (!s)
		return true;
	if (s->seq != m->seq || s->epoch_s != m->epoch_s || s->ubs_start != m->ubs_start ||
	    s->ubs_end != m->ubs_end || s->ubs_expires != m->ubs_expires ||
	    s->ubs_min_interval != m->ubs_min_interval || s->nve != m->nve || s->nbc != m->nbc ||
	    s->nnode != m->nnode || s->nip != m->nip || s->nquota != m->nquota ||
	    s->nluid != m->nluid)
		return true;
	if (!same_arr(s->ve, m->ve, m->nve, sizeof(*m->ve)) ||
	    !same_arr(s->bc, m->bc, m->nbc, sizeof(*m->bc)) ||
	    !same_arr(s->node, m->node, m->nnode, sizeof(*m->node)) ||
	    !same_arr(s->ip, m->ip, m->nip, sizeof(*m->ip)) ||
	    !same_arr(s->luid, m->luid, m->nluid, sizeof(*m->luid)))
		return true;
	for (int i = 0; i < m->nquota; i++) {
		const struct m_quota *a = &s->quota[i], *b = &m->quota[i];

		/* everything up to the ugid pointer (the last member), then the records */
		if (memcmp(a, b, offsetof(struct m_quota, ugid)) != 0 ||
		    !same_arr(a->ugid, b->ugid, b->nugid, sizeof(*b->ugid)))
			return true;
	}
	return false;
}

static uint64_t gen_read(int fd)
{
	uint64_t g;

	return pread(fd, &g, sizeof(g), 0) == (ssize_t)sizeof(g) ? g : 0;
}

static int gen_write(int fd, uint64_t g)
{
	return pwrite(fd, &g, sizeof(g), 0) == (ssize_t)sizeof(g) ? 0 : -EIO;
}

static bool same_file(const struct m_fileid *a, const struct m_fileid *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns;
}

static int lock_open(const char *state_dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/lock", state_dir);
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

static int lock_take(int fd)
{
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

int model_open(struct emu_model **ret, const char *state_dir)
{
	struct emu_model *m;
	const char *e;
	long n;

	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->state_dir = strdup(state_dir);
	m->lock_fd = -1;
	m->host.state = VES_RUNNING;
	m->host.meminfo = VE_MEMINFO_SYSTEM;
	m->host.cap_bset = ~0ULL;
	/* the host's online CPU count; VZEMU_CPUS overrides it for reproducible tests */
	e = getenv("VZEMU_CPUS");
	n = e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	m->ncpus = n > 0 && n < 4096 ? (unsigned int)n : 1;
	*ret = m;
	return 0;
}

void model_close(struct emu_model *m)
{
	if (!m)
		return;
	if (m->lock_fd >= 0)
		close(m->lock_fd);
	snap_free(m);
	state_clear(m);
	free(m->state_dir);
	free(m);
}

/*
 * A VE whose init is gone and whose creating supervisor is gone too will get no
 * model_init_exited/model_ve_empty calls: apply both transitions now (kernel/exit.c:
 * do_initproc_exit, then kernel/ve/vecalls.c: env_cleanup — §12.3: VE off the list,
 * fairsched node removed, IPs dropped; the beancounter stays).
 */
static void reap_dead_ves(struct emu_model *m)
{
	pid_t self = getpid();
	int i;

	for (i = 0; i < m->nve; i++) {
		struct m_ve *ve = &m->ve[i];

		if (m_pid_alive(ve->init_pid, ve->init_start))
			continue;
		if (ve->owner_pid != self && m_pid_alive(ve->owner_pid, ve->owner_start))
			continue;
		if (ve->owner_pid == self && ve->owner_start == m_pid_start(self))
			continue; /* our own supervisor reports init exit and emptiness */
		ve_remove(m, ve->veid);
		i--;
	}
}

/*
 * The transitions that depend on processes having died: VEs whose init and supervisor are
 * gone, beancounters without a holder (model-ubc.c: bc_gc).
 */
static void sweep(struct emu_model *m)
{
	int nve = m->nve, nbc = m->nbc, nluid = m->nluid;

	reap_dead_ves(m);
	bc_gc(m);
	if (m->nve != nve || m->nbc != nbc || m->nluid != nluid)
		m->changed = true;
}

int model_lock(struct emu_model *m)
{
	char path[4096];
	struct m_fileid id;
	uint64_t gen, epoch;
	int r;

	if (m->lock_fd < 0) {
		m->lock_fd = lock_open(m->state_dir);
		if (m->lock_fd < 0)
			return -errno;
	}
	r = lock_take(m->lock_fd);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/state", m->state_dir);
	gen = gen_read(m->lock_fd);
	r = state_fileid(path, &id);
	if (r == 0 && (!m->cached || gen != m->gen || !same_file(&id, &m->fid))) {
		r = state_load(m);
		if (r >= 0) {
			m->cached = true;
			m->gen = gen;
			m->fid = id;
			m->need_sweep = true;
			snap_free(m);
			if (r == 0)
				snap_take(m); /* fresh (r == 1): no copy, so it gets written */
			r = 0;
		}
	}
	if (r < 0) {
		m->cached = false;
		flock(m->lock_fd, LOCK_UN);
		return r;
	}
	m->changed = m->snap == NULL;
	epoch = m_pids_poll();
	if (m->need_sweep || epoch != m->swept_epoch) {
		sweep(m);
		/* the epoch from before: an answer the sweep got without a pidfd changed it */
		m->swept_epoch = epoch;
		m->need_sweep = false;
	}
	ubstat_tick(m);
	m->locked = true;
	return 0;
}

int model_unlock(struct emu_model *m)
{
	int r = 0;

	if (!m->locked)
		return -EINVAL;
	/* a changed state may hold processes not seen by the last sweep */
	if (m->changed)
		m->need_sweep = true;
	if (m->changed && snap_differs(m)) {
		r = gen_write(m->lock_fd, m->gen + 1);
		if (r == 0)
			r = state_save(m);
		if (r == 0) {
			m->gen++;
			snap_take(m);
		} else {
			m->cached = false; /* the file is what counts: reload it next time */
		}
	}
	m->locked = false;
	flock(m->lock_fd, LOCK_UN);
	return r;
}

void model_unlock_discard(struct emu_model *m)
{
	if (!m->locked)
		return;
	m->cached = false;
	m->locked = false;
	flock(m->lock_fd, LOCK_UN);
}

/* --reset: no state file, and every cached copy of the old one is stale */
int model_reset(const char *state_dir)
{
	char path[4096];
	int fd, r;

	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = lock_open(state_dir);
	if (fd < 0)
		return -errno;
	r = lock_take(fd);
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/state", state_dir);
		if (unlink(path) < 0 && errno != ENOENT)
			r = -errno;
		else
			r = gen_write(fd, gen_read(fd) + 1);
	}
	close(fd);
	return r;
}
