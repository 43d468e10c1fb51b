/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Walking and removing trees without ever following a symbolic link (2.6.32: no openat2). */
#ifndef VZL_FSUTIL_H
#define VZL_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "vzlite.h"

/*
 * Split `name`, a relative path from an archive or a config, into clean components:
 * "./a//b/" -> "a/b". The result goes to out[0..outsz) with its length in *ret_len ("" is
 * the starting directory itself). Returns -EINVAL for an absolute path or a ".." component
 * (with *ret_why saying which), -ENAMETOOLONG when it does not fit.
 */
int fs_path_clean(const char *name, char *out, size_t outsz, size_t *ret_len, const char **ret_why);

/*
 * Open the directory `path` (clean, as fs_path_clean makes it; "" is dirfd itself, dup'ed)
 * below `dirfd`, one component at a time with O_NOFOLLOW | O_DIRECTORY, so no symbolic link
 * is followed and ".." never appears. Returns the new fd (O_CLOEXEC) or -errno: -ELOOP or
 * -ENOTDIR when a component is a symbolic link or not a directory, and then *ret_bad_len
 * (if non-NULL) is the length of the prefix of `path` that names it.
 */
int fs_open_dir_beneath(int dirfd, const char *path, size_t *ret_bad_len);

/*
 * Remove `path` and everything below it, like `rm -rf`, but:
 * - a symbolic link is removed itself, never followed (also when `path` is one);
 * - each directory is opened with openat(O_NOFOLLOW | O_DIRECTORY) from its parent and
 *   its entries are removed with unlinkat() relative to it, so a tree being changed under
 *   the walk cannot make it leave the tree;
 * - it never descends into a mount point, also not a bind mount of the same filesystem
 *   (found in /proc/self/mountinfo): one inside the tree, or the tree itself, is an error,
 *   -EBUSY, and is left alone; an unreadable mount table is an error too;
 * - it holds at most a fixed number of directories open, whatever the depth.
 * A missing `path` is success. `veid` and `step` only label the error.
 */
int fs_remove_tree(const char *path, unsigned int veid, enum vzl_step step, vzl_error **err);

/*
 * `mkdir -p`: the missing parents of `path` are made 0755, `path` itself with `mode`.
 * Returns 0 when `path` was made, -EEXIST when it already existed, or -errno.
 */
int fs_mkdir_parents(const char *path, mode_t mode);

/* Does the directory `path` hold any entry? 1 yes, 0 no (empty), -errno if unreadable. */
int fs_dir_has_entries(const char *path);

/*
 * Flush the whole filesystem holding `fd` to disk: syncfs(2), or sync() where the kernel
 * has none (it came in 2.6.39; 042stab has it, kernel-abi.md §15.3). 0 or -errno.
 */
int fs_syncfs(int fd);

/* The same for the entry `name` of the directory `dirfd`. */
int fs_remove_tree_at(int dirfd, const char *name, unsigned int veid, enum vzl_step step,
		      vzl_error **err);

#endif
