/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The first-level disk quota of a new VE (vzctl-behaviour.md §3.1 step 11, §4.7: vzctl's
 * create runs `vzquota init`): when DISK_QUOTA is not "no" and both DISKSPACE and DISKINODES
 * are set (vzctl skips the quota otherwise), the quota file is made from a scan of the new
 * private area with the config's limits, once the area is in place, so the path it stores is
 * the final one (vzctl inits on its work directory and rewrites the path with setlimit -p).
 * It is not turned on: mount and start do that. A later failure removes the file, as vzctl's
 * rollback drops the quota.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "create-steps.h"
#include "ctx.h"
#include "error.h"
#include "quota.h"

static bool is_set(const vzl_config *cfg, const char *key)
{
	char *v = NULL;
	bool set = vzl_config_get(cfg, key, 0, &v, NULL, NULL) == 0 && v && *v;
	free(v);
	return set;
}

static bool when_quota(const void *o)
{
	const struct create_op *op = o;
	char *q = NULL;
	if (vzl_config_get(op->cfg, "DISK_QUOTA", VZL_GET_DEFAULT, &q, NULL, NULL) < 0)
		q = NULL;
	bool off = q && strcmp(q, "no") == 0;
	free(q);
	return op->extract && !off && is_set(op->cfg, "DISKSPACE") && is_set(op->cfg, "DISKINODES");
}

static char *file_path(const struct create_op *op)
{
	char *path = NULL;
	if (asprintf(&path, "%s/quota.%u", op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->ve->id) < 0)
		return NULL;
	return path;
}

static int remove_file(struct create_op *op)
{
	char *path = file_path(op);
	if (!path)
		return -ENOMEM;
	int r = unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	free(path);
	return r;
}

/* A quota file with data in it before the step ran (an empty one is a killed create's). */
static bool file_has_data(const struct create_op *op)
{
	char *path = file_path(op);
	struct stat st;
	bool data = path && lstat(path, &st) == 0 && st.st_size > 0;
	free(path);
	return data;
}

static int quota_undo(void *o, vzl_error **err)
{
	struct create_op *op = o;
	int r = remove_file(op);
	if (r < 0)
		return error_set(err, -r, op->ve->id, VZL_STEP_QUOTA, NULL,
				 "VE %u: cannot remove its quota file %s/quota.%u: %s", op->ve->id,
				 op->ve->ctx->paths[VZL_PATH_QUOTA_DIR], op->ve->id, strerror(-r));
	return 0;
}

static int quota_run(void *o, vzl_error **err)
{
	struct create_op *op = o;
	/* a file the step refuses (corrupt, another format) is the user's: it stays */
	bool had_data = file_has_data(op);
	int r = quota_init_cfg(op->ve, op->cfg, err);
	if (r < 0 && !had_data && !kernel_is_dry_run(&op->ve->ctx->kernel))
		quota_undo(op, NULL); /* nothing half-made: this row failed */
	return r;
}

static void quota_describe(const void *o, struct step_plan *plan)
{
	const struct create_op *op = o;
	step_line(plan, "disk quota %u: the quota file from a scan of %s", op->ve->id, op->priv);
}

/* STEP_RECORDS: the quota's own engine walks its rows (and the kernel's question) in a dry run. */
const struct step create_row_quota = {
	.name = "quota init",
	.error_step = VZL_STEP_QUOTA,
	.flags = STEP_RECORDS,
	.when = when_quota,
	.run = quota_run,
	.undo = quota_undo,
	.describe = quota_describe,
};
