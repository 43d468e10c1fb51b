/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite enter: open a shell inside a running VE. */
#include "cli.h"

const struct cli_command cmd_enter = {
	.name = "enter",
	.summary = "Enter a running VE",
	.usage = "enter VEID",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
