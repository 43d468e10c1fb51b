/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shared runner of the lifecycle commands (lifecycle.h). */
#include <stdio.h>
#include <string.h>

#include "lifecycle.h"

int lifecycle_run(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		  const struct lifecycle_flag *flags, lifecycle_fn fn, const char *done,
		  const char *result1)
{
	const char *veid_arg = NULL;
	unsigned int set = 0, veid;
	for (int i = 1; i < argc; i++) {
		const struct lifecycle_flag *f = flags;
		while (f && f->option && strcmp(f->option, argv[i]) != 0)
			f++;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (f && f->option) {
			set |= f->flag;
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
	if (vzl_veid_parse(veid_arg, &veid, &err) < 0)
		return cli_fail(g, err);
	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
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
