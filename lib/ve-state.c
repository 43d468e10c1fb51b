/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A VE's paths, mount state and the leftovers of interrupted creates and destroys. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "ctx.h"
#include "error.h"
#include "fsutil.h"
#include "macro.h"
#include "ve-state.h"

int ve_config_path(vzl_ve *ve, const vzl_config *cfg, const char *key, char **ret,
		   vzl_error **err)
{
	_cleanup_free_ char *raw = NULL;
	int r = vzl_config_get(cfg, key, 0, &raw, NULL, err);
	if (r < 0)
		return r;
	*ret = NULL;
	if (!raw)
		return 0;
	*ret = conf_expand_veid(raw, ve->id);
	if (!*ret)
		return error_set(err, ENAMETOOLONG, ve->id, VZL_STEP_PATH, key,
				 "%s '%s' is longer than 511 bytes once $VEID is expanded", key, raw);
	return 0;
}

int ve_is_mounted(const char *root, const char *priv)
{
	/* The root is a mount point when it and its parent are on different devices; a bind
	 * mount on the same device shows as the root having the private area's inode. */
	struct stat r, parent, p;
	_cleanup_free_ char *up = NULL;
	if (!root || stat(root, &r) < 0 || asprintf(&up, "%s/..", root) < 0 || stat(up, &parent) < 0)
		return 0;
	if (r.st_dev != parent.st_dev)
		return 1;
	return priv && stat(priv, &p) == 0 && p.st_dev == r.st_dev && p.st_ino == r.st_ino;
}

int ve_kernel_lists(vzl_ve *ve, vzl_error **err)
{
	int r = kernel_open(&ve->ctx->kernel, err);
	if (r < 0) {
		error_set_veid(err, ve->id);
		return r;
	}
	r = kernel_env_test(&ve->ctx->kernel, ve->id);
	if (r < 0)
		return error_set(err, -r, ve->id, VZL_STEP_ENV_CREATE, NULL,
				 "cannot ask the kernel whether VE %u runs: %s", ve->id,
				 strerror(-r));
	return r;
}

static int suffixed(const char *priv, const char *suffix, char **ret)
{
	return asprintf(ret, "%s%s", priv, suffix) < 0 ? -ENOMEM : 0;
}

int ve_staging_path(const char *priv, char **ret)
{
	return suffixed(priv, ".tmp", ret);
}

int ve_marker_path(const char *priv, char **ret)
{
	return suffixed(priv, ".vzlite-creating", ret);
}

int ve_destroying_path(const char *priv, char **ret)
{
	return suffixed(priv, ".vzlite-destroying", ret);
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int ve_clean_leftovers(vzl_ve *ve, const char *priv, const char *root, vzl_error **err)
{
	_cleanup_free_ char *staging = NULL, *marker = NULL, *destroying = NULL;
	if (ve_staging_path(priv, &staging) < 0 || ve_marker_path(priv, &marker) < 0 ||
	    ve_destroying_path(priv, &destroying) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");

	int cleaned = 0, r;
	if (exists(marker)) {
		/* The config is written last: without it the create never finished. */
		if (access(ve->config_path, F_OK) < 0) {
			log_warning(ve->ctx, "VE %u: removing %s left by an interrupted create",
				    ve->id, priv);
			r = fs_remove_tree(priv, ve->id, VZL_STEP_EXTRACT, err);
			if (r < 0)
				return r;
			if (root)
				(void)rmdir(root); /* only if empty: never a mounted or used root */
		}
		if (unlink(marker) < 0 && errno != ENOENT)
			return error_set(err, errno, ve->id, VZL_STEP_EXTRACT, NULL,
					 "cannot remove the marker %s: %m", marker);
		cleaned = 1;
	}
	const char *dirs[] = { staging, destroying };
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		if (!exists(dirs[i]))
			continue;
		log_warning(ve->ctx, "VE %u: removing leftover %s", ve->id, dirs[i]);
		r = fs_remove_tree(dirs[i], ve->id, VZL_STEP_EXTRACT, err);
		if (r < 0)
			return r;
		cleaned = 1;
	}
	return cleaned;
}
