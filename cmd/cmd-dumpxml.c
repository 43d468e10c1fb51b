/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite dumpxml: print a VE as libvirt-style domain XML. */
#include "cli.h"

const struct cli_command cmd_dumpxml = {
	.name = "dumpxml",
	.summary = "Print a VE as XML",
	.usage = "dumpxml VEID",
	.run = NULL,
	.status = "comes with the domain XML work",
};
