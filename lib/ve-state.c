/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A VE's paths, mount state and the leftovers of interrupted creates and destroys. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "mountinfo.h"
#include "ve-state.h"

int ve_is_mounted(const char *root, const char *priv)
{
	/* The root is a mount point when it and its parent are on different devices; a bind
	 * mount on the same device shows as the root having the private area's inode. */
	struct stat r, parent, p;
	_cleanup_free_ char *up = NULL;
	if (!root || stat(root, &r) < 0 || asprintf(&up, "%s/..", root) < 0 ||
	    stat(up, &parent) < 0)
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

int ve_pending_config_path(const vzl_ve *ve, char **ret)
{
	return suffixed(ve->config_path, ".vzlite-creating", ret);
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int ve_refuse_mounts(vzl_ve *ve, const char *const *paths, size_t n, vzl_error **err)
{
	for (size_t i = 0; i < n; i++) {
		if (!paths[i])
			continue;
		_cleanup_free_ char *mp = NULL;
		int r = mount_first_below(paths[i], &mp);
		if (r < 0)
			return error_set(
				err, -r, ve->id, VZL_STEP_MOUNT, NULL,
				"cannot read the mount table to check %s for mount points: "
				"%s; mount /proc",
				paths[i], strerror(-r));
		if (r > 0)
			return error_set(err, EBUSY, ve->id, VZL_STEP_MOUNT, NULL,
					 "%s is a mount point inside %s of VE %u; unmount it first "
					 "(umount '%s'); nothing was removed",
					 mp, paths[i], ve->id, mp);
	}
	return 0;
}

/* The $VEID-expanded value of `key` in the pending config, or NULL. */
static char *pending_path(const struct conf *c, unsigned veid, const char *key)
{
	const char *raw = c ? conf_get(c, key) : NULL;
	return raw ? conf_expand_veid(raw, veid) : NULL;
}

/* The temporary files of a killed write of the pending config: ".<VEID>.conf.vzlite-creating.*". */
static int remove_pending_temps(const vzl_ve *ve, const char *pending)
{
	_cleanup_free_ char *dir = strdup(pending);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (!slash)
		return 0;
	*slash = '\0';
	_cleanup_free_ char *prefix = NULL;
	if (asprintf(&prefix, ".%s.", slash + 1) < 0)
		return 0;
	DIR *d = opendir(*dir ? dir : "/");
	if (!d)
		return 0;
	struct dirent *e;
	int removed = 0;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0) {
			log_warning(ve->ctx, "VE %u: removed %s/%s left by an interrupted create",
				    ve->id, dir, e->d_name);
			removed = 1;
		}
	closedir(d);
	return removed;
}

static int sync_dir_of(const char *path)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (!slash)
		return -ENOMEM;
	*slash = '\0';
	_cleanup_close_ int fd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 || fsync(fd) < 0 ? -errno : 0;
}

int ve_commit_pending(const vzl_ve *ve, const char *pending, vzl_error **err)
{
	if (rename(pending, ve->config_path) < 0)
		return error_set(err, errno, ve->id, VZL_STEP_CONFIG_WRITE, NULL,
				 "cannot rename %s to %s: %m", pending, ve->config_path);
	int r = sync_dir_of(ve->config_path);
	if (r < 0)
		return error_set(err, -r, ve->id, VZL_STEP_CONFIG_WRITE, NULL,
				 "%s was written but its directory could not be synced: %s",
				 ve->config_path, strerror(-r));
	return 0;
}

/* A create's marker found: complete the create or roll it back (ve-state.h). */
static int settle_pending(vzl_ve *ve, const char *pending, const char *priv, const char *root,
			  vzl_error **err)
{
	struct conf *c = NULL;
	(void)conf_read(pending, &c, NULL); /* unreadable: rolled back with the caller's paths */
	_cleanup_free_ char *ppriv = pending_path(c, ve->id, "VE_PRIVATE");
	_cleanup_free_ char *proot = pending_path(c, ve->id, "VE_ROOT");
	conf_free(c);
	if (!ppriv)
		proot = NULL;
	const char *p = ppriv ? ppriv : priv, *rt = ppriv ? proot : root;
	_cleanup_free_ char *staging = NULL;
	if (!p || ve_staging_path(p, &staging) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	const char *touched[] = { staging, rt };
	int r = ve_refuse_mounts(ve, touched, ELEMENTSOF(touched), err);
	if (r < 0)
		return r;

	if (ppriv && !exists(staging) && fs_dir_has_entries(ppriv) > 0) {
		/* The rename of the synced staging directory happened: the tree is complete. */
		if (rt && (r = fs_mkdir_parents(rt, 0755)) < 0 && r != -EEXIST)
			return error_set(err, -r, ve->id, VZL_STEP_PATH, "VE_ROOT",
					 "cannot create the root mount point %s: %s", rt,
					 strerror(-r));
		if ((r = ve_commit_pending(ve, pending, err)) < 0)
			return r;
		log_warning(ve->ctx,
			    "VE %u: an interrupted create had put its private area %s "
			    "in place; completed it (%s written)",
			    ve->id, ppriv, ve->config_path);
		return VE_LEFTOVERS_COMPLETED;
	}
	log_warning(ve->ctx, "VE %u: removing what an interrupted create left (%s, %s)", ve->id,
		    staging, pending);
	if ((r = fs_remove_tree(staging, ve->id, VZL_STEP_EXTRACT, err)) < 0)
		return r;
	if (rt)
		(void)rmdir(rt); /* only if empty: never a mounted or used root */
	if (unlink(pending) < 0 && errno != ENOENT)
		return error_set(err, errno, ve->id, VZL_STEP_EXTRACT, NULL, "cannot remove %s: %m",
				 pending);
	return 1;
}

int ve_clean_leftovers(vzl_ve *ve, const char *priv, const char *root, vzl_error **err)
{
	_cleanup_free_ char *staging = NULL, *marker = NULL, *destroying = NULL, *pending = NULL;
	if (ve_staging_path(priv, &staging) < 0 || ve_marker_path(priv, &marker) < 0 ||
	    ve_destroying_path(priv, &destroying) < 0 || ve_pending_config_path(ve, &pending) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	const char *dirs[] = { staging, destroying };
	int r = ve_refuse_mounts(ve, dirs, ELEMENTSOF(dirs), err);
	if (r < 0)
		return r;

	int cleaned = remove_pending_temps(ve, pending);
	if (exists(pending) && (cleaned = settle_pending(ve, pending, priv, root, err)) < 0)
		return cleaned;
	/* Older versions' marker: what it guarded is judged like any leftover, never by it,
	 * and removing it alone does not make a destroy of a VE without config succeed. */
	if (unlink(marker) == 0)
		log_warning(ve->ctx, "VE %u: removed %s left by an older vzlite; %s was kept",
			    ve->id, marker, priv);
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		if (!exists(dirs[i]))
			continue;
		log_warning(ve->ctx, "VE %u: removing leftover %s", ve->id, dirs[i]);
		r = fs_remove_tree(dirs[i], ve->id, VZL_STEP_EXTRACT, err);
		if (r < 0)
			return r;
		cleaned = cleaned ? cleaned : 1;
	}
	return cleaned;
}
