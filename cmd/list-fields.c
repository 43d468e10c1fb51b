/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlist's field table and the rules each field prints and sorts by (list-fields.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "list-fields.h"

enum kind {
	K_VEID,
	K_SMART,
	K_STR,
	K_LIST,
	K_STATUS,
	K_UB,
	K_DQ,
	K_LAVG,
	K_UPTIME,
	K_CPULIMIT,
	K_CPUUNITS,
	K_CPUS,
	K_IOPRIO,
	K_ONBOOT,
	K_BOOTORDER,
	K_LAYOUT,
	K_FEATURES,
	K_VSWAP,
	K_DISABLED,
};

struct list_field {
	const char *name, *header;
	int hdr_width; /* printf width of the header, negative: left-aligned */
	int width;     /* of the value */
	enum kind kind;
	int index;     /* UB: 0 held 1 maxheld 2 barrier 3 limit 4 failcnt; DQ: usage soft hard */
	int ub;        /* UB id (K_UB) */
	size_t offset; /* of the string (K_STR, K_LIST) in vzl_ve_info */
	unsigned needs;
};

#define STR(n, h, w, member)                                                                       \
	{                                                                                          \
		n, h, w, w, K_STR, 0, 0, offsetof(vzl_ve_info, member), 0                          \
	}
#define LIST(n, h, member)                                                                         \
	{                                                                                          \
		n, h, -15, -15, K_LIST, 0, 0, offsetof(vzl_ve_info, member), 0                     \
	}
#define UBF(n, h, id)                                                                              \
	{ n, h, 10, 10, K_UB, 0, id, 0, VZL_LIST_UB },                                             \
		{ n ".m", h ".M", 10, 10, K_UB, 1, id, 0, VZL_LIST_UB },                           \
		{ n ".b", h ".B", 10, 10, K_UB, 2, id, 0, VZL_LIST_UB },                           \
		{ n ".l", h ".L", 10, 10, K_UB, 3, id, 0, VZL_LIST_UB },                           \
	{                                                                                          \
		n ".f", h ".F", 10, 10, K_UB, 4, id, 0, VZL_LIST_UB                                \
	}
#define DQF(n, h, sfx_s, sfx_h)                                                                    \
	{ n, h, 10, 10, K_DQ, 0, 0, 0, VZL_LIST_QUOTA },                                           \
		{ n ".s", h sfx_s, 10, 10, K_DQ, 1, 0, 0, VZL_LIST_QUOTA },                        \
	{                                                                                          \
		n ".h", h sfx_h, 10, 10, K_DQ, 2, 0, 0, VZL_LIST_QUOTA                             \
	}

