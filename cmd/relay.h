/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Relaying a program's stdio between the host and a VE (exec, enter, console), signals sent
 * to vzlite passed on, and the host terminal in raw mode restored on every way out.
 */
#ifndef VZL_RELAY_H
#define VZL_RELAY_H

#include <stdbool.h>

#include "vzlite.h"

struct relay {
	const struct vzl_exec_child *child; /* NULL for a console (no program of ours) */
	int console_fd;                     /* a console's descriptor, else -1 */
	bool raw;           /* put the host terminal (stdin) in raw mode while relaying */
	bool escape;        /* console: "Esc ." at the start of a line detaches */
	const char *banner; /* a line for stderr once the terminal is set up, or NULL */
	/* out */
	int status;       /* the program's wait status */
	int signal;       /* a terminating signal vzlite got (enter, console), else 0 */
	bool detached;    /* console: the user detached */
	bool input_error; /* the program's input could not be written (it stopped reading) */
};

/*
 * Relay until the program ended and its output was read (exec, enter) or the console was
 * detached or hung up. Signals to vzlite: exec passes SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU to the program; with a raw
 * terminal, SIGWINCH resizes the pty and SIGTERM, SIGHUP, SIGINT, SIGQUIT end the relay
 * (the pty's master closed: the VE's session gets the hangup). 0, or -errno.
 */
int relay_run(struct relay *r);

/* The exit status a shell gives for a wait status: the code, or 128+N for signal N. */
int relay_exit_code(int status);

#endif
