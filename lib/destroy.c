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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "create-opts.h"
#include "ctx.h"
#include "error.h"
#include "fsutil.h"
#include "lock.h"
#include "macro.h"
#include "ve-state.h"

struct doomed {
	char *priv, *root, *destroying, *quota_file, *destroyed_config;
	int has_config;
};

static void doomed_done(struct doomed *d)
{
	free(d->priv);
	free(d->root);
	free(d->destroying);
	free(d->quota_file);
	free(d->destroyed_config);
}

static int resolve(vzl_ve *ve, struct doomed *d, vzl_error **err)
{
	vzl_config *cfg = NULL;
	int r = vzl_config_open_ve(ve, &cfg, err);
	if (r < 0)
		return r;
	d->has_config = vzl_config_exists(cfg);
	r = ve_config_path(ve, cfg, "VE_PRIVATE", &d->priv, err);
	if (r >= 0)
		r = ve_config_path(ve, cfg, "VE_ROOT", &d->root, err);
	vzl_config_free(cfg);
	if (r < 0)
		return r;
	if (!d->priv)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "VE_PRIVATE is not set for VE %u; set it in %s or the VE's config",
				 ve->id, ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (!d->root)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "VE_ROOT is not set for VE %u; set it in %s or the VE's config",
				 ve->id, ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (ve_destroying_path(d->priv, &d->destroying) < 0 ||
	    asprintf(&d->quota_file, "%s/quota.%u", ve->ctx->paths[VZL_PATH_QUOTA_DIR], ve->id) < 0 ||
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

static void plan_print(const vzl_ve *ve, const struct doomed *d)
{
	const vzl_ctx *ctx = ve->ctx;
	ctx_plan(ctx, "lock %s/%u.lck", ctx->paths[VZL_PATH_LOCK_DIR], ve->id);
	ctx_plan(ctx, "refuse if VE %u runs, %s is mounted or a mount point is inside %s", ve->id,
		 d->root, d->priv);
	ctx_plan(ctx, "rename %s to %s, then remove it without following links", d->priv,
		 d->destroying);
	ctx_plan(ctx, "remove %s", d->quota_file);
	ctx_plan(ctx, "rename %s to %s", ve->config_path, d->destroyed_config);
	ctx_plan(ctx, "rmdir %s", d->root);
	ctx_plan(ctx, "unlock %s/%u.lck", ctx->paths[VZL_PATH_LOCK_DIR], ve->id);
}

static int remove_all(vzl_ve *ve, const struct doomed *d, vzl_error **err)
{
	if (rename(d->priv, d->destroying) < 0 && errno != ENOENT)
		return error_set(err, errno, ve->id, VZL_STEP_STATE, "VE_PRIVATE",
				 "cannot move the private area %s aside: %m", d->priv);
	int r = fs_remove_tree(d->destroying, ve->id, VZL_STEP_STATE, err);
	if (r < 0)
		return r;
	if (unlink(d->quota_file) < 0 && errno != ENOENT)
		log_warning(ve->ctx, "VE %u: cannot remove %s: %m", ve->id, d->quota_file);
	if (d->has_config && rename(ve->config_path, d->destroyed_config) < 0)
		return error_set(err, errno, ve->id, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot rename %s to %s: %m", ve->config_path,
				 d->destroyed_config);
	if (rmdir(d->root) < 0 && errno != ENOENT)
		log_warning(ve->ctx, "VE %u: cannot remove the root %s: %m", ve->id, d->root);
	return 0;
}

VZL_API int vzl_ve_destroy(vzl_ve *ve, vzl_error **err)
{
	struct doomed d = { 0 };
	int r = create_refuse_ct0(ve, "destroy", err);
	if (r == 0)
		r = resolve(ve, &d, err);
	if (r < 0)
		goto out;
	if (kernel_is_dry_run(&ve->ctx->kernel)) {
		plan_print(ve, &d);
		goto out;
	}

	struct ve_lock lock;
	r = lock_ve(ve->ctx->paths[VZL_PATH_LOCK_DIR], ve->id, &lock, err);
	if (r < 0)
		goto out;
	r = refuse_if_active(ve, &d, err);
	int cleaned = 0;
	if (r >= 0)
		r = cleaned = ve_clean_leftovers(ve, d.priv, d.root, err);
	if (r == VE_LEFTOVERS_COMPLETED) {
		/* An interrupted create was completed: destroy that VE, by its own config. */
		doomed_done(&d);
		d = (struct doomed){ 0 };
		r = resolve(ve, &d, err);
		if (r >= 0)
			r = refuse_if_active(ve, &d, err);
	}
	/* Like vzctl, nothing is destroyed without a config (exit 14), except the leftovers
	 * of an interrupted create, which never got one. */
	if (r >= 0 && !d.has_config)
		r = cleaned ? 0
			    : error_set(err, ENOENT, ve->id, VZL_STEP_STATE, NULL,
					"VE %u does not exist: there is no %s", ve->id,
					ve->config_path);
	else if (r >= 0)
		r = remove_all(ve, &d, err);
	unlock_ve(&lock);
out:
	doomed_done(&d);
	return r < 0 ? r : 0;
}
