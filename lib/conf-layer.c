/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Effective values: duplicate rules within a file, vz.conf under the VE config (conf-layer.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf-layer.h"
#include "macro.h"
#include "value.h"

/* Keys and aliases are unique over the table (test-params.c: test_unique), so comparing with
 * the row's two names is param_find(l->key) == p without a walk over the table per line. */
static int sets(const struct conf_line *l, const struct param_def *p)
{
	return l->key &&
	       (strcmp(l->key, p->name) == 0 || (p->alias && strcmp(l->key, p->alias) == 0));
}

static int valid(const struct param_def *p, const struct units_target *t, const char *v)
{
	return value_check(p, t, VALUE_FROM_FILE, v, NULL, NULL) >= 0;
}

int conf_lookup(const struct conf *c, const struct param_def *p, const struct units_target *t,
		char **ret, const struct conf_line **ret_line)
{
	const struct conf_line *used = NULL;
	char *acc = NULL;

	*ret = NULL;
	for (size_t i = 0; c && i < c->n_lines; i++) {
		const struct conf_line *l = &c->lines[i];
		if (!sets(l, p) || !valid(p, t, l->value))
			continue;
		if (p->dup == PARAM_DUP_ACCUMULATE) {
			char *n;
			if (asprintf(&n, "%s%s%s", acc ? acc : "",
				     acc && *acc && *l->value ? " " : "", l->value) < 0) {
				free(acc);
				return -ENOMEM;
			}
			free(acc);
			acc = n;
			if (!used)
				used = l;
		} else {
			used = l;
			if (p->dup == PARAM_DUP_FIRST)
				break;
		}
	}
	if (!used)
		return 0;
	if (!acc && !(acc = strdup(used->value)))
		return -ENOMEM;
	*ret = acc;
	if (ret_line)
		*ret_line = used;
	return 0;
}

int layer_get(const struct layers *L, const struct param_def *p, const struct units_target *t,
	      char **ret, enum vzl_source *ret_source)
{
	int r;

	*ret = NULL;
	*ret_source = VZL_SOURCE_NONE;
	if (L->file && !(p->flags & PARAM_F_GLOBAL_ONLY)) {
		if ((r = conf_lookup(L->file, p, t, ret, NULL)) < 0)
			return r;
		if (*ret) {
			*ret_source = VZL_SOURCE_FILE;
			return 0;
		}
	}
	/* NETFILTER in vz.conf is refused (vzctl: validate_global_config); VE_LAYOUT of vz.conf
	 * only counts for a VE that has no config yet. */
	if (!L->global || (p->flags & PARAM_F_VE_ONLY) ||
	    (L->file_is_ve && L->file && strcmp(p->name, "VE_LAYOUT") == 0))
		return 0;
	if ((r = conf_lookup(L->global, p, t, ret, NULL)) < 0)
		return r;
	if (*ret)
		*ret_source = VZL_SOURCE_GLOBAL;
	return 0;
}

static int report(conf_problem_fn fn, void *userdata, enum vzl_severity sev, const char *param,
		  const struct conf *c, const struct conf_line *l, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static int report(conf_problem_fn fn, void *userdata, enum vzl_severity sev, const char *param,
		  const struct conf *c, const struct conf_line *l, const char *fmt, ...)
{
	_cleanup_free_ char *body = NULL, *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (n < 0 || asprintf(&msg, "%s:%u: %s", c->path, l->lineno, body) < 0)
		return -ENOMEM;
	return fn(userdata, sev, param, msg);
}

/* The earlier line that makes line i a duplicate to ignore (first-wins keys), or NULL. */
static const struct conf_line *earlier_valid(const struct conf *c, size_t i,
					     const struct param_def *p,
					     const struct units_target *t)
{
	for (size_t j = 0; j < i; j++)
		if (sets(&c->lines[j], p) && valid(p, t, c->lines[j].value))
			return &c->lines[j];
	return NULL;
}

int conf_diagnose(const struct conf *c, const struct units_target *t, int is_global,
		  conf_problem_fn fn, void *userdata)
{
	int r = 0;
	for (size_t i = 0; r >= 0 && i < c->n_lines; i++) {
		const struct conf_line *l = &c->lines[i];
		if (l->problem) {
			r = report(fn, userdata, VZL_SEVERITY_NOTE, NULL, c, l, "%s, line skipped",
				   l->problem);
			continue;
		}
		if (!l->key)
			continue;
		const struct param_def *p = param_find(l->key);
		if (!p) {
			r = report(fn, userdata, VZL_SEVERITY_NOTE, NULL, c, l,
				   "unknown parameter \"%.64s\" ignored%s", l->key,
				   l->key[strlen(l->key) - 1] == ' '
					   ? " (no blanks are allowed before '=')"
					   : "");
			continue;
		}
		_cleanup_free_ char *msg = NULL;
		int k = value_check(p, t, VALUE_FROM_FILE, l->value, NULL, &msg);
		if (k == -ENOMEM)
			return k;
		if (k < 0) {
			r = report(fn, userdata, VZL_SEVERITY_ERROR, p->name, c, l,
				   "%s; the line is skipped", msg);
			continue;
		}
		if (k == UNITS_CLAMPED)
			r = report(fn, userdata, VZL_SEVERITY_NOTE, p->name, c, l, "%s", msg);
		if (r < 0)
			break;
		const struct conf_line *e;
		if (p->dup == PARAM_DUP_FIRST && (e = earlier_valid(c, i, p, t)))
			r = report(fn, userdata, VZL_SEVERITY_NOTE, p->name, c, l,
				   "duplicate %s ignored; line %u sets it first", p->name,
				   e->lineno);
		else if (is_global && (p->flags & PARAM_F_VE_ONLY))
			r = report(fn, userdata, VZL_SEVERITY_WARNING, p->name, c, l,
				   "%s may not be set in the global config and is ignored; set it "
				   "per VE",
				   p->name);
		else if (!is_global && (p->flags & PARAM_F_GLOBAL_ONLY))
			r = report(fn, userdata, VZL_SEVERITY_NOTE, p->name, c, l,
				   "%s only counts in the global config (vz.conf); ignored here",
				   p->name);
	}
	return r < 0 ? r : 0;
}
