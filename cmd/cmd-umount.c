/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite umount: unmount the VE root and turn its quota off. */
#include "cli.h"

const struct cli_command cmd_umount = {
	.name = "umount",
	.summary = "Unmount a VE's file system",
	.usage = "umount VEID",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
