/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A progress bar on a terminal (bytes of the archive read, entries, rate), redrawn at most
 * ten times a second; off a terminal nothing, except one summary line with --verbose.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void cli_progress_init(struct cli_progress *p, const struct cli_globals *g, const char *what)
{
	*p = (struct cli_progress){
		.what = what,
		.tty = !g->quiet && isatty(STDERR_FILENO),
		.verbose = g->verbose > 0 && !g->quiet,
		.start = now(),
	};
}

int cli_progress_cb(void *userdata, uint64_t done, uint64_t total, uint64_t items)
{
	struct cli_progress *p = userdata;
	p->done = done;
	p->total = total;
	p->items = items;
	if (!p->tty)
		return 0;
	double t = now();
	if (t - p->last < 0.1 && !(total && done >= total))
		return 0;
	p->last = t;
	double mib = done / 1048576.0, rate = t > p->start ? mib / (t - p->start) : 0;
	if (total) {
		int pct = (int)(done * 100 / total), fill = pct * 30 / 100;
		fprintf(stderr, "\r%s [%.*s%*s] %3d%% %.1f/%.1f MiB, %llu entries, %.1f MiB/s ",
			p->what, fill, "##############################", 30 - fill, "", pct, mib,
			total / 1048576.0, (unsigned long long)items, rate);
	} else {
		fprintf(stderr, "\r%s %.1f MiB, %llu entries, %.1f MiB/s ", p->what, mib,
			(unsigned long long)items, rate);
	}
	return 0;
}

void cli_progress_end(struct cli_progress *p, int ok)
{
	if (p->tty && p->last > 0)
		fputc('\n', stderr);
	if (ok && p->verbose)
		fprintf(stderr, "%s: %.1f MiB read, %llu entries in %.2f s\n", p->what,
			p->done / 1048576.0, (unsigned long long)p->items, now() - p->start);
}
