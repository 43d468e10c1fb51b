// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cost of the model's /proc files with many VEs (not a test). Linked with the model:
 *
 *   vzemu-proc STATE-DIR N [-- COMMAND ARGS...]
 *
 * resets STATE-DIR, creates N VEs in the model (ids 1001.., each with a beancounter made by
 * setluid and a stand-in init: a child that pauses), then prints the median and 90th
 * percentile of rendering /proc/vz/veinfo and /proc/user_beancounters (model_proc_render,
 * what a vzemu open costs besides the notification). With a COMMAND it then runs it while
 * the VEs exist, e.g. `-- vzemu --state STATE-DIR -- vzemu-overhead 2000` for the cost seen
 * by a program. The stand-in inits are killed at the end. VZEMU_PROC_ITER: renders timed
 * per file (default 50).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "openvz.h"

#include "model.h"

static int own_read(void *o, uint64_t a, void *b, size_t l)
{
	(void)o;
	memcpy(b, (const void *)(uintptr_t)a, l);
	return 0;
}

static int own_write(void *o, uint64_t a, const void *b, size_t l)
{
	(void)o;
	memcpy((void *)(uintptr_t)a, b, l);
	return 0;
}

static const struct emu_mem mem = { NULL, own_read, own_write };

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static pid_t stand_in(void)
{
	int fd[2];
	char b;
	pid_t p;

	if (pipe(fd) < 0)
		exit(1);
	p = fork();
	if (p == 0) {
		close(fd[0]);
		close(fd[1]);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (p < 0 || read(fd[0], &b, 1) != 0) /* EOF: the child runs */
		exit(1);
	close(fd[0]);
	return p;
}

/* setluid(veid) then VZCTL_ENV_CREATE_DATA{VE_CREATE|VE_EXCLUSIVE} as the stand-in init */
static int create(struct emu_model *m, unsigned int veid, pid_t init)
{
	struct emu_caller c = { init, 0, ~0ULL, false, true, false, true };
	struct env_create_param3 param = { .iptables_mask = VE_IP_DEFAULT,
					   .feature_mask = VE_FEATURES_DEF,
					   .known_features = VE_FEATURES_DEF };
	struct vzctl_env_create_data d = { .veid = veid,
					   .flags = VE_CREATE | VE_EXCLUSIVE,
					   .data = &param,
					   .datalen = sizeof(param) };
	uint64_t a[6] = { veid, 0, 0, 0, 0, 0 };
	struct emu_effect eff;
	long r;

	r = model_syscall(m, &c, &mem, __NR_setluid, a, &eff, NULL, 0);
	if (r < 0)
		return (int)r;
	r = model_ioctl(m, &c, &mem, VZCTL_ENV_CREATE_DATA, (uint64_t)(uintptr_t)&d, &eff, NULL, 0);
	return r < 0 ? (int)r : 0;
}

static void measure(struct emu_model *m, const char *path, int n)
{
	struct emu_caller host = { getpid(), 0, ~0ULL, false, true, false, true };
	double *t = calloc((size_t)n, sizeof(*t));
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		char *buf = NULL;
		double a = now_us();
		int r;

		model_lock(m);
		r = model_proc_render(m, &host, path, &buf, &len);
		model_unlock(m);
		t[i] = now_us() - a;
		free(buf);
		if (r < 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(-r));
			exit(1);
		}
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("render %-24s n=%d median %9.1f us  p90 %9.1f us  (%zu bytes)\n", path, n, t[n / 2],
	       t[(n * 9) / 10], len);
	free(t);
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0, st = 0, r, iter;
	struct emu_model *m;
	pid_t *init, c;

	if (argc < 3 || n <= 0 || (argc > 3 && strcmp(argv[3], "--"))) {
		fprintf(stderr, "usage: vzemu-proc STATE-DIR N [-- COMMAND ARGS...]\n");
		return 2;
	}
	init = calloc((size_t)n, sizeof(*init));
	if (model_reset(argv[1]) < 0 || model_open(&m, argv[1]) < 0)
		return 1;
	model_lock(m);
	for (int i = 0; i < n; i++) {
		init[i] = stand_in();
		r = create(m, 1001 + (unsigned int)i, init[i]);
		if (r < 0) {
			fprintf(stderr, "create %d: %s\n", 1001 + i, strerror(-r));
			return 1;
		}
	}
	model_unlock(m);
	printf("%d VEs in the model\n", n);
	iter = getenv("VZEMU_PROC_ITER") ? atoi(getenv("VZEMU_PROC_ITER")) : 50;
	measure(m, "/proc/vz/veinfo", iter > 0 ? iter : 50);
	measure(m, "/proc/user_beancounters", iter > 0 ? iter : 50);
	fflush(stdout);
	if (argc > 4) {
		c = fork();
		if (c == 0) {
			execvp(argv[4], argv + 4);
			_exit(127);
		}
		waitpid(c, &st, 0);
	}
	for (int i = 0; i < n; i++) {
		kill(init[i], SIGKILL);
		waitpid(init[i], NULL, 0);
	}
	model_close(m);
	free(init);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
