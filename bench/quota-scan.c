/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scan benchmark (issue #13): lib/quota-scan.c on a tree against `du -s --apparent-size` of
 * the same tree, interleaved, warm cache (one untimed round of each first). Prints the
 * medians, min/max, the ratio scan/du (target <= 1.2), and the same for the scan that asks
 * FIOQSIZE per file as vzquota does (--exact), for reference. Wall time and CPU time (user +
 * system; steadier on a shared machine) are both shown, with the ratio of medians and of
 * minima. Not a test.
 * Usage: quota-scan-bench TREE [RUNS]
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "quota-scan.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process or of its waited-for children. */
static double cpu(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double scan_once(const char *tree, unsigned flags, struct quota_scan_result *keep,
			double *ret_cpu)
{
	struct quota_scan_result r;
	vzl_error *err = NULL;
	double c = cpu(RUSAGE_SELF), t = now();
	if (quota_scan(tree, flags, NULL, NULL, 0, &r, &err) < 0) {
		fprintf(stderr, "quota-scan-bench: %s\n", vzl_error_message(err));
		exit(1);
	}
	t = now() - t;
	if (ret_cpu)
		*ret_cpu = cpu(RUSAGE_SELF) - c;
	if (keep)
		*keep = r;
	else
		quota_scan_result_clear(&r);
	return t;
}

static double du_once(const char *tree, double *ret_cpu)
{
	double c = cpu(RUSAGE_CHILDREN), t = now();
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execlp("du", "du", "-s", "--apparent-size", tree, (char *)NULL);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "quota-scan-bench: du failed\n");
		exit(1);
	}
	t = now() - t;
	if (ret_cpu)
		*ret_cpu = cpu(RUSAGE_CHILDREN) - c;
	return t;
}

static void report(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	printf("%-34s median %8.1f ms  min %8.1f  max %8.1f\n", what, v[n / 2] * 1e3, v[0] * 1e3,
	       v[n - 1] * 1e3);
}

/* Sorted: the ratio of medians and of minima. */
static void ratio(const char *what, const double *a, const double *b, int n)
{
	printf("%-34s %.2f (medians), %.2f (minima)\n", what, a[n / 2] / b[n / 2], a[0] / b[0]);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *tree = argv[1];
	int runs = argc > 2 ? atoi(argv[2]) : 9;
	if (runs < 1 || runs > 1000)
		return 2;
	/* wall and CPU times of: du, the scan, the exact scan */
	double *v[6];
	for (int k = 0; k < 6; k++)
		if (!(v[k] = calloc((size_t)runs, sizeof(double))))
			return 1;
	struct quota_scan_result r;
	scan_once(tree, QUOTA_SCAN_UGID, &r, NULL);
	du_once(tree, NULL);
	for (int i = 0; i < runs; i++) {
		v[0][i] = du_once(tree, &v[3][i]);
		v[1][i] = scan_once(tree, 0, NULL, &v[4][i]);
		v[2][i] = scan_once(tree, QUOTA_SCAN_EXACT, NULL, &v[5][i]);
	}
	printf("# %s: %" PRIu64 " entries, %" PRIu64 " inodes, %" PRIu64 " KiB, %zu uid/gid "
	       "records; %d rounds, warm cache\n",
	       tree, r.entries, r.inodes, r.space / 1024, r.n_ugid, runs);
	quota_scan_result_clear(&r);
	const char *names[6] = { "wall du -s --apparent-size",
				 "wall quota_scan",
				 "wall quota_scan --exact (FIOQSIZE)",
				 "cpu  du -s --apparent-size",
				 "cpu  quota_scan",
				 "cpu  quota_scan --exact (FIOQSIZE)" };
	for (int k = 0; k < 6; k++)
		report(names[k], v[k], runs);
	ratio("wall ratio quota_scan/du", v[1], v[0], runs);
	ratio("cpu  ratio quota_scan/du", v[4], v[3], runs);
	ratio("wall ratio exact/du", v[2], v[0], runs);
	ratio("cpu  ratio exact/du", v[5], v[3], runs);
	printf("target: quota_scan/du <= 1.20\n");
	for (int k = 0; k < 6; k++)
		free(v[k]);
	return 0;
}
