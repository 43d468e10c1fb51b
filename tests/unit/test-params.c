/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks of the parameter table (lib/params.c). The expected lists below are copied from
 * docs/vzctl-behaviour.md (§1.1, §2.2, §2.5, §2.7, §3.6), not from the table, so that the
 * table is held to the document.
 *
 * Usage: test-params [FIXTURES-UPSTREAM-DIR]
 * With the directory (shared/fixtures-upstream), every key of its *.conf-sample* files and
 * 0.conf must be known to the table; without it that check is skipped.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "macro.h"
#include "params.h"

static unsigned n_passed, n_failed;

static void __attribute__((format(printf, 5, 6)))
check_at(const char *file, int line, const char *expr, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		n_passed++;
		return;
	}
	n_failed++;
	fprintf(stderr, "%s:%d: CHECK(%s) failed: ", file, line, expr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* CHECK(condition, printf-format, values...): the message says what was being checked. */
#define CHECK(cond, ...) check_at(__FILE__, __LINE__, #cond, (cond), __VA_ARGS__)

static const char *str_or_null(const char *s)
{
	return s ? s : "(null)";
}

static bool streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool is_key(const char *s)
{
	if (!s || !(s[0] >= 'A' && s[0] <= 'Z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool is_long_option(const char *s)
{
	if (!s || strlen(s) < 2 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-'))
			return false;
	return true;
}

static bool is_number(const char *s, bool allow_sign)
{
	if (allow_sign && *s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const struct param_def *find_checked(const char *name)
{
	const struct param_def *p = param_find(name);

	CHECK(p != NULL, "param_find(\"%s\") returned NULL", name);
	return p;
}

/* All options of a row, main one first; returns how many were stored. */
static size_t row_options(const struct param_def *p, const char **out, size_t max)
{
	size_t n = 0;

	if (p->option && n < max)
		out[n++] = p->option;
	for (const char *const *o = p->other_options; o && *o && n < max; o++)
		out[n++] = *o;
	return n;
}

static void test_enum_names(void)
{
	/* Every value has a distinct, non-empty name; out-of-range values have none. */
	for (int i = 0; i < _PARAM_T_MAX; i++) {
		const char *n = param_type_name((enum param_type)i);

		CHECK(n && n[0], "param_type_name(%d) = %s", i, str_or_null(n));
		for (int j = 0; n && j < i; j++)
			CHECK(!streq_null(n, param_type_name((enum param_type)j)),
			      "types %d and %d share the name %s", i, j, n);
	}
	for (int i = 0; i < _PARAM_U_MAX; i++) {
		const char *n = param_unit_name((enum param_unit)i);

		CHECK(n && n[0], "param_unit_name(%d) = %s", i, str_or_null(n));
		for (int j = 0; n && j < i; j++)
			CHECK(!streq_null(n, param_unit_name((enum param_unit)j)),
			      "units %d and %d share the name %s", i, j, n);
	}
	for (int i = 0; i < _PARAM_LIVE_MAX; i++) {
		const char *n = param_live_name((enum param_live)i);

		CHECK(n && n[0], "param_live_name(%d) = %s", i, str_or_null(n));
		for (int j = 0; n && j < i; j++)
			CHECK(!streq_null(n, param_live_name((enum param_live)j)),
			      "live kinds %d and %d share the name %s", i, j, n);
	}
	for (int i = 0; i < _PARAM_A_MAX; i++) {
		const char *n = param_applier_name((enum param_applier)i);

		CHECK(n && n[0], "param_applier_name(%d) = %s", i, str_or_null(n));
		for (int j = 0; n && j < i; j++)
			CHECK(!streq_null(n, param_applier_name((enum param_applier)j)),
			      "appliers %d and %d share the name %s", i, j, n);
	}

	CHECK(param_type_name(_PARAM_T_MAX) == NULL, "type out of range");
	CHECK(param_type_name((enum param_type) - 1) == NULL, "type -1");
	CHECK(param_unit_name(_PARAM_U_MAX) == NULL, "unit out of range");
	CHECK(param_unit_name((enum param_unit) - 1) == NULL, "unit -1");
	CHECK(param_live_name(_PARAM_LIVE_MAX) == NULL, "live out of range");
	CHECK(param_live_name((enum param_live) - 1) == NULL, "live -1");
	CHECK(param_applier_name(_PARAM_A_MAX) == NULL, "applier out of range");
	CHECK(param_applier_name((enum param_applier) - 1) == NULL, "applier -1");

	/* The kernel's own spellings (kernel-abi.md, vzctl-behaviour.md Appendix A). */
	static const struct {
		enum param_applier a;
		const char *name;
	} spelled[] = {
		{ PARAM_A_SETUBLIMIT, "setublimit" },
		{ PARAM_A_FAIRSCHED_CHWT, "fairsched_chwt" },
		{ PARAM_A_FAIRSCHED_RATE, "fairsched_rate" },
		{ PARAM_A_FAIRSCHED_VCPUS, "fairsched_vcpus" },
		{ PARAM_A_FAIRSCHED_CPUMASK, "fairsched_cpumask" },
		{ PARAM_A_FAIRSCHED_NODEMASK, "fairsched_nodemask" },
		{ PARAM_A_VENET_IP_MAP, "VENETCTL_VE_IP_MAP" },
		{ PARAM_A_SETDEVPERMS, "VZCTL_SETDEVPERMS" },
		{ PARAM_A_VE_NETDEV, "VZCTL_VE_NETDEV" },
		{ PARAM_A_VE_MEMINFO, "VZCTL_VE_MEMINFO" },
		{ PARAM_A_VETH_HWADDR, "VETHCTL_VE_HWADDR" },
		{ PARAM_A_QUOTA_SETLIMIT, "VZCTL_QUOTA_NEW_CTL(VZ_DQ_SETLIMIT)" },
		{ PARAM_A_IOPRIO_SET, "ioprio_set(IOPRIO_WHO_UBC)" },
		{ PARAM_A_SET_IOLIMIT, "VZCTL_SET_IOLIMIT" },
		{ PARAM_A_SET_IOPSLIMIT, "VZCTL_SET_IOPSLIMIT" },
		{ PARAM_A_ENV_CREATE, "VZCTL_ENV_CREATE_DATA" },
	};
	for (size_t i = 0; i < ELEMENTSOF(spelled); i++)
		CHECK(streq_null(param_applier_name(spelled[i].a), spelled[i].name),
		      "applier %d: expected %s, got %s", (int)spelled[i].a, spelled[i].name,
		      str_or_null(param_applier_name(spelled[i].a)));
}

static void test_rows_complete(void)
{
	const unsigned known_flags = PARAM_F_GLOBAL_ONLY | PARAM_F_VE_ONLY | PARAM_F_NEEDS_SAVE |
				     PARAM_F_DEPRECATED | PARAM_F_NOT_SENT | PARAM_F_NOT_SAVED |
				     PARAM_F_IGNORED | PARAM_F_KERNEL_DEFAULT |
				     PARAM_F_CREATE_OPTION;

	CHECK(param_table_len >= 90 && param_table_len < 200, "param_table_len = %zu",
	      param_table_len);

	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];
		const char *opts[16];
		size_t n_opts = row_options(p, opts, ELEMENTSOF(opts));

		CHECK(is_key(p->name), "row %zu: name %s", i, str_or_null(p->name));
		if (!p->name)
			continue;
		CHECK(!p->alias || is_key(p->alias), "%s: alias %s", p->name, p->alias);
		CHECK(!p->option || is_long_option(p->option), "%s: option %s", p->name,
		      str_or_null(p->option));
		CHECK(p->option || !p->other_options, "%s: other options without a main one",
		      p->name);
		for (size_t j = 0; j < n_opts; j++)
			CHECK(is_long_option(opts[j]), "%s: option %s", p->name, opts[j]);
		CHECK(!p->short_option ||
			      (p->option && p->short_option >= 'a' && p->short_option <= 'z'),
		      "%s: short option %d", p->name, p->short_option);

		CHECK((unsigned)p->type < _PARAM_T_MAX, "%s: type %d", p->name, (int)p->type);
		CHECK((unsigned)p->unit < _PARAM_U_MAX, "%s: unit %d", p->name, (int)p->unit);
		CHECK((unsigned)p->live < _PARAM_LIVE_MAX, "%s: live %d", p->name, (int)p->live);
		CHECK((unsigned)p->applier < _PARAM_A_MAX, "%s: applier %d", p->name,
		      (int)p->applier);
		CHECK((p->flags & ~known_flags) == 0, "%s: unknown flags %#x", p->name, p->flags);

		/* One sentence: non-empty, a single line, ending with a full stop. */
		size_t len = p->help ? strlen(p->help) : 0;

		CHECK(len > 10 && len <= 200, "%s: help length %zu", p->name, len);
		CHECK(len && p->help[0] != ' ' && p->help[len - 1] == '.' && !strchr(p->help, '\n'),
		      "%s: help \"%s\"", p->name, str_or_null(p->help));
		CHECK(!p->default_value || p->default_value[0], "%s: empty default", p->name);
	}
}

struct label {
	const char *text;
	const char *owner;
};

/* Each label must occur once in `l`: one check per label, naming the clash. */
static void check_distinct(const char *what, const struct label *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *other = NULL;

		for (size_t j = 0; j < n && !other; j++)
			if (j != i && strcmp(l[i].text, l[j].text) == 0)
				other = l[j].owner;
		CHECK(other == NULL, "%s \"%s\" of %s is also used by %s", what, l[i].text,
		      l[i].owner, str_or_null(other));
	}
}

static void test_unique(void)
{
	static struct label keys[512], options[512];
	static char shorts[512][2];
	size_t n_keys = 0, n_options = 0;

	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];
		const char *opts[16];
		size_t n = row_options(p, opts, ELEMENTSOF(opts));

		if (n_keys + 2 > ELEMENTSOF(keys) || n_options + n + 1 > ELEMENTSOF(options))
			break;
		keys[n_keys++] = (struct label){ p->name, p->name };
		if (p->alias)
			keys[n_keys++] = (struct label){ p->alias, p->name };
		for (size_t j = 0; j < n; j++)
			options[n_options++] = (struct label){ opts[j], p->name };
		if (p->short_option) {
			shorts[n_options][0] = p->short_option;
			options[n_options] = (struct label){ shorts[n_options], p->name };
			n_options++;
		}
	}
	/* Keys and aliases share one namespace, options and short options another. */
	check_distinct("key", keys, n_keys);
	check_distinct("option", options, n_options);
}

static bool unit_allowed(enum param_type t, enum param_unit u)
{
	switch (u) {
	case PARAM_U_BYTES:
	case PARAM_U_PAGES:
	case PARAM_U_ITEMS:
		return t == PARAM_T_UBC;
	case PARAM_U_KIB:
	case PARAM_U_INODES:
		return t == PARAM_T_DISK;
	case PARAM_U_SECONDS:
	case PARAM_U_OPS_PER_SEC:
		return t == PARAM_T_UINT || t == PARAM_T_INT;
	case PARAM_U_WEIGHT:
	case PARAM_U_COUNT:
		return t == PARAM_T_UINT;
	case PARAM_U_PERCENT:
		return t == PARAM_T_CPULIMIT;
	case PARAM_U_BYTES_PER_SEC:
		return t == PARAM_T_IOLIMIT;
	case PARAM_U_NONE:
		/* Resources and quota limits always have a unit. */
		return t != PARAM_T_UBC && t != PARAM_T_DISK;
	default:
		return false;
	}
}

static void test_consistency(void)
{
	bool type_used[_PARAM_T_MAX] = { false }, unit_used[_PARAM_U_MAX] = { false };
	bool live_used[_PARAM_LIVE_MAX] = { false }, applier_used[_PARAM_A_MAX] = { false };
	const struct param_def *by_ub[25] = { NULL };

	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];

		if ((unsigned)p->type >= _PARAM_T_MAX || (unsigned)p->unit >= _PARAM_U_MAX ||
		    (unsigned)p->live >= _PARAM_LIVE_MAX || (unsigned)p->applier >= _PARAM_A_MAX)
			continue; /* reported by test_rows_complete */
		type_used[p->type] = unit_used[p->unit] = true;
		live_used[p->live] = applier_used[p->applier] = true;

		CHECK(unit_allowed(p->type, p->unit), "%s: type %s with unit %s", p->name,
		      param_type_name(p->type), param_unit_name(p->unit));

		if (p->type == PARAM_T_UBC && !(p->flags & PARAM_F_NOT_SENT)) {
			/* 4, 20, 21, 22 are the kernel's dummy rows; nobody configures them. */
			CHECK(p->ub_resource >= 0 && p->ub_resource <= 24 && p->ub_resource != 4 &&
				      (p->ub_resource < 20 || p->ub_resource > 22),
			      "%s: ub_resource %d", p->name, p->ub_resource);
			CHECK(p->applier == PARAM_A_SETUBLIMIT, "%s: applier %s", p->name,
			      param_applier_name(p->applier));
			CHECK(p->live == PARAM_LIVE_YES, "%s: live %s", p->name,
			      param_live_name(p->live));
			if (p->ub_resource >= 0 && p->ub_resource <= 24) {
				CHECK(!by_ub[p->ub_resource], "%s: ub_resource %d also used by %s",
				      p->name, p->ub_resource,
				      by_ub[p->ub_resource] ? by_ub[p->ub_resource]->name : "");
				by_ub[p->ub_resource] = p;
			}
		} else {
			CHECK(p->ub_resource == -1, "%s: ub_resource %d on a non-resource", p->name,
			      p->ub_resource);
		}
		if (p->applier == PARAM_A_SETUBLIMIT)
			CHECK(p->type == PARAM_T_UBC || strcmp(p->name, "VM_OVERCOMMIT") == 0,
			      "%s: setublimit for type %s", p->name, param_type_name(p->type));
		if (p->type == PARAM_T_DISK)
			CHECK(p->applier == PARAM_A_QUOTA_SETLIMIT, "%s: applier %s", p->name,
			      param_applier_name(p->applier));
		if (p->flags & PARAM_F_NOT_SENT)
			CHECK(p->ub_resource == -1, "%s: not sent but has a resource id", p->name);

		if (p->default_value) {
			const char *d = p->default_value;

			if (p->type == PARAM_T_BOOL)
				CHECK(!strcmp(d, "yes") || !strcmp(d, "no"), "%s: default %s",
				      p->name, d);
			if (p->type == PARAM_T_UINT)
				CHECK(is_number(d, false), "%s: default %s", p->name, d);
			if (p->type == PARAM_T_INT)
				CHECK(is_number(d, true), "%s: default %s", p->name, d);
		}
		if (p->flags & PARAM_F_KERNEL_DEFAULT)
			CHECK(p->default_value != NULL, "%s: kernel default without a value",
			      p->name);

		switch (p->live) {
		case PARAM_LIVE_YES:
			CHECK(p->applier != PARAM_A_NONE, "%s: live without an applier", p->name);
			break;
		case PARAM_LIVE_OPTION:
			CHECK(p->option && (p->flags & PARAM_F_NOT_SAVED),
			      "%s: option-only must have an option and never be saved", p->name);
			break;
		case PARAM_LIVE_REFUSED:
			CHECK(p->option != NULL, "%s: refused while running but no option",
			      p->name);
			break;
		default:
			break;
		}
		CHECK((p->live == PARAM_LIVE_GLOBAL) == !!(p->flags & PARAM_F_GLOBAL_ONLY),
		      "%s: live %s with flags %#x", p->name, param_live_name(p->live), p->flags);
		if (p->flags & PARAM_F_GLOBAL_ONLY)
			CHECK((p->flags & PARAM_F_NOT_SAVED) && !p->option && !p->alias,
			      "%s: a vz.conf key is neither saved nor set by an option", p->name);
		if (p->flags & (PARAM_F_NEEDS_SAVE | PARAM_F_CREATE_OPTION))
			CHECK(p->option != NULL, "%s: option flag without an option", p->name);
		if (p->flags & PARAM_F_NEEDS_SAVE)
			CHECK(!(p->flags & PARAM_F_NOT_SAVED), "%s: needs --save but never saved",
			      p->name);
		CHECK(!((p->flags & PARAM_F_VE_ONLY) && (p->flags & PARAM_F_GLOBAL_ONLY)),
		      "%s: both VE-only and global-only", p->name);

		/* §1.4: only VE_ROOT and VE_PRIVATE get $VEID expanded. */
		CHECK((p->type == PARAM_T_PATH) ==
			      (!strcmp(p->name, "VE_ROOT") || !strcmp(p->name, "VE_PRIVATE")),
		      "%s: type %s", p->name, param_type_name(p->type));
	}

	/* No enum value is dead. */
	for (int i = 0; i < _PARAM_T_MAX; i++)
		CHECK(type_used[i], "type %s used by no row", param_type_name((enum param_type)i));
	for (int i = 0; i < _PARAM_U_MAX; i++)
		CHECK(unit_used[i], "unit %s used by no row", param_unit_name((enum param_unit)i));
	for (int i = 0; i < _PARAM_LIVE_MAX; i++)
		CHECK(live_used[i], "live kind %s used by no row",
		      param_live_name((enum param_live)i));
	for (int i = 0; i < _PARAM_A_MAX; i++)
		CHECK(applier_used[i], "applier %s used by no row",
		      param_applier_name((enum param_applier)i));
}

