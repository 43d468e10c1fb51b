/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mount and umount (vzctl-behaviour.md §3.9) as step rows, reused by start and stop:
 * the root directory made if missing, [the quota on], then VE_PRIVATE mounted on VE_ROOT
 * with simfs as vzctl mounts it: mount(VE_PRIVATE, VE_ROOT, "simfs", 0, VE_PRIVATE) (the
 * kernel's simfs looks the data string up as the private directory). No .mount/.umount
 * action scripts run: vzlite executes no program (README, "deliberately differs").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "mountinfo.h"
#include "ve-run.h"
#include "ve-state.h"

static int check_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	struct stat st;
	if (stat(op->priv, &st) < 0 || !S_ISDIR(st.st_mode))
		return error_set(err, ENOENT, op->ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "the private area %s of VE %u does not exist", op->priv,
				 op->ve->id);
	/* The root is a mount point: a link planted there would move the mount elsewhere. */
	if (lstat(op->root, &st) == 0 && !S_ISDIR(st.st_mode))
		return error_set(err, ENOTDIR, op->ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "VE_ROOT %s of VE %u is not a directory; remove it", op->root,
				 op->ve->id);
	op->was_mounted = ve_is_mounted(op->root, op->priv) == 1;
	return 0;
}

static void check_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "check that %s exists and whether it is mounted on %s", op->priv, op->root);
}

const struct step mount_row_check = {
	.name = "check private area",
	.error_step = VZL_STEP_PATH,
	.flags = STEP_CHECKS,
	.run = check_run,
	.describe = check_describe,
};

static bool when_not_mounted(const void *o)
{
	return !((const struct ve_run *)o)->was_mounted;
}

static int root_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (mkdir(op->root, 0755) == 0)
		op->made_root = true;
	else if (errno != EEXIST)
		return error_set(err, errno, op->ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "cannot make the root %s of VE %u: %m", op->root, op->ve->id);
	return 0;
}

static int root_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (op->made_root && rmdir(op->root) < 0 && errno != ENOENT)
		return error_set(err, errno, op->ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "cannot remove %s: %m", op->root);
	op->made_root = false;
	return 0;
}

static void root_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "mkdir %s if missing", ((const struct ve_run *)o)->root);
}

const struct step mount_row_root = {
	.name = "root",
	.error_step = VZL_STEP_PATH,
	.when = when_not_mounted,
	.run = root_run,
	.undo = root_undo,
	.describe = root_describe,
};

/*
 * Unmount everything at or below the root, the deepest (last listed) first, then the
 * root itself, as vzctl's fsumount: no lazy unmount, no retries.
 */
struct below {
	char **v;
	size_t n;
};

static int collect(const char *mp, void *userdata)
{
	struct below *b = userdata;
	char **v = realloc(b->v, (b->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	b->v = v;
	if (!(v[b->n] = strdup(mp)))
		return -ENOMEM;
	b->n++;
	return 0;
}

static int unmount_all(struct ve_run *op, vzl_error **err)
{
	_cleanup_free_ char *canon = realpath(op->root, NULL);
	struct below b = { 0 };
	int r = canon ? mounts_below(canon, collect, &b) : -errno;
	for (size_t i = b.n; r == 0 && i-- > 0;)
		if (umount(b.v[i]) < 0)
			r = error_set(err, errno, op->ve->id, VZL_STEP_MOUNT, NULL,
				      "cannot unmount %s of VE %u: %m", b.v[i], op->ve->id);
	for (size_t i = 0; i < b.n; i++)
		free(b.v[i]);
	free(b.v);
	if (r < 0 && !*err)
		r = error_set(err, -r, op->ve->id, VZL_STEP_MOUNT, NULL,
			      "cannot read the mounts below %s: %s", op->root, strerror(-r));
	return r;
}

static int simfs_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	if (mount(op->priv, op->root, "simfs", 0, op->priv) < 0) {
		int e = errno;
		return error_set(err, e, op->ve->id, VZL_STEP_MOUNT, NULL,
				 "cannot mount %s on %s with simfs: %s%s", op->priv, op->root,
				 strerror(e),
				 e == ENODEV ? "; load the simfs module (modprobe simfs)" : "");
	}
	return 0;
}

static int simfs_undo(void *o, vzl_error **err)
{
	return unmount_all(o, err);
}

static void simfs_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "mount(\"%s\", \"%s\", \"simfs\", 0, \"%s\")", op->priv, op->root,
		  op->priv);
}

const struct step mount_row_simfs = {
	.name = "mount",
	.error_step = VZL_STEP_MOUNT,
	.when = when_not_mounted,
	.run = simfs_run,
	.undo = simfs_undo,
	.describe = simfs_describe,
};

static int umount_check_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = ve_kernel_lists(op->ve, err);
	if (r < 0)
		return r;
	if (r > 0)
		return error_set(err, EBUSY, op->ve->id, VZL_STEP_STATE, NULL,
				 "VE %u is running; stop it first", op->ve->id);
	op->was_mounted = ve_is_mounted(op->root, op->priv) == 1;
	return 0;
}

static void umount_check_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "refuse if VE %u runs; is %s mounted?", op->ve->id, op->root);
}

const struct step umount_row_check = {
	.name = "check",
	.error_step = VZL_STEP_STATE,
	.flags = STEP_CHECKS,
	.run = umount_check_run,
	.describe = umount_check_describe,
};

static bool when_mounted(const void *o)
{
	return ((const struct ve_run *)o)->was_mounted;
}

static int unmount_run(void *o, vzl_error **err)
{
	return unmount_all(o, err);
}

static void unmount_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "unmount everything below %s, deepest first, then %s",
		  ((const struct ve_run *)o)->root, ((const struct ve_run *)o)->root);
}

/* The quota-off row (run-quota.c) goes after this one (vzctl: vzquota off last). */
const struct step umount_row_unmount = {
	.name = "unmount",
	.error_step = VZL_STEP_MOUNT,
	.when = when_mounted,
	.run = unmount_run,
	.describe = unmount_describe,
};

/*
 * The mount table. vzctl turns the quota on between the root and the mount (§3.9;
 * `vzquota on` unless DISK_QUOTA=no); the quota-on row's undo (quota off) turns it off
 * again when the mount fails.
 */
static const struct step *const mount_table[] = {
	&mount_row_check,
	&mount_row_root,
	&mount_row_quota_on,
	&mount_row_simfs,
};

VZL_API int vzl_ve_mount(vzl_ve *ve, vzl_error **err)
{
	struct ve_run op;
	int r = ve_run_open(&op, ve, err);
	if (r == 0)
		r = ve_run_table(&op, mount_table, ELEMENTSOF(mount_table), err);
	if (r == 0 && op.was_mounted)
		log_info(ve->ctx, "VE %u is already mounted", ve->id);
	ve_run_done(&op);
	return r;
}

static const struct step *const umount_table[] = {
	&umount_row_check,
	&umount_row_unmount,
	&umount_row_quota_off,
};

VZL_API int vzl_ve_umount(vzl_ve *ve, vzl_error **err)
{
	struct ve_run op;
	int r = ve_run_open(&op, ve, err);
	if (r == 0)
		r = ve_run_table(&op, umount_table, ELEMENTSOF(umount_table), err);
	if (r == 0 && !op.was_mounted)
		r = error_set(err, ENXIO, ve->id, VZL_STEP_MOUNT, NULL, "VE %u is not mounted",
			      ve->id);
	ve_run_done(&op);
	return r;
}
