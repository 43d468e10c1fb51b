/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite status: one line, vzctl's words (vzctl-behaviour.md §3.8), or JSON. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run_status(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	bool json = g->json;
	unsigned veid, st = 0;
	int ret = cli_veid_args(cmd, g, argc, argv, &veid, &json);
	if (ret)
		return ret == CLI_HELP_SHOWN ? 0 : ret;
	vzl_error *err = NULL;
	vzl_ctx *ctx = NULL;
	ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	if (vzl_ve_open(ctx, veid, &ve, &err) < 0 || vzl_ve_status(ve, &st, &err) < 0) {
		ret = cli_fail(g, err);
	} else if (json) {
		struct json_writer w;
		json_init(&w, stdout);
		json_begin_object(&w);
		json_key(&w, "veid");
		json_int(&w, veid);
		json_key(&w, "exist");
		json_bool(&w, st & VZL_STATUS_EXIST);
		json_key(&w, "mounted");
		json_bool(&w, st & VZL_STATUS_MOUNTED);
		json_key(&w, "running");
		json_bool(&w, st & VZL_STATUS_RUNNING);
		json_key(&w, "suspended");
		json_bool(&w, st & VZL_STATUS_SUSPENDED);
		json_end_object(&w);
	} else {
		printf("CTID %u %s %s %s%s\n", veid, st & VZL_STATUS_EXIST ? "exist" : "deleted",
		       st & VZL_STATUS_MOUNTED ? "mounted" : "unmounted",
		       st & VZL_STATUS_RUNNING ? "running" : "down",
		       st & VZL_STATUS_SUSPENDED ? " suspended" : "");
	}
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_status = {
	.name = "status",
	.summary = "Show whether a VE exists, is mounted and is running",
	.usage =
		"status VEID [--json]\n"
		"\n"
		"Prints one line as vzctl does: CTID <id> <exist|deleted> <mounted|unmounted>\n"
		"<running|down>[ suspended]. A VE exists when its config and its private area\n"
		"exist; it runs when the kernel lists it (this needs /dev/vzctl); a stopped VE is\n"
		"suspended when its checkpoint dump $DUMPDIR/Dump.<id> exists. --json prints\n"
		"{\"veid\", \"exist\", \"mounted\", \"running\", \"suspended\"}.",
	.run = run_status,
};
