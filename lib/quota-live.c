/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * New limits for a running quota, as `vzctl set` applies them through `vzquota setlimit`
 * (vzctl-behaviour.md §4.2, §4.5, §4.7): VZ_DQ_SETLIMIT through the parameter's own applier
 * (apply-kernel.c), the second level's record limit, and each uid/gid limit of
 * VZLITE_UGID_QUOTA; then the file's stored limits. A failure puts back the limits the
 * kernel had; the file is written last.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "config.h"
#include "error.h"
#include "kernel.h"
#include "macro.h"
#include "params.h"
#include "quota.h"
#include "step.h"

static bool when_on(const void *o)
{
	return ((const struct quota_op *)o)->state == VZDQ_WORKING;
}

static bool when_ugid(const void *o)
{
	const struct quota_op *op = o;
	return when_on(o) && (op->file.flags & QUOTA_FILE_UGID_ON);
}

static int prepare_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	vzl_error *e = NULL;
	int r = quota_op_kernel_state(op, &e);
	if (r < 0 && vzl_error_step(e) == VZL_STEP_KERNEL_OPEN) {
		vzl_error_free(e); /* no OpenVZ kernel here: no quota is on */
		op->state = QUOTA_ABSENT;
		return 0;
	}
	if (r < 0)
		*err = e;
	if (r < 0 || op->state != VZDQ_WORKING)
		return r;
	const struct ve_spec_disk *d = &op->spec.disk;
	if (!d->space.set || !d->inodes.set)
		return error_set(err, EINVAL, op->veid, VZL_STEP_QUOTA,
				 d->space.set ? "DISKINODES" : "DISKSPACE",
				 "%s is not set for VE %u, whose disk quota is on; set it with "
				 "'vzlite set %u --%s SOFT:HARD'",
				 d->space.set ? "DISKINODES" : "DISKSPACE", op->veid, op->veid,
				 d->space.set ? "diskinodes" : "diskspace");
	if ((r = quota_op_open(op, QUOTA_OP_MAY_BE_MISSING, err)) < 0)
		return r;
	r = kernel_quota_query(op->k, VZ_DQ_GETSTAT, op->veid, &op->old_stat);
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_GETSTAT", r, err);
	r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_GETCONFIG, op->veid, 0, 0, &op->old_conf);
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_UGID_GETCONFIG", r, err);
	/* The second level is switched only while the quota is off (vzctl exits 67). */
	bool ugid_was = op->old_conf.flags & VZDQ_USRQUOTA;
	struct ve_opt_ulong *limit = &op->spec.disk.quotaugidlimit;
	bool ugid_now = limit->set && limit->value > 0;
	if (ugid_now && !ugid_was)
		return error_set(err, EBUSY, op->veid, VZL_STEP_QUOTA, "QUOTAUGIDLIMIT",
				 "the second-level quota of VE %u cannot be turned on while its "
				 "quota is on; turn the quota off and on again (restart the VE)",
				 op->veid);
	if (!ugid_now && ugid_was) {
		log_warning(op->ve->ctx,
			    "VE %u: the second-level quota stays on until the quota is turned "
			    "off; QUOTAUGIDLIMIT=0 takes effect then",
			    op->veid);
		*limit = (struct ve_opt_ulong){ true, op->old_conf.limit };
	}
	if (op->fresh) /* on, yet no file: vzquota's setlimit needs one, the kernel does not */
		op->file.flags |= ugid_was ? QUOTA_FILE_UGID_ON : 0;
	if (op->file.n_records) {
		op->old_recs = malloc(op->file.n_records * sizeof(*op->old_recs));
		if (!op->old_recs)
			return error_set(err, ENOMEM, op->veid, VZL_STEP_QUOTA, NULL,
					 "out of memory");
		memcpy(op->old_recs, op->file.records, op->file.n_records * sizeof(*op->old_recs));
		op->n_old_recs = op->file.n_records;
	}
	return quota_op_limits(op, err);
}

static void prepare_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "read the running quota %u and lock %s/quota.%u", op->veid,
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

/* The applier's view of the config: canonical values, kept until the operation ends */
static const char *value_of(void *userdata, const char *key)
{
	struct quota_op *op = userdata;
	static const char *const keys[] = { "DISKSPACE", "DISKINODES", "QUOTATIME",
					    "QUOTAUGIDLIMIT" };
	for (size_t i = 0; i < ELEMENTSOF(keys); i++)
		if (strcmp(key, keys[i]) == 0) {
			if (!op->values[i])
				vzl_config_get(op->cfg, key, VZL_GET_CANONICAL, &op->values[i],
					       NULL, NULL);
			return op->values[i];
		}
	return NULL;
}

static int setlimit_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	struct apply_ctx a = {
		.k = op->k,
		.veid = op->veid,
		.t = op->cfg->target,
		.value_of = value_of,
		.userdata = op,
	};
	const struct param_def *p = param_find("DISKSPACE");
	return p->apply(&a, p, value_of(op, "DISKSPACE"), err);
}

static int setlimit_undo(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = kernel_quota_ctl(op->k, VZ_DQ_SETLIMIT, op->veid, &op->old_stat, NULL);
	return r < 0 ? quota_call_failed(op, "VZ_DQ_SETLIMIT", r, err) : 0;
}

static bool when_ugid_limit(const void *o)
{
	const struct quota_op *op = o;
	return when_ugid(o) && op->file.ugid_limit != op->old_conf.limit;
}

