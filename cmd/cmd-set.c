/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite set: change VE parameters, live and/or in the config (--save). */
#include "cli.h"

const struct cli_command cmd_set = {
	.name = "set",
	.summary = "Set VE parameters",
	.usage = "set VEID --PARAM VALUE... [--save]",
	.run = NULL,
	.status = "comes with the configuration work (config) and the lifecycle work (live)",
};
