/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Creating a VE from a template cache and a profile (vzctl-behaviour.md §3.1).
 *
 * Order, chosen so that no interruption leaves a VE that looks created (status wants the
 * config and the private area) and the next create, define or destroy can settle it:
 *   1. check everything and build the config in memory (nothing written yet);
 *   2. take the VE's lock, settle leftovers of an interrupted create or destroy;
 *   3. write the config to be committed as "<VEID>.conf.vzlite-creating" (the marker),
 *      extract into "<priv>.tmp", flush the filesystem, make the root mount point, rename
 *      the staging directory to the private area;
 *   4. commit: rename the marker onto <VEID>.conf. The marker cannot outlive a finished
 *      create: the one rename that makes the config removes it.
 * A failure undoes what this create made. After a kill, the marker tells the next command
 * (under the lock) what happened: a private area renamed into place is complete and the
 * create is completed; anything earlier is rolled back (ve-state.c, ve_clean_leftovers).
 * A config that exists before the create (`set --save`) is continued with, as vzctl does
 * (vzctl-behaviour.md §1.3), unless --config names a profile.
 *
 * Steps 2-4 are rows of a step table (create-steps.c) run by the step engine (step.h),
 * which undoes them in reverse on failure and prints them for --dry-run.
 *
 * The first-level quota vzctl sets up around the extraction is not done yet: the
 * DISKSPACE/DISKINODES limits are kept in the config and take effect with the quota work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "conf.h"
#include "conf-write.h"
#include "create-steps.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "step.h"
#include "ve-spec.h"
#include "veid.h"
#include "ve-state.h"

/* vzctl's lookup order (§1.5), plus .tar.zst which libarchive reads as well. */
static const char *const cache_suffixes[] = { ".tar", ".tar.gz", ".tar.bz2", ".tar.xz",
					      ".tar.zst" };

/* 1: *ret is the cache of `name` (length `len`), 0: none, -ENOMEM. */
static int lookup_cache(const char *tdir, const char *name, size_t len, char **ret)
{
	for (size_t i = 0; i < ELEMENTSOF(cache_suffixes); i++) {
		char *path;
		if (asprintf(&path, "%s/cache/%.*s%s", tdir, (int)len, name, cache_suffixes[i]) < 0)
			return -ENOMEM;
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			*ret = path;
			return 1;
		}
		free(path);
	}
	return 0;
}

