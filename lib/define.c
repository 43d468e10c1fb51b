/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * define: a domain document (xml.md §0.1) → a VE config, and a private area when the VE is
 * new. All checks come first (document, profile, merged values, UUID use on the host);
 * a new VE then runs a step table of create's rows (create-steps.c: lock, staging, rename,
 * config last, undo on failure) with the document's values put on the profile; an existing
 * VE is re-defined by a table of its own: the lock, then its config read, checked and
 * rewritten while the lock is held. Either way a failure changes nothing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "config.h"
#include "conf-write.h"
#include "create-steps.h"
#include "ctx.h"
#include "error.h"
#include "lock.h"
#include "macro.h"
#include "params.h"
#include "step.h"
#include "value.h"
#include "ve-spec.h"
#include "xml.h"

/* QUOTAUGIDLIMIT set when second-level limits are given and the profile has none. */
#define DEFINE_UGIDLIMIT 100

struct define {
	struct create_op c; /* first: create's rows see the operation as theirs */
	vzl_ve *ve;
	char **ret_config; /* the config written, or that a dry run would write */
	struct xml_ve x;
	char uuid[CONF_UUID_LEN + 1]; /* lower case, or "" for a new random one */
};

static int nomem(const struct define *d, vzl_error **err)
{
	return error_set(err, ENOMEM, d->ve->id, VZL_STEP_NONE, NULL, "out of memory");
}

/* A half pair "B:" or ":L" (memtune) over the value the config has. */
static int merge_half(vzl_config *cfg, const struct xml_kv *kv, char **ret, vzl_error **err)
{
	_cleanup_free_ char *old = NULL;
	int r = vzl_config_get(cfg, kv->key, 1, &old, NULL, err);
	if (r < 0)
		return r;
	/* The current pair by the key's own rule; none is unlimited:unlimited. */
	uint64_t v[2] = { cfg->target->long_max, cfg->target->long_max };
	struct value_typed typed;
	if (old) {
		r = value_parse(param_find(kv->key), cfg->target, VALUE_FROM_FILE, old, &typed,
				NULL);
		if (r == -ENOMEM)
			return r;
		if (r >= 0) {
			v[0] = typed.pair[0];
			v[1] = typed.pair[1];
			value_typed_done(&typed);
		}
	}
	const char *colon = strchr(kv->value, ':');
	if (kv->value[0] == ':')
		r = asprintf(ret, "%llu:%s", (unsigned long long)v[0], colon + 1);
	else
		r = asprintf(ret, "%.*s:%llu", (int)(colon - kv->value), kv->value,
			     (unsigned long long)v[1]);
	return r < 0 ? -ENOMEM : 0;
}

/* The document's values on top of the profile or the current config. */
static int apply_values(struct define *d, vzl_config *cfg, vzl_error **err)
{
	for (size_t i = 0; i < d->x.n_kv; i++) {
		const struct xml_kv *kv = &d->x.kv[i];
		int r;
		if (!param_find(kv->key)) {
			/* Unknown to vzctl (vz:param, VZLITE_UGID_QUOTA): carried verbatim. */
			r = conf_set(cfg->file, kv->key, kv->value);
			if (r < 0)
				return r == -ENOMEM ? nomem(d, err)
						    : error_set(err, EINVAL, d->ve->id,
								VZL_STEP_XML, kv->key,
								"%s: the value cannot be written "
								"to a config line",
								kv->key);
			continue;
		}
		_cleanup_free_ char *merged = NULL;
		if (kv->raw == 2 && (r = merge_half(cfg, kv, &merged, err)) < 0)
			return r == -ENOMEM ? nomem(d, err) : r;
		r = vzl_config_set(cfg, kv->key, merged ? merged : kv->value, err);
		if (r < 0) {
			error_set_veid(err, d->ve->id);
			return r;
		}
	}
	return 0;
}

