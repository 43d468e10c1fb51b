/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzctl: vzctl 4.x's command line over vzlite's commands (libvirt-openvz.md §3.1, §7;
 * vzctl-behaviour.md §3.0). Only the argv is translated here: global options, the CT given
 * as a name, and two cases where libvirt 9.0.0 passes what no vzctl can take (§6.1, §6.2).
 * Every command then runs as `vzlite COMMAND VEID ...` does, with vzctl's exit codes.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "front.h"

/* vzctl's exit codes the translation itself uses (vzctl-behaviour.md §7.1). */
enum { EXIT_VZ_CHKPNT_ERROR = 16, EXIT_VZ_RESTORE_ERROR = 17 };

static const struct {
	const char *verb;
	const struct cli_command *cmd;
} verbs[] = {
	{ "create", &cmd_create },   { "set", &cmd_set },         { "start", &cmd_start },
	{ "stop", &cmd_stop },       { "restart", &cmd_restart }, { "destroy", &cmd_destroy },
	{ "delete", &cmd_destroy },  { "mount", &cmd_mount },     { "umount", &cmd_umount },
	{ "status", &cmd_status },   { "enter", &cmd_enter },     { "exec", &cmd_exec },
	{ "console", &cmd_console },
};

static void print_usage(FILE *f)
{
	/* The first line is what libvirt parses at every connect (C1). */
	fprintf(f,
		"vzctl version " FRONT_VZCTL_VERSION " (vzlite %s)\n"
		"Usage: vzctl [--quiet | --verbose] COMMAND CTID [OPTIONS]\n"
		"vzctl's command line over vzlite (the vzlite binary called as vzctl).\n"
		"\n"
		"Commands:\n"
		"  create CTID [--ostemplate NAME] [--config NAME] [--name NAME] [--hostname NAME]\n"
		"              [--ipadd ADDR] [--private DIR] [--root DIR]\n"
		"  set CTID --PARAM VALUE... [--save] [--setmode restart|ignore]\n"
		"  start CTID | stop CTID | restart CTID | destroy CTID | delete CTID\n"
		"  mount CTID | umount CTID | status CTID\n"
		"  enter CTID | exec CTID COMMAND... | console CTID\n"
		"  chkpnt CTID --suspend | --resume    (not supported: vzlite does no checkpointing)\n"
		"\n"
		"Options of each command: 'vzlite COMMAND --help'; parameters: 'vzlite help params'.\n"
		"'start destroy CTID' (what libvirt 9.0.0's undefine runs) destroys CTID when no CT\n"
		"is named \"destroy\".\n",
		vzl_version());
}

/* `s` with every byte outside printable ASCII (and '\') as \xHH, in a malloc'd string. */
static char *escaped(const char *s)
{
	char *out = malloc(4 * strlen(s) + 1), *w = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += *p > 0x20 && *p < 0x7f && *p != '\\' ? sprintf(w, "%c", *p)
							  : sprintf(w, "\\x%02x", *p);
	*w = '\0';
	return out;
}

/*
 * libvirt 9.0.0 passes pointer bytes as --ostemplate (libvirt-openvz.md §6.1): a template
 * name must be printable ASCII without '/' and not start with '.'. Refused before anything
 * is done, with the bytes shown and what to do instead. 0 when every --ostemplate is fine.
 */
static int check_templates(int argc, char **argv, const char *ct)
{
	for (int i = 0; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--ostemplate") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--ostemplate=", 13) == 0)
			v = argv[i] + 13;
		if (!v)
			continue;
		bool ok = *v && *v != '.';
		for (const unsigned char *p = (const unsigned char *)v; ok && *p; p++)
			ok = *p > 0x20 && *p < 0x7f && *p != '/';
		if (ok)
			continue;
		char *shown = escaped(v);
		fprintf(stderr,
			"vzctl: VE %s: --ostemplate \"%s\" is not a template name (an OS template "
			"name is printable ASCII without '/'). libvirt 9.0.0's OpenVZ driver passes "
			"such bytes in place of the <filesystem type='template'> name (a known libvirt "
			"bug). Define the domain without <filesystem>, so that DEF_OSTEMPLATE from "
			"vz.conf is used, or create the VE first with 'vzctl create %s --ostemplate "
			"NAME' (or 'vzlite define'). Nothing was created.\n",
			ct, shown ? shown : "?", ct);
		free(shown);
		return EXIT_VZ_INVALID_PARAMETER_VALUE;
	}
	return 0;
}

/*
 * The CT argument as a decimal VEID in buf: a number is taken as it is (the command checks
 * its range), a name is looked up among the VEs' NAMEs. 0, 1 when no VE has that name, or
 * an exit code after a message.
 */
