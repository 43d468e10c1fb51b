/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writing into a VE's tree from the host (device nodes, quota links) without ever following
 * a link the VE's root planted: every directory is opened beneath the root one component at
 * a time with O_NOFOLLOW (fs_open_dir_beneath), and entries are made with mknodat/symlinkat/
 * openat(O_NOFOLLOW) relative to it, so a symbolic link at the entry or on its way is never
 * followed. What was made where nothing stood is recorded, so a failed start can remove it.
 */
#ifndef VZL_VE_TREE_H
#define VZL_VE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vzlite.h"

/* Entries made in a VE's tree, relative to its root ("dev/tun"), in the order made. */
struct ve_made {
	char **paths;
	size_t n;
};

/* Remove the recorded entries, last first, and forget them. Failures are returned as the
 * first -errno (and the rest is still tried). */
int ve_made_undo(int rootfd, struct ve_made *made);
void ve_made_free(struct ve_made *made);

/*
 * vzctl's create_static_dev (§5.6, kolyshkin/vzctl dev.c): the node `name` (a base name) of
 * type and mode `mode` and number `rdev` in the VE's /dev and in each of /usr/lib/udev/devices,
 * /lib/udev/devices, /etc/udev/devices that exists, plus /etc/tmpfiles.d/device-ALIAS.conf
 * (ALIAS = `alias` or `name`) when /etc/tmpfiles.d exists. An entry that already is that node
 * is left alone; another one is replaced, as vzctl does (not restored by an undo). With
 * `remove`, the nodes and the tmpfiles.d entry are removed instead. A /dev that is a symbolic
 * link or not a directory is an error (-ELOOP, -ENOTDIR); the other directories are then
 * skipped. `what` labels errors (the parameter: "DEVNODES", "QUOTAUGIDLIMIT").
 */
int ve_tree_node(int rootfd, const char *name, const char *alias, mode_t mode, dev_t rdev,
		 bool remove, struct ve_made *made, unsigned veid, const char *what,
		 vzl_error **err);

/* A symbolic link `path` (relative to the root, in an existing directory) pointing to `target`:
 * an existing entry other than that link is replaced, as vzctl unlinks it first. */
int ve_tree_symlink(int rootfd, const char *path, const char *target, struct ve_made *made,
		    unsigned veid, const char *what, vzl_error **err);

#endif
