/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shared runner of the lifecycle commands (lifecycle.h). */
#include <errno.h>
#include <stdio.h>

#include "lifecycle.h"

int lifecycle_run(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		  const struct cli_flag *flags, lifecycle_fn fn, const char *done,
		  const char *result1)
{
	unsigned int set, veid;
	vzl_error *err = NULL;
	int ret = cli_veid_flag_args(cmd, g, argc, argv, flags, &set, &veid);
	if (ret)
		return ret == CLI_HELP_SHOWN ? 0 : ret;
	vzl_ctx *ctx = NULL;
	ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	int r = vzl_ve_open(ctx, veid, &ve, &err);
	if (r >= 0)
		r = fn(ve, set, &err);
	if (r < 0) {
		ret = cli_fail(g, err);
	} else if (!g->dry_run && !g->quiet) {
		const char *msg = r == 1 && result1 ? result1 : done;
		if (msg)
			fprintf(stderr, "VE %u %s\n", veid, msg);
	}
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

int cli_cleanup_ve(struct cli_globals *g, vzl_ve *ve)
{
	vzl_error *err = NULL;
	if (vzl_ve_cleanup(ve, 0, &err) < 0 && err && vzl_error_code(err) != ENOENT && !g->quiet)
		fprintf(stderr, "%s: warning: %s\n", g->progname, vzl_error_message(err));
	vzl_error_free(err);
	return 0;
}
