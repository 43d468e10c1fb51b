/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-VE lock files (vzctl-behaviour.md §1.6), with an flock to see through pid reuse.
 *
 * An existing lock file is judged like this:
 * - not a regular file (FIFO, directory, link, ...): an error saying what it is; neither
 *   vzctl nor vzlite ever makes one, so it is not removed.
 * - flock held by someone: another vzlite command (or one judging the file right now).
 *   Waited for, up to the caller's limit, then -EBUSY naming the holder.
 * - flock free: judged under our flock, as vzctl does, by the pid it names: no pid, or a
 *   pid that is gone, is stale and removed; a pid that started after the file was written
 *   is a reused pid, stale too; any other live pid holds it (vzctl never flocks), -EBUSY
 *   at once as vzctl exits 9 at once.
 * Stale files are removed only while we hold their flock and after checking the name still
 * points to them, so two vzlite commands never remove each other's lock.
 *
 * The lock is taken by linking a temporary file, <VEID>.lck.<pid>.XXXXXX. A command killed
 * before it unlinks that temporary leaves it behind; its name carries the writer's pid from
 * the moment it exists (its content is written later, and may be missing), so every later
 * lock_ve removes the temporaries in LOCKDIR whose writer is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
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
#include "proc-pid.h"

/* Stale files removed in one call before giving up: something keeps recreating them. */
#define STALE_REMOVALS_MAX 16

enum holder {
	HOLDER_GONE,  /* the file vanished or was replaced while we looked: try again */
	HOLDER_STALE, /* it was stale and we removed it: try again */
	HOLDER_BUSY,  /* a vzlite command holds its flock: wait */
	HOLDER_LIVE,  /* a live process without flock (vzctl) holds it */
};

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:
		return "a FIFO (named pipe)";
	case S_IFDIR:
		return "a directory";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	default:
		return "not a regular file";
	}
}

/* The lock path is something vzlite and vzctl never create: say what and how to fix it. */
static int not_regular(const char *path, const struct stat *st, unsigned veid, vzl_error **err)
{
	if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX] = "";
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		struct stat t;
		int dangling = stat(path, &t) < 0;
		return error_set(err, EINVAL, veid, VZL_STEP_LOCK, NULL,
				 "cannot lock VE %u: the lock file %s is a symbolic link to %s%s; "
				 "lock files are never links: remove the link (rm %s) and try "
				 "again",
				 veid, path, target, dangling ? ", which does not exist" : "",
				 path);
	}
	return error_set(err, EINVAL, veid, VZL_STEP_LOCK, NULL,
			 "cannot lock VE %u: the lock file %s is %s, not a regular file; vzlite "
			 "and vzctl only create regular files there: remove it (%s %s) and try "
			 "again",
			 veid, path, file_kind(st->st_mode), S_ISDIR(st->st_mode) ? "rmdir" : "rm",
			 path);
}

/* The pid at the start of a lock file's content, or 0 when there is none. */
static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *end;
	errno = 0;
	long pid = strtol(buf, &end, 10);
	if (errno || end == buf || pid <= 0 || pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

/*
 * Look at the existing lock file `path`; see the top of this file. *ret_pid receives the
 * holder's pid for HOLDER_BUSY and HOLDER_LIVE. Negative (error set) when the file cannot be
 * examined or is not a regular file.
 */
static int examine(const char *path, unsigned veid, pid_t *ret_pid, vzl_error **err)
{
	struct stat st, fst;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return HOLDER_GONE;
		return error_set(err, errno, veid, VZL_STEP_LOCK, NULL,
				 "cannot examine the lock file %s: %m", path);
	}
	if (!S_ISREG(st.st_mode))
		return not_regular(path, &st, veid, err);
	/* O_NONBLOCK and O_NOFOLLOW: what we just saw may be swapped for a FIFO or a link. */
	_cleanup_close_ int fd = open(path,
				      O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ELOOP)
			return HOLDER_GONE;
		return error_set(err, errno, veid, VZL_STEP_LOCK, NULL,
				 "cannot open the lock file %s: %m", path);
	}
	if (fstat(fd, &fst) < 0)
		return error_set(err, errno, veid, VZL_STEP_LOCK, NULL,
				 "cannot examine the lock file %s: %m", path);
	if (!S_ISREG(fst.st_mode))
		return HOLDER_GONE; /* replaced since lstat: look again */

	pid_t pid = read_pid(fd);
	*ret_pid = pid;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return HOLDER_BUSY;
		/* No flock here (some network file systems): judge by the pid alone, as vzctl. */
	}
	/* Under our flock: is this still the file the name points to? */
	if (lstat(path, &st) < 0 || st.st_dev != fst.st_dev || st.st_ino != fst.st_ino)
		return HOLDER_GONE;
	pid = read_pid(fd); /* its writer may have finished writing meanwhile */
	*ret_pid = pid;
	if (pid != 0 && !proc_pid_writer_gone(pid, &fst.st_mtim))
		return HOLDER_LIVE;
	if (unlink(path) < 0 && errno != ENOENT)
		return error_set(err, errno, veid, VZL_STEP_LOCK, NULL,
				 "cannot remove the stale lock %s: %m; remove it by hand", path);
	return HOLDER_STALE;
}

