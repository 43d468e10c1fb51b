/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vzlite top: the running VEs' processes, CPU, memory, disk and beancounter refusals,
 * refreshed every few seconds, sorted by what the operator asks for; what a hosting
 * operator keeps open. Each frame is one vzl_ve_list() (one read of each /proc file); CPU %
 * and the refusals are differences to the frame before. -b prints frames one after another
 * (for scripts and tests), -n N stops after N frames.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum sort_key { S_FAIL, S_CTID, S_NPROC, S_CPU, S_RAM, S_DISK };
static const char *const sort_names[] = { "fail", "ctid", "nproc", "cpu", "ram", "disk" };
static const char sort_keys[] = "fipcmd"; /* the interactive key of each */

/* What the frame before saw of a VE, for the differences */
struct seen {
	unsigned veid;
	int has_vestat;
	uint64_t cpu_ticks, uptime_ticks;
	uint64_t failcnt[VZL_UB_COUNT];
};

struct row {
	const vzl_ve_info *e;
	double cpu;      /* % of one CPU since the frame before; < 0 unknown */
	long long added; /* refusals since the frame before; < 0 first frame */
	uint64_t failcnt, ram_mb;
	char refusing[160];
};

static volatile sig_atomic_t stop_asked;
static void on_stop_signal(int sig)
{
	(void)sig;
	stop_asked = 1;
}

static const struct seen *seen_find(const struct seen *s, size_t n, unsigned veid)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].veid == veid)
			return &s[i];
	return NULL;
}

static void fill_row(struct row *r, const vzl_ve_info *e, const struct seen *before, bool first)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t o = 0;
	*r = (struct row){ .e = e, .cpu = -1, .added = first ? -1 : 0 };
	r->ram_mb = e->ub[6].held * (uint64_t)(page > 0 ? page : 4096) >> 20; /* physpages */
	if (before && e->has_vestat && before->has_vestat &&
	    e->uptime_ticks > before->uptime_ticks && e->cpu_ticks >= before->cpu_ticks)
		r->cpu = 100.0 * (double)(e->cpu_ticks - before->cpu_ticks) /
			 (double)(e->uptime_ticks - before->uptime_ticks);
	for (unsigned ub = 0; ub < VZL_UB_COUNT; ub++) {
		uint64_t f = e->ub[ub].failcnt;
		long long d = before && f > before->failcnt[ub]
				      ? (long long)(f - before->failcnt[ub])
				      : 0;
		r->failcnt += f;
		if (!first)
			r->added += d;
		if (!f || !vzl_ub_name(ub) || o + 32 >= sizeof(r->refusing))
			continue;
		if (d > 0 && !first)
			o += (size_t)snprintf(r->refusing + o, sizeof(r->refusing) - o,
					      "%s%s(+%lld)", o ? "," : "", vzl_ub_name(ub), d);
		else
			o += (size_t)snprintf(r->refusing + o, sizeof(r->refusing) - o, "%s%s",
					      o ? "," : "", vzl_ub_name(ub));
	}
	if (!o)
		strcpy(r->refusing, "-");
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static enum sort_key sort_by;
/* The biggest first (the id: the smallest first); ties by id */
static int cmp_rows(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c = 0;
	switch (sort_by) {
	case S_FAIL:
		c = a->added != b->added ? (a->added < b->added ? 1 : -1)
					 : -cmp_u64(a->failcnt, b->failcnt);
		break;
	case S_CTID:
		break;
	case S_NPROC:
		c = -cmp_u64(a->e->tasks, b->e->tasks);
		break;
	case S_CPU:
		c = a->cpu < b->cpu ? 1 : a->cpu > b->cpu ? -1 : 0;
		break;
	case S_RAM:
		c = -cmp_u64(a->ram_mb, b->ram_mb);
		break;
	case S_DISK:
		c = -cmp_u64(a->e->has_quota ? a->e->diskspace[0] + 1 : 0,
			     b->e->has_quota ? b->e->diskspace[0] + 1 : 0);
		break;
	}
	return c ? c : cmp_u64(a->e->veid, b->e->veid);
}

