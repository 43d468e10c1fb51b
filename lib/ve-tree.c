/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing into a VE's tree without following its links (ve-tree.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "macro.h"
#include "ve-tree.h"

static int record(struct ve_made *made, const char *dir, const char *name)
{
	char **p = realloc(made->paths, (made->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	made->paths = p;
	if (asprintf(&p[made->n], "%s%s%s", dir, *dir ? "/" : "", name) < 0)
		return -ENOMEM;
	made->n++;
	return 0;
}

/* Split "a/b/c" into the directory "a/b" (in dir[]) and the name "c". */
static const char *split(const char *path, char *dir, size_t dirsz)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	snprintf(dir, dirsz, "%.*s", (int)(n < dirsz ? n : dirsz - 1), path);
	return slash ? slash + 1 : path;
}

int ve_made_undo(int rootfd, struct ve_made *made)
{
	int first = 0;
	while (made->n > 0) {
		char *path = made->paths[--made->n];
		char dir[PATH_MAX];
		const char *name = split(path, dir, sizeof(dir));
		int dfd = fs_open_dir_beneath(rootfd, dir, NULL);
		int r = dfd < 0 ? dfd : (unlinkat(dfd, name, 0) < 0 ? -errno : 0);
		if (dfd >= 0)
			close(dfd);
		if (r < 0 && r != -ENOENT && !first)
			first = r;
		free(path);
	}
	return first;
}

void ve_made_free(struct ve_made *made)
{
	for (size_t i = 0; i < made->n; i++)
		free(made->paths[i]);
	free(made->paths);
	*made = (struct ve_made){ 0 };
}

static int tree_error(vzl_error **err, int e, unsigned veid, const char *what, const char *verb,
		      const char *dir, const char *name)
{
	const char *why = e == ELOOP || e == ENOTDIR
				  ? " (a symbolic link or no directory there: it is not followed)"
				  : "";
	return error_set(err, e, veid, VZL_STEP_NONE, what,
			 "VE %u: %s: cannot %s /%s%s%s in the VE's root: %s%s; remove or fix it "
			 "in the VE's private area",
			 veid, what, verb, dir, *dir && *name ? "/" : "", name, strerror(e), why);
}

/* Make node `name` in directory `dfd` unless that node is there; 1 when made. */
static int make_node(int dfd, const char *name, mode_t mode, dev_t rdev)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if ((st.st_mode & S_IFMT) == (mode & S_IFMT) && st.st_rdev == rdev)
			return 0;
		if (unlinkat(dfd, name, 0) < 0) /* a directory there: EISDIR, left alone */
			return -errno;
	} else if (errno != ENOENT) {
		return -errno;
	}
	return mknodat(dfd, name, mode, rdev) < 0 ? -errno : 1;
}

/* /etc/tmpfiles.d/device-ALIAS.conf, as vzctl writes it for systemd. */
static int tmpfiles_entry(int rootfd, const char *name, const char *alias, mode_t mode, dev_t rdev,
			  bool remove, struct ve_made *made, unsigned veid, const char *what,
			  vzl_error **err)
{
	static const char dir[] = "etc/tmpfiles.d";
	char file[NAME_MAX + 1], line[PATH_MAX];
	int dfd = fs_open_dir_beneath(rootfd, dir, NULL);
	if (dfd < 0)
		return 0; /* no such directory (or a link): no systemd to tell */
	snprintf(file, sizeof(file), "device-%s.conf", alias);
	int r = 0;
	if (remove) {
		if (unlinkat(dfd, file, 0) < 0 && errno != ENOENT)
			r = tree_error(err, errno, veid, what, "remove", dir, file);
		close(dfd);
		return r;
	}
	struct stat st;
	bool existed = fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0;
	/* a link (or anything but a file) there is replaced, never written through */
	if (existed && !S_ISREG(st.st_mode) && unlinkat(dfd, file, 0) < 0)
		r = tree_error(err, errno, veid, what, "replace", dir, file);
	int n = snprintf(line, sizeof(line), "%c /dev/%s 0700 root root - %u:%u\n",
			 S_ISBLK(mode) ? 'b' : 'c', name, major(rdev), minor(rdev));
	int fd = r < 0 ? -1
		       : openat(dfd, file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
				0644);
	if (r == 0 && (fd < 0 || write(fd, line, (size_t)n) != n))
		r = tree_error(err, fd < 0 ? errno : EIO, veid, what, "write", dir, file);
	if (fd >= 0)
		close(fd);
	if (r == 0 && !existed && record(made, dir, file) < 0)
		r = error_set(err, ENOMEM, veid, VZL_STEP_NONE, what, "out of memory");
	close(dfd);
	return r;
}

int ve_tree_node(int rootfd, const char *name, const char *alias, mode_t mode, dev_t rdev,
		 bool remove, struct ve_made *made, unsigned veid, const char *what,
		 vzl_error **err)
{
	static const char *const dirs[] = { "dev", "usr/lib/udev/devices", "lib/udev/devices",
					    "etc/udev/devices" };
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		int dfd = fs_open_dir_beneath(rootfd, dirs[i], NULL);
		if (dfd < 0) {
			if (dfd == -ENOENT || i > 0)
				continue; /* as vzctl: only the directories there */
			return tree_error(err, -dfd, veid, what, "open", dirs[i], "");
		}
		int r;
		if (remove)
			r = unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
		else
			r = make_node(dfd, name, mode, rdev);
		if (r > 0 && record(made, dirs[i], name) < 0)
			r = -ENOMEM;
		close(dfd);
		if (r < 0)
			return tree_error(err, -r, veid, what, remove ? "remove" : "make", dirs[i],
					  name);
	}
	return tmpfiles_entry(rootfd, name, alias ? alias : name, mode, rdev, remove, made, veid,
			      what, err);
}

int ve_tree_symlink(int rootfd, const char *path, const char *target, struct ve_made *made,
		    unsigned veid, const char *what, vzl_error **err)
{
	char dir[PATH_MAX], buf[PATH_MAX];
	const char *name = split(path, dir, sizeof(dir));
	int dfd = fs_open_dir_beneath(rootfd, dir, NULL);
	if (dfd < 0)
		return tree_error(err, -dfd, veid, what, "open", dir, "");
	int r = 0;
	bool made_new = true;
	ssize_t n = readlinkat(dfd, name, buf, sizeof(buf) - 1);
	if (n >= 0 && (size_t)n == strlen(target) && memcmp(buf, target, (size_t)n) == 0) {
		close(dfd);
		return 0; /* that link already */
	}
	if (n >= 0 || errno != ENOENT) {
		made_new = false;
		if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
			r = -errno;
	}
	if (r == 0 && symlinkat(target, dfd, name) < 0)
		r = -errno;
	if (r == 0 && made_new && record(made, dir, name) < 0)
		r = -ENOMEM;
	close(dfd);
	return r < 0 ? tree_error(err, -r, veid, what, "make", dir, name) : 0;
}
