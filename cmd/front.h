/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The vzctl- and vzlist-compatible front ends (libvirt-openvz.md §3, §7): the vzlite binary
 * runs one of them when it is called as "vzctl" or "vzlist" (argv[0]'s basename).
 */
#ifndef VZL_FRONT_H
#define VZL_FRONT_H

/* The vzctl release whose command line the front end accepts (and --help names). */
#define FRONT_VZCTL_VERSION "4.11.1"

int front_vzctl_main(int argc, char **argv);
int front_vzlist_main(int argc, char **argv);

#endif