static int find_cache(const vzl_ve *ve, const char *name, char **ret, vzl_error **err)
{
	const char *tdir = ve->ctx->paths[VZL_PATH_TEMPLATE];
	int r = lookup_cache(tdir, name, strlen(name), ret);
	if (r < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	if (r > 0)
		return 0;
	/* OSTEMPLATE is a name, as vzctl has it: "demo.tar.gz" is looked up as
	 * "demo.tar.gz.tar.gz". Say so rather than accept a second spelling of one template. */
	size_t n = strlen(name);
	for (size_t i = 0; i < ELEMENTSOF(cache_suffixes); i++) {
		size_t sl = strlen(cache_suffixes[i]);
		if (n <= sl || strcmp(name + n - sl, cache_suffixes[i]) != 0)
			continue;
		_cleanup_free_ char *other = NULL;
		if ((r = lookup_cache(tdir, name, n - sl, &other)) < 0)
			return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
		return error_set(err, ENOENT, ve->id, VZL_STEP_TEMPLATE, "OSTEMPLATE",
				 "no template cache %s/cache/%s.tar{,.gz,.bz2,.xz,.zst}: a "
				 "template is named without its cache's suffix; drop '%s' and use "
				 "--ostemplate %.*s%s%s",
				 tdir, name, cache_suffixes[i], (int)(n - sl), name,
				 r ? ", whose cache is " : "", r ? other : "");
	}
	return error_set(err, ENOENT, ve->id, VZL_STEP_TEMPLATE, "OSTEMPLATE",
			 "no template cache %s/cache/%s.tar{,.gz,.bz2,.xz,.zst}; put the cache "
			 "there or choose another --ostemplate",
			 tdir, name);
}

void create_op_done(struct create_op *p)
{
	vzl_config_free(p->cfg);
	free(p->profile_path);
	free(p->tmpl);
	free(p->cache);
	free(p->priv);
	free(p->root);
	free(p->staging);
	free(p->pending);
}

static int set_value(struct create_op *p, const char *key, const char *value, vzl_error **err)
{
	int r = vzl_config_set(p->cfg, key, value, err);
	if (r < 0)
		error_set_veid(err, p->ve->id);
	return r < 0 ? r : 0;
}

/* OSTEMPLATE: --ostemplate, else the config's (or profile's), else DEF_OSTEMPLATE (§3.1 step 7). */
static int choose_template(struct create_op *p, vzl_error **err)
{
	vzl_ve *ve = p->ve;
	vzl_ctx *ctx = ve->ctx;
	_cleanup_free_ char *own = NULL;
	int r = vzl_config_get(p->cfg, "OSTEMPLATE", 0, &own, NULL, err);
	if (r < 0)
		return r;
	const char *t = p->opts->ostemplate ? p->opts->ostemplate
			: own               ? own
					    : conf_get(ctx->global, "DEF_OSTEMPLATE");
	if (!t || !*t)
		return error_set(err, EINVAL, ve->id, VZL_STEP_TEMPLATE, "OSTEMPLATE",
				 "no OS template: give --ostemplate NAME or set DEF_OSTEMPLATE in "
				 "%s",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (!(p->tmpl = strdup(t)))
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	if ((r = create_check_value("OSTEMPLATE", p->tmpl, err)) < 0 ||
	    (r = find_cache(ve, p->tmpl, &p->cache, err)) < 0)
		return r;
	return 0;
}

/*
 * What libvirt's OpenVZ driver needs to read the new config (libvirt-openvz.md §4.1, §6.3),
 * where vzlite differs from vzctl on purpose: ONBOOT="no" when the profile has no ONBOOT
 * (libvirt 9.0.0's dominfo crashes without it), and every UB key, DISKSPACE and DISKINODES
 * of the profile rewritten as two plain decimals in the key's unit, LONG_MAX for unlimited
 * ("2G:2.2G" becomes "2097152:2306867"; libvirt drops suffixed, single and unlimited
 * values). A value the loader already warned about as invalid stays as it was.
 */
static int libvirt_readable(struct create_op *p, vzl_error **err)
{
	const struct conf *file = p->cfg->file;
	int r;
	const char *onboot = conf_get(file, "ONBOOT");
	if ((!onboot || !*onboot) && (r = set_value(p, "ONBOOT", "no", err)) < 0)
		return r;
	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *d = &param_table[i];
		const char *v = conf_get(file, d->name);
		if (!v || (d->type != PARAM_T_UBC && d->type != PARAM_T_DISK))
			continue;
		_cleanup_free_ char *text = strdup(v);
		if (!text)
			return error_set(err, ENOMEM, p->ve->id, VZL_STEP_NONE, NULL,
					 "out of memory");
		vzl_error *bad = NULL;
		r = vzl_config_set(p->cfg, d->name, text, &bad);
		if (r < 0 && vzl_error_code(bad) == ENOMEM) {
			vzl_error_free(bad);
			return error_set(err, ENOMEM, p->ve->id, VZL_STEP_NONE, NULL,
					 "out of memory");
		}
		vzl_error_free(bad);
	}
	return 0;
}

/*
 * The rest of what vzctl records at create (§3.1 step 17), on the profile's lines (or the
 * existing config's) and what the caller put there.
 */
int create_complete_config(struct create_op *p, vzl_error **err)
{
	const vzl_create_opts *o = p->opts;
	vzl_ve *ve = p->ve;
	const char *profile = p->profile;
	int r;
	if (!p->no_template && (r = choose_template(p, err)) < 0)
		return r;

	/* VE_ROOT and VE_PRIVATE are saved unexpanded, from the options or vz.conf. */
	const char *keys[] = { "VE_PRIVATE", "VE_ROOT" };
	const char *given[] = { o->private_dir, o->root_dir };
	for (int i = 0; i < 2; i++) {
		_cleanup_free_ char *v = NULL;
		if (given[i])
			r = set_value(p, keys[i], given[i], err);
		else if ((r = vzl_config_get(p->cfg, keys[i], 0, &v, NULL, err)) >= 0 && v)
			r = set_value(p, keys[i], v, err);
		else if (r >= 0)
			return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, keys[i],
					 "%s is not set; set it in %s or give --%s", keys[i],
					 ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG],
					 i == 0 ? "private" : "root");
		if (r < 0)
			return r;
	}
	/* The VE as resolved so far: its paths, layout and origin, read once. */
	struct ve_spec spec;
	if ((r = ve_spec_from_config(p->cfg, ve->id, &spec, err)) < 0)
		return r;
	p->priv = TAKE_PTR(spec.private_dir);
	p->root = TAKE_PTR(spec.root_dir);
	bool had_origin = spec.origin_sample != NULL;
	enum value_layout layout = spec.layout.set ? spec.layout.value : VALUE_LAYOUT_SIMFS;
	ve_spec_done(&spec);
	if (layout != VALUE_LAYOUT_SIMFS) {
		_cleanup_free_ char *text = NULL;
		(void)vzl_config_get(p->cfg, "VE_LAYOUT", 0, &text, NULL, NULL);
		return error_set(err, EOPNOTSUPP, ve->id, VZL_STEP_ARGUMENT, "VE_LAYOUT",
				 "VE_LAYOUT=%s: vzlite creates simfs VEs only; set VE_LAYOUT=simfs",
				 text ? text : "ploop");
	}
	if ((r = set_value(p, "VE_LAYOUT", "simfs", err)) < 0 ||
	    (p->tmpl && (r = set_value(p, "OSTEMPLATE", p->tmpl, err)) < 0))
		return r;
	/* ORIGIN_SAMPLE names the profile applied; an existing config had none applied now. */
	if (profile && !had_origin && (r = set_value(p, "ORIGIN_SAMPLE", profile, err)) < 0)
		return r;
	if (o->hostname && (r = set_value(p, "HOSTNAME", o->hostname, err)) < 0)
		return r;
	if (o->name && (r = set_value(p, "NAME", o->name, err)) < 0)
		return r;
	if ((r = libvirt_readable(p, err)) < 0)
		return r;
	if (o->n_ipadd) {
		size_t len = 1;
		for (size_t i = 0; i < o->n_ipadd; i++)
			len += strlen(o->ipadd[i]) + 1;
		_cleanup_free_ char *ips = calloc(1, len);
		if (!ips)
			return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
		for (size_t i = 0; i < o->n_ipadd; i++) {
			if (i)
				strcat(ips, " ");
			strcat(ips, o->ipadd[i]);
		}
		if ((r = set_value(p, "IP_ADDRESS", ips, err)) < 0)
			return r;
	}
	if (ve_staging_path(p->priv, &p->staging) < 0 ||
	    ve_pending_config_path(ve, &p->pending) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

/* vzctl: "Only set actions are allowed for CT0" (src/vzctl.c), exit 21. */
int create_refuse_ct0(const vzl_ve *ve, const char *what, vzl_error **err)
{
	if (ve->id != 0)
		return 0;
	return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL,
			 "VE 0 is the host: only set actions are allowed for CT0, not %s; use a "
			 "VE ID from 1 to %u",
			 what, VZL_VEID_MAX);
}

