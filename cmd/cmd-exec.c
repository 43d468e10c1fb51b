/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite exec: run a command inside a running VE. */
#include "cli.h"

const struct cli_command cmd_exec = {
	.name = "exec",
	.summary = "Run a command in a VE",
	.usage = "exec VEID COMMAND [ARG...]",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
