/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vzlite create: a VE from a template cache and a profile (vzctl-behaviour.md §3.1). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run_create(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ostemplate", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'c' },
		{ "private", required_argument, NULL, 'p' },
		{ "root", required_argument, NULL, 'r' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "name", required_argument, NULL, 'n' },
		{ "ipadd", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	vzl_error *err = NULL;
	vzl_create_opts *co = NULL;
	if (vzl_create_opts_new(&co, &err) < 0)
		return cli_fail(g, err);

	int c, ret = 0;
	const char *veid_arg = NULL;
	/* '-' returns operands in order as option 1, so the VEID may come before or after. */
	while (ret == 0 && (c = getopt_long(argc, argv, "-h", opts, NULL)) != -1) {
		const char *key = NULL;
		switch (c) {
		case 1:
			if (veid_arg)
				ret = cli_usage_error(g, cmd->name,
						      EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						      "invalid extra argument '%s'", optarg);
			veid_arg = optarg;
			continue;
		case 'h':
			cli_print_command_help(g, cmd, stdout);
			vzl_create_opts_free(co);
			return 0;
		case 'o':
			key = "ostemplate";
			break;
		case 'c':
			key = "config";
			break;
		case 'p':
			key = "private";
			break;
		case 'r':
			key = "root";
			break;
		case 'H':
			key = "hostname";
			break;
		case 'n':
			key = "name";
			break;
		case 'i':
			key = "ipadd";
			break;
		default:
			ret = cli_is_global_option(argv[optind - 1])
				      ? cli_unknown_option(g, cmd->name,
							   EXIT_VZ_INVALID_PARAMETER_VALUE,
							   argv[optind - 1])
				      : cli_usage_error(g, cmd->name,
							EXIT_VZ_INVALID_PARAMETER_VALUE,
							"unknown option or missing value: '%s'",
							argv[optind - 1]);
			continue;
		}
		if (vzl_create_opts_set(co, key, optarg, &err) < 0)
			ret = cli_fail(g, err);
	}
	if (ret == 0 && !veid_arg)
		ret = cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				      "create needs a VE ID");

	unsigned veid = 0;
	vzl_ctx *ctx = NULL;
	vzl_ve *ve = NULL;
	if (ret == 0 && vzl_veid_parse(veid_arg, &veid, &err) < 0)
		ret = cli_fail(g, err);
	if (ret == 0)
		ret = cli_open_ctx(g, &ctx);
	if (ret == 0 && vzl_ve_open(ctx, veid, &ve, &err) < 0)
		ret = cli_fail(g, err);
	struct cli_progress progress;
	cli_progress_init(&progress, g, "extracting");
	if (!g->dry_run)
		vzl_create_opts_set_progress(co, cli_progress_cb, &progress);
	if (ret == 0) {
		int r = vzl_ve_create(ve, co, &err);
		cli_progress_end(&progress, r == 0);
		/* the quota file is vzctl's `vzquota init`: its failures exit as quotainit's */
		int quota = r < 0 && vzl_error_step(err) == VZL_STEP_QUOTA
				    ? cli_quota_exit_code(err, EXIT_VZ_DQ_INIT)
				    : 0;
		if (r < 0)
			ret = cli_fail(g, err);
		if (quota)
			ret = quota;
	}
	if (ret == 0 && !g->dry_run && !g->quiet)
		fprintf(stderr, "VE %u created\n", veid);

	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	vzl_create_opts_free(co);
	return ret;
}

const struct cli_command cmd_create = {
	.name = "create",
	.summary = "Create a VE from an OS template cache and a profile",
	.usage =
		"create VEID [--ostemplate NAME] [--config PROFILE] [--private DIR] [--root DIR]\n"
		"              [--hostname NAME] [--name NAME] [--ipadd ADDR]...\n"
		"\n"
		"  --ostemplate NAME  template cache $TEMPLATE/cache/NAME.tar[.gz|.bz2|.xz|.zst]\n"
		"                     (default DEF_OSTEMPLATE from vz.conf)\n"
		"  --config PROFILE   profile conf/ve-PROFILE.conf-sample (default CONFIGFILE)\n"
		"  --private DIR      private area (default VE_PRIVATE, $VEID expanded)\n"
		"  --root DIR         root mount point (default VE_ROOT, $VEID expanded)\n"
		"  --hostname NAME    hostname, saved as HOSTNAME\n"
		"  --name NAME        the VE's name, saved as NAME\n"
		"  --ipadd ADDR       venet IP address, repeatable, saved as IP_ADDRESS\n"
		"\n"
		"The cache is extracted into <private>.tmp and renamed into place; the config\n"
		"<VEID>.conf, from the profile, is committed last; it gets ONBOOT=\"no\" when the\n"
		"profile has none, and its UB, DISKSPACE and DISKINODES values are written as two\n"
		"plain decimals (LONG_MAX for unlimited), as libvirt's OpenVZ driver reads them.\n"
		"An existing <VEID>.conf (from 'set --save') is continued with unless --config is\n"
		"given. A failure leaves no\n"
		"VE behind; after an interruption the next create, define or destroy completes\n"
		"the VE (its private area was in place) or removes what is left. VE 0 is refused.\n"
		"A progress bar is drawn on a terminal; --verbose prints a summary otherwise.\n"
		"Not done yet: the first-level disk quota vzctl sets up during a create.",
	.run = run_create,
};
