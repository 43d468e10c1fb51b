// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * --fail CALL:ERRNO[:NTH]: the NTH (default 1st) intercepted call whose trace name matches CALL
 * fails with ERRNO, without reaching the model. CALL is a system call name ("setluid",
 * "mount", "reboot", "open"), an ioctl request name ("VZCTL_ENV_CREATE_DATA"), a sub-command
 * ("VZ_DQ_ON", "VE_IP_ADD") or both ("VZCTL_QUOTA_NEW_CTL/VZ_DQ_ON"). NTH = 0 fails every
 * matching call. Counting is per vzemu run (per supervisor).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int faults_add(const char *spec)
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
		snprintf(f->sub, sizeof(f->sub), "%.63s", slash);
	}
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
