/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scalar values: numbers (units.c), yes/no, strings, names, paths, the layout. List-like
 * types are in value-list.c. Ranges are vzctl's where it has one and the kernel's otherwise
 * (kernel-abi.md §8, §9): a value the kernel would refuse with EINVAL is refused here, with
 * the bound in the message, instead of failing later in the middle of a start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "name-rules.h"
#include "value.h"
#include "veid.h"

void value_quote(const char *text, char *buf, size_t size)
{
	size_t n = 0;
	const size_t keep = 48;
	size_t i;

	if (size == 0)
		return;
	for (i = 0; text[i] && i < keep; i++) {
		unsigned char c = (unsigned char)text[i];
		char tmp[8];
		if (c == '"' || c == '\\')
			snprintf(tmp, sizeof(tmp), "\\%c", c);
		else if (c == '\n')
			snprintf(tmp, sizeof(tmp), "\\n");
		else if (c == '\r')
			snprintf(tmp, sizeof(tmp), "\\r");
		else if (c == '\t')
			snprintf(tmp, sizeof(tmp), "\\t");
		else if (c < 0x20 || c == 0x7f)
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else
			snprintf(tmp, sizeof(tmp), "%c", c);
		size_t l = strlen(tmp);
		if (n + l + 4 >= size)
			break;
		memcpy(buf + n, tmp, l);
		n += l;
	}
	if (text[i] && n + 4 < size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

int value_rule(const struct param_def *p, const struct units_target *t, struct units_rule *ret)
{
	struct units_rule r = { .fraction = true };

	if (p->type != PARAM_T_UBC && p->type != PARAM_T_DISK)
		return -EINVAL;
	r.unlimited = p->type == PARAM_T_UBC;
	switch (p->unit) {
	case PARAM_U_PAGES:
		r.divisor = t->page_size;
		break;
	case PARAM_U_ITEMS:
		r.divisor = 0;
		break;
	case PARAM_U_KIB:
		r.divisor = 1024;
		break;
	default:
		r.divisor = 1;
		break; /* bytes; inodes take suffixes as plain multipliers */
	}
	*ret = r;
	return 0;
}

static int why(struct value_work *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int why(struct value_work *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int set_canon(struct value_work *w, const char *s)
{
	free(w->canon);
	w->canon = strdup(s);
	return w->canon ? 0 : -ENOMEM;
}

static int units_why(struct value_work *w, const struct units_rule *r, enum units_err e)
{
	const char *acc = units_accepted(r);
	switch (e) {
	case UNITS_E_EMPTY:
		return why(w, "is empty; use %s", acc);
	case UNITS_E_NEGATIVE:
		return why(w, "is negative; use %s", acc);
	case UNITS_E_RANGE:
		return why(w, "is too large; the largest value is %" PRIu64 "%s", w->t->long_max,
			   r->unlimited ? " (unlimited)" : "");
	case UNITS_E_EXTRA:
		return why(w, "has more than two numbers; use BARRIER or BARRIER:LIMIT, each %s",
			   acc);
	default:
		return why(w, "is not %s", acc);
	}
}

/* Clamped numbers: a warning from a file, an error from the user (vzctl: exit 21). */
static int clamped(struct value_work *w)
{
	if (w->origin == VALUE_FROM_USER)
		return why(w,
			   "is larger than %" PRIu64 ", the largest value on %s; use unlimited or "
			   "a smaller number",
			   w->t->long_max, w->t->name);
	why(w, "is larger than %" PRIu64 ", the largest value on %s, and is taken as unlimited",
	    w->t->long_max, w->t->name);
	return UNITS_CLAMPED;
}

static int check_pair(struct value_work *w)
{
	struct units_rule r;
	uint64_t v[2];
	enum units_err e = 0;
	char buf[64];

	value_rule(w->p, w->t, &r);
	int k = units_parse_pair(w->t, &r, w->text, v, &e);
	if (k < 0)
		return units_why(w, &r, e);
	if (k == UNITS_CLAMPED && w->p->type == PARAM_T_DISK)
		/* vzctl's parse_dq turns the truncation into "invalid value". */
		return why(w, "is larger than %" PRIu64 ", the largest quota on %s", w->t->long_max,
			   w->t->name);
	if (w->p->type == PARAM_T_DISK && v[0] > v[1])
		return why(w, "has a soft limit above the hard limit; use SOFT:HARD with "
			      "SOFT <= HARD");
	w->out->pair[0] = v[0];
	w->out->pair[1] = v[1];
	/* The canonical text is what a config gets: two plain decimals, even for
	 * barrier = limit or unlimited (units.h), so that libvirt reads it too. */
	units_format_plain_pair(v, buf, sizeof(buf));
	int s = set_canon(w, buf);
	if (s < 0)
		return s;
	return k == UNITS_CLAMPED ? clamped(w) : 0;
}

/* The VEID key, by the rule of a VEID anywhere (ve.c). */
static int check_veid(struct value_work *w)
{
	unsigned v;
	if (veid_parse(w->text, &v) < 0)
		return why(w, "is not a VE ID; %s", VEID_RULE);
	return 0;
}

/* Range of a plain unsigned key; vzctl's own where it has one, else the kernel's. */
static void uint_range(const char *name, uint64_t *min, uint64_t *max, const char **because)
{
	*because = NULL;
	if (strcmp(name, "CPUUNITS") == 0 || strcmp(name, "VE0CPUUNITS") == 0) {
		*min = 8, *max = 500000;
		*because = "vzctl's range, which the kernel's fair-scheduler weight 1..65535 "
			   "allows";
	} else if (strcmp(name, "CPUUWEIGHT") == 0) {
		*min = 1, *max = 65535;
		*because = "the kernel's fair-scheduler weight range";
	} else if (strcmp(name, "CPUS") == 0) {
		*min = 0, *max = 4096;
		*because = "the number of CPUs vzctl's masks can hold";
	}
}

static int check_uint(struct value_work *w)
{
	uint64_t v, min = 0, max = w->t->long_max;
	enum units_err e = 0;
	const char *because;
	char buf[32];

	if (strcmp(w->p->name, "VEID") == 0)
		return check_veid(w);
	if (units_parse_ulong(w->t, true, w->text, &v, &e) < 0) {
		if (e == UNITS_E_RANGE)
			return why(w, "is too large; the largest value is %" PRIu64,
				   w->t->long_max);
		return why(w, "is %s; use a whole number without a suffix, or unlimited",
			   e == UNITS_E_NEGATIVE ? "negative"
			   : e == UNITS_E_EMPTY  ? "empty"
						 : "not a whole number");
	}
	uint_range(w->p->name, &min, &max, &because);
	if (because && (v < min || v > max))
		return why(w, "is out of range; use %" PRIu64 "..%" PRIu64 " (%s)", min, max,
			   because);
	w->out->u = v;
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return set_canon(w, buf);
}

static int check_int(struct value_work *w)
{
	long long v, min = -2147483647LL - 1, max = 2147483647;
	const char *n = w->p->name;
	const char *because = "a 32-bit integer";
	char buf[32];

	if (strcmp(n, "IOPRIO") == 0)
		min = 0, max = 7, because = "the kernel's I/O priorities";
	else if (strcmp(n, "IOPSLIMIT") == 0 || strcmp(n, "STOP_TIMEOUT") == 0)
		min = 0, because = "0 means no limit or the default";
	int r = units_parse_long(w->text, min, max, &v);
	if (r == -ERANGE)
		return why(w, "is out of range; use %lld..%lld (%s)", min, max, because);
	if (r < 0)
		return why(w, "is not an integer; use %lld..%lld", min, max);
	w->out->i = v;
	snprintf(buf, sizeof(buf), "%lld", v);
	return set_canon(w, buf);
}

/* VM_OVERCOMMIT: a non-negative decimal (vzctl reads it with sscanf %f). */
static int check_float(struct value_work *w)
{
	const char *s = w->text;
	size_t digits = strspn(s, "0123456789");
	const char *p = s + digits;
	if (*p == '.') {
		size_t f = strspn(p + 1, "0123456789");
		digits += f;
		p += 1 + f;
	}
	if (!digits || *p || digits > 15)
		return why(w, "is not a decimal number; use a value such as 1.5 (0 for none)");
	w->out->f = strtod(s, NULL);
	return 0;
}

static int check_bool(struct value_work *w)
{
	if (strcmp(w->text, "yes") != 0 && strcmp(w->text, "no") != 0)
		return why(w, "is not yes or no");
	w->out->b = w->text[0] == 'y';
	return 0;
}

static int check_word(struct value_work *w)
{
	const char *problem = template_name_problem(w->text);
	return problem ? why(w, "%s", problem) : 0;
}

static int check_hostname(struct value_work *w)
{
	const char *problem = hostname_problem(w->text);
	return problem ? why(w, "%s", problem) : 0;
}

static int check_path(struct value_work *w)
{
	if (w->text[0] != '/')
		return why(w, "is not an absolute path; use a path starting with /");
	return 0;
}

static int check_name(struct value_work *w)
{
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -+_.";
	if (!*w->text || w->text[strspn(w->text, ok)])
		return why(w, "is not a VE name; use letters, digits, spaces and -+_. only");
	return 0;
}

static int check_layout(struct value_work *w)
{
	/* In enum value_layout's order. */
	static const char *const ok[] = { "simfs", "ploop", "ploop:expanded", "ploop:plain",
					  "ploop:raw" };
	for (size_t i = 0; i < ELEMENTSOF(ok); i++)
		if (strcmp(w->text, ok[i]) == 0) {
			w->out->e = (int)i;
			return 0;
		}
	return why(w, "is not a layout; use simfs or ploop[:expanded|plain|raw]");
}

/* CPULIMIT: N (% of one CPU) or N% (≤ 100, of the whole host). */
static int check_cpulimit(struct value_work *w)
{
	uint64_t v = 0;
	const char *p = w->text;
	size_t d = strspn(p, "0123456789");
	bool percent = p[d] == '%' && p[d + 1] == '\0';

	if (!d || (p[d] && !percent) || d > 12)
		return why(w, "is not a CPU limit; use N (percent of one CPU) or N%% (percent of "
			      "the host, at most 100%%)");
	for (size_t i = 0; i < d; i++)
		v = v * 10 + (uint64_t)(p[i] - '0');
	if (percent && v > 100)
		return why(w, "is above 100%%; a limit of the whole host is at most 100%%");
	/* The kernel takes rate = N * 1024 / 100 in 1..2^31-1 (kernel-abi.md §9.3). */
	if (!percent && v * 1024 / 100 > 2147483647u)
		return why(w, "is too large; the kernel's CPU rate allows at most 209715199 "
			      "(percent of one CPU)");
	w->out->u = v;
	w->out->b = percent;
	return 0;
}

static int check_iolimit(struct value_work *w)
{
	/* vzctl's parse_iolimit: bytes/s in a file, MB/s from the command line unless a
	 * suffix says otherwise; "unlimited" is 0; at most 2^31-1 B/s. */
	const char *s = w->text;
	char buf[32];
	uint64_t v = 0;

	if (strcmp(s, "unlimited") == 0) {
		w->out->u = 0;
		return set_canon(w, "0");
	}
	size_t d = strspn(s, "0123456789");
	if (!d || d > 19)
		return why(w, "is not a rate; use a whole number of bytes/s with an optional K, M "
			      "or G suffix, 0 or unlimited");
	for (size_t i = 0; i < d; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	uint64_t mul = w->origin == VALUE_FROM_USER ? 1u << 20 : 1;
	if (s[d]) {
		const char *sfx = "bBkKmMgG";
		const char *c = strchr(sfx, s[d]);
		if (!c || s[d + 1])
			return why(w, "is not a rate; use a whole number of bytes/s with an "
				      "optional K, M or G suffix, 0 or unlimited");
		mul = UINT64_C(1) << (10 * ((c - sfx) / 2));
	}
	if (v > 2147483647u || v * mul > 2147483647u) {
		if (w->origin == VALUE_FROM_USER)
			return why(w, "is above 2147483647 bytes/s, the largest I/O limit");
		why(w, "is above 2147483647 bytes/s, the largest I/O limit, and is taken as that");
		w->out->u = 2147483647u;
		set_canon(w, "2147483647");
		return w->canon ? UNITS_CLAMPED : -ENOMEM;
	}
	w->out->u = v * mul;
	snprintf(buf, sizeof(buf), "%" PRIu64, w->out->u);
	return set_canon(w, buf);
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return 1;
	return 0;
}

void value_typed_done(struct value_typed *v)
{
	for (size_t i = 0; i < v->n_words; i++)
		free(v->words[i]);
	for (size_t i = 0; i < v->n_devnodes; i++)
		free(v->devnodes[i].name);
	free(v->words);
	free(v->ips);
	free(v->netifs);
	free(v->devices);
	free(v->devnodes);
	free(v->pcis);
	*v = (struct value_typed){ 0 };
}

/* The one rule of every type: checks `text`, fills *out, renders the canonical text. */
static int value_run(const struct param_def *p, const struct units_target *t,
		     enum value_origin origin, const char *text, struct value_typed *out,
		     char **ret_canonical, char **ret_message)
{
	struct value_work w = { .p = p, .t = t, .origin = origin, .text = text, .out = out };
	size_t len = strlen(text);
	int r;

	if (len > VALUE_MAX)
		r = why(&w, "is %zu bytes long; the longest value accepted is %d bytes", len,
			VALUE_MAX);
	else if (has_control(text))
		r = why(&w, "contains a line break or another control character; a value must be "
			    "one line of text");
	else {
		switch (p->type) {
		case PARAM_T_UBC:
		case PARAM_T_DISK:
			r = check_pair(&w);
			break;
		case PARAM_T_UINT:
			r = check_uint(&w);
			break;
		case PARAM_T_INT:
			r = check_int(&w);
			break;
		case PARAM_T_FLOAT:
			r = check_float(&w);
			break;
		case PARAM_T_BOOL:
			r = check_bool(&w);
			break;
		case PARAM_T_STRING:
			r = 0;
			break;
		case PARAM_T_WORD:
			r = check_word(&w);
			break;
		case PARAM_T_PATH:
		case PARAM_T_HOST_PATH:
			r = check_path(&w);
			break;
		case PARAM_T_NAME:
			r = check_name(&w);
			break;
		case PARAM_T_HOSTNAME:
			r = check_hostname(&w);
			break;
		case PARAM_T_LAYOUT:
			r = check_layout(&w);
			break;
		case PARAM_T_CPULIMIT:
			r = check_cpulimit(&w);
			break;
		case PARAM_T_IOLIMIT:
			r = check_iolimit(&w);
			break;
		default:
			r = value_check_list(&w);
			break;
		}
	}
	if (r == -ENOMEM) {
		free(w.canon);
		return r;
	}
	if (r != 0 && ret_message) {
		char q[256];
		value_quote(text, q, sizeof(q));
		if (asprintf(ret_message, "%s: \"%s\" %s", p->name, q, w.why) < 0) {
			free(w.canon);
			return -ENOMEM;
		}
	}
	if (r < 0) {
		free(w.canon);
		return r;
	}
	if (ret_canonical) {
		if (!w.canon && !(w.canon = strdup(text))) {
			if (ret_message && r)
				free(*ret_message);
			return -ENOMEM;
		}
		*ret_canonical = TAKE_PTR(w.canon);
	}
	free(w.canon);
	return r;
}

int value_check(const struct param_def *p, const struct units_target *t, enum value_origin origin,
		const char *text, char **ret_canonical, char **ret_message)
{
	struct value_typed scratch = { 0 };
	int r = value_run(p, t, origin, text, &scratch, ret_canonical, ret_message);
	value_typed_done(&scratch);
	return r;
}

int value_parse(const struct param_def *p, const struct units_target *t, enum value_origin origin,
		const char *text, struct value_typed *ret, char **ret_message)
{
	*ret = (struct value_typed){ 0 };
	int r = value_run(p, t, origin, text, ret, NULL, ret_message);
	if (r < 0)
		value_typed_done(ret);
	return r;
}
