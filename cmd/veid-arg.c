/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The arguments of verbs that take a VEID and a few flags: status, destroy, start, stop, ... */
#include <string.h>

#include "cli.h"

int cli_veid_flag_args(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		       const struct cli_flag *flags, unsigned int *ret_flags,
		       unsigned int *ret_veid)
{
	const char *veid_arg = NULL;
	*ret_flags = 0;
	for (int i = 1; i < argc; i++) {
		const struct cli_flag *f = flags;
		while (f && f->option && strcmp(f->option, argv[i]) != 0)
			f++;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return CLI_HELP_SHOWN;
		} else if (f && f->option) {
			*ret_flags |= f->flag;
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

int cli_veid_args(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		  unsigned int *ret_veid, bool *json)
{
	static const struct cli_flag json_flag[] = { { "--json", 1 }, { NULL, 0 } };
	unsigned int set;
	int r = cli_veid_flag_args(cmd, g, argc, argv, json ? json_flag : NULL, &set, ret_veid);
	if (r == 0 && json && (set & 1))
		*json = true; /* a global --json before the verb may have set it already */
	return r;
}
