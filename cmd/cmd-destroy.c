/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite destroy: remove a stopped, unmounted VE (vzctl-behaviour.md §3.5). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run_destroy(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *veid_arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "unknown option '%s'", argv[i]);
		} else if (!veid_arg) {
			veid_arg = argv[i];
		} else {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", argv[i]);
		}
	}
	if (!veid_arg)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				       "destroy needs a VE ID");
	vzl_error *err = NULL;
	unsigned veid;
	if (vzl_veid_parse(veid_arg, &veid, &err) < 0)
		return cli_fail(g, err);
	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	if (vzl_ve_open(ctx, veid, &ve, &err) < 0 || vzl_ve_destroy(ve, &err) < 0)
		ret = cli_fail(g, err);
	else if (!g->dry_run && !g->quiet)
		fprintf(stderr, "VE %u destroyed\n", veid);
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_destroy = {
	.name = "destroy",
	.summary = "Remove a stopped, unmounted VE",
	.usage = "destroy VEID\n"
		 "\n"
		 "Removes the VE's private area (never following a link inside it), its root\n"
		 "mount point and its quota file, and keeps its config as <VEID>.conf.destroyed.\n"
		 "Refused while the VE runs (exit 32) or is mounted (exit 41); needs /dev/vzctl to\n"
		 "tell whether it runs. Also removes what an interrupted create left.",
	.run = run_destroy,
};
