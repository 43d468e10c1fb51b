// SPDX-License-Identifier: LGPL-2.1-or-later
/* Rows of the OpenVZ /proc files for `abi-client cases` (abi-proc.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi-proc.h"

long abi_proc_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = 0;
	close(fd);
	return (long)got;
}

/* the words of LINE from the FROM-th on, joined by single spaces, between PRE and POST */
static void join(char *line, int from, const char *pre, const char *post, char *out, size_t len)
{
	char *save = NULL, *w;
	size_t o;
	int i = 0;

	o = (size_t)snprintf(out, len, "%s", pre);
	for (w = strtok_r(line, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save), i++)
		if (i >= from && o < len)
			o += (size_t)snprintf(out + o, len - o, "%s%s", i > from ? " " : "", w);
	if (o < len)
		snprintf(out + o, len - o, "%s", post);
}

static char text[1 << 17];

void abi_proc_ubc_row(unsigned int uid, const char *res, char *out, size_t len)
{
	long r = abi_proc_read("/proc/user_beancounters", text, sizeof(text));
	unsigned int cur = ~0u;
	char *save = NULL;

	snprintf(out, len, "(no row %u %s: %s)", uid, res, r < 0 ? "unreadable" : "absent");
	for (char *l = strtok_r(r < 0 ? NULL : text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned int u;
		int skip = 0;

		if (sscanf(l, " %u: %63s", &u, name) == 2) {
			cur = u;
			skip = 1;
		} else if (sscanf(l, " %63s", name) != 1) {
			continue;
		}
		if (cur == uid && !strcmp(name, res)) {
			join(l, skip + 1, " ", " ", out, len);
			return;
		}
	}
}

/* a row whose first word is the number ID, from the WORD-th word on */
static void row(const char *path, unsigned int id, char *out, size_t len)
{
	long r = abi_proc_read(path, text, sizeof(text));
	char *save = NULL;

	snprintf(out, len, "(no row %u in %s)", id, path);
	for (char *l = strtok_r(r < 0 ? NULL : text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *end;
		unsigned long v = strtoul(l, &end, 10);

		if (end != l && v == id && (*end == ' ' || *end == '\t' || !*end)) {
			join(l, 1, "", "", out, len);
			return;
		}
	}
}

void abi_proc_fairsched2_row(unsigned int id, char *out, size_t len)
{
	row("/proc/fairsched2", id, out, len);
}

void abi_proc_veinfo_row(unsigned int veid, char *out, size_t len)
{
	row("/proc/vz/veinfo", veid, out, len);
}
