/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite quota VEID [stat|init|on|off|drop]: a VE's disk quota, as vzquota shows and drives
 * it (vzctl-behaviour.md §4), with vzctl's exit codes for each action (§4.7, §7.1).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

enum action { A_STAT, A_INIT, A_ON, A_OFF, A_DROP };

static const char *const action_names[] = { "stat", "init", "on", "off", "drop" };
static const int action_codes[] = { EXIT_VZ_DQ_ON, EXIT_VZ_DQ_INIT, EXIT_VZ_DQ_ON, EXIT_VZ_DQ_OFF,
				    EXIT_VZ_DQ_ON };

/* The exit code of a quota error: vzctl's for the action, refined by the cause. */
int cli_quota_exit_code(const vzl_error *err, int action_code)
{
	if (vzl_error_step(err) != VZL_STEP_QUOTA)
		return cli_exit_code(err);
	const char *p = vzl_error_param(err);
	if (p && strcmp(p, "DISKSPACE") == 0)
		return EXIT_VZ_DISKSPACE_NOT_SET;
	if (p && strcmp(p, "DISKINODES") == 0)
		return EXIT_VZ_DISKINODES_NOT_SET;
	if (p && strcmp(p, "QUOTAUGIDLIMIT") == 0 && vzl_error_code(err) == EBUSY)
		return EXIT_VZ_DQ_UGID_NOTINITIALIZED;
	/* a corrupt file: vzquota exits 4, which vzctl reports as 60 whatever the action */
	if (vzl_error_code(err) == EBADMSG || vzl_error_code(err) == EPROTO)
		return EXIT_VZ_DQ_ON;
	return action_code;
}

static int fail(const struct cli_globals *g, vzl_error *err, enum action a)
{
	int code = cli_quota_exit_code(err, action_codes[a]);
	cli_fail(g, err); /* prints and frees */
	return code;
}

static uint64_t kib(uint64_t bytes)
{
	return bytes / 1024 + (bytes % 1024 != 0); /* vzquota rounds up */
}

/* vzquota stat's grace column: the time left, "none" once expired, blank when not running */
static void grace_text(char *buf, size_t len, int64_t end, time_t now)
{
	if (!end) {
		buf[0] = '\0';
	} else if (end <= now) {
		snprintf(buf, len, "none");
	} else {
		int64_t left = end - now;
		if (left >= 86400)
			snprintf(buf, len, "%" PRId64 "days", left / 86400);
		else
			snprintf(buf, len, "%02" PRId64 ":%02" PRId64, left / 3600,
				 left % 3600 / 60);
	}
}

static void print_row(const char *lead, const char *resource, uint64_t usage, uint64_t soft,
		      uint64_t hard, int64_t grace_end, time_t now)
{
	char grace[32], used[32];
	/* `*` after the usage: over a limit */
	snprintf(used, sizeof(used), "%" PRIu64 "%s", usage,
		 (soft && usage > soft) || (hard && usage > hard) ? "*" : "");
	grace_text(grace, sizeof(grace), grace_end, now);
	printf("%s%11s %14s %15" PRIu64 " %14" PRIu64 " %8s\n", lead, resource, used, soft, hard,
	       grace);
}

static void print_usage_rows(const char *lead, const struct vzl_quota_usage *u, time_t now)
{
	print_row(lead, "1k-blocks", kib(u->space), kib(u->space_soft), kib(u->space_hard),
		  u->space_grace_end, now);
	print_row(lead, "inodes", u->inodes, u->inodes_soft, u->inodes_hard, u->inodes_grace_end,
		  now);
}

