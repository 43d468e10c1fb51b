/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Creating a VE from a template cache and a profile (vzctl-behaviour.md §3.1).
 * This version resolves and checks everything a create needs and, in dry-run mode,
 * reports the plan and the kernel calls; extraction itself is not implemented yet.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "error.h"
#include "macro.h"

#define MAX_IPADD 64

struct vzl_create_opts {
	char *ostemplate;
	char *config;
	char *private_dir;
	char *root_dir;
	char *hostname;
	char *ipadd[MAX_IPADD];
	size_t n_ipadd;
};

VZL_API int vzl_create_opts_new(vzl_create_opts **ret, vzl_error **err)
{
	vzl_create_opts *o = calloc(1, sizeof(*o));
	if (!o)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	*ret = o;
	return 0;
}

VZL_API void vzl_create_opts_free(vzl_create_opts *o)
{
	if (!o)
		return;
	free(o->ostemplate);
	free(o->config);
	free(o->private_dir);
	free(o->root_dir);
	free(o->hostname);
	for (size_t i = 0; i < o->n_ipadd; i++)
		free(o->ipadd[i]);
	free(o);
}

static int replace(char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

/* A template or profile name becomes part of a path: refuse anything that could leave the
 * directory it is looked up in. */
static int check_name(const char *what, const char *param, const char *name, vzl_error **err)
{
	if (!*name || strchr(name, '/') || name[0] == '.')
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, param,
				 "bad %s name '%s': it must not be empty, contain '/' or start "
				 "with '.'",
				 what, name);
	return 0;
}

VZL_API int vzl_create_opts_set(vzl_create_opts *o, const char *key, const char *value,
				vzl_error **err)
{
	int r;
	if (!value)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, key, "--%s needs a value", key);
	if (strcmp(key, "ostemplate") == 0) {
		if ((r = check_name("template", "OSTEMPLATE", value, err)) < 0)
			return r;
		r = replace(&o->ostemplate, value);
	} else if (strcmp(key, "config") == 0) {
		if ((r = check_name("profile", "CONFIGFILE", value, err)) < 0)
			return r;
		r = replace(&o->config, value);
	} else if (strcmp(key, "private") == 0) {
		r = replace(&o->private_dir, value);
	} else if (strcmp(key, "root") == 0) {
		r = replace(&o->root_dir, value);
	} else if (strcmp(key, "hostname") == 0) {
		r = replace(&o->hostname, value);
	} else if (strcmp(key, "ipadd") == 0) {
		if (o->n_ipadd == MAX_IPADD)
			return error_set(err, E2BIG, 0, VZL_STEP_ARGUMENT, "IP_ADDRESS",
					 "at most %d --ipadd options per create", MAX_IPADD);
		r = (o->ipadd[o->n_ipadd] = strdup(value)) ? 0 : -ENOMEM;
		if (r == 0)
			o->n_ipadd++;
	} else {
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, key,
				 "unknown create option --%s", key);
	}
	if (r < 0)
		return error_set(err, -r, 0, VZL_STEP_NONE, NULL, "out of memory");
	return 0;
}

/* vzctl's lookup order (§1.5), plus .tar.zst which libarchive reads as well. */
static const char *const cache_suffixes[] = { ".tar", ".tar.gz", ".tar.bz2", ".tar.xz",
					      ".tar.zst" };