static int set_ugid_limit(struct quota_op *op, unsigned int limit, vzl_error **err)
{
	/* Not STARTING: the kernel takes only the limit (kernel-abi.md §6.2) */
	struct vz_quota_ugid_stat conf = { .limit = limit, .flags = VZDQUG_ON };
	int r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_SETCONFIG, op->veid, 0, 0, &conf);
	return r < 0 ? quota_call_failed(op, "VZ_DQ_UGID_SETCONFIG", r, err) : 0;
}

static int ugid_limit_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	return set_ugid_limit(op, op->file.ugid_limit, err);
}

static int ugid_limit_undo(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	return set_ugid_limit(op, op->old_conf.limit, err);
}

static int push_limit(struct quota_op *op, uint32_t type, uint32_t id, const struct quota_stat *s,
		      vzl_error **err)
{
	struct vz_quota_ugid_setlimit l = { .type = type == QUOTA_GROUP ? GRPQUOTA : USRQUOTA,
					    .id = id };
	/* if_dqblk counts space in 1 KiB blocks */
	l.dqb.dqb_bhardlimit = s->bhardlimit / 1024;
	l.dqb.dqb_bsoftlimit = s->bsoftlimit / 1024;
	l.dqb.dqb_ihardlimit = s->ihardlimit;
	l.dqb.dqb_isoftlimit = s->isoftlimit;
	l.dqb.dqb_valid = QIF_LIMITS;
	int r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_SETLIMIT, op->veid, 0, 0, &l);
	if (r == -ESRCH)
		return error_set(err, ESRCH, op->veid, VZL_STEP_QUOTA, "QUOTAUGIDLIMIT",
				 "the kernel keeps no more uid/gid records for VE %u (%s %u does "
				 "not fit); raise QUOTAUGIDLIMIT and restart the VE",
				 op->veid, type == QUOTA_GROUP ? "gid" : "uid", id);
	return r < 0 ? quota_call_failed(op, "VZ_DQ_UGID_SETLIMIT", r, err) : 0;
}

static int ugid_limits_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	const struct ve_spec_disk *d = &op->spec.disk;
	for (size_t i = 0; i < d->n_ugid; i++) {
		uint32_t type = d->ugid[i].type == 'g' ? QUOTA_GROUP : QUOTA_USER;
		const struct quota_ugid_record *r = quota_file_find(&op->file, type,
								    (uint32_t)d->ugid[i].id);
		int e = r ? push_limit(op, type, r->id, &r->stat, err) : 0;
		if (e < 0)
			return e;
	}
	return 0;
}

/* The limits the file had for the ids of VZLITE_UGID_QUOTA (none: no limit) */
static int ugid_limits_undo(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	const struct ve_spec_disk *d = &op->spec.disk;
	int first = 0;
	for (size_t i = 0; i < d->n_ugid; i++) {
		uint32_t type = d->ugid[i].type == 'g' ? QUOTA_GROUP : QUOTA_USER;
		struct quota_stat none = { 0 };
		const struct quota_stat *s = &none;
		for (size_t k = 0; k < op->n_old_recs; k++)
			if (op->old_recs[k].type == type && op->old_recs[k].id == d->ugid[i].id)
				s = &op->old_recs[k].stat;
		int e = push_limit(op, type, (uint32_t)d->ugid[i].id, s, first ? NULL : err);
		if (e < 0 && !first)
			first = e;
	}
	return first;
}

static bool when_file(const void *o)
{
	const struct quota_op *op = o;
	return when_on(o) && !op->fresh;
}

static int write_run(void *o, vzl_error **err)
{
	return quota_op_write(o, err);
}

static void write_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "store the limits in %s/quota.%u", op->ve->ctx->paths[VZL_PATH_QUOTA_DIR],
		  op->veid);
}

static const struct step apply_steps[] = {
	{ .name = "read quota",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_CHECKS,
	  .run = prepare_run,
	  .describe = prepare_describe },
	{ .name = "set limits",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_on,
	  .run = setlimit_run,
	  .undo = setlimit_undo },
	{ .name = "set uid/gid record limit",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_ugid_limit,
	  .run = ugid_limit_run,
	  .undo = ugid_limit_undo },
	{ .name = "set uid/gid limits",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_RECORDS,
	  .when = when_ugid,
	  .run = ugid_limits_run,
	  .undo = ugid_limits_undo },
	{ .name = "write quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .when = when_file,
	  .run = write_run,
	  .describe = write_describe },
};

VZL_API int vzl_ve_quota_apply(vzl_ve *ve, const vzl_config *cfg, vzl_error **err)
{
	struct quota_op op = { .cfg = cfg };
	vzl_error *e = NULL;
	int r = quota_op_load(&op, ve, cfg, false, &e);
	if (r == -EOPNOTSUPP) { /* DISK_QUOTA=no: there is no quota to change */
		vzl_error_free(e);
		quota_op_done(&op);
		return 0;
	}
	if (r < 0 && err)
		*err = e;
	else if (r < 0)
		vzl_error_free(e);
	if (r == 0)
		r = step_run(ve->ctx, ve->id, apply_steps, ELEMENTSOF(apply_steps), &op, err);
	if (r == 0)
		r = op.state == VZDQ_WORKING;
	for (size_t i = 0; i < ELEMENTSOF(op.values); i++)
		free(op.values[i]);
	free(op.old_recs);
	quota_op_done(&op);
	return r;
}
