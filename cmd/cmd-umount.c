/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite umount: unmount a stopped VE's root (§3.9). */
#include "lifecycle.h"

static int do_umount(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	(void)flags;
	return vzl_ve_umount(ve, err);
}

static int run_umount(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	return lifecycle_run(cmd, g, argc, argv, NULL, do_umount, "unmounted", NULL);
}

const struct cli_command cmd_umount = {
	.name = "umount",
	.summary = "Unmount a VE's file system",
	.usage = "umount VEID\n"
		 "\n"
		 "Unmounts everything below VE_ROOT, then VE_ROOT. Not mounted: exit 40;\n"
		 "running: exit 32. No .umount action scripts are run.",
	.run = run_umount,
};
