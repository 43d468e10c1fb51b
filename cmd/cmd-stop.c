/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite stop: stop a VE: halt inside, then kill after STOP_TIMEOUT; clean up network, mount, quota. */
#include "cli.h"

const struct cli_command cmd_stop = {
	.name = "stop",
	.summary = "Stop a VE",
	.usage = "stop VEID [--fast]",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
