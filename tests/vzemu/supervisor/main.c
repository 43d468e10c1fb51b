// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vzemu: run a command as if on an OpenVZ 6 kernel (2.6.32-042stab141).
 *
 *   vzemu [--state DIR] [--reset] [--fail CALL[@PATH]:ERRNO[:NTH]]... [--trace FILE] [--no-2632]
 *         -- COMMAND ARGS...
 *   vzemu [--state DIR] --wait-ve VEID=running|gone [--timeout S]
 *   vzemu [--state DIR] --vzevent-reboot-event 0|1 [-- COMMAND ARGS...]
 *
 * The foreground process forks the supervisor (supervisor.c), which forks the command. The
 * foreground process exits with the command's status as soon as the command exits (125 if
 * vzemu failed or a call would have oopsed the kernel); the supervisor keeps serving in the
 * background while processes the command left (VE inits) live. See README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vzemu.h"

static volatile pid_t cmd_pid;

static void forward(int sig)
{
	if (cmd_pid > 0)
		kill(cmd_pid, sig);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vzemu [--state DIR] [--reset] [--fail CALL[@PATH]:ERRNO[:NTH]]... "
		"[--trace FILE] [--no-2632] -- COMMAND [ARGS...]\n"
		"  --state DIR   model state (default $VZEMU_STATE or /run/vzemu)\n"
		"  --reset       start from an empty model state\n"
		"  --fail SPEC   make the NTH (default 1st, 0 = every) call named CALL fail with ERRNO\n"
		"                (with @PATH: the NTH such call on PATH; README: Fault injection)\n"
		"  --trace FILE  append one line per intercepted call (default $VZEMU_TRACE)\n"
		"  --no-2632     do not answer ENOSYS for system calls 2.6.32 lacks\n"
		"  --no-vzevent  the vzevent module is not loaded (netlink protocol 31 refused)\n"
		"  --host-venet  make the host's venet0 (up, NOARP) in this network namespace if it has\n"
		"                none; refused in pid 1's (run it in a namespace of its own)\n"
		"  --vzevent-reboot-event 0|1\n"
		"                set vzevent's reboot_event parameter in DIR (default 0);\n"
		"                without a command just that\n"
		"   or: vzemu [--state DIR] --wait-ve VEID=running|gone [--timeout S]\n"
		"  --wait-ve     block until the VE runs / is off the VE list (no command;\n"
		"                exit 0, or 124 when --timeout S seconds passed first)\n");
}

/* --wait-ve VEID=running|gone [--timeout S]: 0 reached, 124 timed out, 125 error */
static int wait_for_ve(const char *state_dir, const char *spec, double timeout_s)
{
	unsigned int veid;
	char what[16], extra;
	bool running;
	int r;

	if (sscanf(spec, "%u=%15[a-z]%c", &veid, what, &extra) != 2 ||
	    (strcmp(what, "running") && strcmp(what, "gone"))) {
		fprintf(stderr, "vzemu: bad --wait-ve '%s' (VEID=running|gone)\n", spec);
		return VZEMU_EXIT_ERROR;
	}
	running = !strcmp(what, "running");
	r = model_wait_ve(state_dir, veid, running, timeout_s < 0 ? -1 : (long)(timeout_s * 1000));
	if (r == -ETIMEDOUT) {
		fprintf(stderr, "vzemu: --wait-ve %s: timed out after %g s\n", spec, timeout_s);
		return VZEMU_EXIT_TIMEOUT;
	}
	if (r < 0) {
		fprintf(stderr, "vzemu: --wait-ve %s: %s\n", spec, strerror(-r));
		return VZEMU_EXIT_ERROR;
	}
	return 0;
}

/*
 * The state must be usable before anything runs: a --state naming something that is not a
 * directory, or a state file that cannot be read, would otherwise show only as EIO from the
 * command's first OpenVZ call.
 */
static int state_usable(const char *state_dir, bool reset)
{
	struct emu_model *m;
	struct stat st;
	int r;

	if (stat(state_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"vzemu: --state %s: not a directory; name a directory for the "
			"emulated kernel's state (vzemu creates it)\n",
			state_dir);
		return -ENOTDIR;
	}
	if (reset)
		return 0; /* the state file is removed anyway */
	r = model_open(&m, state_dir);
	if (r == 0) {
		r = model_lock(m);
		if (r == 0)
			model_unlock(m);
		if (r < 0) {
			const char *why = model_state_error();

			if (*why)
				fprintf(stderr, "vzemu: %s\n", why);
			else
				fprintf(stderr, "vzemu: state %s: %s\n", state_dir, strerror(-r));
			fprintf(stderr,
				"vzemu: start a fresh kernel with: vzemu --state %s --reset "
				"(VEs registered there are stopped)\n",
				state_dir);
		}
		model_close(m);
	}
	return r;
}

