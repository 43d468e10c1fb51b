/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The writer: archive entries to files, with libarchive's secure-flag guarantees and about
 * four system calls per regular file (shared/docs/perf-baseline.md, "syscall diet").
 *
 * Safety without openat2 (2.6.32). Entry names are cleaned first: an absolute name or a
 * ".." component is refused (fs_path_clean). The parent directory is then reached one
 * component at a time from the destination with openat(O_NOFOLLOW | O_DIRECTORY): a
 * symbolic link or a file where a directory should be is an error naming the entry, never
 * something to go through. The leaf is created with an *at() call on that parent's fd with
 * O_CREAT | O_EXCL | O_NOFOLLOW (or mkdirat, symlinkat, mknodat, linkat without
 * AT_SYMLINK_FOLLOW), so it cannot be a pre-existing link either; owners, modes, xattrs and
 * times then go through the fd we created, or through *at(AT_SYMLINK_NOFOLLOW) calls.
 * The parent chain of the last entry stays open (tar archives are in directory order), so
 * the walk costs one openat per change of directory, not per component per entry.
 *
 * What it sets: numeric owners when running as root (as tar --numeric-owner -p; as another
 * user, like tar, the files are ours), modes with setuid/setgid/sticky (restored after the
 * chown, which clears them), mtimes (atime is left alone, as GNU tar does), xattrs and
 * ACLs after the data and the chown (both clear security.capability), sparse holes, and
 * the modes, times, xattrs and ACLs of directories at the end, as tar does, so that
 * creating their entries does not change them again and a default ACL is not inherited by
 * the extracted files.
 *
 * Duplicates: the later entry wins, as with GNU tar: an existing non-directory is
 * unlinked, an empty directory is removed for a non-directory, an existing directory is
 * kept for a directory. Replacing a directory with a symbolic link is refused: it would let
 * later entries below that name escape (this is what libarchive's SECURE_SYMLINKS stops).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "error.h"
#include "extract-pool.h"
#include "extract-writer-int.h"
#include "fsutil.h"
#include "macro.h"

int xw_new(int rootfd, unsigned int veid, unsigned int writers, struct xw **ret, vzl_error **err)
{
	struct stat st;
	struct xw *w = calloc(1, sizeof(*w));
	if (!w)
		return error_set(err, ENOMEM, veid, VZL_STEP_EXTRACT, NULL, "out of memory");
	if (fstat(rootfd, &st) < 0) {
		free(w);
		return error_set(err, errno, veid, VZL_STEP_EXTRACT, NULL,
				 "cannot examine the destination: %m");
	}
	w->rootfd = rootfd;
	w->veid = veid;
	w->euid = geteuid();
	w->egid = getegid();
	w->root = w->euid == 0;
	/* umask() is the only way to read it on 2.6.32 (no "Umask:" in /proc); it is put
	 * back at once, and only used to know when a created mode needs a fchmod. */
	w->umask = umask(022);
	umask(w->umask);
	w->root_h = (struct xdirh){ .fd = rootfd, .refs = 1, .borrowed = true };
	w->lv[0] = (struct level){
		.fd = rootfd, .h = &w->root_h, .gid = st.st_gid, .sgid = st.st_mode & S_ISGID
	};
	if (writers >= 2) {
		int r = xpool_new(w, writers, &w->pool, err);
		if (r < 0) {
			free(w);
			return r;
		}
	}
	*ret = w;
	return 0;
}

struct xw *xw_new_worker(const struct xw *w)
{
	struct xw *ww = calloc(1, sizeof(*ww));
	if (!ww)
		return NULL;
	ww->rootfd = w->rootfd;
	ww->veid = w->veid;
	ww->euid = w->euid;
	ww->egid = w->egid;
	ww->root = w->root;
	ww->umask = w->umask;
	ww->lv[0].fd = -1;
	return ww;
}

void xw_counts_add(struct xw_counts *to, const struct xw_counts *from)
{
	to->files += from->files;
	to->dirs += from->dirs;
	to->symlinks += from->symlinks;
	to->hardlinks += from->hardlinks;
	to->devices += from->devices;
	to->fifos += from->fifos;
	to->data_bytes += from->data_bytes;
	to->xattrs += from->xattrs;
	to->xattrs_skipped += from->xattrs_skipped;
	to->acls_skipped += from->acls_skipped;
}

unsigned int xw_writers(const struct xw *w)
{
	return w->pool ? xpool_size(w->pool) : 1;
}

void xw_free(struct xw *w)
{
	if (!w)
		return;
	/* Workers first: they borrow directory fds, the root's included. */
	xpool_free(w->pool);
	xw_walk_pop(w, 0);
	xattr_list_free(&w->xa);
	free(w->fix);
	free(w->arena);
	free(w);
}

const struct xw_counts *xw_counts(const struct xw *w)
{
	return &w->c;
}

/*
 * Does a new inode in the directory `p` need a chown to get uid:gid? Only root restores
 * owners. New inodes are ours, with our group unless the directory is setgid or the
 * filesystem is mounted grpid, when they take the directory's group: when that group is
 * ours too, the outcome is known without asking.
 */
static bool need_chown(const struct xw *w, const struct level *p, uid_t uid, gid_t gid)
{
	if (!w->root)
		return false;
	if (uid != w->euid)
		return true;
	if (p->sgid)
		return gid != p->gid;
	return gid != w->egid || p->gid != w->egid;
}

/*
 * An entry of type `type` (AE_IF*) is about to be created as `leaf` where something exists.
 * Returns 1 if it is a directory to keep (type is a directory too), 0 once the way is
 * clear, or an error.
 */
static int make_room(struct xw *w, int dfd, const char *leaf, unsigned int type, vzl_error **err)
{
	struct stat st;
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return xw_fail(w, err, errno, "cannot examine the existing '%s': %m", w->path);
	}
	if (S_ISDIR(st.st_mode)) {
		if (type == AE_IFDIR)
			return 1;
		if (type == AE_IFLNK)
			return xw_fail(
				w, err, EEXIST,
				"it would replace the directory '%s' with a symbolic link; "
				"refused, entries below it could then leave the private area",
				w->path);
		if (unlinkat(dfd, leaf, AT_REMOVEDIR) < 0)
			return xw_fail(w, err, errno, "cannot replace the directory '%s': %m",
				       w->path);
		return 0;
	}
	if (unlinkat(dfd, leaf, 0) < 0 && errno != ENOENT)
		return xw_fail(w, err, errno, "cannot replace the existing '%s': %m", w->path);
	return 0;
}

