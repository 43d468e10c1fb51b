/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel release a VE reports (vzctl-behaviour.md §3.2 step 8, kolyshkin/vzctl's
 * get_osrelease): osrelease.conf, beside vz.conf as vzctl keeps it in /etc/vz, lists
 * "DISTNAME MINKERNEL" lines. The first line whose name matches the VE's OSTEMPLATE gives the
 * oldest kernel that distribution runs on; when the host's `uname -r` is older, the VE is
 * told MINKERNEL followed by the host release's "-NNNstabXXX" suffix. No file, no matching
 * line or a new enough host: nothing is sent, as vzctl.
 *
 * Matching is vzctl's: the two names compared over the shorter one's length, so "debian"
 * matches OSTEMPLATE "debian-6.0-x86_64" and also line "debian-6.0" matches OSTEMPLATE
 * "debian". Where vzctl silently skips a line it cannot read, this warns with file and line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "ctx.h"
#include "macro.h"
#include "ve-run.h"

/* "A.B[.C...]" as one number, A.B.C compared as vzctl's KVER; -1 when not a version. */
static long kernel_version(const char *s)
{
	int a, b, c = 0;
	if (sscanf(s, "%d.%d.%d", &a, &b, &c) < 2 || a < 0 || b < 0 || c < 0)
		return -1;
	return ((long)a << 16) + ((long)b << 8) + c;
}

static bool names_match(const char *line_name, const char *dist)
{
	size_t n = strnlen(line_name, strlen(dist));
	return strncmp(line_name, dist, n) == 0;
}

/* The MINKERNEL of the first line matching `dist` into min[]; false when none. */
static bool find_min_kernel(struct ve_run *op, const char *path, const char *dist, char *min,
			    size_t minsz)
{
	vzl_ctx *ctx = op->ve->ctx;
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno != ENOENT)
			log_warning(ctx,
				    "VE %u: cannot read %s: %m; the VE's kernel release is not set",
				    op->ve->id, path);
		return false;
	}
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	for (unsigned no = 1; !found && getline(&line, &cap, f) > 0; no++) {
		char name[128], version[128], extra;
		int n = sscanf(line, " %127s %127s %c", name, version, &extra);
		if (n <= 0 || name[0] == '#')
			continue; /* blank line or comment */
		if (n != 2) {
			log_warning(ctx,
				    "VE %u: %s:%u: line ignored: a line is \"DISTNAME MINKERNEL\" "
				    "(e.g. \"debian-6.0 2.6.32\"), this one has %s",
				    op->ve->id, path, no,
				    n == 1 ? "one word" : "more than two words");
			continue;
		}
		if (!names_match(name, dist))
			continue;
		if (kernel_version(version) < 0) {
			log_warning(
				ctx,
				"VE %u: %s:%u: line ignored: \"%s\" is no kernel version (A.B or "
				"A.B.C, e.g. 2.6.32)",
				op->ve->id, path, no, version);
			continue;
		}
		snprintf(min, minsz, "%s", version);
		found = true;
	}
	free(line);
	fclose(f);
	return found;
}

void start_osrelease(struct ve_run *op)
{
	op->osrelease[0] = '\0';
	const char *ostemplate = op->spec.ostemplate;
	const char *global = op->ve->ctx->paths[VZL_PATH_GLOBAL_CONFIG];
	if (!ostemplate || !*ostemplate || !global)
		return;
	char *copy = strdup(global), *path = NULL;
	if (!copy || asprintf(&path, "%s/osrelease.conf", dirname(copy)) < 0)
		path = NULL;
	free(copy);
	char min[128];
	struct utsname uts;
	if (!path || !find_min_kernel(op, path, ostemplate, min, sizeof(min)) || uname(&uts) < 0) {
		free(path);
		return;
	}
	free(path);
	long host = kernel_version(uts.release);
	if (host < 0 || host >= kernel_version(min))
		return; /* the host's kernel is new enough (or unreadable: vzctl sends nothing) */
	const char *suffix = strchr(uts.release, '-');
	snprintf(op->osrelease, sizeof(op->osrelease), "%s%s", min, suffix ? suffix : "");
	log_info(op->ve->ctx, "VE %u: kernel release for %s: %s", op->ve->id, ostemplate,
		 op->osrelease);
}
