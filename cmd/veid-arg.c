/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The arguments of verbs that take only a VEID (and maybe --json): status, destroy, ... */
#include <string.h>

#include "cli.h"

int cli_veid_args(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		  unsigned int *ret_veid, bool *json)
{
	const char *veid_arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return CLI_HELP_SHOWN;
		} else if (json && strcmp(argv[i], "--json") == 0) {
			*json = true;
		} else if (argv[i][0] == '-') {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  argv[i]);
		} else if (!veid_arg) {
			veid_arg = argv[i];
		} else {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", argv[i]);
		}
	}
	if (!veid_arg)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				       "%s needs a VE ID", cmd->name);
	vzl_error *err = NULL;
	if (vzl_veid_parse(veid_arg, ret_veid, &err) < 0)
		return cli_fail(g, err);
	return 0;
}
