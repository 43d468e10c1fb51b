/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Turning a VE's disk quota on, as `vzquota on` does (vzctl-behaviour.md §4.2, §4.6;
 * kernel-abi.md §6): the file read under its lock, the usage rescanned when the file cannot
 * be trusted, the quota created in the kernel with that usage and the config's limits, its
 * second level loaded, attached to the private area, and the file marked on. The file is
 * written last, so a failure before leaves it unchanged; the kernel's quota is undone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "kernel.h"
#include "macro.h"
#include "quota.h"
#include "step.h"

/* vzctl's quota_inc: each limit up by `raise`, but one at LONG_MAX (vzctl's unlimited) */
static void raise_one(uint64_t *v, uint64_t by)
{
	if (*v <= UINT64_MAX - by)
		*v += by;
}

static void raise_limits(struct quota_op *op)
{
	struct quota_stat *s = &op->file.stat;
	const struct ve_spec_disk *d = &op->spec.disk;
	if (d->space.soft < (uint64_t)LONG_MAX)
		raise_one(&s->bsoftlimit, op->raise * 1024);
	if (d->space.hard < (uint64_t)LONG_MAX)
		raise_one(&s->bhardlimit, op->raise * 1024);
	if (d->inodes.soft < (uint64_t)LONG_MAX && s->isoftlimit <= UINT32_MAX - op->raise)
		s->isoftlimit += (uint32_t)op->raise;
	if (d->inodes.hard < (uint64_t)LONG_MAX && s->ihardlimit <= UINT32_MAX - op->raise)
		s->ihardlimit += (uint32_t)op->raise;
}

static int open_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = quota_op_open(op, QUOTA_OP_CREATE, err);
	if (r == 0)
		r = quota_op_kernel_state(op, err);
	if (r < 0)
		return r;
	/* Decide the rescan (vzquota on): the file's flags, its path, or the caller */
	const struct quota_file *q = &op->file;
	if (op->fresh)
		op->rescan_why = "there is no quota file yet";
	else if (q->flags & QUOTA_FILE_ON)
		op->rescan_why = "the quota was not turned off cleanly (the file still says on)";
	else if (q->flags & QUOTA_FILE_DIRTY)
		op->rescan_why = "the quota file is marked dirty";
	else if (!q->path || strcmp(q->path, op->spec.private_dir) != 0)
		op->rescan_why = "the quota file is for another path";
	else if (op->flags & VZL_QUOTA_RESCAN)
		op->rescan_why = "a rescan was asked for";
	op->rescan = op->rescan_why != NULL && (op->fresh || !(op->flags & VZL_QUOTA_NOCHECK));
	int r2 = quota_op_limits(op, err);
	if (r2 == 0 && op->raise)
		raise_limits(op);
	return r2;
}

static void open_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "open and lock %s/quota.%u (created if missing), read it",
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static bool when_running(const void *o)
{
	return ((const struct quota_op *)o)->state == VZDQ_WORKING;
}

static bool when_stale(const void *o)
{
	const struct quota_op *op = o;
	return op->state != QUOTA_ABSENT && op->state != VZDQ_WORKING;
}

static bool when_off(const void *o)
{
	return ((const struct quota_op *)o)->state != VZDQ_WORKING;
}

static bool when_rescan(const void *o)
{
	const struct quota_op *op = o;
	return when_off(o) && op->rescan;
}

/* Already on: vzctl then runs setlimit with the config's limits. */
static int setlimit_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	struct vz_quota_stat qs = { 0 };
	quota_stat_to_kernel(&op->file.stat, &qs.dq_stat);
	qs.dq_info.bexpire = (long)op->file.grace.bexpire;
	qs.dq_info.iexpire = (long)op->file.grace.iexpire;
	int r = kernel_quota_ctl(op->k, VZ_DQ_SETLIMIT, op->veid, &qs, NULL);
	return r < 0 ? quota_call_failed(op, "VZ_DQ_SETLIMIT", r, err) : 0;
}

/* Known to the kernel but not on: what an interrupted on or off left. It holds nothing. */
static int destroy_stale_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = kernel_quota_ctl(op->k, VZ_DQ_DESTROY, op->veid, NULL, NULL);
	if (r < 0 && r != -ENOENT)
		return quota_call_failed(op, "VZ_DQ_DESTROY", r, err);
	op->state = QUOTA_ABSENT;
	return 0;
}

static int scan_run(void *o, vzl_error **err)
{
	return quota_op_scan(o, err);
}

static void scan_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "scan %s for its disk usage: %s", op->spec.private_dir, op->rescan_why);
}

