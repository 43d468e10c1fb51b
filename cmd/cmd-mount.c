/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite mount: mount the private area on the VE root (§3.9). */
#include "lifecycle.h"

static int do_mount(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	(void)flags;
	return vzl_ve_mount(ve, err);
}

static int run_mount(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	return lifecycle_run(cmd, g, argc, argv, NULL, do_mount, "mounted", NULL);
}

const struct cli_command cmd_mount = {
	.name = "mount",
	.summary = "Mount a VE's file system",
	.usage = "mount VEID\n"
		 "\n"
		 "Mounts VE_PRIVATE on VE_ROOT with simfs (the root made if missing). Mounted\n"
		 "already: exit 0. No .mount action scripts are run.",
	.run = run_mount,
};