/* Barrier ≤ limit and soft ≤ hard in the merged result (§0.1 step 3), in table order. */
static int check_pairs(struct define *d, vzl_config *cfg, vzl_error **err)
{
	struct ve_spec spec;
	int r = ve_spec_from_config(cfg, d->ve->id, &spec, err);
	if (r < 0)
		return r;
	for (size_t i = 0; r == 0 && i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];
		uint64_t v[2];
		if (p->type == PARAM_T_DISK) {
			const struct ve_disk_limit *l = strcmp(p->name, "DISKSPACE") == 0
								? &spec.disk.space
								: &spec.disk.inodes;
			if (!l->set)
				continue;
			v[0] = l->soft, v[1] = l->hard;
		} else if (p->type == PARAM_T_UBC) {
			const struct ve_ub *u = ve_spec_ubc(&spec, p);
			if (!u || !u->set)
				continue;
			v[0] = u->barrier, v[1] = u->limit;
		} else {
			continue;
		}
		if (v[0] > v[1])
			r = error_set(err, EINVAL, d->ve->id, VZL_STEP_CONFIG_VALUE, p->name,
				      "%s: %s %llu is above %s %llu in the defined config; lower "
				      "it or raise the other",
				      p->name, p->type == PARAM_T_UBC ? "barrier" : "soft limit",
				      (unsigned long long)v[0],
				      p->type == PARAM_T_UBC ? "limit" : "hard limit",
				      (unsigned long long)v[1]);
	}
	ve_spec_done(&spec);
	return r;
}

/* Remove every "#UUID:" line and the empty line before it, so the new one goes last. */
static void drop_uuid_lines(struct conf *c)
{
	for (size_t i = 0; i < c->n_lines;) {
		if (strncmp(c->lines[i].raw, "#UUID:", 6) != 0) {
			i++;
			continue;
		}
		size_t from = i > 0 && c->lines[i - 1].raw[0] == '\0' ? i - 1 : i;
		for (size_t j = from; j <= i; j++) {
			free(c->lines[j].raw);
			free(c->lines[j].key);
			free(c->lines[j].value);
		}
		memmove(&c->lines[from], &c->lines[i + 1],
			(c->n_lines - i - 1) * sizeof(c->lines[0]));
		c->n_lines -= i + 1 - from;
		c->changed = 1;
		i = from;
	}
}

static int finish(struct define *d, vzl_config *cfg, vzl_error **err)
{
	_cleanup_free_ char *onboot = NULL, *ugl = NULL, *origin = NULL;
	int r;
	if ((r = vzl_config_get(cfg, "ONBOOT", 0, &onboot, NULL, err)) < 0)
		return r;
	/* libvirt 9.0.0's dominfo crashes on a config without ONBOOT (§0.1 step 4). */
	if (!onboot && (r = vzl_config_set(cfg, "ONBOOT", "no", err)) < 0)
		return r;
	if (d->x.profile && (r = vzl_config_get(cfg, "ORIGIN_SAMPLE", 0, &origin, NULL, err)) < 0)
		return r;
	if (d->x.profile && !origin &&
	    (r = vzl_config_set(cfg, "ORIGIN_SAMPLE", d->x.profile, err)) < 0)
		return r;
	if (d->x.ugid_entries) {
		if ((r = vzl_config_get(cfg, "QUOTAUGIDLIMIT", 0, &ugl, NULL, err)) < 0)
			return r;
		if (!ugl || strtoull(ugl, NULL, 10) == 0) {
			char buf[32];
			unsigned n = d->x.ugid_entries > DEFINE_UGIDLIMIT
					     ? (unsigned)d->x.ugid_entries
					     : DEFINE_UGIDLIMIT;
			snprintf(buf, sizeof(buf), "%u", n);
			log_warning(d->ve->ctx,
				    "VE %u: QUOTAUGIDLIMIT set to %s for the per-uid/gid "
				    "quotas of the document",
				    d->ve->id, buf);
			if ((r = vzl_config_set(cfg, "QUOTAUGIDLIMIT", buf, err)) < 0)
				return r;
		}
	}
	if ((r = check_pairs(d, cfg, err)) < 0)
		return r;
	drop_uuid_lines(cfg->file);
	r = conf_set_uuid(cfg->file, d->uuid[0] ? d->uuid : NULL);
	return r < 0 ? nomem(d, err) : 0;
}

/* libvirt refuses a UUID another VE on the host has; so does vzlite (§0.2). */
static int check_uuid_unused(struct define *d, vzl_error **err)
{
	vzl_ctx *ctx = d->ve->ctx;
	const char *dir = ctx->paths[VZL_PATH_CONF_DIR];
	DIR *dp = dir ? opendir(dir) : NULL;
	if (!dp)
		return 0;
	struct dirent *e;
	int r = 0;
	char mine[32];
	snprintf(mine, sizeof(mine), "%u.conf", d->ve->id);
	while (r == 0 && (e = readdir(dp))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".conf") || !strcmp(e->d_name, mine) ||
		    strspn(e->d_name, "0123456789") != l - 5)
			continue;
		_cleanup_free_ char *path = NULL;
		struct conf *c = NULL;
		char u[CONF_UUID_LEN + 1];
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			r = nomem(d, err);
		else if (conf_read(path, &c, NULL) == 0 && conf_get_uuid(c, u) == 0 &&
			 !strcmp(u, d->uuid))
			r = error_set(err, EEXIST, d->ve->id, VZL_STEP_XML, "UUID",
				      "UUID %s is already used by %s; give another <uuid> or none",
				      d->uuid, path);
		conf_free(c);
	}
	closedir(dp);
	return r;
}

