/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite destroy: remove the VE's private area, root and quota; keep its config as .destroyed. */
#include "cli.h"

const struct cli_command cmd_destroy = {
	.name = "destroy",
	.summary = "Remove a stopped, unmounted VE",
	.usage = "destroy VEID",
	.run = NULL,
	.status = "comes with template-based create (issue: create and destroy VEs)",
};
