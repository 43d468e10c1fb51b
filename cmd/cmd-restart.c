/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite restart: stop (if running) and start under one lock (§3.4). */
#include "lifecycle.h"

static const struct cli_flag restart_flags[] = {
	{ "--force", VZL_START_FORCE },
	{ "--fast", VZL_STOP_FAST },
	{ "--wait", VZL_START_WAIT },
	{ NULL, 0 },
};

static int run_restart(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	return lifecycle_run(cmd, g, argc, argv, restart_flags, vzl_ve_restart, "restarted", NULL);
}

const struct cli_command cmd_restart = {
	.name = "restart",
	.summary = "Stop and start a VE",
	.usage = "restart VEID [--fast] [--force] [--wait]\n"
		 "\n"
		 "Stops the VE if it runs (as 'stop') and starts it (as 'start', --wait as\n"
		 "there), holding its lock throughout.",
	.run = run_restart,
};
