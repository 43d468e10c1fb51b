/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite status: say whether a VE exists, is mounted and is running. */
#include "cli.h"

const struct cli_command cmd_status = {
	.name = "status",
	.summary = "Show a VE's state",
	.usage = "status VEID [--json]",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