void xw_entry_times(struct archive_entry *ae, struct timespec ts[2], bool *has)
{
	*has = archive_entry_mtime_is_set(ae);
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = archive_entry_mtime(ae);
	ts[1].tv_nsec = archive_entry_mtime_nsec(ae);
}

int xw_collect_xattrs(struct xw *w, struct archive_entry *ae, vzl_error **err)
{
	int r = xattr_list_collect(&w->xa, ae, &w->c.acls_skipped);
	if (r < 0)
		return xw_fail(w, err, -r, "cannot use its extended attributes or ACL: %s",
			       strerror(-r));
	return 0;
}

static int apply_xattrs(struct xw *w, int fd, const char *path, vzl_error **err)
{
	const char *failed = NULL;
	int r = xattr_list_apply(w->xa.buf, w->xa.len, fd, path, &w->c.xattrs_skipped, &failed);
	if (r < 0)
		return xw_fail(w, err, -r, "cannot set the extended attribute '%s': %s", failed,
			       strerror(-r));
	w->c.xattrs += (uint64_t)r;
	return 0;
}

/* p[0..size) at offset off of fd, whatever the short writes and interruptions. */
static int pwrite_all(struct xw *w, int fd, const char *p, size_t size, off_t off, vzl_error **err)
{
	while (size > 0) {
		ssize_t n = pwrite(fd, p, size, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return xw_fail(w, err, errno, "cannot write '%s': %m", w->path);
		}
		p += n;
		size -= (size_t)n;
		off += n;
		w->c.data_bytes += (uint64_t)n;
	}
	return 0;
}