/* §2.5 "UB resources": key, kernel id, unit (B bytes, P pages, N items). */
static const struct {
	const char *name;
	int id;
	char unit;
} ub_expected[] = {
	{ "KMEMSIZE", 0, 'B' },     { "LOCKEDPAGES", 1, 'P' },   { "PRIVVMPAGES", 2, 'P' },
	{ "SHMPAGES", 3, 'P' },     { "NUMPROC", 5, 'N' },       { "PHYSPAGES", 6, 'P' },
	{ "VMGUARPAGES", 7, 'P' },  { "OOMGUARPAGES", 8, 'P' },  { "NUMTCPSOCK", 9, 'N' },
	{ "NUMFLOCK", 10, 'N' },    { "NUMPTY", 11, 'N' },       { "NUMSIGINFO", 12, 'N' },
	{ "TCPSNDBUF", 13, 'B' },   { "TCPRCVBUF", 14, 'B' },    { "OTHERSOCKBUF", 15, 'B' },
	{ "DGRAMRCVBUF", 16, 'B' }, { "NUMOTHERSOCK", 17, 'N' }, { "DCACHESIZE", 18, 'B' },
	{ "NUMFILE", 19, 'N' },     { "NUMIPTENT", 23, 'N' },    { "SWAPPAGES", 24, 'P' },
};

