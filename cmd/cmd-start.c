/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite start: start a VE: quota, mount, beancounters, fair scheduler, VE create, network. */
#include "cli.h"

const struct cli_command cmd_start = {
	.name = "start",
	.summary = "Start a VE",
	.usage = "start VEID [--wait] [--force]",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
