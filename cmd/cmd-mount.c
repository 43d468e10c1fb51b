/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite mount: turn the quota on and mount the private area on the VE root. */
#include "cli.h"

const struct cli_command cmd_mount = {
	.name = "mount",
	.summary = "Mount a VE's file system",
	.usage = "mount VEID",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
