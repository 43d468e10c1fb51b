/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Counting a private area's usage as vzquota's quotacheck does (vzctl-behaviour.md §4.6;
 * facts from kolyshkin/vzquota src/quotacheck.c), as fast as the filesystem allows.
 *
 * What vzquota counts: every entry once per inode (non-directories with more than one link
 * de-duplicated by inode number), the root included; space = FIOQSIZE for regular files and
 * directories, which the kernel answers with inode_get_bytes() = i_blocks x 512 + i_bytes
 * (fs/ioctl.c), falling back to st_blocks x 512; st_blocks x 512 for everything else; an
 * entry on another st_dev stops the scan.
 *
 * The fast path: FIOQSIZE needs an open, an ioctl and a close per file, three syscalls more
 * than the one fstatat() that also gives uid, gid, nlink and dev. On ext2/3/4 and tmpfs
 * st_blocks is i_blocks and i_bytes stays 0 (they account whole blocks), so fstatat() alone
 * gives the same number — except that ext4's getattr adds blocks reserved for delayed
 * allocation, which vzquota forces out per file (EXT4_IOC_ALLOC_DA_BLKS); one syncfs() of
 * the filesystem before the walk does the same for all files at once. Elsewhere, or with
 * QUOTA_SCAN_EXACT, each regular file is opened for FIOQSIZE as vzquota does.
 *
 * The walk: depth first, one open directory fd per level (openat with O_NOFOLLOW from its
 * parent, checked against the fstatat() that found it), its names read in full (readdir,
 * i.e. getdents64 in large batches) before any child is entered; every later call is
 * relative to that fd, so no path is built per file. Only the deepest MAX_OPEN levels keep their fd; a
 * parent whose fd was closed is reopened from its child through "..", and checked to be the
 * same directory, so any depth works with a bounded number of fds.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "macro.h"
#include "quota-scan.h"

#define EXT234_SUPER_MAGIC        0xEF53
#define TMPFS_MAGIC_NUMBER        0x01021994
#define EXT4_IOC_ALLOC_DA_BLKS_NR _IO('f', 12)

#define MAX_OPEN       64
#define PROGRESS_EVERY 4096

/* One directory on the path from the root: its names, read in full, and where we are. */
struct frame {
	DIR *dir; /* owns fd */
	int fd;
	dev_t dev;
	ino_t ino;
	char *names; /* d_type byte, name, NUL; repeated */
	size_t len;
	size_t pos;
	const char *name; /* in the parent's names (for messages) */
};

/* Open-addressed set of inode numbers (all on one device). */
struct ino_set {
	uint64_t *slots; /* ino + 1; 0 = empty */
	size_t cap, n;
};

struct id_usage {
	uint32_t id;
	uint32_t used;
	uint64_t space;
	uint64_t inodes;
};

struct id_map {
	struct id_usage *slots;
	size_t cap, n;
};

struct scan {
	const char *root;
	unsigned int veid;
	unsigned int flags;
	int exact;    /* FIOQSIZE per regular file */
	int alloc_da; /* ext4: force delayed allocation first, as vzquota */
	dev_t dev;
	quota_scan_progress_fn progress;
	void *userdata;
	struct frame *frames;
	size_t depth, frames_cap;
	struct ino_set links;
	struct id_map users, groups;
	struct quota_scan_result res;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* 1 when `ino` was already in the set, 0 when added now, -ENOMEM. */
static int ino_set_add(struct ino_set *s, ino_t ino)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		uint64_t *slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i])
				for (size_t j = mix(s->slots[i]) & (cap - 1);;
				     j = (j + 1) & (cap - 1))
					if (!slots[j]) {
						slots[j] = s->slots[i];
						break;
					}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	uint64_t key = (uint64_t)ino + 1;
	for (size_t j = mix(key) & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
		if (s->slots[j] == key)
			return 1;
		if (!s->slots[j]) {
			s->slots[j] = key;
			s->n++;
			return 0;
		}
	}
}

