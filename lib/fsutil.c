/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tree walks that never follow a symbolic link, for a kernel without openat2 (2.6.32):
 * every directory is opened from its parent's fd with O_NOFOLLOW | O_DIRECTORY, and every
 * change is an *at() call relative to such an fd.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"
#include "macro.h"
#include "mountinfo.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

int fs_path_clean(const char *name, char *out, size_t outsz, size_t *ret_len, const char **ret_why)
{
	size_t len = 0;
	const char *p = name;

	*ret_why = NULL;
	if (*p == '/') {
		*ret_why = "is an absolute path";
		return -EINVAL;
	}
	while (*p) {
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - c);
		while (*p == '/')
			p++;
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			*ret_why = "contains a '..' component";
			return -EINVAL;
		}
		if (len + (len > 0) + n + 1 > outsz) {
			*ret_why = "is too long";
			return -ENAMETOOLONG;
		}
		if (len > 0)
			out[len++] = '/';
		memcpy(out + len, c, n);
		len += n;
	}
	out[len] = '\0';
	*ret_len = len;
	return 0;
}

int fs_open_dir_beneath(int dirfd, const char *path, size_t *ret_bad_len)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	const char *p = path;
	char comp[NAME_MAX + 1];

	if (fd < 0)
		return -errno;
	while (*p) {
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - c);
		if (n > NAME_MAX) {
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(comp, c, n);
		comp[n] = '\0';
		int nfd = openat(fd, comp, DIR_FLAGS);
		int e = errno;
		close(fd);
		if (nfd < 0) {
			if (ret_bad_len)
				*ret_bad_len = (size_t)(p - path);
			return -e;
		}
		fd = nfd;
		while (*p == '/')
			p++;
	}
	return fd;
}

/* ---- Removal ------------------------------------------------------------------------ */

/*
 * At most this many directories are held open. Deeper, the oldest is closed and reopened
 * later through ".." of its child, checked against the device and inode recorded on the
 * way down, so a directory moved during the walk stops it instead of misleading it.
 */
#define RM_OPEN_MAX 32

struct rm_level {
	DIR *d;
	dev_t dev;
	ino_t ino;
	size_t path_len; /* length of rm_walk.path up to and including this directory */
};

/* A directory some mount point shows: reaching it means crossing that mount. */
struct mount_id {
	dev_t dev;
	ino_t ino;
};

struct rm_walk {
	struct rm_level *lv;
	size_t n_lv, cap_lv;
	char *path; /* for messages: the directory being emptied, from the top */
	size_t path_cap;
	dev_t dev;               /* the filesystem we stay on */
	struct mount_id *mounts; /* the mount points below the top, bind mounts included */
	size_t n_mounts;
	char *first_mount; /* the first of them, for the message */
	unsigned int veid;
	enum vzl_step step;
};

static int path_append(struct rm_walk *w, size_t at, const char *name)
{
	size_t n = strlen(name);
	if (at + 1 + n + 1 > w->path_cap) {
		size_t cap = (at + n + 2) * 2;
		char *p = realloc(w->path, cap);
		if (!p)
			return -ENOMEM;
		w->path = p;
		w->path_cap = cap;
	}
	if (at > 0)
		w->path[at++] = '/';
	memcpy(w->path + at, name, n + 1);
	return 0;
}

