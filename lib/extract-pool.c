/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Worker threads that create files, so that several inode creations are in the kernel at
 * once (on ext4 one costs 25-330 µs, mostly in the filesystem, not in our CPU time).
 *
 * Why the result is the one a single thread gives. A name's fate depends only on the
 * operations on that name and on its parent directory's existence, in archive order:
 *  - each directory belongs to one worker (by the hash of its path), and a worker runs its
 *    queue in order: operations on one name (duplicates, even when the archive leaves the
 *    directory and comes back) stay in archive order;
 *  - workers only create leaves in a directory the reading thread opened (so it exists);
 *    directories, hard links, devices, FIFOs and large or sparse files are made by the
 *    reading thread;
 *  - before the reading thread acts on a name itself (a directory entry, a walk through a
 *    component, any leaf it makes), it waits for all jobs if a job on that name is still
 *    queued or running (the pending table, counts per hash of the path);
 *  - a leaf whose name may be a directory we made goes to the reading thread after all jobs
 *    are done (replacing it must see everything written below it, and replacing a directory
 *    with a symbolic link is refused, as before); a hard link waits for all jobs too (its
 *    target may be anywhere);
 *  - directory modes and times are set at the end, after all jobs.
 * Safety is the writer's: workers use the parent's fd the reading thread opened with
 * O_NOFOLLOW walks, and the same *at() calls with O_EXCL / O_NOFOLLOW.
 *
 * Memory: at most XPOOL_JOBS_MAX jobs and XPOOL_BYTES_MAX bytes of file data in flight.
 * A failing worker records its error, drops its queue and stops; the reading thread reports
 * that error at its next submit or drain, and the caller removes the partial tree as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive_entry.h>

#include "error.h"
#include "extract-pool.h"

#define PENDING_SLOTS 65536
#define DIR_BITS      (1u << 20)

struct worker {
	struct xpool *p;
	pthread_t thread;
	pthread_cond_t wake;
	struct xjob *head, *tail;
	struct xw *w;
	bool started;
};

struct xpool {
	pthread_mutex_t lock;
	pthread_cond_t room, idle;
	unsigned int n;
	struct worker wk[XPOOL_WORKERS_MAX];
	size_t jobs, bytes; /* in flight: queued or running */
	bool stop, failed;
	vzl_error *error; /* the first worker error, until taken */
	int error_code;
	uint32_t pending[PENDING_SLOTS]; /* atomic counts of jobs per path hash */
	uint8_t dirs[DIR_BITS / 8];      /* touched by the reading thread only */
};

uint32_t xpool_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void xdirh_put(struct xdirh *h)
{
	if (__atomic_sub_fetch(&h->refs, 1, __ATOMIC_ACQ_REL) == 0 && !h->borrowed) {
		close(h->fd);
		free(h);
	}
}

void xjob_free(struct xjob *j)
{
	if (!j)
		return;
	if (j->ae)
		archive_entry_free(j->ae);
	if (j->dir)
		xdirh_put(j->dir);
	free(j->path);
	free(j->data);
	free(j);
}

unsigned int xpool_size(const struct xpool *p)
{
	return p->n;
}

bool xpool_pending(struct xpool *p, uint32_t hash)
{
	return __atomic_load_n(&p->pending[hash % PENDING_SLOTS], __ATOMIC_ACQUIRE) != 0;
}

bool xpool_dir_maybe(struct xpool *p, uint32_t hash)
{
	uint32_t b = (hash >> 7) % DIR_BITS;
	return p->dirs[b / 8] & (1u << (b % 8));
}

void xpool_dir_add(struct xpool *p, uint32_t hash)
{
	uint32_t b = (hash >> 7) % DIR_BITS;
	p->dirs[b / 8] |= (uint8_t)(1u << (b % 8));
}

bool xpool_failed(struct xpool *p)
{
	pthread_mutex_lock(&p->lock);
	bool f = p->failed;
	pthread_mutex_unlock(&p->lock);
	return f;
}

/* Called with the lock held: one job fewer in flight. */
static void job_done(struct xpool *p, struct xjob *j)
{
	__atomic_sub_fetch(&p->pending[j->hash % PENDING_SLOTS], 1, __ATOMIC_RELEASE);
	p->jobs--;
	p->bytes -= j->bytes;
	pthread_cond_signal(&p->room);
	if (p->jobs == 0)
		pthread_cond_broadcast(&p->idle);
}

