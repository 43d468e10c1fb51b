/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether a VE exists, is mounted and is running (vzctl-behaviour.md §3.8). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"

/* The VE's own value of a path key (its config over vz.conf), $VEID expanded; NULL if unset. */
static int ve_path(vzl_ve *ve, const vzl_config *cfg, const char *key, char **ret,
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

/*
 * vzctl's test (src/lib/fs_simfs.c, vps_is_mounted): the root is a mount point when it and
 * its parent are on different devices; a bind mount of the private area on the same device
 * shows as the root having the private area's device and inode. A missing root is unmounted.
 */
static int is_mounted(const char *root, const char *priv)
{
	struct stat r, parent, p;
	_cleanup_free_ char *up = NULL;
	if (!root || stat(root, &r) < 0 || asprintf(&up, "%s/..", root) < 0 || stat(up, &parent) < 0)
		return 0;
	if (r.st_dev != parent.st_dev)
		return 1;
	return priv && stat(priv, &p) == 0 && p.st_dev == r.st_dev && p.st_ino == r.st_ino;
}

VZL_API int vzl_ve_status(vzl_ve *ve, unsigned int *ret, vzl_error **err)
{
	vzl_config *cfg = NULL;
	int r = vzl_config_open_ve(ve, &cfg, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *priv = NULL, *root = NULL;
	r = ve_path(ve, cfg, "VE_PRIVATE", &priv, err);
	if (r >= 0)
		r = ve_path(ve, cfg, "VE_ROOT", &root, err);
	int exists = vzl_config_exists(cfg);
	vzl_config_free(cfg);
	if (r < 0)
		return r;

	unsigned int flags = 0;
	struct stat st;
	if (exists && priv && stat(priv, &st) == 0 && S_ISDIR(st.st_mode))
		flags |= VZL_STATUS_EXIST;
	if (is_mounted(root, priv))
		flags |= VZL_STATUS_MOUNTED;

	if (ve->id == 0) {
		flags |= VZL_STATUS_RUNNING; /* the host always runs */
	} else {
		r = kernel_open(&ve->ctx->kernel, err);
		if (r < 0) {
			error_set_veid(err, ve->id);
			return r;
		}
		/*
		 * vzctl counts any error other than ESRCH/ENOTTY as "running" (a QUIRK); an
		 * unknown answer is reported as an error here instead.
		 */
		r = kernel_env_test(&ve->ctx->kernel, ve->id);
		if (r < 0)
			return error_set(err, -r, ve->id, VZL_STEP_ENV_CREATE, NULL,
					 "cannot ask the kernel whether VE %u runs: %s", ve->id,
					 strerror(-r));
		if (r > 0)
			flags |= VZL_STATUS_RUNNING;
	}
	*ret = flags;
	return 0;
}
