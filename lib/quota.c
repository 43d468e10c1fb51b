/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the quota operations share (quota.h): the VE's limits from its config, the file
 * opened under vzquota's lock, the kernel's state of the quota, the scan, and the kernel's
 * usage read back. Also the two small operations, init and stat.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "kernel.h"
#include "macro.h"
#include "quota.h"
#include "step.h"

int quota_op_load(struct quota_op *op, vzl_ve *ve, const vzl_config *cfg, bool need_limits,
		  vzl_error **err)
{
	vzl_config *own = NULL;
	op->ve = ve;
	op->veid = ve->id;
	op->k = &ve->ctx->kernel;
	op->state = QUOTA_ABSENT;
	if (ve->id == 0)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL,
				 "VE 0 is the host; it has no disk quota of its own");
	if (!cfg) {
		int r = vzl_config_open_ve(ve, &own, err);
		if (r < 0)
			return r;
		cfg = own;
	}
	int r = ve_spec_from_config(cfg, ve->id, &op->spec, err);
	vzl_config_free(own);
	if (r < 0)
		return r;
	op->have_spec = true;
	const struct ve_spec_disk *d = &op->spec.disk;
	if (d->quota.set && !d->quota.value)
		return error_set(
			err, EOPNOTSUPP, ve->id, VZL_STEP_QUOTA, "DISK_QUOTA",
			"VE %u has DISK_QUOTA=no, so it has no disk quota; turn it on with "
			"'vzlite set %u --diskquota yes --save'",
			ve->id, ve->id);
	if (!op->spec.private_dir)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "VE_PRIVATE is not set for VE %u; set it in %s or the VE's config",
				 ve->id, ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (need_limits && !d->space.set)
		return error_set(err, EINVAL, ve->id, VZL_STEP_QUOTA, "DISKSPACE",
				 "DISKSPACE is not set for VE %u, and its disk quota needs it; set "
				 "it with 'vzlite set %u --diskspace SOFT:HARD --save'",
				 ve->id, ve->id);
	if (need_limits && !d->inodes.set)
		return error_set(
			err, EINVAL, ve->id, VZL_STEP_QUOTA, "DISKINODES",
			"DISKINODES is not set for VE %u, and its disk quota needs it; set "
			"it with 'vzlite set %u --diskinodes SOFT:HARD --save'",
			ve->id, ve->id);
	return 0;
}

void quota_op_done(struct quota_op *op)
{
	quota_handle_close(op->h);
	op->h = NULL;
	quota_file_clear(&op->file);
	if (op->have_spec)
		ve_spec_done(&op->spec);
	op->have_spec = false;
}

int quota_op_open(struct quota_op *op, enum quota_op_open_mode how, vzl_error **err)
{
	const char *dir = op->ve->ctx->paths[VZL_PATH_QUOTA_DIR];
	bool may_be_missing = how != QUOTA_OP_EXISTING;
	/* A dry run creates nothing: a missing file is only noted. */
	enum quota_open_mode mode = how == QUOTA_OP_CREATE && !kernel_is_dry_run(op->k)
					    ? QUOTA_OPEN_CREATE
					    : QUOTA_OPEN_EXISTING;
	vzl_error *e = NULL;
	int r = quota_handle_open(dir, op->veid, mode, &op->h, &e);
	if (r == -ENOENT && may_be_missing) {
		vzl_error_free(e);
		op->fresh = true;
		return 0;
	}
	if (r < 0) {
		*err = e;
		return r;
	}
	r = quota_handle_read(op->h, &op->file, &e);
	if (r == -ENODATA) { /* created just now, empty */
		vzl_error_free(e);
		op->fresh = true;
		return 0;
	}
	if (r < 0)
		*err = e;
	return r;
}

int quota_op_kernel_state(struct quota_op *op, vzl_error **err)
{
	int r = kernel_is_dry_run(op->k) ? 0 : kernel_open(op->k, err);
	if (r < 0)
		return r;
	r = kernel_quota_query(op->k, VZ_DQ_STATUS, op->veid, NULL);
	if (r == -ESRCH) {
		op->state = QUOTA_ABSENT;
		return 0;
	}
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_STATUS", r, err);
	op->state = r;
	return 0;
}