static void print_frame(const struct row *rows, size_t n, bool clear)
{
	if (clear)
		fputs("\033[H\033[2J", stdout);
	printf("vzlite top: %zu running VE%s, sorted by %s\n", n, n == 1 ? "" : "s",
	       sort_names[sort_by]);
	printf("%10s %6s %6s %8s %9s %8s %6s  %s\n", "CTID", "NPROC", "CPU%", "RAM(MB)", "DISK(MB)",
	       "FAILCNT", "+FAIL", "REFUSING");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		char cpu[16] = "-", disk[24] = "-", added[24] = "-";
		if (r->cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%.1f", r->cpu);
		if (r->e->has_quota)
			snprintf(disk, sizeof(disk), "%" PRIu64, r->e->diskspace[0] / 1024);
		if (r->added >= 0)
			snprintf(added, sizeof(added), "%lld", r->added);
		printf("%10u %6u %6s %8" PRIu64 " %9s %8" PRIu64 " %6s  %s\n", r->e->veid,
		       r->e->tasks, cpu, r->ram_mb, disk, r->failcnt, added, r->refusing);
	}
	if (clear)
		printf("\nsort: f refusals, i id, p processes, c CPU, m RAM, d disk; q quits\n");
}

/* One frame: collect, compare with the frame before, print; *seen becomes this frame's. */
static int frame(vzl_ctx *ctx, const struct cli_globals *g, struct seen **seen, size_t *n_seen,
		 bool first, bool clear)
{
	vzl_ve_info *v = NULL;
	size_t n = 0;
	vzl_error *err = NULL;
	unsigned flags = VZL_LIST_UB | VZL_LIST_QUOTA | VZL_LIST_VESTAT;
	if (vzl_ve_list(ctx, flags, NULL, 0, &v, &n, &err) < 0)
		return cli_fail(g, err);
	struct row *rows = calloc(n ? n : 1, sizeof(*rows));
	struct seen *now = calloc(n ? n : 1, sizeof(*now));
	int r = 0;
	if (!rows || !now) {
		r = EXIT_VZ_SYSTEM_ERROR;
		goto out;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const vzl_ve_info *e = &v[i];
		if (e->status != VZL_LIST_RUNNING)
			continue;
		fill_row(&rows[k], e, seen_find(*seen, *n_seen, e->veid), first);
		now[k] = (struct seen){
			e->veid, e->has_vestat, e->cpu_ticks, e->uptime_ticks, { 0 }
		};
		for (unsigned ub = 0; ub < VZL_UB_COUNT; ub++)
			now[k].failcnt[ub] = e->ub[ub].failcnt;
		k++;
	}
	qsort(rows, k, sizeof(*rows), cmp_rows);
	print_frame(rows, k, clear);
	if (fflush(stdout))
		r = EXIT_VZ_SYSTEM_ERROR;
	free(*seen);
	*seen = now;
	now = NULL;
	*n_seen = k;
out:
	free(now);
	free(rows);
	vzl_ve_list_free(v, n);
	return r;
}

/* Wait `secs`; interactively, a key may change the order or quit. 1: quit. */
static int wait_keys(double secs, bool interactive)
{
	struct timespec end, t;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)secs;
	end.tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = (long)(end.tv_sec - t.tv_sec) * 1000 +
			  (end.tv_nsec - t.tv_nsec) / 1000000;
		if (stop_asked)
			return 1;
		if (ms <= 0)
			return 0;
		if (!interactive) {
			struct timespec d = { ms / 1000, ms % 1000 * 1000000L };
			nanosleep(&d, NULL);
			continue;
		}
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		char c;
		if (poll(&p, 1, (int)ms) <= 0 || read(STDIN_FILENO, &c, 1) != 1)
			continue;
		if (c == 'q')
			return 1;
		const char *k = strchr(sort_keys, c);
		if (k && c) {
			sort_by = (enum sort_key)(k - sort_keys);
			return 0; /* show the new order at once */
		}
	}
}

