/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite get VEID|FILE PARAM...: the effective value of each parameter by its config name
 * (KMEMSIZE, DISKSPACE, CPUUNITS, ...), in canonical form (numbers in the parameter's
 * unit, "unlimited" for LONG_MAX), so a management tool needs no driver-specific code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "unknown option '%s'", argv[i]);
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
	if (g->json)
		printf("{");
	int printed = 0;
	for (int i = first; r == 0 && i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		vzl_error *err = NULL;
		char *v = NULL;
		if (vzl_config_get(c.cfg, argv[i], VZL_GET_DEFAULT | VZL_GET_CANONICAL, &v, NULL,
				   &err) < 0) {
			r = cli_fail(g, err);
			break;
		}
		if (g->json) {
			printf("%s", printed++ ? ", " : "");
			json_string(stdout, argv[i]);
			printf(": ");
			json_string(stdout, v);
		} else {
			printf("%s\n", v ? v : "");
		}
		free(v);
	}
	if (g->json && r == 0)
		printf("}\n");
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
		 "empty line (null in --json, which prints {PARAM: value, ...}). Change values\n"
		 "with 'vzlite set VEID --param VALUE --save'.",
	.run = run_get,
};