static enum param_unit doc_unit(char u)
{
	return u == 'B' ? PARAM_U_BYTES : u == 'P' ? PARAM_U_PAGES : PARAM_U_ITEMS;
}

static void test_ub_ids(void)
{
	size_t n_resources = 0;

	for (size_t i = 0; i < ELEMENTSOF(ub_expected); i++) {
		const struct param_def *p = find_checked(ub_expected[i].name);

		if (!p)
			continue;
		CHECK(p->type == PARAM_T_UBC, "%s: type %s", p->name, param_type_name(p->type));
		CHECK(p->ub_resource == ub_expected[i].id, "%s: ub_resource %d, expected %d",
		      p->name, p->ub_resource, ub_expected[i].id);
		CHECK(p->unit == doc_unit(ub_expected[i].unit), "%s: unit %s, expected %c", p->name,
		      param_unit_name(p->unit), ub_expected[i].unit);
	}
	for (size_t i = 0; i < param_table_len; i++)
		if (param_table[i].ub_resource >= 0)
			n_resources++;
	CHECK(n_resources == ELEMENTSOF(ub_expected), "%zu rows with a resource id, expected %zu",
	      n_resources, ELEMENTSOF(ub_expected));

	const struct param_def *p = find_checked("AVNUMPROC");

	if (p) {
		CHECK(p->type == PARAM_T_UBC && p->unit == PARAM_U_ITEMS, "AVNUMPROC: %s in %s",
		      param_type_name(p->type), param_unit_name(p->unit));
		CHECK(p->ub_resource == -1 && (p->flags & PARAM_F_NOT_SENT) &&
			      p->applier == PARAM_A_NONE,
		      "AVNUMPROC must never reach setublimit (ub %d, flags %#x, applier %s)",
		      p->ub_resource, p->flags, param_applier_name(p->applier));
	}
	p = find_checked("VM_OVERCOMMIT");
	if (p)
		CHECK(p->type == PARAM_T_FLOAT && p->ub_resource == -1, "VM_OVERCOMMIT: %s, ub %d",
		      param_type_name(p->type), p->ub_resource);
}