static void print_text(unsigned veid, const vzl_quota_info *q, bool ugid)
{
	time_t now = time(NULL);
	printf("VE %u disk quota: %s%s\n", veid, q->on ? "on" : "off",
	       q->on        ? ""
	       : q->file_on ? " (the file says on: not shut down cleanly)"
			    : "");
	printf("%11s %14s %15s %14s %8s\n", "resource", "usage", "softlimit", "hardlimit", "grace");
	print_usage_rows("", &q->total, now);
	if (!ugid)
		return;
	printf("\nUser/group quota: %s, limit %" PRIu32 " records\n", q->ugid_on ? "on" : "off",
	       q->ugid_limit);
	if (!q->n_ugid)
		return;
	printf("%5s %10s %11s %14s %15s %14s %8s\n", "type", "id", "resource", "usage", "softlimit",
	       "hardlimit", "grace");
	for (size_t i = 0; i < q->n_ugid; i++) {
		char lead[32];
		snprintf(lead, sizeof(lead), "%5s %10" PRIu32 " ",
			 q->ugid[i].group ? "group" : "user", q->ugid[i].id);
		print_usage_rows(lead, &q->ugid[i].usage, now);
	}
}

static void json_usage(const struct vzl_quota_usage *u)
{
	printf("\"space\": {\"usage\": %" PRIu64 ", \"soft\": %" PRIu64 ", \"hard\": %" PRIu64
	       ", \"grace_end\": %" PRId64 "}, \"inodes\": {\"usage\": %" PRIu64
	       ", \"soft\": %" PRIu64 ", \"hard\": %" PRIu64 ", \"grace_end\": %" PRId64 "}",
	       u->space, u->space_soft, u->space_hard, u->space_grace_end, u->inodes,
	       u->inodes_soft, u->inodes_hard, u->inodes_grace_end);
}

static void print_json(unsigned veid, const vzl_quota_info *q, bool ugid)
{
	printf("{\"veid\": %u, \"on\": %s, \"file_on\": %s, \"dirty\": %s, \"space_grace\": "
	       "%" PRId64 ", \"inodes_grace\": %" PRId64 ", ",
	       veid, q->on ? "true" : "false", q->file_on ? "true" : "false",
	       q->file_dirty ? "true" : "false", q->space_grace, q->inodes_grace);
	json_usage(&q->total);
	printf(", \"ugid_on\": %s, \"ugid_limit\": %" PRIu32, q->ugid_on ? "true" : "false",
	       q->ugid_limit);
	if (ugid) {
		printf(", \"ugid\": [");
		for (size_t i = 0; i < q->n_ugid; i++) {
			printf("%s{\"type\": \"%s\", \"id\": %" PRIu32 ", ", i ? ", " : "",
			       q->ugid[i].group ? "group" : "user", q->ugid[i].id);
			json_usage(&q->ugid[i].usage);
			printf("}");
		}
		printf("]");
	}
	printf("}\n");
}

static int do_stat(struct cli_globals *g, vzl_ve *ve, bool json, bool ugid)
{
	vzl_error *err = NULL;
	vzl_quota_info *q = NULL;
	if (vzl_ve_quota_stat(ve, &q, &err) < 0)
		return fail(g, err, A_STAT);
	if (json)
		print_json(vzl_ve_id(ve), q, ugid);
	else
		print_text(vzl_ve_id(ve), q, ugid);
	vzl_quota_info_free(q);
	return 0;
}

static int do_action(struct cli_globals *g, vzl_ve *ve, enum action a, unsigned flags)
{
	vzl_error *err = NULL;
	struct cli_progress p;
	unsigned veid = vzl_ve_id(ve);
	char what[64];
	int r = 0;
	snprintf(what, sizeof(what), "Scanning the disk usage of VE %u", veid);
	cli_progress_init(&p, g, what);
	switch (a) {
	case A_INIT:
		r = vzl_ve_quota_init(ve, cli_progress_cb, &p, &err);
		break;
	case A_ON:
		r = vzl_ve_quota_on(ve, flags, cli_progress_cb, &p, &err);
		break;
	case A_OFF:
		r = vzl_ve_quota_off(ve, 0, &err);
		break;
	case A_DROP:
		r = vzl_ve_quota_drop(ve, flags, &err);
		break;
	case A_STAT:
		break;
	}
	cli_progress_end(&p, r >= 0);
	if (r < 0)
		return fail(g, err, a);
	if (g->quiet || g->dry_run)
		return 0;
	switch (a) {
	case A_INIT:
		printf("Disk quota of VE %u initialised\n", veid);
		break;
	case A_ON:
		printf(r == 2   ? "Disk quota of VE %u was on; its limits were updated\n"
		       : r == 1 ? "Disk quota of VE %u is on (its usage was recalculated)\n"
				: "Disk quota of VE %u is on\n",
		       veid);
		break;
	case A_OFF:
		printf(r ? "Disk quota of VE %u is off\n" : "Disk quota of VE %u was not on\n",
		       veid);
		break;
	case A_DROP:
		printf("Disk quota file of VE %u removed\n", veid);
		break;
	case A_STAT:
		break;
	}
	return 0;
}

