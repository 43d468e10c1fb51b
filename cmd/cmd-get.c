/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite get VEID|FILE PARAM...: the effective value of each parameter by its config name
 * (KMEMSIZE, DISKSPACE, CPUUNITS, ...), in canonical form (numbers in the parameter's
 * unit, "unlimited" for LONG_MAX), so a management tool needs no driver-specific code.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A name of the parameter table (an alias or a key only a file has is known by its value). */
static bool known(const char *key)
{
	for (size_t i = 0; i < vzl_param_count(); i++)
		if (strcmp(vzl_param_name(i), key) == 0)
			return true;
	return false;
}

/* Edits (insert, delete, substitute, case ignored) from a to b, stopping above `max`. */
static size_t distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (la >= 64 || lb >= 64)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;
		row[0] = best = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t sub = diag + (toupper((unsigned char)a[i - 1]) !=
					     toupper((unsigned char)b[j - 1]));
			size_t v = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
			row[j] = sub < v ? sub : v;
			best = row[j] < best ? row[j] : best;
			diag = up;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb];
}

/* vzctl's "unknown parameter" (exit 21), with the closest name when one is close. */
static int unknown_parameter(const struct cli_globals *g, const struct cli_config *c,
			     const char *key)
{
	const char *best = NULL;
	size_t best_d = 3; /* more than two edits away is no suggestion */
	for (size_t i = 0; i < vzl_param_count(); i++) {
		size_t d = distance(key, vzl_param_name(i), best_d - 1);
		if (d < best_d)
			best = vzl_param_name(i), best_d = d;
	}
	char ve[32] = "";
	if (c->is_ve)
		snprintf(ve, sizeof(ve), "VE %u: ", c->veid);
	fprintf(stderr, "%s: %sunknown parameter '%s'%s%s%s; '%s help params' lists them\n",
		g->progname, ve, key, best ? " (did you mean " : "", best ? best : "",
		best ? "?)" : "", g->progname);
	return EXIT_VZ_INVALID_PARAMETER_VALUE;
}

static int run_get(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *target = NULL;
	int first = 0, n = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (strcmp(argv[i], "--json") == 0) {
			g->json = true;
		} else if (argv[i][0] == '-') {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  argv[i]);
		} else if (!target) {
			target = argv[i];
			first = i + 1;
		} else {
			n++;
		}
	}
	if (!target || !n)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "get needs a VE ID or config file and parameter names");
	struct cli_config c;
	int r = cli_config_open(g, target, true, &c);
	if (r)
		return r;
	if ((r = cli_config_require(g, &c)) != 0)
		return r;
	/* Printed only when every parameter could be: never half a JSON document. */
	struct out_buffer ob;
	if ((r = out_buffer_open(g, &ob)) != 0) {
		cli_config_close(&c);
		return r;
	}
	FILE *out = ob.f;
	struct json_writer jw;
	json_init(&jw, out);
	if (g->json)
		json_begin_object(&jw);
	for (int i = first; r == 0 && i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		vzl_error *err = NULL;
		char *v = NULL;
		if (vzl_config_get(c.cfg, argv[i], VZL_GET_DEFAULT | VZL_GET_CANONICAL, &v, NULL,
				   &err) < 0)
			r = cli_fail(g, err);
		else if (!v && !known(argv[i]))
			r = unknown_parameter(g, &c, argv[i]);
		else if (g->json && (r = json_value_ok(g, &c, argv[i], v)) == 0) {
			json_key(&jw, argv[i]);
			json_string(&jw, v);
		} else if (!g->json) {
			fprintf(out, "%s\n", v ? v : "");
		}
		free(v);
	}
	if (g->json)
		json_end_object(&jw);
	r = out_buffer_finish(g, &ob, r);
	cli_config_close(&c);
	return r;
}

const struct cli_command cmd_get = {
	.name = "get",
	.summary = "Print the values of parameters by name",
	.usage = "get VEID|FILE PARAM... [--json]\n"
		 "\n"
		 "Prints the effective value of each PARAM (a config key such as KMEMSIZE,\n"
		 "DISKSPACE or CPUUNITS; 'vzlite help params' lists them), one per line, in\n"
		 "canonical form: numbers in the parameter's unit (2G of DISKSPACE is 2097152),\n"
		 "unlimited for the largest value. An unset parameter with no default prints an\n"
		 "empty line (null in --json, which prints {PARAM: value, ...}); a name that is\n"
		 "neither a parameter nor a key of the file is an error (exit 21). --json refuses\n"
		 "a value that is not UTF-8 (exit 21). Change values with\n"
		 "'vzlite set VEID --param VALUE --save'.",
	.run = run_get,
};