/* §2.7 step 2: the order in which vzctl renders changed keys. */
static const char *const save_order[] = {
	"KMEMSIZE",
	"LOCKEDPAGES",
	"PRIVVMPAGES",
	"SHMPAGES",
	"NUMPROC",
	"PHYSPAGES",
	"VMGUARPAGES",
	"OOMGUARPAGES",
	"NUMTCPSOCK",
	"NUMFLOCK",
	"NUMPTY",
	"NUMSIGINFO",
	"TCPSNDBUF",
	"TCPRCVBUF",
	"OTHERSOCKBUF",
	"DGRAMRCVBUF",
	"NUMOTHERSOCK",
	"NUMFILE",
	"DCACHESIZE",
	"NUMIPTENT",
	"AVNUMPROC",
	"SWAPPAGES",
	"VM_OVERCOMMIT",
	/* then the other keys in config-table order */
	"IPTABLES",
	"NETFILTER",
	"CAPABILITY",
	"IP_ADDRESS",
	"NETDEV",
	"HOSTNAME",
	"DESCRIPTION",
	"NAMESERVER",
	"SEARCHDOMAIN",
	"DEVICES",
	"DEVNODES",
	"PCI",
	"VE_ROOT",
	"VE_PRIVATE",
	"MOUNT_OPTS",
	"VE_LAYOUT",
	"OSTEMPLATE",
	"CPUUNITS",
	"CPUUWEIGHT",
	"CPULIMIT",
	"CPUS",
	"CPUMASK",
	"NODEMASK",
	"ONBOOT",
	"ORIGIN_SAMPLE",
	"DISABLED",
	"DISK_QUOTA",
	"DISKSPACE",
	"DISKINODES",
	"QUOTATIME",
	"QUOTAUGIDLIMIT",
	"MEMINFO",
	"NETIF",
	"NAME",
	"FEATURES",
	"IOPRIO",
	"IOLIMIT",
	"IOPSLIMIT",
	"BOOTORDER",
	"STOP_TIMEOUT",
};

