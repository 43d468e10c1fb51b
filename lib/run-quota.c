/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The disk quota's rows of mount, start, stop and umount (vzctl-behaviour.md §3.2, §3.3,
 * §3.9), unless DISK_QUOTA=no: quota on before the simfs mount (start: with DISKSPACE and
 * DISKINODES raised by 100, so the setup can write to a full VE), undone by quota off when
 * a later step fails; at the end of a start the configured limits back; quota off after
 * the unmount. Each row runs the quota operation's own step table (quota-on.c,
 * quota-off.c) under the lock the operation already holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "error.h"
#include "quota.h"
#include "ve-run.h"

static bool quota_wanted(const struct ve_run *op)
{
	const struct ve_opt_bool *q = &op->spec.disk.quota;
	return !(q->set && !q->value);
}

/* Is there a quota file for the VE? Without one, quota on begins with vzquota's init. */
static bool quota_file_exists(const struct ve_run *op)
{
	char p[4096];
	int n = snprintf(p, sizeof(p), "%s/quota.%u", op->ve->ctx->paths[VZL_PATH_QUOTA_DIR],
			 op->ve->id);
	return n > 0 && (size_t)n < sizeof(p) && access(p, F_OK) == 0;
}

static int on_with(struct ve_run *op, uint64_t raise, vzl_error **err)
{
	bool had_file = quota_file_exists(op);
	int r = quota_on_cfg(op->ve, op->cfg, 0, raise, NULL, NULL, err);
	if (r < 0 && !had_file)
		error_set_param(err, "init"); /* vzctl: its `vzquota init` failed, exit 61 */
	if (r < 0)
		return r;
	op->quota_turned_on = r != 2; /* 2: it was on already; its limits were set */
	op->quota_raised = raise != 0;
	return 0;
}

/* Undo: the configured limits back (so the file stores them), then off if we turned it on. */
static int on_undo(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = 0;
	if (op->quota_raised) {
		vzl_error *e = NULL;
		if (quota_setlimit_cfg(op->ve, op->cfg, &e) < 0)
			log_warning(op->ve->ctx, "VE %u: %s", op->ve->id, vzl_error_message(e));
		vzl_error_free(e);
	}
	if (op->quota_turned_on)
		r = quota_off_cfg(op->ve, op->cfg, err);
	op->quota_turned_on = op->quota_raised = false;
	return r < 0 ? r : 0;
}

static void on_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "disk quota %u on for %s", op->ve->id, op->priv);
}

static bool when_mount_quota(const void *o)
{
	const struct ve_run *op = o;
	return !op->was_mounted && quota_wanted(op);
}

static int mount_on_run(void *o, vzl_error **err)
{
	return on_with(o, 0, err);
}

/* STEP_RECORDS: the quota table's own engine walks its rows in a dry run (their calls). */
const struct step mount_row_quota_on = {
	.name = "quota on",
	.error_step = VZL_STEP_QUOTA,
	.flags = STEP_RECORDS,
	.when = when_mount_quota,
	.run = mount_on_run,
	.undo = on_undo,
	.describe = on_describe,
};

static int start_on_run(void *o, vzl_error **err)
{
	return on_with(o, QUOTA_START_RAISE, err);
}

static void start_on_describe(const void *o, struct step_plan *plan)
{
	const struct ve_run *op = o;
	step_line(plan, "disk quota %u on for %s, DISKSPACE and DISKINODES raised by %d",
		  op->ve->id, op->priv, QUOTA_START_RAISE);
}

const struct step start_row_quota_on = {
	.name = "quota on",
	.error_step = VZL_STEP_QUOTA,
	.flags = STEP_RECORDS,
	.when = when_mount_quota,
	.run = start_on_run,
	.undo = on_undo,
	.describe = start_on_describe,
};

static bool when_quota(const void *o)
{
	return quota_wanted(o);
}

/* §3.2 step 10.11: vzctl's `vzquota setlimit` even when the VE was mounted already. */
static int limits_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = quota_setlimit_cfg(op->ve, op->cfg, err);
	if (r == 0)
		op->quota_raised = false;
	else
		error_set_param(err,
				"setlimit"); /* vzctl: its `vzquota setlimit` failed, exit 62 */
	return r;
}

static void limits_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "disk quota %u: the configured limits back",
		  ((const struct ve_run *)o)->ve->id);
}

const struct step start_row_quota_limits = {
	.name = "quota limits",
	.error_step = VZL_STEP_QUOTA,
	.flags = STEP_RECORDS,
	.when = when_quota,
	.run = limits_run,
	.describe = limits_describe,
};

static int off_run(void *o, vzl_error **err)
{
	struct ve_run *op = o;
	int r = quota_off_cfg(op->ve, op->cfg, err);
	return r < 0 ? r : 0;
}

static void off_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "disk quota %u off, its usage saved", ((const struct ve_run *)o)->ve->id);
}

static bool when_umount_quota(const void *o)
{
	const struct ve_run *op = o;
	return op->was_mounted && quota_wanted(op);
}

const struct step umount_row_quota_off = {
	.name = "quota off",
	.error_step = VZL_STEP_QUOTA,
	.flags = STEP_RECORDS,
	.when = when_umount_quota,
	.run = off_run,
	.describe = off_describe,
};

static bool when_stop_quota(const void *o)
{
	const struct ve_run *op = o;
	return op->was_mounted && !op->skip_umount && !op->nothing_to_stop && quota_wanted(op);
}

const struct step stop_row_quota_off = {
	.name = "quota off",
	.error_step = VZL_STEP_QUOTA,
	.flags = STEP_RECORDS,
	.when = when_stop_quota,
	.run = off_run,
	.describe = off_describe,
};

/* ve-cleanup.c: a VE that stopped from inside; also when a killed start never mounted it */
static bool when_cleanup_quota(const void *o)
{
	const struct ve_run *op = o;
	return op->stopped_inside && quota_wanted(op);
}

const struct step cleanup_row_quota_off = {
	.name = "quota off",
	.error_step = VZL_STEP_QUOTA,
	.flags = STEP_RECORDS,
	.when = when_cleanup_quota,
	.run = off_run,
	.describe = off_describe,
};
