/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-VE lock files: vzctl's format and rules (vzctl-behaviour.md §1.6), plus pid reuse. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "proc-pid.h"
#include "test.h"

static char dir[64];

static void write_lock(unsigned veid, const char *content, time_t mtime)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%u.lck", dir, veid);
	FILE *f = fopen(path, "w");
	fputs(content, f);
	fclose(f);
	if (mtime) {
		struct timespec ts[2] = { { .tv_sec = mtime }, { .tv_sec = mtime } };
		utimensat(AT_FDCWD, path, ts, 0);
	}
}

static int exists(unsigned veid)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%u.lck", dir, veid);
	return access(path, F_OK) == 0;
}

static void test_stat_parse(void)
{
	unsigned long long t = 0;
	/* The command name may hold blanks and parentheses: fields count after the last ')'. */
	CHECK_INT(proc_stat_start_ticks("42 (a) b) (c d) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 "
					"20 0 1 0 987654 1000 50 18446744073709551615",
					&t),
		  0);
	CHECK_INT(t, 987654);
	CHECK_INT(proc_stat_start_ticks("1 (init) S 0 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
					"7x 1\n",
					&t),
		  -EINVAL); /* a bad character after the number */
	CHECK_INT(proc_stat_start_ticks("1 (init) S 0 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
					"9\n",
					&t),
		  0);
	CHECK_INT(t, 9);
	CHECK_INT(proc_stat_start_ticks("1 (init) S 0 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1\n",
					&t),
		  -EINVAL);                                              /* too few fields */
	CHECK_INT(proc_stat_start_ticks("1 init S 0 1 1", &t), -EINVAL); /* no ')' */

	/* This process started a moment ago: after a time well before, not after one ahead. */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct timespec before = { .tv_sec = now.tv_sec - 60 };
	struct timespec after = { .tv_sec = now.tv_sec + 1 };
	CHECK_INT(proc_pid_started_after(getpid(), &before, 0), 1);
	CHECK_INT(proc_pid_started_after(getpid(), &after, 0), 0);
	CHECK_INT(proc_pid_started_after(getpid(), &before, 120), 0); /* the slack counts */
	/* pid 1 started before this process did. */
	struct timespec mine = { .tv_sec = now.tv_sec - 60 };
	CHECK_INT(proc_pid_started_after(1, &mine, 0), 0);
}

/* A child that takes the lock of `veid`, says so on *ready, and unlocks when *go closes. */
static pid_t holder(unsigned veid, int *ready, int *go)
{
	int r[2], g[2];
	if (pipe(r) < 0 || pipe(g) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct ve_lock l;
		close(r[0]);
		close(g[1]);
		if (lock_ve(dir, veid, &l, NULL) < 0)
			_exit(1);
		if (write(r[1], "L", 1) != 1)
			_exit(1);
		char c;
		while (read(g[0], &c, 1) > 0)
			;
		unlock_ve(&l);
		_exit(0);
	}
	close(r[1]);
	close(g[0]);
	*ready = r[0];
	*go = g[1];
	return pid;
}