/*
 * The writer's pid in the name of a lock temporary, <VEID>.lck.<pid>.XXXXXX (try_link), or 0
 * when `name` is not one. vzctl's own temporaries (<VEID>.lckXXXXXX) are not ours to judge.
 */
static pid_t temp_writer(const char *name)
{
	const char *p = name;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (strncmp(p, ".lck.", 5) != 0)
		return 0;
	p += 5;
	if (*p < '1' || *p > '9')
		return 0;
	char *end;
	errno = 0;
	long pid = strtol(p, &end, 10);
	if (errno || pid > INT_MAX || *end != '.' || strlen(end + 1) != 6)
		return 0;
	return (pid_t)pid;
}

/*
 * Remove the lock temporaries in `lock_dir` whose writer is gone (killed between creating
 * and unlinking one). Best effort: a temporary that cannot be removed does not stop anyone
 * from taking a lock, so failures here are not errors.
 */
static void sweep_stale_temps(const char *lock_dir)
{
	DIR *d = opendir(lock_dir);
	if (!d)
		return;
	int dfd = dirfd(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		pid_t pid = temp_writer(de->d_name);
		struct stat st;
		if (pid == 0 || fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (proc_pid_writer_gone(pid, &st.st_mtim))
			unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

static int try_link(const char *path, int *ret_fd)
{
	_cleanup_free_ char *tmp = NULL;
	/* The pid in the name tells a later command whether the writer is still there. */
	if (asprintf(&tmp, "%s.%d.XXXXXX", path, (int)getpid()) < 0)
		return -ENOMEM;
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char content[32];
	int len = snprintf(content, sizeof(content), "%d\n\n", (int)getpid());
	int r = 0;
	/* The flock comes before the link: nobody sees our lock without it. */
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

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void pause_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int locked_by(const char *path, unsigned veid, pid_t pid, int waited_ms, vzl_error **err)
{
	char cmdline[128] = "";
	proc_pid_cmdline(pid, cmdline, sizeof(cmdline));
	if (pid == getpid())
		return error_set(err, EBUSY, veid, VZL_STEP_LOCK, NULL,
				 "VE %u is already locked by this same process %d (lock file %s)",
				 veid, (int)pid, path);
	if (waited_ms > 0)
		return error_set(err, EBUSY, veid, VZL_STEP_LOCK, NULL,
				 "VE %u is locked by process %d (%s; lock file %s) and still was "
				 "after %.1f s; wait for that command to finish and try again",
				 veid, (int)pid, *cmdline ? cmdline : "command line unknown", path,
				 waited_ms / 1000.0);
	return error_set(err, EBUSY, veid, VZL_STEP_LOCK, NULL,
			 "VE %u is locked by process %d (%s; lock file %s); wait for it to "
			 "finish, or remove the file if that process is not working on the VE",
			 veid, (int)pid, *cmdline ? cmdline : "command line unknown", path);
}

int lock_ve_wait(const char *lock_dir, unsigned int veid, int wait_ms, struct ve_lock *ret,
		 vzl_error **err)
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

	sweep_stale_temps(lock_dir);
	long long start = now_ms();
	long pause = 1;
	int removed = 0;
	for (;;) {
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
		r = examine(path, veid, &pid, err);
		if (r < 0)
			return r;
		long long waited = now_ms() - start;
		if (r == HOLDER_LIVE)
			return locked_by(path, veid, pid, 0, err);
		if (r == HOLDER_BUSY) {
			if (pid == getpid() || waited >= wait_ms)
				return locked_by(path, veid, pid, (int)waited, err);
			/* The holder does not say when it is done: poll, backing off to 50 ms. */
			pause_ms(pause);
			pause = pause * 2 > 50 ? 50 : pause * 2;
			continue;
		}
		if (r == HOLDER_STALE && ++removed > STALE_REMOVALS_MAX)
			return error_set(err, EBUSY, veid, VZL_STEP_LOCK, NULL,
					 "could not take the lock %s: a stale lock file came "
					 "back %d times; another program keeps writing it",
					 path, removed);
		if (waited >= wait_ms)
			return error_set(err, EBUSY, veid, VZL_STEP_LOCK, NULL,
					 "could not take the lock %s within %.1f s: other commands "
					 "keep taking and releasing it",
					 path, waited / 1000.0);
	}
}

int lock_ve(const char *lock_dir, unsigned int veid, struct ve_lock *ret, vzl_error **err)
{
	return lock_ve_wait(lock_dir, veid, LOCK_WAIT_MS, ret, err);
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