/* Every field in the order `vzlist -L` lists them (vzctl-behaviour.md §3.13) */
static const struct list_field fields[] = {
	{ "ctid", "CTID", 10, 10, K_VEID, 0, 0, 0, 0 },
	{ "veid", "CTID", 10, 10, K_VEID, 0, 0, 0, 0 },
	{ "vpsid", "CTID", 10, 10, K_VEID, 0, 0, 0, 0 },
	STR("private", "PRIVATE", -32, private_dir),
	STR("root", "ROOT", -32, root_dir),
	STR("mount_opts", "MOUNT_OPTS", -16, mount_opts),
	/* the header right-aligned, the value left-aligned: vzlist's own mismatch */
	{ "origin_sample", "ORIGIN_SAMPLE", 32, -32, K_STR, 0, 0,
	  offsetof(vzl_ve_info, origin_sample), 0 },
	STR("hostname", "HOSTNAME", -32, hostname),
	STR("name", "NAME", -32, name),
	{ "smart_name", "SMARTNAME", 10, 10, K_SMART, 0, 0, offsetof(vzl_ve_info, name), 0 },
	STR("description", "DESCRIPTION", -32, description),
	STR("ostemplate", "OSTEMPLATE", -32, ostemplate),
	LIST("ip", "IP_ADDR", ip),
	LIST("nameserver", "NAMESERVER", nameserver),
	LIST("searchdomain", "SEARCHDOMAIN", searchdomain),
	{ "status", "STATUS", -9, -9, K_STATUS, 0, 0, 0, 0 },
	UBF("kmemsize", "KMEMSIZE", 0),
	UBF("lockedpages", "LOCKEDP", 1),
	UBF("privvmpages", "PRIVVMP", 2),
	UBF("shmpages", "SHMP", 3),
	UBF("numproc", "NPROC", 5),
	UBF("physpages", "PHYSP", 6),
	UBF("vmguarpages", "VMGUARP", 7),
	UBF("oomguarpages", "OOMGUARP", 8),
	UBF("numtcpsock", "NTCPSOCK", 9),
	UBF("numflock", "NFLOCK", 10),
	UBF("numpty", "NPTY", 11),
	UBF("numsiginfo", "NSIGINFO", 12),
	UBF("tcpsndbuf", "TCPSNDB", 13),
	UBF("tcprcvbuf", "TCPRCVB", 14),
	UBF("othersockbuf", "OTHSOCKB", 15),
	UBF("dgramrcvbuf", "DGRAMRB", 16),
	UBF("numothersock", "NOTHSOCK", 17),
	UBF("dcachesize", "DCACHESZ", 18),
	UBF("numfile", "NFILE", 19),
	UBF("numiptent", "NIPTENT", 23),
	UBF("swappages", "SWAPP", 24),
	DQF("diskspace", "DSPACE", ".S", ".H"),
	DQF("diskinodes", "DINODES", ".S", ".H"),
	{ "laverage", "LAVERAGE", 14, 14, K_LAVG, 0, 0, 0, VZL_LIST_CPUSTAT },
	{ "uptime", "UPTIME", 15, 15, K_UPTIME, 0, 0, 0, VZL_LIST_CPUSTAT },
	{ "cpulimit", "CPULIM", 7, 7, K_CPULIMIT, 0, 0, 0, VZL_LIST_CPU },
	{ "cpuunits", "CPUUNI", 7, 7, K_CPUUNITS, 0, 0, 0, VZL_LIST_CPU },
	{ "cpus", "CPUS", 5, 5, K_CPUS, 0, 0, 0, VZL_LIST_CPUS },
	{ "ioprio", "IOP", 3, 3, K_IOPRIO, 0, 0, 0, 0 },
	{ "onboot", "ONBOOT", 6, 6, K_ONBOOT, 0, 0, 0, 0 },
	{ "bootorder", "BOOTORDER", 10, 10, K_BOOTORDER, 0, 0, 0, 0 },
	{ "layout", "LAYOUT", 6, -6, K_LAYOUT, 0, 0, 0, 0 },
	{ "features", "FEATURES", -15, -15, K_FEATURES, 0, 0, 0, 0 },
	/* from the physpages limit: the kernel's for a running VE (§6.6) */
	{ "vswap", "VSWAP", 5, 5, K_VSWAP, 0, 0, 0, VZL_LIST_UB },
	{ "disabled", "DISABL", 6, 6, K_DISABLED, 0, 0, 0, 0 },
};

/* VE_FEATURE_* bits in vzctl's order (src/lib/vzfeatures.c) */
static const struct {
	const char *name;
	unsigned bit;
} features[] = {
	{ "sysfs", 0 }, { "nfs", 1 },   { "sit", 3 },    { "ipip", 4 },
	{ "ppp", 5 },   { "ipgre", 6 }, { "bridge", 7 }, { "nfsd", 8 },
};

static const char *const status_words[] = { "running", "stopped", "mounted", "suspended" };

const struct list_field *list_field_find(const char *name)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(fields[i].name, name))
			return &fields[i];
	return NULL;
}

const struct list_field *list_field_at(size_t i)
{
	return i < sizeof(fields) / sizeof(fields[0]) ? &fields[i] : NULL;
}

const char *list_field_name(const struct list_field *f)
{
	return f->name;
}

const char *list_field_header(const struct list_field *f)
{
	return f->header;
}

bool list_field_is_variant(const struct list_field *f)
{
	return (f->kind == K_UB || f->kind == K_DQ) && f->index != 0;
}

unsigned list_field_needs(const struct list_field *f)
{
	return f->needs;
}

static void __attribute__((format(printf, 2, 3))) put(struct list_line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if (l->len + (size_t)n + 1 > l->cap) {
		l->cap = (l->len + (size_t)n + 1) * 2;
		if (!(l->p = realloc(l->p, l->cap)))
			abort();
	}
	memcpy(l->p + l->len, s, (size_t)n + 1);
	l->len += (size_t)n;
	free(s);
}

void list_field_put_sep(struct list_line *l)
{
	put(l, " ");
}

