/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite list: vzlist (vzctl-behaviour.md §3.13) with its options, fields, widths, sort
 * rules and JSON, so that scripts and libvirt's OpenVZ driver read it as vzlist.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "list-fields.h"

#define MAX_FIELDS 256

struct list_opts {
	bool all, stopped, header, trim, json;
	const char *host_pat, *name_pat, *desc_pat, *fields;
	const struct list_field *sort;
	bool sort_rev;
	unsigned *ids;
	size_t n_ids;
};

static int parse_fields(const char *spec, bool json, const struct list_field **out, size_t *n)
{
	*n = 0;
	char *copy = strdup(spec), *save = NULL;
	int r = copy ? 0 : -1;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct list_field *f = list_field_find(tok);
		if (!f) {
			fprintf(stderr, "Unknown field: %s\n", tok);
			r = -1;
		} else if (json && list_field_is_variant(f)) {
			fprintf(stderr, "Field `%s' is not available in JSON output\n", tok);
			r = -1;
		} else if (*n == MAX_FIELDS) {
			fprintf(stderr, "Too many fields: at most %d\n", MAX_FIELDS);
			r = -1;
		}
		if (r < 0)
			break;
		out[(*n)++] = f;
	}
	free(copy);
	if (r == 0 && *n == 0) {
		fprintf(stderr, "Unknown field: %s\n", spec);
		r = -1;
	}
	return r;
}

/* A stable merge sort that, as glibc's qsort does with vzlist's comparators, only moves
 * an entry ahead of an earlier one when the comparison says it sorts after it (> 0). */
static void sort_ves(vzl_ve_info **v, vzl_ve_info **tmp, size_t n, const struct list_field *f)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	sort_ves(v, tmp, h, f);
	sort_ves(v + h, tmp, n - h, f);
	while (i < h && j < n)
		tmp[k++] = list_field_cmp(f, v[i], v[j]) > 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	memcpy(v, tmp, k * sizeof(*v));
}

static bool matches(const char *pat, const char *s)
{
	return !pat || (s && fnmatch(pat, s, 0) == 0);
}

static void print_table(const struct list_opts *o, const struct list_field **f, size_t nf,
			vzl_ve_info **v, size_t n)
{
	struct list_line l = { 0 };
	if (o->header) {
		for (size_t i = 0; i < nf; i++) {
			if (i)
				list_field_put_sep(&l);
			list_field_header_put(f[i], &l);
		}
		list_line_emit(&l, stdout);
	}
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < nf; i++) {
			if (i)
				list_field_put_sep(&l);
			list_field_put(f[i], v[k], !o->trim || i + 1 == nf, &l);
		}
		list_line_emit(&l, stdout);
	}
	free(l.p);
}

static void print_json(const struct list_field **f, size_t nf, vzl_ve_info **v, size_t n)
{
	fputc('[', stdout);
	for (size_t k = 0; k < n; k++) {
		fputs(k ? ",\n  {" : "\n  {", stdout);
		for (size_t i = 0; i < nf; i++) {
			printf("%s\n    \"%s\": ", i ? "," : "", list_field_name(f[i]));
			list_field_json(f[i], v[k], stdout);
		}
		fputs("\n  }", stdout);
	}
	fputs("\n]\n", stdout);
}

static int list_names(void)
{
	const struct list_field *f;
	for (size_t i = 0; (f = list_field_at(i)); i++)
		printf("%-15s %-15s\n", list_field_name(f), list_field_header(f));
	return 0;
}

