/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite ubc VEID: why did a program in the VE fail? The VE's beancounters with the
 * resources that refused something marked ('!' a non-zero failcnt, '+N' refusals since the
 * last look, whose counts are kept under LOCKDIR), then one line per refusing resource in
 * plain words (ubc-text.c). --json: every field of every resource.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ubc-text.h"

struct ubc_look {
	unsigned int veid;
	struct vzl_ub_value v[VZL_UB_COUNT];
	uint32_t present, prev_present;
	uint64_t prev[VZL_UB_COUNT];
};

/* refusals since the last look; -1 when there was none */
static long long grew(const struct ubc_look *l, unsigned ub)
{
	if (!(l->prev_present & (1u << ub)))
		return -1;
	return l->v[ub].failcnt > l->prev[ub] ? (long long)(l->v[ub].failcnt - l->prev[ub]) : 0;
}

static void print_table(const struct ubc_look *l, bool tty)
{
	char text[256];
	printf("VE %u beancounters%s\n", l->veid,
	       l->prev_present ? "" : " (first look: no earlier counts to compare)");
	printf("  %-13s %20s %20s %20s %20s %10s %6s\n", "resource", "held", "maxheld", "barrier",
	       "limit", "failcnt", "new");
	for (unsigned ub = 0; ub < VZL_UB_COUNT; ub++) {
		if (!(l->present & (1u << ub)))
			continue;
		const struct vzl_ub_value *v = &l->v[ub];
		long long g = grew(l, ub);
		char mark = v->failcnt ? '!' : ' ', news[32] = "", plus[24];
		if (g > 0) {
			snprintf(plus, sizeof(plus), "+%lld", g);
			snprintf(news, sizeof(news), " %6s", plus);
		}
		bool hl = tty && (v->failcnt || g > 0);
		printf("%s%c %-13s %20" PRIu64 " %20" PRIu64 " %20" PRIu64 " %20" PRIu64
		       " %10" PRIu64 "%s%s\n",
		       hl ? "\033[1;31m" : "", mark, vzl_ub_name(ub), v->held, v->maxheld,
		       v->barrier, v->limit, v->failcnt, news, hl ? "\033[0m" : "");
	}
	bool any = false;
	for (unsigned ub = 0; ub < VZL_UB_COUNT; ub++) {
		if (!(l->present & (1u << ub)) || !l->v[ub].failcnt)
			continue;
		if (!any)
			fputc('\n', stdout);
		any = true;
		ubc_failure_text(ub, &l->v[ub], grew(l, ub), text, sizeof(text));
		printf("%s\n", text);
	}
	if (!any)
		printf("\nNo resource of VE %u has refused anything since it started.\n", l->veid);
}

static void print_json(const struct ubc_look *l)
{
	struct json_writer w;
	char text[256];
	json_init(&w, stdout);
	json_begin_object_rows(&w, 2, 0);
	json_key(&w, "veid");
	json_int(&w, l->veid);
	json_key(&w, "first_look");
	json_bool(&w, l->prev_present == 0);
	json_key(&w, "resources");
	json_begin_array_rows(&w, 4, 2);
	for (unsigned ub = 0; ub < VZL_UB_COUNT; ub++) {
		if (!(l->present & (1u << ub)))
			continue;
		const struct vzl_ub_value *v = &l->v[ub];
		long long g = grew(l, ub);
		json_begin_object(&w);
		json_key(&w, "resource");
		json_string(&w, vzl_ub_name(ub));
		json_key(&w, "held");
		json_int(&w, (long long)v->held);
		json_key(&w, "maxheld");
		json_int(&w, (long long)v->maxheld);
		json_key(&w, "barrier");
		json_int(&w, (long long)v->barrier);
		json_key(&w, "limit");
		json_int(&w, (long long)v->limit);
		json_key(&w, "failcnt");
		json_int(&w, (long long)v->failcnt);
		json_key(&w, "previous_failcnt");
		if (g < 0)
			json_null(&w);
		else
			json_int(&w, (long long)l->prev[ub]);
		json_key(&w, "failcnt_grew");
		json_int(&w, g > 0 ? g : 0);
		json_key(&w, "refused");
		json_bool(&w, v->failcnt != 0);
		json_key(&w, "message");
		if (v->failcnt) {
			ubc_failure_text(ub, v, g, text, sizeof(text));
			json_string(&w, text);
		} else {
			json_null(&w);
		}
		json_end_object(&w);
	}
	json_end_array(&w);
	json_end_object(&w);
}

static int run_ubc(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	struct ubc_look l = { 0 };
	bool json = g->json;
	vzl_ctx *ctx = NULL;
	vzl_error *err = NULL;
	int r = cli_veid_args(cmd, g, argc, argv, &l.veid, &json);
	if (r == CLI_HELP_SHOWN)
		return 0;
	if (r)
		return r;
	if ((r = cli_open_ctx(g, &ctx)))
		return r;
	if (vzl_ve_ub_read(ctx, l.veid, l.v, &l.present, &err) < 0 ||
	    vzl_ve_ub_failcnt_swap(ctx, l.veid, l.v, l.present, l.prev, &l.prev_present, &err) <
		    0) {
		r = cli_fail(g, err);
		vzl_ctx_free(ctx);
		return r;
	}
	vzl_ctx_free(ctx);
	if (json)
		print_json(&l);
	else
		print_table(&l, isatty(STDOUT_FILENO));
	return fflush(stdout) ? EXIT_VZ_SYSTEM_ERROR : 0;
}

const struct cli_command cmd_ubc = {
	.name = "ubc",
	.summary = "Show a VE's beancounters and what they refused",
	.usage =
		"ubc VEID [--json]\n"
		"\n"
		"The beancounters of running VE VEID (/proc/bc/resources, else\n"
		"/proc/user_beancounters): held, maxheld, barrier, limit and failcnt of each\n"
		"resource. '!' marks a resource that refused allocations since the VE started,\n"
		"'+N' the refusals since the last `vzlite ubc VEID` (whose counts are kept in\n"
		"LOCKDIR/VEID.failcnt). Then one line per refusing resource saying what a program\n"
		"in the VE saw fail, e.g. \"numproc: 3 fork()s refused ...; barrier 12 reached\".\n"
		"--json: every field of every resource, the previous failcnt (null on the first\n"
		"look) and the message. Exit 31 when the VE is not running.",
	.run = run_ubc,
};