static int parse_count(const char *s, long *ret)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 1)
		return -1;
	*ret = v;
	return 0;
}

static int run_top(const struct cli_command *cmd, struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "sort", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'H' },
		{ 0 },
	};
	bool batch = false;
	long frames = -1;
	double delay = 2;
	int c;
	sort_by = S_FAIL;
	while ((c = getopt_long(argc, argv, ":bn:d:s:", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'b':
			batch = true;
			break;
		case 'n':
			if (parse_count(optarg, &frames) < 0)
				return cli_usage_error(g, cmd->name,
						       EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						       "-n '%s': the number of frames is a whole "
						       "number from 1",
						       optarg);
			break;
		case 'd':
			errno = 0;
			delay = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(delay >= 0 && delay <= 86400))
				return cli_usage_error(
					g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					"-d '%s': the delay is seconds from 0 to 86400", optarg);
			break;
		case 's': {
			size_t i = 0;
			while (i < sizeof(sort_names) / sizeof(*sort_names) &&
			       strcmp(sort_names[i], optarg))
				i++;
			if (i == sizeof(sort_names) / sizeof(*sort_names))
				return cli_usage_error(
					g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					"-s '%s': sort by fail, ctid, nproc, cpu, ram "
					"or disk",
					optarg);
			sort_by = (enum sort_key)i;
			break;
		}
		case 'H':
			cli_print_command_help(g, cmd, stdout);
			return 0;
		case ':':
			return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
					       "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_unknown_option(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(g, cmd->name, EXIT_VZ_INVALID_PARAMETER_SYNTAX,
				       "unexpected argument '%s'", argv[optind]);
	bool interactive = !batch && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	vzl_ctx *ctx = NULL;
	int r = cli_open_ctx(g, &ctx);
	if (r)
		return r;
	struct termios saved;
	bool raw = interactive && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (raw) {
		struct termios t = saved;
		t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	struct seen *seen = NULL;
	size_t n_seen = 0;
	for (long i = 0; r == 0 && (frames < 0 || i < frames) && !stop_asked; i++) {
		if (i && !interactive)
			fputc('\n', stdout);
		r = frame(ctx, g, &seen, &n_seen, i == 0, interactive);
		if (r == 0 && (frames < 0 || i + 1 < frames) && wait_keys(delay, interactive))
			break;
	}
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	free(seen);
	vzl_ctx_free(ctx);
	return r;
}

const struct cli_command cmd_top = {
	.name = "top",
	.summary = "Watch the running VEs' CPU, memory, processes, disk and refusals",
	.usage = "top [-b] [-n FRAMES] [-d SECONDS] [-s fail|ctid|nproc|cpu|ram|disk]\n"
		 "\n"
		 "One line per running VE, refreshed every SECONDS (default 2): its id, tasks\n"
		 "(/proc/vz/veinfo), CPU % of one CPU since the frame before (/proc/vz/vestat),\n"
		 "RAM in use (physpages held), disk used (/proc/vz/vzquota), the beancounters'\n"
		 "failcnt total, the refusals since the frame before (+FAIL) and the resources\n"
		 "that refused ('numproc(+3)': 3 more since the frame before; `vzlite ubc VEID`\n"
		 "says more). Sorted by -s, biggest first (default fail: the most new\n"
		 "refusals); on a terminal the keys f i p c m d change the order, q quits.\n"
		 "  -b, --batch            frames one after another, no screen control\n"
		 "  -n, --iterations N     stop after N frames\n"
		 "  -d, --delay SECONDS    between frames (fractions allowed)",
	.run = run_top,
};