/* The data of a regular file; holes of a sparse entry are left as holes. */
static int write_data(struct xw *w, struct archive *a, struct archive_entry *ae, int fd,
		      vzl_error **err)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int64_t end = 0;
	int r;
	while ((r = xw_data_block(w, a, &buf, &size, &off, err)) > 0) {
		if ((r = pwrite_all(w, fd, buf, size, off, err)) < 0)
			return r;
		if (off + (la_int64_t)size > end)
			end = off + (la_int64_t)size;
	}
	if (r < 0)
		return r;
	if (archive_entry_size_is_set(ae) && archive_entry_size(ae) > end &&
	    ftruncate(fd, archive_entry_size(ae)) < 0)
		return xw_fail(w, err, errno, "cannot set the size of '%s': %m", w->path);
	return 0;
}

/* A job's data, read from the archive by the reading thread. */
static int write_buffer(struct xw *w, struct archive_entry *ae, int fd, const char *p, size_t size,
			vzl_error **err)
{
	int r = pwrite_all(w, fd, p, size, 0, err);
	if (r < 0)
		return r;
	if (archive_entry_size_is_set(ae) && archive_entry_size(ae) > (la_int64_t)size &&
	    ftruncate(fd, archive_entry_size(ae)) < 0)
		return xw_fail(w, err, errno, "cannot set the size of '%s': %m", w->path);
	return 0;
}

/* A regular file; its data from `a`, or, with a NULL `a`, from data[0..len). */
static int do_file(struct xw *w, struct archive *a, struct archive_entry *ae, int dfd,
		   const char *leaf, const char *data, size_t len, vzl_error **err)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC;
	mode_t perm = archive_entry_perm(ae) & 07777;
	uid_t uid = (uid_t)archive_entry_uid(ae);
	gid_t gid = (gid_t)archive_entry_gid(ae);
	struct timespec ts[2];
	bool has_times;
	int r;

	int fd = openat(dfd, leaf, flags, perm);
	if (fd < 0 && errno == EEXIST) {
		r = make_room(w, dfd, leaf, AE_IFREG, err);
		if (r < 0)
			return r;
		fd = openat(dfd, leaf, flags, perm);
	}
	if (fd < 0)
		return xw_fail(w, err, errno, "cannot create '%s': %m", w->path);

	r = a ? write_data(w, a, ae, fd, err) : write_buffer(w, ae, fd, data, len, err);
	if (r < 0)
		goto out;
	bool chowned = need_chown(w, &w->lv[w->depth], uid, gid);
	if (chowned && fchown(fd, uid, gid) < 0) {
		r = xw_fail(w, err, errno, "cannot change the owner of '%s': %m", w->path);
		goto out;
	}
	/* The creation mode lost what the umask took; the chown (and a write without
	 * CAP_FSETID) cleared setuid/setgid. */
	if (((perm & w->umask) || (perm & (S_ISUID | S_ISGID))) && fchmod(fd, perm) < 0) {
		r = xw_fail(w, err, errno, "cannot change the mode of '%s': %m", w->path);
		goto out;
	}
	if (archive_entry_xattr_count(ae) || archive_entry_acl_types(ae)) {
		r = xw_collect_xattrs(w, ae, err);
		if (r == 0)
			r = apply_xattrs(w, fd, NULL, err);
		if (r < 0)
			goto out;
	}
	xw_entry_times(ae, ts, &has_times);
	if (has_times && futimens(fd, ts) < 0) {
		r = xw_fail(w, err, errno, "cannot set the times of '%s': %m", w->path);
		goto out;
	}
	w->c.files++;
out:
	/* close() reports delayed write errors on some filesystems (NFS, quota). */
	if (close(fd) < 0 && r == 0)
		r = xw_fail(w, err, errno, "cannot write '%s': %m", w->path);
	return r;
}

