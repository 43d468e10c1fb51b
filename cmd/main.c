/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite: global options, command dispatch, error reporting. Commands live one per file
 * (cmd-<verb>.c); this file only chooses one and runs it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "front.h"

static const struct cli_command *const commands[] = {
	&cmd_create,   &cmd_destroy, &cmd_start, &cmd_stop,   &cmd_restart, &cmd_status,
	&cmd_mount,    &cmd_umount,  &cmd_set,   &cmd_enter,  &cmd_exec,    &cmd_list,
	&cmd_validate, &cmd_show,    &cmd_get,   &cmd_define, &cmd_dumpxml, &cmd_undefine,
	&cmd_quota,    &cmd_monitor, &cmd_ubc,   &cmd_top,    &cmd_console, &cmd_help,
};

static void print_main_help(FILE *f, const char *progname)
{
	fprintf(f,
		"Usage: %s [GLOBAL OPTIONS] COMMAND [VEID] [OPTIONS]\n"
		"Run OpenVZ 6 containers (VEs) through the kernel's own interfaces.\n"
		"\n"
		"Global options (before the command):\n"
		"  --global-config FILE  the vz.conf to use (default /etc/vz/vz.conf); VE configs\n"
		"                        and profiles are read from conf/ beside it\n"
		"  --dry-run             print the kernel calls and steps instead of doing them\n"
		"  --proc-root DIR       where the kernel's proc is mounted (default /proc), e.g.\n"
		"                        the host's proc seen from a chroot or an appliance tree\n"
		"  --json                machine-readable output where a command prints data\n"
		"  -v, --verbose         more messages on stderr\n"
		"  -q, --quiet           only errors on stderr\n"
		"  -h, --help            this help\n"
		"  -V, --version         print the version\n"
		"\n"
		"Commands:\n",
		progname);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s%s\n", commands[i]->name, commands[i]->summary,
			commands[i]->run ? "" : " (not implemented yet)");
	fprintf(f,
		"\n'%s COMMAND --help' describes one command; '%s help params' lists every VE "
		"parameter.\n",
		progname, progname);
}

int cli_usage_error(const struct cli_globals *g, const char *cmd, int code, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", g->progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry '%s %s --help'.\n", g->progname, cmd);
	else
		fprintf(stderr, "\nTry '%s --help'.\n", g->progname);
	return code;
}