static void test_order(void)
{
	size_t n = ELEMENTSOF(save_order);
	bool seen_global = false;

	CHECK(n == 63, "the §2.7 list has %zu keys", n);
	CHECK(param_table_len > n, "table has %zu rows", param_table_len);
	for (size_t i = 0; i < n && i < param_table_len; i++) {
		CHECK(strcmp(param_table[i].name, save_order[i]) == 0, "row %zu is %s, expected %s",
		      i, param_table[i].name, save_order[i]);
		CHECK(!(param_table[i].flags & PARAM_F_NOT_SAVED), "%s is written back (§2.7)",
		      param_table[i].name);
	}
	/* Everything after the written keys is never written; vz.conf-only keys come last. */
	for (size_t i = n; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];

		CHECK(p->flags & PARAM_F_NOT_SAVED, "%s after the written keys but saved", p->name);
		if (p->flags & PARAM_F_GLOBAL_ONLY)
			seen_global = true;
		else
			CHECK(!seen_global, "%s follows the vz.conf-only keys", p->name);
	}
	/* Every key of the written list is present (also under its name, not only in order). */
	for (size_t i = 0; i < n; i++)
		find_checked(save_order[i]);

	/* "TEMPLATE, DEF_OSTEMPLATE, CONFIGFILE and IPV6 are never written." */
	static const char *const never[] = { "TEMPLATE", "DEF_OSTEMPLATE", "CONFIGFILE", "IPV6" };

	for (size_t i = 0; i < ELEMENTSOF(never); i++) {
		const struct param_def *p = find_checked(never[i]);

		if (p)
			CHECK(p->flags & PARAM_F_NOT_SAVED, "%s must never be written", p->name);
	}
}

static void test_globals(void)
{
	/* §1.1: vz.conf keys vzlite reads, plus the ones vzctl accepts without a warning. */
	static const char *const present[] = {
		"VE_ROOT",        "VE_PRIVATE",
		"TEMPLATE",       "LOCKDIR",
		"DUMPDIR",        "DEF_OSTEMPLATE",
		"CONFIGFILE",     "VZQUOTA_DIR",
		"DISK_QUOTA",     "IPV6",
		"VE_LAYOUT",      "VERBOSE",
		"LOGGING",        "LOGFILE",
		"LOG_LEVEL",      "NAMESERVER",
		"STOP_TIMEOUT",   "NEIGHBOUR_DEVS",
		"VE0CPUUNITS",    "VIRTUOZZO",
		"VZFASTBOOT",     "ERROR_ON_ARPFAIL",
		"VZWDOG",         "IPTABLES_MODULES",
		"IP6TABLES",      "CONFIG_CUSTOMIZED",
		"VE_STOP_MODE",   "SKIP_SYSCTL_SETUP",
		"SKIP_ARPDETECT", "VE_PARALLEL",
		"LOCAL_UID",      "LOCAL_GID",
	};
	for (size_t i = 0; i < ELEMENTSOF(present); i++)
		find_checked(present[i]);

	/* §2.2 item 6: only vz.conf's value counts for these. */
	static const char *const global_only[] = {
		"LOCKDIR", "LOGGING", "LOGFILE", "LOG_LEVEL", "VERBOSE", "IPV6",
	};
	for (size_t i = 0; i < ELEMENTSOF(global_only); i++) {
		const struct param_def *p = find_checked(global_only[i]);

		if (p)
			CHECK(p->flags & PARAM_F_GLOBAL_ONLY, "%s: flags %#x", p->name, p->flags);
	}
	/* Per-VE keys that may also appear in vz.conf as defaults are not global-only. */
	static const char *const per_ve[] = { "VE_ROOT",    "VE_PRIVATE",   "DISK_QUOTA",
					      "NAMESERVER", "STOP_TIMEOUT", "VE_LAYOUT" };
	for (size_t i = 0; i < ELEMENTSOF(per_ve); i++) {
		const struct param_def *p = find_checked(per_ve[i]);

		if (p)
			CHECK(!(p->flags & PARAM_F_GLOBAL_ONLY), "%s: flags %#x", p->name,
			      p->flags);
	}
	/* §1.1: NETFILTER in vz.conf is rejected. */
	const struct param_def *p = find_checked("NETFILTER");

	if (p)
		CHECK(p->flags & PARAM_F_VE_ONLY, "NETFILTER: flags %#x", p->flags);
}

