/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite start: start a VE (vzctl-behaviour.md §3.2) without scripts. */
#include "lifecycle.h"

static const struct cli_flag start_flags[] = {
	{ "--force", VZL_START_FORCE },
	{ NULL, 0 },
};

static int run_start(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	return lifecycle_run(cmd, g, argc, argv, start_flags, vzl_ve_start,
			     "started: its init runs", NULL);
}

const struct cli_command cmd_start = {
	.name = "start",
	.summary = "Start a VE",
	.usage = "start VEID [--force]\n"
		 "\n"
		 "Mounts the private area on the root (simfs), creates the VE with its\n"
		 "beancounter limits, capabilities, CPU, device, meminfo and I/O settings, and\n"
		 "executes its init (/sbin/init, /etc/init or /bin/init), the only program a\n"
		 "start executes. Any failure undoes what was done (VE stopped, unmounted, lock\n"
		 "freed). --force starts a VE with DISABLED=yes. Running already: exit 32;\n"
		 "a required UB parameter unset: exit 28. --wait is not implemented yet.",
	.run = run_start,
};
