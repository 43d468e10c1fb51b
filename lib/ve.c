/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzl_ve: one VE by VEID, with its paths resolved from its config over the context's. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf-layer.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "veid.h"

int veid_parse(const char *text, unsigned *ret)
{
	unsigned long long v = 0;

	/* vzctl (src/vzctl.c, parse_int) takes 0..2147483644 through strtol, so " 105",
	 * "+105" and "0105" too; only the canonical spelling names a VE here. */
	if (!text || !*text || (text[0] == '0' && text[1]))
		return -EINVAL;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*p - '0');
		if (v > VZL_VEID_MAX)
			return -EINVAL;
	}
	*ret = (unsigned)v;
	return 0;
}

VZL_API int vzl_veid_parse(const char *text, unsigned int *ret, vzl_error **err)
{
	if (veid_parse(text, ret) < 0)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL, "bad VE ID '%s': %s",
				 text ? text : "", VEID_RULE);
	return 0;
}

int ve_check_reserved(unsigned veid, const char *what, vzl_error **err)
{
	if (veid == 0 || veid >= VEID_FIRST_FREE)
		return 0;
	return error_set(err, EINVAL, veid, VZL_STEP_ARGUMENT, NULL,
			 "VE IDs 1 to 100 are reserved (vzctl's manual), so %s cannot make VE "
			 "%u; use a VE ID from %u to %u",
			 what, veid, VEID_FIRST_FREE, VZL_VEID_MAX);
}

/*
 * A VE config that sets VE_PRIVATE or VE_ROOT itself overrides vz.conf (vzctl-behaviour.md
 * §2.2), as for every operation (ve-spec.h); otherwise the context's path counts. `own` is
 * the VE config, or NULL when it does not exist (yet) or cannot be read; the operations
 * that read it report that.
 */
static int expand_path(vzl_ve *ve, const struct conf *own, enum vzl_path which, char **ret,
		       vzl_error **err)
{
	_cleanup_free_ char *mine = NULL;
	if (own &&
	    conf_lookup(own, param_find(vzl_path_name(which)), units_native(), &mine, NULL) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	const char *raw = mine ? mine : ve->ctx->paths[which];
	if (!raw) {
		*ret = NULL; /* operations that need it say so (vzctl: exit 22/23) */
		return 0;
	}
	*ret = conf_expand_veid(raw, ve->id);
	if (!*ret)
		return error_set(err, ENAMETOOLONG, ve->id, VZL_STEP_PATH, vzl_path_name(which),
				 "%s '%s' is longer than 511 bytes once $VEID is expanded",
				 vzl_path_name(which), raw);
	return 0;
}

VZL_API int vzl_ve_open(vzl_ctx *ctx, unsigned int veid, vzl_ve **ret, vzl_error **err)
{
	if (veid > VZL_VEID_MAX)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL,
				 "bad VE ID %u: use a number from 0 to %u", veid, VZL_VEID_MAX);
	vzl_ve *ve = calloc(1, sizeof(*ve));
	if (!ve)
		return error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	ve->ctx = ctx;
	ve->id = veid;
	int r = 0;
	if (asprintf(&ve->config_path, "%s/%u.conf", ctx->paths[VZL_PATH_CONF_DIR], veid) < 0)
		r = error_set(err, ENOMEM, veid, VZL_STEP_NONE, NULL, "out of memory");
	struct conf *own = NULL;
	struct stat st; /* never wait on a FIFO planted as the config */
	if (r >= 0 && stat(ve->config_path, &st) == 0 && S_ISREG(st.st_mode))
		(void)conf_read(ve->config_path, &own, NULL);
	if (r >= 0)
		r = expand_path(ve, own, VZL_PATH_VE_PRIVATE, &ve->private_dir, err);
	if (r >= 0)
		r = expand_path(ve, own, VZL_PATH_VE_ROOT, &ve->root_dir, err);
	conf_free(own);
	if (r < 0) {
		vzl_ve_free(ve);
		return r;
	}
	*ret = ve;
	return 0;
}

VZL_API void vzl_ve_free(vzl_ve *ve)
{
	if (!ve)
		return;
	free(ve->private_dir);
	free(ve->root_dir);
	free(ve->config_path);
	free(ve);
}

VZL_API unsigned int vzl_ve_id(const vzl_ve *ve)
{
	return ve->id;
}

VZL_API const char *vzl_ve_private(const vzl_ve *ve)
{
	return ve->private_dir;
}

VZL_API const char *vzl_ve_root(const vzl_ve *ve)
{
	return ve->root_dir;
}

VZL_API const char *vzl_ve_config_path(const vzl_ve *ve)
{
	return ve->config_path;
}