static struct id_usage *id_map_slot(struct id_usage *slots, size_t cap, uint32_t id)
{
	for (size_t j = mix(id) & (cap - 1);; j = (j + 1) & (cap - 1))
		if (!slots[j].used || slots[j].id == id)
			return &slots[j];
}

static int id_map_add(struct id_map *m, uint32_t id, uint64_t space)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct id_usage *slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].used)
				*id_map_slot(slots, cap, m->slots[i].id) = m->slots[i];
		free(m->slots);
		m->slots = slots;
		m->cap = cap;
	}
	struct id_usage *u = id_map_slot(m->slots, m->cap, id);
	if (!u->used) {
		*u = (struct id_usage){ .id = id, .used = 1 };
		m->n++;
	}
	u->space += space;
	u->inodes++;
	return 0;
}

/* The path of `name` in the current directory, for a message. */
static char *path_of(const struct scan *s, const char *name)
{
	size_t len = strlen(s->root) + (name ? strlen(name) + 1 : 0) + 1;
	for (size_t i = 1; i < s->depth; i++)
		len += strlen(s->frames[i].name) + 1;
	char *p = malloc(len);
	if (!p)
		return NULL;
	char *e = stpcpy(p, s->root);
	for (size_t i = 1; i < s->depth; i++)
		e = stpcpy(stpcpy(e, "/"), s->frames[i].name);
	if (name)
		stpcpy(stpcpy(e, "/"), name);
	return p;
}

static int scan_error(struct scan *s, vzl_error **err, int code, const char *name, const char *what)
{
	_cleanup_free_ char *p = path_of(s, name);
	if (code == EXDEV)
		return error_set(err, EXDEV, s->veid, VZL_STEP_QUOTA, NULL,
				 "another filesystem is mounted at %s, inside the quota tree %s; "
				 "unmount it (the usage of one filesystem only can be counted)",
				 p ? p : s->root, s->root);
	return error_set(err, code, s->veid, VZL_STEP_QUOTA, NULL,
			 "cannot %s %s while counting the disk usage of %s: %s", what,
			 p ? p : "(out of memory)", s->root, strerror(code));
}

static int fioqsize(struct scan *s, int fd, const struct stat *st, uint64_t *ret)
{
	if (s->alloc_da)
		(void)ioctl(fd, EXT4_IOC_ALLOC_DA_BLKS_NR); /* best effort, as vzquota */
	loff_t size;
	if (ioctl(fd, FIOQSIZE, &size) == 0 && size >= 0) {
		*ret = (uint64_t)size;
		return 0;
	}
	s->res.inexact = 1;
	*ret = (uint64_t)st->st_blocks * 512;
	return 0;
}

