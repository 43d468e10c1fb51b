// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * --fail CALL:ERRNO[:NTH]: the NTH (default 1st) intercepted call whose trace name matches CALL
 * fails with ERRNO, without reaching the model. CALL is a system call name ("setluid",
 * "mount", "reboot", "open"), an ioctl request name ("VZCTL_ENV_CREATE_DATA"), a sub-command
 * ("VZ_DQ_ON", "VE_IP_ADD") or both ("VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON"). NTH = 0 fails every
 * matching call. Counting is per vzemu run (per supervisor).
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vzemu.h"

struct fault {
	char name[64];
	char sub[64];
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

int faults_add(const char *spec, char *why, size_t whylen)
{
	char buf[256], *call, *err, *nth;
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
	snprintf(f->name, sizeof(f->name), "%.63s", call);
	nfaults++;
	return 0;
}

static bool matches(const struct fault *f, const char *name, const char *sub)
{
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
