/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite define: create a VE config (and private area) from domain XML. */
#include "cli.h"

const struct cli_command cmd_define = {
	.name = "define",
	.summary = "Define a VE from XML",
	.usage = "define FILE.xml",
	.run = NULL,
	.status = "comes with the domain XML work",
};
