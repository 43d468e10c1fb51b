/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether a VE exists, is mounted and is running (vzctl-behaviour.md §3.8). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "create-opts.h"
#include "ctx.h"
#include "error.h"
#include "kernel.h"
#include "macro.h"
#include "ve-spec.h"
#include "ve-state.h"

VZL_API int vzl_ve_status(vzl_ve *ve, unsigned int *ret, vzl_error **err)
{
	vzl_config *cfg = NULL;
	int r = create_refuse_ct0(ve, "status", err);
	if (r < 0)
		return r;
	/* A VE that stopped from inside is cleaned up first, unless another command holds its
	 * lock (status never waits): then it is reported as it is. */
	vzl_error *cleanup_err = NULL;
	if (!kernel_is_dry_run(&ve->ctx->kernel) &&
	    vzl_ve_cleanup(ve, VZL_CLEANUP_NOWAIT, &cleanup_err) < 0 && cleanup_err &&
	    vzl_error_code(cleanup_err) != EBUSY && vzl_error_code(cleanup_err) != ENOENT)
		log_warning(ve->ctx, "VE %u: %s", ve->id, vzl_error_message(cleanup_err));
	vzl_error_free(cleanup_err);
	if ((r = vzl_config_open_ve(ve, &cfg, err)) < 0)
		return r;
	/* the dump a suspend leaves (§3.11): DUMPDIR of the VE's config, else vz.conf's */
	_cleanup_free_ char *dump_dir = NULL, *dump = NULL;
	r = vzl_config_get(cfg, "DUMPDIR", VZL_GET_DEFAULT, &dump_dir, NULL, err);
	if (r == 0 && dump_dir && asprintf(&dump, "%s/Dump.%u", dump_dir, ve->id) < 0)
		r = error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	struct ve_spec spec;
	if (r == 0)
		r = ve_spec_from_config(cfg, ve->id, &spec, err);
	int exists = vzl_config_exists(cfg);
	vzl_config_free(cfg);
	if (r < 0)
		return r;
	const char *priv = spec.private_dir, *root = spec.root_dir;

	unsigned int flags = 0;
	struct stat st;
	if (exists && priv && stat(priv, &st) == 0 && S_ISDIR(st.st_mode))
		flags |= VZL_STATUS_EXIST;
	if (ve_is_mounted(root, priv))
		flags |= VZL_STATUS_MOUNTED;
	ve_spec_done(&spec);

	/* vzctl counts any unexpected answer as "running" (a QUIRK); here it is an error. */
	r = ve_kernel_lists(ve, err);
	if (r < 0)
		return r;
	if (r > 0)
		flags |= VZL_STATUS_RUNNING;
	/* §3.8: suspended only for an existing, stopped VE whose dump file exists (vzctl: stat) */
	if ((flags & (VZL_STATUS_EXIST | VZL_STATUS_RUNNING)) == VZL_STATUS_EXIST && dump &&
	    stat(dump, &st) == 0)
		flags |= VZL_STATUS_SUSPENDED;
	*ret = flags;
	return 0;
}
