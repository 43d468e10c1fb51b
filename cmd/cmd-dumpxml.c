/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite dumpxml VEID: the VE as libvirt's OpenVZ domain XML plus vzlite's extension. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int run_dumpxml(const struct cli_command *cmd, struct cli_globals *g, int argc,
		       char **argv)
{
	const char *veid_arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "unknown option '%s'", argv[i]);
		} else if (!veid_arg) {
			veid_arg = argv[i];
		} else {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", argv[i]);
		}
	}
	if (!veid_arg)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				       "dumpxml needs a VE ID");
	vzl_error *err = NULL;
	unsigned veid;
	if (vzl_veid_parse(veid_arg, &veid, &err) < 0)
		return cli_fail(g, err);
	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
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
