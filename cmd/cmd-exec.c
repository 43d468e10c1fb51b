/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite exec: run a command inside a running VE (vzctl-behaviour.md §3.7, §8 item 6).
 * argv runs exactly as given (no shell); --shell STRING runs STRING with /bin/bash -c (or
 * /bin/sh), as vzctl's exec does. stdio is relayed through pipes (or a pty inside the VE
 * with -t); the exit status is the command's.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "relay.h"

static void print_result(unsigned veid, bool started, int code, int status, const vzl_error *err)
{
	struct json_writer w;
	json_init(&w, stderr);
	json_begin_object(&w);
	json_key(&w, "veid");
	json_int(&w, veid);
	json_key(&w, "started");
	json_bool(&w, started);
	json_key(&w, "exit_code");
	json_int(&w, code);
	json_key(&w, "status");
	if (started && WIFEXITED(status))
		json_int(&w, WEXITSTATUS(status));
	else
		json_null(&w);
	json_key(&w, "signal");
	if (started && WIFSIGNALED(status))
		json_int(&w, WTERMSIG(status));
	else
		json_null(&w);
	json_key(&w, "error");
	if (err) {
		json_begin_object(&w);
		json_key(&w, "errno");
		json_int(&w, vzl_error_code(err));
		json_key(&w, "step");
		json_string(&w, vzl_step_name(vzl_error_step(err)));
		json_key(&w, "message");
		json_string(&w, vzl_error_message(err));
		json_end_object(&w);
	} else {
		json_null(&w);
	}
	json_end_object(&w);
	json_finish(&w);
}

struct exec_args {
	unsigned int veid;
	bool tty, json;
	const char *shell;
	char **argv; /* the command, NULL-terminated */
};

static int parse(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		 struct exec_args *a)
{
	const char *veid_arg = NULL;
	int i = 1;
	for (; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return CLI_HELP_SHOWN;
		} else if (strcmp(s, "-t") == 0 || strcmp(s, "--tty") == 0) {
			a->tty = true;
		} else if (strcmp(s, "--json") == 0) {
			a->json = true;
		} else if (strcmp(s, "--shell") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error(g, cmd->name,
						       EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						       "--shell needs the command line to run");
			a->shell = argv[++i];
		} else if (s[0] == '-' && s[1]) {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  s);
		} else if (!veid_arg) {
			veid_arg = s;
		} else {
			break; /* the command begins */
		}
	}
	if (!veid_arg)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				       "exec needs a VE ID");
	a->argv = argv + i;
	if (a->shell && i < argc)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "give either --shell 'COMMAND LINE' or -- COMMAND ARG..., "
				       "not both");
	if (!a->shell && i >= argc)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "no command: vzlite exec %s -- COMMAND [ARG...]", veid_arg);
	vzl_error *err = NULL;
	if (vzl_veid_parse(veid_arg, &a->veid, &err) < 0)
		return cli_fail(g, err);
	return 0;
}

static int run_exec(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	struct exec_args a = { .json = g->json };
	int ret = parse(cmd, g, argc, argv, &a);
	if (ret)
		return ret == CLI_HELP_SHOWN ? 0 : ret;

	char term[256];
	const char *host_term = getenv("TERM");
	snprintf(term, sizeof(term), "TERM=%s", a.tty && host_term ? host_term : "linux");
	char *envp[] = { "HOME=/", term,
			 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			 NULL };
	static const char *const shells[] = { "/bin/bash", "/bin/sh", NULL };
	char *shell_argv[] = { "sh", "-c", (char *)a.shell, NULL };
	struct vzl_exec how = {
		.argv = a.shell ? shell_argv : a.argv,
		.paths = a.shell ? shells : NULL,
		.envp = envp,
		.flags = a.tty ? VZL_EXEC_TTY : 0,
	};

	vzl_ctx *ctx = NULL;
	ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	vzl_error *err = NULL;
	struct vzl_exec_child child;
	int r = vzl_ve_open(ctx, a.veid, &ve, &err);
	if (r >= 0)
		r = vzl_ve_exec(ve, &how, &child, &err);
	if (r < 0) {
		if (a.json) {
			/* the message, then the result as the last line */
			ret = cli_exit_code(err);
			fprintf(stderr, "%s: VE %u: %s\n", g->progname, a.veid,
				vzl_error_message(err));
			print_result(a.veid, false, ret, 0, err);
			vzl_error_free(err);
		} else {
			ret = cli_fail(g, err);
		}
	} else if (child.pid > 0) {
		struct relay rl = { .child = &child,
				    .console_fd = -1,
				    .raw = a.tty && isatty(STDIN_FILENO) };
		r = relay_run(&rl);
		if (r < 0) {
			/* the relay failed: the command still ends, its status is what counts */
			fprintf(stderr, "%s: VE %u: relaying the command's I/O failed: %s\n",
				g->progname, a.veid, strerror(-r));
			while (waitpid(child.pid, &rl.status, 0) < 0 && errno == EINTR)
				;
		}
		if (child.tty_fd >= 0)
			close(child.tty_fd);
		ret = relay_exit_code(rl.status);
		if (a.json)
			print_result(a.veid, true, ret, rl.status, NULL);
	}
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_exec = {
	.name = "exec",
	.summary = "Run a command in a running VE",
	.usage =
		"exec VEID [-t|--tty] [--json] -- COMMAND [ARG...]\n"
		"       exec VEID [-t|--tty] [--json] --shell 'COMMAND LINE'\n"
		"\n"
		"Enters the VE as vzctl does (setluid, chroot, VE_ENTER) and executes COMMAND\n"
		"with exactly the arguments given (no shell; COMMAND is looked up in PATH\n"
		"inside the VE). --shell runs the line with /bin/bash -c (or /bin/sh -c), as\n"
		"vzctl exec does. stdin, stdout and stderr are relayed through pipes; with -t the\n"
		"command gets a pty allocated inside the VE (its devpts must be mounted); the\n"
		"end of a non-terminal stdin is then given as the EOF key (^D).\n"
		"Signals sent to vzlite (INT, TERM, HUP, QUIT, USR1, USR2, ALRM, CONT, TSTP,\n"
		"TTIN, TTOU) are passed on to the command. No lock is taken.\n"
		"Environment: HOME=/ TERM=linux (-t: the host's TERM) PATH=vzctl's default.\n"
		"\n"
		"Exit status, once the command started: the command's own status, or 128+N\n"
		"when it was killed by signal N (as shells report it). Before it started,\n"
		"vzlite's own codes: 31 the VE is not running, 7 the VE cannot be entered (or no\n"
		"pty), 127 COMMAND not found in the VE, 126 found but not executable, and\n"
		"vzctl's codes for the rest (e.g. 14 no config, 21 bad argument); every one of\n"
		"these comes with a 'vzlite: VE N: ...' line on stderr. --json tells them apart\n"
		"without doubt: it writes one JSON object as the last line on stderr,\n"
		"{\"veid\", \"started\", \"exit_code\", \"status\", \"signal\", \"error\"}, with\n"
		"\"started\": false and the error (errno, step, message) for vzlite's failures.",
	.run = run_exec,
};
