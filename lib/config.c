/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzl_config and vzl_report: the public face of conf.c, conf-write.c, conf-layer.c, value.c
 * and validate.c.
 *
 * Loading follows vzctl (vzctl-behaviour.md §2.1 item 8): a bad line or value is a warning
 * through the log sink and the value is skipped, so a config with one typo still loads.
 * vzl_config_validate() lists the same problems, and there an invalid value fails the check
 * (vzcfgvalidate would ignore it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "conf-layer.h"
#include "conf-write.h"
#include "ctx.h"
#include "error.h"
#include "macro.h"
#include "params.h"
#include "value.h"
#include "veid.h"

struct report_item {
	enum vzl_severity severity;
	char *param, *message, *fix;
};

struct vzl_report {
	struct report_item *items;
	size_t n, cap;
	int vswap;
};

static const char *const severity_names[_VZL_SEVERITY_MAX] = {
	[VZL_SEVERITY_ERROR] = "error",
	[VZL_SEVERITY_WARNING] = "warning",
	[VZL_SEVERITY_RECOMMENDATION] = "recommendation",
	[VZL_SEVERITY_NOTE] = "note",
};

VZL_API const char *vzl_severity_name(enum vzl_severity severity)
{
	return (unsigned)severity < _VZL_SEVERITY_MAX ? severity_names[severity] : NULL;
}

static struct layers layers_of(const vzl_config *cfg)
{
	return (struct layers){ .global = cfg->global,
				.file = cfg->file,
				.file_is_ve = cfg->is_ve };
}

/* Load-time problems go to the log: invalid values as warnings, the rest at debug level. */
int config_log_problem(void *userdata, enum vzl_severity sev, const char *param,
		       const char *message)
{
	const vzl_config *cfg = userdata;
	(void)param;
	if (cfg->ctx)
		ctx_log(cfg->ctx, sev <= VZL_SEVERITY_WARNING ? VZL_LOG_WARNING : VZL_LOG_DEBUG,
			"%s", message);
	return 0;
}

/*
 * The problem with a leading byte order mark (conf.h, `bom`): vzlite reads the first line
 * without it, vzctl and the shell would not. NULL on allocation failure.
 */
static char *bom_message(const struct conf *c)
{
	const char *key = c->n_lines ? c->lines[0].key : NULL;
	char *msg = NULL;
	int n = key ? asprintf(&msg,
			       "%s:1: the file starts with a UTF-8 byte order mark, which vzlite "
			       "skips but vzctl and shell scripts read as part of the name %s, so "
			       "they do not see that key; remove the mark ('vzlite validate --fix "
			       "--save' does)",
			       c->path, key)
		    : asprintf(&msg,
			       "%s:1: the file starts with a UTF-8 byte order mark, which vzlite "
			       "skips but vzctl and shell scripts do not; remove the mark "
			       "('vzlite validate --fix --save' does)",
			       c->path);
	return n < 0 ? NULL : msg;
}

static int config_new(vzl_ctx *ctx, const char *path, int is_ve, vzl_config **ret, vzl_error **err)
{
	vzl_config *cfg = calloc(1, sizeof(*cfg));
	if (!cfg || !(cfg->path = strdup(path))) {
		free(cfg);
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	}
	cfg->lock = (struct ve_lock){ .fd = -1 };
	cfg->ctx = ctx;
	cfg->global = ctx ? ctx->global : NULL;
	cfg->is_ve = is_ve;
	cfg->target = units_native();

	vzl_error *e = NULL;
	int r = conf_read(path, &cfg->file, &e);
	if (r == -ENOENT && is_ve) {
		/* vzctl set --save creates a missing VE config (§3.6 item 13). */
		vzl_error_free(e);
		cfg->file = calloc(1, sizeof(*cfg->file));
		if (!cfg->file || !(cfg->file->path = strdup(path))) {
			vzl_config_free(cfg);
			return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
		}
	} else if (r < 0) {
		vzl_config_free(cfg);
		if (err)
			*err = e;
		else
			vzl_error_free(e);
		return r;
	} else {
		cfg->exists = 1;
	}
	if (conf_diagnose(cfg->file, cfg->target, 0, config_log_problem, cfg) < 0) {
		vzl_config_free(cfg);
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	}
	if (cfg->file->bom && ctx) {
		_cleanup_free_ char *msg = bom_message(cfg->file);
		ctx_log(ctx, VZL_LOG_WARNING, "%s",
			msg ? msg : "a config starts with a byte order mark");
	}
	*ret = cfg;
	return 0;
}

VZL_API int vzl_config_open_ve(vzl_ve *ve, vzl_config **ret, vzl_error **err)
{
	int r = config_new(ve->ctx, ve->config_path, 1, ret, err);
	if (r < 0)
		error_set_veid(err, ve->id);
	else
		(*ret)->veid = ve->id;
	return r;
}

VZL_API int vzl_config_open_ve_locked(vzl_ve *ve, vzl_config **ret, vzl_error **err)
{
	/* The lock comes first: whatever is read must not change until it is written back. */
	struct ve_lock lock;
	int r = lock_ve(ve->ctx->paths[VZL_PATH_LOCK_DIR], ve->id, &lock, err);
	if (r < 0)
		return r;
	if ((r = vzl_config_open_ve(ve, ret, err)) < 0) {
		unlock_ve(&lock);
		return r;
	}
	(*ret)->lock = lock;
	return 0;
}

VZL_API int vzl_config_open_file(vzl_ctx *ctx, const char *path, vzl_config **ret, vzl_error **err)
{
	if (!path || !*path)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL, "no config file given");
	return config_new(ctx, path, 0, ret, err);
}

