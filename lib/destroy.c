/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Destroying a VE (vzctl-behaviour.md §3.5). The private area is first renamed to
 * "<priv>.vzlite-destroying", then removed without following any link the VE's root user
 * planted inside it; a kill in the middle leaves only that name, which the next create or
 * destroy removes. vzctl removes in a background child; vzlite removes before returning,
 * so a successful destroy has freed the space.
 *
 * Nothing is renamed or removed while anything is mounted inside the private area, its
 * leftovers or the root: a bind mount of a host directory of the same filesystem shares
 * st_dev, so the mount table is read (/proc/self/mountinfo) and the mount point named.
 *
 * The steps are a table run by the step engine (step.h). Only the lock is undone: what
 * destroy removes cannot be put back, so every check comes before the first removal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "create-steps.h"
#include "ctx.h"
#include "error.h"
#include "fsutil.h"
#include "lock.h"
#include "macro.h"
#include "step.h"
#include "ve-spec.h"
#include "ve-state.h"

struct doomed {
	struct op_lock held; /* first: create_row_lock's view */
	vzl_ve *ve;
	char *priv, *root, *destroying, *quota_file, *destroyed_config;
	bool has_config;
	bool nothing_left; /* only leftovers were there, and they are gone */
};

static void doomed_done(struct doomed *d)
{
	free(d->priv);
	free(d->root);
	free(d->destroying);
	free(d->quota_file);
	free(d->destroyed_config);
	d->priv = d->root = d->destroying = d->quota_file = d->destroyed_config = NULL;
}

