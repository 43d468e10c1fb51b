/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The vzlite CLI: global options, the command table, shared helpers. No kernel calls here. */
#ifndef VZL_CLI_H
#define VZL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "vzlite.h"

/* vzctl's exit codes (include/vzerror.h) that the CLI itself uses. */
enum {
	EXIT_VZ_SYSTEM_ERROR = 3,
	EXIT_VZ_NOCONFIG = 10,
	EXIT_VZ_INVALID_PARAMETER_SYNTAX = 20,
	EXIT_VZ_INVALID_PARAMETER_VALUE = 21,
	EXIT_VZ_NOVECONFIG = 14,
	EXIT_VZ_VE_NOT_RUNNING = 31,
	EXIT_VZ_SET_NAME_ERROR = 131,
	/* the quota's */
	EXIT_VZ_DQ_ON = 60,
	EXIT_VZ_DQ_INIT = 61,
	EXIT_VZ_DQ_SET = 62,
	EXIT_VZ_DISKSPACE_NOT_SET = 63,
	EXIT_VZ_DISKINODES_NOT_SET = 64,
	EXIT_VZ_DQ_OFF = 66,
	EXIT_VZ_DQ_UGID_NOTINITIALIZED = 67,
};

struct cli_globals {
	const char *global_config; /* --global-config, default /etc/vz/vz.conf */
	const char *proc_root;     /* --proc-root, default /proc */
	bool dry_run;
	bool json;
	int verbose;
	bool quiet;
	const char *progname;
	/* list: leave out VEs without a config (the vzlist front end: libvirt reads each
	 * listed VE's config for its UUID, libvirt-openvz.md §4.2) */
	bool configured_only;
};

struct cli_command;
typedef int (*cli_handler)(const struct cli_command *cmd, struct cli_globals *g, int argc,
			   char **argv);

struct cli_command {
	const char *name;
	const char *summary; /* one line for `vzlite --help` */
	const char *usage;   /* full `vzlite CMD --help` text after the "Usage:" line */
	cli_handler run;     /* NULL: not implemented in this version */
	const char *status;  /* for unimplemented commands: which issue/feature brings it */
};

extern const struct cli_command cmd_create, cmd_destroy, cmd_start, cmd_stop, cmd_restart,
	cmd_status, cmd_mount, cmd_umount, cmd_set, cmd_enter, cmd_exec, cmd_list, cmd_validate,
	cmd_define, cmd_dumpxml, cmd_help, cmd_show, cmd_get, cmd_undefine, cmd_quota, cmd_monitor,
	cmd_ubc, cmd_top, cmd_console;

/* The error's vzctl exit code (exitcode.c). */
int cli_exit_code(const vzl_error *err);
/* The exit code of a quota error for an action whose vzctl code is `action_code` (60 on, 61
 * init, 62 setlimit, 66 off), refined by the cause (63, 64, 67, corrupt file 60). */
int cli_quota_exit_code(const vzl_error *err, int action_code);
/* Print "vzlite: <message>" (and the VE) on stderr, free the error, return its exit code. */
int cli_fail(const struct cli_globals *g, vzl_error *err);
/* A usage error: one line on stderr plus the hint, returns `code`. */
int cli_usage_error(const struct cli_globals *g, const char *cmd, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Open the context from --global-config, wiring --dry-run and --verbose. */
int cli_open_ctx(struct cli_globals *g, vzl_ctx **ret);
/*
 * Parse "VERB VEID" plus --json when `json` is non-NULL. 0 with *ret_veid set; an exit code
 * after an error message; CLI_HELP_SHOWN after printing --help (exit 0).
 */
#define CLI_HELP_SHOWN (-1)
int cli_veid_args(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		  unsigned int *ret_veid, bool *json);
/* An option without a value and the bit it sets. */
struct cli_flag {
	const char *option; /* "--fast" */
	unsigned int flag;
};
/* The same for "VERB VEID [FLAG...]", flags from the NULL-option-terminated `flags`, their
 * bits ORed into *ret_flags. */
int cli_veid_flag_args(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv,
		       const struct cli_flag *flags, unsigned int *ret_flags,
		       unsigned int *ret_veid);
/* Print a command's --help. */
void cli_print_command_help(const struct cli_globals *g, const struct cli_command *cmd, FILE *f);

/* The config a VEID|FILE argument names (config-arg.c). */
struct cli_config {
	vzl_ctx *ctx; /* NULL for a FILE when vz.conf could not be read and that was allowed */
	vzl_ve *ve;   /* NULL for a FILE */
	vzl_config *cfg;
	unsigned veid;
	bool is_ve;
};
/* Open it; a decimal argument is a VEID, anything else a path. Returns 0 or an exit code
 * (the error is printed). `global_optional`: a FILE may be read without vz.conf. */
int cli_config_open(struct cli_globals *g, const char *arg, bool global_optional,
		    struct cli_config *c);
/* The same for changing the config: a VEID's lock is held until cli_config_close (a FILE is
 * not locked). */
int cli_config_open_locked(struct cli_globals *g, const char *arg, bool global_optional,
			   struct cli_config *c);
/* A VEID argument whose VE has no config: message, close, exit 14 (VZ_NOVECONFIG); else 0. */
int cli_config_require(const struct cli_globals *g, struct cli_config *c);
void cli_config_close(struct cli_config *c);

/* Progress of a long operation (progress.c), for vzl_progress_fn callbacks. */
struct cli_progress {
	const char *what;
	bool tty, verbose;
	double start, last;
	uint64_t done, total, items;
};
void cli_progress_init(struct cli_progress *p, const struct cli_globals *g, const char *what);
int cli_progress_cb(void *userdata, uint64_t done, uint64_t total, uint64_t items);
void cli_progress_end(struct cli_progress *p, int ok);

/* Output printed only when the whole command succeeded (never half a JSON document):
 * write into out_buffer_open()'s stream, then out_buffer_finish(r) prints it if r is 0
 * and returns r, or the system-error exit code if the buffer ran out of memory. */
struct out_buffer {
	char *buf;
	size_t len;
	FILE *f;
};
int out_buffer_open(const struct cli_globals *g, struct out_buffer *o);
int out_buffer_finish(const struct cli_globals *g, struct out_buffer *o, int r);

/* 0 when `value` of `key` can be printed as JSON; else a message naming the VE (or file),
 * the key, the byte and its offset, and how to fix it, and exit code 21. */
int json_value_ok(const struct cli_globals *g, const struct cli_config *c, const char *key,
		  const char *value);

/*
 * "unknown option 'ARG'", or, when ARG is a global option (--global-config, --dry-run,
 * --json, -v, -q, ...) given after the command, that it goes before the command. Returns
 * `code` (main.c).
 */
int cli_unknown_option(const struct cli_globals *g, const char *cmd, int code, const char *arg);
/* `arg` is one of those global options (for commands parsing with getopt_long). */
bool cli_is_global_option(const char *arg);

/*
 * Before a command acts on a VE: clean up after it if it stopped from inside
 * (vzl_ve_cleanup). A failure is reported as a warning, except a VE without config, and
 * the command goes on (it then meets the same state). Always 0; an int for chaining.
 */
int cli_cleanup_ve(struct cli_globals *g, vzl_ve *ve);

#endif