VZL_API void vzl_config_free(vzl_config *cfg)
{
	if (!cfg)
		return;
	conf_free(cfg->file);
	free(cfg->path);
	unlock_ve(&cfg->lock);
	free(cfg);
}

void config_set_target(vzl_config *cfg, const struct units_target *t)
{
	cfg->target = t;
}

VZL_API const char *vzl_config_path(const vzl_config *cfg)
{
	return cfg->path;
}

VZL_API int vzl_config_exists(const vzl_config *cfg)
{
	return cfg->exists;
}

VZL_API int vzl_config_get(const vzl_config *cfg, const char *key, int with_default,
			   char **ret_value, enum vzl_source *ret_source, vzl_error **err)
{
	enum vzl_source src = VZL_SOURCE_NONE;
	char *v = NULL;

	if (!key || !*key)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL,
				 "no parameter name given");
	const struct param_def *p = param_find(key);
	if (p) {
		struct layers L = layers_of(cfg);
		if (layer_get(&L, p, cfg->target, &v, &src) < 0)
			return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
		if (!v && (with_default & VZL_GET_DEFAULT) && p->default_value) {
			if (!(v = strdup(p->default_value)))
				return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL,
						 "out of memory");
			src = VZL_SOURCE_DEFAULT;
		}
	} else {
		const char *raw = conf_get(cfg->file, key);
		if (raw) {
			if (!(v = strdup(raw)))
				return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL,
						 "out of memory");
			src = VZL_SOURCE_FILE;
		}
	}
	if (v && p && (with_default & VZL_GET_CANONICAL)) {
		char *canon = NULL, *msg = NULL;
		int r = value_check(p, cfg->target, VALUE_FROM_FILE, v, &canon, &msg);
		free(msg);
		if (r == -ENOMEM) {
			free(v);
			return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
		}
		if (r >= 0 && canon) {
			free(v);
			v = canon;
		} else {
			free(canon);
		}
	}
	*ret_value = v;
	if (ret_source)
		*ret_source = src;
	return 0;
}

static int add_key(char ***keys, size_t *n, const char *k)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*keys)[i], k) == 0)
			return 0;
	char **nk = reallocarray(*keys, *n + 2, sizeof(char *));
	if (!nk)
		return -ENOMEM;
	*keys = nk;
	if (!(nk[*n] = strdup(k)))
		return -ENOMEM;
	nk[++*n] = NULL;
	return 0;
}

VZL_API int vzl_config_keys(const vzl_config *cfg, char ***ret_keys, vzl_error **err)
{
	char **keys = calloc(1, sizeof(char *));
	size_t n = 0;
	struct layers L = layers_of(cfg);
	int r = keys ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < param_table_len; i++) {
		_cleanup_free_ char *v = NULL;
		enum vzl_source src;
		r = layer_get(&L, &param_table[i], cfg->target, &v, &src);
		if (r == 0 && v)
			r = add_key(&keys, &n, param_table[i].name);
	}
	for (size_t i = 0; r == 0 && i < cfg->file->n_lines; i++) {
		const char *k = cfg->file->lines[i].key;
		if (k && !param_find(k))
			r = add_key(&keys, &n, k);
	}
	if (r < 0) {
		for (size_t i = 0; keys && i < n; i++)
			free(keys[i]);
		free(keys);
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	}
	*ret_keys = keys;
	return (int)n;
}

