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
 * The first-level quota vzctl sets up around the extraction is not done yet: the
 * DISKSPACE/DISKINODES limits are kept in the config and take effect with the quota work.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "conf-write.h"
#include "create-opts.h"
#include "ctx.h"
#include "error.h"
#include "extract.h"
#include "fsutil.h"
#include "lock.h"
#include "macro.h"
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

/* vzctl: VE_PRIVATE must not exist, or be an empty directory (exit 44). */
static int private_is_free(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT;
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

/* Everything a create needs, resolved before anything is written. */
struct plan {
	vzl_ve *ve;
	const vzl_create_opts *opts;
	vzl_config *cfg;       /* the profile's lines plus this create's values */
	char *profile_path;    /* NULL: an existing config is continued with */
	int had_config;        /* <VEID>.conf existed when the plan was made */
	char *tmpl;
	char *cache;
	char *priv, *root;     /* expanded */
	char *staging, *pending;
	const struct create_hooks *hooks; /* define's additions, or NULL */
	int extract;           /* the private area is made from the cache */
};

static void plan_done(struct plan *p)
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

static int set_value(struct plan *p, const char *key, const char *value, vzl_error **err)
{
	int r = vzl_config_set(p->cfg, key, value, err);
	if (r < 0)
		error_set_veid(err, p->ve->id);
	return r < 0 ? r : 0;
}

/* OSTEMPLATE: --ostemplate, else the config's (or profile's), else DEF_OSTEMPLATE (§3.1 step 7). */
static int choose_template(struct plan *p, vzl_error **err)
{
	vzl_ve *ve = p->ve;
	vzl_ctx *ctx = ve->ctx;
	_cleanup_free_ char *own = NULL;
	int r = vzl_config_get(p->cfg, "OSTEMPLATE", 0, &own, NULL, err);
	if (r < 0)
		return r;
	const char *t = p->opts->ostemplate ? p->opts->ostemplate
			: own			   ? own
						   : conf_get(ctx->global, "DEF_OSTEMPLATE");
	if (!t || !*t)
		return error_set(err, EINVAL, ve->id, VZL_STEP_TEMPLATE, "OSTEMPLATE",
				 "no OS template: give --ostemplate NAME or set DEF_OSTEMPLATE in "
				 "%s",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (!(p->tmpl = strdup(t)))
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	if ((r = create_check_name("template", "OSTEMPLATE", p->tmpl, err)) < 0 ||
	    (r = find_cache(ve, p->tmpl, &p->cache, err)) < 0)
		return r;
	return 0;
}

/*
 * The profile's lines (or the existing config's), then what vzctl records at create
 * (§3.1 step 17).
 */
static int build_config(struct plan *p, const char *profile, vzl_error **err)
{
	const vzl_create_opts *o = p->opts;
	vzl_ve *ve = p->ve;
	int r = p->profile_path ? vzl_config_open_file(ve->ctx, p->profile_path, &p->cfg, err)
				: vzl_config_open_ve(ve, &p->cfg, err);
	if (r < 0)
		return r;
	if (p->hooks && p->hooks->values && (r = p->hooks->values(p->cfg, p->hooks->userdata, err)) < 0)
		return r;
	if (!(p->hooks && (p->hooks->flags & CREATE_NO_TEMPLATE)) &&
	    (r = choose_template(p, err)) < 0)
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
	if ((r = ve_config_path(ve, p->cfg, "VE_PRIVATE", &p->priv, err)) < 0 ||
	    (r = ve_config_path(ve, p->cfg, "VE_ROOT", &p->root, err)) < 0)
		return r;

	_cleanup_free_ char *layout = NULL, *origin = NULL;
	if ((r = vzl_config_get(p->cfg, "VE_LAYOUT", 0, &layout, NULL, err)) < 0)
		return r;
	if (layout && strncmp(layout, "ploop", 5) == 0)
		return error_set(err, EOPNOTSUPP, ve->id, VZL_STEP_ARGUMENT, "VE_LAYOUT",
				 "VE_LAYOUT=%s: vzlite creates simfs VEs only; set VE_LAYOUT=simfs",
				 layout);
	if ((r = set_value(p, "VE_LAYOUT", "simfs", err)) < 0 ||
	    (p->tmpl && (r = set_value(p, "OSTEMPLATE", p->tmpl, err)) < 0))
		return r;
	/* ORIGIN_SAMPLE names the profile applied; an existing config had none applied now. */
	if (profile && (r = vzl_config_get(p->cfg, "ORIGIN_SAMPLE", 0, &origin, NULL, err)) < 0)
		return r;
	if (profile && !origin && (r = set_value(p, "ORIGIN_SAMPLE", profile, err)) < 0)
		return r;
	if (o->hostname && (r = set_value(p, "HOSTNAME", o->hostname, err)) < 0)
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
	if (p->hooks && p->hooks->finish)
		return p->hooks->finish(p->cfg, p->hooks->userdata, err);
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

static int resolve(struct plan *p, vzl_error **err)
{
	vzl_ve *ve = p->ve;
	vzl_ctx *ctx = ve->ctx;
	const vzl_create_opts *o = p->opts;
	int r;

	p->had_config = access(ve->config_path, F_OK) == 0;
	const char *profile = NULL;
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
		profile = o->config ? o->config : conf_get(ctx->global, "CONFIGFILE");
		if (!profile || !*profile)
			return error_set(err, EINVAL, ve->id, VZL_STEP_PROFILE, "CONFIGFILE",
					 "no profile: give --config NAME or set CONFIGFILE in %s",
					 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
		if ((r = create_check_name("profile", "CONFIGFILE", profile, err)) < 0)
			return r;
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
	if ((r = build_config(p, profile, err)) < 0)
		return r;
	if (ve_staging_path(p->priv, &p->staging) < 0 || ve_pending_config_path(ve, &p->pending) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

static int check_private_free(struct plan *p, vzl_error **err)
{
	p->extract = p->cache != NULL;
	if (!p->extract)
		return 0;
	if (!private_is_free(p->priv) && p->hooks && (p->hooks->flags & CREATE_KEEP_PRIVATE)) {
		log_info(p->ve->ctx, "VE %u: private area %s exists; kept, not extracted", p->ve->id,
			 p->priv);
		p->extract = 0;
		return 0;
	}
	if (!private_is_free(p->priv))
		return error_set(err, EEXIST, p->ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "private area %s already exists and is not empty; destroy VE %u "
				 "or choose another --private",
				 p->priv, p->ve->id);
	return 0;
}

static void plan_print(const struct plan *p)
{
	const vzl_ctx *ctx = p->ve->ctx;
	unsigned id = p->ve->id;
	ctx_plan(ctx, "lock %s/%u.lck", ctx->paths[VZL_PATH_LOCK_DIR], id);
	ctx_plan(ctx, "settle leftovers of an interrupted create or destroy of VE %u", id);
	const char *from = p->profile_path ? p->profile_path : p->ve->config_path;
	if (p->extract) {
		ctx_plan(ctx, "write %s from %s with OSTEMPLATE=\"%s\"", p->pending, from,
			 p->tmpl ? p->tmpl : "");
		ctx_plan(ctx, "extract %s into %s (numeric owners, permissions, xattrs, ACLs)",
			 p->cache, p->staging);
		ctx_plan(ctx, "syncfs, mkdir %s, rename %s to %s", p->root, p->staging, p->priv);
		ctx_plan(ctx, "rename %s to %s", p->pending, p->ve->config_path);
	} else {
		ctx_plan(ctx, "mkdir %s", p->root);
		ctx_plan(ctx, "write %s from %s with OSTEMPLATE=\"%s\"", p->ve->config_path, from,
			 p->tmpl ? p->tmpl : "");
	}
	ctx_plan(ctx, "unlock %s/%u.lck", ctx->paths[VZL_PATH_LOCK_DIR], id);
}

struct progress_relay {
	vzl_progress_fn fn;
	void *userdata;
};

static int relay_progress(const struct extract_progress *e, void *userdata)
{
	struct progress_relay *r = userdata;
	return r->fn(r->userdata, e->archive_bytes, e->archive_size, e->entries);
}

/* Steps 3 and 4 of the file comment; on failure everything made here is removed. */
static int build_ve(struct plan *p, vzl_error **err)
{
	vzl_ve *ve = p->ve;
	int r, renamed = 0, made_root = 0;

	if (!p->extract) {
		/* Define of a VE whose private area is given (type='mount') or already there. */
		r = fs_mkdir_parents(p->root, 0755);
		if (r < 0 && r != -EEXIST)
			return error_set(err, -r, ve->id, VZL_STEP_PATH, "VE_ROOT",
					 "cannot create the root mount point %s: %s", p->root,
					 strerror(-r));
		made_root = r == 0;
		r = config_save_as(p->cfg, ve->config_path, err);
		if (r < 0 && made_root)
			(void)rmdir(p->root);
		return r;
	}

	/* The marker: the config this create commits at its end (file comment). */
	r = config_save_as(p->cfg, p->pending, err);
	if (r < 0) {
		error_set_veid(err, ve->id);
		return r;
	}
	_cleanup_free_ char *parent = strdup(p->priv);
	char *slash = parent ? strrchr(parent, '/') : NULL;
	if (slash && slash != parent) {
		*slash = '\0';
		r = fs_mkdir_parents(parent, 0755); /* the private area's parent may not exist yet */
		if (r < 0 && r != -EEXIST) {
			r = error_set(err, -r, ve->id, VZL_STEP_EXTRACT, "VE_PRIVATE",
				      "cannot create %s: %s", parent, strerror(-r));
			goto undo;
		}
	}
	if (mkdir(p->staging, 0700) < 0) {
		r = error_set(err, errno, ve->id, VZL_STEP_EXTRACT, "VE_PRIVATE",
			      "cannot create the staging directory %s: %m", p->staging);
		goto undo;
	}
	struct progress_relay relay = { p->opts->progress, p->opts->progress_userdata };
	struct extract_opts eo = {
		.veid = ve->id,
		.progress = relay.fn ? relay_progress : NULL,
		.userdata = &relay,
		.sync = true, /* the rename below must not outlive the data in a crash */
	};
	r = extract_archive(p->cache, p->staging, &eo, NULL, err);
	if (r < 0)
		goto undo; /* the message names the archive and the entry */
	r = fs_mkdir_parents(p->root, 0755);
	if (r < 0 && r != -EEXIST) {
		r = error_set(err, -r, ve->id, VZL_STEP_PATH, "VE_ROOT",
			      "cannot create the root mount point %s: %s", p->root, strerror(-r));
		goto undo;
	}
	made_root = r == 0;
	/* vps-create leaves the private area's top directory 0755 (vzctl-behaviour.md §3.1). */
	if (chmod(p->staging, 0755) < 0 ||
	    ((rmdir(p->priv) < 0 && errno != ENOENT) || rename(p->staging, p->priv) < 0)) {
		r = error_set(err, errno, ve->id, VZL_STEP_EXTRACT, "VE_PRIVATE",
			      "cannot move %s into place as %s: %m", p->staging, p->priv);
		goto undo;
	}
	renamed = 1;
	r = ve_commit_pending(ve, p->pending, err);
	if (r < 0 && access(p->pending, F_OK) == 0)
		goto undo; /* not renamed: nothing committed */
	return r; /* renamed but not synced: the VE exists, the error says so */

undo:
	(void)fs_remove_tree(p->staging, ve->id, VZL_STEP_EXTRACT, NULL);
	if (renamed)
		(void)fs_remove_tree(p->priv, ve->id, VZL_STEP_EXTRACT, NULL);
	if (made_root)
		(void)rmdir(p->root);
	(void)unlink(p->pending);
	return r;
}

int create_run(vzl_ve *ve, const vzl_create_opts *o, const struct create_hooks *hooks,
	       vzl_error **err)
{
	struct plan p = { .ve = ve, .opts = o, .hooks = hooks };
	int r = create_refuse_ct0(ve, hooks ? "define" : "create", err);
	if (r == 0)
		r = resolve(&p, err);
	if (r < 0)
		goto out;
	if (hooks && hooks->ret_config) {
		size_t len;
		if (conf_serialize(p.cfg->file, hooks->ret_config, &len) < 0) {
			r = error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
			goto out;
		}
	}
	if (kernel_is_dry_run(&ve->ctx->kernel)) {
		r = check_private_free(&p, err);
		if (r == 0)
			plan_print(&p);
		goto out;
	}

	struct ve_lock lock;
	r = lock_ve(ve->ctx->paths[VZL_PATH_LOCK_DIR], ve->id, &lock, err);
	if (r < 0)
		goto out;
	r = ve_clean_leftovers(ve, p.priv, p.root, err);
	if (r == VE_LEFTOVERS_COMPLETED)
		r = error_set(err, EEXIST, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
			      "VE %u exists: an interrupted create had made its private area %s, "
			      "and it was completed now; %s",
			      ve->id, p.priv,
			      hooks ? "run define again to re-define it"
				    : "destroy it first to create it again");
	/* Checked again under the lock: another create may have finished meanwhile. */
	else if (r >= 0 && (access(ve->config_path, F_OK) == 0) != p.had_config)
		r = error_set(err, EEXIST, ve->id, VZL_STEP_PROFILE, NULL,
			      "%s was %s while this command waited for the lock of VE %u; run it "
			      "again",
			      ve->config_path, p.had_config ? "removed" : "written", ve->id);
	if (r >= 0)
		r = check_private_free(&p, err);
	if (r >= 0)
		r = build_ve(&p, err);
	unlock_ve(&lock);
out:
	if (r < 0 && hooks && hooks->ret_config) {
		free(*hooks->ret_config);
		*hooks->ret_config = NULL;
	}
	plan_done(&p);
	return r < 0 ? r : 0;
}

VZL_API int vzl_ve_create(vzl_ve *ve, const vzl_create_opts *o, vzl_error **err)
{
	return create_run(ve, o, NULL, err);
}
