/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A VE's files on the host and their states, shared by create, destroy and status: whether
 * its root is mounted, and the leftovers an interrupted create or destroy leaves (ve-state.c).
 * Its paths come from struct ve_spec (ve-spec.h).
 */
#ifndef VZL_VE_STATE_H
#define VZL_VE_STATE_H

#include "vzlite.h"

/* vzctl's test (src/lib/fs_simfs.c, vps_is_mounted): 1 mounted, 0 not. */
int ve_is_mounted(const char *root, const char *priv);

/*
 * Does the kernel list the VE (running or stopping)? 1 or 0; -errno with *err when
 * /dev/vzctl cannot be opened (VZL_STEP_KERNEL_OPEN) or the kernel gives another answer
 * (VZL_STEP_ENV_CREATE), which vzctl would count as "running".
 */
int ve_kernel_lists(vzl_ve *ve, vzl_error **err);

/*
 * Names beside the private area `priv`:
 *   "<priv>.tmp"                where a create extracts (vzctl's name);
 *   "<priv>.vzlite-destroying"  where destroy moves the private area before removing it;
 *   "<priv>.vzlite-creating"    the marker of older vzlite versions, only ever removed.
 * malloc()ed into *ret; -ENOMEM.
 */
int ve_staging_path(const char *priv, char **ret);
int ve_marker_path(const char *priv, char **ret);
int ve_destroying_path(const char *priv, char **ret);

/*
 * "<VEID>.conf.vzlite-creating" beside the VE's config: the marker of a create under way. It
 * holds the config the create will commit and is renamed onto "<VEID>.conf" as the create's
 * last step, so it never outlives a finished create.
 */
int ve_pending_config_path(const vzl_ve *ve, char **ret);
/* The commit of a create: rename the pending config onto the config, sync the directory. */
int ve_commit_pending(const vzl_ve *ve, const char *pending, vzl_error **err);

/*
 * Refuse (-EBUSY, VZL_STEP_MOUNT, exit 41) when something is mounted at or below one of the
 * `n` paths (NULL entries skipped), naming the mount point and the fix. -errno when the
 * mount table cannot be read. Nothing is changed either way.
 */
int ve_refuse_mounts(vzl_ve *ve, const char *const *paths, size_t n, vzl_error **err);

/*
 * With the VE's lock held: finish what an interrupted create or destroy left.
 * A pending config (a create's marker) is judged by what the create did before it died:
 *   - its private area was renamed into place (the staging directory is gone, the private
 *     area the pending config names is not empty): the tree is complete, so the create is
 *     completed: the root is made and the pending config becomes the config;
 *   - otherwise it is rolled back: the staging directory, the pending config and an empty
 *     root go. A private area is never removed here.
 * Staging and destroying directories beside `priv` are always removed, as are the temporary
 * files of a killed write of the pending config. Nothing is touched when a mount point is
 * inside what would be removed (-EBUSY). Returns 0 when nothing was there, 1 when something
 * was cleaned, 2 when an interrupted create was completed (the config exists now).
 */
#define VE_LEFTOVERS_COMPLETED 2
int ve_clean_leftovers(vzl_ve *ve, const char *priv, const char *root, vzl_error **err);

#endif