static int limit_kib(const struct quota_op *op, uint64_t kib, const char *param, uint64_t *ret,
		     vzl_error **err)
{
	if (kib > UINT64_MAX / 1024)
		return error_set(
			err, ERANGE, op->veid, VZL_STEP_QUOTA, param,
			"%s of VE %u is larger than the kernel can count in bytes; lower it", param,
			op->veid);
	*ret = kib * 1024; /* the config counts KiB, the kernel and the file bytes */
	return 0;
}

static int limit_inodes(const struct quota_op *op, uint64_t n, const char *param, uint32_t *ret,
			vzl_error **err)
{
	if (n > UINT32_MAX)
		return error_set(err, ERANGE, op->veid, VZL_STEP_QUOTA, param,
				 "%s of VE %u is above the kernel's inode limit %u; lower it",
				 param, op->veid, UINT32_MAX);
	*ret = (uint32_t)n;
	return 0;
}

/* The per-uid/gid limits of VZLITE_UGID_QUOTA into the file's records. */
static int ugid_limits(struct quota_op *op, vzl_error **err)
{
	struct quota_file *q = &op->file;
	const struct ve_spec_disk *d = &op->spec.disk;
	for (size_t i = 0; i < d->n_ugid; i++) {
		const struct value_ugid *u = &d->ugid[i];
		uint32_t type = u->type == 'g' ? QUOTA_GROUP : QUOTA_USER;
		if (u->id > UINT32_MAX - 1)
			return error_set(err, ERANGE, op->veid, VZL_STEP_QUOTA, "VZLITE_UGID_QUOTA",
					 "VZLITE_UGID_QUOTA of VE %u names id %llu, above the "
					 "largest uid/gid; correct the entry",
					 op->veid, u->id);
		struct quota_ugid_record *r = quota_file_find(q, type, (uint32_t)u->id);
		if (!r) {
			struct quota_ugid_record *grown = realloc(
				q->records, (q->n_records + 1) * sizeof(*grown));
			if (!grown)
				return error_set(err, ENOMEM, op->veid, VZL_STEP_QUOTA, NULL,
						 "out of memory");
			q->records = grown;
			r = &q->records[q->n_records++];
			*r = (struct quota_ugid_record){ .id = (uint32_t)u->id, .type = type };
		}
		int e;
		if ((e = limit_kib(op, u->space_soft, "VZLITE_UGID_QUOTA", &r->stat.bsoftlimit,
				   err)) < 0 ||
		    (e = limit_kib(op, u->space_hard, "VZLITE_UGID_QUOTA", &r->stat.bhardlimit,
				   err)) < 0 ||
		    (e = limit_inodes(op, u->inodes_soft, "VZLITE_UGID_QUOTA", &r->stat.isoftlimit,
				      err)) < 0 ||
		    (e = limit_inodes(op, u->inodes_hard, "VZLITE_UGID_QUOTA", &r->stat.ihardlimit,
				      err)) < 0)
			return e;
	}
	return 0;
}

