// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * --fail CALL@PATH:ERRNO[:NTH] (faults.c): plain filesystem calls failed on one path, for
 * the steps of a program that no obstacle planted beforehand can make fail (a file read
 * again in the middle of a run, a directory root can always read).
 *
 * The calls and the path each is on:
 *   open, creat, openat, openat2   its path argument (relative ones joined to the
 *                                   directory descriptor's path or the working directory)
 *   getdents, getdents64           the path of its descriptor (/proc/PID/fd/N)
 *   rename, renameat, renameat2    either of its two paths
 * Paths are as the caller sees them, "." and ".." folded; links in the argument itself are
 * not followed. The opens are intercepted anyway (notify-paths.c); getdents and the renames
 * are added to the seccomp filter only when a rule names them, so a run without such a rule
 * pays nothing for them. A matching call that does not fire continues to the kernel
 * untraced; the one that fires is traced with its descriptors' paths, strace -y style:
 *   getdents64(5</vz/private/101>, ...) = -1 EIO (injected)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "vzemu.h"

static enum sc_class class_of(const char *name)
{
	for (const struct sc_ent *e = sc_table_x86_64; e->nr >= 0; e++)
		if (!strcmp(e->name, name))
			return e->cls;
	return SC_NONE;
}

bool fault_path_only(const char *name)
{
	enum sc_class c = class_of(name);

	return c == SC_GETDENTS || c == SC_RENAME || c == SC_RENAMEAT;
}

bool fault_path_call(const char *name)
{
	enum sc_class c = class_of(name);

	return fault_path_only(name) || c == SC_OPEN || c == SC_CREAT || c == SC_OPENAT ||
	       c == SC_OPENAT2;
}

/* "AT_FDCWD" or "N</its/path>" */
static void fd_text(pid_t tid, int fd, char *out, size_t len)
{
	char p[PATH_MAX];

	if (fd == AT_FDCWD)
		snprintf(out, len, "AT_FDCWD");
	else if (path_of_caller(tid, fd, ".", p, sizeof(p)) == 0)
		snprintf(out, len, "%d<%s>", fd, p);
	else
		snprintf(out, len, "%d", fd);
}

int fault_paths_open(struct call *c, int dirfd, const char *path, int flags, long *ret, char *trace,
		     size_t tlen)
{
	char abs[PATH_MAX], dfd[PATH_MAX + 32], fs[160];
	const char *paths[1] = { abs };
	enum sc_class cls = c->ent->cls;
	int fe;

	if (path_of_caller(c->tid, dirfd, path, abs, sizeof(abs)) < 0)
		return 1;
	fe = faults_check_path(c->ent->name, paths, 1);
	if (!fe)
		return 1;
	fd_text(c->tid, dirfd, dfd, sizeof(dfd));
	open_flags_text(fs, sizeof(fs), flags);
	if (cls == SC_OPENAT || cls == SC_OPENAT2)
		snprintf(trace, tlen, "%s(%s, \"%s\", %s)", c->ent->name, dfd, path, fs);
	else
		snprintf(trace, tlen, "%s(\"%s\", %s)", c->ent->name, path, fs);
	*ret = -fe;
	return 0;
}

int fault_paths_handle(struct call *c, long *ret, char *trace, size_t tlen)
{
	char name[2][PATH_MAX], abs[2][PATH_MAX], dfd[2][PATH_MAX + 32];
	const char *paths[2] = { abs[0], abs[1] };
	int dirfd[2] = { AT_FDCWD, AT_FDCWD }, fe;
	uint64_t addr[2];

	switch (c->ent->cls) {
	case SC_GETDENTS:
		if (path_of_caller(c->tid, (int)c->args[0], ".", abs[0], sizeof(abs[0])) < 0)
			return 1;
		fe = faults_check_path(c->ent->name, paths, 1);
		if (!fe)
			return 1;
		fd_text(c->tid, (int)c->args[0], dfd[0], sizeof(dfd[0]));
		snprintf(trace, tlen, "%s(%s, ...)", c->ent->name, dfd[0]);
		*ret = -fe;
		return 0;
	case SC_RENAME:
		addr[0] = c->args[0];
		addr[1] = c->args[1];
		break;
	case SC_RENAMEAT:
		dirfd[0] = (int)c->args[0];
		addr[0] = c->args[1];
		dirfd[1] = (int)c->args[2];
		addr[1] = c->args[3];
		break;
	default:
		return 1;
	}
	for (int i = 0; i < 2; i++)
		if (mem_read_str(c->tid, addr[i], name[i], sizeof(name[i])) < 0 ||
		    path_of_caller(c->tid, dirfd[i], name[i], abs[i], sizeof(abs[i])) < 0)
			return 1; /* the kernel gives its own errno (EFAULT, EBADF, ...) */
	fe = faults_check_path(c->ent->name, paths, 2);
	if (!fe)
		return 1;
	if (c->ent->cls == SC_RENAME) {
		snprintf(trace, tlen, "%s(\"%s\", \"%s\")", c->ent->name, name[0], name[1]);
	} else {
		for (int i = 0; i < 2; i++)
			fd_text(c->tid, dirfd[i], dfd[i], sizeof(dfd[i]));
		snprintf(trace, tlen, "%s(%s, \"%s\", %s, \"%s\"%s)", c->ent->name, dfd[0], name[0],
			 dfd[1], name[1], c->nr == SYS_renameat2 ? ", ..." : "");
	}
	*ret = -fe;
	return 0;
}