void list_line_emit(struct list_line *l, FILE *out)
{
	while (l->len && (l->p[l->len - 1] == ' ' || l->p[l->len - 1] == '\t'))
		l->len--;
	fwrite(l->p ? l->p : "", 1, l->len, out);
	fputc('\n', out);
	l->len = 0;
}

/* A string column: cut to its width unless it is the last one. */
static void put_cut(struct list_line *l, int width, const char *s, bool last)
{
	size_t start = l->len, w = (size_t)abs(width);
	put(l, "%*s", width, s);
	if (!last && l->len > start + w)
		l->p[l->len = start + w] = 0;
}

void list_field_header_put(const struct list_field *f, struct list_line *l)
{
	put(l, "%*s", f->hdr_width, f->header);
}

static const char *str_of(const struct list_field *f, const vzl_ve_info *e)
{
	return *(char *const *)((const char *)e + f->offset);
}

static void features_text(const vzl_ve_info *e, char *buf, size_t size)
{
	size_t n = 0;
	strcpy(buf, "-");
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		uint64_t bit = 1ull << features[i].bit;
		if (!(e->features_known & bit))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s:%s", n ? "," : "", features[i].name,
				      e->features_on & bit ? "on" : "off");
		if (n >= size)
			break;
	}
}

static uint64_t ub_value(const struct vzl_ub_value *v, int index)
{
	const uint64_t a[5] = { v->held, v->maxheld, v->barrier, v->limit, v->failcnt };
	return a[index];
}

/* §6.6: VSwap unless the physpages limit is unlimited, in 64 or in 32 bits (0 when unset) */
static bool is_vswap(const vzl_ve_info *e)
{
	uint64_t limit = e->ub[6].limit;
	return limit != INT64_MAX && limit != INT32_MAX;
}

void list_field_put(const struct list_field *f, const vzl_ve_info *e, bool last,
		    struct list_line *l)
{
	bool running = e->status == VZL_LIST_RUNNING;
	char buf[128];
	switch (f->kind) {
	case K_VEID:
		put(l, "%10u", e->veid);
		break;
	case K_SMART:
		if (e->name)
			put_cut(l, 10, e->name, last);
		else
			put(l, "%10u", e->veid);
		break;
	case K_STR: {
		const char *s = str_of(f, e);
		put_cut(l, f->width, s ? s : "-", last);
		break;
	}
	case K_LIST: {
		const char *s = str_of(f, e);
		if (!s)
			s = "-";
		if (!last) { /* the first element only */
			size_t n = strcspn(s, " ");
			snprintf(buf, sizeof(buf), "%.*s",
				 (int)(n < sizeof(buf) ? n : sizeof(buf) - 1), s);
			s = buf;
		}
		put_cut(l, -15, s, last);
		break;
	}
	case K_STATUS:
		put(l, "%-9s", status_words[e->status]);
		break;
	case K_UB:
		if (!running && (f->index == 0 || f->index == 1 || f->index == 4))
			put(l, "%10s", "-");
		else
			put(l, "%10llu", (unsigned long long)ub_value(&e->ub[f->ub], f->index));
		break;
	case K_DQ: {
		const uint64_t *v = strcmp(f->name, "diskspace") &&
						    strncmp(f->name, "diskspace.", 10)
					    ? e->diskinodes
					    : e->diskspace;
		if (!e->has_quota || (f->index == 0 && v[0] == 0))
			put(l, "%10s", "-");
		else
			put(l, "%10llu", (unsigned long long)v[f->index]);
		break;
	}
	case K_LAVG:
		if (!e->has_cpustat)
			put(l, "%14s", "-");
		else
			put(l, "%1.2f/%1.2f/%1.2f", e->loadavg[0], e->loadavg[1], e->loadavg[2]);
		break;
	case K_UPTIME:
		if (!e->has_cpustat) {
			put(l, "%15s", "-");
		} else {
			/* whole seconds of the single-precision uptime, as days, h, m, s */
			unsigned long long t = (unsigned long long)(float)e->uptime;
			put(l, "%.3llud%.2lluh:%.2llum:%.2llus", t / 86400, t / 3600 % 24,
			    t / 60 % 60, t % 60);
		}
		break;
	case K_CPULIMIT:
	case K_CPUUNITS:
		if (!e->has_cpu)
			put(l, "%7s", "-");
		else
			put(l, "%7lu", f->kind == K_CPULIMIT ? e->cpulimit : e->cpuunits);
		break;
	case K_CPUS:
		if (e->cpus <= 0)
			put(l, "%5s", "-");
		else
			put(l, "%5d", e->cpus);
		break;
	case K_IOPRIO:
		if (e->ioprio < 0)
			put(l, "%3s", "-");
		else
			put(l, "%3d", e->ioprio);
		break;
	case K_ONBOOT:
		put(l, "%6s", e->onboot ? "yes" : "no");
		break;
	case K_BOOTORDER:
		if (!e->has_bootorder)
			put(l, "%10s", "-");
		else
			put(l, "%10lu", e->bootorder);
		break;
	case K_LAYOUT:
		put(l, "%-6s", e->ploop ? "ploop" : "simfs");
		break;
	case K_FEATURES:
		features_text(e, buf, sizeof(buf));
		put_cut(l, -15, buf, last);
		break;
	case K_VSWAP:
		put(l, "%5s", is_vswap(e) ? "yes" : "no");
		break;
	case K_DISABLED:
		put(l, "%6s", e->disabled ? "yes" : "no");
		break;
	}
}