static int run_quota(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	const char *veid_arg = NULL;
	enum action a = A_STAT;
	bool have_action = false, json = g->json, ugid = false;
	unsigned flags = 0;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			cli_print_command_help(g, cmd, stdout);
			return 0;
		}
		if (strcmp(s, "--json") == 0) {
			json = true;
		} else if (strcmp(s, "-t") == 0) {
			ugid = true;
		} else if (strcmp(s, "--rescan") == 0 || strcmp(s, "-f") == 0) {
			flags |= VZL_QUOTA_RESCAN | VZL_QUOTA_FORCE;
		} else if (strcmp(s, "--nocheck") == 0) {
			flags |= VZL_QUOTA_NOCHECK;
		} else if (s[0] == '-') {
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  s);
		} else if (!veid_arg) {
			veid_arg = s;
		} else if (!have_action) {
			size_t k = 0;
			while (k < sizeof(action_names) / sizeof(action_names[0]) &&
			       strcmp(s, action_names[k]) != 0)
				k++;
			if (k == sizeof(action_names) / sizeof(action_names[0]))
				return cli_usage_error(g, cmd->name,
						       EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						       "unknown quota action '%s' (stat, init, "
						       "on, off or drop)",
						       s);
			a = (enum action)k;
			have_action = true;
		} else {
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "invalid extra argument '%s'", s);
		}
	}
	if (!veid_arg)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_VALUE,
				       "quota needs a VE ID");
	if ((ugid || json) && a != A_STAT)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "-t and --json go with the quota's state, not with '%s'",
				       action_names[a]);
	if ((flags & VZL_QUOTA_NOCHECK) && a != A_ON)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "--nocheck goes with 'on'");
	vzl_error *err = NULL;
	unsigned veid;
	if (vzl_veid_parse(veid_arg, &veid, &err) < 0)
		return cli_fail(g, err);
	vzl_ctx *ctx = NULL;
	int r = cli_open_ctx(g, &ctx);
	if (r)
		return r;
	vzl_ve *ve = NULL;
	if (vzl_ve_open(ctx, veid, &ve, &err) < 0)
		r = cli_fail(g, err);
	else
		r = a == A_STAT ? do_stat(g, ve, json, ugid) : do_action(g, ve, a, flags);
	vzl_ve_free(ve);
	vzl_ctx_free(ctx);
	return r;
}

const struct cli_command cmd_quota = {
	.name = "quota",
	.summary = "Show or drive a VE's disk quota (vzquota's work)",
	.usage = "quota VEID [stat] [-t] [--json]\n"
		 "   or: vzlite quota VEID init|on|off|drop [--rescan|-f] [--nocheck]\n"
		 "\n"
		 "stat (the default) shows usage, soft and hard limit and the grace time left\n"
		 "for disk space (1 KiB blocks) and inodes as `vzquota stat` does, '*' after a\n"
		 "usage over a limit; from the kernel while the quota is on, else from the\n"
		 "quota file. -t adds the per-uid/gid lines. --json prints bytes.\n"
		 "init scans the private area and writes $VZQUOTA_DIR/quota.VEID with the\n"
		 "config's DISKSPACE, DISKINODES, QUOTATIME and QUOTAUGIDLIMIT (61 on failure).\n"
		 "on turns the quota on, creating the file when missing and rescanning when the\n"
		 "file says the last shutdown was not clean or is dirty (--rescan: always,\n"
		 "--nocheck: not unless there is no file); 60 on failure, 63/64 when DISKSPACE/\n"
		 "DISKINODES is unset. off saves the usage and turns it off (66 on failure).\n"
		 "drop removes the file (--force: also when on). The file stays readable by\n"
		 "vzquota.",
	.run = run_quota,
};