VZL_API int vzl_config_set(vzl_config *cfg, const char *key, const char *value, vzl_error **err)
{
	const struct param_def *p = key ? param_find(key) : NULL;
	if (!p)
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, key,
				 "unknown parameter \"%s\"; 'vzlite help params' lists them",
				 key ? key : "");
	if (p->flags & PARAM_F_GLOBAL_ONLY)
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, p->name,
				 "%s is a host setting read from vz.conf only; edit the global "
				 "config instead",
				 p->name);
	if (p->flags & PARAM_F_NOT_SAVED)
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, p->name,
				 "%s is never saved in a VE config", p->name);
	if (!value)
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, p->name,
				 "%s: no value given", p->name);
	_cleanup_free_ char *canon = NULL, *msg = NULL;
	int r = value_check(p, cfg->target, VALUE_FROM_USER, value, &canon, &msg);
	if (r == -ENOMEM)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	if (r < 0)
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, p->name, "%s", msg);
	r = conf_set(cfg->file, p->name, canon);
	if (r == -ENOMEM)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	if (r < 0)
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, p->name,
				 "%s: the value cannot be written to a config line", p->name);
	return r;
}

/* u|g:ID:BSOFT:BHARD:ISOFT:IHARD with decimal digits only (sscanf alone takes "-1"). */
static bool ugid_entry_syntax(const char *s)
{
	if ((s[0] != 'u' && s[0] != 'g') || s[1] != ':')
		return false;
	int fields = 0;
	for (const char *p = s + 2;; p++) {
		size_t n = strspn(p, "0123456789");
		if (n == 0 || n > 19)
			return false;
		fields++;
		p += n;
		if (!*p)
			return fields == 5;
		if (*p != ':')
			return false;
	}
}

VZL_API int vzl_config_set_ugid_limit(vzl_config *cfg, const char *entry, vzl_error **err)
{
	_cleanup_free_ struct value_ugid *cur = NULL, *add = NULL;
	size_t n_cur = 0, n_add = 0, bad = 0;
	if (!entry || !ugid_entry_syntax(entry))
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, "VZLITE_UGID_QUOTA",
				 "--ugidlimit \"%s\": use u|g:ID:BSOFT:BHARD:ISOFT:IHARD (space in "
				 "1 KiB blocks, then inodes; all 0 removes the id's limit)",
				 entry ? entry : "");
	if (value_parse_ugid_quota(entry, &add, &n_add, &bad) < 0 ||
	    value_parse_ugid_quota(conf_get(cfg->file, VALUE_UGID_QUOTA_KEY), &cur, &n_cur, &bad) <
		    0)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	/* The entry takes the place of the one of the same id, or goes last; an entry with no
	 * limit is dropped. An entry of the config that does not parse is dropped too (loading
	 * skips it with a warning). */
	const struct value_ugid *e = &add[0];
	bool keep_new = e->space_soft || e->space_hard || e->inodes_soft || e->inodes_hard;
	bool placed = false;
	_cleanup_free_ char *text = malloc((n_cur + 1) * 112 + 1);
	if (!text)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	size_t len = 0;
	text[0] = '\0';
	for (size_t i = 0; i <= n_cur; i++) {
		const struct value_ugid *u = i < n_cur ? &cur[i] : e;
		if (i < n_cur && u->type == e->type && u->id == e->id) {
			if (!keep_new || placed)
				continue;
			u = e;
			placed = true;
		} else if (i == n_cur && (!keep_new || placed)) {
			break;
		}
		len += (size_t)sprintf(text + len, "%s%c:%llu:%llu:%llu:%llu:%llu", len ? " " : "",
				       u->type, u->id, u->space_soft, u->space_hard, u->inodes_soft,
				       u->inodes_hard);
	}
	int r = len ? conf_set(cfg->file, VALUE_UGID_QUOTA_KEY, text)
		    : conf_unset(cfg->file, VALUE_UGID_QUOTA_KEY);
	if (r == -ENOMEM)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	return r < 0 ? error_set(err, -r, 0, VZL_STEP_CONFIG_VALUE, VALUE_UGID_QUOTA_KEY,
				 "VZLITE_UGID_QUOTA cannot be written")
		     : 0;
}

VZL_API int vzl_config_save(vzl_config *cfg, vzl_error **err)
{
	if (!cfg->file->changed)
		return 0;
	/* A new config makes a VE, which a reserved ID may not name (as create and define). */
	int r = cfg->is_ve && !cfg->exists
			? ve_check_reserved(cfg->veid, "saving a new config", err)
			: 0;
	if (r == 0)
		r = conf_write(cfg->file, cfg->path, err);
	if (r < 0)
		return r;
	cfg->exists = 1;
	return 1;
}

int config_save_as(vzl_config *cfg, const char *path, vzl_error **err)
{
	return conf_write(cfg->file, path, err);
}

VZL_API const char *vzl_config_uuid(const vzl_config *cfg)
{
	vzl_config *c = (vzl_config *)cfg; /* the borrowed buffer lives in the object */
	return conf_get_uuid(cfg->file, c->uuid) == 0 ? c->uuid : NULL;
}

