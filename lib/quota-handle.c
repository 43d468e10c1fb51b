/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening, locking, reading and replacing /var/vzquota/quota.<ID> (vzctl-behaviour.md §4.2,
 * §4.3, §4.6).
 *
 * The lock is vzquota's: flock(LOCK_EX | LOCK_NB) on the file itself, held while the command
 * runs; a vzquota that finds it taken exits 7. vzquota rewrites the file in place; we write a
 * new file and rename it over the old one, so a crash never leaves half a file. To keep the
 * lock across the rename the new file is locked before it takes the name, and whoever opens
 * the name checks after locking that it still names the inode it locked (else it retries).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "macro.h"
#include "quota-file.h"

/* Larger than any file vzquota writes for a realistic uid/gid limit (72 bytes a record). */
#define QUOTA_FILE_MAX (256u << 20)

struct quota_handle {
	unsigned int veid;
	int dirfd;
	int fd;
	int created; /* the file was created empty by this handle and not yet written */
	char name[32];
	char *path;
};

const char *quota_handle_path(const struct quota_handle *h)
{
	return h->path;
}

static int same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Does the name still refer to the inode open as h->fd? 1 yes, 0 no, -errno. */
static int name_is_ours(const struct quota_handle *h)
{
	struct stat a, b;
	if (fstat(h->fd, &a) < 0)
		return -errno;
	if (fstatat(h->dirfd, h->name, &b, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	return same_inode(&a, &b);
}

static int open_dir(const char *dir, enum quota_open_mode mode, unsigned int veid, vzl_error **err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && mode == QUOTA_OPEN_CREATE) {
		int r = fs_mkdir_parents(dir, 0755);
		if (r < 0 && r != -EEXIST)
			return error_set(err, -r, veid, VZL_STEP_QUOTA, "VZQUOTA_DIR",
					 "cannot create the quota directory %s: %s", dir,
					 strerror(-r));
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return error_set(err, errno, veid, VZL_STEP_QUOTA, "VZQUOTA_DIR",
				 "cannot open the quota directory %s: %m", dir);
	return fd;
}

/* Open (or create) the file and lock it; 1 when the name moved under us and we must retry. */
static int open_and_lock(struct quota_handle *h, enum quota_open_mode mode, vzl_error **err)
{
	int fd = openat(h->dirfd, h->name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && mode == QUOTA_OPEN_CREATE) {
		fd = openat(h->dirfd, h->name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno == EEXIST)
			return 1;
		h->created = fd >= 0;
	}
	if (fd < 0) {
		if (errno == ENOENT)
			return error_set(err, ENOENT, h->veid, VZL_STEP_QUOTA, NULL,
					 "quota file %s does not exist; create it with "
					 "'vzlite quota %u init'",
					 h->path, h->veid);
		if (errno == ELOOP)
			return error_set(
				err, ELOOP, h->veid, VZL_STEP_QUOTA, NULL,
				"quota file %s is a symbolic link; replace it with the file "
				"it points to",
				h->path);
		return error_set(err, errno, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot open quota file %s: %m", h->path);
	}
	h->fd = fd;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return error_set(err, errno, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot stat quota file %s: %m", h->path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, EINVAL, h->veid, VZL_STEP_QUOTA, NULL,
				 "quota file %s is not a regular file; remove it", h->path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		h->created = 0; /* whoever holds it owns it now */
		if (e == EWOULDBLOCK)
			return error_set(err, EWOULDBLOCK, h->veid, VZL_STEP_QUOTA, NULL,
					 "quota file %s is locked: a vzquota or vzlite command "
					 "for VE %u is running; try again when it has finished",
					 h->path, h->veid);
		return error_set(err, e, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot lock quota file %s: %s", h->path, strerror(e));
	}
	int r = name_is_ours(h);
	if (r < 0)
		return error_set(err, -r, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot stat quota file %s: %s", h->path, strerror(-r));
	if (r == 0) {
		close(TAKE_FD(h->fd));
		h->created = 0;
		return 1;
	}
	/* An empty file whose lock is free is a creation that died before its first write
	 * (a create or init killed between making the name and renaming the written file
	 * over it): it stores nothing, so a command that may create the file fills it as if
	 * it had made it, and removes it again if it does not. */
	if (mode == QUOTA_OPEN_CREATE && !h->created) {
		if (fstat(fd, &st) < 0)
			return error_set(err, errno, h->veid, VZL_STEP_QUOTA, NULL,
					 "cannot stat quota file %s: %m", h->path);
		h->created = st.st_size == 0;
	}
	return 0;
}

int quota_handle_open(const char *dir, unsigned int veid, enum quota_open_mode mode,
		      struct quota_handle **ret, vzl_error **err)
{
	struct quota_handle *h = calloc(1, sizeof(*h));
	if (!h)
		return error_set(err, ENOMEM, veid, VZL_STEP_QUOTA, NULL, "out of memory");
	h->veid = veid;
	h->fd = -1;
	h->dirfd = -1;
	snprintf(h->name, sizeof(h->name), "quota.%u", veid);
	if (asprintf(&h->path, "%s/%s", dir, h->name) < 0) {
		h->path = NULL;
		quota_handle_close(h);
		return error_set(err, ENOMEM, veid, VZL_STEP_QUOTA, NULL, "out of memory");
	}
	h->dirfd = open_dir(dir, mode, veid, err);
	if (h->dirfd < 0) {
		int r = h->dirfd;
		quota_handle_close(h);
		return r;
	}
	/* A writer renaming a new file over the name between our open and our lock: retry. */
	for (int attempt = 0; attempt < 100; attempt++) {
		int r = open_and_lock(h, mode, err);
		if (r < 0) {
			quota_handle_close(h);
			return r;
		}
		if (r == 0) {
			*ret = h;
			return 0;
		}
	}
	quota_handle_close(h);
	return error_set(err, EBUSY, veid, VZL_STEP_QUOTA, NULL,
			 "quota file %s/quota.%u keeps being replaced; is another tool "
			 "rewriting it?",
			 dir, veid);
}

static int read_all(int fd, unsigned char **ret, size_t *ret_len)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size > QUOTA_FILE_MAX)
		return -EFBIG;
	size_t len = (size_t)st.st_size;
	_cleanup_free_ unsigned char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break; /* shrank under us: what we have is what is checked */
		done += (size_t)n;
	}
	*ret = TAKE_PTR(buf);
	*ret_len = done;
	return 0;
}

int quota_handle_read(struct quota_handle *h, struct quota_file *ret, vzl_error **err)
{
	_cleanup_free_ unsigned char *buf = NULL;
	size_t len = 0;
	int r = read_all(h->fd, &buf, &len);
	if (r == -EFBIG)
		return error_set(err, EBADMSG, h->veid, VZL_STEP_QUOTA, NULL,
				 "quota file %s is corrupt (implausibly large); nothing was "
				 "changed. Recover with 'vzlite quota %u drop' and 'vzlite quota "
				 "%u init' (or vzquota drop %u, then vzctl quotainit %u)",
				 h->path, h->veid, h->veid, h->veid, h->veid);
	if (r < 0)
		return error_set(err, -r, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot read quota file %s: %s", h->path, strerror(-r));
	if (len == 0 && h->created)
		return error_set(err, ENODATA, h->veid, VZL_STEP_QUOTA, NULL,
				 "quota file %s was just created and holds nothing yet", h->path);
	const char *why = NULL;
	r = quota_file_decode(buf, len, ret, &why);
	if (r == -EBADMSG || r == -EPROTO)
		return error_set(
			err, -r, h->veid, VZL_STEP_QUOTA, NULL,
			"quota file %s is %s: %s; nothing was changed. Recover with "
			"'vzlite quota %u drop' and 'vzlite quota %u init', which "
			"recomputes the usage (or vzquota drop %u, then vzctl quotainit %u)",
			h->path, r == -EPROTO ? "in an unsupported format" : "corrupt", why,
			h->veid, h->veid, h->veid, h->veid);
	if (r < 0)
		return error_set(err, -r, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot parse quota file %s: %s", h->path, strerror(-r));
	return 0;
}

static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Our temporaries are ".quota.<ID>.<pid>.<hex>". Only a writer holding the lock makes one,
 * and we hold it, so any left over is from a writer that died: remove them.
 */
static void remove_stale_temps(const struct quota_handle *h)
{
	int fd = fcntl(h->dirfd, F_DUPFD_CLOEXEC, 3);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	size_t nlen = strlen(h->name);
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strncmp(e->d_name + 1, h->name, nlen) == 0 &&
		    e->d_name[1 + nlen] == '.' && e->d_type != DT_DIR)
			unlinkat(h->dirfd, e->d_name, 0);
	closedir(d);
}

/* Create, fill, lock and sync the new file. Returns its fd; on failure nothing is left. */
static int write_temp(const struct quota_handle *h, const unsigned char *buf, size_t len, char *tmp,
		      size_t tmp_size)
{
	int fd = -1;
	for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(tmp, tmp_size, ".%s.%ld.%lx", h->name, (long)getpid(),
			 (unsigned long)ts.tv_nsec ^ ((unsigned long)attempt << 20));
		fd = openat(h->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	int r = write_all(fd, buf, len);
	if (r == 0 && flock(fd, LOCK_EX | LOCK_NB) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		unlinkat(h->dirfd, tmp, 0);
		return r;
	}
	return fd;
}

int quota_handle_write(struct quota_handle *h, const struct quota_file *q, vzl_error **err)
{
	_cleanup_free_ unsigned char *buf = NULL;
	size_t len = 0;
	int r = quota_file_encode(q, &buf, &len);
	if (r == -ENOMEM)
		return error_set(err, ENOMEM, h->veid, VZL_STEP_QUOTA, NULL, "out of memory");
	if (r < 0)
		return error_set(err, -r, h->veid, VZL_STEP_QUOTA, NULL,
				 "the quota data for VE %u cannot be stored in vzquota's format "
				 "(a value out of range)",
				 h->veid);
	remove_stale_temps(h);
	char tmp[64];
	int fd = write_temp(h, buf, len, tmp, sizeof(tmp));
	if (fd < 0)
		return error_set(err, -fd, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot write a new quota file beside %s: %s", h->path,
				 strerror(-fd));
	if (renameat(h->dirfd, tmp, h->dirfd, h->name) < 0) {
		int e = errno;
		close(fd);
		unlinkat(h->dirfd, tmp, 0);
		return error_set(err, e, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot rename the new quota file over %s: %s", h->path,
				 strerror(e));
	}
	/* The name is the new, locked file now; the old one is gone with its lock. */
	close(h->fd);
	h->fd = fd;
	h->created = 0;
	if (fsync(h->dirfd) < 0)
		return error_set(err, errno, h->veid, VZL_STEP_QUOTA, NULL,
				 "%s was replaced but its directory could not be synced: %m",
				 h->path);
	return 0;
}

int quota_handle_unlink(struct quota_handle *h, vzl_error **err)
{
	int r = name_is_ours(h);
	if (r == 1 && unlinkat(h->dirfd, h->name, 0) < 0)
		r = -errno;
	if (r < 0)
		return error_set(err, -r, h->veid, VZL_STEP_QUOTA, NULL,
				 "cannot remove quota file %s: %s", h->path, strerror(-r));
	h->created = 0;
	if (fsync(h->dirfd) < 0)
		return error_set(err, errno, h->veid, VZL_STEP_QUOTA, NULL,
				 "%s was removed but its directory could not be synced: %m",
				 h->path);
	return 0;
}

void quota_handle_close(struct quota_handle *h)
{
	if (!h)
		return;
	/* A file this handle created and never filled is not left behind. */
	if (h->fd >= 0 && h->created && name_is_ours(h) == 1)
		unlinkat(h->dirfd, h->name, 0);
	if (h->fd >= 0)
		close(h->fd); /* releases the flock */
	if (h->dirfd >= 0)
		close(h->dirfd);
	free(h->path);
	free(h);
}