static int mkdir_p(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(buf, 0755);
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "reset", no_argument, NULL, 'r' },
		{ "fail", required_argument, NULL, 'f' },
		{ "trace", required_argument, NULL, 't' },
		{ "no-2632", no_argument, NULL, 'n' },
		{ "wait-ve", required_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "no-vzevent", no_argument, NULL, 'V' },
		{ "host-venet", no_argument, NULL, 'H' },
		{ "vzevent-reboot-event", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct vzemu_opts o = { 0 };
	int pfd[2], c, r;
	const char *wait_ve = NULL, *reboot_event = NULL;
	double timeout_s = -1;
	bool have_status = false, host_venet = false;
	int status = 0, fatal = 0;
	pid_t sup;

	o.state_dir = getenv("VZEMU_STATE");
	if (!o.state_dir || !*o.state_dir)
		o.state_dir = "/run/vzemu";
	o.trace_path = getenv("VZEMU_TRACE");
	o.fidelity = true;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.state_dir = optarg;
			break;
		case 'r':
			o.reset = true;
			break;
		case 't':
			o.trace_path = optarg;
			break;
		case 'n':
			o.fidelity = false;
			break;
		case 'w':
			wait_ve = optarg;
			break;
		case 'V':
			o.no_vzevent = true;
			break;
		case 'H':
			host_venet = true;
			break;
		case 'R':
			if (strcmp(optarg, "0") && strcmp(optarg, "1")) {
				fprintf(stderr, "vzemu: bad --vzevent-reboot-event '%s' (0 or 1)\n",
					optarg);
				return VZEMU_EXIT_ERROR;
			}
			reboot_event = optarg;
			break;
		case 'T': {
			char *end;

			timeout_s = strtod(optarg, &end);
			if (*end || timeout_s < 0) {
				fprintf(stderr, "vzemu: bad --timeout '%s' (seconds)\n", optarg);
				return VZEMU_EXIT_ERROR;
			}
			break;
		}
		case 'f': {
			char why[1024];

			r = faults_add(optarg, why, sizeof(why));
			if (r == -ENOENT) {
				fprintf(stderr, "vzemu: --fail '%s': %s\n", optarg, why);
				return VZEMU_EXIT_ERROR;
			}
			if (r < 0) {
				fprintf(stderr,
					"vzemu: bad --fail '%s' (CALL:ERRNO[:NTH] or "
					"CALL@PATH:ERRNO[:NTH], PATH absolute, without ':')\n",
					optarg);
				return VZEMU_EXIT_ERROR;
			}
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return VZEMU_EXIT_ERROR;
		}
	}
	if (wait_ve && optind < argc) {
		fprintf(stderr, "vzemu: --wait-ve takes no command\n");
		return VZEMU_EXIT_ERROR;
	}
	if (!wait_ve && !reboot_event && optind >= argc) {
		usage(stderr);
		return VZEMU_EXIT_ERROR;
	}
	o.argv = argv + optind;
	r = mkdir_p(o.state_dir);
	if (r < 0 && r != -EEXIST) {
		fprintf(stderr, "vzemu: state directory %s: %s\n", o.state_dir, strerror(-r));
		return VZEMU_EXIT_ERROR;
	}
	if (state_usable(o.state_dir, o.reset) < 0)
		return VZEMU_EXIT_ERROR;
	if (wait_ve)
		return wait_for_ve(o.state_dir, wait_ve, timeout_s);
	if (o.reset) {
		reg_reset(o.state_dir);
		vzevent_reset(o.state_dir);
		r = model_reset(o.state_dir);
		if (r < 0) {
			fprintf(stderr, "vzemu: reset %s: %s\n", o.state_dir, strerror(-r));
			return VZEMU_EXIT_ERROR;
		}
	}
	if (reboot_event) {
		r = vzevent_set_reboot_event(o.state_dir, atoi(reboot_event));
		if (r < 0) {
			fprintf(stderr, "vzemu: vzevent reboot_event in %s: %s\n", o.state_dir,
				strerror(-r));
			return VZEMU_EXIT_ERROR;
		}
		if (optind >= argc)
			return 0;
	}
	if (trace_open(o.trace_path) < 0) {
		fprintf(stderr, "vzemu: trace %s: %m\n", o.trace_path);
		return VZEMU_EXIT_ERROR;
	}
	r = host_venet ? ns_add_host_venet() : 0;
	if (r < 0) {
		fprintf(stderr, "vzemu: the host's venet0: %s\n", strerror(-r));
		return VZEMU_EXIT_ERROR;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return VZEMU_EXIT_ERROR;
	fflush(NULL);
	sup = fork();
	if (sup < 0) {
		perror("vzemu: fork");
		return VZEMU_EXIT_ERROR;
	}
	if (sup == 0) {
		struct sup *s = calloc(1, sizeof(*s));

		close(pfd[0]);
		if (!s)
			_exit(VZEMU_EXIT_ERROR);
		_exit(supervisor_run(s, &o, pfd[1], -1));
	}
	close(pfd[1]);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	signal(SIGINT, SIG_IGN); /* the terminal sends it to the command too */
	for (;;) {
		int32_t m[3];
		ssize_t n = read(pfd[0], m, sizeof(m));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(m))
			break;
		if (m[0] == 0) {
			cmd_pid = m[1];
		} else {
			have_status = true;
			status = m[1];
			fatal = m[2];
			break;
		}
	}
	if (!have_status) {
		int st;

		/* the supervisor died before the command's end */
		waitpid(sup, &st, 0);
		fprintf(stderr, "vzemu: supervisor failed\n");
		return VZEMU_EXIT_ERROR;
	}
	waitpid(sup, NULL, WNOHANG);
	if (fatal) {
		fprintf(stderr, "vzemu: FATAL: a call of the command would have oopsed an OpenVZ "
				"kernel (see above / the trace)\n");
		return VZEMU_EXIT_ERROR;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return VZEMU_EXIT_ERROR;
}
