/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Turning a VE's disk quota off and dropping it, as `vzquota off` and `vzquota drop` do
 * (vzctl-behaviour.md §4.2): the usage the kernel kept is read back and saved in the file
 * with the quota marked off, then the kernel's quota is destroyed. A failure after the
 * kernel turned it off destroys it (the kernel cannot turn a quota on again once off) and
 * leaves the file as it was: still marked on, so the next `on` rescans.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kernel.h"
#include "macro.h"
#include "quota.h"
#include "step.h"

static int open_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = quota_op_open(op, op->for_umount ? QUOTA_OP_MAY_BE_MISSING : QUOTA_OP_EXISTING,
			      err);
	if (r == 0)
		r = quota_op_kernel_state(op, err);
	if (r == 0 && op->fresh && op->state != QUOTA_ABSENT && !kernel_is_dry_run(op->k))
		return error_set(err, ENOENT, op->veid, VZL_STEP_QUOTA, NULL,
				 "the disk quota of VE %u is in the kernel but %s/quota.%u is "
				 "missing; turn it off with 'vzlite quota %u off' after 'vzlite "
				 "quota %u init'",
				 op->veid, op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid,
				 op->veid, op->veid);
	/* Known but not on: what an interrupted on or off left; its usage cannot be trusted */
	if (r == 0 && op->state != QUOTA_ABSENT && op->state != VZDQ_WORKING)
		op->file.flags |= QUOTA_FILE_DIRTY;
	return r;
}

static void open_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "open and lock %s/quota.%u, read it",
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static bool when_working(const void *o)
{
	return ((const struct quota_op *)o)->state == VZDQ_WORKING;
}

static bool when_known(const void *o)
{
	return ((const struct quota_op *)o)->state != QUOTA_ABSENT;
}

static int off_call(struct quota_op *op, int cmd, const char *name, vzl_error **err)
{
	char busy[QUOTA_BUSY_BUF] = "";
	int r = 0;
	for (int attempt = 0; attempt <= QUOTA_BUSY_RETRIES; attempt++) {
		if (attempt)
			quota_busy_sleep(attempt);
		char *buf = attempt == QUOTA_BUSY_RETRIES ? busy : NULL;
		r = kernel_quota_ctl(op->k, cmd, op->veid, NULL, buf);
		if (r != -EBUSY)
			break;
	}
	if (r == -EBUSY)
		return error_set(err, EBUSY, op->veid, VZL_STEP_QUOTA, NULL,
				 "the disk quota of VE %u cannot be turned off: %s is busy (files "
				 "open or a working directory under it; first busy file: %s); "
				 "stop what uses it and try again",
				 op->veid, op->spec.private_dir, quota_busy_first(busy));
	if (r == -EALREADY || r == -EIO) {
		/* vzquota: broken or exceeded; destroyed below, the file marked dirty */
		op->file.flags |= QUOTA_FILE_DIRTY;
		op->state = VZDQ_STOPING;
		return 0;
	}
	if (r < 0)
		return quota_call_failed(op, name, r, err);
	op->was_on = true;
	return 0;
}

static int off_run(void *o, vzl_error **err)
{
	return off_call(o, VZ_DQ_OFF, "VZ_DQ_OFF", err);
}

/* Once off, the kernel's quota cannot go back on: it goes, and the file stays as it was. */
static int destroy_undo(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = kernel_quota_ctl(op->k, VZ_DQ_DESTROY, op->veid, NULL, NULL);
	return r < 0 && r != -ENOENT ? quota_call_failed(op, "VZ_DQ_DESTROY", r, err) : 0;
}

static bool when_read(const void *o)
{
	return ((const struct quota_op *)o)->was_on;
}

static int read_run(void *o, vzl_error **err)
{
	return quota_op_read_kernel(o, err);
}

static int destroy_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = kernel_quota_ctl(op->k, VZ_DQ_DESTROY, op->veid, NULL, NULL);
	return r < 0 && r != -ENOENT ? quota_call_failed(op, "VZ_DQ_DESTROY", r, err) : 0;
}

/* Written when there is something to save: the usage, or a QUOTA_ON flag to repair */
static bool when_write(const void *o)
{
	const struct quota_op *op = o;
	if (op->fresh) /* umount: no file, and nothing in the kernel */
		return false;
	return op->state != QUOTA_ABSENT || (op->file.flags & QUOTA_FILE_ON);
}

static int write_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	op->file.flags &= ~(uint32_t)QUOTA_FILE_ON;
	return quota_op_write(op, err);
}

static void write_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "save the usage in %s/quota.%u, marked off",
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static const struct step off_steps[] = {
	{ .name = "open quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_CHECKS,
	  .run = open_run,
	  .describe = open_describe },
	{ .name = "quota off",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_working,
	  .run = off_run,
	  .undo = destroy_undo },
	{ .name = "read usage",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_read,
	  .run = read_run },
	{ .name = "destroy quota",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_known,
	  .run = destroy_run },
	{ .name = "write quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .when = when_write,
	  .run = write_run,
	  .describe = write_describe },
};

static int off_cfg(vzl_ve *ve, const vzl_config *cfg, unsigned flags, bool for_umount,
		   vzl_error **err)
{
	struct quota_op op = { .flags = flags, .for_umount = for_umount };
	int r = quota_op_load(&op, ve, cfg, false, err);
	if (r == 0)
		r = step_run(ve->ctx, ve->id, off_steps, ELEMENTSOF(off_steps), &op, err);
	if (r == 0)
		r = op.was_on ? 1 : 0;
	quota_op_done(&op);
	return r;
}

VZL_API int vzl_ve_quota_off(vzl_ve *ve, unsigned flags, vzl_error **err)
{
	return off_cfg(ve, NULL, flags, false, err);
}

int quota_off_cfg(vzl_ve *ve, const vzl_config *cfg, vzl_error **err)
{
	return off_cfg(ve, cfg, 0, true, err);
}

/* ---- drop ---------------------------------------------------------------------------- */

static int drop_check_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = open_run(o, err);
	if (r == 0 && op->state == VZDQ_WORKING && !(op->flags & VZL_QUOTA_FORCE))
		return error_set(err, EBUSY, op->veid, VZL_STEP_QUOTA, NULL,
				 "the disk quota of VE %u is on; turn it off with 'vzlite quota %u "
				 "off' first (or drop it with --force, losing its usage)",
				 op->veid, op->veid);
	return r;
}

static int drop_off_run(void *o, vzl_error **err)
{
	return off_call(o, VZ_DQ_OFF_FORCED, "VZ_DQ_OFF_FORCED", err);
}

static int unlink_run(void *o, vzl_error **err)
{
	return quota_handle_unlink(((struct quota_op *)o)->h, err);
}

static void unlink_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "remove %s/quota.%u", op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static const struct step drop_steps[] = {
	{ .name = "open quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_CHECKS,
	  .run = drop_check_run,
	  .describe = open_describe },
	{ .name = "quota off",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_working,
	  .run = drop_off_run },
	{ .name = "destroy quota",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_known,
	  .run = destroy_run },
	{ .name = "remove quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .run = unlink_run,
	  .describe = unlink_describe },
};

VZL_API int vzl_ve_quota_drop(vzl_ve *ve, unsigned flags, vzl_error **err)
{
	struct quota_op op = { .flags = flags };
	int r = quota_op_load(&op, ve, NULL, false, err);
	if (r == 0)
		r = step_run(ve->ctx, ve->id, drop_steps, ELEMENTSOF(drop_steps), &op, err);
	quota_op_done(&op);
	return r < 0 ? r : 0;
}
