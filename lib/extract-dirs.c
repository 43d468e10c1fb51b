/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The writer's directory walk and its deferred directories (see extract-writer.c for the
 * safety argument). The open parent chain of the last entry is kept, so the walk costs one
 * openat per change of directory; directories get their modes, xattrs, ACLs and times at
 * the end, in path order, reopened through the same walk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "error.h"
#include "extract-pool.h"
#include "extract-writer-int.h"

/* The entry name for messages, with control characters made harmless. */
const char *xw_shown(const char *s, char *buf, size_t size)
{
	size_t i = 0;
	for (; s[i] && i + 1 < size; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

int xw_fail(struct xw *w, vzl_error **err, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error_set(err, code, w->veid, VZL_STEP_EXTRACT, NULL, "entry '%s': %s",
			 SHOWN(w->name), msg);
}

int xw_data_block(struct xw *w, struct archive *a, const void **buf, size_t *size, la_int64_t *off,
		  vzl_error **err)
{
	int r = archive_read_data_block(a, buf, size, off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK) {
		int e = archive_errno(a) > 0 ? archive_errno(a) : EIO;
		return xw_fail(w, err, e, "cannot read its data: %s",
			       archive_error_string(a) ?: "unknown error");
	}
	return 1;
}

void xw_walk_pop(struct xw *w, unsigned int keep)
{
	while (w->depth > keep) {
		struct level *lv = &w->lv[w->depth--];
		if (lv->h)
			xdirh_put(lv->h); /* jobs may still use it */
		else
			close(lv->fd);
	}
}

int xw_walk_to(struct xw *w, const char *dir, size_t len, bool create, vzl_error **err)
{
	unsigned int k = 0;
	while (k < w->depth) {
		size_t e = w->lv[k + 1].end;
		if (e > len || (e < len && dir[e] != '/') || memcmp(w->cur, dir, e) != 0)
			break;
		k++;
	}
	xw_walk_pop(w, k);
	memcpy(w->cur, dir, len);
	w->cur[len] = '\0';

	size_t pos = w->lv[k].end;
	while (pos < len) {
		if (pos > 0)
			pos++;
		size_t n = 0;
		while (pos + n < len && dir[pos + n] != '/')
			n++;
		char comp[NAME_MAX + 1];
		if (n > NAME_MAX)
			return create ? xw_fail(w, err, ENAMETOOLONG,
						"a path component is too long")
				      : -ENAMETOOLONG;
		if (w->depth == XW_DEPTH_MAX)
			return create ? xw_fail(w, err, ENAMETOOLONG,
						"more than %d directories deep", XW_DEPTH_MAX)
				      : -ENAMETOOLONG;
		memcpy(comp, dir + pos, n);
		comp[n] = '\0';

		/* A job on this name first (it may be making a file or link there). */
		uint32_t hash = w->pool ? xpool_hash(dir, pos + n) : 0;
		if (w->pool && xpool_pending(w->pool, hash)) {
			int r = xpool_drain(w->pool, err);
			if (r < 0)
				return r;
		}
		int pfd = w->lv[w->depth].fd;
		int fd = openat(pfd, comp, DIR_FLAGS);
		if (fd < 0 && errno == ENOENT && create) {
			if (mkdirat(pfd, comp, 0755) < 0 && errno != EEXIST)
				return xw_fail(w, err, errno, "cannot create directory '%.*s': %m",
					       (int)(pos + n), dir);
			if (w->pool)
				xpool_dir_add(w->pool, hash);
			fd = openat(pfd, comp, DIR_FLAGS);
		}
		if (fd < 0) {
			int e = errno;
			if (!create)
				return -e;
			struct stat st;
			if ((e == ELOOP || e == ENOTDIR) &&
			    fstatat(pfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0)
				return xw_fail(w, err, e,
					       "it would be written through '%.*s', which is %s; "
					       "refusing to leave the private area",
					       (int)(pos + n), dir,
					       S_ISLNK(st.st_mode) ? "a symbolic link"
								   : "not a directory");
			return xw_fail(w, err, e, "cannot open directory '%.*s': %s",
				       (int)(pos + n), dir, strerror(e));
		}
		struct stat st = { 0 };
		if (create && fstat(fd, &st) < 0) {
			int e = errno;
			close(fd);
			return create ? xw_fail(w, err, e, "cannot examine '%.*s': %s",
						(int)(pos + n), dir, strerror(e))
				      : -e;
		}
		w->lv[++w->depth] = (struct level){
			.fd = fd, .gid = st.st_gid, .sgid = st.st_mode & S_ISGID, .end = pos + n
		};
		pos += n;
	}
	return 0;
}

static int arena_add(struct xw *w, const void *p, size_t n, size_t *ret_off)
{
	if (w->arena_len + n + 1 > w->arena_cap) {
		size_t cap = (w->arena_len + n + 1) * 2;
		char *a = realloc(w->arena, cap);
		if (!a)
			return -ENOMEM;
		w->arena = a;
		w->arena_cap = cap;
	}
	*ret_off = w->arena_len;
	if (n)
		memcpy(w->arena + w->arena_len, p, n);
	w->arena[w->arena_len + n] = '\0';
	w->arena_len += n + 1;
	return 0;
}

int xw_defer_dir(struct xw *w, struct archive_entry *ae, size_t path_len, vzl_error **err)
{
	struct dfix f = { .mode = archive_entry_perm(ae) & 07777, .seq = w->n_fix };
	int r;

	xw_entry_times(ae, f.ts, &f.has_times);
	if (archive_entry_xattr_count(ae) || archive_entry_acl_types(ae)) {
		r = xw_collect_xattrs(w, ae, err);
		if (r < 0)
			return r;
		if (w->xa.len) {
			if (arena_add(w, w->xa.buf, w->xa.len, &f.xa_off) < 0)
				goto oom;
			f.xa_len = w->xa.len;
		}
	}
	if (arena_add(w, w->path, path_len, &f.path_off) < 0)
		goto oom;
	f.path_len = path_len;
	if (w->n_fix == w->cap_fix) {
		size_t cap = w->cap_fix ? w->cap_fix * 2 : 256;
		struct dfix *p = realloc(w->fix, cap * sizeof(*p));
		if (!p)
			goto oom;
		w->fix = p;
		w->cap_fix = cap;
	}
	w->fix[w->n_fix++] = f;
	return 0;
oom:
	return xw_fail(w, err, ENOMEM, "out of memory");
}

/* Path order with '/' lowest, so a directory comes right before what it contains and the
 * walk reuses the open parents; equal paths keep the archive's order (the later wins). */
static int cmp_fix(const void *x, const void *y, void *arena)
{
	const struct dfix *a = x, *b = y;
	const unsigned char *p = (const unsigned char *)arena + a->path_off;
	const unsigned char *q = (const unsigned char *)arena + b->path_off;
	for (;; p++, q++) {
		unsigned char c = *p == '/' ? 1 : *p, d = *q == '/' ? 1 : *q;
		if (c != d)
			return c < d ? -1 : 1;
		if (!c)
			break;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int xw_finish(struct xw *w, vzl_error **err)
{
	if (w->pool) {
		int r = xpool_drain(w->pool, err);
		if (r < 0)
			return r;
		xpool_counts(w->pool, &w->c);
	}
	xw_walk_pop(w, 0);
	if (w->n_fix == 0)
		return 0;
	qsort_r(w->fix, w->n_fix, sizeof(*w->fix), cmp_fix, w->arena);

	for (size_t i = 0; i < w->n_fix; i++) {
		const struct dfix *f = &w->fix[i];
		const char *path = w->arena + f->path_off;
		w->name = f->path_len ? path : ".";
		int r = xw_walk_to(w, path, f->path_len, false, err);
		if (r == -ENOENT || r == -ENOTDIR || r == -ELOOP)
			continue; /* replaced by a later entry */
		if (r < 0)
			return xw_fail(w, err, -r, "cannot open the directory again: %s",
				       strerror(-r));
		int fd = w->lv[w->depth].fd;
		if (fchmod(fd, f->mode) < 0)
			return xw_fail(w, err, errno, "cannot change the mode: %m");
		if (f->xa_len) {
			const char *failed = NULL;
			r = xattr_list_apply(w->arena + f->xa_off, f->xa_len, fd, NULL,
					     &w->c.xattrs_skipped, &failed);
			if (r < 0)
				return xw_fail(w, err, -r,
					       "cannot set the extended attribute '%s': %s", failed,
					       strerror(-r));
			w->c.xattrs += (uint64_t)r;
		}
		if (f->has_times && futimens(fd, f->ts) < 0)
			return xw_fail(w, err, errno, "cannot set the times: %m");
	}
	xw_walk_pop(w, 0);
	return 0;
}
