/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The writer's worker threads (internal to the writer). The reading thread keeps every
 * decision about names and order; workers only create leaves (regular files and symbolic
 * links) in directories that already exist, each directory always by the same worker, in
 * archive order. See extract-pool.c for the rules that keep the result equal to a
 * single-threaded extraction.
 */
#ifndef VZL_EXTRACT_POOL_H
#define VZL_EXTRACT_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract-writer-int.h"

/* In-flight bounds: the data copied for jobs, and the jobs (each may hold a directory fd). */
#define XPOOL_BYTES_MAX (1u << 20)
#define XPOOL_JOBS_MAX  64
/* Larger regular files are written by the reading thread itself. */
#define XPOOL_FILE_MAX    (256u << 10)
#define XPOOL_WORKERS_MAX 8

struct archive;

struct xjob {
	struct xjob *next;
	struct archive_entry *ae; /* a clone: owner, mode, times, xattrs, ACLs, link target */
	struct xdirh *dir;        /* the parent directory (a reference) */
	gid_t dir_gid;
	bool dir_sgid;
	uint32_t hash; /* of the clean path, for xpool_pending */
	char *path;    /* clean path; leaf = path + leaf_off */
	size_t leaf_off;
	char *data; /* a regular file's contents */
	size_t len;
	size_t bytes; /* what this job counts against XPOOL_BYTES_MAX */
};

struct xpool;

/* FNV-1a of s[0..n): the key of the pending table and of the directory filter. */
uint32_t xpool_hash(const char *s, size_t n);

/* Start `n` workers (2..XPOOL_WORKERS_MAX) writing with copies of `w`'s identity. */
int xpool_new(const struct xw *w, unsigned int n, struct xpool **ret, vzl_error **err);

unsigned int xpool_size(const struct xpool *p);

/* Is a job on a path with this hash queued or running? (False positives are harmless.) */
bool xpool_pending(struct xpool *p, uint32_t hash);

/* Has a directory with this hash been made? (False positives are harmless.) */
bool xpool_dir_maybe(struct xpool *p, uint32_t hash);
void xpool_dir_add(struct xpool *p, uint32_t hash);

/*
 * Queue `j` (taken over, freed on every path) for the worker owning the directory hash
 * `dir_hash`; waits while the in-flight bounds are reached. Fails with a worker's error
 * once one has failed.
 */
int xpool_submit(struct xpool *p, struct xjob *j, uint32_t dir_hash, vzl_error **err);

/* Wait until every queued job is done; a worker's error if one failed. */
int xpool_drain(struct xpool *p, vzl_error **err);

/* Has a worker failed? Then xpool_drain returns its error. */
bool xpool_failed(struct xpool *p);

/* Add the workers' counters (call after xpool_drain). */
void xpool_counts(struct xpool *p, struct xw_counts *to);

/* Stop the workers (queued jobs are dropped), join and free. */
void xpool_free(struct xpool *p);

void xjob_free(struct xjob *j);

/*
 * May this entry go to a worker (extract-jobs.c)? Regular files of at most XPOOL_FILE_MAX
 * bytes without holes, and symbolic links, whose name (hash) is not one of a directory made.
 */
bool xw_for_worker(struct xw *w, struct archive_entry *ae, unsigned int type, uint32_t hash);

/* Hand the entry w->path[0..len) (its leaf after dlen) to the worker owning its directory,
 * reading a regular file's data from `a` first. */
int xw_submit(struct xw *w, struct archive *a, struct archive_entry *ae, unsigned int type,
	      size_t len, size_t dlen, uint32_t hash, vzl_error **err);

/* Do one job with a worker's writer (extract-writer.c). */
int xw_run_job(struct xw *ww, struct xjob *j, vzl_error **err);

#endif