static int push_dir(struct rm_walk *w, int fd, const struct stat *st, const char *name)
{
	if (w->n_lv == w->cap_lv) {
		size_t cap = w->cap_lv ? w->cap_lv * 2 : 16;
		struct rm_level *lv = realloc(w->lv, cap * sizeof(*lv));
		if (!lv) {
			close(fd);
			return -ENOMEM;
		}
		w->lv = lv;
		w->cap_lv = cap;
	}
	size_t at = w->n_lv ? w->lv[w->n_lv - 1].path_len : 0;
	int r = path_append(w, at, name);
	if (r < 0) {
		close(fd);
		return r;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	w->lv[w->n_lv++] = (struct rm_level){
		.d = d,
		.dev = st->st_dev,
		.ino = st->st_ino,
		.path_len = at + (at > 0) + strlen(name),
	};
	if (w->n_lv > RM_OPEN_MAX) {
		struct rm_level *old = &w->lv[w->n_lv - 1 - RM_OPEN_MAX];
		if (old->d) {
			closedir(old->d);
			old->d = NULL;
		}
	}
	return 0;
}

static int is_mount_point(const struct rm_walk *w, const struct stat *st)
{
	if (st->st_dev != w->dev)
		return 1;
	for (size_t i = 0; i < w->n_mounts; i++)
		if (w->mounts[i].dev == st->st_dev && w->mounts[i].ino == st->st_ino)
			return 1;
	return 0;
}

static int add_mount(const char *mount_point, void *userdata)
{
	struct rm_walk *w = userdata;
	struct stat st;
	if (!w->first_mount && !(w->first_mount = strdup(mount_point)))
		return -ENOMEM;
	if (stat(mount_point, &st) < 0)
		return 0; /* not reachable from here: the walk cannot reach it either */
	struct mount_id *m = realloc(w->mounts, (w->n_mounts + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	w->mounts = m;
	w->mounts[w->n_mounts++] = (struct mount_id){ st.st_dev, st.st_ino };
	return 0;
}

/*
 * Record the directories every mount point at or below the open directory `fd` shows. A bind
 * mount of the same filesystem keeps st_dev, so comparing devices alone would walk into it.
 */
static int find_mounts(struct rm_walk *w, int fd)
{
	char proc[64], path[PATH_MAX];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, path, sizeof(path) - 1);
	if (n < 0)
		return -errno;
	path[n] = '\0';
	int r = mounts_below(path, add_mount, w);
	return r < 0 ? r : 0;
}

/* Empty the directory at the top of the walk and everything below it. */
static int rm_contents(struct rm_walk *w, vzl_error **err)
{
	size_t base = w->n_lv - 1;

	for (;;) {
		struct rm_level *lv = &w->lv[w->n_lv - 1];
		int fd = dirfd(lv->d);
		errno = 0;
		struct dirent *de = readdir(lv->d);
		if (!de) {
			if (errno)
				return error_set(err, errno, w->veid, w->step, NULL,
						 "cannot read directory '%s' to remove it: %m",
						 w->path);
			if (w->n_lv - 1 == base)
				return 0;
			/* Done with this directory: go back to its parent and remove it. */
			struct rm_level *up = &w->lv[w->n_lv - 2];
			if (!up->d) {
				struct stat st;
				int pfd = openat(fd, "..", DIR_FLAGS);
				if (pfd < 0 || fstat(pfd, &st) < 0 || st.st_dev != up->dev ||
				    st.st_ino != up->ino) {
					if (pfd >= 0)
						close(pfd);
					return error_set(err, EBUSY, w->veid, w->step, NULL,
							 "'%s' was moved while it was being "
							 "removed; stopped",
							 w->path);
				}
				up->d = fdopendir(pfd);
				if (!up->d) {
					close(pfd);
					return error_set(err, ENOMEM, w->veid, w->step, NULL,
							 "out of memory");
				}
			}
			closedir(lv->d);
			w->n_lv--;
			const char *name = w->path + up->path_len + (up->path_len > 0);
			if (unlinkat(dirfd(up->d), name, AT_REMOVEDIR) < 0 && errno != ENOENT)
				return error_set(err, errno, w->veid, w->step, NULL,
						 "cannot remove directory '%s': %m", w->path);
			w->path[up->path_len] = '\0';
			continue;
		}
		const char *name = de->d_name;
		if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
			continue;

		unsigned char type = de->d_type;
		struct stat st;
		if (type == DT_UNKNOWN) {
			if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				if (errno == ENOENT)
					continue;
				goto fail_entry;
			}
			type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
		}
		if (type != DT_DIR) {
			if (unlinkat(fd, name, 0) < 0 && errno != ENOENT)
				goto fail_entry;
			continue;
		}
		int cfd = openat(fd, name, DIR_FLAGS);
		if (cfd < 0) {
			if (errno == ENOENT)
				continue;
			/* Replaced by a symlink or a file since readdir: remove that instead. */
			if ((errno == ELOOP || errno == ENOTDIR) && unlinkat(fd, name, 0) == 0)
				continue;
			goto fail_entry;
		}
		if (fstat(cfd, &st) < 0) {
			close(cfd);
			goto fail_entry;
		}
		if (is_mount_point(w, &st)) {
			close(cfd);
			errno = EBUSY;
			path_append(w, lv->path_len, name);
			return error_set(err, EBUSY, w->veid, w->step, NULL,
					 "'%s' is a mount point; unmount it before removing the "
					 "tree",
					 w->path);
		}
		int r = push_dir(w, cfd, &st, name);
		if (r < 0)
			return error_set(err, -r, w->veid, w->step, NULL, "out of memory");
		continue;
fail_entry : {
	int e = errno;
	if (path_append(w, lv->path_len, name) < 0)
		return error_set(err, ENOMEM, w->veid, w->step, NULL, "out of memory");
	return error_set(err, e, w->veid, w->step, NULL, "cannot remove '%s': %s", w->path,
			 strerror(e));
}
	}
}

int fs_remove_tree_at(int dirfd, const char *name, unsigned int veid, enum vzl_step step,
		      vzl_error **err)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return error_set(err, errno, veid, step, NULL, "cannot examine '%s': %m", name);
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return error_set(err, errno, veid, step, NULL, "cannot remove '%s': %m",
					 name);
		return 0;
	}

	int fd = openat(dirfd, name, DIR_FLAGS);
	struct stat st2;
	if (fd < 0 || fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
		int e = fd < 0 ? errno : EBUSY;
		if (fd >= 0)
			close(fd);
		return error_set(err, e, veid, step, NULL, "cannot open directory '%s': %s", name,
				 strerror(e));
	}

	struct rm_walk w = { .dev = st.st_dev, .veid = veid, .step = step };
	int r = find_mounts(&w, fd);
	if (r < 0) {
		close(fd);
		return error_set(err, -r, veid, step, NULL,
				 "cannot read the mount table to keep the removal of '%s' off "
				 "mount points: %s; mount /proc",
				 name, strerror(-r));
	}
	/* Nothing of a tree with a mount point in it is removed: refused before the walk. */
	if (w.first_mount) {
		close(fd);
		r = error_set(err, EBUSY, veid, step, NULL,
			      "'%s' is a mount point inside '%s'; unmount it (umount '%s') "
			      "before removing the tree; nothing was removed",
			      w.first_mount, name, w.first_mount);
		free(w.mounts);
		free(w.first_mount);
		return r;
	}
	r = push_dir(&w, fd, &st, name);
	if (r < 0)
		r = error_set(err, -r, veid, step, NULL, "out of memory");
	else
		r = rm_contents(&w, err);
	for (size_t i = 0; i < w.n_lv; i++)
		if (w.lv[i].d)
			closedir(w.lv[i].d);
	free(w.lv);
	free(w.path);
	free(w.mounts);
	free(w.first_mount);
	if (r < 0)
		return r;
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return error_set(err, errno, veid, step, NULL, "cannot remove directory '%s': %m",
				 name);
	return 0;
}

