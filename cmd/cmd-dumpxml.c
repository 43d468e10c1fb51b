/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite dumpxml VEID: the VE as libvirt's OpenVZ domain XML plus vzlite's extension. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int run_dumpxml(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	unsigned veid;
	int ret = cli_veid_args(cmd, g, argc, argv, &veid, NULL);
	if (ret)
		return ret == CLI_HELP_SHOWN ? 0 : ret;
	vzl_error *err = NULL;
	vzl_ctx *ctx = NULL;
	ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	char *xml = NULL;
	if (vzl_ve_open(ctx, veid, &ve, &err) < 0 || vzl_ve_dump_xml(ve, &xml, &err) < 0)
		ret = cli_fail(g, err);
	else
		fputs(xml, stdout);
	free(xml);
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_dumpxml = {
	.name = "dumpxml",
	.summary = "Print a VE as domain XML",
	.usage = "dumpxml VEID\n"
		 "\n"
		 "Prints libvirt's OpenVZ domain format with every parameter of the VE config\n"
		 "in vzlite's extension (<metadata><vz:ve xmlns:vz='urn:vzlite:ve:1'>), so that\n"
		 "'vzlite define' of the output gives the same config. Values come from the\n"
		 "config; live values of a running VE are not read yet.",
	.run = run_dumpxml,
};
