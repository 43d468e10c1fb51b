/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlist: `vzlite list` under vzlist's name. The list command already takes vzlist's argv
 * (-a, -S, -H/--no-header, -o LIST and -oLIST, CTs before or after the options) and prints
 * its bytes: "%10d" ids, one blank between fields, no trailing blanks (libvirt-openvz.md
 * §3.2, V1-V8). Unlike vzctl's vzlist it leaves out a running VE without a config: libvirt
 * would read an uninitialised UUID for it and fail every connection (§4.2).
 */
#include <getopt.h>

#include "cli.h"
#include "front.h"

int front_vzlist_main(int argc, char **argv)
{
	struct cli_globals g = { .progname = "vzlist", .configured_only = true };
	optind = 0;
	opterr = 0;
	return cmd_list.run(&cmd_list, &g, argc, argv);
}