/* Another vzlite command's lock (flock held) is waited for; it is taken once released. */
static void test_wait(void)
{
	int ready, go;
	pid_t a = holder(120, &ready, &go);
	char c;
	CHECK(a > 0 && read(ready, &c, 1) == 1);
	char path[128];
	snprintf(path, sizeof(path), "%s/120.lck", dir);
	int in = inotify_init1(IN_CLOEXEC);
	CHECK(in >= 0 && inotify_add_watch(in, path, IN_OPEN) >= 0);
	pid_t b = fork();
	if (b == 0) {
		close(go); /* only the parent may let A go */
		struct ve_lock l;
		int r = lock_ve_wait(dir, 120, 30000, &l, NULL);
		unlock_ve(&l);
		_exit(r == 0 ? 0 : 1);
	}
	/* B has opened the holder's lock file to look at it: now let A go. */
	char ev[sizeof(struct inotify_event) + 256];
	CHECK(read(in, ev, sizeof(ev)) > 0);
	close(go);
	int st = -1;
	CHECK(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(in);
	close(ready);
	CHECK(!exists(120));

	/* Held past the limit: -EBUSY naming the holder. */
	a = holder(121, &ready, &go);
	CHECK(a > 0 && read(ready, &c, 1) == 1);
	struct ve_lock l;
	vzl_error *err = NULL;
	CHECK_INT(lock_ve_wait(dir, 121, 200, &l, &err), -EBUSY);
	char want[64];
	snprintf(want, sizeof(want), "locked by process %d", (int)a);
	CHECK(err && strstr(vzl_error_message(err), want));
	CHECK(err && strstr(vzl_error_message(err), "still was after"));
	vzl_error_free(err);
	close(go);
	waitpid(a, NULL, 0);
	close(ready);
}

/* Lock paths that are no regular file: an error saying what they are, the path left alone. */
static void test_not_regular(void)
{
	char path[128];
	struct ve_lock l;
	vzl_error *err = NULL;
	alarm(30); /* a FIFO opened without O_NONBLOCK would block forever */
	snprintf(path, sizeof(path), "%s/130.lck", dir);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK_INT(lock_ve(dir, 130, &l, &err), -EINVAL);
	CHECK(err && strstr(vzl_error_message(err), "is a FIFO (named pipe), not a regular file"));
	vzl_error_free(err);
	err = NULL;
	alarm(0);
	struct stat st;
	CHECK(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode));

	snprintf(path, sizeof(path), "%s/131.lck", dir);
	CHECK(mkdir(path, 0700) == 0);
	CHECK_INT(lock_ve(dir, 131, &l, &err), -EINVAL);
	CHECK(err && strstr(vzl_error_message(err), "is a directory, not a regular file"));
	CHECK(err && strstr(vzl_error_message(err), "rmdir"));
	vzl_error_free(err);
	err = NULL;

	snprintf(path, sizeof(path), "%s/132.lck", dir);
	CHECK(symlink("/nonexistent/x", path) == 0);
	CHECK_INT(lock_ve(dir, 132, &l, &err), -EINVAL);
	CHECK(err && strstr(vzl_error_message(err),
			    "is a symbolic link to /nonexistent/x, which does not exist"));
	vzl_error_free(err);
	CHECK(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vzl-lock-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/a/b", dir); /* created with parents */

	struct ve_lock l, l2;
	vzl_error *err = NULL;
	CHECK_INT(lock_ve(sub, 101, &l, NULL), 0);
	char path[160], buf[64] = "";
	snprintf(path, sizeof(path), "%s/101.lck", sub);
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) > 0);
	close(fd);
	char want[32];
	snprintf(want, sizeof(want), "%d\n\n", (int)getpid());
	CHECK_STR(buf, want); /* vzctl's content: pid, newline, empty status, newline */

	/* Held by a live locker: EBUSY naming the pid. */
	CHECK_INT(lock_ve(sub, 101, &l2, &err), -EBUSY);
	CHECK_INT(vzl_error_step(err), VZL_STEP_LOCK);
	char holder[32];
	snprintf(holder, sizeof(holder), "process %d", (int)getpid());
	CHECK(err && strstr(vzl_error_message(err), holder) != NULL); /* names the holder */
	vzl_error_free(err);
	err = NULL;
	unlock_ve(&l);
	CHECK(access(path, F_OK) != 0);
	unlock_ve(&l); /* idempotent */
	CHECK_INT(lock_ve(sub, 101, &l, NULL), 0);
	unlock_ve(&l);

	/* Stale: garbage content. */
	write_lock(102, "garbage\n", 0);
	CHECK_INT(lock_ve(dir, 102, &l, NULL), 0);
	unlock_ve(&l);
	CHECK(!exists(102));

	/* Stale: the pid is gone. */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	char content[32];
	snprintf(content, sizeof(content), "%d\n\n", (int)child);
	write_lock(103, content, 0);
	CHECK_INT(lock_ve(dir, 103, &l, NULL), 0);
	unlock_ve(&l);

	/* A live pid without an flock that started before the lock was written: a vzctl lock,
	 * live (pid 1 started long before this file). */
	write_lock(104, "1\n\n", 0);
	CHECK_INT(lock_ve(dir, 104, &l, NULL), -EBUSY);
	CHECK(exists(104));

	/* A live pid that started after the lock was written, nobody holding the flock: the
	 * pid was reused, the lock is stale. */
	snprintf(content, sizeof(content), "%d\n\n", (int)getpid());
	write_lock(105, content, 1000);
	CHECK_INT(lock_ve(dir, 105, &l, NULL), 0);
	unlock_ve(&l);

	CHECK_INT(lock_ve(NULL, 106, &l, &err), -EINVAL);
	vzl_error_free(err);

	test_stat_parse();
	test_wait();
	test_not_regular();

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	return test_summary("test-lock");
}
