/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VE's side of the second-level disk quota at start (vzctl-behaviour.md §3.2 step 10.8,
 * §4.5; kolyshkin/vzctl res.c vps_2quota_perm, script.c mk_vzquota_link), when the quota is
 * on and QUOTAUGIDLIMIT > 0, with init still held:
 *  - VZCTL_SETDEVPERMS: the VE may manage quota ('q', S_IXGRP) on its root's device (the
 *    simfs superblock: st_dev of VE_ROOT);
 *  - in the VE's tree: the block node /dev/simfs of that number, mode bits 010 (also in the
 *    udev directories it has, and /etc/tmpfiles.d/device-root.conf), and the links
 *    /aquota.user and /aquota.group to /proc/vz/vzaquota/<dev as %08lx>/aquota.*, which the
 *    VE's quota tools open.
 * vzctl writes these from a process entered into the VE; vzlite writes them from the host
 * beneath the root without following any link (ve-tree.h), which reaches the same files.
 * What this start made is removed when a later step fails. vzctl's dist script (mtab line,
 * /etc/init.d/vzquota) is not run: vzlite runs no scripts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "kernel.h"
#include "ve-run.h"

#define PARAM "QUOTAUGIDLIMIT"

static bool when_ugid(const void *o)
{
	const struct ve_run *op = o;
	const struct ve_spec_disk *d = &op->spec.disk;
	bool quota = !(d->quota.set && !d->quota.value);
	return quota && d->quotaugidlimit.set && d->quotaugidlimit.value > 0;
}

static int ugid_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (!op->quota_made.n)
		return 0;
	int rootfd = open(op->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = rootfd < 0 ? -errno : ve_made_undo(rootfd, &op->quota_made);
	if (rootfd >= 0)
		close(rootfd);
	ve_made_free(&op->quota_made);
	return r < 0 ? error_set(err, -r, op->ve->id, VZL_STEP_NONE, PARAM,
				 "VE %u: cannot remove /dev/simfs or /aquota.* made by this start "
				 "in %s: %s",
				 op->ve->id, op->root, strerror(-r))
		     : 0;
}

static int in_tree(struct ve_run *op, dev_t dev, vzl_error **err)
{
	unsigned veid = op->ve->id;
	int rootfd = open(op->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return error_set(err, errno, veid, VZL_STEP_NONE, PARAM,
				 "VE %u: cannot open its root %s: %m", veid, op->root);
	int r = ve_tree_node(rootfd, "simfs", "root", S_IFBLK | S_IXGRP, dev, false,
			     &op->quota_made, veid, PARAM, err);
	static const char *const kinds[] = { "user", "group" };
	for (int i = 0; r == 0 && i < 2; i++) {
		char link[32], target[64];
		snprintf(link, sizeof(link), "aquota.%s", kinds[i]);
		snprintf(target, sizeof(target), "/proc/vz/vzaquota/%08lx/aquota.%s",
			 (unsigned long)dev, kinds[i]);
		r = ve_tree_symlink(rootfd, link, target, &op->quota_made, veid, PARAM, err);
	}
	close(rootfd);
	return r;
}

static int ugid_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	struct kernel *k = &op->ve->ctx->kernel;
	unsigned veid = op->ve->id;
	struct stat st;
	if (stat(op->root, &st) < 0)
		return error_set(err, errno, veid, VZL_STEP_NONE, PARAM,
				 "VE %u: cannot stat %s: %m", veid, op->root);
	unsigned maj = major(st.st_dev), min = minor(st.st_dev);
	/* the kernel's new_encode_dev, as for DEVICES */
	unsigned dev = (min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12);
	int r = kernel_setdevperms(k, veid, S_IFBLK | VE_USE_MINOR, dev, S_IXGRP);
	if (r < 0)
		return error_set(
			err, -r, veid, VZL_STEP_NONE, PARAM,
			"VE %u: VZCTL_SETDEVPERMS for its root's device %u:%u (second-level "
			"quota) failed: %s",
			veid, maj, min, strerror(-r));
	if (kernel_is_dry_run(k))
		return 0;
	r = in_tree(op, st.st_dev, err);
	if (r < 0)
		ugid_undo(op, NULL); /* this row failed: the engine undoes only earlier ones */
	return r;
}

/* STEP_RECORDS: the permission call is printed by the kernel backend in a dry run. */
const struct step start_row_quota_ugid = {
	.name = "second-level quota",
	.error_step = VZL_STEP_NONE,
	.flags = STEP_RECORDS,
	.when = when_ugid,
	.run = ugid_run,
	.undo = ugid_undo,
};