/* The records in kernel layout; those the kernel does not take stay unloaded (dirty). */
static int load_ugid(struct quota_op *op, vzl_error **err)
{
	struct quota_file *q = &op->file;
	struct dq_info grace[2] = { 0 };
	for (int t = 0; t < 2; t++) {
		grace[t].bexpire = (long)q->ugid_grace[t].bexpire;
		grace[t].iexpire = (long)q->ugid_grace[t].iexpire;
	}
	int r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_SETGRACE, op->veid, 0, 0, grace);
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_UGID_SETGRACE", r, err);
	struct vz_quota_iface *buf = calloc(QUOTA_UGID_BATCH, sizeof(*buf));
	if (!buf)
		return error_set(err, ENOMEM, op->veid, VZL_STEP_QUOTA, NULL, "out of memory");
	size_t i = 0;
	while (i < q->n_records) {
		size_t n = q->n_records - i < QUOTA_UGID_BATCH ? q->n_records - i
							       : QUOTA_UGID_BATCH;
		for (size_t k = 0; k < n; k++) {
			buf[k] = (struct vz_quota_iface){ .qi_id = q->records[i + k].id,
							  .qi_type = q->records[i + k].type };
			quota_stat_to_kernel(&q->records[i + k].stat, &buf[k].qi_stat);
		}
		r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_ADDSTAT, op->veid, (unsigned)i,
					  (unsigned)n, buf);
		if (r < 0) {
			free(buf);
			return quota_call_failed(op, "VZ_DQ_UGID_ADDSTAT", r, err);
		}
		for (int k = 0; k < r; k++)
			q->records[i + (size_t)k].flags = (q->records[i + (size_t)k].flags |
							   QUOTA_REC_LOADED) &
							  ~(uint32_t)QUOTA_REC_DIRTY;
		i += (size_t)r;
		if ((size_t)r < n)
			break; /* the kernel's record limit: the rest stays out */
	}
	free(buf);
	for (; i < q->n_records; i++)
		q->records[i].flags = (q->records[i].flags | QUOTA_REC_DIRTY) &
				      ~(uint32_t)QUOTA_REC_LOADED;
	return 0;
}

static int create_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	struct quota_file *q = &op->file;
	struct vz_quota_stat qs = { 0 };
	quota_fix_grace(q, (int64_t)time(NULL));
	quota_stat_to_kernel(&q->stat, &qs.dq_stat);
	qs.dq_info.bexpire = (long)q->grace.bexpire;
	qs.dq_info.iexpire = (long)q->grace.iexpire;
	int r = kernel_quota_ctl(op->k, VZ_DQ_CREATE, op->veid, &qs, NULL);
	if (r == -EEXIST)
		return error_set(err, EEXIST, op->veid, VZL_STEP_QUOTA, NULL,
				 "the kernel already has a disk quota for VE %u (another tool "
				 "turned it on meanwhile)",
				 op->veid);
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_CREATE", r, err);
	bool ugid = q->flags & QUOTA_FILE_UGID_ON;
	struct vz_quota_ugid_stat conf = { .limit = ugid ? q->ugid_limit : 0,
					   .flags = ugid ? VZDQUG_ON : 0 };
	r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_SETCONFIG, op->veid, 0, 0, &conf);
	if (r < 0)
		r = quota_call_failed(op, "VZ_DQ_UGID_SETCONFIG", r, err);
	else if (ugid)
		r = load_ugid(op, err);
	if (r < 0) /* this step's own partial work: the quota just created */
		kernel_quota_ctl(op->k, VZ_DQ_DESTROY, op->veid, NULL, NULL);
	return r;
}

static int destroy_undo(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = kernel_quota_ctl(op->k, VZ_DQ_DESTROY, op->veid, NULL, NULL);
	return r < 0 && r != -ENOENT ? quota_call_failed(op, "VZ_DQ_DESTROY", r, err) : 0;
}

/* vzquota's pause before EBUSY retry `attempt` (1..9): 1, 2, 4 ... 256 ms */
void quota_busy_sleep(int attempt)
{
	long ms = 1L << (attempt - 1);
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The first line of the kernel's list of busy files, for the message. */
const char *quota_busy_first(char *buf)
{
	buf[QUOTA_BUSY_BUF - 1] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? buf : "not given";
}

static int on_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	char busy[QUOTA_BUSY_BUF] = "";
	int r = 0;
	for (int attempt = 0; attempt <= QUOTA_BUSY_RETRIES; attempt++) {
		if (attempt)
			quota_busy_sleep(attempt);
		/* the last try passes a page that receives the busy files */
		void *buf = attempt == QUOTA_BUSY_RETRIES ? busy : NULL;
		r = kernel_quota_ctl(op->k, VZ_DQ_ON, op->veid, buf, op->spec.private_dir);
		if (r != -EBUSY)
			break;
	}
	if (r == -EBUSY)
		return error_set(err, EBUSY, op->veid, VZL_STEP_QUOTA, NULL,
				 "the disk quota of VE %u cannot be turned on: %s is busy (already "
				 "mounted, files open or a working directory under it; first busy "
				 "file: %s); stop what uses it and try again",
				 op->veid, op->spec.private_dir, quota_busy_first(busy));
	if (r < 0)
		return error_set(err, -r, op->veid, VZL_STEP_QUOTA, NULL,
				 "VZ_DQ_ON for %s (the disk quota of VE %u) failed: %s",
				 op->spec.private_dir, op->veid, strerror(-r));
	return 0;
}