VZL_API int vzl_config_set_uuid(vzl_config *cfg, const char *uuid, vzl_error **err)
{
	int r = conf_set_uuid(cfg->file, uuid);
	if (r == -EINVAL)
		return error_set(err, EINVAL, 0, VZL_STEP_CONFIG_VALUE, "UUID",
				 "\"%s\" is not a UUID; use the 36-character form such as "
				 "8509a1d4-1569-4467-8b37-4e433a1ac7b1, not all zeros",
				 uuid ? uuid : "");
	if (r < 0)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	return r;
}

/* ---- Reports ---- */

static int report_add(void *userdata, enum vzl_severity sev, const char *param, const char *message,
		      const char *fix)
{
	vzl_report *rep = userdata;
	if (rep->n == rep->cap) {
		size_t ncap = rep->cap ? rep->cap * 2 : 16;
		struct report_item *n = reallocarray(rep->items, ncap, sizeof(*n));
		if (!n)
			return -ENOMEM;
		rep->items = n;
		rep->cap = ncap;
	}
	struct report_item *it = &rep->items[rep->n];
	*it = (struct report_item){ .severity = sev };
	if ((param && !(it->param = strdup(param))) || !(it->message = strdup(message)) ||
	    (fix && !(it->fix = strdup(fix)))) {
		free(it->param);
		free(it->message);
		return -ENOMEM;
	}
	rep->n++;
	return 0;
}

static int report_add_diag(void *userdata, enum vzl_severity sev, const char *param,
			   const char *message)
{
	return report_add(userdata, sev, param, message, NULL);
}

int config_validate(vzl_config *cfg, unsigned flags, const struct validate_host *h,
		    vzl_report **ret, vzl_error **err)
{
	vzl_report *rep = calloc(1, sizeof(*rep));
	if (!rep)
		return error_set(err, ENOMEM, 0, VZL_STEP_NONE, NULL, "out of memory");
	int r = conf_diagnose(cfg->file, cfg->target, 0, report_add_diag, rep);
	int failed = 0;
	for (size_t i = 0; r == 0 && i < rep->n; i++)
		failed |= rep->items[i].severity <= VZL_SEVERITY_WARNING;
	if (r == 0 && cfg->file->bom) {
		/* Fixed by writing the file again: conf_serialize never writes the mark. */
		_cleanup_free_ char *msg = bom_message(cfg->file);
		r = msg ? report_add(rep, VZL_SEVERITY_WARNING, NULL, msg,
				     "remove the byte order mark")
			: -ENOMEM;
		if (flags & VZL_VALIDATE_FIX)
			cfg->file->changed = 1;
		else
			failed = 1;
	}
	struct layers L = layers_of(cfg);
	int v = 0;
	if (r == 0)
		r = validate_run(&L, (flags & VZL_VALIDATE_FIX) ? cfg->file : NULL, cfg->target, h,
				 flags, &v, report_add, rep);
	if (r < 0) {
		vzl_report_free(rep);
		return error_set(err, -r, 0, VZL_STEP_NONE, NULL, "out of memory");
	}
	rep->vswap = v;
	*ret = rep;
	return failed || r == 1;
}

VZL_API int vzl_config_validate(vzl_config *cfg, unsigned flags, vzl_report **ret, vzl_error **err)
{
	struct validate_host h;
	int r = validate_host_probe(&h);
	if (r < 0)
		return error_set(err, -r, 0, VZL_STEP_NONE, NULL,
				 "cannot read the host's memory size: %s", strerror(-r));
	return config_validate(cfg, flags, &h, ret, err);
}

VZL_API void vzl_report_free(vzl_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->items[i].param);
		free(rep->items[i].message);
		free(rep->items[i].fix);
	}
	free(rep->items);
	free(rep);
}

VZL_API size_t vzl_report_count(const vzl_report *rep)
{
	return rep ? rep->n : 0;
}

#define ITEM(rep, i) ((rep) && (i) < (rep)->n ? &(rep)->items[i] : NULL)

VZL_API enum vzl_severity vzl_report_severity(const vzl_report *rep, size_t i)
{
	const struct report_item *it = ITEM(rep, i);
	return it ? it->severity : _VZL_SEVERITY_MAX;
}

VZL_API const char *vzl_report_param(const vzl_report *rep, size_t i)
{
	const struct report_item *it = ITEM(rep, i);
	return it ? it->param : NULL;
}

VZL_API const char *vzl_report_message(const vzl_report *rep, size_t i)
{
	const struct report_item *it = ITEM(rep, i);
	return it ? it->message : NULL;
}

VZL_API const char *vzl_report_fix(const vzl_report *rep, size_t i)
{
	const struct report_item *it = ITEM(rep, i);
	return it ? it->fix : NULL;
}

VZL_API int vzl_report_vswap(const vzl_report *rep)
{
	return rep ? rep->vswap : 0;
}
