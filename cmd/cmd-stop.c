/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite stop: halt inside the VE, then kill it after STOP_TIMEOUT; unmount (§3.3). */
#include "lifecycle.h"

static const struct cli_flag stop_flags[] = {
	{ "--fast", VZL_STOP_FAST },
	{ "--skip-umount", VZL_STOP_SKIP_UMOUNT },
	{ NULL, 0 },
};

static int run_stop(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	return lifecycle_run(cmd, g, argc, argv, stop_flags, vzl_ve_stop, "stopped",
			     "is not running: nothing to stop");
}

const struct cli_command cmd_stop = {
	.name = "stop",
	.summary = "Stop a VE",
	.usage = "stop VEID [--fast] [--skip-umount]\n"
		 "\n"
		 "Runs the VE's own halt inside it and waits up to STOP_TIMEOUT seconds\n"
		 "(default 120) for it to stop; then kills it (reboot(2) from a process entered\n"
		 "into it) and waits up to STOP_TIMEOUT/2 seconds (exit 33 when it does not\n"
		 "stop). Each wait is announced with its length. Then unmounts it, unless\n"
		 "--skip-umount. --fast kills at once. A VE that is not running: exit 0.",
	.run = run_stop,
};
