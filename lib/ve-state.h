/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A VE's files on the host and their states, shared by create, destroy and status:
 * its paths as its own config gives them, whether its root is mounted, and the leftovers
 * an interrupted create or destroy leaves (ve-state.c).
 */
#ifndef VZL_VE_STATE_H
#define VZL_VE_STATE_H

#include "vzlite.h"

/* The VE's value of a path key (its config over vz.conf), $VEID expanded; NULL if unset. */
int ve_config_path(vzl_ve *ve, const vzl_config *cfg, const char *key, char **ret,
		   vzl_error **err);

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
 *   "<priv>.vzlite-creating"    a marker: a create is under way since before the rename of
 *                               the staging directory and until its config is written;
 *   "<priv>.vzlite-destroying"  where destroy moves the private area before removing it.
 * malloc()ed into *ret; -ENOMEM.
 */
int ve_staging_path(const char *priv, char **ret);
int ve_marker_path(const char *priv, char **ret);
int ve_destroying_path(const char *priv, char **ret);

/*
 * With the VE's lock held: remove what an interrupted create or destroy left. A marker
 * with no config means the create died before its end: the private area it renamed into
 * place (if any) and the root it made are removed. Staging and destroying directories
 * are always removed. Returns 1 when something was cleaned, 0 when nothing was there.
 */
int ve_clean_leftovers(vzl_ve *ve, const char *priv, const char *root, vzl_error **err);

#endif