static int resolve_ct(struct cli_globals *g, const char *ct, char *buf, size_t size)
{
	if (ct[0] >= '0' && ct[0] <= '9') {
		snprintf(buf, size, "%s", ct);
		return 0;
	}
	vzl_ctx *ctx = NULL;
	int r = cli_open_ctx(g, &ctx);
	if (r)
		return r;
	unsigned id;
	vzl_error *err = NULL;
	r = vzl_ve_id_by_name(ctx, ct, &id, &err) < 0 ? 1 : 0;
	vzl_error_free(err);
	vzl_ctx_free(ctx);
	if (r == 0)
		snprintf(buf, size, "%u", id);
	return r;
}

/* chkpnt/suspend and resume/restore: honest about what vzlite lacks, vzctl's exit codes. */
static int checkpoint(const char *verb, int argc, char **argv)
{
	bool resume = strcmp(verb, "resume") == 0 || strcmp(verb, "restore") == 0;
	for (int i = 0; i < argc; i++)
		resume |= strcmp(argv[i], "--resume") == 0;
	fprintf(stderr,
		"vzctl: VE %s: %s is not supported: vzlite does not checkpoint or restore VEs "
		"(no CPT support); stop the VE with 'vzctl stop %s' instead of suspending it\n",
		argc > 0 ? argv[0] : "?", resume ? "resuming a checkpointed VE" : "checkpointing",
		argc > 0 ? argv[0] : "CTID");
	return resume ? EXIT_VZ_RESTORE_ERROR : EXIT_VZ_CHKPNT_ERROR;
}

static const struct cli_command *command_of(const char *verb)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].verb, verb) == 0)
			return verbs[i].cmd;
	return NULL;
}

int front_vzctl_main(int argc, char **argv)
{
	struct cli_globals g = { .progname = "vzctl" };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			g.quiet = true;
		} else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			g.verbose++;
		} else if (strcmp(a, "--skiplock") == 0) {
			/* accepted as vzctl does; vzlite's commands take the VE's lock anyway */
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
			   strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			print_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "vzctl: invalid option '%s'; try 'vzctl --help'\n", a);
			return EXIT_VZ_INVALID_PARAMETER_SYNTAX;
		}
	}
	if (i >= argc) {
		print_usage(stderr);
		return EXIT_VZ_INVALID_PARAMETER_SYNTAX;
	}
	const char *verb = argv[i++];
	int rest = argc - i; /* the CT and what follows it */
	char **args = argv + i;
	if (!strcmp(verb, "chkpnt") || !strcmp(verb, "suspend") || !strcmp(verb, "resume") ||
	    !strcmp(verb, "restore"))
		return checkpoint(verb, rest, args);
	const struct cli_command *cmd = command_of(verb);
	if (!cmd) {
		fprintf(stderr, "vzctl: bad command: %s; try 'vzctl --help'\n", verb);
		return EXIT_VZ_INVALID_PARAMETER_SYNTAX;
	}
	if (rest < 1) {
		fprintf(stderr, "vzctl: %s needs a CT ID; try 'vzctl --help'\n", verb);
		return EXIT_VZ_INVALID_PARAMETER_VALUE;
	}
	const char *ct = args[0];
	char veid[32];
	int r = ct[0] == '-' ? (snprintf(veid, sizeof(veid), "%s", ct), 0)
			     : resolve_ct(&g, ct, veid, sizeof(veid));
	/*
	 * libvirt 9.0.0's undefine runs "vzctl --quiet start destroy CTID" (libvirt-openvz.md
	 * §6.2): with no CT named "destroy", that is taken as "destroy CTID".
	 */
	if (r == 1 && strcmp(verb, "start") == 0 && strcmp(ct, "destroy") == 0 && rest == 2 &&
	    args[1][0] != '-') {
		cmd = &cmd_destroy;
		ct = args[1];
		args++;
		rest--;
		r = resolve_ct(&g, ct, veid, sizeof(veid));
	}
	if (r == 1) {
		fprintf(stderr,
			"vzctl: Bad CT ID %s: no VE is named so; give a VE ID (a number) or the "
			"NAME of an existing VE\n",
			ct);
		return EXIT_VZ_INVALID_PARAMETER_VALUE;
	}
	if (r)
		return r;
	if (cmd == &cmd_create && (r = check_templates(rest - 1, args + 1, veid)))
		return r;

	/* `vzlite COMMAND VEID ARGS...`: each command parses its argv from the start. */
	char **cargv = calloc((size_t)rest + 2, sizeof(*cargv));
	if (!cargv)
		return EXIT_VZ_SYSTEM_ERROR;
	cargv[0] = (char *)cmd->name;
	cargv[1] = veid;
	for (int k = 1; k < rest; k++)
		cargv[k + 1] = args[k];
	optind = 0;
	opterr = 0;
	r = cmd->run ? cmd->run(cmd, &g, rest + 1, cargv) : EXIT_VZ_SYSTEM_ERROR;
	free(cargv);
	return r;
}
