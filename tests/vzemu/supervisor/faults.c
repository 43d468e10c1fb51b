// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * --fail CALL:ERRNO[:NTH]: the NTH (default 1st) intercepted call whose trace name matches CALL
 * fails with ERRNO, without reaching the model. CALL is a system call name ("setluid",
 * "mount", "reboot", "open"), an ioctl request name ("VZCTL_ENV_CREATE_DATA"), a sub-command
 * ("VZ_DQ_ON", "VE_IP_ADD") or both ("VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON"). NTH = 0 fails every
 * matching call. Counting is per vzemu run (per supervisor).
 *
 * --fail CALL@PATH:ERRNO[:NTH]: the same for a plain filesystem call on PATH (fault-paths.c
 * says which calls and how their path is found); such a rule counts only the calls on PATH,
 * a rule without @PATH never counts them.
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vzemu.h"

struct fault {
	char name[64];
	char sub[64];
	char *path; /* CALL@PATH: absolute, symbolic links of its directories resolved */
	int err;
	long nth;
	long seen;
};

static struct fault faults[64];
bool faults_fired; /* the last check injected a fault: the trace line says "(injected)" */
static int nfaults;

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 64;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(cur));
	}
	return prev[lb];
}

/*
 * A name no rule could ever match (a misspelt --fail would otherwise never fire and a
 * rollback test would pass without testing anything): refuse it, listing the near names.
 */
static bool name_known(const char *name, char *why, size_t whylen)
{
	size_t o, found = 0;
	const char *n, *shown[6];

	for (size_t i = 0; (n = fault_name(i)); i++)
		if (!strcmp(n, name))
			return true;
	o = (size_t)snprintf(why, whylen, "no intercepted call is named '%s'", name);
	for (size_t d = 1; d <= 3 && found < 6; d++)
		for (size_t i = 0; (n = fault_name(i)) && found < 6; i++) {
			bool dup = false;

			if (distance(name, n) != d && !(d == 3 && strcasestr(n, name)))
				continue;
			for (size_t k = 0; k < found && !dup; k++)
				dup = !strcmp(shown[k], n); /* names repeat: x86_64 and i386 */
			if (dup || o >= whylen)
				continue;
			o += (size_t)snprintf(why + o, whylen - o, "%s%s",
					      found ? ", " : "; near: ", n);
			shown[found++] = n;
		}
	if (!found && o < whylen)
		snprintf(why + o, whylen - o,
			 " (tests/vzemu/README.md, Fault injection, lists them)");
	return false;
}

/*
 * PATH as the calls' paths are compared: absolute, "." and ".." folded, and the links among
 * its directories resolved (a descriptor's path, which the kernel gives, has none), so
 * that a rule naming /tmp/x matches a call on /private/tmp/x. Its last part is kept: a call
 * on a link itself names the link. PATH need not exist.
 */
static int rule_path(const char *path, char **ret)
{
	char norm[PATH_MAX], dir[PATH_MAX], *slash, out[2 * PATH_MAX];

	if (path[0] != '/' || path_of_caller(0, -1, path, norm, sizeof(norm)) < 0)
		return -EINVAL;
	slash = strrchr(norm, '/');
	if (slash == norm || !realpath(strndupa(norm, (size_t)(slash - norm)), dir))
		snprintf(out, sizeof(out), "%s", norm);
	else
		snprintf(out, sizeof(out), "%s%s", strcmp(dir, "/") ? dir : "", slash);
	*ret = strdup(out);
	return *ret ? 0 : -ENOMEM;
}

static bool path_capable(const char *name, char *why, size_t whylen)
{
	if (fault_path_call(name))
		return true;
	snprintf(why, whylen, "'%s' cannot be failed on a path; CALL@PATH takes %s", name,
		 FAULT_PATH_CALLS);
	return false;
}

int faults_add(const char *spec, char *why, size_t whylen)
{
	char buf[PATH_MAX + 128], *call, *err, *nth, *at;
	struct fault *f;
	char *slash;

	if (nfaults == (int)(sizeof(faults) / sizeof(faults[0])))
		return -ENOSPC;
	snprintf(buf, sizeof(buf), "%s", spec);
	call = buf;
	err = strchr(call, ':');
	if (!err)
		return -EINVAL;
	*err++ = 0;
	at = strchr(call, '@'); /* the path ends at the first ':': a PATH holding one is refused */
	if (at)
		*at++ = 0;
	nth = strchr(err, ':');
	if (nth)
		*nth++ = 0;
	f = &faults[nfaults];
	memset(f, 0, sizeof(*f));
	f->err = errno_parse(err);
	if (f->err <= 0 || !*call)
		return -EINVAL;
	f->nth = 1;
	if (nth) {
		char *end;

		f->nth = strtol(nth, &end, 10);
		if (*end || f->nth < 0)
			return -EINVAL;
	}
	if (strlen(call) >= sizeof(f->name))
		return -EINVAL;
	slash = strchr(call, '/');
	if (slash) {
		*slash++ = 0;
		if (!name_known(slash, why, whylen))
			return -ENOENT;
		snprintf(f->sub, sizeof(f->sub), "%.63s", slash);
	}
	if (!name_known(call, why, whylen))
		return -ENOENT;
	if (at && (slash || !path_capable(call, why, whylen)))
		return slash ? -EINVAL : -ENOENT;
	if (!at && fault_path_only(call)) {
		snprintf(why, whylen, "'%s' can be failed only on a path: %s@PATH:ERRNO[:NTH]",
			 call, call);
		return -ENOENT;
	}
	if (at && rule_path(at, &f->path) < 0)
		return -EINVAL;
	snprintf(f->name, sizeof(f->name), "%.63s", call);
	nfaults++;
	return 0;
}

bool faults_on_path(const char *name)
{
	for (int i = 0; i < nfaults; i++)
		if (faults[i].path && (!name || !strcmp(faults[i].name, name)))
			return true;
	return false;
}

int faults_check_path(const char *name, const char *const paths[], int npaths)
{
	for (int i = 0; i < nfaults; i++) {
		struct fault *f = &faults[i];
		bool hit = false;

		if (!f->path || strcmp(f->name, name))
			continue;
		for (int k = 0; k < npaths && !hit; k++)
			hit = paths[k] && !strcmp(paths[k], f->path);
		if (!hit)
			continue;
		f->seen++;
		if (f->nth == 0 || f->seen == f->nth) {
			faults_fired = true;
			return f->err;
		}
	}
	return 0;
}

static bool matches(const struct fault *f, const char *name, const char *sub)
{
	if (f->path)
		return false; /* counts only the calls on its path (faults_check_path) */
	if (f->sub[0])
		return !strcmp(f->name, name) && sub && !strcmp(f->sub, sub);
	return !strcmp(f->name, name) || (sub && !strcmp(f->name, sub));
}

/* Returns the errno to inject (> 0) or 0 */
int faults_check(const char *name, const char *sub)
{
	for (int i = 0; i < nfaults; i++) {
		struct fault *f = &faults[i];

		if (!matches(f, name, sub))
			continue;
		f->seen++;
		if (f->nth == 0 || f->seen == f->nth) {
			faults_fired = true;
			return f->err;
		}
	}
	return 0;
}
