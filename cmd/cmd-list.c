/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite list: list VEs with their state, IPs and hostnames. */
#include "cli.h"

const struct cli_command cmd_list = {
	.name = "list",
	.summary = "List VEs",
	.usage = "list [-a] [--json]",
	.run = NULL,
	.status = "comes with the lifecycle work",
};