static int keep_config_text(struct define *d, vzl_error **err)
{
	size_t len;
	if (d->ret_config && conf_serialize(d->c.cfg->file, d->ret_config, &len) < 0)
		return nomem(d, err);
	return 0;
}

/* An existing VE, under its lock: its config is the base, its private area stays, its UUID
 * is kept. Reads only, so a dry run checks it too. */
static int redefine_read(void *op, vzl_error **err)
{
	struct define *d = op;
	vzl_ve *ve = d->ve;
	vzl_config_free(d->c.cfg);
	d->c.cfg = NULL;
	int r = vzl_config_open_ve(ve, &d->c.cfg, err);
	if (r < 0)
		return r;
	vzl_config *cfg = d->c.cfg;
	if (!vzl_config_exists(cfg))
		return error_set(err, ENOENT, ve->id, VZL_STEP_STATE, NULL,
				 "%s was removed while this command waited for the lock of VE %u; "
				 "run it again",
				 ve->config_path, ve->id);
	_cleanup_free_ char *tmpl = NULL;
	const char *want = xml_ve_get(&d->x, "OSTEMPLATE"), *old_uuid = vzl_config_uuid(cfg);
	if ((r = vzl_config_get(cfg, "OSTEMPLATE", 0, &tmpl, NULL, err)) < 0)
		return r;
	if (want && tmpl && strcmp(want, tmpl))
		return error_set(err, EINVAL, ve->id, VZL_STEP_XML, "OSTEMPLATE",
				 "VE %u exists and was made from template %s, not %s; its private "
				 "area is never re-created: undefine it first or use another VEID",
				 ve->id, tmpl, want);
	if (old_uuid && d->uuid[0] && strcmp(old_uuid, d->uuid))
		return error_set(err, EINVAL, ve->id, VZL_STEP_XML, "UUID",
				 "VE %u exists with UUID %s; a re-define keeps it, so give that "
				 "<uuid> or none",
				 ve->id, old_uuid);
	if (old_uuid)
		snprintf(d->uuid, sizeof(d->uuid), "%s", old_uuid);
	if ((r = apply_values(d, cfg, err)) < 0 || (r = finish(d, cfg, err)) < 0)
		return r;
	return keep_config_text(d, err);
}

static void redefine_describe_read(const void *op, struct step_plan *plan)
{
	const struct define *d = op;
	step_line(plan, "read %s and put the document's values on it", d->ve->config_path);
}

static int redefine_write(void *op, vzl_error **err)
{
	struct define *d = op;
	return vzl_config_save(d->c.cfg, err);
}

static void redefine_describe_write(const void *op, struct step_plan *plan)
{
	const struct define *d = op;
	step_line(plan, "rewrite %s", d->ve->config_path);
}

static int redefine(struct define *d, vzl_error **err)
{
	const struct step steps[] = {
		create_row_lock,
		{ .name = "read config",
		  .error_step = VZL_STEP_CONFIG_READ,
		  .flags = STEP_CHECKS,
		  .run = redefine_read,
		  .describe = redefine_describe_read },
		{ .name = "rewrite config",
		  .error_step = VZL_STEP_CONFIG_WRITE,
		  .run = redefine_write,
		  .describe = redefine_describe_write },
	};
	return step_run(d->ve->ctx, d->ve->id, steps, ELEMENTSOF(steps), d, err);
}