/* Owner, mode, xattrs and times of something we have no fd for (symlink, device, FIFO). */
static int finish_nofd(struct xw *w, struct archive_entry *ae, int dfd, const char *leaf,
		       bool set_mode, vzl_error **err)
{
	mode_t perm = archive_entry_perm(ae) & 07777;
	uid_t uid = (uid_t)archive_entry_uid(ae);
	gid_t gid = (gid_t)archive_entry_gid(ae);
	struct timespec ts[2];
	bool has_times;

	if (need_chown(w, &w->lv[w->depth], uid, gid) &&
	    fchownat(dfd, leaf, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return xw_fail(w, err, errno, "cannot change the owner of '%s': %m", w->path);
	/*
	 * 2.6.32 cannot chmod without following a final symlink (no O_PATH, no
	 * AT_SYMLINK_NOFOLLOW for fchmodat) and a device must not be opened; the leaf was
	 * made by mknodat just now, in a directory only we write to, so it is not a link.
	 */
	if (set_mode && ((perm & w->umask) || (perm & (S_ISUID | S_ISGID))) &&
	    fchmodat(dfd, leaf, perm, 0) < 0)
		return xw_fail(w, err, errno, "cannot change the mode of '%s': %m", w->path);
	if (archive_entry_xattr_count(ae) || archive_entry_acl_types(ae)) {
		/* lsetxattr through /proc/self/fd/N: no fd for a symlink on 2.6.32, and the
		 * final component is not followed. */
		int r = xw_collect_xattrs(w, ae, err);
		if (r < 0)
			return r;
		snprintf(w->proc, sizeof(w->proc), "/proc/self/fd/%d/%s", dfd, leaf);
		r = apply_xattrs(w, -1, w->proc, err);
		if (r < 0)
			return r;
	}
	xw_entry_times(ae, ts, &has_times);
	if (has_times && utimensat(dfd, leaf, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return xw_fail(w, err, errno, "cannot set the times of '%s': %m", w->path);
	return 0;
}

static int do_symlink(struct xw *w, struct archive_entry *ae, int dfd, const char *leaf,
		      vzl_error **err)
{
	const char *target = archive_entry_symlink(ae);
	if (!target || !*target)
		return xw_fail(w, err, EINVAL, "a symbolic link without a target");
	if (symlinkat(target, dfd, leaf) < 0) {
		if (errno != EEXIST)
			return xw_fail(w, err, errno, "cannot create the symbolic link '%s': %m",
				       w->path);
		int r = make_room(w, dfd, leaf, AE_IFLNK, err);
		if (r < 0)
			return r;
		if (symlinkat(target, dfd, leaf) < 0)
			return xw_fail(w, err, errno, "cannot create the symbolic link '%s': %m",
				       w->path);
	}
	w->c.symlinks++;
	return finish_nofd(w, ae, dfd, leaf, false, err);
}

static int do_node(struct xw *w, struct archive_entry *ae, int dfd, const char *leaf,
		   unsigned int type, vzl_error **err)
{
	mode_t mode = type | (archive_entry_perm(ae) & 07777);
	dev_t rdev = type == AE_IFIFO ? 0 : archive_entry_rdev(ae);
	if (mknodat(dfd, leaf, mode, rdev) < 0) {
		if (errno != EEXIST)
			return xw_fail(w, err, errno, "cannot create '%s': %m", w->path);
		int r = make_room(w, dfd, leaf, type, err);
		if (r < 0)
			return r;
		if (mknodat(dfd, leaf, mode, rdev) < 0)
			return xw_fail(w, err, errno, "cannot create '%s': %m", w->path);
	}
	if (type == AE_IFIFO)
		w->c.fifos++;
	else
		w->c.devices++;
	return finish_nofd(w, ae, dfd, leaf, true, err);
}

static int hardlink_target(struct xw *w, const char *t, size_t *ret_len, vzl_error **err)
{
	const char *why;
	int r = fs_path_clean(t, w->target, sizeof(w->target), ret_len, &why);
	if (r < 0)
		return xw_fail(w, err, -r,
			       "its hard link target '%s' %s; it would land outside the private "
			       "area",
			       SHOWN(t), why);
	if (*ret_len == 0)
		return xw_fail(w, err, EINVAL, "a hard link to the top directory");
	return 0;
}

static int do_hardlink(struct xw *w, struct archive_entry *ae, int dfd, const char *leaf,
		       vzl_error **err)
{
	const char *t = archive_entry_hardlink(ae);
	size_t tlen;
	int r = hardlink_target(w, t, &tlen, err);
	if (r < 0)
		return r;
	if (strcmp(w->target, w->path) == 0)
		return 0; /* a link to itself: nothing to do */

	/* The target's directory, resolved below the root without following anything. */
	char *slash = strrchr(w->target, '/');
	const char *tleaf = slash ? slash + 1 : w->target;
	if (slash)
		*slash = '\0';
	size_t bad = 0;
	int tfd = fs_open_dir_beneath(w->rootfd, slash ? w->target : "", &bad);
	if (tfd < 0) {
		if (tfd == -ELOOP || tfd == -ENOTDIR)
			return xw_fail(w, err, -tfd,
				       "its hard link target '%s' is reached through '%.*s', which "
				       "is a symbolic link or not a directory; refused",
				       SHOWN(t), (int)bad, w->target);
		return xw_fail(w, err, -tfd, "its hard link target '%s' does not exist: %s",
			       SHOWN(t), strerror(-tfd));
	}
	r = linkat(tfd, tleaf, dfd, leaf, 0);
	if (r < 0 && errno == EEXIST) {
		r = make_room(w, dfd, leaf, AE_IFREG, err);
		if (r < 0)
			goto out;
		r = linkat(tfd, tleaf, dfd, leaf, 0);
	}
	if (r < 0) {
		int e = errno;
		if (e == ENOENT)
			r = xw_fail(w, err, e,
				    "its hard link target '%s' is not in the archive before it",
				    SHOWN(t));
		else
			r = xw_fail(w, err, e, "cannot link to '%s': %s", SHOWN(t), strerror(e));
		goto out;
	}
	w->c.hardlinks++;
out:
	close(tfd);
	return r;
}

static int do_dir(struct xw *w, struct archive_entry *ae, int dfd, const char *leaf,
		  size_t path_len, vzl_error **err)
{
	mode_t perm = archive_entry_perm(ae) & 07777;
	uid_t uid = (uid_t)archive_entry_uid(ae);
	gid_t gid = (gid_t)archive_entry_gid(ae);
	bool existed = false;

	/* Searchable and writable by us until the end, when the real mode is set. */
	if (mkdirat(dfd, leaf, (perm & 01777) | 0700) < 0) {
		if (errno != EEXIST)
			return xw_fail(w, err, errno, "cannot create directory '%s': %m", w->path);
		int r = make_room(w, dfd, leaf, AE_IFDIR, err);
		if (r < 0)
			return r;
		if (r == 0 && mkdirat(dfd, leaf, (perm & 01777) | 0700) < 0)
			return xw_fail(w, err, errno, "cannot create directory '%s': %m", w->path);
		existed = r == 1;
	}
	if (((existed && w->root) || need_chown(w, &w->lv[w->depth], uid, gid)) &&
	    fchownat(dfd, leaf, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return xw_fail(w, err, errno, "cannot change the owner of '%s': %m", w->path);
	w->c.dirs++;
	return xw_defer_dir(w, ae, path_len, err);
}

/* "./" itself: the destination directory takes the entry's owner now, the rest at the end. */
static int do_top(struct xw *w, struct archive_entry *ae, vzl_error **err)
{
	if (w->root &&
	    fchown(w->rootfd, (uid_t)archive_entry_uid(ae), (gid_t)archive_entry_gid(ae)) < 0)
		return xw_fail(w, err, errno, "cannot change the owner of the top directory: %m");
	struct stat st;
	if (fstat(w->rootfd, &st) == 0) {
		w->lv[0].gid = st.st_gid;
		w->lv[0].sgid = st.st_mode & S_ISGID;
	}
	w->c.dirs++;
	return xw_defer_dir(w, ae, 0, err);
}

int xw_run_job(struct xw *ww, struct xjob *j, vzl_error **err)
{
	ww->name = archive_entry_pathname(j->ae);
	if (!ww->name)
		ww->name = j->path;
	size_t n = strlen(j->path);
	memcpy(ww->path, j->path, n + 1);
	ww->lv[0] = (struct level){ .fd = j->dir->fd, .gid = j->dir_gid, .sgid = j->dir_sgid };
	ww->depth = 0;
	const char *leaf = ww->path + j->leaf_off;
	if (archive_entry_filetype(j->ae) == AE_IFLNK)
		return do_symlink(ww, j->ae, j->dir->fd, leaf, err);
	return do_file(ww, NULL, j->ae, j->dir->fd, leaf, j->data, j->len, err);
}

static int entry(struct xw *w, struct archive *a, struct archive_entry *ae, vzl_error **err)
{
	const char *why;
	size_t len;
	int r;

	w->name = archive_entry_pathname(ae);
	if (!w->name) {
		w->name = "?";
		return xw_fail(w, err, EILSEQ, "its name cannot be read");
	}
	r = fs_path_clean(w->name, w->path, sizeof(w->path), &len, &why);
	if (r < 0)
		return xw_fail(w, err, -r, "the name %s; it would land outside the private area",
			       why);
	w->c.entries++;

	const char *hardlink = archive_entry_hardlink(ae);
	unsigned int type = archive_entry_filetype(ae);
	if (len == 0) {
		if (hardlink || type != AE_IFDIR)
			return xw_fail(w, err, EINVAL,
				       "it names the top directory but is not a "
				       "directory");
		return do_top(w, ae, err);
	}

	char *slash = strrchr(w->path, '/');
	size_t dlen = slash ? (size_t)(slash - w->path) : 0;
	const char *leaf = slash ? slash + 1 : w->path;
	r = xw_walk_to(w, w->path, dlen, true, err);
	if (r < 0)
		return r;
	int dfd = w->lv[w->depth].fd;

	uint32_t hash = 0;
	if (w->pool) {
		hash = xpool_hash(w->path, len);
		if (xw_for_worker(w, ae, type, hash))
			return xw_submit(w, a, ae, type, len, dlen, hash, err);
		/* This thread acts on the name itself: after the jobs on it, and after every
		 * job when it may replace a directory (jobs may write below it) or is a hard
		 * link (its target may be any job's). */
		if ((xpool_pending(w->pool, hash) || hardlink ||
		     (type != AE_IFDIR && xpool_dir_maybe(w->pool, hash))) &&
		    (r = xpool_drain(w->pool, err)) < 0)
			return r;
	}

	if (hardlink)
		return do_hardlink(w, ae, dfd, leaf, err);
	switch (type) {
	case AE_IFREG:
		return do_file(w, a, ae, dfd, leaf, NULL, 0, err);
	case AE_IFDIR:
		if (w->pool)
			xpool_dir_add(w->pool, hash);
		return do_dir(w, ae, dfd, leaf, len, err);
	case AE_IFLNK:
		return do_symlink(w, ae, dfd, leaf, err);
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO:
		return do_node(w, ae, dfd, leaf, type, err);
	default:
		return xw_fail(w, err, EINVAL, "its type (0%o) cannot be extracted", type);
	}
}

int xw_entry(struct xw *w, struct archive *a, struct archive_entry *ae, vzl_error **err)
{
	int r = entry(w, a, ae, err);
	if (r < 0 && w->pool) {
		/* A worker's failure is on an earlier entry: that is the one to report. */
		vzl_error *we = NULL;
		int wr = xpool_drain(w->pool, &we);
		if (wr < 0 && we) {
			if (err) {
				vzl_error_free(*err);
				*err = we;
			} else {
				vzl_error_free(we);
			}
			r = wr;
		}
	}
	return r;
}
