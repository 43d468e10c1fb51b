/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files of the VE, from the child entered into it (ve-inside.h): its root is the VE's root
 * (chroot), and every path is still walked from there one directory at a time with
 * O_NOFOLLOW, so a link the VE planted (/etc/network -> /somewhere) is refused instead of
 * followed, and a file is replaced by renaming a new one over it in the same directory (the
 * link itself is replaced, its target untouched; a reader never sees half a file).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ve-inside.h"

#define READ_MAX (1 << 20) /* a config file larger than this is not one vzlite rewrites */

/*
 * Open the directory holding `path` (absolute, clean) and point *ret_base at the last
 * component. Missing directories are not made (vzctl's scripts do not make them either: a
 * distribution without /etc/sysconfig gets no ifcfg files). Returns the fd or -errno (-ELOOP or
 * -ENOTDIR for a link or non-directory on the way).
 */
static int open_parent(const char *path, const char **ret_base)
{
	const char *p = path;
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		p += strspn(p, "/");
		size_t len = strcspn(p, "/");
		if (!p[len]) {
			*ret_base = p;
			return len ? fd : (close(fd), -EINVAL);
		}
		char comp[256];
		if (len >= sizeof(comp) || (len == 2 && !strncmp(p, "..", 2))) {
			close(fd);
			return -EINVAL;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		struct stat st;
		/* say "a link" for a link, which O_DIRECTORY reports as ENOTDIR */
		if (next < 0 && e == ENOTDIR && fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			e = ELOOP;
		close(fd);
		if (next < 0)
			return -e;
		fd = next;
		p += len;
	}
}

int inside_read(const char *path, char **ret)
{
	const char *base;
	*ret = NULL;
	int dfd = open_parent(path, &base);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	int fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int e = errno;
	close(dfd);
	/* a link planted at the file itself: its target is not read; the write replaces it */
	if (fd < 0)
		return e == ENOENT || e == ELOOP ? 0 : -e;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > READ_MAX) {
		close(fd);
		return -EINVAL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf)
		return -ENOMEM;
	buf[got] = '\0';
	*ret = buf;
	return 0;
}

static int write_all(int fd, const char *text)
{
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

int inside_write(const char *path, const char *text, mode_t mode)
{
	const char *base;
	int dfd = open_parent(path, &base);
	if (dfd < 0)
		return dfd;
	struct stat st;
	if (!mode)
		mode = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)
			       ? st.st_mode & 07777
			       : 0644;
	char tmp[300];
	int fd = -1, r = 0;
	for (unsigned i = 0; fd < 0 && i < 100; i++) {
		snprintf(tmp, sizeof(tmp), ".%.200s.vzlite-%d-%u", base, (int)getpid(), i);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			r = -errno;
			break;
		}
	}
	if (fd < 0) {
		close(dfd);
		return r ? r : -EEXIST;
	}
	r = write_all(fd, text);
	if (r == 0 && fchmod(fd, mode) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dfd, tmp, dfd, base) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, tmp, 0);
	close(dfd);
	return r;
}

int inside_unlink(const char *path)
{
	const char *base;
	int dfd = open_parent(path, &base);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	int r = unlinkat(dfd, base, 0) < 0 && errno != ENOENT ? -errno : 0;
	close(dfd);
	return r;
}

bool inside_exists(const char *path)
{
	const char *base;
	struct stat st;
	int dfd = open_parent(path, &base);
	if (dfd < 0)
		return false;
	bool r = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	close(dfd);
	return r;
}

char **inside_list(const char *dir, const char *prefix)
{
	char path[512];
	const char *base;
	snprintf(path, sizeof(path), "%s/.", dir);
	int dfd = open_parent(path, &base);
	char **v = calloc(1, sizeof(*v));
	size_t n = 0, plen = strlen(prefix);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return v;
	}
	for (struct dirent *e; v && (e = readdir(d));) {
		if (strncmp(e->d_name, prefix, plen) != 0)
			continue;
		char **nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		if ((v[n] = strdup(e->d_name)))
			v[++n] = NULL;
	}
	closedir(d);
	return v;
}