static int on_undo(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = kernel_quota_ctl(op->k, VZ_DQ_OFF_FORCED, op->veid, NULL, NULL);
	return r < 0 && r != -ENOENT ? quota_call_failed(op, "VZ_DQ_OFF_FORCED", r, err) : 0;
}

static int write_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	struct quota_file *q = &op->file;
	bool dropped = false;
	for (size_t i = 0; i < q->n_records; i++)
		dropped |= !!(q->records[i].flags & QUOTA_REC_DIRTY);
	q->flags = (q->flags | QUOTA_FILE_ON) & ~(uint32_t)QUOTA_FILE_DIRTY;
	if (dropped) /* some uid/gid records are not in the kernel: rescan next time */
		q->flags |= QUOTA_FILE_DIRTY;
	free(q->path);
	q->path = strdup(op->spec.private_dir);
	if (!q->path)
		return error_set(err, ENOMEM, op->veid, VZL_STEP_QUOTA, NULL, "out of memory");
	return quota_op_write(op, err);
}

static void write_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "mark %s/quota.%u on (QUOTA_ON) with the usage given to the kernel",
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static const struct step on_steps[] = {
	{ .name = "open quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_CHECKS,
	  .run = open_run,
	  .describe = open_describe },
	{ .name = "set limits",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_running,
	  .run = setlimit_run },
	{ .name = "destroy stale quota",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_stale,
	  .run = destroy_stale_run },
	{ .name = "scan",
	  .error_step = VZL_STEP_QUOTA,
	  .when = when_rescan,
	  .run = scan_run,
	  .describe = scan_describe },
	{ .name = "create quota",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_off,
	  .run = create_run,
	  .undo = destroy_undo },
	{ .name = "quota on",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_off,
	  .run = on_run,
	  .undo = on_undo },
	{ .name = "write quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .when = when_off,
	  .run = write_run,
	  .describe = write_describe },
};

int quota_on_cfg(vzl_ve *ve, const vzl_config *cfg, unsigned flags, uint64_t raise,
		 vzl_progress_fn fn, void *userdata, vzl_error **err)
{
	struct quota_op op = {
		.flags = flags, .raise = raise, .progress = fn, .progress_userdata = userdata
	};
	int r = quota_op_load(&op, ve, cfg, true, err);
	if (r == 0)
		r = step_run(ve->ctx, ve->id, on_steps, ELEMENTSOF(on_steps), &op, err);
	if (r == 0)
		r = op.state == VZDQ_WORKING ? 2 : op.rescan ? 1 : 0;
	quota_op_done(&op);
	return r;
}

VZL_API int vzl_ve_quota_on(vzl_ve *ve, unsigned flags, vzl_progress_fn fn, void *userdata,
			    vzl_error **err)
{
	return quota_on_cfg(ve, NULL, flags, 0, fn, userdata, err);
}

/* ---- the configured limits back (start) ------------------------------------------------ */

static int setlimit_open_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = quota_op_open(op, QUOTA_OP_MAY_BE_MISSING, err);
	return r < 0 ? r : quota_op_limits(op, err);
}

static void setlimit_open_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "open and lock %s/quota.%u, read it",
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

/* The file keeps the limits in force, as `vzquota setlimit` stores them. */
static bool when_file(const void *o)
{
	return ((const struct quota_op *)o)->h != NULL;
}

static int setlimit_write_run(void *o, vzl_error **err)
{
	return quota_op_write(o, err);
}

static void setlimit_write_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "store the configured limits in %s/quota.%u",
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static const struct step setlimit_steps[] = {
	{ .name = "open quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_CHECKS,
	  .run = setlimit_open_run,
	  .describe = setlimit_open_describe },
	{ .name = "set limits",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .run = setlimit_run },
	{ .name = "write quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .when = when_file,
	  .run = setlimit_write_run,
	  .describe = setlimit_write_describe },
};

int quota_setlimit_cfg(vzl_ve *ve, const vzl_config *cfg, vzl_error **err)
{
	struct quota_op op = { 0 };
	int r = quota_op_load(&op, ve, cfg, true, err);
	if (r == 0)
		r = step_run(ve->ctx, ve->id, setlimit_steps, ELEMENTSOF(setlimit_steps), &op, err);
	quota_op_done(&op);
	return r;
}