static void json_str_or_null(const char *s, FILE *out)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	struct json_writer w;
	json_init(&w, out);
	json_string(&w, s);
}

void list_field_json(const struct list_field *f, const vzl_ve_info *e, FILE *out)
{
	bool running = e->status == VZL_LIST_RUNNING;
	switch (f->kind) {
	case K_VEID:
		fprintf(out, "%u", e->veid);
		break;
	case K_SMART:
		if (e->name)
			json_str_or_null(e->name, out);
		else
			fprintf(out, "%u", e->veid);
		break;
	case K_STR:
		json_str_or_null(str_of(f, e), out);
		break;
	case K_LIST: {
		const char *s = str_of(f, e);
		fputc('[', out);
		for (bool first = true; s && *(s += strspn(s, " \t"));) {
			size_t n = strcspn(s, " \t");
			char *tok = strndup(s, n);
			fputs(first ? "" : ", ", out);
			json_str_or_null(tok, out);
			free(tok);
			first = false;
			s += n;
		}
		fputc(']', out);
		break;
	}
	case K_STATUS:
		fprintf(out, "\"%s\"", status_words[e->status]);
		break;
	case K_UB: {
		const struct vzl_ub_value *v = &e->ub[f->ub];
		fprintf(out,
			"{\n      \"held\": %llu,\n      \"maxheld\": %llu,\n      \"barrier\": "
			"%llu,\n      \"limit\": %llu,\n      \"failcnt\": %llu\n    }",
			running ? (unsigned long long)v->held : 0ull,
			running ? (unsigned long long)v->maxheld : 0ull,
			(unsigned long long)v->barrier, (unsigned long long)v->limit,
			running ? (unsigned long long)v->failcnt : 0ull);
		break;
	}
	case K_DQ: {
		const uint64_t *v = strcmp(f->name, "diskspace") ? e->diskinodes : e->diskspace;
		if (!e->has_quota)
			fputs("null", out);
		else
			fprintf(out,
				"{\n      \"usage\": %llu,\n      \"softlimit\": %llu,\n      "
				"\"hardlimit\": %llu\n    }",
				running ? (unsigned long long)v[0] : 0ull, (unsigned long long)v[1],
				(unsigned long long)v[2]);
		break;
	}
	case K_LAVG:
		if (!e->has_cpustat)
			fputs("null", out);
		else
			fprintf(out, "[%1.2f, %1.2f, %1.2f]", e->loadavg[0], e->loadavg[1],
				e->loadavg[2]);
		break;
	case K_UPTIME:
		fprintf(out, "%.3f", e->has_cpustat ? (double)(float)e->uptime : 0.);
		break;
	case K_CPULIMIT:
	case K_CPUUNITS:
		if (!e->has_cpu)
			fputs("null", out);
		else
			fprintf(out, "%lu", f->kind == K_CPULIMIT ? e->cpulimit : e->cpuunits);
		break;
	case K_CPUS:
		fprintf(out, "%d", e->cpus < 0 ? 0 : e->cpus);
		break;
	case K_IOPRIO:
		fprintf(out, "%d", e->ioprio < 0 ? 0 : e->ioprio);
		break;
	case K_ONBOOT:
		fputs(e->onboot ? "true" : "false", out);
		break;
	case K_BOOTORDER:
		if (!e->has_bootorder)
			fputs("null", out);
		else
			fprintf(out, "%lu", e->bootorder);
		break;
	case K_LAYOUT:
		fprintf(out, "\"%s\"", e->ploop ? "ploop" : "simfs");
		break;
	case K_FEATURES: {
		int n = 0;
		for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
			uint64_t bit = 1ull << features[i].bit;
			if (e->features_known & bit)
				fprintf(out, "%s      \"%s\": %s", n++ ? ",\n" : "{\n",
					features[i].name, e->features_on & bit ? "true" : "false");
		}
		fputs(n ? "\n    }" : "null", out);
		break;
	}
	case K_VSWAP:
		fputs(is_vswap(e) ? "true" : "false", out);
		break;
	case K_DISABLED:
		fputs(e->disabled ? "true" : "false", out);
		break;
	}
}

