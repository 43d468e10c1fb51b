/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-VE lock files (vzctl-behaviour.md §1.6), with an flock to see through pid reuse. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "lock.h"
#include "macro.h"

/* vzctl tries three times before giving up (src/lib/lock.c). */
#define LOCK_ATTEMPTS 3

/* Seconds since the epoch at which `pid` started, or 0 if unknown. */
static time_t pid_start_time(pid_t pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	/* /proc/<pid> is created when the process is; its ctime is a good enough start time. */
	return stat(path, &st) == 0 ? st.st_ctime : 0;
}

enum holder { HOLDER_NONE, HOLDER_STALE, HOLDER_LIVE, HOLDER_UNREADABLE };

/*
 * Who holds the existing lock file? Stale when the content is not a pid, when that pid is
 * gone, or when nobody holds the flock and the pid started after the lock was written
 * (a reused pid). A pid alive with no flock and an older start is taken as live: vzctl
 * itself never flocks.
 */
static enum holder lock_holder(const char *path, pid_t *ret_pid)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? HOLDER_NONE : HOLDER_UNREADABLE;
	char buf[32] = "";
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return HOLDER_UNREADABLE;
	buf[n] = '\0';
	char *end;
	long pid = strtol(buf, &end, 10);
	if (end == buf || pid <= 0)
		return HOLDER_STALE;
	*ret_pid = (pid_t)pid;
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return HOLDER_STALE;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		struct stat st;
		time_t started = pid_start_time((pid_t)pid);
		if (fstat(fd, &st) == 0 && started > st.st_mtime)
			return HOLDER_STALE;
		flock(fd, LOCK_UN);
	}
	return HOLDER_LIVE;
}

static int try_link(const char *path, int *ret_fd)
{
	_cleanup_free_ char *tmp = NULL;
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char content[32];
	int len = snprintf(content, sizeof(content), "%d\n\n", (int)getpid());
	int r = 0;
	if (write(fd, content, (size_t)len) != len || flock(fd, LOCK_EX) < 0)
		r = errno ? -errno : -EIO;
	else if (link(tmp, path) < 0)
		r = -errno;
	unlink(tmp);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

int lock_ve(const char *lock_dir, unsigned int veid, struct ve_lock *ret, vzl_error **err)
{
	*ret = (struct ve_lock){ .fd = -1 };
	if (!lock_dir)
		return error_set(err, EINVAL, veid, VZL_STEP_LOCK, "LOCKDIR",
				 "LOCKDIR is not set; set it in vz.conf");
	int r = fs_mkdir_parents(lock_dir, 0755);
	if (r == -EEXIST)
		r = 0;
	if (r < 0)
		return error_set(err, -r, veid, VZL_STEP_LOCK, "LOCKDIR",
				 "cannot create the lock directory %s: %s", lock_dir, strerror(-r));
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%u.lck", lock_dir, veid) < 0)
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");

	for (int attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
		int fd = -1;
		r = try_link(path, &fd);
		if (r == 0) {
			ret->fd = fd;
			ret->path = TAKE_PTR(path);
			return 0;
		}
		if (r != -EEXIST)
			return error_set(err, -r, veid, VZL_STEP_LOCK, NULL,
					 "cannot create the lock file %s: %s%s", path, strerror(-r),
					 r == -EROFS ? "; the file system is read-only" : "");
		pid_t pid = 0;
		switch (lock_holder(path, &pid)) {
		case HOLDER_LIVE:
			return error_set(err, EBUSY, veid, VZL_STEP_LOCK, NULL,
					 "VE %u is locked by process %d (%s); wait for it to finish",
					 veid, (int)pid, path);
		case HOLDER_STALE:
			if (unlink(path) < 0 && errno != ENOENT)
				return error_set(err, errno, veid, VZL_STEP_LOCK, NULL,
						 "cannot remove the stale lock %s: %m", path);
			break;
		case HOLDER_UNREADABLE:
		case HOLDER_NONE:
			break; /* vanished or being written: try again */
		}
	}
	return error_set(err, EBUSY, veid, VZL_STEP_LOCK, NULL,
			 "could not take the lock %s after %d attempts; another command is "
			 "working on VE %u",
			 path, LOCK_ATTEMPTS, veid);
}

void unlock_ve(struct ve_lock *l)
{
	if (l->fd < 0)
		return;
	/* Remove the name first, then drop the flock, so nobody sees a free flock on a file
	 * that still names us. */
	unlink(l->path);
	close(l->fd);
	free(l->path);
	*l = (struct ve_lock){ .fd = -1 };
}