/* The global options (main parses them before the command). */
enum { OPT_GLOBAL_CONFIG = 0x100, OPT_DRY_RUN, OPT_JSON, OPT_PROC_ROOT };
static const struct option global_opts[] = {
	{ "global-config", required_argument, NULL, OPT_GLOBAL_CONFIG },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

/*
 * The global option `arg` names (--name, --name=VALUE, or its one-letter form), or NULL.
 * --help/-h is not one here: after a command it asks for that command's help.
 */
static const struct option *global_option(const char *arg)
{
	for (const struct option *o = global_opts; o->name; o++) {
		if (o->val == 'h')
			continue;
		size_t l = strlen(o->name);
		bool long_form = arg[0] == '-' && arg[1] == '-' && !strncmp(arg + 2, o->name, l) &&
				 (!arg[2 + l] || (arg[2 + l] == '=' && o->has_arg));
		if (long_form || (o->val < 0x100 && arg[0] == '-' && arg[1] == o->val && !arg[2]))
			return o;
	}
	return NULL;
}

bool cli_is_global_option(const char *arg)
{
	return global_option(arg) != NULL;
}

int cli_unknown_option(const struct cli_globals *g, const char *cmd, int code, const char *arg)
{
	const struct option *o = global_option(arg);
	if (!o)
		return cli_usage_error(g, cmd, code, "unknown option '%s'", arg);
	/* The example spells the option as the user did, without a value given with '='. */
	bool short_form = arg[1] != '-';
	return cli_usage_error(g, cmd, code,
			       "'%s' is a global option: give it before the command, as in "
			       "'%s %s%s%s %s ...'",
			       arg, g->progname, short_form ? arg : "--", short_form ? "" : o->name,
			       o->has_arg ? " FILE" : "", cmd ? cmd : "COMMAND");
}

int cli_fail(const struct cli_globals *g, vzl_error *err)
{
	int code = cli_exit_code(err);
	unsigned veid = vzl_error_veid(err);
	const char *msg = vzl_error_message(err);
	/* The library's messages stand alone; many already begin with "VE N": name it once. */
	char own[32];
	int n = snprintf(own, sizeof(own), "VE %u", veid);
	bool named = strncmp(msg, own, (size_t)n) == 0 && (msg[n] == ' ' || msg[n] == ':');
	if (veid && !named)
		fprintf(stderr, "%s: VE %u: %s\n", g->progname, veid, msg);
	else
		fprintf(stderr, "%s: %s\n", g->progname, msg);
	vzl_error_free(err);
	return code;
}

static void print_dry_run(void *userdata, const char *call)
{
	(void)userdata;
	printf("%s\n", call);
}

static void print_log(void *userdata, enum vzl_log_level level, const char *message)
{
	const struct cli_globals *g = userdata;
	fprintf(stderr, "%s: %s%s\n", g->progname, level <= VZL_LOG_WARNING ? "warning: " : "",
		message);
}

int cli_open_ctx(struct cli_globals *g, vzl_ctx **ret)
{
	vzl_error *err = NULL;
	vzl_ctx *ctx = NULL;
	if (vzl_ctx_new(&ctx, g->global_config, &err) < 0)
		return cli_fail(g, err);
	enum vzl_log_level lvl = g->quiet         ? VZL_LOG_ERR
				 : g->verbose > 1 ? VZL_LOG_DEBUG
				 : g->verbose     ? VZL_LOG_INFO
						  : VZL_LOG_NOTICE;
	vzl_ctx_set_log(ctx, print_log, g, lvl);
	if (g->dry_run)
		vzl_ctx_set_dry_run(ctx, print_dry_run, NULL);
	if (g->proc_root && vzl_ctx_set_path(ctx, VZL_PATH_PROC, g->proc_root, &err) < 0) {
		vzl_ctx_free(ctx);
		return cli_fail(g, err);
	}
	*ret = ctx;
	return 0;
}

void cli_print_command_help(const struct cli_globals *g, const struct cli_command *cmd, FILE *f)
{
	fprintf(f, "Usage: %s %s\n%s\n", g->progname, cmd->usage, cmd->summary);
	if (!cmd->run)
		fprintf(f, "\nNot implemented in this version yet: %s\n", cmd->status);
}

/* Commands without an implementation still answer --help truthfully. */
static int run_unimplemented(const struct cli_command *cmd, struct cli_globals *g, int argc,
			     char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		}
	fprintf(stderr, "%s: '%s' is not implemented in this version yet (%s).\n", g->progname,
		cmd->name, cmd->status);
	return EXIT_VZ_SYSTEM_ERROR;
}

int main(int argc, char **argv)
{
	struct cli_globals g = { .progname = "vzlite" };

	/* Installed (or linked) as vzctl or vzlist, the binary takes their command lines. */
	const char *self = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
	self = self ? self + 1 : argc > 0 && argv[0] ? argv[0] : "";
	if (strcmp(self, "vzctl") == 0)
		return front_vzctl_main(argc, argv);
	if (strcmp(self, "vzlist") == 0)
		return front_vzlist_main(argc, argv);

	/* '+': stop at the command, so its own options are not taken as global ones. */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+vqhV", global_opts, NULL)) != -1) {
		switch (c) {
		case OPT_GLOBAL_CONFIG:
			g.global_config = optarg;
			break;
		case OPT_DRY_RUN:
			g.dry_run = true;
			break;
		case OPT_PROC_ROOT:
			g.proc_root = optarg;
			break;
		case OPT_JSON:
			g.json = true;
			break;
		case 'v':
			g.verbose++;
			break;
		case 'q':
			g.quiet = true;
			break;
		case 'h':
			print_main_help(stdout, g.progname);
			return 0;
		case 'V':
			printf("vzlite %s\n", vzl_version());
			return 0;
		default:
			if (optopt >= 0x100)
				return cli_usage_error(&g, NULL, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						       "option '%s' needs a value",
						       argv[optind - 1]);
			return cli_usage_error(&g, NULL, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		print_main_help(stderr, g.progname);
		return EXIT_VZ_INVALID_PARAMETER_SYNTAX;
	}

	const char *name = argv[optind];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct cli_command *cmd = commands[i];
		if (strcmp(cmd->name, name) != 0)
			continue;
		/* Each command parses its own argv with getopt from the start. */
		int cargc = argc - optind;
		char **cargv = argv + optind;
		optind = 0;
		opterr = 0;
		return cmd->run ? cmd->run(cmd, &g, cargc, cargv)
				: run_unimplemented(cmd, &g, cargc, cargv);
	}
	return cli_usage_error(&g, NULL, EXIT_VZ_INVALID_PARAMETER_SYNTAX, "unknown command '%s'",
			       name);
}
