/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which entries the reading thread hands to the worker threads, and the jobs it makes of
 * them: a clone of the entry, a reference to its parent directory's fd, and a regular
 * file's data copied out of libarchive's reused blocks. The rules are in extract-pool.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "extract-pool.h"

/*
 * May this entry go to a worker? Regular files of at most XPOOL_FILE_MAX bytes without
 * holes, and symbolic links, whose name is not one of a directory we made.
 */
bool xw_for_worker(struct xw *w, struct archive_entry *ae, unsigned int type, uint32_t hash)
{
	if (!w->pool || archive_entry_hardlink(ae) || xpool_dir_maybe(w->pool, hash))
		return false;
	if (type == AE_IFLNK)
		return true;
	return type == AE_IFREG && archive_entry_size_is_set(ae) &&
	       archive_entry_size(ae) <= (int64_t)XPOOL_FILE_MAX &&
	       archive_entry_sparse_count(ae) == 0;
}

/* Read a regular file's data into j->data (the archive's blocks are reused). */
static int read_job_data(struct xw *w, struct archive *a, struct archive_entry *ae, struct xjob *j,
			 vzl_error **err)
{
	size_t total = (size_t)archive_entry_size(ae);
	j->data = malloc(total ? total : 1);
	if (!j->data)
		return xw_fail(w, err, ENOMEM, "out of memory");
	size_t end = 0;
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;
	while ((r = xw_data_block(w, a, &buf, &size, &off, err)) > 0) {
		if (off < 0 || (uint64_t)off > total || size > total - (size_t)off)
			return xw_fail(w, err, EINVAL, "its data goes beyond its size");
		if ((size_t)off > end)
			memset(j->data + end, 0, (size_t)off - end);
		memcpy(j->data + off, buf, size);
		if ((size_t)off + size > end)
			end = (size_t)off + size;
	}
	if (r < 0)
		return r;
	j->len = end;
	return 0;
}

/* Hand the entry w->path[0..len) (leaf after dlen) to the worker owning its directory. */
int xw_submit(struct xw *w, struct archive *a, struct archive_entry *ae, unsigned int type,
	      size_t len, size_t dlen, uint32_t hash, vzl_error **err)
{
	struct xjob *j = calloc(1, sizeof(*j));
	if (!j)
		return xw_fail(w, err, ENOMEM, "out of memory");
	j->hash = hash;
	j->ae = archive_entry_clone(ae);
	j->path = strndup(w->path, len);
	if (!j->ae || !j->path) {
		xjob_free(j);
		return xw_fail(w, err, ENOMEM, "out of memory");
	}
	j->leaf_off = dlen ? dlen + 1 : 0;
	if (type == AE_IFREG) {
		int r = read_job_data(w, a, ae, j, err);
		if (r < 0) {
			xjob_free(j);
			return r;
		}
	}
	j->bytes = j->len + 512;

	struct level *lv = &w->lv[w->depth];
	if (!lv->h) {
		lv->h = malloc(sizeof(*lv->h));
		if (!lv->h) {
			xjob_free(j);
			return xw_fail(w, err, ENOMEM, "out of memory");
		}
		*lv->h = (struct xdirh){ .fd = lv->fd, .refs = 1 };
	}
	__atomic_add_fetch(&lv->h->refs, 1, __ATOMIC_RELAXED);
	j->dir = lv->h;
	j->dir_gid = lv->gid;
	j->dir_sgid = lv->sgid;
	return xpool_submit(w->pool, j, xpool_hash(w->path, dlen), err);
}