static int find_cache(const vzl_ve *ve, const char *name, char **ret, vzl_error **err)
{
	const char *tdir = ve->ctx->paths[VZL_PATH_TEMPLATE];
	for (size_t i = 0; i < ELEMENTSOF(cache_suffixes); i++) {
		char *path;
		if (asprintf(&path, "%s/cache/%s%s", tdir, name, cache_suffixes[i]) < 0)
			return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			*ret = path;
			return 0;
		}
		free(path);
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

/* "SOFT[:HARD]" in plain digits; suffixes and the full grammar come with the config work. */
static int parse_pair(const char *v, unsigned long long *soft, unsigned long long *hard)
{
	char *end;
	errno = 0;
	*soft = strtoull(v, &end, 10);
	if (end == v || errno)
		return -EINVAL;
	*hard = *soft;
	if (*end == ':') {
		const char *h = end + 1;
		*hard = strtoull(h, &end, 10);
		if (end == h || errno)
			return -EINVAL;
	}
	return *end ? -EINVAL : 0;
}

static const char *layered(const vzl_ctx *ctx, const struct conf *prof, const char *key)
{
	const char *v = conf_get(prof, key);
	return v ? v : conf_get(ctx->global, key);
}

/*
 * vzctl sets up the first-level quota around the extraction when DISK_QUOTA is yes and
 * both DISKSPACE and DISKINODES are set (vzctl-behaviour.md §3.1 steps 11 and 13): the
 * kernel then counts the usage while the files are written.
 */
static void plan_extract(const vzl_ctx *ctx, const char *cache, const char *priv)
{
	ctx_plan(ctx, "extract %s into %s.tmp (numeric owners, permissions, xattrs)", cache,
		 priv);
}

static int plan_quota(vzl_ve *ve, const struct conf *prof, const char *cache, const char *priv,
		      vzl_error **err)
{
	vzl_ctx *ctx = ve->ctx;
	const char *dq = layered(ctx, prof, "DISK_QUOTA");
	const char *space = layered(ctx, prof, "DISKSPACE");
	const char *inodes = layered(ctx, prof, "DISKINODES");
	const char *qtime = layered(ctx, prof, "QUOTATIME");
	if ((dq && strcmp(dq, "yes") != 0) || !space || !inodes) {
		plan_extract(ctx, cache, priv);
		return 0;
	}

	unsigned long long bs, bh, is, ih, t = 259200;
	if (parse_pair(space, &bs, &bh) < 0)
		return error_set(err, EINVAL, ve->id, VZL_STEP_CONFIG_VALUE, "DISKSPACE",
				 "DISKSPACE=\"%s\" is not SOFT[:HARD] in 1 KiB blocks", space);
	if (parse_pair(inodes, &is, &ih) < 0)
		return error_set(err, EINVAL, ve->id, VZL_STEP_CONFIG_VALUE, "DISKINODES",
				 "DISKINODES=\"%s\" is not SOFT[:HARD] in inodes", inodes);
	if (qtime && parse_pair(qtime, &t, &t) < 0)
		return error_set(err, EINVAL, ve->id, VZL_STEP_CONFIG_VALUE, "QUOTATIME",
				 "QUOTATIME=\"%s\" is not a number of seconds", qtime);

	int r = kernel_open(&ctx->kernel, err);
	if (r < 0)
		return r;
	_cleanup_free_ char *work = NULL;
	if (asprintf(&work, "%s.tmp", priv) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	struct vz_quota_stat qs = { 0 };
	qs.dq_stat.bsoftlimit = bs * 1024; /* the kernel counts bytes, the config 1 KiB blocks */
	qs.dq_stat.bhardlimit = bh * 1024;
	qs.dq_stat.isoftlimit = (unsigned)is;
	qs.dq_stat.ihardlimit = (unsigned)ih;
	qs.dq_info.bexpire = (long)t;
	qs.dq_info.iexpire = (long)t;
	kernel_quota_ctl(&ctx->kernel, VZ_DQ_CREATE, ve->id, &qs, NULL);
	kernel_quota_ctl(&ctx->kernel, VZ_DQ_ON, ve->id, NULL, work);
	plan_extract(ctx, cache, priv);
	kernel_quota_ctl(&ctx->kernel, VZ_DQ_OFF, ve->id, NULL, NULL);
	kernel_quota_ctl(&ctx->kernel, VZ_DQ_GETSTAT, ve->id, &qs, NULL);
	kernel_quota_ctl(&ctx->kernel, VZ_DQ_DESTROY, ve->id, NULL, NULL);
	ctx_plan(ctx, "write quota file %s/quota.%u with path %s and the usage counted",
		 ctx->paths[VZL_PATH_QUOTA_DIR], ve->id, priv);
	return 0;
}

VZL_API int vzl_ve_create(vzl_ve *ve, const vzl_create_opts *o, vzl_error **err)
{
	vzl_ctx *ctx = ve->ctx;
	int r;

	const char *profile = o->config ? o->config : conf_get(ctx->global, "CONFIGFILE");
	if (!profile || !*profile)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PROFILE, "CONFIGFILE",
				 "no profile: give --config NAME or set CONFIGFILE in %s",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if ((r = check_name("profile", "CONFIGFILE", profile, err)) < 0)
		return r;
	_cleanup_free_ char *sample = NULL;
	if (asprintf(&sample, "%s/ve-%s.conf-sample", ctx->paths[VZL_PATH_CONF_DIR], profile) < 0)
		return error_set(err, ENOMEM, ve->id, VZL_STEP_NONE, NULL, "out of memory");
	if (access(sample, R_OK) < 0)
		return error_set(err, errno, ve->id, VZL_STEP_PROFILE, "CONFIGFILE",
				 "profile '%s' not found (%s: %m); choose one of the "
				 "ve-*.conf-sample files in %s",
				 profile, sample, ctx->paths[VZL_PATH_CONF_DIR]);
	if (access(ve->config_path, F_OK) == 0)
		return error_set(err, EEXIST, ve->id, VZL_STEP_PROFILE, NULL,
				 "VE %u already has a config (%s); destroy the VE or remove the "
				 "file first",
				 ve->id, ve->config_path);

	if (!ctx->paths[VZL_PATH_TEMPLATE])
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "TEMPLATE",
				 "TEMPLATE is not set; set it in %s",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	_cleanup_free_ char *priv = o->private_dir ? conf_expand_veid(o->private_dir, ve->id)
						   : (ve->private_dir ? strdup(ve->private_dir) : NULL);
	_cleanup_free_ char *root = o->root_dir ? conf_expand_veid(o->root_dir, ve->id)
						: (ve->root_dir ? strdup(ve->root_dir) : NULL);
	if (!priv)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "VE_PRIVATE is not set; set it in %s or give --private",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (!root)
		return error_set(err, EINVAL, ve->id, VZL_STEP_PATH, "VE_ROOT",
				 "VE_ROOT is not set; set it in %s or give --root",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if (!private_is_free(priv))
		return error_set(err, EEXIST, ve->id, VZL_STEP_PATH, "VE_PRIVATE",
				 "private area %s already exists and is not empty; destroy VE %u "
				 "or choose another --private",
				 priv, ve->id);

	const char *tmpl = o->ostemplate ? o->ostemplate : conf_get(ctx->global, "DEF_OSTEMPLATE");
	if (!tmpl || !*tmpl)
		return error_set(err, EINVAL, ve->id, VZL_STEP_TEMPLATE, "OSTEMPLATE",
				 "no OS template: give --ostemplate NAME or set DEF_OSTEMPLATE in "
				 "%s",
				 ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
	if ((r = check_name("template", "OSTEMPLATE", tmpl, err)) < 0)
		return r;
	_cleanup_free_ char *cache = NULL;
	if ((r = find_cache(ve, tmpl, &cache, err)) < 0)
		return r;

	if (!kernel_is_dry_run(&ctx->kernel))
		return error_set(err, ENOSYS, ve->id, VZL_STEP_NOT_IMPLEMENTED, NULL,
				 "creating VE %u is not implemented in this version yet; "
				 "--dry-run shows what it will do",
				 ve->id);

	ctx_plan(ctx, "lock %s/%u.lck", ctx->paths[VZL_PATH_LOCK_DIR], ve->id);
	ctx_plan(ctx, "copy profile %s to %s", sample, ve->config_path);

	struct conf *prof = NULL;
	if ((r = conf_read(sample, &prof, err)) < 0)
		return r;
	r = plan_quota(ve, prof, cache, priv, err);
	conf_free(prof);
	if (r < 0)
		return r;
	ctx_plan(ctx, "rename %s.tmp to %s", priv, priv);
	ctx_plan(ctx, "mkdir %s", root);
	ctx_plan(ctx, "write %s with OSTEMPLATE=\"%s\" VE_PRIVATE VE_ROOT ORIGIN_SAMPLE=\"%s\"%s%s",
		 ve->config_path, tmpl, profile, o->hostname ? " HOSTNAME" : "",
		 o->n_ipadd ? " IP_ADDRESS" : "");
	ctx_plan(ctx, "unlock %s/%u.lck", ctx->paths[VZL_PATH_LOCK_DIR], ve->id);
	return 0;
}