int fs_remove_tree(const char *path, unsigned int veid, enum vzl_step step, vzl_error **err)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	_cleanup_free_ char *copy = strndup(path, n);
	if (!copy)
		return error_set(err, ENOMEM, veid, step, NULL, "out of memory");

	char *slash = strrchr(copy, '/');
	const char *base = slash ? slash + 1 : copy;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return error_set(err, EINVAL, veid, step, NULL,
				 "refusing to remove '%s': it must name a directory entry", path);

	_cleanup_close_ int dfd = -1;
	if (slash) {
		*slash = '\0';
		dfd = open(slash == copy ? "/" : copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			if (errno == ENOENT)
				return 0;
			return error_set(err, errno, veid, step, NULL, "cannot open '%s': %m",
					 slash == copy ? "/" : copy);
		}
	}
	return fs_remove_tree_at(slash ? dfd : AT_FDCWD, base, veid, step, err);
}

int fs_mkdir_parents(const char *path, mode_t mode)
{
	_cleanup_free_ char *p = strdup(path);
	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return mkdir(p, mode) < 0 ? -errno : 0;
}

int fs_syncfs(int fd)
{
	if (syncfs(fd) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	sync();
	return 0;
}

int fs_dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return -errno;
	struct dirent *e;
	int found = 0;
	while (!found && (e = readdir(d)))
		found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return found;
}
