/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite restart: stop then start a VE. */
#include "cli.h"

const struct cli_command cmd_restart = {
	.name = "restart",
	.summary = "Restart a VE",
	.usage = "restart VEID",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