int quota_op_limits(struct quota_op *op, vzl_error **err)
{
	struct quota_file *q = &op->file;
	const struct ve_spec_disk *d = &op->spec.disk;
	int r;
	if ((r = limit_kib(op, d->space.soft, "DISKSPACE", &q->stat.bsoftlimit, err)) < 0 ||
	    (r = limit_kib(op, d->space.hard, "DISKSPACE", &q->stat.bhardlimit, err)) < 0 ||
	    (r = limit_inodes(op, d->inodes.soft, "DISKINODES", &q->stat.isoftlimit, err)) < 0 ||
	    (r = limit_inodes(op, d->inodes.hard, "DISKINODES", &q->stat.ihardlimit, err)) < 0)
		return r;
	int64_t grace = d->quotatime.set ? (int64_t)d->quotatime.value : QUOTA_DEFAULT_GRACE;
	q->grace.bexpire = q->grace.iexpire = grace;
	uint64_t ugid = d->quotaugidlimit.set ? d->quotaugidlimit.value : 0;
	if (ugid > UINT32_MAX)
		return error_set(err, ERANGE, op->veid, VZL_STEP_QUOTA, "QUOTAUGIDLIMIT",
				 "QUOTAUGIDLIMIT of VE %u is too large; lower it", op->veid);
	if (ugid == 0) {
		/* vzquota on: with the second level off its records are dropped */
		q->flags &= ~(uint32_t)QUOTA_FILE_UGID_ON;
		q->ugid_limit = 0;
		free(q->records);
		q->records = NULL;
		q->n_records = 0;
		return 0;
	}
	q->flags |= QUOTA_FILE_UGID_ON;
	q->ugid_limit = (uint32_t)ugid;
	for (int t = 0; t < 2; t++)
		if (q->ugid_grace[t].bexpire == 0 && q->ugid_grace[t].iexpire == 0)
			q->ugid_grace[t].bexpire = q->ugid_grace[t].iexpire = grace;
	return ugid_limits(op, err);
}

static void fix_one(struct quota_stat *s, const struct quota_grace *g, int64_t now)
{
	if (s->bsoftlimit && s->bcurrent > s->bsoftlimit) {
		if (!s->btime)
			s->btime = now + g->bexpire;
	} else {
		s->btime = 0;
	}
	if (s->isoftlimit && s->icurrent > s->isoftlimit) {
		if (!s->itime)
			s->itime = now + g->iexpire;
	} else {
		s->itime = 0;
	}
}

void quota_fix_grace(struct quota_file *q, int64_t now)
{
	fix_one(&q->stat, &q->grace, now);
	for (size_t i = 0; i < q->n_records; i++) {
		struct quota_ugid_record *r = &q->records[i];
		fix_one(&r->stat, &q->ugid_grace[r->type == QUOTA_GROUP], now);
	}
}

struct scan_progress {
	vzl_progress_fn fn;
	void *userdata;
};

static int scan_progress(uint64_t entries, void *userdata)
{
	struct scan_progress *p = userdata;
	return p->fn ? p->fn(p->userdata, 0, 0, entries) : 0;
}

int quota_op_scan(struct quota_op *op, vzl_error **err)
{
	struct quota_scan_result res = { 0 };
	struct scan_progress p = { op->progress, op->progress_userdata };
	unsigned int flags = (op->file.flags & QUOTA_FILE_UGID_ON) ? QUOTA_SCAN_UGID : 0;
	int r = quota_scan(op->spec.private_dir, flags, scan_progress, &p, op->veid, &res, err);
	if (r < 0)
		return r;
	r = quota_scan_apply(&res, &op->file);
	quota_scan_result_clear(&res);
	if (r == -EOVERFLOW)
		return error_set(err, EOVERFLOW, op->veid, VZL_STEP_QUOTA, NULL,
				 "%s holds more inodes than vzquota's file can count",
				 op->spec.private_dir);
	if (r < 0)
		return error_set(err, -r, op->veid, VZL_STEP_QUOTA, NULL, "out of memory");
	op->rescanned = true;
	return 0;
}

int quota_op_write(struct quota_op *op, vzl_error **err)
{
	return quota_handle_write(op->h, &op->file, err);
}

void quota_stat_to_kernel(const struct quota_stat *s, struct dq_stat *d)
{
	*d = (struct dq_stat){
		.bhardlimit = s->bhardlimit,
		.bsoftlimit = s->bsoftlimit,
		.btime = (long)s->btime,
		.bcurrent = s->bcurrent,
		.ihardlimit = s->ihardlimit,
		.isoftlimit = s->isoftlimit,
		.itime = (long)s->itime,
		.icurrent = s->icurrent,
	};
}

