/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite validate: check a VE config or profile with vzcfgvalidate's rules. */
#include "cli.h"

const struct cli_command cmd_validate = {
	.name = "validate",
	.summary = "Validate a config",
	.usage = "validate VEID|FILE",
	.run = NULL,
	.status = "comes with the configuration work",
};