static void *worker_main(void *arg)
{
	struct worker *k = arg;
	struct xpool *p = k->p;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!k->head && !p->stop)
			pthread_cond_wait(&k->wake, &p->lock);
		if (!k->head)
			break; /* stopped with nothing queued */
		struct xjob *j = k->head;
		k->head = j->next;
		if (!k->head)
			k->tail = NULL;
		bool skip = p->failed || p->stop;
		pthread_mutex_unlock(&p->lock);

		vzl_error *e = NULL;
		int r = skip ? 0 : xw_run_job(k->w, j, &e);
		/* The job's directory reference goes before the job stops counting, so that
		 * after a drain no fd of ours is left to a worker. */
		struct xjob done = { .hash = j->hash, .bytes = j->bytes };
		xjob_free(j);

		pthread_mutex_lock(&p->lock);
		if (r < 0) {
			if (!p->failed) {
				p->failed = true;
				p->error_code = -r;
				p->error = e;
				e = NULL;
			}
		}
		job_done(p, &done);
		if (e)
			vzl_error_free(e);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int xpool_new(const struct xw *w, unsigned int n, struct xpool **ret, vzl_error **err)
{
	struct xpool *p = calloc(1, sizeof(*p));
	if (!p)
		return error_set(err, ENOMEM, w->veid, VZL_STEP_EXTRACT, NULL, "out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->room, NULL);
	pthread_cond_init(&p->idle, NULL);
	if (n > XPOOL_WORKERS_MAX)
		n = XPOOL_WORKERS_MAX;

	/* Signals stay with the calling thread. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct worker *k = &p->wk[i];
		k->p = p;
		pthread_cond_init(&k->wake, NULL);
		p->n = i + 1;
		k->w = xw_new_worker(w);
		if (!k->w) {
			r = error_set(err, ENOMEM, w->veid, VZL_STEP_EXTRACT, NULL,
				      "out of memory");
			break;
		}
		int e = pthread_create(&k->thread, NULL, worker_main, k);
		if (e != 0) {
			r = error_set(err, e, w->veid, VZL_STEP_EXTRACT, NULL,
				      "cannot start a writer thread: %s", strerror(e));
			break;
		}
		k->started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		xpool_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

/* The first worker error (the lock held): the error object goes to the first caller. */
static int take_error(struct xpool *p, vzl_error **err)
{
	if (err && p->error) {
		*err = p->error;
		p->error = NULL;
	}
	return p->error_code > 0 ? -p->error_code : -EIO;
}

int xpool_submit(struct xpool *p, struct xjob *j, uint32_t dir_hash, vzl_error **err)
{
	struct worker *k = &p->wk[dir_hash % p->n];
	int r = 0;

	pthread_mutex_lock(&p->lock);
	while (!p->failed && (p->jobs >= XPOOL_JOBS_MAX ||
			      (p->jobs > 0 && p->bytes + j->bytes > XPOOL_BYTES_MAX)))
		pthread_cond_wait(&p->room, &p->lock);
	if (p->failed) {
		r = take_error(p, err);
		pthread_mutex_unlock(&p->lock);
		xjob_free(j);
		return r;
	}
	__atomic_add_fetch(&p->pending[j->hash % PENDING_SLOTS], 1, __ATOMIC_RELEASE);
	p->jobs++;
	p->bytes += j->bytes;
	j->next = NULL;
	if (k->tail)
		k->tail->next = j;
	else
		k->head = j;
	k->tail = j;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int xpool_drain(struct xpool *p, vzl_error **err)
{
	int r = 0;
	pthread_mutex_lock(&p->lock);
	while (p->jobs > 0)
		pthread_cond_wait(&p->idle, &p->lock);
	if (p->failed)
		r = take_error(p, err);
	pthread_mutex_unlock(&p->lock);
	return r;
}

void xpool_counts(struct xpool *p, struct xw_counts *to)
{
	pthread_mutex_lock(&p->lock);
	for (unsigned int i = 0; i < p->n; i++)
		if (p->wk[i].w)
			xw_counts_add(to, xw_counts(p->wk[i].w));
	pthread_mutex_unlock(&p->lock);
}

void xpool_free(struct xpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	for (unsigned int i = 0; i < p->n; i++)
		pthread_cond_signal(&p->wk[i].wake);
	pthread_mutex_unlock(&p->lock);
	for (unsigned int i = 0; i < p->n; i++) {
		struct worker *k = &p->wk[i];
		if (k->started)
			pthread_join(k->thread, NULL);
		/* Jobs still queued: a stop after a failure. */
		while (k->head) {
			struct xjob *j = k->head;
			k->head = j->next;
			xjob_free(j);
		}
		xw_free(k->w);
		pthread_cond_destroy(&k->wake);
	}
	if (p->error)
		vzl_error_free(p->error);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->idle);
	free(p);
}
