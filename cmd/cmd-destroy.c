/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite destroy: remove a stopped, unmounted VE (vzctl-behaviour.md §3.5). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run_destroy(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	unsigned veid;
	int ret = cli_veid_args(cmd, g, argc, argv, &veid, NULL);
	if (ret)
		return ret == CLI_HELP_SHOWN ? 0 : ret;
	vzl_error *err = NULL;
	vzl_ctx *ctx = NULL;
	ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	if (vzl_ve_open(ctx, veid, &ve, &err) < 0 || (!g->dry_run && cli_cleanup_ve(g, ve) < 0) ||
	    vzl_ve_destroy(ve, &err) < 0)
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
	.usage =
		"destroy VEID\n"
		"\n"
		"Removes the VE's private area (never following a link inside it), its root\n"
		"mount point and its quota file, and keeps its config as <VEID>.conf.destroyed.\n"
		"Refused while the VE runs (exit 32), is mounted or has anything mounted inside\n"
		"its private area or root, a bind mount too (exit 41, nothing changed); needs\n"
		"/dev/vzctl to tell whether it runs. Also settles what an interrupted create left.",
	.run = run_destroy,
};

/* libvirt's undefine of an OpenVZ domain destroys it; so does this alias. */
const struct cli_command cmd_undefine = {
	.name = "undefine",
	.summary = "Remove a stopped VE (the same as destroy)",
	.usage = "undefine VEID\n"
		 "\n"
		 "The same as 'destroy VEID', as libvirt's undefine of an OpenVZ domain.",
	.run = run_destroy,
};