void quota_stat_from_kernel(const struct dq_stat *d, struct quota_stat *s)
{
	*s = (struct quota_stat){
		.bhardlimit = d->bhardlimit,
		.bsoftlimit = d->bsoftlimit,
		.btime = d->btime,
		.bcurrent = d->bcurrent,
		.ihardlimit = d->ihardlimit,
		.isoftlimit = d->isoftlimit,
		.itime = d->itime,
		.icurrent = d->icurrent,
	};
}

int quota_call_failed(const struct quota_op *op, const char *call, int r, vzl_error **err)
{
	return error_set(err, -r, op->veid, VZL_STEP_QUOTA, NULL,
			 "%s for the disk quota of VE %u failed: %s", call, op->veid, strerror(-r));
}

/* The second level's records, config and grace periods, read back from the kernel. */
static int read_ugid(struct quota_op *op, vzl_error **err)
{
	struct quota_file *q = &op->file;
	struct vz_quota_ugid_stat conf = { 0 };
	struct dq_info grace[2] = { 0 };
	int r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_GETCONFIG, op->veid, 0, 0, &conf);
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_UGID_GETCONFIG", r, err);
	r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_GETGRACE, op->veid, 0, 0, grace);
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_UGID_GETGRACE", r, err);
	struct vz_quota_iface *buf = calloc(QUOTA_UGID_BATCH, sizeof(*buf));
	struct quota_ugid_record *recs = NULL;
	size_t n = 0;
	if (!buf)
		return error_set(err, ENOMEM, op->veid, VZL_STEP_QUOTA, NULL, "out of memory");
	for (unsigned int index = 0;; index += (unsigned)r) {
		r = kernel_quota_ugid_ctl(op->k, VZ_DQ_UGID_GETSTAT, op->veid, index,
					  QUOTA_UGID_BATCH, buf);
		if (r < 0) {
			free(buf);
			free(recs);
			return quota_call_failed(op, "VZ_DQ_UGID_GETSTAT", r, err);
		}
		struct quota_ugid_record *grown = r ? realloc(recs, (n + (size_t)r) * sizeof(*recs))
						    : recs;
		if (r && !grown) {
			free(buf);
			free(recs);
			return error_set(err, ENOMEM, op->veid, VZL_STEP_QUOTA, NULL,
					 "out of memory");
		}
		recs = grown;
		for (int i = 0; i < r; i++) {
			recs[n] = (struct quota_ugid_record){ .id = buf[i].qi_id,
							      .type = buf[i].qi_type };
			quota_stat_from_kernel(&buf[i].qi_stat, &recs[n].stat);
			n++;
		}
		if (r < QUOTA_UGID_BATCH)
			break;
	}
	free(buf);
	free(q->records);
	q->records = recs;
	q->n_records = n;
	q->ugid_limit = conf.limit;
	q->ugid_count = conf.count;
	q->ugid_flags = conf.flags;
	for (int t = 0; t < 2; t++) {
		q->ugid_grace[t].bexpire = grace[t].bexpire;
		q->ugid_grace[t].iexpire = grace[t].iexpire;
		q->ugid_grace[t].flags = grace[t].flags;
	}
	return 0;
}

int quota_op_read_kernel(struct quota_op *op, vzl_error **err)
{
	struct vz_quota_stat st = { 0 };
	int r = kernel_quota_query(op->k, VZ_DQ_GETSTAT, op->veid, &st);
	if (r < 0)
		return quota_call_failed(op, "VZ_DQ_GETSTAT", r, err);
	quota_stat_from_kernel(&st.dq_stat, &op->file.stat);
	op->file.grace.bexpire = st.dq_info.bexpire;
	op->file.grace.iexpire = st.dq_info.iexpire;
	op->file.grace.flags = st.dq_info.flags;
	return (op->file.flags & QUOTA_FILE_UGID_ON) ? read_ugid(op, err) : 0;
}

/* ---- init ---------------------------------------------------------------------------- */

static int init_open_run(void *o, vzl_error **err)
{
	return quota_op_open(o, QUOTA_OP_CREATE, err);
}

