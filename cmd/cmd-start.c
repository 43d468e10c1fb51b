/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite start: start a VE (vzctl-behaviour.md §3.2) without scripts. */
#include <stdlib.h>
#include <string.h>

#include "lifecycle.h"

static const struct cli_flag start_flags[] = {
	{ "--force", VZL_START_FORCE },
	{ "--wait", VZL_START_WAIT },
	{ NULL, 0 },
};

static unsigned int wait_timeout_s = 3600; /* vzctl's */

static int start_fn(vzl_ve *ve, unsigned int flags, vzl_error **err)
{
	return vzl_ve_start_wait(ve, flags, wait_timeout_s, err);
}

static int run_start(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	/* --wait-timeout SECONDS (a vzlite addition) implies --wait; the rest is flags. */
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	int n = 0;
	if (!args)
		return EXIT_VZ_SYSTEM_ERROR;
	bool wait = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--wait-timeout") != 0) {
			args[n++] = argv[i];
			continue;
		}
		char *end;
		unsigned long s = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
		if (i + 1 >= argc || !*argv[i + 1] || *end || argv[i + 1][0] == '-' || s == 0 ||
		    s > 86400) {
			free(args);
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
					       "--wait-timeout takes a number of seconds from 1 to "
					       "86400, e.g. --wait-timeout 600");
		}
		wait_timeout_s = (unsigned)s;
		wait = true;
		i++;
	}
	if (wait)
		args[n++] = "--wait";
	args[n] = NULL;
	int r = lifecycle_run(cmd, g, n, args, start_flags, start_fn, "started: its init runs",
			      NULL);
	free(args);
	return r;
}

const struct cli_command cmd_start = {
	.name = "start",
	.summary = "Start a VE",
	.usage = "start VEID [--force] [--wait] [--wait-timeout SECONDS]\n"
		 "\n"
		 "Turns the VE's disk quota on (unless DISK_QUOTA=no) with DISKSPACE and\n"
		 "DISKINODES raised by 100 while it starts, mounts the private area on the root\n"
		 "(simfs), creates the VE with its beancounter limits and capabilities, tells\n"
		 "it the kernel release osrelease.conf (beside vz.conf) names for its\n"
		 "OSTEMPLATE, sets CPU, DEVICES and DEVNODES (the nodes are made in the VE's\n"
		 "/dev), meminfo and I/O, and with QUOTAUGIDLIMIT > 0 gives it /dev/simfs and\n"
		 "/aquota.user, /aquota.group; then sets the configured quota limits back and\n"
		 "executes its init (/sbin/init, /etc/init or /bin/init), the only program a\n"
		 "start executes. Any failure undoes what was done (VE stopped, unmounted, quota\n"
		 "off, lock freed). VE_LAYOUT=simfs is saved when the VE's config lacks it,\n"
		 "as vzctl saves it, also after a failed start.\n"
		 "\n"
		 "  --force         start a VE with DISABLED=yes\n"
		 "  --wait          return once the VE's boot has finished, as vzctl detects it:\n"
		 "                  its init opens /.vzfifo from a line start adds to\n"
		 "                  /etc/inittab (or an upstart job); at most 3600 s, then the\n"
		 "                  VE is stopped again and the exit is 133\n"
		 "  --wait-timeout SECONDS  --wait, for at most SECONDS\n"
		 "\n"
		 "Running already: exit 32; a required UB parameter unset: exit 28.",
	.run = run_start,
};
