/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite status: one line, vzctl's words (vzctl-behaviour.md §3.8), or JSON. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run_status(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	bool json = g->json;
	const char *veid_arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = true;
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
				       "status needs a VE ID");

	vzl_error *err = NULL;
	unsigned veid, st = 0;
	if (vzl_veid_parse(veid_arg, &veid, &err) < 0)
		return cli_fail(g, err);
	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	if (vzl_ve_open(ctx, veid, &ve, &err) < 0 || vzl_ve_status(ve, &st, &err) < 0) {
		ret = cli_fail(g, err);
	} else if (json) {
		printf("{\"veid\": %u, \"exist\": %s, \"mounted\": %s, \"running\": %s}\n", veid,
		       st & VZL_STATUS_EXIST ? "true" : "false",
		       st & VZL_STATUS_MOUNTED ? "true" : "false",
		       st & VZL_STATUS_RUNNING ? "true" : "false");
	} else {
		printf("CTID %u %s %s %s\n", veid, st & VZL_STATUS_EXIST ? "exist" : "deleted",
		       st & VZL_STATUS_MOUNTED ? "mounted" : "unmounted",
		       st & VZL_STATUS_RUNNING ? "running" : "down");
	}
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_status = {
	.name = "status",
	.summary = "Show whether a VE exists, is mounted and is running",
	.usage = "status VEID [--json]\n"
		 "\n"
		 "Prints one line as vzctl does: CTID <id> <exist|deleted> <mounted|unmounted>\n"
		 "<running|down>. A VE exists when its config and its private area exist; it\n"
		 "runs when the kernel lists it (this needs /dev/vzctl).",
	.run = run_status,
};