static void init_open_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "open and lock %s/quota.%u (created if missing)",
		  op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static int init_check_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	vzl_error *e = NULL;
	/* create's plan names the kernel's handle as its run opens it */
	if (op->kernel_optional && kernel_is_dry_run(op->k))
		(void)kernel_open(op->k, NULL);
	int r = quota_op_kernel_state(op, &e);
	int code = r < 0 ? vzl_error_code(e) : 0;
	if (r < 0 && op->kernel_optional && vzl_error_step(e) == VZL_STEP_KERNEL_OPEN &&
	    (code == ENOENT || code == ENODEV || code == ENXIO)) {
		vzl_error_free(e); /* no /dev/vzctl: no OpenVZ kernel, so no quota of this VE */
		return 0;
	}
	if (r < 0) {
		if (err)
			*err = e;
		else
			vzl_error_free(e);
		return r;
	}
	if (r == 0 && op->state != QUOTA_ABSENT)
		return error_set(err, EBUSY, op->veid, VZL_STEP_QUOTA, NULL,
				 "the disk quota of VE %u is known to the kernel (on, or not "
				 "destroyed); turn it off with 'vzlite quota %u off' first",
				 op->veid, op->veid);
	return r;
}

static void init_check_describe(const void *o, struct step_plan *plan)
{
	step_line(plan, "refuse if the kernel has quota %u", ((const struct quota_op *)o)->veid);
}

static int init_scan_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	int r = quota_op_limits(op, err);
	if (r == 0)
		r = quota_op_scan(op, err);
	return r;
}

static void scan_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "scan %s for its disk usage%s%s", op->spec.private_dir,
		  op->rescan_why ? ": " : "", op->rescan_why ? op->rescan_why : "");
}

static int init_write_run(void *o, vzl_error **err)
{
	struct quota_op *op = o;
	struct quota_file *q = &op->file;
	q->flags &= ~(uint32_t)(QUOTA_FILE_ON | QUOTA_FILE_DIRTY);
	free(q->path);
	q->path = strdup(op->spec.private_dir);
	if (!q->path)
		return error_set(err, ENOMEM, op->veid, VZL_STEP_QUOTA, NULL, "out of memory");
	quota_fix_grace(q, (int64_t)time(NULL));
	return quota_op_write(op, err);
}

static void write_describe(const void *o, struct step_plan *plan)
{
	const struct quota_op *op = o;
	step_line(plan, "write %s/quota.%u", op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->veid);
}

static const struct step init_steps[] = {
	{ .name = "open quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_CHECKS,
	  .run = init_open_run,
	  .describe = init_open_describe },
	{ .name = "check kernel",
	  .error_step = VZL_STEP_QUOTA,
	  .flags = STEP_CHECKS,
	  .run = init_check_run,
	  .describe = init_check_describe },
	{ .name = "scan",
	  .error_step = VZL_STEP_QUOTA,
	  .run = init_scan_run,
	  .describe = scan_describe },
	{ .name = "write quota file",
	  .error_step = VZL_STEP_QUOTA,
	  .run = init_write_run,
	  .describe = write_describe },
};

int quota_init_cfg(vzl_ve *ve, const vzl_config *cfg, vzl_error **err)
{
	struct quota_op op = { .kernel_optional = true };
	int r = quota_op_load(&op, ve, cfg, true, err);
	if (r == 0)
		r = step_run(ve->ctx, ve->id, init_steps, ELEMENTSOF(init_steps), &op, err);
	quota_op_done(&op);
	return r < 0 ? r : 0;
}

VZL_API int vzl_ve_quota_init(vzl_ve *ve, vzl_progress_fn fn, void *userdata, vzl_error **err)
{
	struct quota_op op = { .progress = fn, .progress_userdata = userdata };
	int r = quota_op_load(&op, ve, NULL, true, err);
	if (r == 0)
		r = step_run(ve->ctx, ve->id, init_steps, ELEMENTSOF(init_steps), &op, err);
	quota_op_done(&op);
	return r < 0 ? r : 0;
}