static int resolve(vzl_ve *ve, struct doomed *d, vzl_error **err)
{
	vzl_config *cfg = NULL;
	int r = vzl_config_open_ve(ve, &cfg, err);
	if (r < 0)
		return r;
	d->has_config = vzl_config_exists(cfg);
	struct ve_spec spec;
	r = ve_spec_from_config(cfg, ve->id, &spec, err);
	vzl_config_free(cfg);
	if (r < 0)
		return r;
	d->priv = TAKE_PTR(spec.private_dir);
	d->root = TAKE_PTR(spec.root_dir);
	ve_spec_done(&spec);
	if (!d->priv)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "VE_PRIVATE is not set for VE %u; set it in %s or the VE's config",
				 ve->id, ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (!d->root)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "VE_ROOT is not set for VE %u; set it in %s or the VE's config",
				 ve->id, ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (ve_destroying_path(d->priv, &d->destroying) < 0 ||
	    asprintf(&d->quota_file, "%s/quota.%u", ve->ctx->paths[VZL_PATH_QUOTA_DIR], ve->id) <
		    0 ||
	    asprintf(&d->destroyed_config, "%s.destroyed", ve->config_path) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

static int refuse_if_active(vzl_ve *ve, const struct doomed *d, vzl_error **err)
{
	int r = ve_kernel_lists(ve, err);
	if (r < 0)
		return r;
	if (r > 0)
		return error_set(err, EBUSY, ve->id, VZL_STEP_STATE, NULL,
				 "VE %u is running; stop it first", ve->id);
	if (ve_is_mounted(d->root, d->priv))
		return error_set(err, EBUSY, ve->id, VZL_STEP_MOUNT, NULL,
				 "VE %u is mounted on %s; unmount it first", ve->id, d->root);
	_cleanup_free_ char *staging = NULL;
	if (ve_staging_path(d->priv, &staging) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	const char *removed[] = { d->priv, d->destroying, staging, d->root };
	return ve_refuse_mounts(ve, removed, ELEMENTSOF(removed), err);
}

static int refuse_run(void *op, vzl_error **err)
{
	struct doomed *d = op;
	return refuse_if_active(d->ve, d, err);
}

static void refuse_describe(const void *op, struct step_plan *plan)
{
	const struct doomed *d = op;
	step_line(plan, "refuse if VE %u runs, %s is mounted or a mount point is inside %s",
		  d->ve->id, d->root, d->priv);
}

/* Leftovers of an interrupted create or destroy; then whether there is a VE to destroy. */
static int settle_run(void *op, vzl_error **err)
{
	struct doomed *d = op;
	vzl_ve *ve = d->ve;
	int r = ve_clean_leftovers(ve, d->priv, d->root, err);
	if (r < 0)
		return r;
	bool cleaned = r > 0;
	if (r == VE_LEFTOVERS_COMPLETED) {
		/* An interrupted create was completed: destroy that VE, by its own config. */
		doomed_done(d);
		if ((r = resolve(ve, d, err)) < 0 || (r = refuse_if_active(ve, d, err)) < 0)
			return r;
	}
	/* Like vzctl, nothing is destroyed without a config (exit 14), except the leftovers
	 * of an interrupted create, which never got one. */
	if (!d->has_config && !cleaned)
		return error_set(err, ENOENT, ve->id, VZL_STEP_STATE, NULL,
				 "VE %u does not exist: there is no %s", ve->id, ve->config_path);
	d->nothing_left = !d->has_config;
	return 0;
}

static void settle_describe(const void *op, struct step_plan *plan)
{
	const struct doomed *d = op;
	step_line(plan, "settle leftovers of an interrupted create or destroy of VE %u", d->ve->id);
}

static bool when_ve(const void *op)
{
	return !((const struct doomed *)op)->nothing_left;
}

static int private_run(void *op, vzl_error **err)
{
	struct doomed *d = op;
	if (rename(d->priv, d->destroying) < 0 && errno != ENOENT)
		return error_set(err, errno, d->ve->id, VZL_STEP_STATE, "VE_PRIVATE",
				 "cannot move the private area %s aside: %m", d->priv);
	return fs_remove_tree(d->destroying, d->ve->id, VZL_STEP_STATE, err);
}

static void private_describe(const void *op, struct step_plan *plan)
{
	const struct doomed *d = op;
	step_line(plan, "rename %s to %s, then remove it without following links", d->priv,
		  d->destroying);
}

static int quota_run(void *op, vzl_error **err)
{
	struct doomed *d = op;
	(void)err;
	if (unlink(d->quota_file) < 0 && errno != ENOENT)
		log_warning(d->ve->ctx, "VE %u: cannot remove %s: %m", d->ve->id, d->quota_file);
	return 0;
}

static void quota_describe(const void *op, struct step_plan *plan)
{
	step_line(plan, "remove %s", ((const struct doomed *)op)->quota_file);
}

static int config_run(void *op, vzl_error **err)
{
	struct doomed *d = op;
	if (rename(d->ve->config_path, d->destroyed_config) < 0)
		return error_set(err, errno, d->ve->id, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot rename %s to %s: %m", d->ve->config_path,
				 d->destroyed_config);
	return 0;
}

static void config_describe(const void *op, struct step_plan *plan)
{
	const struct doomed *d = op;
	step_line(plan, "rename %s to %s", d->ve->config_path, d->destroyed_config);
}

static int root_run(void *op, vzl_error **err)
{
	struct doomed *d = op;
	(void)err;
	if (rmdir(d->root) < 0 && errno != ENOENT)
		log_warning(d->ve->ctx, "VE %u: cannot remove the root %s: %m", d->ve->id, d->root);
	return 0;
}

static void root_describe(const void *op, struct step_plan *plan)
{
	step_line(plan, "rmdir %s", ((const struct doomed *)op)->root);
}

static const struct step destroy_rows[] = {
	{ .name = "refuse",
	  .error_step = VZL_STEP_STATE,
	  .flags = STEP_CHECKS,
	  .run = refuse_run,
	  .describe = refuse_describe },
	{ .name = "settle",
	  .error_step = VZL_STEP_STATE,
	  .run = settle_run,
	  .describe = settle_describe },
	{ .name = "remove private area",
	  .error_step = VZL_STEP_STATE,
	  .when = when_ve,
	  .run = private_run,
	  .describe = private_describe },
	{ .name = "remove quota file",
	  .error_step = VZL_STEP_STATE,
	  .when = when_ve,
	  .run = quota_run,
	  .describe = quota_describe },
	{ .name = "rename config",
	  .error_step = VZL_STEP_CONFIG_WRITE,
	  .when = when_ve,
	  .run = config_run,
	  .describe = config_describe },
	{ .name = "remove root",
	  .error_step = VZL_STEP_PATH,
	  .when = when_ve,
	  .run = root_run,
	  .describe = root_describe },
};

VZL_API int vzl_ve_destroy(vzl_ve *ve, vzl_error **err)
{
	struct doomed d = { .held = { .ve = ve, .lock = { .fd = -1 } }, .ve = ve };
	int r = create_refuse_ct0(ve, "destroy", err);
	if (r == 0)
		r = resolve(ve, &d, err);
	if (r == 0) {
		struct step steps[1 + ELEMENTSOF(destroy_rows)] = { create_row_lock };
		for (size_t i = 0; i < ELEMENTSOF(destroy_rows); i++)
			steps[i + 1] = destroy_rows[i];
		r = step_run(ve->ctx, ve->id, steps, ELEMENTSOF(steps), &d, err);
	}
	doomed_done(&d);
	return r < 0 ? r : 0;
}