/* Space of a non-directory entry `name` of the directory `dirfd`. */
static int entry_space(struct scan *s, int dirfd, const char *name, const struct stat *st,
		       uint64_t *ret, vzl_error **err)
{
	if (!s->exact || !S_ISREG(st->st_mode)) {
		*ret = (uint64_t)st->st_blocks * 512;
		return 0;
	}
	/* O_NONBLOCK: should it have become a FIFO since the fstatat, the open must not hang. */
	_cleanup_close_ int fd = openat(dirfd, name,
					O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return scan_error(s, err, errno, name, "open");
	return fioqsize(s, fd, st, ret);
}

static int account(struct scan *s, const struct stat *st, uint64_t space)
{
	s->res.space += space;
	s->res.inodes++;
	if (s->flags & QUOTA_SCAN_UGID) {
		if (id_map_add(&s->users, st->st_uid, space) < 0 ||
		    id_map_add(&s->groups, st->st_gid, space) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Read all names of the directory f->dir into f->names. */
static int read_names(struct frame *f)
{
	size_t cap = 0;
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(f->dir);
		if (!e)
			return errno ? -errno : 0;
		const char *name = e->d_name;
		if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		size_t nl = strlen(name) + 1;
		if (f->len + 1 + nl > cap) {
			size_t ncap = cap ? 2 * cap : 4096;
			while (ncap < f->len + 1 + nl)
				ncap *= 2;
			char *p = realloc(f->names, ncap);
			if (!p)
				return -ENOMEM;
			f->names = p;
			cap = ncap;
		}
		f->names[f->len] = (char)e->d_type;
		memcpy(f->names + f->len + 1, name, nl);
		f->len += 1 + nl;
	}
}

/* Give up the frame's fd (and its DIR). */
static void frame_close(struct frame *f)
{
	if (f->dir)
		closedir(f->dir);
	f->dir = NULL;
	f->fd = -1;
}

/* The frame takes `fd` over (closed on failure). */
static int frame_open(struct frame *f, int fd)
{
	f->dir = fdopendir(fd);
	if (!f->dir) {
		int e = errno;
		close(fd);
		f->fd = -1;
		return -e;
	}
	f->fd = fd;
	return 0;
}

static int push_frame(struct scan *s, int fd, const struct stat *st, const char *name,
		      vzl_error **err)
{
	if (s->depth == s->frames_cap) {
		size_t cap = s->frames_cap ? 2 * s->frames_cap : 64;
		struct frame *f = realloc(s->frames, cap * sizeof(*f));
		if (!f) {
			close(fd);
			return error_set(err, ENOMEM, s->veid, VZL_STEP_QUOTA, NULL,
					 "out of memory");
		}
		s->frames = f;
		s->frames_cap = cap;
	}
	/* Keep at most MAX_OPEN directories open: the shallowest open one gives its fd up. */
	if (s->depth >= MAX_OPEN) {
		frame_close(&s->frames[s->depth - MAX_OPEN]);
	}
	struct frame *f = &s->frames[s->depth++];
	*f = (struct frame){ .fd = -1, .dev = st->st_dev, .ino = st->st_ino, .name = name };
	int r = frame_open(f, fd);
	if (r == 0)
		r = read_names(f);
	if (r < 0)
		return scan_error(s, err, -r, NULL, "read the directory");
	return 0;
}

/* Leave the deepest directory; reopen its parent through ".." if the parent's fd was given up. */
static int pop_frame(struct scan *s, vzl_error **err)
{
	struct frame *f = &s->frames[s->depth - 1];
	int r = 0;
	if (s->depth >= 2 && s->frames[s->depth - 2].fd < 0) {
		struct frame *p = &s->frames[s->depth - 2];
		struct stat st;
		int fd = openat(f->fd, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0)
			r = -errno;
		else if (st.st_dev != p->dev || st.st_ino != p->ino)
			r = -ESTALE; /* the tree was moved while we walked it */
		if (r < 0 && fd >= 0)
			close(fd);
		if (r == 0)
			r = frame_open(p, fd);
	}
	if (r < 0) {
		s->depth--; /* name the parent in the message */
		int e = scan_error(s, err, -r, NULL, "go back up to");
		s->depth++;
		return e;
	}
	frame_close(f);
	free(f->names);
	s->depth--;
	return 0;
}

static int report_progress(struct scan *s, vzl_error **err)
{
	if (s->progress && s->progress(s->res.entries, s->userdata) != 0)
		return error_set(err, ECANCELED, s->veid, VZL_STEP_QUOTA, NULL,
				 "counting the disk usage of %s was cancelled", s->root);
	return 0;
}

/* One entry of the deepest directory: count it, and enter it if it is a directory. */
static int visit(struct scan *s, const char *name, vzl_error **err)
{
	int dirfd = s->frames[s->depth - 1].fd;
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return scan_error(s, err, errno, name, "stat");
	if (st.st_dev != s->dev)
		return scan_error(s, err, EXDEV, name, NULL);
	if (++s->res.entries % PROGRESS_EVERY == 0 && report_progress(s, err) < 0)
		return -ECANCELED;

	if (!S_ISDIR(st.st_mode)) {
		if (st.st_nlink > 1) {
			int r = ino_set_add(&s->links, st.st_ino);
			if (r < 0)
				return error_set(err, ENOMEM, s->veid, VZL_STEP_QUOTA, NULL,
						 "out of memory");
			if (r == 1)
				return 0;
		}
		uint64_t space = 0;
		int r = entry_space(s, dirfd, name, &st, &space, err);
		if (r < 0)
			return r;
		if (account(s, &st, space) < 0)
			return error_set(err, ENOMEM, s->veid, VZL_STEP_QUOTA, NULL,
					 "out of memory");
		return 0;
	}

	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat dst;
	if (fd < 0)
		return scan_error(s, err, errno, name, "open the directory");
	if (fstat(fd, &dst) < 0) {
		int e = errno;
		close(fd);
		return scan_error(s, err, e, name, "stat the directory");
	}
	if (dst.st_dev != st.st_dev || dst.st_ino != st.st_ino) {
		/* Something was mounted on it or it was replaced since the fstatat(). */
		int e = dst.st_dev != s->dev ? EXDEV : ESTALE;
		close(fd);
		return scan_error(s, err, e, name, "open the directory");
	}
	uint64_t space = (uint64_t)st.st_blocks * 512;
	if (s->exact)
		fioqsize(s, fd, &st, &space);
	if (account(s, &st, space) < 0) {
		close(fd);
		return error_set(err, ENOMEM, s->veid, VZL_STEP_QUOTA, NULL, "out of memory");
	}
	return push_frame(s, fd, &st, name, err);
}

static int walk(struct scan *s, vzl_error **err)
{
	while (s->depth > 0) {
		struct frame *f = &s->frames[s->depth - 1];
		if (f->pos >= f->len) {
			if (s->depth == 1) {
				frame_close(f);
				free(f->names);
				s->depth = 0;
				break;
			}
			int r = pop_frame(s, err);
			if (r < 0)
				return r;
			continue;
		}
		const char *name = f->names + f->pos + 1;
		f->pos += 1 + strlen(name) + 1;
		int r = visit(s, name, err);
		if (r < 0)
			return r;
	}
	return report_progress(s, err);
}

/* Decide how to get each file's space; see the comment at the top. */
static int choose_method(struct scan *s, int rootfd, vzl_error **err)
{
	struct statfs sfs;
	if (fstatfs(rootfd, &sfs) < 0)
		return error_set(err, errno, s->veid, VZL_STEP_QUOTA, NULL, "cannot statfs %s: %m",
				 s->root);
	int ext = sfs.f_type == EXT234_SUPER_MAGIC;
	int blocks_exact = ext || sfs.f_type == TMPFS_MAGIC_NUMBER;
	s->exact = (s->flags & QUOTA_SCAN_EXACT) || !blocks_exact;
	if (ext && s->exact)
		s->alloc_da = ioctl(rootfd, EXT4_IOC_ALLOC_DA_BLKS_NR) == 0;
	if (ext && !s->exact) {
		int r = fs_syncfs(rootfd);
		if (r < 0)
			return error_set(err, -r, s->veid, VZL_STEP_QUOTA, NULL,
					 "cannot flush the filesystem of %s before counting its "
					 "usage: %s",
					 s->root, strerror(-r));
	}
	return 0;
}

static int ugid_cmp(const void *a, const void *b)
{
	const struct quota_ugid_usage *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int collect_ugid(struct scan *s)
{
	size_t n = s->users.n + s->groups.n;
	if (!n)
		return 0;
	s->res.ugid = calloc(n, sizeof(*s->res.ugid));
	if (!s->res.ugid)
		return -ENOMEM;
	const struct id_map *maps[2] = { &s->users, &s->groups };
	for (uint32_t t = 0; t < 2; t++)
		for (size_t i = 0; i < maps[t]->cap; i++)
			if (maps[t]->slots[i].used)
				s->res.ugid[s->res.n_ugid++] = (struct quota_ugid_usage){
					.type = t,
					.id = maps[t]->slots[i].id,
					.space = maps[t]->slots[i].space,
					.inodes = maps[t]->slots[i].inodes,
				};
	qsort(s->res.ugid, s->res.n_ugid, sizeof(*s->res.ugid), ugid_cmp);
	return 0;
}

static void scan_free(struct scan *s)
{
	for (size_t i = 0; i < s->depth; i++) {
		frame_close(&s->frames[i]);
		free(s->frames[i].names);
	}
	free(s->frames);
	free(s->links.slots);
	free(s->users.slots);
	free(s->groups.slots);
	quota_scan_result_clear(&s->res);
	free(s);
}

int quota_scan(const char *root, unsigned int flags, quota_scan_progress_fn progress,
	       void *userdata, unsigned int veid, struct quota_scan_result *ret, vzl_error **err)
{
	struct scan *s = calloc(1, sizeof(*s));
	if (!s)
		return error_set(err, ENOMEM, veid, VZL_STEP_QUOTA, NULL, "out of memory");
	s->root = root;
	s->veid = veid;
	s->flags = flags;
	s->progress = progress;
	s->userdata = userdata;
	/* The root is followed if it is a link, as vzquota stat()s it; nothing below it is. */
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	int r;
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = error_set(err, errno, veid, VZL_STEP_QUOTA, NULL,
			      "cannot open the quota tree %s: %m", root);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	s->dev = st.st_dev;
	r = choose_method(s, fd, err);
	if (r < 0) {
		close(fd);
		goto out;
	}
	uint64_t space = (uint64_t)st.st_blocks * 512;
	if (s->exact)
		fioqsize(s, fd, &st, &space);
	if (account(s, &st, space) < 0) {
		close(fd);
		r = error_set(err, ENOMEM, veid, VZL_STEP_QUOTA, NULL, "out of memory");
		goto out;
	}
	r = push_frame(s, fd, &st, NULL, err);
	if (r == 0)
		r = walk(s, err);
	if (r == 0 && (flags & QUOTA_SCAN_UGID) && collect_ugid(s) < 0)
		r = error_set(err, ENOMEM, veid, VZL_STEP_QUOTA, NULL, "out of memory");
	if (r == 0) {
		*ret = s->res;
		memset(&s->res, 0, sizeof(s->res));
	}
out:
	scan_free(s);
	return r;
}

void quota_scan_result_clear(struct quota_scan_result *r)
{
	free(r->ugid);
	memset(r, 0, sizeof(*r));
}

static int record_is_empty(const struct quota_stat *st)
{
	return !(st->bhardlimit || st->bsoftlimit || st->bcurrent || st->ihardlimit ||
		 st->isoftlimit || st->icurrent);
}

int quota_scan_apply(const struct quota_scan_result *s, struct quota_file *q)
{
	if (s->inodes > UINT32_MAX)
		return -EOVERFLOW;
	for (size_t i = 0; i < s->n_ugid; i++)
		if (s->ugid[i].inodes > UINT32_MAX)
			return -EOVERFLOW;
	/* At most every old record plus every scanned one. */
	size_t cap = q->n_records + s->n_ugid;
	struct quota_ugid_record *recs = cap ? calloc(cap, sizeof(*recs)) : NULL;
	if (cap && !recs)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < q->n_records; i++) {
		recs[n] = q->records[i];
		recs[n].stat.bcurrent = 0;
		recs[n].stat.icurrent = 0;
		n++;
	}
	size_t old = n;
	if (old) /* qsort's base may not be NULL, even for no elements */
		qsort(recs, old, sizeof(*recs), quota_record_cmp);
	for (size_t i = 0; i < s->n_ugid; i++) {
		const struct quota_ugid_usage *u = &s->ugid[i];
		struct quota_ugid_record key = { .id = u->id, .type = u->type };
		struct quota_ugid_record *r = old ? bsearch(&key, recs, old, sizeof(*recs),
							    quota_record_cmp)
						  : NULL;
		if (!r) {
			r = &recs[n++];
			*r = (struct quota_ugid_record){ .id = u->id, .type = u->type };
		}
		r->stat.bcurrent = u->space;
		r->stat.icurrent = (uint32_t)u->inodes;
	}
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (!record_is_empty(&recs[i].stat))
			recs[kept++] = recs[i];
	if (kept)
		qsort(recs, kept, sizeof(*recs), quota_record_cmp);
	free(q->records);
	q->records = recs;
	q->n_records = kept;
	q->stat.bcurrent = s->space;
	q->stat.icurrent = (uint32_t)s->inodes;
	return 0;
}
