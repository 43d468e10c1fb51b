/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite enter: an interactive login shell on a pty inside a running VE (vzctl-behaviour.md
 * §3.7): -bash, else -sh, with vzctl's environment; the host terminal raw while it runs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "relay.h"

/* --exec as vzctl: the words, space-separated, typed into the shell with a newline. */
static int type_line(int fd, char **words)
{
	for (size_t i = 0; words[i]; i++) {
		const char *sep = words[i + 1] ? " " : "\n";
		if (write(fd, words[i], strlen(words[i])) < 0 || write(fd, sep, 1) < 0)
			return -errno;
	}
	return 0;
}

static int run_enter(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *veid_arg = NULL;
	char **typed = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		} else if (strcmp(argv[i], "--exec") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error(g, cmd->name,
						       EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						       "--exec needs a command");
			typed = argv + i + 1;
			break;
		} else if (argv[i][0] == '-') {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  argv[i]);
		} else if (!veid_arg) {
			veid_arg = argv[i];
		} else {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", argv[i]);
		}
	}
	if (!veid_arg)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				       "enter needs a VE ID");
	unsigned int veid;
	vzl_error *err = NULL;
	if (vzl_veid_parse(veid_arg, &veid, &err) < 0)
		return cli_fail(g, err);

	char term[256];
	const char *host_term = getenv("TERM");
	snprintf(term, sizeof(term), "TERM=%s", host_term ? host_term : "linux");
	char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			 "HISTFILE=/dev/null",
			 "USER=root",
			 "HOME=/root",
			 "LOGNAME=root",
			 term,
			 NULL };
	static const char *const shells[] = { "/bin/bash", "/bin/sh", NULL };
	char *shell_argv[] = { "sh", NULL };
	struct vzl_exec how = {
		.argv = shell_argv,
		.paths = shells,
		.envp = envp,
		.flags = VZL_EXEC_TTY | VZL_EXEC_LOGIN,
	};

	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_ve *ve = NULL;
	struct vzl_exec_child child;
	int r = vzl_ve_open(ctx, veid, &ve, &err);
	if (r >= 0)
		r = vzl_ve_exec(ve, &how, &child, &err);
	if (r < 0) {
		ret = cli_fail(g, err);
	} else if (child.pid > 0) {
		printf("entered into CT %u\n", veid);
		fflush(stdout);
		if (typed && type_line(child.tty_fd, typed) < 0)
			fprintf(stderr, "%s: VE %u: cannot type the --exec command: %m\n",
				g->progname, veid);
		struct relay rl = { .child = &child,
				    .console_fd = -1,
				    .raw = isatty(STDIN_FILENO) };
		r = relay_run(&rl);
		/* closing the master hangs the VE's session up; a shell that ignores it is
		 * sent SIGHUP too, then waited for */
		close(child.tty_fd);
		if (r < 0 || rl.signal) {
			kill(child.pid, SIGHUP);
			while (waitpid(child.pid, &rl.status, 0) < 0 && errno == EINTR)
				;
		}
		printf("exited from CT %u\n", veid);
		if (r < 0)
			fprintf(stderr, "%s: VE %u: relaying the terminal failed: %s\n",
				g->progname, veid, strerror(-r));
		ret = rl.signal ? 128 + rl.signal : relay_exit_code(rl.status);
	}
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_enter = {
	.name = "enter",
	.summary = "Open a login shell in a running VE",
	.usage = "enter VEID [--exec COMMAND [ARG...]]\n"
		 "\n"
		 "Enters the VE as vzctl does and starts a login shell (-bash, else -sh) on a pty\n"
		 "allocated inside it (the VE's devpts must be mounted on /dev/pts), with\n"
		 "PATH, HISTFILE=/dev/null, USER=root, HOME=/root, LOGNAME=root and the host's\n"
		 "TERM. The host terminal is in raw mode until the shell exits (restored on every\n"
		 "way out, signals included); window-size changes reach the shell. Prints\n"
		 "\"entered into CT N\" and \"exited from CT N\". --exec types its words, joined\n"
		 "with spaces, into the shell followed by a newline, as vzctl does; the shell\n"
		 "stays open. Exit status: the shell's (vzctl: always 0); 128+N when vzlite\n"
		 "got signal N; 31 when the VE is not running, 7 when it cannot be entered.",
	.run = run_enter,
};