static void test_defaults(void)
{
	static const struct {
		const char *name, *def;
	} expected[] = {
		/* §2.5 "Default if unset", §1.1, §4.4 */
		{ "CPUUNITS", "1000" },
		{ "QUOTATIME", "259200" },
		{ "STOP_TIMEOUT", "120" },
		{ "MEMINFO", "privvmpages:1" },
		{ "NETFILTER", "stateless" },
		{ "DISABLED", "no" },
		{ "DISK_QUOTA", "yes" },
		{ "QUOTAUGIDLIMIT", "0" },
		{ "DUMPDIR", "/vz/dump" },
		{ "VZQUOTA_DIR", "/var/vzquota" },
		{ "VE_STOP_MODE", "suspend" },
		/* "unset" in the document */
		{ "ONBOOT", NULL },
		{ "BOOTORDER", NULL },
		{ "HOSTNAME", NULL },
		{ "DESCRIPTION", NULL },
		{ "IP_ADDRESS", NULL },
		{ "NAME", NULL },
		{ "DISKSPACE", NULL },
		{ "DISKINODES", NULL },
		{ "OSTEMPLATE", NULL },
		{ "TEMPLATE", NULL },
		{ "LOCKDIR", NULL },
		{ "VE_ROOT", NULL },
		{ "VE_PRIVATE", NULL },
		{ "CAPABILITY", NULL },
		{ "DEVICES", NULL },
	};
	for (size_t i = 0; i < ELEMENTSOF(expected); i++) {
		const struct param_def *p = find_checked(expected[i].name);

		if (p)
			CHECK(streq_null(p->default_value, expected[i].def),
			      "%s: default %s, expected %s", p->name, str_or_null(p->default_value),
			      str_or_null(expected[i].def));
	}
	/* A resource that is not configured is simply not sent (§3.2, §6.6). */
	for (size_t i = 0; i < param_table_len; i++)
		if (param_table[i].type == PARAM_T_UBC)
			CHECK(param_table[i].default_value == NULL, "%s: default %s",
			      param_table[i].name, param_table[i].default_value);
}

static void test_live_and_appliers(void)
{
	/* §2.5 "Live?" column and §3.6 step 11/12; -1 = applier not checked here. */
	static const struct {
		const char *name;
		enum param_live live;
		int applier;
	} expected[] = {
		{ "KMEMSIZE", PARAM_LIVE_YES, PARAM_A_SETUBLIMIT },
		{ "SWAPPAGES", PARAM_LIVE_YES, PARAM_A_SETUBLIMIT },
		{ "CPUUNITS", PARAM_LIVE_YES, PARAM_A_FAIRSCHED_CHWT },
		{ "CPUUWEIGHT", PARAM_LIVE_YES, PARAM_A_FAIRSCHED_CHWT },
		{ "CPULIMIT", PARAM_LIVE_YES, PARAM_A_FAIRSCHED_RATE },
		{ "CPUS", PARAM_LIVE_YES, PARAM_A_FAIRSCHED_VCPUS },
		{ "CPUMASK", PARAM_LIVE_YES, PARAM_A_FAIRSCHED_CPUMASK },
		{ "NODEMASK", PARAM_LIVE_YES, PARAM_A_FAIRSCHED_NODEMASK },
		{ "IP_ADDRESS", PARAM_LIVE_YES, PARAM_A_VENET_IP_MAP },
		{ "NETDEV", PARAM_LIVE_YES, PARAM_A_VE_NETDEV },
		{ "DEVICES", PARAM_LIVE_YES, PARAM_A_SETDEVPERMS },
		{ "DEVNODES", PARAM_LIVE_YES, PARAM_A_SETDEVPERMS },
		{ "MEMINFO", PARAM_LIVE_YES, PARAM_A_VE_MEMINFO },
		{ "NETIF", PARAM_LIVE_YES, PARAM_A_VETH_HWADDR },
		{ "DISKSPACE", PARAM_LIVE_YES, PARAM_A_QUOTA_SETLIMIT },
		{ "DISKINODES", PARAM_LIVE_YES, PARAM_A_QUOTA_SETLIMIT },
		{ "QUOTATIME", PARAM_LIVE_YES, PARAM_A_QUOTA_SETLIMIT },
		{ "QUOTAUGIDLIMIT", PARAM_LIVE_YES, PARAM_A_QUOTA_UGID },
		{ "IOPRIO", PARAM_LIVE_YES, PARAM_A_IOPRIO_SET },
		{ "IOLIMIT", PARAM_LIVE_YES, PARAM_A_SET_IOLIMIT },
		{ "IOPSLIMIT", PARAM_LIVE_YES, PARAM_A_SET_IOPSLIMIT },
		{ "HOSTNAME", PARAM_LIVE_YES, -1 },
		{ "NAMESERVER", PARAM_LIVE_YES, -1 },
		{ "SEARCHDOMAIN", PARAM_LIVE_YES, -1 },
		{ "PCI", PARAM_LIVE_YES, -1 },
		{ "CAPABILITY", PARAM_LIVE_RESTART, -1 },
		{ "FEATURES", PARAM_LIVE_RESTART, PARAM_A_ENV_CREATE },
		{ "NETFILTER", PARAM_LIVE_RESTART, PARAM_A_ENV_CREATE },
		{ "IPTABLES", PARAM_LIVE_RESTART, PARAM_A_ENV_CREATE },
		{ "DISK_QUOTA", PARAM_LIVE_RESTART, -1 },
		{ "MOUNT_OPTS", PARAM_LIVE_RESTART, -1 },
		{ "VE_ROOT", PARAM_LIVE_REFUSED, -1 },
		{ "VE_PRIVATE", PARAM_LIVE_REFUSED, -1 },
		{ "OSTEMPLATE", PARAM_LIVE_CONFIG, PARAM_A_NONE },
		{ "DISABLED", PARAM_LIVE_CONFIG, PARAM_A_NONE },
		{ "ONBOOT", PARAM_LIVE_CONFIG, PARAM_A_NONE },
		{ "STOP_TIMEOUT", PARAM_LIVE_CONFIG, PARAM_A_NONE },
		{ "USERPW", PARAM_LIVE_OPTION, -1 },
		{ "LOCKDIR", PARAM_LIVE_GLOBAL, PARAM_A_NONE },
	};
	for (size_t i = 0; i < ELEMENTSOF(expected); i++) {
		const struct param_def *p = find_checked(expected[i].name);

		if (!p)
			continue;
		CHECK(p->live == expected[i].live, "%s: live %s, expected %s", p->name,
		      param_live_name(p->live), param_live_name(expected[i].live));
		if (expected[i].applier >= 0)
			CHECK((int)p->applier == expected[i].applier, "%s: applier %s, expected %s",
			      p->name, param_applier_name(p->applier),
			      param_applier_name((enum param_applier)expected[i].applier));
	}

	/* §3.6: without --save, set refuses --name, --ostemplate and --stop-timeout. */
	static const char *const needs_save[] = { "NAME", "OSTEMPLATE", "STOP_TIMEOUT" };
	size_t n_flagged = 0;

	for (size_t i = 0; i < param_table_len; i++)
		if (param_table[i].flags & PARAM_F_NEEDS_SAVE)
			n_flagged++;
	CHECK(n_flagged == ELEMENTSOF(needs_save), "%zu rows need --save, expected %zu", n_flagged,
	      ELEMENTSOF(needs_save));
	for (size_t i = 0; i < ELEMENTSOF(needs_save); i++) {
		const struct param_def *p = find_checked(needs_save[i]);

		if (p)
			CHECK(p->flags & PARAM_F_NEEDS_SAVE, "%s: flags %#x", p->name, p->flags);
	}

	static const char *const deprecated[] = { "IPTABLES", "VETH" };

	for (size_t i = 0; i < ELEMENTSOF(deprecated); i++) {
		const struct param_def *p = find_checked(deprecated[i]);

		if (p)
			CHECK(p->flags & PARAM_F_DEPRECATED, "%s: flags %#x", p->name, p->flags);
	}
}

