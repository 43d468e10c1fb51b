/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mount points from /proc/self/mountinfo (2.6.26+). A bind mount of a directory of the same
 * filesystem has the same st_dev as its parent, so only the mount table tells it apart.
 */
#ifndef VZL_MOUNTINFO_H
#define VZL_MOUNTINFO_H

#include <stddef.h>

/*
 * Call fn(mount_point, userdata) for every mount point equal to `dir` or below it, in the
 * order of the mount table; `dir` must be absolute and canonical (realpath). fn returns 0 to
 * go on, anything else stops the walk and is returned. The mount point is the decoded path
 * (mountinfo writes space, tab, newline and backslash as \040 \011 \012 \134).
 * Returns 0, fn's value, or -errno when the table cannot be read.
 */
int mounts_below(const char *dir, int (*fn)(const char *mount_point, void *userdata),
		 void *userdata);

/*
 * The first mount point at or below `path` (made canonical here; a missing path has none),
 * malloc()ed into *ret. Returns 1 (found), 0 (none) or -errno (the table or the path cannot
 * be read).
 */
int mount_first_below(const char *path, char **ret);

#endif
