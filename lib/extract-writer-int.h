/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The writer's state, shared by extract-writer.c (entries) and extract-dirs.c (the walk and
 * the deferred directories). Internal to those two files. */
#ifndef VZL_EXTRACT_WRITER_INT_H
#define VZL_EXTRACT_WRITER_INT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include "extract-attr.h"
#include "extract-writer.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
/* Deeper paths are refused; each level of the open parent chain holds one fd. */
#define XW_DEPTH_MAX 256

/* A directory fd shared with the worker threads' jobs (extract-pool.c): closed by whoever
 * drops the last reference; the destination's own fd is borrowed and never closed. */
struct xdirh {
	int fd;
	int refs; /* atomic */
	bool borrowed;
};

struct level {
	int fd;
	struct xdirh *h; /* NULL until a job takes a reference */
	gid_t gid;       /* the directory's group, which grpid or setgid would pass on */
	bool sgid;
	size_t end; /* length of the directory's path (cur[0..end)) */
};

/* A directory whose mode, xattrs and times are applied at the end. */
struct dfix {
	size_t path_off, path_len;
	size_t xa_off, xa_len;
	mode_t mode;
	struct timespec ts[2];
	bool has_times;
	size_t seq;
};

struct xpool;

struct xw {
	int rootfd;
	struct xpool *pool; /* worker threads, or NULL: this thread creates everything */
	struct xdirh root_h;
	unsigned int veid;
	uid_t euid;
	gid_t egid;
	bool root;
	mode_t umask;

	struct level lv[XW_DEPTH_MAX + 1];
	unsigned int depth;
	char cur[PATH_MAX];    /* the directory lv[depth] stands for, clean */
	char path[PATH_MAX];   /* the current entry, clean */
	char target[PATH_MAX]; /* a hard link's target, clean */
	char proc[64 + PATH_MAX];
	const char *name; /* the current entry as the archive spells it */

	struct xattr_list xa;
	struct dfix *fix;
	size_t n_fix, cap_fix;
	char *arena; /* paths and xattr lists of struct dfix */
	size_t arena_len, arena_cap;

	struct xw_counts c;
};

/* Drop a reference to a shared directory fd. */
void xdirh_put(struct xdirh *h);

/* The entry name for messages, with control characters made harmless. */
const char *xw_shown(const char *s, char *buf, size_t size);
#define SHOWN(s) xw_shown((s), (char[512]){ 0 }, 512)

/* An error about the current entry: "entry 'NAME': ...". Returns -code. */
int xw_fail(struct xw *w, vzl_error **err, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The entry's next data block: 1, 0 at its end, or -errno after xw_fail (a warning means
 * data other than what the archive holds: a failure too). */
int xw_data_block(struct xw *w, struct archive *a, const void **buf, size_t *size, la_int64_t *off,
		  vzl_error **err);

/* Close the open parent chain down to `keep` levels. */
void xw_walk_pop(struct xw *w, unsigned int keep);

/*
 * Make lv[depth] the directory `dir` (clean, dir[0..len)), keeping the open levels it shares
 * with the previous one. With `create`, missing directories are made (0755, like tar's
 * implicit parents) and a failure is reported; without, -errno is returned quietly.
 */
int xw_walk_to(struct xw *w, const char *dir, size_t len, bool create, vzl_error **err);

/* Collect the entry's xattrs and ACLs into w->xa. */
int xw_collect_xattrs(struct xw *w, struct archive_entry *ae, vzl_error **err);

/* Record the directory w->path[0..path_len) for xw_finish. */
int xw_defer_dir(struct xw *w, struct archive_entry *ae, size_t path_len, vzl_error **err);

/* mtime from the entry; atime is left alone (UTIME_OMIT), as GNU tar does. */
void xw_entry_times(struct archive_entry *ae, struct timespec ts[2], bool *has);

/*
 * A worker's writer: the ids, umask and destination of `w`, no open walk. Its lv[0] is set
 * to the job's directory before each job.
 */
struct xw *xw_new_worker(const struct xw *w);

/* Sum the counters a worker's writer kept into `to` (entries excepted: the reader counts). */
void xw_counts_add(struct xw_counts *to, const struct xw_counts *from);

#endif
