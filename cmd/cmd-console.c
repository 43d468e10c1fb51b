/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite console: attach to a VE's virtual console (vzctl-behaviour.md §3.7) through
 * VZCTL_VE_CONFIGURE{VE_CONFIGURE_OPEN_TTY}; "Esc ." at the start of a line detaches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "relay.h"

static int run_console(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *veid_arg = NULL, *n_arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  argv[i]);
		} else if (!veid_arg) {
			veid_arg = argv[i];
		} else if (!n_arg) {
			n_arg = argv[i];
		} else {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", argv[i]);
		}
	}
	if (!veid_arg)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				       "console needs a VE ID");
	unsigned int veid, n = 1;
	vzl_error *err = NULL;
	if (vzl_veid_parse(veid_arg, &veid, &err) < 0)
		return cli_fail(g, err);
	if (n_arg) {
		char *end;
		unsigned long v = strtoul(n_arg, &end, 10);
		if (*end || end == n_arg || v < 1 || v > 12)
			return cli_usage_error(
				g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				"VE %u: console number '%s' is invalid: give 1 to 12 "
				"(1 is the VE's /dev/console)",
				veid, n_arg);
		n = (unsigned)v;
	}
	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	int fd = vzl_ve_open(ctx, veid, &ve, &err);
	if (fd >= 0)
		fd = vzl_ve_console_open(ve, n, &err);
	if (fd < 0) {
		ret = g->dry_run ? 0 : cli_fail(g, err);
		if (g->dry_run)
			vzl_error_free(err);
	} else {
		char banner[96];
		snprintf(banner, sizeof(banner),
			 "Attached to CT %u console %u (type Esc . to detach)", veid, n);
		struct relay rl = { .child = NULL,
				    .console_fd = fd,
				    .raw = isatty(STDIN_FILENO),
				    .escape = true,
				    .banner = banner };
		int r = relay_run(&rl);
		close(fd);
		fprintf(stderr, "%sDetached from CT %u\n", rl.raw ? "\r\n" : "", veid);
		if (r < 0) {
			fprintf(stderr, "%s: VE %u: relaying the console failed: %s\n", g->progname,
				veid, strerror(-r));
			ret = 3;
		} else if (rl.signal) {
			ret = 128 + rl.signal;
		}
	}
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_console = {
	.name = "console",
	.summary = "Attach to a VE's console",
	.usage = "console VEID [N]\n"
		 "\n"
		 "Attaches the terminal to the VE's virtual console N (1 to 12, default 1: the\n"
		 "VE's /dev/console) through VZCTL_VE_CONFIGURE (VE_CONFIGURE_OPEN_TTY). Works on\n"
		 "a stopped VE too: consoles outlive it. Type Esc then . at the start of a line\n"
		 "to detach; the end of stdin detaches too. One attachment per console at a\n"
		 "time: another one fails (exit 7).",
	.run = run_console,
};