/* The profile to apply, or the existing config to continue with, opened into p->cfg. */
int create_open_config(struct create_op *p, vzl_error **err)
{
	vzl_ve *ve = p->ve;
	vzl_ctx *ctx = ve->ctx;
	const vzl_create_opts *o = p->opts;
	int r = create_refuse_ct0(ve, p->what, err);
	if (r == 0)
		r = ve_check_reserved(ve->id, p->what, err);
	if (r < 0)
		return r;

	p->had_config = access(ve->config_path, F_OK) == 0;
	if (p->had_config && o->config)
		return error_set(err, EEXIST, ve->id, VZL_STEP_PROFILE, NULL,
				 "a config already exists (%s), so profile '%s' cannot be applied; "
				 "create without --config to continue with that config, or destroy "
				 "the VE or remove the file first",
				 ve->config_path, o->config);
	if (p->had_config) {
		/* vzctl: the sample is not applied, the create goes on with the config (§1.3). */
		log_warning(ctx, "VE %u: %s exists; continuing with it, no profile applied", ve->id,
			    ve->config_path);
	} else {
		const char *profile = o->config ? o->config : conf_get(ctx->global, "CONFIGFILE");
		if (!profile || !*profile)
			return error_set(err, EINVAL, ve->id, VZL_STEP_PROFILE, "CONFIGFILE",
					 "no profile: give --config NAME or set CONFIGFILE in %s",
					 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
		if ((r = create_check_value("CONFIGFILE", profile, err)) < 0)
			return r;
		p->profile = profile;
		if (asprintf(&p->profile_path, "%s/ve-%s.conf-sample",
			     ctx->paths[VZL_PATH_CONF_DIR], profile) < 0)
			return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
		if (access(p->profile_path, R_OK) < 0)
			return error_set(err, errno, ve->id, VZL_STEP_PROFILE, "CONFIGFILE",
					 "profile '%s' not found (%s: %m); choose one of the "
					 "ve-*.conf-sample files in %s",
					 profile, p->profile_path, ctx->paths[VZL_PATH_CONF_DIR]);
	}
	if (!ctx->paths[VZL_PATH_TEMPLATE])
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "TEMPLATE",
				 "TEMPLATE is not set; set it in %s",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	return p->profile_path ? vzl_config_open_file(ctx, p->profile_path, &p->cfg, err)
			       : vzl_config_open_ve(ve, &p->cfg, err);
}

VZL_API int vzl_ve_create(vzl_ve *ve, const vzl_create_opts *o, vzl_error **err)
{
	struct create_op p = {
		.held = { .ve = ve, .lock = { .fd = -1 } }, .ve = ve, .opts = o, .what = "create"
	};
	int r = create_open_config(&p, err);
	if (r == 0)
		r = create_complete_config(&p, err);
	if (r == 0) {
		const struct step steps[] = {
			create_row_lock,    create_row_settle, create_row_check,  create_row_marker,
			create_row_extract, create_row_syncfs, create_row_root,   create_row_rename,
			create_row_quota,   create_row_commit, create_row_config,
		};
		r = step_run(ve->ctx, ve->id, steps, ELEMENTSOF(steps), &p, err);
	}
	create_op_done(&p);
	return r < 0 ? r : 0;
}
