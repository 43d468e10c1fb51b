/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-VE lock files: vzctl's format and rules (vzctl-behaviour.md §1.6), plus pid reuse. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lock.h"
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

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	return test_summary("test-lock");
}