/* When `a` or `b` has no value: 1 and *order (-1: a first, 1: b first, 0: both missing);
 * a VE without the value sorts before one with it (§3.13's sort rules). */
static int one_missing(bool has_a, bool has_b, int *order)
{
	if (has_a && has_b)
		return 0;
	*order = has_a - has_b;
	return 1;
}

static int id_after(const vzl_ve_info *a, const vzl_ve_info *b)
{
	return a->veid > b->veid;
}

int list_field_cmp(const struct list_field *f, const vzl_ve_info *a, const vzl_ve_info *b)
{
	switch (f->kind) {
	case K_VEID:
		return id_after(a, b);
	case K_SMART:
	case K_STR:
	case K_LIST: {
		const char *x = str_of(f, a), *y = str_of(f, b);
		int o;
		return one_missing(x, y, &o) ? o : strcmp(x, y);
	}
	case K_STATUS: {
		int d = (int)a->status - (int)b->status;
		return d ? d : id_after(a, b);
	}
	case K_UB: {
		/* vzlist's QUIRK: .b sorts by the limit and .l by the barrier */
		static const int by[5] = { 0, 1, 3, 2, 4 };
		return ub_value(&a->ub[f->ub], by[f->index]) >
		       ub_value(&b->ub[f->ub], by[f->index]);
	}
	case K_DQ: {
		int o;
		if (one_missing(a->has_quota, b->has_quota, &o))
			return o;
		bool space = !strncmp(f->name, "diskspace", 9);
		const uint64_t *x = space ? a->diskspace : a->diskinodes;
		const uint64_t *y = space ? b->diskspace : b->diskinodes;
		return x[f->index] > y[f->index];
	}
	case K_LAVG: {
		/* the first of the three averages whose hundredths differ decides */
		int o = 0;
		if (one_missing(a->has_cpustat, b->has_cpustat, &o))
			return o;
		for (int i = 0; i < 3 && !o; i++)
			o = (int)(((float)a->loadavg[i] - (float)b->loadavg[i]) * 100);
		return o;
	}
	case K_UPTIME: {
		int o;
		if (one_missing(a->has_cpustat, b->has_cpustat, &o))
			return o;
		return (int)((float)b->uptime - (float)a->uptime); /* the longest first */
	}
	case K_CPULIMIT:
	case K_CPUUNITS: {
		int o;
		if (one_missing(a->has_cpu, b->has_cpu, &o))
			return o;
		return f->kind == K_CPULIMIT ? a->cpulimit > b->cpulimit
					     : a->cpuunits > b->cpuunits;
	}
	case K_CPUS:
		return a->cpus > b->cpus;
	case K_IOPRIO:
		return a->ioprio > b->ioprio;
	case K_BOOTORDER: {
		/* an unset order first; two equal (or unset) ones: the higher id first */
		bool same = a->has_bootorder == b->has_bootorder &&
			    (!a->has_bootorder || a->bootorder == b->bootorder);
		if (same)
			return !id_after(a, b);
		int o;
		if (one_missing(a->has_bootorder, b->has_bootorder, &o))
			return o;
		return a->bootorder > b->bootorder;
	}
	case K_LAYOUT:
		return a->ploop > b->ploop;
	case K_ONBOOT:
	case K_FEATURES:
	case K_VSWAP:
	case K_DISABLED:
		return 0;
	}
	return 0;
}