enum { OPT_HELP = 0x100 };
static const struct option opts[] = {
	{ "no-header", no_argument, NULL, 'H' },
	{ "no-trim", no_argument, NULL, 't' },
	{ "stopped", no_argument, NULL, 'S' },
	{ "all", no_argument, NULL, 'a' },
	{ "name", no_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' },
	{ "name_filter", required_argument, NULL, 'N' },
	{ "hostname", required_argument, NULL, 'h' },
	{ "description", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "sort", required_argument, NULL, 's' },
	{ "list", no_argument, NULL, 'L' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0 },
};

static int parse_args(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		      struct list_opts *o)
{
	int c;
	while ((c = getopt_long(argc, argv, ":HtSanjN:h:d:o:s:L1", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			o->header = false;
			break;
		case 't':
			o->trim = false;
			break;
		case 'S':
			o->stopped = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'n':
			o->fields = "smart_name,numproc,status,ip,hostname";
			break;
		case 'j':
			o->json = true;
			break;
		case 'N':
			o->name_pat = optarg;
			break;
		case 'h':
			o->host_pat = optarg;
			break;
		case 'd':
			o->desc_pat = optarg;
			break;
		case 'o':
			o->fields = optarg;
			break;
		case '1':
			o->fields = "veid";
			o->header = false;
			break;
		case 's':
			o->sort_rev = optarg[0] == '-';
			if (!(o->sort = list_field_find(optarg + o->sort_rev))) {
				fprintf(stderr, "Invalid sort field name: %s\n", optarg);
				return 1;
			}
			break;
		case 'L':
			return list_names() - 2; /* -2: done, exit 0 */
		case OPT_HELP:
			cli_print_command_help(g, cmd, stdout);
			return -2;
		case ':':
			return cli_usage_error(g, cmd->name, 1, "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_unknown_option(g, cmd->name, 1, argv[optind - 1]);
		}
	}
	if (optind < argc && !(o->ids = calloc((size_t)(argc - optind), sizeof(*o->ids))))
		return 1;
	return 0;
}

/* CT ids or names, as vzlist: a name is looked up among the names/ links */
static int resolve_ids(vzl_ctx *ctx, int argc, char **argv, struct list_opts *o)
{
	for (int i = optind; i < argc; i++) {
		char *end;
		long id = strtol(argv[i], &end, 10);
		unsigned u;
		if (*end || id <= 0 || id > (long)VZL_VEID_MAX) {
			if (vzl_ve_id_by_name(ctx, argv[i], &u, NULL) < 0) {
				fprintf(stderr, "CT ID %s is invalid.\n", argv[i]);
				return 1;
			}
		} else {
			u = (unsigned)id;
		}
		o->ids[o->n_ids++] = u;
	}
	return 0;
}

static int run_list(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	struct list_opts o = { .header = true, .trim = true, .json = g->json };
	const struct list_field *fields[MAX_FIELDS];
	size_t nf = 0;
	vzl_ctx *ctx = NULL;
	vzl_ve_info *v = NULL;
	vzl_ve_info **shown = NULL, **tmp = NULL;
	size_t n = 0;
	int ret = parse_args(cmd, g, argc, argv, &o);
	if (ret == -2) {
		ret = 0;
		goto out;
	}
	if (ret)
		goto out;
	ret = 1;
	if (o.fields || !o.json) {
		if (parse_fields(o.fields ? o.fields : "ctid,numproc,status,ip,hostname", o.json,
				 fields, &nf) < 0)
			goto out;
	} else { /* JSON without -o: every field but the variants */
		const struct list_field *f;
		for (size_t i = 0; (f = list_field_at(i)); i++)
			if (!list_field_is_variant(f))
				fields[nf++] = f;
	}
	if ((ret = cli_open_ctx(g, &ctx)) || (ret = resolve_ids(ctx, argc, argv, &o)))
		goto out;

	unsigned flags = o.all || o.stopped ? VZL_LIST_CONFIGURED : 0;
	for (size_t i = 0; i < nf; i++)
		flags |= list_field_needs(fields[i]);
	if (o.sort)
		flags |= list_field_needs(o.sort);
	if (o.stopped) /* vzlist reads no kernel figures for stopped VEs */
		flags &= ~(unsigned)(VZL_LIST_UB | VZL_LIST_CPU | VZL_LIST_CPUS);
	vzl_error *err = NULL;
	if (vzl_ve_list(ctx, flags, o.ids, o.n_ids, &v, &n, &err) < 0) {
		cli_fail(g, err);
		ret = 1;
		goto out;
	}
	if (n == 0) {
		/* vzlist: an error only when CTs were named */
		fprintf(stderr, "Container(s) not found\n");
		if (o.json && !o.n_ids)
			fputs("[]\n", stdout);
		ret = o.n_ids ? 1 : 0;
		goto out;
	}
	if (!(shown = calloc(n, sizeof(*shown))) || !(tmp = calloc(n, sizeof(*tmp))))
		goto out;
	for (size_t i = 0; i < n; i++)
		shown[i] = &v[i];
	if (o.sort)
		sort_ves(shown, tmp, n, o.sort);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		vzl_ve_info *e = shown[o.sort_rev ? n - 1 - i : i];
		if (e->hidden || (g->configured_only && !e->has_config) ||
		    (o.stopped && e->status == VZL_LIST_RUNNING) ||
		    !matches(o.host_pat, e->hostname) || !matches(o.name_pat, e->name) ||
		    !matches(o.desc_pat, e->description))
			continue;
		tmp[k++] = e;
	}
	if (o.json)
		print_json(fields, nf, tmp, k);
	else
		print_table(&o, fields, nf, tmp, k);
	ret = fflush(stdout) ? EXIT_VZ_SYSTEM_ERROR : 0;
out:
	free(shown);
	free(tmp);
	vzl_ve_list_free(v, n);
	vzl_ctx_free(ctx);
	free(o.ids);
	return ret;
}

const struct cli_command cmd_list = {
	.name = "list",
	.summary = "List VEs as vzlist does",
	.usage = "list [-a | -S] [-n] [-H] [-t] [-j] [-o FIELD[,FIELD...] | -1] [-s [-]FIELD]\n"
		 "            [-h PATTERN] [-N PATTERN] [-d PATTERN] [VEID|NAME ...]\n"
		 "       list -L\n"
		 "\n"
		 "vzlist's options, fields, column widths and output (vzctl-behaviour.md 3.13):\n"
		 "  -a, --all          running and stopped VEs (default: running ones)\n"
		 "  -S, --stopped      stopped VEs only\n"
		 "  -n, --name         the default fields with smart_name instead of ctid\n"
		 "  -H, --no-header    no header line\n"
		 "  -t, --no-trim      do not cut values to their column\n"
		 "  -j, --json         JSON (every field unless -o names some)\n"
		 "  -o, --output LIST  the fields to show (-L lists them)\n"
		 "  -1                 the same as -H -o veid\n"
		 "  -s, --sort [-]F    sort by field F ('-' reverses)\n"
		 "  -h, --hostname P   -N, --name_filter P   -d, --description P: fnmatch filters\n"
		 "  -L, --list         the field names and their headers\n"
		 "Data come from /proc/vz/veinfo, /proc/bc/resources, /proc/vz/vzquota,\n"
		 "/proc/fairsched and the VE configs (global --proc-root DIR reads another proc).\n"
		 "Exit 1 for an unknown field, or when the VEs named do not exist.",
	.run = run_list,
};
