/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite monitor: what vzctl's vzeventd and its vzevent-stop / vzevent-reboot scripts do,
 * without scripts. It listens to the kernel's VE events (vzevent, kernel-abi.md §14) and
 * on ve-stop cleans up after a VE that stopped from inside (unmount, quota off); on
 * ve-reboot it cleans up and starts the VE again. A stop or restart of that VE holds its
 * lock meanwhile: the monitor waits for the lock, and then finds nothing to clean (the stop
 * removed the run marker, or the restart runs the VE), so it does nothing.
 * Foreground; one line per event and per action on stdout; SIGINT/SIGTERM end it with 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void act(struct cli_globals *g, vzl_ctx *ctx, const char *action, unsigned veid)
{
	bool reboot = strcmp(action, "ve-reboot") == 0;
	if (!reboot && strcmp(action, "ve-stop") != 0)
		return; /* ve-start: nothing to do */
	vzl_ve *ve = NULL;
	vzl_error *err = NULL;
	int r = vzl_ve_open(ctx, veid, &ve, &err);
	if (r >= 0)
		r = vzl_ve_cleanup(ve, VZL_CLEANUP_WAIT_GONE, &err);
	if (r < 0)
		say("VE %u: cleanup failed: %s", veid, vzl_error_message(err));
	else if (r == 0)
		say("VE %u: nothing to clean up (stopped by vzlite, or not started by it)", veid);
	else
		say("VE %u: cleaned up (unmounted, disk quota off)", veid);
	if (r == 1 && reboot) {
		vzl_error_free(err);
		err = NULL;
		if (vzl_ve_start(ve, 0, &err) < 0)
			say("VE %u: start after its reboot failed: %s", veid,
			    vzl_error_message(err));
		else
			say("VE %u: started again after its reboot", veid);
	}
	(void)g;
	vzl_error_free(err);
	vzl_ve_free(ve);
}

static int run_monitor(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("Usage: %s %s\n", g->progname, cmd->usage);
			return 0;
		}
		return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX, argv[i]);
	}
	vzl_ctx *ctx = NULL;
	int ret = cli_open_ctx(g, &ctx);
	if (ret)
		return ret;
	vzl_error *err = NULL;
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	int ev = vzl_vzevent_open(&err);
	int sfd = ev < 0 ? -1
			 : (sigprocmask(SIG_BLOCK, &stop, NULL), signalfd(-1, &stop, SFD_CLOEXEC));
	if (ev < 0 || sfd < 0) {
		ret = ev < 0 ? cli_fail(g, err) : 1;
		if (sfd < 0 && ev >= 0)
			fprintf(stderr, "%s: monitor: signalfd: %s\n", g->progname,
				strerror(errno));
		if (ev >= 0)
			close(ev);
		vzl_ctx_free(ctx);
		return ret;
	}
	say("listening to the kernel's VE events");
	for (;;) {
		struct pollfd pf[2] = { { ev, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: monitor: poll: %s\n", g->progname, strerror(errno));
			ret = 1;
			break;
		}
		if (pf[1].revents) {
			say("stopping on a signal");
			break;
		}
		char action[32];
		unsigned veid;
		int r = vzl_vzevent_read(ev, action, sizeof(action), &veid, &err);
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r < 0) {
			say("%s", vzl_error_message(err));
			vzl_error_free(err);
			err = NULL;
			continue;
		}
		say("%s@%u", action, veid);
		act(g, ctx, action, veid);
	}
	close(sfd);
	close(ev);
	sigprocmask(SIG_UNBLOCK, &stop, NULL);
	vzl_ctx_free(ctx);
	return ret;
}

const struct cli_command cmd_monitor = {
	.name = "monitor",
	.summary = "Clean up after VEs that stop from inside; restart those that reboot",
	.usage =
		"monitor\n"
		"\n"
		"Listens to the kernel's VE events (the vzevent module's netlink group; needs\n"
		"CAP_NET_ADMIN) and, in the foreground, prints one line per event and action:\n"
		"on ve-stop it unmounts a VE that stopped from inside and turns its disk quota\n"
		"off; on ve-reboot (the vzevent module loaded with reboot_event=1) it also starts\n"
		"the VE again. A stop or restart of the VE that runs meanwhile wins (the VE's\n"
		"lock). Replaces vzctl's vzeventd and its vzevent-stop/vzevent-reboot scripts;\n"
		"no script is run. Without it, the next vzlite command on the VE cleans up.\n"
		"SIGINT or SIGTERM end it (exit 0).",
	.run = run_monitor,
};