/* A new VE: create's resolution with the document's values, then create's rows. */
static int define_new(struct define *d, vzl_create_opts *o, vzl_error **err)
{
	d->c.opts = o;
	d->c.no_template = d->x.mount;
	d->c.keep_private = true;
	int r = create_open_config(&d->c, err);
	if (r < 0 || (r = apply_values(d, d->c.cfg, err)) < 0 ||
	    (r = create_complete_config(&d->c, err)) < 0 || (r = finish(d, d->c.cfg, err)) < 0 ||
	    (r = keep_config_text(d, err)) < 0)
		return r;
	const struct step steps[] = {
		create_row_lock,    create_row_settle, create_row_check, create_row_marker,
		create_row_extract, create_row_syncfs, create_row_root,  create_row_rename,
		create_row_commit,  create_row_config,
	};
	return step_run(d->ve->ctx, d->ve->id, steps, ELEMENTSOF(steps), d, err);
}

VZL_API int vzl_domain_define_xml(vzl_ctx *ctx, const char *xml, size_t len, unsigned flags,
				  unsigned *ret_veid, char **ret_config, vzl_error **err)
{
	struct define d = { .c = { .held = { .lock = { .fd = -1 } } } };
	vzl_create_opts *o = NULL;
	char *config = NULL;
	if (!xml || flags)
		return error_set(err, EINVAL, 0, VZL_STEP_ARGUMENT, NULL,
				 "no document given, or unknown flags");
	int r = xml_parse_ve(xml, len, units_native(), &d.x, err);
	if (r < 0)
		return r;
	if (d.x.uuid) {
		uuid_t bin;
		if (strlen(d.x.uuid) != CONF_UUID_LEN || uuid_parse(d.x.uuid, bin) < 0 ||
		    uuid_is_null(bin)) {
			r = error_set(
				err, EINVAL, d.x.veid, VZL_STEP_XML, "UUID",
				"<uuid> '%.40s' is not a UUID; use the 36-character form such "
				"as 8509a1d4-1569-4467-8b37-4e433a1ac7b1, not all zeros",
				d.x.uuid);
			goto out;
		}
		uuid_unparse_lower(bin, d.uuid);
	}
	const char *ipv6 = conf_get(ctx->global, "IPV6");
	if (d.x.seed && d.x.has_ipv6 && !(ipv6 && !strcmp(ipv6, "yes"))) {
		r = error_set(err, EINVAL, d.x.veid, VZL_STEP_XML, "IP_ADDRESS",
			      "an IPv6 address is given but IPV6 is not \"yes\" in %s; vzctl would "
			      "drop it: enable IPv6 there or remove the address",
			      ctx->paths[VZL_PATH_GLOBAL_CONFIG]);
		goto out;
	}
	if ((r = vzl_ve_open(ctx, d.x.veid, &d.ve, err)) < 0 ||
	    (r = create_refuse_ct0(d.ve, "define", err)) < 0)
		goto out;
	if (d.uuid[0] && (r = check_uuid_unused(&d, err)) < 0)
		goto out;
	d.c.held.ve = d.c.ve = d.ve;
	d.c.what = "define";
	d.ret_config = ret_config ? &config : NULL;
	if (access(d.ve->config_path, F_OK) == 0) {
		r = redefine(&d, err);
		goto out;
	}
	if ((r = vzl_create_opts_new(&o, err)) < 0)
		goto out;
	const char *tmpl = xml_ve_get(&d.x, "OSTEMPLATE");
	if ((tmpl && (r = vzl_create_opts_set(o, "ostemplate", tmpl, err)) < 0) ||
	    (d.x.profile && (r = vzl_create_opts_set(o, "config", d.x.profile, err)) < 0))
		goto out;
	r = define_new(&d, o, err);
out:
	if (r == 0) {
		if (ret_veid)
			*ret_veid = d.x.veid;
		if (ret_config)
			*ret_config = config;
		config = NULL;
	} else if (err && *err) {
		error_set_veid(err, d.x.veid);
	}
	free(config);
	create_op_done(&d.c);
	vzl_create_opts_free(o);
	vzl_ve_free(d.ve);
	xml_ve_done(&d.x);
	return r < 0 ? r : 0;
}

VZL_API int vzl_ve_dump_xml(vzl_ve *ve, char **ret_xml, vzl_error **err)
{
	vzl_config *cfg = NULL;
	int r = vzl_config_open_ve(ve, &cfg, err);
	if (r < 0)
		return r;
	if (!vzl_config_exists(cfg)) {
		vzl_config_free(cfg);
		return error_set(err, ENOENT, ve->id, VZL_STEP_STATE, NULL, "no config (%s)",
				 ve->config_path);
	}
	r = xml_dump(cfg, ve->id, vzl_config_uuid(cfg), 0, cfg->target, ret_xml, err);
	vzl_config_free(cfg);
	return r;
}