static void test_find(void)
{
	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];

		CHECK(param_find(p->name) == p, "param_find(\"%s\")", p->name);
		if (p->alias)
			CHECK(param_find(p->alias) == p, "param_find(\"%s\")", p->alias);
	}
	/* §2.5 aliases */
	CHECK(param_find("DCACHE") == param_find("DCACHESIZE") && param_find("DCACHE"),
	      "DCACHE is DCACHESIZE");
	CHECK(param_find("IPTENTRIES") == param_find("NUMIPTENT") && param_find("IPTENTRIES"),
	      "IPTENTRIES is NUMIPTENT");

	/* Names are case-sensitive and not trimmed (§2.1). */
	static const char *const unknown[] = { "kmemsize", "KMEMSIZE ", " KMEMSIZE", "Kmemsize",
					       "",         "NOSUCHKEY", "kmemsize=1" };

	for (size_t i = 0; i < ELEMENTSOF(unknown); i++)
		CHECK(param_find(unknown[i]) == NULL, "param_find(\"%s\") should fail", unknown[i]);
	CHECK(param_find(NULL) == NULL, "param_find(NULL)");
}

static void test_find_option(void)
{
	for (size_t i = 0; i < param_table_len; i++) {
		const struct param_def *p = &param_table[i];
		const char *opts[16];
		size_t n = row_options(p, opts, ELEMENTSOF(opts));

		for (size_t j = 0; j < n; j++)
			CHECK(param_find_option(opts[j]) == p, "param_find_option(\"%s\") for %s",
			      opts[j], p->name);
		if (p->short_option) {
			char s[2] = { p->short_option, '\0' };

			CHECK(param_find_option(s) == p, "param_find_option(\"%s\") for %s", s,
			      p->name);
		}
	}

	/* §2.5: options named in the reference, with the short ones of PARAM_LINE. */
	static const struct {
		const char *option, *name;
	} expected[] = {
		{ "kmemsize", "KMEMSIZE" },
		{ "k", "KMEMSIZE" },
		{ "l", "LOCKEDPAGES" },
		{ "p", "NUMPROC" },
		{ "f", "NUMFLOCK" },
		{ "t", "NUMPTY" },
		{ "i", "NUMSIGINFO" },
		{ "b", "TCPRCVBUF" },
		{ "n", "NUMFILE" },
		{ "x", "DCACHESIZE" },
		{ "e", "NUMIPTENT" },
		{ "dcachesize", "DCACHESIZE" },
		{ "numiptent", "NUMIPTENT" },
		{ "physpages", "PHYSPAGES" },
		{ "ram", "PHYSPAGES" },
		{ "swappages", "SWAPPAGES" },
		{ "swap", "SWAPPAGES" },
		{ "avnumproc", "AVNUMPROC" },
		{ "vm_overcommit", "VM_OVERCOMMIT" },
		{ "ipadd", "IP_ADDRESS" },
		{ "ip", "IP_ADDRESS" },
		{ "ipdel", "IP_ADDRESS" },
		{ "netdev_add", "NETDEV" },
		{ "netdev_del", "NETDEV" },
		{ "netif_add", "NETIF" },
		{ "netif_del", "NETIF" },
		{ "ifname", "NETIF" },
		{ "mac_filter", "NETIF" },
		{ "host_ifname", "NETIF" },
		{ "bridge", "NETIF" },
		{ "pci_add", "PCI" },
		{ "pci_del", "PCI" },
		{ "root", "VE_ROOT" },
		{ "private", "VE_PRIVATE" },
		{ "mount_opts", "MOUNT_OPTS" },
		{ "layout", "VE_LAYOUT" },
		{ "ve_layout", "VE_LAYOUT" },
		{ "velayout", "VE_LAYOUT" },
		{ "ostemplate", "OSTEMPLATE" },
		{ "config", "CONFIGFILE" },
		{ "cpuunits", "CPUUNITS" },
		{ "cpuweight", "CPUUWEIGHT" },
		{ "cpulimit", "CPULIMIT" },
		{ "cpus", "CPUS" },
		{ "cpumask", "CPUMASK" },
		{ "nodemask", "NODEMASK" },
		{ "capability", "CAPABILITY" },
		{ "features", "FEATURES" },
		{ "netfilter", "NETFILTER" },
		{ "iptables", "IPTABLES" },
		{ "devices", "DEVICES" },
		{ "devnodes", "DEVNODES" },
		{ "meminfo", "MEMINFO" },
		{ "diskquota", "DISK_QUOTA" },
		{ "diskspace", "DISKSPACE" },
		{ "diskinodes", "DISKINODES" },
		{ "quotatime", "QUOTATIME" },
		{ "quotaugidlimit", "QUOTAUGIDLIMIT" },
		{ "ioprio", "IOPRIO" },
		{ "iolimit", "IOLIMIT" },
		{ "iopslimit", "IOPSLIMIT" },
		{ "stop-timeout", "STOP_TIMEOUT" },
		{ "onboot", "ONBOOT" },
		{ "disabled", "DISABLED" },
		{ "bootorder", "BOOTORDER" },
		{ "name", "NAME" },
		{ "description", "DESCRIPTION" },
		{ "hostname", "HOSTNAME" },
		{ "nameserver", "NAMESERVER" },
		{ "searchdomain", "SEARCHDOMAIN" },
		{ "userpasswd", "USERPW" },
		{ "local_uid", "LOCAL_UID" },
	};
	for (size_t i = 0; i < ELEMENTSOF(expected); i++) {
		const struct param_def *p = param_find_option(expected[i].option);

		CHECK(p && strcmp(p->name, expected[i].name) == 0, "--%s changes %s, not %s",
		      expected[i].option, expected[i].name, p ? p->name : "(nothing)");
	}

	/* Exactly the ten short options of §2.5. */
	size_t n_short = 0;

	for (size_t i = 0; i < param_table_len; i++)
		if (param_table[i].short_option)
			n_short++;
	CHECK(n_short == 10, "%zu short options, expected 10", n_short);

	static const char *const unknown[] = { "--kmemsize", "-k",   "KMEMSIZE",
					       "kmem",       "save", "force",
					       "z",          "",     "stop_timeout" };

	for (size_t i = 0; i < ELEMENTSOF(unknown); i++)
		CHECK(param_find_option(unknown[i]) == NULL, "param_find_option(\"%s\")",
		      unknown[i]);
	CHECK(param_find_option(NULL) == NULL, "param_find_option(NULL)");
}

