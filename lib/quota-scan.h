/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The disk usage of a private area, counted as vzquota's quotacheck counts it
 * (vzctl-behaviour.md §4.6 "Scan algorithm"), per uid and gid too for the second level.
 */
#ifndef VZL_QUOTA_SCAN_H
#define VZL_QUOTA_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "quota-file.h"
#include "vzlite.h"

struct quota_ugid_usage {
	uint32_t type; /* enum quota_type */
	uint32_t id;
	uint64_t space; /* bytes */
	uint64_t inodes;
};

struct quota_scan_result {
	uint64_t space;                /* bytes */
	uint64_t inodes;               /* entries, the root included, each inode once */
	uint64_t entries;              /* directory entries seen (hard links counted each time) */
	struct quota_ugid_usage *ugid; /* with QUOTA_SCAN_UGID: users then groups, by id */
	size_t n_ugid;
	int inexact; /* FIOQSIZE failed somewhere: st_blocks was used there (vzquota warns) */
};

/* Sum per uid and per gid as well. */
#define QUOTA_SCAN_UGID 0x1
/*
 * Ask the filesystem for each file's space with FIOQSIZE, as vzquota does, even where the
 * allocated blocks of stat() are known to be the same number (ext2/3/4 once synced, tmpfs).
 */
#define QUOTA_SCAN_EXACT 0x2

/*
 * Called every few thousand entries and once at the end with the number seen so far;
 * returning non-zero stops the scan (-ECANCELED).
 */
typedef int (*quota_scan_progress_fn)(uint64_t entries_seen, void *userdata);

/*
 * Walk the tree at `root` (the root itself may be a symbolic link, as vzquota stats it; below
 * it none is followed) and count, once per inode: one inode and its space in bytes, from
 * FIOQSIZE for regular files and directories (st_blocks x 512 when the ioctl fails, or on
 * filesystems where that is the same number) and st_blocks x 512 for everything else.
 * An entry on another device (a mount point) is -EXDEV, naming it; the walk never leaves
 * the filesystem. Errors are VZL_STEP_QUOTA labelled with `veid`.
 */
int quota_scan(const char *root, unsigned int flags, quota_scan_progress_fn progress,
	       void *userdata, unsigned int veid, struct quota_scan_result *ret, vzl_error **err);

void quota_scan_result_clear(struct quota_scan_result *r);

/*
 * Put a scan's usage into a quota file as vzquota does after its scan: the totals into the
 * first level; with a per-uid/gid scan, every record's usage is replaced (records not seen
 * get zero), new records are added, and records left with no usage and no limit are dropped.
 * -EOVERFLOW when the inode count does not fit the file's 32 bits; -ENOMEM.
 */
int quota_scan_apply(const struct quota_scan_result *s, struct quota_file *q);

#endif