/* ---- stat ---------------------------------------------------------------------------- */

static void usage_from(const struct quota_stat *s, struct vzl_quota_usage *u)
{
	*u = (struct vzl_quota_usage){
		.space = s->bcurrent,
		.space_soft = s->bsoftlimit,
		.space_hard = s->bhardlimit,
		.space_grace_end = s->btime,
		.inodes = s->icurrent,
		.inodes_soft = s->isoftlimit,
		.inodes_hard = s->ihardlimit,
		.inodes_grace_end = s->itime,
	};
}

static int info_from(const struct quota_file *q, int on, vzl_quota_info **ret)
{
	vzl_quota_info *i = calloc(1, sizeof(*i));
	if (!i)
		return -ENOMEM;
	i->on = on;
	i->file_on = !!(q->flags & QUOTA_FILE_ON);
	i->file_dirty = !!(q->flags & QUOTA_FILE_DIRTY);
	i->ugid_on = !!(q->flags & QUOTA_FILE_UGID_ON);
	i->ugid_limit = q->ugid_limit;
	i->space_grace = q->grace.bexpire;
	i->inodes_grace = q->grace.iexpire;
	usage_from(&q->stat, &i->total);
	if (q->path && !(i->path = strdup(q->path))) {
		vzl_quota_info_free(i);
		return -ENOMEM;
	}
	if (q->n_records && !(i->ugid = calloc(q->n_records, sizeof(*i->ugid)))) {
		vzl_quota_info_free(i);
		return -ENOMEM;
	}
	for (size_t k = 0; k < q->n_records; k++) {
		i->ugid[k].group = q->records[k].type == QUOTA_GROUP;
		i->ugid[k].id = q->records[k].id;
		usage_from(&q->records[k].stat, &i->ugid[k].usage);
	}
	i->n_ugid = q->n_records;
	*ret = i;
	return 0;
}

VZL_API int vzl_ve_quota_stat(vzl_ve *ve, vzl_quota_info **ret, vzl_error **err)
{
	struct quota_op op = { 0 };
	int r = quota_op_load(&op, ve, NULL, false, err);
	if (r == 0)
		r = quota_op_open(&op, QUOTA_OP_MAY_BE_MISSING, err);
	vzl_error *e = NULL;
	if (r == 0 && (r = quota_op_kernel_state(&op, &e)) < 0) {
		if (vzl_error_step(e) == VZL_STEP_KERNEL_OPEN) {
			vzl_error_free(e); /* no OpenVZ kernel here: the file tells all */
			r = 0;
		} else if (err) {
			*err = e;
		} else {
			vzl_error_free(e);
		}
	}
	bool on = r == 0 && op.state == VZDQ_WORKING;
	if (r == 0 && op.fresh && !on)
		r = error_set(err, ENOENT, ve->id, VZL_STEP_QUOTA, NULL,
			      "VE %u has no disk quota yet (no %s/quota.%u); create it with "
			      "'vzlite quota %u init'",
			      ve->id, ve->ctx->paths[VZL_PATH_QUOTA_DIR], ve->id, ve->id);
	if (r == 0 && on) {
		if (op.fresh) /* on, yet no file: show the kernel's view alone */
			op.file.flags |= QUOTA_FILE_UGID_ON;
		r = quota_op_read_kernel(&op, err);
	}
	if (r == 0) {
		if (op.file.n_records) /* qsort's base may not be NULL */
			qsort(op.file.records, op.file.n_records, sizeof(*op.file.records),
			      quota_record_cmp);
		if (info_from(&op.file, on, ret) < 0)
			r = error_set(err, ENOMEM, ve->id, VZL_STEP_QUOTA, NULL, "out of memory");
	}
	/* Nothing is written: a file created by the open is removed again by the close. */
	quota_op_done(&op);
	return r < 0 ? r : 0;
}

VZL_API void vzl_quota_info_free(vzl_quota_info *info)
{
	if (!info)
		return;
	free(info->ugid);
	free(info->path);
	free(info);
}