/*
 * Every key set in one fixture file must be known. A file whose whole content is the name
 * of another file in the same directory stands for a symlink (git stores symlinks so, and
 * ve-vswap-1g.conf-sample may arrive that way); it is followed once.
 */
static void check_fixture(const char *dir, const char *name, int depth)
{
	char path[4096];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0, n_keys = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	CHECK(f != NULL, "cannot open %s", path);
	if (!f)
		return;
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *s = line, *eq;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
				   line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			char target[4096];
			struct stat st;

			snprintf(target, sizeof(target), "%s/%s", dir, s);
			if (lineno == 1 && depth == 0 && !strchr(s, '/') &&
			    stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
				char *copy = strdup(s);

				if (copy) {
					check_fixture(dir, copy, depth + 1);
					free(copy);
					n_keys++;
				}
				break;
			}
			CHECK(eq != NULL, "%s:%u: no '=' in \"%s\"", path, lineno, s);
			continue;
		}
		*eq = '\0';
		/* The name is everything before '=', not trimmed (§2.1). */
		CHECK(param_find(s) != NULL, "%s:%u: unknown key \"%s\"", path, lineno, s);
		n_keys++;
	}
	CHECK(n_keys > 0, "%s: no keys found", path);
	free(line);
	fclose(f);
}

static void test_fixtures(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n_samples = 0, n_host = 0;

	CHECK(d != NULL, "cannot open fixtures directory %s", dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strstr(de->d_name, ".conf-sample"))
			n_samples++;
		else if (strcmp(de->d_name, "0.conf") == 0)
			n_host++;
		else
			continue;
		check_fixture(dir, de->d_name, 0);
	}
	closedir(d);
	CHECK(n_samples >= 8 && n_host == 1, "%s: %u samples and %u 0.conf", dir, n_samples,
	      n_host);
}

int main(int argc, char **argv)
{
	test_enum_names();
	test_rows_complete();
	test_unique();
	test_consistency();
	test_ub_ids();
	test_order();
	test_globals();
	test_defaults();
	test_live_and_appliers();
	test_find();
	test_find_option();
	if (argc > 1)
		test_fixtures(argv[1]);
	else
		printf("test-params: no fixtures-upstream directory given, skipping the check of "
		       "upstream sample keys\n");

	printf("test-params: %u passed, %u failed\n", n_passed, n_failed);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
